// speed_main.cpp: gicsim_rtl_speed, simulated cycles per wall-second of the C kernel and of the Verilated RTL on
// one recorded stimulus stream. A benchmark: it prints figures and fails only on bad usage or a broken run.
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "gicsim/gic.h"
#include "lockstep.h"
#include "rtl_io.h"
#include "stimulus.h"

using namespace rtlb;

namespace {

struct Event {
    uint64_t cycle;
    CycleStim s;
};
struct Stream {
    std::string name;
    uint64_t cycles = 0;
    std::vector<Event> ev; // non-empty cycles only, in order
    uint64_t accesses = 0;
};

gic_t *make_gic(const RtlIo &rtl)
{
    struct gic_config cfg;
    c_config_for(rtl, &cfg);
    gic_t *gic = nullptr;
    if (gic_create(&cfg, &gic) != GIC_OK) {
        fprintf(stderr, "gicsim_rtl_speed: gic_create failed\n");
        exit(1);
    }
    return gic;
}

/* The C kernel side of one cycle's pin changes (a line changes only when its level does, as in the lock-step). */
void apply_pins_c(gic_t *gic, const CycleStim &s, std::vector<uint8_t> &spi, std::vector<uint8_t> &ppi)
{
    for (const PinChange &p : s.pins) {
        if (p.ppi) {
            unsigned k = p.cpu * 16 + (p.intid - 16);
            if (ppi[k] != p.level) gic_set_ppi(gic, p.cpu, p.intid, p.level);
            ppi[k] = p.level;
        } else {
            unsigned k = p.intid - 32;
            if (spi[k] != p.level) gic_set_spi(gic, p.intid, p.level);
            spi[k] = p.level;
        }
    }
}

/* The C kernel side of one cycle's stimulus: its pins, then its access. */
void apply_c(gic_t *gic, const CycleStim &s, std::vector<uint8_t> &spi, std::vector<uint8_t> &ppi,
             std::vector<uint64_t> &tags)
{
    apply_pins_c(gic, s, spi, ppi);
    if (s.has_access) {
        struct gic_access ga = to_gic_access(s.access);
        uint64_t tag = 0;
        if (gic_submit(gic, &ga, &tag) == GIC_OK) tags.push_back(tag);
    }
}

void collect(gic_t *gic, std::vector<uint64_t> &tags, uint64_t &done)
{
    for (size_t i = 0; i < tags.size();) {
        struct gic_response r {};
        if (gic_collect(gic, tags[i], &r) == GIC_E_AGAIN) {
            i++;
            continue;
        }
        tags[i] = tags.back();
        tags.pop_back();
        done++;
    }
}

/* Record a stream: the random generator needs the responses (its handler loop acknowledges and EOIs what it was
 * given), so the C kernel runs it once, untimed; the three timed runs replay the recording. */
Stream record_random(const RtlIo &rtl, uint64_t seed, uint64_t cycles, const StimConfig &sc)
{
    Stream st;
    st.name = "random seed " + std::to_string(seed);
    st.cycles = cycles;
    auto stim = make_random(seed, cycles, sc);
    gic_t *gic = make_gic(rtl);
    std::vector<uint8_t> spi(rtl.spis(), 0), ppi(rtl.cpus() * 16, 0);
    std::map<uint64_t, Access> inflight;
    for (uint64_t t = 0; t < cycles; t++) {
        CycleStim s;
        if (!stim->next(t, s)) break;
        if (!s.pins.empty() || s.has_access) {
            apply_pins_c(gic, s, spi, ppi);
            if (s.has_access) {
                struct gic_access ga = to_gic_access(s.access);
                uint64_t tag = 0;
                if (gic_submit(gic, &ga, &tag) == GIC_OK) inflight[tag] = s.access;
                st.accesses++;
            }
            st.ev.push_back({ t, s });
        }
        gic_step(gic, 1);
        for (auto it = inflight.begin(); it != inflight.end();) {
            struct gic_response r {};
            if (gic_collect(gic, it->first, &r) == GIC_E_AGAIN) {
                ++it;
                continue;
            }
            stim->on_response(0, it->second, r.status, r.data);
            it = inflight.erase(it);
        }
    }
    gic_destroy(gic);
    return st;
}

/* A directed scenario, repeated every `period` cycles (idle in between) until `cycles`. */
Stream record_directed(const std::string &name, uint64_t period, uint64_t cycles, const StimConfig &sc)
{
    Stream st;
    st.name = "scenario " + name + " every " + std::to_string(period) + " cycles";
    st.cycles = cycles;
    std::vector<Event> one;
    auto stim = make_scenario(name, sc);
    if (!stim) {
        fprintf(stderr, "gicsim_rtl_speed: unknown scenario '%s'\n", name.c_str());
        exit(2);
    }
    uint64_t len = 0;
    for (uint64_t t = 0; t < 100000; t++, len++) {
        CycleStim s;
        if (!stim->next(t, s)) break;
        if (!s.pins.empty() || s.has_access) one.push_back({ t, s });
    }
    if (period < len + 16) period = len + 16;
    for (uint64_t base = 0; base < cycles; base += period)
        for (const Event &e : one) {
            if (base + e.cycle >= cycles) break;
            st.ev.push_back({ base + e.cycle, e.s });
            if (e.s.has_access) st.accesses++;
        }
    return st;
}

using clk = std::chrono::steady_clock;
double since(clk::time_point t0) { return std::chrono::duration<double>(clk::now() - t0).count(); }

/* (i) the C kernel, gic_step(1) every cycle. */
double run_c_step(const RtlIo &rtl, const Stream &st, uint64_t &responses)
{
    gic_t *gic = make_gic(rtl);
    std::vector<uint8_t> spi(rtl.spis(), 0), ppi(rtl.cpus() * 16, 0);
    std::vector<uint64_t> tags;
    size_t e = 0;
    responses = 0;
    auto t0 = clk::now();
    for (uint64_t t = 0; t < st.cycles; t++) {
        if (e < st.ev.size() && st.ev[e].cycle == t) apply_c(gic, st.ev[e++].s, spi, ppi, tags);
        gic_step(gic, 1);
        if (!tags.empty()) collect(gic, tags, responses);
    }
    double s = since(t0);
    gic_destroy(gic);
    return s;
}

/* (ii) the C kernel skipping idle cycles: from one stimulus to the next it runs event to event
 * (gic_run_until(gic_next_event() + 1)), collecting responses as they complete. */
double run_c_skip(const RtlIo &rtl, const Stream &st, uint64_t &responses)
{
    gic_t *gic = make_gic(rtl);
    std::vector<uint8_t> spi(rtl.spis(), 0), ppi(rtl.cpus() * 16, 0);
    std::vector<uint64_t> tags;
    responses = 0;
    auto t0 = clk::now();
    auto advance_to = [&](uint64_t target) {
        while (gic_now(gic) < target) {
            gic_cycle_t nx = gic_next_event(gic);
            gic_cycle_t to = (nx == GIC_CYCLE_NEVER || nx + 1 > target) ? target : nx + 1;
            if (to <= gic_now(gic)) to = gic_now(gic) + 1;
            gic_run_until(gic, to);
            if (!tags.empty()) collect(gic, tags, responses);
        }
    };
    for (const Event &ev : st.ev) {
        advance_to(ev.cycle);
        apply_c(gic, ev.s, spi, ppi, tags);
    }
    advance_to(st.cycles);
    double s = since(t0);
    gic_destroy(gic);
    return s;
}

/* (iii) the Verilated RTL alone: inputs, one clock, the response lanes, every cycle; (iv) with skip, idle cycles are
 * not clocked: when the next cycle has no stimulus and the RTL's qactive is low (a fixed point, docs/rtl.md "Idle
 * indication"), the loop jumps to the next stimulus. */
double run_rtl(RtlIo &rtl, const Stream &st, uint64_t &responses, bool skip = false)
{
    rtl.reset();
    std::vector<uint8_t> spi(rtl.spis(), 0), ppi(rtl.cpus() * 16, 0);
    std::vector<unsigned> rs, rp; // rise strobes to clear after the clock
    size_t e = 0;
    uint16_t tag = 0;
    responses = 0;
    auto t0 = clk::now();
    bool quiet = false;
    for (uint64_t t = 0; t < st.cycles; t++) {
        bool acc = false;
        if (skip && quiet && (e >= st.ev.size() || st.ev[e].cycle > t)) {
            t = (e < st.ev.size() ? st.ev[e].cycle : st.cycles) - 1; // the loop's t++ lands on the next stimulus
            continue;
        }
        if (e < st.ev.size() && st.ev[e].cycle == t) {
            const CycleStim &s = st.ev[e++].s;
            std::map<unsigned, bool> spi_rise, ppi_rise;
            for (const PinChange &p : s.pins) {
                if (p.ppi) {
                    unsigned k = p.cpu * 16 + (p.intid - 16);
                    if (ppi[k] != p.level && p.level) ppi_rise[k] = true;
                    ppi[k] = p.level;
                } else {
                    unsigned k = p.intid - 32;
                    if (spi[k] != p.level && p.level) spi_rise[k] = true;
                    spi[k] = p.level;
                }
            }
            for (const PinChange &p : s.pins) {
                if (p.ppi) {
                    unsigned k = p.cpu * 16 + (p.intid - 16);
                    rtl.set_ppi(p.cpu, p.intid - 16, ppi[k], ppi_rise.count(k) != 0);
                    if (ppi_rise.count(k)) rp.push_back(k);
                } else {
                    unsigned k = p.intid - 32;
                    rtl.set_spi(k, spi[k], spi_rise.count(k) != 0);
                    if (spi_rise.count(k)) rs.push_back(k);
                }
            }
            if (s.has_access) {
                const Access &a = s.access;
                rtl.set_request(true, a.frame, a.write, a.size, a.cpu, a.offset, a.data, tag++);
                acc = true;
            }
        }
        if (!acc) rtl.set_request(false, 0, false, 0, 0, 0, 0, 0);
        rtl.clock();
        for (unsigned k : rs) rtl.set_spi(k, spi[k], false);
        for (unsigned k : rp) rtl.set_ppi(k / 16, k % 16, ppi[k], false);
        rs.clear();
        rp.clear();
        for (int lane = 0; lane < 2; lane++)
            if (rtl.response(lane).valid) responses++;
        if (skip && (e >= st.ev.size() || st.ev[e].cycle > t + 1)) {
            rtl.set_request(false, 0, false, 0, 0, 0, 0, 0);
            quiet = !rtl.qactive();
        } else {
            quiet = false;
        }
    }
    return since(t0);
}

void usage(FILE *f)
{
    fprintf(f,
            "usage: gicsim_rtl_speed [--cycles N] [--seed N] [--rtl VARIANT|all] [--scenario NAME] [--period N]\n"
            "Simulated cycles per wall-second of (i) the C kernel stepped one cycle at a time, (ii) the C kernel\n"
            "skipping idle cycles (gic_run_until to gic_next_event), (iii) the Verilated RTL, (iv) the RTL skipping\n"
            "idle cycles (qactive low), on one recorded stimulus stream: gicsim_lockstep's random stimulus (seeded), "
            "and a directed scenario repeated every\n"
            "--period cycles. Default: 200000 cycles, seed 1, every built configuration, scenario spi every 1000.\n"
            "A GICv2 build runs the GICv2 random stimulus and the scenario's v2_ counterpart (v2_spi).\n");
}

} // namespace

