"""Mutated configuration, sweep and protocol files and `--set` overrides: the `configs`
fuzz cases for `crit train --config`, `crit sweep` and `crit demo --config`.

Files are built as trees and written by a small YAML (block) or JSON emitter; a `Raw` leaf
is written verbatim, which is how hostile scalars (`.nan`, `2**64`, an alias) get in.
"""

import copy
import json

from harness import Case


class Raw:
    """A YAML/JSON fragment written exactly as given."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text if len(self.text) <= 60 else f"{self.text[:40]}…<{len(self.text)}>"


# ---------------------------------------------------------------------------------------
# Emitters


def yaml_scalar(value):
    if isinstance(value, Raw):
        return value.text
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(yaml_scalar(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_key(k)}: {yaml_scalar(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def yaml_key(key):
    if isinstance(key, Raw):
        return key.text
    plain = key and all(c.isalnum() or c in "._-" for c in key) and not key[0] in "-."
    return key if plain else json.dumps(key, ensure_ascii=False)


def to_yaml(tree, indent=0):
    """Block-style YAML of a mapping (lists and Raw leaves in flow style)."""
    lines = []
    for key, value in tree.items():
        prefix = " " * indent + yaml_key(key) + ":"
        if isinstance(value, dict) and value:
            lines.append(prefix)
            lines.append(to_yaml(value, indent + 2))
        else:
            lines.append(f"{prefix} {yaml_scalar(value)}")
    return "\n".join(lines)


def to_json(value):
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        items = [f"{json.dumps(k.text if isinstance(k, Raw) else k, ensure_ascii=False)}: "
                 f"{to_json(v)}" for k, v in value.items()]
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(to_json(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


# A tree may carry YAML text to put before it (anchors its aliases refer to); such a tree is
# always written as YAML.
YAML_PREFIX = "__yaml_prefix__"


def emit(tree, style):
    if YAML_PREFIX in tree:
        tree = dict(tree)
        return tree.pop(YAML_PREFIX) + "\n" + to_yaml(tree) + "\n"
    return (to_yaml(tree) if style == "yaml" else to_json(tree)) + "\n"


# ---------------------------------------------------------------------------------------
# Base files (small: every valid run takes well under a second)


def train_base():
    return {
        "epochs": 1,
        "hidden": [8],
        "batchSize": 16,
        "learningRate": 0.01,
        "data": {"kind": "moons", "count": 32, "noise": 0.2},
        "optimizer": {"kind": "adam"},
    }


def sweep_base():
    return {
        "name": "fuzz-sweep",
        "base": train_base(),
        "seeds": 2,
        "grid": {"data.noise": [0.1, 0.2], "regularization.kind": ["none", "spectral-penalty"]},
        "zip": {"hidden": [[8], [8, 8]], "learningRate": [0.01, 0.005]},
        "random": {"samples": 2, "seed": 0,
                   "axes": {"optimizer.beta1": {"uniform": [0.8, 0.95]},
                            "learningRate": {"log-uniform": [0.0001, 0.01]}}},
    }


def protocol_base():
    """examples/seed-poc.yaml made small."""
    return {
        "name": "fuzz-demo",
        "seeds": 2,
        "base": dict(train_base(), recordDynamics=True,
                     indicators={"every": 1, "boundaryResolution": 8}),
        "conditions": [
            {"name": "baseline"},
            {"name": "spectral-tau1",
             "set": {"regularization.kind": "spectral-penalty", "regularization.weight": 0.1,
                     "regularization.targets": {"kind": "fixed", "tau": 1}}},
        ],
    }


# Every leaf key path of a training configuration (the keys of config.json, optional parts
# included).
TRAIN_KEY_PATHS = [
    "epochs", "hidden", "batchSize", "learningRate", "activation", "initialization", "sigmaW",
    "sigmaB", "bias", "normalization", "dropout", "seed", "recordDynamics",
    "data.kind", "data.count", "data.noise", "data.dimension", "data.classes", "data.cells",
    "data.alpha", "data.task", "data.labelColumn", "data.testFraction", "data.seed",
    "data.path", "data.labelsPath", "data.testPath", "data.testLabelsPath",
    "optimizer.kind", "optimizer.momentum", "optimizer.beta1", "optimizer.beta2",
    "optimizer.epsilon", "optimizer.weightDecay",
    "schedule.kind", "schedule.minimumLearningRate", "schedule.stepEpochs",
    "schedule.stepFactor", "schedule.warmupEpochs",
    "regularization.kind", "regularization.weight", "regularization.targets.kind",
    "regularization.targets.tau", "regularization.targets.taus", "regularization.targets.tau0",
    "regularization.targets.ratio", "regularization.jacobianWeight",
    "regularization.powerIterations", "regularization.adaptation.rate",
    "regularization.adaptation.every", "regularization.adaptation.minimum",
    "regularization.adaptation.maximum", "regularization.adaptation.deadRateThreshold",
    "indicators.every", "indicators.deadThreshold", "indicators.epsilon",
    "indicators.boundaryResolution", "indicators.boundaryWindow.xMin",
    "indicators.boundaryWindow.xMax", "indicators.boundaryWindow.resolution",
    "criticalLearningRate.exponent", "criticalLearningRate.epsilon",
    "criticalLearningRate.minimum", "criticalLearningRate.maximum",
    "robustness.noiseLevels", "robustness.fgsmEpsilons",
]

# A huge valid value of these keys legitimately means a long run: such values only go
# through `crit sweep --dry-run` (nothing trains there); `--epochs 9223372036854775807` itself
# is a flags case.
LONG_RUN_KEYS = {"epochs", "schedule.warmupEpochs"}
LONG_RUN_VALUES = {"9223372036854775807", "1000000000", "1e9", "18446744073709551615"}

HUGE_NUMBERS = ["9223372036854775807", "9223372036854775808", "18446744073709551615",
                "18446744073709551616", "-9223372036854775808", "-9223372036854775809",
                "1e300", "-1e300", "1e309", "1000000000", "1e9", "99999999999999999999"]

HOSTILE_SCALARS = HUGE_NUMBERS + [
    "-1", "-3", "0", "-0", "0.5", "1.0", "2.5", "-0.0", ".nan", ".NaN", "nan", ".inf", "-.inf",
    "inf", "Infinity", "NaN", "4.9e-324", "1e-400", "0x7fffffffffffffff", "0xffffffffffffffff",
    "0o777", "1_000", "+1", "true", "false", "yes", "no", "on", "null", "~", "''", "'abc'",
    "\"\"", "'1'", "[]", "[1, 2]", "[[[1]]]", "{}", "{a: 1}", "[.nan]", "[-1]", "[0]",
    "[9223372036854775807]", "[1e300, -1e300]", "!!binary aGVsbG8=", "!!str 5", "!!float 1",
    "!!int '5'", "!!set {a, b}", "!!timestamp 2001-12-14", "2001-12-14", "12:30:00", "=",
    "!custom 1", "&anchor 1", "*undefined", "!!python/object:os.system 'true'",
    "'" + "x" * 100000 + "'", "[" + ", ".join(["1"] * 20000) + "]",
    "[" + ", ".join(["0.1"] * 5000) + "]",
]

JSON_HOSTILE_SCALARS = HUGE_NUMBERS + [
    "-1", "0", "-0", "0.5", "NaN", "Infinity", "-Infinity", "1e999", "-1e999", "4.9e-324",
    "true", "null", "\"\"", "\"1\"", "[]", "{}", "[1, 2]", "[[1]]", "{\"a\": 1}",
    "\"\\u0000\"", "\"\\ud800\"", "\"" + "x" * 100000 + "\"",
    "[" + ", ".join(["1"] * 20000) + "]",
]

ODD_KEYS = ["", ".", "..", " ", "a..b", ".epochs", "epochs.", "data..noise", "data. noise",
            "Epochs", "epochs ", " epochs", "ünïcödé", "😀", "key\twith\ttab", "<<", "~",
            "null", "1", "-", "a" * 10000, "\u202e", "\u2028", "data.noise.extra",
            "epochs.value", "__proto__", "\\", "\"", "'", "#", "{a}", "[0]"]


def set_path(tree, dotted, value):
    """Sets tree[a][b][c] = value for `a.b.c`, creating mappings on the way."""
    node = tree
    parts = dotted.split(".")
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[parts[-1]] = value


def hostile_value(rng, style):
    pool = HOSTILE_SCALARS if style == "yaml" else JSON_HOSTILE_SCALARS
    return Raw(rng.choice(pool))


def nested(depth, opener="[", closer="]"):
    return Raw(opener * depth + "1" + closer * depth)


def alias_bomb(levels=9, width=9, flow=False):
    """Billion laughs: a few hundred bytes whose aliases expand to width**levels items.

    Returns (mapping entries defining the anchors, the alias of the largest): block lines,
    or flow entries (`"a0": &a0 [...], ...`) to put inside a JSON-style mapping."""
    entries = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * width)
        entries.append(f"a{level}: &a{level} [{refs}]")
    if flow:
        return ", ".join('"' + entry.replace(":", '":', 1) for entry in entries), \
            f"*a{levels - 1}"
    return "\n".join(entries), f"*a{levels - 1}"


# ---------------------------------------------------------------------------------------
# Mutations of a training configuration tree (also used for sweep and protocol bases)


def mutate_train_tree(rng, tree, style, cheap):
    """Applies one mutation to a training-configuration tree; returns its description.

    `cheap`: the run will train, so large valid values of LONG_RUN_KEYS are avoided."""
    kind = rng.choice(["value", "value", "value", "wrong-type", "odd-key", "unknown-key",
                       "null-part", "deep", "targets"])
    if kind == "value":
        path = rng.choice(TRAIN_KEY_PATHS)
        value = hostile_value(rng, style)
        if cheap and path in LONG_RUN_KEYS and value.text in LONG_RUN_VALUES:
            value = Raw("-1")
        set_path(tree, path, value)
        return f"{path}: {value!r}"
    if kind == "wrong-type":
        path = rng.choice(TRAIN_KEY_PATHS + ["data", "optimizer", "schedule", "regularization",
                                             "indicators", "regularization.targets"])
        value = rng.choice([[1, 2], {"a": 1}, "text", [{"a": 1}], [[8]], {"kind": "moons"}, 1])
        set_path(tree, path, value)
        return f"{path}: {value}"
    if kind == "odd-key":
        key = rng.choice(ODD_KEYS)
        where = rng.choice(["", "data", "optimizer", "regularization.targets"])
        insert_key(tree, where, key, rng.choice([1, "x", None, {}]))
        return f"odd key {where + '.' if where else ''}{key[:40]!r}"
    if kind == "unknown-key":
        key = rng.choice(["epoch", "learning_rate", "data.nosie", "optimiser", "lr", "seeds"])
        set_path(tree, key, 1)
        return f"unknown key {key}"
    if kind == "null-part":
        path = rng.choice(["data", "optimizer", "schedule", "regularization",
                           "regularization.targets", "indicators", "hidden", "epochs"])
        set_path(tree, path, Raw(rng.choice(["null", "~", "{}", "[]", "''"])))
        return f"{path}: null/empty"
    if kind == "deep":
        depth = rng.choice([100, 1000, 10000, 50000])
        opener, closer = rng.choice([("[", "]"), ("{a: ", "}")]) if style == "yaml" else \
            rng.choice([("[", "]"), ('{"a": ', "}")])
        path = rng.choice(["hidden", "data", "unknownKey", "robustness.noiseLevels"])
        set_path(tree, path, nested(depth, opener, closer))
        return f"{path}: nested {depth} deep"
    targets = rng.choice([
        {"kind": "layerwise", "taus": []}, {"kind": "layerwise", "taus": [Raw(".nan")]},
        {"kind": "layerwise", "taus": [1.0] * 10}, {"kind": "rg-flow", "tau0": 1, "ratio": 0},
        {"kind": "rg-flow", "tau0": 1, "ratio": Raw("1e300")},
        {"kind": "rg-flow", "tau0": Raw("-.inf"), "ratio": -1},
        {"kind": "adaptive", "tau0": 0}, {"kind": "fixed"}, {"kind": "fixed", "tau": -1},
        {"kind": "bogus", "tau": 1}, {"tau": 1}, {"kind": "adaptive", "tau0": 1, "ratio": 2},
    ])
    tree["regularization"] = {"kind": rng.choice(["spectral-penalty", "spectral-norm", "none"]),
                              "weight": 0.1, "targets": targets}
    if rng.random() < 0.4:
        adaptation = {"rate": Raw(rng.choice(["-1", ".nan", "1e300"])),
                      "every": Raw(rng.choice(["0", "-1", "1e9"]))}
        tree["regularization"]["adaptation"] = adaptation
        return f"regularization: {tree['regularization']}"
    return f"regularization: {targets}"


def insert_key(tree, where, key, value):
    node = tree
    for part in [p for p in where.split(".") if p]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[Raw(json.dumps(key, ensure_ascii=False))] = value


# ---------------------------------------------------------------------------------------
# Whole-text mutations (any file kind)


def text_mutation(rng, text):
    """A text-level mutation of a valid file's text; returns (bytes, description)."""
    kind = rng.choice(["empty", "comment", "garbage", "truncate", "flip", "duplicate-key",
                       "alias-bomb", "aliases", "long", "documents", "tabs", "encoding",
                       "control"])
    if kind == "empty":
        content = rng.choice(["", " ", "\n", "\n\n\t\n", "---\n", "...\n", "~\n", "null\n",
                              "[]\n", "{}\n", "- a\n", "scalar\n", "5\n", "''\n"])
        return content.encode(), f"whole file {content!r}"
    if kind == "comment":
        return b"# only a comment\n", "only a comment"
    if kind == "garbage":
        size = rng.choice([1, 16, 1000, 100000])
        return bytes(rng.getrandbits(8) for _ in range(size)), f"{size} random bytes"
    if kind == "truncate":
        cut = rng.randrange(len(text))
        return text[:cut].encode(), f"truncated at {cut}"
    if kind == "flip":
        raw = bytearray(text.encode())
        for _ in range(rng.randint(1, 5)):
            position = rng.randrange(len(raw))
            raw[position] = rng.choice(b"{}[]:,-&*!|>'\"#\x00\xff\t\n ")
        return bytes(raw), "random characters replaced"
    if kind == "duplicate-key":
        if text.startswith("{"):
            key = text[1:].split(":")[0]
            return ("{" + f"{key}: null, " + text[1:]).encode(), f"duplicate key {key}"
        first = text.split("\n")[0]
        key = first.split(":")[0]
        return (text + f"{key}: [1]\n").encode(), f"duplicate key {key!r}"
    if kind == "alias-bomb":  # small ones here; the big ones are special_cases()
        levels = rng.choice([3, 5, 6])
        if text.startswith("{"):
            entries = alias_bomb(levels, flow=True)[0]
            return ("{" + entries + ", " + text[1:]).encode(), \
                f"billion laughs ({levels} levels) in the top-level mapping"
        bomb, alias = alias_bomb(levels)
        return (bomb + "\n" + text).encode(), f"billion laughs ({levels} levels) at top level"
    if kind == "aliases":
        variants = [
            "defaults: &d {epochs: 1}\n<<: *d\n",
            "x: &x 1\ny: *x\n",
            "x: *nope\n",
            "x: &x [*x]\n",
            "? [a, b]\n: 1\n",
            "? {a: 1}\n: 1\n",
            "<<: [*a, *b]\n",
            "x: &a &b 1\n",
            "&a x: 1\n",
        ]
        choice = rng.choice(variants)
        return (choice + text).encode(), f"prefix {choice.strip()!r}"
    if kind == "long":
        size = rng.choice([10**5, 10**6, 5 * 10**6])
        return (text + f"note: {'x' * size}\n").encode(), f"{size}-character string value"
    if kind == "documents":
        return (text + "---\n" + text + "---\n").encode(), "three YAML documents"
    if kind == "tabs":
        return text.replace("  ", "\t").encode(), "tabs for indentation"
    if kind == "encoding":
        choice = rng.choice(["utf16", "bom", "latin1", "nul"])
        if choice == "utf16":
            return text.encode("utf-16"), "UTF-16 with BOM"
        if choice == "bom":
            return b"\xef\xbb\xbf" + text.encode(), "UTF-8 BOM"
        if choice == "latin1":
            return text.encode() + b"x: \xe9\xff\xfe\n", "invalid UTF-8 bytes"
        return text.encode().replace(b"\n", b"\x00\n", 2), "NUL bytes"
    return text.encode() + b"\x1b[31mx: 1\x07\x08\n", "control characters"


