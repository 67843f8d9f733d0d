#!/usr/bin/env bash
# A small transformer's training step (4 pre-LN layers, width 128, 4 heads, 64 tokens, batch
# 32, Adam), crit against PyTorch (eager and torch.compile) at the same thread count, measured
# one after the other on this machine; prints both and the ratios.
#   bash bench/compare-transformer.sh [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-1}
bash bench/install-torch.sh
swift build -c release --product crit >/dev/null
ours=$(.build/release/crit bench transformer --threads "$threads" --json)
peer=$(python3 bench/transformer_torch.py --threads "$threads" 2>/dev/null)
python3 - "$ours" "$peer" <<'PY'
import json, sys
ours, peer = json.loads(sys.argv[1]), json.loads(sys.argv[2])
line = (f"transformer step, {ours['threads']} thread(s): crit {1000 * ours['secondsPerStep']:.1f} ms "
        f"({ours['flopsPerStep'] / ours['secondsPerStep'] / 1e9:.1f} GFLOP/s)")
print(line)
for mode in ("eager", "compiled"):
    r = peer.get(mode, {})
    if "secondsPerStep" in r:
        print(f"  PyTorch {peer['torch']} {mode} (Adam {r['adam']}): {1000 * r['secondsPerStep']:.1f} ms, "
              f"crit/PyTorch speed ratio {r['secondsPerStep'] / ours['secondsPerStep']:.2f}x")
    else:
        print(f"  PyTorch {mode}: {r.get('error', 'not run')}")
PY
