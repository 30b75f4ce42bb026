// engine_check.cpp: gicsim_engine_check: the C kernels and the RTL engine behind the same gicsim::Engine interface
// (what gicsim::Gic and `--model` use) on one stimulus stream: every response (status, data, issue, effect and done
// cycles), every output pin, idleness (next_event), debug reads, and the trace (every kind the RTL engine derives,
// event for event and cycle for cycle) must agree. Exit 0: they agree; 1: a difference (reported); 2: bad usage.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <tuple>
#include <vector>

#include "gicsim/engine.h"
#include "gicsim/gic_regs.h"
#include "rtl_engine.h"
#include "stimulus.h"

namespace {

struct Recorder {
    std::vector<gic_trace_event> ev;
    static void hook(void *ctx, const gic_trace_event *e) { static_cast<Recorder *>(ctx)->ev.push_back(*e); }
};

std::string fmt(const gic_trace_event &e)
{
    char buf[256];
    gic_trace_format(&e, buf, sizeof buf);
    return buf;
}

auto key(const gic_trace_event &e) { return std::make_tuple(e.cycle, e.kind, e.cpu, e.intid, e.value, e.aux); }

struct Checker {
    std::string name;
    gicsim::Engine &c, &r;
    Recorder rc, rr;
    uint32_t kinds;
    std::string why;
    uint64_t accesses = 0, events = 0, skipped = 0;
    std::string last;

    Checker(const std::string &n, gicsim::Engine &c_, gicsim::Engine &r_)
        : name(n), c(c_), r(r_), kinds(r_.trace_kinds())
    {
        c.set_trace(&Recorder::hook, &rc, true);
        r.set_trace(&Recorder::hook, &rr, true);
    }

    bool fail(const std::string &m)
    {
        if (why.empty()) why = m;
        return false;
    }

    bool pins(uint64_t t)
    {
        for (unsigned k = 0; k < c.config().num_cpus; k++)
            if (c.outputs(k) != r.outputs(k)) {
                char b[160];
                snprintf(b, sizeof b, "cycle %" PRIu64 ": outputs of cpu%u: C 0x%x RTL 0x%x", t, k, c.outputs(k),
                         r.outputs(k));
                return fail(b);
            }
        if (c.now() != r.now()) return fail("now(): C " + std::to_string(c.now()) + ", RTL " + std::to_string(r.now()));
        return true;
    }

    // The trace events up to (excluding) cycle `upto` of both sides, of the kinds the RTL engine derives.
    bool traces(uint64_t upto)
    {
        auto take = [&](std::vector<gic_trace_event> &v, bool is_c) {
            std::vector<gic_trace_event> out, keep;
            for (const gic_trace_event &e : v) {
                if (e.cycle >= upto) {
                    keep.push_back(e);
                    continue;
                }
                if (!(kinds & (1u << e.kind))) continue;
                gic_trace_event x = e;
                // The RTL engine derives acknowledges from IAR responses: the INTID, not its priority, and not the
                // spurious acknowledge of an offer withdrawn in flight (aux 1: no INTID was handed out).
                if (is_c && x.kind == GIC_TR_ACK && x.aux) continue;
                if (is_c && x.kind == GIC_TR_ACK) x.value = 0;
                out.push_back(x);
            }
            v.swap(keep);
            if (is_c) out = net_changes(out);
            std::stable_sort(out.begin(), out.end(),
                             [](const gic_trace_event &a, const gic_trace_event &b) { return key(a) < key(b); });
            return out;
        };
        // the RTL engine's trace must be in cycle order as delivered (the rule checker relies on it)
        for (size_t i = 1; i < rr.ev.size(); i++)
            if (rr.ev[i].cycle < rr.ev[i - 1].cycle) return fail("RTL trace out of cycle order at " + fmt(rr.ev[i]));
        std::vector<gic_trace_event> a = take(rc.ev, true), b = take(rr.ev, false);
        size_t n = std::min(a.size(), b.size());
        for (size_t i = 0; i < n; i++)
            if (key(a[i]) != key(b[i])) return fail("trace differs: C " + fmt(a[i]) + "  |  RTL " + fmt(b[i]));
        if (a.size() != b.size()) {
            std::string m =
                "trace: C has " + std::to_string(a.size()) + " events, RTL " + std::to_string(b.size()) + ":";
            for (const gic_trace_event &e : a) m += "\n    C   " + fmt(e);
            for (const gic_trace_event &e : b) m += "\n    RTL " + fmt(e);
            return fail(m);
        }
        events += a.size();
        return true;
    }

