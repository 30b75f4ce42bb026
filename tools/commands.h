/* commands.h: the gicsim subcommands and their shared helpers. */
#ifndef GICSIM_COMMANDS_H
#define GICSIM_COMMANDS_H

#include "gicsim/gic.h"

#define GICSIM_VERSION "0.1.0"

/* Exit codes fixed by INTERFACES.md 1. */
enum { EXIT_OK = 0, EXIT_CHECK = 1, EXIT_USAGE = 2 };

/* Prints "gicsim: <message> (try --help)" on stderr and returns EXIT_USAGE. */
int usage_error(const char *fmt, ...);

int cmd_demo(int argc, char **argv);
int cmd_qtest(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_replay(int argc, char **argv); /* cmd_replay.c */
int cmd_bench(int argc, char **argv); /* tools/bench/bench_cli.cpp */
int cmd_sweep(int argc, char **argv);

#endif
