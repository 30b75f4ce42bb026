/* rulecheck.c: watches a GIC's trace and reports the observable violations of SEMANTICS A and B
 * (rules for hardware-mapped virtual interrupts). docs/rulecheck.md describes every check. */
#include "gicsim/rulecheck.h"

#include "gicsim/gic_regs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NLR 16u
#define NEVER GIC_CYCLE_NEVER
#define NWAIT 32u
#define NOVER 16u

static const char *const R_A2 = "SEMANTICS A2", *const R_A3 = "SEMANTICS A3", *const R_A5 = "SEMANTICS A5",
                         *const R_A6 = "SEMANTICS A6", *const R_B2 = "SEMANTICS B2", *const R_B6 = "SEMANTICS B6",
                         *const R_LPI = "IHI0069H 5.1.1";

/* System-register encodings the checker recognises (GIC_SYSREG_ENC). */
#define ENC_ICC_DIR ICC_DIR_EL1_ENC
#define ENC_ICC_CTLR ICC_CTLR_EL1_ENC
#define ENC_ICH_VMCR ICH_VMCR_EL2_ENC

/* Register accesses of one CPU, oldest first once copied out. */
struct snap {
    unsigned n;
    struct gic_trace_event ev[8];
};

/* One physical interrupt: an SGI/PPI of one CPU or an SPI. */
struct pst {
    uint8_t act, pend, line;
    uint8_t learned; /* named by a HW=1 list register at some point */
    uint8_t orphan;  /* active and no valid HW=1 LR names it */
    uint8_t orphan_reported;
    uint8_t blocked;         /* an assertion arrived during the orphan episode: bsnap holds it */
    uint16_t nlr;            /* valid HW=1 LRs naming it */
    uint16_t last_cpu;       /* CPU of the last acknowledge, LR, or deactivation of it */
    uint32_t last_vintid;    /* vINTID of the last HW=1 LR naming it */
    uint32_t hwdeact_vintid; /* vINTID of the last forwarded deactivation */
    gic_cycle_t orphan_since, orphan_check, blocked_cycle;
    unsigned orphan_cpu, blocked_cpu;
    struct snap osnap, bsnap;
};

/* One list register of one CPU. */
struct lrst {
    uint64_t val;    /* ICH_LR_EL2 format */
    uint64_t before; /* value before the current cycle's access (when stamp == that cycle) */
    gic_cycle_t stamp;
    uint8_t hi_armed, hi_reported; /* "hw-inactive": valid HW=1 LR while pINTID inactive */
    gic_cycle_t hi_deadline, hi_cycle;
    struct snap hisnap;
};

struct cpust {
    struct gic_trace_event *ring;
    unsigned head, count; /* ring: next slot, entries */
    uint8_t veoimode;     /* virtual EOImode as last written */
    struct lrst lr[NLR];
};

struct wait {       /* something that wants the access of the current cycle appended */
    struct snap *s; /* a snapshot, or */
    size_t vi;      /* a violation index (s == NULL) */
};

struct gic_rulecheck {
    enum gic_version version;
    unsigned ncpus, nspis, nintids, nlrs;
    struct gic_rulecheck_options opt;
    const vgic_vm_t *vm;
    uint16_t vcpu_pcpu[VGIC_MAX_VCPUS];
    void (*cb)(void *, const struct gic_violation *);
    void *cb_ctx;

    struct pst *p; /* ncpus * 32 private + nspis */
    struct cpust *cpu;
    gic_cycle_t now, next_deadline, last_access_cycle;
    bool seen_any;

    struct wait wait[NWAIT];
    unsigned nwait;
    gic_cycle_t wait_cycle;

    struct gic_violation *kept; /* GIC_RULECHECK_KEEP, allocated at the first violation */
    bool kept_failed;
    struct gic_violation over[NOVER]; /* violations beyond the kept ones, not yet delivered */
    size_t total, delivered;
};

/* ---------------------------------------------------------------- helpers */

/* The trace gives list registers in the ICH_LR<n>_EL2 layout on both versions (gic.h, GIC_TR_LR). */
static unsigned lr_state(uint64_t v) { return (unsigned)GIC_FIELD_GET(ICH_LR_EL2_STATE, v); }
static bool lr_hw(uint64_t v) { return GIC_FIELD_GET(ICH_LR_EL2_HW, v); }
static uint32_t lr_pintid(uint64_t v) { return (uint32_t)GIC_FIELD_GET(ICH_LR_EL2_PINTID, v); }
static bool lr_eoi(uint64_t v) { return !lr_hw(v) && GIC_FIELD_GET(ICH_LR_EL2_EOI, v); }
static uint32_t lr_vintid(uint64_t v) { return (uint32_t)v; }
/* GICv2 SGIs carry their source CPU in the LR: vINTID and CPUID together identify the entry. The GICv2
 * CPUID sits at the bottom of the physical-ID field (GICH_LR CPUID within PhysicalID). */
static uint32_t lr_cpuid(const gic_rulecheck_t *rc, uint64_t v)
{
    const uint32_t cpuid_mask = (uint32_t)(GICH_LR_CPUID_MASK >> GICH_LR_PHYSICALID_SHIFT);
    return rc->version == GIC_V2 && !lr_hw(v) && lr_vintid(v) < 16 ? lr_pintid(v) & cpuid_mask : 0;
}

