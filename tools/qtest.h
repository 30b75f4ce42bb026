/* qtest.h: QEMU's qtest text protocol over a platform (INTERFACES.md 2), and gicsim's script extensions. */
#ifndef GICSIM_QTEST_H
#define GICSIM_QTEST_H

#include "platform.h"

#include <stdio.h>

struct qtest_opts {
    FILE *record;      /* if set, every command that reached the GIC is written here in qtest form */
    bool extensions;   /* accept gicsim's script commands (gicsim run) */
    bool verbose;      /* report each command's settle cycles on stderr */
    const char *name;  /* input name for diagnostics */
};

struct qtest_stats {
    unsigned long commands, failures, expect_failures;
    uint64_t last_value;  /* value of the last read, for `expect` */
};

/* Reads commands from `in` until its end, writes one response line per command to `out`. */
void qtest_session(struct platform *p, FILE *in, FILE *out, const struct qtest_opts *o, struct qtest_stats *st);
/* Executes one line; writes its response (no newline) into resp. Returns true if it was a FAIL. */
bool qtest_line(struct platform *p, char *line, char *resp, size_t resp_len, const struct qtest_opts *o,
                struct qtest_stats *st);

#endif
