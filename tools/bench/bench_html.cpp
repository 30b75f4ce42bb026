// bench_html.cpp: the self-contained HTML report of `gicsim bench` and `gicsim sweep` with SVG plots, no script and
// nothing fetched (bench_report.h; docs/benchmark.md, "Outputs").
#include "bench_report.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

#ifndef GICSIM_VERSION
#error "GICSIM_VERSION comes from the build (CMake's project VERSION, tools/CMakeLists.txt)"
#endif

namespace bench {
namespace {
const char *kColors[] = { "#1f77b4", "#d62728", "#7f7f7f", "#2ca02c", "#9467bd",
                          "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22" };
} // namespace

std::string html_esc(const std::string &s)
{
    std::string o;
    for (char c : s) {
        if (c == '<') o += "&lt;";
        else if (c == '>') o += "&gt;";
        else if (c == '&') o += "&amp;";
        else if (c == '"') o += "&quot;";
        else o += c;
    }
    return o;
}

namespace {
// A round grid step for values up to vmax: 1, 2 or 5 times a power of ten, about four steps to the top.
double tick_step(double vmax)
{
    double raw = std::max(vmax, 1.0) / 4, p = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : { 1.0, 2.0, 5.0, 10.0 })
        if (m * p >= raw) return std::max(1.0, m * p);
    return 10 * p;
}

// Opens an SVG of W x H with its title, and draws the horizontal grid of a plot area that starts at
// x = L, y = T and is ph high: a line at every multiple of `step` from 0 to ymax, labelled on the left.
void svg_frame(std::ostringstream &o, const std::string &title, int W, int H, int L, int T, int ph, int x2, double ymax,
               double step)
{
    o << "<svg xmlns='http://www.w3.org/2000/svg' width='" << W << "' height='" << H
      << "' font-family='sans-serif' font-size='10'>";
    o << "<text x='" << L << "' y='14' font-size='12' font-weight='bold'>" << html_esc(title) << "</text>";
    for (double v = 0; v <= ymax + step / 2; v += step) {
        double y = T + ph - ph * v / ymax;
        o << "<line class='grid' x1='" << L << "' x2='" << x2 << "' y1='" << y << "' y2='" << y << "' stroke='#ddd'/>";
        o << "<text class='tick' x='" << L - 4 << "' y='" << y + 3 << "' text-anchor='end'>" << (long)std::lround(v)
          << "</text>";
    }
}

// The top of a plot's value axis: the largest p99 (or median) of all bars or points, rounded up to a whole grid
// step above it; *step gets the step.
double axis_top(const std::vector<std::vector<const SegStats *>> &vals, bool p99, double *step)
{
    double vmax = 1;
    for (auto &row : vals)
        for (const SegStats *v : row)
            if (v) vmax = std::max(vmax, (double)(p99 ? v->p99 : v->median));
    *step = tick_step(vmax);
    return std::ceil(vmax / *step + 1e-9) * *step;
}

// Grouped bars: groups (x labels) x series; value = median (written above the bar, so that a segment of a few
// cycles stays readable), whisker min..p99. notes[s]: a series' warning (its violations), drawn in red by its legend
// entry, with its bars outlined in red.
std::string svg_bars(const std::string &title, const std::vector<std::string> &groups,
                     const std::vector<std::string> &series, const std::vector<std::vector<const SegStats *>> &vals,
                     const std::vector<std::string> &notes)
{
    const int W = 720, H = 260, L = 50, B = 70, T = 24, R = 10;
    double step = 1;
    const double ymax = axis_top(vals, true, &step);
    std::ostringstream o;
    const int ph = H - B - T, pw = W - L - R;
    svg_frame(o, title, W, H, L, T, ph, W - R, ymax, step);
    size_t ng = std::max<size_t>(1, groups.size()), ns = std::max<size_t>(1, series.size());
    double gw = (double)pw / (double)ng, bw = gw * 0.8 / (double)ns;
    for (size_t g = 0; g < groups.size(); g++) {
        double gx = L + gw * (double)g + gw * 0.1;
        for (size_t s = 0; s < series.size(); s++) {
            const SegStats *st = vals[g][s];
            if (!st) continue;
            double x = gx + bw * (double)s;
            auto Y = [&](double v) { return T + ph - ph * v / ymax; };
            bool warn = s < notes.size() && !notes[s].empty();
            o << "<rect x='" << x << "' y='" << Y((double)st->median) << "' width='" << bw * 0.9 << "' height='"
              << ph * (double)st->median / ymax << "' fill='" << kColors[s % 10] << "'"
              << (warn ? " stroke='#d00' stroke-width='2' class='violation'" : "") << "><title>" << html_esc(series[s])
              << " " << html_esc(groups[g]) << ": median " << st->median << ", min " << st->min << ", p99 " << st->p99
              << ", max " << st->max << "</title></rect>";
            double cx = x + bw * 0.45;
            o << "<line x1='" << cx << "' x2='" << cx << "' y1='" << Y((double)st->min) << "' y2='"
              << Y((double)st->p99) << "' stroke='#000'/>";
            o << "<text class='value' x='" << cx << "' y='" << std::min(Y((double)st->median), Y((double)st->p99)) - 2
              << "' text-anchor='middle' font-size='8'>" << st->median << "</text>";
        }
        o << "<text transform='translate(" << gx + gw * 0.4 << "," << T + ph + 10 << ") rotate(30)'>"
          << html_esc(groups[g]) << "</text>";
    }
    for (size_t s = 0; s < series.size(); s++) {
        bool warn = s < notes.size() && !notes[s].empty();
        o << "<rect x='" << W - R - 270 << "' y='" << 4 + 12 * s << "' width='8' height='8' fill='" << kColors[s % 10]
          << "'/><text x='" << W - R - 258 << "' y='" << 12 + 12 * s << "'" << (warn ? " fill='#d00'" : "") << ">"
          << html_esc(series[s]) << (warn ? " \u26a0 " + html_esc(notes[s]) : "") << "</text>";
    }
    o << "</svg>";
    return o.str();
}
} // namespace

