/* gicd.c: the distributor (GICD_*): GICv2 layout and GICv3 with affinity routing (ARE=1, DS=1). */
#include "gic_internal.h"

/* ---------------- shared bitmap registers (also used by gicr.c) ---------------- */
/* Implemented INTIDs of a bank (the last bank may be partial). */
static uint32_t bank_valid(const gic_t *g, unsigned bankno)
{
    uint32_t first = bankno * 32;
    if (first >= g->num_intids) return 0;
    uint32_t n = g->num_intids - first;
    return n >= 32 ? ~0u : (1u << n) - 1;
}

/* A bitmap register (its register-map key `state`) reads the bank's bits of that state. */
uint64_t bitreg_read(gic_t *g, unsigned cpu, unsigned bankno, const struct gic_regdesc *d)
{
    const struct gic_bank *b = bankno ? &g->spi[bankno] : &g->cpu[cpu].priv;
    uint32_t v;
    switch (d->state) {
    case IRQF_GROUP: v = b->group; break;
    case IRQF_ENABLE: v = b->enable; break;
    case IRQF_PEND: v = bank_pending(b); break;
    default: v = b->active; break;
    }
    return v & bank_valid(g, bankno);
}

/* A write replaces the bits (access RW), or sets (W1S) or clears (W1C) those written as 1. */
void bitreg_write(gic_t *g, unsigned cpu, unsigned bankno, const struct gic_regdesc *d, uint32_t val)
{
    unsigned field = d->state;
    uint32_t valid = bank_valid(g, bankno);
    if (bankno == 0 && !gic_is_v3(g)) {
        /* IHI0048B 4.3.5-4.3.8: SGI enables are RAO/WI and SGI pending bits are WI here
         * (GICD_SPENDSGIR/CPENDSGIR set them). */
        if (field == IRQF_ENABLE || field == IRQF_PEND) valid &= ~0xffffu;
    }
    if (d->access == GIC_ACCESS_RW) {
        irq_update(g, cpu, bankno, field, val & valid, true);
        irq_update(g, cpu, bankno, field, ~val & valid, false);
    } else {
        irq_update(g, cpu, bankno, field, val & valid, d->access == GIC_ACCESS_W1S);
    }
}

uint64_t prioreg_read(gic_t *g, unsigned cpu, uint32_t first_intid)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < 4; k++)
        if (irq_exists(g, first_intid + k)) v |= (uint64_t)*irq_prio(g, cpu, first_intid + k) << (8 * k);
    return v;
}

void prioreg_write(gic_t *g, unsigned cpu, uint32_t first_intid, uint64_t val)
{
    for (unsigned k = 0; k < 4; k++)
        if (irq_exists(g, first_intid + k)) irq_set_prio(g, cpu, first_intid + k, (uint8_t)(val >> (8 * k)));
}

/* ---------------- GICD registers ---------------- */
/* With ARE=1 the distributor's registers for INTIDs 0-31 are RAZ/WI (IHI0069H 12.9). */
static bool private_raz(const gic_t *g, unsigned first_intid) { return gic_is_v3(g) && first_intid < 32; }

static uint64_t ctlr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)r, (void)se;
    uint64_t v = GIC_FIELD_VAL(GICD_CTLR_ENABLEGRP0, g->d_en0) | GIC_FIELD_VAL(GICD_CTLR_ENABLEGRP1, g->d_en1);
    if (gic_is_v3(g)) {
        v |= GICD_CTLR_ARE_MASK | GICD_CTLR_DS_MASK; /* RAO/WI: affinity routing, one Security state */
        if (g->now < g->d_rwp_until) v |= GICD_CTLR_RWP_MASK;
    }
    return v;
}

static void ctlr_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    (void)r;
    bool e0 = GIC_FIELD_GET(GICD_CTLR_ENABLEGRP0, v), e1 = GIC_FIELD_GET(GICD_CTLR_ENABLEGRP1, v);
    if (e0 != g->d_en0 || e1 != g->d_en1) {
        g->d_en0 = e0;
        g->d_en1 = e1;
        sched_mark_prio(g, all_cpus(g));
    }
    if (gic_is_v3(g)) {
        /* IHI0069H 12.9.4 RWP: the write is in progress until its effect reached every CPU interface. */
        rwp_start(g, &g->d_rwp_until);
    }
}

