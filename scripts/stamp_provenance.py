"""Writes a provenance line — the commit, the exact command, the date and the machine — into a
results file, replacing an earlier one, so that every file under docs/results says where it
came from.

    python3 scripts/stamp_provenance.py FILE --commit C --command "crit run …" [--command …]
        [--date YYYY-MM-DD] [--machine "…"] [--note "…"]

Markdown: a `> Provenance: …` line after the title. HTML: a `<p class="provenance">` after
`<body>`. JSON: a top-level "provenance" object. PNG: a tEXt chunk with the keyword
"Provenance" before IEND. Other files are refused.
"""
import argparse
import datetime
import html
import json
import platform
import re
import struct
import subprocess
import zlib


def machine_description():
    model = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    memory = ""
    try:
        kib = int(next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1])
        memory = f", {kib / 2**20:.0f} GiB"
    except (OSError, StopIteration):
        pass
    return f"{model}, {cores} cores{memory}, {platform.system()} {platform.release()}"


def text_line(args):
    commands = "; ".join(f"`{c}`" for c in args.command)
    line = f"commit {args.commit} · {commands} · {args.date} · {args.machine}"
    return line + (f" · {args.note}" if args.note else "")


def stamp_markdown(path, args):
    lines = open(path, encoding="utf-8").read().split("\n")
    lines = [l for l in lines if not l.startswith("> Provenance:")]
    # After the title and its blank line.
    at = 1 if lines and lines[0].startswith("#") else 0
    entry = [f"> Provenance: {text_line(args)}", ""]
    if at == 1:
        while at < len(lines) and lines[at] == "":
            at += 1
        lines[1:at] = [""] + entry
    else:
        lines[0:0] = entry
    open(path, "w", encoding="utf-8").write("\n".join(lines))


def stamp_html(path, args):
    page = open(path, encoding="utf-8").read()
    page = re.sub(r'<p class="provenance"[^>]*>.*?</p>\n?', "", page, flags=re.S)
    paragraph = (
        '<p class="provenance" style="font-size:12px;color:#555">Provenance: '
        f"{html.escape(text_line(args))}</p>\n")
    match = re.search(r"<body[^>]*>\n?", page)
    if not match:
        raise SystemExit(f"{path}: no <body> to put the provenance line after")
    page = page[: match.end()] + paragraph + page[match.end():]
    open(path, "w", encoding="utf-8").write(page)


def stamp_json(path, args):
    data = json.load(open(path))
    data["provenance"] = {"commit": args.commit, "commands": args.command, "date": args.date,
                          "machine": args.machine, **({"note": args.note} if args.note else {})}
    json.dump(data, open(path, "w"))


def png_chunks(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    at = 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind = data[at + 4:at + 8]
        yield kind, data[at:at + 12 + length]
        at += 12 + length


def stamp_png(path, args):
    data = open(path, "rb").read()
    body = b"Provenance\x00" + text_line(args).encode("latin-1", "replace")
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(
        ">I", zlib.crc32(b"tEXt" + body) & 0xFFFFFFFF)
    out = data[:8]
    for kind, raw in png_chunks(data):
        if kind == b"tEXt" and raw[8:].startswith(b"Provenance\x00"):
            continue
        if kind == b"IEND":
            out += chunk
        out += raw
    open(path, "wb").write(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--commit", required=True)
    parser.add_argument("--command", action="append", required=True)
    parser.add_argument("--date", default=datetime.date.today().isoformat())
    parser.add_argument("--machine", default=machine_description())
    parser.add_argument("--note")
    args = parser.parse_args()
    for suffix, stamp in [(".md", stamp_markdown), (".html", stamp_html), (".json", stamp_json),
                          (".png", stamp_png)]:
        if args.file.endswith(suffix):
            stamp(args.file, args)
            return
    raise SystemExit(f"{args.file}: no provenance format for this kind of file")


if __name__ == "__main__":
    main()