// Lines: x positions (labels) x series; value = median.
std::string svg_lines(const std::string &title, const std::vector<std::string> &xs,
                      const std::vector<std::string> &series,
                      const std::vector<std::vector<const SegStats *>> &vals /* [series][x] */)
{
    const int W = 720, H = 280, L = 50, B = 80, T = 24, R = 150;
    double step = 1;
    const double ymax = axis_top(vals, false, &step);
    std::ostringstream o;
    const int ph = H - B - T, pw = W - L - R;
    svg_frame(o, title, W, H, L, T, ph, L + pw, ymax, step);
    size_t n = xs.size();
    auto X = [&](size_t i) { return n <= 1 ? L + pw / 2.0 : L + pw * (double)i / (double)(n - 1); };
    for (size_t i = 0; i < n; i++)
        o << "<text transform='translate(" << X(i) << "," << T + ph + 10 << ") rotate(30)'>" << html_esc(xs[i])
          << "</text>";
    for (size_t s = 0; s < series.size(); s++) {
        std::string pts;
        for (size_t i = 0; i < n; i++) {
            const SegStats *v = vals[s][i];
            if (!v) continue;
            double y = T + ph - ph * (double)v->median / ymax;
            pts += std::to_string(X(i)) + "," + std::to_string(y) + " ";
            o << "<circle cx='" << X(i) << "' cy='" << y << "' r='3' fill='" << kColors[s % 10] << "'><title>"
              << html_esc(series[s]) << " " << html_esc(xs[i]) << ": median " << v->median << ", p99 " << v->p99
              << "</title></circle>";
        }
        o << "<polyline fill='none' stroke='" << kColors[s % 10] << "' points='" << pts << "'/>";
        o << "<rect x='" << W - R + 8 << "' y='" << 24 + 12 * s << "' width='8' height='8' fill='" << kColors[s % 10]
          << "'/><text x='" << W - R + 20 << "' y='" << 32 + 12 * s << "'>" << html_esc(series[s]) << "</text>";
    }
    o << "</svg>";
    return o.str();
}

