"""Running one fuzz case under the contract's bounds, and checking the contract.

A case is an argument list for the binary plus the files it needs; it runs in a fresh
temporary directory (its cwd), in its own process group, with an address-space limit, and is
killed with its whole group when it runs past the time bound.
"""

import os
import resource
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field

ADDRESS_SPACE_LIMIT = 4 << 30  # RLIMIT_AS of every child, bytes
PEAK_RSS_LIMIT_KIB = 1 << 20  # a child whose peak RSS exceeds 1 GiB is a violation
DEFAULT_TIMEOUT_S = 30.0  # wall clock per invocation
STDERR_KEPT_BYTES = 64 * 1024  # stderr read back per case (the rest is counted, not kept)

# Device files that path cases may name: their (major, minor) numbers, for restoring them
# if an invocation replaces them (possible when running as root).
GUARDED_DEVICES = {"/dev/null": (1, 3), "/dev/full": (1, 7)}


# Pids of the children running now (each leads its own process group), so that an
# interrupted harness can end them: a Ctrl-C or a CI cancellation does not reach their
# sessions.
LIVE_CHILDREN = set()
LIVE_LOCK = threading.Lock()
STOPPING = threading.Event()


@dataclass
class Case:
    """One invocation: `crit ARGS...` in a fresh directory holding `files`."""

    category: str  # files | configs | flags
    command: str  # the command path, e.g. "analyze" or "run asisr"
    args: list  # arguments after the binary
    label: str = ""  # what the case mutates, for the report
    files: dict = field(default_factory=dict)  # relative path -> bytes, written first
    dirs: list = field(default_factory=list)  # relative directories created first
    symlinks: dict = field(default_factory=dict)  # relative path -> link target
    touches_devices: bool = False  # names /dev/null or /dev/full: run alone, then check

    def command_line(self, binary="crit"):
        return " ".join([binary] + [shell_quote(a) for a in self.args])


@dataclass
class Outcome:
    returncode: int  # negative: killed by that signal
    timed_out: bool
    wall_s: float
    peak_rss_kib: int
    stderr: str
    stderr_bytes: int


def shell_quote(text, limit=200):
    """Quotes an argument for display, shortening very long ones."""
    shown = text if len(text) <= limit else f"{text[:60]}…<{len(text)} chars>"
    if shown and all(c.isalnum() or c in "-_.,/:=+@%" for c in shown):
        return shown
    return "'" + shown.replace("'", "'\\''") + "'"


# Swift's crash backtracer takes seconds per crash: off for the main pass; crashes are run
# again with it (crash_sites.py) to name where they happen.
BACKTRACE_OFF = "enable=no"


def child_environment(backtrace=BACKTRACE_OFF):
    env = dict(os.environ)
    env["OPENBLAS_NUM_THREADS"] = "1"
    env["SWIFT_BACKTRACE"] = backtrace
    return env


def limit_child():
    """preexec_fn: own process group (so a timeout kills every descendant) and RLIMIT_AS."""
    os.setsid()
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))


