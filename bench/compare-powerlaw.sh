#!/usr/bin/env bash
# Power-law fits by crit and by the `powerlaw` Python package on the same seeded samples.
#   bash bench/compare-powerlaw.sh
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import powerlaw" 2>/dev/null || pip install -q powerlaw
out=${1:-runs/powerlaw-samples}
swift build -c release --product crit >/dev/null
echo "crit:"
.build/release/crit bench powerlaw --out "$out"
echo "Python:"
python3 bench/powerlaw_reference.py "$out"
