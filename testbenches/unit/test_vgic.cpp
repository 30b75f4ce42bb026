// test_vgic.cpp: the hypervisor's virtual distributor (hyp/src/) driving a real gic_t
// through its register-access callback. One test or more per SEMANTICS rule B1..B10 on GICv2 and
// GICv3, the LAZY/EAGER/NONE hazards, LR overflow, EOI maintenance, register emulation and bad input.
// Every check looks at the PHYSICAL state in the GIC (gic_peek) and at the list registers.
#include "gic_test_util.hpp"

#include <map>
#include <set>
extern "C" {
#include "gicsim/vgic.h"
}

using namespace gt;

namespace {

struct LR {
    unsigned state = 0;
    bool hw = false, eoi = false;
    uint32_t pintid = 0, vintid = 0, group = 0, cpuid = 0;
    uint8_t prio = 0;
};

// Offsets of the set/clear registers (GICD_*, GICR_*0 alike).
constexpr uint32_t IGROUPR = 0x080, ISENABLER = 0x100, ICENABLER = 0x180, ISPENDR = 0x200, ICPENDR = 0x280,
                   ISACTIVER = 0x300, ICACTIVER = 0x380;

struct Rig {
    gic_version v;
    Gic gic;
    TraceLog log;
    vgic_vm_t *vm = nullptr;
    std::vector<std::pair<uint32_t, uint32_t>> eois; // (vcpu, vintid) from the EOI maintenance callback
    bool fail_hw = false;

    static int access(void *ctx, const Access *a, uint64_t *r)
    {
        auto *R = static_cast<Rig *>(ctx);
        if (R->fail_hw) return -1;
        return settled_access(R->gic, a, r);
    }
    static void eoi_cb(void *ctx, uint32_t vcpu, uint32_t vintid)
    {
        static_cast<Rig *>(ctx)->eois.emplace_back(vcpu, vintid);
    }

    explicit Rig(gic_version ver, vgic_policy pol = VGIC_POLICY_LAZY, unsigned cpus = 1,
                 void (*tweak)(vgic_config *) = nullptr)
        : v(ver), gic(ver, cpus)
    {
        log.attach(gic.g);
        host_setup(cpus);
        vgic_config c;
        vgic_config_default(&c, ver);
        c.num_vcpus = cpus;
        c.policy = pol;
        if (tweak) tweak(&c);
        vgic_hw_ops ops{ &Rig::access, &Rig::eoi_cb, this };
        EXPECT_EQ(vgic_create(&c, &ops, &vm), VGIC_OK);
    }
    ~Rig() { vgic_destroy(vm); }

    bool v3() const { return v == GIC_V3; }

    // The host: EOImode=1 (SEMANTICS A7), everything unmasked; GICv3 host interrupts in Group 1.
    void host_setup(unsigned cpus)
    {
        if (v3()) {
            gic.gicd_w(0x000, 0x3);
            for (unsigned c = 0; c < cpus; c++) {
                gic.rdb_w(0x014, 0, c);
                gic.icc_w(ICC_CTLR_EL1_ENC, 0x2, c);
                gic.icc_w(ICC_PMR_EL1_ENC, 0xff, c);
                gic.icc_w(ICC_IGRPEN1_EL1_ENC, 1, c);
            }
        } else {
            gic.gicd_w(0x000, 0x1);
            for (unsigned c = 0; c < cpus; c++) {
                gic.gicc_w(0x000, 0x201, c);
                gic.gicc_w(0x004, 0xff, c);
            }
        }
    }
    void host_enable(uint32_t p, bool edge = false, unsigned cpu = 0)
    {
        uint32_t bit = 1u << (p % 32), cfgoff = 0xc00 + 4 * (p / 16), cfgbit = 1u << (2 * (p % 16) + 1);
        if (v3() && p < 32) {
            gic.sgi_w(IGROUPR, gic.sgi(IGROUPR, cpu) | bit, cpu);
            gic.sgi_w(ISENABLER, bit, cpu);
            if (edge) gic.sgi_w(0xc04, gic.sgi(0xc04, cpu) | cfgbit, cpu);
        } else {
            if (v3()) gic.gicd_w(IGROUPR + 4 * (p / 32), gic.gicd(IGROUPR + 4 * (p / 32)) | bit);
            gic.gicd_w(ISENABLER + 4 * (p / 32), bit, 4, cpu);
            if (edge) gic.gicd_w(cfgoff, gic.gicd(cfgoff, 4, cpu) | cfgbit, 4, cpu);
        }
    }
    void device(uint32_t p, bool level, unsigned cpu = 0)
    {
        if (p < 32) gic.ppi(cpu, p, level);
        else gic.spi(p, level);
    }
    void pulse(uint32_t p)
    { // an edge: the line up, then down
        device(p, true);
        device(p, false);
    }
    // The device raises `p`; the host takes it as the forwarded vINTID `v` (vgic_host_irq).
    void host_forward(uint32_t p, uint32_t v)
    {
        device(p, true);
        ASSERT_EQ(host_irq(), v);
    }
    bool host_irq_line(unsigned cpu = 0) { return gic.out(cpu) & GIC_OUT_IRQ; }
    uint32_t host_irq(unsigned cpu = 0, uint32_t *pintid = nullptr)
    {
        uint32_t p = 0, vi = 0;
        EXPECT_EQ(vgic_host_irq(vm, cpu, &p, &vi), VGIC_OK);
        if (pintid) *pintid = p;
        return vi;
    }

    // Physical state.
    bool p_bit(uint32_t base, uint32_t p, unsigned cpu = 0)
    {
        uint64_t val = 0;
        if (v3() && p < 32) EXPECT_EQ(gic_peek(gic.g, GIC_FRAME_GICR_SGI, cpu, base, 4, &val), GIC_OK);
        else EXPECT_EQ(gic_peek(gic.g, GIC_FRAME_GICD, cpu, base + 4 * (p / 32), 4, &val), GIC_OK);
        return (val >> (p % 32)) & 1;
    }
    bool p_act(uint32_t p, unsigned cpu = 0) { return p_bit(ISACTIVER, p, cpu); }
    bool p_pend(uint32_t p, unsigned cpu = 0) { return p_bit(ISPENDR, p, cpu); }
    uint64_t lr_raw(unsigned n, unsigned cpu = 0)
    {
        uint64_t val = 0;
        if (v3()) EXPECT_EQ(gic_peek(gic.g, GIC_FRAME_SYSREG, cpu, ICH_LR(n), 8, &val), GIC_OK);
        else EXPECT_EQ(gic_peek(gic.g, GIC_FRAME_GICH, cpu, 0x100 + 4 * n, 4, &val), GIC_OK);
        return val;
    }
    LR lr(unsigned n, unsigned cpu = 0)
    {
        uint64_t x = lr_raw(n, cpu);
        LR l;
        if (v3()) {
            l.state = (unsigned)(x >> 62);
            l.hw = (x >> 61) & 1;
            l.group = (x >> 60) & 1;
            l.prio = (uint8_t)(x >> 48);
            l.pintid = l.hw ? (uint32_t)((x >> 32) & 0x1fff) : 0;
            l.eoi = !l.hw && ((x >> 41) & 1);
            l.vintid = (uint32_t)x;
        } else {
            l.state = (unsigned)((x >> 28) & 3);
            l.hw = (x >> 31) & 1;
            l.group = (x >> 30) & 1;
            l.prio = (uint8_t)(((x >> 23) & 0x1f) << 3);
            l.pintid = l.hw ? (uint32_t)((x >> 10) & 0x3ff) : 0;
            l.eoi = !l.hw && ((x >> 19) & 1);
            l.cpuid = l.hw ? 0 : (uint32_t)((x >> 10) & 7);
            l.vintid = (uint32_t)(x & 0x3ff);
        }
        return l;
    }
    // The valid LR holding vINTID, or -1.
    int find_lr(uint32_t vintid, unsigned cpu = 0)
    {
        for (unsigned n = 0; n < 4; n++) {
            LR l = lr(n, cpu);
            if (l.state && l.vintid == vintid) return (int)n;
        }
        return -1;
    }
    uint64_t hcr(unsigned cpu = 0)
    {
        uint64_t val = 0;
        if (v3()) gic_peek(gic.g, GIC_FRAME_SYSREG, cpu, ICH_HCR_EL2_ENC, 8, &val);
        else gic_peek(gic.g, GIC_FRAME_GICH, cpu, 0x000, 4, &val);
        return val;
    }
    // Deactivations forwarded from HW=1 LRs that found the physical interrupt inactive (A6).
    size_t deact_ignored(uint32_t p)
    {
        size_t n = 0;
        for (auto &e : log.ev) n += e.kind == GIC_TR_DEACT && e.intid == p && e.value == 0 && e.aux == 1;
        return n;
    }
    size_t deact_applied(uint32_t p)
    {
        size_t n = 0;
        for (auto &e : log.ev) n += e.kind == GIC_TR_DEACT && e.intid == p && e.value == 1 && e.aux == 1;
        return n;
    }
    void expect_deacts(uint32_t p, size_t applied, size_t ignored)
    {
        EXPECT_EQ(deact_applied(p), applied) << "forwarded deactivations of " << p << " applied";
        EXPECT_EQ(deact_ignored(p), ignored) << "forwarded deactivations of " << p << " ignored";
    }
    // Physical register writes seen by the GIC at (frame, offset).
    size_t phys_writes(gic_frame f, uint32_t off)
    {
        size_t n = 0;
        for (auto &e : log.ev)
            n += e.kind == GIC_TR_ACCESS && e.intid == off && (e.aux & 0xff) == (uint64_t)f && ((e.aux >> 8) & 1);
        return n;
    }

