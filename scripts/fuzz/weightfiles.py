"""Valid and mutated `.npy` and `.safetensors` files, and the `files` fuzz cases that feed
them to `crit analyze` and to `crit train --dataset npy`.

Every builder takes a `random.Random`, so the cases are a function of the seed alone.
"""

import json
import math
import struct

from harness import Case

NPY_MAGIC = b"\x93NUMPY"
INT64_MAX = 2**63 - 1
UINT64_MAX = 2**64 - 1

NPY_BASE_SHAPES = [(20, 30), (64, 16), (3, 4, 5), (50,), (1, 1), (1, 40), (40, 1), (30, 20)]
NPY_FLOAT_FORMATS = {"<f4": "<f", "<f8": "<d", ">f4": ">f", ">f8": ">d", "<f2": "<e"}
SAFETENSORS_FORMATS = {"F32": "<f", "F64": "<d", "F16": "<e", "I64": "<q", "I32": "<i"}


# ---------------------------------------------------------------------------------------
# Values


def product(shape):
    total = 1
    for extent in shape:
        total *= extent
    return total


def random_values(rng, count, style="normal"):
    """`count` floats in one of a few hostile or ordinary styles."""
    if style == "normal":
        return [rng.gauss(0.0, 1.0) for _ in range(count)]
    if style == "nan":
        return [math.nan if rng.random() < 0.3 else rng.gauss(0, 1) for _ in range(count)]
    if style == "all-nan":
        return [math.nan] * count
    if style == "inf":
        return [rng.choice([math.inf, -math.inf, rng.gauss(0, 1)]) for _ in range(count)]
    if style == "all-inf":
        return [math.inf] * count
    if style == "all-minus-inf":
        return [-math.inf] * count
    if style == "zero":
        return [0.0] * count
    if style == "huge":
        return [rng.choice([1e308, -1e308, 1.7e308]) for _ in range(count)]
    if style == "denormal":
        return [rng.choice([5e-324, -5e-324, 1e-310, 1e-45, 0.0]) for _ in range(count)]
    if style == "constant":
        return [3.0] * count
    if style == "rank-one":
        return [1.0 + 0.0 * i for i in range(count)]
    if style == "mixed-scale":
        return [rng.gauss(0, 1) * 10.0 ** rng.randint(-30, 30) for _ in range(count)]
    if style == "one-huge":
        values = [rng.gauss(0, 1) for _ in range(count)]
        values[rng.randrange(count)] = rng.choice([1e38, 3.4e38, 1e300, -1e300])
        return values
    if style == "float32-max":
        return [rng.choice([3.4028235e38, -3.4028235e38]) for _ in range(count)]
    if style == "tiny":
        return [rng.gauss(0, 1) * 1e-30 for _ in range(count)]
    raise ValueError(style)


VALUE_STYLES = ["nan", "all-nan", "inf", "all-inf", "all-minus-inf", "zero", "huge",
                "denormal", "constant", "rank-one", "mixed-scale", "one-huge", "float32-max",
                "tiny"]


def pack_values(values, struct_format):
    """Packs floats, saturating those the format cannot hold (f4/f2 overflow to ±inf)."""
    code = struct_format[-1]
    order = struct_format[0]
    if code in "qi":
        limit = INT64_MAX if code == "q" else 2**31 - 1
        clean = [max(-limit - 1, min(limit, int(v))) if math.isfinite(v) else 0 for v in values]
        return struct.pack(f"{order}{len(clean)}{code}", *clean)
    packed = bytearray()
    for value in values:
        try:
            packed += struct.pack(struct_format, value)
        except (OverflowError, struct.error):
            packed += struct.pack(struct_format, math.copysign(math.inf, value))
    return bytes(packed)


# ---------------------------------------------------------------------------------------
# .npy


def npy_shape_text(shape):
    if isinstance(shape, str):
        return shape
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ", ".join(str(extent) for extent in shape) + ")"


def npy_header_text(descr, fortran_order, shape):
    fortran = fortran_order if isinstance(fortran_order, str) else str(bool(fortran_order))
    return f"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {npy_shape_text(shape)}, }}"