static long pkey(const gic_rulecheck_t *rc, unsigned cpu, uint32_t intid)
{
    if (intid >= rc->nintids || intid >= 1020) return -1;
    if (intid < 32) return cpu < rc->ncpus ? (long)(cpu * 32 + intid) : -1;
    return (long)(rc->ncpus * 32 + (intid - 32));
}
static unsigned key_cpu(const gic_rulecheck_t *rc, long k)
{
    return (unsigned)k < rc->ncpus * 32 ? (unsigned)k / 32 : 0;
}
static uint32_t key_intid(const gic_rulecheck_t *rc, long k)
{
    return (unsigned)k < rc->ncpus * 32 ? (uint32_t)k % 32 : (uint32_t)((unsigned)k - rc->ncpus * 32 + 32);
}
static size_t nkeys(const gic_rulecheck_t *rc) { return (size_t)rc->ncpus * 32 + rc->nspis; }

static void note_deadline(gic_rulecheck_t *rc, gic_cycle_t d)
{
    if (d < rc->next_deadline) rc->next_deadline = d;
}

/* The last accesses of a CPU, oldest first. */
static void take_snap(const gic_rulecheck_t *rc, unsigned cpu, struct snap *s)
{
    s->n = 0;
    if (cpu >= rc->ncpus) return;
    const struct cpust *c = &rc->cpu[cpu];
    unsigned n = c->count < 8 ? c->count : 8, h = rc->opt.history;
    for (unsigned i = 0; i < n; i++) s->ev[i] = c->ring[(c->head + h - n + i) % h];
    s->n = n;
}

static void append_ev(struct gic_trace_event *arr, unsigned *n, unsigned cap, const struct gic_trace_event *ev)
{
    if (cap == 0) return;
    if (*n >= cap) {
        memmove(arr, arr + 1, (cap - 1) * sizeof *arr);
        *n = cap - 1;
    }
    arr[(*n)++] = *ev;
}

static void add_wait(gic_rulecheck_t *rc, struct snap *s, size_t vi)
{
    if (rc->nwait && rc->wait_cycle != rc->now) rc->nwait = 0;
    if (rc->nwait >= NWAIT) return;
    rc->wait_cycle = rc->now;
    rc->wait[rc->nwait].s = s;
    rc->wait[rc->nwait].vi = vi;
    rc->nwait++;
}
/* A snapshot taken before this cycle's access was traced gets that access appended. */
static void snap_now(gic_rulecheck_t *rc, unsigned cpu, struct snap *s)
{
    take_snap(rc, cpu, s);
    if (rc->last_access_cycle != rc->now) add_wait(rc, s, 0);
}

static struct gic_violation *vslot(gic_rulecheck_t *rc, size_t i)
{
    if (i < GIC_RULECHECK_KEEP) return rc->kept ? &rc->kept[i] : NULL;
    return &rc->over[(i - GIC_RULECHECK_KEEP) % NOVER];
}

static bool waiting_violations(const gic_rulecheck_t *rc)
{
    for (unsigned i = 0; i < rc->nwait; i++)
        if (!rc->wait[i].s) return true;
    return false;
}

static void deliver(gic_rulecheck_t *rc)
{
    while (rc->delivered < rc->total) {
        struct gic_violation *v = vslot(rc, rc->delivered);
        rc->delivered++;
        if (v && rc->cb) rc->cb(rc->cb_ctx, v);
    }
}

/* The access of cycle wait_cycle arrived, or that cycle is over. */
static void resolve_waits(gic_rulecheck_t *rc, const struct gic_trace_event *acc)
{
    for (unsigned i = 0; acc && i < rc->nwait; i++) {
        struct wait *w = &rc->wait[i];
        if (w->s) {
            append_ev(w->s->ev, &w->s->n, 8, acc);
        } else {
            struct gic_violation *v = w->vi < rc->total ? vslot(rc, w->vi) : NULL;
            if (v) append_ev(v->recent, &v->n_recent, rc->opt.recent, acc);
        }
    }
    rc->nwait = 0;
    deliver(rc);
}

/* Record a violation. With s, the accesses come from that snapshot (a deferred report); without,
 * from the CPU's history now, plus this cycle's access if it has not been traced yet. */
static struct gic_violation *raise_v(gic_rulecheck_t *rc, gic_cycle_t cycle, unsigned cpu, const char *rule,
                                     uint32_t intid, uint32_t vintid, const struct snap *s, const char *fmt, ...)
{
    if (rc->total >= GIC_RULECHECK_KEEP && rc->total - rc->delivered >= NOVER) deliver(rc);
    if (rc->total < GIC_RULECHECK_KEEP && !rc->kept && !rc->kept_failed) {
        rc->kept = calloc(GIC_RULECHECK_KEEP, sizeof *rc->kept);
        rc->kept_failed = rc->kept == NULL;
    }
    size_t idx = rc->total++;
    struct gic_violation *v = vslot(rc, idx);
    if (!v) { /* could not allocate: counted, not kept */
        if (!waiting_violations(rc)) deliver(rc);
        return NULL;
    }
    memset(v, 0, sizeof *v);
    v->cycle = cycle;
    v->cpu = cpu;
    v->rule = rule;
    v->intid = intid;
    v->vintid = vintid;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->msg, sizeof v->msg, fmt, ap);
    va_end(ap);
    struct snap tmp;
    if (!s) {
        take_snap(rc, cpu, &tmp);
        s = &tmp;
    }
    unsigned n = s->n < rc->opt.recent ? s->n : rc->opt.recent;
    for (unsigned i = 0; i < n; i++) v->recent[i] = s->ev[s->n - n + i];
    v->n_recent = n;
    if (s == &tmp && cycle == rc->now && rc->last_access_cycle != rc->now && rc->seen_any) {
        add_wait(rc, NULL, idx);
        return v;
    }
    if (!waiting_violations(rc)) deliver(rc);
    return v;
}

