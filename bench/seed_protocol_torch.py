#!/usr/bin/env python3
"""The seed experiment (protocol seed-poc) in PyTorch, as the peer of `crit demo`.

Same protocol and the same per-epoch metrics: two moons (the exact points `crit demo` wrote
to <run>/data/*.npy), MLP 2->64->64->64->2 ReLU with He-normal weights and zero biases, Adam
(lr 1e-3), mini-batch 64 reshuffled every epoch, 200 epochs, conditions baseline and
spectral penalty lambda * sum_l (sigma_max(W_l) - tau)^2 on the hidden layers (tau = 1,
lambda = 0.1), five seeds. After every epoch: train/test loss and accuracy; per layer
sigma_max and stable rank; per hidden layer the dead-unit rate and chi1; the sensitivity by
finite differences (eps = 1e-3, a random unit direction per input) and by the exact
Jacobian; the Jacobian's singular values; the decision boundary's box-counting dimension on
a 256x256 grid over the training inputs' bounding box widened by 10 % (every pixel
evaluated; boxes 2..64).

How it is computed (written for speed, as a PyTorch user would for many small runs):
- Training: float32, Adam with fused=True (one kernel for all parameters), each epoch's
  permutation applied once and the batches taken as slices.
- The penalty's sigma_max by power iteration (the spectral-normalisation trick), with crit's
  stopping rule: under no_grad, warm-started from the previous step's vectors, all hidden
  layers iterate together (batched on their Gram matrices, zero-padded to a common width,
  four iterations at a time through (W^T W)^4) until every triplet's residual
  ||W^T u - sigma v|| is at most 1e-2 sigma, or 48 iterations; then sigma_l = u_l^T W_l v_l
  carries the gradient u_l v_l^T, the exact gradient of sigma_max at convergence. No SVD in
  the step. (Like crit's, the iteration can follow the former top singular pair for a while
  when the penalty pushes it below the next one: a singular vector passes the residual test.)
- Metrics: one float32 forward over the training set gives its loss and accuracy and the
  activations for the dead-unit rate and chi1; one float64 forward over [x, x + eps
  delta] gives the finite-difference sensitivity and the ReLU masks; the exact input-output
  Jacobian of every point is the forward-mode product W3 diag(m2) W2 diag(m1) W1 diag(m0) W0
  (both input tangents of all points in one GEMM per layer), its 2x2 singular values in
  closed form. sigma_max and stable rank by torch.linalg.svdvals in float64. The grid's
  65 536 pixels go through the network in cache-sized chunks into preallocated buffers;
  box counting reduces the boundary image 2x2 at a time.
- --compile wraps the loss (forward, penalty) and the optimizer step in torch.compile.
  Measured on a 2-core CPU (torch 2.13, one thread, 1 seed x 50 epochs of both
  conditions) it did not pay: 92 s with a cold compile cache and 10.5 s with a warm one,
  against 5.6 s eager; a compiled step took about as long as an eager one (1.25 against
  1.10 ms without the penalty, 1.9 against 2.2 ms with it). Off by default.
- --processes P runs the (condition, seed) runs in P worker processes (fork), each with
  torch.set_num_threads(1), the way to use a P-core machine for independent small runs;
  without it (P = 1) the runs go one after the other in this process with
  torch.set_num_threads(--threads). Results are the same either way (one thread per run in
  both cases when --threads 1). On a 2-core machine that a build kept busy, 2 seeds x 50
  epochs took 12 and 11 s with --threads 1, 12 s with --processes 2, and 74 and 118 s with
  --threads 2 (torch's OpenMP threads wait on each other when a core is taken).
- The clock starts after the data are loaded and after one throw-away optimizer step: the
  first Adam step of a process imports torch._dynamo (about 3 s here), a library load like
  `import torch`, which is also outside the clock.
bench/seed_protocol_torch_check.py checks these computations against the direct ones
(torch.linalg.matrix_norm(ord=2), torch.func.jacrev, svdvals, the unchunked grid) on the same
weights.

Prints one JSON object: wall time ("seconds"), "threads" (per process), "processes",
"compile", "torch", and per condition the final metrics of every seed (with the penalty, also
the mean power iterations per step over the last quarter of training).
    python3 bench/seed_protocol_torch.py --data DIR [--threads 2] [--processes 1] [--compile]
        [--seeds 5] [--epochs 200] [--penalty-weight 0.1] [--target 1]
"""
import argparse
import json
import multiprocessing
import time

