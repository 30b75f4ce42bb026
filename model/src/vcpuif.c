/* vcpuif.c: the virtual CPU interface: list registers, hypervisor control (ICH_*, GICH_*) and the guest view (ICV_*, GICV_*). */
#include "gic_internal.h"

/* ---------------- list register encodings (docs/semantics.md C; fields from gicsim/gic_regs.h) ---------------- */
/* ICH_LR<n>_EL2 (IHI0069H 12.4.7): State, HW, Group, Priority, pINTID (HW=1) or EOI (HW=0), vINTID
 * (16 bits implemented). `phys` keeps the whole pINTID field, so EOI is its bit 9. */
static uint64_t lr_pack_v3(const struct gic_lr *l)
{
    return GIC_FIELD_VAL(ICH_LR_EL2_STATE, l->state) | GIC_FIELD_VAL(ICH_LR_EL2_HW, l->hw) |
           GIC_FIELD_VAL(ICH_LR_EL2_GROUP, l->grp) | GIC_FIELD_VAL(ICH_LR_EL2_PRIORITY, l->prio) |
           GIC_FIELD_VAL(ICH_LR_EL2_PINTID, l->phys) | l->vintid;
}
static struct gic_lr lr_unpack_v3(const gic_t *g, uint64_t v)
{
    struct gic_lr l = { (uint8_t)GIC_FIELD_GET(ICH_LR_EL2_STATE, v),
                        (uint8_t)GIC_FIELD_GET(ICH_LR_EL2_HW, v),
                        (uint8_t)GIC_FIELD_GET(ICH_LR_EL2_GROUP, v),
                        0,
                        (uint8_t)(GIC_FIELD_GET(ICH_LR_EL2_PRIORITY, v) & g->vprio_mask),
                        (uint32_t)(v & 0xffff),
                        (uint32_t)GIC_FIELD_GET(ICH_LR_EL2_PINTID, v) };
    return l;
}
/* GICH_LR<n> (IHI0048B 5.3.9): HW, Grp1, State, Priority (the top five bits), PhysicalID (HW=0: EOI and
 * the SGI's CPUID inside it), VirtualID; [22:20] RAZ/WI. */
static uint32_t lr_pack_v2(const struct gic_lr *l)
{
    return (uint32_t)(GIC_FIELD_VAL(GICH_LR_HW, l->hw) | GIC_FIELD_VAL(GICH_LR_GRP1, l->grp) |
                      GIC_FIELD_VAL(GICH_LR_STATE, l->state) | GIC_FIELD_VAL(GICH_LR_PRIORITY, l->prio >> 3) |
                      GIC_FIELD_VAL(GICH_LR_PHYSICALID, l->phys) | GIC_FIELD_VAL(GICH_LR_VIRTUALID, l->vintid));
}
static struct gic_lr lr_unpack_v2(uint32_t v)
{
    struct gic_lr l = { (uint8_t)GIC_FIELD_GET(GICH_LR_STATE, v),
                        (uint8_t)GIC_FIELD_GET(GICH_LR_HW, v),
                        (uint8_t)GIC_FIELD_GET(GICH_LR_GRP1, v),
                        0,
                        (uint8_t)(GIC_FIELD_GET(GICH_LR_PRIORITY, v) << 3),
                        (uint32_t)GIC_FIELD_GET(GICH_LR_VIRTUALID, v),
                        (uint32_t)GIC_FIELD_GET(GICH_LR_PHYSICALID, v) };
    return l;
}
static bool lr_eoi(const struct gic_lr *l) { return !l->hw && ((l->phys >> 9) & 1); }
static uint32_t lr_cpuid(const gic_t *g, const struct gic_lr *l)
{
    return !gic_is_v3(g) && !l->hw && l->vintid < 16 ? (l->phys & 7) : 0;
}
static bool is_v3(const gic_t *g) { return gic_is_v3(g); }

