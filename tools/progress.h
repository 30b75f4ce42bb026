/* progress.h: a progress line on standard error for long runs (gicsim bench, sweep and replay).
 *
 * Shown only when standard error is a terminal, the caller did not ask for quiet (--quiet), and the
 * run has taken more than PROGRESS_AFTER_S seconds (or the seconds in the environment variable
 * GICSIM_PROGRESS_AFTER, 0 to 3600: the tests use 0): then one line, redrawn in place at most a few
 * times per second, with the work done and to do, the rate, the time so far and an estimate of the
 * time left. Nothing at all otherwise, so piped and redirected output is never touched. */
#ifndef GICSIM_PROGRESS_H
#define GICSIM_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PROGRESS_AFTER_S 2.0

struct progress {
    const char *what; /* "gicsim bench" */
    const char *unit; /* "jobs", "lines" */
    double t0;        /* start (CLOCK_MONOTONIC seconds) */
    double after;     /* seconds before the first line */
    double last;      /* last redraw */
    bool on;          /* a terminal and not quiet */
    bool drawn;       /* a line is on the screen */
};

/* Starts the clock. quiet: never draw. */
void progress_start(struct progress *p, const char *what, const char *unit, bool quiet);
/* done of total units are finished: redraws when due (cheap otherwise: one clock read). */
void progress_update(struct progress *p, uint64_t done, uint64_t total);
/* The final state, and the line ends (only if one was drawn). */
void progress_end(struct progress *p, uint64_t done, uint64_t total);

#ifdef __cplusplus
}
#endif

#endif
