#!/usr/bin/env bash
# The seed experiment, crit demo against the same protocol in PyTorch
# (bench/seed_protocol_torch.py), on this machine with the same number of cores: crit runs
# THREADS seeds in parallel with one BLAS thread each; PyTorch by default does the same, in
# PROCESSES = THREADS worker processes with torch.set_num_threads(1) each. PROCESSES = 1 runs
# PyTorch's runs one after the other in one process with torch.set_num_threads(THREADS).
# Prints both wall times, the ratio, and the baseline's final test accuracy (mean ± 95 % CI
# over seeds) from each; the last line, `RESULT {json}`, is what `crit bench all` collects.
#   bash bench/compare-demo.sh [THREADS] [EPOCHS] [PROCESSES]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}
epochs=${2:-200}
processes=${3:-$threads}
bash bench/install-torch.sh
swift build -c release --product crit >/dev/null
# A run directory left by an earlier call would be resumed, not recomputed.
rm -rf runs/bench-demo
start=$(date +%s.%N)
.build/release/crit demo --quiet --jobs "$threads" --epochs "$epochs" --name bench-demo >/dev/null
end=$(date +%s.%N)
python3 bench/seed_protocol_torch.py --data runs/bench-demo/data --threads "$threads" \
  --processes "$processes" --epochs "$epochs" > runs/bench-demo/torch.json
python3 - "$start" "$end" "$threads" "$epochs" <<'PY'
import glob, json, math, sys
from statistics import mean, stdev
crit_seconds = float(sys.argv[2]) - float(sys.argv[1])
torch = json.load(open("runs/bench-demo/torch.json"))
# Student t quantiles t(0.975, n-1) for n = 2..10.
T = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}
def ci(values):
    n = len(values)
    return mean(values), T[n - 1] * stdev(values) / math.sqrt(n)
ours = [json.load(open(p))["final"]["testAccuracy"] for p in sorted(glob.glob("runs/bench-demo/baseline/seed-*/summary.json"))]
theirs = [r["test_accuracy"] for r in torch["conditions"]["baseline"]]
m1, h1 = ci([100 * a for a in ours]); m2, h2 = ci([100 * a for a in theirs])
layout = f"processes {torch.get('processes', 1)}, threads {torch['threads']} each"
print(f"seed experiment, {sys.argv[3]} threads: crit demo {crit_seconds:.1f} s, PyTorch {torch['torch']} {torch['seconds']:.1f} s, ratio {torch['seconds'] / crit_seconds:.1f}x (PyTorch: {layout})")
print(f"baseline final test accuracy: crit {m1:.2f} ± {h1:.2f} %, PyTorch {m2:.2f} ± {h2:.2f} % (95 % CI over seeds)")
print("RESULT " + json.dumps({
    "benchmark": f"seed experiment (crit demo), 2 conditions × {len(ours)} seeds × {sys.argv[4]} epochs",
    "setting": f"{sys.argv[3]} core(s): crit --jobs {sys.argv[3]}; PyTorch {layout}",
    "unit": "s", "higher_is_better": False, "crit": crit_seconds, "peer": torch["seconds"],
    "ratio": torch["seconds"] / crit_seconds, "peer_name": f"PyTorch {torch['torch']}", "goal": 20,
    "agreement": f"baseline test accuracy {m1:.2f} ± {h1:.2f} % / {m2:.2f} ± {h2:.2f} %",
    "note": ""}))
PY
