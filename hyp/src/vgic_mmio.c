/* vgic_mmio.c: the trapped GICD/GICR registers of a VM (guest and userspace accesses): decode, the
 * per-interrupt effects of SPEND/CPEND/ACTIVE/ENABLE writes on mapped interrupts (B1-B5, B8), reads. */
#include "vgic_internal.h"

/* ---------------- per-interrupt register effects ---------------- */
struct mctx {
    uint32_t vcpu; /* accessing vCPU (the physical accesses go out on its physical CPU) */
    bool user;     /* userspace access (B4) rather than a trapped guest access */
};

static int w_spend(vgic_vm_t *vm, const struct mctx *m, struct virq *q, uint32_t intid)
{
    if (is_v2_sgi(vm, intid)) return VGIC_OK; /* GICD_ISPENDR0 SGI bits are WI on GICv2 */
    q->latch = 1;
    /* B1 (LAZY): P.act := 1, so the guest may activate and deactivate it (A6). B4: never for userspace. */
    if (q->hw && !m->user && vm->cfg.policy == VGIC_POLICY_LAZY)
        TRY(vgic_phys_bit_write(vm, m->vcpu, q->pintid, GICD_ISACTIVER_OFFSET));
    return VGIC_OK;
}
static int w_cpend(vgic_vm_t *vm, const struct mctx *m, struct virq *q, uint32_t intid)
{
    if (is_v2_sgi(vm, intid)) return VGIC_OK;
    q->latch = 0;
    if (q->hw && !m->user && vm->cfg.policy != VGIC_POLICY_NONE) {
        /* B2: P.pend := 0, and P.act := 0 unless the virtual interrupt is active. */
        TRY(vgic_phys_bit_write(vm, m->vcpu, q->pintid, GICD_ICPENDR_OFFSET));
        if (!q->act) TRY(vgic_phys_bit_write(vm, m->vcpu, q->pintid, GICD_ICACTIVER_OFFSET));
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
        TRY(vgic_phys_bit_write(vm, m->vcpu, q->pintid, set ? GICD_ISACTIVER_OFFSET : GICD_ICACTIVER_OFFSET));
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
        if (was && !q->line && !q->act && !q->latch)
            TRY(vgic_phys_bit_write(vm, m->vcpu, q->pintid, GICD_ICACTIVER_OFFSET));
    }
    return VGIC_OK;
}

/* ---------------- register decode ---------------- */
enum rk {
    RK_CTLR,
    RK_TYPER,
    RK_IIDR,
    RK_PIDR2,
    RK_GROUP,
    RK_SENABLE,
    RK_CENABLE,
    RK_SPEND,
    RK_CPEND,
    RK_SACTIVE,
    RK_CACTIVE,
    RK_PRIO,
    RK_TARGET,
    RK_CFG,
    RK_SGIR,
    RK_CPENDSGI,
    RK_SPENDSGI,
    RK_IROUTER,
    RK_RAZWI,
    RK_RD_CTLR,
    RK_RD_IIDR,
    RK_RD_TYPER,
    RK_RD_WAKER,
};
struct reg {
    enum rk kind;
    uint32_t first; /* first INTID (bit registers: of the bank; byte registers: of the access) */
    uint32_t owner; /* vCPU owning the private interrupts the register reaches */
    unsigned sub;   /* byte offset inside a 64-bit register (IROUTER, GICR_TYPER) */
};

static int size_ok(enum rk k, uint32_t off, unsigned size)
{
    if (size != 1 && size != 2 && size != 4 && size != 8) return VGIC_E_SIZE;
    if (off % size) return VGIC_E_SIZE;
    switch (k) {
    case RK_PRIO:
    case RK_TARGET:
    case RK_CPENDSGI:
    case RK_SPENDSGI: return size == 1 || size == 4 ? VGIC_OK : VGIC_E_SIZE;
    case RK_IROUTER:
    case RK_RD_TYPER: return size == 4 || size == 8 ? VGIC_OK : VGIC_E_SIZE;
    default: return size == 4 ? VGIC_OK : VGIC_E_SIZE;
    }
}

/* ---------------- the registers a VM sees, as a table over the register description ---------------- */
/* Each region is one register (array) of gicsim/gic_regs.h and what the vgic does there. How the first INTID an
 * access reaches follows from its offset: */
