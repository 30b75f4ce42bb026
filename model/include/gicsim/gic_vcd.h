/* gic_vcd.h: a waveform of a GIC (VCD, IEEE 1364-2005 section 18) written from the C kernels' trace: its output pins,
 * register port, input lines and the state a hardware engineer probes, under the RTL reference's signal names
 * (docs/waveforms.md). */
#ifndef GICSIM_GIC_VCD_H
#define GICSIM_GIC_VCD_H

#include "gicsim/gic.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One gic_vcd_t writes one file for one gic_t. Time: one VCD time unit is one GIC cycle (the header says 1 ps, as
 * the RTL's waveform of the lock-step bridge does; the GIC has no clock period of its own), and time t shows the
 * signals as the RTL's waveform shows them after the clock edge that ends cycle t: the state at the end of cycle t, the
 * register request and the input pins of cycle t, the responses that are available in cycle t + 1. Only value changes
 * are written. docs/waveforms.md lists the signals and how each is derived.
 *
 * The writer takes the GIC's trace events: gic_vcd_attach() installs it as the trace hook (the hook installed before
 * it still receives every event, after the writer), or a caller that owns the hook forwards each event to
 * gic_vcd_event(). Without a writer nothing is traced, so a GIC without a waveform pays nothing.
 *
 * Errors: every function returns a gic_status (GIC_E_INVAL for bad arguments, GIC_E_NOMEM, GIC_E_IO when the file
 * could not be created or written, with errno saying why); none aborts. A failed write is kept: later writes are
 * skipped and gic_vcd_status() and gic_vcd_close() report it. There is no global state.
 */
typedef struct gic_vcd gic_vcd_t;

/* The window: nothing before cycle `from` or after cycle `to` (inclusive) is written, and the values at the window's
 * first cycle are written as $dumpvars, so the file stands alone. {0, GIC_CYCLE_NEVER}: the whole run. */
struct gic_vcd_window {
    gic_cycle_t from, to;
};

/* Creates PATH (truncated) and writes the header. The waveform starts at gic_now(gic) with the GIC's present state
 * (open it before the accesses and line changes it should show); a NULL window is the whole run. GIC_E_INVAL (bad
 * argument, from > to), GIC_E_NOMEM, GIC_E_IO (errno set). */
int gic_vcd_open(gic_t *gic, const char *path, const struct gic_vcd_window *window, gic_vcd_t **out);
/* Installs the writer as gic's trace hook; the hook installed before (if any) receives every event after it. Install
 * the GIC's other hook first, or have that hook forward to gic_vcd_event() instead. */
int gic_vcd_attach(gic_vcd_t *vcd);
/* One trace event of the writer's GIC (a gic_trace_fn: ctx is the gic_vcd_t), for a caller that owns the hook. */
void gic_vcd_event(void *vcd, const struct gic_trace_event *ev);
/* gic_reset(gic), with the waveform following it: accesses and line changes still in flight are shown up to the
 * reset, then every signal takes its value after the reset. */
int gic_vcd_reset(gic_vcd_t *vcd);
/* GIC_OK, or the first error so far (GIC_E_IO with errno set, GIC_E_NOMEM). */
int gic_vcd_status(const gic_vcd_t *vcd);
/* Writes everything up to the last cycle processed (gic_now() - 1), ends the file with that time, restores the trace
 * hook gic_vcd_attach() found, closes the file and frees the writer (also after an error). GIC_OK, or GIC_E_IO
 * (errno set: a write, flush or close failed, e.g. a full disk) or GIC_E_NOMEM: the file is then incomplete. */
int gic_vcd_close(gic_vcd_t *vcd);

#ifdef __cplusplus
}
#endif
#endif