def npy_bytes(header_text, data, version=1, header_length=None):
    """A .npy file: magic, version, header length, the header padded to 64 bytes, data."""
    header = header_text.encode("latin-1") if isinstance(header_text, str) else header_text
    prefix_size = 10 if version == 1 else 12
    padding = (-(prefix_size + len(header) + 1)) % 64
    header = header + b" " * padding + b"\n"
    length = len(header) if header_length is None else header_length
    if version == 1:
        prefix = NPY_MAGIC + bytes([1, 0]) + struct.pack("<H", length & 0xFFFF)
    else:
        prefix = NPY_MAGIC + bytes([version, 0]) + struct.pack("<I", length & 0xFFFFFFFF)
    return prefix + header + data


def valid_npy(rng, shape=None, descr=None, style="normal"):
    """Returns (bytes, description) of a valid float .npy array."""
    shape = shape or rng.choice(NPY_BASE_SHAPES)
    descr = descr or rng.choice(["<f4", "<f8"])
    data = pack_values(random_values(rng, product(shape), style), NPY_FLOAT_FORMATS[descr])
    shown = "" if style == "normal" else f" values {style}"
    return npy_bytes(npy_header_text(descr, False, shape), data), f"npy {descr} {shape}{shown}"


HOSTILE_SHAPES = [
    (2**62, 2), (2**63 - 1,), (2**63 - 1, 2), (2**32, 2**32), (2**31, 2**33), (2**62, 4),
    (3037000500, 3037000500), (2**40, 2**40, 2**40), (-1, 30), (20, -30), (-20, -30),
    (3, 0, 5), (0, 10), (10, 0), (0,), (0, 0), (), (1,) * 64, (2,) * 40, (1, 1, 1, 1, 1, 600),
    (600, 1), (1, 600), (99999999999999999999, 2), (2**64, 1), (2**64 + 1, 2),
    "(20 30)", "(a, b)", "(1e3, 2)", "(20, 30", "20, 30", "(20, 30, )", "[20, 30]",
    "(20.5, 30)", "(+20, 30)", "(0x14, 30)", "((20, 30),)", "(20,,30)", "(, )", "(None, 2)",
    "( 20 , 30 )", "(20L, 30L)", "(" + "1, " * 5000 + ")",
]

HOSTILE_DESCRS = [
    "foo", ">f4", ">f8", "<i8", "<i4", "|i1", "<u8", "|u1", "|b1", "<c8", "<c16", "<f2",
    "<f16", "|O", "|V8", "<U10", "|S4", "<M8[ns]", "<m8[s]", "", "f4", "=f4", "<F4", "<f0",
    "<f3", "<f4<f4", "<i0", "<i99999999999999999999", "'<f4'", "<f\u00e94",
]


