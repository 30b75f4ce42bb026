/* replay_timing.h: `gicsim replay --timing`: what the recorded software's pending/active sequences
 * of hardware-mapped interrupts cost on the model's timing (docs/real-software.md, "Timing"). */
#ifndef GICSIM_REPLAY_TIMING_H
#define GICSIM_REPLAY_TIMING_H

#include "gicsim/gic.h"

#include <stdio.h>

struct replay_timing;

struct replay_timing_map {
    uint64_t gicd, gicr; /* the guest's distributor and redistributors (intermediate physical addresses) */
};

int replay_timing_create(struct replay_timing **t, const struct gic_config *cfg, const struct replay_timing_map *map);
void replay_timing_destroy(struct replay_timing *t);
/* A replayed command starts at cycle `now`. */
void replay_timing_command(struct replay_timing *t, unsigned long line, gic_cycle_t now);
/* QEMU's exception log: "Taking exception N [...] on CPU C", its "...from/with" lines, returns. */
void replay_timing_exception(struct replay_timing *t, unsigned long line, unsigned cpu, unsigned num);
/* `now`: the model's cycle when the line is read (a window that ends there ends at `now`). */
void replay_timing_exception_detail(struct replay_timing *t, const char *detail, gic_cycle_t now);
void replay_timing_eret(struct replay_timing *t, gic_cycle_t now); /* an exception return from EL2 to EL1 */
/* Every trace event of the model while the replay runs. */
void replay_timing_event(struct replay_timing *t, unsigned long line, const struct gic_trace_event *ev);
/* The replay ended at cycle `now`: writes the report to `path` ("-": `out`). 0, or -1 and why. */
int replay_timing_write(struct replay_timing *t, gic_cycle_t now, const char *path, FILE *out, char *why, size_t n);

#endif
