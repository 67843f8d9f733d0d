#!/usr/bin/env python3
"""Writes the fixture that pins `crit demo --quick`'s numbers across refactors.

    python3 scripts/demo_fixture.py .build/release/crit Tests/CLITests/Fixtures/demo-quick.json

Runs `crit demo --quick --quiet --jobs 2` into a temporary directory and stores, per run, the
text of metrics.csv and summary.json without its timings (seconds, epochsPerSecond), with the
OpenBLAS core the numbers were made with (kernels differ in rounding between cores).
"""

import json
import os
import subprocess
import sys
import tempfile

TIMINGS = {"seconds", "epochsPerSecond"}


def main():
    binary, out = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as runs:
        subprocess.run([binary, "demo", "--quick", "--quiet", "--jobs", "2", "--runs", runs,
                        "--name", "fixture"], check=True, stdout=subprocess.DEVNULL)
        core = subprocess.run([binary, "bench", "step", "--steps", "1", "--json"],
                              check=True, capture_output=True, text=True)
        root = os.path.join(runs, "fixture")
        records = {}
        for condition in sorted(os.listdir(root)):
            directory = os.path.join(root, condition)
            if not os.path.isdir(directory) or condition == "data":
                continue
            for seed in sorted(os.listdir(directory)):
                run = os.path.join(directory, seed)
                if not os.path.isfile(os.path.join(run, "summary.json")):
                    continue
                with open(os.path.join(run, "metrics.csv")) as handle:
                    metrics = handle.read()
                with open(os.path.join(run, "summary.json")) as handle:
                    summary = {k: v for k, v in json.load(handle).items() if k not in TIMINGS}
                records[f"{condition}/{seed}"] = {"metrics": metrics, "summary": summary}
    blas = json.loads(core.stdout).get("blasCore", "unknown")
    with open(out, "w") as handle:
        json.dump({"command": "crit demo --quick --jobs 2", "blasCore": blas, "runs": records},
                  handle, indent=1, sort_keys=True)
        handle.write("\n")


if __name__ == "__main__":
    main()