def npy_mutations(rng, shape=None):
    """(bytes, label): one hostile header field, hostile values or a random corruption of a
    valid array (of `shape`, or one of the base shapes)."""
    shape = shape or rng.choice(NPY_BASE_SHAPES)
    descr = rng.choice(["<f4", "<f8"])
    base, base_label = valid_npy(rng, shape, descr)
    values = pack_values(random_values(rng, product(shape)), NPY_FLOAT_FORMATS[descr])
    kind = rng.choice(
        ["shape", "shape", "shape", "descr", "descr", "fortran", "header-length", "version",
         "header-text", "values", "values", "data-size", "bytes", "bytes", "truncate",
         "degenerate"]
    )
    if kind == "shape":
        hostile = rng.choice(HOSTILE_SHAPES)
        data = values if rng.random() < 0.7 else values[: rng.randrange(len(values) + 1)]
        return npy_bytes(npy_header_text(descr, False, hostile), data), \
            f"npy {descr}: shape {npy_shape_text(hostile)[:80]}"
    if kind == "descr":
        hostile = rng.choice(HOSTILE_DESCRS)
        item = {"<i8": 8, "<u8": 8, "|b1": 1, "|u1": 1, "<c8": 8, "<c16": 16, "<f2": 2}.get(
            hostile, 4)
        data = bytes(rng.getrandbits(8) for _ in range(product(shape) * item))
        return npy_bytes(npy_header_text(hostile, False, shape), data), \
            f"npy {shape}: descr {hostile!r}"
    if kind == "fortran":
        fortran = rng.choice(["True", "1", "'True'", "maybe", "", "False False", "None"])
        return npy_bytes(npy_header_text(descr, fortran, shape), values), \
            f"npy {descr} {shape}: fortran_order {fortran}"
    if kind == "header-length":
        header = npy_header_text(descr, False, shape)
        version, length = rng.choice(
            [(1, 0), (1, 0xFFFF), (1, 1), (1, 5), (2, 0), (2, 0xFFFFFFFF), (2, 2**31),
             (3, 0x7FFFFFFF), (2, 5000), (1, 300), (3, 1)]
        )
        return npy_bytes(header, values, version, length), \
            f"npy v{version}: header length {length}"
    if kind == "version":
        version = rng.choice([0, 2, 3, 4, 255])
        raw = bytearray(base)
        raw[6] = version
        return bytes(raw), f"{base_label}: version byte {version} (v1 header layout)"
    if kind == "header-text":
        text = rng.choice(npy_hostile_header_texts(descr, shape))
        return npy_bytes(text, values), f"npy header {text[:80]!r}"
    if kind == "values":
        return valid_npy(rng, shape, descr, rng.choice(VALUE_STYLES))
    if kind == "data-size":
        extra = rng.choice([-1, -4, 1, 3, 1000, -len(values)])
        data = values[:extra] if extra < 0 else values + bytes(extra)
        return npy_bytes(npy_header_text(descr, False, shape), data), \
            f"npy {descr} {shape}: data {extra:+d} bytes"
    if kind == "bytes":
        return corrupt_bytes(rng, base, base_label)
    if kind == "truncate":
        cut = rng.randrange(len(base))
        return base[:cut], f"{base_label}: truncated to {cut} bytes"
    degenerate = rng.choice([(1, 1), (1, 2), (2, 1), (1, 500), (500, 1), (2, 2), (8, 8),
                             (1,), (1, 1, 1), (9, 9)])
    style = rng.choice(["normal", "zero", "constant", "all-inf", "nan", "denormal"])
    return valid_npy(rng, degenerate, rng.choice(["<f4", "<f8"]), style)


def npy_hostile_header_texts(descr, shape):
    shape_text = npy_shape_text(shape)
    return [
        "",
        "{}",
        "[]",
        "not a dict",
        f"{{'descr': '{descr}', 'shape': {shape_text}}}",
        f"{{'fortran_order': False, 'shape': {shape_text}}}",
        f"{{'descr': '{descr}', 'fortran_order': False}}",
        f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape_text}, "
        f"'shape': (2**62, 2)}}",
        f"{{'shape': {shape_text}, 'descr': '{descr}', 'fortran_order': False}}",
        f"{{\"descr\": \"{descr}\", \"fortran_order\": false, \"shape\": [20, 30]}}",
        f"{{'descr':'{descr}','fortran_order':False,'shape':{shape_text}}}",
        f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape_text}, " + "x" * 70000,
        f"{{'descr': '{descr}'" + ", 'descr': '<f8'" * 2000 + "}",
        f"{{'descr': ['{descr}'], 'fortran_order': False, 'shape': {shape_text}, }}",
        f"{{'descr': {{'a': 1}}, 'fortran_order': False, 'shape': {shape_text}, }}",
        f"{{'descr': '{descr}\x00', 'fortran_order': False, 'shape': {shape_text}, }}",
        "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (20, 30), }".replace(
            "shape", "sh\u00e4pe"),
        f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape_text}, }}".encode(
            "utf-8") + b"\xff\xfe\x80",
        "{'descr': 'descr', 'fortran_order': 'fortran_order', 'shape': 'shape'}",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (20, 30), " * 50,
        "\n" * 100,
        "\x00" * 100,
    ]


# ---------------------------------------------------------------------------------------
# .safetensors


def safetensors_bytes(header, data, header_length=None):
    """A .safetensors file: u64 header length, the JSON header (text or dict), the data."""
    if isinstance(header, dict):
        header = json.dumps(header, separators=(",", ":"))
    raw = header.encode("utf-8", errors="surrogatepass") if isinstance(header, str) else header
    length = len(raw) if header_length is None else header_length
    return struct.pack("<Q", length) + raw + data


