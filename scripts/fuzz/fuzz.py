#!/usr/bin/env python3
"""Fuzz harness for the `crit` command-line tool (Python 3 standard library only).

    python3 scripts/fuzz/fuzz.py --binary .build/release/crit --seed 1

Every invocation must meet this contract:

  * exit status 0 or 2: never 1, never another status, never killed by a signal;
  * exit status 2 comes with exactly one non-empty line on stderr (a trailing newline
    ignored; a carriage return counts as a line break): the tool's one-line error;
  * it finishes within the time bound, 30 s of wall clock (--timeout; 120 s for `run asisr`,
    whose smallest run is a 52-network protocol); past it, its whole process group is killed
    and the case is a "timeout";
  * it stays within the memory bound: a peak RSS (os.wait4's ru_maxrss) above 1 GiB is a
    violation; every child also runs under RLIMIT_AS = 4 GiB (an allocation past that fails
    inside the child, which must still exit 0 or 2);
  * a path case naming /dev/null or /dev/full must leave them character devices (such cases
    run one at a time afterwards; a replaced device is restored and reported).

Each child runs in its own process group (os.setsid), with OPENBLAS_NUM_THREADS=1, stdin and
stdout on /dev/null, in a fresh temporary directory as its cwd (so `runs/` lands there),
removed afterwards. Exit status 0 is fine whatever stderr holds (progress bars).

Categories (all cases are a function of --seed):
  files    mutated .npy and .safetensors files for `crit analyze`, and mutated features and
           labels for `crit train --dataset npy`;
  configs  mutated configuration, sweep and protocol files and --set overrides for
           `crit train --config`, `crit sweep` (mostly --dry-run) and `crit demo --config`;
  flags    every option of every command path found in the help pages, each given hostile
           values (0, -1, nan, inf, 2**63-1, "", huge lists, paths, store URLs, …) on top of a
           quick valid invocation.

Exits 1 when any case violates the contract (after a summary grouped by command and kind of
violation, and a JSON report of every violation at --report, with a reproducer of each
distinct failure in REPORT-cases/: its files and a run.sh), 0 when none does, 3 when the
harness cannot start, 130 when interrupted (every child is ended).
"""

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import configs  # noqa: E402
import crash_sites  # noqa: E402
import flags  # noqa: E402
import harness  # noqa: E402
import summary  # noqa: E402
import weightfiles  # noqa: E402

CATEGORIES = ["files", "configs", "flags"]
FILE_CASES = 2000
CONFIG_CASES = 600
REPRODUCERS_PER_SIGNATURE = 1
PROGRESS_EVERY_S = 15.0


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=".build/release/crit", help="the crit executable")
    parser.add_argument("--seed", type=int, default=1, help="seed of every generated case")
    parser.add_argument("--report", default="/tmp/crit-fuzz/report.json",
                        help="JSON report of every violation (reproducers go beside it)")
    parser.add_argument("--only", choices=CATEGORIES, help="run one category")
    parser.add_argument("--limit", type=int, help="at most N cases per category")
    parser.add_argument("--jobs", type=int, default=4, help="concurrent invocations (2–4)")
    parser.add_argument("--timeout", type=float, default=harness.DEFAULT_TIMEOUT_S,
                        help="wall-clock bound per invocation, seconds")
    parser.add_argument("--symbolicate", type=int, default=12, metavar="N",
                        help="name the source line of the N most frequent crash sites "
                             "(seconds each; the others are named by function)")
    return parser.parse_args()


# ---------------------------------------------------------------------------------------
# Fixtures: valid inputs the flag cases start from


