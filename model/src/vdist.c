/* vdist.c: the hypervisor's virtual distributor: virtual interrupt state, trapped GICD/GICR
 * emulation, list register flush/fold, HW mappings and the LAZY/EAGER/NONE policies for mapped
 * interrupts. Software only: every physical effect is a register access through vgic_hw_ops.
 * Rule ids (B1..B10, A2, A6) are those of docs/semantics.md; docs/hypervisor.md describes the design. */
#include "gicsim/vgic.h"

#include <stdlib.h>
#include <string.h>

#define NO_LR 0xffffu

/* ---------------- state ---------------- */
struct virq {
    uint16_t pintid;   /* physical INTID when hw */
    uint8_t prio, group, enabled, edge;
    uint8_t latch;     /* V.latch: software/edge pending latch (not used by GICv2 SGIs) */
    uint8_t line;      /* V.line: level of the (virtual or mapped physical) input */
    uint8_t act;       /* V.act */
    uint8_t hw;        /* mapped: list registers carry HW=1 and pintid */
    uint8_t sgi_src;   /* GICv2 SGIs: pending source vCPUs */
    uint8_t act_src;   /* GICv2 SGIs: source of the active instance */
    int8_t lr_vcpu;    /* vCPU whose LRs hold it, -1 */
    int8_t lr;         /* LR index, -1 */
    uint8_t targets;   /* GICv2 GICD_ITARGETSR byte (SPIs) */
    uint64_t irouter;  /* GICv3 GICD_IROUTER (SPIs) */
};

struct vcpu {
    uint32_t pcpu;
    bool running;
    uint64_t vmcr;
    uint64_t apr[2][4];              /* GICv3 ICH_AP0R/AP1R<n>; GICv2 GICH_APR in apr[0][0] */
    uint16_t lr_intid[VGIC_MAX_LRS]; /* vINTID each LR holds while entered, NO_LR if unused */
    uint8_t lr_src[VGIC_MAX_LRS];    /* GICv2 SGI source CPUID written with it */
    uint32_t waker;                  /* GICR_WAKER: ProcessorSleep */
    struct virq priv[32];
};

struct vgic_vm {
    struct vgic_config cfg;
    struct vgic_hw_ops ops;
    uint32_t ctlr;      /* GICD_CTLR EnableGrp0 [0], EnableGrp1 [1] */
    uint8_t prio_mask;
    unsigned num_apr;   /* APR registers saved per group */
    struct vcpu *vcpu;
    struct virq *spi;
    uint64_t *scratch;  /* LR candidates of one entry */
    uint64_t kicked;    /* vCPUs exited by this call, to enter again at its end */
    struct vgic_stats total, last;
};

/* ---------------- physical register encodings ---------------- */
#define SYSREG(op0, op1, crn, crm, op2) GIC_SYSREG_ENC(op0, op1, crn, crm, op2)
#define ICH_HCR SYSREG(3, 4, 12, 11, 0)
#define ICH_VTR SYSREG(3, 4, 12, 11, 1)
#define ICH_MISR SYSREG(3, 4, 12, 11, 2)
#define ICH_ELRSR SYSREG(3, 4, 12, 11, 5)
#define ICH_VMCR SYSREG(3, 4, 12, 11, 7)
#define ICH_LR(n) SYSREG(3, 4, 12, 12 + (n) / 8, (n) % 8)
#define ICH_AP0R(n) SYSREG(3, 4, 12, 8, n)
#define ICH_AP1R(n) SYSREG(3, 4, 12, 9, n)
#define ICC_IAR1 SYSREG(3, 0, 12, 12, 0)
#define ICC_EOIR1 SYSREG(3, 0, 12, 12, 1)
enum { GICH_HCR = 0x000, GICH_VTR = 0x004, GICH_VMCR = 0x008, GICH_MISR = 0x010, GICH_ELRSR0 = 0x030,
       GICH_APR = 0x0f0, GICH_LR0 = 0x100, GICC_IAR = 0x00c, GICC_EOIR = 0x010 };
enum { R_IGROUPR = 0x080, R_ISENABLER = 0x100, R_ICENABLER = 0x180, R_ISPENDR = 0x200, R_ICPENDR = 0x280,
       R_ISACTIVER = 0x300, R_ICACTIVER = 0x380 };
#define HCR_EN 1u
#define HCR_UIE 2u
#define HCR_NPIE 8u

static bool v3(const vgic_vm_t *vm) { return vm->cfg.version == GIC_V3; }
static uint32_t nintids(const vgic_vm_t *vm) { return 32 + vm->cfg.num_spis; }

/* ---------------- bookkeeping ---------------- */
static void charge(vgic_vm_t *vm, uint64_t cycles) { vm->last.cpu_cycles += cycles; }
static void call_begin(vgic_vm_t *vm)
{
    memset(&vm->last, 0, sizeof vm->last);
    vm->last.calls = 1;
}
static int call_end(vgic_vm_t *vm, int rc)
{
    uint64_t *t = (uint64_t *)&vm->total;
    const uint64_t *l = (const uint64_t *)&vm->last;
    for (size_t i = 0; i < sizeof vm->total / sizeof(uint64_t); i++) t[i] += l[i];
    return rc;
}
#define TRY(x) do { int rc_ = (x); if (rc_ != VGIC_OK) return rc_; } while (0)

static int hw(vgic_vm_t *vm, enum gic_frame f, uint32_t cpu, uint32_t off, unsigned size, bool write,
              uint64_t data, uint64_t *rdata)
{
    struct gic_access a = { (uint8_t)f, write, (uint8_t)size, (uint16_t)cpu, off, data };
    uint64_t r = 0;
    if (write) vm->last.hw_writes++; else vm->last.hw_reads++;
    if (vm->ops.access(vm->ops.ctx, &a, &r) != 0) {
        vm->last.hw_errors++;
        return VGIC_E_HW;
    }
    if (rdata) *rdata = r;
    return VGIC_OK;
}

/* The virtual interface control registers of a physical CPU: GICH_* MMIO (GICv2, 32 bits) or
 * ICH_*_EL2 system registers (GICv3, 64 bits). */
static int ich(vgic_vm_t *vm, uint32_t pcpu, uint32_t v2off, uint32_t v3enc, bool write, uint64_t data, uint64_t *r)
{
    return v3(vm) ? hw(vm, GIC_FRAME_SYSREG, pcpu, v3enc, 8, write, data, r)
                  : hw(vm, GIC_FRAME_GICH, pcpu, v2off, 4, write, data, r);
}
static int lr_access(vgic_vm_t *vm, uint32_t pcpu, unsigned n, bool write, uint64_t data, uint64_t *r)
{
    if (write) { vm->last.lr_writes++; charge(vm, vm->cfg.costs.lr_write); }
    else { vm->last.lr_reads++; charge(vm, vm->cfg.costs.lr_read); }
    return ich(vm, pcpu, GICH_LR0 + 4 * n, ICH_LR(n), write, data, r);
}

/* A physical set/clear bit register (base R_*) for pINTID, as seen from vCPU's physical CPU:
 * SGIs/PPIs in the GICv3 redistributor or the GICv2 banked distributor, SPIs in the distributor. */
