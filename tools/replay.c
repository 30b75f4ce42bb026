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
                 : f == GIC_FRAME_GITS ? "GITS"
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

/* ---------------- GICv3 ITS and LPI events ----------------
 * The ITS's command queue, its two-level tables' level-1 entries and the LPI configuration table live in
 * guest memory, which the trace does not carry. The replay rebuilds what the GIC reads there from the
 * events and writes it into the platform's RAM (writeb/writeq commands) before the register write that
 * makes the GIC read it; the tables the ITS writes itself (device, collection, translation entries) are
 * written by gicsim's ITS. docs/real-software.md, "LPIs and the ITS", says what is inferred and why. */
static void its_note_region(struct rp *r, uint64_t base, uint64_t size)
{
    struct its_replay *s = &r->its;
    if (!r->dry || !size) return;
    if (base + size > s->ram_end) s->ram_end = base + size;
    if (s->n_regions == s->cap_regions) {
        size_t cap = s->cap_regions ? 2 * s->cap_regions : 16;
        struct mem_region *n = realloc(s->regions, cap * sizeof *n);
        if (!n) return; /* only the level-2 pages' placement uses the list; RAM size is kept */
        s->regions = n;
        s->cap_regions = cap;
    }
    s->regions[s->n_regions++] = (struct mem_region){ base, size };
}

/* GITS_BASER<n>: page size, base and bytes as gicsim's ITS reads them (IHI0069H 12.19). */
static uint64_t baser_page(uint64_t v)
{
    unsigned ps = (v >> 8) & 3;
    return ps == 0 ? 0x1000u : ps == 1 ? 0x4000u : 0x10000u;
}
static uint64_t baser_base(uint64_t v)
{
    if (baser_page(v) == 0x10000u) return ((v >> 16) & 0xffffffffull) << 16 | ((v >> 12) & 0xfull) << 48;
    return v & 0x0000fffffffff000ull;
}
static uint64_t baser_bytes(uint64_t v) { return ((v & 0xff) + 1) * baser_page(v); }

/* A 64-bit register written whole or as two 32-bit halves. */
static void merge64(uint64_t *reg, uint64_t at, uint64_t off, unsigned size, uint64_t v)
{
    if (off == at && size == 8) *reg = v;
    else if (off == at && size == 4) *reg = (*reg & ~0xffffffffull) | (v & 0xffffffffull);
    else if (off == at + 4 && size == 4) *reg = (*reg & 0xffffffffull) | v << 32;
}

/* The ITS takes its queue and tables when it is enabled: that is when the dry pass notes them. */
static void its_note_write(struct rp *r, uint64_t off, unsigned size, uint64_t v)
{
    struct its_replay *s = &r->its;
    if (off == 0 && size == 4) {
        bool en = v & 1;
        if (en && !s->enabled) {
            if (s->cbaser >> 63) its_note_region(r, s->cbaser & PA_MASK, ((s->cbaser & 0xff) + 1) * 0x1000);
            for (unsigned i = 0; i < 2; i++)
                if (s->baser[i] >> 63) its_note_region(r, baser_base(s->baser[i]), baser_bytes(s->baser[i]));
        }
        s->enabled = en;
    }
    if (s->enabled) return; /* GITS_CBASER and GITS_BASER<n> are read-only while the ITS is enabled */
    merge64(&s->cbaser, 0x80, off, size, v);
    merge64(&s->baser[0], 0x100, off, size, v);
    merge64(&s->baser[1], 0x108, off, size, v);
}

