#!/usr/bin/env bash
# Spectral normalisation, crit beside PyTorch (bench/spectral_norm_protocol_torch.py), on one
# two-moons split written as CSV (bench/make_moons_split.py: 800 train, 200 test, noise 0.2):
# MLP 2 -> 64 x8 -> 2 ReLU, He init, Adam lr 1e-3, batch 64, 100 epochs, five seeds, without
# and with spectral normalisation of every hidden layer (PyTorch's
# parametrizations.spectral_norm with default settings; crit's --regularization spectral-norm).
# Prints a markdown table of the final test accuracies: per side the mean ± Student-t 95 %
# CI and the per-seed values, and whether the two intervals overlap.
#   [SEEDS="0 1 2 3 4"] [EPOCHS=100] [THREADS=1] [DATA_SEED=0] bash bench/compare-spectral-norm.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${SEEDS:-0 1 2 3 4}
epochs=${EPOCHS:-100}
threads=${THREADS:-1}
bash bench/install-torch.sh
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 bench/make_moons_split.py "$dir" --seed "${DATA_SEED:-0}" >/dev/null
swift build -c release --product crit >/dev/null
crit=.build/release/crit
for cond in none spectral-norm; do
  for s in $seeds; do
    "$crit" train --dataset csv --data "$dir/train.csv" --test-data "$dir/test.csv" \
      --hidden 64,64,64,64,64,64,64,64 --activation relu --init he --optimizer adam --lr 0.001 \
      --batch-size 64 --epochs "$epochs" --seed "$s" --threads "$threads" \
      --regularization "$cond" --out "$dir/crit-$cond-$s" --quiet >/dev/null
  done
done
seed_list=$(echo $seeds | tr ' ' ',')
for cond in none spectral-norm; do
  flag=""
  [ "$cond" = spectral-norm ] && flag="--spectral-norm"
  python3 bench/spectral_norm_protocol_torch.py --train "$dir/train.csv" --test "$dir/test.csv" \
    --seeds "$seed_list" --epochs "$epochs" --threads "$threads" $flag \
    --json "$dir/torch-$cond.json" >/dev/null
done
python3 - "$dir" "$seed_list" <<'PY'
import csv, json, sys
sys.dont_write_bytecode = True  # no bench/__pycache__ in the checkout
sys.path.insert(0, "bench")
from spectral_norm_protocol_torch import mean_ci95

directory, seeds = sys.argv[1], [int(s) for s in sys.argv[2].split(",")]


def final_test_accuracy(path):
    """The test accuracy of the last row of crit's metrics.csv (column test_accuracy)."""
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(f) if r and any(x.strip() for x in r)]
    header = [h.strip().lower() for h in rows[0]]
    names = ["test_accuracy", "testaccuracy", "test_acc", "test accuracy"]
    column = next((header.index(n) for n in names if n in header), None)
    if column is None:
        column = next(i for i, h in enumerate(header) if "test" in h and "acc" in h)
    return float(rows[-1][column])


def cell(values):
    m, h = mean_ci95(values)
    return m, h, f"{m:.4f} ± {h:.4f} ({', '.join(f'{v:.3f}' for v in values)})"


print(f"seeds {', '.join(map(str, seeds))}; final test accuracy on 200 held-out points\n")
print("| condition | crit mean ± 95 % CI (per seed) | PyTorch mean ± 95 % CI (per seed) | intervals overlap |")
print("|---|---|---|---|")
for cond in ["none", "spectral-norm"]:
    ours = [final_test_accuracy(f"{directory}/crit-{cond}-{s}/metrics.csv") for s in seeds]
    peer = json.load(open(f"{directory}/torch-{cond}.json"))["accuracies"]
    m1, h1, c1 = cell(ours)
    m2, h2, c2 = cell(peer)
    overlap = "yes" if (m1 - h1 <= m2 + h2 and m2 - h2 <= m1 + h1) else "no"
    print(f"| {cond} | {c1} | {c2} | {overlap} |")
PY
