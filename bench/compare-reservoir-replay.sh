#!/usr/bin/env bash
# A reservoir built by reservoirpy with its own defaults, replayed by `crit reservoir` from the
# exported W, W_in and input: states and memory capacity must agree (tolerances and settings in
# bench/reservoir_replay_check.py). Exits non-zero when they do not.
#   bash bench/compare-reservoir-replay.sh [--units N]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import reservoirpy" 2>/dev/null || pip install -q 'reservoirpy==0.4.2'
swift build -c release --product crit >/dev/null
python3 bench/reservoir_replay_check.py --crit .build/release/crit "$@"
