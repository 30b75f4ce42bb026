/* stubs.c: the few functions of tools/gicsim.c (main's error reporting) that the front ends under fuzzing call:
 * the same contract (one line on stderr, the exit status returned), without the rest of the program. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gicsim: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 2;
}

int write_error(const char *name, int err)
{
    fprintf(stderr, "gicsim: cannot write %s: %s\n", name, strerror(err));
    return 2;
}

const char *fd_name(int fd, const char *dflt, char *buf, unsigned long size)
{
    (void)fd;
    (void)buf;
    (void)size;
    return dflt;
}

int finish_stdout(void) { return fflush(stdout) == 0 ? 0 : 2; }
