/* replay_timing.c: the timing report of `gicsim replay` (docs/real-software.md, "Timing").
 *
 * Two things are timed on the model while the trace replays:
 *  - guest writes to the pending/active registers (ISPENDR, ICPENDR, ISACTIVER, ICACTIVER) of its
 *    GIC: QEMU's exception log shows the guest's data abort at that register (a guest exit); from
 *    there to the next VM entry on the same CPU (the hypervisor enables its virtual CPU interface:
 *    ICH_HCR_EL2.En / GICH_HCR.En written 1), every access the host makes to the GIC on that CPU
 *    is collected with the cycle the model reached: the physical pending/active writes and the
 *    list-register writes, and how long the model took to get there;
 *  - hardware deactivations (a virtual EOI/DIR of a HW=1 list register forwarded to the physical
 *    GIC): cycles from the forwarded request to the physical interrupt being offered again.
 * The trace has no CPU time; the replay puts --gap cycles between commands, so the cycles here are
 * the model's GIC latencies plus that parameter. */
#define _POSIX_C_SOURCE 200809L
#include "replay_timing.h"

#include "gicsim/gic_regs.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CPUS 64
#define MAX_STEPS 24

struct step {
    unsigned long line;
    gic_cycle_t cycle;
    uint8_t frame;
    uint32_t offset;
    uint64_t data;
};

struct window {
    bool open;
    unsigned cpu;
    unsigned long exit_line;
    uint64_t guest_addr;
    char guest_reg[24];
    unsigned long last_line; /* latest trace line that touched the window */
    gic_cycle_t start;       /* first command after the exit */
    bool started;
    gic_cycle_t first_phys, first_lr, end;
    bool have_phys, have_lr;
    const char *ended_by;
    unsigned n_steps, n_accesses, n_phys, n_lr;
    struct step steps[MAX_STEPS];
};

struct deact {
    unsigned long line;
    unsigned cpu;
    uint32_t pintid, vintid;
    gic_cycle_t at;
    int applied; /* -1 unknown, 0 ignored (not active), 1 applied */
    gic_cycle_t offered;
    unsigned long offered_line;
    bool done;
};

struct exc {
    bool live;
    unsigned long line;
    unsigned cpu;
    bool from_el1_to_el2;
    unsigned ec;
    uint32_t iss;
    bool have_esr;
};

struct replay_timing {
    struct gic_config cfg;
    struct replay_timing_map map;
    unsigned long cur_line;
    struct exc exc;
    unsigned long erets;
    struct window win[MAX_CPUS];
    struct window *done;
    size_t n_done, cap_done;
    struct deact *deacts;
    size_t n_deacts, cap_deacts;
    unsigned long guest_exits;
};

int replay_timing_create(struct replay_timing **out, const struct gic_config *cfg, const struct replay_timing_map *map)
{
    struct replay_timing *t = calloc(1, sizeof *t);
    if (!t) return -1;
    t->cfg = *cfg;
    t->map = *map;
    *out = t;
    return 0;
}

void replay_timing_destroy(struct replay_timing *t)
{
    if (!t) return;
    free(t->done);
    free(t->deacts);
    free(t);
}

static bool push(void **arr, size_t *n, size_t *cap, size_t size)
{
    if (*n < *cap) return true;
    size_t c = *cap ? *cap * 2 : 64;
    void *na = realloc(*arr, c * size);
    if (!na) return false;
    *arr = na;
    *cap = c;
    return true;
}

static void close_window(struct replay_timing *t, struct window *w, gic_cycle_t end, const char *why)
{
    if (!w->open) return;
    w->open = false;
    w->end = end;
    w->ended_by = why;
    if (!push((void **)&t->done, &t->n_done, &t->cap_done, sizeof *t->done)) return; /* report what fits */
    t->done[t->n_done++] = *w;
}

void replay_timing_command(struct replay_timing *t, unsigned long line, gic_cycle_t now)
{
    t->cur_line = line;
    for (unsigned c = 0; c < MAX_CPUS; c++)
        if (t->win[c].open && !t->win[c].started) {
            t->win[c].started = true;
            t->win[c].start = now;
        }
}

/* The name of the pending/active register a guest data abort at `addr` writes into out; false if
 * it is none (GICD_I[SC]{PEND,ACTIVE}R<n>, or the redistributors' GICR_...R0 in the SGI frame). */
