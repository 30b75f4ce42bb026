/* cpuif.c: the physical CPU interface: GICv3 ICC_* system registers and the GICv2 GICC_* frame (banked per CPU). */
#include "gic_internal.h"

/* ---------------- which interface a shared register handler works on ---------------- */
/* GICV_*, ICV_*, GICH_APR and ICH_AP0R/AP1R act on the virtual interface, the rest on the physical. */
static bool is_virtual(const struct gic_regctx *r)
{
    return r->frame == GIC_FRAME_GICV || r->frame == GIC_FRAME_VSYSREG || r->frame == GIC_FRAME_GICH ||
           r->d->id == GIC_REG_ICH_AP0R_EL2 || r->d->id == GIC_REG_ICH_AP1R_EL2;
}
static struct gic_ifc *ifc_of(gic_t *g, const struct gic_regctx *r)
{
    return is_virtual(r) ? &g->cpu[r->cpu].virt : &g->cpu[r->cpu].phys;
}
/* After a change of PMR, BPR, CTLR or the APRs: re-evaluate the outputs (and MISR). */
static void ifc_changed(gic_t *g, const struct gic_regctx *r, uint8_t rpr_before)
{
    const struct gic_ifc *f = ifc_of(g, r);
    uint8_t after = ifc_rpr(f);
    bool v = is_virtual(r);
    if (after != rpr_before) gic_trace(g, v ? GIC_TR_VRPR : GIC_TR_RPR, r->cpu, 0, after, rpr_before);
    if (v) vcpuif_changed(g, r->cpu);
    else sched_mark_sig(g, r->cpu);
}

static void rpr_changed(gic_t *g, unsigned cpu, uint8_t before)
{
    uint8_t after = ifc_rpr(&g->cpu[cpu].phys);
    if (after != before) gic_trace(g, GIC_TR_RPR, cpu, 0, after, before);
    sched_mark_sig(g, cpu);
}

/* Acknowledge (IHI0069H 12.2.13-14, IHI0048B 4.4.4): want_group -1 takes either group. */
static uint32_t acknowledge(gic_t *g, unsigned cpu, int want_group, bool side_effects)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    struct gic_hppi h = pc->view;
    if (!cpuif_signalable(pc, &h)) return INTID_SPURIOUS;
    if (want_group >= 0 && h.group != (unsigned)want_group) return INTID_SPURIOUS;
    /* GICv2: GICC_IAR with a Group 1 highest and AckCtl=0 returns 1022 and acknowledges nothing. */
    if (!gic_is_v3(g) && want_group < 0 && h.group == 1 && !pc->phys.ackctl) return INTID_GROUP1_ONLY;
    uint32_t ret = h.intid | (!gic_is_v3(g) && h.intid < 16 ? (uint32_t)h.src << 10 : 0);
    if (!side_effects) return ret;
    if (!irq_claim(g, cpu, &h)) {
        gic_trace(g, GIC_TR_ACK, cpu, INTID_SPURIOUS, h.intid, 1);
        return INTID_SPURIOUS; /* the offer was withdrawn while the acknowledge was in flight */
    }
    uint8_t before = ifc_rpr(&pc->phys);
    ifc_activate(&pc->phys, h.prio, h.group);
    gic_trace(g, GIC_TR_ACK, cpu, h.intid, h.prio, 0);
    /* The acknowledge consumes the offer (the Activate of IHI0069H appendix A): the CPU interface
     * holds nothing until the next HPPI message arrives (timing.md 4.6), so an early priority
     * drop cannot re-signal the interrupt it just handed out. */
    pc->view = (struct gic_hppi){ INTID_SPURIOUS, GIC_NO_PRIO, 0, 0 };
    gic_trace(g, GIC_TR_HPPI, cpu, INTID_SPURIOUS, GIC_NO_PRIO, 0);
    rpr_changed(g, cpu, before);
    return ret;
}

static void priority_drop(gic_t *g, unsigned cpu, unsigned group)
{
    uint8_t before = ifc_rpr(&g->cpu[cpu].phys);
    if (ifc_priority_drop(&g->cpu[cpu].phys, group)) rpr_changed(g, cpu, before);
}

/* LPIs have no active state (IHI0069H 5.1): the EOI of an LPI is a priority drop only and its DIR does nothing, so
 * nothing reaches the redistributor. Any other INTID is sent there (one that is not active is ignored and traced). */
static void deactivate(gic_t *g, unsigned cpu, uint32_t intid)
{
    if (g->cfg.lpis && is_lpi(intid) && intid < (1u << g->cfg.lpi_id_bits)) return;
    sched_push(g, Q_DEACT, g->now + g->cfg.timing.deact, cpu, 0, intid, 0);
}

