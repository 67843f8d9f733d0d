"""Naming where crashes happen.

The main pass runs with Swift's backtracer off (it takes seconds per crash). Every case killed
by a signal is then run again with a fast, unsymbolicated backtrace, which gives the crashing
function in crit (its offset included), so that crashes group by site; one case per site is
run a third time fully symbolicated for the runtime's message and the source file and line.
"""

import re

FAST = ("enable=yes,interactive=no,symbolicate=fast,threads=crashed,registers=none,"
        "images=none,limit=32")
FULL = ("enable=yes,interactive=no,symbolicate=full,threads=crashed,registers=none,"
        "images=none,limit=32")

FRAME = re.compile(r"^\s*\d+\s+(?:\[[^\]]*\]\s*)*0x[0-9a-fA-F]+\s+(?P<function>.*?) in "
                   r"(?P<image>\S+) at (?P<location>\S+)\s*$")
MESSAGE = re.compile(r"\*\*\* (?P<message>(?:Swift runtime failure|Program crashed): .*?) \*\*\*")
FATAL_LINE = re.compile(r"(Fatal error: .*|Could not cast value .*|Precondition failed.*|"
                        r"Assertion failed.*)")


def frames(stderr):
    return [match.groupdict() for match in map(FRAME.match, stderr.splitlines()) if match]


def is_failure_frame(frame):
    """The pseudo-frame naming a runtime trap (`Swift runtime failure: …`)."""
    return frame["function"].startswith("Swift runtime failure")


def fatal_message(stderr):
    """The runtime's own message line (printed even with the backtracer off), numbers and
    addresses replaced."""
    match = FATAL_LINE.search(stderr)
    if not match:
        return ""
    return re.sub(r"\d+", "#", re.sub(r"0x[0-9a-fA-F]+", "0x…", match.group(1).strip()))


def site_key(stderr):
    """The runtime's message and the first frame inside the crit executable (function and
    offset): what tells two crashes apart."""
    function = next((frame["function"] for frame in frames(stderr)
                     if frame["image"] == "crit" and not is_failure_frame(frame)), "")
    return f"{fatal_message(stderr)} | {function}"


def source_path(location):
    path = re.sub(r":(\d+):\d+$", r":\1", location)
    if ".build/checkouts/" in path:
        return "checkouts/" + path.split(".build/checkouts/", 1)[1]
    return "Sources/" + path.split("/Sources/", 1)[1]


def describe(stderr):
    """One line naming a symbolicated crash: the runtime's message, the source line where it
    happened (and the first line of the project's own code, when that was in a dependency)."""
    found = frames(stderr)
    failure = next((frame for frame in found if is_failure_frame(frame)), None)
    match = MESSAGE.search(stderr)
    if failure:
        message = failure["function"]
    elif FATAL_LINE.search(stderr):
        message = FATAL_LINE.search(stderr).group(1).strip()
    else:
        message = match.group("message") if match else "(no message)"
    message = re.sub(r"0x[0-9a-fA-F]+", "0x…", message)
    with_source = [frame for frame in found if "/Sources/" in frame["location"]]
    if not with_source:
        return message
    site = with_source[0]
    function = next((frame["function"] for frame in with_source
                     if not is_failure_frame(frame)), "")
    text = f"{message} at {source_path(site['location'])} ({short_function(function)})"
    if ".build/" in site["location"]:
        own = next((frame for frame in with_source if ".build/" not in frame["location"]),
                   None)
        if own:
            text += (f" from {source_path(own['location'])} "
                     f"({short_function(own['function'])})")
    return text


def short_function(function):
    function = re.sub(r"^((specialized|static|closure #\d+ in|thunk for) )+", "", function)
    function = re.sub(r" \+ \d+$", "", function)
    return function.split("(")[0]


def backtrace_excerpt(stderr, lines=14):
    kept = [line.rstrip() for line in stderr.splitlines()
            if line.strip() and not line.startswith("Platform:")]
    return "\n".join(kept[:lines])


def name_crashes(results, run_many, symbolicate_limit):
    """Maps id(case) -> {"crash_site", "backtrace"} for crashed cases.

    `run_many(cases, backtrace)` runs cases with that SWIFT_BACKTRACE setting and returns
    (case, outcome, kinds) triples. Full symbolication takes seconds per case: only the
    `symbolicate_limit` most frequent sites get it; the others are named by function."""
    crashed = [case for case, outcome, kinds in results
               if any(kind.startswith("killed by") for kind in kinds)]
    if not crashed:
        return {}
    print(f"crash sites: running {len(crashed)} crashed cases again with a fast backtrace",
          flush=True)
    keys = {}
    fast_outcomes = {}
    for case, outcome, _ in run_many(crashed, FAST):
        keys[id(case)] = (case.command, site_key(outcome.stderr))
        fast_outcomes[keys[id(case)]] = outcome
    members = {}
    for case in crashed:
        keys.setdefault(id(case), (case.command, "(did not crash again)"))
        members.setdefault(keys[id(case)], []).append(case)
    ranked = sorted(members, key=lambda key: -len(members[key]))
    chosen = [members[key][0] for key in ranked[:symbolicate_limit]]
    print(f"crash sites: {len(members)} distinct; symbolicating one case of each of "
          f"{len(chosen)}", flush=True)
    described = {}
    for key in ranked[symbolicate_limit:]:
        message, function = key[1].split(" | ", 1) if " | " in key[1] else (key[1], "")
        outcome = fast_outcomes.get(key)
        described[key] = {
            "crash_site": " ".join(part for part in [message, f"in {function}" if function
                                                     else ""] if part) + " (not symbolicated)",
            "backtrace": backtrace_excerpt(outcome.stderr) if outcome else "",
        }
    for case, outcome, _ in run_many(chosen, FULL):
        described[keys[id(case)]] = {"crash_site": describe(outcome.stderr),
                                     "backtrace": backtrace_excerpt(outcome.stderr)}
    return {id(case): described[keys[id(case)]] for case in crashed
            if keys[id(case)] in described}