enum first_rule {
    F_NONE,   /* no INTID */
    F_BITS,   /* one bit per INTID: 32 per word */
    F_BYTES,  /* one byte per INTID */
    F_CFG,    /* two bits per INTID: 4 per byte */
    F_ROUTER, /* one 64-bit word per INTID; `sub` is the byte inside it */
    F_TYPER,  /* GICR_TYPER, 64 bits: `sub` is the byte of its word (0 or 4) */
};
enum { V2 = 1, V3 = 2 };
enum region_space { SP_GICD, SP_RD, SP_SGI };
struct region {
    uint8_t space;     /* enum region_space */
    uint8_t versions;  /* V2 | V3 */
    uint32_t off, end; /* byte offsets [off, end) in the frame; a single register is decoded at its offset only */
    enum rk kind;
    enum first_rule first;
    uint32_t intid0;       /* the INTID at the region's first offset */
    bool razwi_private_v3; /* GICv3 with ARE: INTIDs 0-31 live in the redistributors, RAZ/WI here */
};
#define ONE(name) name##_OFFSET, name##_OFFSET + 1
#define ARRAY(name) name##_OFFSET, name##_OFFSET + name##_STRIDE *name##_COUNT
#define PIDR2(name) name##_OFFSET + 6 * name##_STRIDE, name##_OFFSET + 6 * name##_STRIDE + 1 /* IDR element 6: PIDR2 */
static const struct region regions[] = {
    /* distributor (IHI0048B 4.3, IHI0069H 12.9) */
    { SP_GICD, V2 | V3, ONE(GICD_CTLR), RK_CTLR, F_NONE, 0, false },
    { SP_GICD, V2 | V3, ONE(GICD_TYPER), RK_TYPER, F_NONE, 0, false },
    { SP_GICD, V2 | V3, ONE(GICD_IIDR), RK_IIDR, F_NONE, 0, false },
    { SP_GICD, V2 | V3, ARRAY(GICD_IGROUPR), RK_GROUP, F_BITS, 0, true },
    { SP_GICD, V2 | V3, ARRAY(GICD_ISENABLER), RK_SENABLE, F_BITS, 0, true },
    { SP_GICD, V2 | V3, ARRAY(GICD_ICENABLER), RK_CENABLE, F_BITS, 0, true },
    { SP_GICD, V2 | V3, ARRAY(GICD_ISPENDR), RK_SPEND, F_BITS, 0, true },
    { SP_GICD, V2 | V3, ARRAY(GICD_ICPENDR), RK_CPEND, F_BITS, 0, true },
    { SP_GICD, V2 | V3, ARRAY(GICD_ISACTIVER), RK_SACTIVE, F_BITS, 0, true },
    { SP_GICD, V2 | V3, ARRAY(GICD_ICACTIVER), RK_CACTIVE, F_BITS, 0, true },
    { SP_GICD, V2 | V3, ARRAY(GICD_IPRIORITYR), RK_PRIO, F_BYTES, 0, true },
    { SP_GICD, V2, ARRAY(GICD_ITARGETSR), RK_TARGET, F_BYTES, 0, false },
    { SP_GICD, V3, ARRAY(GICD_ITARGETSR), RK_RAZWI, F_BYTES, 0, false }, /* ARE=1: routing is IROUTER */
    { SP_GICD, V2 | V3, ARRAY(GICD_ICFGR), RK_CFG, F_CFG, 0, true },
    { SP_GICD, V3, ARRAY(GICD_IGRPMODR), RK_RAZWI, F_NONE, 0, false },
    { SP_GICD, V2 | V3, ARRAY(GICD_NSACR), RK_RAZWI, F_NONE, 0, false },
    { SP_GICD, V2, ONE(GICD_SGIR), RK_SGIR, F_NONE, 0, false },
    { SP_GICD, V2, ARRAY(GICD_CPENDSGIR), RK_CPENDSGI, F_BYTES, 0, false },
    { SP_GICD, V2, ARRAY(GICD_SPENDSGIR), RK_SPENDSGI, F_BYTES, 0, false },
    { SP_GICD, V2, PIDR2(GICD_IDR), RK_PIDR2, F_NONE, 0, false },
    { SP_GICD, V3, ARRAY(GICD_IROUTER), RK_IROUTER, F_ROUTER, 32, false },
    { SP_GICD, V3, PIDR2(GICD_IDR_V3), RK_PIDR2, F_NONE, 0, false },
    /* redistributor RD_base (IHI0069H 12.11) */
    { SP_RD, V3, ONE(GICR_CTLR), RK_RD_CTLR, F_NONE, 0, false },
    { SP_RD, V3, ONE(GICR_IIDR), RK_RD_IIDR, F_NONE, 0, false },
    { SP_RD, V3, GICR_TYPER_OFFSET, GICR_TYPER_OFFSET + 1, RK_RD_TYPER, F_TYPER, 0, false },
    { SP_RD, V3, GICR_TYPER_OFFSET + 4, GICR_TYPER_OFFSET + 5, RK_RD_TYPER, F_TYPER, 0, false },
    { SP_RD, V3, ONE(GICR_WAKER), RK_RD_WAKER, F_NONE, 0, false },
    { SP_RD, V3, PIDR2(GICR_IDR), RK_PIDR2, F_NONE, 0, false },
    /* redistributor SGI_base (IHI0069H 12.10): the private interrupts of its vCPU */
    { SP_SGI, V3, ONE(GICR_IGROUPR0), RK_GROUP, F_NONE, 0, false },
    { SP_SGI, V3, ONE(GICR_ISENABLER0), RK_SENABLE, F_NONE, 0, false },
    { SP_SGI, V3, ONE(GICR_ICENABLER0), RK_CENABLE, F_NONE, 0, false },
    { SP_SGI, V3, ONE(GICR_ISPENDR0), RK_SPEND, F_NONE, 0, false },
    { SP_SGI, V3, ONE(GICR_ICPENDR0), RK_CPEND, F_NONE, 0, false },
    { SP_SGI, V3, ONE(GICR_ISACTIVER0), RK_SACTIVE, F_NONE, 0, false },
    { SP_SGI, V3, ONE(GICR_ICACTIVER0), RK_CACTIVE, F_NONE, 0, false },
    { SP_SGI, V3, ARRAY(GICR_IPRIORITYR), RK_PRIO, F_BYTES, 0, false },
    { SP_SGI, V3, ONE(GICR_ICFGR0), RK_CFG, F_NONE, 0, false },
    { SP_SGI, V3, ONE(GICR_ICFGR1), RK_CFG, F_NONE, 16, false },
    { SP_SGI, V3, ONE(GICR_IGRPMODR0), RK_RAZWI, F_NONE, 0, false },
    { SP_SGI, V3, ONE(GICR_NSACR), RK_RAZWI, F_NONE, 0, false },
};
#undef ONE
#undef ARRAY
#undef PIDR2

