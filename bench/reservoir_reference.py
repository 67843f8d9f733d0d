#!/usr/bin/env python3
"""Echo-state memory capacity against spectral radius, with reservoirpy's nodes, for
`crit bench reservoir` to be compared against (values and speed, on the same machine).

Protocol (Jaeger 2001, "Short term memory in echo state networks"):
  * Reservoir of N units, leak rate a, activation f (tanh by default), no bias, zero
    initial state, reservoirpy's "internal" leaky equation
        x(t) = (1 - a) x(t-1) + a f(W x(t-1) + W_in u(t)).
    W is dense (connectivity 1) with N(0, 1) entries rescaled to spectral radius rho
    (exact largest |eigenvalue|); W_in is dense, uniform on [-1, 1] times the input
    scaling s.
  * Input: one scalar stream u(t), i.i.d. uniform on [-1, 1], of washout + train + test
    steps. States of the first `washout` steps are discarded, the next `train` steps fit
    the readout, the last `test` steps evaluate it.
  * Readout: ridge regression with an unpenalised intercept, minimising
    ||Y - X W_out - b||^2 + beta ||W_out||^2 (beta absolute, not scaled by the number of
    samples), one fit for all delays k = 0..K at once: column k of Y is u(t - k).
  * MC_k = squared Pearson correlation, on the test segment, between the readout output
    y_k(t) and u(t - k); MC = sum over k = 0..K of MC_k.
  * Seeds 0..S-1 per rho. Seed s fixes the reservoir (reservoirpy's `seed=s`, so W before
    rescaling and W_in are the same for every rho) and its input stream
    (numpy.random.default_rng((s, 1)); the NARMA stream uses (s, 2)). The random numbers
    differ from crit's, so the two implementations agree in distribution, not draw by draw.

With --narma, the same reservoirs are also scored on NARMA-10 one-step prediction: input
u(t) i.i.d. uniform on [0, 0.5] through the same W_in, target
    y(t+1) = 0.3 y(t) + 0.05 y(t) sum_{i=0}^{9} y(t-i) + 1.5 u(t-9) u(t) + 0.1,
y(t) = 0 for t < 10; the readout of x(t) predicts y(t+1); NRMSE = sqrt(mean((yhat - y)^2)
/ var(y)) on the test segment.

Timing: time.perf_counter around all the work of one rho (input streams, reservoir
construction with its eigenvalue computation, state generation, ridge fit, MC), summed
over the rho values for seconds_total; imports excluded. NARMA work is timed separately
(narma_seconds_total) so that seconds_total always measures the same protocol.

Output: one JSON object on stdout; a short table on stderr.
    python3 bench/reservoir_reference.py --units 100 --seeds 5 --threads 1
"""
import argparse
import os
import sys


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=100, help="reservoir size N")
    parser.add_argument("--input-scaling", type=float, default=None, help="s: W_in ~ s U[-1, 1] (default 0.1)")
    parser.add_argument("--leak", type=float, default=1.0, help="leak rate a in (0, 1]")
    parser.add_argument("--ridge", type=float, default=1e-6, help="absolute ridge penalty beta")
    parser.add_argument("--washout", type=int, default=1000)
    parser.add_argument("--train", type=int, default=6000)
    parser.add_argument("--test", type=int, default=3000)
    parser.add_argument("--max-delay", type=int, default=None, help="K (default 2N)")
    parser.add_argument(
        "--rhos", type=str, default=",".join(f"{0.1 * i:.1f}" for i in range(1, 17)),
        help="comma-separated spectral radii (default 0.1,0.2,...,1.6)",
    )
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..S-1 per rho")
    parser.add_argument("--activation", choices=["tanh", "linear"], default="tanh")
    parser.add_argument("--narma", action="store_true", help="also score NARMA-10 NRMSE")
    parser.add_argument("--threads", type=int, default=1, help="BLAS/OpenMP threads")
    parser.add_argument(
        "--reservoirpy-defaults", action="store_true",
        help="reservoirpy's own Reservoir defaults (sparse W and W_in, Bernoulli W_in, input "
             "scaling 1 unless --input-scaling is given)")
    args = parser.parse_args(argv)
    args.input_scaling_given = args.input_scaling
    if args.input_scaling is None:
        args.input_scaling = 1.0 if args.reservoirpy_defaults else 0.1
    if args.max_delay is None:
        args.max_delay = 2 * args.units
    args.rhos = [float(value) for value in args.rhos.split(",") if value.strip()]
    if args.max_delay > args.washout:
        parser.error(
            f"--max-delay {args.max_delay} exceeds --washout {args.washout}: the targets "
            "u(t-k) of the first training rows would reach before the stream starts"
        )
    if args.narma and args.washout < 9:
        parser.error("--narma needs --washout >= 9")
    if args.seeds < 1 or not args.rhos:
        parser.error("need at least one seed and one rho")
    return args