class Fixtures:
    """Small valid files, and stores made once with the binary (a finished tiny sweep for
    report/export; the finished tiny ASISR protocol so `run asisr` resumes instantly)."""

    def __init__(self, rng):
        self.common = {}
        self.per_command = {}
        rows = 40
        features, _ = weightfiles.valid_npy(rng, (rows, 2), "<f4")
        test_features, _ = weightfiles.valid_npy(rng, (10, 2), "<f4")
        labels = weightfiles.npy_bytes(
            weightfiles.npy_header_text("<i8", False, (rows,)),
            b"".join((i % 2).to_bytes(8, "little") for i in range(rows)))
        test_labels = weightfiles.npy_bytes(
            weightfiles.npy_header_text("<i8", False, (10,)),
            b"".join((i % 2).to_bytes(8, "little") for i in range(10)))
        csv_rows = [f"{rng.gauss(0, 1):.4f},{rng.gauss(0, 1):.4f},{i % 2}" for i in range(rows)]
        safetensors, _ = weightfiles.valid_safetensors(rng, dtypes=("F32",), count=2)
        self.common = {
            "x.npy": features,
            "y.npy": labels,
            "tx.npy": test_features,
            "ty.npy": test_labels,
            "data.csv": ("a,b,label\n" + "\n".join(csv_rows) + "\n").encode(),
            "model.safetensors": safetensors,
            "config.yaml": configs.emit(configs.train_base(), "yaml").encode(),
            "protocol.yaml": configs.emit(configs.protocol_base(), "yaml").encode(),
            "sweep.yaml": configs.emit(self.tiny_sweep(), "yaml").encode(),
            "reference.json": b'{"rho": [0.5, 1.0], "mc_mean": [1.0, 2.0], '
                              b'"library": "reservoirpy"}\n',
            "existing.txt": b"an existing file\n",
            "garbage.sqlite": bytes(rng.getrandbits(8) for _ in range(4096)),
        }

    @staticmethod
    def tiny_sweep():
        base = configs.train_base()
        return {"name": "tiny", "base": base, "seeds": 2, "grid": {"data.noise": [0.1, 0.2]}}

    def make_stores(self, binary, work_root, timeout_s):
        """Runs the binary once per store or run directory that flag cases resume from;
        raises RuntimeError when that fails."""
        directory = tempfile.mkdtemp(prefix="fixtures-", dir=work_root)
        for name, content in self.common.items():
            with open(os.path.join(directory, name), "wb") as handle:
                handle.write(content)
        self.run_setup(binary, directory, ["sweep", "sweep.yaml", "--store",
                                           "sqlite:store.sqlite", "--quiet", "--jobs", "1"],
                       timeout_s)
        store = read_file(directory, "store.sqlite")
        self.per_command["report"] = {"store.sqlite": store}
        self.per_command["export"] = {"store.sqlite": store}
        # run asisr: its store, also where `--store sqlite:` (the default path) and
        # `--store file:x.sqlite` would look, so that those resume too.
        asisr_runs = os.path.join(directory, "asisr-runs")
        self.run_setup(binary, directory,
                       ["run", "asisr"] + flags.BASE_ARGS["run asisr"] + ["--runs", "asisr-runs"],
                       max(timeout_s, 300))
        asisr_store = read_file(directory, "asisr.sqlite")
        default_store = [f"runs/{name}/sweep.sqlite" for name in os.listdir(asisr_runs)]
        self.per_command["run asisr"] = {name: asisr_store
                                         for name in ["asisr.sqlite", "x.sqlite"] + default_store}
        # run reservoir keeps its trained runs in its run directory: copy them in.
        self.run_setup(binary, directory, ["run", "reservoir"] + flags.BASE_ARGS["run reservoir"],
                       max(timeout_s, 300))
        self.per_command["run reservoir"] = files_under(directory, "runs")
        shutil.rmtree(directory, ignore_errors=True)

    @staticmethod
    def run_setup(binary, directory, args, timeout_s):
        print(f"setup: crit {' '.join(args)}", flush=True)
        result = subprocess.run([binary] + args, cwd=directory, env=harness.child_environment(),
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, timeout=timeout_s)
        if result.returncode != 0:
            raise RuntimeError(f"setup failed (exit {result.returncode}): crit {' '.join(args)}"
                               f"\n{result.stderr.decode(errors='replace')[-2000:]}")

    def files_for(self, command):
        return dict(self.common, **self.per_command.get(command, {}))


def read_file(directory, name):
    with open(os.path.join(directory, name), "rb") as handle:
        return handle.read()


def files_under(directory, subdirectory):
    """relative path -> bytes of every file below directory/subdirectory."""
    found = {}
    for root, _, names in os.walk(os.path.join(directory, subdirectory)):
        for name in names:
            path = os.path.join(root, name)
            found[os.path.relpath(path, directory)] = read_file(directory, path)
    return found


# ---------------------------------------------------------------------------------------
# Cases


def build_cases(category, rng, binary, work_root, timeout_s):
    if category == "files":
        return weightfiles.file_cases(rng, FILE_CASES)
    if category == "configs":
        return configs.config_cases(rng, CONFIG_CASES)
    commands = flags.discover(binary)
    if not commands:
        raise RuntimeError(f"no command paths found in '{binary} --help'")
    fixtures = Fixtures(rng)
    fixtures.make_stores(binary, work_root, timeout_s)
    cases = flags.flag_cases(commands, fixtures)
    rng.shuffle(cases)  # spreads slow command paths over the run (and over --limit)
    return cases


def category_rngs(seed):
    """One generator per category, independent of which categories run."""
    master = random.Random(seed)
    return {category: random.Random(master.getrandbits(64)) for category in CATEGORIES}


# ---------------------------------------------------------------------------------------
# Running


class Progress:
    def __init__(self, total, phase):
        self.phase = phase
        self.total = total
        self.done = 0
        self.violating = 0
        self.started = time.monotonic()
        self.last_print = self.started
        self.lock = threading.Lock()

    def record(self, violated):
        with self.lock:
            self.done += 1
            self.violating += bool(violated)
            now = time.monotonic()
            if now - self.last_print >= PROGRESS_EVERY_S or self.done == self.total:
                self.last_print = now
                print(f"{self.phase}: {self.done}/{self.total} cases, {self.violating} "
                      f"violating, {now - self.started:.0f} s", flush=True)


