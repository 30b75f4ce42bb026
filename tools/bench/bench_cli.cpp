// bench_cli.cpp: `gicsim bench` and `gicsim sweep`: options, configuration files, jobs, and the
// outputs (terminal table, JSON as docs/benchmark.md "Outputs", CSV, self-contained HTML with SVG plots).
#include "bench.h"
#include "bench_opts.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

extern "C" {
int usage_error(const char *fmt, ...);
const char *fd_name(int fd, const char *dflt, char *buf, unsigned long size);
int write_error(const char *name, int err);
int finish_stdout(void);
int cmd_bench(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
}

#ifndef GICSIM_VERSION
#error "GICSIM_VERSION comes from the build (CMake's project VERSION, tools/CMakeLists.txt)"
#endif

namespace bench {
namespace {



// ---------------- results ----------------
struct Row {
    const Job *job;
    const SeqResult *r;
};

std::string gic_name(int g) { return g == 2 ? "v2" : "v3"; }
std::string trig_name(bool l) { return l ? "level" : "edge"; }
double ns_per_cycle(const Params &p) { return 1000.0 / (double)p.gic_mhz; }

std::string jstr(const std::string &s)
{
    std::string o = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') { o += '\\'; o += c; }
        else if ((unsigned char)c < 0x20) { char b[8]; snprintf(b, sizeof b, "\\u%04x", c); o += b; }
        else o += c;
    }
    return o + "\"";
}
std::string fmt_double(double x)
{
    char b[64];
    snprintf(b, sizeof b, "%.3f", x);
    return b;
}

std::string config_json(const Opts &o, const Params &p, const char *indent)
{
    std::ostringstream j;
    Params q = p;
    j << "{";
    bool first = true;
    auto add = [&](const std::string &k, const std::string &v) {
        j << (first ? "\n" : ",\n") << indent << "  " << jstr(k) << ": " << v;
        first = false;
    };
    auto list = [&](const std::vector<int> &v, std::function<std::string(int)> f) {
        std::string s = "[";
        for (size_t i = 0; i < v.size(); i++) s += (i ? ", " : "") + f(v[i]);
        return s + "]";
    };
    add("gic", list(o.gics, [](int g) { return jstr(gic_name(g)); }));
    add("trigger", list(o.triggers, [](int t) { return jstr(trig_name(t)); }));
    add("eoimode", list(o.eoimodes, [](int e) { return std::to_string(e); }));
    add("policy", list(o.policies, [](int x) { return jstr(kPolicyNames[x]); }));
    add("sequence", list(o.seqs, [](int s) { return jstr(kSeqNames[s]); }));
    for (const ParamDef &d : param_defs()) add(d.key, std::to_string(d.ref(q)));
    add("seed", std::to_string(p.seed));
    add("model", jstr(o.model));
    add("gic_period_ns", fmt_double(ns_per_cycle(p)));
    j << "\n" << indent << "}";
    return j.str();
}

void write_json(const Opts &o, const std::vector<Row> &rows, FILE *f)
{
    fprintf(f, "{\n  \"gicsim_version\": %s,\n  \"config\": %s,\n  \"results\": [", jstr(GICSIM_VERSION).c_str(),
            config_json(o, o.p, "  ").c_str());
    for (size_t i = 0; i < rows.size(); i++) {
        const Job &jb = *rows[i].job;
        const SeqResult &r = *rows[i].r;
        fprintf(f, "%s\n    { \"gic\": \"%s\", \"policy\": \"%s\", \"trigger\": \"%s\", \"eoimode\": %d, \"sequence\": \"%s\",\n",
                i ? "," : "", gic_name(jb.gic).c_str(), kPolicyNames[jb.policy], trig_name(jb.level).c_str(), jb.eoimode,
                kSeqNames[r.seq]);
        fprintf(f, "      \"segments\": {");
        for (size_t k = 0; k < r.segs.size(); k++) {
            const SegStats &s = r.segs[k].second;
            fprintf(f, "%s\n        %s: { \"unit\": \"cycles\", \"min\": %" PRId64 ", \"median\": %" PRId64 ", \"p99\": %" PRId64
                       ", \"max\": %" PRId64 ", \"ns_median\": %s, \"samples\": %" PRIu64 " }",
                    k ? "," : "", jstr(r.segs[k].first).c_str(), s.min, s.median, s.p99, s.max,
                    fmt_double((double)s.median * ns_per_cycle(jb.p)).c_str(), s.n);
        }
        fprintf(f, "%s},\n", r.segs.empty() ? "" : "\n      ");
        fprintf(f, "      \"physical_accesses\": %" PRIu64 ", \"violations\": %" PRIu64 ", \"runs\": %" PRIu64
                   ", \"guest_accesses\": %" PRIu64 ", \"violation_runs\": %" PRIu64 ", \"ignored_hw_deacts\": %" PRIu64
                   ", \"blocked_reasserts\": %" PRIu64 ", \"errors\": %" PRIu64 ", \"rules\": {",
                r.physical_accesses, r.violations, r.runs, r.guest_accesses, r.violation_runs, r.ignored_deacts, r.blocked, r.errors);
        size_t k = 0;
        for (auto &x : r.rules) fprintf(f, "%s%s: %" PRIu64, k++ ? ", " : "", jstr(x.first).c_str(), x.second);
        fprintf(f, "} }");
    }
    fprintf(f, "\n  ]\n}\n");
}

void write_csv(const std::vector<Row> &rows, FILE *f, const std::vector<std::string> &axis_keys)
{
    for (const std::string &k : axis_keys) fprintf(f, "%s,", k.c_str());
    fprintf(f, "gic,trigger,eoimode,policy,sequence,segment,samples,min,median,p99,max,ns_median,physical_accesses,violations,"
               "ignored_hw_deacts,blocked_reasserts,runs\n");
    for (const Row &row : rows) {
        const Job &j = *row.job;
        const SeqResult &r = *row.r;
        std::string pre;
        for (const std::string &k : axis_keys) pre += std::to_string(find_param(k)->ref(const_cast<Params &>(j.p))) + ",";
        auto line = [&](const std::string &seg, const SegStats *s) {
            fprintf(f, "%s%s,%s,%d,%s,%s,%s,", pre.c_str(), gic_name(j.gic).c_str(), trig_name(j.level).c_str(), j.eoimode,
                    kPolicyNames[j.policy], kSeqNames[r.seq], seg.c_str());
            if (s) fprintf(f, "%" PRIu64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%s,", s->n, s->min, s->median, s->p99, s->max,
                           fmt_double((double)s->median * ns_per_cycle(j.p)).c_str());
            else fprintf(f, "0,,,,,,");
            fprintf(f, "%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", r.physical_accesses, r.violations,
                    r.ignored_deacts, r.blocked, r.runs);
        };
        if (r.segs.empty()) line("", nullptr);
        for (auto &s : r.segs) line(s.first, &s.second);
    }
}

// ---------------- terminal table ----------------
// One block's results of sequence s, one per policy in `pols` (nullptr where that job did not run it).
std::vector<const SeqResult *> results_of(const std::vector<Row> &rows, int g, int t, int e, int s, const std::vector<int> &pols)
{
    std::vector<const SeqResult *> rs;
    for (int p : pols) {
        const SeqResult *x = nullptr;
        for (const Row &r : rows)
            if (r.job->gic == g && r.job->level == (bool)t && r.job->eoimode == e && r.job->policy == p && r.r->seq == s) x = r.r;
        rs.push_back(x);
    }
    return rs;
}
std::vector<std::string> seg_names_of(const std::vector<const SeqResult *> &rs)
{
    std::vector<std::string> v;
    for (const SeqResult *r : rs)
        if (r)
            for (auto &s : r->segs)
                if (std::find(v.begin(), v.end(), s.first) == v.end()) v.push_back(s.first);
    return v;
}
const SegStats *seg_of(const SeqResult *r, const std::string &n)
{
    if (!r) return nullptr;
    for (auto &s : r->segs)
        if (s.first == n) return &s.second;
    return nullptr;
}

struct Block {
    int gic;
    bool level;
    int eoimode;
};

void print_table(const Opts &o, const std::vector<Row> &rows, FILE *f)
{
    std::vector<int> pols = o.policies;
    const int cw = 17;
    for (int g : o.gics)
        for (int t : o.triggers)
            for (int e : o.eoimodes) {
                bool any = false;
                for (const Row &r : rows)
                    if (r.job->gic == g && r.job->level == (bool)t && r.job->eoimode == e) any = true;
                if (!any) continue;
                fprintf(f, "\nGIC%s, %s-triggered, virtual EOImode %d (GIC cycles at %u MHz: median / p99)\n", gic_name(g).c_str(),
                        trig_name(t).c_str(), e, o.p.gic_mhz);
                fprintf(f, "  %-32s", "sequence / segment");
                for (int p : pols) fprintf(f, "%*s", cw, kPolicyNames[p]);
                fputc('\n', f);
                for (int s : o.seqs) {
                    std::vector<const SeqResult *> rs = results_of(rows, g, t, e, s, pols);
                    if (std::all_of(rs.begin(), rs.end(), [](const SeqResult *x) { return x == nullptr; })) continue;
                    fprintf(f, "  %s\n", kSeqNames[s]);
                    for (const std::string &n : seg_names_of(rs)) {
                        fprintf(f, "    %-30s", n.c_str());
                        for (const SeqResult *r : rs) {
                            const SegStats *st = seg_of(r, n);
                            char b[64];
                            if (st) snprintf(b, sizeof b, "%" PRId64 " / %" PRId64, st->median, st->p99);
                            else snprintf(b, sizeof b, "-");
                            fprintf(f, "%*s", cw, b);
                        }
                        fputc('\n', f);
                    }
                    auto line = [&](const char *label, std::function<std::string(const SeqResult &)> fn) {
                        fprintf(f, "    %-30s", label);
                        for (const SeqResult *r : rs) fprintf(f, "%*s", cw, r ? fn(*r).c_str() : "-");
                        fputc('\n', f);
                    };
                    line("physical accesses / run", [](const SeqResult &r) { return std::to_string(r.physical_accesses); });
                    line("violations (runs)", [](const SeqResult &r) {
                        return std::to_string(r.violations) + " (" + std::to_string(r.violation_runs) + ")";
                    });
                    line("ignored HW deact / blocked", [](const SeqResult &r) {
                        return std::to_string(r.ignored_deacts) + " / " + std::to_string(r.blocked);
                    });
                    bool err = false;
                    for (const SeqResult *r : rs) err |= r && r->errors;
                    if (err) line("runs with a missing step", [](const SeqResult &r) { return std::to_string(r.errors); });
                }
            }
}

// The KVM change's claim: eager against lazy, per GIC version (averages over the rows both have).
void print_claim(const Opts &o, const std::vector<Row> &rows, FILE *f)
{
    bool have_l = std::count(o.policies.begin(), o.policies.end(), 0), have_e = std::count(o.policies.begin(), o.policies.end(), 1);
    if (!have_l || !have_e) return;
    fprintf(f, "\neager against lazy (the KVM change: \"really slow, especially on GICv2\"); medians averaged over every\n"
               "(trigger, EOImode, sequence) both ran:\n");
    for (int g : o.gics) {
        double le = 0, ee = 0, lacc = 0, eacc = 0, lt = 0, et = 0;
        int n = 0, na = 0, nt = 0;
        for (const Row &a : rows) {
            if (a.job->gic != g || a.job->policy != 0) continue;
            for (const Row &b : rows) {
                if (b.job->gic != g || b.job->policy != 1 || b.job->level != a.job->level || b.job->eoimode != a.job->eoimode ||
                    b.r->seq != a.r->seq)
                    continue;
                const SegStats *x = seg_of(a.r, "vm_entry"), *y = seg_of(b.r, "vm_entry");
                if (x && y) { le += (double)x->median; ee += (double)y->median; n++; }
                x = seg_of(a.r, "trap"); y = seg_of(b.r, "trap");
                if (x && y) { lt += (double)x->median; et += (double)y->median; nt++; }
                lacc += (double)a.r->physical_accesses; eacc += (double)b.r->physical_accesses; na++;
            }
        }
        if (!n) continue;
        le /= n; ee /= n;
        fprintf(f, "  GIC%s: VM entry %.1f -> %.1f cycles (%+.1f, %+.1f%%)", gic_name(g).c_str(), le, ee, ee - le,
                le > 0 ? 100.0 * (ee - le) / le : 0.0);
        if (nt) { lt /= nt; et /= nt; fprintf(f, "; trapped write %.1f -> %.1f (%+.1f%%)", lt, et, lt > 0 ? 100.0 * (et - lt) / lt : 0.0); }
        fprintf(f, "; physical accesses per run %.1f -> %.1f\n", na ? lacc / na : 0.0, na ? eacc / na : 0.0);
    }
}

// ---------------- HTML with SVG ----------------
const char *kColors[] = { "#1f77b4", "#d62728", "#7f7f7f", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22" };

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

// Opens an SVG of W x H with its title, and draws the horizontal grid of a plot area that starts at
// x = L, y = T and is ph high: five lines from 0 to ymax, labelled on the left.
void svg_frame(std::ostringstream &o, const std::string &title, int W, int H, int L, int T, int ph, int x2, double ymax)
{
    o << "<svg xmlns='http://www.w3.org/2000/svg' width='" << W << "' height='" << H << "' font-family='sans-serif' font-size='10'>";
    o << "<text x='" << L << "' y='14' font-size='12' font-weight='bold'>" << html_esc(title) << "</text>";
    for (int k = 0; k <= 4; k++) {
        int y = T + ph - ph * k / 4;
        o << "<line x1='" << L << "' x2='" << x2 << "' y1='" << y << "' y2='" << y << "' stroke='#ddd'/>";
        o << "<text x='" << L - 4 << "' y='" << y + 3 << "' text-anchor='end'>" << (long)std::lround(ymax * k / 4) << "</text>";
    }
}

// Grouped bars: groups (x labels) x series; value = median, whisker min..p99.
std::string svg_bars(const std::string &title, const std::vector<std::string> &groups, const std::vector<std::string> &series,
                     const std::vector<std::vector<const SegStats *>> &vals)
{
    const int W = 720, H = 260, L = 50, B = 70, T = 24, R = 10;
    double ymax = 1;
    for (auto &g : vals)
        for (const SegStats *s : g)
            if (s) ymax = std::max(ymax, (double)s->p99);
    ymax *= 1.1;
    std::ostringstream o;
    const int ph = H - B - T, pw = W - L - R;
    svg_frame(o, title, W, H, L, T, ph, W - R, ymax);
    size_t ng = std::max<size_t>(1, groups.size()), ns = std::max<size_t>(1, series.size());
    double gw = (double)pw / (double)ng, bw = gw * 0.8 / (double)ns;
    for (size_t g = 0; g < groups.size(); g++) {
        double gx = L + gw * (double)g + gw * 0.1;
        for (size_t s = 0; s < series.size(); s++) {
            const SegStats *st = vals[g][s];
            if (!st) continue;
            double x = gx + bw * (double)s;
            auto Y = [&](double v) { return T + ph - ph * v / ymax; };
            o << "<rect x='" << x << "' y='" << Y((double)st->median) << "' width='" << bw * 0.9 << "' height='"
              << ph * (double)st->median / ymax << "' fill='" << kColors[s % 10] << "'><title>" << html_esc(series[s]) << " "
              << html_esc(groups[g]) << ": median " << st->median << ", min " << st->min << ", p99 " << st->p99 << ", max "
              << st->max << "</title></rect>";
            double cx = x + bw * 0.45;
            o << "<line x1='" << cx << "' x2='" << cx << "' y1='" << Y((double)st->min) << "' y2='" << Y((double)st->p99)
              << "' stroke='#000'/>";
        }
        o << "<text transform='translate(" << gx + gw * 0.4 << "," << T + ph + 10 << ") rotate(30)'>" << html_esc(groups[g]) << "</text>";
    }
    for (size_t s = 0; s < series.size(); s++)
        o << "<rect x='" << W - R - 90 << "' y='" << 4 + 12 * s << "' width='8' height='8' fill='" << kColors[s % 10]
          << "'/><text x='" << W - R - 78 << "' y='" << 12 + 12 * s << "'>" << html_esc(series[s]) << "</text>";
    o << "</svg>";
    return o.str();
}

// Lines: x positions (labels) x series; value = median.
std::string svg_lines(const std::string &title, const std::vector<std::string> &xs, const std::vector<std::string> &series,
                      const std::vector<std::vector<const SegStats *>> &vals /* [series][x] */)
{
    const int W = 720, H = 280, L = 50, B = 80, T = 24, R = 150;
    double ymax = 1;
    for (auto &s : vals)
        for (const SegStats *v : s)
            if (v) ymax = std::max(ymax, (double)v->median);
    ymax *= 1.1;
    std::ostringstream o;
    const int ph = H - B - T, pw = W - L - R;
    svg_frame(o, title, W, H, L, T, ph, L + pw, ymax);
    size_t n = xs.size();
    auto X = [&](size_t i) { return n <= 1 ? L + pw / 2.0 : L + pw * (double)i / (double)(n - 1); };
    for (size_t i = 0; i < n; i++)
        o << "<text transform='translate(" << X(i) << "," << T + ph + 10 << ") rotate(30)'>" << html_esc(xs[i]) << "</text>";
    for (size_t s = 0; s < series.size(); s++) {
        std::string pts;
        for (size_t i = 0; i < n; i++) {
            const SegStats *v = vals[s][i];
            if (!v) continue;
            double y = T + ph - ph * (double)v->median / ymax;
            pts += std::to_string(X(i)) + "," + std::to_string(y) + " ";
            o << "<circle cx='" << X(i) << "' cy='" << y << "' r='3' fill='" << kColors[s % 10] << "'><title>" << html_esc(series[s])
              << " " << html_esc(xs[i]) << ": median " << v->median << ", p99 " << v->p99 << "</title></circle>";
        }
        o << "<polyline fill='none' stroke='" << kColors[s % 10] << "' points='" << pts << "'/>";
        o << "<rect x='" << W - R + 8 << "' y='" << 24 + 12 * s << "' width='8' height='8' fill='" << kColors[s % 10]
          << "'/><text x='" << W - R + 20 << "' y='" << 32 + 12 * s << "'>" << html_esc(series[s]) << "</text>";
    }
    o << "</svg>";
    return o.str();
}

const char *kHtmlHead =
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>%s</title><style>"
    "body{font-family:sans-serif;margin:20px;max-width:1200px}table{border-collapse:collapse;font-size:12px}"
    "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#eee}td.l{text-align:left}"
    "pre{background:#f6f6f6;padding:8px;font-size:11px;overflow:auto}</style></head><body>\n";

void write_bench_html(const Opts &o, const std::vector<Row> &rows, FILE *f, const std::string &table_text)
{
    fprintf(f, kHtmlHead, "gicsim bench");
    fprintf(f, "<h1>gicsim bench</h1><p>gicsim %s. Segments in GIC cycles at %u MHz (%.3f ns per cycle); bars are medians, "
               "whiskers min..p99 over %u runs. See docs/benchmark.md for every sequence and segment.</p>\n",
            GICSIM_VERSION, o.p.gic_mhz, ns_per_cycle(o.p), o.p.runs);
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
                    std::string title = "GIC" + gic_name(g) + " " + trig_name(t) + " EOImode " + std::to_string(e) + ": " + kSeqNames[s];
                    fprintf(f, "<div>%s</div>\n", svg_bars(title, groups, series, vals).c_str());
                }
    fprintf(f, "<h2>Table</h2><pre>%s</pre>\n<h2>Configuration</h2><pre>%s</pre></body></html>\n", html_esc(table_text).c_str(),
            html_esc(config_json(o, o.p, "")).c_str());
}

// An output file opened before any work (so that an unusable path costs nothing) and closed with every
// write, flush and close checked. A failure prints "gicsim: cannot write PATH: REASON" once: exit 2.
// A file's text is built in memory and written with write(2) at the end, so that the reason of a failure
// (ENOSPC, EIO, ...) is the one of the failed write itself.
struct OutFile {
    std::string path;
    FILE *f = nullptr;
    int fd = -1;
    char *buf = nullptr;
    size_t len = 0;
    int err = 0;  // errno of a failed open
    bool open(const std::string &p)
    {
        path = p;
        if (p.empty()) return true;
        if (p == "-") {
            f = stdout;
            return true;
        }
        fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd < 0) {
            err = errno;
            return false;
        }
        f = open_memstream(&buf, &len);
        if (!f) {
            err = errno;
            return false;
        }
        return true;
    }
    int open_error() const { return write_error(path.c_str(), err); }
    // Returns EXIT_OK_ or EXIT_USAGE_ (after one line on stderr).
    int finish()
    {
        if (!f) return EXIT_OK_;
        FILE *g = f;
        f = nullptr;
        if (g == stdout) return finish_stdout() == 0 ? EXIT_OK_ : EXIT_USAGE_;
        int e = 0;
        if (fclose(g) != 0) e = errno ? errno : ENOMEM;
        const char *b = buf;
        size_t left = e ? 0 : len;
        while (left) {
            ssize_t n = write(fd, b, left);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                e = n < 0 ? errno : EIO;
                break;
            }
            b += n;
            left -= (size_t)n;
        }
        if (close(fd) != 0 && !e) e = errno;
        fd = -1;
        return e ? write_error(path.c_str(), e) : EXIT_OK_;
    }
    ~OutFile()
    {
        if (f && f != stdout) fclose(f);
        if (fd >= 0) close(fd);
        free(buf);
    }
};