/* ---------------------------------------------------------------- virtual state (vgic) */

static int vcpu_of(const gic_rulecheck_t *rc, unsigned pcpu)
{
    if (!rc->vm) return -1;
    const struct vgic_config *vc = vgic_get_config(rc->vm);
    if (!vc) return -1;
    for (unsigned v = 0; v < vc->num_vcpus && v < VGIC_MAX_VCPUS; v++)
        if (rc->vcpu_pcpu[v] == pcpu) return (int)v;
    return -1;
}

/* The vINTID the attached VM maps to physical key k (its state in *info). */
static bool vmap_lookup(const gic_rulecheck_t *rc, long k, uint32_t *vintid, struct vgic_irq_info *info)
{
    if (!rc->vm) return false;
    const struct vgic_config *vc = vgic_get_config(rc->vm);
    if (!vc) return false;
    uint32_t p = key_intid(rc, k);
    if (p >= 32) {
        for (uint32_t v = 32; v < 32 + vc->num_spis; v++)
            if (vgic_get_irq(rc->vm, 0, v, info) == VGIC_OK && info->hw && info->pintid == p) {
                *vintid = v;
                return true;
            }
        return false;
    }
    unsigned pc = key_cpu(rc, k);
    for (unsigned vc_i = 0; vc_i < vc->num_vcpus && vc_i < VGIC_MAX_VCPUS; vc_i++) {
        if (rc->vcpu_pcpu[vc_i] != pc) continue;
        for (uint32_t v = 16; v < 32; v++)
            if (vgic_get_irq(rc->vm, vc_i, v, info) == VGIC_OK && info->hw && info->pintid == p) {
                *vintid = v;
                return true;
            }
    }
    return false;
}

static bool vinfo_for_lr(const gic_rulecheck_t *rc, unsigned cpu, uint32_t vintid, struct vgic_irq_info *info)
{
    int v = vcpu_of(rc, cpu);
    return v >= 0 && vgic_get_irq(rc->vm, (uint32_t)v, vintid, info) == VGIC_OK;
}

/* ---------------------------------------------------------------- physical state */

static void orphan_update(gic_rulecheck_t *rc, long k, unsigned cpu)
{
    struct pst *s = &rc->p[k];
    bool o = s->act && s->nlr == 0;
    if (o == (bool)s->orphan) return;
    s->orphan = o;
    if (!o) return;
    s->orphan_since = rc->now;
    s->orphan_reported = 0;
    s->blocked = 0;
    s->orphan_cpu = key_intid(rc, k) < 32 ? key_cpu(rc, k) : cpu;
    s->orphan_check = rc->opt.orphan_cycles ? rc->now + rc->opt.orphan_cycles : NEVER;
    note_deadline(rc, s->orphan_check);
    snap_now(rc, s->orphan_cpu, &s->osnap);
}

/* hw-inactive: arm LR i of cpu when it is a valid HW=1 LR whose pINTID is inactive. */
static void hi_arm(gic_rulecheck_t *rc, unsigned cpu, unsigned i)
{
    struct lrst *l = &rc->cpu[cpu].lr[i];
    if (l->hi_armed) return;
    l->hi_armed = 1;
    l->hi_reported = 0;
    l->hi_cycle = rc->now;
    l->hi_deadline = rc->opt.grace_cycles ? rc->now + rc->opt.grace_cycles : NEVER;
    note_deadline(rc, l->hi_deadline);
    snap_now(rc, cpu, &l->hisnap);
}

static void hi_report(gic_rulecheck_t *rc, unsigned cpu, unsigned i, const char *why)
{
    struct lrst *l = &rc->cpu[cpu].lr[i];
    if (l->hi_reported) return;
    l->hi_reported = 1;
    raise_v(rc, l->hi_cycle, cpu, R_A6, lr_pintid(l->val), lr_vintid(l->val), &l->hisnap,
            "hw-inactive: LR%u holds HW vINTID %u %s while pINTID %u is not active in the physical GIC%s", i,
            lr_vintid(l->val), (lr_state(l->val) & 2) ? "active" : "pending", lr_pintid(l->val), why);
}

/* Arm or disarm the HW LRs naming physical key k after its active state changed. */
static void hi_physical_changed(gic_rulecheck_t *rc, long k)
{
    uint32_t p = key_intid(rc, k);
    bool act = rc->p[k].act;
    unsigned c0 = p < 32 ? key_cpu(rc, k) : 0, c1 = p < 32 ? c0 + 1 : rc->ncpus;
    for (unsigned c = c0; c < c1; c++)
        for (unsigned i = 0; i < rc->nlrs; i++) {
            struct lrst *l = &rc->cpu[c].lr[i];
            if (!lr_state(l->val) || !lr_hw(l->val) || lr_pintid(l->val) != p) continue;
            if (act) l->hi_armed = 0;
            else hi_arm(rc, c, i);
        }
}

static void blocked_check(gic_rulecheck_t *rc, long k)
{
    struct pst *s = &rc->p[k];
    if (!s->orphan || s->blocked || s->orphan_reported) return;
    if (rc->vm) {
        uint32_t vi;
        struct vgic_irq_info info;
        if (!vmap_lookup(rc, k, &vi, &info) || info.active || info.pending) return;
    } else if (!s->learned) {
        return;
    }
    s->blocked = 1;
    s->blocked_cycle = rc->now;
    s->blocked_cpu = s->orphan_cpu;
    snap_now(rc, s->blocked_cpu, &s->bsnap);
}

/* ---------------------------------------------------------------- deferred checks */

