/* cmd_replay.c: `gicsim replay TRACE`: command-line options (docs/cli.md, docs/real-software.md). */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"
#include "replay.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char replay_help[] =
    "usage: gicsim replay TRACE|- [--machine virt-gicv2|virt-gicv3] [--smp N] [--model c|rtl] [--rulecheck "
    "[--strict]]\n"
    "                     [--allow FILE] [--save-script FILE] [--timing FILE|-] [--gap CYCLES]\n"
    "                     [--latency KEY=CYCLES,...]\n"
    "                     [--guest-gicd ADDR] [--guest-gicr ADDR] [--max-report N] [--quiet]\n"
    "                     [--dtb FILE [--spis N]]\n\n"
    "Replays a QEMU 7.2 trace of its GIC model (QEMU's log trace backend: -trace 'gicv3_*' or\n"
    "-trace 'gic_*', with or without the pid@time prefix; plain text or xz) on gicsim, in order:\n"
    "every register and system-register access, input line change and SGI. Every value QEMU read\n"
    "is checked against gicsim's, and so are the CPU output pins QEMU reports. Prints a summary:\n"
    "commands, reads and pins checked, mismatches by register with their first trace line, and every\n"
    "trace event it did not replay. See docs/real-software.md.\n\n"
    "  --machine M        virt-gicv2 or virt-gicv3 (default: from the trace's events)\n"
    "  --smp N            CPUs (default: the highest CPU in the trace + 1)\n"
    "  --dtb FILE         the GIC (version, CPUs, affinities) of a device tree instead (docs/dt.md);\n"
    "                     --spis N its SPIs (default 256)\n"
    "  --model c|rtl      the C kernels (default) or the Verilated RTL reference (GICv2 or GICv3,\n"
    "                     a configuration with a Verilated build: docs/rtl.md)\n"
    "  --rulecheck        attach the rule checker (docs/rulecheck.md); report each violation with\n"
    "                     its trace line and the accesses that led there\n"
    "  --strict           with --rulecheck: a violation makes the exit status 1\n"
    "  --allow FILE       mismatches that are explained differences: lines REGISTER QEMU GICSIM REASON\n"
    "  --save-script FILE write the equivalent `gicsim run` script (with an expect after each read)\n"
    "  --timing FILE|-    timing report: guest writes to pending/active registers and the host's\n"
    "                     physical and list-register writes that follow, hardware deactivations\n"
    "  --gap CYCLES       GIC cycles between two replayed commands (CPU time; default 0)\n"
    "  --latency K=N,...  the GIC's latencies instead of docs/timing.md's defaults: req, resp, ack,\n"
    "                     line, prio, deliver, deact, hwdeact, maint, out (as gicsim bench --timing),\n"
    "                     mem, its (the memory port and the ITS, docs/lpi.md)\n"
    "  --guest-gicd ADDR  the guest's distributor address for --timing (default 0x08000000)\n"
    "  --guest-gicr ADDR  the guest's first redistributor for --timing (default 0x080a0000)\n"
    "  --max-report N     violations printed in full (default 50; all are counted)\n"
    "  --quiet            no progress line (shown on a terminal's stderr after 2 s otherwise)\n"
    "  --vcd FILE         write the GIC's waveform (VCD, one time unit per GIC cycle, the RTL reference's\n"
    "                     signal names: docs/waveforms.md; the C kernels only, not with --model rtl)\n"
    "  --vcd-from N, --vcd-to N  only the cycles N.. / ..N (the first one's values as $dumpvars)\n\n"
    "Exit status: 0 no mismatch outside the allow-list, 1 a mismatch (or a violation with --strict),\n"
    "2 bad usage, a bad trace (one line naming the trace line) or a waveform that cannot be written.\n";

/* --latency k=v,...: the latencies of docs/timing.md section 2, with the bounds `gicsim bench` uses. */
static const struct {
    const char *key;
    uint32_t min;
    size_t off;
} latencies[] = {
    { "req", 1, offsetof(struct gic_timing, req) },     { "resp", 1, offsetof(struct gic_timing, resp) },
    { "ack", 1, offsetof(struct gic_timing, ack) },     { "line", 1, offsetof(struct gic_timing, line) },
    { "prio", 0, offsetof(struct gic_timing, prio) },   { "deliver", 0, offsetof(struct gic_timing, deliver) },
    { "deact", 1, offsetof(struct gic_timing, deact) }, { "hwdeact", 1, offsetof(struct gic_timing, hwdeact) },
    { "maint", 1, offsetof(struct gic_timing, maint) }, { "out", 1, offsetof(struct gic_timing, out) },
    { "mem", 1, offsetof(struct gic_timing, mem) },     { "its", 1, offsetof(struct gic_timing, its) },
};

