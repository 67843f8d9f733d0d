#!/usr/bin/env bash
# The trainability image, crit beside JAX (bench/trainability_jax.py, in both its forms:
# matmul, the chunk's networks stacked into wide products with hand-written gradients, and
# vmap, jit(vmap(...)) of one network's jax.value_and_grad step), on the same problem (crit
# writes the network and data as .npy; the JAX script reads them), the same view and the
# same thread count, one after the other on this machine. Prints the throughputs in
# pixel-steps/s (one row each: crit, JAX matmul, JAX vmap) and crit's ratio to each, and
# compares each JAX image with crit's pixel by pixel: the share of pixels of equal class, and
# where the disagreeing ones lie (their distance in pixels to the nearest boundary pixel of
# crit's image). Timings on a shared machine wander by 10–30 % between runs, so each of the
# three runs REPEATS times (default 3), alternating, and its best time counts (as timeit
# does); every time is printed.
# Then `crit bench trainability` on the same grid prints crit's arithmetic rate as a fraction of
# the float64 FMA peak probed in the same run. The last line, `RESULT {json}`, is what
# `crit bench all` collects.
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
  for form in matmul vmap; do
    python3 bench/trainability_jax.py --problem "$out/crit-1/problem" --centre 1.5 1.5 \
      --width 9 --resolution "$resolution" --steps "$steps" --activation "$activation" \
      --form "$form" --threads "$threads" --out "$out/jax-$form.npy" >"$out/jax-$form-$k.json"
  done
done
.build/release/crit bench trainability --resolution "$resolution" --steps "$steps" \
  --activation "$activation" --threads "$threads" | tee "$out/peak.txt"
python3 - "$out" "$threads" "$repeats" <<'PY'
import json, sys
import numpy as np

out, threads, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
# Training time only on both sides (crit's frame seconds; the peer's `seconds`, compile excluded).
ours_times = [json.load(open(f"{out}/crit-{k}/frames.json"))["frames"][0]["seconds"] for k in range(1, repeats + 1)]
forms = ("matmul", "vmap")
peers = {form: [json.load(open(f"{out}/jax-{form}-{k}.json")) for k in range(1, repeats + 1)]
         for form in forms}
best = {form: min(peers[form], key=lambda p: p["seconds"]) for form in forms}
ours_seconds = min(ours_times)
frames = json.load(open(f"{out}/crit-1/frames.json"))
ours = np.load(f"{out}/crit-1/frame-0.npy")
r = ours.shape[0]
steps = frames["setup"]["steps"]
ours_rate = r * r * steps / ours_seconds
a = ours < 1
# Boundary pixels of crit's image: a 4-neighbour of the other class.
boundary = np.zeros_like(a)
boundary[1:, :] |= a[1:, :] != a[:-1, :]
boundary[:-1, :] |= a[1:, :] != a[:-1, :]
boundary[:, 1:] |= a[:, 1:] != a[:, :-1]
boundary[:, :-1] |= a[:, 1:] != a[:, :-1]
by, bx = np.nonzero(boundary)
print(f"crit {r}²×{steps} ({threads} thread(s)): {ours_rate:,.0f} pixel-steps/s "
      f"(best of {repeats}: training {', '.join(f'{t:.2f}' for t in ours_times)} s)")
for form in forms:
    peer = best[form]
    peer_times = ", ".join(f"{p['seconds']:.2f}" for p in peers[form])
    print(f"JAX {peer['jax_version']} {form} ({threads} thread(s), chunk {peer['chunk']}): "
          f"{peer['pixel_steps_per_second']:,.0f} pixel-steps/s (best of {repeats}: training "
          f"{peer_times} s, + {peer['compile_seconds']:.2f} s compile each)")
for form in forms:
    print(f"ratio crit / JAX {form}: {ours_rate / best[form]['pixel_steps_per_second']:.2f}×")
for form in forms:
    theirs = np.load(f"{out}/jax-{form}.npy")
    b = theirs < 1
    rows = []
    for y, x in zip(*np.nonzero(a != b)):
        distance = np.sqrt((by - y) ** 2 + (bx - x) ** 2).min() if len(by) else float("inf")
        rows.append((int(y), int(x), float(ours[y, x]), float(theirs[y, x]), float(distance)))
    print(f"JAX {form}: classes equal on {100 * (a == b).mean():.2f} % of {r * r} pixels "
          f"({len(rows)} differ); converged: crit {a.sum()}, JAX {b.sum()}")
    for y, x, m1, m2, d in rows[:20]:
        print(f"  pixel (row {y}, col {x}): crit {m1:.4g}, JAX {m2:.4g}, {d:.1f} px from crit's boundary")
    if rows:
        d = np.array([row[4] for row in rows])
        print(f"  disagreeing pixels within 1 px of the boundary: {(d <= 1).sum()} of {len(d)}; max distance {d.max():.1f} px")
import re
peak = re.search(r"= ([0-9.]+) % of the float64 FMA peak probed in this run \(([^,]+),",
                 open(f"{out}/peak.txt").read())
agree = {form: 100 * (a == (np.load(f"{out}/jax-{form}.npy") < 1)).mean() for form in forms}
for form in forms:
    peer = best[form]
    print("RESULT " + json.dumps({
        "benchmark": f"trainability image {r}²×{steps}, tanh, float64 (JAX {form} form)",
        "setting": f"{threads} thread(s)", "unit": "pixel-steps/s", "higher_is_better": True,
        "crit": ours_rate, "peer": peer["pixel_steps_per_second"],
        "ratio": ours_rate / peer["pixel_steps_per_second"],
        "peer_name": f"JAX {peer['jax_version']}", "goal": 3 if form == "matmul" else None,
        "agreement": f"classes equal on {agree[form]:.2f} % of pixels",
        "note": (f"crit at {peak.group(1)} % of the float64 FMA peak ({peak.group(2)})"
                 if peak else "")}))
PY
