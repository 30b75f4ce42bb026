// test_kvm_findings.cpp: directed reproductions of what replays of real Linux/KVM GIC traffic
// showed, run on gicsim's own model of KVM (hyp/, LAZY policy) with the rule checker
// (check/src/rulecheck.c) on the GIC's trace, on GICv2 and GICv3, virtual EOImode 0 and 1.
//
// Finding: Linux 6.1 KVM (recorded under QEMU), virtual timer vINTID 27 mapped to physical PPI 27,
// level-sensitive, HW=1 list registers, the timer's line low:
//   1. guest ISPENDR0 bit 27 (trap): V.latch := 1, physical ISACTIVER0 bit 27 (B1), entry: LR HW=1
//      pending (B6);
//   2. guest reads ISPENDR0 back (trap = VM exit): the LR is folded still pending; the mapped level
//      interrupt is resampled (B7): physical line low, so KVM writes physical ICACTIVER0 bit 27;
//   3. next entry: the LR is written HW=1 pending again (the latch is still set), the physical
//      interrupt is NOT made active again;
//   4. the guest acknowledges and EOIs (EOImode 1: EOI then DIR): the deactivation forwarded to
//      physical PPI 27 finds it inactive (SEMANTICS A6: "hw-inactive", "hw-deact-inactive").
//
// gicsim's model does NOT take step 2's ICACTIVER: its B7 carries a guard (docs/hypervisor.md,
// "Guard added to B7 and B8"): P.act := 0 after a low resample only if the virtual interrupt is
// neither active nor held pending by its latch. The latch set by the SPEND keeps P active, the
// guest's deactivation is applied and the checker stays silent:
// KvmTraceFindings.SpendThenExitBeforeAckLazyModelKeepsPhysicalActive.
// KvmTraceFindings.SpendThenExitBeforeAckLeavesHwLrWithInactivePhysical runs the same stimulus with
// the one physical access KVM 6.1 adds (the unguarded resample's ICACTIVER0 write, issued by the
// test's access callback right after the model's line read at that exit): this reproduces the
// trace, and the checker reports it.
#include "rulecheck_test_util.hpp"

#include <string>

using namespace gt;

namespace {

constexpr uint32_t IGROUPR = 0x080, ISENABLER = 0x100, ISPENDR = 0x200, ISACTIVER = 0x300, ICACTIVER = 0x380;
constexpr uint32_t TIMER = 27;        // vINTID 27 mapped to physical PPI 27 (the virtual timer)
constexpr uint32_t BIT = 1u << TIMER; // 0x08000000
const char *const A6 = "SEMANTICS A6";

// The list register KVM writes (and gicsim's B6 builds) for the timer: HW=1, pINTID 27, vINTID 27,
// pending, priority 0xa0. GICv3 Group 1 (the trace's ICH_LR0_EL2 value); GICv2 Group 0.
constexpr uint64_t LR_V3 = 0x70a0001b0000001bull;
constexpr uint64_t LR_V2 = 1ull << 31 | 1ull << 28 | (0xa0ull >> 3) << 23 | (uint64_t)TIMER << 10 | TIMER; // 0x9a006c1b

// One physical access the vgic made through its callback, with the data read.
struct Acc {
    Access a;
    uint64_t rdata;
};

// The checked GIC (the host with PPI 27 enabled, level, as the timer), a LAZY VM mapping the timer,
// the guest's timer enabled, its vCPU entered and its virtual CPU interface open.
struct Rig : CheckedRig {
    std::vector<Acc> acc;      // the vgic's physical accesses since the last clear
    bool kvm_resample = false; // emulate KVM 6.1's unguarded B7 at the next low line read

    bool is_phys_bank0(const Access &a, uint32_t base) const
    {
        return v3() ? a.frame == GIC_FRAME_GICR_SGI && a.offset == base : a.frame == GIC_FRAME_GICD && a.offset == base;
    }
    static int access(void *ctx, const Access *a, uint64_t *r)
    {
        auto *R = static_cast<Rig *>(ctx);
        int rc = settled_access(R->gic, a, r);
        R->acc.push_back({ *a, rc == 0 && !a->write ? *r : 0 });
        // KVM 6.1: the line of the mapped level interrupt, read at the exit's fold, is low: it clears
        // the physical active state, whatever the latch says (gicsim's guard would keep it).
        if (rc == 0 && R->kvm_resample && !a->write && R->is_phys_bank0(*a, ISPENDR) && !(*r & BIT)) {
            R->kvm_resample = false;
            Access c{ a->frame, 1, 4, a->cpu, ICACTIVER, BIT };
            uint64_t dummy = 0;
            EXPECT_EQ(settled_access(R->gic, &c, &dummy), 0);
            R->acc.push_back({ c, 0 });
        }
        return rc;
    }