static void check_orphan(gic_rulecheck_t *rc, long k, bool final)
{
    struct pst *s = &rc->p[k];
    uint32_t p = key_intid(rc, k), vi = s->learned ? s->last_vintid : GIC_RULECHECK_NONE;
    const char *how = "no list register holds it";
    if (rc->vm) {
        struct vgic_irq_info info;
        if (!vmap_lookup(rc, k, &vi, &info)) { /* not mapped (now): look again later */
            s->orphan_check = final || !rc->opt.orphan_cycles ? NEVER : rc->now + rc->opt.orphan_cycles;
            return;
        }
        if (info.active || info.pending) {
            s->orphan_check = final || !rc->opt.orphan_cycles ? NEVER : rc->now + rc->opt.orphan_cycles;
            return;
        }
        how = "no list register holds it and the virtual interrupt is neither active nor pending";
    } else if (!s->learned) {
        s->orphan_check = NEVER;
        return;
    }
    s->orphan_reported = 1;
    s->orphan_check = NEVER;
    raise_v(rc, s->orphan_since, s->orphan_cpu, R_B2, p, vi, &s->osnap,
            "orphan: physical INTID %u active with no virtual owner from cycle %llu to %llu%s (%s)", p,
            (unsigned long long)s->orphan_since, (unsigned long long)rc->now, final ? " (end of run)" : "", how);
    if (s->blocked)
        raise_v(rc, s->blocked_cycle, s->blocked_cpu, R_B2, p, vi, &s->bsnap,
                "blocked: physical INTID %u asserted while left active with no virtual owner (since cycle %llu): "
                "the assertion cannot reach the host",
                p, (unsigned long long)s->orphan_since);
}

static void run_deadlines(gic_rulecheck_t *rc, bool final)
{
    gic_cycle_t next = NEVER;
    for (size_t k = 0; k < nkeys(rc); k++) {
        struct pst *s = &rc->p[k];
        if (!s->orphan || s->orphan_reported) continue;
        if (final || s->orphan_check <= rc->now) check_orphan(rc, (long)k, final);
        if (s->orphan && !s->orphan_reported && s->orphan_check < next) next = s->orphan_check;
    }
    for (unsigned c = 0; c < rc->ncpus; c++)
        for (unsigned i = 0; i < rc->nlrs; i++) {
            struct lrst *l = &rc->cpu[c].lr[i];
            if (!l->hi_armed || l->hi_reported) continue;
            if (final || l->hi_deadline <= rc->now)
                hi_report(rc, c, i, final ? " (end of run)" : ": the guest may deactivate it (rule A6)");
            else if (l->hi_deadline < next) next = l->hi_deadline;
        }
    rc->next_deadline = next;
}

/* At the end: a mapped virtual interrupt active or pending outside the LRs whose physical
 * interrupt is not active (the next entry would let the guest deactivate an inactive one). */
static void check_virtual_owners(gic_rulecheck_t *rc)
{
    if (!rc->vm) return;
    const struct vgic_config *vc = vgic_get_config(rc->vm);
    if (!vc) return;
    for (uint32_t v = 0; v < vc->num_vcpus && v < VGIC_MAX_VCPUS; v++) {
        for (uint32_t vi = 16; vi < 32 + vc->num_spis; vi++) {
            if (vi >= 32 && v > 0) break;
            struct vgic_irq_info info;
            if (vgic_get_irq(rc->vm, v, vi, &info) != VGIC_OK || !info.hw) continue;
            if (!(info.active || info.pending) || info.lr >= 0) continue;
            unsigned pc = rc->vcpu_pcpu[v];
            long k = pkey(rc, pc, info.pintid);
            if (k < 0 || rc->p[k].act || rc->p[k].nlr) continue;
            struct snap s;
            take_snap(rc, pc, &s);
            raise_v(rc, rc->now, pc, R_A6, info.pintid, vi, &s,
                    "virt-without-phys: mapped vINTID %u is %s in the VM but pINTID %u is not active (end of run): "
                    "the guest could deactivate it",
                    vi, info.active ? "active" : "pending", info.pintid);
        }
    }
}

/* ---------------------------------------------------------------- event handlers */

static void on_access(gic_rulecheck_t *rc, const struct gic_trace_event *ev)
{
    unsigned frame = ev->aux & 0xff, write = (ev->aux >> 8) & 1;
    int status = (int8_t)((ev->aux >> 24) & 0xff);
    unsigned cpu = ev->cpu;
    rc->last_access_cycle = ev->cycle;
    if (cpu < rc->ncpus) {
        struct cpust *c = &rc->cpu[cpu];
        c->ring[c->head] = *ev;
        c->head = (c->head + 1) % rc->opt.history;
        if (c->count < rc->opt.history) c->count++;
    }
    if (rc->nwait && rc->wait_cycle == ev->cycle) resolve_waits(rc, ev);
    if (!write || status != 0 || cpu >= rc->ncpus) return;
    struct cpust *c = &rc->cpu[cpu];
    /* The virtual EOImode, as the hypervisor restores it or the guest writes it. */
    if (frame == GIC_FRAME_GICH && ev->intid == 0x008) c->veoimode = (ev->value >> 9) & 1;
    if (frame == GIC_FRAME_SYSREG && ev->intid == ENC_ICH_VMCR) c->veoimode = (ev->value >> 9) & 1;
    if (frame == GIC_FRAME_GICV && ev->intid == 0x000) c->veoimode = (ev->value >> 9) & 1;
    if (frame == GIC_FRAME_VSYSREG && ev->intid == ENC_ICC_CTLR) c->veoimode = (ev->value >> 1) & 1;
    /* A5: a virtual DIR for a vINTID held in an LR only as pending is UNPREDICTABLE. */
    bool vdir =
        (frame == GIC_FRAME_GICV && ev->intid == 0x1000) || (frame == GIC_FRAME_VSYSREG && ev->intid == ENC_ICC_DIR);
    if (vdir && c->veoimode) {
        uint32_t vi = rc->version == GIC_V3 ? (uint32_t)(ev->value & 0xffffff) : (uint32_t)(ev->value & 0x3ff);
        uint32_t cpuid = rc->version == GIC_V2 && vi < 16 ? (uint32_t)((ev->value >> 10) & 7) : 0;
        if (vi >= 1020 && vi < 1024) return;
        bool pend_only = false, act = false;
        for (unsigned i = 0; i < rc->nlrs; i++) {
            const struct lrst *l = &c->lr[i];
            uint64_t pre = l->stamp == ev->cycle ? l->before : l->val;
            if (!lr_state(pre) || lr_vintid(pre) != vi || lr_cpuid(rc, pre) != cpuid) continue;
            if (lr_state(pre) & 2) act = true;
            else pend_only = true;
        }
        if (pend_only && !act)
            raise_v(rc, ev->cycle, cpu, R_A5, GIC_RULECHECK_NONE, vi, NULL,
                    "dir-pending: virtual DIR for vINTID %u, held in a list register only as pending (UNPREDICTABLE)",
                    vi);
    }
}

