#!/usr/bin/env python3
"""The seed-network training loop in PyTorch, for `crit bench seed` to be compared against.

Same loop as Experiments/Benchmarks.swift: two moons (1000 points, noise 0.2, 80/20 split ->
800 training points), MLP 2->64->64->64->2 ReLU, Adam (lr 1e-3), mini-batch 64, a fresh
random permutation each epoch, cross-entropy loss. Only the training epochs are timed (no
evaluation). Prints one JSON line: {"epochsPerSecond": ..., "threads": ..., "torch": ...}.
"""
import argparse
import json
import math
import time

import torch


def moons(n, noise, generator):
    n_out = n // 2
    n_in = n - n_out
    t_out = torch.linspace(0, math.pi, n_out, dtype=torch.float64)
    t_in = torch.linspace(0, math.pi, n_in, dtype=torch.float64)
    x = torch.cat([
        torch.stack([torch.cos(t_out), torch.sin(t_out)], 1),
        torch.stack([1 - torch.cos(t_in), 1 - torch.sin(t_in) - 0.5], 1),
    ])
    y = torch.cat([torch.zeros(n_out, dtype=torch.long), torch.ones(n_in, dtype=torch.long)])
    perm = torch.randperm(n, generator=generator)
    x = x[perm] + noise * torch.randn(n, 2, generator=generator, dtype=torch.float64)
    return x.float(), y[perm]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    generator = torch.Generator().manual_seed(0)
    x, y = moons(1000, 0.2, generator)
    x, y = x[:800], y[:800]
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(2, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    def epoch():
        order = torch.randperm(len(x))
        loss = None
        for start in range(0, len(x), 64):
            index = order[start:start + 64]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[index]), y[index])
            loss.backward()
            optimizer.step()
        return loss.item()

    for _ in range(5):
        epoch()
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        for _ in range(args.epochs):
            last = epoch()
        times.append(time.perf_counter() - start)
    times.sort()
    seconds = times[len(times) // 2]
    print(json.dumps({
        "epochsPerSecond": args.epochs / seconds,
        "threads": args.threads,
        "torch": torch.__version__,
        "finalLoss": last,
    }))


if __name__ == "__main__":
    main()