def valid_safetensors_parts(rng, dtypes=("F32", "F64"), count=None, style="normal"):
    """(header dict, data bytes, description) of a valid file with 1–3 tensors."""
    header = {}
    data = bytearray()
    names = []
    for index in range(count or rng.randint(1, 3)):
        dtype = rng.choice(dtypes)
        shape = list(rng.choice([(20, 30), (64, 16), (16, 64), (3, 4, 5), (50,), (32, 32)]))
        struct_format = SAFETENSORS_FORMATS.get(dtype, "<f")
        values = random_values(rng, product(shape), style)
        if dtype == "BF16":  # the upper half of each float32
            single = pack_values(values, "<f")
            blob = b"".join(single[i + 2:i + 4] for i in range(0, len(single), 4))
        else:
            blob = pack_values(values, struct_format)
        name = rng.choice(["layers.{}.weight", "fc{}.weight", "model.{}.w", "t{}"]).format(index)
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [len(data), len(data) + len(blob)]}
        data += blob
        names.append(f"{name}:{dtype}{shape}")
    if rng.random() < 0.4:
        header["__metadata__"] = {"format": "pt", "source": "crit-fuzz"}
    return header, bytes(data), "safetensors " + " ".join(names)


def valid_safetensors(rng, **options):
    header, data, label = valid_safetensors_parts(rng, **options)
    return safetensors_bytes(header, data), label


HOSTILE_ST_SHAPES = [
    [2**62, 2], [2**63 - 1], [2**63 - 1, 2], [2**32, 2**32], [3037000500, 3037000500],
    [2**64 - 1], [2**64], [-1, 30], [20, -30], [3, 0, 5], [0, 10], [0], [], [1] * 64,
    [2] * 40, [2.5, 4], ["20", 30], [None], [True, 30], [1e300, 1], [[20], [30]], {"a": 1},
    "20,30", None, [20, 30, 0], [1, 1], [1, 600], [600, 1],
]

HOSTILE_DTYPES = ["F8", "f32", "I64", "I8", "U8", "BOOL", "F16", "BF16", "C64", "F128",
                  "", None, 123, ["F32"], "F32 ", "f64", "U64", "I32", "F8_E4M3", "float32"]

HOSTILE_OFFSETS = [
    [0, 2**63 - 1], [2**63 - 10, 2**63 - 1], [2**64 - 1, 2**64 - 1], [2**64, 2**64 + 8],
    [10, 0], [0, 0], [-8, 2392], [0, -1], [0.5, 2400.5], ["0", "2400"], [0], [0, 1, 2], [],
    None, {"start": 0}, [0, 10**30], [0, 2400 * 1000], [1, 2401], [2**62, 2**62 + 2400],
    [9007199254740993, 9007199254740993 + 2400], [0, 9.3e18], [0, 1e400],
]


