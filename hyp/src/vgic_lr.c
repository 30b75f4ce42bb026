/* vgic_lr.c: list registers at VM entry (flush: the interrupts to deliver into the LRs, B6) and exit (sync: the
 * LRs folded back into the virtual state, B7), and the EAGER policy's activation at entry (B9). */
#include "vgic_internal.h"

#include <stdlib.h>

/* ---------------- world switch ---------------- */
static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Build the LR value for q and apply B6's effects on the virtual state. */
static uint64_t populate(vgic_vm_t *vm, struct virq *q, uint32_t intid, uint8_t *src_out)
{
    bool pend = vgic_irq_pending(vm, q, intid) && q->enabled && vgic_group_enabled(vm, intid, q);
    bool act = q->act;
    uint32_t src = 0;
    if (is_v2_sgi(vm, intid)) {
        if (act) {
            src = q->act_src;
            pend = pend && ((q->sgi_src >> src) & 1);
        } else if (pend) {
            src = (uint32_t)__builtin_ctz(q->sgi_src);
        }
    }
    if (q->hw && act) pend = false; /* B6 / A2: never pending+active with HW=1 */
    bool eoi = !q->hw && !q->edge;  /* EOI maintenance for level-sensitive HW=0 interrupts */
    uint64_t state = (uint64_t)pend | (uint64_t)act << 1, v;
    if (v3(vm)) { /* ICH_LR<n>_EL2 (IHI0069H 12.4.7) */
        v = GIC_FIELD_VAL(ICH_LR_EL2_STATE, state) | GIC_FIELD_VAL(ICH_LR_EL2_HW, q->hw) |
            GIC_FIELD_VAL(ICH_LR_EL2_GROUP, q->group) | GIC_FIELD_VAL(ICH_LR_EL2_PRIORITY, q->prio) | intid;
        v |= q->hw ? GIC_FIELD_VAL(ICH_LR_EL2_PINTID, q->pintid)
                   : GIC_FIELD_VAL(ICH_LR_EL2_EOI, eoi); /* B6: EOI never with HW */
    } else {                                             /* GICH_LR<n> (IHI0048B 5.3.9) */
        v = GIC_FIELD_VAL(GICH_LR_HW, q->hw) | GIC_FIELD_VAL(GICH_LR_GRP1, q->group) |
            GIC_FIELD_VAL(GICH_LR_STATE, state) | GIC_FIELD_VAL(GICH_LR_PRIORITY, q->prio >> 3) | intid;
        v |= q->hw ? GIC_FIELD_VAL(GICH_LR_PHYSICALID, q->pintid)
                   : GIC_FIELD_VAL(GICH_LR_EOI, eoi) | GIC_FIELD_VAL(GICH_LR_CPUID, src);
    }
    if (pend) {
        /* B6: the pending state now lives in the LR. Edge: the latch moves into the LR (B7 puts it
         * back if the LR is still pending at exit). Mapped level: V.line := 0, only a new rising
         * edge (a new physical assertion) is observed. */
        if (is_v2_sgi(vm, intid)) q->sgi_src &= (uint8_t) ~(1u << src);
        else if (q->edge) q->latch = 0;
        if (q->hw && !q->edge) q->line = 0;
    }
    *src_out = (uint8_t)src;
    return v;
}

int vgic_lr_flush(vgic_vm_t *vm, uint32_t v)
{
    struct vcpu *c = &vm->vcpu[v];
    unsigned n = 0, nlr = vm->cfg.num_lrs;
    vm->last.entries++;
    charge(vm, vm->cfg.costs.vm_entry);
    /* Candidates: active first, then by priority, then by INTID. */
    for (uint32_t i = 0; i < nintids(vm); i++) {
        struct virq *q = i < 32 ? &c->priv[i] : &vm->spi[i - 32];
        if (i >= 32 && vgic_irq_target(vm, v, i, q) != (int)v) continue;
        if (!vgic_irq_deliverable(vm, q, i)) continue;
        vm->scratch[n++] = (uint64_t)!q->act << 40 | (uint64_t)q->prio << 16 | i;
    }
    charge(vm, (uint64_t)vm->cfg.costs.irq_scan * n);
    qsort(vm->scratch, n, sizeof *vm->scratch, cmp_u64);
    unsigned used = n < nlr ? n : nlr;
    bool overflow = n > nlr;
    if (overflow) vm->last.overflows++;

    TRY(vgic_ich(vm, c->pcpu, GICH_VMCR_OFFSET, ICH_VMCR_EL2_ENC, true, c->vmcr, NULL));
    if (v3(vm)) {
        for (unsigned k = 0; k < vm->num_apr; k++) {
            TRY(vgic_hw_access(vm, GIC_FRAME_SYSREG, c->pcpu, ICH_AP0R(k), 8, true, c->apr[0][k], NULL));
            TRY(vgic_hw_access(vm, GIC_FRAME_SYSREG, c->pcpu, ICH_AP1R(k), 8, true, c->apr[1][k], NULL));
        }
    } else {
        TRY(vgic_hw_access(vm, GIC_FRAME_GICH, c->pcpu, GICH_APR_OFFSET, 4, true, c->apr[0][0], NULL));
    }
    for (unsigned i = 0; i < used; i++) {
        uint32_t intid = (uint32_t)(vm->scratch[i] & 0xffff);
        struct virq *q = vgic_irq_get(vm, v, intid);
        uint8_t src;
        uint64_t val = populate(vm, q, intid, &src);
        c->lr_intid[i] = (uint16_t)intid;
        c->lr_src[i] = src;
        q->lr_vcpu = (int8_t)v;
        q->lr = (int8_t)i;
        TRY(vgic_lr_access(vm, c->pcpu, i, true, val, NULL));
        /* B9 (EAGER): every entry carrying a HW interrupt pending or active makes P.act = 1. */
        if (vm->cfg.policy == VGIC_POLICY_EAGER && q->hw && (val >> (v3(vm) ? 62 : 28) & 3))
            TRY(vgic_phys_bit_write(vm, v, q->pintid, GICD_ISACTIVER_OFFSET));
    }
    uint32_t hcr = HCR_EN | (overflow ? (vm->cfg.refill_npie ? HCR_NPIE : HCR_UIE) : 0);
    TRY(vgic_ich(vm, c->pcpu, GICH_HCR_OFFSET, ICH_HCR_EL2_ENC, true, hcr, NULL));
    c->running = true;
    return VGIC_OK;
}