static int phys_bit_write(vgic_vm_t *vm, uint32_t vcpu, uint32_t pintid, uint32_t base)
{
    uint32_t pcpu = vm->vcpu[vcpu].pcpu, bit = 1u << (pintid % 32);
    if (pintid < 32 && v3(vm)) return hw(vm, GIC_FRAME_GICR_SGI, pcpu, base, 4, true, bit, NULL);
    return hw(vm, GIC_FRAME_GICD, pcpu, base + 4 * (pintid / 32), 4, true, bit, NULL);
}
static int phys_bit_read(vgic_vm_t *vm, uint32_t vcpu, uint32_t pintid, uint32_t base, uint8_t *bit)
{
    uint32_t pcpu = vm->vcpu[vcpu].pcpu;
    uint64_t r = 0;
    if (pintid < 32 && v3(vm)) TRY(hw(vm, GIC_FRAME_GICR_SGI, pcpu, base, 4, false, 0, &r));
    else TRY(hw(vm, GIC_FRAME_GICD, pcpu, base + 4 * (pintid / 32), 4, false, 0, &r));
    *bit = (uint8_t)((r >> (pintid % 32)) & 1);
    return VGIC_OK;
}
/* The physical line of a mapped level interrupt: the physical pending state (as KVM reads it). */
static int phys_line(vgic_vm_t *vm, uint32_t vcpu, const struct virq *q, uint8_t *line)
{
    return phys_bit_read(vm, vcpu, q->pintid, R_ISPENDR, line);
}

/* ---------------- interrupts ---------------- */
static struct virq *irq_get(vgic_vm_t *vm, uint32_t vcpu, uint32_t intid)
{
    if (intid < 32) return vcpu < vm->cfg.num_vcpus ? &vm->vcpu[vcpu].priv[intid] : NULL;
    if (intid < nintids(vm)) return &vm->spi[intid - 32];
    return NULL;
}
static bool is_v2_sgi(const vgic_vm_t *vm, uint32_t intid) { return !v3(vm) && intid < 16; }
static bool pending(const vgic_vm_t *vm, const struct virq *q, uint32_t intid)
{
    if (is_v2_sgi(vm, intid)) return q->sgi_src != 0;
    return q->latch || (q->line && !q->edge);
}
/* The vCPU an interrupt is delivered to: its owner (SGI/PPI), or the SPI's target: GICv2 the
 * lowest vCPU in GICD_ITARGETSR; GICv3 the vCPU whose affinity IROUTER names (IRM=1: vCPU 0). */
static int target_of(const vgic_vm_t *vm, uint32_t owner, uint32_t intid, const struct virq *q)
{
    if (intid < 32) return (int)owner;
    if (!v3(vm)) {
        if (vm->cfg.num_vcpus == 1) return 0; /* uniprocessor: ITARGETSR implied */
        uint32_t t = q->targets & ((1u << vm->cfg.num_vcpus) - 1);
        return t ? __builtin_ctz(t) : -1;
    }
    if (q->irouter >> 31 & 1) return 0;
    uint64_t aff0 = q->irouter & 0xff, aff1 = (q->irouter >> 8) & 0xff, hi = q->irouter & 0xff00ff0000ull;
    uint64_t v = aff1 * 16 + aff0;
    return !hi && aff0 < 16 && v < vm->cfg.num_vcpus ? (int)v : -1;
}
static bool group_enabled(const vgic_vm_t *vm, uint32_t intid, const struct virq *q)
{
    /* As the physical model: GICv2 gates every interrupt by GICD_CTLR, GICv3 only SPIs. */
    if (v3(vm) && intid < 32) return true;
    return (vm->ctlr >> q->group) & 1;
}
static bool deliverable(const vgic_vm_t *vm, const struct virq *q, uint32_t intid)
{
    return q->act || (pending(vm, q, intid) && q->enabled && group_enabled(vm, intid, q));
}
/* vCPUs whose entered state an interrupt change concerns: the one holding it in an LR and the one
 * it is delivered to. */
static uint64_t concern(const vgic_vm_t *vm, uint32_t owner, uint32_t intid, const struct virq *q)
{
    uint64_t m = 0;
    if (q->lr_vcpu >= 0) m |= 1ull << q->lr_vcpu;
    int t = target_of(vm, owner, intid, q);
    if (t >= 0) m |= 1ull << t;
    return m;
}

static void irq_reset(vgic_vm_t *vm, struct virq *q, uint32_t intid, uint32_t owner)
{
    uint16_t pintid = q->pintid;
    uint8_t hwm = q->hw;
    int8_t lrv = q->lr_vcpu, lr = q->lr;
    memset(q, 0, sizeof *q);
    q->pintid = pintid;
    q->hw = hwm;
    q->lr_vcpu = lrv;
    q->lr = lr;
    q->edge = intid < 16;                         /* SGIs edge; PPIs and SPIs level (as KVM) */
    q->enabled = is_v2_sgi(vm, intid);             /* GICv2 SGI enables are RAO/WI */
    q->targets = intid < 32 ? (uint8_t)(1u << (owner & 7)) : 0;
}

/* ---------------- world switch ---------------- */
static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Build the LR value for q and apply B6's effects on the virtual state. */
static uint64_t populate(vgic_vm_t *vm, struct virq *q, uint32_t intid, uint8_t *src_out)
{
    bool pend = pending(vm, q, intid) && q->enabled && group_enabled(vm, intid, q);
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
    bool eoi = !q->hw && !q->edge; /* EOI maintenance for level-sensitive HW=0 interrupts */
    uint64_t state = (uint64_t)pend | (uint64_t)act << 1, v;
    if (v3(vm)) {
        v = state << 62 | (uint64_t)q->hw << 61 | (uint64_t)q->group << 60 | (uint64_t)q->prio << 48 | intid;
        v |= q->hw ? (uint64_t)(q->pintid & 0x1fff) << 32 : (uint64_t)eoi << 41; /* B6: EOI never with HW */
    } else {
        v = (uint64_t)q->hw << 31 | (uint64_t)q->group << 30 | state << 28 | (uint64_t)(q->prio >> 3) << 23 | intid;
        v |= q->hw ? (uint64_t)(q->pintid & 0x3ff) << 10 : ((uint64_t)eoi << 19 | (uint64_t)src << 10);
    }
    if (pend) {
        /* B6: the pending state now lives in the LR. Edge: the latch moves into the LR (B7 puts it
         * back if the LR is still pending at exit). Mapped level: V.line := 0, only a new rising
         * edge (a new physical assertion) is observed. */
        if (is_v2_sgi(vm, intid)) q->sgi_src &= (uint8_t)~(1u << src);
        else if (q->edge) q->latch = 0;
        if (q->hw && !q->edge) q->line = 0;
    }
    *src_out = (uint8_t)src;
    return v;
}