/* Decodes offset `off` of register space `sp` into r (owner already set): VGIC_E_OFFSET if no region has it. */
static int decode_region(const vgic_vm_t *vm, enum region_space sp, uint32_t off, struct reg *r)
{
    const unsigned ver = v3(vm) ? V3 : V2;
    for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++) {
        const struct region *g = &regions[i];
        if (g->space != sp || !(g->versions & ver) || off < g->off || off >= g->end) continue;
        const uint32_t rel = off - g->off;
        r->kind = g->kind;
        r->sub = 0;
        r->first = g->intid0;
        switch (g->first) {
        case F_NONE: break;
        case F_BITS: r->first += 32 * (rel / 4); break;
        case F_BYTES: r->first += rel; break;
        case F_CFG: r->first += rel * 4; break;
        case F_ROUTER:
            r->first += rel / 8;
            r->sub = rel % 8;
            break;
        case F_TYPER: r->sub = off - GICR_TYPER_OFFSET; break;
        }
        if (g->razwi_private_v3 && ver == V3 && r->first < 32) r->kind = RK_RAZWI;
        return VGIC_OK;
    }
    return VGIC_E_OFFSET;
}

static int decode_gicd(const vgic_vm_t *vm, uint32_t vcpu, uint32_t off, struct reg *r)
{
    r->owner = vcpu;
    return decode_region(vm, SP_GICD, off, r);
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
    return o < 0x10000 ? decode_region(vm, SP_RD, o, r) : decode_region(vm, SP_SGI, o - 0x10000, r);
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
    case RK_GROUP:
    case RK_SENABLE:
    case RK_CENABLE:
    case RK_SPEND:
    case RK_CPEND:
    case RK_SACTIVE:
    case RK_CACTIVE:
        first = r->first;
        count = 32;
        break;
    case RK_PRIO:
        first = r->first;
        count = size;
        break;
    case RK_CFG:
        first = r->first;
        count = 16;
        break;
    case RK_TARGET:
    case RK_IROUTER: return write ? vgic_all_vcpus(vm) : 0;
    case RK_SGIR: {
        if (!write) return 0;
        unsigned filt = (unsigned)(data >> 24) & 3;
        uint64_t list = (data >> 16) & 0xff;
        return (filt == 0   ? list
                : filt == 1 ? vgic_all_vcpus(vm) & ~(1ull << r->owner)
                : filt == 2 ? 1ull << r->owner
                            : 0) &
               vgic_all_vcpus(vm);
    }
    case RK_CPENDSGI:
    case RK_SPENDSGI:
        first = r->first;
        count = size;
        break;
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

/* The bitmap registers (IGROUPR, I[SC]ENABLER, I[SC]PENDR, I[SC]ACTIVER): one bit per INTID. */
static bool rk_bitmap(unsigned kind) { return kind >= RK_GROUP && kind <= RK_CACTIVE; }

static uint64_t bitmap_read(vgic_vm_t *vm, const struct reg *r)
{
    uint64_t v = 0;
    for (uint32_t k = 0; k < 32; k++) {
        const struct virq *q = vgic_irq_get(vm, r->owner, r->first + k);
        if (!q) continue;
        bool b;
        switch (r->kind) {
        case RK_GROUP: b = q->group; break;
        case RK_SENABLE:
        case RK_CENABLE: b = q->enabled; break;
        case RK_SPEND:
        case RK_CPEND: b = vgic_irq_pending(vm, q, r->first + k); break;
        default: b = q->act; break; /* B5: ISACTIVER/ICACTIVER read V.act only */
        }
        v |= (uint64_t)b << k;
    }
    return v;
}

static int bitmap_write(vgic_vm_t *vm, const struct mctx *m, const struct reg *r, uint64_t data)
{
    for (uint32_t k = 0; k < 32; k++) {
        uint32_t i = r->first + k;
        struct virq *q = vgic_irq_get(vm, r->owner, i);
        bool b = (data >> k) & 1;
        if (!q) continue;
        if (r->kind == RK_GROUP) {
            q->group = b;
            continue;
        }
        if (!b) continue;
        switch (r->kind) {
        case RK_SENABLE: TRY(w_senable(vm, m, q, i)); break;
        case RK_CENABLE:
            if (!is_v2_sgi(vm, i)) q->enabled = 0;
            break;
        case RK_SPEND: TRY(w_spend(vm, m, q, i)); break;
        case RK_CPEND: TRY(w_cpend(vm, m, q, i)); break;
        case RK_SACTIVE: TRY(w_active(vm, m, q, i, true)); break;
        default: TRY(w_active(vm, m, q, i, false)); break;
        }
    }
    return VGIC_OK;
}

static int reg_read(vgic_vm_t *vm, const struct reg *r, unsigned size, uint64_t *out)
{
    uint64_t v = 0;
    if (rk_bitmap(r->kind)) {
        *out = bitmap_read(vm, r);
        return VGIC_OK;
    }
    switch (r->kind) {
    case RK_CTLR: v = vm->ctlr | (v3(vm) ? 1u << 4 | 1u << 6 : 0); break; /* GICv3: ARE, DS RAO */
    case RK_TYPER: v = typer(vm); break;
    case RK_IIDR:
    case RK_RD_IIDR: v = 0x43b; break;
    case RK_PIDR2: v = v3(vm) ? 0x3b : 0x2b; break;
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
    case RK_CPENDSGI:
    case RK_SPENDSGI:
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
    if (rk_bitmap(r->kind)) return bitmap_write(vm, m, r, data);
    switch (r->kind) {
    case RK_CTLR: vm->ctlr = (uint32_t)data & 3; return VGIC_OK;
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
    case RK_CPENDSGI:
    case RK_SPENDSGI:
        for (unsigned k = 0; k < size; k++) {
            struct virq *q = &vm->vcpu[r->owner].priv[r->first + k];
            uint8_t bits = (uint8_t)((data >> (8 * k)) & vgic_all_vcpus(vm));
            if (r->kind == RK_SPENDSGI) q->sgi_src |= bits;
            else q->sgi_src &= (uint8_t)~bits;
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