static uint64_t typer_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)r, (void)se;
    uint64_t it = GIC_FIELD_VAL(GICD_TYPER_ITLINESNUMBER, g->nbanks - 1);
    if (!gic_is_v3(g)) return it | GIC_FIELD_VAL(GICD_TYPER_CPUNUMBER, g->cfg.num_cpus - 1); /* SecurityExtn=0 */
    /* IDbits: 10-bit INTIDs without LPIs, else lpi_id_bits; LPIS; A3V=1; No1N from the configuration. */
    unsigned idbits = g->cfg.lpis ? g->cfg.lpi_id_bits : 10;
    return it | GIC_FIELD_VAL(GICD_TYPER_IDBITS, idbits - 1) | (g->cfg.lpis ? GICD_TYPER_LPIS_MASK : 0) |
           GICD_TYPER_A3V_MASK | GIC_FIELD_VAL(GICD_TYPER_NO1N, !g->cfg.one_of_n);
}

static uint64_t iidr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)r, (void)se;
    return g->cfg.dist_iidr;
}

/* Peripheral and component ID registers, in address order PIDR4-7, PIDR0-3, CIDR0-3. */
static const uint8_t idr_v2[12] = { 0x04, 0, 0, 0, 0x90, 0xb4, 0x2b, 0, 0x0d, 0xf0, 0x05, 0xb1 };
static const uint8_t idr_v3[12] = { 0x44, 0, 0, 0, 0x92, 0xb4, 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1 };
static uint64_t idr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return (gic_is_v3(g) ? idr_v3 : idr_v2)[r->idx];
}

static uint64_t bit_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    if (r->idx >= g->nbanks || private_raz(g, r->idx * 32)) return 0;
    return bitreg_read(g, r->cpu, r->idx, r->d);
}

static void bit_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    if (r->idx >= g->nbanks || private_raz(g, r->idx * 32)) return;
    bitreg_write(g, r->cpu, r->idx, r->d, (uint32_t)v);
    if (gic_is_v3(g) && r->d->id == GIC_REG_GICD_ICENABLER) {
        rwp_start(g, &g->d_rwp_until);
    }
}

static uint64_t prio_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return private_raz(g, r->idx * 4) ? 0 : prioreg_read(g, r->cpu, r->idx * 4);
}

static void prio_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    if (!private_raz(g, r->idx * 4)) prioreg_write(g, r->cpu, r->idx * 4, v);
}

/* IHI0048B 4.3.12: uniprocessor GICs have RAZ/WI targets; INTIDs 0-31 read the own CPU's bit. */
static uint64_t targets_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    if (g->cfg.num_cpus == 1) return 0;
    uint64_t v = 0;
    for (unsigned k = 0; k < 4; k++) {
        uint32_t id = r->idx * 4 + k;
        if (!irq_exists(g, id)) continue;
        v |= (uint64_t)(id < 32 ? (1u << r->cpu) : g->spi_target[id]) << (8 * k);
    }
    return v;
}

static void targets_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    if (g->cfg.num_cpus == 1) return;
    for (unsigned k = 0; k < 4; k++) {
        uint32_t id = r->idx * 4 + k;
        if (id < 32 || !irq_exists(g, id)) continue;
        uint8_t t = (uint8_t)((v >> (8 * k)) & all_cpus(g));
        if (t == g->spi_target[id]) continue;
        g->spi_target[id] = t;
        gic_trace(g, GIC_TR_ROUTE, 0, id, t, 0);
        irq_set_route(g, id);
    }
}

/* IHI0048B 4.3.13: two bits per INTID, bit 2n+1 set = edge-triggered; SGIs are RO edge. */
uint64_t cfgreg_read(gic_t *g, unsigned cpu, unsigned idx)
{
    unsigned first = idx * 16, bankno = first >> 5, sh = first & 16;
    const struct gic_bank *b = bankno ? &g->spi[bankno] : &g->cpu[cpu].priv;
    uint32_t edge = (b->edge & bank_valid(g, bankno)) >> sh, v = 0;
    for (unsigned k = 0; k < 16; k++) v |= ((edge >> k) & 1u) << (2 * k + 1);
    return v;
}

void cfgreg_write(gic_t *g, unsigned cpu, unsigned idx, uint64_t v)
{
    unsigned first = idx * 16, bankno = first >> 5, sh = first & 16;
    if (first < 16) return; /* SGIs: read-only */
    uint32_t edge = 0;
    for (unsigned k = 0; k < 16; k++) edge |= (uint32_t)((v >> (2 * k + 1)) & 1) << k;
    uint32_t span = 0xffffu << sh, valid = bank_valid(g, bankno);
    irq_update(g, cpu, bankno, IRQF_EDGE, (edge << sh) & span & valid, true);
    irq_update(g, cpu, bankno, IRQF_EDGE, ~(edge << sh) & span & valid, false);
}

static uint64_t cfg_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    if (r->idx * 16 >= g->num_intids || private_raz(g, r->idx * 16)) return 0;
    return cfgreg_read(g, r->cpu, r->idx);
}

