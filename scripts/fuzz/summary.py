"""Grouping violations for the printed summary and the JSON report."""

import json
import os
import re
import shlex
from collections import Counter, defaultdict

FATAL = re.compile(r"(Fatal error|Program crashed|Assertion failed|Precondition failed|"
                   r"terminate called|Segmentation fault|error:)", re.IGNORECASE)


CASE_DIRECTORY = re.compile(r"(file://)?/\S*?crit-fuzz-[^/\s]+/case-[^/\s]+/cwd/?")


def signature(stderr):
    """What identifies a failure in stderr: the Swift fatal-error line (its site kept, its
    numbers not), or else the first line, numbers replaced by # and the case's directory by
    <cwd>."""
    stderr = CASE_DIRECTORY.sub("<cwd>/", stderr)
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return "(no stderr)"
    chosen = next((line for line in lines if FATAL.search(line)), lines[0])
    site, _, message = chosen.partition("Fatal error:")
    if message:
        return site + "Fatal error:" + re.sub(r"\d+", "#", message)[:120]
    chosen = re.sub(r"'[^']{40,}'", "'…'", chosen)
    return re.sub(r"\d+", "#", chosen)[:140]


def violation_record(case, outcome, kind, binary_name):
    return {
        "category": case.category,
        "command": case.command,
        "kind": kind,
        "label": case.label,
        "command_line": case.command_line(binary_name),
        "args": case.args,
        "returncode": outcome.returncode,
        "timed_out": outcome.timed_out,
        "wall_s": round(outcome.wall_s, 3),
        "peak_rss_mib": round(outcome.peak_rss_kib / 1024, 1),
        "stderr": outcome.stderr[:4000],
        "stderr_bytes": outcome.stderr_bytes,
        "signature": signature(outcome.stderr),
    }


def save_reproducer(case, directory):
    """Writes the case's files and a `run.sh` (to run from that directory)."""
    os.makedirs(directory, exist_ok=True)
    for name, content in case.files.items():
        path = os.path.join(directory, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(content)
    for name in case.dirs:
        os.makedirs(os.path.join(directory, name), exist_ok=True)
    for name, target in case.symlinks.items():
        if not os.path.lexists(os.path.join(directory, name)):
            os.symlink(target, os.path.join(directory, name))
    script = " ".join(shlex.quote(argument) for argument in case.args)
    with open(os.path.join(directory, "run.sh"), "w") as handle:
        handle.write("#!/bin/sh\n# Reproduces one fuzz case: sh run.sh PATH/TO/crit\n"
                     'bin=$(realpath "${1:?usage: sh run.sh PATH/TO/crit}")\n'
                     f'cd "$(dirname "$0")" && exec "$bin" {script}\n')


def grouped(violations):
    groups = defaultdict(list)
    for record in violations:
        groups[(record["command"], record["kind"])].append(record)
    return sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))


def print_summary(violations, totals, elapsed_s, max_signatures=4):
    print()
    print("=" * 78)
    counted = ", ".join(f"{category} {count}" for category, count in totals.items())
    print(f"crit fuzz: {sum(totals.values())} cases ({counted}) in {elapsed_s:.0f} s; "
          f"{len(violations)} violations")
    if not violations:
        return
    print("By command and kind of violation; per distinct failure (count): one example.")
    for (command, kind), records in grouped(violations):
        categories = Counter(record["category"] for record in records)
        print(f"## {command} — {kind} — {len(records)} "
              f"({', '.join(f'{c} {n}' for c, n in categories.items())})")
        by_signature = defaultdict(list)
        for record in records:
            by_signature[record["signature"]].append(record)
        ordered = sorted(by_signature.items(), key=lambda item: -len(item[1]))
        for sig, items in ordered[:max_signatures]:
            example = items[0]
            print(f"  [{len(items)}] {sig[:220]}")
            note = "" if example["category"] == "flags" else f"   # {example['label'][:120]}"
            print(f"      $ {example['command_line'][:200]}{note}")
            if kind == "exit 2 with multi-line stderr" or sig == "(no stderr)" and \
                    example["stderr"].strip():
                print(f"      stderr: {stderr_excerpt(example)}")
            if example["category"] == "flags" and len(items) > 1:
                print(f"      also: {flag_list(items[1:])}")
        if len(ordered) > max_signatures:
            rest = sum(len(items) for _, items in ordered[max_signatures:])
            print(f"  … {len(ordered) - max_signatures} more failures ({rest} cases) "
                  f"in the report")


def stderr_excerpt(record):
    text = record["stderr"].strip()
    if not text:
        return "(empty)"
    lines = text.splitlines()
    shown = " ⏎ ".join(line.strip() for line in lines[:3])[:240]
    more = f" … ({len(lines)} lines, {record['stderr_bytes']} bytes)" if len(lines) > 3 else ""
    return shown + more


def flag_list(records, limit=8):
    labels = sorted({record["label"] for record in records})
    shown = ", ".join(labels[:limit])
    return shown + (f", … +{len(labels) - limit}" if len(labels) > limit else "")


def timing(results, slowest=40):
    """Seconds spent per command path, and the slowest cases (for sizing the run)."""
    per_command = defaultdict(lambda: [0, 0.0])
    for case, outcome, _ in results:
        per_command[case.command][0] += 1
        per_command[case.command][1] += outcome.wall_s
    ranked = sorted(results, key=lambda result: -result[1].wall_s)[:slowest]
    return {
        "per_command": {command: {"cases": count, "seconds": round(seconds, 1)}
                        for command, (count, seconds) in
                        sorted(per_command.items(), key=lambda item: -item[1][1])},
        "slowest": [{"seconds": round(outcome.wall_s, 2), "returncode": outcome.returncode,
                     "command_line": case.command_line()[:300], "label": case.label[:200]}
                    for case, outcome, _ in ranked],
    }


def write_report(path, violations, totals, elapsed_s, settings, timing_data):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    groups = [
        {"command": command, "kind": kind, "count": len(records),
         "signatures": dict(Counter(record["signature"] for record in records))}
        for (command, kind), records in grouped(violations)
    ]
    with open(path, "w") as handle:
        json.dump({"settings": settings, "cases": totals, "elapsed_s": round(elapsed_s, 1),
                   "violation_count": len(violations), "groups": groups,
                   "timing": timing_data,
                   "violations": violations}, handle, indent=1, ensure_ascii=False)
