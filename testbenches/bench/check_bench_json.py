#!/usr/bin/python3
"""Checks `gicsim bench --json` output against docs/benchmark.md, "Outputs", and optional properties.

usage: check_bench_json.py FILE [--gic v2,v3] [--policy ...] [--trigger ...] [--eoimode 0,1]
                                [--sequence ...] [--policies-contract] [--timing-check]
--policies-contract: lazy and eager rows show no violation, ignored HW deactivation or blocked
    reassertion; the none rows of the same run show at least one of them.
--timing-check: zero-jitter arithmetic of docs/timing.md for the deactivation segments (the config
    of the file gives the timing parameters): deact_to_phys = req + hwdeact and deact_to_irq =
    req + hwdeact + prio + deliver + out, min == max.
"""
import json
import sys

ALLOWED = {"gic": {"v2", "v3"}, "policy": {"lazy", "eager", "none"}, "trigger": {"edge", "level"}, "eoimode": {0, 1}}


def fail(msg):
    print("check_bench_json: " + msg, file=sys.stderr)
    sys.exit(1)


def is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def main():
    args = sys.argv[1:]
    if not args:
        fail("usage: check_bench_json.py FILE [options]")
    path = args.pop(0)
    restrict = {}
    contract = timing = False
    while args:
        a = args.pop(0)
        if a == "--policies-contract":
            contract = True
        elif a == "--timing-check":
            timing = True
        elif a.startswith("--") and args:
            vals = args.pop(0).split(",")
            key = a[2:]
            restrict[key] = {int(v) for v in vals} if key == "eoimode" else set(vals)
        else:
            fail("bad argument " + a)
    with open(path) as f:
        doc = json.load(f)
    if not isinstance(doc, dict):
        fail("top level is not an object")
    for k in ("gicsim_version", "config", "results"):
        if k not in doc:
            fail("missing top-level field " + k)
    if not isinstance(doc["gicsim_version"], str) or not doc["gicsim_version"]:
        fail("gicsim_version is not a non-empty string")
    if not isinstance(doc["config"], dict) or not doc["config"]:
        fail("config is not a non-empty object")
    res = doc["results"]
    if not isinstance(res, list) or not res:
        fail("results is not a non-empty list")
    for i, r in enumerate(res):
        where = "results[%d]" % i
        for k in ("gic", "policy", "trigger", "eoimode", "sequence", "segments", "physical_accesses", "violations"):
            if k not in r:
                fail(where + ": missing " + k)
        for k, allowed in ALLOWED.items():
            v = r[k]
            if k == "eoimode" and not is_int(v):
                fail(where + ": eoimode is not an integer")
            if k != "eoimode" and not isinstance(v, str):
                fail(where + ": %s is not a string" % k)
            if v not in allowed:
                fail(where + ": %s has value %r" % (k, v))
            if k in restrict and v not in restrict[k]:
                fail(where + ": %s=%r although the options restrict it to %s" % (k, v, sorted(restrict[k])))
        if not isinstance(r["sequence"], str) or not r["sequence"]:
            fail(where + ": sequence is not a non-empty string")
        if "sequence" in restrict and r["sequence"] not in restrict["sequence"]:
            fail(where + ": sequence %r not asked for" % r["sequence"])
        for k in ("physical_accesses", "violations"):
            if not is_int(r[k]) or r[k] < 0:
                fail(where + ": %s is not a non-negative integer" % k)
        segs = r["segments"]
        if not isinstance(segs, dict) or not segs:
            fail(where + ": segments is not a non-empty object")
        for name, s in segs.items():
            w = where + ".segments." + name
            if not isinstance(s, dict):
                fail(w + " is not an object")
            for k in ("unit", "min", "median", "p99", "max", "ns_median"):
                if k not in s:
                    fail(w + ": missing " + k)
            if s["unit"] != "cycles":
                fail(w + ": unit is not cycles")
            for k in ("min", "median", "p99", "max"):
                if not is_int(s[k]):
                    fail(w + ": %s is not an integer" % k)
            if not isinstance(s["ns_median"], (int, float)) or isinstance(s["ns_median"], bool):
                fail(w + ": ns_median is not a number")
            if not s["min"] <= s["median"] <= s["p99"] <= s["max"]:
                fail(w + ": not min <= median <= p99 <= max")
    # Every combination the options allow is present.
    for k, allowed in restrict.items():
        seen = {r[k] for r in res}
        if k != "sequence" and seen != allowed:
            fail("%s values %s, expected %s" % (k, sorted(seen), sorted(allowed)))
    if contract:
        bad = [r for r in res if r["policy"] != "none" and
               (r["violations"] or r.get("ignored_hw_deacts") or r.get("blocked_reasserts"))]
        if bad:
            fail("lazy/eager rows with violations: " + ", ".join(
                "%s/%s/%s" % (r["gic"], r["policy"], r["sequence"]) for r in bad))
        none = [r for r in res if r["policy"] == "none"]
        if not none:
            fail("no none rows to check")
        if not any(r["violations"] or r.get("ignored_hw_deacts") or r.get("blocked_reasserts") for r in none):
            fail("policy none showed neither a violation nor a blocked reassertion")
    if timing:
        c = doc["config"]
        want_phys = c["req"] + c["hwdeact"]
        want_irq = want_phys + c["prio"] + c["deliver"] + c["out"]
        # A device line given at CPU time t enters the GIC in cycle floor(t/period) + 1 (docs/tlm.md).
        want_line = 1 + c["line"] + c["prio"] + c["deliver"] + c["out"]
        n = 0
        for r in res:
            if r["policy"] == "none":
                continue
            for name, want in (("deact_to_phys", want_phys), ("deact_to_irq", want_irq),
                               ("line_to_irq", want_line), ("reassert_to_irq", want_line)):
                s = r["segments"].get(name)
                if s is None:
                    continue
                n += 1
                if s["min"] != want or s["max"] != want:
                    fail("%s/%s/%s %s: %d..%d cycles, docs/timing.md gives %d" % (
                        r["gic"], r["policy"], r["sequence"], name, s["min"], s["max"], want))
        if not n:
            fail("no deactivation segment to check")
    print("check_bench_json: %d results ok" % len(res))


main()
