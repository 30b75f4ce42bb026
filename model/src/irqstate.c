/* irqstate.c: per-interrupt state (group, enable, pending, active, trigger, line, priority, routing) and the prioritiser. */
#include "gic_internal.h"

#include <stddef.h>

#include <string.h>

uint64_t irq_targets(const gic_t *g, uint32_t intid) { return intid < 32 ? 0 : g->spi_tmask[intid]; }

/* IHI0048B 4.3.12 (ITARGETSR) and IHI0069H 12.9.22 (IROUTER): the CPUs an SPI is offered to. */
void irq_set_route(gic_t *g, uint32_t intid)
{
    uint64_t m = 0;
    if (!gic_is_v3(g)) {
        m = g->cfg.num_cpus == 1 ? 1 : (g->spi_target[intid] & all_cpus(g));
    } else if ((g->spi_route[intid] >> 31) & 1) {
        m = all_cpus(g); /* 1-of-N: offered to every CPU, the first acknowledge wins (timing.md 2.5) */
    } else {
        uint64_t aff = g->spi_route[intid] & 0xff00ffffffull;
        for (unsigned c = 0; c < g->cfg.num_cpus; c++)
            if (g->cpu[c].affinity == aff) m |= 1ull << c;
    }
    uint64_t old = g->spi_tmask[intid];
    g->spi_tmask[intid] = m;
    struct gic_bank *b = &g->spi[intid >> 5];
    if (old != m && (bank_ready(b) >> (intid & 31) & 1)) sched_mark_prio(g, old | m);
}

static void trace_bits_emit(gic_t *g, unsigned kind, unsigned cpu, unsigned bankno, uint32_t before, uint32_t after)
{
    uint32_t ch = before ^ after;
    while (ch) {
        unsigned i = (unsigned)__builtin_ctz(ch);
        ch &= ch - 1;
        gic_trace(g, kind, bankno ? 0 : cpu, bankno * 32 + i, (after >> i) & 1, 0);
    }
}

/* One trace event per changed bit; nothing when no hook listens. */
static inline void trace_bits(gic_t *g, unsigned kind, unsigned cpu, unsigned bankno, uint32_t before, uint32_t after)
{
    if (g->trace_fn) trace_bits_emit(g, kind, cpu, bankno, before, after);
}

/* CPUs whose offered interrupt may change when bits `ch` of a bank change. */
static inline uint64_t affected(gic_t *g, unsigned cpu, unsigned bankno, uint32_t ch)
{
    if (!ch) return 0;
    if (bankno == 0) return 1ull << cpu;
    uint64_t m = 0;
    while (ch) {
        unsigned i = (unsigned)__builtin_ctz(ch);
        ch &= ch - 1;
        m |= g->spi_tmask[bankno * 32 + i];
    }
    return m;
}

static inline void bank_changed(gic_t *g, unsigned cpu, unsigned bankno, struct gic_bank *b, uint32_t pend_before,
                                uint32_t ready_before, uint32_t group_before)
{
    uint32_t pend_after = bank_pending(b), ready_after = bank_ready(b);
    trace_bits(g, GIC_TR_PENDING, cpu, bankno, pend_before, pend_after);
    /* The offer depends on the ready set and on the group of ready interrupts. */
    uint32_t ch = (ready_before ^ ready_after) | ((group_before ^ b->group) & ready_after);
    sched_mark_prio(g, affected(g, cpu, bankno, ch));
    if (bankno) {
        if (ready_after) g->spi_ready_sum |= 1u << bankno;
        else g->spi_ready_sum &= ~(1u << bankno);
    }
}

/* Where each IRQF_* field lives in a bank and how a change of it is traced (GIC_TR_KIND_COUNT: not by itself;
 * the pending state is traced as the effective pending state). */
static const struct {
    size_t offset;
    unsigned trace;
} irqf_fields[] = {
    [IRQF_GROUP] = { offsetof(struct gic_bank, group), GIC_TR_GROUP },
    [IRQF_ENABLE] = { offsetof(struct gic_bank, enable), GIC_TR_ENABLE },
    [IRQF_PEND] = { offsetof(struct gic_bank, pend), GIC_TR_KIND_COUNT },
    [IRQF_ACTIVE] = { offsetof(struct gic_bank, active), GIC_TR_ACTIVE },
    [IRQF_EDGE] = { offsetof(struct gic_bank, edge), GIC_TR_KIND_COUNT },
    [IRQF_LINE] = { offsetof(struct gic_bank, line), GIC_TR_LINE },
};

/* Sets or clears bits `mask` of one field of a bank and traces them; false when nothing changed. The caller
 * then reports the bank's change (bank_changed). */
static inline bool field_write(gic_t *g, unsigned cpu, unsigned bankno, struct gic_bank *b, unsigned field,
                               uint32_t mask, bool set)
{
    uint32_t *f = (uint32_t *)((char *)b + irqf_fields[field].offset);
    unsigned kind = irqf_fields[field].trace;
    uint32_t before = *f;
    *f = set ? (*f | mask) : (*f & ~mask);
    if (before == *f) return false;
    if (kind != GIC_TR_KIND_COUNT) trace_bits(g, kind, cpu, bankno, before, *f);
    return true;
}