/* ---------------- maintenance (SEMANTICS A3, A4) ---------------- */
static uint32_t eisr(const gic_t *g, const struct gic_cpu *pc)
{
    uint32_t m = 0;
    for (unsigned i = 0; i < g->cfg.num_lrs; i++)
        if (pc->lr[i].state == 0 && lr_eoi(&pc->lr[i])) m |= 1u << i;
    return m;
}
static uint32_t elrsr(const gic_t *g, const struct gic_cpu *pc)
{
    uint32_t m = 0;
    for (unsigned i = 0; i < g->cfg.num_lrs; i++)
        if (pc->lr[i].state == 0 && !lr_eoi(&pc->lr[i])) m |= 1u << i;
    return m;
}
static uint32_t misr(const gic_t *g, const struct gic_cpu *pc)
{
    unsigned valid = 0, pending = 0;
    for (unsigned i = 0; i < g->cfg.num_lrs; i++) {
        valid += pc->lr[i].state != 0;
        pending += pc->lr[i].state == 1;
    }
    uint32_t h = pc->hcr, m = 0;
    m |= (eisr(g, pc) != 0) << 0;                 /* EOI */
    m |= (((h >> 1) & 1) && valid < 2) << 1;      /* U: UIE and fewer than two valid LRs */
    m |= (((h >> 2) & 1) && (h >> 27) != 0) << 2; /* LRENP: LRENPIE and EOIcount != 0 */
    m |= (((h >> 3) & 1) && pending == 0) << 3;   /* NP: NPIE and no LR pending */
    m |= (((h >> 4) & 1) && pc->virt.en0) << 4;   /* VGrp0E */
    m |= (((h >> 5) & 1) && !pc->virt.en0) << 5;  /* VGrp0D */
    m |= (((h >> 6) & 1) && pc->virt.en1) << 6;   /* VGrp1E */
    m |= (((h >> 7) & 1) && !pc->virt.en1) << 7;  /* VGrp1D */
    return m;
}

/* Every change to the virtual interface ends here: re-derive MISR and re-evaluate the outputs. */
void vcpuif_changed(gic_t *g, unsigned cpu)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    uint32_t m = misr(g, pc);
    if (m != pc->misr) {
        pc->misr = m;
        gic_trace(g, GIC_TR_MISR, cpu, 0, m, 0);
    }
    sched_mark_sig(g, cpu);
}

static void set_lr(gic_t *g, unsigned cpu, unsigned i, struct gic_lr l)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    uint64_t before = lr_pack_v3(&pc->lr[i]);
    pc->lr[i] = l;
    uint64_t after = lr_pack_v3(&l);
    if (after != before) gic_trace(g, GIC_TR_LR, cpu, i, after, before);
    vcpuif_changed(g, cpu);
}

/* HighestPriorityVirtualInterrupt: the pending LR of an enabled group with the lowest priority
 * value; ties go to the lowest-numbered LR. Returns the LR index or -1. */
static int hppvi(const gic_t *g, const struct gic_cpu *pc)
{
    int best = -1;
    for (unsigned i = 0; i < g->cfg.num_lrs; i++) {
        const struct gic_lr *l = &pc->lr[i];
        if (l->state != 1 || !ifc_group_enabled(&pc->virt, l->grp)) continue;
        /* SEMANTICS A5: a vINTID 1020-1023 in an LR is UNPREDICTABLE; EOI/DIR ignore these INTIDs,
         * so such an LR is never signalled (once acknowledged it could never be completed). */
        if (l->vintid >= INTID_SPECIAL_FIRST && l->vintid <= INTID_SPURIOUS) continue;
        if (best < 0 || l->prio < pc->lr[best].prio) best = (int)i;
    }
    return best;
}

static bool vsignalable(const struct gic_cpu *pc, int i)
{
    return i >= 0 && (pc->hcr & 1) && ifc_can_signal(&pc->virt, pc->lr[i].prio, pc->lr[i].grp);
}

