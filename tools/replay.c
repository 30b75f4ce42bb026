/* replay.c: `gicsim replay`: replays a QEMU 7.2 trace of its GICv2 or GICv3 model (the text of
 * QEMU's `log` trace backend, -trace 'gicv3_*' or 'gic_*') on the model, in order, and checks every
 * read value and output pin QEMU logged against the model's. docs/real-software.md describes the
 * trace events, the checks and the report.
 *
 * Each trace event becomes one or more `gicsim run` commands (the same text --save-script writes),
 * executed by the qtest interpreter on the QEMU virt machine preset, so a replay and the saved
 * script do exactly the same thing. */
#define _POSIX_C_SOURCE 200809L
#include "replay.h"
#include "progress.h"

#include "commands.h"
#include "qtest.h"
#include "replay_timing.h"
#include "trace_input.h"
#include "gicsim/rulecheck.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define VIRT_GICD 0x08000000u
#define VIRT_GICC 0x08010000u
#define VIRT_GICH 0x08030000u
#define VIRT_GICV 0x08040000u
#define VIRT_GICR 0x080A0000u
#define GICR_STRIDE 0x20000u
#define MAX_GROUPS 256
#define MAX_UNKNOWN 64
#define MAX_CPUS 64

#define LPI_FIRST 8192u
#define LPI_LIMIT 65536u     /* gicsim's LPIs: 16 INTID bits (gic_config.lpi_id_bits) */
#define LPI_PROP_LINUX 0xa2u /* Linux's configuration byte: priority 0xa0, bit 1 set, not enabled */
#define ITS_CMD_BYTES 32u
#define ITS_ITE_BYTES 12u /* an ITT entry (GITS_TYPER.ITT_entry_size + 1) */
#define PA_MASK 0x000ffffffffff000ull

/* Output pins as `outputs` reports them (enum gic_output). */
enum { PIN_IRQ = 1, PIN_FIQ = 2, PIN_VIRQ = 4, PIN_VFIQ = 8, PIN_MAINT = 16 };

/* A mismatch class: one register (or pin), QEMU's value and gicsim's; counted, first line kept. */
struct group {
    char reg[40];
    uint64_t qemu, gicsim;
    bool gicsim_undef;
    unsigned long first_line, count;
    const char *why; /* allow-list reason, or NULL */
};

struct allow_entry {
    char reg[40];
    uint64_t qemu, gicsim;
    char why[120];
};

struct named_count {
    char name[48];
    unsigned long count;
    bool info; /* understood, deliberately not replayed */
};

/* The ITS and LPI state in guest memory that the trace does not carry, rebuilt from the events
 * (docs/real-software.md, "LPIs and the ITS"). */
struct its_map {
    uint32_t devid, eventid, intid;
};
struct mem_region {
    uint64_t base, size;
};
struct its_replay {
    bool used;                               /* the trace has ITS events */
    bool enabled;                            /* GITS_CTLR.Enabled as the software last wrote it */
    uint64_t cbaser, baser[2];               /* GITS_CBASER, GITS_BASER0/1 as written while not enabled */
    uint64_t propbaser, pendbaser[MAX_CPUS]; /* GICR_PROPBASER (the last written), GICR_PENDBASER */
    bool open;                               /* a command is being rebuilt: at queue entry open_idx */
    uint32_t open_idx;
    uint64_t cmd[4];
    uint32_t last_icid;  /* the last collection mapped (MAPC V=1): INVALL's ICID */
    struct its_map *map; /* (DeviceID, EventID) -> INTID, from MAPTI/MAPI */
    size_t n_map, cap_map;
    uint8_t lpi_known[LPI_LIMIT / 8], lpi_on[LPI_LIMIT / 8]; /* configuration byte written; its enable */
    struct mem_region *regions;                              /* memory the trace's tables use (dry pass) */
    size_t n_regions, cap_regions;
    uint64_t ram_end;   /* the end of the highest of them */
    uint64_t next_page; /* the lowest page given to a level-2 table so far (0: none) */
    unsigned long msis, commands, cfg_writes, l2_pages, cfg_checked, lpi_acks, lpi_acks_same;
};

struct rp {
    const struct replay_opts *o;
    bool dry;          /* first pass: syntax and inference only */
    int version;       /* 2 or 3, 0 until the first GIC event */
    unsigned max_cpu;  /* highest CPU index seen (dry pass) */
    bool v2_needs_cpu; /* a GICv2 GICD/GICH access whose CPU was not found */
    char **lines;
    unsigned long n_lines, line; /* line: 1-based number of the line being replayed */
    struct platform p;
    gic_vcd_t *vcd;   /* --vcd */
    struct gic_dt dt; /* --dtb */
    struct qtest_opts qo;
    struct qtest_stats st;
    FILE *save;
    unsigned cur_cpu; /* CPU the `cpu` command selected (GICv2 banked frames) */
    /* held pin reports: QEMU's latest level per CPU and pin, to be checked at the next boundary */
    uint8_t held_mask[MAX_CPUS], held_val[MAX_CPUS];
    bool any_held;
    /* counters */
    unsigned long events, commands, reads, writes, lines_changed, sgis, pins_checked, exceptions, erets;
    unsigned long mismatches, allowed, violations_printed;
    struct group groups[MAX_GROUPS];
    unsigned n_groups;
    unsigned long groups_overflow;
    struct allow_entry *allow;
    unsigned n_allow;
    struct named_count skipped[MAX_UNKNOWN];
    unsigned n_skipped;
    unsigned long skipped_overflow;
    gic_rulecheck_t *rc;
    struct replay_timing *timing;
    struct its_replay its;
    char err[256]; /* first fatal error (exit 2) */
};

