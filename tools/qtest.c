/* qtest.c: the qtest command interpreter (QEMU's text protocol, docs/cli.md "gicsim qtest") and gicsim's script extensions. */
#define _POSIX_C_SOURCE 200809L
#include "qtest.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_WORDS 16
#define MAX_LINE 4096

/* ---------------- numbers and words ---------------- */

/* An unsigned number as QEMU's qtest reads it (strtoull base 0: 0x hex, leading-0 octal, decimal;
 * a leading '-' wraps modulo 2^64). The whole word must be the number. */
static bool parse_u64(const char *s, uint64_t *v)
{
    char *end;
    if (!s || !*s || isspace((unsigned char)*s)) return false;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || end == s || *end) return false;
    *v = x;
    return true;
}

/* A C int (QEMU reads set_irq_in's line number and level as int). */
static bool parse_int(const char *s, int *v)
{
    char *end;
    if (!s || !*s || isspace((unsigned char)*s)) return false;
    errno = 0;
    long x = strtol(s, &end, 0);
    if (errno || end == s || *end || x < INT_MIN || x > INT_MAX) return false;
    *v = (int)x;
    return true;
}

/* qtest: QEMU splits a line at every single space, so "a  b" has an empty word between a and b
 * and a leading space makes an empty command word. Scripts: any run of blanks separates words.
 * Words beyond MAX_WORDS are dropped (QEMU ignores extra operands too). */
static unsigned split(char *line, char **w, bool script)
{
    unsigned n = 0;
    if (script) {
        for (char *t = strtok(line, " \t"); t && n < MAX_WORDS; t = strtok(NULL, " \t")) w[n++] = t;
        return n;
    }
    char *s = line;
    for (;;) {
        if (n < MAX_WORDS) w[n++] = s;
        char *sp = strchr(s, ' ');
        if (!sp) break;
        *sp = 0;
        s = sp + 1;
    }
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

static char size_letter(unsigned size) { return size == 1 ? 'b' : size == 2 ? 'w' : size == 4 ? 'l' : 'q'; }

/* ---------------- responses ---------------- */
struct ctx {
    struct platform *p;
    const struct qtest_opts *o;
    struct qtest_stats *st;
    char *resp;
    size_t len;
};

static enum qtest_result respond(struct ctx *c, enum qtest_result r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->resp, c->len, fmt, ap);
    va_end(ap);
    if (r == QT_FAIL || r == QT_BAD || r == QT_CHECK) c->st->failures++;
    if (r == QT_BAD) c->st->bad_lines++;
    if (r == QT_CHECK) c->st->expect_failures++;
    return r;
}

/* A command refused at the end of time (gic.h GIC_CYCLE_LIMIT): nothing later can happen, so a
 * script stops there (exit status 2), like at a malformed line. */
static enum qtest_result time_up(struct ctx *c, const char *what)
{
    return respond(c, QT_BAD, "FAIL %s: %s", what, gic_strerror(GIC_E_TIME));
}

/* Response and bookkeeping of a read. */
static enum qtest_result read_done(struct ctx *c, uint64_t v, int status, const char *text)
{
    struct qtest_stats *st = c->st;
    st->last_value = v;
    st->last_status = status;
    st->last_line = st->line_no;
    /* last_cmd names the read in a failed expect's message: its first characters are enough */
    size_t n = strnlen(text, sizeof st->last_cmd - 1);
    memcpy(st->last_cmd, text, n);
    st->last_cmd[n] = 0;
    if (status == GIC_E_UNDEF) return respond(c, QT_FAIL, "FAIL UNDEFINED");
    return respond(c, QT_OK, "OK 0x%016" PRIx64, v);
}

static void record(struct ctx *c, const char *fmt, ...)
{
    if (!c->o->record) return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(c->o->record, fmt, ap);
    va_end(ap);
    fputc('\n', c->o->record);
}

static void verbose_access(struct ctx *c, const char *cmd, int rc)
{
    if (!c->o->verbose) return;
    if (rc != GIC_OK) fprintf(stderr, "gicsim: %s:%lu: %s: %s\n", c->o->name, c->st->line_no, cmd, gic_strerror(rc));
    fprintf(stderr, "gicsim: %s:%lu: %-44s settled in %llu cycles\n", c->o->name, c->st->line_no, cmd,
            (unsigned long long)c->p->settle_cycles);
}

