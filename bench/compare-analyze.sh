#!/usr/bin/env bash
# crit analyze against WeightWatcher on the same 4096×4096 Gaussian matrix (float32 .npy).
#   bash bench/compare-analyze.sh [size]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-4096}
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
.build/release/crit analyze "$work/w.npy" >"$work/crit.txt"
end=$(date +%s.%N)
crit_seconds=$(python3 -c "print(f'{$end - $start:.2f}')")
cat "$work/crit.txt"
echo "crit analyze: $crit_seconds s (whole process, including reading the file)"
python3 bench/analyze_weightwatcher.py "$work/w.npy" | tee "$work/ww.txt"
python3 - "$crit_seconds" "$work/ww.txt" <<'PY'
import re, sys
crit = float(sys.argv[1])
ww = float(re.search(r"([0-9.]+) s", open(sys.argv[2]).read()).group(1))
print(f"ratio: WeightWatcher {ww:.2f} s / crit {crit:.2f} s = {ww / crit:.1f}x")
PY