static void lr_count(gic_rulecheck_t *rc, unsigned cpu, uint64_t v, int delta, uint32_t *vintid_out)
{
    if (!lr_state(v) || !lr_hw(v)) return;
    long k = pkey(rc, cpu, lr_pintid(v));
    if (k < 0) return;
    struct pst *s = &rc->p[k];
    if (delta > 0) {
        s->nlr++;
        s->learned = 1;
        s->last_vintid = lr_vintid(v);
        s->last_cpu = (uint16_t)cpu;
    } else if (s->nlr) {
        s->nlr--;
    }
    if (vintid_out) *vintid_out = lr_vintid(v);
    orphan_update(rc, k, cpu);
}

/* The HW=1 pINTID field check (B6): an SGI, a special INTID or one the GIC does not implement. */
static void check_pintid(gic_rulecheck_t *rc, unsigned cpu, unsigned i, uint64_t v)
{
    uint32_t p = lr_pintid(v), vi = lr_vintid(v);
    bool bad = p < 16 || p >= 1020 || p >= rc->nintids;
    uint32_t want = GIC_RULECHECK_NONE;
    struct vgic_irq_info info;
    if (rc->vm && vinfo_for_lr(rc, cpu, vi, &info)) {
        if (!info.hw) {
            raise_v(rc, rc->now, cpu, R_B6, p, vi, NULL,
                    "hw-unmapped: LR%u is HW=1 (pINTID %u) but the VM does not map vINTID %u", i, p, vi);
            return;
        }
        want = info.pintid;
        if (p != want) bad = true;
    }
    if (!bad) return;
    uint32_t low = p & ~0x200u;
    bool eoi_bit = (p & 0x200u) && (want != GIC_RULECHECK_NONE ? low == want : (low >= 16 && low < rc->nintids));
    if (eoi_bit)
        raise_v(rc, rc->now, cpu, R_B6, p, vi, NULL,
                "hw-eoi-bit: LR%u is HW=1 with the EOI bit set: with HW=1 that bit is pINTID[9], so vINTID %u "
                "names pINTID %u instead of %u",
                i, vi, p, low);
    else if (want != GIC_RULECHECK_NONE)
        raise_v(rc, rc->now, cpu, R_B6, p, vi, NULL,
                "hw-pintid: LR%u names pINTID %u for vINTID %u, which the VM maps to pINTID %u", i, p, vi, want);
    else
        raise_v(rc, rc->now, cpu, R_B6, p, vi, NULL,
                "hw-pintid: LR%u is HW=1 with pINTID %u, not a PPI or SPI of this GIC", i, p);
}