static int vcpu_entry_int(vgic_vm_t *vm, uint32_t v)
{
    struct vcpu *c = &vm->vcpu[v];
    unsigned n = 0, nlr = vm->cfg.num_lrs;
    vm->last.entries++;
    charge(vm, vm->cfg.costs.vm_entry);
    /* Candidates: active first, then by priority, then by INTID. */
    for (uint32_t i = 0; i < nintids(vm); i++) {
        struct virq *q = i < 32 ? &c->priv[i] : &vm->spi[i - 32];
        if (i >= 32 && target_of(vm, v, i, q) != (int)v) continue;
        if (!deliverable(vm, q, i)) continue;
        vm->scratch[n++] = (uint64_t)!q->act << 40 | (uint64_t)q->prio << 16 | i;
    }
    charge(vm, (uint64_t)vm->cfg.costs.irq_scan * n);
    qsort(vm->scratch, n, sizeof *vm->scratch, cmp_u64);
    unsigned used = n < nlr ? n : nlr;
    bool overflow = n > nlr;
    if (overflow) vm->last.overflows++;

    TRY(ich(vm, c->pcpu, GICH_VMCR, ICH_VMCR, true, c->vmcr, NULL));
    if (v3(vm)) {
        for (unsigned k = 0; k < vm->num_apr; k++) {
            TRY(hw(vm, GIC_FRAME_SYSREG, c->pcpu, ICH_AP0R(k), 8, true, c->apr[0][k], NULL));
            TRY(hw(vm, GIC_FRAME_SYSREG, c->pcpu, ICH_AP1R(k), 8, true, c->apr[1][k], NULL));
        }
    } else {
        TRY(hw(vm, GIC_FRAME_GICH, c->pcpu, GICH_APR, 4, true, c->apr[0][0], NULL));
    }
    for (unsigned i = 0; i < used; i++) {
        uint32_t intid = (uint32_t)(vm->scratch[i] & 0xffff);
        struct virq *q = irq_get(vm, v, intid);
        uint8_t src;
        uint64_t val = populate(vm, q, intid, &src);
        c->lr_intid[i] = (uint16_t)intid;
        c->lr_src[i] = src;
        q->lr_vcpu = (int8_t)v;
        q->lr = (int8_t)i;
        TRY(lr_access(vm, c->pcpu, i, true, val, NULL));
        /* B9 (EAGER): every entry carrying a HW interrupt pending or active makes P.act = 1. */
        if (vm->cfg.policy == VGIC_POLICY_EAGER && q->hw && (val >> (v3(vm) ? 62 : 28) & 3))
            TRY(phys_bit_write(vm, v, q->pintid, R_ISACTIVER));
    }
    uint32_t hcr = HCR_EN | (overflow ? (vm->cfg.refill_npie ? HCR_NPIE : HCR_UIE) : 0);
    TRY(ich(vm, c->pcpu, GICH_HCR, ICH_HCR, true, hcr, NULL));
    c->running = true;
    return VGIC_OK;
}

/* B7: fold one LR value back into the virtual state. */
static int fold(vgic_vm_t *vm, uint32_t v, unsigned i, uint64_t val)
{
    struct vcpu *c = &vm->vcpu[v];
    uint32_t intid = c->lr_intid[i];
    struct virq *q = irq_get(vm, v, intid);
    unsigned st = (unsigned)(v3(vm) ? val >> 62 : (val >> 28) & 3);
    bool hw_lr = v3(vm) ? (val >> 61) & 1 : (val >> 31) & 1;
    bool eoi_lr = !hw_lr && (v3(vm) ? (val >> 41) & 1 : (val >> 19) & 1);
    bool pend = st & 1;
    c->lr_intid[i] = NO_LR;
    q->lr_vcpu = -1;
    q->lr = -1;
    q->act = (st & 2) != 0;                              /* B7: copy active */
    if (q->act && is_v2_sgi(vm, intid)) q->act_src = c->lr_src[i];
    if (q->edge) {
        if (pend) {                                      /* B7: an edge LR still pending keeps V.latch */
            if (is_v2_sgi(vm, intid)) q->sgi_src |= (uint8_t)(1u << c->lr_src[i]);
            else q->latch = 1;
        }
    } else {
        if (!pend) q->latch = 0;                         /* B7: a level LR no longer pending clears V.latch */
        if (hw_lr && pend && q->hw) {
            /* B7: resample the mapped level line; if low, P.act := 0 -- unless the virtual interrupt
             * is still kept pending by the latch (SPEND) or is active, which would make a later HW
             * deactivation find the physical interrupt inactive (A6). */
            TRY(phys_line(vm, v, q, &q->line));
            if (!q->line && !q->latch && !q->act) TRY(phys_bit_write(vm, v, q->pintid, R_ICACTIVER));
        }
        if (eoi_lr && st == 0 && vm->ops.eoi) vm->ops.eoi(vm->ops.ctx, v, intid); /* EOI maintenance */
    }
    return VGIC_OK;
}

static int vcpu_exit_int(vgic_vm_t *vm, uint32_t v, uint32_t *misr)
{
    struct vcpu *c = &vm->vcpu[v];
    uint64_t r;
    vm->last.exits++;
    charge(vm, vm->cfg.costs.vm_exit);
    if (misr) {
        TRY(ich(vm, c->pcpu, GICH_MISR, ICH_MISR, false, 0, &r));
        *misr = (uint32_t)r;
    }
    uint64_t elrsr = 0;
    bool any = false;
    for (unsigned i = 0; i < vm->cfg.num_lrs; i++) any |= c->lr_intid[i] != NO_LR;
    if (any) TRY(ich(vm, c->pcpu, GICH_ELRSR0, ICH_ELRSR, false, 0, &elrsr));
    for (unsigned i = 0; i < vm->cfg.num_lrs; i++) {
        if (c->lr_intid[i] == NO_LR) continue;
        uint64_t val = 0;
        if (!((elrsr >> i) & 1)) TRY(lr_access(vm, c->pcpu, i, false, 0, &val));
        TRY(lr_access(vm, c->pcpu, i, true, 0, NULL));
        TRY(fold(vm, v, i, val));
    }
    TRY(ich(vm, c->pcpu, GICH_VMCR, ICH_VMCR, false, 0, &c->vmcr));
    if (v3(vm)) {
        for (unsigned k = 0; k < vm->num_apr; k++) {
            TRY(hw(vm, GIC_FRAME_SYSREG, c->pcpu, ICH_AP0R(k), 8, false, 0, &c->apr[0][k]));
            TRY(hw(vm, GIC_FRAME_SYSREG, c->pcpu, ICH_AP1R(k), 8, false, 0, &c->apr[1][k]));
        }
    } else {
        TRY(hw(vm, GIC_FRAME_GICH, c->pcpu, GICH_APR, 4, false, 0, &c->apr[0][0]));
    }
    TRY(ich(vm, c->pcpu, GICH_HCR, ICH_HCR, true, 0, NULL));
    c->running = false;
    return VGIC_OK;
}

/* Exit the entered vCPUs of `mask` before a change of the state they hold (a kick, or the trapping
 * vCPU itself), and enter them again once the change is done. */
static int kick_out(vgic_vm_t *vm, uint64_t mask, int self)
{
    for (uint32_t v = 0; v < vm->cfg.num_vcpus; v++) {
        if (!((mask >> v) & 1) || !vm->vcpu[v].running) continue;
        if ((int)v != self) vm->last.kicks++;
        TRY(vcpu_exit_int(vm, v, NULL));
        vm->kicked |= 1ull << v;
    }
    return VGIC_OK;
}
static int kick_in(vgic_vm_t *vm)
{
    int rc = VGIC_OK;
    for (uint32_t v = 0; v < vm->cfg.num_vcpus; v++) {
        if (!((vm->kicked >> v) & 1)) continue;
        vm->kicked &= ~(1ull << v);
        if (rc == VGIC_OK) rc = vcpu_entry_int(vm, v);
    }
    return rc;
}
static uint64_t all_vcpus(const vgic_vm_t *vm)
{
    return vm->cfg.num_vcpus >= 64 ? ~0ull : (1ull << vm->cfg.num_vcpus) - 1;
}

/* ---------------- per-interrupt register effects ---------------- */
struct mctx {
    uint32_t vcpu;  /* accessing vCPU (the physical accesses go out on its physical CPU) */
    bool user;      /* userspace access (B4) rather than a trapped guest access */
};

