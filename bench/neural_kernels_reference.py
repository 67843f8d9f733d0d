"""NNGP and NTK values of deep fully connected networks from neural-tangents, for the test
that crit's kernels (Sources/Theory/NeuralKernel.swift) equal them.

    bash bench/install-neural-tangents.sh && python3 bench/neural_kernels_reference.py

Network: stax.serial([Dense(W_std, b_std), phi] * depth, Dense(W_std, b_std)), NTK
parameterisation, phi in {Relu, Erf}; inputs: three points of dimension 5 given by a formula
(x[i][k] = sin(1.3 i + 0.7 k) + 0.1 k), so that the test rebuilds them without a random number
generator. Prints one line per (activation, depth, W_std, b_std): the 3 x 3 NNGP and NTK
matrices, row by row, at full precision (float64).
"""

import math

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
from neural_tangents import stax  # noqa: E402

inputs = jnp.array([[math.sin(1.3 * i + 0.7 * k) + 0.1 * k for k in range(5)] for i in range(3)],
                   dtype=jnp.float64)
for name, phi in [("relu", stax.Relu()), ("erf", stax.Erf())]:
    for depth in range(1, 6):
        for w_std, b_std in [(1.0, 0.0), (1.5, 0.1), (math.sqrt(2.0), 0.5)]:
            layers = []
            for _ in range(depth):
                layers += [stax.Dense(1, W_std=w_std, b_std=b_std), phi]
            layers.append(stax.Dense(1, W_std=w_std, b_std=b_std))
            _, _, kernel_fn = stax.serial(*layers)
            k = kernel_fn(inputs, inputs, ("nngp", "ntk"))
            nngp = [repr(float(v)) for v in jnp.ravel(k.nngp)]
            ntk = [repr(float(v)) for v in jnp.ravel(k.ntk)]
            print(f"{name} {depth} {w_std!r} {b_std!r} nngp {' '.join(nngp)} ntk {' '.join(ntk)}")
