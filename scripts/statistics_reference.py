"""Reference values for Tests/StatisticsTests, computed with SciPy and statsmodels.

Run: python3 scripts/statistics_reference.py   (pip install scipy statsmodels)
Every expected value in the statistics tests is printed here, with the call that made it.
"""
import numpy as np
import scipy
import scipy.special
import scipy.stats as st
from statsmodels.stats.multitest import multipletests

a = [0.912, 0.934, 0.951, 0.897, 0.944, 0.930, 0.921]
b = [0.881, 0.902, 0.915, 0.873, 0.920, 0.899, 0.931, 0.865, 0.908]
print("scipy", scipy.__version__)
r = st.ttest_ind(a, b, equal_var=False)
print("welch", repr(r.statistic), repr(r.pvalue), repr(r.df))
r = st.ttest_rel(a[:5], b[:5])
print("paired", repr(r.statistic), repr(r.pvalue), repr(r.df))
ci = st.t.interval(0.95, len(a) - 1, loc=np.mean(a), scale=st.sem(a))
print("t interval", repr(ci[0]), repr(ci[1]))
p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04]
print("holm", [repr(x) for x in multipletests(p, method="holm")[1]])
nu = len(a) + len(b) - 2
sp = np.sqrt(((len(a) - 1) * np.var(a, ddof=1) + (len(b) - 1) * np.var(b, ddof=1)) / nu)
j = scipy.special.gamma(nu / 2) / (np.sqrt(nu / 2) * scipy.special.gamma((nu - 1) / 2))
print("hedges g", repr(j * (np.mean(a) - np.mean(b)) / sp), "J", repr(j))