/* ---------------- qtest commands ---------------- */
static enum qtest_result cmd_read(struct ctx *c, char **w, unsigned n, unsigned size)
{
    uint64_t addr, v = 0;
    if (n < 2) return respond(c, QT_BAD, "FAIL %s: expected an address", w[0]);
    if (!parse_u64(w[1], &addr)) return respond(c, QT_BAD, "FAIL %s: bad address '%s'", w[0], w[1]);
    int rc = platform_access(c->p, addr, size, false, 0, &v);
    if (rc == GIC_E_TIME) return time_up(c, w[0]);
    char text[64];
    snprintf(text, sizeof text, "read%c 0x%" PRIx64, size_letter(size), addr);
    record(c, "%s", text);
    verbose_access(c, text, rc);
    return read_done(c, v, GIC_OK, text);
}

static enum qtest_result cmd_write(struct ctx *c, char **w, unsigned n, unsigned size)
{
    uint64_t addr, v;
    if (n < 3) return respond(c, QT_BAD, "FAIL %s: expected an address and a value", w[0]);
    if (!parse_u64(w[1], &addr)) return respond(c, QT_BAD, "FAIL %s: bad address '%s'", w[0], w[1]);
    if (!parse_u64(w[2], &v)) return respond(c, QT_BAD, "FAIL %s: bad value '%s'", w[0], w[2]);
    if (size < 8) v &= (1ull << (8 * size)) - 1; /* the bus carries `size` bytes, as in QEMU */
    int rc = platform_access(c->p, addr, size, true, v, NULL);
    if (rc == GIC_E_TIME) return time_up(c, w[0]);
    char text[80];
    snprintf(text, sizeof text, "write%c 0x%" PRIx64 " 0x%" PRIx64, size_letter(size), addr, v);
    record(c, "%s", text);
    verbose_access(c, text, rc);
    return respond(c, QT_OK, "OK");
}

/* Drive GPIO input `gpio` of the GIC (QEMU's numbering) to `level`, with the checks and answers of set_irq_in. */
static enum qtest_result drive_gpio(struct ctx *c, uint64_t gpio, int level)
{
    unsigned cpu, intid;
    if (!platform_gpio_decode(c->p, gpio, &cpu, &intid))
        return respond(c, QT_BAD, "FAIL set_irq_in: the GIC has no input line %" PRIu64 " (0..%" PRIu64 ")", gpio,
                       platform_num_irqs(c->p) - 1);
    if (intid < 16)
        return respond(c, QT_BAD,
                       "FAIL set_irq_in: line %" PRIu64 " would be SGI %u of CPU %u; SGIs have no input line", gpio,
                       intid, cpu);
    int rc = platform_set_irq(c->p, gpio, level != 0);
    if (rc == GIC_E_TIME) return time_up(c, "set_irq_in");
    if (rc != GIC_OK) return respond(c, QT_FAIL, "FAIL set_irq_in: %s", gic_strerror(rc));
    record(c, "set_irq_in /machine/unattached/device[%u] unnamed-gpio-in %" PRIu64 " %d", c->p->smp, gpio, level);
    if (c->o->verbose) {
        char text[64];
        snprintf(text, sizeof text, "set_irq_in %" PRIu64 " %d", gpio, level);
        verbose_access(c, text, GIC_OK);
    }
    return respond(c, QT_OK, "OK");
}

static enum qtest_result cmd_set_irq_in(struct ctx *c, char **w, unsigned n)
{
    char want[64];
    int line_no, level;
    if (n < 5) return respond(c, QT_BAD, "FAIL set_irq_in: expected QOMPATH NAME N LEVEL");
    snprintf(want, sizeof want, "/machine/unattached/device[%u]", c->p->smp);
    /* QEMU looks the path up first; gicsim's board has one device, the GIC. */
    if (strcmp(w[1], want)) return respond(c, QT_BAD, "FAIL Unknown device");
    if (strcmp(w[2], "unnamed-gpio-in"))
        return respond(c, QT_BAD, "FAIL set_irq_in: the GIC has no input named '%s' (unnamed-gpio-in)", w[2]);
    if (!parse_int(w[3], &line_no)) return respond(c, QT_BAD, "FAIL set_irq_in: bad line number '%s'", w[3]);
    if (!parse_int(w[4], &level)) return respond(c, QT_BAD, "FAIL set_irq_in: bad level '%s'", w[4]);
    if (line_no < 0) return respond(c, QT_BAD, "FAIL set_irq_in: the GIC has no input line %d", line_no);
    return drive_gpio(c, (uint64_t)line_no, level);
}

