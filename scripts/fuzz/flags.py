"""The `flags` fuzz cases: every command path and option found in `crit --help` and
`crit help <path>`, each option given hostile values on top of a quick valid invocation.
"""

import re
import subprocess

from harness import Case

# Every (command path, option) pair gets these; options that are not paths get the rest too.
REQUIRED_VALUES = ["0", "-1", "nan", "inf", "9223372036854775807", ""]
MORE_VALUES = ["-inf", "1e308", "99999999999999999999", ",".join(["1"] * 20000), "1,2,3", "abc"]

# Path cases: an existing directory, a path under a missing directory, two devices, and a
# symlink to an existing file (the option's usual input where it reads one).
PATH_VALUES = ["existing-dir", "missing-dir/sub/file.out", "/dev/full", "/dev/null", "link"]
DEVICE_VALUES = {"/dev/full", "/dev/null"}

STORE_VALUES = [
    "sqlite:", "sqlite:existing-dir", "sqlite:missing-dir/sub/x.sqlite", "sqlite:link",
    "sqlite:garbage.sqlite", "sqlite:existing.txt", "postgres://u:p@127.0.0.1:1/db",
    "postgres://", "postgresql://x", "mysql://localhost/db", "sqlite", "file:x.sqlite",
]

NAME_VALUES = [".", "..", "a/b", "../escape", "ünïcödé", "x" * 300, "a b", "-"]

# A valid, quick invocation of each command path (files come from the fixtures).
BASE_ARGS = {
    "train": ["--epochs", "1", "--samples", "32", "--hidden", "8", "--out", "run", "--quiet"],
    "demo": ["--quick", "--quiet", "--epochs", "1", "--seeds", "2", "--jobs", "1",
             "--boundary-resolution", "8"],
    "sweep": ["sweep.yaml", "--store", "sqlite:db.sqlite", "--quiet", "--jobs", "1"],
    "report": ["sqlite:store.sqlite", "--out", "report.html"],
    "export": ["sqlite:store.sqlite"],
    "analyze": ["model.safetensors"],
    # The store already holds every run of this exact protocol (made at start): it resumes.
    "run asisr": ["--quick", "--quiet", "--epochs", "1", "--seeds", "2",
                  "--store", "sqlite:asisr.sqlite", "--jobs", "2"],
    # (not --quick: it would override the sizes)
    "run meanfield": ["--quiet", "--width", "10", "--depth", "3", "--sigma-w2", "1,2",
                      "--sigma-b2", "0.1"],
    # Resumes the trained runs made at start (copied into runs/).
    "run reservoir": ["--quick", "--quiet", "--units", "10", "--epochs", "1", "--seeds", "2",
                      "--reservoir-seeds", "1", "--lyapunov-units", "10", "--rhos", "0.5,1",
                      "--jobs", "1"],
    # A tiny protocol: 2 draws of 64 points, P = 16 and 32, one width.
    "run scaling": ["--quick", "--quiet", "--draws", "2", "--widths", "8", "--max-samples", "32",
                    "--spectrum-points", "64", "--test-points", "20", "--dimension", "4",
                    "--jobs", "1"],
    "run attention": ["--quick", "--quiet", "--seeds", "1", "--depth", "2", "--training-seeds", "1",
                      "--steps", "4", "--jobs", "1"],
    # A tiny protocol: d = 4, P/d = 2 and 4, 20 steps, one draw.
    "run sample-complexity": ["--quick", "--quiet", "--dimensions", "4", "--ratios", "2,4",
                              "--seeds", "1", "--steps", "20", "--jobs", "1"],
    "run trainability": ["--resolution", "8", "--steps", "20", "--window", "5", "--quiet",
                         "--threads", "1"],
    "theory meanfield": [],
    "theory critical-line": ["--points", "3"],
    "theory phase-diagram": ["--width", "16", "--out", "phase.svg"],
    "theory lyapunov": ["--units", "10", "--steps", "20", "--transient", "5", "--gains", "1,2"],
    "bench step": ["--steps", "1", "--threads", "1"],
    "bench seed": ["--epochs", "1"],
    # One step per timing: the defaults (10) take ~13 s, too near the 30 s case limit when
    # four cases share two cores.
    "bench transformer": ["--steps", "1"],
    "bench powerlaw": ["--out", "samples"],
    "bench reservoir": ["--units", "10", "--steps", "200", "--rhos", "0.5,1"],
    "bench trainability": ["--resolution", "8", "--steps", "10"],
    "bench kernel": ["--points", "64", "--dimension", "4"],
}

