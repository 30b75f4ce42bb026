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

int fifo_grow(struct gic_fifo *f, uint32_t free_needed)
{
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

/* The earliest message or register effect still due (after a cycle's messages were consumed). */
void sched_recompute_next(gic_t *g)
{
    gic_cycle_t n = regs_next(g);
    for (uint32_t busy = g->qbusy; busy; busy &= busy - 1) {
        gic_cycle_t t = fifo_head_at(&g->q[__builtin_ctz(busy)]);
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
        uint32_t want = cpuif_signals(g, cpu) | (vcpuif_enabled(g, pc) ? vcpuif_signals(g, cpu) : 0);
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

/* The message of queue q due in cycle c, if any. */
static inline struct gic_msg *due(gic_t *g, unsigned q, gic_cycle_t c)
{
    struct gic_fifo *f = &g->q[q];
    return f->count && f->buf[f->head].at == c ? &f->buf[f->head] : NULL;
}

static inline void pop(gic_t *g, unsigned q)
{
    fifo_pop(&g->q[q]);
    if (!g->q[q].count) g->qbusy &= ~(1u << q);
}

/* Phase 1 (timing.md 3.1): the offered interrupts reach the CPU interfaces. */
static void deliver_views(gic_t *g, gic_cycle_t c)
{
    struct gic_msg *m;
    while ((m = due(g, Q_VIEW, c))) {
        struct gic_cpu *pc = &g->cpu[m->cpu];
        pc->view.intid = (uint16_t)m->intid;
        pc->view.prio = (uint16_t)(m->b & 0xffff);
        pc->view.src = (uint8_t)(m->b >> 16);
        pc->view.group = (uint8_t)m->a;
        gic_trace(g, GIC_TR_HPPI, m->cpu, m->intid, pc->view.prio, m->a);
        sched_mark_sig(g, m->cpu);
        pop(g, Q_VIEW);
    }
}

/* Phase 1: the output pins (and the maintenance output) change. */
static inline void drive_outputs(gic_t *g, unsigned q, gic_cycle_t c)
{
    struct gic_msg *m;
    while ((m = due(g, q, c))) {
        struct gic_cpu *pc = &g->cpu[m->cpu];
        if (m->b) pc->out_level |= m->a;
        else pc->out_level &= ~(uint32_t)m->a;
        gic_trace(g, GIC_TR_OUTPUT, m->cpu, m->a, m->b, 0);
        /* The maintenance output drives a PPI input of its own CPU (timing.md 2.9), ORed with
         * that PPI's external wire (gic_set_ppi): a line change only when the wire is low
         * (timing.md 4.8: only a change of the OR is a line change). */
        if (m->a == GIC_OUT_MAINT && g->cfg.maint_ppi && !((pc->ppi_line_raw >> g->cfg.maint_ppi) & 1))
            sched_push(g, Q_LINE, c + g->cfg.timing.line, m->cpu, 0, g->cfg.maint_ppi, m->b);
        pop(g, q);
    }
}

/* Phase 2: the register access whose effect cycle is c (at most one: one port). */
static void take_effect(gic_t *g)
{
    struct gic_inflight f = g->acc[g->acc_head];
    g->acc_head = (g->acc_head + 1) & (g->acc_cap - 1);
    g->acc_count--;
    regs_effect(g, &f);
}

/* Phase 3: sampled input lines. */
static void sample_lines(gic_t *g, gic_cycle_t c)
{
    struct gic_msg *m;
    while ((m = due(g, Q_LINE, c))) {
        irq_apply_line(g, m->cpu, m->intid, m->b != 0);
        pop(g, Q_LINE);
    }
}

/* Phase 4: deactivations from the CPU interfaces: EOI/DIR (Q_DEACT) before those forwarded by HW=1 list
 * registers (Q_HWDEACT). */
static inline void deactivate(gic_t *g, unsigned q, gic_cycle_t c)
{
    struct gic_msg *m;
    while ((m = due(g, q, c))) {
        irq_deactivate(g, m->cpu, m->intid, q == Q_HWDEACT);
        pop(g, q);
    }
}

/* Phase 4: the effects of memory operations (LPIs becoming pending, ITS commands completing), after the
 * deactivations. Each is taken off the queue before it applies (an ITS step may queue the next one). */
static void memory_effects(gic_t *g, gic_cycle_t c)
{
    struct gic_msg *m;
    while ((m = due(g, Q_MEM, c))) {
        struct gic_msg msg = *m;
        pop(g, Q_MEM);
        mem_apply(g, &msg);
    }
}

/* One cycle in which something is due: the phases in their order, each only when it has work. Messages made
 * while the cycle is processed are due one cycle later at the earliest (every latency is >= 1), so the set of
 * queues due in this cycle is known at its start. Phase 2 takes the access `own` when given (regs.c: a blocking
 * access that never entered the pipeline, which is then empty), else the pipeline's head if it is due. */
static void process(gic_t *g, gic_cycle_t c, const struct gic_inflight *own)
{
    uint32_t q_due = 0;
    gic_cycle_t rest = GIC_CYCLE_NEVER; /* the earliest message of the queues not due now */
    for (uint32_t busy = g->qbusy; busy; busy &= busy - 1) {
        unsigned q = (unsigned)__builtin_ctz(busy);
        gic_cycle_t t = fifo_head_at(&g->q[q]);
        if (t == c) q_due |= 1u << q;
        else if (t < rest) rest = t;
    }
    g->next_ev = rest; /* messages the phases queue lower it (sched_note) */
    if (q_due & (1u << Q_VIEW)) deliver_views(g, c);
    if (q_due & (1u << Q_OUT)) drive_outputs(g, Q_OUT, c);
    if (q_due & (1u << Q_MAINT)) drive_outputs(g, Q_MAINT, c);
    if (own) regs_effect(g, own);
    else if (g->acc_count && g->acc[g->acc_head].effect == c) take_effect(g);
    if (q_due & (1u << Q_LINE)) sample_lines(g, c);
    if (q_due & (1u << Q_DEACT)) deactivate(g, Q_DEACT, c);
    if (q_due & (1u << Q_HWDEACT)) deactivate(g, Q_HWDEACT, c);
    if (q_due & (1u << Q_MEM)) memory_effects(g, c);
    /* Phase 5: re-evaluate. */
    if (g->dirty_prio | g->dirty_sig) evaluate(g, c);
    /* What comes next in the queues consumed in this cycle and in the register pipeline. */
    for (uint32_t d = q_due & g->qbusy; d; d &= d - 1) sched_note(g, fifo_head_at(&g->q[__builtin_ctz(d)]));
    sched_note(g, regs_next(g));
}

void sched_process_cycle(gic_t *g, gic_cycle_t c) { process(g, c, NULL); }

void sched_process_with(gic_t *g, const struct gic_inflight *f) { process(g, f->effect, f); }
