#!/usr/bin/env python3
"""Checks that the two forms of bench/trainability_jax.py (--form matmul, --form vmap) give
the same image: builds a random problem in the script's file format (N = 272 points, d = 16,
n = 16, float64; X, Y, W0 and W1 i.i.d. N(0, 1) like crit's problem, from --seed), runs both
forms on one view and prints the share of pixels of equal class (measure < 1), the converged counts,
and the largest relative difference of the measures where both are finite (below 1e6).
Exits 1 when fewer than --min-agreement of the pixels agree.

    python3 bench/trainability_jax_forms_check.py [--resolution 16] [--steps 200] \
        [--centre 1.5 1.5] [--width 9] [--activation tanh] [--threads 1] [--seed 0]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

POINTS, DIMENSION, WIDTH = 272, 16, 16
NONFINITE = 1e6


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--resolution", type=int, default=16)
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--centre", type=float, nargs=2, default=[1.5, 1.5], metavar=("U", "V"))
    p.add_argument("--width", type=float, default=9.0)
    p.add_argument("--activation", choices=["tanh", "relu", "identity"], default="tanh")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--min-agreement", type=float, default=0.995)
    a = p.parse_args()

    rng = np.random.default_rng(a.seed)
    x = rng.standard_normal((POINTS, DIMENSION))
    y = rng.standard_normal(POINTS)
    w0 = rng.standard_normal((DIMENSION, WIDTH))
    w1 = rng.standard_normal(WIDTH)
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "trainability_jax.py")
    with tempfile.TemporaryDirectory() as folder:
        for name, array in (("x", x), ("y", y), ("w0", w0), ("w1", w1)):
            np.save(os.path.join(folder, f"{name}.npy"), array.astype(np.float64))
        measures, reports = {}, {}
        for form in ("vmap", "matmul"):
            out = os.path.join(folder, f"{form}.npy")
            run = subprocess.run(
                [sys.executable, script, "--problem", folder, "--form", form,
                 "--centre", *map(str, a.centre), "--width", str(a.width),
                 "--resolution", str(a.resolution), "--steps", str(a.steps),
                 "--activation", a.activation, "--threads", str(a.threads), "--out", out],
                check=True, capture_output=True, text=True)
            reports[form] = json.loads(run.stdout.strip().splitlines()[-1])
            measures[form] = np.load(out)

    m, v = measures["matmul"], measures["vmap"]
    agree = ((m < 1) == (v < 1)).mean()
    finite = (m < NONFINITE) & (v < NONFINITE)
    relative = np.abs(m - v)[finite] / np.maximum(np.abs(v[finite]), np.finfo(float).tiny)
    print(f"{a.activation}, {a.resolution}² pixels × {a.steps} steps, view centre "
          f"{a.centre[0]:g} {a.centre[1]:g}, width {a.width:g}: classes equal on "
          f"{100 * agree:.2f} % ({int(((m < 1) != (v < 1)).sum())} differ); converged: vmap "
          f"{int((v < 1).sum())}, matmul {int((m < 1).sum())} of {m.size}")
    if finite.any():
        print(f"finite in both: {int(finite.sum())} pixels; relative difference of the measures: "
              f"max {relative.max():.3g}, median {np.median(relative):.3g}")
    for y, x in list(zip(*np.nonzero((m < 1) != (v < 1))))[:10]:
        print(f"  pixel (row {y}, col {x}): vmap {v[y, x]:.6g}, matmul {m[y, x]:.6g}")
    print(f"non-finite in both: {int(((m >= NONFINITE) & (v >= NONFINITE)).sum())}, "
          f"in one only: {int(((m >= NONFINITE) != (v >= NONFINITE)).sum())}")
    for form in ("vmap", "matmul"):
        r = reports[form]
        print(f"  {form}: {r['pixel_steps_per_second']:,.0f} pixel-steps/s, "
              f"{r['compile_seconds']:.2f} s compile, chunk {r['chunk']}")
    return 0 if agree >= a.min_agreement else 1


if __name__ == "__main__":
    sys.exit(main())