def safetensors_mutations(rng):
    """(bytes, label) pairs for the safetensors reader."""
    header, data, label = valid_safetensors_parts(
        rng, dtypes=rng.choice([("F32", "F64"), ("F32",), ("F64", "F16", "BF16"), ("I64",)]))
    names = [name for name in header if name != "__metadata__"]
    target = rng.choice(names)
    kind = rng.choice(
        ["header-length", "header-length", "shape", "shape", "shape", "dtype", "dtype",
         "offsets", "offsets", "offsets", "duplicate", "header-text", "header-text",
         "metadata", "values", "bytes", "bytes", "truncate", "many", "entry"]
    )
    if kind == "header-length":
        real = len(json.dumps(header, separators=(",", ":")).encode())
        length = rng.choice([0, 1, 7, real - 1, real + 1, len(data) + real + 1, 2**31,
                             2**32 + real, 2**62, 2**63 - 1, 2**63, 2**64 - 1, 10**8])
        return safetensors_bytes(header, data, length), f"{label}: header length {length}"
    if kind == "shape":
        hostile = rng.choice(HOSTILE_ST_SHAPES)
        header[target]["shape"] = hostile
        return safetensors_bytes(header, data), f"{label}: {target}.shape {hostile}"[:200]
    if kind == "dtype":
        hostile = rng.choice(HOSTILE_DTYPES)
        header[target]["dtype"] = hostile
        return safetensors_bytes(header, data), f"{label}: {target}.dtype {hostile!r}"
    if kind == "offsets":
        hostile = rng.choice(HOSTILE_OFFSETS)
        if rng.random() < 0.3 and len(names) > 1:  # overlapping with the first tensor
            first = header[names[0]]["data_offsets"]
            hostile = [first[0], first[1]] if target != names[0] else hostile
        header[target]["data_offsets"] = hostile
        return safetensors_bytes(header, data), f"{label}: {target}.data_offsets {hostile}"
    if kind == "duplicate":
        entry = json.dumps(header[target], separators=(",", ":"))
        other = dict(header[target], shape=rng.choice([[2**62, 2], [5, 5], [0, 3]]))
        text = json.dumps(header, separators=(",", ":"))[:-1]
        text += f',"{target}":{json.dumps(other)},"{target}":{entry}}}'
        return safetensors_bytes(text, data), f"{label}: duplicate tensor name {target}"
    if kind == "header-text":
        text = rng.choice(safetensors_hostile_headers(header))
        shown = text[:80] if isinstance(text, str) else text[:80]
        return safetensors_bytes(text, data), f"safetensors header {shown!r}"
    if kind == "metadata":
        metadata = rng.choice([{"a": 1}, [], "x", None, {"a": {"b": "c"}}, {"": ""},
                               {"a": "x" * 100000}])
        header["__metadata__"] = metadata
        return safetensors_bytes(header, data), f"{label}: __metadata__ {str(metadata)[:60]}"
    if kind == "values":
        style = rng.choice(VALUE_STYLES)
        dtypes = rng.choice([("F32",), ("F64",), ("F16",), ("BF16",), ("F32", "F64")])
        header, data, label = valid_safetensors_parts(rng, dtypes=dtypes, style=style)
        return safetensors_bytes(header, data), f"{label}: values {style}"
    if kind == "bytes":
        return corrupt_bytes(rng, safetensors_bytes(header, data), label)
    if kind == "truncate":
        whole = safetensors_bytes(header, data)
        cut = rng.randrange(len(whole))
        return whole[:cut], f"{label}: truncated to {cut} bytes"
    if kind == "many":
        return many_tensors(rng)
    field = rng.choice(["dtype", "shape", "data_offsets"])
    broken = dict(header[target])
    if rng.random() < 0.5:
        del broken[field]
        what = f"without {field}"
    else:
        broken["extra"] = [1, 2]
        what = "with an extra field"
    header[target] = rng.choice([broken, None, [], "x", 5])
    return safetensors_bytes(header, data), f"{label}: {target} entry {what}"


def safetensors_hostile_headers(header):
    good = json.dumps(header, separators=(",", ":"))
    return [
        "",
        "{}",
        "[]",
        "null",
        "5",
        '"string"',
        "{" * 100000,
        "[" * 100000,
        '{"a":' * 5000 + "1" + "}" * 5000,
        good[:-1],
        good + "garbage",
        good + " " * 100,
        "\ufeff" + good,
        good.replace('"', "'"),
        good.encode() + b"\xff\xfe",
        b"\xff\xfe\xfd" + good.encode(),
        good.replace("dtype", "dtype\\u0000"),
        '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}\x00',
        '{"\\ud800":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
        '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},}',
        good.replace(":", ": ", 3),
    ]


def many_tensors(rng):
    count = rng.choice([200, 2000])
    header = {}
    data = bytearray()
    for index in range(count):
        blob = pack_values(random_values(rng, 16), "<f")
        header[f"w{index}"] = {"dtype": "F32", "shape": [4, 4],
                               "data_offsets": [len(data), len(data) + len(blob)]}
        data += blob
    return safetensors_bytes(header, bytes(data)), f"safetensors {count} tensors of 4×4"


# ---------------------------------------------------------------------------------------
# Random corruption shared by both formats


