// lockstep_main.cpp: gicsim_lockstep, the command line of the lock-step check (C kernel against the RTL reference).
#include <cerrno>
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
            "                       [--no-reset] [--max-cycles N] [--list]\n"
            "Runs the C kernel and the Verilated RTL reference in lock-step on one stimulus stream (a directed\n"
            "scenario, or seeded constrained-random stimuli when no --scenario is given) and stops at the first\n"
            "divergence of a register response, an output pin, a state register, the RTL's trace port against the C\n"
            "kernel's trace, or the RTL's idle indication (qactive = 0 and an idle cycle, yet something changed).\n"
            "Random runs reset both sides now and then (--no-reset: never); on a variant built with ONE_OF_N they route\n"
            "SPIs 1-of-N too. Scenarios (and random runs with --require-quiet) also fail if qactive was never low.\n"
            "--replay FILE: the stimuli a platform gave its GIC, recorded by gicsim::make_recording_engine (gicsim\n"
            "bench --record-gic PREFIX), in the same cycles; every field is checked (FILE:LINE: reason otherwise).\n"
            "--max-cycles N (default 1000000000): the run-time bound; --cycles and a recording's end cycle beyond it\n"
            "are refused. Exit 0: no divergence (with --expect-divergence: a divergence was found); 1: the opposite;\n"
            "2: bad usage, a bad recording, or an output (standard output, the waveform) that could not be written.\n"
            "GICSIM_VCD=FILE in the environment is the same as --vcd FILE.\n");
}

// A number option, whole and in [lo, hi] (decimal, or 0x hex); exit 2 otherwise.
static uint64_t number(const char *opt, const char *v, uint64_t lo, uint64_t hi) {
    errno = 0;
    char *e = nullptr;
    bool ok = v[0] >= '0' && v[0] <= '9';  // no sign, no leading space
    unsigned long long x = ok ? strtoull(v, &e, 0) : 0;
    if (!ok || errno != 0 || e == v || *e != '\0' || x < lo || x > hi) {
        fprintf(stderr, "gicsim_lockstep: %s '%s': expected a number in %llu..%llu\n", opt, v, (unsigned long long)lo,
                (unsigned long long)hi);
        exit(2);
    }
    return x;
}

// The waveform can be written (its directory exists, the file can be created); exit 2 naming it otherwise.
static void check_writable(const std::string &path) {
    FILE *f = fopen(path.c_str(), "w");
    if (!f || fclose(f) != 0) {
        fprintf(stderr, "gicsim_lockstep: %s: cannot write the waveform: %s\n", path.c_str(), strerror(errno));
        exit(2);
    }
}

static int run(int argc, char **argv);

// Every output is checked: a standard output that could not be written (a full disk, /dev/full) is exit 2.
int main(int argc, char **argv) {
    int rc = run(argc, argv);
    errno = 0;
    bool bad = fflush(stdout) != 0 || ferror(stdout);
    if (fclose(stdout) != 0) bad = true;
    if (bad) {
        fprintf(stderr, "gicsim_lockstep: standard output: write error: %s\n", errno ? strerror(errno) : "unknown");
        return 2;
    }
    return rc;
}

static int run(int argc, char **argv) {
    std::string scenario, rtlname, vcd, replay;
    uint64_t seed = 1, cycles = 20000, max_cycles = 1000000000ull;
    bool cycles_given = false;
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
        else if (a == "--seed") seed = number("--seed", val("--seed"), 0, UINT64_MAX);
        else if (a == "--cycles") cycles = number("--cycles", val("--cycles"), 0, UINT64_MAX), cycles_given = true;
        else if (a == "--max-cycles") max_cycles = number("--max-cycles", val("--max-cycles"), 1, UINT64_MAX - 2);
        else if (a == "--cpus") cpus = static_cast<unsigned>(number("--cpus", val("--cpus"), 0, 64));
        else if (a == "--spis") spis = static_cast<unsigned>(number("--spis", val("--spis"), 0, 988));
        else if (a == "--lrs") lrs = static_cast<unsigned>(number("--lrs", val("--lrs"), 0, 16));
        else if (a == "--rtl") rtlname = val("--rtl");
        else if (a == "--vcd") vcd = val("--vcd");
        else if (a == "--peeks") peeks = static_cast<unsigned>(number("--peeks", val("--peeks"), 0, 1u << 20));
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
    if (cycles_given && cycles > max_cycles) {
        fprintf(stderr, "gicsim_lockstep: --cycles %llu is beyond --max-cycles %llu\n", (unsigned long long)cycles,
                (unsigned long long)max_cycles);
        return 2;
    }
    if (!vcd.empty()) check_writable(vcd);
    // a recorded platform stimulus names its configuration
    bool want_n1 = false;
    if (!replay.empty()) {
        StimConfig rc;
        std::string why;
        if (!replay_config(replay, rc, max_cycles, &why)) {
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
            if (!replay.empty()) return make_replay(replay, sc_cfg, max_cycles, &why);
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
            check_writable(path);
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