static void cfg_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    if (r->idx * 16 >= g->num_intids || private_raz(g, r->idx * 16)) return;
    cfgreg_write(g, r->cpu, r->idx, v);
}

/* IHI0048B 4.3.15: software-generated interrupts. */
static void sgir_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    unsigned sgi = (unsigned)GIC_FIELD_GET(GICD_SGIR_SGIINTID, v),
             filter = (unsigned)GIC_FIELD_GET(GICD_SGIR_TARGETLISTFILTER, v);
    uint64_t targets;
    switch (filter) {
    case 0: targets = GIC_FIELD_GET(GICD_SGIR_CPUTARGETLIST, v); break;
    case 1: targets = all_cpus(g) & ~(1ull << r->cpu); break;
    case 2: targets = 1ull << r->cpu; break;
    default: return; /* reserved */
    }
    targets &= all_cpus(g);
    while (targets) {
        unsigned t = (unsigned)__builtin_ctzll(targets);
        targets &= targets - 1;
        irq_sgi_v2_set(g, t, sgi, (uint8_t)(1u << r->cpu), true);
    }
}

/* IHI0048B 4.3.16/17: one byte per SGI, one bit per source CPU, for the requesting CPU. */
static uint64_t sgipend_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    uint64_t v = 0;
    for (unsigned k = 0; k < 4; k++) v |= (uint64_t)g->cpu[r->cpu].sgi_src[r->idx * 4 + k] << (8 * k);
    return v;
}

static void sgipend_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    bool set = r->d->id == GIC_REG_GICD_SPENDSGIR;
    for (unsigned k = 0; k < 4; k++) {
        uint8_t m = (uint8_t)((v >> (8 * k)) & all_cpus(g));
        if (m) irq_sgi_v2_set(g, r->cpu, r->idx * 4 + k, m, set);
    }
}

/* IHI0069H 12.9.22: Aff3.Aff2.Aff1.Aff0 and the routing mode; RES0 bits read as zero. */
static uint64_t router_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    uint32_t id = 32 + r->idx;
    return irq_exists(g, id) ? g->spi_route[id] : 0;
}

static void router_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    uint32_t id = 32 + r->idx;
    if (!irq_exists(g, id)) return;
    v &= GICD_IROUTER_AFF0_MASK | GICD_IROUTER_AFF1_MASK | GICD_IROUTER_AFF2_MASK | GICD_IROUTER_AFF3_MASK |
         (g->cfg.one_of_n ? GICD_IROUTER_INTERRUPT_ROUTING_MODE_MASK : 0);
    if (v == g->spi_route[id]) return;
    g->spi_route[id] = v;
    gic_trace(g, GIC_TR_ROUTE, 0, id, v, 0);
    irq_set_route(g, id);
}

const struct gic_regops gicd_regops[GIC_REG__COUNT] = {
    [GIC_REG_GICD_CTLR] = { ctlr_rd, ctlr_wr },
    [GIC_REG_GICD_TYPER] = { typer_rd, 0 },
    [GIC_REG_GICD_IIDR] = { iidr_rd, 0 },
    [GIC_REG_GICD_IDR] = { idr_rd, 0 },
    [GIC_REG_GICD_IGROUPR] = { bit_rd, bit_wr },
    [GIC_REG_GICD_ISENABLER] = { bit_rd, bit_wr },
    [GIC_REG_GICD_ICENABLER] = { bit_rd, bit_wr },
    [GIC_REG_GICD_ISPENDR] = { bit_rd, bit_wr },
    [GIC_REG_GICD_ICPENDR] = { bit_rd, bit_wr },
    [GIC_REG_GICD_ISACTIVER] = { bit_rd, bit_wr },
    [GIC_REG_GICD_ICACTIVER] = { bit_rd, bit_wr },
    [GIC_REG_GICD_IPRIORITYR] = { prio_rd, prio_wr },
    [GIC_REG_GICD_ITARGETSR] = { targets_rd, targets_wr },
    [GIC_REG_GICD_ICFGR] = { cfg_rd, cfg_wr },
    [GIC_REG_GICD_SGIR] = { 0, sgir_wr },
    [GIC_REG_GICD_CPENDSGIR] = { sgipend_rd, sgipend_wr },
    [GIC_REG_GICD_SPENDSGIR] = { sgipend_rd, sgipend_wr },
    [GIC_REG_GICD_IROUTER] = { router_rd, router_wr },
};

void gicd_reset(gic_t *g)
{
    g->d_en0 = g->d_en1 = false;
    g->d_rwp_until = 0;
}