static int w_spend(vgic_vm_t *vm, const struct mctx *m, struct virq *q, uint32_t intid)
{
    if (is_v2_sgi(vm, intid)) return VGIC_OK; /* GICD_ISPENDR0 SGI bits are WI on GICv2 */
    q->latch = 1;
    /* B1 (LAZY): P.act := 1, so the guest may activate and deactivate it (A6). B4: never for userspace. */
    if (q->hw && !m->user && vm->cfg.policy == VGIC_POLICY_LAZY) TRY(phys_bit_write(vm, m->vcpu, q->pintid, R_ISACTIVER));
    return VGIC_OK;
}
static int w_cpend(vgic_vm_t *vm, const struct mctx *m, struct virq *q, uint32_t intid)
{
    if (is_v2_sgi(vm, intid)) return VGIC_OK;
    q->latch = 0;
    if (q->hw && !m->user && vm->cfg.policy != VGIC_POLICY_NONE) {
        /* B2: P.pend := 0, and P.act := 0 unless the virtual interrupt is active. */
        TRY(phys_bit_write(vm, m->vcpu, q->pintid, R_ICPENDR));
        if (!q->act) TRY(phys_bit_write(vm, m->vcpu, q->pintid, R_ICACTIVER));
    }
    return VGIC_OK;
}
static int w_active(vgic_vm_t *vm, const struct mctx *m, struct virq *q, uint32_t intid, bool set)
{
    if (q->hw && m->user) return VGIC_OK; /* B4: userspace does not change the active state of mapped interrupts */
    q->act = set;
    if (set && is_v2_sgi(vm, intid)) q->act_src = (uint8_t)m->vcpu;
    /* B3: V.act := x and P.act := x. */
    if (q->hw && vm->cfg.policy != VGIC_POLICY_NONE)
        TRY(phys_bit_write(vm, m->vcpu, q->pintid, set ? R_ISACTIVER : R_ICACTIVER));
    return VGIC_OK;
}
static int w_senable(vgic_vm_t *vm, const struct mctx *m, struct virq *q, uint32_t intid)
{
    if (is_v2_sgi(vm, intid)) return VGIC_OK;
    q->enabled = 1;
    if (q->hw && !q->edge && !m->user) {
        /* B8: resample the mapped level line; high -> low with the interrupt neither active nor
         * latched pending: P.act := 0. */
        uint8_t was = q->line;
        TRY(phys_line(vm, m->vcpu, q, &q->line));
        if (was && !q->line && !q->act && !q->latch) TRY(phys_bit_write(vm, m->vcpu, q->pintid, R_ICACTIVER));
    }
    return VGIC_OK;
}

/* ---------------- register decode ---------------- */
enum rk {
    RK_CTLR, RK_TYPER, RK_IIDR, RK_PIDR2, RK_GROUP, RK_SENABLE, RK_CENABLE, RK_SPEND, RK_CPEND, RK_SACTIVE,
    RK_CACTIVE, RK_PRIO, RK_TARGET, RK_CFG, RK_SGIR, RK_CPENDSGI, RK_SPENDSGI, RK_IROUTER, RK_RAZWI,
    RK_RD_CTLR, RK_RD_IIDR, RK_RD_TYPER, RK_RD_WAKER,
};
struct reg {
    enum rk kind;
    uint32_t first;  /* first INTID (bit registers: of the bank; byte registers: of the access) */
    uint32_t owner;  /* vCPU owning the private interrupts the register reaches */
    unsigned sub;    /* byte offset inside a 64-bit register (IROUTER, GICR_TYPER) */
};

static int size_ok(enum rk k, uint32_t off, unsigned size)
{
    if (size != 1 && size != 2 && size != 4 && size != 8) return VGIC_E_SIZE;
    if (off % size) return VGIC_E_SIZE;
    switch (k) {
    case RK_PRIO: case RK_TARGET: case RK_CPENDSGI: case RK_SPENDSGI:
        return size == 1 || size == 4 ? VGIC_OK : VGIC_E_SIZE;
    case RK_IROUTER: case RK_RD_TYPER:
        return size == 4 || size == 8 ? VGIC_OK : VGIC_E_SIZE;
    default:
        return size == 4 ? VGIC_OK : VGIC_E_SIZE;
    }
}

static const enum rk bitkinds[7] = { RK_GROUP, RK_SENABLE, RK_CENABLE, RK_SPEND, RK_CPEND, RK_SACTIVE, RK_CACTIVE };

static int decode_gicd(const vgic_vm_t *vm, uint32_t vcpu, uint32_t off, struct reg *r)
{
    r->owner = vcpu;
    r->sub = 0;
    if (off == 0x000) { r->kind = RK_CTLR; return VGIC_OK; }
    if (off == 0x004) { r->kind = RK_TYPER; return VGIC_OK; }
    if (off == 0x008) { r->kind = RK_IIDR; return VGIC_OK; }
    if (off >= 0x080 && off < 0x400) {
        unsigned n = (off & 0x7f) / 4;
        r->kind = bitkinds[(off - 0x080) / 0x80];
        r->first = 32 * n;
        if (n == 0 && v3(vm)) r->kind = RK_RAZWI; /* ARE=1: INTIDs 0-31 live in the redistributors */
        return VGIC_OK;
    }
    if (off >= 0x400 && off < 0x7fc) {
        r->kind = RK_PRIO;
        r->first = off - 0x400;
        if (r->first < 32 && v3(vm)) r->kind = RK_RAZWI;
        return VGIC_OK;
    }
    if (off >= 0x800 && off < 0xbfc) {
        r->kind = v3(vm) ? RK_RAZWI : RK_TARGET;
        r->first = off - 0x800;
        return VGIC_OK;
    }
    if (off >= 0xc00 && off < 0xd00) {
        r->kind = RK_CFG;
        r->first = (off - 0xc00) * 4;
        if (r->first < 32 && v3(vm)) r->kind = RK_RAZWI;
        return VGIC_OK;
    }
    if ((off >= 0xd00 && off < 0xd80 && v3(vm)) || (off >= 0xe00 && off < 0xf00)) { /* IGRPMODR, NSACR */
        r->kind = RK_RAZWI;
        return VGIC_OK;
    }
    if (!v3(vm)) {
        if (off == 0xf00) { r->kind = RK_SGIR; return VGIC_OK; }
        if (off >= 0xf10 && off < 0xf20) { r->kind = RK_CPENDSGI; r->first = off - 0xf10; return VGIC_OK; }
        if (off >= 0xf20 && off < 0xf30) { r->kind = RK_SPENDSGI; r->first = off - 0xf20; return VGIC_OK; }
        if (off == 0xfe8) { r->kind = RK_PIDR2; return VGIC_OK; }
        return VGIC_E_OFFSET;
    }
    if (off >= 0x6100 && off < 0x7fe0) {
        r->kind = RK_IROUTER;
        r->first = (off - 0x6000) / 8;
        r->sub = off % 8;
        return VGIC_OK;
    }
    if (off == 0xffe8) { r->kind = RK_PIDR2; return VGIC_OK; }
    return VGIC_E_OFFSET;
}

