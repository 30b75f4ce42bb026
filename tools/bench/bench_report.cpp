// bench_report.cpp: the terminal table, the eager-against-lazy summary, JSON and CSV of `gicsim bench` and
// `gicsim sweep` (bench_report.h; docs/benchmark.md, "Outputs").
#include "bench_report.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>

#ifndef GICSIM_VERSION
#error "GICSIM_VERSION comes from the build (CMake's project VERSION, tools/CMakeLists.txt)"
#endif

namespace bench {

// ---------------- results ----------------
std::string gic_name(int g) { return g == 2 ? "v2" : "v3"; }
std::string trig_name(bool l) { return l ? "level" : "edge"; }
double ns_per_cycle(const Params &p) { return 1000.0 / (double)p.gic_mhz; }

std::string jstr(const std::string &s)
{
    std::string o = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            o += '\\';
            o += c;
        } else if ((unsigned char)c < 0x20) {
            char b[8];
            snprintf(b, sizeof b, "\\u%04x", c);
            o += b;
        } else o += c;
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
        fprintf(f,
                "%s\n    { \"gic\": \"%s\", \"policy\": \"%s\", \"trigger\": \"%s\", \"eoimode\": %d, \"sequence\": "
                "\"%s\",\n",
                i ? "," : "", gic_name(jb.gic).c_str(), kPolicyNames[jb.policy], trig_name(jb.level).c_str(),
                jb.eoimode, kSeqNames[r.seq]);
        fprintf(f, "      \"segments\": {");
        for (size_t k = 0; k < r.segs.size(); k++) {
            const SegStats &s = r.segs[k].second;
            fprintf(f,
                    "%s\n        %s: { \"unit\": \"cycles\", \"min\": %" PRId64 ", \"median\": %" PRId64
                    ", \"p99\": %" PRId64 ", \"max\": %" PRId64 ", \"ns_median\": %s, \"samples\": %" PRIu64 " }",
                    k ? "," : "", jstr(r.segs[k].first).c_str(), s.min, s.median, s.p99, s.max,
                    fmt_double((double)s.median * ns_per_cycle(jb.p)).c_str(), s.n);
        }
        fprintf(f, "%s},\n", r.segs.empty() ? "" : "\n      ");
        fprintf(f,
                "      \"physical_accesses\": %" PRIu64 ", \"violations\": %" PRIu64 ", \"runs\": %" PRIu64
                ", \"guest_accesses\": %" PRIu64 ", \"violation_runs\": %" PRIu64 ", \"ignored_hw_deacts\": %" PRIu64
                ", \"blocked_reasserts\": %" PRIu64 ", \"errors\": %" PRIu64 ", \"rules\": {",
                r.physical_accesses, r.violations, r.runs, r.guest_accesses, r.violation_runs, r.ignored_deacts,
                r.blocked, r.errors);
        size_t k = 0;
        for (auto &x : r.rules) fprintf(f, "%s%s: %" PRIu64, k++ ? ", " : "", jstr(x.first).c_str(), x.second);
        fprintf(f, "} }");
    }
    fprintf(f, "\n  ]\n}\n");
}

void write_csv(const std::vector<Row> &rows, FILE *f, const std::vector<std::string> &axis_keys)
{
    for (const std::string &k : axis_keys) fprintf(f, "%s,", k.c_str());
    fprintf(
        f,
        "gic,trigger,eoimode,policy,sequence,segment,samples,min,median,p99,max,ns_median,physical_accesses,violations,"
        "ignored_hw_deacts,blocked_reasserts,runs\n");
    for (const Row &row : rows) {
        const Job &j = *row.job;
        const SeqResult &r = *row.r;
        std::string pre;
        for (const std::string &k : axis_keys)
            pre += std::to_string(find_param(k)->ref(const_cast<Params &>(j.p))) + ",";
        auto line = [&](const std::string &seg, const SegStats *s) {
            fprintf(f, "%s%s,%s,%d,%s,%s,%s,", pre.c_str(), gic_name(j.gic).c_str(), trig_name(j.level).c_str(),
                    j.eoimode, kPolicyNames[j.policy], kSeqNames[r.seq], seg.c_str());
            if (s)
                fprintf(f, "%" PRIu64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%s,", s->n, s->min, s->median,
                        s->p99, s->max, fmt_double((double)s->median * ns_per_cycle(j.p)).c_str());
            else fprintf(f, "0,,,,,,");
            fprintf(f, "%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", r.physical_accesses,
                    r.violations, r.ignored_deacts, r.blocked, r.runs);
        };
        if (r.segs.empty()) line("", nullptr);
        for (auto &s : r.segs) line(s.first, &s.second);
    }
}

