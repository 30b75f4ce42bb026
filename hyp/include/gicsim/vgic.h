/* vgic.h: the hypervisor's virtual distributor (what KVM does for a VM) as a software kernel
 * driving the physical GIC only through register accesses. See docs/hypervisor.md. */
#ifndef GICSIM_VGIC_H
#define GICSIM_VGIC_H

#include <stdbool.h>
#include <stdint.h>

#include "gicsim/gic.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One vgic_vm_t is the virtual interrupt state of one VM: per vINTID the pending latch, line
 * level, active, enable, priority, group, trigger and target (SGIs/PPIs per vCPU, SPIs per VM),
 * the vINTID -> pINTID mappings (HW=1 list registers), and per vCPU the saved virtual CPU
 * interface (VMCR, active priorities) and which list registers hold which vINTID.
 *
 * The kernel is SOFTWARE: it never touches a gic_t. Every physical side effect (a physical
 * GICD/GICR register, a GICH_* register of the GICv2 virtual interface control frame, an ICH_*_EL2
 * or ICC_* system register) is a struct gic_access handed to vgic_hw_ops.access. The caller
 * decides what an access costs: gic_access() directly in the unit tests, the TLM bus of the benchmark
 * platform (tools/bench/bench_engine.cpp) in `gicsim bench`.
 *
 * Software cost: every call accumulates the CPU cycles the hypervisor spends (struct vgic_costs,
 * a CPU clock separate from the GIC clock) and counts its physical accesses (struct vgic_stats),
 * readable per call (the last one) and in total. Nothing here knows about time otherwise.
 *
 * Every function returns a vgic_status (0 or negative); none aborts; no global state.
 * Rule ids (B1..B10, A1..A7) are those of docs/semantics.md.
 */
typedef struct vgic_vm vgic_vm_t;

enum vgic_status {
    VGIC_OK = 0,
    VGIC_E_INVAL = -1,  /* bad argument (NULL pointer, vCPU out of range, bad configuration) */
    VGIC_E_NOMEM = -2,  /* allocation failed */
    VGIC_E_INTID = -3,  /* vINTID or pINTID out of range or of the wrong class (SGI, PPI vs SPI) */
    VGIC_E_OFFSET = -4, /* no register at this offset: nothing changed, reads return 0 (the caller
                         * chooses RAZ/WI or an external abort for the guest) */
    VGIC_E_SIZE = -5,   /* access size or alignment the register does not allow: nothing changed */
    VGIC_E_FRAME = -6,  /* frame not part of this version's virtual distributor */
    VGIC_E_BUSY = -7,   /* already mapped, or a vCPU is running where the call needs it stopped */
    VGIC_E_STATE = -8,  /* not mapped / vCPU not running / not entered, where the call needs it */
    VGIC_E_HW = -9,     /* the access callback failed; the virtual state may be partly updated */
};
const char *vgic_strerror(int status);

/* How the hypervisor keeps the physical state of HW-mapped interrupts consistent. */
enum vgic_policy {
    VGIC_POLICY_LAZY = 0, /* the KVM change's design: act on guest SPEND/CPEND/ACTIVE writes (B1, B2, B3) */
    VGIC_POLICY_EAGER,    /* B9: P.act:=1 on every VM entry whose LRs carry a HW interrupt pending or
                           * active; SPEND changes V only; CPEND and ACTIVE writes as LAZY (B2, B3) */
    VGIC_POLICY_NONE,     /* before the KVM change: the guest's pending/active writes change V only
                           * (breaks A6 and blocks later physical interrupts: for comparison) */
};

/* Software costs in CPU cycles (placeholders of the right order until calibrated). The physical
 * register accesses themselves are not included: their cost belongs to whoever serves the
 * callback (the caller places them on the timeline). */
struct vgic_costs {
    uint32_t cpu_mhz;     /* CPU clock (separate from the GIC clock) */
    uint32_t trap_entry;  /* guest -> hypervisor exception entry of a trapped access */
    uint32_t trap_exit;   /* hypervisor -> guest return of a trapped access */
    uint32_t emul_access; /* decoding and emulating one trapped distributor access */
    uint32_t vm_entry;    /* fixed work of vgic_vcpu_entry (besides the LRs) */
    uint32_t vm_exit;     /* fixed work of vgic_vcpu_exit (besides the LRs) */
    uint32_t lr_write;    /* building one list register value */
    uint32_t lr_read;     /* decoding and folding one list register value */
    uint32_t irq_scan;    /* per candidate interrupt considered when filling LRs */
    uint32_t host_irq;    /* host handler work of vgic_host_irq (besides its accesses) */
    uint32_t inject;      /* device-side injection (vgic_inject) */
};

