/* qtest.c: the qtest command interpreter: readX/writeX/set_irq_in as QEMU answers them, FAIL on malformed lines. */
#include "qtest.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 8

/* C-style unsigned number (0x hex, leading-0 octal, decimal), as QEMU's qemu_strtou64(.., 0). */
static bool parse_u64(const char *s, uint64_t *v)
{
    char *end;
    if (!s || !*s || *s == '-') return false;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || *end) return false;
    *v = x;
    return true;
}

static bool parse_i64(const char *s, int64_t *v)
{
    char *end;
    if (!s || !*s) return false;
    errno = 0;
    long long x = strtoll(s, &end, 0);
    if (errno || *end) return false;
    *v = x;
    return true;
}

static unsigned split(char *line, char **w)
{
    unsigned n = 0;
    for (char *t = strtok(line, " \t\r\n"); t && n < MAX_WORDS; t = strtok(NULL, " \t\r\n")) w[n++] = t;
    return n;
}

static unsigned access_size(const char *cmd, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(cmd, prefix, n) || strlen(cmd) != n + 1) return 0;
    switch (cmd[n]) {
    case 'b': return 1;
    case 'w': return 2;
    case 'l': return 4;
    case 'q': return 8;
    default: return 0;
    }
}

static bool fail(char *resp, size_t len, struct qtest_stats *st, const char *fmt, const char *arg)
{
    int k = snprintf(resp, len, "FAIL ");
    snprintf(resp + k, len - (size_t)k, fmt, arg);
    st->failures++;
    return true;
}

/* ---------------- gicsim's script extensions (gicsim run; docs/cli.md) ---------------- */
static const char *const out_names = "irq=1 fiq=2 virq=4 vfiq=8 maint=16";

static bool parse_cpu(const struct platform *p, const char *s, unsigned *cpu)
{
    uint64_t v;
    if (!parse_u64(s, &v) || v >= p->smp) return false;
    *cpu = (unsigned)v;
    return true;
}

/* rd NAME [CPU] / wr NAME VALUE [CPU]: a register by its spec name; CPU is the requesting CPU
 * (banked frames, system registers) or the redistributor (GICR). */
static bool named_access(struct platform *p, char **w, unsigned n, bool write, char *resp, size_t len,
                         const struct qtest_opts *o, struct qtest_stats *st)
{
    enum gic_frame f;
    uint32_t off;
    unsigned width, cpu = p->cpu;
    uint64_t v = 0;
    unsigned need = write ? 3 : 2;
    if (n < need) return fail(resp, len, st, "%s: expected a register name", w[0]);
    if (gic_reg_lookup(p->gic, w[1], &f, &off, &width) != GIC_OK)
        return fail(resp, len, st, "no register '%s' in this GIC", w[1]);
    if (write && !parse_u64(w[2], &v)) return fail(resp, len, st, "%s: bad value", w[0]);
    if (n > need && !parse_cpu(p, w[need], &cpu)) return fail(resp, len, st, "no CPU '%s'", w[need]);
    unsigned size = width / 8;
    int rc = write ? gic_write(p->gic, f, cpu, off, size, v) : gic_read(p->gic, f, cpu, off, size, &v);
    p->settle_cycles = platform_settle(p);
    if (rc == GIC_E_UNDEF) return fail(resp, len, st, "%s: UNDEFINED", w[1]);
    if (rc != GIC_OK) return fail(resp, len, st, "%s: bus error", w[1]);
    uint64_t addr;
    if (o->record && platform_address(p, f, cpu, off, &addr)) {
        static const char sz[] = { 0, 'b', 'w', 0, 'l', 0, 0, 0, 'q' };
        if (write) fprintf(o->record, "write%c 0x%" PRIx64 " 0x%" PRIx64 "\n", sz[size], addr, v);
        else fprintf(o->record, "read%c 0x%" PRIx64 "\n", sz[size], addr);
    }
    if (write) {
        snprintf(resp, len, "OK");
    } else {
        st->last_value = v;
        snprintf(resp, len, "OK 0x%016" PRIx64, v);
    }
    return false;
}

