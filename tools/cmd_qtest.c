/* cmd_qtest.c: `gicsim qtest` (QEMU's qtest protocol on stdin/stdout) and `gicsim run SCRIPT` (the same, plus extensions). */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"
#include "qtest.h"
#include "vcd_cli.h"
#include "gicsim/rulecheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

struct args {
    enum platform_preset preset;
    bool have_machine, have_smp;
    unsigned smp;
    const char *dtb; /* --dtb FILE: the GIC and memory map of a device tree (docs/dt.md) */
    uint32_t spis;   /* --spis N with --dtb (a device tree has no SPI count) */
    bool have_spis;
    const char *record, *script;
    bool verbose, rulecheck, strict;
    struct vcd_cli vcd; /* run: --vcd FILE [--vcd-from N] [--vcd-to N] */
};

static int parse(int argc, char **argv, struct args *a, bool run, const char *help)
{
    memset(a, 0, sizeof *a);
    a->smp = 1;
    vcd_cli_init(&a->vcd);
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i];
        int taken = run ? vcd_cli_option(&a->vcd, argc, argv, &i) : 0;
        if (taken == 1) continue;
        if (taken) return taken;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(help, stdout);
            return -1;
        } else if (!strcmp(o, "--machine") && i + 1 < argc) {
            if (!platform_preset_parse(argv[++i], &a->preset))
                return usage_error("--machine takes virt-gicv2 or virt-gicv3, not '%s'", argv[i]);
            a->have_machine = true;
        } else if (!strcmp(o, "--smp") && i + 1 < argc) {
            char *end;
            unsigned long n = strtoul(argv[++i], &end, 10);
            if (*end || n < 1 || n > 64) return usage_error("--smp takes a CPU count from 1 to 64, not '%s'", argv[i]);
            a->smp = (unsigned)n;
            a->have_smp = true;
        } else if (!strcmp(o, "--dtb") && i + 1 < argc) {
            a->dtb = argv[++i];
        } else if (!strcmp(o, "--spis") && i + 1 < argc) {
            char *end;
            unsigned long n = strtoul(argv[++i], &end, 10);
            if (*end || !*argv[i] || argv[i][0] == '-' || n > 988)
                return usage_error("--spis takes 0 to 988, not '%s'", argv[i]);
            a->spis = (uint32_t)n;
            a->have_spis = true;
        } else if (!strcmp(o, "--record") && i + 1 < argc) {
            a->record = argv[++i];
        } else if (!strcmp(o, "--verbose") || !strcmp(o, "-v")) {
            a->verbose = true;
        } else if (run && !strcmp(o, "--rulecheck")) {
            a->rulecheck = true;
        } else if (run && !strcmp(o, "--strict")) {
            a->strict = true;
        } else if (run && (o[0] != '-' || !strcmp(o, "-")) && !a->script) {
            a->script = o;
        } else {
            return usage_error("unknown or incomplete argument '%s'", o);
        }
    }
    if (a->dtb && (a->have_machine || a->have_smp))
        return usage_error("--dtb gives the machine and its CPUs: no --machine or --smp with it");
    if (a->have_spis && !a->dtb) return usage_error("--spis goes with --dtb (the presets have QEMU virt's 256)");
    if (!a->have_spis) a->spis = 256; /* QEMU virt's */
    if (!run && !a->have_machine && !a->dtb)
        return usage_error("qtest needs --machine virt-gicv2|virt-gicv3 or --dtb FILE");
    if (run && !a->script) return usage_error("run needs a SCRIPT file");
    if (a->strict && !a->rulecheck) return usage_error("--strict needs --rulecheck");
    if (a->preset == PRESET_VIRT_GICV2 && a->smp > 8) return usage_error("a GICv2 has at most 8 CPUs");
    return vcd_cli_check(&a->vcd);
}

/* --rulecheck: each violation on standard error with the script line that was running. */
struct checked {
    gic_rulecheck_t *rc;
    const struct qtest_stats *st;
    const char *name;
};
static void on_violation(void *ctx, const struct gic_violation *v)
{
    const struct checked *k = ctx;
    char buf[2048];
    gic_violation_format(v, buf, sizeof buf);
    fprintf(stderr, "gicsim: %s:%lu: violation: %s\n", k->name, k->st->line_no, buf);
}
static void on_trace(void *ctx, const struct gic_trace_event *ev)
{
    gic_rulecheck_trace(((struct checked *)ctx)->rc, ev);
}

