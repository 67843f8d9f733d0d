"""Compares `crit analyze` with WeightWatcher 0.7.7, field by field, on a fixed set of matrices.

    python3 bench/compare_weightwatcher.py [--crit .build/release/crit] [--subset small]
                                           [--no-trained] [--json OUT.json] [--work DIR]

The matrices (all float32 .npy, C order, written to the work directory) are

- synthetic, generated with numpy's Generator from a seed derived from the file name (so each
  matrix is the same whatever the set it runs in): standard Gaussian, Gaussian scaled by 1e-3
  (most eigenvalues below WeightWatcher's 1e-5 fit threshold), Student-t with ν = 2, 3, 4, 5,
  rank 1–10 signal plus Gaussian noise, and sparse (90–99 % zeros, Gaussian nonzeros); square,
  tall and wide, smaller side 16 to 2048 -- among them 256×128 Gaussian, Student-t(3) 512×256
  and rank-5-plus-noise 300×150;
- trained (with --trained, the default for the full set): the 2-D tensors with smaller side
  ≥ 16 of the `model.safetensors` checkpoints of three `crit train` runs (moons, a
  teacher-student regression and spirals), saved as `trained-<run>-<tensor>.npy`.

For each matrix W (shape out×in) WeightWatcher is run as a user would: W becomes the weight of
`torch.nn.Linear(in, out, bias=False)` in a `torch.nn.Sequential`, and
`WeightWatcher(model=model).analyze(mp_fit=True, detX=True, randomize=False, plot=False)`
gives row 0. CUDA is hidden from torch before it is imported, so WeightWatcher takes its CPU
path (SciPy's SVD of W in float64) whatever the machine. The trace-log Σ_{λ ≥ x_min} ln λ is
computed here from numpy's eigenvalues (squared singular values of W in float64) and
WeightWatcher's x_min; an eigenvalue within --xmin-rtol of x_min counts as ≥ x_min, since the
two SVDs may round x_min itself differently. `crit analyze f1.npy f2.npy … --json OUT` is then
run once over all files and its layers are matched by file name.

Fields compared (WeightWatcher column ↔ crit JSON key) and default tolerances:

    alpha ↔ alpha                          relative ≤ --alpha-rtol (1e-6)
    xmin ↔ xMin                            relative ≤ --xmin-rtol (1e-9)
    D ↔ ksDistance                         absolute ≤ --d-atol (1e-9)
    num_pl_spikes ↔ tailCount              equal
    num_spikes ↔ spikes                    equal
    detX_num ↔ detXCount                   equal
    sigma ↔ alphaStandardError, sigma_mp ↔ marchenkoPasturSigma, mp_softrank ↔ mpSoftRank,
    bulk_max ↔ marchenkoPasturEdge, log_norm ↔ logFrobeniusNorm,
    log_spectral_norm ↔ logSpectralNorm, alpha_weighted ↔ alphaWeighted,
    log_alpha_norm ↔ logAlphaNorm, stable_rank ↔ stableRank, detX_val ↔ detXValue,
    lambda_max ↔ lambdaMax, trace-log ↔ traceLog
                                           relative ≤ --rtol (1e-6)

A relative test also passes when the absolute difference is at most --abs-floor (1e-12), for
values that are (nearly) zero, such as a log norm of a matrix with Σλ ≈ 1. Where WeightWatcher
has no value (NaN, or its −1 for a failed power-law or MP fit) crit must have none either (key
absent, null or "nan"), and the other way round. A key absent from crit's JSON while
WeightWatcher has a number is reported as "missing" and fails the matrix.

The script prints a markdown table (one row per matrix), the line `N of M matrices agree on
every field`, and exits with status 1 when any matrix disagrees (2 when crit or WeightWatcher
could not be run). --json PATH writes every number of both tools and each field's difference.
--crit-json PATH compares with an existing crit JSON instead of running crit (its layers in the
same order/names as the files this script writes).
"""
import argparse
import contextlib
import io
import json
import logging
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

import numpy as np

