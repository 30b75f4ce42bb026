#!/usr/bin/python3
"""timeline_png.py: draws a `gicsim bench --timeline` file (Chrome/Perfetto trace-event JSON) as a PNG, for when
Perfetto's UI (online) or chrome://tracing is not at hand, and for the README (docs/benchmark.md, "Timeline").

  tools/bench/timeline_png.py TIMELINE.json OUT.png [--job SEL]... [--run K] [--window FROM TO]
                              [--unit cycles|ns|us] [--gap G] [--title TEXT] [--width INCHES] [--dpi N]

One panel per job (trace process, e.g. "GICv2 edge EOImode 0 lazy"), one lane per track (the thread names of the
"M" metadata events: guest vCPU, hypervisor, bus, GIC distributor/redistributor, CPU interface); complete events
("X") are bars (at least 3 pixels wide, so that a one-cycle access shows), nested ones one row deeper, labelled
with their name inside the bar where it fits; instant events ("i") are ticks; the names that do not fit in a bar and
those of the ticks go in up to three label rows under the lane, starting at their event (ending at it near the right
edge) where they meet no other label, and are left out where they would; flow events ("s", "t", "f" of one id) are
red arrows from point to point, each point on the slice it binds to. Time: the file's timestamps are microseconds
of simulated time (the trace-event format's unit); the axis shows GIC cycles when every event that carries a
"cycle" argument agrees on one cycle period (gicsim's GIC-side events do; the axis numbers are then those cycle
numbers), otherwise nanoseconds.

Needs Debian's python3 with python3-matplotlib (scripts/setup.sh installs it). Exit status: 0 written, 1 matplotlib
missing, 2 bad usage or input (unreadable, not JSON, no traceEvents, a malformed event, nothing to draw, an
unwritable OUT), always with exactly one line on stderr."""
import argparse
import collections
import io
import json
import math
import os
import sys

PROG = "timeline_png.py"
# Bar colours per track, as the HTML report's swimlanes (tools/bench/bench_timeline.cpp), by track name.
TRACK_COLOURS = [("guest", "#1f77b4"), ("hypervisor", "#ff7f0e"), ("bus", "#7f7f7f"), ("GIC", "#2ca02c"),
                 ("CPU interface", "#9467bd")]
OTHER_COLOURS = ["#8c564b", "#e377c2", "#17becf", "#bcbd22"]
ARROW = "#d62728"


