/* commands.h: the gicsim subcommands and their shared helpers. */
#ifndef GICSIM_COMMANDS_H
#define GICSIM_COMMANDS_H

#include "gicsim/gic.h"

#ifndef GICSIM_VERSION
#error "GICSIM_VERSION comes from the build (CMake's project VERSION, tools/CMakeLists.txt)"
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

int cmd_demo(int argc, char **argv);
int cmd_qtest(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_replay(int argc, char **argv); /* cmd_replay.c */
int cmd_bench(int argc, char **argv); /* tools/bench/bench_cli.cpp */
int cmd_sweep(int argc, char **argv);

#endif
