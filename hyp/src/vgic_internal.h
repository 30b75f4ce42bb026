/* vgic_internal.h: the state of a VM's virtual GIC and the helpers its files share (vgic.c: state, queueing and
 * the public API; vgic_lr.c: list registers at VM entry and exit; vgic_mmio.c: the trapped distributor and
 * redistributor registers). Not installed; the API is gicsim/vgic.h. Rule ids are those of docs/semantics.md. */
#ifndef GICSIM_VGIC_INTERNAL_H
#define GICSIM_VGIC_INTERNAL_H

#include "gicsim/gic_regs.h"
#include "gicsim/vgic.h"

#include <string.h>

#define NO_LR 0xffffu

/* ---------------- state ---------------- */
struct virq {
    uint16_t pintid; /* physical INTID when hw */
    uint8_t prio, group, enabled, edge;
    uint8_t latch;    /* V.latch: software/edge pending latch (not used by GICv2 SGIs) */
    uint8_t line;     /* V.line: level of the (virtual or mapped physical) input */
    uint8_t act;      /* V.act */
    uint8_t hw;       /* mapped: list registers carry HW=1 and pintid */
    uint8_t sgi_src;  /* GICv2 SGIs: pending source vCPUs */
    uint8_t act_src;  /* GICv2 SGIs: source of the active instance */
    int8_t lr_vcpu;   /* vCPU whose LRs hold it, -1 */
    int8_t lr;        /* LR index, -1 */
    uint8_t targets;  /* GICv2 GICD_ITARGETSR byte (SPIs) */
    uint64_t irouter; /* GICv3 GICD_IROUTER (SPIs) */
};

struct vcpu {
    uint32_t pcpu;
    bool running;
    uint64_t vmcr;
    uint64_t apr[2][4];              /* GICv3 ICH_AP0R/AP1R<n>; GICv2 GICH_APR_OFFSET in apr[0][0] */
    uint16_t lr_intid[VGIC_MAX_LRS]; /* vINTID each LR holds while entered, NO_LR if unused */
    uint8_t lr_src[VGIC_MAX_LRS];    /* GICv2 SGI source CPUID written with it */
    uint32_t waker;                  /* GICR_WAKER: ProcessorSleep */
    struct virq priv[32];
};

struct vgic_vm {
    struct vgic_config cfg;
    struct vgic_hw_ops ops;
    uint32_t ctlr; /* GICD_CTLR EnableGrp0 [0], EnableGrp1 [1] */
    uint8_t prio_mask;
    unsigned num_apr; /* APR registers saved per group */
    struct vcpu *vcpu;
    struct virq *spi;
    uint64_t *scratch; /* LR candidates of one entry */
    uint64_t kicked;   /* vCPUs exited by this call, to enter again at its end */
    struct vgic_stats total, last;
};

/* ---------------- the physical registers it uses (gicsim/gic_regs.h, from the register description) ---------------- */
/* Arrays of system registers: element n (the others are gicsim/gic_regs.h's NAME_ENC and NAME_OFFSET). */
#define ICH_LR(n) (ICH_LR_EL2_ENC + (n))
#define ICH_AP0R(n) (ICH_AP0R_EL2_ENC + (n))
#define ICH_AP1R(n) (ICH_AP1R_EL2_ENC + (n))
/* ICH_HCR_EL2 and GICH_HCR_OFFSET share these bits (IHI0069H 12.4.6, IHI0048B 5.3.2). */
#define HCR_EN ((uint32_t)ICH_HCR_EL2_EN_MASK)
#define HCR_UIE ((uint32_t)ICH_HCR_EL2_UIE_MASK)
#define HCR_NPIE ((uint32_t)ICH_HCR_EL2_NPIE_MASK)

static inline bool v3(const vgic_vm_t *vm) { return vm->cfg.version == GIC_V3; }
static inline uint32_t nintids(const vgic_vm_t *vm) { return 32 + vm->cfg.num_spis; }

static inline void charge(vgic_vm_t *vm, uint64_t cycles) { vm->last.cpu_cycles += cycles; }
static inline bool is_v2_sgi(const vgic_vm_t *vm, uint32_t intid) { return !v3(vm) && intid < 16; }
#define TRY(x)                                                                                                         \
    do {                                                                                                               \
        int rc_ = (x);                                                                                                 \
        if (rc_ != VGIC_OK) return rc_;                                                                                \
    } while (0)

/* ---------------- vgic.c: physical accesses (counted and charged), interrupt state ---------------- */
int vgic_hw_access(vgic_vm_t *vm, enum gic_frame f, uint32_t cpu, uint32_t off, unsigned size, bool write,
                   uint64_t data, uint64_t *rdata);
int vgic_ich(vgic_vm_t *vm, uint32_t pcpu, uint32_t v2off, uint32_t v3enc, bool write, uint64_t data, uint64_t *r);
int vgic_lr_access(vgic_vm_t *vm, uint32_t pcpu, unsigned n, bool write, uint64_t data, uint64_t *r);
int vgic_phys_bit_write(vgic_vm_t *vm, uint32_t vcpu, uint32_t pintid, uint32_t base);
int vgic_phys_bit_read(vgic_vm_t *vm, uint32_t vcpu, uint32_t pintid, uint32_t base, uint8_t *bit);
int vgic_phys_line(vgic_vm_t *vm, uint32_t vcpu, const struct virq *q, uint8_t *line);
struct virq *vgic_irq_get(vgic_vm_t *vm, uint32_t vcpu, uint32_t intid);
bool vgic_irq_pending(const vgic_vm_t *vm, const struct virq *q, uint32_t intid);
int vgic_irq_target(const vgic_vm_t *vm, uint32_t owner, uint32_t intid, const struct virq *q);
bool vgic_group_enabled(const vgic_vm_t *vm, uint32_t intid, const struct virq *q);
bool vgic_irq_deliverable(const vgic_vm_t *vm, const struct virq *q, uint32_t intid);
uint64_t vgic_irq_concern(const vgic_vm_t *vm, uint32_t owner, uint32_t intid, const struct virq *q);
void vgic_irq_reset(vgic_vm_t *vm, struct virq *q, uint32_t intid, uint32_t owner);
/* Exit the entered vCPUs of `mask` before a change of the state they hold, and enter them again after it. */
int vgic_kick_out(vgic_vm_t *vm, uint64_t mask, int self);
int vgic_kick_in(vgic_vm_t *vm);
uint64_t vgic_all_vcpus(const vgic_vm_t *vm);

/* ---------------- vgic_lr.c: VM entry and exit ---------------- */
int vgic_lr_flush(vgic_vm_t *vm, uint32_t v);                /* entry: deliverable interrupts into the LRs */
int vgic_lr_sync(vgic_vm_t *vm, uint32_t v, uint32_t *misr); /* exit: the LRs back into the virtual state */

/* ---------------- vgic_mmio.c: trapped register accesses ---------------- */
int vgic_mmio_access(vgic_vm_t *vm, uint32_t vcpu, enum gic_frame f, uint32_t off, unsigned size, bool write,
                     uint64_t *data, bool user);

#endif