// Probes --record-gic's first file before any job runs: it must open and take a write (a full device,
// a read-only directory, a missing directory: exit 2 with one line, not once per job).
int probe_record(const std::string &path)
{
    OutFile o;
    if (!o.open(path)) return o.open_error();
    fputs("# gicsim stimulus (being recorded)\n", o.f);
    return o.finish();
}

// mkdir -p with mkdir(2): "" or why DIR cannot be created (or is not a directory), then checks it takes files.
std::string make_dirs(const std::string &dir)
{
    std::string cur;
    size_t pos = 0;
    while (pos <= dir.size()) {
        size_t sl = dir.find('/', pos);
        if (sl == std::string::npos) sl = dir.size();
        cur = dir.substr(0, sl);
        pos = sl + 1;
        if (cur.empty() || cur == "." || cur == "..") continue;
        if (mkdir(cur.c_str(), 0777) != 0 && errno != EEXIST) return strerror(errno);
    }
    struct stat st;
    if (stat(dir.c_str(), &st) != 0) return strerror(errno);
    if (!S_ISDIR(st.st_mode)) return strerror(ENOTDIR);
    if (access(dir.c_str(), W_OK | X_OK) != 0) return strerror(errno);
    return "";
}

bool violates(const SeqResult &r) { return r.violations || r.ignored_deacts || r.blocked; }


}  // namespace
}  // namespace bench