uint32_t vcpuif_signals(gic_t *g, unsigned cpu)
{
    const struct gic_cpu *pc = &g->cpu[cpu];
    if (!vcpuif_enabled(g, pc)) return 0;
    uint32_t s = pc->misr ? GIC_OUT_MAINT : 0; /* SEMANTICS A4 */
    int i = hppvi(g, pc);
    if (vsignalable(pc, i)) s |= pc->lr[i].grp == 0 && (is_v3(g) || pc->virt.fiqen) ? GIC_OUT_VFIQ : GIC_OUT_VIRQ;
    return s;
}

static void vrpr_trace(gic_t *g, unsigned cpu, uint8_t before)
{
    uint8_t after = ifc_rpr(&g->cpu[cpu].virt);
    if (after != before) gic_trace(g, GIC_TR_VRPR, cpu, 0, after, before);
}

/* A virtual LPI in a list register (GICv3, vINTID >= 8192, HW = 0): LPIs have no active state (IHI0069H 5.1, 4.9). */
static bool is_vlpi(const gic_t *g, uint32_t vintid) { return is_v3(g) && is_lpi(vintid); }

/* Virtual acknowledge: the LR goes from pending to active (a virtual LPI's LR to invalid) and its group priority becomes
 * active. */
static uint32_t vacknowledge(gic_t *g, unsigned cpu, int want_group, bool se)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    int i = hppvi(g, pc);
    if (!vsignalable(pc, i)) return INTID_SPURIOUS;
    struct gic_lr l = pc->lr[i];
    if (want_group >= 0 && l.grp != (unsigned)want_group) return INTID_SPURIOUS;
    if (!is_v3(g) && want_group < 0 && l.grp == 1 && !pc->virt.ackctl) return INTID_GROUP1_ONLY;
    uint32_t ret = l.vintid | lr_cpuid(g, &l) << 10;
    if (!se) return ret;
    uint8_t before = ifc_rpr(&pc->virt);
    ifc_activate(&pc->virt, l.prio, l.grp);
    l.state = is_vlpi(g, l.vintid) ? 0 : 2;
    gic_trace(g, GIC_TR_VACK, cpu, l.vintid, l.prio, (uint64_t)i);
    vrpr_trace(g, cpu, before);
    set_lr(g, cpu, (unsigned)i, l);
    return ret;
}

/* Returns whether a bit of the virtual active priorities (GICH_APR, ICH_AP0R<n>/AP1R<n>_EL2) was cleared. */
static bool vpriority_drop(gic_t *g, unsigned cpu, unsigned group)
{
    struct gic_ifc *f = &g->cpu[cpu].virt;
    uint8_t before = ifc_rpr(f);
    if (!ifc_priority_drop(f, group)) return false;
    vrpr_trace(g, cpu, before);
    vcpuif_changed(g, cpu);
    return true;
}

/* Virtual deactivation (SEMANTICS A1, A5): clear the active state of the LR holding vINTID; a
 * HW=1 LR forwards the deactivation of its pINTID to the physical distributor/redistributor. A
 * vINTID in no LR increments EOIcount when `count_unlisted` (see veoi and vdir). */
static void vdeactivate(gic_t *g, unsigned cpu, uint32_t intid, uint32_t cpuid, bool count_unlisted)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    bool inlr = false;
    for (unsigned i = 0; i < g->cfg.num_lrs; i++) {
        struct gic_lr l = pc->lr[i];
        if (l.state == 0 || l.vintid != intid || lr_cpuid(g, &l) != cpuid) continue;
        inlr = true;
        if (!(l.state & 2)) continue; /* only pending: UNPREDICTABLE, ignored */
        l.state &= 1;
        if (l.hw) {
            gic_trace(g, GIC_TR_HWDEACT, cpu, l.phys, l.vintid, i);
            sched_push(g, Q_HWDEACT, g->now + g->cfg.timing.hwdeact, cpu, 1, l.phys, 0);
        }
        set_lr(g, cpu, i, l);
        return;
    }
    if (inlr || !count_unlisted) return;
    /* Not in any LR: count it (EOIcount, 5 bits, wraps). */
    uint32_t cnt = ((pc->hcr >> 27) + 1) & 0x1f;
    pc->hcr = (pc->hcr & 0x07ffffffu) | cnt << 27;
    gic_trace(g, GIC_TR_EOICOUNT, cpu, intid, cnt, 0);
    vcpuif_changed(g, cpu);
}