static void eoi(gic_t *g, unsigned cpu, uint64_t v, unsigned group)
{
    uint32_t intid = gic_is_v3(g) ? (uint32_t)(v & 0xffffff) : (uint32_t)(v & 0x3ff);
    if (intid >= INTID_SPECIAL_FIRST && intid < 1024) return; /* special INTIDs: ignored */
    priority_drop(g, cpu, group);
    if (!g->cpu[cpu].phys.eoimode) deactivate(g, cpu, intid);
}

static void dir(gic_t *g, unsigned cpu, uint64_t v)
{
    uint32_t intid = gic_is_v3(g) ? (uint32_t)(v & 0xffffff) : (uint32_t)(v & 0x3ff);
    if (intid >= INTID_SPECIAL_FIRST && intid < 1024) return;
    if (!g->cpu[cpu].phys.eoimode) return; /* DIR with EOImode 0 is UNPREDICTABLE: ignored here */
    deactivate(g, cpu, intid);
}

static uint32_t hppir(gic_t *g, unsigned cpu, int want_group)
{
    const struct gic_cpu *pc = &g->cpu[cpu];
    const struct gic_hppi *h = &pc->view;
    if (h->intid == INTID_SPURIOUS || h->prio >= pc->phys.pmr) return INTID_SPURIOUS;
    if (want_group >= 0 && h->group != (unsigned)want_group) return INTID_SPURIOUS;
    if (!gic_is_v3(g) && want_group < 0 && h->group == 1 && !pc->phys.ackctl) return INTID_GROUP1_ONLY;
    return h->intid | (!gic_is_v3(g) && h->intid < 16 ? (uint32_t)h->src << 10 : 0);
}

static void set_enables(gic_t *g, unsigned cpu, bool en0, bool en1)
{
    struct gic_ifc *f = &g->cpu[cpu].phys;
    if (f->en0 == en0 && f->en1 == en1) return;
    f->en0 = en0;
    f->en1 = en1;
    sched_mark_prio(g, 1ull << cpu); /* the prioritiser offers enabled groups only */
    sched_mark_sig(g, cpu);
}

/* ---------------- registers common to GICC/ICC and GICV/ICV (and their APRs in GICH/ICH) ---------------- */
uint64_t ifreg_pmr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return ifc_of(g, r)->pmr;
}
void ifreg_pmr_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    struct gic_ifc *f = ifc_of(g, r);
    f->pmr = (uint8_t)v & f->prio_mask;
    ifc_changed(g, r, ifc_rpr(f));
}
uint64_t ifreg_rpr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return ifc_rpr(ifc_of(g, r));
}
uint64_t ifreg_bpr0_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return ifc_of(g, r)->bpr0;
}
void ifreg_bpr0_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    struct gic_ifc *f = ifc_of(g, r);
    ifc_set_bpr0(f, (unsigned)v);
    ifc_changed(g, r, ifc_rpr(f));
}
uint64_t ifreg_bpr1_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return ifc_bpr1(ifc_of(g, r), gic_is_v3(g));
}
void ifreg_bpr1_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    struct gic_ifc *f = ifc_of(g, r);
    ifc_set_bpr1(f, (unsigned)v, gic_is_v3(g));
    ifc_changed(g, r, ifc_rpr(f));
}
/* Active priorities: AP1R registers are Group 1's; GICC_APR, GICH_APR and GICV_APR hold both. */
static unsigned ap_group(const struct gic_regctx *r)
{
    unsigned id = r->d->id;
    return id == GIC_REG_ICC_AP1R_EL1 || id == GIC_REG_ICH_AP1R_EL2 || id == GIC_REG_ICV_AP1R_EL1;
}
uint64_t ifreg_ap_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    const struct gic_ifc *f = ifc_of(g, r);
    return r->idx < ifc_ap_words(f) ? f->ap[ap_group(r)][r->idx] : 0;
}
void ifreg_ap_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    struct gic_ifc *f = ifc_of(g, r);
    if (r->idx >= ifc_ap_words(f)) return;
    uint8_t before = ifc_rpr(f);
    ifc_set_ap(f, ap_group(r), r->idx, (uint32_t)v);
    ifc_changed(g, r, before);
}
uint64_t ifreg_ctlr_v2_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return ifc_ctlr_v2(ifc_of(g, r));
}