# ---------------------------------------------------------------------------------------
# Sweep- and protocol-specific mutations


def mutate_sweep_tree(rng, tree, style, dry_run):
    kind = rng.choice(["seeds", "seeds", "grid", "grid", "zip", "random", "random", "random",
                       "name", "base", "base", "top", "seeds", "grid", "random", "base",
                       "zip", "name", "top", "grid", "random"])
    if kind == "seeds":
        value = rng.choice(["-3", "-1", "0", "1e9", "18446744073709551616", "[0, 0]", "[-1]",
                            "[1.5]", "'3'", "[]", ".nan", "2.5", "[9223372036854775807]",
                            "[18446744073709551615]", "{a: 1}", "-9223372036854775808"])
        tree["seeds"] = Raw(value)
        return f"seeds: {value[:60]}"
    if kind == "grid":
        choice = rng.choice(["repeated", "empty-list", "scalar", "list", "unknown", "odd-key",
                             "nan", "null", "mixed", "nested-key"])
        options = {
            "repeated": {"data.noise": [0.1] * 3},
            "empty-list": {"data.noise": []},
            "scalar": {"data.noise": 0.1},
            "list": Raw("[data.noise, 0.1]"),
            "unknown": {"data.nosie": [0.1, 0.2]},
            "odd-key": {rng.choice(ODD_KEYS): [1, 2]},
            "nan": {"data.noise": [Raw(".nan"), Raw(".inf")], "learningRate": [Raw("-.inf")]},
            "null": Raw("null"),
            "mixed": {"hidden": [[8], "x", 5, None, {"a": 1}]},
            "nested-key": {"data": [{"noise": 0.1}], "data.noise.x": [1]},
        }
        tree["grid"] = options[choice]
        return f"grid {choice}: {str(options[choice])[:80]}"
    if kind == "zip":
        value = rng.choice([{"hidden": [[8]], "learningRate": [0.1, 0.2]}, {}, Raw("[]"),
                            {"hidden": []}, {"hidden": Raw("null")}, {"": [1]},
                            {"learningRate": [Raw(".nan"), Raw("1e300")]}])
        tree["zip"] = value
        return f"zip: {value}"
    if kind == "random":
        return mutate_random_section(rng, tree)
    if kind == "name":
        name = rng.choice(["", ".", "..", "a/b", "../x", "a b", "ünï", "😀", "x" * 5000, "-",
                           "CON", "a\x00b", "a\nb", 5, None, [1]])
        tree["name"] = name
        return f"name: {str(name)[:40]!r}"
    if kind == "base":
        base = copy.deepcopy(tree["base"])
        label = mutate_train_tree(rng, base, style, cheap=not dry_run)
        tree["base"] = base
        return f"base: {label}"
    if kind == "top":
        key = rng.choice(["grids", "seed", "", "conditions", "base.epochs", "NAME"])
        tree[key] = 1
        return f"top-level key {key!r}"
    levels = rng.choice([7, 8, 9])
    bomb, alias = alias_bomb(levels)
    tree["grid"] = {"data.noise": Raw(alias)}
    tree[YAML_PREFIX] = bomb
    return f"grid axis is a billion-laughs alias ({levels} levels)"


