/* lpi.c: LPIs in the redistributors (IHI0069H 5.1): GICR_CTLR.EnableLPIs, GICR_PROPBASER, GICR_PENDBASER, the direct
 * LPI registers, the LPI configuration cache, the pending LPIs and their part in the prioritiser.
 *
 * The configuration and pending tables live in the user's memory (mem.c). A redistributor holds the LPIs that are
 * pending for it, each with the configuration byte it read for it. The redistributors share one configuration table
 * (GICR_TYPER.CommonLPIAff = 1) and one cache of the bytes they read (cfg.lpi_cache entries, direct-mapped by INTID;
 * 0 entries: always read); INV and INVALL drop entries from it. Software that changes a configuration byte
 * must then issue INV or INVALL (IHI0069H 5.1.1, "LPI Configuration tables"); a use of a cached byte that memory no
 * longer holds is traced (GIC_TR_LPI_STALE) for the rule checker. docs/lpi.md states the rules. */
#include "gic_internal.h"

#include <stdlib.h>
#include <string.h>

#define PROPBASER_PA 0x000ffffffffff000ull
#define PENDBASER_PA 0x000fffffffff0000ull
#define PROPBASER_MASK 0x070fffffffffff9full /* IDbits, InnerCache, Shareability, PA [51:12], OuterCache */
#define PENDBASER_MASK 0x470fffffffff0f80ull /* InnerCache, Shareability, PA [51:16], OuterCache, PTZ */
#define PENDBASER_PTZ (1ull << 62)
#define LPI_CFG_ENABLE 0x01u
#define LPI_CFG_PRIO 0xfcu
#define RD_OP_CYCLES 1 /* a redistributor's own cycles per LPI operation, besides its memory accesses */

int lpi_create(gic_t *g)
{
    if (!g->cfg.lpis || !g->cfg.lpi_cache) return GIC_OK;
    g->lcache = calloc(g->cfg.lpi_cache, sizeof *g->lcache);
    return g->lcache ? GIC_OK : GIC_E_NOMEM;
}

void lpi_destroy(gic_t *g)
{
    for (unsigned c = 0; g->cpu && c < g->cfg.num_cpus; c++) free(g->cpu[c].lpend);
    free(g->lcache);
}

static void cache_clear(gic_t *g)
{
    if (g->lcache) memset(g->lcache, 0, g->cfg.lpi_cache * sizeof *g->lcache);
}

void lpi_reset(gic_t *g, unsigned cpu)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    pc->lpi_en = false;
    pc->propbaser = pc->pendbaser = 0;
    pc->lpend_n = 0;
    pc->lpi_busy_until = 0;
    cache_clear(g);
}

/* INTID bits the redistributor's tables cover: GICR_PROPBASER.IDbits + 1, at most GICD_TYPER.IDbits + 1. */
static unsigned id_bits(const gic_t *g, const struct gic_cpu *pc)
{
    unsigned b = (unsigned)GIC_FIELD_GET(GICR_PROPBASER_IDBITS, pc->propbaser) + 1;
    return b < g->cfg.lpi_id_bits ? b : g->cfg.lpi_id_bits;
}

bool lpi_in_range(const gic_t *g, unsigned cpu, uint32_t intid)
{
    return is_lpi(intid) && intid < (1u << id_bits(g, &g->cpu[cpu]));
}

/* ---------------- the configuration cache ---------------- */
static struct gic_lpi *cache_slot(gic_t *g, uint32_t intid)
{
    return g->lcache ? &g->lcache[intid % g->cfg.lpi_cache] : NULL;
}

/* A configuration byte the redistributor uses without reading memory: tell the rule checker when memory holds
 * another one (only while a trace hook listens; the peek has no timing). */
static void check_stale(gic_t *g, unsigned cpu, uint32_t intid, uint8_t used)
{
    uint8_t now;
    if (!g->trace_fn || mem_peek(g, (g->cpu[cpu].propbaser & PROPBASER_PA) + intid - LPI_FIRST, &now, 1)) return;
    if (now != used) gic_trace(g, GIC_TR_LPI_STALE, cpu, intid, now, used);
}

