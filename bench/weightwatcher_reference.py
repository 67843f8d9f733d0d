"""Writes WeightWatcher's numbers for a few small matrices as a test fixture, so that the unit
tests check `crit analyze`'s analysis against the reference tool without needing it installed.

    python3 bench/weightwatcher_reference.py [Tests/SpectralTests/Fixtures/weightwatcher.json]

Needs weightwatcher 0.7.7 and torch (bench/compare-weightwatcher.sh installs both). Each matrix
is drawn from a fixed seed in float32 (the precision WeightWatcher reads a torch layer in) and
stored with its values; WeightWatcher runs as a user would: the matrix as a torch Linear layer,
`analyze(mp_fit=True, detX=True, randomize=False, plot=False)`.
"""
import json
import logging
import sys
import warnings

import numpy as np
import torch
import weightwatcher

warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)

FIELDS = ["alpha", "xmin", "D", "sigma", "num_pl_spikes", "num_spikes", "sigma_mp",
          "mp_softrank", "bulk_max", "log_norm", "log_spectral_norm", "alpha_weighted",
          "log_alpha_norm", "stable_rank", "detX_num", "detX_val", "lambda_max"]


def matrices():
    rng = np.random.default_rng(7)
    yield "gaussian-60x30", rng.standard_normal((60, 30))
    yield "gaussian-square-50", rng.standard_normal((50, 50))
    yield "gaussian-wide-24x72", rng.standard_normal((24, 72))
    yield "student-t3-80x40", rng.standard_t(3, (80, 40))
    yield "student-t2-64x16", rng.standard_t(2, (64, 16))
    u, v = rng.standard_normal((64, 3)), rng.standard_normal((3, 32))
    yield "rank3-plus-noise-64x32", 0.6 * u @ v + rng.standard_normal((64, 32))
    yield "small-sample-40x12", rng.standard_normal((40, 12))
    sparse = rng.standard_normal((90, 45)) * (rng.random((90, 45)) < 0.1)
    yield "sparse-90x45", sparse


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "Tests/SpectralTests/Fixtures/weightwatcher.json"
    cases = []
    for name, w in matrices():
        w = w.astype(np.float32)
        layer = torch.nn.Linear(w.shape[1], w.shape[0], bias=False)
        with torch.no_grad():
            layer.weight.copy_(torch.from_numpy(w))
        watcher = weightwatcher.WeightWatcher(model=torch.nn.Sequential(layer))
        row = watcher.analyze(mp_fit=True, detX=True, randomize=False, plot=False).iloc[0]
        values = {f: (int(row[f]) if f.startswith(("num_", "detX_num")) else float(row[f]))
                  for f in FIELDS}
        cases.append({"name": name, "rows": w.shape[0], "columns": w.shape[1],
                      "W": [float(x) for x in w.ravel()], "weightwatcher": values})
    with open(path, "w") as f:
        json.dump({"weightwatcher_version": weightwatcher.__version__, "cases": cases}, f)
    print(f"{len(cases)} matrices -> {path}")


if __name__ == "__main__":
    main()