/* GICv3 redistributor region: rd * 0x20000 + o (o < 0x10000 RD_base, else SGI_base). */
static int decode_gicr(const vgic_vm_t *vm, enum gic_frame f, uint32_t offset, struct reg *r)
{
    uint32_t rd = offset / 0x20000, o = offset % 0x20000;
    if (f == GIC_FRAME_GICR_SGI) {
        if (o >= 0x10000) return VGIC_E_OFFSET;
        o += 0x10000;
    }
    if (rd >= vm->cfg.num_vcpus) return VGIC_E_OFFSET;
    r->owner = rd;
    r->sub = 0;
    r->first = 0;
    if (o < 0x10000) {
        switch (o) {
        case 0x000: r->kind = RK_RD_CTLR; return VGIC_OK;
        case 0x004: r->kind = RK_RD_IIDR; return VGIC_OK;
        case 0x008: case 0x00c: r->kind = RK_RD_TYPER; r->sub = o - 0x008; return VGIC_OK;
        case 0x014: r->kind = RK_RD_WAKER; return VGIC_OK;
        case 0xffe8: r->kind = RK_PIDR2; return VGIC_OK;
        default: return VGIC_E_OFFSET;
        }
    }
    o -= 0x10000;
    if (o >= 0x080 && o < 0x400 && o % 0x80 == 0) { r->kind = bitkinds[(o - 0x080) / 0x80]; return VGIC_OK; }
    if (o >= 0x400 && o < 0x420) { r->kind = RK_PRIO; r->first = o - 0x400; return VGIC_OK; }
    if (o == 0xc00 || o == 0xc04) { r->kind = RK_CFG; r->first = (o - 0xc00) * 4; return VGIC_OK; }
    if (o == 0xd00 || o == 0xe00) { r->kind = RK_RAZWI; return VGIC_OK; }
    return VGIC_E_OFFSET;
}

static int decode(const vgic_vm_t *vm, uint32_t vcpu, enum gic_frame f, uint32_t off, unsigned size, struct reg *r)
{
    int rc;
    if (f == GIC_FRAME_GICD) rc = decode_gicd(vm, vcpu, off, r);
    else if ((f == GIC_FRAME_GICR_RD || f == GIC_FRAME_GICR_SGI) && v3(vm)) rc = decode_gicr(vm, f, off, r);
    else return VGIC_E_FRAME;
    if (rc != VGIC_OK) return rc;
    return size_ok(r->kind, off, size);
}

/* The vCPUs an access concerns (their entered state must be folded first). */
static uint64_t reg_concern(vgic_vm_t *vm, const struct reg *r, unsigned size, bool write, uint64_t data)
{
    uint32_t first, count;
    switch (r->kind) {
    case RK_CTLR: return write ? all_vcpus(vm) : 0;
    case RK_GROUP: case RK_SENABLE: case RK_CENABLE: case RK_SPEND: case RK_CPEND: case RK_SACTIVE: case RK_CACTIVE:
        first = r->first; count = 32; break;
    case RK_PRIO: first = r->first; count = size; break;
    case RK_CFG: first = r->first; count = 16; break;
    case RK_TARGET: case RK_IROUTER: return write ? all_vcpus(vm) : 0;
    case RK_SGIR: {
        if (!write) return 0;
        unsigned filt = (unsigned)(data >> 24) & 3;
        uint64_t list = (data >> 16) & 0xff;
        return (filt == 0 ? list : filt == 1 ? all_vcpus(vm) & ~(1ull << r->owner) : filt == 2 ? 1ull << r->owner : 0) &
               all_vcpus(vm);
    }
    case RK_CPENDSGI: case RK_SPENDSGI: first = r->first; count = size; break;
    default: return 0;
    }
    uint64_t m = 0;
    for (uint32_t i = first; i < first + count; i++) {
        struct virq *q = irq_get(vm, r->owner, i);
        if (q) m |= concern(vm, r->owner, i, q);
    }
    return m;
}

static uint64_t typer(const vgic_vm_t *vm)
{
    uint64_t lines = (nintids(vm) + 31) / 32 - 1, cpus = (uint64_t)(vm->cfg.num_vcpus > 8 ? 8 : vm->cfg.num_vcpus) - 1;
    if (!v3(vm)) return lines | cpus << 5;
    return lines | cpus << 5 | 9u << 19 | 1u << 25; /* IDbits: 10 INTID bits; No1N */
}

static int reg_read(vgic_vm_t *vm, const struct reg *r, unsigned size, uint64_t *out)
{
    uint64_t v = 0;
    switch (r->kind) {
    case RK_CTLR: v = vm->ctlr | (v3(vm) ? 1u << 4 | 1u << 6 : 0); break; /* GICv3: ARE, DS RAO */
    case RK_TYPER: v = typer(vm); break;
    case RK_IIDR: case RK_RD_IIDR: v = 0x43b; break;
    case RK_PIDR2: v = v3(vm) ? 0x3b : 0x2b; break;
    case RK_GROUP: case RK_SENABLE: case RK_CENABLE: case RK_SPEND: case RK_CPEND: case RK_SACTIVE: case RK_CACTIVE:
        for (uint32_t k = 0; k < 32; k++) {
            const struct virq *q = irq_get(vm, r->owner, r->first + k);
            if (!q) continue;
            bool b;
            switch (r->kind) {
            case RK_GROUP: b = q->group; break;
            case RK_SENABLE: case RK_CENABLE: b = q->enabled; break;
            case RK_SPEND: case RK_CPEND: b = pending(vm, q, r->first + k); break;
            default: b = q->act; break; /* B5: ISACTIVER/ICACTIVER read V.act only */
            }
            v |= (uint64_t)b << k;
        }
        break;
    case RK_PRIO:
        for (unsigned k = 0; k < size; k++) {
            const struct virq *q = irq_get(vm, r->owner, r->first + k);
            if (q) v |= (uint64_t)q->prio << (8 * k);
        }
        break;
    case RK_TARGET:
        for (unsigned k = 0; k < size; k++) {
            uint32_t i = r->first + k;
            const struct virq *q = irq_get(vm, r->owner, i);
            if (!q) continue;
            uint64_t t = i < 32 ? 1u << r->owner : q->targets;
            v |= t << (8 * k);
        }
        break;
    case RK_CFG:
        for (unsigned k = 0; k < 16; k++) {
            const struct virq *q = irq_get(vm, r->owner, r->first + k);
            if (q) v |= (uint64_t)q->edge << (2 * k + 1);
        }
        break;
    case RK_CPENDSGI: case RK_SPENDSGI:
        for (unsigned k = 0; k < size; k++) v |= (uint64_t)vm->vcpu[r->owner].priv[r->first + k].sgi_src << (8 * k);
        break;
    case RK_IROUTER: {
        const struct virq *q = irq_get(vm, r->owner, r->first);
        uint64_t x = q ? q->irouter : 0;
        v = size == 8 ? x : (x >> (8 * r->sub)) & 0xffffffffu;
        break;
    }
    case RK_RD_TYPER: {
        uint64_t rd = r->owner;
        uint64_t x = rd << 8 | (uint64_t)(rd + 1 == vm->cfg.num_vcpus) << 4 | ((rd / 16) << 8 | rd % 16) << 32;
        v = size == 8 ? x : (x >> (8 * r->sub)) & 0xffffffffu;
        break;
    }
    case RK_RD_WAKER: v = vm->vcpu[r->owner].waker ? 0x6 : 0; break;
    default: v = 0; break; /* SGIR (write-only), RAZ/WI registers, GICR_CTLR */
    }
    *out = v;
    return VGIC_OK;
}