import numpy as np
import torch
import torch.nn.functional as F

WIDTHS = (2, 64, 64, 64, 2)
BATCH = 64
LR = 1e-3
EPS = 1e-3
DEAD_THRESHOLD = 1e-5
GRID = 256
GRID_CHUNK = 4096
POWER_TOLERANCE = 1e-2
POWER_MAX_ITERATIONS = 48  # crit: 50; here a multiple of PowerIteration.BLOCK


def load(directory):
    def arr(name):
        return torch.from_numpy(np.load(f"{directory}/{name}.npy").astype(np.float32))
    return arr("train_x"), arr("train_y").long(), arr("test_x"), arr("test_y").long()


def make_grid(train_x):
    x = train_x.numpy()
    lo, hi = x.min(0), x.max(0)
    pad = np.maximum(hi - lo, 1e-6) * 0.1
    lo, hi = lo - pad, hi + pad
    centres = (np.arange(GRID) + 0.5) / GRID
    gx = lo[0] + centres * (hi[0] - lo[0])
    gy = lo[1] + centres * (hi[1] - lo[1])
    return torch.tensor(np.stack(np.meshgrid(gx, gy), -1).reshape(-1, 2), dtype=torch.float32)


def make_model(seed):
    """[(W, b)] per layer: He-normal weights, zero biases (the same draws as nn.Linear + init)."""
    torch.manual_seed(seed)
    params = []
    for i in range(len(WIDTHS) - 1):
        linear = torch.nn.Linear(WIDTHS[i], WIDTHS[i + 1])
        torch.nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
        torch.nn.init.zeros_(linear.bias)
        params.append((linear.weight, linear.bias))
    return params


def forward(params, x):
    h = x
    for w, b in params[:-1]:
        h = torch.relu(F.linear(h, w, b))
    w, b = params[-1]
    return F.linear(h, w, b)


class PowerIteration:
    """Top singular triplets of a list of matrices with the same number of rows, warm-started
    across calls (the right vectors persist). All matrices iterate together on their Gram
    matrices G = W^T W, zero-padded to the widest (padding adds zero singular values and keeps
    v in the matrix's own columns). One iteration v <- G v / ||G v|| is crit's
    v <- W^T u / ||W^T u||, u <- W v / ||W v||; they go BLOCK at a time (v <- G^BLOCK v, G^BLOCK
    by repeated squaring once per call), so a step pays a few tensor ops per block instead of
    per iteration. After each block the residual test: with sigma^2 = v^T G v and p = G v the
    triplet's residual is ||W^T u - sigma v|| = sqrt(||p||^2 - sigma^4) / sigma, so
    residual <= tol sigma reads ||p|| <= sigma^2 sqrt(1 + tol^2)."""

    BLOCK = 4

    def __init__(self, weights, seed, tolerance=POWER_TOLERANCE, cap=POWER_MAX_ITERATIONS):
        self.weights = weights
        self.columns = [w.shape[1] for w in weights]
        width = max(self.columns)
        self.stack = torch.zeros(len(weights), weights[0].shape[0], width)
        generator = torch.Generator().manual_seed(seed + 17)
        v = torch.zeros(len(weights), 1, width)
        for l, n in enumerate(self.columns):
            v[l, 0, :n] = torch.randn(n, generator=generator)
        self.v = v / torch.linalg.vector_norm(v, dim=2, keepdim=True)
        self.bound = (1 + tolerance ** 2) ** 0.5
        self.cap = cap
        self.history = []

    @torch.no_grad()
    def update(self):
        """Returns the per-layer (u, v) (detached), v cut to each matrix's width."""
        for l, w in enumerate(self.weights):
            self.stack[l, :, :self.columns[l]].copy_(w)
        gram = torch.bmm(self.stack.mT, self.stack)
        power = gram
        for _ in range(self.BLOCK.bit_length() - 1):
            power = torch.bmm(power, power)
        v = self.v
        iterations = 0
        while iterations < self.cap:
            p = torch.bmm(v, power)
            v = p / torch.linalg.vector_norm(p, dim=2, keepdim=True)
            iterations += self.BLOCK
            p = torch.bmm(v, gram)  # (G v)^T, (L, 1, n)
            norm = torch.linalg.vector_norm(p, dim=2, keepdim=True)
            if float((norm / torch.bmm(p, v.mT)).max()) <= self.bound:
                break
        self.v = v
        self.history.append(iterations)
        u = torch.bmm(v, self.stack.mT)  # (W v)^T
        u = u / torch.linalg.vector_norm(u, dim=2, keepdim=True)
        return [(u[l, 0], v[l, 0, :n]) for l, n in enumerate(self.columns)]


