/* gicsim.c: the gicsim command-line program: subcommand dispatch. */
#define _DEFAULT_SOURCE /* readlink */
#include "commands.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gicsim: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs(" (try --help)\n", stderr);
    va_end(ap);
    return EXIT_USAGE;
}

const char *fd_name(int fd, const char *dflt, char *buf, unsigned long size)
{
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = size ? readlink(link, buf, size - 1) : -1;
    if (n <= 0 || buf[0] != '/') return dflt;  /* a pipe or socket ("pipe:[..]"): no path to name */
    buf[n] = 0;
    return buf;
}

static int output_error_reported;

int write_error(const char *name, int err)
{
    output_error_reported = 1;
    fprintf(stderr, "gicsim: cannot write %s: %s\n", name, strerror(err ? err : EIO));
    return EXIT_USAGE;
}

static int stdout_reported;

/* Every write to standard output is checked here, once, at the end of the command (a full device,
 * a closed pipe, a quota: exit 2 with one line, never 0). */
int finish_stdout(void)
{
    if (stdout_reported) return EXIT_USAGE;
    errno = 0;
    int bad = fflush(stdout) != 0;
    int err = errno;
    if (!bad && !ferror(stdout)) return EXIT_OK;
    stdout_reported = 1;
    if (output_error_reported) return EXIT_USAGE;  /* one line per failed command */
    char buf[4096];
    return write_error(fd_name(1, "standard output", buf, sizeof buf), bad ? err : 0);
}

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
    printf("usage: gicsim COMMAND [options]\n\ngicsim %s: cycle-level simulator of the Arm GIC and its CPU interfaces.\n\n"
           "commands:\n", GICSIM_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) printf("  %-8s %s\n", commands[i].name, commands[i].help);
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