    // The RTL engine sees state, not the steps inside a cycle: the C kernel's state events (PENDING, ACTIVE, LR,
    // MISR, RPR, VRPR) of one cycle and one (kind, cpu, intid) become their net change (none if the state ends
    // where it began, e.g. a pending bit cleared and set again in the same cycle).
    std::vector<gic_trace_event> net_changes(const std::vector<gic_trace_event> &in)
    {
        auto is_state = [](unsigned k) {
            return k == GIC_TR_PENDING || k == GIC_TR_ACTIVE || k == GIC_TR_LR || k == GIC_TR_MISR || k == GIC_TR_RPR ||
                   k == GIC_TR_VRPR;
        };
        std::vector<gic_trace_event> out;
        std::vector<bool> used(in.size(), false);
        for (size_t i = 0; i < in.size(); i++) {
            if (used[i]) continue;
            const gic_trace_event &e = in[i];
            if (!is_state(e.kind)) {
                out.push_back(e);
                continue;
            }
            auto id = std::make_tuple(e.cycle, e.kind, e.cpu, e.intid);
            uint64_t before = (e.kind == GIC_TR_PENDING || e.kind == GIC_TR_ACTIVE) ? !e.value
                              : e.kind == GIC_TR_MISR                               ? misr[e.cpu]
                                                                                    : e.aux;
            gic_trace_event last = e;
            for (size_t j = i; j < in.size(); j++)
                if (!used[j] && std::make_tuple(in[j].cycle, in[j].kind, in[j].cpu, in[j].intid) == id) {
                    used[j] = true;
                    last = in[j];
                }
            if (e.kind == GIC_TR_MISR) misr[e.cpu] = last.value;
            if (last.value == before) continue;
            if (e.kind == GIC_TR_LR || e.kind == GIC_TR_RPR || e.kind == GIC_TR_VRPR) last.aux = before;
            out.push_back(last);
        }
        return out;
    }
    uint64_t misr[64] = {};