const char *const kHtmlHead =
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>%s</title><style>"
    "body{font-family:sans-serif;margin:20px;max-width:1200px}table{border-collapse:collapse;font-size:12px}"
    "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#eee}td.l{text-align:left}"
    "pre{background:#f6f6f6;padding:8px;font-size:11px;overflow:auto}</style></head><body>\n";

namespace {
// What a result broke: its violations, ignored HW deactivations and blocked reassertions ("" when nothing).
std::string violation_note(const SeqResult &r)
{
    std::string n;
    auto add = [&](uint64_t v, const char *what) {
        if (v) n += (n.empty() ? "" : ", ") + std::to_string(v) + " " + what;
    };
    add(r.violations, "violations");
    add(r.ignored_deacts, "ignored HW deact.");
    add(r.blocked, "blocked");
    return n;
}

// The page's summary, before the charts: the eager-against-lazy verdict per GIC version (print_claim's text) and
// each policy's violations over every result.
void write_summary(const Opts &o, const std::vector<Row> &rows, FILE *f)
{
    fprintf(f, "<h2>Summary</h2>\n");
    char *buf = nullptr;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (mem) {
        print_claim(o, rows, mem);
        fclose(mem);
        std::string claim(buf ? buf : "", len);
        free(buf);
        if (!claim.empty()) fprintf(f, "<pre class='verdict'>%s</pre>\n", html_esc(claim).c_str());
    }
    fprintf(f, "<table class='summary'><tr><th class='l'>policy</th><th>results</th><th>runs</th><th>violations</th>"
               "<th>runs with violations</th><th>ignored HW deact.</th><th>blocked reassertions</th></tr>\n");
    for (int p : o.policies) {
        uint64_t n = 0, runs = 0, v = 0, vr = 0, ig = 0, bl = 0;
        for (const Row &r : rows)
            if (r.job->policy == p) {
                n++;
                runs += r.r->runs;
                v += r.r->violations;
                vr += r.r->violation_runs;
                ig += r.r->ignored_deacts;
                bl += r.r->blocked;
            }
        bool bad = v || ig || bl;
        fprintf(f,
                "<tr%s><td class='l'>%s</td><td>%" PRIu64 "</td><td>%" PRIu64 "</td><td>%" PRIu64 "</td><td>%" PRIu64
                "</td><td>%" PRIu64 "</td><td>%" PRIu64 "</td></tr>\n",
                bad ? " class='bad' style='color:#d00'" : "", kPolicyNames[p], n, runs, v, vr, ig, bl);
    }
    fprintf(
        f,
        "</table><p>Policy <code>none</code> (before the KVM change) is expected to break rule A6; <code>lazy</code> "
        "and <code>eager</code> are expected not to. Bars outlined in red belong to a result with violations.</p>\n");
}
} // namespace

void write_bench_html(const Opts &o, const std::vector<Row> &rows, FILE *f, const std::string &table_text,
                      const std::map<const Job *, std::map<int, std::vector<LaneEvent>>> &lanes)
{
    fprintf(f, kHtmlHead, "gicsim bench");
    fprintf(
        f,
        "<h1>gicsim bench</h1><p>gicsim %s. Segments in GIC cycles at %u MHz (%.3f ns per cycle); bars are medians, "
        "whiskers min..p99 over %u runs. See docs/benchmark.md for every sequence and segment.</p>\n",
        GICSIM_VERSION, o.p.gic_mhz, ns_per_cycle(o.p), o.p.runs);
    write_summary(o, rows, f);
    std::vector<std::string> series;
    for (int p : o.policies) series.push_back(kPolicyNames[p]);
    for (int g : o.gics)
        for (int t : o.triggers)
            for (int e : o.eoimodes)
                for (int s : o.seqs) {
                    std::vector<const SeqResult *> rs = results_of(rows, g, t, e, s, o.policies);
                    if (std::all_of(rs.begin(), rs.end(), [](const SeqResult *x) { return x == nullptr; })) continue;
                    std::vector<std::string> groups = seg_names_of(rs);
                    std::vector<std::vector<const SegStats *>> vals;
                    for (const std::string &gname : groups) {
                        std::vector<const SegStats *> v;
                        for (const SeqResult *r : rs) v.push_back(seg_of(r, gname));
                        vals.push_back(v);
                    }
                    std::string title = "GIC" + gic_name(g) + " " + trig_name(t) + " EOImode " + std::to_string(e) +
                                        ": " + kSeqNames[s];
                    std::vector<std::string> notes;
                    for (const SeqResult *r : rs) notes.push_back(r ? violation_note(*r) : "");
                    fprintf(f, "<div>%s</div>\n", svg_bars(title, groups, series, vals, notes).c_str());
                    // Where the time of the first run goes, for the first policy that ran it.
                    for (const Row &r : rows) {
                        const Job &j = *r.job;
                        if (j.gic != g || j.level != (bool)t || j.eoimode != e || r.r->seq != s) continue;
                        auto jl = lanes.find(&j);
                        if (jl == lanes.end()) break;
                        auto sl = jl->second.find(s);
                        if (sl == jl->second.end() || sl->second.empty()) break;
                        std::string lt = title + ", " + kPolicyNames[j.policy] + ": the first run";
                        fprintf(f, "<div>%s</div>\n", svg_swimlane(lt, sl->second, 1e-3).c_str());
                        break;
                    }
                }
    fprintf(f, "<h2>Table</h2><pre>%s</pre>\n<h2>Configuration</h2><pre>%s</pre></body></html>\n",
            html_esc(table_text).c_str(), html_esc(config_json(o, o.p, "")).c_str());
}