/* ---------------- gicsim's script extensions (gicsim run; docs/cli.md) ---------------- */
static bool parse_cpu(const struct platform *p, const char *s, unsigned *cpu)
{
    uint64_t v;
    if (!parse_u64(s, &v) || v >= p->smp) return false;
    *cpu = (unsigned)v;
    return true;
}

/* A decimal number of `len` characters at s: digits only, at most `max` (no wrapping). */
static bool parse_index(const char *s, size_t len, unsigned max, unsigned *v)
{
    unsigned long x = 0;
    if (len == 0) return false;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i])) return false;
        x = x * 10 + (unsigned long)(s[i] - '0');
        if (x > max) return false;
    }
    *v = (unsigned)x;
    return true;
}

/* S<op0>_<op1>_C<n>_C<m>_<op2> (c or C), each field digits only and in range. */
static bool parse_sysreg(const char *s, unsigned *op0, unsigned *op1, unsigned *crn, unsigned *crm, unsigned *op2)
{
    unsigned *fld[5] = { op0, op1, crn, crm, op2 };
    static const unsigned max[5] = { 3, 7, 15, 15, 7 };
    if (*s != 'S' && *s != 's') return false;
    s++;
    for (unsigned i = 0; i < 5; i++) {
        if (i == 2 || i == 3) {
            if (*s != 'C' && *s != 'c') return false;
            s++;
        }
        size_t len = strspn(s, "0123456789");
        if (!parse_index(s, len, max[i], fld[i])) return false;
        s += len;
        if (i < 4 && *s++ != '_') return false;
    }
    return *s == 0;
}

/* A register named by its spec name (GICD_ISENABLER1, ICC_IAR1_EL1, ICH_LR3_EL2, ICV_IAR1_EL1) or a
 * system register by its encoding S<op0>_<op1>_C<n>_C<m>_<op2> (ICC_/ICH_ view; "v:" before it
 * selects the ICV_ view). */
static bool lookup(const struct platform *p, const char *name, enum gic_frame *f, uint32_t *off, unsigned *width)
{
    bool virt = false;
    unsigned op0, op1, crn, crm, op2;
    if (!strncmp(name, "v:", 2) || !strncmp(name, "V:", 2)) {
        virt = true;
        name += 2;
    }
    if ((name[0] == 'S' || name[0] == 's') && isdigit((unsigned char)name[1])) {
        if (!parse_sysreg(name, &op0, &op1, &crn, &crm, &op2) || op0 != 3) return false;
        if (p->preset != PRESET_VIRT_GICV3) return false;
        *f = virt ? GIC_FRAME_VSYSREG : GIC_FRAME_SYSREG;
        *off = GIC_SYSREG_ENC(op0, op1, crn, crm, op2);
        *width = 64;
        return true;
    }
    if (virt) return false;
    if (!strncmp(name, "ICV_", 4)) {
        char icc[64];
        snprintf(icc, sizeof icc, "ICC_%s", name + 4);
        if (gic_reg_lookup(p->gic, icc, f, off, width) != GIC_OK || *f != GIC_FRAME_SYSREG) return false;
        *f = GIC_FRAME_VSYSREG;
        return true;
    }
    /* The spec numbers GICD_IROUTER<n> by INTID (offset 0x6000 + 8n, n >= 32); the register map's
     * array starts at INTID 32, so the name is resolved here. */
    unsigned intid;
    if (!strncmp(name, "GICD_IROUTER", 12) && isdigit((unsigned char)name[12])) {
        if (!parse_index(name + 12, strlen(name + 12), 1023, &intid)) return false;
        if (p->preset != PRESET_VIRT_GICV3 || intid < 32 || intid >= 32 + gic_get_config(p->gic)->num_spis)
            return false;
        *f = GIC_FRAME_GICD;
        *off = 0x6000u + 8u * intid;
        *width = 64;
        return true;
    }
    return gic_reg_lookup(p->gic, name, f, off, width) == GIC_OK;
}

/* rd/mrs NAME [CPU], wr/msr NAME VALUE [CPU]. CPU: the requesting CPU (banked frames, system
 * registers) or the redistributor (GICR_*); default: the one `cpu` selected. GITS_TRANSLATER takes a DeviceID. */
