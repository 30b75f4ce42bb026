/* sched.c: the per-cycle algorithm of docs/timing.md (phases 1-5) and the timed message FIFOs. */
#include "gic_internal.h"

#include <stdlib.h>
#include <string.h>

int fifo_init(struct gic_fifo *f, uint32_t cap)
{
    uint32_t c = 16;
    while (c < cap) c <<= 1;
    f->buf = calloc(c, sizeof *f->buf);
    if (!f->buf) return GIC_E_NOMEM;
    f->cap = c;
    f->head = f->count = 0;
    return GIC_OK;
}

void fifo_free(struct gic_fifo *f)
{
    free(f->buf);
    memset(f, 0, sizeof *f);
}

int fifo_reserve(struct gic_fifo *f, uint32_t free_needed)
{
    if (f->cap - f->count >= free_needed) return GIC_OK;
    uint32_t nc = f->cap;
    while (nc - f->count < free_needed) nc *= 2;
    struct gic_msg *nb = malloc((size_t)nc * sizeof *nb);
    if (!nb) return GIC_E_NOMEM;
    for (uint32_t i = 0; i < f->count; i++) nb[i] = f->buf[(f->head + i) & (f->cap - 1)];
    free(f->buf);
    f->buf = nb;
    f->cap = nc;
    f->head = 0;
    return GIC_OK;
}

int fifo_push(struct gic_fifo *f, const struct gic_msg *m)
{
    if (f->count == f->cap && fifo_reserve(f, 1) != GIC_OK) return GIC_E_NOMEM;
    f->buf[(f->head + f->count) & (f->cap - 1)] = *m;
    f->count++;
    return GIC_OK;
}

void sched_mark_prio(gic_t *g, uint64_t cpus) { g->dirty_prio |= cpus & all_cpus(g); }
void sched_mark_sig(gic_t *g, unsigned cpu) { g->dirty_sig |= 1ull << cpu; }

/* Messages produced while processing a cycle land at least one cycle later, and FIFO capacity
 * was sized at creation for the worst case of the latencies, so a push here cannot fail; if
 * it ever did, the message would be lost, so grow-on-demand is kept as the safety net. */
void sched_push(gic_t *g, unsigned q, gic_cycle_t at, unsigned cpu, unsigned a, uint32_t intid, uint32_t b)
{
    struct gic_msg m = { at, (uint16_t)cpu, (uint16_t)a, intid, b };
    (void)fifo_push(&g->q[q], &m);
    sched_note(g, at);
}

/* The earliest message or register effect still due (after a cycle's messages were consumed). */
void sched_recompute_next(gic_t *g)
{
    gic_cycle_t n = regs_next(g);
    for (unsigned q = 0; q < Q_COUNT; q++) {
        gic_cycle_t t = fifo_next(&g->q[q]);
        if (t < n) n = t;
    }
    g->next_ev = n;
}

/* Phase 5 (timing.md 3.5): evaluate the CPUs whose inputs changed in this cycle. */
static void evaluate(gic_t *g, gic_cycle_t c)
{
    const struct gic_timing *t = &g->cfg.timing;
    uint64_t d = g->dirty_prio;
    g->dirty_prio = 0;
    while (d) {
        unsigned cpu = (unsigned)__builtin_ctzll(d);
        d &= d - 1;
        struct gic_hppi h = irq_hppi(g, cpu);
        struct gic_cpu *pc = &g->cpu[cpu];
        if (memcmp(&h, &pc->pushed, sizeof h) != 0) {
            pc->pushed = h;
            sched_push(g, Q_VIEW, c + t->prio + t->deliver, cpu, h.group, h.intid,
                       (uint32_t)h.prio | ((uint32_t)h.src << 16));
        }
    }
    d = g->dirty_sig;
    g->dirty_sig = 0;
    while (d) {
        unsigned cpu = (unsigned)__builtin_ctzll(d);
        d &= d - 1;
        struct gic_cpu *pc = &g->cpu[cpu];
        uint32_t want = cpuif_signals(g, cpu) | vcpuif_signals(g, cpu);
        uint32_t diff = want ^ pc->out_sched;
        while (diff) {
            uint32_t bit = diff & -diff;
            diff &= diff - 1;
            if (bit == GIC_OUT_MAINT) sched_push(g, Q_MAINT, c + t->maint, cpu, bit, 0, (want & bit) != 0);
            else sched_push(g, Q_OUT, c + t->out, cpu, bit, 0, (want & bit) != 0);
        }
        pc->out_sched = want;
    }
}

void sched_process_cycle(gic_t *g, gic_cycle_t c)
{
    struct gic_msg *m;
    g->cur = c;
    /* Phase 1: deliveries to the CPU interfaces (offered interrupt, output pins). */
    while ((m = fifo_head(&g->q[Q_VIEW])) && m->at == c) {
        struct gic_cpu *pc = &g->cpu[m->cpu];
        pc->view.intid = (uint16_t)m->intid;
        pc->view.prio = (uint16_t)(m->b & 0xffff);
        pc->view.src = (uint8_t)(m->b >> 16);
        pc->view.group = (uint8_t)m->a;
        gic_trace(g, GIC_TR_HPPI, m->cpu, m->intid, pc->view.prio, m->a);
        sched_mark_sig(g, m->cpu);
        fifo_pop(&g->q[Q_VIEW]);
    }
    for (unsigned q = Q_OUT; q <= Q_MAINT; q++) {
        while ((m = fifo_head(&g->q[q])) && m->at == c) {
            struct gic_cpu *pc = &g->cpu[m->cpu];
            if (m->b) pc->out_level |= m->a;
            else pc->out_level &= ~(uint32_t)m->a;
            gic_trace(g, GIC_TR_OUTPUT, m->cpu, m->a, m->b, 0);
            /* The maintenance output drives a PPI input of its own CPU (timing.md 2.9), ORed with
             * that PPI's external wire (gic_set_ppi): a line change only when the wire is low
             * (timing.md 4.8: only a change of the OR is a line change). */
            if (m->a == GIC_OUT_MAINT && g->cfg.maint_ppi && !((pc->ppi_line_raw >> g->cfg.maint_ppi) & 1))
                sched_push(g, Q_LINE, c + g->cfg.timing.line, m->cpu, 0, g->cfg.maint_ppi, m->b);
            fifo_pop(&g->q[q]);
        }
    }
    /* Phase 2: the register access whose effect cycle is c (at most one: one port). */
    if (g->acc_count && g->acc[g->acc_head].effect == c) {
        struct gic_inflight f = g->acc[g->acc_head];
        g->acc_head = (g->acc_head + 1) & (g->acc_cap - 1);
        g->acc_count--;
        regs_effect(g, &f);
    }
    /* Phase 3: sampled input lines. */
    while ((m = fifo_head(&g->q[Q_LINE])) && m->at == c) {
        irq_apply_line(g, m->cpu, m->intid, m->b != 0);
        fifo_pop(&g->q[Q_LINE]);
    }
    /* Phase 4: deactivations arriving from the CPU interfaces: EOI/DIR first, then those
     * forwarded by HW=1 list registers. */
    for (unsigned q = Q_DEACT; q <= Q_HWDEACT; q++) {
        while ((m = fifo_head(&g->q[q])) && m->at == c) {
            irq_deactivate(g, m->cpu, m->intid, q == Q_HWDEACT);
            fifo_pop(&g->q[q]);
        }
    }
    /* Phase 5: re-evaluate. */
    evaluate(g, c);
    sched_recompute_next(g);
}