static uint32_t vintid_of(const gic_t *g, uint64_t v)
{
    return is_v3(g) ? (uint32_t)(v & 0xffffff) : (uint32_t)(v & 0x3ff);
}
static uint32_t vcpuid_of(const gic_t *g, uint64_t v)
{
    return !is_v3(g) && (v & 0x3ff) < 16 ? (uint32_t)((v >> 10) & 7) : 0;
}

/* GICV_EOIR, ICV_EOIR0/1_EL1. With the virtual EOImode 0, an EOI of a vINTID in no LR counts in
 * EOIcount only if it dropped a priority, i.e. cleared an active-priority bit (SEMANTICS A5):
 * IHI0048B 5.3.2 GICH_HCR.EOICount does not count an EOI that clears no GICH_APR bit; IHI0069H
 * 12.4.6 ICH_HCR_EL2.EOIcount leaves it CONSTRAINED UNPREDICTABLE (increment, or leave unchanged)
 * and gicsim leaves it unchanged, as QEMU does on both versions. An EOI with nothing active
 * therefore changes nothing (a listed vINTID is still deactivated, as before). */
static void veoi(gic_t *g, unsigned cpu, uint64_t v, unsigned group)
{
    uint32_t id = vintid_of(g, v);
    if (id >= INTID_SPECIAL_FIRST && id < 1024) return;
    bool dropped = vpriority_drop(g, cpu, group);
    /* A virtual LPI has nothing to deactivate: its EOI is a priority drop only, and never counts in EOIcount. */
    if (!g->cpu[cpu].virt.eoimode && !is_vlpi(g, id)) vdeactivate(g, cpu, id, vcpuid_of(g, v), dropped);
}

/* GICV_DIR, ICV_DIR_EL1: no priority drop is involved, so a DIR of a vINTID in no LR always counts
 * (IHI0069H 12.4.6: "a virtual write to DIR ... when EOI mode is one and no List Register was found"). */
static void vdir(gic_t *g, unsigned cpu, uint64_t v)
{
    uint32_t id = vintid_of(g, v);
    if (id >= INTID_SPECIAL_FIRST && id < 1024) return;
    if (!g->cpu[cpu].virt.eoimode) return; /* SEMANTICS A5: ignored while the virtual EOImode is 0 */
    if (is_vlpi(g, id)) return;            /* no active state: nothing to deactivate, nothing to count */
    vdeactivate(g, cpu, id, vcpuid_of(g, v), true);
}

static uint32_t vhppir(gic_t *g, unsigned cpu, int want_group)
{
    const struct gic_cpu *pc = &g->cpu[cpu];
    int i = hppvi(g, pc);
    if (i < 0) return INTID_SPURIOUS;
    const struct gic_lr *l = &pc->lr[i];
    if (l->prio >= pc->virt.pmr) return INTID_SPURIOUS;
    if (want_group >= 0 && l->grp != (unsigned)want_group) return INTID_SPURIOUS;
    if (!is_v3(g) && want_group < 0 && l->grp == 1 && !pc->virt.ackctl) return INTID_GROUP1_ONLY;
    return l->vintid | lr_cpuid(g, l) << 10;
}

