"""Fits the samples `crit bench powerlaw` wrote with the `powerlaw` package (Alstott et al.
2014), the common Python implementation of Clauset, Shalizi & Newman (2009).

    python3 bench/powerlaw_reference.py runs/powerlaw-samples
"""
import sys

import numpy as np
import powerlaw

directory = sys.argv[1] if len(sys.argv) > 1 else "runs/powerlaw-samples"
print(f"powerlaw {powerlaw.__version__}")
print("sample      alpha   sigma   x_min    KS D    tail  R/(s*sqrt(n)) vs lognormal  p")
for name in ["pareto-2.5", "pareto-3.5", "lognormal"]:
    data = np.loadtxt(f"{directory}/{name}.txt")
    fit = powerlaw.Fit(data, discrete=False, verbose=False)
    r, p = fit.distribution_compare("power_law", "lognormal", normalized_ratio=True)
    print(
        f"{name:10s}  {fit.power_law.alpha:.4f}  {fit.power_law.sigma:.4f}  {fit.power_law.xmin:.4g}"
        f"  {fit.power_law.D:.4f}  {np.sum(data >= fit.power_law.xmin):5d}  {r:+.3f}  {p:.3g}"
    )