class Bad(Exception):
    """Bad usage or input: exit status 2 with the message as the one line on stderr."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise Bad(message)


def number(text):
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("not a number: %r" % text)
    if not math.isfinite(v):
        raise argparse.ArgumentTypeError("not a finite number: %r" % text)
    return v


def positive_int(text):
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("not a whole number: %r" % text)
    if v < 1:
        raise argparse.ArgumentTypeError("must be at least 1: %r" % text)
    return v


def parse_args(argv):
    p = Parser(prog=PROG, description="Draws a gicsim bench --timeline file (trace-event JSON) as a PNG: a lane "
               "per track, slices as bars, instant events as ticks, flow events as arrows.")
    p.add_argument("input", help="trace-event JSON (gicsim bench --timeline FILE)")
    p.add_argument("output", help="the PNG to write")
    p.add_argument("--job", action="append", default=[], metavar="SEL",
                   help="the jobs (trace processes) to draw: a 1-based index or text the process name contains "
                   "(e.g. lazy); repeatable; default every job")
    p.add_argument("--run", type=positive_int, metavar="K",
                   help="only the K-th run (1-based) of each job drawn: its runs are the stretches of events "
                   "separated by more than --gap of idle time")
    p.add_argument("--window", nargs=2, type=number, metavar=("FROM", "TO"),
                   help="only the time FROM..TO, in the axis unit (--unit)")
    p.add_argument("--unit", choices=("cycles", "ns", "us"),
                   help="time axis unit: GIC cycles (default when the file gives the cycle period), ns or us")
    p.add_argument("--gap", type=number, metavar="G",
                   help="idle time that separates two runs, in the axis unit (default the equivalent of 1 us; "
                   "gicsim bench's runs are separated by their VM set-up, which is not recorded)")
    p.add_argument("--title", help="the picture's title (default: the file's producer and the jobs and run shown)")
    p.add_argument("--width", type=number, default=15.0, metavar="INCHES", help="figure width (default 15)")
    p.add_argument("--dpi", type=positive_int, default=100, help="resolution (default 100)")
    a = p.parse_args(argv)
    if a.window and not a.window[0] < a.window[1]:
        raise Bad("--window FROM TO needs FROM < TO")
    if a.gap is not None and a.gap <= 0:
        raise Bad("--gap must be positive")
    if not 2 <= a.width <= 100:
        raise Bad("--width must be 2..100 inches")
    if a.dpi > 600:
        raise Bad("--dpi must be at most 600")
    return a


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def load(path):
    """The trace: (process names by pid, track names by (pid, tid), X/i/flow events, producer)."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise Bad("cannot read %s: %s" % (path, e.strerror or e))
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise Bad("%s: not JSON (not UTF-8 text)" % path)
    except (json.JSONDecodeError, RecursionError) as e:
        raise Bad("%s: not JSON (%s)" % (path, getattr(e, "msg", "too deeply nested")))
    if isinstance(doc, dict):
        events = doc.get("traceEvents")
        producer = (doc.get("otherData") or {}).get("producer") if isinstance(doc.get("otherData"), dict) else None
    else:
        events, producer = None, None
    if not isinstance(events, list):
        raise Bad("%s: no traceEvents list (not a trace-event file)" % path)
    procs, tracks, slices, instants = {}, {}, [], []
    flows = collections.defaultdict(list)
    for n, e in enumerate(events):
        if not isinstance(e, dict) or not isinstance(e.get("ph"), str):
            raise Bad("%s: event %d is not a trace event" % (path, n))
        ph, pid, tid = e["ph"], e.get("pid", 0), e.get("tid", 0)
        if not isinstance(pid, (int, str)) or not isinstance(tid, (int, str)):
            raise Bad("%s: event %d: bad pid/tid" % (path, n))
        name = e.get("name", "")
        if not isinstance(name, str):
            name = str(name)
        if ph == "M":
            args = e.get("args") if isinstance(e.get("args"), dict) else {}
            if name == "process_name" and isinstance(args.get("name"), str):
                procs[pid] = args["name"]
            elif name == "thread_name" and isinstance(args.get("name"), str):
                tracks[(pid, tid)] = args["name"]
            continue
        if ph not in ("X", "i", "I", "s", "t", "f"):
            continue  # B/E, counters, async events...: not written by gicsim bench, not drawn
        if not is_num(e.get("ts")):
            raise Bad("%s: event %d (%s %r): no numeric ts" % (path, n, ph, name))
        ts = float(e["ts"])
        if ph == "X":
            if not is_num(e.get("dur")) or e["dur"] < 0:
                raise Bad("%s: event %d (X %r): no duration" % (path, n, name))
            slices.append({"pid": pid, "tid": tid, "t0": ts, "t1": ts + float(e["dur"]), "name": name,
                           "args": e.get("args")})
        elif ph in ("i", "I"):
            instants.append({"pid": pid, "tid": tid, "t": ts, "name": name, "args": e.get("args")})
        else:
            if "id" not in e:
                raise Bad("%s: event %d (flow %r): no id" % (path, n, name))
            flows[(pid, str(e.get("cat", "")), str(e["id"]))].append({"ph": ph, "tid": tid, "t": ts, "n": n})
    if not slices and not instants:
        raise Bad("%s: no slices or instant events to draw" % path)
    for pid in {x["pid"] for x in slices + instants}:
        procs.setdefault(pid, "process %s" % pid)
    for x in slices + instants:
        tracks.setdefault((x["pid"], x["tid"]), "track %s" % x["tid"])
    return procs, tracks, slices, instants, flows, producer