    bool run(rtlb::Stimulus &stim)
    {
        rtlb::CycleStim s;
        for (uint64_t t = 0, seq = 0; stim.next(t, s); t++) {
            for (const rtlb::PinChange &p : s.pins) {
                int a = p.ppi ? c.set_ppi(p.cpu, p.intid, p.level) : c.set_spi(p.intid, p.level);
                int b = p.ppi ? r.set_ppi(p.cpu, p.intid, p.level) : r.set_spi(p.intid, p.level);
                if (a != b) return fail("line status differs");
            }
            if (s.has_access) {
                struct gic_access a {};
                a.frame = s.access.frame;
                a.write = s.access.write;
                a.size = s.access.size;
                a.cpu = s.access.cpu;
                a.offset = s.access.offset;
                a.data = s.access.data;
                struct gic_response x {
                }, y{};
                int rx = c.access(a, x), ry = r.access(a, y);
                accesses++;
                if (rx != ry || x.status != y.status || x.data != y.data || x.issue != y.issue ||
                    x.effect != y.effect || x.done != y.done) {
                    char b[400];
                    snprintf(b, sizeof b,
                             "access %s frame %u cpu %u offset 0x%x size %u data 0x%" PRIx64
                             ": C rc %d status %d data 0x%" PRIx64 " cycles %" PRIu64 "/%" PRIu64 "/%" PRIu64
                             "; RTL rc %d status %d data 0x%" PRIx64 " cycles %" PRIu64 "/%" PRIu64 "/%" PRIu64,
                             a.write ? "write" : "read", a.frame, a.cpu, a.offset, a.size, a.data, rx, x.status, x.data,
                             x.issue, x.effect, x.done, ry, y.status, y.data, y.issue, y.effect, y.done);
                    return fail(b);
                }
                stim.on_response(seq++, s.access, x.status, x.data);
                char lb[160];
                snprintf(lb, sizeof lb, "%s frame %u cpu %u offset 0x%x data 0x%" PRIx64 " at cycle %" PRIu64,
                         a.write ? "write" : "read", a.frame, a.cpu, a.offset, a.write ? a.data : x.data, x.issue);
                last = lb;
            } else {
                // Idleness: the RTL engine is idle (qactive low) exactly when the C kernel has no event left. Skipping
                // idle cycles is only right if the RTL is never idle early; a platform that runs "until idle" (an
                // await, gicsim bench) lands on the same cycle only if it is never idle late either.
                bool ic = c.next_event() == GIC_CYCLE_NEVER, ir = r.next_event() == GIC_CYCLE_NEVER;
                if (ir != ic) {
                    std::string m = "cycle " + std::to_string(c.now()) +
                                    (ir ? ": RTL idle (qactive low) while the C kernel has work until " +
                                              std::to_string(c.next_event())
                                        : ": RTL busy (qactive high) while the C kernel is idle");
                    if (!ir) { // how long the RTL stays busy
                        uint64_t t0 = r.now();
                        while (r.next_event() != GIC_CYCLE_NEVER && r.now() < t0 + 100000) r.run_until(r.now() + 1);
                        m += " (for " + std::to_string(r.now() - t0) + " more cycles); last access: " + last;
                        for (const rtlb::PinChange &p : s.pins)
                            m += "; pin " + std::string(p.ppi ? "PPI " : "SPI ") + std::to_string(p.intid) + " cpu " +
                                 std::to_string(p.cpu) + " = " + std::to_string(p.level);
                    }
                    return fail(m);
                }
                skipped += ir;
                c.run_until(c.now() + 1);
                r.run_until(r.now() + 1);
            }
            if (!pins(c.now()) || !traces(c.now())) return false;
            s = rtlb::CycleStim();
        }
        // settle: both run until idle (bounded), then the same state
        for (int i = 0; i < 4096 && (c.next_event() != GIC_CYCLE_NEVER || r.next_event() != GIC_CYCLE_NEVER); i++) {
            c.run_until(c.now() + 1);
            r.run_until(r.now() + 1);
            if (!pins(c.now())) return false;
        }
        if (c.next_event() != GIC_CYCLE_NEVER || r.next_event() != GIC_CYCLE_NEVER)
            return fail("no idle state after the stream");
        c.run_until(c.now() + 1000); // idle: a long jump changes nothing on either side
        r.run_until(r.now() + 1000);
        if (!pins(c.now()) || !traces(c.now())) return false;
        return peeks();
    }