// ---------------- terminal table ----------------
// One block's results of sequence s, one per policy in `pols` (nullptr where that job did not run it).
std::vector<const SeqResult *> results_of(const std::vector<Row> &rows, int g, int t, int e, int s,
                                          const std::vector<int> &pols)
{
    std::vector<const SeqResult *> rs;
    for (int p : pols) {
        const SeqResult *x = nullptr;
        for (const Row &r : rows)
            if (r.job->gic == g && r.job->level == (bool)t && r.job->eoimode == e && r.job->policy == p &&
                r.r->seq == s)
                x = r.r;
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
                fprintf(f, "\nGIC%s, %s-triggered, virtual EOImode %d (GIC cycles at %u MHz: median / p99)\n",
                        gic_name(g).c_str(), trig_name(t).c_str(), e, o.p.gic_mhz);
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
                    line("physical accesses / run",
                         [](const SeqResult &r) { return std::to_string(r.physical_accesses); });
                    line("violations (runs)", [](const SeqResult &r) {
                        return std::to_string(r.violations) + " (" + std::to_string(r.violation_runs) + ")";
                    });
                    line("ignored HW deact / blocked", [](const SeqResult &r) {
                        return std::to_string(r.ignored_deacts) + " / " + std::to_string(r.blocked);
                    });
                    bool err = false;
                    for (const SeqResult *r : rs) err |= r && r->errors;
                    if (err)
                        line("runs with a missing step", [](const SeqResult &r) { return std::to_string(r.errors); });
                }
            }
}

// The KVM change's claim: eager against lazy, per GIC version (averages over the rows both have).
void print_claim(const Opts &o, const std::vector<Row> &rows, FILE *f)
{
    bool have_l = std::count(o.policies.begin(), o.policies.end(), 0),
         have_e = std::count(o.policies.begin(), o.policies.end(), 1);
    if (!have_l || !have_e) return;
    fprintf(f,
            "\neager against lazy (the KVM change: \"really slow, especially on GICv2\"); medians averaged over every\n"
            "(trigger, EOImode, sequence) both ran:\n");
    for (int g : o.gics) {
        double le = 0, ee = 0, lacc = 0, eacc = 0, lt = 0, et = 0;
        int n = 0, na = 0, nt = 0;
        for (const Row &a : rows) {
            if (a.job->gic != g || a.job->policy != 0) continue;
            for (const Row &b : rows) {
                if (b.job->gic != g || b.job->policy != 1 || b.job->level != a.job->level ||
                    b.job->eoimode != a.job->eoimode || b.r->seq != a.r->seq)
                    continue;
                const SegStats *x = seg_of(a.r, "vm_entry"), *y = seg_of(b.r, "vm_entry");
                if (x && y) {
                    le += (double)x->median;
                    ee += (double)y->median;
                    n++;
                }
                x = seg_of(a.r, "trap");
                y = seg_of(b.r, "trap");
                if (x && y) {
                    lt += (double)x->median;
                    et += (double)y->median;
                    nt++;
                }
                lacc += (double)a.r->physical_accesses;
                eacc += (double)b.r->physical_accesses;
                na++;
            }
        }
        if (!n) continue;
        le /= n;
        ee /= n;
        fprintf(f, "  GIC%s: VM entry %.1f -> %.1f cycles (%+.1f, %+.1f%%)", gic_name(g).c_str(), le, ee, ee - le,
                le > 0 ? 100.0 * (ee - le) / le : 0.0);
        if (nt) {
            lt /= nt;
            et /= nt;
            fprintf(f, "; trapped write %.1f -> %.1f (%+.1f%%)", lt, et, lt > 0 ? 100.0 * (et - lt) / lt : 0.0);
        }
        fprintf(f, "; physical accesses per run %.1f -> %.1f\n", na ? lacc / na : 0.0, na ? eacc / na : 0.0);
    }
}

} // namespace bench
