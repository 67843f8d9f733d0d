#!/usr/bin/env bash
# Benchmark (b): training epochs per second of the seed network, crit vs PyTorch, measured
# one after the other on this machine at the same thread count; prints both and the ratio.
# Also runs benchmark (a), the training step of 784→1024→1024→10 against same-shape sgemm.
#   bash bench/compare-torch.sh [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-1}
bash bench/install-torch.sh
swift build -c release --product crit >/dev/null
crit=.build/release/crit
ours=$("$crit" bench seed --threads "$threads" --json)
peer=$(python3 bench/seed_network_torch.py --threads "$threads")
python3 - "$ours" "$peer" <<'PY'
import json, sys
ours, peer = json.loads(sys.argv[1]), json.loads(sys.argv[2])
ratio = ours["epochsPerSecond"] / peer["epochsPerSecond"]
print(f"seed network, {ours['threads']} thread(s): crit {ours['epochsPerSecond']:.0f} epochs/s, "
      f"PyTorch {peer['torch']} {peer['epochsPerSecond']:.0f} epochs/s, ratio {ratio:.2f}x")
PY
"$crit" bench step