    Rig(gic_version ver, bool veoimode) : CheckedRig(ver)
    {
        // The host (CheckedRig::host_setup): PPI 27 enabled (level, as the timer), Group 1 on GICv3.
        if (v3()) {
            gic.sgi_w(IGROUPR, gic.sgi(IGROUPR) | BIT);
            gic.sgi_w(ISENABLER, BIT);
        } else {
            gic.gicd_w(ISENABLER, BIT);
        }
        create_vm(VGIC_POLICY_LAZY, &Rig::access, this, true);
        EXPECT_EQ(vgic_map(vm, 0, TIMER, TIMER), VGIC_OK);
        // The guest: distributor on, the timer in Group 1 (GICv3), priority 0xa0, enabled.
        gw(GIC_FRAME_GICD, 0x000, 0x3);
        if (v3()) gw(GIC_FRAME_GICR_SGI, IGROUPR, BIT);
        gw(v3() ? GIC_FRAME_GICR_SGI : GIC_FRAME_GICD, 0x400 + TIMER, 0xa0, 1);
        gw(v3() ? GIC_FRAME_GICR_SGI : GIC_FRAME_GICD, ISENABLER, BIT);
        EXPECT_EQ(vgic_vcpu_entry(vm, 0), VGIC_OK);
        guest_cpuif(veoimode);
    }
    uint64_t lr_hw_pending() const { return v3() ? LR_V3 : LR_V2; }

    // ---- the guest's trapped accesses (GICv3: the timer lives in the redistributor's SGI_base;
    // GICv2: in the banked GICD_*0 registers).
    void gw(gic_frame f, uint32_t off, uint64_t val, unsigned size = 4)
    {
        uint64_t d = val;
        EXPECT_EQ(vgic_guest_mmio(vm, 0, f, off, size, true, &d), VGIC_OK) << std::hex << off;
    }
    gic_frame tf() const { return v3() ? GIC_FRAME_GICR_SGI : GIC_FRAME_GICD; }
    void guest_spend() { gw(tf(), ISPENDR, BIT); }
    uint64_t guest_ispendr_read()
    {
        uint64_t d = 0;
        EXPECT_EQ(vgic_guest_mmio(vm, 0, tf(), ISPENDR, 4, false, &d), VGIC_OK);
        return d;
    }

    // ---- physical state
    bool p_bit(uint32_t base)
    {
        uint64_t val = 0;
        EXPECT_EQ(gic_peek(gic.g, tf(), 0, base, 4, &val), GIC_OK);
        return (val >> TIMER) & 1;
    }
    bool p_act() { return p_bit(ISACTIVER); }
    bool p_pend() { return p_bit(ISPENDR); }
    uint64_t lr0()
    {
        uint64_t val = 0;
        if (v3()) EXPECT_EQ(gic_peek(gic.g, GIC_FRAME_SYSREG, 0, ICH_LR(0), 8, &val), GIC_OK);
        else EXPECT_EQ(gic_peek(gic.g, GIC_FRAME_GICH, 0, 0x100, 4, &val), GIC_OK);
        return val;
    }
    unsigned lr0_state()
    {
        uint64_t x = lr0();
        return (unsigned)(v3() ? x >> 62 : (x >> 28) & 3);
    }
    vgic_irq_info info()
    {
        vgic_irq_info i{};
        EXPECT_EQ(vgic_get_irq(vm, 0, TIMER, &i), VGIC_OK);
        return i;
    }

    // ---- the vgic's accesses: index of the first one matching, -1 none
    bool is_lr0(const Access &a) const
    {
        return v3() ? a.frame == GIC_FRAME_SYSREG && a.offset == ICH_LR(0)
                    : a.frame == GIC_FRAME_GICH && a.offset == 0x100;
    }
    int find(bool write, uint32_t base, int from = 0) const
    {
        for (size_t i = (size_t)from; i < acc.size(); i++)
            if (acc[i].a.write == write && is_phys_bank0(acc[i].a, base) && (!write || acc[i].a.data == BIT))
                return (int)i;
        return -1;
    }
    int find_lr0(bool write, int from = 0) const
    {
        for (size_t i = (size_t)from; i < acc.size(); i++)
            if (acc[i].a.write == write && is_lr0(acc[i].a)) return (int)i;
        return -1;
    }
    int find_lr0_write(uint64_t val, int from = 0) const
    {
        for (size_t i = (size_t)from; i < acc.size(); i++)
            if (acc[i].a.write && is_lr0(acc[i].a) && acc[i].a.data == val) return (int)i;
        return -1;
    }

