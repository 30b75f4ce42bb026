/* commands.h: the gicsim subcommands and their shared helpers. */
#ifndef GICSIM_COMMANDS_H
#define GICSIM_COMMANDS_H

#include "gicsim/gic.h"

#ifndef GICSIM_VERSION
#error "GICSIM_VERSION comes from the build (CMake's project VERSION, tools/CMakeLists.txt)"
#endif

#include "cli_errors.h"

#ifdef __cplusplus
extern "C" {
#endif

int cmd_demo(int argc, char **argv);
int cmd_qtest(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_replay(int argc, char **argv); /* cmd_replay.c */
int cmd_bench(int argc, char **argv);  /* tools/bench/bench_cli.cpp */
int cmd_sweep(int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif
