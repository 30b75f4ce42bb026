/* gicsim.c: the gicsim command-line program: subcommand dispatch. */
#include "commands.h"

#include <stdio.h>
#include <string.h>

/* ---------------- dispatch ---------------- */
static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} commands[] = {
    { "demo", cmd_demo, "drive a hardware-mapped interrupt through SPEND, acknowledge and deactivation" },
    { "qtest", cmd_qtest, "speak QEMU's qtest protocol on stdin/stdout (virt-gicv2, virt-gicv3)" },
    { "run", cmd_run, "run a qtest script file with gicsim's extensions (expect, step, sysreg accesses)" },
    { "replay", cmd_replay, "replay a QEMU trace of real software's GIC traffic, check every value, time it" },
    { "bench", cmd_bench, "SPEND/CPEND latency benchmark of hardware-mapped interrupts (lazy/eager/none, v2/v3)" },
    { "sweep", cmd_sweep, "run the benchmark over a parameter grid: one CSV and an HTML page of SVG plots" },
};

static void print_help(void)
{
    printf(
        "usage: gicsim COMMAND [options]\n\ngicsim %s: cycle-level simulator of the Arm GIC and its CPU interfaces.\n\n"
        "commands:\n",
        GICSIM_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        printf("  %-8s %s\n", commands[i].name, commands[i].help);
    puts("\nEvery command takes --help. Exit status: 0 success, 1 a check failed, 2 bad usage or input.");
}

int main(int argc, char **argv)
{
    int rc;
    if (argc < 2) {
        print_help();
        rc = EXIT_USAGE;
    } else if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        print_help();
        rc = EXIT_OK;
    } else if (!strcmp(argv[1], "--version")) {
        printf("gicsim %s\n", GICSIM_VERSION);
        rc = EXIT_OK;
    } else {
        rc = -1;
        for (size_t i = 0; i < sizeof commands / sizeof commands[0] && rc < 0; i++)
            if (!strcmp(argv[1], commands[i].name)) rc = commands[i].fn(argc - 2, argv + 2);
        if (rc < 0) rc = usage_error("unknown command '%s'", argv[1]);
    }
    /* Output that did not reach standard output is a failure, whatever the command concluded. */
    if (finish_stdout() != EXIT_OK) return EXIT_USAGE;
    return rc;
}