static int parse_latency(const char *s, struct gic_timing *t)
{
    char buf[512];
    if (strlen(s) >= sizeof buf) return usage_error("--latency: too long");
    strcpy(buf, s);
    for (char *save = NULL, *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '='), *end;
        if (!eq) return usage_error("--latency takes KEY=CYCLES,..., not '%s'", kv);
        *eq = 0;
        size_t i = 0;
        while (i < sizeof latencies / sizeof latencies[0] && strcmp(latencies[i].key, kv)) i++;
        if (i == sizeof latencies / sizeof latencies[0])
            return usage_error(
                "--latency: no latency '%s' (req, resp, ack, line, prio, deliver, deact, hwdeact, maint, out)", kv);
        errno = 0;
        unsigned long v = strtoul(eq + 1, &end, 10);
        if (errno || end == eq + 1 || *end || eq[1] == '-' || v < latencies[i].min || v > 10000)
            return usage_error("--latency: %s takes %u to 10000 cycles, not '%s'", kv, latencies[i].min, eq + 1);
        *(uint32_t *)((char *)t + latencies[i].off) = (uint32_t)v;
    }
    return 0;
}

static int number(const char *opt, const char *s, uint64_t max, uint64_t *v)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || end == s || *end || s[0] == '-' || x > max)
        return usage_error("%s takes a number up to %llu, not '%s'", opt, (unsigned long long)max, s);
    *v = x;
    return 0;
}

int cmd_replay(int argc, char **argv)
{
    struct replay_opts o = { 0 };
    struct gic_timing latency;
    gic_timing_default(&latency);
    uint64_t v;
    bool have_spis = false;
    o.spis = 256; /* QEMU virt's */
    o.guest_gicd = 0x08000000u;
    o.guest_gicr = 0x080a0000u;
    o.max_report = 50;
    struct vcd_cli vcd;
    vcd_cli_init(&vcd);
    o.vcd = &vcd;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        int taken = vcd_cli_option(&vcd, argc, argv, &i);
        if (taken == 1) continue;
        if (taken) return taken;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(replay_help, stdout);
            return fflush(stdout) ? EXIT_USAGE : EXIT_OK;
        } else if (!strcmp(a, "--machine") && has) {
            if (!platform_preset_parse(argv[++i], &o.preset))
                return usage_error("--machine takes virt-gicv2 or virt-gicv3, not '%s'", argv[i]);
            o.have_machine = true;
        } else if (!strcmp(a, "--smp") && has) {
            if (number(a, argv[++i], 64, &v)) return EXIT_USAGE;
            if (v < 1) return usage_error("--smp takes a CPU count from 1 to 64, not '%s'", argv[i]);
            o.smp = (unsigned)v;
            o.have_smp = true;
        } else if (!strcmp(a, "--model") && has) {
            const char *m = argv[++i];
            if (strcmp(m, "c") && strcmp(m, "rtl")) return usage_error("--model takes c or rtl, not '%s'", m);
            o.rtl = !strcmp(m, "rtl");
        } else if (!strcmp(a, "--rulecheck")) {
            o.rulecheck = true;
        } else if (!strcmp(a, "--strict")) {
            o.strict = true;
        } else if (!strcmp(a, "--quiet")) {
            o.quiet = true;
        } else if (!strcmp(a, "--dtb") && has) {
            o.dtb = argv[++i];
        } else if (!strcmp(a, "--spis") && has) {
            if (number(a, argv[++i], 988, &v)) return EXIT_USAGE;
            o.spis = (uint32_t)v;
            have_spis = true;
        } else if (!strcmp(a, "--allow") && has) {
            o.allow = argv[++i];
        } else if (!strcmp(a, "--save-script") && has) {
            o.save_script = argv[++i];
        } else if (!strcmp(a, "--timing") && has) {
            o.timing = argv[++i];
        } else if (!strcmp(a, "--latency") && has) {
            if (parse_latency(argv[++i], &latency)) return EXIT_USAGE;
            o.latency = &latency;
        } else if (!strcmp(a, "--gap") && has) {
            if (number(a, argv[++i], 1000000, &o.gap)) return EXIT_USAGE;
        } else if (!strcmp(a, "--guest-gicd") && has) {
            if (number(a, argv[++i], UINT64_MAX, &o.guest_gicd)) return EXIT_USAGE;
        } else if (!strcmp(a, "--guest-gicr") && has) {
            if (number(a, argv[++i], UINT64_MAX, &o.guest_gicr)) return EXIT_USAGE;
        } else if (!strcmp(a, "--max-report") && has) {
            if (number(a, argv[++i], 1000000, &v)) return EXIT_USAGE;
            o.max_report = (unsigned)v;
        } else if ((a[0] != '-' || !strcmp(a, "-")) && !o.trace) {
            o.trace = a;
        } else {
            return usage_error("unknown or incomplete argument '%s'", a);
        }
    }
    if (!o.trace) return usage_error("replay needs a TRACE file");
    if (o.dtb && (o.have_machine || o.have_smp))
        return usage_error("--dtb gives the machine and its CPUs: no --machine or --smp with it");
    if (have_spis && !o.dtb) return usage_error("--spis goes with --dtb (the presets have QEMU virt's 256)");
    if (o.strict && !o.rulecheck) return usage_error("--strict needs --rulecheck");
    if (vcd_cli_check(&vcd)) return EXIT_USAGE;
    if (vcd.path && o.rtl)
        return usage_error(
            "--vcd writes the C kernels' waveform, not the RTL's (GICSIM_RTL_VCD=FILE does: docs/rtl.md)");
    if (o.have_machine && o.have_smp && o.preset == PRESET_VIRT_GICV2 && o.smp > 8)
        return usage_error("a GICv2 has at most 8 CPUs");
    return replay_run(&o, stdout);
}