static enum qtest_result cmd_named(struct ctx *c, char **w, unsigned n, bool write)
{
    struct platform *p = c->p;
    enum gic_frame f;
    uint32_t off;
    unsigned width, cpu = p->cpu;
    uint64_t v = 0, v2, addr;
    unsigned need = write ? 3 : 2;
    if (n < need) return respond(c, QT_BAD, "FAIL %s: expected a register name%s", w[0], write ? " and a value" : "");
    if (!lookup(p, w[1], &f, &off, &width))
        return respond(c, QT_BAD, "FAIL %s: no register '%s' in %s", w[0], w[1], p->machine);
    if (write && !parse_u64(w[2], &v)) return respond(c, QT_BAD, "FAIL %s: bad value '%s'", w[0], w[2]);
    /* GITS_TRANSLATER: the operand is the writer's DeviceID (docs/lpi.md), 0 by default as in qtest. */
    bool devid = f == GIC_FRAME_GITS_TR;
    if (devid) cpu = 0;
    if (n > need && devid && (!parse_u64(w[need], &v2) || v2 > 0xffff))
        return respond(c, QT_BAD, "FAIL %s: no DeviceID '%s' (0..65535)", w[0], w[need]);
    if (n > need && devid) cpu = (unsigned)v2;
    else if (n > need && !parse_cpu(p, w[need], &cpu))
        return respond(c, QT_BAD, "FAIL %s: no CPU '%s' (0..%u)", w[0], w[need], p->smp - 1);
    if (n > need + 1) return respond(c, QT_BAD, "FAIL %s: unexpected operand '%s'", w[0], w[need + 1]);
    unsigned size = width / 8;
    if (size < 8) v &= (1ull << (8 * size)) - 1;
    bool sys = f == GIC_FRAME_SYSREG || f == GIC_FRAME_VSYSREG;
    int rc = write ? platform_write(p, f, cpu, off, size, v) : platform_read(p, f, cpu, off, size, &v);
    p->settle_cycles = platform_settle(p);
    if (rc == GIC_E_TIME) return time_up(c, w[1]);
    /* The recorded line: room for any name a script line can hold (found by fuzzing: a long spelling of a
     * system register, e.g. with leading zeros, was cut short and the record did not replay). */
    char text[MAX_LINE + 64];
    /* Record in qtest form when the access is one a qtest line makes (a CPU-0-equivalent MMIO access). */
    bool banked = f == GIC_FRAME_GICD || f == GIC_FRAME_GICC || f == GIC_FRAME_GICH || f == GIC_FRAME_GICV;
    if (!sys && (!banked || cpu == p->cpu) && platform_address(p, f, cpu, off, &addr)) {
        if (write) snprintf(text, sizeof text, "write%c 0x%" PRIx64 " 0x%" PRIx64, size_letter(size), addr, v);
        else snprintf(text, sizeof text, "read%c 0x%" PRIx64, size_letter(size), addr);
    } else if (write) {
        snprintf(text, sizeof text, "%s %s 0x%" PRIx64 " %u", sys ? "msr" : "wr", w[1], v, cpu);
    } else {
        snprintf(text, sizeof text, "%s %s %u", sys ? "mrs" : "rd", w[1], cpu);
    }
    record(c, "%s", text);
    verbose_access(c, text, rc);
    if (rc != GIC_OK && rc != GIC_E_UNDEF && rc != GIC_E_SIZE)
        return respond(c, QT_FAIL, "FAIL %s: %s", w[1], gic_strerror(rc));
    if (write) return rc == GIC_E_UNDEF ? respond(c, QT_FAIL, "FAIL UNDEFINED") : respond(c, QT_OK, "OK");
    if (rc == GIC_E_SIZE) v = 0;
    return read_done(c, v, rc == GIC_E_UNDEF ? GIC_E_UNDEF : GIC_OK, text);
}

