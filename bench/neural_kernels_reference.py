"""NNGP and NTK values of deep fully connected networks from neural-tangents, for the test
that crit's kernels (Sources/Theory/NeuralKernel.swift) equal them.

    bash bench/install-neural-tangents.sh && python3 bench/neural_kernels_reference.py
    python3 bench/neural_kernels_reference.py --standard

Network: stax.serial([Dense(W_std, b_std), phi] * depth, Dense(W_std, b_std)), NTK
parameterisation, phi in {Relu, Erf}; inputs: three points of dimension 5 given by a formula
(x[i][k] = sin(1.3 i + 0.7 k) + 0.1 k), so that the test rebuilds them without a random number
generator. Prints one line per (activation, depth, W_std, b_std): the 3 x 3 NNGP and NTK
matrices, row by row, at full precision (float64).

--standard: the same network with every Dense in standard parameterisation,
stax.serial([Dense(width, W_std, b_std, parameterization='standard'), phi] * depth,
Dense(1, W_std, b_std, parameterization='standard')), depths 1-3, hidden widths 16 and 512;
one line per (activation, depth, W_std, b_std, width). There the NNGP is that of the NTK
parameterisation (no width in it), while each Dense adds to the NTK the width of its own
input: ntk <- n_in * nngp_in + W_std^2 * ntk + 1 (the 1 whenever b_std is not None, even
b_std = 0), before nngp <- W_std^2 * nngp_in + b_std^2; n_in is d for the first Dense (where
nngp_in = x.x'/d) and the hidden width for the others.
"""

import argparse
import math

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
from neural_tangents import stax  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--standard", action="store_true",
                    help="standard parameterisation, hidden widths 16 and 512, depths 1-3")
args = parser.parse_args()

inputs = jnp.array([[math.sin(1.3 * i + 0.7 * k) + 0.1 * k for k in range(5)] for i in range(3)],
                   dtype=jnp.float64)


def values(layers):
    _, _, kernel_fn = stax.serial(*layers)
    k = kernel_fn(inputs, inputs, ("nngp", "ntk"))
    nngp = [repr(float(v)) for v in jnp.ravel(k.nngp)]
    ntk = [repr(float(v)) for v in jnp.ravel(k.ntk)]
    return f"nngp {' '.join(nngp)} ntk {' '.join(ntk)}"


for name, phi in [("relu", stax.Relu()), ("erf", stax.Erf())]:
    for depth in range(1, 4 if args.standard else 6):
        for w_std, b_std in [(1.0, 0.0), (1.5, 0.1), (math.sqrt(2.0), 0.5)]:
            if not args.standard:
                layers = []
                for _ in range(depth):
                    layers += [stax.Dense(1, W_std=w_std, b_std=b_std), phi]
                layers.append(stax.Dense(1, W_std=w_std, b_std=b_std))
                print(f"{name} {depth} {w_std!r} {b_std!r} {values(layers)}")
                continue
            for width in (16, 512):
                layers = []
                for _ in range(depth):
                    layers += [stax.Dense(width, W_std=w_std, b_std=b_std,
                                          parameterization="standard"), phi]
                layers.append(stax.Dense(1, W_std=w_std, b_std=b_std,
                                         parameterization="standard"))
                print(f"{name} {depth} {w_std!r} {b_std!r} {width} {values(layers)}")
