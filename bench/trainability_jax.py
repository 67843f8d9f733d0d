#!/usr/bin/env python3
"""An independent JAX implementation of the fractal-trainability experiment, for `crit`'s
batched trainer to be checked and timed against.

Problem (Sohl-Dickstein 2024, arXiv:2402.06184): one hidden layer, no biases, one output,

    h = phi(g * X W0 / sqrt(d)),   yhat = h W1 / n,   L = mean((yhat - Y)^2),

phi = tanh, relu or identity, g = sqrt(2) for tanh and relu and 1 for identity (as in crit and
the author's notebook), full-batch gradient descent with one learning rate per
layer, W0 -= lr0 dL/dW0, W1 -= lr1 dL/dW1, float64, gradients by jax.grad.

Per pixel: L_t is the loss after update t (t = 1..T); the measure is the mean of the last
min(20, T) values of L_t / L_0, a non-finite value counting as 1e6; converged iff measure < 1.

Grid: r x r pixels, row-major; pixel (row, col) has u = U - W/2 + W (col + 0.5) / r,
v = V - W/2 + W (row + 0.5) / r, lr0 = 10**u, lr1 = 10**v. Output: float64 .npy, shape (r, r).

    python3 bench/trainability_jax.py --problem DIR --centre U V --width W --resolution R \
        --steps T [--activation tanh|relu|identity] [--threads K] [--devices D] [--chunk C] \
        --out measure.npy

DIR holds float64 .npy files x.npy (N x d), y.npy (N,), w0.npy (d x n), w1.npy (n,).
Install JAX with bench/install-jax.sh (this script installs nothing).

Threads: before JAX is imported the process is pinned (sched_setaffinity) to the first K of
the CPUs it may run on; XLA's CPU client sizes its thread pools from that mask. For K = 1,
XLA_FLAGS also gets --xla_cpu_multi_thread_eigen=false (no Eigen thread pool inside ops).
Pixels are independent and each one's operations are small (272 x 16 x 16), so XLA's
intra-op threads hardly help; for K > 1 the script by default makes D = K XLA host devices
(--xla_force_host_platform_device_count, Eigen threading off) and shards each chunk's pixels
over them (jit + NamedSharding), i.e. data parallelism. --devices 1 --threads 2 gives the
plain default (one device, XLA's own intra-op threads).
The pixels are trained C at a time (one vmapped, jitted call per chunk; the last chunk is
padded with copies of its first pixel, so only one shape is ever compiled). Small chunks
were fastest on a 2-vCPU EPYC VM (r = 32, T = 1000, tanh): about 36-40k pixel-steps/s
with K = 1, C = 1-2, falling to ~12k at C = 1024; about 49-58k with K = D = 2, C = 32.

Prints one JSON line: pixels, steps, seconds (training only: the function is lowered and
compiled ahead of time, and that time is reported separately as compile_seconds),
compile_seconds, pixel_steps_per_second, converged, jax_version (and threads, devices,
chunk, activation).
"""
import argparse
import json
import os
import sys
import time

import numpy as np

WINDOW = 20
NONFINITE = 1e6


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--problem", required=True, help="folder with x.npy, y.npy, w0.npy, w1.npy")
    p.add_argument("--centre", type=float, nargs=2, required=True, metavar=("U", "V"))
    p.add_argument("--width", type=float, required=True, help="view width in decades")
    p.add_argument("--resolution", type=int, required=True)
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--activation", choices=["tanh", "relu", "identity"], default="tanh")
    p.add_argument("--threads", type=int, default=0, help="0: leave XLA's default")
    p.add_argument("--chunk", type=int, default=None,
                   help="pixels per vmapped call, all devices together (default: 2 on one "
                   "device, 16 per device on several; the fastest measured on a 2-core EPYC VM)")
    p.add_argument("--devices", type=int, default=None,
                   help="split each chunk over this many XLA host devices, data parallel "
                   "(default: --threads when it is above 1, else 1)")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    if a.devices is None:
        a.devices = max(a.threads, 1)
    if a.chunk is None:
        a.chunk = 2 if a.devices == 1 else 16 * a.devices
    if min(a.resolution, a.steps, a.chunk, a.devices) < 1 or a.threads < 0:
        p.error("--resolution, --steps, --chunk, --devices must be positive, --threads >= 0")
    return a


def restrict_threads(k, devices):
    """Must run before jax is imported."""
    flags = os.environ.get("XLA_FLAGS", "")
    if devices > 1:
        flags += f" --xla_force_host_platform_device_count={devices}"
    if k > 0:
        allowed = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, allowed[:k])
        if k == 1 or devices > 1:
            flags += " --xla_cpu_multi_thread_eigen=false"
    os.environ["XLA_FLAGS"] = flags.strip()


