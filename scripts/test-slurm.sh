#!/usr/bin/env bash
# Integration test of the cluster path: a sweep of 8 runs submitted as a 4-task Slurm job
# array (crit sweep --slurm --submit) on a real single-node Slurm cluster (scripts/slurm-local.sh),
# all tasks sharing one SQLite store. Passes when every run is completed exactly once and
# more than one array task did work.
#   bash scripts/test-slurm.sh            (as root; builds nothing: set CRIT=path/to/crit)
set -euo pipefail
cd "$(dirname "$0")/.."
crit=$(realpath "${CRIT:-.build/release/crit}")
bash scripts/slurm-local.sh start >/dev/null
work=$(mktemp -d /tmp/crit-slurm.XXXXXX)
chmod 755 "$work"
name="slurm-array-$RANDOM"
cat > "$work/sweep.yaml" <<YAML
name: $name
base: {epochs: 150, hidden: [32, 32], data: {count: 400}}
seeds: 4
grid: {learningRate: [0.001, 0.003]}
YAML
store="sqlite:$work/store.sqlite"
out=$(cd "$work" && "$crit" sweep "$work/sweep.yaml" --store "$store" --slurm --submit --array 4)
echo "$out"
job=$(echo "$out" | awk '/submitted job/ {print $3}')
[ -n "$job" ] || { echo "no job id"; exit 1; }
for _ in $(seq 1 600); do
  squeue -h -j "$job" 2>/dev/null | grep -q . || break
  sleep 1
done
"$crit" export "$store" --format csv > "$work/runs.csv"
python3 - "$work/runs.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 8, f"{len(rows)} runs in the store, expected 8"
bad = [r for r in rows if r["status"] != "completed" or r["attempts"] != "1" or r["epochs"] != "150"]
assert not bad, f"runs not completed exactly once: {bad}"
workers = {r["worker"] for r in rows}
assert len(workers) >= 2, f"only one worker did the work: {workers}"
print(f"slurm array: 8 runs completed exactly once by {len(workers)} array tasks ({', '.join(sorted(workers))})")
PY