/* GICR_PROPBASER, GICR_PENDBASER and GICR_CTLR.EnableLPIs (when the dry pass notes the tables). */
static void its_note_redist(struct rp *r, unsigned cpu, uint64_t off, unsigned size, uint64_t v)
{
    struct its_replay *s = &r->its;
    merge64(&s->propbaser, 0x70, off, size, v);
    if (cpu < MAX_CPUS) merge64(&s->pendbaser[cpu], 0x78, off, size, v);
    if (off != 0 || !(v & 1) || cpu >= MAX_CPUS) return;
    unsigned idbits = (unsigned)(s->propbaser & 0x1f) + 1;
    uint64_t ids = idbits > 16 ? LPI_LIMIT : 1ull << idbits;
    if (ids > LPI_FIRST) its_note_region(r, s->propbaser & PA_MASK, ids - LPI_FIRST);
    its_note_region(r, s->pendbaser[cpu] & 0x000fffffffff0000ull, 0x10000); /* Linux: 64 KiB each */
}

/* Writes the command being rebuilt into the queue (GITS_CBASER + 32 x entry). */
static int its_flush(struct rp *r)
{
    struct its_replay *s = &r->its;
    if (!s->open) return 0;
    s->open = false;
    uint64_t at = (s->cbaser & PA_MASK) + (uint64_t)s->open_idx * ITS_CMD_BYTES;
    for (unsigned i = 0; i < 4; i++)
        if (command(r, "writeq 0x%" PRIx64 " 0x%" PRIx64, at + 8 * i, s->cmd[i]) < 0) return -1;
    if (!r->dry) s->commands++;
    return 0;
}

/* "processing command at offset 0x9: 0xa": queue entry 9 holds command 0x0a. QEMU logs the commands a
 * GITS_CWRITER (or GITS_CTLR) write processes before the write's own event, so each packet is in memory
 * before the write is replayed. */
static int ev_its_process(struct rp *r, const char *a)
{
    struct its_replay *s = &r->its;
    unsigned idx, code;
    if (sscanf(a, "GICv3 ITS: processing command at offset 0x%x: 0x%x", &idx, &code) != 2 || code > 0xff) return -1;
    if (its_flush(r)) return -1;
    s->used = true;
    uint32_t n = (uint32_t)((s->cbaser & 0xff) + 1) * 0x1000u / ITS_CMD_BYTES;
    if (!(s->cbaser >> 63) || idx >= n)
        return fatal(r, "ITS command at queue entry %u, but GITS_CBASER (0x%" PRIx64 ") has %u entries", idx, s->cbaser,
                     s->cbaser >> 63 ? n : 0);
    s->open = true;
    s->open_idx = idx;
    memset(s->cmd, 0, sizeof s->cmd);
    s->cmd[0] = code;
    return 0;
}

/* The packet of command `code` being rebuilt, or NULL (fatal) when the event has no processing event. */
static uint64_t *its_open(struct rp *r, unsigned code)
{
    if (r->its.open && (r->its.cmd[0] & 0xff) == code) return r->its.cmd;
    fatal(r, "an ITS command event without its gicv3_its_process_command (command 0x%02x)", code);
    return NULL;
}

static bool bit_get(const uint8_t *b, uint32_t i) { return (b[i / 8] >> (i % 8)) & 1; }
static void bit_put(uint8_t *b, uint32_t i, bool v)
{
    if (v) b[i / 8] |= (uint8_t)(1u << (i % 8));
    else b[i / 8] &= (uint8_t) ~(1u << (i % 8));
}

/* The LPI's configuration byte as Linux keeps it: LPI_PROP_LINUX, bit 0 = enabled. */
static uint8_t lpi_byte(const struct its_replay *s, uint32_t intid)
{
    return (uint8_t)(LPI_PROP_LINUX | (bit_get(s->lpi_on, intid) ? 1u : 0u));
}

/* Writes the configuration byte of LPI intid (it enabled or not) into the table GICR_PROPBASER names. */
static int lpi_set(struct rp *r, uint32_t intid, bool on)
{
    struct its_replay *s = &r->its;
    unsigned idbits = (unsigned)(s->propbaser & 0x1f) + 1; /* the table holds INTIDs below 2^idbits */
    if (intid < LPI_FIRST || intid >= LPI_LIMIT || (idbits < 16 && intid >> idbits) || !(s->propbaser & PA_MASK))
        return 0;
    bit_put(s->lpi_known, intid, true);
    bit_put(s->lpi_on, intid, on);
    uint64_t at = (s->propbaser & PA_MASK) + intid - LPI_FIRST;
    if (!r->dry) s->cfg_writes++;
    return command(r, "writeb 0x%" PRIx64 " 0x%x", at, lpi_byte(s, intid)) < 0 ? -1 : 0;
}