static int session(const struct args *a, int in_fd, bool extensions)
{
    struct platform p;
    FILE *rec = NULL;
    if (a->record && !(rec = fopen(a->record, "w"))) {
        fprintf(stderr, "gicsim: cannot write %s\n", a->record);
        return EXIT_USAGE;
    }
    struct gic_dt dt;
    char why[320];
    if (a->dtb && gic_dt_load(a->dtb, a->spis, &dt, why, sizeof why) != 0) {
        fprintf(stderr, "gicsim: %s\n", why);
        if (rec) fclose(rec);
        return EXIT_USAGE;
    }
    if ((a->dtb ? platform_init_dt(&p, &dt, NULL, a->dtb) : platform_init(&p, a->preset, a->smp)) != GIC_OK) {
        fprintf(stderr, "gicsim: cannot create the %s GIC\n", a->dtb ? a->dtb : platform_preset_name(a->preset));
        if (rec) fclose(rec);
        return EXIT_USAGE;
    }
    struct qtest_opts o = { rec, extensions, a->verbose, a->script ? a->script : "stdin" };
    struct qtest_stats st = { 0 };
    struct checked k = { NULL, &st, o.name };
    if (a->rulecheck) {
        if (gic_rulecheck_create(gic_get_config(p.gic), &k.rc) != GIC_OK) {
            fprintf(stderr, "gicsim: cannot create the rule checker\n");
            platform_fini(&p);
            if (rec) fclose(rec);
            return EXIT_USAGE;
        }
        gic_rulecheck_set_callback(k.rc, on_violation, &k);
        platform_set_trace(&p, on_trace, &k);
    }
    gic_vcd_t *vcd = NULL; /* --vcd: chained before the rule checker's hook */
    if (vcd_cli_open(&a->vcd, p.gic, &vcd)) {
        if (k.rc) gic_rulecheck_destroy(k.rc);
        platform_fini(&p);
        if (rec) fclose(rec);
        return EXIT_USAGE;
    }
    int end = qtest_session(&p, in_fd, stdout, &o, &st);
    /* The waveform ends where the session ended; a write that failed is exit status 2 with its one line (unless the
     * session already ended with status 2 and its own line). */
    bool quiet_close = end != QTEST_DONE || (extensions && st.bad_lines);
    if (quiet_close) gic_vcd_close(vcd);
    else if (vcd_cli_close(&a->vcd, vcd)) {
        if (k.rc) gic_rulecheck_destroy(k.rc);
        platform_fini(&p);
        if (rec) fclose(rec);
        return EXIT_USAGE;
    }
    if (end != QTEST_DONE) {
        /* Not a normal end of input: one line, exit status 2 (no summary). */
        const char *in = a->script && strcmp(a->script, "-") ? a->script : "standard input";
        if (end == QTEST_READ_ERROR) fprintf(stderr, "gicsim: cannot read %s: %s\n", in, strerror(errno));
        else write_error("standard output", errno); /* once: main's finish_stdout() adds no second line */
        if (k.rc) gic_rulecheck_destroy(k.rc);
        platform_fini(&p);
        if (rec) fclose(rec);
        return EXIT_USAGE;
    }
    /* A malformed line (run) is exit status 2 with its one line on standard error: no summaries. */
    bool bad = extensions && st.bad_lines;
    size_t violations = 0;
    if (k.rc) {
        gic_rulecheck_finish(k.rc, platform_now(&p));
        gic_rulecheck_flush(k.rc);
        violations = gic_rulecheck_count(k.rc);
        if (!bad) fprintf(stderr, "gicsim: rule checker: %zu violation%s\n", violations, violations == 1 ? "" : "s");
        gic_rulecheck_destroy(k.rc);
    }
    if ((extensions || a->verbose) && !bad)
        fprintf(stderr, "gicsim: %lu commands, %lu FAIL, %lu expect failed, %llu GIC cycles (%s, %u CPU%s)\n",
                st.commands, st.failures, st.expect_failures, (unsigned long long)platform_now(&p), p.machine, p.smp,
                p.smp > 1 ? "s" : "");
    platform_fini(&p);
    if (rec && fclose(rec) != 0) {
        fprintf(stderr, "gicsim: cannot write %s\n", a->record);
        return EXIT_USAGE;
    }
    if (!extensions) return EXIT_OK; /* qtest: FAIL responses are part of the protocol */
    if (bad) return EXIT_USAGE;
    return st.expect_failures || (a->strict && violations) ? EXIT_CHECK : EXIT_OK;
}