def corrupt_bytes(rng, data, label):
    """Flips, inserts or deletes a few random bytes."""
    raw = bytearray(data)
    edits = []
    for _ in range(rng.randint(1, 8)):
        operation = rng.choice(["flip", "flip", "insert", "delete", "set"])
        position = rng.randrange(max(len(raw), 1))
        if operation == "flip" and raw:
            raw[position] ^= 1 << rng.randrange(8)
        elif operation == "insert":
            raw[position:position] = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 8)))
        elif operation == "delete" and raw:
            del raw[position:position + rng.randint(1, 8)]
        elif raw:
            raw[position] = rng.choice([0x00, 0xFF, 0x7F, 0x80, ord("9"), ord("-")])
        edits.append(f"{operation}@{position}")
    return bytes(raw), f"{label}: bytes {' '.join(edits)}"


# ---------------------------------------------------------------------------------------
# Cases


ANALYZE_OUTPUTS = ["--json", "out.json", "--csv", "out.csv", "--html", "out.html"]


def analyze_case(rng, content, label, name):
    args = ["analyze", name]
    roll = rng.random()
    if roll < 0.45:
        args += ANALYZE_OUTPUTS
    elif roll < 0.6:
        args += ["--fit", "clauset"] + (ANALYZE_OUTPUTS if roll < 0.5 else [])
    elif roll < 0.7:
        args += ["--min-evals", "2"]
    elif roll < 0.75:
        args += ["--min-evals", "2", "--max-evals", "1000000"]
    return Case("files", "analyze", args, label=label, files={name: content})


def label_array(rng, count):
    """(bytes, label) of a labels .npy: valid int64 classes or a hostile variant."""
    style = rng.choice(["valid", "valid", "huge", "negative", "float", "integral-float",
                        "int-extremes", "nan", "shape", "dtype", "one-class", "bool", "u8",
                        "float-huge", "mutated"])
    classes = [rng.randrange(2) for _ in range(count)]
    if style == "valid":
        data = struct.pack(f"<{count}q", *classes)
        return npy_bytes(npy_header_text("<i8", False, (count,)), data), "labels int64 0/1"
    if style == "huge":
        classes[rng.randrange(count)] = rng.choice([999999, 2**31, 10**12, 2**40])
        data = struct.pack(f"<{count}q", *classes)
        return npy_bytes(npy_header_text("<i8", False, (count,)), data), \
            f"labels int64 with {max(classes)}"
    if style == "negative":
        classes[rng.randrange(count)] = rng.choice([-1, -2, -999999])
        data = struct.pack(f"<{count}q", *classes)
        return npy_bytes(npy_header_text("<i8", False, (count,)), data), "labels with a negative"
    if style == "int-extremes":
        classes[rng.randrange(count)] = rng.choice([INT64_MAX, -(2**63)])
        data = struct.pack(f"<{count}q", *classes)
        return npy_bytes(npy_header_text("<i8", False, (count,)), data), \
            "labels int64 with ±2**63"
    if style in ("float", "integral-float", "nan", "float-huge"):
        values = [float(c) for c in classes]
        if style == "float":
            values[rng.randrange(count)] = 0.5
        elif style == "nan":
            values[rng.randrange(count)] = rng.choice([math.nan, math.inf, -math.inf])
        elif style == "float-huge":
            values[rng.randrange(count)] = rng.choice([1e300, -1e300, 9.3e18, 1e19])
        data = struct.pack(f"<{count}d", *values)
        return npy_bytes(npy_header_text("<f8", False, (count,)), data), f"labels float64 {style}"
    if style == "shape":
        shape = rng.choice([(count, 1), (count - 1,), (count + 1,), (count, 2), (0,), (),
                            (1, count), (2**62,)])
        n = max(product(shape), 0) if product(shape) < 10**6 else count
        data = struct.pack(f"<{n}q", *([0, 1] * n)[:n])
        return npy_bytes(npy_header_text("<i8", False, shape), data), f"labels shape {shape}"
    if style == "dtype":
        descr = rng.choice(["<i4", ">i8", "|i1", "<u2", "<f4", "<f2", "|b1", "<c8", "|S1"])
        item = int(descr[2:]) if descr[2:].isdigit() else 1
        data = bytes(rng.choice([0, 1]) if i % item == 0 else 0 for i in range(count * item))
        return npy_bytes(npy_header_text(descr, False, (count,)), data), f"labels descr {descr}"
    if style == "one-class":
        data = struct.pack(f"<{count}q", *([0] * count))
        return npy_bytes(npy_header_text("<i8", False, (count,)), data), "labels all class 0"
    if style == "bool":
        data = bytes(classes)
        return npy_bytes(npy_header_text("|b1", False, (count,)), data), "labels bool"
    if style == "u8":
        data = struct.pack(f"<{count}Q", *[c * UINT64_MAX for c in classes])
        return npy_bytes(npy_header_text("<u8", False, (count,)), data), \
            "labels uint64 with 2**64-1"
    valid = npy_bytes(npy_header_text("<i8", False, (count,)),
                      struct.pack(f"<{count}q", *classes))
    return npy_mutations_of(rng, valid, "labels int64")