struct vgic_hw_ops {
    /* One physical register access: acc->frame/cpu/offset/size/write/data as in gic.h; read data
     * in *rdata. Return 0 on success, anything else is an error (the call returns VGIC_E_HW). */
    int (*access)(void *ctx, const struct gic_access *acc, uint64_t *rdata);
    /* Optional: a level-sensitive HW=0 interrupt was EOIed by the guest (EOI maintenance). */
    void (*eoi)(void *ctx, uint32_t vcpu, uint32_t vintid);
    void *ctx;
};

#define VGIC_MAX_VCPUS 64
#define VGIC_MAX_LRS 16
#define VGIC_NO_INTID 1023u

struct vgic_config {
    enum gic_version version;
    uint32_t num_vcpus; /* 1..8 (GICv2), 1..64 (GICv3) */
    uint32_t num_spis;  /* virtual SPIs, 0..988, a multiple of 32 not required */
    uint32_t prio_bits; /* implemented virtual distributor priority bits, 4..8 (default 5) */
    uint32_t num_lrs;   /* list registers; 0: read GICH_VTR/ICH_VTR_EL2 through the callback */
    uint32_t vpre_bits; /* virtual preemption bits (APRs saved: 1 << (vpre_bits - 5)); 0: from VTR */
    bool refill_npie;   /* LR overflow: ask for the NP maintenance interrupt instead of U (UIE) */
    enum vgic_policy policy;
    struct vgic_costs costs;
};
void vgic_config_default(struct vgic_config *cfg, enum gic_version version);
void vgic_costs_default(struct vgic_costs *costs);

/* Create a VM. vCPU n runs on physical CPU n until vgic_vcpu_bind() says otherwise. With
 * num_lrs or vpre_bits 0 this makes one physical access (the VTR probe). */
int vgic_create(const struct vgic_config *cfg, const struct vgic_hw_ops *ops, vgic_vm_t **out);
void vgic_destroy(vgic_vm_t *vm);
const struct vgic_config *vgic_get_config(const vgic_vm_t *vm);
int vgic_set_policy(vgic_vm_t *vm, enum vgic_policy policy);
/* The physical CPU (GICC/GICH bank, GICR, system registers) vCPU runs on. Not while it runs. */
int vgic_vcpu_bind(vgic_vm_t *vm, uint32_t vcpu, uint32_t pcpu);

/* ---------------- mappings (HW=1) ---------------- */
/* Map vINTID to pINTID: a vPPI (16..31, of `vcpu`) to a physical PPI of the vCPU's physical CPU,
 * a vSPI (any `vcpu`) to a physical SPI (32..1019). SGIs cannot be mapped. VGIC_E_BUSY if either
 * side is mapped already. */
int vgic_map(vgic_vm_t *vm, uint32_t vcpu, uint32_t vintid, uint32_t pintid);
int vgic_unmap(vgic_vm_t *vm, uint32_t vcpu, uint32_t vintid); /* VGIC_E_STATE if not mapped */

/* ---------------- trapped guest accesses and userspace accesses ---------------- */
/* Guest access to the virtual distributor (a trap: trap costs, and when the vCPU is entered its
 * LRs are folded first and refilled afterwards, as a VM exit and entry).
 * frame: GIC_FRAME_GICD (GICv2 4 KiB layout or GICv3 64 KiB layout); GICv3 also
 * GIC_FRAME_GICR_RD: the redistributor region, offset = rd * 0x20000 + o, o < 0x10000 RD_base,
 * o >= 0x10000 SGI_base; GIC_FRAME_GICR_SGI: offset = rd * 0x20000 + o, o < 0x10000 in SGI_base.
 * size 1, 2, 4 or 8 bytes; *data is the write data or receives the read data. */
int vgic_guest_mmio(vgic_vm_t *vm, uint32_t vcpu, enum gic_frame frame, uint32_t offset, unsigned size, bool write,
                    uint64_t *data);
/* The same register file seen by userspace (the VMM; `vcpu` selects the banked SGI/PPI view).
 * B4: no physical access ever; pending writes of mapped interrupts change the virtual latch only
 * (as later kernels), active writes of mapped interrupts are ignored. No trap cost. */
