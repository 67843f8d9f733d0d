#!/usr/bin/env python3
"""Reference values of PyTorch's torch.nn.utils.parametrizations.spectral_norm, in float64,
for the unit test of crit's SpectralNormalization (Tests/SteeringTests).

Eight cases: Linear layers with weight shapes (out, in) = (5,3), (3,5), (8,8), (16,4), each
with n_power_iterations k = 1 and 3. One numpy Generator (seed 0) serves all cases in that
order; per case it draws, standard normal and in this order: W (out x in, row-major), u0
(length out, then normalised), v0 (length in, then normalised), C (out x in) and x (length
in).

Per case: spectral_norm(layer, n_power_iterations=k) is registered with the module in
training mode; its buffers _u, _v are then overwritten with u0, v0 (replacing the 15
warm-up iterations done at registration) and parametrizations.weight.original with W. One
training-mode forward `layer.weight` runs k power iterations in PyTorch's order
    u <- normalize(W v),  v <- normalize(W^T u)     (eps 1e-12; u first, so u0 is unused)
and returns W_sn = W / sigma with sigma = u^T W v, u and v held constant for autograd.
Recorded: u, v after the iterations, sigma, W_sn, the loss
    L = sum_ij C_ij (W_sn)_ij^2 + sum_i (W_sn x)_i
with its gradients with respect to W_sn ("grad_W_sn") and to the raw weight
parametrizations.weight.original ("grad_W"); then, after layer.eval(), a second forward
"W_sn_eval" (no iteration: the stored u, v from the training forward). Also, for an
evaluation-mode check that differs from the training forward, "sigma_eval_u0v0" and
"W_sn_eval_u0v0": a fresh layer in eval mode with buffers u0, v0, i.e. W / (u0^T W v0).

Writes JSON (floats as Python repr, so they round-trip exactly) to the first argument,
default Tests/SteeringTests/Fixtures/spectral_norm_torch.json:
    {"torch_version", "dtype", "generator", "eps", "cases": [{"out", "in", "k", "W", "u0",
     "v0", "C", "x", "u", "v", "sigma", "W_sn", "loss", "grad_W_sn", "grad_W", "W_sn_eval",
     "sigma_eval_u0v0", "W_sn_eval_u0v0"}, ...]}
Matrices are lists of rows.
    python3 bench/spectral_norm_reference.py [OUT.json]
"""
import json
import os
import sys

import numpy as np
import torch
from torch.nn.utils.parametrizations import spectral_norm

SHAPES = [(5, 3), (3, 5), (8, 8), (16, 4)]
ITERATIONS = [1, 3]
EPS = 1e-12


def unit(rng, n):
    a = rng.standard_normal(n)
    return a / np.linalg.norm(a)


def matrix(t):
    return [[float(x) for x in row] for row in t.detach().tolist()]


def vector(t):
    return [float(x) for x in t.detach().tolist()]


def make_layer(out, inp, k, w, u, v, training):
    layer = torch.nn.Linear(inp, out)
    layer.train(True)
    spectral_norm(layer, n_power_iterations=k, eps=EPS)
    param = layer.parametrizations.weight
    with torch.no_grad():
        param[0]._u.copy_(torch.from_numpy(u))
        param[0]._v.copy_(torch.from_numpy(v))
        param.original.copy_(torch.from_numpy(w))
    layer.train(training)
    return layer


def case(rng, out, inp, k):
    w = rng.standard_normal((out, inp))
    u0 = unit(rng, out)
    v0 = unit(rng, inp)
    c = rng.standard_normal((out, inp))
    x = rng.standard_normal(inp)

    layer = make_layer(out, inp, k, w, u0, v0, training=True)
    param = layer.parametrizations.weight
    w_sn = layer.weight  # training forward: k power iterations, then W / sigma
    sn = param[0]
    u, v = sn._u.detach().clone(), sn._v.detach().clone()
    wt = torch.from_numpy(w)
    sigma = torch.vdot(u, torch.mv(wt, v))  # as _SpectralNorm.forward computes it

    w_sn_leaf = w_sn.detach().clone().requires_grad_(True)
    ct, xt = torch.from_numpy(c), torch.from_numpy(x)

    def loss_of(m):
        return (ct * m * m).sum() + (m @ xt).sum()

    loss = loss_of(w_sn)
    loss.backward()
    grad_w = param.original.grad.detach().clone()
    loss_of(w_sn_leaf).backward()
    grad_w_sn = w_sn_leaf.grad.detach().clone()

    # Self-checks against the closed forms (the test's formulas).
    assert torch.allclose(w_sn.detach(), wt / sigma, rtol=1e-13, atol=0)
    g = grad_w_sn
    closed = g / sigma - (g * wt).sum() / sigma**2 * torch.outer(u, v)
    assert torch.allclose(grad_w, closed, rtol=1e-10, atol=1e-12), (grad_w - closed).abs().max()
    uu, vv = torch.from_numpy(u0), torch.from_numpy(v0)
    for _ in range(k):
        uu = torch.nn.functional.normalize(wt @ vv, dim=0, eps=EPS)
        vv = torch.nn.functional.normalize(wt.T @ uu, dim=0, eps=EPS)
    assert torch.allclose(uu, u, rtol=1e-13, atol=1e-15) and torch.allclose(vv, v, rtol=1e-13, atol=1e-15)

    layer.eval()
    w_sn_eval = layer.weight
    assert torch.equal(sn._u, u) and torch.equal(sn._v, v), "eval mode changed u, v"

    fresh = make_layer(out, inp, k, w, u0, v0, training=False)
    w_sn_eval0 = fresh.weight
    sigma0 = torch.dot(torch.from_numpy(u0), wt @ torch.from_numpy(v0))

    return {
        "out": out, "in": inp, "k": k,
        "W": matrix(wt), "u0": vector(torch.from_numpy(u0)), "v0": vector(torch.from_numpy(v0)),
        "C": matrix(ct), "x": vector(xt),
        "u": vector(u), "v": vector(v), "sigma": float(sigma),
        "W_sn": matrix(w_sn), "loss": float(loss.detach()), "grad_W_sn": matrix(grad_w_sn),
        "grad_W": matrix(grad_w), "W_sn_eval": matrix(w_sn_eval),
        "sigma_eval_u0v0": float(sigma0), "W_sn_eval_u0v0": matrix(w_sn_eval0),
    }


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "Tests/SteeringTests/Fixtures/spectral_norm_torch.json"
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(0)  # registration draws (overwritten) come from torch's generator
    rng = np.random.default_rng(0)
    cases = [case(rng, out, inp, k) for (out, inp) in SHAPES for k in ITERATIONS]
    document = {
        "torch_version": torch.__version__,
        "dtype": "float64",
        "generator": "numpy.random.default_rng(0), shared by the cases in order; per case W, u0, v0, C, x",
        "eps": EPS,
        "cases": cases,
    }
    if os.path.dirname(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(document, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {path} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
