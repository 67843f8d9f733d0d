#!/usr/bin/env bash
# The trainability image, crit beside JAX (bench/trainability_jax.py), on the same problem
# (crit writes the network and data as .npy; the JAX script reads them), the same view and
# the same thread count, one after the other on this machine. Prints both throughputs in
# pixel-steps/s and their ratio, and compares the two images pixel by pixel: the share of
# pixels of equal class, and where the disagreeing ones lie (their distance in pixels to the
# nearest boundary pixel of crit's image). Timings on a shared machine wander by 10–30 %
# between runs, so each side runs REPEATS times (default 3), alternating, and its best time
# counts (as timeit does); every time is printed.
#   [REPEATS=3] bash bench/compare-trainability.sh [THREADS] [RESOLUTION] [STEPS] [ACTIVATION]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}
resolution=${2:-32}
steps=${3:-1000}
activation=${4:-tanh}
repeats=${REPEATS:-3}
bash bench/install-jax.sh
swift build -c release --product crit >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for k in $(seq 1 "$repeats"); do
  # A fresh run folder each time: crit reuses finished frames of an earlier run.
  .build/release/crit run trainability --resolution "$resolution" --steps "$steps" \
    --activation "$activation" --threads "$threads" --runs "$out" --name "crit-$k" --quiet >/dev/null
  python3 bench/trainability_jax.py --problem "$out/crit-1/problem" --centre 1.5 1.5 \
    --width 9 --resolution "$resolution" --steps "$steps" --activation "$activation" \
    --threads "$threads" --out "$out/jax.npy" >"$out/jax-$k.json"
done
python3 - "$out" "$threads" "$repeats" <<'PY'
import json, sys
import numpy as np

out, threads, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
# Training time only on both sides (crit's frame seconds; the peer's `seconds`, compile excluded).
ours_times = [json.load(open(f"{out}/crit-{k}/frames.json"))["frames"][0]["seconds"] for k in range(1, repeats + 1)]
peers = [json.load(open(f"{out}/jax-{k}.json")) for k in range(1, repeats + 1)]
peer = min(peers, key=lambda p: p["seconds"])
ours_seconds = min(ours_times)
frames = json.load(open(f"{out}/crit-1/frames.json"))
ours = np.load(f"{out}/crit-1/frame-0.npy")
theirs = np.load(f"{out}/jax.npy")
r = ours.shape[0]
steps = frames["setup"]["steps"]
ours_rate = r * r * steps / ours_seconds
a, b = ours < 1, theirs < 1
agree = (a == b).mean()
# Boundary pixels of crit's image: a 4-neighbour of the other class.
boundary = np.zeros_like(a)
boundary[1:, :] |= a[1:, :] != a[:-1, :]
boundary[:-1, :] |= a[1:, :] != a[:-1, :]
boundary[:, 1:] |= a[:, 1:] != a[:, :-1]
boundary[:, :-1] |= a[:, 1:] != a[:, :-1]
by, bx = np.nonzero(boundary)
rows = []
for y, x in zip(*np.nonzero(a != b)):
    distance = np.sqrt((by - y) ** 2 + (bx - x) ** 2).min() if len(by) else float("inf")
    rows.append((int(y), int(x), float(ours[y, x]), float(theirs[y, x]), float(distance)))
print(f"crit {r}²×{steps} ({threads} thread(s)): {ours_rate:,.0f} pixel-steps/s "
      f"(best of {repeats}: training {', '.join(f'{t:.2f}' for t in ours_times)} s)")
peer_times = ", ".join(f"{p['seconds']:.2f}" for p in peers)
print(f"JAX {peer['jax_version']} ({threads} thread(s)): {peer['pixel_steps_per_second']:,.0f} "
      f"pixel-steps/s (best of {repeats}: training {peer_times} s, "
      f"+ {peer['compile_seconds']:.2f} s compile each)")
print(f"ratio crit / JAX: {ours_rate / peer['pixel_steps_per_second']:.2f}×")
print(f"classes equal on {100 * agree:.2f} % of {r * r} pixels ({len(rows)} differ); "
      f"converged: crit {a.sum()}, JAX {b.sum()}")
for y, x, m1, m2, d in rows[:20]:
    print(f"  pixel (row {y}, col {x}): crit {m1:.4g}, JAX {m2:.4g}, {d:.1f} px from crit's boundary")
if rows:
    d = np.array([row[4] for row in rows])
    print(f"disagreeing pixels within 1 px of the boundary: {(d <= 1).sum()} of {len(d)}; max distance {d.max():.1f} px")
PY