# The thread count must be in the environment before numpy (and its BLAS) is loaded.
ARGS = parse_arguments(sys.argv[1:])
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                 "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[variable] = str(ARGS.threads)

import json  # noqa: E402
import math  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import reservoirpy  # noqa: E402
from reservoirpy import mat_gen  # noqa: E402
from reservoirpy.nodes import Reservoir, Ridge  # noqa: E402
from scipy import stats  # noqa: E402

if tuple(int(part) for part in reservoirpy.__version__.split(".")[:2]) < (0, 4):
    sys.exit(f"reservoirpy {reservoirpy.__version__} found; this script uses the 0.4 node API "
             "(pip install -U 'reservoirpy>=0.4')")


def make_reservoir(args, rho, seed):
    """Dense N(0,1) W rescaled to spectral radius rho, dense U[-1,1]*s W_in, no bias; with
    --reservoirpy-defaults, reservoirpy's own defaults (W N(0,1) with connectivity 0.1, W_in
    +-1 with input connectivity 0.1, input scaling 1) at spectral radius rho."""
    if args.reservoirpy_defaults:
        extra = {} if args.input_scaling_given is None else {"input_scaling": args.input_scaling_given}
        return Reservoir(
            units=args.units, lr=args.leak, sr=rho, bias=0.0, seed=seed,
            activation="tanh" if args.activation == "tanh" else "identity", **extra)
    return Reservoir(
        units=args.units,
        lr=args.leak,
        sr=rho,
        W=mat_gen.normal,           # loc 0, scale 1
        rc_connectivity=1.0,        # dense W (reservoirpy's default is 0.1, sparse)
        Win=mat_gen.uniform,        # low -1, high 1 (default is bernoulli +-1)
        input_connectivity=1.0,     # dense W_in (default 0.1)
        input_scaling=args.input_scaling,
        bias=0.0,                   # no bias term in the update
        activation="tanh" if args.activation == "tanh" else "identity",
        seed=seed,
    )


def segments(args):
    """Row indices (time steps) of the training and test segments."""
    train = np.arange(args.washout, args.washout + args.train)
    test = np.arange(args.washout + args.train, args.washout + args.train + args.test)
    return train, test


def fit_readout(args, states, targets, train, test):
    """Ridge with intercept fitted on the training rows; predictions on the test rows."""
    readout = Ridge(ridge=args.ridge, fit_bias=True)
    readout.fit(states[train], targets[train])
    return readout.run(states[test])


def squared_correlations(prediction, target):
    """Squared Pearson correlation of each column of prediction with the same column of target."""
    p = prediction - prediction.mean(axis=0)
    q = target - target.mean(axis=0)
    covariance = np.einsum("ij,ij->j", p, q)
    variance = np.einsum("ij,ij->j", p, p) * np.einsum("ij,ij->j", q, q)
    with np.errstate(invalid="ignore", divide="ignore"):
        r2 = covariance**2 / variance
    return np.where(variance > 0, r2, 0.0)


def memory_capacity(args, rho, seed):
    steps = args.washout + args.train + args.test
    u = np.random.default_rng((seed, 1)).uniform(-1.0, 1.0, size=steps)
    reservoir = make_reservoir(args, rho, seed)
    states = reservoir.run(u.reshape(-1, 1))
    # Target column k at time t is u(t - k); t >= washout >= K, so never before the stream.
    delays = np.arange(args.max_delay + 1)
    train, test = segments(args)
    targets = np.zeros((steps, delays.size))
    rows = np.concatenate([train, test])
    targets[rows] = u[rows[:, None] - delays[None, :]]
    prediction = fit_readout(args, states, targets, train, test)
    return float(np.sum(squared_correlations(prediction, targets[test]))), reservoir


def narma10(u):
    """NARMA-10 series y with y(t) = 0 for t < 10; returns y of length len(u) + 1."""
    y = np.zeros(u.size + 1)
    for t in range(9, u.size):
        y[t + 1] = (0.3 * y[t] + 0.05 * y[t] * np.sum(y[t - 9:t + 1])
                    + 1.5 * u[t - 9] * u[t] + 0.1)
    return y


