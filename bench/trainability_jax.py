#!/usr/bin/env python3
"""An independent JAX implementation of the fractal-trainability experiment, for `crit`'s
batched trainer to be checked and timed against.

Problem (Sohl-Dickstein 2024, arXiv:2402.06184): one hidden layer, no biases, one output,

    h = phi(g * X W0 / sqrt(d)),   yhat = h W1 / n,   L = mean((yhat - Y)^2),

phi = tanh, relu or identity, g = sqrt(2) for tanh and relu and 1 for identity (as in crit and
the author's notebook), full-batch gradient descent with one learning rate per
layer, W0 -= lr0 dL/dW0, W1 -= lr1 dL/dW1, float64.

Per pixel: L_t is the loss after update t (t = 1..T); the measure is the mean of the last
min(20, T) values of L_t / L_0, a non-finite value counting as 1e6; converged iff measure < 1.

Grid: r x r pixels, row-major; pixel (row, col) has u = U - W/2 + W (col + 0.5) / r,
v = V - W/2 + W (row + 0.5) / r, lr0 = 10**u, lr1 = 10**v. Output: float64 .npy, shape (r, r).

    python3 bench/trainability_jax.py --problem DIR --centre U V --width W --resolution R \
        --steps T [--activation tanh|relu|identity] [--form matmul|vmap] [--threads K] \
        [--devices D] [--chunk C] --out measure.npy

DIR holds float64 .npy files x.npy (N x d), y.npy (N,), w0.npy (d x n), w1.npy (n,).
Install JAX with bench/install-jax.sh (this script installs nothing).

Two forms of the same computation, both trained C pixels at a time by one jitted call per
chunk (lax.scan over the steps inside):

- vmap: one pixel's step written as for a single network (gradients by jax.value_and_grad),
  then jit(vmap(...)) over the chunk's learning rates.
- matmul (default): all pixels share X and Y and differ only in their weights, so the chunk's
  first layers are stacked side by side, W0s (d x nC, pixel-major columns), and each step is
  A = X W0s (one N x d x nC product), h = phi(g A / sqrt(d)) seen as (N, C, n),
  yhat[:, c] = h[:, c, :] W1s[c] / n, then backpropagation written out by hand:
  dL/dyhat = 2 (yhat - Y) / N, dW1s[c, j] = sum_p dyhat[p, c] h[p, c, j] / n,
  dA = dyhat W1s / n * phi'(.) * g / sqrt(d) (tanh: 1 - h^2; relu: step; identity: 1),
  dW0s = X^T dA (the second N x d x nC product). W0s is stored transposed (nC x d), so that
  both products contract over a contiguous axis (A^T = W0s^T X^T, dW0s^T = dA^T X); that
  was about 1.5x faster than the (d x nC) layout on a 2-vCPU EPYC VM.
The two forms compute the same measures up to rounding (their sums run in different
orders). Near the boundary, at large learning rates, training is chaotic and amplifies those
last-bit differences, so measures there can differ widely and a pixel whose measure is close
to 1 can change class (bench/trainability_jax_forms_check.py compares the two forms).

Threads: before JAX is imported the process is pinned (sched_setaffinity) to the first K of
the CPUs it may run on; XLA's CPU client sizes its thread pools from that mask. For K = 1,
XLA_FLAGS also gets --xla_cpu_multi_thread_eigen=false (no Eigen thread pool inside ops).
Pixels are independent, so for K > 1 the script by default makes D = K XLA host devices
(--xla_force_host_platform_device_count, Eigen threading off) and splits each chunk's pixels
over them, i.e. data parallelism (vmap form: jit + NamedSharding of the learning rates;
matmul form: shard_map, each device stacking and training its own share of the chunk).
--devices 1 --threads 2 gives the plain default (one device, XLA's own intra-op threads).
The last chunk is padded with copies of its first pixel, so only one shape is ever compiled.
Default chunks, the fastest measured on a 2-vCPU EPYC VM (r = 32, tanh): vmap, 2 pixels on
one device and 16 per device on several (each pixel's operations are small, 272 x 16 x 16:
T = 1000, about 36-40k pixel-steps/s with K = 1, C = 1-2, falling to ~12k at C = 1024; about
49-58k with K = D = 2, C = 32); matmul, 16 pixels per device (T = 300, K = 1: C = 8-32 about
equally fast, C = 256 about half as fast, its (C, n, N) arrays no longer fitting in L2).
In both forms XLA's float64 tanh (about 4-5 ns a value there) takes most of the time.

Prints one JSON line: pixels, steps, seconds (training only: the function is lowered and
compiled ahead of time, and that time is reported separately as compile_seconds),
compile_seconds, pixel_steps_per_second, converged, jax_version (and form, threads, devices,
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
    p.add_argument("--form", choices=["matmul", "vmap"], default="matmul",
                   help="matmul: the chunk's networks stacked into wide matrix products, "
                   "gradients by hand; vmap: jit(vmap(...)) of one network's step, gradients "
                   "by jax.value_and_grad")
    p.add_argument("--threads", type=int, default=0, help="0: leave XLA's default")
    p.add_argument("--chunk", type=int, default=None,
                   help="pixels per jitted call, all devices together (default: matmul 16 per "
                   "device; vmap 2 on one device, 16 per device on several; the fastest "
                   "measured on a 2-core EPYC VM)")
    p.add_argument("--devices", type=int, default=None,
                   help="split each chunk over this many XLA host devices, data parallel "
                   "(default: --threads when it is above 1, else 1)")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    if a.devices is None:
        a.devices = max(a.threads, 1)
    if a.chunk is None:
        if a.form == "matmul":
            a.chunk = 16 * a.devices
        else:
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

    # phi' expressed through h = phi(z), which the forward pass keeps.
    dphi = {
        "tanh": lambda h: 1 - h * h,
        "relu": lambda h: (h > 0).astype(h.dtype),
        "identity": None,
    }[args.activation]

    def train_chunk(lr0, lr1, W0, W1, X, Y):
        """The measures of C pixels (C = len(lr0)) at once, their networks side by side:
        W0s = [W0 W0 ... W0] (d x nC, pixel c in columns cn .. cn + n - 1), W1s (C x n).
        W0s is kept transposed, nC x d (see the module's docstring): A^T = W0s^T X^T (nC x N),
        dW0s^T = dA^T X (nC x d). The losses are indexed as in train_pixel: the forward pass
        of step k gives L_k, the loss after update k."""
        C = lr0.shape[0]
        scale = gain / jnp.sqrt(d)
        XT = X.T
        lr0_rows = jnp.repeat(lr0, n)[:, None]         # (nC, 1), pixel-major like W0s^T
        lr1_rows = lr1[:, None]                        # (C, 1)

        def forward(W0t, W1s):
            h = phi(scale * (W0t @ XT)).reshape(C, n, points)   # h[c, j, p], one product
            yhat = jnp.sum(h * W1s[:, :, None], axis=1) / n      # (C, N)
            residual = yhat - Y[None, :]
            return h, residual, jnp.mean(residual * residual, axis=1)

        def step(params, _):
            W0t, W1s = params
            h, residual, value = forward(W0t, W1s)
            dyhat = (2.0 / points) * residual                    # dL/dyhat, (C, N)
            dW1s = jnp.sum(dyhat[:, None, :] * h, axis=2) / n    # (C, n)
            dA = dyhat[:, None, :] * W1s[:, :, None] / n         # dL/dh, (C, n, N)
            if dphi is not None:
                dA = dA * dphi(h)
            dW0t = (dA * scale).reshape(C * n, points) @ X       # dL/dW0s^T, (nC, d)
            return (W0t - lr0_rows * dW0t, W1s - lr1_rows * dW1s), value

        params = (jnp.tile(W0.T, (C, 1)), jnp.tile(W1[None, :], (C, 1)))
        initial = forward(*params)[2]
        params, _ = lax.scan(lambda c, _: (step(c, None)[0], None), params, None,
                             length=steps - window + 1)
        params, tail = lax.scan(step, params, None, length=window - 1)  # (window - 1, C)
        tail = jnp.concatenate([tail, forward(*params)[2][None]])
        v = tail / initial[None]
        v = jnp.where(jnp.isfinite(v), v, NONFINITE)
        return jnp.mean(v, axis=0)

    if args.form == "vmap":
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

    # Learning rates split over the devices (vmap: GSPMD partitions the vmapped batch;
    # matmul: shard_map, each device training its share of the chunk); the problem
    # replicated on each.
    from jax.sharding import Mesh, NamedSharding, PartitionSpec
    assert len(jax.devices()) >= ndev, f"only {len(jax.devices())} XLA devices"
    mesh = Mesh(np.array(jax.devices()[:ndev]), ("pixels",))
    split = NamedSharding(mesh, PartitionSpec("pixels"))
    whole = NamedSharding(mesh, PartitionSpec())
    if args.form == "matmul":
        P = PartitionSpec
        batched = jax.jit(jax.shard_map(train_chunk, mesh=mesh,
                                        in_specs=(P("pixels"), P("pixels"), P(), P(), P(), P()),
                                        out_specs=P("pixels"), check_vma=False))
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
        "form": args.form,
        "threads": args.threads,
        "devices": ndev,
        "chunk": chunk,
        "activation": args.activation,
    }))


if __name__ == "__main__":
    sys.exit(main())