static int reg_write(vgic_vm_t *vm, const struct mctx *m, const struct reg *r, unsigned size, uint64_t data)
{
    switch (r->kind) {
    case RK_CTLR: vm->ctlr = (uint32_t)data & 3; return VGIC_OK;
    case RK_GROUP: case RK_SENABLE: case RK_CENABLE: case RK_SPEND: case RK_CPEND: case RK_SACTIVE: case RK_CACTIVE:
        for (uint32_t k = 0; k < 32; k++) {
            uint32_t i = r->first + k;
            struct virq *q = irq_get(vm, r->owner, i);
            bool b = (data >> k) & 1;
            if (!q) continue;
            if (r->kind == RK_GROUP) { q->group = b; continue; }
            if (!b) continue;
            switch (r->kind) {
            case RK_SENABLE: TRY(w_senable(vm, m, q, i)); break;
            case RK_CENABLE: if (!is_v2_sgi(vm, i)) q->enabled = 0; break;
            case RK_SPEND: TRY(w_spend(vm, m, q, i)); break;
            case RK_CPEND: TRY(w_cpend(vm, m, q, i)); break;
            case RK_SACTIVE: TRY(w_active(vm, m, q, i, true)); break;
            default: TRY(w_active(vm, m, q, i, false)); break;
            }
        }
        return VGIC_OK;
    case RK_PRIO:
        for (unsigned k = 0; k < size; k++) {
            struct virq *q = irq_get(vm, r->owner, r->first + k);
            if (q) q->prio = (uint8_t)(data >> (8 * k)) & vm->prio_mask;
        }
        return VGIC_OK;
    case RK_TARGET:
        for (unsigned k = 0; k < size; k++) {
            uint32_t i = r->first + k;
            struct virq *q = irq_get(vm, r->owner, i);
            if (q && i >= 32) q->targets = (uint8_t)((data >> (8 * k)) & all_vcpus(vm));
        }
        return VGIC_OK;
    case RK_CFG:
        for (unsigned k = 0; k < 16; k++) {
            uint32_t i = r->first + k;
            struct virq *q = irq_get(vm, r->owner, i);
            if (q && i >= 16) q->edge = (data >> (2 * k + 1)) & 1; /* SGIs are always edge */
        }
        return VGIC_OK;
    case RK_SGIR: {
        uint32_t sgi = (uint32_t)data & 0xf;
        uint64_t t = reg_concern(vm, r, size, true, data);
        for (uint32_t v = 0; v < vm->cfg.num_vcpus; v++)
            if ((t >> v) & 1) vm->vcpu[v].priv[sgi].sgi_src |= (uint8_t)(1u << m->vcpu);
        return VGIC_OK;
    }
    case RK_CPENDSGI: case RK_SPENDSGI:
        for (unsigned k = 0; k < size; k++) {
            struct virq *q = &vm->vcpu[r->owner].priv[r->first + k];
            uint8_t bits = (uint8_t)((data >> (8 * k)) & all_vcpus(vm));
            if (r->kind == RK_SPENDSGI) q->sgi_src |= bits; else q->sgi_src &= (uint8_t)~bits;
        }
        return VGIC_OK;
    case RK_IROUTER: {
        struct virq *q = irq_get(vm, r->owner, r->first);
        if (!q) return VGIC_OK;
        const uint64_t mask = 0xff80ffffffull; /* Aff0-2 [23:0], IRM [31], Aff3 [39:32] */
        uint64_t x = q->irouter;
        if (size == 8) x = data;
        else if (r->sub == 0) x = (x & ~0xffffffffull) | (data & 0xffffffffu);
        else x = (x & 0xffffffffull) | (data & 0xffffffffu) << 32;
        q->irouter = x & mask;
        return VGIC_OK;
    }
    case RK_RD_WAKER: vm->vcpu[r->owner].waker = (data >> 1) & 1; return VGIC_OK;
    default: return VGIC_OK; /* read-only and RAZ/WI registers */
    }
}

static int mmio(vgic_vm_t *vm, uint32_t vcpu, enum gic_frame f, uint32_t off, unsigned size, bool write,
                uint64_t *data, bool user)
{
    if (!vm || !data || vcpu >= vm->cfg.num_vcpus) return VGIC_E_INVAL;
    struct reg r;
    int rc = decode(vm, vcpu, f, off, size, &r);
    if (rc != VGIC_OK) {
        if (!write) *data = 0;
        return rc;
    }
    if (write) {
        unsigned bits = 8 * size;
        if (bits < 64 && (*data >> bits)) return VGIC_E_SIZE; /* data wider than the access */
    }
    if (!user) {
        vm->last.traps++;
        charge(vm, (uint64_t)vm->cfg.costs.trap_entry + vm->cfg.costs.trap_exit);
    }
    charge(vm, vm->cfg.costs.emul_access);
    uint64_t mask = reg_concern(vm, &r, size, write, write ? *data : 0);
    if (!user) mask |= 1ull << vcpu; /* the trap is a VM exit of the accessing vCPU */
    rc = kick_out(vm, mask, user ? -1 : (int)vcpu);
    if (rc == VGIC_OK) {
        struct mctx m = { vcpu, user };
        rc = write ? reg_write(vm, &m, &r, size, *data) : reg_read(vm, &r, size, data);
    }
    int rc2 = kick_in(vm);
    return rc != VGIC_OK ? rc : rc2;
}

/* ---------------- public API ---------------- */
const char *vgic_strerror(int status)
{
    switch (status) {
    case VGIC_OK: return "ok";
    case VGIC_E_INVAL: return "invalid argument";
    case VGIC_E_NOMEM: return "out of memory";
    case VGIC_E_INTID: return "bad interrupt ID";
    case VGIC_E_OFFSET: return "no register at this offset";
    case VGIC_E_SIZE: return "access size or alignment not allowed";
    case VGIC_E_FRAME: return "frame not part of this virtual distributor";
    case VGIC_E_BUSY: return "busy (already mapped or vCPU entered)";
    case VGIC_E_STATE: return "wrong state (not mapped or vCPU not entered)";
    case VGIC_E_HW: return "physical register access failed";
    default: return "unknown error";
    }
}

void vgic_costs_default(struct vgic_costs *c)
{
    if (!c) return;
    *c = (struct vgic_costs){ .cpu_mhz = 2000, .trap_entry = 250, .trap_exit = 250, .emul_access = 150,
                              .vm_entry = 300, .vm_exit = 300, .lr_write = 15, .lr_read = 15, .irq_scan = 25,
                              .host_irq = 400, .inject = 100 };
}

void vgic_config_default(struct vgic_config *cfg, enum gic_version version)
{
    if (!cfg) return;
    memset(cfg, 0, sizeof *cfg);
    cfg->version = version;
    cfg->num_vcpus = 1;
    cfg->num_spis = 256;
    cfg->prio_bits = 5;
    cfg->num_lrs = 0;
    cfg->vpre_bits = 0;
    cfg->policy = VGIC_POLICY_LAZY;
    vgic_costs_default(&cfg->costs);
}

static bool policy_ok(enum vgic_policy p) { return p == VGIC_POLICY_LAZY || p == VGIC_POLICY_EAGER || p == VGIC_POLICY_NONE; }