    // Debug reads through both engines (state, and byte/half-word reads of byte-addressed registers).
    bool peeks()
    {
        const gic_config &cf = c.config();
        struct P {
            gic_frame f;
            unsigned cpu;
            uint32_t off;
            unsigned size;
        };
        std::vector<P> v;
        for (uint32_t n = 0; n < (32 + cf.num_spis) / 32; n++)
            for (uint32_t base : { 0x100u, 0x200u, 0x300u, 0x080u })
                v.push_back({ GIC_FRAME_GICD, 0, base + 4 * n, 4 });
        for (uint32_t o = 0x420; o < 0x428; o++) v.push_back({ GIC_FRAME_GICD, 0, o, 1 });
        v.push_back({ GIC_FRAME_GICD, 0, 0x6100, 8 });
        for (unsigned k = 0; cf.version == GIC_V2 && k < cf.num_cpus; k++) { // GICv2: banked GICD, GICC, GICH, GICV
            for (uint32_t o : { 0x200u, 0x300u, 0x800u, 0xF20u }) v.push_back({ GIC_FRAME_GICD, k, o, 4 });
            v.push_back({ GIC_FRAME_GICD, k, 0x405, 1 });
            for (uint32_t o : { 0x0u, 0x4u, 0x14u, 0xD0u }) v.push_back({ GIC_FRAME_GICC, k, o, 4 });
            for (uint32_t o : { 0x0u, 0x8u, 0x10u, 0xF0u }) v.push_back({ GIC_FRAME_GICH, k, o, 4 });
            for (unsigned l = 0; l < cf.num_lrs; l++) v.push_back({ GIC_FRAME_GICH, k, 0x100 + 4 * l, 4 });
            for (uint32_t o : { 0x0u, 0x4u, 0x14u }) v.push_back({ GIC_FRAME_GICV, k, o, 4 });
        }
        for (unsigned k = 0; cf.version == GIC_V3 && k < cf.num_cpus; k++) {
            v.push_back({ GIC_FRAME_GICR_SGI, k, 0x200, 4 });
            v.push_back({ GIC_FRAME_GICR_SGI, k, 0x300, 4 });
            v.push_back({ GIC_FRAME_GICR_SGI, k, 0x405, 1 });
            for (unsigned l = 0; l < cf.num_lrs; l++) v.push_back({ GIC_FRAME_SYSREG, k, ICH_LR_EL2_ENC + l, 8 });
            for (uint32_t e : { ICC_RPR_EL1_ENC, ICC_PMR_EL1_ENC, ICH_HCR_EL2_ENC, ICH_MISR_EL2_ENC, ICH_VMCR_EL2_ENC })
                v.push_back({ GIC_FRAME_SYSREG, k, e, 8 });
        }
        for (const P &p : v) {
            uint64_t x = 0, y = 0;
            int a = c.peek(p.f, p.cpu, p.off, p.size, &x), b = r.peek(p.f, p.cpu, p.off, p.size, &y);
            if (a != b || x != y) {
                char buf[200];
                snprintf(buf, sizeof buf,
                         "peek frame %u cpu %u offset 0x%x size %u: C %d 0x%" PRIx64 ", RTL %d 0x%" PRIx64, p.f, p.cpu,
                         p.off, p.size, a, x, b, y);
                return fail(buf);
            }
        }
        return true;
    }
};

void rtl_config(unsigned cpus, unsigned spis, unsigned lrs, bool one_of_n, unsigned gic, gic_config &cfg)
{
    gic_config_default(&cfg, gic == 2 ? GIC_V2 : GIC_V3);
    cfg.num_cpus = cpus;
    cfg.num_spis = spis;
    cfg.num_lrs = lrs;
    cfg.one_of_n = one_of_n;
    cfg.lpis = cfg.its = false; // the RTL has no LPIs and no ITS
}

// The end of time (gic.h, GIC_CYCLE_LIMIT): both engines, idle near the limit, refuse what would pass it with
// GIC_E_TIME and change nothing, and still run to the limit itself.
int time_limit(const gic_config &cfg)
{
    std::string why;
    std::unique_ptr<gicsim::Engine> c = gicsim::make_c_engine(cfg), r = gicsim::make_rtl_engine(cfg, &why);
    int bad = 0;
    auto same = [&](const char *what, int sc, int sr, int want) {
        bool ok = sc == want && sr == want && c->now() == r->now();
        printf("time limit: %-44s C %d RTL %d (want %d), now C %" PRIu64 " RTL %" PRIu64 ": %s\n", what, sc, sr, want,
               c->now(), r->now(), ok ? "same" : "DIFFERENT");
        bad += !ok;
    };
    const gic_cycle_t near = GIC_CYCLE_LIMIT - 1; // every latency is at least 1: each stimulus lands past the end
    same("run_until(2^63 - 1), idle", c->run_until(near), r->run_until(near), GIC_OK);
    struct gic_access a = { GIC_FRAME_GICD, 0, 4, 0, 0x0, 0 };
    struct gic_response rc_, rr_;
    same("a read whose response falls past 2^63", c->access(a, rc_), r->access(a, rr_), GIC_E_TIME);
    same("set_spi(32) sampled past 2^63", c->set_spi(32, true), r->set_spi(32, true), GIC_E_TIME);
    same("set_ppi(0, 20) sampled past 2^63", c->set_ppi(0, 20, true), r->set_ppi(0, 20, true), GIC_E_TIME);
    same("run_until(2^63 + 1)", c->run_until(GIC_CYCLE_LIMIT + 1), r->run_until(GIC_CYCLE_LIMIT + 1), GIC_E_TIME);
    same("run_until(2^63)", c->run_until(GIC_CYCLE_LIMIT), r->run_until(GIC_CYCLE_LIMIT), GIC_OK);
    bool idle = c->next_event() == GIC_CYCLE_NEVER && r->next_event() == GIC_CYCLE_NEVER;
    printf("time limit: nothing in flight afterwards: %s\n", idle ? "same" : "DIFFERENT");
    return bad + !idle;
}

int usage(FILE *f, int rc)
{
    fprintf(
        f,
        "usage: gicsim_engine_check [--cpus N --spis N --lrs N] [--one-of-n] [--scenario NAME|all] [--seed N --cycles "
        "N]\n"
        "       gicsim_engine_check [--cpus N --spis N --lrs N] --time-limit\n"
        "       --gic 2: a GICv2 build (its scenarios and random stimulus, memory-mapped frames)\n"
        "Drives the C kernels and the RTL engine (gicsim::Engine, as gicsim::Gic uses them) with one stimulus\n"
        "stream and compares responses, pins, idleness, debug reads and the derived trace. Without --scenario\n"
        "and --seed: every directed scenario, then random seed 1. --time-limit: both refuse what would pass the end\n"
        "of time (GIC_CYCLE_LIMIT) alike.\n");
    return rc;
}

} // namespace

