/* vgic_mmio.c: the trapped GICD/GICR registers of a VM (guest and userspace accesses): decode, the
 * per-interrupt effects of SPEND/CPEND/ACTIVE/ENABLE writes on mapped interrupts (B1-B5, B8), reads. */
#include "vgic_internal.h"

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
    if (q->hw && !m->user && vm->cfg.policy == VGIC_POLICY_LAZY) TRY(vgic_phys_bit_write(vm, m->vcpu, q->pintid, R_ISACTIVER));
    return VGIC_OK;
}
static int w_cpend(vgic_vm_t *vm, const struct mctx *m, struct virq *q, uint32_t intid)
{
    if (is_v2_sgi(vm, intid)) return VGIC_OK;
    q->latch = 0;
    if (q->hw && !m->user && vm->cfg.policy != VGIC_POLICY_NONE) {
        /* B2: P.pend := 0, and P.act := 0 unless the virtual interrupt is active. */
        TRY(vgic_phys_bit_write(vm, m->vcpu, q->pintid, R_ICPENDR));
        if (!q->act) TRY(vgic_phys_bit_write(vm, m->vcpu, q->pintid, R_ICACTIVER));
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
        TRY(vgic_phys_bit_write(vm, m->vcpu, q->pintid, set ? R_ISACTIVER : R_ICACTIVER));
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
        TRY(vgic_phys_line(vm, m->vcpu, q, &q->line));
        if (was && !q->line && !q->act && !q->latch) TRY(vgic_phys_bit_write(vm, m->vcpu, q->pintid, R_ICACTIVER));
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
    case RK_CTLR: return write ? vgic_all_vcpus(vm) : 0;
    case RK_GROUP: case RK_SENABLE: case RK_CENABLE: case RK_SPEND: case RK_CPEND: case RK_SACTIVE: case RK_CACTIVE:
        first = r->first; count = 32; break;
    case RK_PRIO: first = r->first; count = size; break;
    case RK_CFG: first = r->first; count = 16; break;
    case RK_TARGET: case RK_IROUTER: return write ? vgic_all_vcpus(vm) : 0;
    case RK_SGIR: {
        if (!write) return 0;
        unsigned filt = (unsigned)(data >> 24) & 3;
        uint64_t list = (data >> 16) & 0xff;
        return (filt == 0 ? list : filt == 1 ? vgic_all_vcpus(vm) & ~(1ull << r->owner) : filt == 2 ? 1ull << r->owner : 0) &
               vgic_all_vcpus(vm);
    }
    case RK_CPENDSGI: case RK_SPENDSGI: first = r->first; count = size; break;
    default: return 0;
    }
    uint64_t m = 0;
    for (uint32_t i = first; i < first + count; i++) {
        struct virq *q = vgic_irq_get(vm, r->owner, i);
        if (q) m |= vgic_irq_concern(vm, r->owner, i, q);
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
            const struct virq *q = vgic_irq_get(vm, r->owner, r->first + k);
            if (!q) continue;
            bool b;
            switch (r->kind) {
            case RK_GROUP: b = q->group; break;
            case RK_SENABLE: case RK_CENABLE: b = q->enabled; break;
            case RK_SPEND: case RK_CPEND: b = vgic_irq_pending(vm, q, r->first + k); break;
            default: b = q->act; break; /* B5: ISACTIVER/ICACTIVER read V.act only */
            }
            v |= (uint64_t)b << k;
        }
        break;
    case RK_PRIO:
        for (unsigned k = 0; k < size; k++) {
            const struct virq *q = vgic_irq_get(vm, r->owner, r->first + k);
            if (q) v |= (uint64_t)q->prio << (8 * k);
        }
        break;
    case RK_TARGET:
        for (unsigned k = 0; k < size; k++) {
            uint32_t i = r->first + k;
            const struct virq *q = vgic_irq_get(vm, r->owner, i);
            if (!q) continue;
            uint64_t t = i < 32 ? 1u << r->owner : q->targets;
            v |= t << (8 * k);
        }
        break;
    case RK_CFG:
        for (unsigned k = 0; k < 16; k++) {
            const struct virq *q = vgic_irq_get(vm, r->owner, r->first + k);
            if (q) v |= (uint64_t)q->edge << (2 * k + 1);
        }
        break;
    case RK_CPENDSGI: case RK_SPENDSGI:
        for (unsigned k = 0; k < size; k++) v |= (uint64_t)vm->vcpu[r->owner].priv[r->first + k].sgi_src << (8 * k);
        break;
    case RK_IROUTER: {
        const struct virq *q = vgic_irq_get(vm, r->owner, r->first);
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
            struct virq *q = vgic_irq_get(vm, r->owner, i);
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
            struct virq *q = vgic_irq_get(vm, r->owner, r->first + k);
            if (q) q->prio = (uint8_t)(data >> (8 * k)) & vm->prio_mask;
        }
        return VGIC_OK;
    case RK_TARGET:
        for (unsigned k = 0; k < size; k++) {
            uint32_t i = r->first + k;
            struct virq *q = vgic_irq_get(vm, r->owner, i);
            if (q && i >= 32) q->targets = (uint8_t)((data >> (8 * k)) & vgic_all_vcpus(vm));
        }
        return VGIC_OK;
    case RK_CFG:
        for (unsigned k = 0; k < 16; k++) {
            uint32_t i = r->first + k;
            struct virq *q = vgic_irq_get(vm, r->owner, i);
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
            uint8_t bits = (uint8_t)((data >> (8 * k)) & vgic_all_vcpus(vm));
            if (r->kind == RK_SPENDSGI) q->sgi_src |= bits; else q->sgi_src &= (uint8_t)~bits;
        }
        return VGIC_OK;
    case RK_IROUTER: {
        struct virq *q = vgic_irq_get(vm, r->owner, r->first);
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

int vgic_mmio_access(vgic_vm_t *vm, uint32_t vcpu, enum gic_frame f, uint32_t off, unsigned size, bool write,
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
    rc = vgic_kick_out(vm, mask, user ? -1 : (int)vcpu);
    if (rc == VGIC_OK) {
        struct mctx m = { vcpu, user };
        rc = write ? reg_write(vm, &m, &r, size, *data) : reg_read(vm, &r, size, data);
    }
    int rc2 = vgic_kick_in(vm);
    return rc != VGIC_OK ? rc : rc2;
}

