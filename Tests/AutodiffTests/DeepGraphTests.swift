import Autodiff
import Tensors
import Testing

/// A graph of 200 000 chained operations is released without recursion: a recursive release
/// needs a stack frame per node and overflows the 8 MiB main-thread stack near 20 000 layers.
@Test func longChainsAreReleasedWithoutOverflowingTheStack() {
  let x = Variable(Tensor<Double>(shape: [1], scalars: [1]), requiresGradient: true)
  var y = x
  for _ in 0..<200_000 { y = y * 1.0 }
  y.backward()
  // d/dx of x·1·1·…·1 is exactly 1.
  #expect(x.grad?.scalars == [1])
  var z = x
  for _ in 0..<200_000 { z = z + 0.5 }
  #expect(z.value.scalars == [100_001])
  // Releasing z's chain (never consumed by backward) happens when z is reassigned.
  z = x
  #expect(z.value.scalars == [1])
}