def mutate_random_section(rng, tree):
    random = tree["random"]
    axis = rng.choice(["learningRate", "batchSize", "epochs", "data.noise", "hidden"])
    spec = rng.choice([
        {"int-uniform": [1, Raw("1e300")]}, {"int-uniform": [Raw("-1e300"), 1]},
        {"int-uniform": [Raw("-9223372036854775808"), Raw("9223372036854775807")]},
        {"int-uniform": [0, Raw("9223372036854775807")]}, {"int-uniform": [Raw(".nan"), 5]},
        {"int-uniform": [Raw("1e19"), Raw("1e19")]}, {"int-uniform": [5, 1]},
        {"uniform": [Raw(".nan"), 1]}, {"uniform": [1, Raw(".inf")]},
        {"uniform": [Raw("-.inf"), Raw(".inf")]}, {"uniform": [Raw("-1e308"), Raw("1e308")]},
        {"log-uniform": [0, 1]}, {"log-uniform": [-1, 1]}, {"log-uniform": [Raw("1e-320"), 1]},
        {"log-uniform": [1, Raw("1e308")]}, {"log-uniform": [Raw("4.9e-324"), Raw("1e308")]},
        {"choice": []}, {"choice": "abc"}, {"choice": [Raw(".nan"), None]}, {"normal": [0, 1]},
        {"uniform": [1]}, {"uniform": [1, 2, 3]}, {"uniform": "1,2"}, {},
        {"uniform": [0, 1], "choice": [1]}, {"uniform": ["a", "b"]},
    ])
    random["axes"] = {axis: spec}
    roll = rng.random()
    if roll < 0.25:
        seed = rng.choice(["-1", "-9223372036854775808", "1e9", "18446744073709551616", ".nan",
                           "'x'", "9223372036854775807", "[1]"])
        random["seed"] = Raw(seed)
        return f"random.seed {seed}; random.axes.{axis}: {spec}"
    if roll < 0.45:
        samples = rng.choice(["0", "-1", "2.5", ".nan", "'2'", "null", "1e9",
                              "18446744073709551616"])
        random["samples"] = Raw(samples)
        return f"random.samples {samples}; random.axes.{axis}: {spec}"
    return f"random.axes.{axis}: {spec}"