uint8_t lpi_cfg_get(gic_t *g, unsigned cpu, uint32_t intid)
{
    struct gic_lpi *e = cache_slot(g, intid);
    if (e && e->intid == intid) {
        check_stale(g, cpu, intid, e->cfg);
        return e->cfg;
    }
    uint8_t cfg = 0;
    if (mem_read(g, GIC_MEM_LPI_CFG, (g->cpu[cpu].propbaser & PROPBASER_PA) + intid - LPI_FIRST, &cfg, 1)) return 0;
    if (e) *e = (struct gic_lpi){ intid, cfg };
    return cfg;
}

void lpi_inv(gic_t *g, unsigned cpu, uint32_t intid)
{
    struct gic_lpi *e = cache_slot(g, intid);
    if (e && e->intid == intid) e->intid = 0;
    if (!g->cpu[cpu].lpi_en || !lpi_in_range(g, cpu, intid)) return;
    mem_op_effect(g, MQ_LPI_CFG, cpu, intid, lpi_cfg_get(g, cpu, intid));
}

void lpi_invall(gic_t *g, unsigned cpu)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    cache_clear(g);
    for (uint32_t i = 0; pc->lpi_en && i < pc->lpend_n; i++)
        mem_op_effect(g, MQ_LPI_CFG, cpu, pc->lpend[i].intid, lpi_cfg_get(g, cpu, pc->lpend[i].intid));
}

/* ---------------- pending LPIs ---------------- */
static int find(const struct gic_cpu *pc, uint32_t intid)
{
    for (uint32_t i = 0; i < pc->lpend_n; i++)
        if (pc->lpend[i].intid == intid) return (int)i;
    return -1;
}

/* The pending table holds one bit per INTID (IHI0069H 5.1.2): read-modify-write of its byte. */
static void pend_table_write(gic_t *g, unsigned cpu, uint32_t intid, bool pending)
{
    uint64_t a = (g->cpu[cpu].pendbaser & PENDBASER_PA) + intid / 8;
    uint8_t b = 0;
    if (mem_read_now(g, GIC_MEM_LPI_PEND, a, &b, 1)) return;
    uint8_t n = pending ? (uint8_t)(b | 1u << (intid % 8)) : (uint8_t)(b & ~(1u << (intid % 8)));
    if (n != b) (void)mem_write_now(g, GIC_MEM_LPI_PEND, a, &n, 1);
}

static void add(gic_t *g, unsigned cpu, uint32_t intid, uint8_t cfg)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    if (pc->lpend_n == pc->lpend_cap) {
        uint32_t nc = pc->lpend_cap ? pc->lpend_cap * 2 : 8;
        struct gic_lpi *n = realloc(pc->lpend, (size_t)nc * sizeof *n);
        if (!n) return; /* out of memory: the LPI stays pending in the table only */
        pc->lpend = n;
        pc->lpend_cap = nc;
    }
    pc->lpend[pc->lpend_n++] = (struct gic_lpi){ intid, cfg };
    gic_trace(g, GIC_TR_PENDING, cpu, intid, 1, 0);
    sched_mark_prio(g, 1ull << cpu);
}

static void drop(gic_t *g, unsigned cpu, int i)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    uint32_t intid = pc->lpend[i].intid;
    pc->lpend[i] = pc->lpend[--pc->lpend_n];
    gic_trace(g, GIC_TR_PENDING, cpu, intid, 0, 0);
    sched_mark_prio(g, 1ull << cpu);
}

/* Phase 4: an LPI becomes pending (with the configuration read for it) or stops being pending. An LPI outside the
 * tables or on a redistributor with LPIs disabled is dropped (IHI0069H 5.1). The pending table follows. */
void lpi_set(gic_t *g, unsigned cpu, uint32_t intid, uint32_t cfg, bool pending)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    if (!pc->lpi_en || !lpi_in_range(g, cpu, intid)) return;
    int i = find(pc, intid);
    if (pending && i < 0) add(g, cpu, intid, (uint8_t)cfg);
    else if (!pending && i >= 0) drop(g, cpu, i);
    else return;
    if (!(cfg & LPI_IN_TABLE)) pend_table_write(g, cpu, intid, pending); /* found in the table by the scan: it is */
}

void lpi_set_cfg(gic_t *g, unsigned cpu, uint32_t intid, uint8_t cfg)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    int i = find(pc, intid);
    if (i < 0 || pc->lpend[i].cfg == cfg) return;
    uint8_t old = pc->lpend[i].cfg;
    pc->lpend[i].cfg = cfg;
    if ((old ^ cfg) & LPI_CFG_ENABLE) gic_trace(g, GIC_TR_ENABLE, cpu, intid, cfg & LPI_CFG_ENABLE, 0);
    if ((old ^ cfg) & LPI_CFG_PRIO) gic_trace(g, GIC_TR_PRIORITY, cpu, intid, cfg & LPI_CFG_PRIO & g->prio_mask, 0);
    sched_mark_prio(g, 1ull << cpu);
}

