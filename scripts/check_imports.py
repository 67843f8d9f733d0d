#!/usr/bin/env python3
"""Every module a target imports is one of its declared dependencies in Package.swift.

SwiftPM's `--explicit-target-dependency-import-check error` (which CI also passes) accepts an
import reached through the dependency graph; this check asks for the direct declaration, so
that Package.swift reads as the architecture. It reads the manifest through
`swift package dump-package` and each target's `import` lines (also `@testable`,
`@_exported`, `internal`/`public`/`package` imports); system modules (Foundation, Dispatch,
Glibc, Testing, XCTest, …) are allowed without declaration. CritCLI may import only
Experiments, Report, Sweeps, ArgumentParser and Foundation.

    python3 scripts/check_imports.py        # exit 1 and one line per undeclared import
"""

import json
import os
import re
import subprocess
import sys

SYSTEM = {
    "Foundation", "FoundationEssentials", "Dispatch", "Glibc", "Musl", "Darwin", "Testing",
    "XCTest", "Synchronization", "_Concurrency", "Swift", "os", "CoreFoundation",
}
IMPORT = re.compile(
    r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|private|fileprivate)\s+)?"
    r"import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)",
    re.M,
)
# The command line speaks to the layers above the engine only (thin commands): what it needs
# from beneath comes through the experiments' vocabulary (Sources/Experiments/Vocabulary.swift).
ONLY = {"CritCLI": {"Experiments", "Report", "Sweeps", "ArgumentParser", "Foundation"}}


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    manifest = json.loads(
        subprocess.run(["swift", "package", "dump-package"], cwd=root, check=True,
                       capture_output=True, text=True).stdout)
    failures = []
    for target in manifest["targets"]:
        name = target["name"]
        declared = set()
        for dependency in target.get("dependencies", []):
            for kind, value in dependency.items():
                # byName: [name, condition]; target: [name, condition]; product: [name, package, …]
                declared.add(value[0])
        path = target.get("path") or os.path.join(
            "Tests" if target["type"] == "test" else "Sources", name)
        for directory, _, files in os.walk(os.path.join(root, path)):
            for file in files:
                if not file.endswith(".swift"):
                    continue
                text = open(os.path.join(directory, file), encoding="utf-8").read()
                for module in sorted(set(IMPORT.findall(text))):
                    if name in ONLY and module not in ONLY[name] and module != name:
                        failures.append(
                            f"{os.path.relpath(os.path.join(directory, file), root)}: target "
                            f"{name} imports {module}; it may import only "
                            f"{', '.join(sorted(ONLY[name]))}")
                        continue
                    if module in SYSTEM or module == name or module in declared:
                        continue
                    failures.append(
                        f"{os.path.relpath(os.path.join(directory, file), root)}: target {name} "
                        f"imports {module} without declaring it in Package.swift")
    for line in failures:
        print(line)
    print(f"check_imports: {len(failures)} undeclared import(s) in {len(manifest['targets'])} targets")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
