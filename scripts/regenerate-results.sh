#!/usr/bin/env bash
# Regenerates docs/results with the current code: runs each result's command, copies its
# report, image or data into docs/results, and stamps every file with a provenance line (the
# commit, the exact command, the date and the machine; scripts/stamp_provenance.py).
#
# Too long for CI — run it by hand (times on a 2-core machine):
#   asisr         the full ASISR protocol, 800 runs                       ≈ 12 min
#   reservoir     the reservoir protocol beside reservoirpy's figures     ≈  7 min
#   reservoirpy   the reservoirpy reference figures (installs it)         ≈  5 min
#   trainability           wide view 256² and the 8-frame zoom series        ≈ 25 min
#   trainability-variants  median boundary dimension of ten variants        ≈ 30 min
#   trainability-study     spectral control over five networks              ≈ 40 min
#   trainability-check     every variant against the straightforward trainer ≈ 1 h
#   scaling                the scaling-laws protocol                      ≈ 18 min
#   sample-complexity      networks against their GP on He₃               ≈ 30 min
#   attention              rank collapse, transformers under spectral control  ≈ 25 min
# The narrative .md files quote the reports' tables; after a rerun, bring their numbers in
# line with the new report (the script prints where each report is) and stamp them again.
#
#   bash scripts/regenerate-results.sh [asisr] [reservoir] [reservoirpy] [trainability] …
#   (no argument: all of them; trainability.md is stamped per part, with each part's commands)
set -euo pipefail
cd "$(dirname "$0")/.."
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(reservoirpy asisr reservoir trainability trainability-variants
  trainability-study trainability-check)
swift build -c release --product crit >/dev/null
crit=.build/release/crit
commit=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- Sources Package.swift || commit="$commit+uncommitted"
runs=$(mktemp -d)
results=docs/results

stamp() {  # stamp FILE COMMAND [COMMAND…]
  local file=$1
  shift
  local args=()
  for c in "$@"; do args+=(--command "$c"); done
  python3 scripts/stamp_provenance.py "$file" --commit "$commit" "${args[@]}"
}

for part in "${parts[@]}"; do
  case $part in
  asisr)
    command="crit run asisr --quiet"
    $crit run asisr --quiet --runs "$runs"
    cp "$runs/asisr/report.html" $results/asisr-full-report.html
    stamp $results/asisr-full-report.html "$command"
    stamp $results/asisr.md "$command"
    echo "asisr: $results/asisr-full-report.html (update the tables of $results/asisr.md from it)"
    ;;
  reservoirpy)
    command="python3 bench/reservoir_reference.py --units 100 --seeds 5 --json $results/reservoirpy-memory-capacity-n100.json"
    python3 -c "import reservoirpy" 2>/dev/null || pip install -q reservoirpy
    python3 bench/reservoir_reference.py --units 100 --seeds 5 \
      --json $results/reservoirpy-memory-capacity-n100.json
    stamp $results/reservoirpy-memory-capacity-n100.json "$command"
    ;;
  reservoir)
    command="crit run reservoir --reference $results/reservoirpy-memory-capacity-n100.json --quiet"
    $crit run reservoir --reference $results/reservoirpy-memory-capacity-n100.json --quiet \
      --runs "$runs"
    cp "$runs/reservoir/report.html" $results/reservoir-full-report.html
    stamp $results/reservoir-full-report.html "$command"
    stamp $results/reservoir.md "$command"
    echo "reservoir: $results/reservoir-full-report.html (update $results/reservoir.md from it)"
    ;;
  trainability)
    wide="crit run trainability --resolution 256 --steps 1000 --threads 2 --quiet"
    $crit run trainability --resolution 256 --steps 1000 --threads 2 --quiet --runs "$runs" \
      --name wide
    cp "$runs/wide/report.html" $results/trainability-tanh-wide-256-report.html
    cp "$runs/wide/frame-0.png" $results/trainability-tanh-wide-256.png
    stamp $results/trainability-tanh-wide-256-report.html "$wide"
    stamp $results/trainability-tanh-wide-256.png "$wide"
    zoom="crit run trainability --resolution 128 --steps 1000 --zoom 8 --zoom-to 1e-3 --threads 2 --quiet"
    $crit run trainability --resolution 128 --steps 1000 --zoom 8 --zoom-to 1e-3 --threads 2 \
      --quiet --runs "$runs" --name zoom
    cp "$runs/zoom/report.html" $results/trainability-tanh-zoom-report.html
    stamp $results/trainability-tanh-zoom-report.html "$zoom"
    echo "trainability: runs in $runs/wide and $runs/zoom (update $results/trainability.md)"
    ;;
  trainability-variants)
    variants=()
    for v in "relu:--activation relu --resolution 96 --steps 500 --zoom 5" \
      "linear:--activation identity --resolution 256 --steps 1000 --zoom 8" \
      "single:--variant single-point --resolution 256 --steps 1000 --zoom 8" \
      "minibatch:--variant minibatch --resolution 96 --steps 500 --zoom 5 --zoom-target balanced" \
      "minibatch-nearest:--variant minibatch --resolution 96 --steps 500 --zoom 5" \
      "offset:--variant offset --resolution 96 --steps 500 --zoom 5" \
      "tanh96:--resolution 96 --steps 500 --zoom 5" \
      "penalty:--spectral penalty:0.1:1 --resolution 96 --steps 500 --zoom 5" \
      "norm:--spectral norm:4 --resolution 96 --steps 500 --zoom 5"; do
      name=${v%%:*}
      options=${v#*:}
      # shellcheck disable=SC2086
      $crit run trainability $options --zoom-to 1e-3 --threads 2 --quiet --runs "$runs" --name "$name"
      variants+=("crit run trainability $options --zoom-to 1e-3 --threads 2 --quiet")
      python3 -c "
import json, statistics, sys
frames = json.load(open(sys.argv[1]))['frames']
d = [f['dimension']['dimension'] for f in frames if f.get('dimension')]
print(sys.argv[2] + ':', ', '.join(f'{x:.2f}' for x in d), '| median', f'{statistics.median(d):.2f}' if d else '-')
" "$runs/$name/frames.json" "$name"
    done
    echo "variants: ${variants[*]}"
    ;;
  trainability-study)
    # One command runs the three conditions on the same five networks and writes the paired
    # comparison (Holm, Hedges' g) as comparison.html and comparison.json.
    $crit run trainability --resolution 64 --steps 500 --zoom 5 --zoom-to 1e-3 \
      --zoom-target balanced --seeds 5 --spectral none,penalty:0.1:1,norm:4 --threads 2 --quiet \
      --runs "$runs" --name study
    echo "study: $runs/study/comparison.html, $runs/study/comparison.json"
    ;;
  trainability-check)
    $crit bench trainability --check --resolution 32 --steps 100 --threads 2
    ;;
  scaling | sample-complexity | attention)
    command="crit run $part --quiet"
    $crit run "$part" --quiet --runs "$runs"
    report=$results/$part-full-report.html
    [ "$part" = attention ] && report=$results/attention-report.html
    cp "$runs/$part/report.html" "$report"
    stamp "$report" "$command"
    echo "$part: $report (update $results/$part.md from it and stamp it)"
    ;;
  *)
    echo "unknown part '$part' (allowed: asisr, reservoir, reservoirpy, trainability, trainability-variants, trainability-study, trainability-check, scaling, sample-complexity, attention)" >&2
    exit 2
    ;;
  esac
done
