#!/usr/bin/env bash
# `crit series` against nolds (DFA, R/S) and the powerlaw package (tail fit, lognormal
# comparison) on seeded series: the settings each side is given and the tolerances are in
# bench/series_reference.py. Exits non-zero when a value disagrees.
#   bash bench/compare-series.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# nolds 0.6.3 fails to import on Python 3.11 (its datasets module reads package resources
# from a module); 0.6.2 needs pkg_resources, which setuptools 80 and later no longer ship.
python3 -c "import nolds, powerlaw" 2>/dev/null || pip install -q 'nolds==0.6.2' 'setuptools<80' 'powerlaw==2.0.0'
swift build -c release --product crit >/dev/null
python3 bench/series_reference.py --crit .build/release/crit "$@"