    // ---- deactivations forwarded from HW=1 LRs (GIC trace): applied (value 1) or ignored (value 0)
    size_t hw_deacts(uint64_t applied) const
    {
        size_t n = 0;
        for (auto &e : log.ev) n += e.kind == GIC_TR_DEACT && e.intid == TIMER && e.value == applied && e.aux == 1;
        return n;
    }

    // ---- checker
    const gic_violation *find_violation(const char *check) const { return ::find_violation(rc, A6, check); }
};

// Steps 1 to 3, common to both tests; `kvm` arms KVM 6.1's unguarded resample at the read-back exit.
void spend_then_readback(Rig &r, bool kvm)
{
    // The timer has not fired: its line is low.
    r.gic.ppi(0, TIMER, false);
    ASSERT_FALSE(r.p_pend());
    ASSERT_FALSE(r.p_act());
    ASSERT_EQ(r.lr0_state(), 0u);

    // Step 1: guest SPEND (a trap: exit, B1, entry). B1: V.latch := 1 and physical ISACTIVER0 bit 27,
    // then on entry (B6) the LR HW=1 pending, as KVM: ISACTIVER0 write 0x08000000, then the LR.
    r.acc.clear();
    r.guest_spend();
    int sact = r.find(true, ISACTIVER);
    ASSERT_GE(sact, 0) << "B1: physical ISACTIVER0 write 0x08000000";
    int lrw = r.find_lr0_write(r.lr_hw_pending(), sact);
    EXPECT_GT(lrw, sact) << "B6: LR0 written HW=1 pending after the activation";
    EXPECT_TRUE(r.p_act()) << "B1: P.act := 1";
    EXPECT_FALSE(r.p_pend());
    EXPECT_EQ(r.lr0(), r.lr_hw_pending()) << std::hex << r.lr0();
    EXPECT_TRUE(r.info().latch);
    EXPECT_FALSE(r.info().line);
    EXPECT_EQ(r.n(A6), 0u) << r.report();

    // Steps 2 and 3: the guest reads ISPENDR0 back before acknowledging. The trap is a VM exit (the
    // LR is read, still pending, cleared and folded: B7 reads the physical line) and an entry.
    r.acc.clear();
    r.kvm_resample = kvm;
    EXPECT_EQ(r.guest_ispendr_read() & BIT, BIT) << "the guest sees its SPEND";
    EXPECT_FALSE(r.kvm_resample) << "the exit's fold read the physical line (low)";
    int lrr = r.find_lr0(false);
    ASSERT_GE(lrr, 0) << "exit: LR0 read";
    EXPECT_EQ(r.acc[(size_t)lrr].rdata, r.lr_hw_pending()) << "exit: LR0 still pending, HW=1";
    int line = r.find(false, ISPENDR, lrr);
    ASSERT_GT(line, lrr) << "B7: mapped level LR still pending: the physical line is resampled";
    EXPECT_EQ(r.acc[(size_t)line].rdata & BIT, 0u) << "B7: the line is low";
    int cact = r.find(true, ICACTIVER);
    int relr = r.find_lr0_write(r.lr_hw_pending(), line);
    ASSERT_GT(relr, line) << "step 3: the next entry writes LR0 HW=1 pending again (V.latch still set)";
    EXPECT_EQ(r.find(true, ISACTIVER), -1) << "step 3: the entry does not (re-)activate the physical PPI";
    if (kvm) {
        EXPECT_GT(cact, line) << "KVM 6.1: ICACTIVER0 write 0x08000000 at the exit";
        EXPECT_LT(cact, relr);
        EXPECT_FALSE(r.p_act()) << "KVM 6.1: the physical PPI is left inactive";
    } else {
        EXPECT_EQ(cact, -1) << "gicsim B7 guard: no ICACTIVER0 write while V.latch holds it pending";
        EXPECT_TRUE(r.p_act()) << "gicsim B7 guard: P.act stays 1";
    }
    EXPECT_EQ(r.lr0(), r.lr_hw_pending()) << std::hex << r.lr0();
    EXPECT_TRUE(r.info().latch) << "B7: a level LR still pending leaves V.latch";
    EXPECT_FALSE(r.info().line) << "B7: V.line := physical line (0)";
}

// Step 4: acknowledge, then EOI (EOImode 0) or EOI and DIR (EOImode 1); returns with the deactivation
// done. `kvm`: PPI 27 is inactive under the HW=1 LR, and the checker says so when the guest
// acknowledges (hw-inactive) and when its deactivation is forwarded (hw-deact-inactive).
void ack_and_deactivate(Rig &r, bool veoimode, bool kvm)
{
    size_t viol = kvm ? 1u : 0u;
    EXPECT_EQ(r.n(A6), 0u) << "nothing reported before the acknowledge\n" << r.report();
    uint32_t iar = r.guest_ack();
    ASSERT_EQ(iar & 0x3ff, TIMER);
    EXPECT_EQ(r.lr0_state(), 2u) << "acknowledged: LR0 active (HW=1: never pending+active)";
    EXPECT_EQ(r.p_act(), !kvm);
    EXPECT_EQ(r.n(A6, "hw-inactive"), viol) << r.report();
    r.guest_eoi(iar);
    if (veoimode) {
        EXPECT_EQ(r.lr0_state(), 2u) << "EOImode 1: the EOI only drops the priority";
        EXPECT_EQ(r.hw_deacts(0) + r.hw_deacts(1), 0u) << "nothing forwarded before DIR";
        EXPECT_EQ(r.n(A6, "hw-deact-inactive"), 0u) << r.report();
        EXPECT_EQ(r.p_act(), !kvm);
        r.guest_dir(iar);
    }
    EXPECT_EQ(r.lr0_state(), 0u) << "the guest's deactivation invalidates LR0";
    EXPECT_FALSE(r.p_act());
    EXPECT_EQ(r.n(A6, "hw-deact-inactive"), viol) << r.report();
}

// The whole story: steps 1 to 4, the next exit and the checker's verdict. `kvm`: with KVM 6.1's extra
// access (the deactivation is ignored and reported), else gicsim's LAZY model (applied, silent).
void finding(gic_version v, bool veoimode, bool kvm)
{
    Rig r(v, veoimode);
    spend_then_readback(r, kvm);
    ack_and_deactivate(r, veoimode, kvm);
    if (kvm) {
        EXPECT_EQ(r.hw_deacts(0), 1u) << "A6 broken: the forwarded deactivation of PPI 27 is ignored";
        EXPECT_EQ(r.hw_deacts(1), 0u);
    } else {
        EXPECT_EQ(r.hw_deacts(1), 1u) << "the forwarded deactivation finds PPI 27 active: applied";
        EXPECT_EQ(r.hw_deacts(0), 0u);
    }
    ASSERT_EQ(vgic_vcpu_exit(r.vm, 0, nullptr), VGIC_OK);
    if (!kvm) {
        // The next exit folds the invalid LR: nothing pending or active is left, virtual or physical.
        EXPECT_FALSE(r.info().pending);
        EXPECT_FALSE(r.info().active);
        EXPECT_FALSE(r.p_act());
    }
    gic_rulecheck_finish(r.rc, gic_now(r.gic.g));
    if (kvm) {
        EXPECT_EQ(r.n(A6, "hw-inactive"), 1u) << r.report();
        EXPECT_EQ(r.n(A6, "hw-deact-inactive"), 1u) << r.report();
        for (const char *check : { "hw-inactive", "hw-deact-inactive" }) {
            const gic_violation *x = r.find_violation(check);
            ASSERT_NE(x, nullptr) << check;
            EXPECT_EQ(x->intid, TIMER) << check;
            EXPECT_EQ(x->vintid, TIMER) << check;
        }
    }
    EXPECT_EQ(gic_rulecheck_count(r.rc), kvm ? 2u : 0u) << r.report();
}

#define FOUR(Name, kvm)                                                                                                \
    TEST(KvmTraceFindings, Name##_V2_EoiMode0) { finding(GIC_V2, false, kvm); }                                        \
    TEST(KvmTraceFindings, Name##_V2_EoiMode1) { finding(GIC_V2, true, kvm); }                                         \
    TEST(KvmTraceFindings, Name##_V3_EoiMode0) { finding(GIC_V3, false, kvm); }                                        \
    TEST(KvmTraceFindings, Name##_V3_EoiMode1) { finding(GIC_V3, true, kvm); }

} // namespace

// gicsim's LAZY model on the trace's stimulus: the B7 guard keeps PPI 27 active across the read-back
// exit, the guest's deactivation is applied, the checker is silent (the model does NOT reproduce it).
FOUR(SpendThenExitBeforeAckLazyModelKeepsPhysicalActive, false)

// The same stimulus with KVM 6.1's extra access (ICACTIVER0 at the read-back exit): the entry writes a
// HW=1 pending LR over an inactive physical PPI, and the deactivation is ignored (A6).
FOUR(SpendThenExitBeforeAckLeavesHwLrWithInactivePhysical, true)