def cycle_period_us(slices, instants):
    """The GIC cycle period (us) if every event with an integer "cycle" argument agrees on it, else None."""
    period = None
    for x in slices + instants:
        a = x["args"]
        if not isinstance(a, dict) or not isinstance(a.get("cycle"), int) or a["cycle"] <= 0:
            continue
        t = x["t0"] if "t0" in x else x["t"]
        p = t / a["cycle"]
        if period is None:
            period = p
        elif abs(p - period) > 1e-9 * max(1.0, period) + 1e-12 * t:
            return None
    return period if period and period > 0 else None


def select_jobs(procs, sels):
    order = sorted(procs, key=lambda p: (str(type(p)), p))
    if not sels:
        return order
    chosen = []
    for s in sels:
        if s.isdigit():
            k = int(s)
            if not 1 <= k <= len(order):
                raise Bad("--job %s: the file has %d jobs" % (s, len(order)))
            hit = [order[k - 1]]
        else:
            hit = [p for p in order if s in procs[p]]
            if not hit:
                raise Bad("--job %r: no job name contains it (jobs: %s)" % (s, "; ".join(procs[p] for p in order)))
        chosen += [p for p in hit if p not in chosen]
    return chosen


def runs_of(items, gap):
    """The stretches [t0, t1] of a job's events separated by more than `gap` of idle time."""
    spans = sorted((x["t0"], x["t1"]) if "t0" in x else (x["t"], x["t"]) for x in items)
    out = []
    for a, b in spans:
        if out and a <= out[-1][1] + gap:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def track_colour(name, i):
    for key, c in TRACK_COLOURS:
        if key.lower() in name.lower():
            return c
    return OTHER_COLOURS[i % len(OTHER_COLOURS)]


def lighten(colour, f):
    import matplotlib.colors as mc
    r, g, b = mc.to_rgb(colour)
    return (r + (1 - r) * f, g + (1 - g) * f, b + (1 - b) * f)


def depths(sl):
    """Nesting depth of each slice of one track (0: outermost), as a trace viewer stacks them."""
    order = sorted(range(len(sl)), key=lambda i: (sl[i]["t0"], -(sl[i]["t1"] - sl[i]["t0"])))
    stack, d = [], [0] * len(sl)
    for i in order:
        while stack and sl[stack[-1]]["t1"] <= sl[i]["t0"] + 1e-12:
            stack.pop()
        d[i] = len(stack)
        stack.append(i)
    return d


