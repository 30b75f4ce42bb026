#!/usr/bin/env python3
"""check_bench_html.py HTML JSON: the structure of gicsim bench --html (docs/benchmark.md, "Outputs") against the
--json of the same run: the summary comes first (the eager/lazy verdict and one row per policy with its violations,
marked when non-zero), every bar chart has round axis ticks from 0, a value label with each bar's median, the bars of
a result with violations outlined (and only those), a swimlane chart of the first run after each bar chart with the
five tracks, and the page is self-contained (no script, nothing fetched)."""
import html.parser
import json
import math
import sys

page, doc = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))


def fail(msg):
    print("check_bench_html: FAIL: " + msg)
    sys.exit(1)


class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.svgs, self.cur, self.text_of, self.h2, self.rows, self.row = [], [], None, None, [], [], None
        self.first_svg_after = None

    def handle_starttag(self, tag, a):
        a = dict(a)
        if tag == "script" or any(v and ("http:" in v or "https:" in v) and k in ("src", "href") for k, v in a.items()):
            fail("a script or an external reference: %s %s" % (tag, a))
        if tag == "svg":
            self.cur = {"cls": a.get("class", ""), "ticks": [], "values": [], "bars": [], "lanes": [], "title": ""}
            self.svgs.append(self.cur)
            if self.first_svg_after is None:
                self.first_svg_after = list(self.h2)
        if self.cur is not None and tag == "text":
            self.text_of = a.get("class", "text")
        if self.cur is not None and tag == "rect" and a.get("height") and "fill" in a and a.get("width") != "8":
            self.cur["bars"].append("violation" in a.get("class", ""))
        if tag == "tr":
            self.row = [a.get("class", "")]
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "svg":
            self.cur = None
        if tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None
        self.text_of = None if tag == "text" else self.text_of
        if self.stack:
            self.stack.pop()

    def handle_data(self, d):
        if self.stack and self.stack[-1] == "h2":
            self.h2.append(d.strip())
        if self.row is not None and self.stack and self.stack[-1] == "td":
            self.row.append(d.strip())
        if self.cur is not None and self.text_of:
            if self.text_of == "tick":
                self.cur["ticks"].append(int(d))
            elif self.text_of == "value":
                self.cur["values"].append(int(d))
            elif not self.cur["title"]:
                self.cur["title"] = d
            elif self.cur["cls"] == "swimlane" and not d.endswith(" ns"):
                self.cur["lanes"].append(d)


p = P()
p.feed(page)
if p.first_svg_after != ["Summary"]:
    fail("the summary must come before the charts (headings before the first chart: %s)" % p.first_svg_after)
if "eager against lazy" not in page:
    fail("no eager/lazy verdict")
res = doc["results"]
pol = {}
for r in res:
    q = pol.setdefault(r["policy"], [0, 0])
    q[0] += r["violations"] + r["ignored_hw_deacts"] + r["blocked_reasserts"]
    q[1] += r["violations"]
prow = {r[1]: r for r in p.rows if len(r) == 8}
for name, (bad, v) in pol.items():
    if name not in prow or int(prow[name][4]) != v:
        fail("summary row of %s: %s, JSON violations %d" % (name, prow.get(name), v))
    if ("bad" in prow[name][0]) != (bad > 0):
        fail("summary row of %s marked %r with %d problems" % (name, prow[name][0], bad))
charts = [s for s in p.svgs if s["cls"] != "swimlane"]
lanes = [s for s in p.svgs if s["cls"] == "swimlane"]
if len(charts) != len(lanes) or not charts:
    fail("%d bar charts but %d swimlanes" % (len(charts), len(lanes)))
for s in lanes:
    if s["lanes"] != ["guest vCPU 0", "hypervisor", "bus", "GIC distributor/redistributor", "CPU interface 0"]:
        fail("swimlane %s: lanes %s" % (s["title"], s["lanes"]))
by_title = {}
for r in res:
    key = "GIC%s %s EOImode %d: %s" % (r["gic"], r["trigger"], r["eoimode"], r["sequence"])
    by_title.setdefault(key, []).append(r)
for s in charts:
    t = s["ticks"]
    step = t[1] - t[0] if len(t) > 1 else 0
    m = step / 10 ** math.floor(math.log10(step)) if step > 0 else 0
    if t[0] != 0 or len(t) < 2 or any(b - a != step for a, b in zip(t, t[1:])) or round(m, 6) not in (1, 2, 5):
        fail("%s: axis ticks %s are not 0 and round steps" % (s["title"], t))
    rs = by_title.get(s["title"])
    if not rs:
        fail("a chart for no result: %s" % s["title"])
    medians = sorted(v["median"] for r in rs for v in r["segments"].values())
    if sorted(s["values"]) != medians:
        fail("%s: value labels %s, medians %s" % (s["title"], sorted(s["values"]), medians))
    bad = sum(len(r["segments"]) for r in rs if r["violations"] + r["ignored_hw_deacts"] + r["blocked_reasserts"])
    if sum(s["bars"]) != bad:
        fail("%s: %d bars outlined, %d belong to results with violations" % (s["title"], sum(s["bars"]), bad))
print("check_bench_html: summary first, %d bar charts with round ticks, value labels and violation marks, "
      "%d swimlanes: valid" % (len(charts), len(lanes)))