static bool guest_register(const struct replay_timing *t, uint64_t addr, char *out, size_t n)
{
    static const char *const names[] = { "ISPENDR", "ICPENDR", "ISACTIVER", "ICACTIVER" };
    uint64_t off;
    const char *frame;
    if (addr >= t->map.gicd && addr < t->map.gicd + 0x10000) {
        off = addr - t->map.gicd;
        frame = "GICD_";
    } else if (t->cfg.version == GIC_V3 && addr >= t->map.gicr && addr < t->map.gicr + 0x20000ull * t->cfg.num_cpus) {
        off = (addr - t->map.gicr) % 0x20000;
        if (off < 0x10000 || (off & 0x7f)) return false; /* the SGI frame's registers 0 only */
        off -= 0x10000;
        frame = "GICR_";
    } else {
        return false;
    }
    if (off < 0x200 || off >= 0x400) return false;
    snprintf(out, n, "%s%s%u", frame, names[(off - 0x200) / 0x80], (unsigned)((off & 0x7f) / 4));
    return true;
}

void replay_timing_exception(struct replay_timing *t, unsigned long line, unsigned cpu, unsigned num)
{
    (void)num;
    t->exc = (struct exc){ .live = true, .line = line, .cpu = cpu };
}

/* "from EL1 to EL2", "with ESR 0x24/0x93c08047", "with FAR 0x80b0200": a guest exit on a write to
 * a pending/active register opens the CPU's window; any other guest exit ends an open one. */
void replay_timing_exception_detail(struct replay_timing *t, const char *d, gic_cycle_t now)
{
    struct exc *e = &t->exc;
    unsigned from, to, ec, iss;
    uint64_t far;
    if (!e->live) return;
    if (sscanf(d, "from EL%u to EL%u", &from, &to) == 2) {
        e->from_el1_to_el2 = from == 1 && to == 2;
        if (e->from_el1_to_el2 && e->cpu < MAX_CPUS) {
            t->guest_exits++;
            close_window(t, &t->win[e->cpu], now, "next guest exit");
        }
    } else if (sscanf(d, "with ESR 0x%x/0x%x", &ec, &iss) == 2) {
        e->ec = ec;
        e->iss = iss;
        e->have_esr = true;
    } else if (sscanf(d, "with FAR 0x%" SCNx64, &far) == 1) {
        /* EC 0x24: data abort from a lower exception level; ISS bit 6 WnR: a write */
        bool guest_write = e->from_el1_to_el2 && e->have_esr && e->ec == 0x24 && (e->iss & (1u << 6));
        char reg[24];
        if (guest_write && e->cpu < MAX_CPUS && guest_register(t, far, reg, sizeof reg)) {
            struct window *w = &t->win[e->cpu];
            *w = (struct window){
                .open = true, .cpu = e->cpu, .exit_line = e->line, .guest_addr = far, .last_line = e->line
            };
            snprintf(w->guest_reg, sizeof w->guest_reg, "%s", reg);
        }
        e->live = false;
    }
}

static bool is_phys_state_write(const struct replay_timing *t, uint8_t frame, uint32_t off)
{
    if (frame == GIC_FRAME_GICR_SGI || frame == GIC_FRAME_GICD) return off >= 0x200 && off < 0x400;
    (void)t;
    return false;
}

static bool is_lr_write(const struct replay_timing *t, uint8_t frame, uint32_t off)
{
    if (t->cfg.version == GIC_V2) return frame == GIC_FRAME_GICH && off >= 0x100 && off < 0x140;
    /* ICH_LR<n>_EL2: op0 3, op1 4, CRn 12, CRm 12..13, op2 n%8 */
    return frame == GIC_FRAME_SYSREG && (off & ~0xfu) == (ICH_LR_EL2_ENC & ~0xfu);
}

/* "Exception return from AArch64 EL2 to AArch64 EL1": a VM entry. The log does not say on which
 * CPU; it ends the open window that was active last (the recording runs the CPUs in one thread). */
void replay_timing_eret(struct replay_timing *t, gic_cycle_t now)
{
    t->erets++;
    struct window *w = NULL;
    for (unsigned c = 0; c < MAX_CPUS; c++)
        if (t->win[c].open && (!w || t->win[c].last_line > w->last_line)) w = &t->win[c];
    if (w) close_window(t, w, now, "VM entry");
}

static struct window *owner(struct replay_timing *t, unsigned cpu, uint8_t frame)
{
    if (frame != GIC_FRAME_GICD) return cpu < MAX_CPUS && t->win[cpu].open ? &t->win[cpu] : NULL;
    /* GICv3 distributor accesses name no CPU: they belong to the only open window, if one is. */
    struct window *w = NULL;
    for (unsigned c = 0; c < MAX_CPUS; c++)
        if (t->win[c].open) {
            if (w) return NULL;
            w = &t->win[c];
        }
    return w;
}