# (WeightWatcher column, crit JSON key, tolerance kind): kinds are "alpha", "xmin", "D"
# (absolute), "count" (exact) and "rel" (--rtol).
FIELDS = [
    ("alpha", "alpha", "alpha"),
    ("xmin", "xMin", "xmin"),
    ("D", "ksDistance", "D"),
    ("sigma", "alphaStandardError", "rel"),
    ("num_pl_spikes", "tailCount", "count"),
    ("num_spikes", "spikes", "count"),
    ("sigma_mp", "marchenkoPasturSigma", "rel"),
    ("mp_softrank", "mpSoftRank", "rel"),
    ("bulk_max", "marchenkoPasturEdge", "rel"),
    ("log_norm", "logFrobeniusNorm", "rel"),
    ("log_spectral_norm", "logSpectralNorm", "rel"),
    ("alpha_weighted", "alphaWeighted", "rel"),
    ("log_alpha_norm", "logAlphaNorm", "rel"),
    ("stable_rank", "stableRank", "rel"),
    ("detX_num", "detXCount", "count"),
    ("detX_val", "detXValue", "rel"),
    ("lambda_max", "lambdaMax", "rel"),
    ("trace_log", "traceLog", "rel"),
]
# Columns where WeightWatcher writes −1 when its power-law or MP fit fails.
SENTINEL_MINUS_ONE = {
    "alpha", "xmin", "D", "sigma", "num_pl_spikes",
    "num_spikes", "sigma_mp", "mp_softrank", "bulk_max",
}
# Shown in their own table columns; the rest go into "worst other".
HEADLINE = {"alpha", "xmin", "D", "num_spikes"}


# --------------------------------------------------------------------------------------------
# Matrices


def synthetic_specs(subset):
    """(kind, rows, columns, parameter) of the synthetic matrices; parameter is ν, the rank or
    the percentage of zeros."""
    small = [
        ("gauss", 256, 128, None),
        ("t", 512, 256, 3),
        ("lowrank", 300, 150, 5),
        ("gauss", 16, 16, None),
        ("t", 16, 64, 2),
        ("t", 256, 256, 5),
        ("lowrank", 128, 32, 3),
        ("sparse", 64, 128, 90),
        ("gauss-small", 64, 32, None),
    ]
    if subset == "small":
        return small
    return small + [
        # standard Gaussian
        ("gauss", 64, 16, None),
        ("gauss", 32, 96, None),
        ("gauss", 64, 64, None),
        ("gauss", 128, 512, None),
        ("gauss", 512, 512, None),
        ("gauss", 1024, 1024, None),
        ("gauss", 4096, 2048, None),
        ("gauss-small", 256, 256, None),
        # Student-t
        ("t", 128, 128, 2),
        ("t", 512, 1024, 2),
        ("t", 32, 32, 3),
        ("t", 200, 80, 3),
        ("t", 2048, 2048, 3),
        ("t", 64, 192, 4),
        ("t", 128, 256, 4),
        ("t", 1024, 2048, 4),
        ("t", 16, 40, 5),
        ("t", 768, 512, 5),
        ("t", 40, 16, 4),
        # rank r plus noise
        ("lowrank", 64, 64, 1),
        ("lowrank", 16, 80, 2),
        ("lowrank", 200, 600, 4),
        ("lowrank", 512, 512, 10),
        ("lowrank", 256, 64, 7),
        ("lowrank", 1536, 1024, 6),
        # sparse
        ("sparse", 32, 64, 90),
        ("sparse", 128, 128, 95),
        ("sparse", 256, 1024, 98),
        ("sparse", 512, 512, 99),
        ("sparse", 2048, 1024, 97),
        ("sparse", 96, 32, 92),
        ("sparse", 384, 256, 95),
    ]


def spec_name(kind, rows, columns, parameter):
    label = {
        "gauss": "gauss",
        "gauss-small": "gauss1e-3",
        "t": f"t{parameter}",
        "lowrank": f"rank{parameter}",
        "sparse": f"sparse{parameter}",
    }[kind]
    return f"{label}-{rows}x{columns}"


def spec_kind(kind, parameter):
    return {
        "gauss": "Gaussian",
        "gauss-small": "Gaussian ×1e-3",
        "t": f"Student-t ν={parameter}",
        "lowrank": f"rank {parameter} + noise",
        "sparse": f"sparse {parameter}% zeros",
    }[kind]