def narma_nrmse(args, reservoir, seed):
    steps = args.washout + args.train + args.test
    u = np.random.default_rng((seed, 2)).uniform(0.0, 0.5, size=steps)
    y = narma10(u)
    reservoir.reset()  # same W and W_in, zero initial state
    states = reservoir.run(u.reshape(-1, 1))
    targets = y[1:].reshape(-1, 1)  # row t: y(t + 1), predicted from x(t)
    train, test = segments(args)
    prediction = fit_readout(args, states, targets, train, test)[:, 0]
    truth = targets[test, 0]
    return float(math.sqrt(np.mean((prediction - truth) ** 2) / np.var(truth)))


def ci95(values):
    """Half-width of the 95 % Student t interval of the mean (None for one value)."""
    values = np.asarray(values, dtype=float)
    if values.size < 2 or not np.all(np.isfinite(values)):
        return None
    return float(stats.t.ppf(0.975, values.size - 1) * values.std(ddof=1) / math.sqrt(values.size))


def finite_or_none(value):
    return value if value is not None and math.isfinite(value) else None


def main(args):
    mc_per_seed, seconds_per_rho = [], []
    narma_per_seed, narma_seconds = [], []
    for rho in args.rhos:
        start = time.perf_counter()
        results = [memory_capacity(args, rho, seed) for seed in range(args.seeds)]
        seconds_per_rho.append(time.perf_counter() - start)
        mc_per_seed.append([mc for mc, _ in results])
        if args.narma:
            start = time.perf_counter()
            narma_per_seed.append([narma_nrmse(args, reservoir, seed)
                                   for seed, (_, reservoir) in enumerate(results)])
            narma_seconds.append(time.perf_counter() - start)

    mc_mean = [float(np.mean(values)) for values in mc_per_seed]
    output = {
        "library": "reservoirpy",
        "version": reservoirpy.__version__,
        "numpy": np.__version__,
        "units": args.units,
        "input_scaling": args.input_scaling,
        "leak": args.leak,
        "ridge": args.ridge,
        "washout": args.washout,
        "train": args.train,
        "test": args.test,
        "max_delay": args.max_delay,
        "activation": args.activation,
        "seeds": args.seeds,
        "threads": args.threads,
        "rho": args.rhos,
        "mc_mean": [finite_or_none(value) for value in mc_mean],
        "mc_ci95": [ci95(values) for values in mc_per_seed],
        # mc_per_seed[i][s]: MC at rho[i] with seed s.
        "mc_per_seed": [[finite_or_none(v) for v in values] for values in mc_per_seed],
        "seconds_total": sum(seconds_per_rho),
        "seconds_per_rho": seconds_per_rho,
    }
    if args.narma:
        output["narma_nrmse_mean"] = [finite_or_none(float(np.mean(v))) for v in narma_per_seed]
        output["narma_nrmse_ci95"] = [ci95(values) for values in narma_per_seed]
        output["narma_seconds_total"] = sum(narma_seconds)
    print(json.dumps(output))

    # Human-readable summary on stderr.
    def cell(mean, half):
        return f"{mean:8.3f} ± {half:.3f}" if half is not None else f"{mean:8.3f}"

    print(f"reservoirpy {reservoirpy.__version__}, N={args.units}, s={args.input_scaling}, "
          f"a={args.leak}, beta={args.ridge:g}, K={args.max_delay}, {args.activation}, "
          f"{args.seeds} seed(s), {args.threads} thread(s)", file=sys.stderr)
    header = "  rho        MC mean ± CI95" + ("      NARMA-10 NRMSE" if args.narma else "")
    print(header, file=sys.stderr)
    for i, rho in enumerate(args.rhos):
        line = f"{rho:5.2f}  {cell(mc_mean[i], output['mc_ci95'][i]):>20s}"
        if args.narma:
            line += f"  {cell(float(np.mean(narma_per_seed[i])), output['narma_nrmse_ci95'][i]):>18s}"
        print(line, file=sys.stderr)
    peak = int(np.nanargmax(mc_mean)) if np.any(np.isfinite(mc_mean)) else 0
    print(f"peak MC {mc_mean[peak]:.3f} at rho = {args.rhos[peak]:g}; "
          f"{output['seconds_total']:.2f} s in all", file=sys.stderr)


if __name__ == "__main__":
    main(ARGS)