void irq_update(gic_t *g, unsigned cpu, unsigned bankno, unsigned field, uint32_t mask, bool set)
{
    struct gic_bank *b = bankno ? &g->spi[bankno] : &g->cpu[cpu].priv;
    uint32_t pend_before = bank_pending(b), ready_before = bank_ready(b), group_before = b->group;
    if (field_write(g, cpu, bankno, b, field, mask, set))
        bank_changed(g, cpu, bankno, b, pend_before, ready_before, group_before);
}

void irq_set_prio(gic_t *g, unsigned cpu, uint32_t intid, uint8_t prio)
{
    uint8_t *p = irq_prio(g, cpu, intid);
    prio &= g->prio_mask;
    if (*p == prio) return;
    *p = prio;
    gic_trace(g, GIC_TR_PRIORITY, intid < 32 ? cpu : 0, intid, prio, 0);
    struct gic_bank *b = irq_bank(g, cpu, intid);
    if (bank_ready(b) >> (intid & 31) & 1) sched_mark_prio(g, intid < 32 ? 1ull << cpu : g->spi_tmask[intid]);
}

/* GICv2 SGIs are pending per source CPU (IHI0048B 3.2.4): the pending bit is "any source". */
void irq_sgi_v2_set(gic_t *g, unsigned target, unsigned sgi, uint8_t srcmask, bool set)
{
    struct gic_cpu *pc = &g->cpu[target];
    uint8_t before = pc->sgi_src[sgi];
    pc->sgi_src[sgi] = set ? (uint8_t)(before | srcmask) : (uint8_t)(before & ~srcmask);
    if (before == pc->sgi_src[sgi]) return;
    if (pc->sgi_src[sgi]) {
        if (!(pc->priv.pend >> sgi & 1)) irq_update(g, target, 0, IRQF_PEND, 1u << sgi, true);
        else if ((pc->priv.pend & ~pc->priv.active & pc->priv.enable) >> sgi & 1)
            sched_mark_prio(g, 1ull << target); /* source changed */
    } else {
        irq_update(g, target, 0, IRQF_PEND, 1u << sgi, false);
    }
}

void irq_apply_line(gic_t *g, unsigned cpu, uint32_t intid, bool level)
{
    unsigned bankno = intid >> 5;
    struct gic_bank *b = bankno ? &g->spi[bankno] : &g->cpu[cpu].priv;
    uint32_t bit = 1u << (intid & 31);
    bool was = (b->line & bit) != 0;
    if (was == level) return;
    /* Edge-triggered: a rising edge latches pending (IHI0069H 4.1.1); level: pending follows the line. */
    if (level && (b->edge & bit)) irq_update(g, cpu, bankno, IRQF_PEND, bit, true);
    irq_update(g, cpu, bankno, IRQF_LINE, bit, level);
}

void irq_deactivate(gic_t *g, unsigned cpu, uint32_t intid, bool from_hw)
{
    bool applied = false;
    if (irq_exists(g, intid)) {
        struct gic_bank *b = irq_bank(g, cpu, intid);
        uint32_t bit = 1u << (intid & 31);
        if (b->active & bit) {
            irq_update(g, cpu, intid >> 5, IRQF_ACTIVE, bit, false);
            applied = true;
        }
    }
    /* A deactivation of an interrupt that is not active is ignored (SEMANTICS A6); report it. */
    gic_trace(g, GIC_TR_DEACT, cpu, intid, applied, from_hw);
}

/* Group-enable mask of a bank for one CPU: bits whose group is enabled where it must be. */
static uint32_t enabled_groups(const gic_t *g, const struct gic_cpu *pc, const struct gic_bank *b, bool spi)
{
    uint32_t m = (pc->phys.en0 ? ~b->group : 0) | (pc->phys.en1 ? b->group : 0);
    /* GICv3: GICD_CTLR enables gate SPIs only (IHI0069H 12.9.4); GICv2: every interrupt (IHI0048B 4.3.1). */
    if (spi || !gic_is_v3(g)) m &= (g->d_en0 ? ~b->group : 0) | (g->d_en1 ? b->group : 0);
    return m;
}

static bool better(unsigned prio, uint32_t intid, const struct gic_hppi *h)
{
    return prio < h->prio || (prio == h->prio && intid < h->intid);
}

/* The prioritiser (timing.md 2.4): highest-priority interrupt that is pending, enabled, not
 * active, of an enabled group and offered to this CPU. Ties go to the lowest INTID. The work is
 * proportional to the number of ready interrupts, never to the number of idle ones. */