def mutate_protocol_tree(rng, tree, style):
    kind = rng.choice(["conditions", "conditions", "seeds", "name", "base", "base", "top"])
    if kind == "conditions":
        value = rng.choice([
            [], Raw("null"), {"name": "x"}, [{"name": ""}], [{"name": "a/b"}],
            [{"name": "x"}, {"name": "x"}], [{"name": "x", "set": [1]}],
            [{"name": "x", "set": {"": 1}}], [{"name": "x", "set": {".": 1}}],
            [{"name": "x", "set": {"..": 1}}], [{"name": "x", "set": {"a..b": 1}}],
            [{"name": "x", "sett": {}}], [{"set": {}}], [{"name": 5}], [Raw("null")], ["x"],
            [{"name": "x", "set": {"epochs": Raw("-1")}}],
            [{"name": "x", "set": {"data": Raw("null")}}],
            [{"name": "x", "set": {"hidden": Raw("[0]")}}],
            [{"name": "..", "set": {}}], [{"name": ".", "set": {}}],
            [{"name": "ünïcödé 😀"}], [{"name": "x" * 5000}], [{"name": "a\nb"}],
            [{"name": f"c{i}"} for i in range(40)],
        ])
        tree["conditions"] = value
        return f"conditions: {str(value)[:100]}"
    if kind == "seeds":
        value = rng.choice(["1", "0", "-1", "-3", "[0]", "[0, 0]", "[-1, 2]", "2.5", ".nan",
                            "'2'", "[]", "[1.5, 2]", "18446744073709551616", "{}"])
        tree["seeds"] = Raw(value)
        return f"seeds: {value}"
    if kind == "name":
        name = rng.choice(["", ".", "..", "a/b", "../x", "a b", 5, None, "x" * 5000, "a\nb"])
        tree["name"] = name
        return f"name: {str(name)[:40]!r}"
    if kind == "base":
        base = copy.deepcopy(tree["base"])
        label = mutate_train_tree(rng, base, style, cheap=True)
        tree["base"] = base
        return f"base: {label}"
    key = rng.choice(["condition", "grid", "", "seed", "base.epochs"])
    tree[key] = 1
    return f"top-level key {key!r}"


