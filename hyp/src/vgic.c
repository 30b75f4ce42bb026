/* vgic.c: the hypervisor's virtual distributor: virtual interrupt state and queueing, HW mappings, the
 * LAZY/EAGER/NONE policies for mapped interrupts, and the public API (gicsim/vgic.h). Software only: every
 * physical effect is a register access through vgic_hw_ops. Rule ids (B1..B10, A2, A6) are those of
 * docs/semantics.md; docs/hypervisor.md describes the design. */
#include "vgic_internal.h"

#include <stdlib.h>

/* ---------------- bookkeeping ---------------- */
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

int vgic_hw_access(vgic_vm_t *vm, enum gic_frame f, uint32_t cpu, uint32_t off, unsigned size, bool write,
                   uint64_t data, uint64_t *rdata)
{
    struct gic_access a = { (uint8_t)f, write, (uint8_t)size, (uint16_t)cpu, off, data };
    uint64_t r = 0;
    if (write) vm->last.hw_writes++;
    else vm->last.hw_reads++;
    if (vm->ops.access(vm->ops.ctx, &a, &r) != 0) {
        vm->last.hw_errors++;
        return VGIC_E_HW;
    }
    if (rdata) *rdata = r;
    return VGIC_OK;
}

/* The virtual interface control registers of a physical CPU: GICH_* MMIO (GICv2, 32 bits) or
 * ICH_*_EL2 system registers (GICv3, 64 bits). */
int vgic_ich(vgic_vm_t *vm, uint32_t pcpu, uint32_t v2off, uint32_t v3enc, bool write, uint64_t data, uint64_t *r)
{
    return v3(vm) ? vgic_hw_access(vm, GIC_FRAME_SYSREG, pcpu, v3enc, 8, write, data, r)
                  : vgic_hw_access(vm, GIC_FRAME_GICH, pcpu, v2off, 4, write, data, r);
}
int vgic_lr_access(vgic_vm_t *vm, uint32_t pcpu, unsigned n, bool write, uint64_t data, uint64_t *r)
{
    if (write) {
        vm->last.lr_writes++;
        charge(vm, vm->cfg.costs.lr_write);
    } else {
        vm->last.lr_reads++;
        charge(vm, vm->cfg.costs.lr_read);
    }
    return vgic_ich(vm, pcpu, GICH_LR_OFFSET + 4 * n, ICH_LR(n), write, data, r);
}

/* A physical set/clear bit register (base R_*) for pINTID, as seen from vCPU's physical CPU:
 * SGIs/PPIs in the GICv3 redistributor or the GICv2 banked distributor, SPIs in the distributor. */
int vgic_phys_bit_write(vgic_vm_t *vm, uint32_t vcpu, uint32_t pintid, uint32_t base)
{
    uint32_t pcpu = vm->vcpu[vcpu].pcpu, bit = 1u << (pintid % 32);
    if (pintid < 32 && v3(vm)) return vgic_hw_access(vm, GIC_FRAME_GICR_SGI, pcpu, base, 4, true, bit, NULL);
    return vgic_hw_access(vm, GIC_FRAME_GICD, pcpu, base + 4 * (pintid / 32), 4, true, bit, NULL);
}
int vgic_phys_bit_read(vgic_vm_t *vm, uint32_t vcpu, uint32_t pintid, uint32_t base, uint8_t *bit)
{
    uint32_t pcpu = vm->vcpu[vcpu].pcpu;
    uint64_t r = 0;
    if (pintid < 32 && v3(vm)) TRY(vgic_hw_access(vm, GIC_FRAME_GICR_SGI, pcpu, base, 4, false, 0, &r));
    else TRY(vgic_hw_access(vm, GIC_FRAME_GICD, pcpu, base + 4 * (pintid / 32), 4, false, 0, &r));
    *bit = (uint8_t)((r >> (pintid % 32)) & 1);
    return VGIC_OK;
}
/* The physical line of a mapped level interrupt: the physical pending state (as KVM reads it). */
int vgic_phys_line(vgic_vm_t *vm, uint32_t vcpu, const struct virq *q, uint8_t *line)
{
    return vgic_phys_bit_read(vm, vcpu, q->pintid, GICD_ISPENDR_OFFSET, line);
}

