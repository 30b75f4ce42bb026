// lockstep_main.cpp: gicsim_lockstep, the command line of the lock-step check (C kernel against the RTL reference).
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "lockstep.h"

using namespace rtlb;

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: gicsim_lockstep [--scenario NAME|all | --replay FILE] [--seed N] [--cycles N] [--cpus N --spis N --lrs "
        "N]\n"
        "                       [--rtl VARIANT] [--vcd FILE] [--vcd-c FILE] [--vcd-from N] [--vcd-to N] [--peeks N]\n"
        "                       [--expect-divergence] [--require-quiet] [--no-reset] [--max-cycles N] [--gic 2|3]\n"
        "                       [--list]\n"
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
        "--gic 2: pick a GICv2 build (GIC_VERSION = 2) by --cpus/--spis/--lrs; the default picks GICv3 ones. A GICv2\n"
        "build runs the GICv2 scenarios and random stimulus (memory-mapped GICC/GICH/GICV frames).\n"
        "GICSIM_VCD=FILE in the environment is the same as --vcd FILE.\n"
        "--vcd-c FILE: the C kernel's waveform (gicsim/gic_vcd.h: the RTL's signal names, the same time axis;\n"
        "docs/waveforms.md); --vcd-from N / --vcd-to N: the cycles both waveforms cover (default: the whole run).\n"
        "With several scenarios (--scenario all) each run writes the waveforms anew: the last one's remain.\n");
}

// A number option, whole and in [lo, hi] (decimal, or 0x hex); exit 2 otherwise.
static uint64_t number(const char *opt, const char *v, uint64_t lo, uint64_t hi)
{
    errno = 0;
    char *e = nullptr;
    bool ok = v[0] >= '0' && v[0] <= '9'; // no sign, no leading space
    unsigned long long x = ok ? strtoull(v, &e, 0) : 0;
    if (!ok || errno != 0 || e == v || *e != '\0' || x < lo || x > hi) {
        fprintf(stderr, "gicsim_lockstep: %s '%s': expected a number in %llu..%llu\n", opt, v, (unsigned long long)lo,
                (unsigned long long)hi);
        exit(2);
    }
    return x;
}

// The waveform can be written (its directory exists, the file can be created); exit 2 naming it otherwise.
static void check_writable(const std::string &path)
{
    FILE *f = fopen(path.c_str(), "w");
    if (!f || fclose(f) != 0) {
        fprintf(stderr, "gicsim_lockstep: %s: cannot write the waveform: %s\n", path.c_str(), strerror(errno));
        exit(2);
    }
}

// What the command line asked for.
struct Args {
    std::string scenario, rtlname, vcd, vcd_c, replay;
    uint64_t seed = 1, cycles = 20000, max_cycles = 1000000000ull;
    uint64_t vcd_from = 0, vcd_to = UINT64_MAX;
    bool cycles_given = false;
    unsigned cpus = 0, spis = 0, lrs = 0, peeks = 8, gic = 0; // gic: 2 or 3 (0: the first matching build)
    bool expect_div = false, require_quiet = false, resets = true;
};

// Parses the options into a: -1 to go on, or the exit status (0 after --help/--list, 2 after one error line).
static int parse_args(int argc, char **argv, Args &a)
{
    if (const char *e = getenv("GICSIM_VCD")) a.vcd = e;
    for (int i = 1; i < argc; i++) {
        std::string o = argv[i];
        auto val = [&](const char *what) -> const char * {
            if (i + 1 >= argc) {
                fprintf(stderr, "gicsim_lockstep: %s needs a value\n", what);
                exit(2);
            }
            return argv[++i];
        };
        if (o == "--scenario") a.scenario = val("--scenario");
        else if (o == "--replay") a.replay = val("--replay");
        else if (o == "--seed") a.seed = number("--seed", val("--seed"), 0, UINT64_MAX);
        else if (o == "--cycles") a.cycles = number("--cycles", val("--cycles"), 0, UINT64_MAX), a.cycles_given = true;
        else if (o == "--max-cycles") a.max_cycles = number("--max-cycles", val("--max-cycles"), 1, UINT64_MAX - 2);
        else if (o == "--cpus") a.cpus = static_cast<unsigned>(number("--cpus", val("--cpus"), 0, 64));
        else if (o == "--spis") a.spis = static_cast<unsigned>(number("--spis", val("--spis"), 0, 988));
        else if (o == "--gic") a.gic = static_cast<unsigned>(number("--gic", val("--gic"), 2, 3));
        else if (o == "--lrs") a.lrs = static_cast<unsigned>(number("--lrs", val("--lrs"), 0, 16));
        else if (o == "--rtl") a.rtlname = val("--rtl");
        else if (o == "--vcd") a.vcd = val("--vcd");
        else if (o == "--vcd-c") a.vcd_c = val("--vcd-c");
        else if (o == "--vcd-from") a.vcd_from = number("--vcd-from", val("--vcd-from"), 0, UINT64_MAX - 1);
        else if (o == "--vcd-to") a.vcd_to = number("--vcd-to", val("--vcd-to"), 0, UINT64_MAX - 1);
        else if (o == "--peeks") a.peeks = static_cast<unsigned>(number("--peeks", val("--peeks"), 0, 1u << 20));
        else if (o == "--expect-divergence") a.expect_div = true;
        else if (o == "--require-quiet") a.require_quiet = true;
        else if (o == "--no-reset") a.resets = false;
        else if (o == "--list") {
            for (auto &v : rtl_variants())
                printf("rtl %s: GICv%u, %u CPUs, %u SPIs, %u list registers\n", v.name.c_str(), v.version, v.cpus,
                       v.spis, v.lrs);
            for (auto &n : scenario_names(3)) printf("scenario %s\n", n.c_str());
            for (auto &n : scenario_names(2)) printf("scenario %s (GICv2)\n", n.c_str());
            return 0;
        } else if (o == "--help" || o == "-h") {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "gicsim_lockstep: unknown option '%s'\n", o.c_str());
            usage(stderr);
            return 2;
        }
    }
    return -1;
}