static const char qtest_help[] =
    "usage: gicsim qtest --machine virt-gicv2|virt-gicv3 [--smp N] [--record FILE] [--verbose]\n"
    "       gicsim qtest --dtb FILE [--spis N] [--record FILE] [--verbose]\n\n"
    "Speaks QEMU's qtest text protocol on standard input and output: readb/readw/readl/readq ADDR,\n"
    "writeb/writew/writel/writeq ADDR VALUE, set_irq_in QOMPATH unnamed-gpio-in N LEVEL, endianness.\n"
    "One response line per command; malformed lines get FAIL and a reason, and the session goes on.\n"
    "The machine presets match QEMU's virt board (-M virt,gic-version=2,virtualization=on or\n"
    "-M virt,gic-version=3, -cpu cortex-a57). Each command settles before the next is read.\n"
    "See docs/cli.md.\n\n"
    "  --machine M    virt-gicv2 or virt-gicv3\n"
    "  --smp N        number of CPUs (default 1)\n"
    "  --dtb FILE     the GIC, its CPUs and its memory map from a device tree (docs/dt.md)\n"
    "  --spis N       SPIs of the --dtb GIC, 0..988 (default 256, as QEMU virt)\n"
    "  --record FILE  write every access and input change to FILE in qtest form (replayable)\n"
    "  --verbose      report bus errors and each command's settle cycles on standard error\n";

static const char run_help[] =
    "usage: gicsim run SCRIPT|- [--machine virt-gicv2|virt-gicv3] [--smp N] [--record FILE] [--verbose]\n"
    "                  [--rulecheck [--strict]] [--dtb FILE [--spis N]] [--vcd FILE [--vcd-from N] [--vcd-to N]]\n\n"
    "Runs a script of qtest commands plus gicsim's extensions (docs/cli.md), one response per command\n"
    "on standard output. '#' starts a comment; blank lines are ignored.\n\n"
    "  rd NAME [CPU]          read a register by its spec name (GICD_ISENABLER1, GICR_WAKER, GICC_IAR)\n"
    "  wr NAME VALUE [CPU]    write it; CPU: requesting CPU, or the redistributor for GICR_*\n"
    "  mrs REG [CPU]          system register by name (ICC_IAR1_EL1, ICH_LR0_EL2, ICV_IAR1_EL1) or\n"
    "  msr REG VALUE [CPU]    encoding S3_<op1>_C<n>_C<m>_<op2> (v:S3_... for the ICV_ view)\n"
    "  cpu N                  requesting CPU for banked MMIO frames and the default CPU above\n"
    "  spi INTID LEVEL        drive an SPI input;  ppi CPU INTID LEVEL  drive a PPI input\n"
    "  step N                 advance N GIC cycles, N <= 2^40, not past cycle 2^63 (responds OK <cycle>)\n"
    "  outputs [CPU]          read the CPU's output pins: irq=1 fiq=2 virq=4 vfiq=8 maint=16\n"
    "  expect VALUE [MASK]    the last value read (under MASK) must equal VALUE\n"
    "  expect undef           the last read was UNDEFINED\n\n"
    "--dtb FILE takes the GIC, its CPUs and its memory map from a device tree instead of a preset\n"
    "(docs/dt.md; --spis N: its SPIs, default 256).\n"
    "--rulecheck attaches the rule checker (docs/rulecheck.md): each violation goes to standard error\n"
    "with the script line; --strict makes a violation exit status 1.\n"
    "--vcd FILE writes the GIC's waveform (VCD, one time unit per GIC cycle, the RTL reference's signal\n"
    "names: docs/waveforms.md); --vcd-from N / --vcd-to N: only cycles N.. / ..N (the first one's values as\n"
    "$dumpvars). A waveform that cannot be written is exit status 2.\n\n"
    "Default machine: virt-gicv3. Exit status: 0 all expectations held, 1 an expect failed,\n"
    "2 bad usage, an unreadable script, unwritable output, a malformed line or a command refused at\n"
    "the end of time, cycle 2^63 (the run stops there; one line on standard error, no summary).\n";

int cmd_qtest(int argc, char **argv)
{
    struct args a;
    int rc = parse(argc, argv, &a, false, qtest_help);
    if (rc) return rc < 0 ? EXIT_OK : rc;
    return session(&a, STDIN_FILENO, false);
}

int cmd_run(int argc, char **argv)
{
    struct args a;
    int rc = parse(argc, argv, &a, true, run_help);
    if (rc) return rc < 0 ? EXIT_OK : rc;
    if (!a.have_machine && !a.dtb) a.preset = PRESET_VIRT_GICV3;
    int fd = strcmp(a.script, "-") ? open(a.script, O_RDONLY) : STDIN_FILENO;
    if (fd < 0) {
        fprintf(stderr, "gicsim: cannot read %s: %s\n", a.script, strerror(errno));
        return EXIT_USAGE;
    }
    rc = session(&a, fd, true);
    if (fd != STDIN_FILENO) close(fd);
    return rc;
}