/* ---------------- interrupts ---------------- */
struct virq *vgic_irq_get(vgic_vm_t *vm, uint32_t vcpu, uint32_t intid)
{
    if (intid < 32) return vcpu < vm->cfg.num_vcpus ? &vm->vcpu[vcpu].priv[intid] : NULL;
    if (intid < nintids(vm)) return &vm->spi[intid - 32];
    return NULL;
}
bool vgic_irq_pending(const vgic_vm_t *vm, const struct virq *q, uint32_t intid)
{
    if (is_v2_sgi(vm, intid)) return q->sgi_src != 0;
    return q->latch || (q->line && !q->edge);
}
/* The vCPU an interrupt is delivered to: its owner (SGI/PPI), or the SPI's target: GICv2 the
 * lowest vCPU in GICD_ITARGETSR; GICv3 the vCPU whose affinity IROUTER names (IRM=1: vCPU 0). */
int vgic_irq_target(const vgic_vm_t *vm, uint32_t owner, uint32_t intid, const struct virq *q)
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
bool vgic_group_enabled(const vgic_vm_t *vm, uint32_t intid, const struct virq *q)
{
    /* As the physical model: GICv2 gates every interrupt by GICD_CTLR, GICv3 only SPIs. */
    if (v3(vm) && intid < 32) return true;
    return (vm->ctlr >> q->group) & 1;
}
bool vgic_irq_deliverable(const vgic_vm_t *vm, const struct virq *q, uint32_t intid)
{
    return q->act || (vgic_irq_pending(vm, q, intid) && q->enabled && vgic_group_enabled(vm, intid, q));
}
/* vCPUs whose entered state an interrupt change concerns: the one holding it in an LR and the one
 * it is delivered to. */
uint64_t vgic_irq_concern(const vgic_vm_t *vm, uint32_t owner, uint32_t intid, const struct virq *q)
{
    uint64_t m = 0;
    if (q->lr_vcpu >= 0) m |= 1ull << q->lr_vcpu;
    int t = vgic_irq_target(vm, owner, intid, q);
    if (t >= 0) m |= 1ull << t;
    return m;
}

void vgic_irq_reset(vgic_vm_t *vm, struct virq *q, uint32_t intid, uint32_t owner)
{
    uint16_t pintid = q->pintid;
    uint8_t hwm = q->hw;
    int8_t lrv = q->lr_vcpu, lr = q->lr;
    memset(q, 0, sizeof *q);
    q->pintid = pintid;
    q->hw = hwm;
    q->lr_vcpu = lrv;
    q->lr = lr;
    q->edge = intid < 16;              /* SGIs edge; PPIs and SPIs level (as KVM) */
    q->enabled = is_v2_sgi(vm, intid); /* GICv2 SGI enables are RAO/WI */
    q->targets = intid < 32 ? (uint8_t)(1u << (owner & 7)) : 0;
}