// The RTL variant to run: by name, or the first built one whose parameters match --cpus/--spis/--lrs (for a
// replay: the configuration the recording names). Exit status 2 after one line when there is none.
static int pick_variant(Args &a)
{
    bool want_n1 = false;
    if (!a.replay.empty()) {
        StimConfig rc;
        std::string why;
        if (!replay_config(a.replay, rc, a.max_cycles, &why)) {
            fprintf(stderr, "gicsim_lockstep: %s\n", why.c_str());
            return 2;
        }
        a.cpus = rc.cpus;
        a.spis = rc.spis;
        a.lrs = rc.lrs;
        a.gic = rc.version;
        want_n1 = rc.one_of_n;
    }
    if (!a.rtlname.empty()) return 0;
    for (auto &v : rtl_variants()) {
        if (v.name.rfind("mut_", 0) == 0 || (!a.replay.empty() && v.one_of_n != want_n1)) continue;
        if (v.version != (a.gic ? a.gic : 3)) continue; // GICv3 unless --gic 2 (or a GICv2 recording)
        if ((!a.cpus || v.cpus == a.cpus) && (!a.spis || v.spis == a.spis) && (!a.lrs || v.lrs == a.lrs)) {
            a.rtlname = v.name;
            return 0;
        }
    }
    fprintf(stderr, "gicsim_lockstep: no RTL variant with that configuration was built (see --list)\n");
    return 2;
}