static struct its_map *map_find(struct its_replay *s, uint32_t devid, uint32_t eventid)
{
    for (size_t i = 0; i < s->n_map; i++)
        if (s->map[i].devid == devid && s->map[i].eventid == eventid) return &s->map[i];
    return NULL;
}

/* MAPTI/MAPI: the mapping, and a first configuration byte (disabled, as Linux allocates it) for a new LPI. */
static int map_add(struct rp *r, uint32_t devid, uint32_t eventid, uint32_t intid)
{
    struct its_replay *s = &r->its;
    struct its_map *m = map_find(s, devid, eventid);
    if (!m && s->n_map == s->cap_map) {
        size_t cap = s->cap_map ? 2 * s->cap_map : 64;
        struct its_map *n = realloc(s->map, cap * sizeof *n);
        if (!n) return fatal(r, "out of memory");
        s->map = n;
        s->cap_map = cap;
    }
    if (!m) m = &s->map[s->n_map++];
    *m = (struct its_map){ devid, eventid, intid };
    if (intid >= LPI_FIRST && intid < LPI_LIMIT && !bit_get(s->lpi_known, intid)) return lpi_set(r, intid, false);
    return 0;
}

static void map_drop(struct its_replay *s, uint32_t devid, bool all, uint32_t eventid)
{
    for (size_t i = 0; i < s->n_map;)
        if (s->map[i].devid == devid && (all || s->map[i].eventid == eventid)) s->map[i] = s->map[--s->n_map];
        else i++;
}

/* A zeroed page of the replay's RAM for a level-2 table: from the top of RAM down, clear of every table
 * the trace names. 0 if there is none. */
static uint64_t its_alloc_page(struct rp *r, uint64_t page)
{
    struct its_replay *s = &r->its;
    uint64_t lo = r->p.ram.base, a = s->next_page ? s->next_page : r->p.ram.base + r->p.ram.size;
    while (a >= lo + page) {
        a = (a - page) & ~(page - 1);
        if (a < lo) break;
        bool clash = false;
        for (size_t i = 0; i < s->n_regions && !clash; i++)
            clash = a < s->regions[i].base + s->regions[i].size && s->regions[i].base < a + page;
        if (!clash) return s->next_page = a;
    }
    return 0;
}

/* A two-level table (GITS_BASER<n>.Indirect, IHI0069H 5.2.1): Linux gives entry `id` a level-2 page and
 * writes its level-1 entry in memory before the MAPD or MAPC; the trace shows neither, so the replay gives
 * it a page of its own RAM. */
static int its_level1(struct rp *r, uint64_t baser, uint32_t id)
{
    if (r->dry || !(baser >> 63) || !((baser >> 62) & 1)) return 0;
    uint64_t page = baser_page(baser), idx = id / (page / 8);
    if (idx * 8 >= baser_bytes(baser)) return 0; /* beyond the table: the command is ignored anyway */
    uint64_t l1 = baser_base(baser) + idx * 8, v = 0;
    platform_access(&r->p, l1, 8, false, 0, &v);
    if (v >> 63) return 0;
    uint64_t pg = its_alloc_page(r, page);
    if (!pg) return fatal(r, "no room in RAM for a level-2 ITS table page");
    r->its.l2_pages++;
    return command(r, "writeq 0x%" PRIx64 " 0x%" PRIx64, l1, 1ull << 63 | pg) < 0 ? -1 : 0;
}

