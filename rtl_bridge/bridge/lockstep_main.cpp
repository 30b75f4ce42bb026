// lockstep_main.cpp: gicsim_lockstep, the command line of the lock-step check (C kernel against the RTL reference).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "lockstep.h"

using namespace rtlb;

static void usage(FILE *f) {
    fprintf(f,
            "usage: gicsim_lockstep [--scenario NAME|all | --replay FILE] [--seed N] [--cycles N] [--cpus N --spis N --lrs N]\n"
            "                       [--rtl VARIANT] [--vcd FILE] [--peeks N] [--expect-divergence] [--require-quiet]\n"
            "                       [--no-reset] [--list]\n"
            "Runs the C kernel and the Verilated RTL reference in lock-step on one stimulus stream (a directed\n"
            "scenario, or seeded constrained-random stimuli when no --scenario is given) and stops at the first\n"
            "divergence of a register response, an output pin, a state register, the RTL's trace port against the C\n"
            "kernel's trace, or the RTL's idle indication (qactive = 0 and an idle cycle, yet something changed).\n"
            "Random runs reset both sides now and then (--no-reset: never); on a variant built with ONE_OF_N they route\n"
            "SPIs 1-of-N too. Scenarios (and random runs with --require-quiet) also fail if qactive was never low.\n"
            "--replay FILE: the stimuli a platform gave its GIC, recorded by gicsim::make_recording_engine (gicsim\n"
            "bench --record-gic PREFIX), in the same cycles. Exit 0: no divergence\n"
            "(with --expect-divergence: a divergence was found); 1: the opposite; 2: bad usage.\n"
            "GICSIM_VCD=FILE in the environment is the same as --vcd FILE.\n");
}