/* ---------------- hypervisor control: GICH_* and ICH_* ---------------- */
#define GICH_HCR_WMASK 0xf80000ffu /* IHI0048B 5.3.2 */
/* IHI0069H 12.4.6: TC, TALL0, TALL1, TDIR stored (ICH_VTR_EL2.TDS = 1); TSEI RES0 (SEIS = 0); without
 * GICv4.1 vSGIEOICount and DVIM */
#define ICH_HCR_WMASK 0xf8005cffu

static uint64_t hcr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return g->cpu[r->cpu].hcr;
}
static void hcr_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    struct gic_cpu *pc = &g->cpu[r->cpu];
    uint32_t n = (uint32_t)v & (is_v3(g) ? ICH_HCR_WMASK : GICH_HCR_WMASK);
    if ((n >> 27) != (pc->hcr >> 27)) gic_trace(g, GIC_TR_EOICOUNT, r->cpu, 0, n >> 27, 1);
    pc->hcr = n;
    vcpuif_changed(g, r->cpu);
}

static uint64_t vtr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)r, (void)se;
    uint64_t pri = (uint64_t)(g->cfg.vprio_bits - 1) << 29 | (uint64_t)(g->cfg.vpre_bits - 1) << 26;
    if (!is_v3(g)) return pri | (g->cfg.num_lrs - 1);
    /* IHI0069H 12.4.10: IDbits [25:23] 1 (24-bit vINTIDs), A3V, nV4 (no direct injection), TDS [19]
     * (ICH_HCR_EL2.TDIR is implemented: ICH_HCR_WMASK) */
    return pri | 1u << 23 | 1u << 21 | 1u << 20 | 1u << 19 | (g->cfg.num_lrs - 1);
}

/* ICH_VMCR_EL2 (IHI0069H 12.4.11) / GICH_VMCR (IHI0048B 5.3.4): the guest's CTLR bits, VBPR1
 * [20:18], VBPR0 [23:21], and VPMR [31:24] (GICv2: the top five bits at [31:27]). */
static uint64_t vmcr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    const struct gic_ifc *f = &g->cpu[r->cpu].virt;
    uint64_t low = ifc_ctlr_v2(f) | (uint64_t)f->bpr1 << 18 | (uint64_t)f->bpr0 << 21;
    /* GICv3 without legacy support (the VM's ICC_SRE_EL1.SRE is 1): VAckCtl is RES0 and VFIQEn
     * RES1, virtual Group 0 is always a vFIQ (IHI0069H 12.4.11). */
    if (is_v3(g)) return (low & ~(uint64_t)0x4) | 0x8 | (uint64_t)f->pmr << 24;
    return low | (uint64_t)(f->pmr >> 3) << 27;
}
static void vmcr_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    struct gic_ifc *f = &g->cpu[r->cpu].virt;
    ifc_set_ctlr_v2(f, v);
    ifc_set_bpr1(f, (v >> 18) & 7, false); /* VBPR1 is stored whatever VCBPR says */
    ifc_set_bpr0(f, (v >> 21) & 7);
    f->pmr = is_v3(g) ? (uint8_t)((v >> 24) & f->prio_mask) : (uint8_t)(((v >> 27) & 0x1f) << 3);
    vcpuif_changed(g, r->cpu);
}

static uint64_t misr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return g->cpu[r->cpu].misr;
}
static uint64_t eisr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return r->idx == 0 ? eisr(g, &g->cpu[r->cpu]) : 0;
}
static uint64_t elrsr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return r->idx == 0 ? elrsr(g, &g->cpu[r->cpu]) : 0;
}

static uint64_t lr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    if (r->idx >= g->cfg.num_lrs) return 0;
    const struct gic_lr *l = &g->cpu[r->cpu].lr[r->idx];
    return is_v3(g) ? lr_pack_v3(l) : lr_pack_v2(l);
}
static void lr_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    if (r->idx >= g->cfg.num_lrs) return; /* GICH_LR beyond ListRegs: RAZ/WI */
    set_lr(g, r->cpu, r->idx, is_v3(g) ? lr_unpack_v3(g, v) : lr_unpack_v2((uint32_t)v));
}

