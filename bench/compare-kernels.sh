#!/usr/bin/env bash
# The NNGP matrix of P = 8192 Gaussian inputs (d = 64) for a depth-3 ReLU network and its full
# eigendecomposition, and the eigenvalues with a target's projections Q^T y: crit (`crit bench kernel`) against neural-tangents
# (bench/neural_kernels_bench.py), one after the other at the same thread count, on an
# otherwise idle machine. Prints both timings and the ratio neural-tangents / crit.
#   bash bench/compare-kernels.sh [THREADS] [POINTS]
# PYTHON selects the interpreter that has neural-tangents (default python3; installed there by
# bench/install-neural-tangents.sh when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-1}
points=${2:-8192}
python=${PYTHON:-python3}
"$python" -c "import neural_tangents" 2>/dev/null || bash bench/install-neural-tangents.sh
swift build -c release --product crit >/dev/null
ours=$(.build/release/crit bench kernel --points "$points" --threads "$threads" --json)
peer=$("$python" bench/neural_kernels_bench.py --points "$points" --threads "$threads" --json)
python3 - "$ours" "$peer" <<'PY'
import json, sys

ours, peer = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"P = {ours['points']}, d = {ours['dimension']}, {ours['threads']} thread(s)")
print(f"{'':22}{'crit':>10}{'neural-tangents':>18}{'ratio':>8}")
for key, name in [("kernel_seconds", "kernel matrix"), ("eigh_seconds", "eigendecomposition"),
                  ("total_seconds", "total"),
                  ("spectrum_seconds", "eigenvalues + Q^T y"),
                  ("spectrum_total_seconds", "total with Q^T y")]:
    print(f"{name:22}{ours[key]:>9.2f}s{peer[key]:>17.2f}s{peer[key] / ours[key]:>7.2f}x")
versions = peer.get("versions", {})
print("peer: " + ", ".join(f"{k} {v}" for k, v in versions.items()) +
      f"; eigh {peer.get('eigh_method')}, batch size {peer.get('batch_size')}; "
      f"spectrum routes {peer.get('spectrum_candidates')}")
print("largest projection difference: crit "
      f"{ours['largest_projection_difference']:.1e}, peer {peer.get('largest_projection_difference')}")
PY