int vgic_kick_out(vgic_vm_t *vm, uint64_t mask, int self)
{
    for (uint32_t v = 0; v < vm->cfg.num_vcpus; v++) {
        if (!((mask >> v) & 1) || !vm->vcpu[v].running) continue;
        if ((int)v != self) vm->last.kicks++;
        TRY(vgic_lr_sync(vm, v, NULL));
        vm->kicked |= 1ull << v;
    }
    return VGIC_OK;
}
int vgic_kick_in(vgic_vm_t *vm)
{
    int rc = VGIC_OK;
    for (uint32_t v = 0; v < vm->cfg.num_vcpus; v++) {
        if (!((vm->kicked >> v) & 1)) continue;
        vm->kicked &= ~(1ull << v);
        if (rc == VGIC_OK) rc = vgic_lr_flush(vm, v);
    }
    return rc;
}
uint64_t vgic_all_vcpus(const vgic_vm_t *vm)
{
    return vm->cfg.num_vcpus >= 64 ? ~0ull : (1ull << vm->cfg.num_vcpus) - 1;
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
    *c = (struct vgic_costs){ .cpu_mhz = 2000,
                              .trap_entry = 250,
                              .trap_exit = 250,
                              .emul_access = 150,
                              .vm_entry = 300,
                              .vm_exit = 300,
                              .lr_write = 15,
                              .lr_read = 15,
                              .irq_scan = 25,
                              .host_irq = 400,
                              .inject = 100 };
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

static bool policy_ok(enum vgic_policy p)
{
    return p == VGIC_POLICY_LAZY || p == VGIC_POLICY_EAGER || p == VGIC_POLICY_NONE;
}

int vgic_create(const struct vgic_config *cfg, const struct vgic_hw_ops *ops, vgic_vm_t **out)
{
    if (!cfg || !ops || !ops->access || !out) return VGIC_E_INVAL;
    *out = NULL;
    if (cfg->version != GIC_V2 && cfg->version != GIC_V3) return VGIC_E_INVAL;
    uint32_t maxv = cfg->version == GIC_V2 ? 8 : VGIC_MAX_VCPUS;
    if (cfg->num_vcpus < 1 || cfg->num_vcpus > maxv || cfg->num_spis > 988 || cfg->prio_bits < 4 ||
        cfg->prio_bits > 8 || cfg->num_lrs > VGIC_MAX_LRS ||
        (cfg->vpre_bits && (cfg->vpre_bits < 5 || cfg->vpre_bits > 7)) || !policy_ok(cfg->policy) ||
        cfg->costs.cpu_mhz == 0)
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
        /* Probe GICH_VTR_OFFSET / ICH_VTR_EL2: ListRegs and PREbits, as a hypervisor does at boot. */
        uint64_t vtr;
        int rc = vgic_ich(vm, 0, GICH_VTR_OFFSET, ICH_VTR_EL2_ENC, false, 0, &vtr);
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
            vgic_irq_reset(vm, &c->priv[i], i, v);
        }
    }
    for (uint32_t i = 0; i < cfg->num_spis; i++) {
        vm->spi[i].lr_vcpu = vm->spi[i].lr = -1;
        vgic_irq_reset(vm, &vm->spi[i], 32 + i, 0);
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
    struct virq *q = vgic_irq_get(vm, vcpu, vintid);
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
    struct virq *q = vgic_irq_get(vm, vcpu, vintid);
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
    return call_end(vm, vgic_mmio_access(vm, vcpu, frame, offset, size, write, data, false));
}

int vgic_user_mmio(vgic_vm_t *vm, uint32_t vcpu, enum gic_frame frame, uint32_t offset, unsigned size, bool write,
                   uint64_t *data)
{
    if (!vm) return VGIC_E_INVAL;
    call_begin(vm);
    return call_end(vm, vgic_mmio_access(vm, vcpu, frame, offset, size, write, data, true));
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
        targets = vgic_all_vcpus(vm) & ~(1ull << vcpu);
    } else if (!((sgi1r >> 32) & 0xff) && !((sgi1r >> 48) & 0xff)) {
        uint64_t aff1 = (sgi1r >> 16) & 0xff;
        for (unsigned a0 = 0; a0 < 16; a0++)
            if ((sgi1r >> a0) & 1) {
                uint64_t v = aff1 * 16 + a0;
                if (v < vm->cfg.num_vcpus) targets |= 1ull << v;
            }
    }
    int rc = vgic_kick_out(vm, targets | 1ull << vcpu, (int)vcpu);
    if (rc == VGIC_OK)
        for (uint32_t v = 0; v < vm->cfg.num_vcpus; v++)
            if ((targets >> v) & 1) vm->vcpu[v].priv[sgi].latch = 1;
    int rc2 = vgic_kick_in(vm);
    return call_end(vm, rc != VGIC_OK ? rc : rc2);
}

int vgic_vcpu_entry(vgic_vm_t *vm, uint32_t vcpu)
{
    if (!vm || vcpu >= vm->cfg.num_vcpus) return VGIC_E_INVAL;
    if (vm->vcpu[vcpu].running) return VGIC_E_BUSY;
    call_begin(vm);
    return call_end(vm, vgic_lr_flush(vm, vcpu));
}

int vgic_vcpu_exit(vgic_vm_t *vm, uint32_t vcpu, uint32_t *misr)
{
    if (!vm || vcpu >= vm->cfg.num_vcpus) return VGIC_E_INVAL;
    if (!vm->vcpu[vcpu].running) return VGIC_E_STATE;
    call_begin(vm);
    return call_end(vm, vgic_lr_sync(vm, vcpu, misr));
}

