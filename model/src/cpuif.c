/* cpuif.c: the physical CPU interface: GICv3 ICC_* system registers and the GICv2 GICC_* frame (banked per CPU). */
#include "gic_internal.h"

/* ---------------- priority arithmetic shared with the virtual interface ---------------- */
/* GroupBits (IHI0069H 4.8.3, IHI0048B 3.3.3): binary point n splits priority into group bits
 * [7:n+1] (Group 0, or Group 1 with CBPR) or [7:n] (Group 1 through BPR1/ABPR). */
uint8_t cpuif_group_prio_mask(unsigned bpr, bool group1_adjusted)
{
    unsigned lo = group1_adjusted ? bpr : bpr + 1;
    if (lo > 8) lo = 8;
    return (uint8_t)(0xffu << lo);
}

/* Index of the highest-priority (lowest-numbered) set bit of an active-priorities set, or -1. */
static int ap_highest(const uint32_t ap[2][4], unsigned groups)
{
    for (unsigned w = 0; w < 4; w++) {
        uint32_t m = ap[0][w] | (groups > 1 ? ap[1][w] : 0);
        if (m) return (int)(w * 32 + (unsigned)__builtin_ctz(m));
    }
    return -1;
}

static unsigned ap_words(unsigned pre_bits) { return 1u << (pre_bits - 5); }

/* ---------------- physical interface state helpers ---------------- */
static unsigned bpr_min(const gic_t *g) { return 7u - g->pre_bits; }

static uint8_t rpr(const gic_t *g, const struct gic_cpu *pc)
{
    int i = ap_highest(pc->ap, gic_is_v3(g) ? 2 : 1);
    return i < 0 ? 0xff : (uint8_t)((unsigned)i << (8 - g->pre_bits));
}

static uint8_t group_prio(const gic_t *g, const struct gic_cpu *pc, unsigned prio, unsigned group)
{
    if (group == 0 || pc->cbpr) return prio & cpuif_group_prio_mask(pc->bpr0, false);
    (void)g;
    return prio & cpuif_group_prio_mask(pc->bpr1, true);
}

static bool group_enabled(const struct gic_cpu *pc, unsigned group) { return group ? pc->en1 : pc->en0; }

/* The offered interrupt can be signalled: enabled group, above the priority mask, and able to
 * preempt the running priority (IHI0069H 4.8, IHI0048B 3.3). */
static bool signalable(const gic_t *g, const struct gic_cpu *pc, const struct gic_hppi *h)
{
    if (h->intid == INTID_SPURIOUS) return false;
    if (!group_enabled(pc, h->group) || h->prio >= pc->pmr) return false;
    return group_prio(g, pc, h->prio, h->group) < rpr(g, pc);
}

uint32_t cpuif_signals(gic_t *g, unsigned cpu)
{
    const struct gic_cpu *pc = &g->cpu[cpu];
    if (!signalable(g, pc, &pc->view)) return 0;
    /* Group 0 is an FIQ (GICv2: only with FIQEn), Group 1 an IRQ. */
    if (pc->view.group == 0 && (gic_is_v3(g) || pc->fiqen)) return GIC_OUT_FIQ;
    return GIC_OUT_IRQ;
}

static void rpr_changed(gic_t *g, unsigned cpu, uint8_t before)
{
    uint8_t after = rpr(g, &g->cpu[cpu]);
    if (after != before) gic_trace(g, GIC_TR_RPR, cpu, 0, after, before);
    sched_mark_sig(g, cpu);
}

