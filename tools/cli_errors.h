/* cli_errors.h: exit statuses and error reporting shared by every gicsim command (cli_errors.c; docs/cli.md,
 * "Limits and exit statuses"). */
#ifndef GICSIM_CLI_ERRORS_H
#define GICSIM_CLI_ERRORS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Exit codes (docs/cli.md, "Limits and exit statuses"). */
enum { EXIT_OK = 0, EXIT_CHECK = 1, EXIT_USAGE = 2 };

/* Prints "gicsim: <message> (try --help)" on stderr and returns EXIT_USAGE. */
int usage_error(const char *fmt, ...);

/* The name of what fd refers to (its path, e.g. "/dev/full", from /proc/self/fd), or dflt. */
const char *fd_name(int fd, const char *dflt, char *buf, unsigned long size);
/* Prints "gicsim: cannot write NAME: REASON" on stderr (once for standard output) and returns EXIT_USAGE. */
int write_error(const char *name, int err);
/* Flushes standard output; on a write error (now or earlier) prints one line, once, and returns EXIT_USAGE,
 * else EXIT_OK. */
int finish_stdout(void);

#ifdef __cplusplus
}
#endif

#endif