/* ---------------- errors and bookkeeping ---------------- */
static int fatal(struct rp *r, const char *fmt, ...)
{
    if (r->err[0]) return -1;
    va_list ap;
    va_start(ap, fmt);
    int n = r->line ? snprintf(r->err, sizeof r->err, "%s:%lu: ", r->o->trace, r->line)
                    : snprintf(r->err, sizeof r->err, "%s: ", r->o->trace);
    vsnprintf(r->err + n, sizeof r->err - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static void count_skipped(struct rp *r, const char *name, size_t len, bool info)
{
    if (r->dry) return;
    if (len >= sizeof r->skipped[0].name) len = sizeof r->skipped[0].name - 1;
    for (unsigned i = 0; i < r->n_skipped; i++)
        if (strlen(r->skipped[i].name) == len && !strncmp(r->skipped[i].name, name, len)) {
            r->skipped[i].count++;
            return;
        }
    if (r->n_skipped == MAX_UNKNOWN) {
        r->skipped_overflow++;
        return;
    }
    struct named_count *s = &r->skipped[r->n_skipped++];
    memcpy(s->name, name, len);
    s->name[len] = 0;
    s->count = 1;
    s->info = info;
}

static const char *allowed_why(const struct rp *r, const char *reg, uint64_t q, uint64_t g)
{
    for (unsigned i = 0; i < r->n_allow; i++)
        if (!strcmp(r->allow[i].reg, reg) && r->allow[i].qemu == q && r->allow[i].gicsim == g) return r->allow[i].why;
    return NULL;
}

static void mismatch(struct rp *r, const char *reg, uint64_t q, uint64_t g, bool undef)
{
    const char *why = undef ? NULL : allowed_why(r, reg, q, g);
    if (why) r->allowed++;
    else r->mismatches++;
    for (unsigned i = 0; i < r->n_groups; i++) {
        struct group *x = &r->groups[i];
        if (!strcmp(x->reg, reg) && x->qemu == q && x->gicsim == g && x->gicsim_undef == undef) {
            x->count++;
            return;
        }
    }
    if (r->n_groups == MAX_GROUPS) {
        r->groups_overflow++;
        return;
    }
    struct group *x = &r->groups[r->n_groups++];
    snprintf(x->reg, sizeof x->reg, "%s", reg);
    x->qemu = q;
    x->gicsim = g;
    x->gicsim_undef = undef;
    x->first_line = r->line;
    x->count = 1;
    x->why = why;
}

/* ---------------- commands ---------------- */
/* Formats a `gicsim run` command, writes it to the saved script and executes it. Returns the
 * qtest result, or -1 after a fatal error (a command the model refused as malformed). */
static int command(struct rp *r, const char *fmt, ...)
{
    char cmd[160], resp[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (r->dry) return QT_OK;
    if (r->save && fprintf(r->save, "%s\n", cmd) < 0) return fatal(r, "cannot write the script %s", r->o->save_script);
    if (r->o->gap) platform_step(&r->p, r->o->gap);
    r->commands++;
    if (r->timing) replay_timing_command(r->timing, r->line, platform_now(&r->p));
    enum qtest_result res = qtest_line(&r->p, cmd, resp, sizeof resp, &r->qo, &r->st);
    if (res == QT_BAD) return fatal(r, "cannot replay '%s': %s", cmd, resp + 5);
    return (int)res;
}

static void save_expect(struct rp *r, uint64_t v, uint64_t mask)
{
    if (!r->save) return;
    if (mask == ~0ull) fprintf(r->save, "expect 0x%" PRIx64 "\n", v);
    else fprintf(r->save, "expect 0x%" PRIx64 " 0x%" PRIx64 "\n", v, mask);
}

/* A read (the command `cmd`) whose value QEMU logged: replays it and compares under `mask`. */
static int check_read(struct rp *r, const char *reg, uint64_t want, uint64_t mask, const char *cmd)
{
    int res = command(r, "%s", cmd);
    if (res < 0 || r->dry) return res < 0 ? -1 : 0;
    r->reads++;
    save_expect(r, want & mask, mask);
    bool undef = r->st.last_status == GIC_E_UNDEF;
    uint64_t got = r->st.last_value & mask;
    if (undef || got != (want & mask)) mismatch(r, reg, want & mask, undef ? 0 : got, undef);
    return 0;
}

/* A write (the command `cmd`) of `v` to `reg`. */
static int do_write(struct rp *r, const char *reg, uint64_t v, const char *cmd)
{
    int res = command(r, "%s", cmd);
    if (res < 0 || r->dry) return res < 0 ? -1 : 0;
    r->writes++;
    if (res == QT_FAIL) mismatch(r, reg, v, 0, true); /* gicsim: UNDEFINED, QEMU took the write */
    return 0;
}

/* Checks held pin reports against the model's outputs. QEMU's reports are ambiguous: those between
 * an event logged before its effects and one logged after them belong to either, and QEMU's GICv2
 * reports only some changes. So before an event logged after its effects (try = true), a CPU whose
 * held reports all match the model now is checked and cleared; the others are checked after that
 * event (try = false), where a difference is a mismatch. */
static void flush_pins(struct rp *r, bool try)
{
    if (!r->any_held || r->dry) return;
    static const struct {
        uint8_t bit;
        const char *name;
    } pins[] = { { PIN_IRQ, "pin IRQ" },
                 { PIN_FIQ, "pin FIQ" },
                 { PIN_VIRQ, "pin vIRQ" },
                 { PIN_VFIQ, "pin vFIQ" },
                 { PIN_MAINT, "pin maintenance" } };
    bool left = false;
    for (unsigned c = 0; c < r->p.smp && c < MAX_CPUS; c++) {
        uint8_t m = r->held_mask[c];
        if (!m) continue;
        uint32_t got = platform_outputs(&r->p, c);
        if (try && (got & m) != (r->held_val[c] & m)) {
            left = true;
            continue;
        }
        if (r->save) fprintf(r->save, "outputs %u\nexpect 0x%x 0x%x\n", c, r->held_val[c] & m, m);
        for (unsigned i = 0; i < sizeof pins / sizeof pins[0]; i++) {
            if (!(m & pins[i].bit)) continue;
            r->pins_checked++;
            uint64_t q = (r->held_val[c] & pins[i].bit) != 0, g = (got & pins[i].bit) != 0;
            if (q != g) {
                char name[40];
                snprintf(name, sizeof name, "%s cpu%u", pins[i].name, c);
                mismatch(r, name, q, g, false);
            }
        }
        r->held_mask[c] = r->held_val[c] = 0;
    }
    r->any_held = left;
}

static int hold_pin(struct rp *r, unsigned cpu, uint8_t bit, int level)
{
    if (cpu >= MAX_CPUS) return fatal(r, "CPU %u: more than %d CPUs", cpu, MAX_CPUS);
    if (r->dry) {
        if (cpu > r->max_cpu) r->max_cpu = cpu;
        return 0;
    }
    r->held_mask[cpu] |= bit;
    if (level) r->held_val[cpu] |= bit;
    else r->held_val[cpu] &= (uint8_t)~bit;
    r->any_held = true;
    return 0;
}

/* Every access event: QEMU writes some events after the access's effects (its output-pin reports
 * come before the event's own line) and others before them (the reports follow). Pin reports held
 * so far belong to this event when it is logged after its effects, so they are checked after it;
 * otherwise they were caused earlier and are checked before it. */
enum order { TRACE_AFTER_EFFECT, TRACE_BEFORE_EFFECT };

static int begin_access(struct rp *r, enum order ord)
{
    r->events++;
    flush_pins(r, ord == TRACE_AFTER_EFFECT);
    return 0;
}
static int end_access(struct rp *r, enum order ord)
{
    if (ord == TRACE_AFTER_EFFECT) flush_pins(r, false);
    return 0;
}

static int note_cpu(struct rp *r, unsigned cpu)
{
    if (cpu >= MAX_CPUS) return fatal(r, "CPU %u: more than %d CPUs", cpu, MAX_CPUS);
    if (r->dry && cpu > r->max_cpu) r->max_cpu = cpu;
    if (!r->dry && cpu >= r->p.smp)
        return fatal(r, "CPU %u, but the machine has %u CPU%s (--smp)", cpu, r->p.smp, r->p.smp > 1 ? "s" : "");
    return 0;
}

static int select_cpu(struct rp *r, unsigned cpu)
{
    if (note_cpu(r, cpu)) return -1;
    if (r->dry || cpu == r->cur_cpu) return 0;
    r->cur_cpu = cpu;
    return command(r, "cpu %u", cpu) < 0 ? -1 : 0;
}

static char size_letter(unsigned size) { return size == 1 ? 'b' : size == 2 ? 'w' : size == 4 ? 'l' : 'q'; }

static void reg_name(struct rp *r, enum gic_frame f, unsigned cpu, uint32_t off, char *out, size_t n)
{
    if (r->dry) return;
    unsigned idx = 0;
    const char *nm = gic_reg_name(r->p.gic, f, off, &idx);
    (void)cpu;
    if (!nm || !*nm)
        snprintf(out, n, "%s+0x%x",
                 f == GIC_FRAME_GICD   ? "GICD"
                 : f == GIC_FRAME_GICH ? "GICH"
                 : f == GIC_FRAME_GICC ? "GICC"
                 : f == GIC_FRAME_GICV ? "GICV"
                                       : "GICR",
                 off);
    else snprintf(out, n, "%s", nm);
}

/* A memory-mapped access at `base + off` by `cpu`, in the frame f. */
static int mmio(struct rp *r, enum order ord, enum gic_frame f, unsigned cpu, uint64_t addr, uint32_t off,
                unsigned size, bool write, uint64_t v)
{
    if (size != 1 && size != 2 && size != 4 && size != 8) return fatal(r, "access size %u", size);
    if (begin_access(r, ord)) return -1;
    char reg[40] = "";
    reg_name(r, f, cpu, off, reg, sizeof reg);
    uint64_t mask = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
    char cmd[96];
    if (write) snprintf(cmd, sizeof cmd, "write%c 0x%" PRIx64 " 0x%" PRIx64, size_letter(size), addr, v & mask);
    else snprintf(cmd, sizeof cmd, "read%c 0x%" PRIx64, size_letter(size), addr);
    int rc = write ? do_write(r, reg, v, cmd) : check_read(r, reg, v, mask, cmd);
    return rc ? -1 : end_access(r, ord);
}

/* A system-register access (GICv3) by CPU `cpu`: name is the spec name (ICC_PMR_EL1). */
static int sysreg(struct rp *r, enum order ord, const char *name, unsigned cpu, bool write, uint64_t v)
{
    if (note_cpu(r, cpu) || begin_access(r, ord)) return -1;
    char cmd[96];
    if (write) snprintf(cmd, sizeof cmd, "msr %s 0x%" PRIx64 " %u", name, v, cpu);
    else snprintf(cmd, sizeof cmd, "mrs %s %u", name, cpu);
    int rc = write ? do_write(r, name, v, cmd) : check_read(r, name, v, ~0ull, cmd);
    return rc ? -1 : end_access(r, ord);
}

/* An input line change: SPIs by INTID, PPIs by CPU. The maintenance PPI is the model's own
 * maintenance output (ORed into that PPI), so QEMU's report of it is checked as the pin. */
static int line_change(struct rp *r, unsigned cpu, unsigned intid, int level)
{
    if (intid < 16 || intid >= 1020) return fatal(r, "input line for INTID %u", intid);
    if (intid < 32 && note_cpu(r, cpu)) return -1;
    if (!r->dry && intid >= 32 && intid >= 32 + gic_get_config(r->p.gic)->num_spis)
        return fatal(r, "SPI %u, but the machine has SPIs 32..%u", intid, 31 + gic_get_config(r->p.gic)->num_spis);
    if (intid < 32 && !r->dry && intid == gic_get_config(r->p.gic)->maint_ppi)
        return hold_pin(r, cpu, PIN_MAINT, level);
    if (begin_access(r, TRACE_BEFORE_EFFECT)) return -1;
    int rc =
        intid < 32 ? command(r, "ppi %u %u %d", cpu, intid, level != 0) : command(r, "spi %u %d", intid, level != 0);
    if (rc < 0) return -1;
    if (!r->dry) r->lines_changed++;
    return 0;
}

/* ---------------- GICv3 events ---------------- */
/* QEMU virt numbers GICv3 CPUs in clusters of 16: affinity Aff1.Aff0 = index/16 . index%16. */
static unsigned cpu_of_affid(uint32_t affid) { return ((affid >> 8) & 0xff) * 16 + (affid & 0xff); }

static int v3_dist(struct rp *r, const char *a, bool write, bool bad)
{
    uint64_t off, data = 0;
    unsigned size;
    int secure, n = 0;
    const char *fmt = write ? "GICv3 distributor write: offset 0x%" SCNx64 " data 0x%" SCNx64 " size %u secure %d%n"
                      : bad ? "GICv3 distributor read: offset 0x%" SCNx64 " size %u secure %d%n"
                            : "GICv3 distributor read: offset 0x%" SCNx64 " data 0x%" SCNx64 " size %u secure %d%n";
    int k =
        (write || !bad) ? sscanf(a, fmt, &off, &data, &size, &secure, &n) : sscanf(a, fmt, &off, &size, &secure, &n);
    if (k != ((write || !bad) ? 4 : 3) || off >= 0x10000) return -1;
    if (bad && !write) data = 0; /* QEMU answers a refused read with zero */
    return mmio(r, TRACE_AFTER_EFFECT, GIC_FRAME_GICD, 0, VIRT_GICD + off, (uint32_t)off, size, write, data);
}

static int v3_redist(struct rp *r, const char *a, bool write, bool bad)
{
    uint64_t off, data = 0;
    unsigned size, affid;
    int secure, n = 0, k;
    if (write)
        k = sscanf(a, "GICv3 redistributor 0x%x write: offset 0x%" SCNx64 " data 0x%" SCNx64 " size %u secure %d%n",
                   &affid, &off, &data, &size, &secure, &n) == 5;
    else if (bad)
        k = sscanf(a, "GICv3 redistributor 0x%x read: offset 0x%" SCNx64 " size %u secure %d%n", &affid, &off, &size,
                   &secure, &n) == 4;
    else
        k = sscanf(a, "GICv3 redistributor 0x%x read: offset 0x%" SCNx64 " data 0x%" SCNx64 " size %u secure %d%n",
                   &affid, &off, &data, &size, &secure, &n) == 5;
    if (!k || off >= GICR_STRIDE) return -1;
    unsigned cpu = cpu_of_affid(affid);
    if (note_cpu(r, cpu)) return -1;
    enum gic_frame f = off < 0x10000 ? GIC_FRAME_GICR_RD : GIC_FRAME_GICR_SGI;
    return mmio(r, TRACE_AFTER_EFFECT, f, cpu, VIRT_GICR + (uint64_t)GICR_STRIDE * cpu + off, (uint32_t)(off & 0xffff),
                size, write, data);
}

static int ev_v3_dist_read(struct rp *r, const char *a) { return v3_dist(r, a, false, false); }
static int ev_v3_dist_badread(struct rp *r, const char *a) { return v3_dist(r, a, false, true); }
static int ev_v3_dist_write(struct rp *r, const char *a) { return v3_dist(r, a, true, false); }
static int ev_v3_redist_read(struct rp *r, const char *a) { return v3_redist(r, a, false, false); }
static int ev_v3_redist_badread(struct rp *r, const char *a) { return v3_redist(r, a, false, true); }
static int ev_v3_redist_write(struct rp *r, const char *a) { return v3_redist(r, a, true, false); }

static int ev_v3_dist_set_irq(struct rp *r, const char *a)
{
    int irq, level;
    if (sscanf(a, "GICv3 distributor interrupt %d level changed to %d", &irq, &level) != 2 || irq < 32) return -1;
    return line_change(r, 0, (unsigned)irq, level);
}

static int ev_v3_redist_set_irq(struct rp *r, const char *a)
{
    unsigned affid;
    int irq, level;
    if (sscanf(a, "GICv3 redistributor 0x%x interrupt %d level changed to %d", &affid, &irq, &level) != 3 || irq < 16 ||
        irq > 31)
        return -1;
    return line_change(r, cpu_of_affid(affid), (unsigned)irq, level);
}

static int v3_pins(struct rp *r, const char *a, const char *fmt, uint8_t fiq_bit, uint8_t irq_bit)
{
    unsigned affid;
    int fiq, irq;
    if (sscanf(a, fmt, &affid, &fiq, &irq) != 3) return -1;
    unsigned cpu = cpu_of_affid(affid);
    return hold_pin(r, cpu, fiq_bit, fiq) || hold_pin(r, cpu, irq_bit, irq) ? -1 : 0;
}
static int ev_v3_set_irqs(struct rp *r, const char *a)
{
    return v3_pins(r, a, "GICv3 CPU i/f 0x%x HPPI update: setting FIQ %d IRQ %d", PIN_FIQ, PIN_IRQ);
}
static int ev_v3_virt_set_irqs(struct rp *r, const char *a)
{
    return v3_pins(r, a, "GICv3 CPU i/f 0x%x virt HPPI update: setting FIQ %d IRQ %d", PIN_VFIQ, PIN_VIRQ);
}
static int ev_v3_virt_maint(struct rp *r, const char *a)
{
    unsigned affid;
    int level;
    if (sscanf(a, "GICv3 CPU i/f 0x%x virt HPPI update: setting maintenance-irq %d", &affid, &level) != 2) return -1;
    return hold_pin(r, cpu_of_affid(affid), PIN_MAINT, level);
}

/* "GICv3 ICC_PMR read cpu 0x0 value 0xf0", "GICv3 ICH_LR2_EL2 write cpu 0x1 value 0x...": the
 * spec name is the word after "GICv3", with _EL1 (ICC_, ICV_) or _EL2 (ICH_) added if missing. */
static int ev_v3_sysreg(struct rp *r, const char *a)
{
    char word[32], rw[8], name[40];
    unsigned affid;
    uint64_t v;
    if (sscanf(a, "GICv3 %31s %7s cpu 0x%x value 0x%" SCNx64, word, rw, &affid, &v) != 4) return -1;
    bool write = !strcmp(rw, "write");
    if (!write && strcmp(rw, "read")) return -1;
    if (strncmp(word, "ICC_", 4) && strncmp(word, "ICH_", 4) && strncmp(word, "ICV_", 4)) return -1;
    size_t wl = strlen(word);
    if (wl > 4 && !strncmp(word + wl - 4, "_EL", 3) && isdigit((unsigned char)word[wl - 1]))
        snprintf(name, sizeof name, "%s", word);
    else snprintf(name, sizeof name, "%s_EL%c", word, word[2] == 'H' ? '2' : '1');
    enum gic_frame f;
    uint32_t off;
    unsigned width;
    const char *lookup_name = name;
    char icc[40];
    if (!strncmp(name, "ICV_", 4)) {
        snprintf(icc, sizeof icc, "ICC_%s", name + 4);
        lookup_name = icc;
    }
    if (!r->dry && gic_reg_lookup(r->p.gic, lookup_name, &f, &off, &width) != GIC_OK) {
        count_skipped(r, name, strlen(name), false); /* e.g. ICC_CTLR_EL3: two Security states */
        return 0;
    }
    return sysreg(r, write ? TRACE_BEFORE_EFFECT : TRACE_AFTER_EFFECT, name, cpu_of_affid(affid), write, v);
}

/* The trace gives the SGI's fields, not the register: rebuilt as the ICC_SGI1R_EL1 value (Linux
 * sends its SGIs through ICC_SGI1R_EL1; QEMU logs ICC_SGI0R_EL1 and ICC_ASGI1R_EL1 alike). */
static int ev_v3_generate_sgi(struct rp *r, const char *a)
{
    unsigned affid, aff, tl;
    int sgi, irm;
    int n = 0;
    if (sscanf(a, "GICv3 CPU i/f 0x%x generating SGI %d IRM %d target affinity 0x%n", &affid, &sgi, &irm, &n) != 3 ||
        !n)
        return -1;
    char *end;
    aff = (unsigned)strtoul(a + n, &end, 16);
    if (strncmp(end, "xx targetlist 0x", 16) || sscanf(end + 16, "%x", &tl) != 1 || sgi < 0 || sgi > 15) return -1;
    uint64_t v = (tl & 0xffffu) | (uint64_t)(aff & 0xff) << 16 | (uint64_t)sgi << 24 |
                 (uint64_t)((aff >> 8) & 0xff) << 32 | (uint64_t)(irm & 1) << 40 | (uint64_t)((aff >> 16) & 0xff) << 48;
    if (!r->dry) r->sgis++;
    return sysreg(r, TRACE_BEFORE_EFFECT, "ICC_SGI1R_EL1", cpu_of_affid(affid), true, v);
}

/* ---------------- GICv2 events ---------------- */
/* GICv2's GICD and GICH events do not name the requesting CPU; QEMU's memory_region_ops_read/write
 * events (next to them: a write's before, a read's after) do. With one CPU it is CPU 0. */
static int v2_cpu_of(struct rp *r, bool write, uint32_t off, uint64_t v, unsigned *cpu)
{
    *cpu = 0;
    const char *want = write ? "memory_region_ops_write " : "memory_region_ops_read ";
    for (int d = 1; d <= 6; d++) {
        long i = write ? (long)r->line - 1 - d : (long)r->line - 1 + d;
        if (i < 0 || (unsigned long)i >= r->n_lines) break;
        const char *s = r->lines[i];
        const char *at = strchr(s, ':');
        if (at && isdigit((unsigned char)s[0]) && strchr(s, '@') && strchr(s, '@') < at) s = at + 1;
        if (strncmp(s, want, strlen(want))) continue;
        int c;
        uint64_t addr, val;
        if (sscanf(s + strlen(want), "cpu %d mr %*s addr 0x%" SCNx64 " value 0x%" SCNx64, &c, &addr, &val) != 3)
            continue;
        if ((addr & 0xffff) != off || (uint32_t)val != (uint32_t)v || c < 0) continue; /* addr: physical */
        *cpu = (unsigned)c;
        return 0;
    }
    if (!r->dry && r->p.smp > 1)
        return fatal(r,
                     "a GICv2 %s access with %u CPUs and no memory_region_ops event naming its CPU "
                     "(record with -trace 'memory_region_ops_*')",
                     write ? "write" : "read", r->p.smp);
    return 0;
}

static int v2_mmio_nocpu(struct rp *r, const char *a, bool dist, bool write)
{
    unsigned off, size = 4, v;
    int k =
        dist ? (write ? sscanf(a, "dist write at 0x%x size %u: 0x%x", &off, &size, &v)
                      : sscanf(a, "dist read at 0x%x size %u: 0x%x", &off, &size, &v))
             : (write ? sscanf(a, "hyp write at 0x%x: 0x%x", &off, &v) : sscanf(a, "hyp read at 0x%x: 0x%x", &off, &v));
    if (k != (dist ? 3 : 2) || off >= 0x10000) return -1;
    unsigned cpu;
    if (v2_cpu_of(r, write, off, v, &cpu) || select_cpu(r, cpu)) return -1;
    enum gic_frame f = dist ? GIC_FRAME_GICD : GIC_FRAME_GICH;
    uint64_t base = dist ? VIRT_GICD : VIRT_GICH;
    return mmio(r, write ? TRACE_BEFORE_EFFECT : TRACE_AFTER_EFFECT, f, cpu, base + off, off, size, write, v);
}
static int ev_v2_dist_read(struct rp *r, const char *a) { return v2_mmio_nocpu(r, a, true, false); }
static int ev_v2_dist_write(struct rp *r, const char *a) { return v2_mmio_nocpu(r, a, true, true); }
static int ev_v2_hyp_read(struct rp *r, const char *a) { return v2_mmio_nocpu(r, a, false, false); }
static int ev_v2_hyp_write(struct rp *r, const char *a) { return v2_mmio_nocpu(r, a, false, true); }

/* "cpu 0 iface read at 0x0000000c: 0x0000001b" (GICC), "vcpu 0 ..." (GICV); 32-bit accesses. */
static int v2_cpuif(struct rp *r, const char *a, bool write)
{
    char who[8];
    int cpu;
    unsigned off, v;
    int k = write ? sscanf(a, "%7s %d iface write at 0x%x 0x%x", who, &cpu, &off, &v)
                  : sscanf(a, "%7s %d iface read at 0x%x: 0x%x", who, &cpu, &off, &v);
    if (k != 4 || cpu < 0 || off >= 0x2000) return -1;
    bool virt = !strcmp(who, "vcpu");
    if (!virt && strcmp(who, "cpu")) return -1;
    if (select_cpu(r, (unsigned)cpu)) return -1;
    enum gic_frame f = virt ? GIC_FRAME_GICV : GIC_FRAME_GICC;
    uint64_t base = virt ? VIRT_GICV : VIRT_GICC;
    return mmio(r, write ? TRACE_BEFORE_EFFECT : TRACE_AFTER_EFFECT, f, (unsigned)cpu, base + off, off, 4, write, v);
}
static int ev_v2_cpu_read(struct rp *r, const char *a) { return v2_cpuif(r, a, false); }
static int ev_v2_cpu_write(struct rp *r, const char *a) { return v2_cpuif(r, a, true); }

static int ev_v2_set_irq(struct rp *r, const char *a)
{
    int irq, level;
    unsigned cm, target;
    if (sscanf(a, "irq %d level %d cpumask 0x%x target 0x%x", &irq, &level, &cm, &target) != 4 || irq < 16) return -1;
    if (irq >= 32) return line_change(r, 0, (unsigned)irq, level);
    if (!cm || (cm & (cm - 1))) return -1; /* a PPI's line belongs to one CPU */
    return line_change(r, (unsigned)__builtin_ctz(cm), (unsigned)irq, level);
}

static int ev_v2_update_set_irq(struct rp *r, const char *a)
{
    int cpu, level;
    char pin[8];
    if (sscanf(a, "cpu[%d]: %7s = %d", &cpu, pin, &level) != 3 || cpu < 0) return -1;
    static const struct {
        const char *name;
        uint8_t bit;
    } names[] = { { "irq", PIN_IRQ }, { "fiq", PIN_FIQ }, { "virq", PIN_VIRQ }, { "vfiq", PIN_VFIQ } };
    for (unsigned i = 0; i < 4; i++)
        if (!strcmp(pin, names[i].name)) return hold_pin(r, (unsigned)cpu, names[i].bit, level);
    return -1;
}

static int ev_v2_maint(struct rp *r, const char *a)
{
    int cpu, level;
    if (sscanf(a, "cpu %d: maintenance = %d", &cpu, &level) != 2 || cpu < 0) return -1;
    return hold_pin(r, (unsigned)cpu, PIN_MAINT, level);
}

/* ---------------- the event table ---------------- */
struct ev {
    const char *name;
    int version;                               /* 2, 3, or 0: either */
    int (*fn)(struct rp *r, const char *args); /* NULL: understood, informational only */
};

static const struct ev events[] = {
    { "gicv3_dist_read", 3, ev_v3_dist_read },
    { "gicv3_dist_badread", 3, ev_v3_dist_badread },
    { "gicv3_dist_write", 3, ev_v3_dist_write },
    { "gicv3_dist_badwrite", 3, ev_v3_dist_write },
    { "gicv3_redist_read", 3, ev_v3_redist_read },
    { "gicv3_redist_badread", 3, ev_v3_redist_badread },
    { "gicv3_redist_write", 3, ev_v3_redist_write },
    { "gicv3_redist_badwrite", 3, ev_v3_redist_write },
    { "gicv3_dist_set_irq", 3, ev_v3_dist_set_irq },
    { "gicv3_redist_set_irq", 3, ev_v3_redist_set_irq },
    { "gicv3_cpuif_set_irqs", 3, ev_v3_set_irqs },
    { "gicv3_cpuif_virt_set_irqs", 3, ev_v3_virt_set_irqs },
    { "gicv3_cpuif_virt_set_maint_irq", 3, ev_v3_virt_maint },
    { "gicv3_icc_generate_sgi", 3, ev_v3_generate_sgi },
    { "gicv3_cpuif_update", 3, NULL },
    { "gicv3_cpuif_virt_update", 3, NULL },
    { "gicv3_redist_send_sgi", 3, NULL },
    { "gic_dist_read", 2, ev_v2_dist_read },
    { "gic_dist_write", 2, ev_v2_dist_write },
    { "gic_hyp_read", 2, ev_v2_hyp_read },
    { "gic_hyp_write", 2, ev_v2_hyp_write },
    { "gic_cpu_read", 2, ev_v2_cpu_read },
    { "gic_cpu_write", 2, ev_v2_cpu_write },
    { "gic_set_irq", 2, ev_v2_set_irq },
    { "gic_update_set_irq", 2, ev_v2_update_set_irq },
    { "gic_update_maintenance_irq", 2, ev_v2_maint },
    { "gic_lr_entry", 2, NULL },
    { "gic_acknowledge_irq", 2, NULL },
    { "gic_update_bestirq", 2, NULL },
    { "gic_enable_irq", 2, NULL },
    { "gic_disable_irq", 2, NULL },
    { "memory_region_ops_read", 0, NULL },
    { "memory_region_ops_write", 0, NULL },
};

static const struct ev *find_event(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
        if (strlen(events[i].name) == len && !strncmp(events[i].name, name, len)) return &events[i];
    /* every ICC_/ICH_/ICV_ register event has the same shape */
    static const struct ev sys = { "gicv3_sysreg", 3, ev_v3_sysreg };
    if (len > 10 &&
        (!strncmp(name, "gicv3_icc_", 10) || !strncmp(name, "gicv3_ich_", 10) || !strncmp(name, "gicv3_icv_", 10)))
        return &sys;
    return NULL;
}

/* ---------------- lines ---------------- */
/* QEMU's exception log (-d int), which the recording keeps for guest exits and entries. */
static int exception_line(struct rp *r, const char *s)
{
    if (!strncmp(s, "Taking exception ", 17)) {
        unsigned num, cpu;
        if (sscanf(s, "Taking exception %u [%*[^]]] on CPU %u", &num, &cpu) != 2)
            return fatal(r, "malformed exception record");
        if (!r->dry) {
            r->exceptions++;
            if (r->timing) replay_timing_exception(r->timing, r->line, cpu, num);
        }
        return 1;
    }
    if (!strncmp(s, "...", 3)) {
        if (!r->dry && r->timing) replay_timing_exception_detail(r->timing, s + 3, platform_now(&r->p));
        return 1;
    }
    if (!strncmp(s, "Exception return from ", 22)) {
        if (!r->dry) r->erets++;
        if (!r->dry && r->timing && strstr(s, " EL2 to AArch64 EL1 "))
            replay_timing_eret(r->timing, platform_now(&r->p));
        return 1;
    }
    return 0;
}

static int do_line(struct rp *r, char *s)
{
    /* the log backend's optional "pid@seconds.micros:" prefix */
    if (isdigit((unsigned char)*s)) {
        char *p = s;
        while (isdigit((unsigned char)*p)) p++;
        if (*p == '@') {
            p++;
            while (isdigit((unsigned char)*p) || *p == '.') p++;
            if (*p == ':') s = p + 1;
        }
    }
    if (!*s) return 0;
    int ex = exception_line(r, s);
    if (ex) return ex < 0 ? -1 : 0;
    size_t len = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");
    if (len == 0) return fatal(r, "not a QEMU trace line: '%.40s'", s);
    if (s[len] == ':' && s[len + 1] == ' ') { /* a QEMU log message (-d guest_errors, unimp) */
        count_skipped(r, "QEMU log messages", 17, true);
        return 0;
    }
    if (s[len] != ' ' && s[len] != 0) return fatal(r, "not a QEMU trace line: '%.40s'", s);
    const struct ev *e = find_event(s, len);
    if (!e) {
        count_skipped(r, s, len, false);
        return 0;
    }
    if (e->version) {
        if (!r->version) r->version = e->version;
        else if (r->version != e->version) return fatal(r, "the trace mixes GICv2 and GICv3 events");
        if (!r->dry && r->version != (r->p.preset == PRESET_VIRT_GICV3 ? 3 : 2))
            return fatal(r, "a GICv%d event, but the machine is %s", r->version, platform_preset_name(r->p.preset));
    }
    if (!e->fn) {
        count_skipped(r, s, len, true);
        return 0;
    }
    if (e->fn(r, s + len + (s[len] == ' ')) < 0) return r->err[0] ? -1 : fatal(r, "malformed %.*s event", (int)len, s);
    return 0;
}

/* Splits the text into lines in place; a last line without its newline is a cut trace. */
static int split_lines(struct rp *r, char *text, size_t len)
{
    unsigned long n = 0;
    for (size_t i = 0; i < len; i++) n += text[i] == '\n';
    if (len && text[len - 1] != '\n') {
        r->line = n + 1;
        return fatal(r, "the trace is cut: its last line has no newline");
    }
    r->lines = malloc((n ? n : 1) * sizeof *r->lines);
    if (!r->lines) return fatal(r, "out of memory");
    char *s = text;
    for (unsigned long i = 0; i < n; i++) {
        char *nl = strchr(s, '\n');
        *nl = 0;
        if (nl > s && nl[-1] == '\r') nl[-1] = 0;
        r->lines[i] = s;
        s = nl + 1;
    }
    r->n_lines = n;
    return 0;
}

static int pass(struct rp *r)
{
    struct progress prog;
    progress_start(&prog, "gicsim replay", "lines", r->dry || r->o->quiet);
    for (r->line = 1; r->line <= r->n_lines; r->line++) {
        if (do_line(r, r->lines[r->line - 1]) < 0) return -1;
        if (!(r->line & 4095)) progress_update(&prog, r->line, r->n_lines);
    }
    progress_end(&prog, r->n_lines, r->n_lines);
    r->line = r->n_lines;
    flush_pins(r, false);
    return r->err[0] ? -1 : 0;
}

/* ---------------- the allow-list ---------------- */
/* Lines "REGISTER QEMU_VALUE GICSIM_VALUE reason..."; '#' starts a comment. */
static int load_allow(struct rp *r, const char *path)
{
    struct trace_input in;
    char why[256];
    if (trace_input_read(path, &in, why, sizeof why)) {
        snprintf(r->err, sizeof r->err, "%s", why);
        return -1;
    }
    unsigned long ln = 0;
    for (char *s = in.text, *next; s; s = next) {
        char *nl = strchr(s, '\n');
        next = nl ? nl + 1 : NULL;
        if (nl) *nl = 0;
        ln++;
        char *hash = strchr(s, '#');
        if (hash) *hash = 0;
        char reg[40];
        uint64_t q, g;
        int n = 0;
        if (s[strspn(s, " \t")] == 0) continue;
        if (sscanf(s, " %39s %" SCNi64 " %" SCNi64 " %n", reg, &q, &g, &n) != 3 || !n) {
            snprintf(r->err, sizeof r->err, "%s:%lu: expected REGISTER QEMU_VALUE GICSIM_VALUE REASON", path, ln);
            trace_input_free(&in);
            return -1;
        }
        struct allow_entry *na = realloc(r->allow, (r->n_allow + 1) * sizeof *na);
        if (!na) {
            trace_input_free(&in);
            snprintf(r->err, sizeof r->err, "out of memory");
            return -1;
        }
        r->allow = na;
        struct allow_entry *e = &r->allow[r->n_allow++];
        snprintf(e->reg, sizeof e->reg, "%s", reg);
        e->qemu = q;
        e->gicsim = g;
        snprintf(e->why, sizeof e->why, "%s", s + n);
    }
    trace_input_free(&in);
    return 0;
}

/* ---------------- the rule checker ---------------- */
static void on_violation(void *ctx, const struct gic_violation *v)
{
    struct rp *r = ctx;
    if (r->violations_printed >= r->o->max_report) return;
    r->violations_printed++;
    char buf[2048];
    gic_violation_format(v, buf, sizeof buf);
    printf("violation (trace line %lu): %s\n", r->line, buf);
}

static void on_trace(void *ctx, const struct gic_trace_event *ev)
{
    struct rp *r = ctx;
    if (r->rc) gic_rulecheck_trace(r->rc, ev);
    if (r->timing) replay_timing_event(r->timing, r->line, ev);
}

/* ---------------- the report ---------------- */
static void report(struct rp *r, FILE *out)
{
    fprintf(out, "  trace lines          %lu (%lu GIC events replayed; exception log: %lu exceptions, %lu returns)\n",
            r->n_lines, r->events, r->exceptions, r->erets);
    fprintf(out, "  commands             %lu: %lu reads, %lu writes (%lu of them SGIs), %lu input line changes\n",
            r->commands, r->reads, r->writes, r->sgis, r->lines_changed);
    fprintf(out, "  checked              %lu read values, %lu output pins\n", r->reads, r->pins_checked);
    fprintf(out, "  mismatches           %lu (%lu more allowed by the allow-list)\n", r->mismatches, r->allowed);
    fprintf(out, "  GIC cycles           %" PRIu64 "\n", (uint64_t)platform_now(&r->p));
    if (r->rc) fprintf(out, "  rule violations      %zu\n", gic_rulecheck_count(r->rc));
    if (r->n_groups) {
        fprintf(out, "mismatches by register (QEMU value, gicsim value, count, first trace line):\n");
        for (unsigned i = 0; i < r->n_groups; i++) {
            const struct group *g = &r->groups[i];
            char gv[24];
            if (g->gicsim_undef) snprintf(gv, sizeof gv, "UNDEFINED");
            else snprintf(gv, sizeof gv, "0x%" PRIx64, g->gicsim);
            fprintf(out, "  %-22s 0x%-10" PRIx64 " %-12s %6lu  line %lu%s%s\n", g->reg, g->qemu, gv, g->count,
                    g->first_line, g->why ? "  allowed: " : "", g->why ? g->why : "");
        }
        if (r->groups_overflow) fprintf(out, "  ... %lu more in classes not listed\n", r->groups_overflow);
    }
    if (r->n_skipped) {
        fprintf(out, "events not replayed (count):\n");
        for (unsigned i = 0; i < r->n_skipped; i++)
            fprintf(out, "  %-34s %8lu  %s\n", r->skipped[i].name, r->skipped[i].count,
                    r->skipped[i].info ? "informational: QEMU's internal state, nothing to replay"
                                       : "NOT UNDERSTOOD by the replay");
        if (r->skipped_overflow) fprintf(out, "  ... %lu more of other kinds\n", r->skipped_overflow);
    }
}

/* ---------------- entry ---------------- */
static int infer(struct rp *r)
{
    r->dry = true;
    if (pass(r)) return -1;
    r->dry = false;
    if (!r->version) {
        r->line = 0;
        return fatal(r, "no GICv2 or GICv3 event: not a QEMU GIC trace");
    }
    const struct replay_opts *o = r->o;
    if (o->dtb) {
        /* The device tree gives the version and the CPUs; the trace must fit them. */
        if (gic_dt_load(o->dtb, o->spis, &r->dt, r->err, sizeof r->err)) return -1;
        r->line = 0;
        if ((unsigned)r->dt.cfg.version != (unsigned)r->version)
            return fatal(r, "a GICv%d trace, but %s describes a GICv%d", r->version, o->dtb, (int)r->dt.cfg.version);
        if (r->max_cpu >= r->dt.cfg.num_cpus)
            return fatal(r, "the trace names CPU %u, but %s has %u CPUs", r->max_cpu, o->dtb, r->dt.cfg.num_cpus);
        r->p.preset = r->version == 3 ? PRESET_VIRT_GICV3 : PRESET_VIRT_GICV2;
        r->p.smp = r->dt.cfg.num_cpus;
        return 0;
    }
    enum platform_preset want = r->version == 3 ? PRESET_VIRT_GICV3 : PRESET_VIRT_GICV2;
    if (o->have_machine && o->preset != want) {
        r->line = 0;
        return fatal(r, "a GICv%d trace, but --machine %s", r->version, platform_preset_name(o->preset));
    }
    r->p.preset = want;
    r->p.smp = o->have_smp ? o->smp : r->max_cpu + 1;
    if (r->p.smp > (r->version == 2 ? 8u : 64u)) {
        r->line = 0;
        return fatal(r, "%u CPUs: more than a GICv%d has", r->p.smp, r->version);
    }
    return 0;
}

/* Everything after the trace is in memory and split; -1 with r->err set on a fatal error. */
static int replay(struct rp *r, FILE *out)
{
    const struct replay_opts *o = r->o;
    if (infer(r)) return -1;
    enum platform_preset preset = r->p.preset;
    unsigned smp = r->p.smp;
    int created = o->dtb ? platform_init_dt(&r->p, &r->dt, o->latency, o->dtb)
                         : platform_init_timed(&r->p, preset, smp, o->latency);
    if (created != GIC_OK) {
        snprintf(r->err, sizeof r->err, "cannot create the %s GIC with %u CPUs",
                 o->dtb ? o->dtb : platform_preset_name(preset), smp);
        return -1;
    }
    if (o->rtl && platform_use_rtl(&r->p, r->err, sizeof r->err)) return -1;
    if (o->rulecheck) {
        if (gic_rulecheck_create(gic_get_config(r->p.gic), &r->rc) != GIC_OK)
            return fatal(r, "cannot create the rule checker");
        gic_rulecheck_set_callback(r->rc, on_violation, r);
    }
    struct replay_timing_map map = { o->guest_gicd, o->guest_gicr };
    if (o->timing && replay_timing_create(&r->timing, gic_get_config(r->p.gic), &map)) return fatal(r, "out of memory");
    if (r->rc || r->timing) platform_set_trace(&r->p, on_trace, r);
    if (o->vcd && vcd_cli_open(o->vcd, r->p.gic, &r->vcd)) return -2; /* chained before on_trace; one line said */
    if (o->save_script) {
        if (!(r->save = fopen(o->save_script, "w"))) {
            snprintf(r->err, sizeof r->err, "cannot write %s", o->save_script);
            return -1;
        }
        if (o->dtb)
            fprintf(r->save, "# gicsim run script from the QEMU trace %s\n# gicsim run THIS --dtb %s --spis %u\n",
                    o->trace, o->dtb, o->spis);
        else
            fprintf(r->save, "# gicsim run script from the QEMU trace %s\n# gicsim run THIS --machine %s --smp %u\n",
                    o->trace, platform_preset_name(preset), smp);
    }
    r->qo.extensions = true;
    r->qo.name = o->trace;
    fprintf(out, "gicsim replay: %s on %s, %u CPU%s%s, model %s\n", o->trace, r->p.machine, smp, smp > 1 ? "s" : "",
            o->have_machine || o->have_smp || o->dtb ? "" : " (from the trace)", r->p.m.name);
    if (pass(r)) return -1;
    gic_vcd_t *vcd = r->vcd; /* the waveform ends with the replay; a write that failed is exit status 2 */
    r->vcd = NULL;
    if (vcd && vcd_cli_close(o->vcd, vcd)) return -2;
    if (r->rc) {
        gic_rulecheck_finish(r->rc, platform_now(&r->p));
        gic_rulecheck_flush(r->rc);
    }
    if (r->save) {
        FILE *s = r->save;
        r->save = NULL;
        if (ferror(s) | (fclose(s) != 0)) {
            snprintf(r->err, sizeof r->err, "cannot write %s", o->save_script);
            return -1;
        }
    }
    report(r, out);
    if (r->timing && replay_timing_write(r->timing, platform_now(&r->p), o->timing, out, r->err, sizeof r->err))
        return -1;
    errno = 0;
    if (fflush(out) != 0 || ferror(out)) {
        write_error("standard output", errno); /* one line, and main's own check stays quiet */
        return -2;
    }
    return r->mismatches || (o->strict && r->rc && gic_rulecheck_count(r->rc)) ? 1 : 0;
}

int replay_run(const struct replay_opts *o, FILE *out)
{
    static struct rp r; /* large; one replay per process */
    memset(&r, 0, sizeof r);
    r.o = o;
    struct trace_input in = { 0 };
    int status = -1;
    if (trace_input_read(o->trace, &in, r.err, sizeof r.err) == 0 && (!o->allow || load_allow(&r, o->allow) == 0) &&
        split_lines(&r, in.text, in.len) == 0)
        status = replay(&r, out);
    if (r.save) fclose(r.save);
    if (r.vcd) gic_vcd_close(r.vcd); /* after a failure reported already */
    if (r.rc) gic_rulecheck_destroy(r.rc);
    if (r.timing) replay_timing_destroy(r.timing);
    if (r.p.gic) platform_fini(&r.p);
    free(r.lines);
    free(r.allow);
    trace_input_free(&in);
    if (status >= 0) return status;
    if (status == -1) fprintf(stderr, "gicsim: %s\n", r.err[0] ? r.err : "replay failed");
    return 2;
}