def run_one(case, options, work_root, progress, backtrace=harness.BACKTRACE_OFF):
    try:
        outcome = harness.run_case(case, options.binary, options.timeout, work_root,
                                   backtrace)
    except InterruptedError:
        return case, None, []
    except (OSError, ValueError) as error:  # the case itself cannot run (a harness bug)
        print(f"warning: cannot run {case.command_line()}: {error}", flush=True)
        progress.record([])
        return case, None, []
    kinds = harness.contract_violations(outcome)
    progress.record(kinds)
    return case, outcome, kinds


def run_exclusive(case, options, work_root, progress, backtrace):
    """A case naming a device file: alone, with the devices checked afterwards."""
    before = harness.device_snapshot()
    case, outcome, kinds = run_one(case, options, work_root, progress, backtrace)
    return case, outcome, kinds + harness.check_and_restore_devices(before)


def run_all(cases, options, work_root, backtrace=harness.BACKTRACE_OFF):
    """(case, outcome, violation kinds) of every case: `options.jobs` at a time, then those
    naming device files one by one."""
    shared = [case for case in cases if not case.touches_devices]
    alone = [case for case in cases if case.touches_devices]
    phase = "progress" if backtrace == harness.BACKTRACE_OFF else "crash sites"
    progress = Progress(len(cases), phase)
    results = []
    pool = ThreadPoolExecutor(max_workers=options.jobs)
    try:
        futures = [pool.submit(run_one, case, options, work_root, progress, backtrace)
                   for case in shared]
        for future in as_completed(futures):
            results.append(future.result())
    except BaseException:  # Ctrl-C, SIGTERM: end the children, which run in own sessions
        harness.stop_all()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    for case in alone:
        results.append(run_exclusive(case, options, work_root, progress, backtrace))
    return [result for result in results if result[1] is not None]


def collect_violations(results, crashes, reproducers):
    violations = []
    saved = {}
    for case, outcome, kinds in results:
        for kind in kinds:
            record = summary.violation_record(case, outcome, kind, "crit")
            if kind.startswith("killed by") and id(case) in crashes:
                record.update(crashes[id(case)])
                record["signature"] = record["crash_site"]
            key = (record["command"], kind, record["signature"])
            saved[key] = saved.get(key, 0) + 1
            if saved[key] <= REPRODUCERS_PER_SIGNATURE:
                directory = os.path.join(reproducers, f"{len(violations):05d}")
                summary.save_reproducer(case, directory)
                record["reproducer"] = directory
            violations.append(record)
    return violations


def stop_on_sigterm():
    """SIGTERM (a cancelled CI job) stops the harness as Ctrl-C does."""
    def handler(number, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, handler)


def main():
    options = parse_arguments()
    stop_on_sigterm()
    options.binary = os.path.abspath(options.binary)
    options.jobs = max(1, options.jobs)
    if not os.access(options.binary, os.X_OK):
        print(f"fuzz: {options.binary} is not an executable file", file=sys.stderr)
        return 3
    categories = [options.only] if options.only else CATEGORIES
    rngs = category_rngs(options.seed)
    work_root = tempfile.mkdtemp(prefix="crit-fuzz-")
    reproducers = os.path.splitext(os.path.abspath(options.report))[0] + "-cases"
    shutil.rmtree(reproducers, ignore_errors=True)
    started = time.monotonic()
    try:
        cases = []
        totals = {}
        for category in categories:
            built = build_cases(category, rngs[category], options.binary, work_root,
                                options.timeout)
            if options.limit is not None:
                built = built[:options.limit]
            totals[category] = len(built)
            cases += built
        print(f"fuzz: {len(cases)} cases ({totals}), {options.jobs} at a time, "
              f"timeout {options.timeout:.0f} s, seed {options.seed}", flush=True)
        results = run_all(cases, options, work_root)
        crashes = crash_sites.name_crashes(
            results, lambda again, backtrace: run_all(again, options, work_root, backtrace),
            options.symbolicate)
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"fuzz: cannot start: {error}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("fuzz: interrupted; every child ended", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(work_root, ignore_errors=True)
    elapsed = time.monotonic() - started
    violations = collect_violations(results, crashes, reproducers)
    settings = {"binary": options.binary, "seed": options.seed, "only": options.only,
                "limit": options.limit, "jobs": options.jobs, "timeout_s": options.timeout}
    timing = summary.timing(results)
    summary.write_report(options.report, violations, totals, elapsed, settings, timing)
    summary.print_summary(violations, totals, elapsed)
    print(f"report: {options.report}")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
