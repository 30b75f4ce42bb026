/* progress.c: the progress line of long runs on a terminal's standard error (progress.h). */
#define _POSIX_C_SOURCE 200809L
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void progress_start(struct progress *p, const char *what, const char *unit, bool quiet)
{
    p->what = what;
    p->unit = unit;
    p->t0 = p->last = now_s();
    p->on = !quiet && isatty(STDERR_FILENO);
    p->drawn = false;
    p->after = PROGRESS_AFTER_S;
    const char *env = getenv("GICSIM_PROGRESS_AFTER");
    if (env && *env) {
        char *end;
        double v = strtod(env, &end);
        if (!*end && v >= 0 && v <= 3600) p->after = v; /* anything else: the default */
    }
}

/* "12 s", "3 min 5 s", "2 h 10 min". */
static void span(char *buf, size_t len, double s)
{
    unsigned long t = s < 0 ? 0 : (unsigned long)(s + 0.5);
    if (t < 60) snprintf(buf, len, "%lu s", t);
    else if (t < 3600) snprintf(buf, len, "%lu min %lu s", t / 60, t % 60);
    else snprintf(buf, len, "%lu h %lu min", t / 3600, t % 3600 / 60);
}

/* "0.42", "37", "12.5 k", "2.3 M". */
static void amount(char *buf, size_t len, double v)
{
    if (v < 10) snprintf(buf, len, "%.2f", v);
    else if (v < 1e3) snprintf(buf, len, "%.0f", v);
    else if (v < 1e6) snprintf(buf, len, "%.1f k", v / 1e3);
    else snprintf(buf, len, "%.1f M", v / 1e6);
}

static void draw(struct progress *p, uint64_t done, uint64_t total, double el, bool final)
{
    enum { W = 24 };
    static const char bar[W + 1] = "########################";
    int f = total ? (int)((double)W * (double)(done > total ? total : done) / (double)total) : W;
    double rate = el > 0 ? (double)done / el : 0;
    char spent[32], left[48] = "", r[32];
    span(spent, sizeof spent, el);
    amount(r, sizeof r, rate);
    if (!final && rate > 0 && done < total) {
        char l[32];
        span(l, sizeof l, (double)(total - done) / rate);
        snprintf(left, sizeof left, ", about %s left", l);
    }
    /* \r and erase to the end of the line: the line is redrawn in place. */
    fprintf(stderr, "\r%s [%.*s%*s] %llu/%llu %s, %s %s/s, %s%s\033[K", p->what, f, bar, W - f, "",
            (unsigned long long)done, (unsigned long long)total, p->unit, r, p->unit, spent, left);
    if (final) fputc('\n', stderr);
    fflush(stderr);
    p->drawn = true;
}

void progress_update(struct progress *p, uint64_t done, uint64_t total)
{
    if (!p->on) return;
    double t = now_s(), el = t - p->t0;
    if (el < p->after || (p->drawn && t - p->last < 0.2)) return;
    p->last = t;
    draw(p, done, total, el, false);
}

void progress_end(struct progress *p, uint64_t done, uint64_t total)
{
    if (!p->on || !p->drawn) return;
    draw(p, done, total, now_s() - p->t0, true);
}
