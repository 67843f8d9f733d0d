#!/usr/bin/env python3
"""The NNGP kernel matrix of P random inputs and its full eigendecomposition with
neural-tangents on the CPU, for crit's kernel code (Sources/Theory/NeuralKernel.swift) to be
timed against on the same machine.

    bash bench/install-neural-tangents.sh && python3 bench/neural_kernels_bench.py --threads 2
    python3 bench/neural_kernels_bench.py --points 2048 --threads 1 --json

Problem: P points x_i ~ N(0, I_d) (numpy.random.default_rng(seed), float64; defaults P = 8192,
d = 64); the network stax.serial([Dense(1, W_std, b_std), Relu()] * 3, Dense(1, W_std, b_std)),
W_std = sqrt 2, b_std = 0.1 (the NNGP is the same in NTK and standard parameterisation); the
P x P NNGP matrix K = kernel_fn(x, None, get="nngp") in float64, then all eigenvalues and
eigenvectors of K.

Kernel: stax.serial's kernel_fn, jitted (jax.jit(kernel_fn, static_argnames="get")), and
nt.batch(kernel_fn, batch_size=b) for the --batch-sizes that divide P (nt.batch jits its
blocks itself); each candidate gets one warm-up call (compilation) and then the best of
--repeats timed calls (block_until_ready); the fastest candidate is the one reported
(batch_size 0: no nt.batch). compile_seconds is the time jax.jit(kernel_fn).lower(...).compile()
takes at the full size, measured on its own (the warm-up calls compile again).

Eigendecomposition: jnp.linalg.eigh (jitted, compiled ahead of time, symmetrize_input=False:
K is symmetric), numpy.linalg.eigh and, if scipy is present, scipy.linalg.eigh with driver
"evd" (divide and conquer; also "evr", MRRR). All are LAPACK's syevd/syevr on an OpenBLAS.
With --eigh auto (the default) each one is timed on the leading min(P, --probe) x
min(P, --probe) block of K, and the fastest is then run once on the whole of K; the
conversion of the JAX array K to a numpy array counts in eigh_seconds. --eigh all times every
method on the whole of K (slow: minutes each at P = 8192).

Spectrum with projections (what the scaling analysis needs: every eigenvalue and the squared
projection (u_k . y)^2 of one target y, standard normal with seed --seed + 1, on every unit
eigenvector): two routes, the faster reported as spectrum_seconds. "eigh": the
decomposition above plus (V^T y)^2 (its eigh time plus one matrix-vector product).
"tridiagonal": no eigenvectors formed, as crit does it -- a Householder reflector H with
H y = +-|y| e1 applied to both sides of K (a rank-2 update in NumPy), scipy's dsytrd (one-stage
Householder tridiagonalisation of the lower triangle, whose reflectors leave e1 fixed), then the
tridiagonal matrix's eigenvalues and eigenvectors by MRRR (scipy's dstemr, O(P^2)), of which
only the first components are used: (u_k . y)^2 = |y|^2 z_1k^2. LAPACK has a two-stage
tridiagonalisation (dsytrd_2stage) that SciPy does not expose. The two routes' projections are
checked against each other.

Threads: --threads N must hold for everything. Before numpy, scipy or jax is imported,
OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS are set to N and XLA_FLAGS gets
--xla_cpu_multi_thread_eigen=<N > 1> intra_op_parallelism_threads=N. Those flags alone do
not hold XLA to one thread (its elementwise loops are still split over every CPU: 1.5 cores
used at N = 1 on a 2-core machine; intra_op_parallelism_threads is not an XLA flag at all),
so the process is also pinned (sched_setaffinity) to the first N of the CPUs it may run on,
from which XLA sizes its thread pool. kernel_cores and eigh_cores report the process's CPU
time over wall time in the timed sections, which stay at or below N.

Timing needs an otherwise idle machine: a second busy process (a build) on a 2-core machine
makes a 2-thread OpenBLAS eigh several times slower. background_cores reports the CPU time
that other processes used during the timed sections (from /proc/stat, less this process's
own) over wall time; a warning goes to stderr when it is above 0.1, or when other processes
use over 0.1 cores in the second before the start.

Measured on a 2-vCPU AMD EPYC VM, otherwise idle (background_cores under 0.02), P = 8192:
kernel 6.9-7.2 s at --threads 1 and 3.5-3.9 s at --threads 2 (no nt.batch: batching was
slower at every batch size, 9-19 s and 5-8 s); eigh 105-116 s at 1 thread and 60-70 s at 2.
The syevd routes (jax, numpy, scipy-evd) were within 6% of each other at the full size, and
scipy-evr 6-15% slower; which one wins the 2048 probe is noise. Compilation: 0.2-0.7 s.

Output: a short report on stdout, or with --json one JSON object: points, dimension, threads,
kernel_seconds, eigh_seconds, total_seconds (their sum; compilation excluded),
compile_seconds, eigh_method, batch_size, kernel_candidates (batch size -> best seconds),
eigh_candidates (method -> seconds, at probe_points), probe_points, kernel_cores, eigh_cores,
spectrum_seconds, spectrum_total_seconds (kernel plus spectrum), spectrum_method,
spectrum_candidates (route -> seconds), largest_projection_difference (between the routes,
over |y|^2), background_cores {kernel, eigh}, versions {neural_tangents, jax, numpy, scipy}.
"""
import argparse
import json
import math
import os
import resource
import sys
import time