/* MOVI / MOVALL (IHI0069H 5.3): the pending state moves to another redistributor. With LPIs disabled on either side
 * nothing moves (CONSTRAINED UNPREDICTABLE; QEMU does the same). */
void lpi_move(gic_t *g, unsigned src, uint32_t intid, unsigned dst)
{
    struct gic_cpu *ps = &g->cpu[src];
    int i = find(ps, intid);
    if (i < 0 || !g->cpu[dst].lpi_en) return;
    uint8_t cfg = ps->lpend[i].cfg;
    lpi_set(g, src, intid, 0, false);
    lpi_set(g, dst, intid, cfg, true);
}

void lpi_move_all(gic_t *g, unsigned src, unsigned dst)
{
    struct gic_cpu *ps = &g->cpu[src];
    while (ps->lpend_n && g->cpu[dst].lpi_en) lpi_move(g, src, ps->lpend[ps->lpend_n - 1].intid, dst);
}

/* ---------------- prioritiser and acknowledge ---------------- */
/* LPIs are Group 1 (IHI0069H 5.1): offered with GICD_CTLR.EnableGrp1 and the CPU interface's Group 1 enable. Ties go
 * to the lowest INTID, so an LPI never beats an SGI, PPI or SPI of the same priority. */
void lpi_hppi(gic_t *g, unsigned cpu, struct gic_hppi *h)
{
    const struct gic_cpu *pc = &g->cpu[cpu];
    if (!pc->lpi_en || !g->d_en1 || !pc->phys.en1) return;
    for (uint32_t i = 0; i < pc->lpend_n; i++) {
        const struct gic_lpi *l = &pc->lpend[i];
        unsigned prio = l->cfg & LPI_CFG_PRIO & g->prio_mask;
        if (!(l->cfg & LPI_CFG_ENABLE)) continue;
        if (prio < h->prio || (prio == h->prio && l->intid < h->intid)) {
            h->intid = (uint16_t)l->intid;
            h->prio = (uint16_t)prio;
            h->group = 1;
        }
    }
}

/* An acknowledged LPI stops being pending (LPIs have no active state, IHI0069H 5.1); its pending-table bit is cleared
 * through the port. */
bool lpi_claim(gic_t *g, unsigned cpu, uint32_t intid)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    int i = find(pc, intid);
    if (i < 0 || !(pc->lpend[i].cfg & LPI_CFG_ENABLE) || !g->d_en1 || !pc->phys.en1) return false;
    check_stale(g, cpu, intid, pc->lpend[i].cfg);
    drop(g, cpu, i);
    pend_table_write(g, cpu, intid, false);
    mem_post(g, 2);
    return true;
}

/* ---------------- GICR_CTLR.EnableLPIs ---------------- */
uint64_t lpi_ctlr_rd(gic_t *g, unsigned cpu)
{
    if (!g->cfg.lpis) return 0;
    return (g->cpu[cpu].lpi_en ? GICR_CTLR_ENABLELPIS_MASK : 0) | GICR_CTLR_CES_MASK;
}

/* EnableLPIs 0 -> 1: the redistributor reads the pending table (not with GICR_PENDBASER.PTZ) in 64-byte accesses
 * and takes every pending LPI it covers (IHI0069H 12.11 GICR_PENDBASER). 1 -> 0 (CES = 1): it stops; the pending
 * table keeps the state. */
static void enable_lpis(gic_t *g, unsigned cpu)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    pc->lpi_en = true;
    if (pc->pendbaser & PENDBASER_PTZ) return;
    mem_op_begin(g);
    uint64_t base = pc->pendbaser & PENDBASER_PA;
    uint32_t end = (1u << id_bits(g, pc)) / 8;
    for (uint32_t off = LPI_FIRST / 8; off < end; off += 64) {
        uint8_t buf[64];
        uint32_t n = end - off < 64 ? end - off : 64;
        if (mem_read(g, GIC_MEM_LPI_PEND, base + off, buf, n)) continue;
        for (uint32_t k = 0; k < n; k++)
            for (unsigned b = 0; buf[k] >> b; b++)
                if ((buf[k] >> b) & 1) mem_op_effect(g, MQ_LPI_SET, cpu, (off + k) * 8 + b, 0);
    }
    /* The configurations are read after the scan, in INTID order. */
    for (uint32_t i = 0; i < g->fx_n; i++) g->fx[i].b = lpi_cfg_get(g, cpu, g->fx[i].intid) | LPI_IN_TABLE;
    pc->lpi_busy_until = mem_op_end(g, RD_OP_CYCLES);
}