/* ---------------- GICv2 GICC ---------------- */
static void gicc_ctlr_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    struct gic_ifc *f = &g->cpu[r->cpu].phys;
    bool en0 = f->en0, en1 = f->en1;
    ifc_set_ctlr_v2(f, v);
    bool n0 = f->en0, n1 = f->en1;
    f->en0 = en0;
    f->en1 = en1;
    sched_mark_sig(g, r->cpu);
    set_enables(g, r->cpu, n0, n1);
}
static uint64_t gicc_iar_rd(gic_t *g, const struct gic_regctx *r, bool se) { return acknowledge(g, r->cpu, -1, se); }
static uint64_t gicc_aiar_rd(gic_t *g, const struct gic_regctx *r, bool se) { return acknowledge(g, r->cpu, 1, se); }
static void gicc_eoir_wr(gic_t *g, const struct gic_regctx *r, uint64_t v) { eoi(g, r->cpu, v, 0); }
static void gicc_dir_wr(gic_t *g, const struct gic_regctx *r, uint64_t v) { dir(g, r->cpu, v); }
static uint64_t gicc_hppir_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return hppir(g, r->cpu, -1);
}
static uint64_t gicc_ahppir_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return hppir(g, r->cpu, 1);
}
static uint64_t gicc_iidr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)r, (void)se;
    return g->cfg.cpu_iidr;
}

/* ---------------- GICv3 ICC ---------------- */
static uint64_t icc_ctlr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    const struct gic_ifc *f = &g->cpu[r->cpu].phys;
    /* PRIbits, IDbits 1 (24-bit INTIDs, as the EOIR/DIR fields), A3V: IHI0069H 12.2.6. */
    return GIC_FIELD_VAL(ICC_CTLR_EL1_CBPR, f->cbpr) | GIC_FIELD_VAL(ICC_CTLR_EL1_EOIMODE, f->eoimode) |
           GIC_FIELD_VAL(ICC_CTLR_EL1_PRIBITS, gic_cpu_prio_bits(&g->cfg) - 1) | GIC_FIELD_VAL(ICC_CTLR_EL1_IDBITS, 1) |
           ICC_CTLR_EL1_A3V_MASK;
}
static void icc_ctlr_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    struct gic_ifc *f = &g->cpu[r->cpu].phys;
    f->cbpr = GIC_FIELD_GET(ICC_CTLR_EL1_CBPR, v);
    f->eoimode = GIC_FIELD_GET(ICC_CTLR_EL1_EOIMODE, v);
    sched_mark_sig(g, r->cpu);
}
static uint64_t icc_iar0_rd(gic_t *g, const struct gic_regctx *r, bool se) { return acknowledge(g, r->cpu, 0, se); }
static uint64_t icc_iar1_rd(gic_t *g, const struct gic_regctx *r, bool se) { return acknowledge(g, r->cpu, 1, se); }
static void icc_eoir0_wr(gic_t *g, const struct gic_regctx *r, uint64_t v) { eoi(g, r->cpu, v, 0); }
static void icc_eoir1_wr(gic_t *g, const struct gic_regctx *r, uint64_t v) { eoi(g, r->cpu, v, 1); }
static uint64_t icc_hppir0_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return hppir(g, r->cpu, 0);
}
static uint64_t icc_hppir1_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return hppir(g, r->cpu, 1);
}
static uint64_t icc_sre_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)g, (void)r, (void)se;
    return 0x7;
}
static uint64_t icc_igrpen_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    const struct gic_ifc *f = &g->cpu[r->cpu].phys;
    return r->d->id == GIC_REG_ICC_IGRPEN0_EL1 ? f->en0 : f->en1;
}
static void icc_igrpen_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    const struct gic_ifc *f = &g->cpu[r->cpu].phys;
    if (r->d->id == GIC_REG_ICC_IGRPEN0_EL1) set_enables(g, r->cpu, v & 1, f->en1);
    else set_enables(g, r->cpu, f->en0, v & 1);
}

/* IHI0069H 12.2.23: ICC_SGI0R/SGI1R/ASGI1R. IRM=1 targets every PE but the sender; otherwise
 * the PEs of cluster Aff3.Aff2.Aff1 whose Aff0 is in TargetList (offset by RS*16). The SGI is
 * made pending on a target only where it is configured in the group the register generates:
 * SGI1R Group 1; SGI0R Group 0; ASGI1R (Group 1 of the other Security state, which a GIC with
 * one Security state does not have) Group 0 (timing.md 4.9). */