def npy_mutations_of(rng, data, label):
    if rng.random() < 0.5:
        return corrupt_bytes(rng, data, label)
    cut = rng.randrange(len(data))
    return data[:cut], f"{label}: truncated to {cut} bytes"


def feature_array(rng, count):
    """(bytes, label) of a features .npy for training: valid or mutated."""
    roll = rng.random()
    if roll < 0.35:
        return valid_npy(rng, (count, rng.choice([2, 3, 8])), rng.choice(["<f4", "<f8"]),
                         rng.choice(["normal"] * 3 + VALUE_STYLES))
    if roll < 0.55:
        shape = rng.choice([(count,), (count, 0), (0, 2), (count, 2, 2), (count, 1),
                            (count - 1, 2), (count + 5, 2), (count, 100000 // count)])
        return valid_npy(rng, shape, "<f4")
    if roll < 0.65:
        descr = rng.choice(["<i8", "|u1", "|b1", ">f8", "<f2", "<i2"])
        size = {"<i8": 8, "|u1": 1, "|b1": 1, ">f8": 8, "<f2": 2, "<i2": 2}[descr]
        data = bytes(rng.getrandbits(8) for _ in range(count * 2 * size))
        return npy_bytes(npy_header_text(descr, False, (count, 2)), data), \
            f"features descr {descr}"
    if roll < 0.75:
        values = pack_values(random_values(rng, count * 2), "<f")
        fortran = npy_bytes(npy_header_text("<f4", True, (count, 2)), values)
        return fortran, f"features ({count}, 2) fortran_order True"
    return npy_mutations(rng, shape=(count, 2))


def train_case(rng):
    count = rng.choice([40, 40, 40, 7, 2, 1, 300])
    features, feature_label = feature_array(rng, count)
    labels, labels_label = label_array(rng, count)
    files = {"x.npy": features, "y.npy": labels}
    args = ["train", "--dataset", "npy", "--data", "x.npy", "--labels", "y.npy", "--epochs", "1",
            "--hidden", "8", "--quiet", "--out", "run"]
    extra = rng.random()
    if extra < 0.15:
        args += ["--task", "regression"]
    elif extra < 0.3:
        test_features, test_label = feature_array(rng, 10)
        test_labels, test_labels_label = label_array(rng, 10)
        files.update({"tx.npy": test_features, "ty.npy": test_labels})
        args += ["--test-data", "tx.npy", "--test-labels", "ty.npy"]
        labels_label += f"; test {test_label}; test {test_labels_label}"
    elif extra < 0.4:
        args += ["--batch-size", "0", "--indicators-every", "1", "--boundary-resolution", "8"]
    elif extra < 0.5:
        args += ["--regularization", "spectral-penalty", "--normalization", "batch"]
    label = f"features {feature_label}; {labels_label}"
    return Case("files", "train", args, label=label, files=files)


def file_cases(rng, count):
    """`count` cases: about 40 % npy and 40 % safetensors for analyze, 20 % npy training."""
    cases = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.4:
            content, label = npy_mutations(rng) if rng.random() < 0.85 else valid_npy(
                rng, style=rng.choice(["normal"] + VALUE_STYLES))
            cases.append(analyze_case(rng, content, label, "weights.npy"))
        elif roll < 0.8:
            content, label = safetensors_mutations(rng) if rng.random() < 0.85 else \
                valid_safetensors(rng, dtypes=("F32", "F64", "F16", "BF16"))
            cases.append(analyze_case(rng, content, label, "model.safetensors"))
        else:
            cases.append(train_case(rng))
    return cases