static void on_access(struct replay_timing *t, unsigned long line, const struct gic_trace_event *ev)
{
    uint8_t frame = ev->aux & 0xff;
    bool write = (ev->aux >> 8) & 1;
    if (!write) {
        struct window *w = owner(t, ev->cpu, frame);
        if (w) {
            w->n_accesses++;
            w->last_line = line;
        }
        return;
    }
    struct window *w = owner(t, ev->cpu, frame);
    if (!w) return;
    w->n_accesses++;
    w->last_line = line;
    bool phys = is_phys_state_write(t, frame, ev->intid), lr = is_lr_write(t, frame, ev->intid);
    if (phys && !w->have_phys) {
        w->have_phys = true;
        w->first_phys = ev->cycle;
    }
    if (lr && !w->have_lr) {
        w->have_lr = true;
        w->first_lr = ev->cycle;
    }
    w->n_phys += phys;
    w->n_lr += lr;
    if ((phys || lr) && w->n_steps < MAX_STEPS)
        w->steps[w->n_steps++] = (struct step){ line, ev->cycle, frame, ev->intid, ev->value };
}

void replay_timing_event(struct replay_timing *t, unsigned long line, const struct gic_trace_event *ev)
{
    switch (ev->kind) {
    case GIC_TR_ACCESS: on_access(t, line, ev); break;
    case GIC_TR_HWDEACT:
        if (push((void **)&t->deacts, &t->n_deacts, &t->cap_deacts, sizeof *t->deacts))
            t->deacts[t->n_deacts++] =
                (struct deact){ line, ev->cpu, ev->intid, (uint32_t)ev->value, ev->cycle, -1, 0, 0, false };
        break;
    case GIC_TR_DEACT:
        for (size_t i = t->n_deacts; i-- > 0;) {
            struct deact *d = &t->deacts[i];
            if (d->applied < 0 && d->pintid == ev->intid && (ev->intid >= 32 || d->cpu == ev->cpu)) {
                d->applied = ev->value != 0;
                break;
            }
        }
        break;
    case GIC_TR_HPPI:
        for (size_t i = 0; i < t->n_deacts; i++) {
            struct deact *d = &t->deacts[i];
            if (!d->done && d->cpu == ev->cpu && d->pintid == ev->intid) {
                d->done = true;
                d->offered = ev->cycle;
                d->offered_line = line;
            }
        }
        break;
    default: break;
    }
}

/* ---------------- the report ---------------- */
static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void stats(FILE *f, const char *what, uint64_t *v, size_t n)
{
    if (!n) {
        fprintf(f, "    %-28s -\n", what);
        return;
    }
    qsort(v, n, sizeof *v, cmp_u64);
    fprintf(f, "    %-28s n %zu  min %" PRIu64 "  median %" PRIu64 "  max %" PRIu64 "\n", what, n, v[0], v[n / 2],
            v[n - 1]);
}

static void step_text(const struct replay_timing *t, const struct step *s, char *b, size_t n)
{
    if (is_lr_write(t, s->frame, s->offset)) {
        bool v3 = t->cfg.version == GIC_V3;
        uint64_t v = s->data;
        unsigned idx = v3 ? (s->offset & 7) | (((s->offset >> 3) & 1) << 3) : (s->offset - 0x100) / 4;
        bool hw = v3 ? (v >> 61) & 1 : (v >> 31) & 1;
        unsigned state = v3 ? (unsigned)(v >> 62) : (unsigned)((v >> 28) & 3);
        unsigned vid = v3 ? (unsigned)(v & 0xffffffffu) : (unsigned)(v & 0x3ff);
        unsigned pid = v3 ? (unsigned)((v >> 32) & 0x1fff) : (unsigned)((v >> 10) & 0x3ff);
        static const char *const st[] = { "invalid", "pending", "active", "pending+active" };
        if (hw)
            snprintf(b, n, "%s%u 0x%" PRIx64 " HW=1 vINTID %u pINTID %u %s", v3 ? "ICH_LR" : "GICH_LR", idx, v, vid,
                     pid, st[state]);
        else snprintf(b, n, "%s%u 0x%" PRIx64 " HW=0 vINTID %u %s", v3 ? "ICH_LR" : "GICH_LR", idx, v, vid, st[state]);
        return;
    }
    static const char *const names[] = { "ISPENDR", "ICPENDR", "ISACTIVER", "ICACTIVER" };
    unsigned off = s->offset;
    snprintf(b, n, "%s%s%u 0x%" PRIx64 " (physical)", s->frame == GIC_FRAME_GICD ? "GICD_" : "GICR_",
             names[(off - 0x200) / 0x80], (off & 0x7f) / 4, s->data);
}