def render(a, procs, tracks, slices, instants, flows, producer):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.font_manager import FontProperties
        from matplotlib.collections import PolyCollection
    except ImportError:
        sys.stderr.write("%s: needs matplotlib (Debian: apt-get install python3-matplotlib; scripts/setup.sh)\n" % PROG)
        sys.exit(1)

    period = cycle_period_us(slices, instants)
    unit = a.unit or ("cycles" if period else "ns")
    if unit == "cycles" and not period:
        raise Bad("--unit cycles: the file gives no GIC cycle numbers (no events with a \"cycle\" argument)")
    scale = {"cycles": 1.0 / period if period else None, "ns": 1000.0, "us": 1.0}[unit]  # axis units per us
    gap = (a.gap / scale) if a.gap is not None else 1.0  # us
    win = (a.window[0] / scale, a.window[1] / scale) if a.window else None

    # What each panel (job) shows: its events in the run and window asked for.
    panels = []
    for pid in select_jobs(procs, a.job):
        sl = [x for x in slices if x["pid"] == pid]
        ins = [x for x in instants if x["pid"] == pid]
        if not sl and not ins:
            continue
        if a.run:
            rs = runs_of(sl + ins, gap)
            if a.run > len(rs):
                raise Bad("--run %d: job %r has %d runs (stretches separated by more than %g %s idle)" %
                          (a.run, procs[pid], len(rs), gap * scale, unit))
            lo, hi = rs[a.run - 1]
        else:
            lo = min([x["t0"] for x in sl] + [x["t"] for x in ins])
            hi = max([x["t1"] for x in sl] + [x["t"] for x in ins])
        if win:
            lo, hi = max(lo, win[0]), min(hi, win[1])
        keep_s = [dict(x) for x in sl if x["t1"] >= lo and x["t0"] <= hi]
        keep_i = [x for x in ins if lo <= x["t"] <= hi]
        if lo > hi or (not keep_s and not keep_i):
            continue
        panels.append({"pid": pid, "lo": lo, "hi": hi, "sl": keep_s, "ins": keep_i})
    if not panels:
        raise Bad("nothing to draw in %s for the jobs, run and window asked for" % a.input)
    # One time span for every panel, so that bar lengths compare: the window; else the jobs' common extent; with
    # --run, each panel from its own run's start over the longest run.
    if win:
        for p in panels:
            p["x0"], p["x1"] = win
    elif a.run:
        span = max(p["hi"] - p["lo"] for p in panels) or 1.0 / scale
        for p in panels:
            p["x0"], p["x1"] = p["lo"] - 0.01 * span, p["lo"] + 1.01 * span
    else:
        lo, hi = min(p["lo"] for p in panels), max(p["hi"] for p in panels)
        span = (hi - lo) or 1.0 / scale
        for p in panels:
            p["x0"], p["x1"] = lo - 0.01 * span, hi + 0.01 * span

    # Layout in pixels, measured with the renderer the PNG is drawn by.
    dpi = a.dpi
    k = dpi / 100.0
    fig = plt.figure(figsize=(a.width, 4), dpi=dpi)
    renderer = fig.canvas.get_renderer()
    fp_lane, fp_bar, fp_lab = FontProperties(size=9), FontProperties(size=8), FontProperties(size=7.5)

    widths = {}

    def text_w(s, fp):
        key = (s, fp.get_size())
        if key not in widths:
            widths[key] = renderer.get_text_width_height_descent(s, fp, ismath=False)[0]
        return widths[key]

    fig_w = a.width * dpi
    left = max(text_w(tracks.get(key, ""), fp_lane) for key in tracks) if tracks else 0
    left = max(left, 60 * k) + 18 * k
    right = 14 * k
    axes_w = fig_w - left - right
    if axes_w < 100:
        raise Bad("--width %g is too narrow for the track names" % a.width)
    ROW, LAB, MAXLAB = 24 * k, 14 * k, 3  # a slice row, a label row, label rows per lane
    for p in panels:
        px = axes_w / (p["x1"] - p["x0"])  # pixels per us
        p["px"] = px
        tids = sorted({t for (q, t) in tracks if q == p["pid"]} | {x["tid"] for x in p["sl"] + p["ins"]},
                      key=lambda t: (str(type(t)), t))
        p["lanes"] = []
        for i, tid in enumerate(tids):
            sl = [x for x in p["sl"] if x["tid"] == tid]
            for x, d in zip(sl, depths(sl)):
                x["depth"] = d
            rows = max([x["depth"] + 1 for x in sl] + [1])
            # Labels: inside a bar where it fits, else in one of the label rows under the lane, left-aligned at the
            # event (right-aligned at the right edge), in time order, where it meets no earlier label.
            out, seen = [], set()
            for x in sl:
                x["v0"], x["v1"] = max(x["t0"], p["x0"]), min(x["t1"], p["x1"])  # the part in the window
                x["inside"] = text_w(x["name"], fp_bar) + 8 * k <= (x["v1"] - x["v0"]) * px
                if not x["inside"]:
                    out.append((x["t0"], x["name"]))
            out += [(x["t"], x["name"]) for x in p["ins"] if x["tid"] == tid]
            row_end = [-1e9] * MAXLAB  # the right end of each label row's last label
            labels = []
            for t, s in sorted(out):
                if (round(t * 1e6), s) in seen:  # the same change twice in one cycle: written once
                    continue
                seen.add((round(t * 1e6), s))
                w = text_w(s, fp_lab)
                x = (t - p["x0"]) * px
                u = x if x + w <= axes_w else x - w
                if u < 0:
                    continue
                for r in range(MAXLAB):
                    if u >= row_end[r] + 5 * k:
                        row_end[r] = u + w
                        labels.append((t, s, r, "left" if u == x else "right"))
                        break
            nlab = max([r + 1 for _, _, r, _ in labels] + [0])
            p["lanes"].append({"tid": tid, "name": tracks.get((p["pid"], tid), "track %s" % tid), "rows": rows,
                               "nlab": nlab, "labels": labels, "sl": sl, "h": rows * ROW + nlab * LAB + 6 * k,
                               "colour": track_colour(tracks.get((p["pid"], tid), ""), i)})
        p["h"] = sum(ln["h"] for ln in p["lanes"])
    TITLE, PTITLE, XAX, GAP = 44 * k, 22 * k, 40 * k, 10 * k
    fig_h = TITLE + sum(PTITLE + p["h"] + XAX for p in panels) + GAP * (len(panels) - 1) + 6 * k
    fig.set_size_inches(a.width, fig_h / dpi)

    counts = collections.Counter()
    y_px = TITLE  # from the top
    first_ax = None
    for p in panels:
        y_px += PTITLE
        ax = fig.add_axes((left / fig_w, 1 - (y_px + p["h"]) / fig_h, axes_w / fig_w, p["h"] / fig_h))
        first_ax = first_ax or ax
        y_px += p["h"] + XAX + GAP
        # Data coordinates: x in the axis unit, y in pixels of the lane stack from the top.
        ax.set_xlim(p["x0"] * scale, p["x1"] * scale)
        ax.set_ylim(p["h"], 0)
        ax.set_title(procs[p["pid"]], loc="left", fontsize=10, fontweight="bold")
        ax.tick_params(axis="y", length=0)
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", color="#d0d0d0", linewidth=0.6)
        ax.set_axisbelow(True)
        for s in ("top", "right"):
            ax.spines[s].set_visible(False)
        px = p["px"]
        top, ticks, lane_of = 0.0, [], {}
        for n, ln in enumerate(p["lanes"]):
            ln["top"] = top
            lane_of[ln["tid"]] = ln
            ax.axhspan(top, top + ln["h"], color="#f5f5f5" if n % 2 == 0 else "#e9eef5", zorder=0, lw=0)
            ticks.append(top + ln["h"] / 2)
            top += ln["h"]
        ax.set_yticks(ticks)
        ax.set_yticklabels([ln["name"] for ln in p["lanes"]], fontsize=9)
        # Bars as one collection (a whole default run has tens of thousands), ticks as one.
        verts, faces, edges, lws = [], [], [], []
        for x in p["sl"]:
            ln = lane_of[x["tid"]]
            y0, y1 = ln["top"] + 3 * k + x["depth"] * ROW, ln["top"] + 3 * k + x["depth"] * ROW + ROW - 4 * k
            c = lighten(ln["colour"], min(0.6, 0.35 * x["depth"]))
            dur = x["t1"] - x["t0"]
            u, v = x["t0"] * scale, (x["t0"] + max(dur, 3.0 / px)) * scale
            verts.append([(u, y0), (v, y0), (v, y1), (u, y1)])
            wide = dur * px >= 6
            faces.append(c)
            edges.append("white" if wide else c)
            lws.append(0.5 if wide else 0.0)
            if x["inside"]:
                ax.text((x["v0"] + x["v1"]) / 2 * scale, (y0 + y1) / 2, x["name"], fontproperties=fp_bar,
                        ha="center", va="center", color="white" if x["depth"] == 0 else "black", zorder=5,
                        clip_on=True)
        ax.add_collection(PolyCollection(verts, facecolors=faces, edgecolors=edges, linewidths=lws, zorder=3))
        counts["slices"] += len(verts)
        if p["ins"]:
            ax.vlines([x["t"] * scale for x in p["ins"]], [lane_of[x["tid"]]["top"] + 1 * k for x in p["ins"]],
                      [lane_of[x["tid"]]["top"] + 3 * k + lane_of[x["tid"]]["rows"] * ROW for x in p["ins"]],
                      colors="black", linewidth=1.1, zorder=4)
        counts["instants"] += len(p["ins"])
        for ln in p["lanes"]:
            for t, s, r, ha in ln["labels"]:
                ax.text(t * scale, ln["top"] + 3 * k + ln["rows"] * ROW + (r + 0.5) * LAB, s, fontproperties=fp_lab,
                        ha=ha, va="center", color="#303030", zorder=6)
                counts["labels"] += 1

        def flow_y(tid, t):
            """The middle of the innermost slice of the track around t (the slice a flow point binds to)."""
            ln = lane_of.get(tid)
            if ln is None:
                return None
            best = None
            for x in ln["sl"]:
                if x["t0"] - 1e-9 <= t <= x["t1"] + 1e-9:
                    if best is None or x["depth"] > best["depth"]:
                        best = x
            return ln["top"] + 3 * k + (best["depth"] if best else 0) * ROW + (ROW - 4 * k) / 2

        for (pid, _, _), pts in sorted(flows.items(), key=lambda kv: kv[1][0]["n"]):
            if pid != p["pid"]:
                continue
            pts = sorted(pts, key=lambda q: ("stf".index(q["ph"]), q["t"], q["n"]))
            for u, v in zip(pts, pts[1:]):
                if not (p["x0"] <= u["t"] <= p["x1"] and p["x0"] <= v["t"] <= p["x1"]):
                    continue
                yu, yv = flow_y(u["tid"], u["t"]), flow_y(v["tid"], v["t"])
                if yu is None or yv is None:
                    continue
                ax.annotate("", xy=(v["t"] * scale, yv), xytext=(u["t"] * scale, yu), zorder=7,
                            arrowprops=dict(arrowstyle="-|>", color=ARROW, lw=1.6, shrinkA=0, shrinkB=0,
                                            mutation_scale=14))
                counts["arrows"] += 1
        ax.set_xlabel({"cycles": "GIC cycle (1 cycle = %g ns; the events' own cycle numbers)" % (
            (period or 0) * 1000), "ns": "simulated time (ns)", "us": "simulated time (us)"}[unit], fontsize=8)
    if a.title:
        title = a.title
    else:
        # "GICv2 edge EOImode 0 lazy", "... eager" -> "GICv2 edge EOImode 0 lazy / eager"
        words = [procs[p["pid"]].split() for p in panels]
        n = 0
        while all(len(w) > n + 1 and w[n] == words[0][n] for w in words):
            n += 1
        jobs = " ".join(words[0][:n] + [" / ".join(" ".join(w[n:]) for w in words)])
        title = "%s: %s" % (producer or os.path.basename(a.input), jobs)
        if a.run:
            title += ", run %d" % a.run
    fig.text(0.5 * k * 20 / fig_w, 1 - 22 * k / fig_h, title, fontsize=12, fontweight="bold", ha="left",
             va="center")
    if counts["arrows"]:
        first_ax.set_title("\u2192 flow: a guest write to the physical access and the vIRQ it causes", loc="right",
                           color=ARROW, fontsize=9)
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=dpi)
    except (ValueError, OverflowError, MemoryError) as e:
        raise Bad("cannot draw %d jobs at this size (%s): choose fewer with --job" % (len(panels), e))
    plt.close(fig)
    return buf.getvalue(), counts, len(panels), unit


def write(path, data):
    existed = os.path.exists(path)
    try:
        with open(path, "wb") as f:
            f.write(data)
    except OSError as e:
        if not existed and os.path.isfile(path):
            try:
                os.remove(path)
            except OSError:
                pass
        raise Bad("cannot write %s: %s" % (path, e.strerror or e))


def main(argv):
    try:
        a = parse_args(argv)
        png, counts, njobs, unit = render(a, *load(a.input))
        write(a.output, png)
    except Bad as e:
        sys.stderr.write("%s: %s\n" % (PROG, str(e).replace("\n", " ")))
        return 2
    try:
        print("%s: wrote %s: %d jobs, %d slices, %d instant events, %d flow arrows, %d outside labels, axis in %s" %
              (PROG, a.output, njobs, counts["slices"], counts["instants"], counts["arrows"], counts["labels"], unit))
        sys.stdout.flush()
    except OSError as e:
        sys.stderr.write("%s: cannot write standard output: %s\n" % (PROG, e.strerror or e))
        os._exit(2)  # without Python's second, failing flush at exit
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
