/* mem.c: the GIC's memory port (LPI and ITS tables, the ITS command queue) and the timing of memory operations.
 *
 * The port serves one access at a time, timing.mem cycles each (docs/timing.md 2.10). A request that needs memory (an
 * ITS command or translation, a redistributor's table work) is one operation: its accesses are made when the request
 * is taken (the functional model reads and writes at once), and the state changes it causes are queued (Q_MEM) for the
 * cycle it completes: after the operations before it, plus its own cycles. Completion cycles only grow, so Q_MEM is a
 * FIFO in time order like every other message class. */
#include "gic_internal.h"

#include <stdlib.h>

int gic_set_memory(gic_t *g, const struct gic_mem_ops *ops, void *ctx)
{
    if (!g) return GIC_E_INVAL;
    if (ops && (!ops->read || !ops->write)) return GIC_E_INVAL;
    if (ops) g->mem = *ops;
    else g->mem = (struct gic_mem_ops){ 0, 0, 0 };
    g->mem_ctx = ops ? ctx : NULL;
    return GIC_OK;
}

static void trace_mem(gic_t *g, unsigned use, uint64_t addr, uint32_t len, bool write, bool err)
{
    gic_trace(g, GIC_TR_MEM, 0, use, addr, (uint64_t)len | (uint64_t)write << 16 | (uint64_t)err << 17);
}

void mem_op_begin(gic_t *g)
{
    g->fx_n = 0;
    g->op_accesses = 0;
}

int mem_read(gic_t *g, unsigned use, uint64_t addr, void *buf, uint32_t len)
{
    g->op_accesses++;
    return mem_read_now(g, use, addr, buf, len);
}

int mem_write(gic_t *g, unsigned use, uint64_t addr, const void *buf, uint32_t len)
{
    g->op_accesses++;
    return mem_write_now(g, use, addr, buf, len);
}

int mem_peek(gic_t *g, uint64_t addr, void *buf, uint32_t len)
{
    int (*fn)(void *, uint64_t, void *, uint32_t) = g->mem.peek ? g->mem.peek : g->mem.read;
    return fn && fn(g->mem_ctx, addr, buf, len) == 0 ? 0 : -1;
}

void mem_op_effect(gic_t *g, unsigned op, unsigned cpu, uint32_t intid, uint32_t b)
{
    if (g->fx_n == g->fx_cap) {
        uint32_t nc = g->fx_cap ? g->fx_cap * 2 : 16;
        struct gic_msg *n = realloc(g->fx, (size_t)nc * sizeof *n);
        if (!n) return; /* out of memory: the effect is lost; the trace shows the access that made it */
        g->fx = n;
        g->fx_cap = nc;
    }
    g->fx[g->fx_n++] = (struct gic_msg){ 0, (uint16_t)cpu, (uint16_t)op, intid, b };
}

/* The port's time for `accesses` accesses plus `extra` cycles, from now or when it is free. Saturates far beyond
 * GIC_CYCLE_LIMIT instead of wrapping: such an operation simply never completes (gic.h, end of time). */
static gic_cycle_t port_take(gic_t *g, uint64_t accesses, uint32_t extra)
{
    gic_cycle_t start = g->mem_free > g->now ? g->mem_free : g->now;
    uint64_t cost = extra + accesses * g->cfg.timing.mem;
    if (cost < 1) cost = 1;
    g->mem_free = start + cost < start ? GIC_CYCLE_NEVER - 1 : start + cost;
    return g->mem_free;
}

gic_cycle_t mem_op_end(gic_t *g, uint32_t extra)
{
    gic_cycle_t done = port_take(g, g->op_accesses, extra);
    /* An operation without effects still ends when the port is free: a message marks it (GICR_SYNCR.Busy falls, the
     * next operation may start), so gic_next_event() sees it like any other. */
    if (!g->fx_n) mem_op_effect(g, MQ_PORT_FREE, 0, 0, 0);
    for (uint32_t i = 0; i < g->fx_n; i++) {
        struct gic_msg *m = &g->fx[i];
        sched_push(g, Q_MEM, done, m->cpu, m->a, m->intid, m->b);
    }
    g->fx_n = 0;
    return done;
}

int mem_read_now(gic_t *g, unsigned use, uint64_t addr, void *buf, uint32_t len)
{
    bool err = !g->mem.read || g->mem.read(g->mem_ctx, addr, buf, len) != 0;
    trace_mem(g, use, addr, len, false, err);
    return err ? -1 : 0;
}

int mem_write_now(gic_t *g, unsigned use, uint64_t addr, const void *buf, uint32_t len)
{
    bool err = !g->mem.write || g->mem.write(g->mem_ctx, addr, buf, len) != 0;
    trace_mem(g, use, addr, len, true, err);
    return err ? -1 : 0;
}

void mem_post(gic_t *g, uint32_t accesses)
{
    gic_cycle_t done = port_take(g, accesses, 0);
    sched_push(g, Q_MEM, done, 0, MQ_PORT_FREE, 0, 0);
}

/* Phase 4 (timing.md 3.4): an operation's effect is due. */
void mem_apply(gic_t *g, const struct gic_msg *m)
{
    switch (m->a) {
    case MQ_LPI_SET: lpi_set(g, m->cpu, m->intid, m->b, true); break;
    case MQ_LPI_CLR: lpi_set(g, m->cpu, m->intid, 0, false); break;
    case MQ_LPI_CFG: lpi_set_cfg(g, m->cpu, m->intid, (uint8_t)m->b); break;
    case MQ_LPI_MOV: lpi_move(g, m->cpu, m->intid, m->b); break;
    case MQ_LPI_MOVALL: lpi_move_all(g, m->cpu, m->b); break;
    case MQ_ITS_STEP: its_step_done(g, m); break;
    case MQ_PORT_FREE: break;
    default: break;
    }
}