/* Acknowledge (IHI0069H 12.2.13-14, IHI0048B 4.4.4): want_group -1 takes either group. */
static uint32_t acknowledge(gic_t *g, unsigned cpu, int want_group, bool side_effects)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    struct gic_hppi h = pc->view;
    if (!signalable(g, pc, &h)) return INTID_SPURIOUS;
    if (want_group >= 0 && h.group != (unsigned)want_group) return INTID_SPURIOUS;
    /* GICv2: GICC_IAR with a Group 1 highest and AckCtl=0 returns 1022 and acknowledges nothing. */
    if (!gic_is_v3(g) && want_group < 0 && h.group == 1 && !pc->ackctl) return INTID_GROUP1_ONLY;
    uint32_t ret = h.intid | (!gic_is_v3(g) && h.intid < 16 ? (uint32_t)h.src << 10 : 0);
    if (!side_effects) return ret;
    if (!irq_claim(g, cpu, &h)) {
        gic_trace(g, GIC_TR_ACK, cpu, INTID_SPURIOUS, h.intid, 1);
        return INTID_SPURIOUS; /* the offer was withdrawn while the acknowledge was in flight */
    }
    uint8_t before = rpr(g, pc);
    unsigned idx = group_prio(g, pc, h.prio, h.group) >> (8 - g->pre_bits);
    pc->ap[gic_is_v3(g) ? h.group : 0][idx / 32] |= 1u << (idx % 32);
    gic_trace(g, GIC_TR_ACK, cpu, h.intid, h.prio, 0);
    rpr_changed(g, cpu, before);
    return ret;
}

/* Priority drop (IHI0069H 4.1.1): clear the highest active priority if it belongs to `group`
 * (GICv2: either group). An EOI for a group without the highest active priority is ignored. */
static void priority_drop(gic_t *g, unsigned cpu, unsigned group)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    int i = ap_highest(pc->ap, gic_is_v3(g) ? 2 : 1);
    if (i < 0) return;
    unsigned grp = gic_is_v3(g) ? group : 0;
    uint32_t bit = 1u << (i % 32);
    if (!(pc->ap[grp][i / 32] & bit)) return;
    uint8_t before = rpr(g, pc);
    pc->ap[grp][i / 32] &= ~bit;
    rpr_changed(g, cpu, before);
}

static void deactivate(gic_t *g, unsigned cpu, uint32_t intid)
{
    sched_push(g, Q_DEACT, g->now + g->cfg.timing.deact, cpu, 0, intid, 0);
}

static void eoi(gic_t *g, unsigned cpu, uint64_t v, unsigned group)
{
    uint32_t intid = gic_is_v3(g) ? (uint32_t)(v & 0xffffff) : (uint32_t)(v & 0x3ff);
    if (intid >= INTID_SPECIAL_FIRST && intid < 1024) return; /* special INTIDs: ignored */
    priority_drop(g, cpu, group);
    if (!g->cpu[cpu].eoimode) deactivate(g, cpu, intid);
}

static void dir(gic_t *g, unsigned cpu, uint64_t v)
{
    uint32_t intid = gic_is_v3(g) ? (uint32_t)(v & 0xffffff) : (uint32_t)(v & 0x3ff);
    if (intid >= INTID_SPECIAL_FIRST && intid < 1024) return;
    if (!g->cpu[cpu].eoimode) return; /* DIR with EOImode 0 is UNPREDICTABLE: ignored here */
    deactivate(g, cpu, intid);
}

static uint32_t hppir(gic_t *g, unsigned cpu, int want_group)
{
    const struct gic_cpu *pc = &g->cpu[cpu];
    const struct gic_hppi *h = &pc->view;
    if (h->intid == INTID_SPURIOUS || h->prio >= pc->pmr) return INTID_SPURIOUS;
    if (want_group >= 0 && h->group != (unsigned)want_group) return INTID_SPURIOUS;
    if (!gic_is_v3(g) && want_group < 0 && h->group == 1 && !pc->ackctl) return INTID_GROUP1_ONLY;
    return h->intid | (!gic_is_v3(g) && h->intid < 16 ? (uint32_t)h->src << 10 : 0);
}

static void set_enables(gic_t *g, unsigned cpu, bool en0, bool en1)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    if (pc->en0 == en0 && pc->en1 == en1) return;
    pc->en0 = en0;
    pc->en1 = en1;
    sched_mark_prio(g, 1ull << cpu); /* the prioritiser offers enabled groups only */
    sched_mark_sig(g, cpu);
}