def main():
    args = parse()
    restrict_threads(args.threads, args.devices)

    import jax

    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_platforms", "cpu")
    import jax.numpy as jnp
    from jax import lax

    load = lambda name: np.load(os.path.join(args.problem, name)).astype(np.float64)
    x, y, w0, w1 = load("x.npy"), load("y.npy").reshape(-1), load("w0.npy"), load("w1.npy")
    w1 = w1.reshape(-1)
    (points, d), n = x.shape, w0.shape[1]
    assert w0.shape == (d, n) and w1.shape == (n,) and y.shape == (points,), "problem shapes"

    phi = {
        "tanh": jnp.tanh,
        "relu": jax.nn.relu,
        "identity": lambda z: z,
    }[args.activation]
    gain = 1.0 if args.activation == "identity" else np.sqrt(2.0)

    def loss(params, X, Y):
        W0, W1 = params
        h = phi(gain * (X @ W0) / jnp.sqrt(d))
        yhat = h @ W1 / n
        return jnp.mean((yhat - Y) ** 2)

    value_and_grad = jax.value_and_grad(loss)
    steps = args.steps
    window = min(WINDOW, steps)

    def train_pixel(lr0, lr1, W0, W1, X, Y):
        """The measure of one pixel. value_and_grad at step k gives L(theta_k), the loss
        before update k+1 = the loss after update k; so the after-update losses L_1..L_{T-1}
        are the pre-update losses of steps 1..T-1, and L_T takes one more forward pass."""
        lrs = (lr0, lr1)

        def step(params, _):
            value, grads = value_and_grad(params, X, Y)
            params = jax.tree_util.tree_map(lambda p, g, lr: p - lr * g, params, grads, lrs)
            return params, value

        params = (W0, W1)
        initial = loss(params, X, Y)
        # Steps 0 .. T-window: nothing kept (their pre-update losses are L_0 .. L_{T-window}).
        params, _ = lax.scan(lambda c, _: (step(c, None)[0], None), params, None,
                             length=steps - window + 1)
        # Steps T-window+1 .. T-1: keep the pre-update losses L_{T-window+1} .. L_{T-1}.
        params, tail = lax.scan(step, params, None, length=window - 1)
        tail = jnp.concatenate([tail, loss(params, X, Y)[None]])
        v = tail / initial
        v = jnp.where(jnp.isfinite(v), v, NONFINITE)
        return jnp.mean(v)

    batched = jax.jit(jax.vmap(train_pixel, in_axes=(0, 0, None, None, None, None)))

    # The grid, row-major: col -> u -> lr0, row -> v -> lr1.
    r, (U, V), W = args.resolution, args.centre, args.width
    centres = W * (np.arange(r) + 0.5) / r
    u = U - W / 2 + centres
    v = V - W / 2 + centres
    lr0 = np.tile(10.0 ** u, r)          # varies along a row
    lr1 = np.repeat(10.0 ** v, r)        # constant along a row
    total = r * r
    ndev = args.devices
    chunk = min(args.chunk, total)
    chunk = -(-chunk // ndev) * ndev  # a whole number of pixels per device
    padded = -(-total // chunk) * chunk
    pad = lambda a: np.concatenate([a, np.full(padded - total, a[0])])
    lr0p, lr1p = pad(lr0), pad(lr1)

    # Learning rates split over the devices (GSPMD partitions the vmapped batch); the
    # problem replicated on each.
    from jax.sharding import Mesh, NamedSharding, PartitionSpec
    assert len(jax.devices()) >= ndev, f"only {len(jax.devices())} XLA devices"
    mesh = Mesh(np.array(jax.devices()[:ndev]), ("pixels",))
    split = NamedSharding(mesh, PartitionSpec("pixels"))
    whole = NamedSharding(mesh, PartitionSpec())
    W0d, W1d, Xd, Yd = (jax.device_put(np.asarray(a, np.float64), whole) for a in (w0, w1, x, y))
    rates = lambda a: jax.device_put(np.ascontiguousarray(a), split)

    # Ahead-of-time lowering and compilation, timed on its own.
    t0 = time.perf_counter()
    spec = jax.ShapeDtypeStruct((chunk,), jnp.float64, sharding=split)
    compiled = batched.lower(spec, spec, W0d, W1d, Xd, Yd).compile()
    compile_seconds = time.perf_counter() - t0

    # Training only (host->device copies of the learning rates included; they are tiny).
    out = np.empty(padded)
    t0 = time.perf_counter()
    results = []
    for s in range(0, padded, chunk):
        results.append(compiled(rates(lr0p[s:s + chunk]), rates(lr1p[s:s + chunk]), W0d, W1d, Xd, Yd))
    for i, res in enumerate(results):
        out[i * chunk:(i + 1) * chunk] = np.asarray(res)
    seconds = time.perf_counter() - t0

    measure = out[:total].reshape(r, r)
    np.save(args.out, measure)
    print(json.dumps({
        "pixels": total,
        "steps": steps,
        "seconds": seconds,
        "compile_seconds": compile_seconds,
        "pixel_steps_per_second": total * steps / seconds,
        "converged": int(np.sum(measure < 1)),
        "jax_version": jax.__version__,
        "threads": args.threads,
        "devices": ndev,
        "chunk": chunk,
        "activation": args.activation,
    }))


if __name__ == "__main__":
    sys.exit(main())
