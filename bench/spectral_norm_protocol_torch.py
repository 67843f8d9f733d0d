#!/usr/bin/env python3
"""The spectral-normalisation protocol in PyTorch, as the peer of `crit train` on the same
CSV split (bench/compare-spectral-norm.sh drives both).

MLP 2 -> 64 (x8 hidden layers, ReLU) -> 2 in float32; He-normal weights (Kaiming normal,
fan_in, gain sqrt 2) on every layer, zero biases; Adam lr 1e-3 (PyTorch defaults otherwise);
mini-batch 64 reshuffled every epoch (the last, partial batch kept); cross-entropy; 100
epochs. With --spectral-norm, torch.nn.utils.parametrizations.spectral_norm with default
settings (one power iteration per training forward, eps 1e-12) on every hidden Linear layer
(the first 2->64 included), not on the readout; it is registered after the He
initialisation, so the network trains W/sigma(W) from the start. Test accuracy after the last
epoch in model.eval() mode (no power iteration: the stored u, v).

Data: --train and --test CSV files with the header x0,x1,label (two float features, label
0/1). Prints one line per seed, then the mean with a Student-t 95 % confidence interval;
--json PATH also writes {"spectral_norm", "accuracies", "mean", "ci95"} (and the settings).
    python3 bench/spectral_norm_protocol_torch.py --train T.csv --test S.csv [--spectral-norm]
        [--seeds 0,1,2,3,4] [--epochs 100] [--threads 1] [--json PATH]
"""
import argparse
import json
import math
import random
import time

import numpy as np
import torch
from torch.nn.utils.parametrizations import spectral_norm

WIDTH = 64
DEPTH = 8
BATCH = 64
LR = 1e-3

# Two-sided 95 % Student-t quantiles t_{0.975, df}, df = 1..30 (used without scipy).
T975 = [12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851,
        2.364624252, 2.306004135, 2.262157163, 2.228138852, 2.200985160, 2.178812830,
        2.160368656, 2.144786688, 2.131449546, 2.119905299, 2.109815578, 2.100922040,
        2.093024054, 2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
        2.059538553, 2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456]


def t_quantile(df):
    try:
        from scipy import stats
        return float(stats.t.ppf(0.975, df))
    except ImportError:
        return T975[df - 1] if df <= len(T975) else 1.959963985


def mean_ci95(values):
    n = len(values)
    m = sum(values) / n
    if n < 2:
        return m, float("nan")
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1))
    return m, t_quantile(n - 1) * sd / math.sqrt(n)


def load(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    x = torch.from_numpy(data[:, :2].astype(np.float32))
    y = torch.from_numpy(data[:, 2].astype(np.int64))
    return x, y


def make_model(normalise):
    widths = [2] + [WIDTH] * DEPTH + [2]
    layers = []
    for i in range(len(widths) - 1):
        linear = torch.nn.Linear(widths[i], widths[i + 1])
        torch.nn.init.kaiming_normal_(linear.weight, mode="fan_in", nonlinearity="relu")
        torch.nn.init.zeros_(linear.bias)
        hidden = i < len(widths) - 2
        if normalise and hidden:
            linear = spectral_norm(linear)
        layers.append(linear)
        if hidden:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def run(seed, train, test, normalise, epochs):
    torch.manual_seed(seed)
    np.random.seed(seed)
    random.seed(seed)
    model = make_model(normalise)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()
    x, y = train
    n = x.shape[0]
    for _ in range(epochs):
        model.train()
        order = torch.randperm(n)
        for start in range(0, n, BATCH):
            idx = order[start:start + BATCH]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        tx, ty = test
        accuracy = (model(tx).argmax(dim=1) == ty).double().mean().item()
    return accuracy


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", required=True)
    parser.add_argument("--test", required=True)
    parser.add_argument("--seeds", default="0,1,2,3,4")
    parser.add_argument("--spectral-norm", action="store_true")
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", dest="json_path")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    train, test = load(args.train), load(args.test)
    condition = "spectral-norm" if args.spectral_norm else "none"
    accuracies = []
    start = time.perf_counter()
    for seed in seeds:
        accuracy = run(seed, train, test, args.spectral_norm, args.epochs)
        accuracies.append(accuracy)
        print(f"seed {seed}: test accuracy {accuracy:.4f}", flush=True)
    m, h = mean_ci95(accuracies)
    seconds = time.perf_counter() - start
    print(f"{condition}: mean test accuracy {m:.4f} ± {h:.4f} (95 % CI, n={len(accuracies)}; "
          f"torch {torch.__version__}, {args.epochs} epochs, {seconds:.0f} s)")
    if args.json_path:
        summary = {
            "spectral_norm": args.spectral_norm, "accuracies": accuracies, "mean": m, "ci95": h,
            "seeds": seeds, "epochs": args.epochs, "torch_version": torch.__version__,
        }
        with open(args.json_path, "w") as f:
            json.dump(summary, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
