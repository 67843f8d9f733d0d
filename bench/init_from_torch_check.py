"""`crit train --init-from` with a real PyTorch state dict: an `nn.Sequential` MLP
2 -> 64 -> 64 -> 64 -> 2 (ReLU), saved by `safetensors.torch.save_file(model.state_dict())`,
starts a crit run trained at a learning rate of 1e-12 for one epoch; the weights crit saves
must equal PyTorch's to 1e-9 (Adam moves each by at most ~lr per step), and crit's network
must compute what PyTorch's computes on the same inputs (logits to 1e-5: float32, 4 layers).

    bash bench/install-torch.sh && python3 bench/init_from_torch_check.py [--crit PATH]
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
from safetensors.numpy import load_file
from safetensors.torch import save_file

parser = argparse.ArgumentParser()
parser.add_argument("--crit", default=".build/release/crit")
args = parser.parse_args()
out = tempfile.mkdtemp(prefix="crit-init-")
torch.manual_seed(3)
model = torch.nn.Sequential(
    torch.nn.Linear(2, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(),
    torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 2))
path = os.path.join(out, "torch.safetensors")
save_file(model.state_dict(), path)
run = subprocess.run(
    [args.crit, "train", "--epochs", "1", "--lr", "1e-12", "--init-from", path,
     "--out", os.path.join(out, "run"), "--quiet"], capture_output=True, text=True)
if run.returncode != 0:
    sys.exit(f"crit train failed: {run.stderr}")
ours = load_file(os.path.join(out, "run", "model.safetensors"))
theirs = {k: v.detach().numpy() for k, v in model.state_dict().items()}
linear = [0, 2, 4, 6]
gap = 0.0
for l, index in enumerate(linear):
    for part in ("weight", "bias"):
        gap = max(gap, float(np.max(np.abs(ours[f"layers.{l}.{part}"] - theirs[f"{index}.{part}"]))))
x = np.random.default_rng(4).normal(size=(256, 2)).astype(np.float32)
h = x
for l in range(4):
    h = h @ ours[f"layers.{l}.weight"].T + ours[f"layers.{l}.bias"]
    if l < 3:
        h = np.maximum(h, 0)
with torch.no_grad():
    reference = model(torch.from_numpy(x)).numpy()
logit_gap = float(np.max(np.abs(h - reference)))
print(f"torch {torch.__version__}: parameters differ by at most {gap:.2e}; "
      f"logits of crit's saved network vs PyTorch's differ by at most {logit_gap:.2e}")
if not (gap < 1e-9 and logit_gap < 1e-5):
    sys.exit("FAILED: crit did not start from the PyTorch weights")
print("crit started from the PyTorch state dict")
