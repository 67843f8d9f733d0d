"""Reference values for the comparison-table test (Tests/ReportTests/ComparisonTableTests.swift).

The fixture: groups none (baseline), a, b, c in blocks t1, t2; each run a (seed, value,
diverged) triple. The rule under test: a diverged run or one without a finite value is left
out; paired t-test over complete pairs when the group's seeds all have a baseline run, Welch
otherwise; Holm over every comparison of the table (group-major order); Hedges' g over the
runs that count, with the exact bias correction J(nu) = Gamma(nu/2)/(sqrt(nu/2) Gamma((nu-1)/2)).

    python3 -m venv /tmp/statsenv && /tmp/statsenv/bin/pip install scipy statsmodels
    /tmp/statsenv/bin/python bench/comparison_reference.py
"""

import math

import numpy as np
from scipy import special, stats
from statsmodels.stats.meta_analysis import effectsize_smd
from statsmodels.stats.multitest import multipletests

NAN = float("nan")
# (seed, value or None, diverged)
FIXTURE = {
    "none": {
        "t1": [(0, 80.1, False), (1, 82.4, False), (2, 79.0, False), (3, 81.7, False), (4, 80.9, False)],
        "t2": [(0, 0.61, False), (1, 0.58, False), (2, None, False), (3, 0.66, False), (4, 0.63, False)],
    },
    "a": {
        "t1": [(0, 83.0, False), (1, 84.9, False), (2, 81.2, False), (3, 12.0, True), (4, 83.5, False)],
        "t2": [(0, 0.55, False), (1, 0.57, False), (2, 0.52, False), (3, 0.60, False), (4, NAN, False)],
    },
    "b": {
        "t1": [(0, 79.5, False), (1, 82.0, False), (2, 79.9, False), (3, 80.2, False), (4, 81.1, False)],
        "t2": [(0, 0.70, False), (1, None, False), (2, 0.64, True), (3, 0.69, False), (4, 0.71, False)],
    },
    # Seeds without a baseline partner: Welch.
    "c": {
        "t1": [(10, 85.2, False), (11, 86.0, False), (12, 84.1, False), (13, 85.5, False)],
        "t2": [(10, 0.50, False), (11, 0.47, False), (12, 0.52, False)],
    },
}


def usable(run):
    seed, value, diverged = run
    return None if diverged or value is None or not math.isfinite(value) else value


def hedges_g(a, b):
    nu = len(a) + len(b) - 2
    pooled = math.sqrt(((len(a) - 1) * np.var(a, ddof=1) + (len(b) - 1) * np.var(b, ddof=1)) / nu)
    j = math.exp(special.gammaln(nu / 2) - special.gammaln((nu - 1) / 2)) / math.sqrt(nu / 2)
    return j * (np.mean(a) - np.mean(b)) / pooled


rows = []
for group in ["a", "b", "c"]:
    for block in ["t1", "t2"]:
        cond = FIXTURE[group][block]
        base = FIXTURE["none"][block]
        base_by_seed = {r[0]: r for r in base}
        paired = all(s in base_by_seed for s, *_ in cond)
        a = [v for v in map(usable, cond) if v is not None]
        b = [v for v in map(usable, base) if v is not None]
        if paired:
            pairs = [(usable(r), usable(base_by_seed[r[0]])) for r in cond]
            pairs = [(x, y) for x, y in pairs if x is not None and y is not None]
            x, y = zip(*pairs)
            test = stats.ttest_rel(x, y)
            kind, diff = "paired", float(np.mean(np.subtract(x, y)))
        else:
            test = stats.ttest_ind(a, b, equal_var=False)
            kind, diff = "Welch", float(np.mean(a) - np.mean(b))
        g = hedges_g(a, b)
        g_sm, _ = effectsize_smd(np.mean(a), np.std(a, ddof=1), len(a), np.mean(b), np.std(b, ddof=1), len(b))
        rows.append((group, block, kind, diff, float(test.pvalue), g, float(g_sm)))

holm = multipletests([r[4] for r in rows], method="holm")[1]
for (group, block, kind, diff, p, g, g_sm), h in zip(rows, holm):
    print(f"{group} {block} {kind:6s} diff={diff!r} p={p!r} holm={float(h)!r} g={g!r} g_statsmodels={float(g_sm)!r}")

# Mean ± half-width of the 95 % Student-t interval of each cell's runs that count.
for group, blocks in FIXTURE.items():
    for block, runs in blocks.items():
        v = [x for x in map(usable, runs) if x is not None]
        half = stats.t.ppf(0.975, len(v) - 1) * np.std(v, ddof=1) / math.sqrt(len(v))
        print(f"{group} {block} mean={np.mean(v)!r} half={half!r} n={len(v)}")