/* The command events (IHI0069H 5.3 encodings): DeviceID in DW0 [63:32], EventID in DW1 [31:0], pINTID in
 * DW1 [63:32], ICID in DW2 [15:0], RDbase in DW2 (DW3) [51:16], Valid in DW2 [63]. */
static int ev_its_mapd(struct rp *r, const char *a)
{
    unsigned devid, size;
    uint64_t itt;
    int v;
    if (sscanf(a, "GICv3 ITS: command MAPD DeviceID 0x%x Size 0x%x ITT_addr 0x%" SCNx64 " V %d", &devid, &size, &itt,
               &v) != 4 ||
        size > 0x1f)
        return -1;
    uint64_t *c = its_open(r, 0x08);
    if (!c) return -1;
    itt <<= 8; /* QEMU logs ITT_addr [51:8] */
    c[0] |= (uint64_t)devid << 32;
    c[1] = size;
    c[2] = (itt & 0x000fffffffffff00ull) | (uint64_t)(v != 0) << 63;
    if (v && size < 16) its_note_region(r, itt, (2ull << size) * ITS_ITE_BYTES); /* larger: the ITS ignores it */
    else map_drop(&r->its, devid, true, 0);
    return v && its_level1(r, r->its.baser[0], devid) ? -1 : its_flush(r);
}

static int ev_its_mapc(struct rp *r, const char *a)
{
    unsigned icid;
    uint64_t rd;
    int v;
    if (sscanf(a, "GICv3 ITS: command MAPC ICID 0x%x RDbase 0x%" SCNx64 " V %d", &icid, &rd, &v) != 3 || icid > 0xffff)
        return -1;
    uint64_t *c = its_open(r, 0x09);
    if (!c) return -1;
    c[2] = icid | (rd & 0xfffffffffull) << 16 | (uint64_t)(v != 0) << 63;
    if (v) r->its.last_icid = icid;
    return v && its_level1(r, r->its.baser[1], icid) ? -1 : its_flush(r);
}

static int ev_its_mapti(struct rp *r, const char *a)
{
    unsigned devid, eventid, icid, intid;
    if (sscanf(a, "GICv3 ITS: command MAPTI DeviceID 0x%x EventID 0x%x ICID 0x%x pINTID 0x%x", &devid, &eventid, &icid,
               &intid) != 4 ||
        icid > 0xffff)
        return -1;
    uint64_t *c = its_open(r, 0x0a);
    if (!c) return -1;
    c[0] |= (uint64_t)devid << 32;
    c[1] = eventid | (uint64_t)intid << 32;
    c[2] = icid;
    return map_add(r, devid, eventid, intid) ? -1 : its_flush(r);
}

static int ev_its_mapi(struct rp *r, const char *a)
{
    unsigned devid, eventid, icid;
    if (sscanf(a, "GICv3 ITS: command MAPI DeviceID 0x%x EventID 0x%x ICID 0x%x", &devid, &eventid, &icid) != 3 ||
        icid > 0xffff)
        return -1;
    uint64_t *c = its_open(r, 0x0b);
    if (!c) return -1;
    c[0] |= (uint64_t)devid << 32;
    c[1] = eventid;
    c[2] = icid;
    return map_add(r, devid, eventid, eventid) ? -1 : its_flush(r);
}

/* INT, CLEAR, DISCARD and INV name a DeviceID and an EventID. */
static int its_event_cmd(struct rp *r, const char *a, const char *name, unsigned code)
{
    char fmt[80];
    unsigned devid, eventid;
    snprintf(fmt, sizeof fmt, "GICv3 ITS: command %s DeviceID 0x%%x EventID 0x%%x", name);
    if (sscanf(a, fmt, &devid, &eventid) != 2) return -1;
    uint64_t *c = its_open(r, code);
    if (!c) return -1;
    c[0] |= (uint64_t)devid << 32;
    c[1] = eventid;
    return 0;
}
static int ev_its_int(struct rp *r, const char *a) { return its_event_cmd(r, a, "INT", 0x03) ? -1 : its_flush(r); }
static int ev_its_clear(struct rp *r, const char *a) { return its_event_cmd(r, a, "CLEAR", 0x04) ? -1 : its_flush(r); }
static int ev_its_discard(struct rp *r, const char *a)
{
    if (its_event_cmd(r, a, "DISCARD", 0x0f)) return -1;
    map_drop(&r->its, (uint32_t)(r->its.cmd[0] >> 32), false, (uint32_t)r->its.cmd[1]);
    return its_flush(r);
}

