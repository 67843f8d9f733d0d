"""A reservoir built by reservoirpy with its own defaults, replayed by `crit reservoir` from
the exported matrices: the states must agree to rounding and the memory capacity computed
from them must equal the one computed here from reservoirpy's states (the same ridge readout
and squared correlations, written out in NumPy).

    python3 bench/reservoir_replay_check.py [--crit .build/release/crit] [--units 200]

reservoirpy's defaults (0.4): `Reservoir(units)` draws W sparse normal with connectivity 0.1
rescaled to spectral radius 1, W_in Bernoulli +-1 with input connectivity 0.1 times input
scaling 1, leak rate 1, no bias, tanh. Tolerances: states to 1e-12 (the same recurrence in a
different summation order, with crit's tanh within 3 ulp of libm's; at the default spectral
radius 1 the driven reservoir still contracts, so the ~1e-16 step differences do not grow);
memory capacity per delay to 1e-9 (crit fits the readout from covariances, NumPy here by
solving the ridge normal equations: both well conditioned at beta = 1e-6 and these sizes).
Exit status 1 when a value is outside its tolerance.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import reservoirpy
from reservoirpy.nodes import Reservoir


def memory_capacity(states, u, washout, train, max_delay, ridge):
    """MC_k by a ridge readout with an unpenalised intercept, scored on the test rows."""
    rows = np.arange(washout, washout + train)
    test = np.arange(washout + train, len(u))
    delays = np.arange(max_delay + 1)
    x, xt = states[rows], states[test]
    mean = x.mean(axis=0)
    y = u[rows[:, None] - delays[None, :]]
    xc = x - mean
    w = np.linalg.solve(xc.T @ xc + ridge * np.eye(x.shape[1]), xc.T @ (y - y.mean(axis=0)))
    prediction = (xt - mean) @ w
    target = u[test[:, None] - delays[None, :]]
    pc = prediction - prediction.mean(axis=0)
    tc = target - target.mean(axis=0)
    return (pc * tc).sum(axis=0) ** 2 / ((pc * pc).sum(axis=0) * (tc * tc).sum(axis=0))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--crit", default=".build/release/crit")
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--steps", type=int, default=6000)
    args = parser.parse_args()
    out = tempfile.mkdtemp(prefix="crit-replay-")
    reservoir = Reservoir(args.units, seed=7)
    rng = np.random.default_rng(8)
    u = rng.uniform(-1, 1, size=(args.steps, 1))
    states = reservoir.run(u)
    w = reservoir.W.toarray() if hasattr(reservoir.W, "toarray") else np.asarray(reservoir.W)
    w_in = reservoir.Win.toarray() if hasattr(reservoir.Win, "toarray") else np.asarray(reservoir.Win)
    paths = {name: os.path.join(out, f"{name}.npy") for name in ("W", "Win", "u")}
    np.save(paths["W"], w)
    np.save(paths["Win"], w_in)
    np.save(paths["u"], u[:, 0])
    washout, train, max_delay = 600, 3600, 400
    run = subprocess.run(
        [args.crit, "reservoir", "--weights", paths["W"], "--input-weights", paths["Win"],
         "--inputs", paths["u"], "--states", os.path.join(out, "states.npy"),
         "--washout", str(washout), "--train", str(train), "--max-delay", str(max_delay),
         "--json", os.path.join(out, "result.json")],
        capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"crit reservoir failed: {run.stderr}")
    print(run.stdout.strip())
    ours = np.load(os.path.join(out, "states.npy"))
    with open(os.path.join(out, "result.json")) as f:
        result = json.load(f)
    gap = np.max(np.abs(ours - states))
    reference = memory_capacity(states, u[:, 0], washout, train, max_delay, 1e-6)
    mc_gap = np.max(np.abs(np.array(result["memoryCapacity"]) - reference))
    density = np.count_nonzero(w) / w.size
    print(f"reservoirpy {reservoirpy.__version__}: N = {args.units}, W density {density:.3f}, "
          f"W_in values {sorted(set(np.round(w_in[w_in != 0], 12)))}, "
          f"spectral radius {np.max(np.abs(np.linalg.eigvals(w))):.6f}")
    print(f"states: largest difference {gap:.2e} over {ours.size} values")
    print(f"memory capacity: crit {sum(result['memoryCapacity']):.6f}, "
          f"NumPy on reservoirpy's states {reference.sum():.6f}; largest per-delay gap {mc_gap:.2e}")
    failures = []
    if ours.shape != states.shape or not gap <= 1e-12:
        failures.append(f"states differ by {gap}")
    if not mc_gap <= 1e-9:
        failures.append(f"memory capacity differs by {mc_gap} at some delay")
    if failures:
        print("FAILED: " + "; ".join(failures))
        sys.exit(1)
    print("states and memory capacity agree")


if __name__ == "__main__":
    main()