# ---------------------------------------------------------------------------------------
# --set overrides

SET_OVERRIDES = [
    ".=5", " =5", "..=5", "a.b.c=[1,2", "=1", "=", "epochs=nan", "epochs=", "epochs",
    "epochs==1", "epochs=1=2", "epochs=.nan", "epochs=1e300", "epochs=9223372036854775808",
    "epochs=-1", "epochs=[1,2", "epochs={a: 1}", "epochs=!!binary aGk=", "epochs=*x",
    "epochs=&a 1", "hidden=[0]", "hidden=[]", "hidden=[-1]", "hidden=[1e300]", "hidden=8",
    "hidden=[" + ",".join(["1"] * 20000) + "]", "data=null", "data=", "data.noise=.inf",
    "data.noise=-.nan", "data.count=-5", "data.count=1", "data.count=2.5", "data.kind=npy",
    "data.kind=csv", "data.kind=nope", "data.path=/dev/null", "learningRate=0",
    "learningRate=1e309", "seed=-1", "seed=18446744073709551615", "seed=18446744073709551616",
    "seed=1e19", "data.seed=-1", "optimizer=adam", "optimizer.kind=", "regularization.targets=x",
    "regularization.targets.kind=adaptive", "indicators.every=0",
    "indicators.boundaryResolution=7", "indicators.boundaryResolution=-8", "a" * 5000 + "=1",
    "ünï=1", "data.ünï=1", "epochs =1", " epochs=1", "epochs= 1", "epochs=1 # c",
    "data..noise=0.1", ".data.noise=0.1", "data.noise.=0.1", "data.noise.x=1", "\t=1",
    "epochs=\x01", "x=" + "[" * 10000, "x=" + "{a: " * 5000,
]