static void on_lr(gic_rulecheck_t *rc, const struct gic_trace_event *ev)
{
    unsigned cpu = ev->cpu, i = ev->intid;
    if (cpu >= rc->ncpus || i >= NLR) return;
    struct cpust *c = &rc->cpu[cpu];
    struct lrst *l = &c->lr[i];
    uint64_t old = ev->aux, v = ev->value;
    if (l->stamp != ev->cycle) {
        l->stamp = ev->cycle;
        l->before = old;
    }
    l->val = v;
    lr_count(rc, cpu, old, -1, NULL);
    lr_count(rc, cpu, v, +1, NULL);

    unsigned st = lr_state(v);
    bool valid = st != 0, hw = lr_hw(v);
    uint32_t vi = lr_vintid(v), p = hw ? lr_pintid(v) : GIC_RULECHECK_NONE;
    bool same_entry = lr_state(old) && lr_vintid(old) == vi && lr_cpuid(rc, old) == lr_cpuid(rc, v) &&
                      lr_hw(old) == hw && (!hw || lr_pintid(old) == lr_pintid(v));

    /* hw-inactive: (dis)arm. */
    if (!valid || !hw || !same_entry) l->hi_armed = 0;
    if (valid && hw) {
        long k = pkey(rc, cpu, p);
        if (k >= 0 && !rc->p[k].act) hi_arm(rc, cpu, i);
    }
    if (!valid) return;

    /* A2: HW=1 and pending+active. */
    if (hw && st == 3 && !(same_entry && lr_state(old) == 3))
        raise_v(rc, ev->cycle, cpu, R_A2, p, vi, NULL,
                "hw-pend-act: LR%u holds HW vINTID %u (pINTID %u) pending+active; with HW=1 the hypervisor must not", i,
                vi, p);
    if (same_entry) return;

    /* A5: special vINTIDs and duplicates. */
    if (vi >= 1020 && vi <= 1023)
        raise_v(rc, ev->cycle, cpu, R_A5, p, vi, NULL,
                "special-vintid: LR%u is valid with vINTID %u (1020-1023, UNPREDICTABLE)", i, vi);
    for (unsigned j = 0; j < rc->nlrs; j++) {
        if (j == i) continue;
        uint64_t o = c->lr[j].val;
        if (lr_state(o) && lr_vintid(o) == vi && lr_cpuid(rc, o) == lr_cpuid(rc, v)) {
            raise_v(rc, ev->cycle, cpu, R_A5, p, vi, NULL,
                    "dup-vintid: LR%u and LR%u are both valid with vINTID %u (UNPREDICTABLE)", j, i, vi);
            break;
        }
    }

    /* B6: a HW interrupt's LR. */
    if (hw) {
        check_pintid(rc, cpu, i, v);
        struct vgic_irq_info info;
        if ((st & 1) && rc->vm && vinfo_for_lr(rc, cpu, vi, &info) && info.hw && !info.edge && info.line)
            raise_v(rc, ev->cycle, cpu, R_B6, p, vi, NULL,
                    "hw-level-line: LR%u written pending for mapped level vINTID %u but V.line was not cleared", i, vi);
    } else if (rc->vm) {
        struct vgic_irq_info info;
        if (vinfo_for_lr(rc, cpu, vi, &info) && info.hw)
            raise_v(rc, ev->cycle, cpu, R_B6, info.pintid, vi, NULL,
                    "hw-bit-missing: LR%u holds mapped vINTID %u (pINTID %u) with HW=0: its deactivation will not "
                    "reach the physical interrupt",
                    i, vi, info.pintid);
    }
}

static void on_misr(gic_rulecheck_t *rc, const struct gic_trace_event *ev)
{
    unsigned cpu = ev->cpu;
    if (cpu >= rc->ncpus) return;
    bool want = false;
    for (unsigned i = 0; i < rc->nlrs; i++) {
        uint64_t v = rc->cpu[cpu].lr[i].val;
        want |= lr_state(v) == 0 && lr_eoi(v);
    }
    bool got = ev->value & 1;
    if (got != want)
        raise_v(rc, ev->cycle, cpu, R_A3, GIC_RULECHECK_NONE, GIC_RULECHECK_NONE, NULL,
                "misr-eoi: MISR.EOI is %d but %s list register is invalid with HW=0 and EOI=1", got, want ? "a" : "no");
}

static void on_phys_bit(gic_rulecheck_t *rc, const struct gic_trace_event *ev)
{
    long k = pkey(rc, ev->cpu, ev->intid);
    if (k < 0) return;
    struct pst *s = &rc->p[k];
    bool val = ev->value & 1;
    switch (ev->kind) {
    case GIC_TR_ACTIVE:
        if (val == (bool)s->act) return;
        s->act = val;
        orphan_update(rc, k, s->last_cpu);
        hi_physical_changed(rc, k);
        break;
    case GIC_TR_PENDING:
        if (val && !s->pend) blocked_check(rc, k);
        s->pend = val;
        break;
    case GIC_TR_LINE:
        if (val && !s->line) blocked_check(rc, k);
        s->line = val;
        break;
    default: break;
    }
}

static void on_deact(gic_rulecheck_t *rc, const struct gic_trace_event *ev)
{
    long k = pkey(rc, ev->cpu, ev->intid);
    if (k >= 0 && ev->cpu < rc->ncpus) rc->p[k].last_cpu = ev->cpu;
    if (ev->value) return;
    if (ev->aux) {
        uint32_t vi = k >= 0 ? rc->p[k].hwdeact_vintid : GIC_RULECHECK_NONE;
        raise_v(rc, ev->cycle, ev->cpu, R_A6, ev->intid, vi, NULL,
                "hw-deact-inactive: the guest's deactivation of HW vINTID %d was forwarded to pINTID %u, which is "
                "not active (ignored)",
                vi == GIC_RULECHECK_NONE ? -1 : (int)vi, ev->intid);
    } else {
        raise_v(rc, ev->cycle, ev->cpu, R_A6, ev->intid, GIC_RULECHECK_NONE, NULL,
                "deact-inactive: EOI/DIR deactivated INTID %u, which is not active (ignored)", ev->intid);
    }
}