/* ---------------- guest view: GICV_* and ICV_* ---------------- */
static uint64_t vctlr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    const struct gic_ifc *f = &g->cpu[r->cpu].virt;
    if (is_v3(g)) /* ICV_CTLR_EL1: CBPR, EOImode, PRIbits, IDbits 1 (24-bit vINTIDs), A3V: IHI0069H 12.3.7 */
        return (uint64_t)f->cbpr | (uint64_t)f->eoimode << 1 | (uint64_t)(g->cfg.vprio_bits - 1) << 8 | 1u << 11 |
               1u << 15;
    return ifc_ctlr_v2(f);
}
static void vctlr_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    struct gic_ifc *f = &g->cpu[r->cpu].virt;
    if (is_v3(g)) {
        f->cbpr = v & 1;
        f->eoimode = (v >> 1) & 1;
    } else {
        ifc_set_ctlr_v2(f, v);
    }
    vcpuif_changed(g, r->cpu);
}
static uint64_t viar_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    unsigned id = r->d->id;
    int grp = id == GIC_REG_GICV_IAR ? -1 : id == GIC_REG_ICV_IAR0_EL1 ? 0 : 1;
    return vacknowledge(g, r->cpu, grp, se);
}
static void veoir_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    veoi(g, r->cpu, v, r->d->id == GIC_REG_ICV_EOIR0_EL1 ? 0 : 1);
}
static void vdir_wr(gic_t *g, const struct gic_regctx *r, uint64_t v) { vdir(g, r->cpu, v); }
static uint64_t vhppir_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    unsigned id = r->d->id;
    int grp = id == GIC_REG_GICV_HPPIR ? -1 : id == GIC_REG_ICV_HPPIR0_EL1 ? 0 : 1;
    return vhppir(g, r->cpu, grp);
}
static uint64_t viidr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)r, (void)se;
    return g->cfg.cpu_iidr;
}
static uint64_t vigrpen_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    const struct gic_ifc *f = &g->cpu[r->cpu].virt;
    return r->d->id == GIC_REG_ICV_IGRPEN0_EL1 ? f->en0 : f->en1;
}
static void vigrpen_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    struct gic_ifc *f = &g->cpu[r->cpu].virt;
    if (r->d->id == GIC_REG_ICV_IGRPEN0_EL1) f->en0 = v & 1;
    else f->en1 = v & 1;
    vcpuif_changed(g, r->cpu);
}