bool vgic_vcpu_running(const vgic_vm_t *vm, uint32_t vcpu)
{
    return vm && vcpu < vm->cfg.num_vcpus && vm->vcpu[vcpu].running;
}

static int inject(vgic_vm_t *vm, uint32_t vcpu, uint32_t vintid, bool level)
{
    struct virq *q = vgic_irq_get(vm, vcpu, vintid);
    int rc = vgic_kick_out(vm, vgic_irq_concern(vm, vcpu, vintid, q), -1);
    if (rc == VGIC_OK) {
        charge(vm, vm->cfg.costs.inject);
        if (q->edge && level) q->latch = 1;
        q->line = level;
    }
    int rc2 = vgic_kick_in(vm);
    return rc != VGIC_OK ? rc : rc2;
}

int vgic_inject(vgic_vm_t *vm, uint32_t vcpu, uint32_t vintid, bool level)
{
    if (!vm || vcpu >= vm->cfg.num_vcpus) return VGIC_E_INVAL;
    if (vintid < 16 || !vgic_irq_get(vm, vcpu, vintid)) return VGIC_E_INTID;
    call_begin(vm);
    return call_end(vm, inject(vm, vcpu, vintid, level));
}

int vgic_host_irq(vgic_vm_t *vm, uint32_t pcpu, uint32_t *pintid, uint32_t *vintid)
{
    if (!vm || !pintid || !vintid || pcpu > 0xffff) return VGIC_E_INVAL;
    call_begin(vm);
    charge(vm, vm->cfg.costs.host_irq);
    uint64_t iar = 0;
    int rc = v3(vm) ? vgic_hw_access(vm, GIC_FRAME_SYSREG, pcpu, ICC_IAR1_EL1_ENC, 8, false, 0, &iar)
                    : vgic_hw_access(vm, GIC_FRAME_GICC, pcpu, GICC_IAR_OFFSET, 4, false, 0, &iar);
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
                if (vm->vcpu[v].priv[i].hw && vm->vcpu[v].priv[i].pintid == id) {
                    owner = (int)v;
                    vid = i;
                    break;
                }
        }
    } else {
        for (uint32_t i = 0; i < vm->cfg.num_spis; i++)
            if (vm->spi[i].hw && vm->spi[i].pintid == id) {
                owner = 0;
                vid = 32 + i;
                break;
            }
    }
    if (owner < 0) return call_end(vm, VGIC_OK);
    /* A7: priority drop only; the physical interrupt stays active until the guest's HW deactivation. */
    rc = v3(vm) ? vgic_hw_access(vm, GIC_FRAME_SYSREG, pcpu, ICC_EOIR1_EL1_ENC, 8, true, iar, NULL)
                : vgic_hw_access(vm, GIC_FRAME_GICC, pcpu, GICC_EOIR_OFFSET, 4, true, iar, NULL);
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
            struct virq *q = vgic_irq_get(vm, v, i);
            /* B10 plus: the physical interrupt the VM may have made active (B1/B3/B9) or that was
             * forwarded to it is released, so the device's next assertion reaches the host again. */
            bool held = q->act || q->latch || q->line;
            if (q->hw && held && vm->cfg.policy != VGIC_POLICY_NONE && rc == VGIC_OK)
                rc = vgic_phys_bit_write(vm, v, q->pintid, GICD_ICACTIVER_OFFSET);
            vgic_irq_reset(vm, q, i, v); /* B10: V.act, V.latch, V.line := 0 */
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
    const struct virq *q = vgic_irq_get((vgic_vm_t *)vm, vcpu, vintid);
    if (!q) return VGIC_E_INTID;
    info->latch = q->latch;
    info->line = q->line;
    info->active = q->act;
    info->enabled = q->enabled;
    info->edge = q->edge;
    info->hw = q->hw;
    info->pending = vgic_irq_pending(vm, q, vintid);
    info->priority = q->prio;
    info->group = q->group;
    info->pintid = q->hw ? q->pintid : 0;
    info->target = vgic_irq_target(vm, vcpu, vintid, q);
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