static void write_report(const struct replay_timing *t, gic_cycle_t now, FILE *f)
{
    fprintf(f, "Guest writes to pending/active registers (guest exit at that register -> next VM entry on its CPU)\n");
    fprintf(f, "cycles from the first replayed command after the exit; the host's physical pending/active writes\n"
               "and list-register writes in between are listed\n");
    uint64_t *to_phys = calloc(t->n_done + 1, sizeof *to_phys), *to_lr = calloc(t->n_done + 1, sizeof *to_lr),
             *to_entry = calloc(t->n_done + 1, sizeof *to_entry);
    size_t np = 0, nl = 0, ne = 0;
    for (size_t i = 0; i < t->n_done; i++) {
        const struct window *w = &t->done[i];
        fprintf(f,
                "  line %lu cpu %u: guest write to %s (0x%" PRIx64 "): %u host GIC accesses, %u physical state writes, "
                "%u LR writes; ended by %s after %" PRIu64 " cycles\n",
                w->exit_line, w->cpu, w->guest_reg, w->guest_addr, w->n_accesses, w->n_phys, w->n_lr, w->ended_by,
                w->started ? w->end - w->start : 0);
        for (unsigned k = 0; k < w->n_steps; k++) {
            char b[160];
            step_text(t, &w->steps[k], b, sizeof b);
            fprintf(f, "    line %lu  +%-6" PRIu64 " %s\n", w->steps[k].line,
                    w->started ? w->steps[k].cycle - w->start : 0, b);
        }
        if (!w->started) continue;
        if (w->have_phys && to_phys) to_phys[np++] = w->first_phys - w->start;
        if (w->have_lr && to_lr) to_lr[nl++] = w->first_lr - w->start;
        if (!strcmp(w->ended_by, "VM entry") && to_entry) to_entry[ne++] = w->end - w->start;
    }
    for (unsigned c = 0; c < MAX_CPUS; c++)
        if (t->win[c].open)
            fprintf(f, "  line %lu cpu %u: guest write to %s: no VM entry before the end of the trace\n",
                    t->win[c].exit_line, c, t->win[c].guest_reg);
    fprintf(f, "  %zu such guest writes among %lu guest exits; cycles:\n", t->n_done, t->guest_exits);
    stats(f, "to the first physical write", to_phys, np);
    stats(f, "to the first LR write", to_lr, nl);
    stats(f, "to the VM entry", to_entry, ne);
    free(to_phys);
    free(to_lr);
    free(to_entry);

    fprintf(f, "\nHardware deactivations (virtual EOI/DIR of a HW=1 list register forwarded -> the physical\n"
               "interrupt offered to the CPU again): within the same replayed command the cycles are the GIC's own\n"
               "latency (the line was still asserted); later, the recorded software made it pending again\n");
    uint64_t *lat = calloc(t->n_deacts + 1, sizeof *lat);
    size_t n = 0, ignored = 0, never = 0, later = 0;
    for (size_t i = 0; i < t->n_deacts; i++) {
        const struct deact *d = &t->deacts[i];
        ignored += d->applied == 0;
        fprintf(f, "  line %lu cpu %u: pINTID %u (vINTID %u) %s", d->line, d->cpu, d->pintid, d->vintid,
                d->applied == 1   ? "deactivated"
                : d->applied == 0 ? "IGNORED: not active in the physical GIC"
                                  : "in flight");
        if (!d->done) {
            never++;
            fprintf(f, ", not offered again before the end (cycle %" PRIu64 ")\n", (uint64_t)now);
        } else if (d->offered_line == d->line) {
            if (lat) lat[n++] = d->offered - d->at;
            fprintf(f, ", offered again after %" PRIu64 " cycles\n", d->offered - d->at);
        } else {
            later++;
            fprintf(f, ", offered again at trace line %lu\n", d->offered_line);
        }
    }
    fprintf(f, "  %zu hardware deactivations: %zu ignored; offered again at once %zu, later %zu, never %zu\n",
            t->n_deacts, ignored, n, later, never);
    stats(f, "deactivation to the next offer", lat, n);
    free(lat);
}

int replay_timing_write(struct replay_timing *t, gic_cycle_t now, const char *path, FILE *out, char *why, size_t n)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "w") : out;
    if (!f) {
        snprintf(why, n, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    if (f == out) fputc('\n', f);
    write_report(t, now, f);
    if (f == out) return 0; /* the caller checks its own output */
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    if (bad) {
        snprintf(why, n, "cannot write %s", path);
        return -1;
    }
    return 0;
}