    // The guest: trapped virtual distributor accesses.
    int gacc(gic_frame f, uint32_t off, unsigned size, bool write, uint64_t *d, unsigned vcpu = 0)
    {
        return vgic_guest_mmio(vm, vcpu, f, off, size, write, d);
    }
    void gw(uint32_t off, uint64_t val, unsigned size = 4, unsigned vcpu = 0)
    {
        uint64_t d = val;
        EXPECT_EQ(vgic_guest_mmio(vm, vcpu, GIC_FRAME_GICD, off, size, true, &d), VGIC_OK) << std::hex << off;
    }
    uint64_t gr(uint32_t off, unsigned size = 4, unsigned vcpu = 0)
    {
        uint64_t d = 0xdead;
        EXPECT_EQ(vgic_guest_mmio(vm, vcpu, GIC_FRAME_GICD, off, size, false, &d), VGIC_OK) << std::hex << off;
        return d;
    }
    // A register of the distributor (SPIs) or, on GICv3, of the vCPU's redistributor (SGIs/PPIs).
    void gbit_w(uint32_t base, uint32_t intid, unsigned vcpu = 0, bool user = false)
    {
        uint64_t d = 1u << (intid % 32);
        gic_frame f = GIC_FRAME_GICD;
        uint32_t off = base + 4 * (intid / 32);
        if (v3() && intid < 32) {
            f = GIC_FRAME_GICR_SGI;
            off = vcpu * 0x20000 + base;
        }
        int rc = user ? vgic_user_mmio(vm, vcpu, f, off, 4, true, &d) : vgic_guest_mmio(vm, vcpu, f, off, 4, true, &d);
        EXPECT_EQ(rc, VGIC_OK);
    }
    bool gbit_r(uint32_t base, uint32_t intid, unsigned vcpu = 0)
    {
        uint64_t d = 0;
        gic_frame f = GIC_FRAME_GICD;
        uint32_t off = base + 4 * (intid / 32);
        if (v3() && intid < 32) {
            f = GIC_FRAME_GICR_SGI;
            off = vcpu * 0x20000 + base;
        }
        EXPECT_EQ(vgic_guest_mmio(vm, vcpu, f, off, 4, false, &d), VGIC_OK);
        return (d >> (intid % 32)) & 1;
    }
    void gcfg_edge(uint32_t intid, unsigned vcpu = 0)
    {
        uint32_t off = 0xc00 + 4 * (intid / 16), bit = 1u << (2 * (intid % 16) + 1);
        gic_frame f = GIC_FRAME_GICD;
        if (v3() && intid < 32) {
            f = GIC_FRAME_GICR_SGI;
            off = vcpu * 0x20000 + 0xc00 + 4 * (intid / 16);
        }
        uint64_t d = 0;
        EXPECT_EQ(vgic_guest_mmio(vm, vcpu, f, off, 4, false, &d), VGIC_OK);
        d |= bit;
        EXPECT_EQ(vgic_guest_mmio(vm, vcpu, f, off, 4, true, &d), VGIC_OK);
    }
    // Guest set-up of one interrupt: distributor on, Group 1 on GICv3, priority 0xa0, enabled.
    void guest_enable(uint32_t intid, unsigned vcpu = 0, uint8_t prio = 0xa0, bool enable = true)
    {
        gw(0x000, 0x3, 4, vcpu);
        gic_frame f = GIC_FRAME_GICD;
        uint32_t grp = IGROUPR + 4 * (intid / 32), pr = 0x400 + intid;
        if (v3() && intid < 32) {
            f = GIC_FRAME_GICR_SGI;
            grp = vcpu * 0x20000 + IGROUPR;
            pr = vcpu * 0x20000 + 0x400 + intid;
        }
        if (v3()) {
            uint64_t d = 0;
            EXPECT_EQ(vgic_guest_mmio(vm, vcpu, f, grp, 4, false, &d), VGIC_OK);
            d |= 1u << (intid % 32);
            EXPECT_EQ(vgic_guest_mmio(vm, vcpu, f, grp, 4, true, &d), VGIC_OK);
        }
        uint64_t p = prio;
        EXPECT_EQ(vgic_guest_mmio(vm, vcpu, f, pr, 1, true, &p), VGIC_OK);
        if (enable) gbit_w(ISENABLER, intid, vcpu);
    }
    // The guest's virtual CPU interface (not trapped: the hardware GICV/ICV registers).
    void guest_cpuif(unsigned vcpu = 0)
    {
        if (v3()) {
            gic.icv_w(ICC_PMR_EL1_ENC, 0xf8, vcpu);
            gic.icv_w(ICC_IGRPEN1_EL1_ENC, 1, vcpu);
        } else {
            gic.gicv_w(0x000, 0x1, vcpu);
            gic.gicv_w(0x004, 0xf8, vcpu);
        }
    }
    bool virq(unsigned cpu = 0) { return gic.out(cpu) & GIC_OUT_VIRQ; }
    bool maint(unsigned cpu = 0) { return gic.out(cpu) & GIC_OUT_MAINT; }
    uint32_t guest_ack(unsigned cpu = 0)
    {
        return (uint32_t)(v3() ? gic.icv(ICC_IAR1_EL1_ENC, cpu) : gic.gicv(0x00c, cpu));
    }
    void guest_eoi(uint32_t iar, unsigned cpu = 0)
    {
        if (v3()) gic.icv_w(ICC_EOIR1_EL1_ENC, iar, cpu);
        else gic.gicv_w(0x010, iar, cpu);
    }
    // The guest acknowledges `want` and EOIs it.
    void guest_complete(uint32_t want)
    {
        uint32_t iar = guest_ack();
        ASSERT_EQ(iar & 0x3ff, want);
        guest_eoi(iar);
    }
    void enter(unsigned vcpu = 0) { ASSERT_EQ(vgic_vcpu_entry(vm, vcpu), VGIC_OK); }
    void exit(unsigned vcpu = 0, uint32_t *misr = nullptr) { ASSERT_EQ(vgic_vcpu_exit(vm, vcpu, misr), VGIC_OK); }
    vgic_irq_info info(uint32_t intid, unsigned vcpu = 0)
    {
        vgic_irq_info i{};
        EXPECT_EQ(vgic_get_irq(vm, vcpu, intid, &i), VGIC_OK);
        return i;
    }
    vgic_stats last()
    {
        vgic_stats l{};
        vgic_get_stats(vm, nullptr, &l);
        return l;
    }
    vgic_stats total()
    {
        vgic_stats t{};
        vgic_get_stats(vm, &t, nullptr);
        return t;
    }
};

#define BOTH(Suite, Name)                                                                                              \
    static void Suite##_##Name(gic_version v);                                                                         \
    TEST(Suite, Name##_V2) { Suite##_##Name(GIC_V2); }                                                                 \
    TEST(Suite, Name##_V3) { Suite##_##Name(GIC_V3); }                                                                 \
    static void Suite##_##Name(gic_version v)

constexpr uint32_t P = 40, V = 45; // pSPI 40 is mapped to vSPI 45 (different numbers on purpose)

// Standard mapped set-up: host enables pSPI, VM maps, guest enables vSPI, vCPU entered.
void mapped_setup(Rig &r, bool phys_edge = false, bool virt_edge = false)
{
    r.host_enable(P, phys_edge);
    ASSERT_EQ(vgic_map(r.vm, 0, V, P), VGIC_OK);
    r.guest_enable(V);
    if (virt_edge) r.gcfg_edge(V);
    r.enter();
    r.guest_cpuif();
}

// mapped_setup, then pSPI 40 raised and taken by the host as vINTID 45: P active (the host's priority dropped).
void forwarded_setup(Rig &r)
{
    mapped_setup(r);
    ASSERT_NO_FATAL_FAILURE(r.host_forward(P, V));
    ASSERT_TRUE(r.p_act(P));
}

} // namespace

// ---------------------------------------------------------------- B1
BOTH(SemanticsB1, SpendMappedSetsPhysicalActiveNotPending)
{
    Rig r(v);
    mapped_setup(r);
    ASSERT_FALSE(r.p_act(P));
    r.gbit_w(ISPENDR, V);
    EXPECT_TRUE(r.p_act(P)) << "B1: P.act := 1";
    EXPECT_FALSE(r.p_pend(P)) << "B1: P.pend unchanged";
    EXPECT_TRUE(r.info(V).latch);
    EXPECT_EQ(r.last().traps, 1u);
    int n = r.find_lr(V);
    ASSERT_EQ(n, 0);
    LR l = r.lr(0);
    EXPECT_EQ(l.state, 1u);
    EXPECT_TRUE(l.hw);
    EXPECT_EQ(l.pintid, P);
    EXPECT_EQ(l.prio, 0xa0);
    EXPECT_TRUE(r.virq());
    // The guest takes and completes it: the HW deactivation finds P active (A1, A6 respected).
    uint32_t iar = r.guest_ack();
    EXPECT_EQ(iar & 0x3ff, V);
    r.guest_eoi(iar);
    EXPECT_FALSE(r.p_act(P));
    r.expect_deacts(P, 1u, 0u);
}

BOTH(SemanticsB1, SpendMappedPpiActivatesRedistributorPpi)
{
    Rig r(v);
    const uint32_t PP = 27;
    r.host_enable(PP);
    ASSERT_EQ(vgic_map(r.vm, 0, PP, PP), VGIC_OK);
    r.guest_enable(PP);
    r.enter();
    r.guest_cpuif();
    r.gbit_w(ISPENDR, PP);
    EXPECT_TRUE(r.p_act(PP)) << "physical PPI 27 of CPU 0 made active";
    EXPECT_FALSE(r.p_pend(PP));
    int n = r.find_lr(PP);
    ASSERT_GE(n, 0);
    EXPECT_TRUE(r.lr(n).hw);
    EXPECT_EQ(r.lr(n).pintid, PP);
    uint32_t iar = r.guest_ack();
    EXPECT_EQ(iar & 0x3ff, PP);
    r.guest_eoi(iar);
    EXPECT_FALSE(r.p_act(PP));
    EXPECT_EQ(r.deact_ignored(PP), 0u);
}

// ---------------------------------------------------------------- B2
BOTH(SemanticsB2, CpendWithVirtualInactiveClearsPhysicalActive)
{
    Rig r(v);
    mapped_setup(r);
    r.gbit_w(ISPENDR, V);
    ASSERT_TRUE(r.p_act(P));
    r.gbit_w(ICPENDR, V);
    EXPECT_FALSE(r.p_act(P)) << "B2: P.act := 0 as V is not active";
    EXPECT_FALSE(r.p_pend(P));
    EXPECT_FALSE(r.info(V).pending);
    EXPECT_EQ(r.find_lr(V), -1);
    EXPECT_FALSE(r.virq());
    // The next physical assertion is delivered again: to the host, and forwarded to the guest.
    r.device(P, true);
    EXPECT_TRUE(r.host_irq_line());
    uint32_t p = 0;
    EXPECT_EQ(r.host_irq(0, &p), V);
    EXPECT_EQ(p, P);
    EXPECT_TRUE(r.p_act(P));
    EXPECT_GE(r.find_lr(V), 0);
}

BOTH(SemanticsB2, CpendWithVirtualActiveKeepsPhysicalActive)
{
    Rig r(v);
    mapped_setup(r);
    ASSERT_NO_FATAL_FAILURE(r.host_forward(P, V)); // P active (host acknowledged, priority dropped), V.line = 1
    r.device(P, false);
    uint32_t iar = r.guest_ack();
    ASSERT_EQ(iar & 0x3ff, V);
    r.gbit_w(ISPENDR, V); // a second pending edge while active
    r.gbit_w(ICPENDR, V);
    EXPECT_TRUE(r.info(V).active);
    EXPECT_TRUE(r.p_act(P)) << "B2: V.act=1, so P.act stays";
    EXPECT_FALSE(r.p_pend(P)) << "B2: P.pend := 0";
    r.guest_eoi(iar);
    EXPECT_FALSE(r.p_act(P));
    EXPECT_EQ(r.deact_ignored(P), 0u);
    EXPECT_EQ(r.deact_applied(P), 1u);
}

// ---------------------------------------------------------------- B3
BOTH(SemanticsB3, IsactiverIcactiverSetVirtualAndPhysical)
{
    Rig r(v);
    mapped_setup(r);
    r.gbit_w(ISACTIVER, V);
    EXPECT_TRUE(r.info(V).active);
    EXPECT_TRUE(r.p_act(P));
    int n = r.find_lr(V);
    ASSERT_GE(n, 0);
    EXPECT_EQ(r.lr(n).state, 2u);
    EXPECT_TRUE(r.lr(n).hw);
    r.gbit_w(ICACTIVER, V);
    EXPECT_FALSE(r.info(V).active);
    EXPECT_FALSE(r.p_act(P));
    EXPECT_EQ(r.find_lr(V), -1);
}

// ---------------------------------------------------------------- B4
BOTH(SemanticsB4, UserspaceWritesChangeNoPhysicalState)
{
    Rig r(v);
    r.host_enable(P);
    ASSERT_EQ(vgic_map(r.vm, 0, V, P), VGIC_OK);
    r.guest_enable(V);
    vgic_reset_stats(r.vm);
    r.gbit_w(ISPENDR, V, 0, true);
    EXPECT_EQ(r.last().hw_reads + r.last().hw_writes, 0u);
    EXPECT_EQ(r.last().traps, 0u);
    EXPECT_TRUE(r.info(V).latch) << "chosen: userspace pending writes change the virtual latch";
    EXPECT_FALSE(r.p_act(P));
    r.gbit_w(ISACTIVER, V, 0, true);
    EXPECT_FALSE(r.info(V).active) << "userspace active writes of mapped interrupts are ignored";
    EXPECT_FALSE(r.p_act(P));
    r.gbit_w(ICPENDR, V, 0, true);
    EXPECT_FALSE(r.info(V).latch);
    EXPECT_FALSE(r.p_act(P));
    EXPECT_FALSE(r.p_pend(P));
    EXPECT_EQ(r.total().hw_reads + r.total().hw_writes, 0u);
    // Unmapped interrupts: userspace restores the active state.
    r.gbit_w(ISACTIVER, 50, 0, true);
    EXPECT_TRUE(r.info(50).active);
}

// ---------------------------------------------------------------- B5
BOTH(SemanticsB5, IsactiverReadsVirtualActiveOnly)
{
    Rig r(v);
    ASSERT_NO_FATAL_FAILURE(forwarded_setup(r));
    EXPECT_FALSE(r.gbit_r(ISACTIVER, V)) << "B5: P active, V not: reads 0";
    EXPECT_FALSE(r.gbit_r(ICACTIVER, V));
    uint32_t iar = r.guest_ack();
    ASSERT_EQ(iar & 0x3ff, V);
    EXPECT_TRUE(r.gbit_r(ISACTIVER, V)) << "the guest's acknowledge is folded before the read";
    r.device(P, false);
    r.guest_eoi(iar);
    EXPECT_FALSE(r.gbit_r(ISACTIVER, V));
    EXPECT_FALSE(r.p_act(P));
}

// ---------------------------------------------------------------- B6
BOTH(SemanticsB6, HwLrNeverEoiNeverPendingActiveAndClearsLine)
{
    Rig r(v);
    mapped_setup(r);
    r.guest_enable(50); // unmapped level interrupt, for contrast
    ASSERT_NO_FATAL_FAILURE(r.host_forward(P, V));
    int n = r.find_lr(V);
    ASSERT_GE(n, 0);
    LR l = r.lr(n);
    EXPECT_TRUE(l.hw);
    EXPECT_EQ(l.pintid, P);
    EXPECT_FALSE(l.eoi);
    EXPECT_EQ(l.state, 1u);
    EXPECT_FALSE(r.info(V).line) << "B6: pending written into the LR clears V.line of a mapped level interrupt";
    uint32_t iar = r.guest_ack();
    ASSERT_EQ(iar & 0x3ff, V);
    r.gbit_w(ISPENDR, V); // pending again while active
    n = r.find_lr(V);
    ASSERT_GE(n, 0);
    EXPECT_EQ(r.lr(n).state, 2u) << "B6/A2: a HW LR is never pending+active";
    EXPECT_TRUE(r.info(V).latch);
    // Contrast: an unmapped level interrupt gets EOI maintenance and no HW bit.
    ASSERT_EQ(vgic_inject(r.vm, 0, 50, true), VGIC_OK);
    int m = r.find_lr(50);
    ASSERT_GE(m, 0);
    EXPECT_FALSE(r.lr(m).hw);
    EXPECT_TRUE(r.lr(m).eoi);
}

// ---------------------------------------------------------------- B7
BOTH(SemanticsB7, EdgeLrStillPendingKeepsLatch)
{
    Rig r(v);
    r.guest_enable(50);
    r.gcfg_edge(50);
    r.enter();
    r.guest_cpuif();
    ASSERT_EQ(vgic_inject(r.vm, 0, 50, true), VGIC_OK);
    ASSERT_GE(r.find_lr(50), 0);
    EXPECT_FALSE(r.info(50).latch) << "the latch moved into the LR";
    r.exit();
    EXPECT_TRUE(r.info(50).latch) << "B7: an edge LR still pending keeps V.latch";
    EXPECT_EQ(r.find_lr(50), -1) << "the LRs are cleared on exit";
    EXPECT_EQ(r.lr_raw(0), 0u);
}

BOTH(SemanticsB7, LevelLrNoLongerPendingClearsLatchCopiesActive)
{
    Rig r(v);
    r.guest_enable(50);
    r.gbit_w(ISPENDR, 50);
    r.enter();
    r.guest_cpuif();
    uint32_t iar = r.guest_ack();
    ASSERT_EQ(iar & 0x3ff, 50u);
    r.exit();
    EXPECT_FALSE(r.info(50).latch) << "B7: a level LR no longer pending clears V.latch";
    EXPECT_TRUE(r.info(50).active) << "B7: copy active";
    r.enter();
    int n = r.find_lr(50);
    ASSERT_GE(n, 0);
    EXPECT_EQ(r.lr(n).state, 2u);
    r.guest_eoi(iar);
    r.exit();
    EXPECT_FALSE(r.info(50).active);
}

BOTH(SemanticsB7, MappedLevelStillPendingResamplesLineAndReleasesPhysical)
{
    Rig r(v);
    ASSERT_NO_FATAL_FAILURE(forwarded_setup(r));
    r.device(P, false); // the device drops its line before the guest took the interrupt
    r.exit();
    EXPECT_FALSE(r.info(V).line) << "B7: V.line := physical line (0)";
    EXPECT_FALSE(r.info(V).pending);
    EXPECT_FALSE(r.p_act(P)) << "B7: line 0 -> P.act := 0";
    // Line still high: it stays pending and P stays active.
    r.enter();
    ASSERT_NO_FATAL_FAILURE(r.host_forward(P, V));
    r.exit();
    EXPECT_TRUE(r.info(V).line);
    EXPECT_TRUE(r.p_act(P));
}

// ---------------------------------------------------------------- B8
BOTH(SemanticsB8, EnablingMappedLevelResamplesLine)
{
    Rig r(v);
    r.host_enable(P);
    ASSERT_EQ(vgic_map(r.vm, 0, V, P), VGIC_OK);
    r.guest_enable(V, 0, 0xa0, false); // configured, not enabled
    r.enter();
    r.guest_cpuif();
    ASSERT_NO_FATAL_FAILURE(r.host_forward(P, V));
    EXPECT_TRUE(r.info(V).line);
    EXPECT_EQ(r.find_lr(V), -1) << "disabled: not delivered";
    r.device(P, false);
    ASSERT_TRUE(r.p_act(P));
    r.gbit_w(ISENABLER, V);
    EXPECT_FALSE(r.info(V).line) << "B8: resampled";
    EXPECT_FALSE(r.p_act(P)) << "B8: high -> low, not active: P.act := 0";
    EXPECT_EQ(r.find_lr(V), -1);
    // Line still high at enable: kept, and delivered.
    r.gbit_w(ICENABLER, V);
    ASSERT_NO_FATAL_FAILURE(r.host_forward(P, V));
    r.gbit_w(ISENABLER, V);
    EXPECT_TRUE(r.info(V).line || r.find_lr(V) >= 0);
    EXPECT_TRUE(r.p_act(P));
    EXPECT_GE(r.find_lr(V), 0);
}

// ---------------------------------------------------------------- B9
BOTH(SemanticsB9, EagerActivatesPhysicalOnEveryEntry)
{
    Rig lazy(v, VGIC_POLICY_LAZY), eager(v, VGIC_POLICY_EAGER);
    uint64_t entry_writes[2];
    Rig *rigs[2] = { &lazy, &eager };
    for (int k = 0; k < 2; k++) {
        Rig &r = *rigs[k];
        r.host_enable(P);
        ASSERT_EQ(vgic_map(r.vm, 0, V, P), VGIC_OK);
        r.guest_enable(V);
        vgic_reset_stats(r.vm);
        r.gbit_w(ISPENDR, V); // vCPU not entered: only the emulation itself
        EXPECT_EQ(r.last().hw_writes, k == 0 ? 1u : 0u) << "EAGER: SPEND touches virtual state only";
        EXPECT_EQ(r.p_act(P), k == 0);
        r.enter();
        entry_writes[k] = r.last().hw_writes;
        EXPECT_TRUE(r.p_act(P));
        r.guest_cpuif();
        size_t before = r.phys_writes(GIC_FRAME_GICD, ISACTIVER + 4);
        for (int i = 0; i < 5; i++) {
            r.exit();
            r.enter();
        }
        size_t act_writes = r.phys_writes(GIC_FRAME_GICD, ISACTIVER + 4) - before;
        EXPECT_EQ(act_writes, k == 0 ? 0u : 5u) << "B9: one physical ISACTIVER write per entry with a HW LR";
        uint32_t iar = r.guest_ack();
        ASSERT_EQ(iar & 0x3ff, V);
        r.exit();
        r.enter(); // active HW LR: EAGER writes again
        r.guest_eoi(iar);
        EXPECT_FALSE(r.p_act(P));
        EXPECT_EQ(r.deact_ignored(P), 0u);
        r.exit();
        r.enter(); // nothing left: no write
        EXPECT_EQ(r.phys_writes(GIC_FRAME_GICD, ISACTIVER + 4) - before, k == 0 ? 0u : 6u);
    }
    EXPECT_EQ(entry_writes[1], entry_writes[0] + 1);
}

// ---------------------------------------------------------------- B10
BOTH(SemanticsB10, VmResetClearsMappedStateAndReleasesPhysical)
{
    Rig r(v);
    const uint32_t P2 = 41, V2 = 46, P3 = 42, V3 = 47;
    r.host_enable(P);
    r.host_enable(P2);
    r.host_enable(P3);
    ASSERT_EQ(vgic_map(r.vm, 0, V, P), VGIC_OK);
    ASSERT_EQ(vgic_map(r.vm, 0, V2, P2), VGIC_OK);
    ASSERT_EQ(vgic_map(r.vm, 0, V3, P3), VGIC_OK);
    r.guest_enable(V);
    r.guest_enable(V2);
    r.guest_enable(V3, 0, 0xa0, false);
    r.gbit_w(ISACTIVER, V); // V.act, P.act
    r.gbit_w(ISPENDR, V2);  // V.latch, P.act
    r.device(P3, true);
    ASSERT_EQ(r.host_irq(), V3); // V.line, P.act (host forwarded, V3 disabled so not delivered)
    r.device(P3, false);
    ASSERT_TRUE(r.p_act(P) && r.p_act(P2) && r.p_act(P3));
    r.enter();
    EXPECT_EQ(vgic_vm_reset(r.vm), VGIC_E_BUSY);
    r.exit();
    ASSERT_EQ(vgic_vm_reset(r.vm), VGIC_OK);
    for (uint32_t vi : { V, V2, V3 }) {
        vgic_irq_info i = r.info(vi);
        EXPECT_FALSE(i.active || i.latch || i.line) << vi;
        EXPECT_TRUE(i.hw) << "mappings survive a reset";
    }
    EXPECT_FALSE(r.p_act(P));
    EXPECT_FALSE(r.p_act(P2));
    EXPECT_FALSE(r.p_act(P3));
    // The device's next assertion reaches the host again.
    r.device(P3, true);
    EXPECT_TRUE(r.host_irq_line());
}

// ---------------------------------------------------------------- policy hazards
BOTH(VdistPolicy, NoneSpendThenDeactivateHitsInactivePhysical)
{
    for (vgic_policy pol : { VGIC_POLICY_NONE, VGIC_POLICY_LAZY }) {
        Rig r(v, pol);
        mapped_setup(r);
        r.gbit_w(ISPENDR, V);
        EXPECT_EQ(r.p_act(P), pol == VGIC_POLICY_LAZY);
        ASSERT_NO_FATAL_FAILURE(r.guest_complete(V));
        if (pol == VGIC_POLICY_NONE) {
            EXPECT_EQ(r.deact_ignored(P), 1u) << "A6 broken: DEACT value 0 aux 1 for pINTID 40";
            EXPECT_EQ(r.deact_applied(P), 0u);
        } else {
            EXPECT_EQ(r.deact_ignored(P), 0u);
            EXPECT_EQ(r.deact_applied(P), 1u);
        }
    }
}

BOTH(VdistPolicy, NoneCpendLeavesPhysicalActiveAndBlocksLaterAssertions)
{
    for (vgic_policy pol : { VGIC_POLICY_NONE, VGIC_POLICY_LAZY, VGIC_POLICY_EAGER }) {
        Rig r(v, pol);
        mapped_setup(r, true, true); // edge on both sides
        r.pulse(P);
        ASSERT_EQ(r.host_irq(), V) << pol;
        r.gbit_w(ISPENDR, V);
        r.gbit_w(ICPENDR, V); // the guest's SPEND/CPEND pair before it takes the interrupt
        EXPECT_FALSE(r.info(V).pending);
        EXPECT_EQ(r.find_lr(V), -1);
        r.pulse(P); // the next physical assertion
        if (pol == VGIC_POLICY_NONE) {
            EXPECT_TRUE(r.p_act(P)) << "physical interrupt left active";
            EXPECT_TRUE(r.p_pend(P));
            EXPECT_FALSE(r.host_irq_line()) << "the new assertion is never delivered";
        } else {
            EXPECT_FALSE(r.p_act(P)) << pol;
            EXPECT_TRUE(r.host_irq_line()) << pol;
            EXPECT_EQ(r.host_irq(), V);
        }
    }
}

BOTH(VdistPolicy, EagerSpendDeactivationFindsPhysicalActive)
{
    Rig r(v, VGIC_POLICY_EAGER);
    mapped_setup(r);
    r.gbit_w(ISPENDR, V);
    EXPECT_TRUE(r.p_act(P)) << "made active by the entry after the trap (B9)";
    uint32_t iar = r.guest_ack();
    r.guest_eoi(iar);
    EXPECT_EQ(r.deact_ignored(P), 0u);
    EXPECT_EQ(r.deact_applied(P), 1u);
}

// ---------------------------------------------------------------- LR overflow and maintenance
static void overflow_run(gic_version v, bool npie)
{
    Rig r(v, VGIC_POLICY_LAZY, 1, npie ? +[](vgic_config *c) { c->refill_npie = true; } : nullptr);
    std::vector<uint32_t> ids = { 40, 41, 42, 43, 44, 45, 46 };
    for (size_t i = 0; i < ids.size(); i++) {
        r.guest_enable(ids[i], 0, (uint8_t)(0x80 + 8 * i));
        r.gcfg_edge(ids[i]);
        r.gbit_w(ISPENDR, ids[i]);
    }
    r.enter();
    EXPECT_EQ(r.last().overflows, 1u);
    EXPECT_EQ(r.last().lr_writes, 4u);
    EXPECT_EQ(r.hcr() & 0xf, npie ? 0x9u : 0x3u) << "En plus UIE or NPIE";
    r.guest_cpuif();
    std::map<uint32_t, int> seen;
    std::vector<uint32_t> order;
    int refills = 0;
    for (int it = 0; it < 100; it++) {
        if (r.virq()) {
            uint32_t iar = r.guest_ack();
            seen[iar & 0x3ff]++;
            order.push_back(iar & 0x3ff);
            r.guest_eoi(iar);
        } else if (r.maint()) {
            uint32_t misr = 0;
            r.exit(0, &misr);
            EXPECT_NE(misr & (npie ? 0x8u : 0x2u), 0u) << "MISR " << misr;
            r.enter();
            refills++;
        } else {
            break;
        }
    }
    EXPECT_EQ(refills, 1);
    ASSERT_EQ(seen.size(), ids.size());
    for (uint32_t id : ids) EXPECT_EQ(seen[id], 1) << "vINTID " << id << " exactly once";
    EXPECT_EQ(order, ids) << "by priority";
    for (uint32_t id : ids) EXPECT_FALSE(r.info(id).pending || r.info(id).active);
    EXPECT_EQ(r.hcr() & 0xf, 0x1u) << "no refill requested once everything fitted";
}
TEST(VdistOverflow, MorePendingThanLrsDeliveredOnceViaUnderflow_V2) { overflow_run(GIC_V2, false); }
TEST(VdistOverflow, MorePendingThanLrsDeliveredOnceViaUnderflow_V3) { overflow_run(GIC_V3, false); }
TEST(VdistOverflow, MorePendingThanLrsDeliveredOnceViaNoPending_V2) { overflow_run(GIC_V2, true); }
TEST(VdistOverflow, MorePendingThanLrsDeliveredOnceViaNoPending_V3) { overflow_run(GIC_V3, true); }

BOTH(VdistOverflow, MappedInterruptsBeyondLrsDeliveredOnce)
{
    Rig r(v);
    std::vector<uint32_t> vs = { 50, 51, 52, 53, 54, 55 };
    for (size_t i = 0; i < vs.size(); i++) {
        uint32_t p = 60 + (uint32_t)i;
        r.host_enable(p);
        ASSERT_EQ(vgic_map(r.vm, 0, vs[i], p), VGIC_OK);
        r.guest_enable(vs[i], 0, (uint8_t)(0x80 + 8 * i));
        r.gbit_w(ISPENDR, vs[i]);
        EXPECT_TRUE(r.p_act(p));
    }
    r.enter();
    r.guest_cpuif();
    std::map<uint32_t, int> seen;
    for (int it = 0; it < 100; it++) {
        if (r.virq()) {
            uint32_t iar = r.guest_ack();
            seen[iar & 0x3ff]++;
            r.guest_eoi(iar);
        } else if (r.maint()) {
            r.exit();
            r.enter();
        } else {
            break;
        }
    }
    for (uint32_t id : vs) EXPECT_EQ(seen[id], 1) << id;
    for (size_t i = 0; i < vs.size(); i++) EXPECT_FALSE(r.p_act(60 + (uint32_t)i));
    EXPECT_EQ(r.deact_ignored(60) + r.deact_ignored(65), 0u);
}

BOTH(VdistMaintenance, EoiMaintenanceForUnmappedLevel)
{
    Rig r(v);
    r.guest_enable(50);
    r.enter();
    r.guest_cpuif();
    ASSERT_EQ(vgic_inject(r.vm, 0, 50, true), VGIC_OK);
    int n = r.find_lr(50);
    ASSERT_GE(n, 0);
    EXPECT_TRUE(r.lr(n).eoi);
    uint32_t iar = r.guest_ack();
    ASSERT_EQ(iar & 0x3ff, 50u);
    EXPECT_FALSE(r.maint());
    r.guest_eoi(iar);
    EXPECT_TRUE(r.maint()) << "EOI maintenance (A3/A4)";
    uint32_t misr = 0;
    r.exit(0, &misr);
    EXPECT_EQ(misr & 1u, 1u);
    ASSERT_EQ(r.eois.size(), 1u);
    EXPECT_EQ(r.eois[0].second, 50u);
    // The line is still high: the interrupt is pending again.
    r.enter();
    EXPECT_GE(r.find_lr(50), 0);
    EXPECT_FALSE(r.maint());
    // The device lowers it (the injector's answer to the notification): gone.
    ASSERT_EQ(vgic_inject(r.vm, 0, 50, false), VGIC_OK);
    EXPECT_EQ(r.find_lr(50), -1);
    EXPECT_FALSE(r.virq());
}

// ---------------------------------------------------------------- further paths
BOTH(Vdist, DisablingActiveMappedStillDeactivatesPhysical)
{
    Rig r(v);
    mapped_setup(r);
    ASSERT_NO_FATAL_FAILURE(r.host_forward(P, V));
    r.device(P, false);
    uint32_t iar = r.guest_ack();
    r.gbit_w(ICENABLER, V); // the guest disables it while active (SEMANTICS D)
    EXPECT_GE(r.find_lr(V), 0) << "an active interrupt stays in the LRs while disabled";
    r.guest_eoi(iar);
    EXPECT_FALSE(r.p_act(P));
    EXPECT_EQ(r.deact_ignored(P), 0u);
}

BOTH(Vdist, HostForwardedEdgeRoundTrip)
{
    Rig r(v);
    mapped_setup(r, true, true);
    for (int k = 0; k < 3; k++) {
        r.pulse(P);
        ASSERT_TRUE(r.host_irq_line());
        ASSERT_EQ(r.host_irq(), V);
        EXPECT_FALSE(r.host_irq_line()) << "priority dropped, P active";
        ASSERT_NO_FATAL_FAILURE(r.guest_complete(V));
        EXPECT_FALSE(r.p_act(P));
    }
    r.expect_deacts(P, 3u, 0u);
}

TEST(Vdist, SgiV2CarriesSourceCpu)
{
    Rig r(GIC_V2, VGIC_POLICY_LAZY, 2);
    r.gw(0x000, 1);
    for (unsigned c : { 0u, 1u }) r.enter(c);
    for (unsigned c : { 0u, 1u }) r.guest_cpuif(c);
    r.gw(0xf00, (1u << 1) << 16 | 3, 4, 0); // vCPU 0 -> vCPU 1, SGI 3
    EXPECT_EQ(r.info(3, 1).sgi_sources, 0u) << "moved into vCPU 1's LR";
    EXPECT_EQ(r.last().kicks, 1u);
    ASSERT_TRUE(r.virq(1));
    uint32_t iar = r.guest_ack(1);
    EXPECT_EQ(iar, 3u | 0u << 10);
    r.guest_eoi(iar, 1);
    r.gw(0xf00, 2u << 24 | 5, 4, 1); // vCPU 1 -> self, SGI 5
    iar = r.guest_ack(1);
    EXPECT_EQ(iar, 5u | 1u << 10);
    r.gw(0xf00, 1u << 24 | 7, 4, 1); // vCPU 1 -> all but self, SGI 7
    iar = r.guest_ack(0);
    EXPECT_EQ(iar, 7u | 1u << 10);
    EXPECT_EQ(r.gr(0xf20 + 4, 4, 0), 0u) << "SPENDSGIR1 of vCPU 0: SGI 7 acknowledged";
}

TEST(Vdist, SgiV3ThroughTrappedSgi1r)
{
    Rig r(GIC_V3, VGIC_POLICY_LAZY, 2);
    r.guest_enable(3, 1);
    r.enter(0);
    r.enter(1);
    r.guest_cpuif(1);
    ASSERT_EQ(vgic_guest_sgi(r.vm, 0, 3ull << 24 | 1u << 1), VGIC_OK);
    EXPECT_EQ(r.last().traps, 1u);
    EXPECT_EQ(r.last().kicks, 1u);
    ASSERT_TRUE(r.virq(1));
    EXPECT_EQ(r.guest_ack(1), 3u);
    EXPECT_EQ(vgic_guest_sgi(r.vm, 0, 0), VGIC_OK);
    Rig r2(GIC_V2);
    EXPECT_EQ(vgic_guest_sgi(r2.vm, 0, 0), VGIC_E_FRAME);
}

TEST(Vdist, SpiTargetsV3IrouterAndV2Itargetsr)
{
    Rig r3(GIC_V3, VGIC_POLICY_LAZY, 2);
    uint64_t d = 1; // Aff0 = 1: vCPU 1
    ASSERT_EQ(vgic_guest_mmio(r3.vm, 0, GIC_FRAME_GICD, 0x6000 + 8 * 50, 8, true, &d), VGIC_OK);
    EXPECT_EQ(r3.info(50).target, 1);
    d = 0;
    ASSERT_EQ(vgic_guest_mmio(r3.vm, 0, GIC_FRAME_GICD, 0x6000 + 8 * 50 + 4, 4, false, &d), VGIC_OK);
    EXPECT_EQ(d, 0u);
    r3.guest_enable(50);
    r3.enter(1);
    r3.guest_cpuif(1);
    ASSERT_EQ(vgic_inject(r3.vm, 0, 50, true), VGIC_OK);
    EXPECT_GE(r3.find_lr(50, 1), 0);
    EXPECT_EQ(r3.find_lr(50, 0), -1);

    Rig r2(GIC_V2, VGIC_POLICY_LAZY, 2);
    EXPECT_EQ(r2.info(50).target, -1) << "no target until ITARGETSR is written";
    r2.gw(0x800 + 50, 0xff, 1);
    EXPECT_EQ(r2.gr(0x800 + 48), 0x030000u) << "absent CPUs RAZ/WI";
    EXPECT_EQ(r2.info(50).target, 0);
    EXPECT_EQ(r2.gr(0x800, 4, 1), 0x02020202u) << "ITARGETSR0-7 read the accessing CPU";
}

// ---------------------------------------------------------------- register emulation
TEST(Vdist, RegistersV2)
{
    Rig r(GIC_V2, VGIC_POLICY_LAZY, 2);
    EXPECT_EQ(r.gr(0x004), 8u | 1u << 5) << "TYPER: 288 INTIDs, 2 CPUs";
    EXPECT_EQ(r.gr(0x008), 0x43bu);
    EXPECT_EQ(r.gr(0xfe8), 0x2bu);
    r.gw(0x000, 0xff);
    EXPECT_EQ(r.gr(0x000), 0x3u);
    r.gw(0x400 + 44, 0xffffffff);
    EXPECT_EQ(r.gr(0x400 + 44), 0xf8f8f8f8u) << "5 priority bits";
    r.gw(0x400 + 45, 0x17, 1);
    EXPECT_EQ(r.gr(0x400 + 45, 1), 0x10u);
    EXPECT_EQ(r.gr(0x400 + 44), 0xf8f810f8u);
    EXPECT_EQ(r.gr(0xc00), 0xaaaaaaaau) << "SGIs edge";
    EXPECT_EQ(r.gr(0x100), 0xffffu) << "SGI enables RAO";
    r.gw(0x100, 0xffffffff);
    r.gw(0x180, 0xffff);
    EXPECT_EQ(r.gr(0x100), 0xffffffffu) << "SGI enables WI";
    EXPECT_EQ(r.gr(0x100, 4, 1), 0xffffu) << "banked per vCPU";
    EXPECT_EQ(r.gr(0x100 + 4 * 9), 0u) << "beyond the last SPI: RAZ";
    r.gw(0x100 + 4 * 9, 0xffffffff);
    EXPECT_EQ(r.gr(0x100 + 4 * 9), 0u);
    r.gw(0x200, 0xffff); // SGI bits of ISPENDR0 are WI on GICv2
    EXPECT_EQ(r.gr(0x200), 0u);
    r.gw(0xf20, 0x03, 1); // SPENDSGIR0 byte 0: SGI 0 from CPUs 0 and 1
    EXPECT_EQ(r.gr(0xf20), 0x03u);
    EXPECT_EQ(r.gr(0x200) & 1, 1u);
    r.gw(0xf10, 0x01, 1);
    EXPECT_EQ(r.gr(0xf20), 0x02u);
    r.gw(0xc00 + 4 * 2, 0x2u << 26); // ICFGR2: INTID 45 edge
    EXPECT_TRUE(r.info(45).edge);
    EXPECT_EQ(r.gr(0x080), 0u);
    r.gw(0x080 + 4, 0x100);
    EXPECT_EQ(r.info(40).group, 1u);
}

TEST(Vdist, RegistersV3)
{
    Rig r(GIC_V3, VGIC_POLICY_LAZY, 2);
    uint64_t d = 0;
    EXPECT_EQ(r.gr(0x000), 0x50u) << "ARE, DS";
    EXPECT_EQ(r.gr(0x004) & 0x1f, 8u);
    EXPECT_EQ((r.gr(0x004) >> 19) & 0x1f, 9u);
    EXPECT_EQ(r.gr(0xffe8), 0x3bu);
    EXPECT_EQ(r.gr(0x100), 0u) << "bank 0 in the distributor RAZ/WI with ARE";
    r.gw(0x100, 0xffffffff);
    EXPECT_EQ(r.gr(0x100), 0u);
    ASSERT_EQ(vgic_guest_mmio(r.vm, 0, GIC_FRAME_GICR_RD, 0x20000 + 0x8, 8, false, &d), VGIC_OK);
    EXPECT_EQ(d, 1ull << 32 | 1u << 8 | 1u << 4) << "GICR_TYPER of rd 1: affinity 1, processor 1, Last";
    ASSERT_EQ(vgic_guest_mmio(r.vm, 0, GIC_FRAME_GICR_RD, 0x8, 8, false, &d), VGIC_OK);
    EXPECT_EQ(d, 0u);
    ASSERT_EQ(vgic_guest_mmio(r.vm, 0, GIC_FRAME_GICR_RD, 0x20000 + 0xc, 4, false, &d), VGIC_OK);
    EXPECT_EQ(d, 1u);
    ASSERT_EQ(vgic_guest_mmio(r.vm, 0, GIC_FRAME_GICR_RD, 0x14, 4, false, &d), VGIC_OK);
    EXPECT_EQ(d, 0x6u);
    d = 0;
    ASSERT_EQ(vgic_guest_mmio(r.vm, 0, GIC_FRAME_GICR_RD, 0x14, 4, true, &d), VGIC_OK);
    ASSERT_EQ(vgic_guest_mmio(r.vm, 0, GIC_FRAME_GICR_RD, 0x14, 4, false, &d), VGIC_OK);
    EXPECT_EQ(d, 0u);
    // SGI_base through both spellings.
    d = 0xffffffff;
    ASSERT_EQ(vgic_guest_mmio(r.vm, 0, GIC_FRAME_GICR_SGI, 0x20000 + 0x100, 4, true, &d), VGIC_OK);
    ASSERT_EQ(vgic_guest_mmio(r.vm, 0, GIC_FRAME_GICR_RD, 0x20000 + 0x10000 + 0x100, 4, false, &d), VGIC_OK);
    EXPECT_EQ(d, 0xffffffffu);
    ASSERT_EQ(vgic_guest_mmio(r.vm, 0, GIC_FRAME_GICR_SGI, 0x100, 4, false, &d), VGIC_OK);
    EXPECT_EQ(d, 0u) << "rd 0 untouched";
    ASSERT_EQ(vgic_guest_mmio(r.vm, 0, GIC_FRAME_GICR_SGI, 0xc00, 4, false, &d), VGIC_OK);
    EXPECT_EQ(d, 0xaaaaaaaau);
    d = 0x12345678aabbccddull;
    ASSERT_EQ(vgic_guest_mmio(r.vm, 0, GIC_FRAME_GICD, 0x6000 + 8 * 40, 8, true, &d), VGIC_OK);
    ASSERT_EQ(vgic_guest_mmio(r.vm, 0, GIC_FRAME_GICD, 0x6000 + 8 * 40, 8, false, &d), VGIC_OK);
    EXPECT_EQ(d, 0x78aabbccddull & 0xff80ffffffull);
    r.gw(0x400 + 44, 0xffffffff);
    EXPECT_EQ(r.gr(0x400 + 44), 0xf8f8f8f8u);
}

// ---------------------------------------------------------------- bad input
BOTH(VdistBadInput, BadIntidsRejected)
{
    Rig r(v);
    EXPECT_EQ(vgic_map(r.vm, 0, 1020, P), VGIC_E_INTID);
    EXPECT_EQ(vgic_map(r.vm, 0, 32 + 256, P), VGIC_E_INTID) << "beyond the VM's SPIs";
    EXPECT_EQ(vgic_map(r.vm, 0, 5, P), VGIC_E_INTID) << "SGIs cannot be mapped";
    EXPECT_EQ(vgic_map(r.vm, 0, 27, P), VGIC_E_INTID) << "vPPI -> pSPI";
    EXPECT_EQ(vgic_map(r.vm, 0, V, 27), VGIC_E_INTID) << "vSPI -> pPPI";
    EXPECT_EQ(vgic_map(r.vm, 0, V, 1020), VGIC_E_INTID);
    EXPECT_EQ(vgic_map(r.vm, 0, V, 0xffffffffu), VGIC_E_INTID);
    EXPECT_EQ(vgic_map(r.vm, 1, V, P), VGIC_E_INVAL) << "vCPU out of range";
    ASSERT_EQ(vgic_map(r.vm, 0, V, P), VGIC_OK);
    EXPECT_EQ(vgic_map(r.vm, 0, V, P + 1), VGIC_E_BUSY);
    EXPECT_EQ(vgic_map(r.vm, 0, V + 1, P), VGIC_E_BUSY) << "pINTID already mapped";
    EXPECT_EQ(vgic_unmap(r.vm, 0, V + 1), VGIC_E_STATE);
    EXPECT_EQ(vgic_unmap(r.vm, 0, V), VGIC_OK);
    EXPECT_FALSE(r.info(V).hw);
    for (uint32_t bad : { 3u, 288u, 1020u, 1024u, 1120u, 5120u, 0xffffffffu })
        EXPECT_EQ(vgic_inject(r.vm, 0, bad, true), VGIC_E_INTID) << bad;
    vgic_irq_info i;
    EXPECT_EQ(vgic_get_irq(r.vm, 0, 288, &i), VGIC_E_INTID);
    EXPECT_EQ(r.total().hw_reads + r.total().hw_writes, 1u) << "only the VTR probe";
}

BOTH(VdistBadInput, UnknownOffsetsAndBadSizesChangeNothing)
{
    Rig r(v);
    mapped_setup(r);
    r.gbit_w(ISPENDR, V);
    ASSERT_TRUE(r.p_act(P));
    vgic_irq_info before = r.info(V);
    uint64_t lr0 = r.lr_raw(0);
    struct Case {
        gic_frame f;
        uint32_t off;
        unsigned size;
        int rc;
    };
    std::vector<Case> cases = {
        { GIC_FRAME_GICD, 0x010, 4, VGIC_E_OFFSET },      { GIC_FRAME_GICD, 0x7fc, 4, VGIC_E_OFFSET },
        { GIC_FRAME_GICD, 0x1000, 4, VGIC_E_OFFSET },     { GIC_FRAME_GICD, ICPENDR + 4, 1, VGIC_E_SIZE },
        { GIC_FRAME_GICD, ICPENDR + 4, 2, VGIC_E_SIZE },  { GIC_FRAME_GICD, ICPENDR + 4, 3, VGIC_E_SIZE },
        { GIC_FRAME_GICD, ICPENDR + 4, 8, VGIC_E_SIZE },  { GIC_FRAME_GICD, ICPENDR + 6, 2, VGIC_E_SIZE },
        { GIC_FRAME_GICD, ICPENDR + 5, 4, VGIC_E_SIZE },  { GIC_FRAME_GICD, 0x400 + 44, 2, VGIC_E_SIZE },
        { GIC_FRAME_GICD, 0x400 + 45, 4, VGIC_E_SIZE },   { GIC_FRAME_GICD, 0x000, 0, VGIC_E_SIZE },
        { GIC_FRAME_GICC, 0x000, 4, VGIC_E_FRAME },       { GIC_FRAME_GICH, 0x100, 4, VGIC_E_FRAME },
        { GIC_FRAME_SYSREG, ICH_LR(0), 8, VGIC_E_FRAME },
    };
    if (v == GIC_V2) {
        cases.push_back({ GIC_FRAME_GICD, 0x6000 + 8 * 45, 8, VGIC_E_OFFSET });
        cases.push_back({ GIC_FRAME_GICR_SGI, ICPENDR, 4, VGIC_E_FRAME });
        cases.push_back({ GIC_FRAME_GICR_RD, 0x0, 4, VGIC_E_FRAME });
    } else {
        cases.push_back({ GIC_FRAME_GICD, 0xf00, 4, VGIC_E_OFFSET });
        cases.push_back({ GIC_FRAME_GICD, 0xf20, 4, VGIC_E_OFFSET });
        cases.push_back({ GIC_FRAME_GICD, 0x6000 + 8 * 45 + 2, 2, VGIC_E_SIZE });
        cases.push_back({ GIC_FRAME_GICR_SGI, 0x20000 + ICPENDR, 4, VGIC_E_OFFSET }); // rd 1 of 1 vCPU
        cases.push_back({ GIC_FRAME_GICR_SGI, 0x10000, 4, VGIC_E_OFFSET });
        cases.push_back({ GIC_FRAME_GICR_SGI, ICPENDR + 4, 4, VGIC_E_OFFSET });
        cases.push_back({ GIC_FRAME_GICR_RD, 0x010, 4, VGIC_E_OFFSET });
        cases.push_back({ GIC_FRAME_GICR_RD, 0x008, 2, VGIC_E_SIZE });
    }
    for (const Case &c : cases) {
        for (bool write : { true, false }) {
            uint64_t d = write ? 0xffffffffu : 0x5555;
            if (c.size == 1) d &= 0xff;
            if (c.size == 2) d &= 0xffff;
            EXPECT_EQ(vgic_guest_mmio(r.vm, 0, c.f, c.off, c.size, write, &d), c.rc)
                << "frame " << c.f << " off 0x" << std::hex << c.off << " size " << c.size << " write " << write;
            if (!write) {
                EXPECT_EQ(d, 0u);
            }
            EXPECT_EQ(r.last().hw_reads + r.last().hw_writes, 0u) << "no physical access";
            EXPECT_EQ(r.last().cpu_cycles, 0u);
            EXPECT_EQ(vgic_user_mmio(r.vm, 0, c.f, c.off, c.size, write, &d), c.rc);
        }
    }
    // Data wider than the access size.
    uint64_t wide = 0x1ff;
    EXPECT_EQ(vgic_guest_mmio(r.vm, 0, GIC_FRAME_GICD, 0x400 + 45, 1, true, &wide), VGIC_E_SIZE);
    wide = 1ull << 32 | (1u << (V % 32));
    EXPECT_EQ(vgic_guest_mmio(r.vm, 0, GIC_FRAME_GICD, ICPENDR + 4, 4, true, &wide), VGIC_E_SIZE);
    EXPECT_EQ(vgic_guest_mmio(r.vm, 5, GIC_FRAME_GICD, 0, 4, false, &wide), VGIC_E_INVAL);
    EXPECT_EQ(vgic_guest_mmio(r.vm, 0, GIC_FRAME_GICD, 0, 4, false, nullptr), VGIC_E_INVAL);
    vgic_irq_info after = r.info(V);
    EXPECT_EQ(after.latch, before.latch);
    EXPECT_EQ(after.priority, before.priority);
    EXPECT_EQ(after.enabled, before.enabled);
    EXPECT_TRUE(r.p_act(P)) << "the CPEND attempts of bad size did nothing";
    EXPECT_EQ(r.lr_raw(0), lr0);
}

BOTH(VdistBadInput, CallOrderAndCallbackFailure)
{
    Rig r(v);
    EXPECT_EQ(vgic_vcpu_exit(r.vm, 0, nullptr), VGIC_E_STATE);
    r.enter();
    EXPECT_EQ(vgic_vcpu_entry(r.vm, 0), VGIC_E_BUSY);
    EXPECT_EQ(vgic_vcpu_bind(r.vm, 0, 1), VGIC_E_BUSY);
    EXPECT_EQ(vgic_vcpu_entry(r.vm, 1), VGIC_E_INVAL);
    EXPECT_EQ(vgic_set_policy(r.vm, (vgic_policy)7), VGIC_E_INVAL);
    r.exit();
    r.fail_hw = true;
    EXPECT_EQ(vgic_vcpu_entry(r.vm, 0), VGIC_E_HW);
    EXPECT_EQ(r.last().hw_errors, 1u);
    uint32_t p, vi;
    EXPECT_EQ(vgic_host_irq(r.vm, 0, &p, &vi), VGIC_E_HW);
    EXPECT_EQ(vi, VGIC_NO_INTID);
    r.fail_hw = false;
    // Bad configurations.
    vgic_config c;
    vgic_config_default(&c, v);
    vgic_hw_ops ops{ &Rig::access, nullptr, &r };
    vgic_vm_t *vm = nullptr;
    c.num_vcpus = 0;
    EXPECT_EQ(vgic_create(&c, &ops, &vm), VGIC_E_INVAL);
    vgic_config_default(&c, v);
    c.num_spis = 989;
    EXPECT_EQ(vgic_create(&c, &ops, &vm), VGIC_E_INVAL);
    vgic_config_default(&c, v);
    c.num_lrs = 17;
    EXPECT_EQ(vgic_create(&c, &ops, &vm), VGIC_E_INVAL);
    vgic_config_default(&c, v);
    c.costs.cpu_mhz = 0;
    EXPECT_EQ(vgic_create(&c, &ops, &vm), VGIC_E_INVAL);
    vgic_config_default(&c, v);
    ops.access = nullptr;
    EXPECT_EQ(vgic_create(&c, &ops, &vm), VGIC_E_INVAL);
    EXPECT_EQ(vm, nullptr);
    EXPECT_STREQ(vgic_strerror(VGIC_E_OFFSET), "no register at this offset");
}

// ---------------------------------------------------------------- costs and statistics
BOTH(Vdist, CostsAndAccessCounts)
{
    Rig r(v);
    const vgic_config *c = vgic_get_config(r.vm);
    EXPECT_EQ(c->num_lrs, 4u) << "probed from VTR";
    EXPECT_EQ(c->vpre_bits, 5u);
    uint64_t d = 0;
    ASSERT_EQ(vgic_guest_mmio(r.vm, 0, GIC_FRAME_GICD, 0x000, 4, false, &d), VGIC_OK);
    const vgic_costs &k = c->costs;
    EXPECT_EQ(r.last().cpu_cycles, (uint64_t)k.trap_entry + k.trap_exit + k.emul_access);
    EXPECT_EQ(r.last().traps, 1u);
    EXPECT_DOUBLE_EQ(vgic_cycles_to_ns(r.vm, 2000), 1000.0);
    // An entry with one pending interrupt: VMCR, APRs, one LR, HCR.
    r.guest_enable(50);
    r.gbit_w(ISPENDR, 50);
    r.enter();
    vgic_stats e = r.last();
    EXPECT_EQ(e.lr_writes, 1u);
    EXPECT_EQ(e.hw_writes, v == GIC_V3 ? 5u : 4u) << "VMCR, AP0R/AP1R (v3) or APR (v2), LR0, HCR";
    EXPECT_EQ(e.hw_reads, 0u);
    EXPECT_EQ(e.cpu_cycles, (uint64_t)k.vm_entry + k.irq_scan + k.lr_write);
    r.exit();
    vgic_stats x = r.last();
    EXPECT_EQ(x.lr_reads, 1u);
    EXPECT_EQ(x.lr_writes, 1u) << "the used LR is cleared";
    EXPECT_EQ(x.hw_reads, v == GIC_V3 ? 5u : 4u) << "ELRSR, LR0, VMCR, APRs";
    EXPECT_EQ(x.hw_writes, 2u) << "LR0 := 0, HCR := 0";
    // A trapped access while entered is an exit, the emulation and an entry.
    r.enter();
    ASSERT_EQ(vgic_guest_mmio(r.vm, 0, GIC_FRAME_GICD, 0x000, 4, false, &d), VGIC_OK);
    EXPECT_EQ(r.last().exits, 1u);
    EXPECT_EQ(r.last().entries, 1u);
    EXPECT_EQ(r.last().kicks, 0u);
    EXPECT_GT(r.total().cpu_cycles, 0u);
}
