/* ifprio.c: priority arithmetic of a CPU interface, shared by the physical (ICC/GICC) and virtual (ICV/GICV) ones. */
#include "gic_internal.h"

void ifc_init(struct gic_ifc *f, uint8_t prio_mask, unsigned pre_bits, unsigned groups)
{
    *f = (struct gic_ifc){ 0 };
    f->prio_mask = prio_mask;
    f->pre_bits = (uint8_t)pre_bits;
    f->groups = (uint8_t)groups;
    f->rpr = 0xff;
    f->ap_hi = 0xff;
    f->bpr0 = (uint8_t)ifc_bpr_min(f); /* reset: the minimum binary points (GICH_VMCR 0x004c0000) */
    f->bpr1 = (uint8_t)(ifc_bpr_min(f) + 1);
}

/* Each APR word covers 32 group priorities: pre_bits 4 or 5 -> 1 word, 6 -> 2, 7 -> 4 (IHI0069H 12.2.1:
 * AP0R0/AP1R0 always exist, also with the 4 priority bits a single Security state allows). */
unsigned ifc_ap_words(const struct gic_ifc *f) { return f->pre_bits > 5 ? 1u << (f->pre_bits - 5) : 1u; }

/* IHI0069H 12.2.4 / IHI0048B 4.4.3: the minimum binary point is 7 - preemption bits. */
unsigned ifc_bpr_min(const struct gic_ifc *f) { return 7u - f->pre_bits; }

/* Index of the highest-priority (lowest-numbered) active priority, or -1. */
static int ap_highest(const struct gic_ifc *f)
{
    for (unsigned w = 0; w < 4; w++) {
        uint32_t m = f->ap[0][w] | (f->groups > 1 ? f->ap[1][w] : 0);
        if (m) return (int)(w * 32 + (unsigned)__builtin_ctz(m));
    }
    return -1;
}

/* The running priority follows every change of the active priorities (ifc_rpr reads it). */
static void set_highest(struct gic_ifc *f, int i)
{
    f->ap_hi = i < 0 ? 0xff : (uint8_t)i;
    f->rpr = i < 0 ? 0xff : (uint8_t)((unsigned)i << (8 - f->pre_bits));
}
static void ap_changed(struct gic_ifc *f) { set_highest(f, ap_highest(f)); }

void ifc_set_ap(struct gic_ifc *f, unsigned group, unsigned word, uint32_t v)
{
    f->ap[group][word] = v;
    ap_changed(f);
}

/* Acknowledge: mark the interrupt's group priority active. */
void ifc_activate(struct gic_ifc *f, unsigned prio, unsigned group)
{
    unsigned idx = ifc_group_prio(f, prio, group) >> (8 - f->pre_bits);
    f->ap[f->groups > 1 ? group : 0][idx / 32] |= 1u << (idx % 32);
    if (idx < f->ap_hi) set_highest(f, (int)idx); /* the lowest set bit: only a lower one can replace it */
}

/* Priority drop (IHI0069H 4.1.1): clear the highest active priority if it belongs to `group`
 * (single-set interfaces: whatever the group). An EOI of the other group is ignored. */
bool ifc_priority_drop(struct gic_ifc *f, unsigned group)
{
    int i = f->ap_hi == 0xff ? -1 : f->ap_hi;
    if (i < 0) return false;
    uint32_t *w = &f->ap[f->groups > 1 ? group : 0][i / 32], bit = 1u << (i % 32);
    if (!(*w & bit)) return false;
    *w &= ~bit;
    ap_changed(f);
    return true;
}

void ifc_set_bpr0(struct gic_ifc *f, unsigned v)
{
    unsigned m = ifc_bpr_min(f);
    v &= 7;
    f->bpr0 = (uint8_t)(v < m ? m : v);
}

/* IHI0069H 12.2.5: with CBPR, BPR1 reads BPR0 + 1 (saturated) and ignores writes. GICv2 keeps
 * GICC_ABPR/GICV_ABPR as written (IHI0048B 4.4.8). */
uint8_t ifc_bpr1(const struct gic_ifc *f, bool v3)
{
    if (v3 && f->cbpr) return f->bpr0 + 1u > 7 ? 7 : (uint8_t)(f->bpr0 + 1u);
    return f->bpr1;
}

void ifc_set_bpr1(struct gic_ifc *f, unsigned v, bool v3)
{
    if (v3 && f->cbpr) return;
    unsigned m = ifc_bpr_min(f) + 1;
    v &= 7;
    f->bpr1 = (uint8_t)(v < m ? m : v);
}

/* GICC_CTLR / GICV_CTLR / low bits of GICH_VMCR and ICH_VMCR_EL2 (IHI0048B 4.4.1, 5.3.4):
 * EnableGrp0 [0], EnableGrp1 [1], AckCtl [2], FIQEn [3], CBPR [4], EOImode [9]. */
uint32_t ifc_ctlr_v2(const struct gic_ifc *f)
{
    return (uint32_t)f->en0 | f->en1 << 1 | f->ackctl << 2 | f->fiqen << 3 | f->cbpr << 4 | (uint32_t)f->eoimode << 9;
}

void ifc_set_ctlr_v2(struct gic_ifc *f, uint64_t v)
{
    f->en0 = v & 1;
    f->en1 = (v >> 1) & 1;
    f->ackctl = (v >> 2) & 1;
    f->fiqen = (v >> 3) & 1;
    f->cbpr = (v >> 4) & 1;
    f->eoimode = (v >> 9) & 1;
}