def make_matrix(kind, rows, columns, parameter, seed):
    rng = np.random.default_rng(seed)
    shape = (rows, columns)
    if kind == "gauss":
        w = rng.standard_normal(shape)
    elif kind == "gauss-small":
        w = 1e-3 * rng.standard_normal(shape)
    elif kind == "t":
        w = rng.standard_t(parameter, size=shape)
    elif kind == "lowrank":
        # Σ_k θ_k u_k v_kᵀ + noise, unit u_k, v_k, with θ_k from 1.5 to 3.5 times the BBP
        # threshold (rows·columns)^{1/4} of unit-variance noise: every component is an outlier.
        u, _ = np.linalg.qr(rng.standard_normal((rows, parameter)))
        v, _ = np.linalg.qr(rng.standard_normal((columns, parameter)))
        theta = np.linspace(1.5, 3.5, parameter) * (rows * columns) ** 0.25
        w = (u * theta) @ v.T + rng.standard_normal(shape)
    elif kind == "sparse":
        mask = rng.random(shape) >= parameter / 100
        w = np.where(mask, rng.standard_normal(shape), 0.0)
    else:
        raise ValueError(kind)
    return np.ascontiguousarray(w, dtype=np.float32)


def read_safetensors(path):
    """name → array of a .safetensors file: 8-byte little-endian header length, JSON header,
    raw little-endian data."""
    with open(path, "rb") as f:
        blob = f.read()
    (length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + length])
    base = 8 + length
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        raw = blob[base + begin : base + end]
        dtype = entry["dtype"]
        if dtype == "BF16":
            bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            values = bits.view(np.float32)
        else:
            values = np.frombuffer(raw, dtype={"F64": "<f8", "F32": "<f4", "F16": "<f2"}[dtype])
        tensors[name] = values.reshape(entry["shape"])
    return tensors


TRAINING_RUNS = [
    ("moons", ["--dataset", "moons", "--hidden", "64,64,64", "--epochs", "200"]),
    ("teacher", ["--dataset", "teacher-student", "--dimension", "32", "--task", "regression",
                 "--hidden", "256,256", "--epochs", "50"]),
    ("spirals", ["--dataset", "spirals", "--hidden", "128,128,128", "--activation", "tanh",
                 "--epochs", "200"]),
]


def trained_matrices(crit, work):
    """Trains the runs of TRAINING_RUNS with crit and saves every 2-D tensor with smaller side
    ≥ 16 of their checkpoints as float32 .npy; returns [(name, kind, path)]."""
    out = []
    for run, arguments in TRAINING_RUNS:
        directory = os.path.join(work, f"train-{run}")
        shutil.rmtree(directory, ignore_errors=True)
        command = [crit, "train", *arguments, "--out", directory, "--quiet"]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            print(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr}",
                  file=sys.stderr)
            sys.exit(2)
        tensors = read_safetensors(os.path.join(directory, "model.safetensors"))
        for tensor, values in sorted(tensors.items()):
            if values.ndim != 2 or min(values.shape) < 16:
                continue
            name = f"trained-{run}-{tensor.replace('.', '_')}"
            path = os.path.join(work, name + ".npy")
            np.save(path, np.ascontiguousarray(values, dtype=np.float32))
            out.append((name, f"trained ({run})", path))
    return out


# --------------------------------------------------------------------------------------------
# WeightWatcher


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def import_weightwatcher(verbose):
    # WeightWatcher takes torch's float32 GPU SVD when CUDA is visible; the comparison is with
    # its CPU path (SciPy, float64).
    os.environ["CUDA_VISIBLE_DEVICES"] = ""
    capture = _Capture()
    logger = logging.getLogger("weightwatcher")
    logger.addHandler(capture)
    logger.propagate = verbose
    import torch  # noqa: F401
    import weightwatcher

    if weightwatcher.__version__ != "0.7.7":
        print(f"warning: weightwatcher {weightwatcher.__version__}, not 0.7.7", file=sys.stderr)
    # Importing it set up its logger; keep its messages off the console unless asked.
    logger.propagate = verbose
    import_messages = list(capture.messages)
    capture.messages.clear()
    return weightwatcher, capture, import_messages


def as_float(x):
    if x is None:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v


def weightwatcher_numbers(ww, capture, path, xmin_rtol):
    import torch

    w = np.load(path)
    layer = torch.nn.Linear(w.shape[1], w.shape[0], bias=False)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(w))
    model = torch.nn.Sequential(layer)
    capture.messages.clear()
    printed = io.StringIO()  # its power-law fitter prints to stdout ("SMALL N PL FIT")
    start = time.perf_counter()
    with contextlib.redirect_stdout(printed):
        details = ww.WeightWatcher(model=model).analyze(
            mp_fit=True, detX=True, randomize=False, plot=False)
    seconds = time.perf_counter() - start
    messages = list(capture.messages)
    messages += [f"stdout: {line}" for line in printed.getvalue().splitlines() if line.strip()]
    numbers = {field: None for field, _, _ in FIELDS}
    skipped = len(details) == 0
    if not skipped:
        row = details.iloc[0]
        for field, _, _ in FIELDS:
            if field in row.index:
                numbers[field] = as_float(row[field])
    # trace-log from numpy's own eigenvalues and WeightWatcher's x_min.
    evals = np.linalg.svd(w.astype(np.float64), compute_uv=False) ** 2
    xmin = numbers["xmin"]
    if xmin is not None and math.isfinite(xmin) and xmin > 0:
        tail = evals[evals >= xmin * (1 - xmin_rtol)]
        numbers["trace_log"] = float(np.sum(np.log(tail)))
        numbers["trace_log_count"] = int(tail.size)
    return {
        "numbers": numbers, "seconds": seconds, "skipped": skipped,
        "warnings": messages,
    }