static enum qtest_result cmd_expect(struct ctx *c, char **w, unsigned n)
{
    struct qtest_stats *st = c->st;
    uint64_t want, mask = ~0ull;
    if (n < 2) return respond(c, QT_BAD, "FAIL expect: expected a value (or undef)");
    if (!st->last_line) return respond(c, QT_BAD, "FAIL expect: no read before it");
    bool undef = !strcmp(w[1], "undef") || !strcmp(w[1], "UNDEF");
    if (!undef && !parse_u64(w[1], &want)) return respond(c, QT_BAD, "FAIL expect: bad value '%s'", w[1]);
    if (n > 2 && (undef || !parse_u64(w[2], &mask))) return respond(c, QT_BAD, "FAIL expect: bad mask '%s'", w[2]);
    bool ok;
    char got[48];
    if (st->last_status == GIC_E_UNDEF) snprintf(got, sizeof got, "UNDEFINED");
    else snprintf(got, sizeof got, "0x%" PRIx64, st->last_value & mask);
    if (undef) ok = st->last_status == GIC_E_UNDEF;
    else ok = st->last_status != GIC_E_UNDEF && (st->last_value & mask) == want;
    if (ok) return respond(c, QT_OK, "OK");
    char wanted[48];
    if (undef) snprintf(wanted, sizeof wanted, "UNDEFINED");
    else snprintf(wanted, sizeof wanted, "0x%" PRIx64, want);
    fprintf(stderr, "gicsim: %s:%lu: expect failed: '%s' (line %lu) gave %s%s, expected %s\n", c->o->name, st->line_no,
            st->last_cmd, st->last_line, got, mask != ~0ull ? " under the mask" : "", wanted);
    return respond(c, QT_CHECK, "FAIL expected %s, got %s", wanted, got);
}

static enum qtest_result extension(struct ctx *c, char **w, unsigned n)
{
    struct platform *p = c->p;
    uint64_t v;
    unsigned cpu;
    int level;
    if (!strcmp(w[0], "rd") || !strcmp(w[0], "mrs")) return cmd_named(c, w, n, false);
    if (!strcmp(w[0], "wr") || !strcmp(w[0], "msr")) return cmd_named(c, w, n, true);
    if (!strcmp(w[0], "expect")) return cmd_expect(c, w, n);
    if (!strcmp(w[0], "cpu")) {
        if (n < 2 || !parse_cpu(p, w[1], &cpu))
            return respond(c, QT_BAD, "FAIL cpu: expected a CPU number (0..%u)", p->smp - 1);
        p->cpu = cpu;
        record(c, "cpu %u", cpu);
        return respond(c, QT_OK, "OK");
    }
    if (!strcmp(w[0], "step")) {
        if (n < 2 || !parse_u64(w[1], &v) || v > (1ull << 40))
            return respond(c, QT_BAD, "FAIL step: expected a cycle count (0..2^40)");
        if (platform_step(p, v) == GIC_E_TIME)
            return respond(c, QT_BAD,
                           "FAIL step: %" PRIu64 " cycles from cycle %" PRIu64
                           " would pass the end of time (cycle 2^63, GIC_CYCLE_LIMIT)",
                           v, (uint64_t)platform_now(p));
        return respond(c, QT_OK, "OK %" PRIu64, (uint64_t)platform_now(p));
    }
    if (!strcmp(w[0], "outputs")) {
        cpu = p->cpu;
        if (n > 1 && !parse_cpu(p, w[1], &cpu)) return respond(c, QT_BAD, "FAIL outputs: no CPU '%s'", w[1]);
        char text[32];
        snprintf(text, sizeof text, "outputs %u", cpu);
        return read_done(c, platform_outputs(p, cpu), GIC_OK, text);
    }
    if (!strcmp(w[0], "spi")) {
        if (n < 3 || !parse_u64(w[1], &v) || !parse_int(w[2], &level))
            return respond(c, QT_BAD, "FAIL spi: expected INTID LEVEL");
        uint64_t nspi = gic_get_config(p->gic)->num_spis;
        if (v < 32 || v >= 32 + nspi)
            return respond(c, QT_BAD, "FAIL spi: no SPI %s (32..%" PRIu64 ")", w[1], 31 + nspi);
        return drive_gpio(c, v - 32, level);
    }
    if (!strcmp(w[0], "ppi")) {
        if (n < 4 || !parse_cpu(p, w[1], &cpu) || !parse_u64(w[2], &v) || !parse_int(w[3], &level))
            return respond(c, QT_BAD, "FAIL ppi: expected CPU INTID LEVEL");
        if (v < 16 || v > 31) return respond(c, QT_BAD, "FAIL ppi: no PPI %s (16..31)", w[2]);
        return drive_gpio(c, platform_gpio_number(p, cpu, (unsigned)v), level);
    }
    return respond(c, QT_BAD, "FAIL Unknown command '%s'", w[0]);
}