def prepare_directory(case, cwd):
    for directory in case.dirs:
        os.makedirs(os.path.join(cwd, directory), exist_ok=True)
    for name, content in case.files.items():
        path = os.path.join(cwd, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(content)
    for name, target in case.symlinks.items():
        os.symlink(target, os.path.join(cwd, name))


def wait_with_timeout(process, timeout_s):
    """Reaps `process` with os.wait4 (for its peak RSS), killing its group after timeout_s.

    Returns (wait status, rusage, timed_out)."""
    deadline = time.monotonic() + timeout_s
    pause = 0.002
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            return status, usage, False
        if time.monotonic() >= deadline:
            kill_group(process.pid)
            _, status, usage = os.wait4(process.pid, 0)
            return status, usage, True
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def stop_all():
    """No new children; every running one killed with its process group."""
    STOPPING.set()
    with LIVE_LOCK:
        for pid in list(LIVE_CHILDREN):
            kill_group(pid)


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


# Commands whose smallest valid invocation is a whole protocol get a longer time bound:
# `run asisr --quick --epochs 1` trains 52 networks (about 15 s alone, twice that beside
# three other cases on two cores), so a case that starts it afresh needs more than 30 s.
SLOW_COMMAND_FACTORS = {("run", "asisr"): 4}


def time_bound(args, timeout_s):
    """The time bound of one invocation: timeout_s, times the factor of a slow command."""
    return timeout_s * SLOW_COMMAND_FACTORS.get(tuple(args[:2]), 1)


def run_case(case, binary, timeout_s, work_root, backtrace=BACKTRACE_OFF):
    """Runs one case in a fresh directory under work_root and removes it afterwards."""
    timeout_s = time_bound(case.args, timeout_s)
    if STOPPING.is_set():
        raise InterruptedError("the harness is stopping")
    case_root = tempfile.mkdtemp(prefix="case-", dir=work_root)
    cwd = os.path.join(case_root, "cwd")
    os.makedirs(cwd)
    stderr_path = os.path.join(case_root, "stderr")
    try:
        prepare_directory(case, cwd)
        with open(stderr_path, "wb") as stderr_file:
            started = time.monotonic()
            process = subprocess.Popen(
                [binary] + case.args,
                cwd=cwd,
                env=child_environment(backtrace),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr_file,
                preexec_fn=limit_child,
            )
            with LIVE_LOCK:
                LIVE_CHILDREN.add(process.pid)
            try:
                status, usage, timed_out = wait_with_timeout(process, timeout_s)
            finally:
                with LIVE_LOCK:
                    LIVE_CHILDREN.discard(process.pid)
            process.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4
            wall_s = time.monotonic() - started
            kill_group(process.pid)  # descendants left behind, if any
        stderr_size = os.path.getsize(stderr_path)
        with open(stderr_path, "rb") as handle:
            stderr = handle.read(STDERR_KEPT_BYTES).decode("utf-8", errors="replace")
        return Outcome(
            returncode=process.returncode,
            timed_out=timed_out,
            wall_s=wall_s,
            peak_rss_kib=usage.ru_maxrss,
            stderr=stderr,
            stderr_bytes=stderr_size,
        )
    finally:
        make_removable(case_root)
        shutil.rmtree(case_root, ignore_errors=True)


def make_removable(root):
    """Restores owner permissions below root (a case may have made a directory read-only)."""
    for directory, subdirectories, _ in os.walk(root):
        for name in subdirectories:
            path = os.path.join(directory, name)
            if not os.path.islink(path):
                try:
                    os.chmod(path, stat.S_IRWXU)
                except OSError:
                    pass


def stderr_line_count(stderr):
    """Lines of stderr, a trailing newline ignored; a carriage return also breaks a line."""
    text = stderr[:-1] if stderr.endswith("\n") else stderr
    text = text[:-1] if text.endswith("\r") else text
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def signal_name(number):
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def contract_violations(outcome):
    """The kinds of contract violation of one outcome (empty when it meets the contract)."""
    kinds = []
    if outcome.timed_out:
        kinds.append("timeout")
    elif outcome.returncode < 0:
        kinds.append(f"killed by {signal_name(-outcome.returncode)}")
    elif outcome.returncode not in (0, 2):
        kinds.append(f"exit status {outcome.returncode}")
    elif outcome.returncode == 2:
        if not outcome.stderr.strip():
            kinds.append("exit 2 with empty stderr")
        elif stderr_line_count(outcome.stderr) != 1:
            kinds.append("exit 2 with multi-line stderr")
    if outcome.peak_rss_kib > PEAK_RSS_LIMIT_KIB:
        kinds.append("peak RSS > 1 GiB")
    return kinds


def device_snapshot():
    """Kinds of the guarded devices and the names in /dev, to detect a case replacing one."""
    kinds = {}
    for path in GUARDED_DEVICES:
        try:
            kinds[path] = stat.S_ISCHR(os.lstat(path).st_mode)
        except FileNotFoundError:
            kinds[path] = False
    return kinds, set(os.listdir("/dev"))


def check_and_restore_devices(before):
    """Violations for a guarded device no longer a character device (restored if possible)
    and for regular files a case left in /dev (removed)."""
    kinds_before, names_before = before
    problems = []
    for path, (major, minor) in GUARDED_DEVICES.items():
        if not kinds_before.get(path):
            continue
        try:
            still_device = stat.S_ISCHR(os.lstat(path).st_mode)
        except FileNotFoundError:
            still_device = False
        if still_device:
            continue
        problems.append(f"replaced {path}")
        try:
            if os.path.lexists(path):
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path)
                else:
                    os.remove(path)
            os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
            os.chmod(path, 0o666)
        except OSError as error:
            print(f"WARNING: could not restore {path}: {error}", flush=True)
    for name in sorted(set(os.listdir("/dev")) - names_before):
        path = os.path.join("/dev", name)
        problems.append(f"left /dev/{name}")
        if os.path.isfile(path) and not os.path.islink(path):
            try:
                os.remove(path)
            except OSError:
                pass
    return problems