int main(int argc, char **argv)
{
    unsigned cpus = 2, spis = 64, lrs = 4, gic = 3;
    std::string scenario;
    uint64_t seed = 0, cycles = 20000;
    bool one_of_n = false, time_only = false;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--one-of-n") {
            one_of_n = true;
            continue;
        }
        if (a == "--time-limit") {
            time_only = true;
            continue;
        }
        if (i + 1 >= argc && a != "--help") return usage(stderr, 2);
        if (a == "--cpus") cpus = static_cast<unsigned>(strtoul(argv[++i], nullptr, 0));
        else if (a == "--spis") spis = static_cast<unsigned>(strtoul(argv[++i], nullptr, 0));
        else if (a == "--lrs") lrs = static_cast<unsigned>(strtoul(argv[++i], nullptr, 0));
        else if (a == "--scenario") scenario = argv[++i];
        else if (a == "--gic") gic = static_cast<unsigned>(strtoul(argv[++i], nullptr, 0));
        else if (a == "--seed") seed = strtoull(argv[++i], nullptr, 0);
        else if (a == "--cycles") cycles = strtoull(argv[++i], nullptr, 0);
        else return usage(a == "--help" ? stdout : stderr, a == "--help" ? 0 : 2);
    }
    gic_config cfg;
    rtl_config(cpus, spis, lrs, one_of_n, gic, cfg);
    std::string why;
    if (!gicsim::make_rtl_engine(cfg, &why)) {
        fprintf(stderr, "gicsim_engine_check: %s\n", why.c_str());
        return 2;
    }
    if (time_only) return time_limit(cfg) ? 1 : 0;
    rtlb::StimConfig sc;
    sc.cpus = cpus;
    sc.spis = spis;
    sc.lrs = lrs;
    sc.one_of_n = one_of_n;
    sc.version = cfg.version == GIC_V2 ? 2 : 3;
    sc.cpu_prio_bits = cfg.cpu_prio_bits ? cfg.cpu_prio_bits : cfg.prio_bits;
    std::vector<std::string> runs;
    if (!scenario.empty())
        runs = scenario == "all" ? rtlb::scenario_names(sc.version) : std::vector<std::string>{ scenario };
    if (scenario.empty() && !seed) {
        runs = rtlb::scenario_names(sc.version);
        seed = 1;
    }
    if (seed) runs.push_back("random:" + std::to_string(seed));
    int bad = 0;
    for (const std::string &n : runs) {
        std::unique_ptr<rtlb::Stimulus> st =
            n.rfind("random:", 0) == 0 ? rtlb::make_random(seed, cycles, sc) : rtlb::make_scenario(n, sc);
        if (!st) {
            fprintf(stderr, "gicsim_engine_check: unknown scenario '%s'\n", n.c_str());
            return 2;
        }
        std::unique_ptr<gicsim::Engine> ce = gicsim::make_c_engine(cfg), re = gicsim::make_rtl_engine(cfg, &why);
        Checker k(n, *ce, *re);
        bool ok = k.run(*st);
        printf("%-28s %s: %s  (%" PRIu64 " accesses, %" PRIu64 " trace events compared, %" PRIu64
               " idle cycles, %" PRIu64 " cycles)\n",
               n.c_str(), re->name(), ok ? "same" : "DIFFERENT", k.accesses, k.events, k.skipped, ce->now());
        if (!ok) {
            printf("  %s\n", k.why.c_str());
            bad++;
        }
    }
    return bad ? 1 : 0;
}
