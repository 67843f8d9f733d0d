"""Reference values of the mean-field fixed point q* and χ₁ for tanh networks, computed
independently of crit with mpmath at 40 significant digits, written as a test fixture.

    python3 bench/meanfield_reference.py [Tests/TheoryTests/Fixtures/meanfield_tanh.json]

For σ_w² on a log grid over [0.1, 10⁶] and σ_b² ∈ {0, 0.05, 1}:

- q* solves q = σ_w² E[tanh²(√q z)] + σ_b² (z ~ N(0, 1)); the positive root where 0 is an
  unstable fixed point (σ_b² = 0, σ_w² > 1), 0 where it is the only one. Found by bisection to
  35 digits between 0 and σ_w² + σ_b² + 1 (E[tanh²] < 1 bounds q*).
- χ₁ = σ_w² E[sech⁴(√q* z)].

Each expectation is mpmath's tanh-sinh quadrature of f(√q z)·φ(z) over the real line split at
0, ±1/√q, ±4/√q, ±16/√q, ±1, ±4, ±8 and ±40 (the integrand varies on the scale 1/√q near 0
and on the scale 1 in the density's tails), with the tail beyond ±40 below 10⁻³⁴⁷.
"""
import json
import sys

import mpmath as mp

mp.mp.dps = 40


def expectation(f, q):
    s = mp.sqrt(q)
    density = lambda z: mp.exp(-z * z / 2) / mp.sqrt(2 * mp.pi)
    cuts = {mp.mpf(0), mp.mpf(40), mp.mpf(-40)}
    if s > 0:
        for c in [1 / s, 4 / s, 16 / s, mp.mpf(1), mp.mpf(4), mp.mpf(8)]:
            if c < 40:
                cuts.add(c)
                cuts.add(-c)
    points = sorted(cuts)
    return mp.quad(lambda z: f(s * z) * density(z), points)


def q_star(w, b):
    excess = lambda q: w * expectation(lambda x: mp.tanh(x) ** 2, q) + b - q
    low, high = mp.mpf(0), mp.mpf(w + b + 1)
    if b == 0:
        if w <= 1:
            return mp.mpf(0)
        low = mp.mpf("1e-30")
    for _ in range(400):
        mid = (low + high) / 2
        if excess(mid) > 0:
            low = mid
        else:
            high = mid
        if high - low < mp.mpf("1e-36") * high:
            break
    return (low + high) / 2


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "Tests/TheoryTests/Fixtures/meanfield_tanh.json"
    weights = ["0.1", "0.5", "1.5", "3", "10", "30", "100", "1000", "1e4", "1e5", "1e6"]
    cases = []
    for b in ["0", "0.05", "1"]:
        for w in weights:
            q = q_star(mp.mpf(w), mp.mpf(b))
            chi = mp.mpf(w) * expectation(lambda x: mp.sech(x) ** 4, q) if q > 0 else mp.mpf(w)
            cases.append({"sigma_w2": float(w), "sigma_b2": float(b),
                          "q_star": mp.nstr(q, 25), "chi1": mp.nstr(chi, 25)})
            print(w, b, mp.nstr(q, 12), mp.nstr(chi, 12), flush=True)
    json.dump({"method": "mpmath " + mp.__version__ + ", 40 digits, tanh-sinh quadrature",
               "activation": "tanh", "cases": cases}, open(path, "w"), indent=1)


if __name__ == "__main__":
    main()