const struct gic_regops vcpuif_regops[GIC_REG__COUNT] = {
    [GIC_REG_GICH_HCR] = { hcr_rd, hcr_wr },
    [GIC_REG_ICH_HCR_EL2] = { hcr_rd, hcr_wr },
    [GIC_REG_GICH_VTR] = { vtr_rd, 0 },
    [GIC_REG_ICH_VTR_EL2] = { vtr_rd, 0 },
    [GIC_REG_GICH_VMCR] = { vmcr_rd, vmcr_wr },
    [GIC_REG_ICH_VMCR_EL2] = { vmcr_rd, vmcr_wr },
    [GIC_REG_GICH_MISR] = { misr_rd, 0 },
    [GIC_REG_ICH_MISR_EL2] = { misr_rd, 0 },
    [GIC_REG_GICH_EISR] = { eisr_rd, 0 },
    [GIC_REG_ICH_EISR_EL2] = { eisr_rd, 0 },
    [GIC_REG_GICH_ELRSR] = { elrsr_rd, 0 },
    [GIC_REG_ICH_ELRSR_EL2] = { elrsr_rd, 0 },
    [GIC_REG_GICH_APR] = { ifreg_ap_rd, ifreg_ap_wr },
    [GIC_REG_ICH_AP0R_EL2] = { ifreg_ap_rd, ifreg_ap_wr },
    [GIC_REG_ICH_AP1R_EL2] = { ifreg_ap_rd, ifreg_ap_wr },
    [GIC_REG_GICH_LR] = { lr_rd, lr_wr },
    [GIC_REG_ICH_LR_EL2] = { lr_rd, lr_wr },
    [GIC_REG_GICV_CTLR] = { vctlr_rd, vctlr_wr },
    [GIC_REG_ICV_CTLR_EL1] = { vctlr_rd, vctlr_wr },
    [GIC_REG_GICV_PMR] = { ifreg_pmr_rd, ifreg_pmr_wr },
    [GIC_REG_ICV_PMR_EL1] = { ifreg_pmr_rd, ifreg_pmr_wr },
    [GIC_REG_GICV_BPR] = { ifreg_bpr0_rd, ifreg_bpr0_wr },
    [GIC_REG_ICV_BPR0_EL1] = { ifreg_bpr0_rd, ifreg_bpr0_wr },
    [GIC_REG_GICV_ABPR] = { ifreg_bpr1_rd, ifreg_bpr1_wr },
    [GIC_REG_ICV_BPR1_EL1] = { ifreg_bpr1_rd, ifreg_bpr1_wr },
    [GIC_REG_GICV_IAR] = { viar_rd, 0 },
    [GIC_REG_ICV_IAR0_EL1] = { viar_rd, 0 },
    [GIC_REG_GICV_AIAR] = { viar_rd, 0 },
    [GIC_REG_ICV_IAR1_EL1] = { viar_rd, 0 },
    [GIC_REG_GICV_EOIR] = { 0, veoir_wr },
    [GIC_REG_ICV_EOIR0_EL1] = { 0, veoir_wr },
    [GIC_REG_GICV_AEOIR] = { 0, veoir_wr },
    [GIC_REG_ICV_EOIR1_EL1] = { 0, veoir_wr },
    [GIC_REG_GICV_HPPIR] = { vhppir_rd, 0 },
    [GIC_REG_ICV_HPPIR0_EL1] = { vhppir_rd, 0 },
    [GIC_REG_GICV_AHPPIR] = { vhppir_rd, 0 },
    [GIC_REG_ICV_HPPIR1_EL1] = { vhppir_rd, 0 },
    [GIC_REG_GICV_RPR] = { ifreg_rpr_rd, 0 },
    [GIC_REG_ICV_RPR_EL1] = { ifreg_rpr_rd, 0 },
    [GIC_REG_GICV_APR] = { ifreg_ap_rd, ifreg_ap_wr },
    [GIC_REG_ICV_AP0R_EL1] = { ifreg_ap_rd, ifreg_ap_wr },
    [GIC_REG_ICV_AP1R_EL1] = { ifreg_ap_rd, ifreg_ap_wr },
    [GIC_REG_GICV_DIR] = { 0, vdir_wr },
    [GIC_REG_ICV_DIR_EL1] = { 0, vdir_wr },
    [GIC_REG_GICV_IIDR] = { viidr_rd, 0 },
    [GIC_REG_ICV_IGRPEN0_EL1] = { vigrpen_rd, vigrpen_wr },
    [GIC_REG_ICV_IGRPEN1_EL1] = { vigrpen_rd, vigrpen_wr },
};

void vcpuif_reset(gic_t *g, unsigned cpu)
{
    struct gic_cpu *pc = &g->cpu[cpu];
    pc->hcr = 0;
    ifc_init(&pc->virt, g->vprio_mask, g->cfg.vpre_bits, gic_is_v3(g) ? 2 : 1);
    for (unsigned i = 0; i < GIC_MAX_LRS; i++) pc->lr[i] = (struct gic_lr){ 0, 0, 0, 0, 0, 0, 0 };
    pc->misr = 0;
}