int vgic_create(const struct vgic_config *cfg, const struct vgic_hw_ops *ops, vgic_vm_t **out)
{
    if (!cfg || !ops || !ops->access || !out) return VGIC_E_INVAL;
    *out = NULL;
    if (cfg->version != GIC_V2 && cfg->version != GIC_V3) return VGIC_E_INVAL;
    uint32_t maxv = cfg->version == GIC_V2 ? 8 : VGIC_MAX_VCPUS;
    if (cfg->num_vcpus < 1 || cfg->num_vcpus > maxv || cfg->num_spis > 988 || cfg->prio_bits < 4 ||
        cfg->prio_bits > 8 || cfg->num_lrs > VGIC_MAX_LRS || (cfg->vpre_bits && (cfg->vpre_bits < 5 || cfg->vpre_bits > 7)) ||
        !policy_ok(cfg->policy) || cfg->costs.cpu_mhz == 0)
        return VGIC_E_INVAL;
    vgic_vm_t *vm = calloc(1, sizeof *vm);
    if (!vm) return VGIC_E_NOMEM;
    vm->cfg = *cfg;
    vm->ops = *ops;
    vm->vcpu = calloc(cfg->num_vcpus, sizeof *vm->vcpu);
    vm->spi = calloc(cfg->num_spis ? cfg->num_spis : 1, sizeof *vm->spi);
    vm->scratch = calloc(32 + cfg->num_spis, sizeof *vm->scratch);
    if (!vm->vcpu || !vm->spi || !vm->scratch) {
        vgic_destroy(vm);
        return VGIC_E_NOMEM;
    }
    call_begin(vm);
    if (!cfg->num_lrs || !cfg->vpre_bits) {
        /* Probe GICH_VTR / ICH_VTR_EL2: ListRegs and PREbits, as a hypervisor does at boot. */
        uint64_t vtr;
        int rc = ich(vm, 0, GICH_VTR, ICH_VTR, false, 0, &vtr);
        if (rc != VGIC_OK) {
            vgic_destroy(vm);
            return rc;
        }
        if (!cfg->num_lrs) vm->cfg.num_lrs = (uint32_t)(vtr & (v3(vm) ? 0x1f : 0x3f)) + 1;
        if (!cfg->vpre_bits) vm->cfg.vpre_bits = (uint32_t)((vtr >> 26) & 7) + 1;
        if (vm->cfg.num_lrs > VGIC_MAX_LRS) vm->cfg.num_lrs = VGIC_MAX_LRS;
        if (vm->cfg.vpre_bits < 5 || vm->cfg.vpre_bits > 7) vm->cfg.vpre_bits = 5;
    }
    call_end(vm, VGIC_OK);
    vm->num_apr = v3(vm) ? 1u << (vm->cfg.vpre_bits - 5) : 1;
    vm->prio_mask = (uint8_t)(0xffu << (8 - cfg->prio_bits));
    for (uint32_t v = 0; v < cfg->num_vcpus; v++) {
        struct vcpu *c = &vm->vcpu[v];
        c->pcpu = v;
        c->waker = 1;
        for (unsigned i = 0; i < VGIC_MAX_LRS; i++) c->lr_intid[i] = NO_LR;
        for (uint32_t i = 0; i < 32; i++) {
            c->priv[i].lr_vcpu = c->priv[i].lr = -1;
            irq_reset(vm, &c->priv[i], i, v);
        }
    }
    for (uint32_t i = 0; i < cfg->num_spis; i++) {
        vm->spi[i].lr_vcpu = vm->spi[i].lr = -1;
        irq_reset(vm, &vm->spi[i], 32 + i, 0);
    }
    *out = vm;
    return VGIC_OK;
}

void vgic_destroy(vgic_vm_t *vm)
{
    if (!vm) return;
    free(vm->vcpu);
    free(vm->spi);
    free(vm->scratch);
    free(vm);
}

const struct vgic_config *vgic_get_config(const vgic_vm_t *vm) { return vm ? &vm->cfg : NULL; }

int vgic_set_policy(vgic_vm_t *vm, enum vgic_policy policy)
{
    if (!vm || !policy_ok(policy)) return VGIC_E_INVAL;
    vm->cfg.policy = policy;
    return VGIC_OK;
}

int vgic_vcpu_bind(vgic_vm_t *vm, uint32_t vcpu, uint32_t pcpu)
{
    if (!vm || vcpu >= vm->cfg.num_vcpus || pcpu > 0xffff) return VGIC_E_INVAL;
    if (vm->vcpu[vcpu].running) return VGIC_E_BUSY;
    vm->vcpu[vcpu].pcpu = pcpu;
    return VGIC_OK;
}

int vgic_map(vgic_vm_t *vm, uint32_t vcpu, uint32_t vintid, uint32_t pintid)
{
    if (!vm || vcpu >= vm->cfg.num_vcpus) return VGIC_E_INVAL;
    struct virq *q = irq_get(vm, vcpu, vintid);
    if (!q || vintid < 16 || pintid < 16 || pintid >= 1020 || (vintid < 32) != (pintid < 32)) return VGIC_E_INTID;
    if (q->hw) return VGIC_E_BUSY;
    /* One pINTID feeds one vINTID: a physical PPI per physical CPU, an SPI per system. */
    for (uint32_t v = 0; v < vm->cfg.num_vcpus; v++)
        for (uint32_t i = 16; i < 32; i++) {
            const struct virq *o = &vm->vcpu[v].priv[i];
            if (o->hw && o->pintid == pintid && vm->vcpu[v].pcpu == vm->vcpu[vcpu].pcpu) return VGIC_E_BUSY;
        }
    for (uint32_t i = 0; i < vm->cfg.num_spis; i++)
        if (vm->spi[i].hw && vm->spi[i].pintid == pintid) return VGIC_E_BUSY;
    q->hw = 1;
    q->pintid = (uint16_t)pintid;
    return VGIC_OK;
}

int vgic_unmap(vgic_vm_t *vm, uint32_t vcpu, uint32_t vintid)
{
    if (!vm || vcpu >= vm->cfg.num_vcpus) return VGIC_E_INVAL;
    struct virq *q = irq_get(vm, vcpu, vintid);
    if (!q || vintid < 16) return VGIC_E_INTID;
    if (!q->hw) return VGIC_E_STATE;
    q->hw = 0;
    q->pintid = 0;
    return VGIC_OK;
}

int vgic_guest_mmio(vgic_vm_t *vm, uint32_t vcpu, enum gic_frame frame, uint32_t offset, unsigned size, bool write,
                    uint64_t *data)
{
    if (!vm) return VGIC_E_INVAL;
    call_begin(vm);
    return call_end(vm, mmio(vm, vcpu, frame, offset, size, write, data, false));
}

int vgic_user_mmio(vgic_vm_t *vm, uint32_t vcpu, enum gic_frame frame, uint32_t offset, unsigned size, bool write,
                   uint64_t *data)
{
    if (!vm) return VGIC_E_INVAL;
    call_begin(vm);
    return call_end(vm, mmio(vm, vcpu, frame, offset, size, write, data, true));
}

int vgic_guest_sgi(vgic_vm_t *vm, uint32_t vcpu, uint64_t sgi1r)
{
    if (!vm || vcpu >= vm->cfg.num_vcpus) return VGIC_E_INVAL;
    if (!v3(vm)) return VGIC_E_FRAME;
    call_begin(vm);
    vm->last.traps++;
    charge(vm, (uint64_t)vm->cfg.costs.trap_entry + vm->cfg.costs.trap_exit + vm->cfg.costs.emul_access);
    uint32_t sgi = (uint32_t)(sgi1r >> 24) & 0xf;
    uint64_t targets = 0;
    if ((sgi1r >> 40) & 1) {
        targets = all_vcpus(vm) & ~(1ull << vcpu);
    } else if (!((sgi1r >> 32) & 0xff) && !((sgi1r >> 48) & 0xff)) {
        uint64_t aff1 = (sgi1r >> 16) & 0xff;
        for (unsigned a0 = 0; a0 < 16; a0++)
            if ((sgi1r >> a0) & 1) {
                uint64_t v = aff1 * 16 + a0;
                if (v < vm->cfg.num_vcpus) targets |= 1ull << v;
            }
    }
    int rc = kick_out(vm, targets | 1ull << vcpu, (int)vcpu);
    if (rc == VGIC_OK)
        for (uint32_t v = 0; v < vm->cfg.num_vcpus; v++)
            if ((targets >> v) & 1) vm->vcpu[v].priv[sgi].latch = 1;
    int rc2 = kick_in(vm);
    return call_end(vm, rc != VGIC_OK ? rc : rc2);
}