def penalty_loss(weights, vectors, weight, target):
    """lambda sum_l (u_l^T W_l v_l - tau)^2: the gradient through sigma is u_l v_l^T."""
    sigmas = torch.stack([torch.vdot(u, torch.mv(w, v)) for w, (u, v) in zip(weights, vectors)])
    return weight * ((sigmas - target) ** 2).sum()


def box_dimension(boundary):
    """Least-squares slope of log N(s) on -log s, s = 2..side/4; N(2s) from N(s) by 2x2 any."""
    side = boundary.shape[0]
    sizes, counts = [], []
    boxes, s = boundary, 1
    while 2 * s <= side // 4:
        k = boxes.shape[0] // 2
        boxes = boxes.reshape(k, 2, k, 2).any(axis=(1, 3))
        s *= 2
        sizes.append(s)
        counts.append(int(boxes.sum()))
    x = -np.log(np.asarray(sizes, dtype=np.float64))
    y = np.log(np.maximum(np.asarray(counts, dtype=np.float64), 1))
    xc = x - x.mean()
    return float((xc * (y - y.mean())).sum() / (xc * xc).sum())


class Metrics:
    """Per-epoch metrics of one run; buffers for the grid are allocated once."""

    def __init__(self, data, grid):
        self.train_x, self.train_y, self.test_x, self.test_y = data
        self.train_xd = self.train_x.double()
        self.grid = grid
        self.buffers = (torch.empty(GRID_CHUNK, WIDTHS[1]), torch.empty(GRID_CHUNK, WIDTHS[2]))
        self.logits = torch.empty(GRID_CHUNK, WIDTHS[-1])
        self.labels = torch.empty(grid.shape[0], dtype=torch.bool)

    @torch.no_grad()
    def __call__(self, params, generator):
        out = {}
        hidden = len(params) - 1
        # Float32 forward over the training set: loss, accuracy, dead units, chi1.
        h, actives = self.train_x, []
        for w, b in params[:-1]:
            z = F.linear(h, w, b)
            h = torch.relu(z)
            actives.append(h)
        logits = F.linear(h, *params[-1])
        out["train_loss"] = float(F.cross_entropy(logits, self.train_y))
        out["train_accuracy"] = float((logits.argmax(1) == self.train_y).float().mean())
        logits = forward(params, self.test_x)
        out["test_loss"] = float(F.cross_entropy(logits, self.test_y))
        out["test_accuracy"] = float((logits.argmax(1) == self.test_y).float().mean())

        dweights = [(w.double(), b.double()) for w, b in params]
        for l, (w, _) in enumerate(dweights):
            s = torch.linalg.svdvals(w)
            out[f"sigma_max_l{l}"] = float(s[0])
            out[f"stable_rank_l{l}"] = float((s ** 2).sum() / s[0] ** 2)
            if l < hidden:
                # h = relu(z): h > 1e-5 (live) exactly when z > 1e-5, h > 0 (the ReLU's
                # derivative, for chi1) exactly when z > 0.
                h = actives[l]
                out[f"dead_rate_l{l}"] = float((~(h > DEAD_THRESHOLD).any(0)).double().mean())
                active = (h > 0).double().mean(0)
                out[f"chi1_l{l}"] = float((active * (w ** 2).sum(1)).mean())

        # Float64 forward over [x, x + eps delta]: finite differences and the ReLU masks.
        delta = torch.randn(self.train_xd.shape, generator=generator, dtype=torch.float64)
        delta = delta / delta.norm(dim=1, keepdim=True)
        n = self.train_xd.shape[0]
        h, masks = torch.cat([self.train_xd, self.train_xd + EPS * delta]), []
        for w, b in dweights[:-1]:
            z = torch.addmm(b, h, w.T)
            masks.append(z[:n] > 0)
            h = z.relu_()
        f = torch.addmm(dweights[-1][1], h, dweights[-1][0].T)
        out["sensitivity_fd"] = float(((f[n:] - f[:n]).norm(dim=1) / EPS).mean())

        # Forward-mode Jacobian: t[i, k] = d h_l(x_i) / d x_k, both k at once.
        w0 = dweights[0][0]
        t = masks[0].unsqueeze(1) * w0.T.unsqueeze(0)  # (n, 2, 64)
        for (w, _), mask in zip(dweights[1:-1], masks[1:]):
            t = (t.reshape(-1, w.shape[1]) @ w.T).reshape(n, 2, -1) * mask.unsqueeze(1)
        jt = t @ dweights[-1][0].T  # (n, in, out): the transposed Jacobian
        out["sensitivity_jacobian"] = float(torch.linalg.vector_norm(
            torch.bmm(delta.unsqueeze(1), jt).squeeze(1), dim=1).mean())
        a, b, c, d = jt[:, 0, 0], jt[:, 0, 1], jt[:, 1, 0], jt[:, 1, 1]
        p, q = torch.hypot(a + d, b - c), torch.hypot(a - d, b + c)
        sv = torch.cat([(p + q) / 2, (p - q).abs() / 2])
        out["jacobian_sv_mean"] = float(sv.mean())
        out["jacobian_sv_spread"] = float(sv.std(unbiased=False))

        out["boundary_dimension"] = box_dimension(self.boundary(params))
        return out

    def boundary(self, params):
        """Pixels whose label differs from the right or lower neighbour's, (GRID, GRID) bool."""
        (w0, b0), (w1, b1), (w2, b2), (w3, b3) = params
        a, c = self.buffers
        for start in range(0, self.grid.shape[0], GRID_CHUNK):
            x = self.grid[start:start + GRID_CHUNK]
            m = x.shape[0]
            torch.addmm(b0, x, w0.T, out=a[:m]).relu_()
            torch.addmm(b1, a[:m], w1.T, out=c[:m]).relu_()
            torch.addmm(b2, c[:m], w2.T, out=a[:m]).relu_()
            logits = torch.addmm(b3, a[:m], w3.T, out=self.logits[:m])
            torch.gt(logits[:, 1], logits[:, 0], out=self.labels[start:start + m])  # argmax
        labels = self.labels.numpy().reshape(GRID, GRID)
        boundary = np.zeros_like(labels)
        boundary[:, :-1] |= labels[:, :-1] != labels[:, 1:]
        boundary[:-1, :] |= labels[:-1, :] != labels[1:, :]
        return boundary