# --------------------------------------------------------------------------------------------
# crit


def run_crit(crit, paths, out_json, spectrum="auto"):
    start = time.perf_counter()
    result = subprocess.run(
        [crit, "analyze", *paths, "--json", out_json, "--spectrum", spectrum],
        capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        print(f"crit analyze failed ({result.returncode}):\n{result.stderr}", file=sys.stderr)
        return None, seconds
    return out_json, seconds


def crit_layers(json_path, names):
    """name → crit's object for each file name (crit calls a layer `<file>:<tensor>` when it
    reads several files, `<tensor>` for one; order is the fallback)."""
    with open(json_path) as f:
        layers = json.load(f)
    by_name = {}
    for layer in layers:
        key = str(layer.get("name", ""))
        file = key.split(":", 1)[0]
        stem = file[:-4] if file.endswith(".npy") else file
        by_name.setdefault(stem, layer)
    out = {}
    for i, name in enumerate(names):
        if name in by_name:
            out[name] = by_name[name]
        elif len(layers) == len(names):
            out[name] = layers[i]
    return out


# --------------------------------------------------------------------------------------------
# Comparison


def is_none(x):
    return x is None or (isinstance(x, float) and math.isnan(x))


def compare_field(field, kind, ww_value, crit_raw, has_key, tol):
    """Returns (status, diff, limit): status is "ok", "fail" or "missing"; diff is the measured
    difference (relative, absolute or count difference)."""
    w = ww_value
    if w is not None and field in SENTINEL_MINUS_ONE and w == -1:
        w = None
    if is_none(w):
        w = None
    c = as_float(crit_raw) if has_key else None
    if is_none(c):
        c = None
    if w is None and c is None:
        return "ok", 0.0, 0.0
    if c is None:
        return ("missing" if not has_key else "fail"), math.inf, 0.0
    if w is None:
        return "fail", math.inf, 0.0
    if math.isinf(w) or math.isinf(c):
        return ("ok" if w == c else "fail"), (0.0 if w == c else math.inf), 0.0
    if kind == "count":
        diff = abs(w - c)
        return ("ok" if diff == 0 else "fail"), diff, 0.0
    absolute = abs(w - c)
    if kind == "D":
        return ("ok" if absolute <= tol["D"] else "fail"), absolute, tol["D"]
    limit = tol[kind]
    scale = max(abs(w), abs(c))
    relative = absolute / scale if scale > 0 else 0.0
    ok = relative <= limit or absolute <= tol["floor"]
    return ("ok" if ok else "fail"), relative, limit


def compare_matrix(ww_numbers, crit_obj, tol):
    fields = {}
    for field, key, kind in FIELDS:
        has_key = crit_obj is not None and key in crit_obj
        raw = crit_obj.get(key) if has_key else None
        status, diff, limit = compare_field(field, kind, ww_numbers.get(field), raw, has_key, tol)
        fields[field] = {
            "crit_key": key, "ww": ww_numbers.get(field),
            "crit": as_float(raw) if has_key else None, "crit_has_key": has_key,
            "status": status, "diff": diff, "limit": limit,
            "kind": {"alpha": "relative", "xmin": "relative", "rel": "relative", "D": "absolute",
                     "count": "exact"}[kind],
        }
    return fields


def fmt(x, spec=".6g"):
    if x is None:
        return "–"
    if isinstance(x, float) and math.isnan(x):
        return "nan"
    return format(x, spec)


def fmt_diff(entry):
    if entry["status"] == "missing":
        return "missing"
    d = entry["diff"]
    if math.isinf(d):
        return "∞"
    if entry["kind"] == "exact":
        return f"{d:g}"
    return f"{d:.1e}"


def worst_other(fields):
    worst = None
    for field, entry in fields.items():
        if field in HEADLINE or entry["status"] == "missing":
            continue
        d = entry["diff"]
        if entry["kind"] == "exact":
            ratio = 0.0 if d == 0 else math.inf
        else:
            ratio = d / entry["limit"] if entry["limit"] > 0 else (0.0 if d == 0 else math.inf)
        if worst is None or ratio > worst[0]:
            worst = (ratio, field, entry)
    if worst is None:
        return "–"
    _, field, entry = worst
    return f"{fmt_diff(entry)} ({field})"


def markdown_table(rows):
    header = ["matrix", "shape", "kind", "WW α", "crit α", "α rel. diff", "WW x_min",
              "crit x_min", "D diff", "spikes WW / crit", "worst other rel. diff", "result"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        f = r["fields"]
        failing = [k for k, e in f.items() if e["status"] == "fail"]
        missing = [k for k, e in f.items() if e["status"] == "missing"]
        if r.get("error"):
            result = f"FAIL ({r['error']})"
        elif not failing and not missing:
            result = "pass"
        else:
            parts = []
            if failing:
                parts.append(", ".join(failing))
            if missing:
                parts.append("missing " + ", ".join(f[k]["crit_key"] for k in missing))
            result = "FAIL (" + "; ".join(parts) + ")"
        spikes_crit = f["num_spikes"]["crit"]
        cells = [
            r["name"], "×".join(map(str, r["shape"])), r["kind"],
            fmt(f["alpha"]["ww"]), fmt(f["alpha"]["crit"]), fmt_diff(f["alpha"]),
            fmt(f["xmin"]["ww"]), fmt(f["xmin"]["crit"]), fmt_diff(f["D"]),
            f"{fmt(f['num_spikes']['ww'], 'g')} / "
            + ("missing" if not f["num_spikes"]["crit_has_key"] else fmt(spikes_crit, "g")),
            worst_other(f), result,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def clean(x):
    """JSON-safe copy: NaN and ±inf become strings."""
    if isinstance(x, dict):
        return {k: clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [clean(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return clean(float(x))
    return x


# --------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(
        description="crit analyze vs WeightWatcher 0.7.7 (analyze with mp_fit and detX).",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--crit", default=".build/release/crit", help="crit executable")
    parser.add_argument("--subset", choices=["full", "small"], default="full",
                        help="small: 9 quick matrices (smaller side ≤ 256), no training")
    parser.add_argument("--trained", action=argparse.BooleanOptionalAction, default=True,
                        help="add the layers of three crit train checkpoints (full set only)")
    parser.add_argument("--only", action="append", default=[],
                        help="keep only matrices whose name contains this (repeatable)")
    parser.add_argument("--work", help="directory for the .npy files and runs (default: temporary)")
    parser.add_argument("--json", help="write every per-matrix number here")
    parser.add_argument("--crit-json",
                        help="compare with this crit analyze JSON instead of running crit")
    parser.add_argument("--spectrum", choices=["auto", "svd", "gram"], default="auto",
                        help="crit analyze --spectrum: how crit computes the eigenvalues")
    parser.add_argument("--alpha-rtol", type=float, default=1e-6, help="α, relative")
    parser.add_argument("--xmin-rtol", type=float, default=1e-9, help="x_min, relative")
    parser.add_argument("--d-atol", type=float, default=1e-9, help="KS distance D, absolute")
    parser.add_argument("--rtol", type=float, default=1e-6, help="every other real field, relative")
    parser.add_argument("--abs-floor", type=float, default=1e-12,
                        help="a relative test also passes at this absolute difference")
    parser.add_argument("--verbose", action="store_true",
                        help="show WeightWatcher's log and crit's table")
    args = parser.parse_args()
    tol = {"alpha": args.alpha_rtol, "xmin": args.xmin_rtol, "D": args.d_atol,
           "rel": args.rtol, "floor": args.abs_floor}

    work = args.work or tempfile.mkdtemp(prefix="crit-ww-")
    os.makedirs(work, exist_ok=True)
    try:
        status = compare(args, tol, work)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(status)


def compare(args, tol, work):
    crit = os.path.abspath(args.crit)
    need_crit = args.crit_json is None or (args.trained and args.subset == "full")
    if need_crit and not os.access(crit, os.X_OK):
        print(f"{crit}: no crit executable (build it, or pass --crit)", file=sys.stderr)
        sys.exit(2)

    # 1. The matrices.
    start = time.perf_counter()
    matrices = []  # (name, kind, path)
    for kind, rows, columns, parameter in synthetic_specs(args.subset):
        name = spec_name(kind, rows, columns, parameter)
        if args.only and not any(s in name for s in args.only):
            continue
        path = os.path.join(work, name + ".npy")
        seed = zlib.crc32(name.encode())
        np.save(path, make_matrix(kind, rows, columns, parameter, seed))
        matrices.append((name, spec_kind(kind, parameter), path))
    if args.trained and args.subset == "full":
        for name, kind, path in trained_matrices(crit, work):
            if args.only and not any(s in name for s in args.only):
                continue
            matrices.append((name, kind, path))
    if not matrices:
        sys.exit("no matrices selected")
    names = [m[0] for m in matrices]
    if len(set(names)) != len(names):
        sys.exit("duplicate matrix names")
    print(f"{len(matrices)} matrices in {work} ({time.perf_counter() - start:.1f} s)",
          file=sys.stderr)

    # 2. WeightWatcher.
    ww, capture, import_messages = import_weightwatcher(args.verbose)
    ww_results = {}
    ww_start = time.perf_counter()
    for i, (name, _, path) in enumerate(matrices):
        ww_results[name] = weightwatcher_numbers(ww, capture, path, args.xmin_rtol)
        print(f"  WeightWatcher {i + 1}/{len(matrices)} {name}: "
              f"{ww_results[name]['seconds']:.2f} s", file=sys.stderr)
    ww_seconds = time.perf_counter() - ww_start

    # 3. crit.
    crit_seconds = None
    if args.crit_json:
        crit_json = args.crit_json
    else:
        crit_json, crit_seconds = run_crit(
            crit, [m[2] for m in matrices], os.path.join(work, "crit.json"), args.spectrum)
    crit_objs = crit_layers(crit_json, names) if crit_json else {}

    # 4. Compare.
    rows = []
    for name, kind, path in matrices:
        shape = list(np.load(path, mmap_mode="r").shape)
        w = ww_results[name]
        obj = crit_objs.get(name)
        fields = compare_matrix(w["numbers"], obj, tol)
        error = None
        if crit_json is None:
            error = "crit failed"
        elif obj is None:
            error = "not in crit's JSON"
        elif w["skipped"]:
            error = "WeightWatcher skipped it"
        ok = error is None and all(e["status"] == "ok" for e in fields.values())
        rows.append({
            "name": name, "kind": kind, "shape": shape, "file": path, "pass": ok,
            "error": error, "fields": fields, "ww_seconds": w["seconds"],
            "ww_warnings": w["warnings"],
            "trace_log_tail_count": w["numbers"].get("trace_log_count"),
        })

    print(markdown_table(rows))
    print()
    agree = sum(r["pass"] for r in rows)
    absent = {}
    for r in rows:
        if r["error"] in ("crit failed", "not in crit's JSON"):
            continue
        for field, e in r["fields"].items():
            if e["status"] == "missing":
                absent.setdefault(e["crit_key"], 0)
                absent[e["crit_key"]] += 1
    if absent:
        print("Keys absent from crit's JSON: "
              + ", ".join(f"{k} ({n} matrices)" for k, n in sorted(absent.items())))
    warned = {}
    for r in rows:
        for message in r["ww_warnings"]:
            warned.setdefault(message, []).append(r["name"])
    for message, who in warned.items():
        count = f"{len(who)} {'matrix' if len(who) == 1 else 'matrices'}"
        print(f"WeightWatcher said \"{message}\" for {count} ({', '.join(who[:4])}"
              f"{', …' if len(who) > 4 else ''})")
    timing = f"WeightWatcher {ww_seconds:.1f} s"
    if crit_seconds is not None:
        timing += f", crit analyze {crit_seconds:.1f} s"
    print(f"Time: {timing} ({len(rows)} {'matrix' if len(rows) == 1 else 'matrices'}).")
    print(f"{agree} of {len(rows)} matrices agree on every field")

    if args.json:
        import torch
        report = {
            "weightwatcher": ww.__version__, "torch": torch.__version__, "numpy": np.__version__,
            "tolerances": tol, "subset": args.subset, "trained": args.trained,
            "weightwatcher_seconds": ww_seconds, "crit_seconds": crit_seconds,
            "weightwatcher_import_messages": import_messages,
            "agree": agree, "matrices": rows,
        }
        with open(args.json, "w") as f:
            json.dump(clean(report), f, indent=1)
    if crit_json is None:
        return 2
    return 0 if agree == len(rows) else 1


if __name__ == "__main__":
    main()
