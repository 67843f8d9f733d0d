#!/usr/bin/env bash
# crit analyze against WeightWatcher on the same 4096×4096 Gaussian matrix (float32 .npy): the
# whole crit process (reading the file included) against WeightWatcher's analyze() call, and
# every metric of both side by side. The last line, `RESULT {json}`, is what `crit bench all`
# collects.
#   bash bench/compare-analyze.sh [size] [SPECTRUM]   (SPECTRUM: crit analyze --spectrum, default auto)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-4096}
spectrum=${2:-auto}
python3 -c "import weightwatcher" 2>/dev/null || {
  bash bench/install-torch.sh
  pip install -q weightwatcher
}
work=$(mktemp -d)
python3 -c "
import numpy as np
np.save('$work/w.npy', np.random.default_rng(0).standard_normal(($size, $size)).astype(np.float32))"
swift build -c release --product crit >/dev/null
start=$(date +%s.%N)
threads=$(nproc)
.build/release/crit analyze "$work/w.npy" --spectrum "$spectrum" --threads "$threads" \
  --json "$work/crit.json" >"$work/crit.txt"
end=$(date +%s.%N)
crit_seconds=$(python3 -c "print(f'{$end - $start:.2f}')")
cat "$work/crit.txt"
echo "crit analyze: $crit_seconds s (whole process, including reading the file)"
python3 bench/analyze_weightwatcher.py "$work/w.npy" --json "$work/ww.json" | tee "$work/ww.txt"
python3 - "$crit_seconds" "$work" "$size" "$threads" <<'PY'
import json, math, sys
crit, work, size, threads = float(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ww = json.load(open(f"{work}/ww.json"))
ours = json.load(open(f"{work}/crit.json"))
ours = (ours[0] if isinstance(ours, list) else ours["layers"][0])
# Every field of the comparison with WeightWatcher, each as a relative difference.
sys.path.insert(0, "bench")
from compare_weightwatcher import FIELDS  # WeightWatcher column ↔ crit key, the one table
fields = [(theirs, ours_key) for theirs, ours_key, _ in FIELDS
          if theirs in ww["metrics"] and ours.get(ours_key) is not None]
worst = 0.0
for theirs_key, ours_key in fields:
    a, b = float(ww["metrics"][theirs_key]), float(ours[ours_key])
    difference = abs(a - b) / max(abs(a), 1e-300)
    worst = max(worst, difference)
    print(f"{theirs_key:>18s} {a:>22.15g} {b:>22.15g}  relative difference {difference:.1e}")
print(f"ratio: WeightWatcher {ww['seconds']:.2f} s / crit {crit:.2f} s = {ww['seconds'] / crit:.1f}x "
      f"(crit's eigenvalues: {ours.get('spectrum')})")
print("RESULT " + json.dumps({
    "benchmark": f"crit analyze of a {size}² Gaussian matrix (whole process vs analyze())",
    "setting": f"crit --threads {threads}; WeightWatcher every core", "unit": "s",
    "higher_is_better": False, "crit": crit, "peer": ww["seconds"], "ratio": ww["seconds"] / crit,
    "peer_name": f"WeightWatcher {ww['version']}", "goal": 4,
    "agreement": f"{len(fields)} metrics, largest relative difference {worst:.1e}",
    "note": f"crit's eigenvalues by {ours.get('spectrum')}"}))
PY