NPY_DATA = ["--dataset", "npy", "--data", "x.npy", "--labels", "y.npy"]
SPECTRAL = ["--regularization", "spectral-penalty"]

# Options that only matter in some setting: what to add to the base so the value is used.
OPTION_CONTEXT = {
    ("train", "--data"): ["--dataset", "npy", "--labels", "y.npy"],
    ("train", "--labels"): ["--dataset", "npy", "--data", "x.npy"],
    ("train", "--test-data"): NPY_DATA + ["--test-labels", "ty.npy"],
    ("train", "--test-labels"): NPY_DATA + ["--test-data", "tx.npy"],
    ("train", "--label-column"): ["--dataset", "csv", "--data", "data.csv"],
    ("train", "--task"): ["--dataset", "teacher-student", "--dimension", "4"],
    ("train", "--dimension"): ["--dataset", "teacher-student"],
    ("train", "--alpha"): ["--dataset", "power-law", "--dimension", "4"],
    ("train", "--classes"): ["--dataset", "blobs"],
    ("train", "--cells"): ["--dataset", "checkerboard"],
    ("train", "--penalty-weight"): SPECTRAL,
    ("train", "--target"): SPECTRAL,
    ("train", "--targets"): SPECTRAL,
    ("train", "--rg-ratio"): SPECTRAL,
    ("train", "--boundary-resolution"): ["--indicators-every", "1"],
    ("train", "--step-epochs"): ["--schedule", "step"],
    ("train", "--step-factor"): ["--schedule", "step"],
    ("train", "--min-lr"): ["--schedule", "cosine"],
    ("train", "--momentum"): ["--optimizer", "momentum"],
    ("sweep", "--array"): ["--slurm"],
    ("run trainability", "--minibatch"): ["--variant", "minibatch"],
    ("run trainability", "--tiles"): ["--store", "sqlite:tiles.sqlite"],
    ("run trainability", "--lease"): ["--store", "sqlite:tiles.sqlite"],
    ("run trainability", "--zoom-to"): ["--zoom", "2"],
    ("run trainability", "--zoom-target"): ["--zoom", "2"],
}

# Options whose base is a different invocation altogether.
OPTION_BASE = {
    ("train", "--config"): ["--quiet", "--out", "run"],
    ("train", "--set"): ["--set", "epochs=1", "--set", "data.count=32", "--quiet", "--out",
                         "run"],
    ("demo", "--config"): ["--quick", "--quiet", "--jobs", "1"],
    ("demo", "--set"): ["--config", "protocol.yaml", "--quick", "--quiet", "--jobs", "1"],
}

# The fixture a path option reads, which its symlink case points to.
INPUT_FIXTURE = {
    ("train", "--data"): "x.npy",
    ("train", "--labels"): "y.npy",
    ("train", "--test-data"): "tx.npy",
    ("train", "--test-labels"): "ty.npy",
    ("train", "--config"): "config.yaml",
    ("demo", "--config"): "protocol.yaml",
    ("run reservoir", "--reference"): "reference.json",
    ("sweep", "<file>"): "sweep.yaml",
    ("analyze", "<files>"): "model.safetensors",
    ("report", "<store>"): "store.sqlite",
    ("export", "<store>"): "store.sqlite",
}

PATH_WORDS = re.compile(r"\b(file|files|directory|here)\b", re.IGNORECASE)
REPEATABLE = {"--set"}


class Option:
    def __init__(self, name, takes_value, description):
        self.name = name  # "--epochs", or "<file>" for a positional argument
        self.takes_value = takes_value
        self.description = description

    @property
    def positional(self):
        return self.name.startswith("<")

    def kind(self, command):
        """value, path, store or name: which hostile values fit."""
        if "store" in self.name or "store URL" in self.description:
            return "store"
        if self.name in ("--name", "--sweep"):
            return "name"
        if (command, self.name) in INPUT_FIXTURE or PATH_WORDS.search(self.description):
            return "path"
        return "value"


class CommandPath:
    def __init__(self, words, options):
        self.words = words  # ["run", "asisr"]
        self.options = options

    @property
    def name(self):
        return " ".join(self.words)


# ---------------------------------------------------------------------------------------
# Help parsing

SECTION = re.compile(r"^([A-Z][A-Z ,&/-]*):\s*$")
OPTION_LINE = re.compile(r"^  (?:-\w, )?(--[\w-]+)(?: <([^>]+)>)?(?:\s+(.*))?$")
ARGUMENT_LINE = re.compile(r"^  (<[\w-]+>)(?:\s*\.\.\.)?(?:\s{2,}(.*))?$")
SUBCOMMAND_LINE = re.compile(r"^  ([a-z][\w-]*)(?:\s{2,}.*)?$")
NOT_OPTION_SECTIONS = {"OVERVIEW", "USAGE", "ARGUMENTS", "SUBCOMMANDS"}
IGNORED_OPTIONS = {"--help", "--version", "--generate-completion-script"}