static void icc_sgi_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    unsigned sgi = (unsigned)GIC_FIELD_GET(ICC_SGI1R_EL1_INTID, v), group = r->d->id == GIC_REG_ICC_SGI1R_EL1 ? 1 : 0;
    bool irm = GIC_FIELD_GET(ICC_SGI1R_EL1_IRM, v);
    /* the target cluster as an affinity (Aff1 [15:8], Aff2 [23:16], Aff3 [39:32], as GICD_IROUTER places them) */
    uint64_t cluster = GIC_FIELD_VAL(GICD_IROUTER_AFF1, GIC_FIELD_GET(ICC_SGI1R_EL1_AFF1, v)) |
                       GIC_FIELD_VAL(GICD_IROUTER_AFF2, GIC_FIELD_GET(ICC_SGI1R_EL1_AFF2, v)) |
                       GIC_FIELD_VAL(GICD_IROUTER_AFF3, GIC_FIELD_GET(ICC_SGI1R_EL1_AFF3, v));
    unsigned rs = (unsigned)GIC_FIELD_GET(ICC_SGI1R_EL1_RS, v);
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
    [GIC_REG_GICC_CTLR] = { ifreg_ctlr_v2_rd, gicc_ctlr_wr },
    [GIC_REG_GICC_PMR] = { ifreg_pmr_rd, ifreg_pmr_wr },
    [GIC_REG_GICC_BPR] = { ifreg_bpr0_rd, ifreg_bpr0_wr },
    [GIC_REG_GICC_IAR] = { gicc_iar_rd, 0 },
    [GIC_REG_GICC_EOIR] = { 0, gicc_eoir_wr },
    [GIC_REG_GICC_RPR] = { ifreg_rpr_rd, 0 },
    [GIC_REG_GICC_HPPIR] = { gicc_hppir_rd, 0 },
    [GIC_REG_GICC_ABPR] = { ifreg_bpr1_rd, ifreg_bpr1_wr },
    [GIC_REG_GICC_AIAR] = { gicc_aiar_rd, 0 },
    [GIC_REG_GICC_AEOIR] = { 0, gicc_eoir_wr },
    [GIC_REG_GICC_AHPPIR] = { gicc_ahppir_rd, 0 },
    [GIC_REG_GICC_APR] = { ifreg_ap_rd, ifreg_ap_wr },
    [GIC_REG_GICC_IIDR] = { gicc_iidr_rd, 0 },
    [GIC_REG_GICC_DIR] = { 0, gicc_dir_wr },
    [GIC_REG_ICC_PMR_EL1] = { ifreg_pmr_rd, ifreg_pmr_wr },
    [GIC_REG_ICC_IAR0_EL1] = { icc_iar0_rd, 0 },
    [GIC_REG_ICC_EOIR0_EL1] = { 0, icc_eoir0_wr },
    [GIC_REG_ICC_HPPIR0_EL1] = { icc_hppir0_rd, 0 },
    [GIC_REG_ICC_BPR0_EL1] = { ifreg_bpr0_rd, ifreg_bpr0_wr },
    [GIC_REG_ICC_AP0R_EL1] = { ifreg_ap_rd, ifreg_ap_wr },
    [GIC_REG_ICC_AP1R_EL1] = { ifreg_ap_rd, ifreg_ap_wr },
    [GIC_REG_ICC_DIR_EL1] = { 0, gicc_dir_wr },
    [GIC_REG_ICC_RPR_EL1] = { ifreg_rpr_rd, 0 },
    [GIC_REG_ICC_SGI1R_EL1] = { 0, icc_sgi_wr },
    [GIC_REG_ICC_ASGI1R_EL1] = { 0, icc_sgi_wr },
    [GIC_REG_ICC_SGI0R_EL1] = { 0, icc_sgi_wr },
    [GIC_REG_ICC_IAR1_EL1] = { icc_iar1_rd, 0 },
    [GIC_REG_ICC_EOIR1_EL1] = { 0, icc_eoir1_wr },
    [GIC_REG_ICC_HPPIR1_EL1] = { icc_hppir1_rd, 0 },
    [GIC_REG_ICC_BPR1_EL1] = { ifreg_bpr1_rd, ifreg_bpr1_wr },
    [GIC_REG_ICC_CTLR_EL1] = { icc_ctlr_rd, icc_ctlr_wr },
    [GIC_REG_ICC_SRE_EL1] = { icc_sre_rd, 0 },
    [GIC_REG_ICC_IGRPEN0_EL1] = { icc_igrpen_rd, icc_igrpen_wr },
    [GIC_REG_ICC_IGRPEN1_EL1] = { icc_igrpen_rd, icc_igrpen_wr },
};

void cpuif_reset(gic_t *g, unsigned cpu)
{
    ifc_init(&g->cpu[cpu].phys, g->cpu_prio_mask, g->pre_bits, gic_is_v3(g) ? 2 : 1);
}
