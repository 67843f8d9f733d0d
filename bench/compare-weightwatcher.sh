#!/usr/bin/env bash
# crit analyze against WeightWatcher 0.7.7 (analyze with mp_fit and detX), field by field, on
# 47 seeded matrices (41 synthetic, 6 layers of crit-trained checkpoints); exits non-zero when
# any matrix disagrees.
#   bash bench/compare-weightwatcher.sh                  # full set (a few minutes)
#   bash bench/compare-weightwatcher.sh --subset small   # 9 small matrices, no training (CI)
# Other options (tolerances, --json OUT): python3 bench/compare_weightwatcher.py --help
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import torch" 2>/dev/null || bash bench/install-torch.sh
python3 -c "import sys, weightwatcher; sys.exit(weightwatcher.__version__ != '0.7.7')" \
  >/dev/null 2>&1 || python3 -m pip install --quiet weightwatcher==0.7.7
swift build -c release --product crit >/dev/null
exec python3 bench/compare_weightwatcher.py --crit .build/release/crit "$@"
