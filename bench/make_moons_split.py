#!/usr/bin/env python3
"""Writes a two-moons train/test split as CSV, for runs of crit and a peer on the same points.

Two moons as scikit-learn's make_moons draws them (numpy only): n points, the first n//2 on
the outer half-circle (cos t, sin t) with label 0, the other n - n//2 on the inner one
(1 - cos t, 1 - sin t - 0.5) with label 1, t evenly spaced over [0, pi] with both ends;
Gaussian noise of standard deviation --noise on each coordinate; then shuffled. All draws
come from numpy.random.default_rng(--seed): first the noise (n x 2), then the permutation.
The first --train rows (default 800) go to DIR/train.csv, the rest to DIR/test.csv, each
with the header x0,x1,label and floats written to round-trip exactly.
    python3 bench/make_moons_split.py DIR [--seed 0] [--samples 1000] [--noise 0.2] [--train 800]
"""
import argparse
import os

import numpy as np


def moons(n, noise, rng):
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0.0, np.pi, n_out)
    t_in = np.linspace(0.0, np.pi, n_in)
    x = np.concatenate([
        np.stack([np.cos(t_out), np.sin(t_out)], axis=1),
        np.stack([1.0 - np.cos(t_in), 1.0 - np.sin(t_in) - 0.5], axis=1),
    ])
    y = np.concatenate([np.zeros(n_out, dtype=int), np.ones(n_in, dtype=int)])
    x = x + rng.normal(0.0, noise, size=x.shape)
    order = rng.permutation(n)
    return x[order], y[order]


def write(path, x, y):
    with open(path, "w") as f:
        f.write("x0,x1,label\n")
        for (a, b), label in zip(x, y):
            f.write(f"{float(a)!r},{float(b)!r},{int(label)}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--noise", type=float, default=0.2)
    parser.add_argument("--train", type=int, default=800, help="rows of train.csv; the rest is test.csv")
    args = parser.parse_args()
    if not 0 < args.train < args.samples:
        parser.error("--train must lie strictly between 0 and --samples")
    rng = np.random.default_rng(args.seed)
    x, y = moons(args.samples, args.noise, rng)
    os.makedirs(args.directory, exist_ok=True)
    write(os.path.join(args.directory, "train.csv"), x[: args.train], y[: args.train])
    write(os.path.join(args.directory, "test.csv"), x[args.train:], y[args.train:])
    print(f"{args.directory}: train.csv {args.train} rows, test.csv {args.samples - args.train} rows")


if __name__ == "__main__":
    main()