/* B7: fold one LR value back into the virtual state. */
static int fold(vgic_vm_t *vm, uint32_t v, unsigned i, uint64_t val)
{
    struct vcpu *c = &vm->vcpu[v];
    uint32_t intid = c->lr_intid[i];
    struct virq *q = vgic_irq_get(vm, v, intid);
    unsigned st = (unsigned)(v3(vm) ? GIC_FIELD_GET(ICH_LR_EL2_STATE, val) : GIC_FIELD_GET(GICH_LR_STATE, val));
    bool hw_lr = v3(vm) ? GIC_FIELD_GET(ICH_LR_EL2_HW, val) : GIC_FIELD_GET(GICH_LR_HW, val);
    bool eoi_lr = !hw_lr && (v3(vm) ? GIC_FIELD_GET(ICH_LR_EL2_EOI, val) : GIC_FIELD_GET(GICH_LR_EOI, val));
    bool pend = st & 1;
    c->lr_intid[i] = NO_LR;
    q->lr_vcpu = -1;
    q->lr = -1;
    q->act = (st & 2) != 0; /* B7: copy active */
    if (q->act && is_v2_sgi(vm, intid)) q->act_src = c->lr_src[i];
    if (q->edge) {
        if (pend) { /* B7: an edge LR still pending keeps V.latch */
            if (is_v2_sgi(vm, intid)) q->sgi_src |= (uint8_t)(1u << c->lr_src[i]);
            else q->latch = 1;
        }
    } else {
        if (!pend) q->latch = 0; /* B7: a level LR no longer pending clears V.latch */
        if (hw_lr && pend && q->hw) {
            /* B7: resample the mapped level line; if low, P.act := 0 -- unless the virtual interrupt
             * is still kept pending by the latch (SPEND) or is active, which would make a later HW
             * deactivation find the physical interrupt inactive (A6). */
            TRY(vgic_phys_line(vm, v, q, &q->line));
            if (!q->line && !q->latch && !q->act) TRY(vgic_phys_bit_write(vm, v, q->pintid, GICD_ICACTIVER_OFFSET));
        }
        if (eoi_lr && st == 0 && vm->ops.eoi) vm->ops.eoi(vm->ops.ctx, v, intid); /* EOI maintenance */
    }
    return VGIC_OK;
}

int vgic_lr_sync(vgic_vm_t *vm, uint32_t v, uint32_t *misr)
{
    struct vcpu *c = &vm->vcpu[v];
    uint64_t r;
    vm->last.exits++;
    charge(vm, vm->cfg.costs.vm_exit);
    if (misr) {
        TRY(vgic_ich(vm, c->pcpu, GICH_MISR_OFFSET, ICH_MISR_EL2_ENC, false, 0, &r));
        *misr = (uint32_t)r;
    }
    uint64_t elrsr = 0;
    bool any = false;
    for (unsigned i = 0; i < vm->cfg.num_lrs; i++) any |= c->lr_intid[i] != NO_LR;
    if (any) TRY(vgic_ich(vm, c->pcpu, GICH_ELRSR_OFFSET, ICH_ELRSR_EL2_ENC, false, 0, &elrsr));
    for (unsigned i = 0; i < vm->cfg.num_lrs; i++) {
        if (c->lr_intid[i] == NO_LR) continue;
        uint64_t val = 0;
        if (!((elrsr >> i) & 1)) TRY(vgic_lr_access(vm, c->pcpu, i, false, 0, &val));
        TRY(vgic_lr_access(vm, c->pcpu, i, true, 0, NULL));
        TRY(fold(vm, v, i, val));
    }
    TRY(vgic_ich(vm, c->pcpu, GICH_VMCR_OFFSET, ICH_VMCR_EL2_ENC, false, 0, &c->vmcr));
    if (v3(vm)) {
        for (unsigned k = 0; k < vm->num_apr; k++) {
            TRY(vgic_hw_access(vm, GIC_FRAME_SYSREG, c->pcpu, ICH_AP0R(k), 8, false, 0, &c->apr[0][k]));
            TRY(vgic_hw_access(vm, GIC_FRAME_SYSREG, c->pcpu, ICH_AP1R(k), 8, false, 0, &c->apr[1][k]));
        }
    } else {
        TRY(vgic_hw_access(vm, GIC_FRAME_GICH, c->pcpu, GICH_APR_OFFSET, 4, false, 0, &c->apr[0][0]));
    }
    TRY(vgic_ich(vm, c->pcpu, GICH_HCR_OFFSET, ICH_HCR_EL2_ENC, true, 0, NULL));
    c->running = false;
    return VGIC_OK;
}

/* Exit the entered vCPUs of `mask` before a change of the state they hold (a kick, or the trapping
 * vCPU itself), and enter them again once the change is done. */