/* ---------------- registers common to GICC and ICC ---------------- */
static uint64_t pmr_rd(gic_t *g, const struct gic_regctx *r, bool se) { (void)se; return g->cpu[r->cpu].pmr; }
static void pmr_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    g->cpu[r->cpu].pmr = (uint8_t)v & g->prio_mask;
    sched_mark_sig(g, r->cpu);
}
static uint64_t rpr_rd(gic_t *g, const struct gic_regctx *r, bool se) { (void)se; return rpr(g, &g->cpu[r->cpu]); }

static uint64_t bpr0_rd(gic_t *g, const struct gic_regctx *r, bool se) { (void)se; return g->cpu[r->cpu].bpr0; }
static void bpr0_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    unsigned b = v & 7, m = bpr_min(g);
    g->cpu[r->cpu].bpr0 = (uint8_t)(b < m ? m : b);
    sched_mark_sig(g, r->cpu);
}
/* IHI0069H 12.2.5: with CBPR, ICC_BPR1 reads BPR0+1 (saturated) and ignores writes. GICv2's
 * GICC_ABPR keeps its own value (IHI0048B 4.4.8). */
static uint64_t bpr1_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    const struct gic_cpu *pc = &g->cpu[r->cpu];
    if (gic_is_v3(g) && pc->cbpr) return pc->bpr0 + 1u > 7 ? 7 : pc->bpr0 + 1u;
    return pc->bpr1;
}
static void bpr1_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    struct gic_cpu *pc = &g->cpu[r->cpu];
    if (gic_is_v3(g) && pc->cbpr) return;
    unsigned b = v & 7, m = bpr_min(g) + 1;
    pc->bpr1 = (uint8_t)(b < m ? m : b);
    sched_mark_sig(g, r->cpu);
}

static uint64_t ap_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    unsigned grp = r->d->id == GIC_REG_ICC_AP1R_EL1 ? 1 : 0;
    return r->idx < ap_words(g->pre_bits) ? g->cpu[r->cpu].ap[grp][r->idx] : 0;
}
static void ap_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    unsigned grp = r->d->id == GIC_REG_ICC_AP1R_EL1 ? 1 : 0;
    if (r->idx >= ap_words(g->pre_bits)) return;
    struct gic_cpu *pc = &g->cpu[r->cpu];
    uint8_t before = rpr(g, pc);
    pc->ap[grp][r->idx] = (uint32_t)v;
    rpr_changed(g, r->cpu, before);
}

/* ---------------- GICv2 GICC ---------------- */
static uint64_t gicc_ctlr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    const struct gic_cpu *pc = &g->cpu[r->cpu];
    return (uint64_t)pc->en0 | pc->en1 << 1 | pc->ackctl << 2 | pc->fiqen << 3 | pc->cbpr << 4 | pc->eoimode << 9;
}
static void gicc_ctlr_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    struct gic_cpu *pc = &g->cpu[r->cpu];
    pc->ackctl = (v >> 2) & 1;
    pc->fiqen = (v >> 3) & 1;
    pc->cbpr = (v >> 4) & 1;
    pc->eoimode = (v >> 9) & 1;
    sched_mark_sig(g, r->cpu);
    set_enables(g, r->cpu, v & 1, (v >> 1) & 1);
}
static uint64_t gicc_iar_rd(gic_t *g, const struct gic_regctx *r, bool se) { return acknowledge(g, r->cpu, -1, se); }
static uint64_t gicc_aiar_rd(gic_t *g, const struct gic_regctx *r, bool se) { return acknowledge(g, r->cpu, 1, se); }
static void gicc_eoir_wr(gic_t *g, const struct gic_regctx *r, uint64_t v) { eoi(g, r->cpu, v, 0); }
static void gicc_dir_wr(gic_t *g, const struct gic_regctx *r, uint64_t v) { dir(g, r->cpu, v); }
static uint64_t gicc_hppir_rd(gic_t *g, const struct gic_regctx *r, bool se) { (void)se; return hppir(g, r->cpu, -1); }
static uint64_t gicc_ahppir_rd(gic_t *g, const struct gic_regctx *r, bool se) { (void)se; return hppir(g, r->cpu, 1); }
static uint64_t gicc_iidr_rd(gic_t *g, const struct gic_regctx *r, bool se) { (void)r; (void)se; return g->cfg.cpu_iidr; }