void lpi_ctlr_wr(gic_t *g, unsigned cpu, uint64_t v)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    bool en = g->cfg.lpis && (v & GICR_CTLR_ENABLELPIS_MASK);
    if (en == pc->lpi_en) return;
    if (en) {
        enable_lpis(g, cpu);
        return;
    }
    pc->lpi_en = false;
    while (pc->lpend_n) drop(g, cpu, (int)pc->lpend_n - 1);
    cache_clear(g);
}

/* ---------------- GICR_PROPBASER, GICR_PENDBASER and the direct LPI registers ---------------- */
static uint64_t propbaser_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return g->cpu[r->cpu].propbaser;
}
static void propbaser_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    g->cpu[r->cpu].propbaser = v & PROPBASER_MASK;
}
/* PTZ is write-only and reads as 0 (IHI0069H 12.11 GICR_PENDBASER); it is kept for the next EnableLPIs. */
static uint64_t pendbaser_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return g->cpu[r->cpu].pendbaser & ~PENDBASER_PTZ;
}
static void pendbaser_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    g->cpu[r->cpu].pendbaser = v & PENDBASER_MASK;
}

/* The work of a direct LPI register write (IHI0069H 12.11): one redistributor operation, RD_OP_CYCLES plus its
 * accesses, whose effect applies when it completes. */
enum { RD_SET, RD_CLR, RD_INV, RD_INVALL };
static void rd_op(gic_t *g, unsigned cpu, uint32_t intid, unsigned kind)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    mem_op_begin(g);
    if (kind == RD_SET && pc->lpi_en && lpi_in_range(g, cpu, intid)) {
        mem_op_effect(g, MQ_LPI_SET, cpu, intid, lpi_cfg_get(g, cpu, intid));
        mem_op_count(g, 2); /* the pending-table update */
    } else if (kind == RD_CLR && pc->lpi_en) {
        mem_op_effect(g, MQ_LPI_CLR, cpu, intid, 0);
        mem_op_count(g, 2);
    } else if (kind == RD_INV) {
        lpi_inv(g, cpu, intid);
    } else if (kind == RD_INVALL) {
        lpi_invall(g, cpu);
    }
    pc->lpi_busy_until = mem_op_end(g, RD_OP_CYCLES);
}

static void setlpir_wr(gic_t *g, const struct gic_regctx *r, uint64_t v) { rd_op(g, r->cpu, (uint32_t)v, RD_SET); }
static void clrlpir_wr(gic_t *g, const struct gic_regctx *r, uint64_t v) { rd_op(g, r->cpu, (uint32_t)v, RD_CLR); }
static void invlpir_wr(gic_t *g, const struct gic_regctx *r, uint64_t v) { rd_op(g, r->cpu, (uint32_t)v, RD_INV); }
static void invallr_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    (void)v;
    rd_op(g, r->cpu, 0, RD_INVALL);
}
/* Busy while an operation of this redistributor is in progress (IHI0069H 12.11 GICR_SYNCR). */
static uint64_t syncr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return g->now < g->cpu[r->cpu].lpi_busy_until;
}

const struct gic_regops lpi_regops[GIC_REG__COUNT] = {
    [GIC_REG_GICR_PROPBASER] = { propbaser_rd, propbaser_wr },
    [GIC_REG_GICR_PENDBASER] = { pendbaser_rd, pendbaser_wr },
    [GIC_REG_GICR_SETLPIR] = { 0, setlpir_wr },
    [GIC_REG_GICR_CLRLPIR] = { 0, clrlpir_wr },
    [GIC_REG_GICR_INVLPIR] = { 0, invlpir_wr },
    [GIC_REG_GICR_INVALLR] = { 0, invallr_wr },
    [GIC_REG_GICR_SYNCR] = { syncr_rd, 0 },
};
