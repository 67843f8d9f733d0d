// A probe of the processor's float64 fused multiply–add peak: twelve independent chains of
// vector FMAs (enough to cover the FMA latency times the FMA units of current x86-64 cores),
// with the widest vectors the processor has — 8 doubles with AVX-512, 4 with AVX2 and FMA; on
// the x86-64 baseline (SSE2, no FMA) a multiply and an add of 2 doubles, the most that clone of
// the kernels can do per instruction pair. The caller times it.

#include "trainability_kernel.h"

#include <stdint.h>

#pragma clang diagnostic ignored "-Wpsabi"

#define CHAINS 12

// `iterations` rounds of CHAINS FMAs on vectors of W doubles; the result (the mean of every
// lane) depends on every chain, so no round can be dropped. The multiplier and addend keep the values bounded.
#define PROBE_BODY(W)                                                                    \
  typedef double vec __attribute__((vector_size(8 * (W))));                             \
  vec acc[CHAINS];                                                                       \
  for (int c = 0; c < CHAINS; c++) acc[c] = (vec){} + (1.0 + c * 1e-3);                 \
  const vec m = (vec){} + seed, a = (vec){} + (1.0 - seed);                              \
  for (long it = 0; it < iterations; it++) {                                             \
    for (int c = 0; c < CHAINS; c++) acc[c] = __builtin_elementwise_fma(acc[c], m, a);   \
  }                                                                                      \
  double sum = 0;                                                                        \
  for (int c = 0; c < CHAINS; c++)                                                       \
    for (int k = 0; k < (W); k++) sum += acc[c][k];                                      \
  *flops = (double)iterations * CHAINS * (W) * 2;                                        \
  return sum / (CHAINS * (W));

#if defined(__x86_64__)
__attribute__((target("arch=x86-64-v4"), min_vector_width(512))) static double probe_avx512(long iterations,
                                                                    double seed,
                                                                    double *flops) {
  PROBE_BODY(8)
}

__attribute__((target("arch=x86-64-v3"))) static double probe_avx2(long iterations, double seed,
                                                                  double *flops) {
  PROBE_BODY(4)
}
#endif

// Baseline: separate multiply and add (SSE2 has no FMA), 2 flops per lane per round.
static double probe_baseline(long iterations, double seed, double *flops) {
  typedef double vec __attribute__((vector_size(16)));
  vec acc[CHAINS];
  for (int c = 0; c < CHAINS; c++) acc[c] = (vec){} + (1.0 + c * 1e-3);
  const vec m = (vec){} + seed, a = (vec){} + (1.0 - seed);
  for (long it = 0; it < iterations; it++) {
    for (int c = 0; c < CHAINS; c++) acc[c] = acc[c] * m + a;
  }
  double sum = 0;
  for (int c = 0; c < CHAINS; c++) sum += acc[c][0] + acc[c][1];
  *flops = (double)iterations * CHAINS * 2 * 2;
  return sum / (CHAINS * 2);
}

// The vector width the kernels' clones use on this processor (the same test the clone
// dispatcher makes): 3 for AVX-512, 2 for AVX2 and FMA, 1 for the baseline.
int crit_vector_level(void) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return 3;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 2;
#endif
  return 1;
}

double crit_fma_probe(long iterations, double *flops) {
  // With m = 0.5 and a = 0.5, acc ← acc/2 + 1/2 tends to 1, never overflowing or going subnormal.
  const double seed = 0.5;
#if defined(__x86_64__)
  switch (crit_vector_level()) {
    case 3: return probe_avx512(iterations, seed, flops);
    case 2: return probe_avx2(iterations, seed, flops);
    default: break;
  }
#endif
  return probe_baseline(iterations, seed, flops);
}