int vgic_user_mmio(vgic_vm_t *vm, uint32_t vcpu, enum gic_frame frame, uint32_t offset, unsigned size, bool write,
                   uint64_t *data);
/* GICv3: the guest's trapped write of ICC_SGI1R_EL1 (TargetList, Aff1, INTID, IRM). */
int vgic_guest_sgi(vgic_vm_t *vm, uint32_t vcpu, uint64_t sgi1r);

/* ---------------- world switch ---------------- */
/* VM entry on the vCPU's physical CPU: fill the LRs (B6; EAGER: B9), restore VMCR/APRs, write HCR
 * (En, plus UIE or NPIE when more interrupts wait than LRs: LR overflow). */
int vgic_vcpu_entry(vgic_vm_t *vm, uint32_t vcpu);
/* VM exit: read ELRSR and the used LRs, fold them (B7; EOI maintenance), clear them, save
 * VMCR/APRs, write HCR=0. With misr non-NULL, first read MISR (the maintenance handler). */
int vgic_vcpu_exit(vgic_vm_t *vm, uint32_t vcpu, uint32_t *misr);
bool vgic_vcpu_running(const vgic_vm_t *vm, uint32_t vcpu);

/* ---------------- injection ---------------- */
/* Device-side line of vINTID (a PPI of `vcpu`, or an SPI): level sets V.line (level-sensitive) or,
 * when 1, the pending latch (edge). Works for mapped and unmapped interrupts; an entered target
 * vCPU is kicked (exit + entry). */
int vgic_inject(vgic_vm_t *vm, uint32_t vcpu, uint32_t vintid, bool level);
/* The host's physical IRQ handler on physical CPU pcpu (host EOImode=1, SEMANTICS A7): read the
 * physical IAR; if the INTID is mapped in this VM, drop priority (EOIR), leave it active and
 * inject the mapped vINTID (*vintid); otherwise *vintid = VGIC_NO_INTID and the interrupt is left
 * acknowledged for the caller. *pintid receives the acknowledged INTID (1023: none). */
int vgic_host_irq(vgic_vm_t *vm, uint32_t pcpu, uint32_t *pintid, uint32_t *vintid);

/* B10: reset every vINTID to its reset state (V.act, V.latch, V.line cleared); mappings kept.
 * LAZY/EAGER also clear P.act of mapped interrupts the VM held pending or active. No vCPU may be
 * entered (VGIC_E_BUSY). */
int vgic_vm_reset(vgic_vm_t *vm);

/* ---------------- inspection ---------------- */
struct vgic_irq_info {
    bool latch, line, active, enabled, edge, hw, pending; /* pending = latch | (line & level) */
    uint8_t priority, group;
    uint32_t pintid;     /* when hw */
    int32_t target;      /* vCPU the interrupt is delivered to, -1 none */
    int32_t lr_vcpu;     /* vCPU whose list registers hold it now, -1 none */
    int32_t lr;          /* which LR, -1 none */
    uint8_t sgi_sources; /* GICv2 SGIs: pending source vCPUs */
};
int vgic_get_irq(const vgic_vm_t *vm, uint32_t vcpu, uint32_t vintid, struct vgic_irq_info *info);

struct vgic_stats {
    uint64_t calls;               /* API calls */
    uint64_t traps;               /* trapped guest accesses */
    uint64_t entries, exits;      /* VM entries and exits (including kicks) */
    uint64_t kicks;               /* exits+entries forced on another entered vCPU */
    uint64_t hw_reads, hw_writes; /* physical accesses through the callback (all kinds) */
    uint64_t lr_reads, lr_writes; /* of which list register accesses */
    uint64_t hw_errors;           /* failed callback accesses */
    uint64_t overflows;           /* entries with more interrupts waiting than LRs */
    uint64_t cpu_cycles;          /* software cost (struct vgic_costs) */
};
/* Totals since creation (or vgic_reset_stats) and the last API call alone. */
void vgic_get_stats(const vgic_vm_t *vm, struct vgic_stats *total, struct vgic_stats *last);
void vgic_reset_stats(vgic_vm_t *vm);
/* Nanoseconds for a number of CPU cycles at the configured CPU clock. */
double vgic_cycles_to_ns(const vgic_vm_t *vm, uint64_t cpu_cycles);

#ifdef __cplusplus
}
#endif
#endif