DEMO_SET_OVERRIDES = [
    "seeds=1", "seeds=0", "seeds=-1", "seeds=nan", "seeds=[0, 0]", "seeds=[]", "seeds=",
    "seeds=18446744073709551616", "seeds=2.5", "name=", "name=a/b", "name=..", "name=.",
    "name=" + "x" * 5000, "name=[1]", "base=1", "base.=1", "base..epochs=1", "base.epochs=0",
    "base.epochs=nan", "base.epochs=-1", "base.data=null", "base.hidden=[0]", "conditions=[]",
    ".=5", " =5", "..=5", "=1", "a.b.c=[1,2", "base.a.b.c=[1,2", "base.x=" + "[" * 10000,
]


# ---------------------------------------------------------------------------------------
# Cases


def train_config_case(rng):
    style = rng.choice(["yaml", "json"])
    name = "config.yaml" if style == "yaml" else "config.json"
    tree = train_base()
    if rng.random() < 0.25:
        content, label = text_mutation(rng, emit(tree, style))
    else:
        label = mutate_train_tree(rng, tree, style, cheap=True)
        content = emit(tree, style).encode()
    args = ["train", "--config", name, "--quiet", "--out", "run"]
    return Case("configs", "train", args, label=f"{name}: {label}", files={name: content})