void gic_rulecheck_trace(void *ctx, const struct gic_trace_event *ev)
{
    gic_rulecheck_t *rc = ctx;
    if (!rc || !ev) return;
    if (rc->seen_any && ev->cycle != rc->now && rc->nwait) resolve_waits(rc, NULL);
    rc->now = ev->cycle;
    rc->seen_any = true;
    if (rc->now >= rc->next_deadline) run_deadlines(rc, false);
    switch (ev->kind) {
    case GIC_TR_ACCESS: on_access(rc, ev); break;
    case GIC_TR_LR: on_lr(rc, ev); break;
    case GIC_TR_ACTIVE:
    case GIC_TR_PENDING:
    case GIC_TR_LINE: on_phys_bit(rc, ev); break;
    case GIC_TR_DEACT: on_deact(rc, ev); break;
    case GIC_TR_LPI_STALE:
        /* The GIC used a cached LPI configuration that memory no longer holds: software changed it without INV or
         * INVALL (docs/lpi.md). */
        raise_v(rc, ev->cycle, ev->cpu, R_LPI, ev->intid, GIC_RULECHECK_NONE, NULL,
                "lpi-stale: LPI %u used with the cached configuration 0x%02x while memory holds 0x%02x: the change "
                "was not followed by INV or INVALL",
                ev->intid, (unsigned)ev->aux, (unsigned)ev->value);
        break;
    case GIC_TR_MISR: on_misr(rc, ev); break;
    case GIC_TR_ACK: {
        long k = pkey(rc, ev->cpu, ev->intid);
        if (k >= 0 && !ev->aux && ev->cpu < rc->ncpus) rc->p[k].last_cpu = ev->cpu;
        break;
    }
    case GIC_TR_HWDEACT: {
        long k = pkey(rc, ev->cpu, ev->intid);
        if (k >= 0) {
            rc->p[k].hwdeact_vintid = (uint32_t)ev->value;
            rc->p[k].last_cpu = ev->cpu;
        }
        /* The guest deactivated an LR armed as hw-inactive: the rule of the KVM change is broken now. */
        unsigned i = (unsigned)ev->aux;
        if (ev->cpu < rc->ncpus && i < NLR) {
            struct lrst *l = &rc->cpu[ev->cpu].lr[i];
            if (l->hi_armed && !l->hi_reported) hi_report(rc, ev->cpu, i, ": the guest deactivated it");
        }
        break;
    }
    case GIC_TR_VACK: {
        unsigned i = (unsigned)ev->aux;
        if (ev->cpu < rc->ncpus && i < NLR) {
            struct lrst *l = &rc->cpu[ev->cpu].lr[i];
            if (l->hi_armed && !l->hi_reported)
                hi_report(rc, ev->cpu, i, ": the guest acknowledged it and may deactivate it");
        }
        break;
    }
    default: break;
    }
}

/* ---------------------------------------------------------------- lifecycle and queries */

void gic_rulecheck_options_default(struct gic_rulecheck_options *o)
{
    if (!o) return;
    o->orphan_cycles = 10000;
    o->grace_cycles = 1000;
    o->history = 32;
    o->recent = 8;
}

static void clear_state(gic_rulecheck_t *rc)
{
    memset(rc->p, 0, nkeys(rc) * sizeof *rc->p);
    for (size_t k = 0; k < nkeys(rc); k++) {
        rc->p[k].hwdeact_vintid = GIC_RULECHECK_NONE;
        rc->p[k].orphan_check = NEVER;
    }
    for (unsigned c = 0; c < rc->ncpus; c++) {
        struct cpust *cs = &rc->cpu[c];
        cs->head = cs->count = 0;
        cs->veoimode = 0;
        memset(cs->lr, 0, sizeof cs->lr);
        for (unsigned i = 0; i < NLR; i++) cs->lr[i].stamp = NEVER;
    }
    rc->next_deadline = NEVER;
    rc->last_access_cycle = NEVER;
    rc->nwait = 0;
}

int gic_rulecheck_create(const struct gic_config *cfg, gic_rulecheck_t **out)
{
    if (!cfg || !out) return GIC_E_INVAL;
    *out = NULL;
    if (cfg->version != GIC_V2 && cfg->version != GIC_V3) return GIC_E_INVAL;
    unsigned maxcpu = cfg->version == GIC_V2 ? 8 : 64;
    if (cfg->num_cpus < 1 || cfg->num_cpus > maxcpu || cfg->num_spis > 988 || cfg->num_lrs > NLR) return GIC_E_INVAL;
    gic_rulecheck_t *rc = calloc(1, sizeof *rc);
    if (!rc) return GIC_E_NOMEM;
    rc->version = cfg->version;
    rc->ncpus = cfg->num_cpus;
    rc->nspis = cfg->num_spis;
    rc->nintids = 32 + cfg->num_spis;
    rc->nlrs = cfg->num_lrs;
    gic_rulecheck_options_default(&rc->opt);
    for (unsigned v = 0; v < VGIC_MAX_VCPUS; v++) rc->vcpu_pcpu[v] = (uint16_t)v;
    rc->p = calloc(nkeys(rc), sizeof *rc->p);
    rc->cpu = calloc(rc->ncpus, sizeof *rc->cpu);
    bool ok = rc->p && rc->cpu;
    for (unsigned c = 0; ok && c < rc->ncpus; c++) {
        rc->cpu[c].ring = calloc(rc->opt.history, sizeof *rc->cpu[c].ring);
        ok = rc->cpu[c].ring != NULL;
    }
    if (!ok) {
        gic_rulecheck_destroy(rc);
        return GIC_E_NOMEM;
    }
    clear_state(rc);
    *out = rc;
    return GIC_OK;
}

void gic_rulecheck_destroy(gic_rulecheck_t *rc)
{
    if (!rc) return;
    if (rc->cpu)
        for (unsigned c = 0; c < rc->ncpus; c++) free(rc->cpu[c].ring);
    free(rc->cpu);
    free(rc->p);
    free(rc->kept);
    free(rc);
}