enum qtest_result qtest_line(struct platform *p, char *line, char *resp, size_t len, const struct qtest_opts *o,
                             struct qtest_stats *st)
{
    struct ctx c = { p, o, st, resp, len };
    char *w[MAX_WORDS];
    resp[0] = 0;
    size_t l = strlen(line);
    if (l && line[l - 1] == '\r') line[--l] = 0; /* tolerate CRLF input */
    if (o->extensions) {
        char *hash = strchr(line, '#');
        if (hash) *hash = 0;
        if (line[strspn(line, " \t")] == 0) return QT_NONE;
    }
    st->commands++;
    if (!o->extensions && l == 0) return respond(&c, QT_BAD, "FAIL empty line");
    unsigned n = split(line, w, o->extensions);
    if (n == 0) return respond(&c, QT_BAD, "FAIL empty line");
    unsigned size;
    if ((size = access_size(w[0], "read"))) return cmd_read(&c, w, n, size);
    if ((size = access_size(w[0], "write"))) return cmd_write(&c, w, n, size);
    if (!strcmp(w[0], "set_irq_in")) return cmd_set_irq_in(&c, w, n);
    if (!strcmp(w[0], "endianness")) return respond(&c, QT_OK, "OK little");
    if (o->extensions) return extension(&c, w, n);
    return respond(&c, QT_BAD, "FAIL Unknown command '%s'", w[0]);
}

/* ---------------- the session ---------------- */
struct reader {
    int fd;
    size_t pos, len;
    bool eof;
    int read_errno;  /* read() failed with this (0: none); the input ends there */
    int write_errno; /* flushing `out` failed with this (0: none) */
    char buf[1 << 16];
};

/* Flushes out; false (and the errno in r) if it or an earlier write to it failed. */
static bool flush_out(struct reader *r, FILE *out)
{
    if (r->write_errno) return false;
    errno = 0;
    if (fflush(out) == 0 && !ferror(out)) return true;
    r->write_errno = errno ? errno : EIO;
    return false;
}

/* Next line (without '\n') into line; false at end of input, at a read error (r->read_errno) and
 * when `out` cannot be written (r->write_errno). Before blocking on the input, flushes `out`: every
 * response is visible before gicsim waits for the next command. */
static bool next_line(struct reader *r, FILE *out, char *line, size_t cap, bool *too_long)
{
    size_t n = 0;
    *too_long = false;
    for (;;) {
        if (r->pos == r->len) {
            if (r->eof) {
                line[n < cap ? n : cap - 1] = 0;
                return n > 0 || *too_long;
            }
            if (!flush_out(r, out)) return false;
            ssize_t k;
            do k = read(r->fd, r->buf, sizeof r->buf);
            while (k < 0 && errno == EINTR);
            if (k < 0) {
                /* An input that cannot be read is not an empty one (a directory, an I/O error). */
                r->read_errno = errno;
                r->eof = true;
                return false;
            }
            if (k == 0) {
                r->eof = true;
                continue;
            }
            r->pos = 0;
            r->len = (size_t)k;
        }
        char ch = r->buf[r->pos++];
        if (ch == '\n') {
            line[n < cap ? n : cap - 1] = 0;
            return true;
        }
        if (n + 1 < cap) line[n++] = ch;
        else *too_long = true;
    }
}

int qtest_session(struct platform *p, int in_fd, FILE *out, const struct qtest_opts *o, struct qtest_stats *st)
{
    static struct reader r;
    char line[MAX_LINE], resp[512];
    bool too_long;
    r.fd = in_fd;
    r.pos = r.len = 0;
    r.eof = false;
    r.read_errno = r.write_errno = 0;
    while (next_line(&r, out, line, sizeof line, &too_long)) {
        st->line_no++;
        enum qtest_result res;
        if (too_long) {
            st->commands++;
            st->failures++;
            st->bad_lines++;
            snprintf(resp, sizeof resp, "FAIL line longer than %d characters", MAX_LINE - 1);
            res = QT_BAD;
        } else {
            res = qtest_line(p, line, resp, sizeof resp, o, st);
        }
        if (res == QT_NONE) continue;
        if (fputs(resp, out) == EOF || fputc('\n', out) == EOF) {
            r.write_errno = errno ? errno : EIO;
            break;
        }
        if (res == QT_BAD && o->extensions) {
            /* A script with a malformed line is bad input: stop there (exit status 2). */
            fprintf(stderr, "gicsim: %s:%lu: %s\n", o->name, st->line_no, resp + 5);
            break;
        }
    }
    if (!flush_out(&r, out)) {
        errno = r.write_errno;
        return QTEST_WRITE_ERROR;
    }
    if (r.read_errno) {
        errno = r.read_errno;
        return QTEST_READ_ERROR;
    }
    return QTEST_DONE;
}
