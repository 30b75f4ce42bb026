/* replay.h: `gicsim replay`: a QEMU 7.2 GIC trace replayed on the model (docs/real-software.md). */
#ifndef GICSIM_REPLAY_H
#define GICSIM_REPLAY_H

#include "platform.h"
#include "vcd_cli.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct replay_opts {
    const char *trace;           /* file, "-" for standard input; plain text or xz */
    bool have_machine, have_smp; /* otherwise inferred from the trace */
    enum platform_preset preset;
    unsigned smp;
    bool rulecheck, strict;           /* --rulecheck; --strict: a violation is exit status 1 */
    bool rtl;                         /* --model rtl: the Verilated RTL reference instead of the C kernels */
    const char *save_script;          /* --save-script FILE: the equivalent `gicsim run` script */
    const char *allow;                /* --allow FILE: mismatches that are explained differences */
    const char *timing;               /* --timing FILE ("-": standard output): the timing report */
    uint64_t guest_gicd, guest_gicr;  /* the guest's GIC frames, for --timing (default: QEMU virt's) */
    uint64_t gap;                     /* GIC cycles between two replayed commands (CPU time, unknown to the trace) */
    const struct gic_timing *latency; /* --latency: the GIC's latencies (NULL: docs/timing.md's defaults) */
    unsigned max_report;              /* violations and mismatch groups printed in full */
    bool quiet;                       /* --quiet: no progress line on a terminal's stderr */
    const char *dtb;                  /* --dtb FILE: the GIC (version, CPUs, affinities) of a device tree */
    uint32_t spis;                    /* --spis N with --dtb (default 256, QEMU virt's) */
    const struct vcd_cli *vcd;        /* --vcd FILE: the C kernels' waveform (NULL or no path: none) */
};

/* Runs the replay; prints the summary on `out`. Returns the exit status (0, 1 a check failed, 2 bad
 * input with one line on stderr). */
int replay_run(const struct replay_opts *o, FILE *out);

#endif