/* ---------------- GICv3 ICC ---------------- */
static uint64_t icc_ctlr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    const struct gic_cpu *pc = &g->cpu[r->cpu];
    /* PRIbits [10:8], IDbits 0 (16-bit), A3V [15]. */
    return (uint64_t)pc->cbpr | pc->eoimode << 1 | (uint64_t)(g->cfg.prio_bits - 1) << 8 | 1u << 15;
}
static void icc_ctlr_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    struct gic_cpu *pc = &g->cpu[r->cpu];
    pc->cbpr = v & 1;
    pc->eoimode = (v >> 1) & 1;
    sched_mark_sig(g, r->cpu);
}
static uint64_t icc_iar0_rd(gic_t *g, const struct gic_regctx *r, bool se) { return acknowledge(g, r->cpu, 0, se); }
static uint64_t icc_iar1_rd(gic_t *g, const struct gic_regctx *r, bool se) { return acknowledge(g, r->cpu, 1, se); }
static void icc_eoir0_wr(gic_t *g, const struct gic_regctx *r, uint64_t v) { eoi(g, r->cpu, v, 0); }
static void icc_eoir1_wr(gic_t *g, const struct gic_regctx *r, uint64_t v) { eoi(g, r->cpu, v, 1); }
static uint64_t icc_hppir0_rd(gic_t *g, const struct gic_regctx *r, bool se) { (void)se; return hppir(g, r->cpu, 0); }
static uint64_t icc_hppir1_rd(gic_t *g, const struct gic_regctx *r, bool se) { (void)se; return hppir(g, r->cpu, 1); }
static uint64_t icc_sre_rd(gic_t *g, const struct gic_regctx *r, bool se) { (void)g; (void)r; (void)se; return 0x7; }
static uint64_t icc_igrpen_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    const struct gic_cpu *pc = &g->cpu[r->cpu];
    return r->d->id == GIC_REG_ICC_IGRPEN0_EL1 ? pc->en0 : pc->en1;
}
static void icc_igrpen_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    const struct gic_cpu *pc = &g->cpu[r->cpu];
    if (r->d->id == GIC_REG_ICC_IGRPEN0_EL1) set_enables(g, r->cpu, v & 1, pc->en1);
    else set_enables(g, r->cpu, pc->en0, v & 1);
}
static uint64_t icc_ap_check(gic_t *g, const struct gic_regctx *r, bool se) { return ap_rd(g, r, se); }

/* IHI0069H 12.2.23: ICC_SGI0R/SGI1R/ASGI1R. IRM=1 targets every PE but the sender; otherwise
 * the PEs of cluster Aff3.Aff2.Aff1 whose Aff0 is in TargetList (offset by RS*16). The SGI is
 * made pending on a target only where it is configured in the group the register generates. */
static void icc_sgi_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    unsigned sgi = (v >> 24) & 0xf, group = r->d->id == GIC_REG_ICC_SGI0R_EL1 ? 0 : 1;
    bool irm = (v >> 40) & 1;
    uint64_t cluster = ((v >> 16) & 0xff) << 8 | ((v >> 32) & 0xff) << 16 | ((v >> 48) & 0xffull) << 32;
    unsigned rs = (v >> 44) & 0xf;
    for (unsigned t = 0; t < g->cfg.num_cpus; t++) {
        const struct gic_cpu *pt = &g->cpu[t];
        if (irm) {
            if (t == r->cpu) continue;
        } else {
            unsigned aff0 = pt->affinity & 0xff;
            if ((pt->affinity & ~0xffull) != cluster || aff0 / 16 != rs || !((v >> (aff0 % 16)) & 1)) continue;
        }
        if (((pt->priv.group >> sgi) & 1) != group) continue;
        irq_update(g, t, 0, IRQF_PEND, 1u << sgi, true);
    }
}

