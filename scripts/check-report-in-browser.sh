#!/usr/bin/env bash
# Opens a report in headless Chromium, takes a screenshot, and checks that (1) the screenshot
# is not blank, and (2) the page requested nothing from the network (Chromium's net log holds
# no http(s) or ws request; the page itself names no external resource).
#   bash scripts/check-report-in-browser.sh runs/<name>/report.html
set -euo pipefail
report=$(realpath "$1")
work=$(mktemp -d)
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome)
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --disable-background-networking --disable-component-update --disable-sync \
  --no-first-run --disable-default-apps --user-data-dir="$work/profile" \
  --window-size=1100,2400 --log-net-log="$work/netlog.json" --net-log-capture-mode=Everything \
  --screenshot="$work/shot.png" "file://$report" >/dev/null 2>&1
python3 - "$work/shot.png" "$work/netlog.json" "$report" <<'PY'
import json, re, struct, sys, zlib
shot, netlog, report = sys.argv[1:4]
data = open(shot, "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "screenshot is not a PNG"
width, height, depth, ctype = struct.unpack(">IIBB", data[16:26])
idat, i = b"", 8
while i < len(data):
    n = struct.unpack(">I", data[i:i + 4])[0]
    kind = data[i + 4:i + 8]
    if kind == b"IDAT":
        idat += data[i + 8:i + 8 + n]
    i += 12 + n
raw = zlib.decompress(idat)
channels = {2: 3, 6: 4}[ctype]
stride = width * channels + 1
# Count pixels that differ from white in the first byte of each pixel of every row's data;
# filters make bytes differences, so count distinct raw bytes as a cheap "not blank" measure.
distinct = len(set(raw[::97]))
nonwhite = sum(1 for b in raw[1:stride * min(height, 600):7] if b not in (0, 255))
assert distinct > 10 and nonwhite > 1000, f"screenshot looks blank ({distinct} distinct bytes, {nonwhite} non-white samples)"
log = json.load(open(netlog))
events = log.get("events", [])
# Requests the page made carry the page as initiator ("null" for a file:// page) and its
# network isolation key names file://; the browser's own background traffic (update checks,
# clock sync) has the initiator "not an origin" and is not the page's doing.
urls = set()
for e in events:
    p = e.get("params") or {}
    if isinstance(p.get("url"), str) and "initiator" in p:
        if p["initiator"] != "not an origin" or "file://" in str(p.get("network_isolation_key", "")):
            urls.add(p["url"])
external = sorted(u for u in urls if re.match(r"^(https?|wss?|ftp)://", u))
assert not external, f"the page requested {external}"
html = open(report, encoding="utf-8").read()
refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", html) + re.findall(r"url\(([^)]+)\)", html)
bad = [r for r in refs if not r.startswith(("data:", "#"))]
assert not bad, f"the page references external resources: {bad[:5]}"
print(f"report renders: {width}x{height} screenshot, {nonwhite} non-white samples, "
      f"{len(urls)} URLs in the net log, none external")
PY