int gic_rulecheck_set_options(gic_rulecheck_t *rc, const struct gic_rulecheck_options *o)
{
    if (!rc || !o || o->history < 8 || o->history > 1024 || o->recent > 8) return GIC_E_INVAL;
    if (o->history != rc->opt.history) {
        struct gic_trace_event **rings = calloc(rc->ncpus, sizeof *rings);
        bool ok = rings != NULL;
        for (unsigned c = 0; ok && c < rc->ncpus; c++) {
            rings[c] = calloc(o->history, sizeof **rings);
            ok = rings[c] != NULL;
        }
        if (!ok) {
            if (rings)
                for (unsigned c = 0; c < rc->ncpus; c++) free(rings[c]);
            free(rings);
            return GIC_E_NOMEM;
        }
        for (unsigned c = 0; c < rc->ncpus; c++) {
            struct cpust *cs = &rc->cpu[c];
            /* Keep the newest accesses, oldest first in the new ring. */
            unsigned n = cs->count < o->history ? cs->count : o->history;
            for (unsigned i = 0; i < n; i++)
                rings[c][i] = cs->ring[(cs->head + rc->opt.history - n + i) % rc->opt.history];
            free(cs->ring);
            cs->ring = rings[c];
            cs->count = n;
            cs->head = n % o->history;
        }
        free(rings);
    }
    gic_cycle_t old_orphan = rc->opt.orphan_cycles, old_grace = rc->opt.grace_cycles;
    rc->opt = *o;
    if (old_orphan != o->orphan_cycles || old_grace != o->grace_cycles) {
        /* Re-derive the pending deadlines from the new limits. */
        for (size_t k = 0; k < nkeys(rc); k++) {
            struct pst *s = &rc->p[k];
            if (s->orphan && !s->orphan_reported)
                s->orphan_check = o->orphan_cycles ? s->orphan_since + o->orphan_cycles : NEVER;
        }
        for (unsigned c = 0; c < rc->ncpus; c++)
            for (unsigned i = 0; i < NLR; i++) {
                struct lrst *l = &rc->cpu[c].lr[i];
                if (l->hi_armed) l->hi_deadline = o->grace_cycles ? l->hi_cycle + o->grace_cycles : NEVER;
            }
        rc->next_deadline = 0; /* recomputed at the next event */
    }
    return GIC_OK;
}

void gic_rulecheck_set_vgic(gic_rulecheck_t *rc, const vgic_vm_t *vm)
{
    if (rc) rc->vm = vm;
}

int gic_rulecheck_bind_vcpu(gic_rulecheck_t *rc, unsigned vcpu, unsigned pcpu)
{
    if (!rc || vcpu >= VGIC_MAX_VCPUS || pcpu >= rc->ncpus) return GIC_E_INVAL;
    rc->vcpu_pcpu[vcpu] = (uint16_t)pcpu;
    return GIC_OK;
}

void gic_rulecheck_set_callback(gic_rulecheck_t *rc, void (*fn)(void *ctx, const struct gic_violation *v), void *ctx)
{
    if (!rc) return;
    rc->cb = fn;
    rc->cb_ctx = ctx;
}

void gic_rulecheck_reset(gic_rulecheck_t *rc)
{
    if (!rc) return;
    gic_rulecheck_flush(rc);
    clear_state(rc);
}

void gic_rulecheck_flush(gic_rulecheck_t *rc)
{
    if (!rc) return;
    rc->nwait = 0;
    deliver(rc);
}

size_t gic_rulecheck_count(const gic_rulecheck_t *rc) { return rc ? rc->total : 0; }

const struct gic_violation *gic_rulecheck_get(const gic_rulecheck_t *rc, size_t i)
{
    if (!rc || !rc->kept || i >= rc->total || i >= GIC_RULECHECK_KEEP) return NULL;
    return &rc->kept[i];
}

size_t gic_rulecheck_count_rule(const gic_rulecheck_t *rc, const char *rule, const char *check)
{
    size_t n = 0;
    if (!rc || !rc->kept) return 0;
    size_t len = check ? strlen(check) : 0;
    for (size_t i = 0; i < rc->total && i < GIC_RULECHECK_KEEP; i++) {
        const struct gic_violation *v = &rc->kept[i];
        if (rule && strcmp(v->rule, rule) != 0) continue;
        if (check && (strncmp(v->msg, check, len) != 0 || v->msg[len] != ':')) continue;
        n++;
    }
    return n;
}

void gic_rulecheck_finish(gic_rulecheck_t *rc, gic_cycle_t now)
{
    if (!rc) return;
    if (rc->nwait) resolve_waits(rc, NULL);
    if (now > rc->now || !rc->seen_any) rc->now = now;
    run_deadlines(rc, true);
    check_virtual_owners(rc);
    deliver(rc);
}

/* snprintf into buf at *pos, keeping the total length as snprintf would. */
static void put(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(*pos < len ? buf + *pos : NULL, *pos < len ? len - *pos : 0, fmt, ap);
    va_end(ap);
    if (n > 0) *pos += (size_t)n;
}

int gic_violation_format(const struct gic_violation *v, char *buf, size_t len)
{
    if (!v || (!buf && len)) return GIC_E_INVAL;
    size_t pos = 0;
    char p[16], vi[16];
    if (v->intid == GIC_RULECHECK_NONE) snprintf(p, sizeof p, "-");
    else snprintf(p, sizeof p, "%u", v->intid);
    if (v->vintid == GIC_RULECHECK_NONE) snprintf(vi, sizeof vi, "-");
    else snprintf(vi, sizeof vi, "%u", v->vintid);
    put(buf, len, &pos, "%llu cpu%u %s pINTID %s vINTID %s: %s", (unsigned long long)v->cycle, v->cpu,
        v->rule ? v->rule : "?", p, vi, v->msg);
    for (unsigned i = 0; i < v->n_recent && i < 8; i++) {
        char line[256];
        gic_trace_format(&v->recent[i], line, sizeof line);
        put(buf, len, &pos, "\n    %s", line);
    }
    return pos > (size_t)0x7fffffff ? 0x7fffffff : (int)pos;
}
