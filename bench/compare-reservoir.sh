#!/usr/bin/env bash
# Echo-state memory capacity against spectral radius, crit vs reservoirpy, run one after the
# other on this machine at the same thread count (protocol: bench/reservoir_reference.py).
# Prints MC per rho from both and the time ratio reservoirpy / crit; the last line,
# `RESULT {json}`, is what `crit bench all` collects.
#   bash bench/compare-reservoir.sh [THREADS] [curve] [defaults]
# Default: N = 500, one seed per rho (speed). With `curve`: N = 100, five seeds per rho
# (the MC curves, mean ± 95 % CI). The reservoirs and input streams are drawn by different
# generators, so the values agree within seed-to-seed scatter, not to the last digit.
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-1}
mode=${2:-speed}
case "$mode" in
  curve) settings=(--units 100 --seeds 5) ;;
  speed) settings=(--units 500 --seeds 1) ;;
  *) echo "usage: bash bench/compare-reservoir.sh [THREADS] [curve] [defaults]" >&2; exit 2 ;;
esac
# `defaults`: both sides draw reservoirs as reservoirpy does by default (sparse W and W_in,
# Bernoulli +-1 input weights, input scaling 1) instead of dense W and uniform W_in.
if [ "${3:-}" = defaults ]; then settings+=(--reservoirpy-defaults); fi
python3 -c "import reservoirpy" 2>/dev/null || pip install -q 'reservoirpy>=0.4'
swift build -c release --product crit >/dev/null
ours=$(.build/release/crit bench reservoir "${settings[@]}" --threads "$threads" --json)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# The reference script's own table goes to $log; shown only if it fails.
peer=$(python3 bench/reservoir_reference.py "${settings[@]}" --threads "$threads" 2>"$log") \
  || { cat "$log" >&2; exit 1; }
python3 - "$ours" "$peer" "$threads" <<'PY'
import json, sys

ours, peer, threads = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]


def by_rho(result):
    """rho (rounded, as the key) -> (MC mean, 95 % CI half-width or None)."""
    ci = result.get("mc_ci95") or [None] * len(result["rho"])
    return {round(r, 6): (m, c) for r, m, c in zip(result["rho"], result["mc_mean"], ci)}


def cell(value):
    mean, ci = value if value is not None else (None, None)
    if mean is None:
        return f"{'-':>16s}"
    return f"{mean:8.3f} ± {ci:5.3f}" if ci is not None else f"{mean:8.3f}        "


crit, rpy = by_rho(ours), by_rho(peer)
print(f"memory capacity, N = {peer['units']}, {peer['seeds']} seed(s) per rho, "
      f"{threads} thread(s); reservoirpy {peer['version']}")
print(f"{'rho':>5s}  {'MC crit':>16s}  {'MC reservoirpy':>16s}")
for rho in sorted(set(crit) | set(rpy)):
    print(f"{rho:5.2f}  {cell(crit.get(rho))}  {cell(rpy.get(rho))}")
for name, table in (("crit", crit), ("reservoirpy", rpy)):
    finite = {r: v[0] for r, v in table.items() if v[0] is not None}
    if finite:
        peak = max(finite, key=finite.get)
        print(f"{name}: peak MC {finite[peak]:.3f} at rho = {peak:g}")
ratio = peer["seconds_total"] / ours["seconds_total"]
print(f"time: crit {ours['seconds_total']:.2f} s, reservoirpy {peer['seconds_total']:.2f} s, "
      f"ratio reservoirpy/crit {ratio:.2f}x")
peaks = {name: max((v[0], r) for r, v in table.items() if v[0] is not None)
         for name, table in (("crit", crit), ("reservoirpy", rpy))}
print("RESULT " + json.dumps({
    "benchmark": f"echo-state memory capacity, {len(crit)} spectral radii, N = {peer['units']}",
    "setting": f"{threads} thread(s)", "unit": "s", "higher_is_better": False,
    "crit": ours["seconds_total"], "peer": peer["seconds_total"], "ratio": ratio,
    "peer_name": f"reservoirpy {peer['version']}", "goal": 4,
    "agreement": (f"peak MC {peaks['crit'][0]:.2f} at ρ = {peaks['crit'][1]:g} (crit), "
                  f"{peaks['reservoirpy'][0]:.2f} at ρ = {peaks['reservoirpy'][1]:g} (reservoirpy)"),
    "note": "different generators: MC agrees within seed scatter"}))
PY