int vgic_vcpu_entry(vgic_vm_t *vm, uint32_t vcpu)
{
    if (!vm || vcpu >= vm->cfg.num_vcpus) return VGIC_E_INVAL;
    if (vm->vcpu[vcpu].running) return VGIC_E_BUSY;
    call_begin(vm);
    return call_end(vm, vcpu_entry_int(vm, vcpu));
}

int vgic_vcpu_exit(vgic_vm_t *vm, uint32_t vcpu, uint32_t *misr)
{
    if (!vm || vcpu >= vm->cfg.num_vcpus) return VGIC_E_INVAL;
    if (!vm->vcpu[vcpu].running) return VGIC_E_STATE;
    call_begin(vm);
    return call_end(vm, vcpu_exit_int(vm, vcpu, misr));
}

bool vgic_vcpu_running(const vgic_vm_t *vm, uint32_t vcpu)
{
    return vm && vcpu < vm->cfg.num_vcpus && vm->vcpu[vcpu].running;
}

static int inject(vgic_vm_t *vm, uint32_t vcpu, uint32_t vintid, bool level)
{
    struct virq *q = irq_get(vm, vcpu, vintid);
    int rc = kick_out(vm, concern(vm, vcpu, vintid, q), -1);
    if (rc == VGIC_OK) {
        charge(vm, vm->cfg.costs.inject);
        if (q->edge && level) q->latch = 1;
        q->line = level;
    }
    int rc2 = kick_in(vm);
    return rc != VGIC_OK ? rc : rc2;
}

int vgic_inject(vgic_vm_t *vm, uint32_t vcpu, uint32_t vintid, bool level)
{
    if (!vm || vcpu >= vm->cfg.num_vcpus) return VGIC_E_INVAL;
    if (vintid < 16 || !irq_get(vm, vcpu, vintid)) return VGIC_E_INTID;
    call_begin(vm);
    return call_end(vm, inject(vm, vcpu, vintid, level));
}

int vgic_host_irq(vgic_vm_t *vm, uint32_t pcpu, uint32_t *pintid, uint32_t *vintid)
{
    if (!vm || !pintid || !vintid || pcpu > 0xffff) return VGIC_E_INVAL;
    call_begin(vm);
    charge(vm, vm->cfg.costs.host_irq);
    uint64_t iar = 0;
    int rc = v3(vm) ? hw(vm, GIC_FRAME_SYSREG, pcpu, ICC_IAR1, 8, false, 0, &iar)
                    : hw(vm, GIC_FRAME_GICC, pcpu, GICC_IAR, 4, false, 0, &iar);
    *vintid = VGIC_NO_INTID;
    *pintid = VGIC_NO_INTID;
    if (rc != VGIC_OK) return call_end(vm, rc);
    uint32_t id = (uint32_t)(iar & (v3(vm) ? 0xffffff : 0x3ff));
    *pintid = id;
    if (id >= 1020) return call_end(vm, VGIC_OK);
    int owner = -1;
    uint32_t vid = 0;
    if (id < 32) {
        for (uint32_t v = 0; v < vm->cfg.num_vcpus && owner < 0; v++) {
            if (vm->vcpu[v].pcpu != pcpu) continue;
            for (uint32_t i = 16; i < 32; i++)
                if (vm->vcpu[v].priv[i].hw && vm->vcpu[v].priv[i].pintid == id) { owner = (int)v; vid = i; break; }
        }
    } else {
        for (uint32_t i = 0; i < vm->cfg.num_spis; i++)
            if (vm->spi[i].hw && vm->spi[i].pintid == id) { owner = 0; vid = 32 + i; break; }
    }
    if (owner < 0) return call_end(vm, VGIC_OK);
    /* A7: priority drop only; the physical interrupt stays active until the guest's HW deactivation. */
    rc = v3(vm) ? hw(vm, GIC_FRAME_SYSREG, pcpu, ICC_EOIR1, 8, true, iar, NULL)
                : hw(vm, GIC_FRAME_GICC, pcpu, GICC_EOIR, 4, true, iar, NULL);
    if (rc != VGIC_OK) return call_end(vm, rc);
    *vintid = vid;
    return call_end(vm, inject(vm, (uint32_t)owner, vid, true));
}

int vgic_vm_reset(vgic_vm_t *vm)
{
    if (!vm) return VGIC_E_INVAL;
    for (uint32_t v = 0; v < vm->cfg.num_vcpus; v++)
        if (vm->vcpu[v].running) return VGIC_E_BUSY;
    call_begin(vm);
    int rc = VGIC_OK;
    vm->ctlr = 0;
    for (uint32_t i = 0; i < nintids(vm); i++) {
        for (uint32_t v = 0; v < (i < 32 ? vm->cfg.num_vcpus : 1); v++) {
            struct virq *q = irq_get(vm, v, i);
            /* B10 plus: the physical interrupt the VM may have made active (B1/B3/B9) or that was
             * forwarded to it is released, so the device's next assertion reaches the host again. */
            bool held = q->act || q->latch || q->line;
            if (q->hw && held && vm->cfg.policy != VGIC_POLICY_NONE && rc == VGIC_OK)
                rc = phys_bit_write(vm, v, q->pintid, R_ICACTIVER);
            irq_reset(vm, q, i, v); /* B10: V.act, V.latch, V.line := 0 */
        }
    }
    for (uint32_t v = 0; v < vm->cfg.num_vcpus; v++) {
        struct vcpu *c = &vm->vcpu[v];
        c->vmcr = 0;
        memset(c->apr, 0, sizeof c->apr);
        c->waker = 1;
    }
    return call_end(vm, rc);
}

int vgic_get_irq(const vgic_vm_t *vm, uint32_t vcpu, uint32_t vintid, struct vgic_irq_info *info)
{
    if (!vm || !info || vcpu >= vm->cfg.num_vcpus) return VGIC_E_INVAL;
    const struct virq *q = irq_get((vgic_vm_t *)vm, vcpu, vintid);
    if (!q) return VGIC_E_INTID;
    info->latch = q->latch;
    info->line = q->line;
    info->active = q->act;
    info->enabled = q->enabled;
    info->edge = q->edge;
    info->hw = q->hw;
    info->pending = pending(vm, q, vintid);
    info->priority = q->prio;
    info->group = q->group;
    info->pintid = q->hw ? q->pintid : 0;
    info->target = target_of(vm, vcpu, vintid, q);
    info->lr_vcpu = q->lr_vcpu;
    info->lr = q->lr;
    info->sgi_sources = q->sgi_src;
    return VGIC_OK;
}

void vgic_get_stats(const vgic_vm_t *vm, struct vgic_stats *total, struct vgic_stats *last)
{
    if (!vm) return;
    if (total) *total = vm->total;
    if (last) *last = vm->last;
}

void vgic_reset_stats(vgic_vm_t *vm)
{
    if (!vm) return;
    memset(&vm->total, 0, sizeof vm->total);
    memset(&vm->last, 0, sizeof vm->last);
}

double vgic_cycles_to_ns(const vgic_vm_t *vm, uint64_t cpu_cycles)
{
    if (!vm) return 0.0;
    return (double)cpu_cycles * 1000.0 / (double)vm->cfg.costs.cpu_mhz;
}