/* INV: Linux sends it after each change of the LPI's configuration byte, and the only change Linux makes to
 * a physical LPI's byte is its enable (unmask, mask), each a change of state. So the byte is toggled here,
 * before the command that makes the GIC read it. */
static int ev_its_inv(struct rp *r, const char *a)
{
    if (its_event_cmd(r, a, "INV", 0x0c)) return -1;
    struct its_replay *s = &r->its;
    struct its_map *m = map_find(s, (uint32_t)(s->cmd[0] >> 32), (uint32_t)s->cmd[1]);
    if (m && m->intid >= LPI_FIRST && m->intid < LPI_LIMIT && lpi_set(r, m->intid, !bit_get(s->lpi_on, m->intid)))
        return -1;
    return its_flush(r);
}

static int ev_its_movi(struct rp *r, const char *a)
{
    unsigned devid, eventid, icid;
    if (sscanf(a, "GICv3 ITS: command MOVI DeviceID 0x%x EventID 0x%x ICID 0x%x", &devid, &eventid, &icid) != 3 ||
        icid > 0xffff)
        return -1;
    uint64_t *c = its_open(r, 0x01);
    if (!c) return -1;
    c[0] |= (uint64_t)devid << 32;
    c[1] = eventid;
    c[2] = icid;
    return its_flush(r);
}

static int ev_its_movall(struct rp *r, const char *a)
{
    uint64_t rd1, rd2;
    if (sscanf(a, "GICv3 ITS: command MOVALL RDbase1 0x%" SCNx64 " RDbase2 0x%" SCNx64, &rd1, &rd2) != 2) return -1;
    uint64_t *c = its_open(r, 0x0e);
    if (!c) return -1;
    c[2] = (rd1 & 0xfffffffffull) << 16;
    c[3] = (rd2 & 0xfffffffffull) << 16;
    return its_flush(r);
}

/* SYNC: QEMU does not log RDbase; gicsim's SYNC completes at once whatever it names (processor 0 here). */
static int ev_its_sync(struct rp *r, const char *a)
{
    (void)a;
    return its_open(r, 0x05) ? its_flush(r) : -1;
}

/* INVALL: QEMU does not log the ICID (it re-reads every redistributor's configuration); Linux sends INVALL
 * right after the MAPC of a CPU's collection, so the replay names the last collection mapped. */
static int ev_its_invall(struct rp *r, const char *a)
{
    (void)a;
    uint64_t *c = its_open(r, 0x0d);
    if (!c) return -1;
    c[2] = r->its.last_icid;
    return its_flush(r);
}

/* A command QEMU does not know: the packet keeps only its number, which gicsim ignores too. */
static int ev_its_unknown(struct rp *r, const char *a)
{
    unsigned code;
    if (sscanf(a, "GICv3 ITS: unknown command 0x%x", &code) != 1 || code > 0xff) return -1;
    return its_open(r, code) ? its_flush(r) : -1;
}

/* "GICv3 ITS read: offset 0x8 data 0x1f0001efb1 size 8" (badread: no data, ": error"), "GICv3 ITS write:
 * offset 0x88 data 0x40 size 4": the control frame. QEMU logs an access after its effects; the commands a
 * write processed were logged before it and are in memory by now. */