const struct gic_regops cpuif_regops[GIC_REG__COUNT] = {
    [GIC_REG_GICC_CTLR] = { gicc_ctlr_rd, gicc_ctlr_wr },
    [GIC_REG_GICC_PMR] = { pmr_rd, pmr_wr },
    [GIC_REG_GICC_BPR] = { bpr0_rd, bpr0_wr },
    [GIC_REG_GICC_IAR] = { gicc_iar_rd, 0 },
    [GIC_REG_GICC_EOIR] = { 0, gicc_eoir_wr },
    [GIC_REG_GICC_RPR] = { rpr_rd, 0 },
    [GIC_REG_GICC_HPPIR] = { gicc_hppir_rd, 0 },
    [GIC_REG_GICC_ABPR] = { bpr1_rd, bpr1_wr },
    [GIC_REG_GICC_AIAR] = { gicc_aiar_rd, 0 },
    [GIC_REG_GICC_AEOIR] = { 0, gicc_eoir_wr },
    [GIC_REG_GICC_AHPPIR] = { gicc_ahppir_rd, 0 },
    [GIC_REG_GICC_APR] = { ap_rd, ap_wr },
    [GIC_REG_GICC_IIDR] = { gicc_iidr_rd, 0 },
    [GIC_REG_GICC_DIR] = { 0, gicc_dir_wr },
    [GIC_REG_ICC_PMR_EL1] = { pmr_rd, pmr_wr },
    [GIC_REG_ICC_IAR0_EL1] = { icc_iar0_rd, 0 },
    [GIC_REG_ICC_EOIR0_EL1] = { 0, icc_eoir0_wr },
    [GIC_REG_ICC_HPPIR0_EL1] = { icc_hppir0_rd, 0 },
    [GIC_REG_ICC_BPR0_EL1] = { bpr0_rd, bpr0_wr },
    [GIC_REG_ICC_AP0R_EL1] = { icc_ap_check, ap_wr },
    [GIC_REG_ICC_AP1R_EL1] = { icc_ap_check, ap_wr },
    [GIC_REG_ICC_DIR_EL1] = { 0, gicc_dir_wr },
    [GIC_REG_ICC_RPR_EL1] = { rpr_rd, 0 },
    [GIC_REG_ICC_SGI1R_EL1] = { 0, icc_sgi_wr },
    [GIC_REG_ICC_ASGI1R_EL1] = { 0, icc_sgi_wr },
    [GIC_REG_ICC_SGI0R_EL1] = { 0, icc_sgi_wr },
    [GIC_REG_ICC_IAR1_EL1] = { icc_iar1_rd, 0 },
    [GIC_REG_ICC_EOIR1_EL1] = { 0, icc_eoir1_wr },
    [GIC_REG_ICC_HPPIR1_EL1] = { icc_hppir1_rd, 0 },
    [GIC_REG_ICC_BPR1_EL1] = { bpr1_rd, bpr1_wr },
    [GIC_REG_ICC_CTLR_EL1] = { icc_ctlr_rd, icc_ctlr_wr },
    [GIC_REG_ICC_SRE_EL1] = { icc_sre_rd, 0 },
    [GIC_REG_ICC_IGRPEN0_EL1] = { icc_igrpen_rd, icc_igrpen_wr },
    [GIC_REG_ICC_IGRPEN1_EL1] = { icc_igrpen_rd, icc_igrpen_wr },
};

void cpuif_reset(gic_t *g, unsigned cpu)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    pc->pmr = 0;
    pc->bpr0 = (uint8_t)bpr_min(g);
    pc->bpr1 = (uint8_t)(bpr_min(g) + 1);
    pc->cbpr = pc->eoimode = pc->en0 = pc->en1 = pc->ackctl = pc->fiqen = false;
    for (unsigned i = 0; i < 4; i++) pc->ap[0][i] = pc->ap[1][i] = 0;
}