def train_set_case(rng):
    override = rng.choice(SET_OVERRIDES)
    if rng.random() < 0.5:
        args = ["train", "--config", "config.yaml", "--set", override, "--quiet", "--out", "run"]
        files = {"config.yaml": emit(train_base(), "yaml").encode()}
    else:
        args = ["train", "--set", "epochs=1", "--set", "data.count=32", "--set", override,
                "--quiet", "--out", "run"]
        files = {}
    return Case("configs", "train", args, label=f"--set {override[:60]!r}", files=files)


def sweep_case(rng, dry_run):
    style = rng.choice(["yaml", "json"])
    name = "sweep.yaml" if style == "yaml" else "sweep.json"
    tree = sweep_base()
    if rng.random() < 0.2:
        content, label = text_mutation(rng, emit(tree, style))
    else:
        label = mutate_sweep_tree(rng, tree, style, dry_run)
        content = emit(tree, style).encode()
    if dry_run:
        args = ["sweep", name, "--dry-run"]
    else:
        args = ["sweep", name, "--store", "sqlite:db.sqlite", "--quiet", "--jobs", "1"]
    return Case("configs", "sweep", args, label=f"{name}: {label}", files={name: content})


def demo_case(rng):
    style = rng.choice(["yaml", "json"])
    name = "protocol.yaml" if style == "yaml" else "protocol.json"
    tree = protocol_base()
    args = ["demo", "--config", name, "--quick", "--quiet", "--jobs", "1"]
    roll = rng.random()
    if roll < 0.2:
        content, label = text_mutation(rng, emit(tree, style))
    elif roll < 0.35:
        override = rng.choice(DEMO_SET_OVERRIDES)
        content = emit(tree, style).encode()
        args += ["--set", override]
        label = f"--set {override[:60]!r}"
    else:
        label = mutate_protocol_tree(rng, tree, style)
        content = emit(tree, style).encode()
    return Case("configs", "demo", args, label=f"{name}: {label}", files={name: content})