static int its_mmio(struct rp *r, const char *a, bool write, bool bad)
{
    uint64_t off, data = 0;
    unsigned size;
    int k = write ? sscanf(a, "GICv3 ITS write: offset 0x%" SCNx64 " data 0x%" SCNx64 " size %u", &off, &data, &size)
            : bad ? sscanf(a, "GICv3 ITS read: offset 0x%" SCNx64 " size %u", &off, &size) + 1
                  : sscanf(a, "GICv3 ITS read: offset 0x%" SCNx64 " data 0x%" SCNx64 " size %u", &off, &data, &size);
    if (k != 3 || off >= 0x10000) return -1;
    r->its.used = true;
    if (its_flush(r)) return -1;
    if (write) its_note_write(r, off, size, data);
    uint64_t addr = 0;
    if (!r->dry && !platform_address(&r->p, GIC_FRAME_GITS, 0, (uint32_t)off, &addr))
        return fatal(r, "an ITS access, but the machine has no ITS");
    return mmio(r, TRACE_AFTER_EFFECT, GIC_FRAME_GITS, 0, addr, (uint32_t)off, size, write, data);
}
static int ev_its_read(struct rp *r, const char *a) { return its_mmio(r, a, false, false); }
static int ev_its_badread(struct rp *r, const char *a) { return its_mmio(r, a, false, true); }
static int ev_its_write(struct rp *r, const char *a) { return its_mmio(r, a, true, false); }

/* "GICv3 ITS TRANSLATER write: offset 0x40 data 0x1 size 4 requester_id 0x8": an MSI, EventID `data` from
 * DeviceID `requester_id`. QEMU logs it before its effects. A 16-bit write carries the same EventID. */
static int ev_its_translation(struct rp *r, const char *a)
{
    uint64_t off, data;
    unsigned size, devid;
    if (sscanf(a, "GICv3 ITS TRANSLATER write: offset 0x%" SCNx64 " data 0x%" SCNx64 " size %u requester_id 0x%x", &off,
               &data, &size, &devid) != 4 ||
        off >= 0x10000 || devid > 0xffff)
        return -1;
    if (size != 1 && size != 2 && size != 4 && size != 8) return fatal(r, "access size %u", size);
    r->its.used = true;
    if (its_flush(r)) return -1;
    if (off != 0x40) { /* QEMU ignores the rest of the frame, and so does gicsim */
        count_skipped(r, "gicv3_its_translation_write (not 0x40)", 38, true);
        return 0;
    }
    if (begin_access(r, TRACE_BEFORE_EFFECT)) return -1;
    uint32_t v = size >= 4 ? (uint32_t)data : (uint32_t)data & ((1u << (8 * size)) - 1);
    char cmd[64];
    snprintf(cmd, sizeof cmd, "wr GITS_TRANSLATER 0x%x %u", v, devid);
    if (!r->dry) r->its.msis++;
    return do_write(r, "GITS_TRANSLATER", v, cmd);
}

/* "GICv3 CPU i/f 0x1 HPPI update: irq 8193 group 2 prio 160": QEMU read that LPI's configuration byte
 * from Linux's real table and found it enabled with that priority; the byte the replay inferred must
 * say the same (the check is of the inference, not of gicsim). Other INTIDs: informational. */