def parse_help(text):
    """(subcommand names, options) from one help page."""
    subcommands = []
    options = []
    section = None
    current = None
    for line in text.splitlines():
        header = SECTION.match(line)
        if header:
            section = header.group(1)
            current = None
            continue
        if not line.strip():
            current = None
            continue
        if section == "SUBCOMMANDS":
            match = SUBCOMMAND_LINE.match(line)
            if match:
                subcommands.append(match.group(1))
        elif section == "ARGUMENTS":
            match = ARGUMENT_LINE.match(line)
            if match:
                current = Option(match.group(1), True, match.group(2) or "")
                options.append(current)
            elif current and line.startswith("      "):
                current.description += " " + line.strip()
        elif section and section not in NOT_OPTION_SECTIONS:
            match = OPTION_LINE.match(line)
            if match:
                current = Option(match.group(1), match.group(2) is not None,
                                 match.group(3) or "")
                options.append(current)
            elif current and line.startswith("      "):
                current.description = (current.description + " " + line.strip()).strip()
    options = [o for o in options if o.name not in IGNORED_OPTIONS]
    return subcommands, options


def help_text(binary, words):
    arguments = [binary, "--help"] if not words else [binary, "help"] + words
    result = subprocess.run(arguments, capture_output=True, text=True, timeout=60,
                            env={"OPENBLAS_NUM_THREADS": "1", "COLUMNS": "80",
                                 "PATH": "/usr/bin:/bin"})
    return result.stdout + result.stderr


def discover(binary):
    """Every command path that has no subcommands, with its options (depth first)."""
    found = []

    def visit(words):
        subcommands, options = parse_help(help_text(binary, words))
        if words and not subcommands:
            found.append(CommandPath(words, options))
        for name in subcommands:
            if name != "help":
                visit(words + [name])

    visit([])
    return found


# ---------------------------------------------------------------------------------------
# Cases


def option_values(kind):
    """The hostile values of an option of this kind, required ones first."""
    if kind == "value":
        return REQUIRED_VALUES + MORE_VALUES
    if kind == "path":
        return REQUIRED_VALUES + PATH_VALUES
    if kind == "store":
        return REQUIRED_VALUES + STORE_VALUES + ["/dev/null"]
    return REQUIRED_VALUES + NAME_VALUES + MORE_VALUES[3:4]


def without_option(args, name):
    """args without `name VALUE` (and `name=VALUE`)."""
    result = []
    skip = False
    for argument in args:
        if skip:
            skip = False
            continue
        if argument == name:
            skip = True
            continue
        if argument.startswith(name + "="):
            continue
        result.append(argument)
    return result


def option_argument(name, value):
    """`--opt VALUE`, or `--opt=VALUE` when the value starts with '-' (else it reads as an
    option)."""
    return [f"{name}={value}"] if value.startswith("-") else [name, value]


def invocation(command, option, value):
    key = (command.name, option.name)
    base = list(OPTION_BASE.get(key, BASE_ARGS.get(command.name, [])))
    base += OPTION_CONTEXT.get(key, [])
    if option.positional:
        rest = base[1:] if base and not base[0].startswith("-") else base
        return command.words + [value] + rest
    if option.name not in REPEATABLE:
        base = without_option(base, option.name)
    return command.words + base + option_argument(option.name, value)


def flag_cases(commands, fixtures):
    """Every option of every command path with each of its hostile values."""
    cases = []
    for command in commands:
        if command.name not in BASE_ARGS:
            print(f"note: no base arguments for '{command.name}'; its options are run on "
                  f"its defaults")
        for option in command.options:
            if not option.takes_value:
                continue
            link_target = INPUT_FIXTURE.get((command.name, option.name), "existing.txt")
            for value in option_values(option.kind(command.name)):
                args = invocation(command, option, value)
                shown_value = value if len(value) <= 40 else f"<{len(value)} chars>"
                cases.append(Case(
                    "flags", command.name, args,
                    label=f"{option.name} {shown_value!r}",
                    files=fixtures.files_for(command.name),
                    dirs=["existing-dir"],
                    symlinks={"link": link_target},
                    touches_devices=any(device in value for device in DEVICE_VALUES),
                ))
    return cases