def large_sweep_case(label, change):
    tree = sweep_base()
    change(tree)
    return Case("configs", "sweep", ["sweep", "sweep.yaml", "--dry-run"],
                label=f"sweep.yaml: {label}", files={"sweep.yaml": emit(tree, "yaml").encode()})


def huge_grid(tree):
    keys = ["data.noise", "sigmaW", "sigmaB", "dropout", "optimizer.beta1",
            "regularization.weight", "data.testFraction"]
    tree["grid"] = {key: [round(0.05 * (i + 1), 2) for i in range(10)] for key in keys}


def bomb_case(command, levels, style):
    """A billion-laughs file for `command`, its anchors at the top level."""
    tree = {"train": train_base, "sweep": sweep_base, "demo": protocol_base}[command]()
    text = emit(tree, style)
    if style == "json":
        content = "{" + alias_bomb(levels, flow=True)[0] + ", " + text[1:]
    else:
        content = alias_bomb(levels)[0] + "\n" + text
    name = {"train": "config", "sweep": "sweep", "demo": "protocol"}[command] + "." + style
    args = {"train": ["train", "--config", name, "--quiet", "--out", "run"],
            "sweep": ["sweep", name, "--dry-run"],
            "demo": ["demo", "--config", name, "--quick", "--quiet", "--jobs", "1"]}[command]
    return Case("configs", command, args, label=f"{name}: billion laughs, {levels} levels",
                files={name: content.encode()})


def grid_bomb_case(levels):
    tree = sweep_base()
    bomb, alias = alias_bomb(levels)
    tree["grid"] = {"data.noise": Raw(alias)}
    tree[YAML_PREFIX] = bomb
    return Case("configs", "sweep", ["sweep", "sweep.yaml", "--dry-run"],
                label=f"sweep.yaml: grid axis is a billion-laughs alias ({levels} levels)",
                files={"sweep.yaml": emit(tree, "yaml").encode()})


def special_cases():
    """Fixed cases whose inputs expand enormously (each may take the whole time bound, so
    there is one of each): alias bombs and sweeps of 10**7 and more runs."""
    return [
        bomb_case("train", 9, "yaml"),
        bomb_case("demo", 8, "json"),
        bomb_case("sweep", 7, "yaml"),
        grid_bomb_case(9),
        large_sweep_case("grid of 10**7 combinations", huge_grid),
        large_sweep_case("seeds: 10000000", lambda tree: tree.update(seeds=10**7)),
        large_sweep_case("seeds: 9223372036854775807",
                         lambda tree: tree.update(seeds=2**63 - 1)),
        large_sweep_case("seeds: a list of 100000",
                         lambda tree: tree.update(seeds=list(range(100000)))),
        large_sweep_case("random.samples: 10000000",
                         lambda tree: tree["random"].update(samples=10**7)),
        large_sweep_case("random.samples: 9223372036854775807",
                         lambda tree: tree["random"].update(samples=2**63 - 1)),
    ]


def config_cases(rng, count):
    """`count` cases: the special cases, then random ones (train files 30 %, --set 15 %,
    sweep dry runs 35 %, sweeps into a store 5 %, demo protocols 15 %)."""
    cases = []
    specials = special_cases()
    for _ in range(count - len(specials)):
        roll = rng.random()
        if roll < 0.30:
            cases.append(train_config_case(rng))
        elif roll < 0.45:
            cases.append(train_set_case(rng))
        elif roll < 0.80:
            cases.append(sweep_case(rng, dry_run=True))
        elif roll < 0.85:
            cases.append(sweep_case(rng, dry_run=False))
        else:
            cases.append(demo_case(rng))
    return cases + specials
