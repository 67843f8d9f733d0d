"""Times WeightWatcher (the field's reference tool) on a weight matrix saved as .npy, wrapped in
a torch Linear layer, and prints its α, x_min and timing.

    python3 bench/analyze_weightwatcher.py matrix.npy [--json OUT]

With --json, also writes {"version", "seconds", "metrics": every numeric column of the row}.
"""
import sys
import time

import numpy as np
import torch
import weightwatcher

path = sys.argv[1]
json_path = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--json" else None
w = np.load(path)
layer = torch.nn.Linear(w.shape[1], w.shape[0], bias=False)
with torch.no_grad():
    layer.weight.copy_(torch.from_numpy(w.astype(np.float32)))
model = torch.nn.Sequential(layer)
start = time.perf_counter()
# The same quantities crit analyze reports: the Marchenko–Pastur fit and detX included.
details = weightwatcher.WeightWatcher(model=model).analyze(mp_fit=True, detX=True)
seconds = time.perf_counter() - start
row = details.iloc[0]
print(f"weightwatcher {weightwatcher.__version__}: {seconds:.2f} s")
print(f"alpha {row['alpha']:.4f}  xmin {row['xmin']:.4g}  D {row['D']:.4f}  "
      f"log_spectral_norm {row['log_spectral_norm']:.4f}  stable_rank {row['stable_rank']:.2f}")

if json_path:
    import json
    metrics = {k: float(v) for k, v in row.items() if isinstance(v, (int, float, np.number))}
    with open(json_path, "w") as f:
        json.dump({"version": weightwatcher.__version__, "seconds": seconds, "metrics": metrics}, f)
