#!/usr/bin/env python3
"""The seed experiment (protocol seed-poc) in PyTorch, as the peer of `crit demo`.

Same protocol and the same per-epoch metrics: two moons (the exact points `crit demo` wrote
to <run>/data/*.npy), MLP 2->64->64->64->2 ReLU with He-normal weights and zero biases, Adam
(lr 1e-3), mini-batch 64 reshuffled every epoch, 200 epochs, conditions baseline and
spectral penalty lambda * sum_l (sigma_max(W_l) - tau)^2 on the hidden layers (tau = 1,
lambda = 0.1; sigma_max and its gradient through torch.linalg.matrix_norm(ord=2)), five
seeds. After every epoch: train/test loss and accuracy; per layer sigma_max and stable rank;
per hidden layer the dead-unit rate and chi1; the sensitivity by finite differences
(eps = 1e-3, a random unit direction per input) and by the exact Jacobian; the Jacobian's
singular values; the decision boundary's box-counting dimension on a 256x256 grid over the
training inputs' bounding box widened by 10 % (every pixel evaluated; boxes 2..64).

Prints one JSON object: wall time, and per condition the final metrics of every seed.
"""
import argparse
import json
import math
import time

import numpy as np
import torch


def load(directory):
    def arr(name):
        return torch.from_numpy(np.load(f"{directory}/{name}.npy").astype(np.float32))
    return arr("train_x"), arr("train_y").long(), arr("test_x"), arr("test_y").long()


def make_model(seed):
    torch.manual_seed(seed)
    layers = []
    widths = [2, 64, 64, 64, 2]
    for i in range(4):
        linear = torch.nn.Linear(widths[i], widths[i + 1])
        torch.nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
        torch.nn.init.zeros_(linear.bias)
        layers.append(linear)
    return layers


def forward(layers, x, record=None):
    h = x
    for i, layer in enumerate(layers[:-1]):
        z = layer(h)
        h = torch.relu(z)
        if record is not None:
            record.append((z, h))
    return layers[-1](h)


def box_dimension(mask):
    side = mask.shape[0]
    sizes = [s for s in [2, 4, 8, 16, 32, 64, 128, 256] if s <= side // 4]
    counts = []
    for s in sizes:
        boxes = mask.reshape(side // s, s, side // s, s).any(axis=(1, 3))
        counts.append(int(boxes.sum()))
    x = -np.log(sizes)
    y = np.log(np.maximum(counts, 1))
    return float(np.polyfit(x, y, 1)[0])


def indicators(layers, x, grid, generator):
    out = {}
    with torch.no_grad():
        record = []
        forward(layers, x, record)
        for l, layer in enumerate(layers):
            s = torch.linalg.svdvals(layer.weight.double())
            out[f"sigma_max_l{l}"] = float(s[0])
            out[f"stable_rank_l{l}"] = float((s ** 2).sum() / s[0] ** 2)
            if l < len(record):
                z, h = record[l]
                out[f"dead_rate_l{l}"] = float(((h.abs() > 1e-5).sum(0) == 0).float().mean())
                row = (layer.weight.double() ** 2).sum(1)
                out[f"chi1_l{l}"] = float((((z > 0).double()) * row).mean())
        delta = torch.randn(x.shape, generator=generator, dtype=torch.float64)
        delta = delta / delta.norm(dim=1, keepdim=True)
        xd = x.double()
        dlayers = [(layer.weight.double(), layer.bias.double()) for layer in layers]

        def f(inp):
            h = inp
            for w, b in dlayers[:-1]:
                h = torch.relu(h @ w.T + b)
            w, b = dlayers[-1]
            return h @ w.T + b

        eps = 1e-3
        out["sensitivity_fd"] = float(((f(xd + eps * delta) - f(xd)).norm(dim=1) / eps).mean())
    jac = torch.func.vmap(torch.func.jacrev(f))(xd)  # (n, out, in)
    out["sensitivity_jacobian"] = float(torch.einsum("noi,ni->no", jac, delta).norm(dim=1).mean())
    sv = torch.linalg.svdvals(jac)
    out["jacobian_sv_mean"] = float(sv.mean())
    out["jacobian_sv_spread"] = float(sv.std(unbiased=False))
    with torch.no_grad():
        labels = forward(layers, grid).argmax(1).reshape(256, 256).numpy()
    boundary = np.zeros_like(labels, dtype=bool)
    boundary[:, :-1] |= labels[:, :-1] != labels[:, 1:]
    boundary[:-1, :] |= labels[:-1, :] != labels[1:, :]
    out["boundary_dimension"] = box_dimension(boundary)
    return out


def run(seed, penalty, args, data, grid):
    train_x, train_y, test_x, test_y = data
    layers = make_model(seed)
    params = [p for layer in layers for p in layer.parameters()]
    optimizer = torch.optim.Adam(params, lr=1e-3)
    generator = torch.Generator().manual_seed(seed)
    rows = []
    for epoch in range(args.epochs):
        order = torch.randperm(len(train_x), generator=generator)
        for start in range(0, len(train_x), 64):
            index = order[start:start + 64]
            optimizer.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(forward(layers, train_x[index]), train_y[index])
            if penalty:
                for layer in layers[:-1]:
                    sigma = torch.linalg.matrix_norm(layer.weight, ord=2)
                    loss = loss + args.penalty_weight * (sigma - args.target) ** 2
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            row = {"epoch": epoch + 1}
            for name, x, y in [("train", train_x, train_y), ("test", test_x, test_y)]:
                logits = forward(layers, x)
                row[f"{name}_loss"] = float(torch.nn.functional.cross_entropy(logits, y))
                row[f"{name}_accuracy"] = float((logits.argmax(1) == y).float().mean())
        row.update(indicators(layers, train_x, grid, generator))
        rows.append(row)
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, help="directory with train_x.npy … (from crit demo)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--penalty-weight", type=float, default=0.1)
    parser.add_argument("--target", type=float, default=1.0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    data = load(args.data)
    x = data[0].numpy()
    lo, hi = x.min(0), x.max(0)
    pad = np.maximum(hi - lo, 1e-6) * 0.1
    lo, hi = lo - pad, hi + pad
    centres = (np.arange(256) + 0.5) / 256
    gx = lo[0] + centres * (hi[0] - lo[0])
    gy = lo[1] + centres * (hi[1] - lo[1])
    grid = torch.tensor(np.stack(np.meshgrid(gx, gy), -1).reshape(-1, 2), dtype=torch.float32)
    start = time.perf_counter()
    result = {"threads": args.threads, "torch": torch.__version__, "conditions": {}}
    for name, penalty in [("baseline", False), (f"spectral-tau{args.target:g}", True)]:
        result["conditions"][name] = [run(seed, penalty, args, data, grid)[-1] for seed in range(args.seeds)]
    result["seconds"] = time.perf_counter() - start
    print(json.dumps(result))


if __name__ == "__main__":
    main()
