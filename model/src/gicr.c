/* gicr.c: the GICv3 redistributors (GICR_*), one per CPU: RD_base control and SGI_base SGI/PPI state. */
#include "gic_internal.h"

/* IHI0069H 12.11.2 GICR_CTLR: EnableLPIs and CES (lpi.c); RWP while a GICR_ICENABLER0 write is in progress. */
static uint64_t ctlr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return (g->now < g->cpu[r->cpu].rwp_until ? GICR_CTLR_RWP_MASK : 0) | lpi_ctlr_rd(g, r->cpu);
}

static void ctlr_wr(gic_t *g, const struct gic_regctx *r, uint64_t v) { lpi_ctlr_wr(g, r->cpu, v); }

static uint64_t iidr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)r, (void)se;
    return g->cfg.redist_iidr;
}

/* IHI0069H 12.11.35: Affinity_Value [63:32], Processor_Number [23:8], Last [4]; with LPIs PLPIS, DirectLPI and
 * CommonLPIAff = 1 (all redistributors share one LPI configuration table, as QEMU virt). */
static uint64_t typer_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    uint64_t aff = g->cpu[r->cpu].affinity;
    uint64_t aff32 = (aff & 0xffffff) | ((aff >> 32) & 0xff) << 24; /* Aff3.Aff2.Aff1.Aff0 */
    bool last = g->cfg.redist_last ? (g->cfg.redist_last >> r->cpu) & 1 : r->cpu == g->cfg.num_cpus - 1;
    uint64_t lpi = g->cfg.lpis ? GICR_TYPER_PLPIS_MASK | GIC_FIELD_VAL(GICR_TYPER_COMMONLPIAFF, 1) |
                                     (g->cfg.direct_lpi ? GICR_TYPER_DIRECTLPI_MASK : 0)
                               : 0;
    return GIC_FIELD_VAL(GICR_TYPER_AFFINITY_VALUE, aff32) | GIC_FIELD_VAL(GICR_TYPER_PROCESSOR_NUMBER, r->cpu) |
           (last ? GICR_TYPER_LAST_MASK : 0) | lpi;
}

/* IHI0069H 12.11.38: ChildrenAsleep follows ProcessorSleep at once in this model. */
static uint64_t waker_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return g->cpu[r->cpu].waker_sleep ? GICR_WAKER_PROCESSORSLEEP_MASK | GICR_WAKER_CHILDRENASLEEP_MASK : 0;
}

static void waker_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    bool sleep = GIC_FIELD_GET(GICR_WAKER_PROCESSORSLEEP, v);
    if (sleep == g->cpu[r->cpu].waker_sleep) return;
    g->cpu[r->cpu].waker_sleep = sleep;
    sched_mark_prio(g, 1ull << r->cpu);
}

static const uint8_t idr_rd_v3[12] = { 0x44, 0, 0, 0, 0x93, 0xb4, 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1 };
static uint64_t idr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)g, (void)se;
    return idr_rd_v3[r->idx];
}

static uint64_t bit_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return bitreg_read(g, r->cpu, 0, r->d);
}

static void bit_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    bitreg_write(g, r->cpu, 0, r->d, (uint32_t)v);
    if (r->d->id == GIC_REG_GICR_ICENABLER0) rwp_start(g, &g->cpu[r->cpu].rwp_until);
}

static uint64_t prio_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return prioreg_read(g, r->cpu, r->idx * 4);
}

static void prio_wr(gic_t *g, const struct gic_regctx *r, uint64_t v) { prioreg_write(g, r->cpu, r->idx * 4, v); }

static uint64_t cfg_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return cfgreg_read(g, r->cpu, r->d->id == GIC_REG_GICR_ICFGR0 ? 0 : 1);
}

static void cfg_wr(gic_t *g, const struct gic_regctx *r, uint64_t v) { cfgreg_write(g, r->cpu, 1, v); }

const struct gic_regops gicr_regops[GIC_REG__COUNT] = {
    [GIC_REG_GICR_CTLR] = { ctlr_rd, ctlr_wr },
    [GIC_REG_GICR_IIDR] = { iidr_rd, 0 },
    [GIC_REG_GICR_TYPER] = { typer_rd, 0 },
    [GIC_REG_GICR_WAKER] = { waker_rd, waker_wr },
    [GIC_REG_GICR_IDR] = { idr_rd, 0 },
    [GIC_REG_GICR_IGROUPR0] = { bit_rd, bit_wr },
    [GIC_REG_GICR_ISENABLER0] = { bit_rd, bit_wr },
    [GIC_REG_GICR_ICENABLER0] = { bit_rd, bit_wr },
    [GIC_REG_GICR_ISPENDR0] = { bit_rd, bit_wr },
    [GIC_REG_GICR_ICPENDR0] = { bit_rd, bit_wr },
    [GIC_REG_GICR_ISACTIVER0] = { bit_rd, bit_wr },
    [GIC_REG_GICR_ICACTIVER0] = { bit_rd, bit_wr },
    [GIC_REG_GICR_IPRIORITYR] = { prio_rd, prio_wr },
    [GIC_REG_GICR_ICFGR0] = { cfg_rd, 0 },
    [GIC_REG_GICR_ICFGR1] = { cfg_rd, cfg_wr },
};

void gicr_reset(gic_t *g, unsigned cpu)
{
    g->cpu[cpu].waker_sleep = gic_is_v3(g); /* reset: ProcessorSleep=1, ChildrenAsleep=1 */
    g->cpu[cpu].rwp_until = 0;
}