def run(seed, penalty, args, data, grid, observer=None):
    """Trains one run; returns its last epoch's metrics. `observer` (for the check script) sees
    every step's weights and power-iteration vectors and every epoch's weights and metrics."""
    train_x, train_y = data[0], data[1]
    params = make_model(seed)
    flat = [p for layer in params for p in layer]
    optimizer = torch.optim.Adam(flat, lr=LR, fused=True)
    hidden = [w for w, _ in params[:-1]]
    power = PowerIteration(hidden, seed) if penalty else None
    metrics = Metrics(data, grid)
    generator = torch.Generator().manual_seed(seed)

    def loss_fn(xb, yb, vectors):
        loss = F.cross_entropy(forward(params, xb), yb)
        if vectors is not None:
            loss = loss + penalty_loss(hidden, vectors, args.penalty_weight, args.target)
        return loss

    step = optimizer.step
    if args.compile:
        loss_fn = torch.compile(loss_fn)
        step = torch.compile(optimizer.step)

    n = len(train_x)
    row = {}
    for epoch in range(args.epochs):
        order = torch.randperm(n, generator=generator)
        xs, ys = train_x[order], train_y[order]
        for start in range(0, n, BATCH):
            optimizer.zero_grad(set_to_none=True)
            vectors = power.update() if power is not None else None
            if observer is not None:
                observer.step(params, vectors)
            loss_fn(xs[start:start + BATCH], ys[start:start + BATCH], vectors).backward()
            step()
        row = {"epoch": epoch + 1}
        state = generator.get_state() if observer is not None else None
        row.update(metrics(params, generator))
        if observer is not None:
            observer.epoch(params, state, row)
    if power is not None:
        # Mean iterations per step over the last quarter of training. crit reports this mean
        # per layer; here the layers iterate together, so it is the slowest layer's count,
        # in whole blocks.
        window = power.history[-(len(power.history) // 4 or 1):]
        row["power_iterations_per_step"] = sum(window) / len(window)
    return row


_worker = {}


def _init_worker(args, data, grid):
    torch.set_num_threads(1)
    _worker.update(args=args, data=data, grid=grid)


def _run_task(task):
    name, penalty, seed = task
    return name, seed, run(seed, penalty, _worker["args"], _worker["data"], _worker["grid"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, help="directory with train_x.npy … (from crit demo)")
    parser.add_argument("--threads", type=int, default=2,
                        help="torch threads when the runs go one after the other (--processes 1)")
    parser.add_argument("--processes", type=int, default=1,
                        help="worker processes, one torch thread each (1: runs in this process)")
    parser.add_argument("--compile", action="store_true", help="torch.compile the step (slower here)")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--penalty-weight", type=float, default=0.1)
    parser.add_argument("--target", type=float, default=1.0)
    args = parser.parse_args()
    data = load(args.data)
    grid = make_grid(data[0])
    conditions = [("baseline", False), (f"spectral-tau{args.target:g}", True)]
    tasks = [(name, penalty, seed) for name, penalty in conditions for seed in range(args.seeds)]
    processes = max(1, min(args.processes, len(tasks)))
    threads = 1 if processes > 1 else args.threads
    result = {"threads": threads, "processes": processes, "compile": args.compile,
              "torch": torch.__version__, "conditions": {name: [None] * args.seeds for name, _ in conditions}}
    # The first optimizer step imports torch._dynamo (seconds, once per process); like
    # `import torch` it happens before the clock starts (and before the workers fork; with
    # workers this process keeps to one thread, so no OpenMP pool exists at the fork).
    torch.set_num_threads(threads)
    warm = torch.zeros(1, requires_grad=True)
    warm.grad = torch.zeros(1)
    torch.optim.Adam([warm], lr=LR, fused=True).step()
    start = time.perf_counter()
    if processes == 1:
        finished = [(name, seed, run(seed, penalty, args, data, grid)) for name, penalty, seed in tasks]
    else:
        # Penalty runs are the longer ones: hand them out first.
        tasks.sort(key=lambda task: not task[1])
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with context.Pool(processes, _init_worker, (args, data, grid)) as pool:
            finished = list(pool.imap_unordered(_run_task, tasks))
    for name, seed, final in finished:
        result["conditions"][name][seed] = final
    result["seconds"] = time.perf_counter() - start
    print(json.dumps(result))


if __name__ == "__main__":
    main()