int main(int argc, char **argv)
{
    uint64_t cycles = 200000, seed = 1, period = 1000;
    std::string rtlname = "all", scenario = "spi";
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        auto val = [&]() -> const char * {
            if (i + 1 >= argc) {
                usage(stderr);
                exit(2);
            }
            return argv[++i];
        };
        if (a == "--cycles") cycles = strtoull(val(), nullptr, 0);
        else if (a == "--seed") seed = strtoull(val(), nullptr, 0);
        else if (a == "--rtl") rtlname = val();
        else if (a == "--scenario") scenario = val();
        else if (a == "--period") period = strtoull(val(), nullptr, 0);
        else if (a == "--help" || a == "-h") {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    std::vector<std::string> names;
    for (auto &v : rtl_variants())
        if ((rtlname == "all" && v.name.rfind("mut_", 0) != 0) || v.name == rtlname) names.push_back(v.name);
    if (names.empty()) {
        fprintf(stderr, "gicsim_rtl_speed: no RTL variant '%s' (gicsim_lockstep --list)\n", rtlname.c_str());
        return 2;
    }
    printf("%-9s %-36s %8s %12s %12s %12s %12s %8s %8s %9s\n", "config", "stream", "accesses", "C step/s", "C skip/s",
           "RTL/s", "RTL skip/s", "step/RTL", "skip/RTL", "skip/skip");
    for (const std::string &n : names) {
        auto rtl = make_rtl(n);
        StimConfig sc;
        sc.cpus = rtl->cpus();
        sc.spis = rtl->spis();
        sc.lrs = rtl->lrs();
        std::string sname = scenario;
        if (rtl->version() == 2) { // a GICv2 build: its own stimulus (memory-mapped frames) and scenarios (v2_*)
            sc.version = 2;
            sc.cpu_prio_bits = rtl->cpu_prio_bits();
            if (sname.rfind("v2_", 0) != 0) sname = "v2_" + sname;
        }
        std::vector<Stream> streams;
        streams.push_back(record_random(*rtl, seed, cycles, sc));
        streams.push_back(record_directed(sname, period, cycles, sc));
        for (const Stream &st : streams) {
            uint64_t r1 = 0, r2 = 0, r3 = 0, r4 = 0;
            double s1 = run_c_step(*rtl, st, r1);
            double s2 = run_c_skip(*rtl, st, r2);
            double s3 = run_rtl(*rtl, st, r3);
            double s4 = run_rtl(*rtl, st, r4, true);
            if (r1 != r2 || r1 != r3 || r1 != r4 || st.accesses - r1 > 64) { // (the last few may still be in flight)
                fprintf(stderr,
                        "gicsim_rtl_speed: %s on %s: responses C step %" PRIu64 ", C skip %" PRIu64 ", RTL %" PRIu64
                        ", RTL skip %" PRIu64 " of %" PRIu64 " accesses\n",
                        st.name.c_str(), n.c_str(), r1, r2, r3, r4, st.accesses);
                return 1;
            }
            double c1 = st.cycles / s1, c2 = st.cycles / s2, c3 = st.cycles / s3, c4 = st.cycles / s4;
            printf("%-9s %-36s %8" PRIu64 " %12.0f %12.0f %12.0f %12.0f %8.1f %8.1f %9.1f\n", n.c_str(),
                   st.name.c_str(), st.accesses, c1, c2, c3, c4, c1 / c3, c2 / c3, c2 / c4);
            fflush(stdout);
        }
    }
    return 0;
}
