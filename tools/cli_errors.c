/* cli_errors.c: how every gicsim command reports bad usage and failed output (docs/cli.md, "Limits and exit
 * statuses"): one line on standard error and exit status 2. Shared by the program and the fuzz targets. */
#define _DEFAULT_SOURCE /* readlink */
#include "cli_errors.h"

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
    if (n <= 0 || buf[0] != '/') return dflt; /* a pipe or socket ("pipe:[..]"): no path to name */
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
    if (output_error_reported) return EXIT_USAGE; /* one line per failed command */
    char buf[4096];
    return write_error(fd_name(1, "standard output", buf, sizeof buf), bad ? err : 0);
}