// One stimulus stream (sc: a scenario's name, "" for random, "replay") on the chosen variant: 0 no divergence,
// 1 a divergence (reported, with a waveform around it), 2 an unknown name or a bad recording.
static int run_stream(const Args &a, const std::string &sc)
{
    auto rtl = make_rtl(a.rtlname);
    if (!rtl) {
        fprintf(stderr, "gicsim_lockstep: unknown RTL variant '%s' (see --list)\n", a.rtlname.c_str());
        return 2;
    }
    const bool replay = !a.replay.empty(), random = sc.empty();
    StimConfig cfg;
    cfg.cpus = rtl->cpus();
    cfg.spis = rtl->spis();
    cfg.lrs = rtl->lrs();
    cfg.one_of_n = rtl->one_of_n();
    cfg.cpu_prio_bits = rtl->cpu_prio_bits();
    cfg.version = rtl->version();
    cfg.mid_reset = random && a.resets;
    std::string why;
    auto make = [&]() -> std::unique_ptr<Stimulus> {
        if (replay) return make_replay(a.replay, cfg, a.max_cycles, &why);
        return random ? make_random(a.seed, a.cycles, cfg) : make_scenario(sc, cfg);
    };
    auto stim = make();
    if (!stim) {
        if (replay) fprintf(stderr, "gicsim_lockstep: %s\n", why.c_str());
        else fprintf(stderr, "gicsim_lockstep: unknown scenario '%s' (see --list)\n", sc.c_str());
        return 2;
    }
    RunOptions opt;
    opt.max_cycles = replay ? UINT64_MAX - 1 : random ? a.cycles : 100000;
    opt.peeks_per_cycle = a.peeks;
    opt.vcd_path = a.vcd;
    opt.c_vcd_path = a.vcd_c;
    opt.vcd_from = a.vcd_from;
    opt.vcd_to = a.vcd_to;
    opt.require_quiet = !random || a.require_quiet;
    opt.drain_cycles =
        opt.require_quiet ? 200 : 0; // idle cycles after the stream: until 8 were checked with qactive = 0
    RunResult r = run_lockstep(*rtl, *stim, opt);
    if (!r.c_vcd_error.empty()) {
        fprintf(stderr, "gicsim_lockstep: %s\n", r.c_vcd_error.c_str());
        return 2;
    }
    std::string what = replay   ? "replay of " + a.replay
                       : random ? "random seed " + std::to_string(a.seed)
                                : "scenario " + sc;
    if (!r.diverged) {
        printf("%s on %s: %llu cycles, %llu accesses, no divergence (C %.0f cycles/s, RTL %.0f cycles/s)\n",
               what.c_str(), a.rtlname.c_str(), (unsigned long long)r.cycles_run, (unsigned long long)r.accesses,
               r.c_seconds > 0 ? r.cycles_run / r.c_seconds : 0.0,
               r.rtl_seconds > 0 ? r.cycles_run / r.rtl_seconds : 0.0);
        printf("  trace port: %llu C events compared; qactive = 0 after %llu cycles, qactive_core = 0 (= C kernel "
               "without events) after %llu, %llu idle cycles checked, %llu resets\n",
               (unsigned long long)r.trace_events, (unsigned long long)r.qactive_low, (unsigned long long)r.c_idle,
               (unsigned long long)r.quiet_checks, (unsigned long long)r.resets);
        if (!stim->stats().empty()) printf("  %s\n", stim->stats().c_str());
        fflush(stdout);
        return 0;
    }
    printf("%s on %s: %s", what.c_str(), a.rtlname.c_str(), r.report.c_str());
    fflush(stdout);
    // the waveform around the divergence: run the same stream again with tracing in a window
    std::string path = a.vcd.empty() ? "lockstep_divergence.vcd" : a.vcd;
    check_writable(path);
    rtl.reset(); // one Verilated model alive at a time
    auto rtl2 = make_rtl(a.rtlname);
    auto stim2 = make();
    RunOptions o2 = opt;
    o2.max_cycles = r.cycle + 3;
    o2.vcd_path = path;
    o2.vcd_from = r.cycle > 64 ? r.cycle - 64 : 0;
    o2.vcd_to = UINT64_MAX;
    RunResult r2 = run_lockstep(*rtl2, *stim2, o2);
    if (!r2.c_vcd_error.empty()) {
        fprintf(stderr, "gicsim_lockstep: %s\n", r2.c_vcd_error.c_str());
        return 2;
    }
    printf("waveform of cycles %llu..%llu: %s%s%s\n", (unsigned long long)o2.vcd_from, (unsigned long long)r.cycle,
           path.c_str(), a.vcd_c.empty() ? "" : ", C kernel: ", a.vcd_c.c_str());
    fflush(stdout);
    return 1;
}

static int run(int argc, char **argv)
{
    Args a;
    int rc = parse_args(argc, argv, a);
    if (rc >= 0) return rc;
    if (a.cycles_given && a.cycles > a.max_cycles) {
        fprintf(stderr, "gicsim_lockstep: --cycles %llu is beyond --max-cycles %llu\n", (unsigned long long)a.cycles,
                (unsigned long long)a.max_cycles);
        return 2;
    }
    if (!a.vcd.empty()) check_writable(a.vcd);
    if (!a.vcd_c.empty()) check_writable(a.vcd_c);
    if (a.vcd_from > a.vcd_to) {
        fprintf(stderr, "gicsim_lockstep: --vcd-from %llu is after --vcd-to %llu\n", (unsigned long long)a.vcd_from,
                (unsigned long long)a.vcd_to);
        return 2;
    }
    if ((rc = pick_variant(a)) != 0) return rc;
    std::vector<std::string> scenarios;
    unsigned version = 3;
    for (auto &v : rtl_variants())
        if (v.name == a.rtlname) version = v.version;
    if (!a.replay.empty()) scenarios.push_back("replay");
    else if (a.scenario == "all") scenarios = scenario_names(version);
    else if (!a.scenario.empty()) scenarios.push_back(a.scenario);
    else scenarios.push_back(""); // random
    bool any_div = false;
    for (const std::string &sc : scenarios) {
        rc = run_stream(a, sc);
        if (rc == 2) return 2;
        any_div |= rc == 1;
        if (any_div && !a.expect_div) return 1;
    }
    if (a.expect_div) {
        printf(any_div ? "divergence found, as expected\n" : "expected a divergence, found none\n");
        return any_div ? 0 : 1;
    }
    return any_div ? 1 : 0;
}

// Every output is checked: a standard output that could not be written (a full disk, /dev/full) is exit 2.
int main(int argc, char **argv)
{
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