using namespace bench;

int cmd_bench(int argc, char **argv)
{
    Opts o;
    bool help;
    int rc = parse_args(o, argc, argv, false, help);
    if (help) {
        printf("usage: gicsim bench [options]\n\n"
               "Runs the guest's SPEND/CPEND/ACTIVE sequences on hardware-mapped interrupts on a SystemC platform\n"
               "(gicsim::Gic over TLM, a memory bus, a CPU running the guest and the hypervisor's vgic), for each\n"
               "GIC version, trigger, virtual EOImode and policy, and reports each segment's latency in GIC cycles\n"
               "(median, p99; --json/--csv/--html: min, median, p99, max and ns) over --runs repetitions with seeded\n"
               "jitter, the physical register accesses, the rule checker's violations and blocked reassertions.\n"
               "Without options: the built-in default (v2 and v3, edge and level, EOImode 0 and 1, lazy/eager/none,\n"
               "every sequence). docs/benchmark.md says what each sequence and segment measures.\n\n"
               "  --gic v2|v3[,..]          --trigger edge|level[,..]   --eoimode 0|1[,..]   --policy lazy|eager|none[,..]\n"
               "  --sequence NAME[,..]      (repeatable)\n"
               "  --config FILE             KEY=VALUE lines (# comments); the keys are the option names below\n"
               "                            with '_' for '-' (and gic, trigger, eoimode, policy, sequence, timing, costs)\n"
               "  --timing k=v,..           req, resp, ack, line, prio, deliver, deact, hwdeact, maint, out\n"
               "  --costs k=v,..            cpu_mhz, trap_entry, trap_exit, emul_access, vm_entry, vm_exit, lr_write, ...\n"
               "  --json FILE               results as JSON (docs/benchmark.md, Outputs; '-' for stdout)\n"
               "  --csv FILE                one line per result and segment\n"
               "  --html FILE               self-contained report with SVG plots\n"
               "  --strict                  exit 1 if a lazy or eager result shows a violation, an ignored HW\n"
               "                            deactivation or a blocked reassertion (none is expected to: not counted)\n"
               "  --model c|rtl             the GIC model: the C kernels (default) or the Verilated RTL reference\n"
               "                            (GICv3 only; docs/rtl.md); the same sequences give the same cycles\n"
               "  --record-gic PREFIX       write every stimulus the GIC gets to PREFIX-GIC-TRIGGER-eoimodeN-POLICY.stim,\n"
               "                            for gicsim_lockstep --replay (C kernels and RTL cycle by cycle)\n"
               "  -j N                      parallel processes (default: the number of CPUs)\n\n%s\n",
               seq_help);
        print_params_help();
        puts("\nExit status: 0 success, 1 --strict found a violation or a run failed, 2 bad usage or input (also an\n"
             "output that cannot be written or a --config that cannot be read), with one line on stderr.");
        return EXIT_OK_;
    }
    if (rc >= 0) return rc;
    std::vector<Job> jobs;
    for (int g : o.gics)
        for (int t : o.triggers)
            for (int e : o.eoimodes)
                for (int p : o.policies) {
                    Job j;
                    j.p = o.p;
                    j.gic = g;
                    j.level = t;
                    j.eoimode = e;
                    j.policy = p;
                    j.seqs = o.seqs;
                    j.model = o.model;
                    if (!o.record.empty())
                        j.record = o.record + "-" + gic_name(g) + "-" + trig_name(t) + "-eoimode" + std::to_string(e) + "-" +
                                   kPolicyNames[p] + ".stim";
                    jobs.push_back(j);
                }
    // Everything that can be refused is refused here, once, before any job runs (exit 2, one line).
    if (o.model == "rtl" && !jobs.empty()) {
        std::string why = probe_model(jobs[0]);  // every job has the same GIC configuration (GICv3)
        if (!why.empty()) {
            fprintf(stderr, "gicsim: %s\n", why.c_str());
            return EXIT_USAGE_;
        }
    }
    OutFile out_json, out_csv, out_html;
    if (!out_json.open(o.json)) return out_json.open_error();
    if (!out_csv.open(o.csv)) return out_csv.open_error();
    if (!out_html.open(o.html)) return out_html.open_error();
    for (const Job &j : jobs)
        if (!j.record.empty() && probe_record(j.record) != EXIT_OK_) return EXIT_USAGE_;
    std::vector<JobResult> res = run_jobs(jobs, o.procs, "gicsim bench");
    // An output a job could not write (--record-gic on a device that filled up meanwhile): exit 2, one line.
    for (const JobResult &r : res)
        if (r.output_error) {
            fprintf(stderr, "gicsim: %s\n", r.error.c_str());
            return EXIT_USAGE_;
        }
    std::vector<Row> rows;
    int status = EXIT_OK_;
    for (size_t i = 0; i < jobs.size(); i++) {
        if (!res[i].ok) {
            fprintf(stderr, "gicsim bench: GIC%s %s EOImode %d %s: %s\n", gic_name(jobs[i].gic).c_str(), trig_name(jobs[i].level).c_str(),
                    jobs[i].eoimode, kPolicyNames[jobs[i].policy], res[i].error.c_str());
            status = EXIT_CHECK_;
            continue;
        }
        for (const SeqResult &r : res[i].seqs) rows.push_back({ &jobs[i], &r });
    }
    char *buf = nullptr;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    fprintf(mem, "gicsim %s bench: %u runs per sequence, seed %" PRIu64 ", bus latency %u+0..%u cycles, %u LRs, CPU %u MHz, GIC %u MHz, %s\n",
            GICSIM_VERSION, o.p.runs, o.p.seed, o.p.bus_latency, o.p.bus_jitter, o.p.num_lrs, o.p.costs.cpu_mhz, o.p.gic_mhz,
            o.model == "rtl" ? "model: the Verilated RTL reference" : "model: the C kernels");
    print_table(o, rows, mem);
    print_claim(o, rows, mem);
    fclose(mem);
    std::string table(buf, len);
    free(buf);
    if (o.json != "-") fputs(table.c_str(), stdout);
    bool out_failed = false;  // after a failed output, the others are not written (one line on stderr)
    auto emit = [&](OutFile &out, std::function<void(FILE *)> fn) {
        if (!out.f || out_failed) return;
        fn(out.f);
        if (out.finish() != EXIT_OK_) {
            out_failed = true;
            status = EXIT_USAGE_;
        }
    };
    emit(out_json, [&](FILE *f) { write_json(o, rows, f); });
    emit(out_csv, [&](FILE *f) { write_csv(rows, f, {}); });
    emit(out_html, [&](FILE *f) { write_bench_html(o, rows, f, table); });
    if (o.strict)
        for (const Row &r : rows)
            if (r.job->policy != VGIC_POLICY_NONE && (violates(*r.r) || r.r->errors)) {
                if (status == EXIT_OK_) status = EXIT_CHECK_;
                fprintf(stderr, "gicsim bench: --strict: GIC%s %s EOImode %d %s %s: %" PRIu64 " violations, %" PRIu64
                                " ignored HW deactivations, %" PRIu64 " blocked reassertions, %" PRIu64 " failed runs\n",
                        gic_name(r.job->gic).c_str(), trig_name(r.job->level).c_str(), r.job->eoimode, kPolicyNames[r.job->policy],
                        kSeqNames[r.r->seq], r.r->violations, r.r->ignored_deacts, r.r->blocked, r.r->errors);
            }
    return status;
}

