/* qtest.h: QEMU's qtest text protocol over a platform (docs/cli.md, "gicsim qtest"), and gicsim's script extensions. */
#ifndef GICSIM_QTEST_H
#define GICSIM_QTEST_H

#include "platform.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct qtest_opts {
    FILE *record;     /* if set, every command that reached the GIC is written here (docs/cli.md, --record) */
    bool extensions;  /* gicsim run: script syntax (comments, any blanks) and gicsim's extension commands */
    bool verbose;     /* report bus errors and each command's settle cycles on stderr */
    const char *name; /* input name for diagnostics */
};

struct qtest_stats {
    unsigned long commands;        /* lines that got a response */
    unsigned long failures;        /* FAIL responses of any kind */
    unsigned long expect_failures; /* `expect` that did not hold (gicsim run) */
    unsigned long bad_lines;       /* malformed or unknown commands */
    unsigned long line_no;         /* input line being executed (1-based) */
    uint64_t last_value;           /* value of the last read, for `expect` */
    int last_status;               /* GIC status of the last read (GIC_E_UNDEF for an UNDEFINED MRS) */
    unsigned long last_line;       /* line of the last read */
    char last_cmd[96];             /* text of the last read */
};

/* What qtest_line() made of a line. */
enum qtest_result { QT_OK, QT_NONE, QT_FAIL, QT_BAD, QT_CHECK };

/* What ended a session. */
enum { QTEST_DONE = 0, QTEST_READ_ERROR = -1, QTEST_WRITE_ERROR = -2 };
/* Reads commands from the file descriptor `in_fd` until its end and writes one response line per
 * command to `out` (flushed whenever the input has nothing more buffered, so a peer that waits for
 * each response is never stalled). With extensions, stops at the first malformed line. Returns
 * QTEST_DONE, or QTEST_READ_ERROR / QTEST_WRITE_ERROR (errno says why) when the input could not be
 * read or `out` not written: the session stops there. */
int qtest_session(struct platform *p, int in_fd, FILE *out, const struct qtest_opts *o, struct qtest_stats *st);
/* Executes one line (without its newline). Writes the response (no newline) into resp; QT_NONE
 * (comment or blank line in a script) writes nothing. QT_BAD: malformed or unknown command;
 * QT_FAIL: a well-formed command that failed; QT_CHECK: an `expect` that did not hold. */
enum qtest_result qtest_line(struct platform *p, char *line, char *resp, size_t resp_len, const struct qtest_opts *o,
                             struct qtest_stats *st);

#endif
