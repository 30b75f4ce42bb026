#!/usr/bin/env python3
"""check_timeline.py FILE: gicsim bench --timeline output against the trace-event format Perfetto and
chrome://tracing load (docs/benchmark.md, "Timeline"): the document's shape, every event's fields, names for every
process and track, slices that nest, flow arrows whose points each lie in a slice of their track, and what a
benchmark run must show (traps, VM entries, bus accesses, the GIC's side, arrows from a SPEND to its vIRQ)."""
import collections
import json
import sys


def fail(msg):
    print("check_timeline: FAIL: " + msg)
    sys.exit(1)


doc = json.load(open(sys.argv[1]))
if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"), list) or not doc["traceEvents"]:
    fail("no traceEvents list")
ev = doc["traceEvents"]
procs, threads = {}, set()
slices = collections.defaultdict(list)
flows = collections.defaultdict(list)
for e in ev:
    ph = e.get("ph")
    if ph not in ("M", "X", "i", "s", "t", "f") or not isinstance(e.get("pid"), int) or not isinstance(e.get("name"), str):
        fail("bad event %r" % e)
    if ph == "M":
        if e["name"] == "process_name":
            procs[e["pid"]] = e["args"]["name"]
        elif e["name"] == "thread_name":
            threads.add((e["pid"], e["tid"]))
        continue
    if not isinstance(e.get("ts"), (int, float)) or e["ts"] < 0 or not isinstance(e.get("tid"), int):
        fail("bad ts/tid %r" % e)
    if ph == "X":
        if not isinstance(e.get("dur"), (int, float)) or e["dur"] < 0:
            fail("bad dur %r" % e)
        slices[(e["pid"], e["tid"])].append((e["ts"], e["ts"] + e["dur"], e["name"]))
    if ph in "stf":
        flows[(e["pid"], e["id"])].append(e)
used = {(e["pid"], e["tid"]) for e in ev if e["ph"] != "M"}
if not used <= threads:
    fail("tracks without a thread_name: %s" % sorted(used - threads))
if {p for p, _ in used} - set(procs):
    fail("processes without a process_name")
# Slices of one track nest or are disjoint (a trace viewer draws them as a stack).
for key, sl in slices.items():
    sl.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    stack = []
    for a, b, name in sl:
        while stack and stack[-1][1] <= a + 1e-9:
            stack.pop()
        if stack and b > stack[-1][1] + 1e-9:
            fail("slices overlap on %s: %s and %s" % (key, stack[-1][2], name))
        stack.append((a, b, name))


def inside(pid, tid, ts):
    return any(a - 1e-9 <= ts <= b + 1e-9 for a, b, _ in slices[(pid, tid)])


ends = collections.Counter()
for (pid, fid), pts in flows.items():
    phs = "".join(p["ph"] for p in sorted(pts, key=lambda p: "stf".index(p["ph"])))
    if phs not in ("sf", "stf"):
        fail("flow %d of process %d is %r, not s[t]f" % (fid, pid, phs))
    ts = [p["ts"] for p in sorted(pts, key=lambda p: "stf".index(p["ph"]))]
    if ts != sorted(ts):
        fail("flow %d of process %d goes back in time" % (fid, pid))
    for p in pts:
        if not inside(pid, p["tid"], p["ts"]):
            fail("flow %d point %s at %s lies in no slice of its track %d" % (fid, p["ph"], p["ts"], p["tid"]))
    ends[(pid, pts[-1]["tid"] if phs == "sf" else 5)] += 1
# What every process (job) shows.
names = collections.defaultdict(set)
for (pid, tid), sl in slices.items():
    for _, _, n in sl:
        names[(pid, tid)].add(n)
for pid, pname in procs.items():
    if not any(n.startswith("trap: write GICD_ISPENDR") for n in names[(pid, 1)]):
        fail("%s: no trapped SPEND on the guest track" % pname)
    if "VM entry" not in names[(pid, 2)] or "VM exit" not in names[(pid, 2)]:
        fail("%s: no VM entry/exit on the hypervisor track" % pname)
    if not names[(pid, 3)] or not names[(pid, 5)]:
        fail("%s: empty bus or CPU interface track" % pname)
    if not pname.endswith("none") and not any(n.startswith("effect GICD_") for n in names[(pid, 4)]):
        fail("%s: no distributor access taking effect" % pname)
    if not any(e["ph"] == "i" and e["pid"] == pid and e["tid"] == 4 for e in ev):
        fail("%s: no pending/active change on the distributor track" % pname)
    if pname.endswith("lazy") and not ends[(pid, 5)]:
        fail("%s: no arrow from a SPEND through the physical access to the vIRQ" % pname)
print("check_timeline: %d events, %d processes, %d slices, %d flow arrows: valid" %
      (len(ev), len(procs), sum(len(s) for s in slices.values()), len(flows)))
