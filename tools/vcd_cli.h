/* vcd_cli.h: the waveform options of gicsim run, replay, bench and demo: --vcd FILE, --vcd-from N, --vcd-to N (the C
 * kernels' waveform, gicsim/gic_vcd.h; docs/cli.md "Waveforms", docs/waveforms.md). */
#ifndef GICSIM_VCD_CLI_H
#define GICSIM_VCD_CLI_H

#include "gicsim/gic_vcd.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vcd_cli {
    const char *path;             /* --vcd FILE; NULL: no waveform */
    struct gic_vcd_window window; /* --vcd-from, --vcd-to (default: the whole run) */
    bool have_from, have_to;
};

void vcd_cli_init(struct vcd_cli *o);
/* argv[*i] is --vcd, --vcd-from or --vcd-to: takes it and its value (*i moves to the value) and returns 1, or
 * EXIT_USAGE after one line on stderr (no value, not a cycle number); 0 when argv[*i] is another argument. */
int vcd_cli_option(struct vcd_cli *o, int argc, char **argv, int *i);
/* A --vcd-from/--vcd-to value: a whole decimal number 0..2^63 (GIC_CYCLE_LIMIT). NULL, or why not. */
const char *vcd_cli_cycle(const char *s, uint64_t *out);
/* After every option: --vcd-from/--vcd-to need --vcd, and from <= to. 0, or EXIT_USAGE after one line. */
int vcd_cli_check(const struct vcd_cli *o);
/* The waveform of g, installed as its trace hook (the hook g had keeps receiving every event): 0 (also without
 * --vcd: *out is then NULL), or EXIT_USAGE after one line "gicsim: cannot write FILE: REASON". */
int vcd_cli_open(const struct vcd_cli *o, gic_t *g, gic_vcd_t **out);
/* Writes the end of the waveform and closes it (v NULL: nothing): 0, or EXIT_USAGE after that one line. */
int vcd_cli_close(const struct vcd_cli *o, gic_vcd_t *v);

#ifdef __cplusplus
}
#endif
#endif