int main(int argc, char **argv) {
    std::string scenario, rtlname, vcd, replay;
    uint64_t seed = 1, cycles = 20000;
    unsigned cpus = 0, spis = 0, lrs = 0, peeks = 8;
    bool expect_div = false, require_quiet = false, resets = true;
    if (const char *e = getenv("GICSIM_VCD")) vcd = e;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        auto val = [&](const char *what) -> const char * {
            if (i + 1 >= argc) {
                fprintf(stderr, "gicsim_lockstep: %s needs a value\n", what);
                exit(2);
            }
            return argv[++i];
        };
        if (a == "--scenario") scenario = val("--scenario");
        else if (a == "--replay") replay = val("--replay");
        else if (a == "--seed") seed = strtoull(val("--seed"), nullptr, 0);
        else if (a == "--cycles") cycles = strtoull(val("--cycles"), nullptr, 0);
        else if (a == "--cpus") cpus = static_cast<unsigned>(strtoul(val("--cpus"), nullptr, 0));
        else if (a == "--spis") spis = static_cast<unsigned>(strtoul(val("--spis"), nullptr, 0));
        else if (a == "--lrs") lrs = static_cast<unsigned>(strtoul(val("--lrs"), nullptr, 0));
        else if (a == "--rtl") rtlname = val("--rtl");
        else if (a == "--vcd") vcd = val("--vcd");
        else if (a == "--peeks") peeks = static_cast<unsigned>(strtoul(val("--peeks"), nullptr, 0));
        else if (a == "--expect-divergence") expect_div = true;
        else if (a == "--require-quiet") require_quiet = true;
        else if (a == "--no-reset") resets = false;
        else if (a == "--list") {
            for (auto &v : rtl_variants()) printf("rtl %s: %u CPUs, %u SPIs, %u list registers\n", v.name.c_str(), v.cpus, v.spis, v.lrs);
            for (auto &s : scenario_names()) printf("scenario %s\n", s.c_str());
            return 0;
        } else if (a == "--help" || a == "-h") {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "gicsim_lockstep: unknown option '%s'\n", a.c_str());
            usage(stderr);
            return 2;
        }
    }
    // a recorded platform stimulus names its configuration
    bool want_n1 = false;
    if (!replay.empty()) {
        StimConfig rc;
        std::string why;
        if (!replay_config(replay, rc, &why)) {
            fprintf(stderr, "gicsim_lockstep: %s\n", why.c_str());
            return 2;
        }
        cpus = rc.cpus;
        spis = rc.spis;
        lrs = rc.lrs;
        want_n1 = rc.one_of_n;
    }
    // pick the RTL variant: by name, or the first whose parameters match --cpus/--spis/--lrs
    if (rtlname.empty()) {
        for (auto &v : rtl_variants()) {
            if (v.name.rfind("mut_", 0) == 0 || (!replay.empty() && v.one_of_n != want_n1)) continue;
            if ((!cpus || v.cpus == cpus) && (!spis || v.spis == spis) && (!lrs || v.lrs == lrs)) {
                rtlname = v.name;
                break;
            }
        }
        if (rtlname.empty()) {
            fprintf(stderr, "gicsim_lockstep: no RTL variant with that configuration was built (see --list)\n");
            return 2;
        }
    }
    std::vector<std::string> scenarios;
    if (!replay.empty()) scenarios.push_back("replay");
    else if (scenario == "all") scenarios = scenario_names();
    else if (!scenario.empty()) scenarios.push_back(scenario);
    else scenarios.push_back("");  // random

    bool any_div = false;
    for (const std::string &sc : scenarios) {
        auto rtl = make_rtl(rtlname);
        if (!rtl) {
            fprintf(stderr, "gicsim_lockstep: unknown RTL variant '%s' (see --list)\n", rtlname.c_str());
            return 2;
        }
        StimConfig sc_cfg;
        sc_cfg.cpus = rtl->cpus();
        sc_cfg.spis = rtl->spis();
        sc_cfg.lrs = rtl->lrs();
        sc_cfg.one_of_n = rtl->one_of_n();
        sc_cfg.cpu_prio_bits = rtl->cpu_prio_bits();
        sc_cfg.mid_reset = sc.empty() && resets;
        std::string why;
        auto make = [&]() -> std::unique_ptr<Stimulus> {
            if (!replay.empty()) return make_replay(replay, sc_cfg, &why);
            return sc.empty() ? make_random(seed, cycles, sc_cfg) : make_scenario(sc, sc_cfg);
        };
        auto stim = make();
        if (!stim) {
            if (!replay.empty()) fprintf(stderr, "gicsim_lockstep: %s\n", why.c_str());
            else fprintf(stderr, "gicsim_lockstep: unknown scenario '%s' (see --list)\n", sc.c_str());
            return 2;
        }
        RunOptions opt;
        opt.max_cycles = !replay.empty() ? UINT64_MAX - 1 : sc.empty() ? cycles : 100000;
        opt.peeks_per_cycle = peeks;
        opt.vcd_path = vcd;
        opt.require_quiet = !sc.empty() || require_quiet;
        opt.drain_cycles = opt.require_quiet ? 200 : 0;  // idle cycles after the stream: until 8 were checked with qactive = 0
        RunResult r = run_lockstep(*rtl, *stim, opt);
        std::string what = !replay.empty() ? "replay of " + replay
                           : sc.empty()      ? "random seed " + std::to_string(seed)
                                             : "scenario " + sc;
        if (r.diverged) {
            any_div = true;
            printf("%s on %s: %s", what.c_str(), rtlname.c_str(), r.report.c_str());
            fflush(stdout);
            // the waveform around the divergence: run the same stream again with tracing in a window
            std::string path = vcd.empty() ? "lockstep_divergence.vcd" : vcd;
            rtl.reset();  // one Verilated model alive at a time
            auto rtl2 = make_rtl(rtlname);
            auto stim2 = make();
            RunOptions o2 = opt;
            o2.max_cycles = r.cycle + 3;
            o2.vcd_path = path;
            o2.vcd_from = r.cycle > 64 ? r.cycle - 64 : 0;
            run_lockstep(*rtl2, *stim2, o2);
            printf("waveform of cycles %llu..%llu: %s\n", (unsigned long long)o2.vcd_from,
                   (unsigned long long)r.cycle, path.c_str());
        } else {
            printf("%s on %s: %llu cycles, %llu accesses, no divergence (C %.0f cycles/s, RTL %.0f cycles/s)\n",
                   what.c_str(), rtlname.c_str(), (unsigned long long)r.cycles_run, (unsigned long long)r.accesses,
                   r.c_seconds > 0 ? r.cycles_run / r.c_seconds : 0.0,
                   r.rtl_seconds > 0 ? r.cycles_run / r.rtl_seconds : 0.0);
            printf("  trace port: %llu C events compared; qactive = 0 after %llu cycles, qactive_core = 0 (= C kernel "
                   "without events) after %llu, %llu idle cycles checked, %llu resets\n",
                   (unsigned long long)r.trace_events, (unsigned long long)r.qactive_low,
                   (unsigned long long)r.c_idle, (unsigned long long)r.quiet_checks, (unsigned long long)r.resets);
            if (!stim->stats().empty()) printf("  %s\n", stim->stats().c_str());
        }
        fflush(stdout);
        if (any_div && !expect_div) return 1;
    }
    if (expect_div) {
        printf(any_div ? "divergence found, as expected\n" : "expected a divergence, found none\n");
        return any_div ? 0 : 1;
    }
    return any_div ? 1 : 0;
}