int cmd_sweep(int argc, char **argv)
{
    Opts o;
    o.p.runs = 50;
    o.triggers = { 0 };
    o.eoimodes = { 0 };
    bool help;
    int rc = parse_args(o, argc, argv, true, help);
    if (help) {
        printf("usage: gicsim sweep [--KEY V1,V2,..]... [options]\n\n"
               "Runs the benchmark (gicsim bench) on every point of a grid and writes one CSV and an HTML page with\n"
               "SVG plots (median of each segment against the grid points, one line per GIC/policy/trigger/EOImode).\n"
               "Every numeric parameter of gicsim bench may take a comma list (an axis), e.g.\n"
               "  gicsim sweep --lrs 1,4,16 --bus-latency 10,30,100 --prio 2,4 --gic v2,v3 --policy lazy,eager\n"
               "Each point (axis values x gic x trigger x eoimode x policy) runs in its own process, -j at a time.\n"
               "Defaults differ from bench: --runs 50, --trigger edge, --eoimode 0.\n\n"
               "  --out DIR        write DIR/sweep.csv and DIR/sweep.html (default: sweep-out)\n"
               "  --csv FILE       --html FILE   instead of --out\n"
               "  -j N             parallel processes (default: the number of CPUs)\n"
               "  --config FILE    KEY=VALUE lines; values may be comma lists\n"
               "  --max-points N   refuse a grid of more than N points (default 100000, at most 1000000000)\n\n%s\n",
               seq_help);
        print_params_help();
        puts("\nExit status: 0 success, 1 a point failed, 2 bad usage or input (a grid above --max-points, an --out\n"
             "that cannot be created, an output that cannot be written), with one line on stderr.");
        return EXIT_OK_;
    }
    if (rc >= 0) return rc;
    if (o.out_dir.empty() && o.csv.empty() && o.html.empty()) o.out_dir = "sweep-out";
    // The grid's size, counted without overflow (saturating) before anything else.
    const uint64_t combos = (uint64_t)o.gics.size() * o.triggers.size() * o.eoimodes.size() * o.policies.size();
    const uint64_t njobs = grid_points(o), npts = combos ? njobs / combos : 0;
    if (njobs > o.max_points)
        return usage_error("sweep: the grid has more than %" PRIu64 " points (axes x gic x trigger x eoimode x policy); "
                           "narrow it or raise --max-points", o.max_points);
    // Point i of the grid: the numeric axes in mixed radix, the last axis fastest.
    std::vector<std::string> axis_keys;
    for (auto &ax : o.axes) axis_keys.push_back(ax.first);
    auto point = [&](uint64_t i, std::string *label) {
        Params q = o.p;
        std::vector<size_t> digit(o.axes.size());
        for (size_t a = o.axes.size(); a-- > 0;) {
            digit[a] = (size_t)(i % o.axes[a].second.size());
            i /= o.axes[a].second.size();
        }
        if (label) label->clear();
        for (size_t a = 0; a < o.axes.size(); a++) {
            uint64_t v = o.axes[a].second[digit[a]];
            find_param(o.axes[a].first)->ref(q) = (uint32_t)v;
            if (label) *label += (label->empty() ? "" : " ") + o.axes[a].first + "=" + std::to_string(v);
        }
        return q;
    };
    for (uint64_t i = 0; i < npts; i++) {
        std::string e = check_params(point(i, nullptr));
        if (!e.empty()) return usage_error("%s", e.c_str());
    }
    // The output location, checked (and created) before any work.
    if (!o.out_dir.empty()) {
        std::string e = make_dirs(o.out_dir);
        if (!e.empty()) {
            fprintf(stderr, "gicsim: cannot create directory %s: %s\n", o.out_dir.c_str(), e.c_str());
            return EXIT_USAGE_;
        }
        if (o.csv.empty()) o.csv = o.out_dir + "/sweep.csv";
        if (o.html.empty()) o.html = o.out_dir + "/sweep.html";
    }
    OutFile out_csv, out_html;
    if (!out_csv.open(o.csv)) return out_csv.open_error();
    if (!out_html.open(o.html)) return out_html.open_error();
    auto make_job = [&](size_t k) {
        Job j;
        std::string label;
        j.p = point(k / combos, &label);
        size_t c = k % combos;
        j.policy = o.policies[c % o.policies.size()];
        c /= o.policies.size();
        j.eoimode = o.eoimodes[c % o.eoimodes.size()];
        c /= o.eoimodes.size();
        j.level = o.triggers[c % o.triggers.size()];
        c /= o.triggers.size();
        j.gic = o.gics[c];
        j.seqs = o.seqs;
        j.model = o.model;
        j.label = label.empty() ? "default" : label;
        return j;
    };
    if (o.model == "rtl" && njobs) {
        std::string why = probe_model(make_job(0));
        if (!why.empty()) {
            fprintf(stderr, "gicsim: %s\n", why.c_str());
            return EXIT_USAGE_;
        }
    }
    std::vector<Job> jobs;
    std::vector<JobResult> res = run_jobs((size_t)njobs, make_job, jobs, o.procs, "gicsim sweep");
    std::vector<Row> rows;
    int status = EXIT_OK_;
    for (size_t i = 0; i < jobs.size(); i++) {
        if (!res[i].ok) {
            fprintf(stderr, "gicsim sweep: point %s GIC%s %s: %s\n", jobs[i].label.c_str(), gic_name(jobs[i].gic).c_str(),
                    kPolicyNames[jobs[i].policy], res[i].error.c_str());
            status = EXIT_CHECK_;
            continue;
        }
        for (const SeqResult &r : res[i].seqs) rows.push_back({ &jobs[i], &r });
    }
    write_csv(rows, out_csv.f, axis_keys);
    if (out_csv.finish() != EXIT_OK_) return EXIT_USAGE_;
    if (out_html.f) {
        FILE *h = out_html.f;
        fprintf(h, kHtmlHead, "gicsim sweep");
        fprintf(h, "<h1>gicsim sweep</h1><p>gicsim %s, %zu grid points, %u runs each. Median of each segment in GIC cycles "
                   "against the grid point; hover for p99. Data: <code>%s</code>.</p>\n",
                GICSIM_VERSION, (size_t)npts, o.p.runs, html_esc(o.csv).c_str());
        std::vector<std::string> xs;
        for (uint64_t i = 0; i < npts; i++) {
            std::string l;
            point(i, &l);
            xs.push_back(l.empty() ? "default" : l);
        }
        for (int s : o.seqs) {
            std::vector<std::string> series;
            std::vector<std::string> segnames;
            for (const Row &r : rows)
                if (r.r->seq == s) {
                    std::string sn = "GIC" + gic_name(r.job->gic) + " " + kPolicyNames[r.job->policy] +
                                     (o.triggers.size() > 1 ? " " + trig_name(r.job->level) : "") +
                                     (o.eoimodes.size() > 1 ? " eoim" + std::to_string(r.job->eoimode) : "");
                    if (std::find(series.begin(), series.end(), sn) == series.end()) series.push_back(sn);
                    for (auto &g : r.r->segs)
                        if (std::find(segnames.begin(), segnames.end(), g.first) == segnames.end()) segnames.push_back(g.first);
                }
            for (const std::string &seg : segnames) {
                std::vector<std::vector<const SegStats *>> vals(series.size(), std::vector<const SegStats *>(xs.size(), nullptr));
                for (const Row &r : rows) {
                    if (r.r->seq != s) continue;
                    std::string sn = "GIC" + gic_name(r.job->gic) + " " + kPolicyNames[r.job->policy] +
                                     (o.triggers.size() > 1 ? " " + trig_name(r.job->level) : "") +
                                     (o.eoimodes.size() > 1 ? " eoim" + std::to_string(r.job->eoimode) : "");
                    size_t si = (size_t)(std::find(series.begin(), series.end(), sn) - series.begin());
                    size_t xi = (size_t)(std::find(xs.begin(), xs.end(), r.job->label) - xs.begin());
                    if (si < series.size() && xi < xs.size()) vals[si][xi] = seg_of(r.r, seg);
                }
                fprintf(h, "<div>%s</div>\n", svg_lines(std::string(kSeqNames[s]) + ": " + seg, xs, series, vals).c_str());
            }
        }
        fprintf(h, "<h2>Configuration</h2><pre>%s</pre></body></html>\n", html_esc(config_json(o, o.p, "")).c_str());
        if (out_html.finish() != EXIT_OK_) return EXIT_USAGE_;
    }
    printf("gicsim sweep: %zu points x %zu policy/version combinations, %zu results -> %s%s%s\n", (size_t)npts,
           jobs.size() / std::max<size_t>(1, (size_t)npts), rows.size(), o.csv.c_str(), o.html.empty() ? "" : ", ", o.html.c_str());
    return status;
}