W_STD = math.sqrt(2.0)
B_STD = 0.1
DEPTH = 3
METHODS = ["jax", "numpy", "scipy-evd", "scipy-evr"]


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--points", type=int, default=8192)
    p.add_argument("--dimension", type=int, default=64)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch-sizes", default="0,1024,2048,4096",
                   help="nt.batch batch sizes to try, comma separated; 0: no nt.batch")
    p.add_argument("--repeats", type=int, default=3, help="timed kernel calls per candidate")
    p.add_argument("--eigh", choices=["auto", "all"] + METHODS, default="auto")
    p.add_argument("--probe", type=int, default=2048,
                   help="matrix size on which --eigh auto compares the methods")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    a = p.parse_args()
    if min(a.points, a.dimension, a.threads, a.repeats, a.probe) < 1:
        p.error("--points, --dimension, --threads, --repeats, --probe must be positive")
    return a


def restrict_threads(n):
    """Must run before numpy, scipy and jax are imported."""
    allowed = sorted(os.sched_getaffinity(0))
    if n > len(allowed):
        sys.exit(f"--threads {n}: only {len(allowed)} CPUs available")
    os.sched_setaffinity(0, allowed[:n])
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(n)
    eigen = "true" if n > 1 else "false"
    flags = os.environ.get("XLA_FLAGS", "")
    flags += f" --xla_cpu_multi_thread_eigen={eigen} intra_op_parallelism_threads={n}"
    os.environ["XLA_FLAGS"] = flags.strip()


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def busy_seconds():
    """CPU time of all processes on the machine (user, nice, system, irq, softirq, steal),
    or None where /proc/stat cannot be read."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return sum(fields[i] for i in (0, 1, 2, 5, 6, 7)) / os.sysconf("SC_CLK_TCK")


class Clock:
    """Wall time, this process's CPU time and the other processes' CPU time of a section."""

    def __enter__(self):
        self.t0, self.c0, self.b0 = time.perf_counter(), cpu_seconds(), busy_seconds()
        return self

    def __exit__(self, *_):
        self.seconds = time.perf_counter() - self.t0
        self.cpu = cpu_seconds() - self.c0
        b1 = busy_seconds()
        self.background = None if b1 is None else max(b1 - self.b0 - self.cpu, 0.0)


def main():
    args = parse()
    restrict_threads(args.threads)
    with Clock() as idle:
        time.sleep(1.0)
    if idle.background is not None and idle.background > 0.1:
        print(f"warning: other processes are using {idle.background:.2f} cores: the machine "
              "is not idle, timings will be slow", file=sys.stderr)

    import numpy as np
    import jax

    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_platforms", "cpu")
    import jax.numpy as jnp
    import neural_tangents as nt
    from neural_tangents import stax

    try:
        import scipy
        import scipy.linalg
    except ImportError:
        scipy = None

    P, d = args.points, args.dimension
    x = jnp.asarray(np.random.default_rng(args.seed).standard_normal((P, d)))

    layers = []
    for _ in range(DEPTH):
        layers += [stax.Dense(1, W_std=W_STD, b_std=B_STD), stax.Relu()]
    layers.append(stax.Dense(1, W_std=W_STD, b_std=B_STD))
    _, _, kernel_fn = stax.serial(*layers)

    # Compilation, timed on its own; then every candidate warmed up once and timed by the best
    # of --repeats calls.
    t0 = time.perf_counter()
    jax.jit(kernel_fn, static_argnames="get").lower(x, None, get="nngp").compile()
    compile_seconds = time.perf_counter() - t0
    sizes = [int(s) for s in args.batch_sizes.split(",")]
    sizes = [s for s in sizes if s == 0 or (s < P and P % s == 0)] or [0]
    candidates = {}
    best = None
    for size in sizes:
        if size == 0:
            fn = jax.jit(kernel_fn, static_argnames="get")
        else:
            fn = nt.batch(kernel_fn, batch_size=size)
        fn(x, None, get="nngp").block_until_ready()
        seconds = []
        with Clock() as clock:
            for _ in range(args.repeats):
                t0 = time.perf_counter()
                k = fn(x, None, get="nngp").block_until_ready()
                seconds.append(time.perf_counter() - t0)
                del k
        candidates[size] = min(seconds)
        if best is None or min(seconds) < candidates[best[0]]:
            best = (size, fn, clock)
    batch_size, fn, kernel_clock = best
    kernel_seconds = candidates[batch_size]
    kernel = fn(x, None, get="nngp").block_until_ready()
    assert kernel.shape == (P, P) and kernel.dtype == jnp.float64

    # Eigendecomposition. Each method takes the JAX array and returns (eigenvalues,
    # eigenvectors); the compiled JAX function is built before the clock starts.
    def method(name, n):
        if name == "jax":
            eigh = jax.jit(lambda a: jnp.linalg.eigh(a, symmetrize_input=False))
            compiled = eigh.lower(jax.ShapeDtypeStruct((n, n), jnp.float64)).compile()
            return lambda a: jax.block_until_ready(compiled(a))
        if name == "numpy":
            return lambda a: np.linalg.eigh(np.asarray(a))
        driver = name.split("-")[1]
        return lambda a: scipy.linalg.eigh(np.array(a), driver=driver, overwrite_a=True,
                                           check_finite=False)

    def timed(run, a):
        with Clock() as clock:
            w, v = run(a)
        return clock, (w, v)

    methods = [m for m in METHODS if scipy is not None or not m.startswith("scipy")]
    probe = min(P, args.probe)
    eigh_candidates = {}
    if args.eigh == "auto":
        block = kernel[:probe, :probe].block_until_ready()
        for name in methods:
            eigh_candidates[name] = timed(method(name, probe), block)[0].seconds
        del block
        chosen = min(eigh_candidates, key=eigh_candidates.get)
    elif args.eigh == "all":
        probe = P
        full = {}
        for name in methods:
            full[name] = timed(method(name, P), kernel)[0]
            eigh_candidates[name] = full[name].seconds
        chosen = min(eigh_candidates, key=eigh_candidates.get)
    else:
        chosen = args.eigh
    eigh_clock, (w, v) = timed(method(chosen, P), kernel)
    if args.eigh == "all" and full[chosen].seconds < eigh_clock.seconds:
        eigh_clock = full[chosen]
    eigh_seconds = eigh_clock.seconds
    kernel_cores = kernel_clock.cpu / kernel_clock.seconds
    eigh_cores = eigh_clock.cpu / eigh_clock.seconds
    background = {
        "kernel": None if kernel_clock.background is None
        else kernel_clock.background / kernel_clock.seconds,
        "eigh": None if eigh_clock.background is None
        else eigh_clock.background / eigh_clock.seconds,
    }
    busy = {k: b for k, b in background.items() if b is not None and b > 0.1}
    if busy:
        print("warning: other processes used "
              + ", ".join(f"{b:.2f} cores during the {k}" for k, b in busy.items()),
              file=sys.stderr)

    # A cheap check of the result: the eigenvalues add up to the trace, and the top pair
    # satisfies K v = w v.
    w, v = np.asarray(w), np.asarray(v)
    trace = float(jnp.trace(kernel))
    assert w.shape == (P,) and v.shape == (P, P)
    assert abs(w.sum() - trace) <= 1e-9 * trace, (w.sum(), trace)
    top = np.asarray(kernel) @ v[:, -1]
    assert np.linalg.norm(top - w[-1] * v[:, -1]) <= 1e-9 * abs(w[-1])

    # Spectrum with projections of one target, by the two routes.
    y = np.random.default_rng(args.seed + 1).standard_normal(P)
    with Clock() as clock:
        by_eigh = (v.T @ y) ** 2
    spectrum_candidates = {"eigh": eigh_seconds + clock.seconds}
    spectrum_clock = clock
    if scipy is not None:
        from scipy.linalg import lapack

        with Clock() as tri_clock:
            a = np.array(kernel, order="F")
            norm = np.linalg.norm(y)
            h = y.copy()
            h[0] += norm if y[0] >= 0 else -norm
            tau = 2.0 / (h @ h)
            w_ = tau * (a @ h)
            w_ -= 0.5 * tau * (h @ w_) * h
            a -= np.outer(h, w_)
            a -= np.outer(w_, h)
            c, dd, e, _, info = lapack.dsytrd(a, lower=1, overwrite_a=1)
            assert info == 0, info
            del a, c
            ee = np.zeros(P)
            ee[: P - 1] = e
            _, wt, z, info = lapack.dstemr(dd, ee, 0, 0.0, 0.0, 0, 0, compute_v=1)
            assert info == 0, info
            by_tridiagonal = norm * norm * z[0, :] ** 2
        spectrum_candidates["tridiagonal"] = tri_clock.seconds
        order = np.argsort(wt)
        assert np.allclose(wt[order], w, rtol=0, atol=1e-9 * abs(w).max())
        largest_difference = float(np.abs(by_tridiagonal[order] - by_eigh).max() / (y @ y))
    else:
        largest_difference = None
    spectrum_method = min(spectrum_candidates, key=spectrum_candidates.get)
    spectrum_seconds = spectrum_candidates[spectrum_method]

    result = {
        "points": P,
        "dimension": d,
        "threads": args.threads,
        "kernel_seconds": kernel_seconds,
        "eigh_seconds": eigh_seconds,
        "total_seconds": kernel_seconds + eigh_seconds,
        "compile_seconds": compile_seconds,
        "eigh_method": chosen,
        "spectrum_seconds": spectrum_seconds,
        "spectrum_total_seconds": kernel_seconds + spectrum_seconds,
        "spectrum_method": spectrum_method,
        "spectrum_candidates": spectrum_candidates,
        "largest_projection_difference": largest_difference,
        "batch_size": batch_size,
        "kernel_candidates": {str(s): t for s, t in candidates.items()},
        "eigh_candidates": eigh_candidates,
        "probe_points": probe if eigh_candidates else None,
        "kernel_cores": kernel_cores,
        "eigh_cores": eigh_cores,
        "background_cores": background,
        "versions": {
            "neural_tangents": nt.__version__,
            "jax": jax.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__ if scipy is not None else None,
        },
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"NNGP of {P} points, d = {d}, ReLU depth {DEPTH}, {args.threads} thread(s)")
    for s, t in candidates.items():
        print(f"  kernel, batch_size {s:5d}: {t:8.3f} s")
    print(f"  kernel: {kernel_seconds:.3f} s (batch_size {batch_size}, "
          f"compile {compile_seconds:.2f} s, {kernel_cores:.2f} cores)")
    for name, t in eigh_candidates.items():
        print(f"  eigh {name:9s} at {probe}: {t:8.3f} s")
    print(f"  eigh: {eigh_seconds:.3f} s ({chosen}, {eigh_cores:.2f} cores)")
    print(f"  total: {kernel_seconds + eigh_seconds:.3f} s")
    for name, t in spectrum_candidates.items():
        print(f"  spectrum with projections, {name:11s}: {t:8.3f} s")
    print(f"  total with the spectrum: {kernel_seconds + spectrum_seconds:.3f} s "
          f"(largest projection difference {largest_difference})")
    if None not in background.values():
        print(f"  other processes: {background['kernel']:.2f} cores during the kernel, "
              f"{background['eigh']:.2f} during the eigh")
    print(f"  {json.dumps(result['versions'])}")


if __name__ == "__main__":
    main()