static int ev_v3_cpuif_update(struct rp *r, const char *a)
{
    unsigned affid;
    int irq, grp, prio;
    if (sscanf(a, "GICv3 CPU i/f 0x%x HPPI update: irq %d group %d prio %d", &affid, &irq, &grp, &prio) != 4) return -1;
    count_skipped(r, "gicv3_cpuif_update", 18, true);
    /* prio 0xff: nothing is pending (QEMU leaves the last INTID in irq); an LPI's priority has bits [1:0] 0 */
    if (r->dry || irq < (int)LPI_FIRST || irq >= (int)LPI_LIMIT || prio < 0 || prio >= 0xff) return 0;
    struct its_replay *s = &r->its;
    uint64_t q = (uint64_t)(prio & 0xfc) | 1, g = bit_get(s->lpi_known, (uint32_t)irq) ? lpi_byte(s, (uint32_t)irq) : 0;
    s->cfg_checked++;
    if ((g & 0xfd) != q) mismatch(r, "LPI configuration byte (inferred)", q, g & 0xfd, false);
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
    if (write && f == GIC_FRAME_GICR_RD) its_note_redist(r, cpu, off, size, data);
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
    if (sysreg(r, write ? TRACE_BEFORE_EFFECT : TRACE_AFTER_EFFECT, name, cpu_of_affid(affid), write, v)) return -1;
    if (!r->dry && !write && v >= LPI_FIRST && v < 0x1000000 && !strcmp(name, "ICC_IAR1_EL1")) {
        r->its.lpi_acks++; /* an LPI acknowledged in QEMU; gicsim's answer was compared like any read */
        if (r->st.last_status != GIC_E_UNDEF && r->st.last_value == v) r->its.lpi_acks_same++;
    }
    return 0;
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
    { "gicv3_cpuif_update", 3, ev_v3_cpuif_update },
    { "gicv3_its_read", 3, ev_its_read },
    { "gicv3_its_badread", 3, ev_its_badread },
    { "gicv3_its_write", 3, ev_its_write },
    { "gicv3_its_badwrite", 3, ev_its_write },
    { "gicv3_its_translation_write", 3, ev_its_translation },
    { "gicv3_its_process_command", 3, ev_its_process },
    { "gicv3_its_cmd_int", 3, ev_its_int },
    { "gicv3_its_cmd_clear", 3, ev_its_clear },
    { "gicv3_its_cmd_discard", 3, ev_its_discard },
    { "gicv3_its_cmd_sync", 3, ev_its_sync },
    { "gicv3_its_cmd_mapd", 3, ev_its_mapd },
    { "gicv3_its_cmd_mapc", 3, ev_its_mapc },
    { "gicv3_its_cmd_mapi", 3, ev_its_mapi },
    { "gicv3_its_cmd_mapti", 3, ev_its_mapti },
    { "gicv3_its_cmd_inv", 3, ev_its_inv },
    { "gicv3_its_cmd_invall", 3, ev_its_invall },
    { "gicv3_its_cmd_movall", 3, ev_its_movall },
    { "gicv3_its_cmd_movi", 3, ev_its_movi },
    { "gicv3_its_cmd_unknown", 3, ev_its_unknown },
    /* GICv4 commands (QEMU logs them on a GICv4 only): the packet keeps its number; gicsim has no GICv4 */
    { "gicv3_its_cmd_vmapi", 3, NULL },
    { "gicv3_its_cmd_vmapti", 3, NULL },
    { "gicv3_its_cmd_vmapp", 3, NULL },
    { "gicv3_its_cmd_vmovp", 3, NULL },
    { "gicv3_its_cmd_vsync", 3, NULL },
    { "gicv3_its_cmd_vmovi", 3, NULL },
    { "gicv3_its_cmd_vinvall", 3, NULL },
    /* the ITS's own table reads and writes: gicsim's ITS does its own */
    { "gicv3_its_cte_read", 3, NULL },
    { "gicv3_its_cte_write", 3, NULL },
    { "gicv3_its_cte_read_fault", 3, NULL },
    { "gicv3_its_ite_read", 3, NULL },
    { "gicv3_its_ite_read_fault", 3, NULL },
    { "gicv3_its_ite_write", 3, NULL },
    { "gicv3_its_dte_read", 3, NULL },
    { "gicv3_its_dte_write", 3, NULL },
    { "gicv3_its_dte_read_fault", 3, NULL },
    { "gicv3_its_vte_read", 3, NULL },
    { "gicv3_its_vte_read_fault", 3, NULL },
    { "gicv3_its_vte_write", 3, NULL },
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
    if (its_flush(r)) return -1;
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
    const struct its_replay *s = &r->its;
    if (s->used) {
        fprintf(
            out,
            "  ITS                  %lu MSIs, %lu commands rebuilt in memory, %lu level-2 table page%s; RAM %" PRIu64
            " MiB\n",
            s->msis, s->commands, s->l2_pages, s->l2_pages == 1 ? "" : "s", (uint64_t)(r->p.ram.size >> 20));
        fprintf(out,
                "  LPIs                 %lu acknowledged in QEMU, %lu of them in gicsim too; %lu configuration bytes "
                "written, %lu checked against QEMU's HPPI\n",
                s->lpi_acks, s->lpi_acks_same, s->cfg_writes, s->cfg_checked);
    }
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

/* What the dry pass learnt of guest memory stays (the tables' regions); the rebuilt state starts afresh. */
static void its_restart(struct its_replay *s)
{
    s->enabled = s->open = false;
    s->cbaser = s->baser[0] = s->baser[1] = s->propbaser = 0;
    memset(s->pendbaser, 0, sizeof s->pendbaser);
    s->last_icid = 0;
    s->n_map = 0;
    memset(s->lpi_known, 0, sizeof s->lpi_known);
    memset(s->lpi_on, 0, sizeof s->lpi_on);
}

/* A trace with ITS events needs the ITS, and RAM up to the tables it names (the recording's -m may exceed the
 * preset's 128 MiB): the RAM grows to the next 128 MiB, up to 256 GiB (QEMU virt's most below 1 TiB; a table
 * beyond stays outside RAM, and the replay shows the GIC's bus errors as mismatches). */
static int its_machine(struct rp *r)
{
    struct its_replay *s = &r->its;
    if (!s->used) return 0;
    r->line = 0;
    if (r->o->rtl)
        return fatal(r, "the trace uses the ITS (gicv3_its_* events), which the RTL reference does not have "
                        "(docs/rtl.md): replay it with --model c");
    uint64_t a;
    if (!platform_address(&r->p, GIC_FRAME_GITS, 0, 0, &a))
        return fatal(r, "the trace uses the ITS, but the machine has none");
    const uint64_t step = 128ull << 20;
    if (!r->p.ram.pages || s->ram_end <= r->p.ram.base + r->p.ram.size || s->ram_end <= r->p.ram.base) return 0;
    uint64_t size = (s->ram_end - r->p.ram.base + step - 1) / step * step;
    if (size > (256ull << 30)) size = 256ull << 30;
    if (platform_set_ram_size(&r->p, size) != GIC_OK) return fatal(r, "cannot make %" PRIu64 " MiB of RAM", size >> 20);
    return 0;
}

/* Everything after the trace is in memory and split; -1 with r->err set on a fatal error. */
static int replay(struct rp *r, FILE *out)
{
    const struct replay_opts *o = r->o;
    if (infer(r)) return -1;
    its_restart(&r->its);
    enum platform_preset preset = r->p.preset;
    unsigned smp = r->p.smp;
    int created = o->dtb ? platform_init_dt(&r->p, &r->dt, o->latency, o->dtb)
                         : platform_init_timed(&r->p, preset, smp, o->latency);
    if (created != GIC_OK) {
        snprintf(r->err, sizeof r->err, "cannot create the %s GIC with %u CPUs",
                 o->dtb ? o->dtb : platform_preset_name(preset), smp);
        return -1;
    }
    if (its_machine(r) || (o->rtl && platform_use_rtl(&r->p, r->err, sizeof r->err))) return -1;
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
        if (r->p.ram.size > (128ull << 20))
            fprintf(r->save,
                    "# the replay's RAM: %" PRIu64 " MiB from 0x%" PRIx64 " (give `gicsim run` as much with --dtb)\n",
                    r->p.ram.size >> 20, r->p.ram.base);
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
    free(r.its.map);
    free(r.its.regions);
    trace_input_free(&in);
    if (status >= 0) return status;
    if (status == -1) fprintf(stderr, "gicsim: %s\n", r.err[0] ? r.err : "replay failed");
    return 2;
}