static bool extension(struct platform *p, char **w, unsigned n, char *resp, size_t len, const struct qtest_opts *o,
                      struct qtest_stats *st)
{
    uint64_t v, v2;
    unsigned cpu;
    if (!strcmp(w[0], "rd") || !strcmp(w[0], "mrs")) return named_access(p, w, n, false, resp, len, o, st);
    if (!strcmp(w[0], "wr") || !strcmp(w[0], "msr")) return named_access(p, w, n, true, resp, len, o, st);
    if (!strcmp(w[0], "cpu")) {
        if (n < 2 || !parse_cpu(p, w[1], &cpu)) return fail(resp, len, st, "%scpu: expected a CPU number", "");
        p->cpu = cpu;
        snprintf(resp, len, "OK");
    } else if (!strcmp(w[0], "step")) {
        if (n < 2 || !parse_u64(w[1], &v) || v > (1ull << 40)) return fail(resp, len, st, "%sstep: expected a cycle count", "");
        gic_step(p->gic, v);
        snprintf(resp, len, "OK %llu", (unsigned long long)gic_now(p->gic));
    } else if (!strcmp(w[0], "expect")) {
        if (n < 2 || !parse_u64(w[1], &v)) return fail(resp, len, st, "%sexpect: expected a value", "");
        if (v != st->last_value) {
            snprintf(resp, len, "FAIL expected 0x%" PRIx64 ", got 0x%" PRIx64, v, st->last_value);
            st->expect_failures++;
            return true;
        }
        snprintf(resp, len, "OK");
    } else if (!strcmp(w[0], "outputs")) {
        if (n < 2 || !parse_cpu(p, w[1], &cpu)) return fail(resp, len, st, "outputs: expected a CPU (%s)", out_names);
        st->last_value = gic_outputs(p->gic, cpu);
        snprintf(resp, len, "OK 0x%016" PRIx64, st->last_value);
    } else if (!strcmp(w[0], "spi")) {
        if (n < 3 || !parse_u64(w[1], &v) || !parse_u64(w[2], &v2) || gic_set_spi(p->gic, (uint32_t)v, v2 != 0) != GIC_OK)
            return fail(resp, len, st, "%sspi: expected INTID LEVEL", "");
        platform_settle(p);
        snprintf(resp, len, "OK");
    } else if (!strcmp(w[0], "ppi")) {
        if (n < 4 || !parse_cpu(p, w[1], &cpu) || !parse_u64(w[2], &v) || !parse_u64(w[3], &v2) ||
            gic_set_ppi(p->gic, cpu, (uint32_t)v, v2 != 0) != GIC_OK)
            return fail(resp, len, st, "%sppi: expected CPU INTID LEVEL", "");
        platform_settle(p);
        snprintf(resp, len, "OK");
    } else {
        return fail(resp, len, st, "Unknown command '%s'", w[0]);
    }
    return false;
}

bool qtest_line(struct platform *p, char *line, char *resp, size_t len, const struct qtest_opts *o,
                struct qtest_stats *st)
{
    char *w[MAX_WORDS];
    char copy[512];
    snprintf(copy, sizeof copy, "%s", line);
    copy[strcspn(copy, "\r\n")] = 0;
    unsigned n = split(line, w);
    st->commands++;
    if (n == 0) return fail(resp, len, st, "%sempty command", "");
    unsigned size;
    uint64_t addr, val = 0;
    if ((size = access_size(w[0], "read"))) {
        if (n < 2 || !parse_u64(w[1], &addr)) return fail(resp, len, st, "%s: expected an address", w[0]);
        int rc = platform_access(p, addr, size, false, 0, &val);
        if (rc != GIC_OK && o->verbose) fprintf(stderr, "gicsim: %s: %s\n", copy, gic_strerror(rc));
        st->last_value = val;
        snprintf(resp, len, "OK 0x%016" PRIx64, val);
    } else if ((size = access_size(w[0], "write"))) {
        if (n < 3 || !parse_u64(w[1], &addr)) return fail(resp, len, st, "%s: expected an address and a value", w[0]);
        if (!parse_u64(w[2], &val)) return fail(resp, len, st, "%s: bad value", w[0]);
        if (size < 8) val &= (1ull << (8 * size)) - 1;
        int rc = platform_access(p, addr, size, true, val, NULL);
        if (rc != GIC_OK && o->verbose) fprintf(stderr, "gicsim: %s: %s\n", copy, gic_strerror(rc));
        snprintf(resp, len, "OK");
    } else if (!strcmp(w[0], "set_irq_in")) {
        char want[64];
        int64_t level;
        uint64_t line_no;
        snprintf(want, sizeof want, "/machine/unattached/device[%u]", p->smp);
        if (n < 5) return fail(resp, len, st, "%sset_irq_in: expected QOMPATH NAME N LEVEL", "");
        if (strcmp(w[1], want)) return fail(resp, len, st, "set_irq_in: no GIC at '%s'", w[1]);
        if (strcmp(w[2], "unnamed-gpio-in")) return fail(resp, len, st, "set_irq_in: no input named '%s'", w[2]);
        if (!parse_u64(w[3], &line_no) || line_no >= platform_num_irqs(p))
            return fail(resp, len, st, "set_irq_in: no input line %s", w[3]);
        if (!parse_i64(w[4], &level)) return fail(resp, len, st, "set_irq_in: bad level '%s'", w[4]);
        if (platform_set_irq(p, line_no, level != 0) != GIC_OK)
            return fail(resp, len, st, "set_irq_in: line %s is driven inside the GIC", w[3]);
        snprintf(resp, len, "OK");
    } else if (o->extensions) {
        return extension(p, w, n, resp, len, o, st);
    } else {
        return fail(resp, len, st, "Unknown command '%s'", w[0]);
    }
    if (o->record) fprintf(o->record, "%s\n", copy);
    if (o->verbose) fprintf(stderr, "gicsim: %-48s settled in %llu cycles\n", copy, (unsigned long long)p->settle_cycles);
    return false;
}

void qtest_session(struct platform *p, FILE *in, FILE *out, const struct qtest_opts *o, struct qtest_stats *st)
{
    char line[4096], resp[256];
    while (fgets(line, sizeof line, in)) {
        size_t l = strlen(line);
        if (l == sizeof line - 1 && line[l - 1] != '\n') {
            int c;
            while ((c = fgetc(in)) != EOF && c != '\n') {}
            st->commands++;
            st->failures++;
            fputs("FAIL line too long\n", out);
            fflush(out);
            continue;
        }
        if (o->extensions) { /* scripts: comments and blank lines take no response */
            const char *t = line + strspn(line, " \t");
            if (*t == '#' || *t == '\n' || *t == '\r' || *t == 0) continue;
        }
        qtest_line(p, line, resp, sizeof resp, o, st);
        fputs(resp, out);
        fputc('\n', out);
        fflush(out);
    }
}