struct gic_hppi irq_hppi(gic_t *g, unsigned cpu)
{
    struct gic_hppi h = { INTID_SPURIOUS, GIC_NO_PRIO, 0, 0 };
    struct gic_cpu *pc = &g->cpu[cpu];
    if (gic_is_v3(g) && pc->waker_sleep) return h; /* IHI0069H 12.11.38: not forwarded while asleep */
    uint32_t r = bank_ready(&pc->priv) & enabled_groups(g, pc, &pc->priv, false);
    while (r) {
        unsigned i = (unsigned)__builtin_ctz(r);
        r &= r - 1;
        if (better(pc->prio[i], i, &h)) {
            h.intid = (uint16_t)i;
            h.prio = pc->prio[i];
            h.group = (pc->priv.group >> i) & 1;
        }
    }
    uint32_t sum = g->spi_ready_sum;
    uint64_t me = 1ull << cpu;
    while (sum) {
        unsigned bk = (unsigned)__builtin_ctz(sum);
        sum &= sum - 1;
        struct gic_bank *b = &g->spi[bk];
        r = bank_ready(b) & enabled_groups(g, pc, b, true);
        while (r) {
            unsigned i = (unsigned)__builtin_ctz(r);
            uint32_t id = bk * 32 + i;
            r &= r - 1;
            if ((g->spi_tmask[id] & me) && better(g->spi_prio[id], id, &h)) {
                h.intid = (uint16_t)id;
                h.prio = g->spi_prio[id];
                h.group = (b->group >> i) & 1;
            }
        }
    }
    if (pc->lpend_n) lpi_hppi(g, cpu, &h);
    if (!gic_is_v3(g) && h.intid < 16) h.src = (uint8_t)__builtin_ctz(pc->sgi_src[h.intid]);
    return h;
}

/* Acknowledge (IHI0048B 3.2.4, IHI0069H 4.1.1): the offer is taken only if the interrupt is
 * still ready for this CPU when the acknowledge takes effect; else it has been withdrawn. */
bool irq_claim(gic_t *g, unsigned cpu, const struct gic_hppi *h)
{
    uint32_t id = h->intid;
    if (is_lpi(id)) return lpi_claim(g, cpu, id);
    if (!irq_exists(g, id)) return false;
    struct gic_cpu *pc = &g->cpu[cpu];
    unsigned bankno = id >> 5;
    struct gic_bank *b = bankno ? &g->spi[bankno] : &pc->priv;
    uint32_t bit = 1u << (id & 31);
    if (!(bank_ready(b) & enabled_groups(g, pc, b, bankno != 0) & bit)) return false;
    if (bankno && !(g->spi_tmask[id] >> cpu & 1)) return false;
    /* Still in the group of the offer: IAR1 never hands out a Group 0 interrupt (IHI0069H 12.2.14)
     * when GICD/GICR_IGROUPR moved it while the offer was in flight (timing.md 4.6). */
    if (((b->group >> (id & 31)) & 1) != h->group) return false;
    if (!gic_is_v3(g) && id < 16) {
        if (!(pc->sgi_src[id] >> h->src & 1)) return false;
        irq_update(g, cpu, 0, IRQF_ACTIVE, bit, true);
        irq_sgi_v2_set(g, cpu, id, (uint8_t)(1u << h->src), false);
        return true;
    }
    /* Active, and no longer latched pending (a level interrupt stays pending while its line is high): one change
     * of the bank, traced as the two updates in this order. */
    uint32_t pend_before = bank_pending(b), ready_before = bank_ready(b), group_before = b->group;
    field_write(g, cpu, bankno, b, IRQF_ACTIVE, bit, true);
    field_write(g, cpu, bankno, b, IRQF_PEND, bit, false);
    bank_changed(g, cpu, bankno, b, pend_before, ready_before, group_before);
    return true;
}

void irq_reset(gic_t *g)
{
    memset(g->spi, 0, sizeof g->spi);
    memset(g->spi_prio, 0, sizeof g->spi_prio);
    memset(g->spi_target, 0, sizeof g->spi_target);
    memset(g->spi_route, 0, sizeof g->spi_route);
    g->spi_ready_sum = 0;
    for (unsigned bk = 1; bk < GIC_NBANKS; bk++) g->spi[bk].line = g->spi_line_raw[bk];
    for (unsigned id = 32; id < g->num_intids; id++) irq_set_route(g, id);
    for (unsigned c = 0; c < g->cfg.num_cpus; c++) {
        struct gic_cpu *pc = &g->cpu[c];
        memset(&pc->priv, 0, sizeof pc->priv);
        memset(pc->prio, 0, sizeof pc->prio);
        memset(pc->sgi_src, 0, sizeof pc->sgi_src);
        pc->priv.edge = 0xffff;                      /* SGIs are always edge-triggered */
        if (!gic_is_v3(g)) pc->priv.enable = 0xffff; /* GICv2: SGI enables RAO/WI (IHI0048B 4.3.5) */
        pc->priv.line = pc->ppi_line_raw;
    }
    /* Level lines that are high at reset are pending (and not ready: nothing is enabled yet,
     * except GICv2 SGIs, which have no line). */
    for (unsigned bk = 1; bk < GIC_NBANKS; bk++)
        if (bank_ready(&g->spi[bk])) g->spi_ready_sum |= 1u << bk;
}