// An output file opened before any work (so that an unusable path costs nothing) and closed with every
// write, flush and close checked. A failure prints "gicsim: cannot write PATH: REASON" once: exit 2.
// A file's text is built in memory and written with write(2) at the end, so that the reason of a failure
// (ENOSPC, EIO, ...) is the one of the failed write itself.

// A line of a sweep's plot: GIC version and policy, and trigger and EOImode where the sweep has more than one.
std::string series_name(const Opts &o, const Job &j)
{
    return "GIC" + gic_name(j.gic) + " " + kPolicyNames[j.policy] +
           (o.triggers.size() > 1 ? " " + trig_name(j.level) : "") +
           (o.eoimodes.size() > 1 ? " eoim" + std::to_string(j.eoimode) : "");
}

void write_sweep_html(const Opts &o, const std::vector<std::string> &xs, const std::vector<Row> &rows, FILE *h)
{
    fprintf(h, kHtmlHead, "gicsim sweep");
    fprintf(h,
            "<h1>gicsim sweep</h1><p>gicsim %s, %zu grid points, %u runs each. Median of each segment in GIC cycles "
            "against the grid point; hover for p99. Data: <code>%s</code>.</p>\n",
            GICSIM_VERSION, xs.size(), o.p.runs, html_esc(o.csv).c_str());
    for (int s : o.seqs) {
        std::vector<std::string> series;
        std::vector<std::string> segnames;
        for (const Row &r : rows)
            if (r.r->seq == s) {
                std::string sn = series_name(o, *r.job);
                if (std::find(series.begin(), series.end(), sn) == series.end()) series.push_back(sn);
                for (auto &g : r.r->segs)
                    if (std::find(segnames.begin(), segnames.end(), g.first) == segnames.end())
                        segnames.push_back(g.first);
            }
        for (const std::string &seg : segnames) {
            std::vector<std::vector<const SegStats *>> vals(series.size(),
                                                            std::vector<const SegStats *>(xs.size(), nullptr));
            for (const Row &r : rows) {
                if (r.r->seq != s) continue;
                std::string sn = series_name(o, *r.job);
                size_t si = (size_t)(std::find(series.begin(), series.end(), sn) - series.begin());
                size_t xi = (size_t)(std::find(xs.begin(), xs.end(), r.job->label) - xs.begin());
                if (si < series.size() && xi < xs.size()) vals[si][xi] = seg_of(r.r, seg);
            }
            fprintf(h, "<div>%s</div>\n", svg_lines(std::string(kSeqNames[s]) + ": " + seg, xs, series, vals).c_str());
        }
    }
    fprintf(h, "<h2>Configuration</h2><pre>%s</pre></body></html>\n", html_esc(config_json(o, o.p, "")).c_str());
}

} // namespace bench
