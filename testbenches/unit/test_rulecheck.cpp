// test_rulecheck.cpp: the SEMANTICS A/B rule checker (check/src/rulecheck.c). For each check a test
// that triggers it (suite named after the rule) and clean scenarios on which it stays silent; the
// policy stories with a real vgic VM over a gic_t on GICv2 and GICv3: VGIC_POLICY_NONE is caught,
// LAZY and EAGER stay silent on the same stimulus. The fixture follows test_vgic.cpp's Rig.
#include "rulecheck_test_util.hpp"

#include <algorithm>
#include <cstring>
#include <string>

using namespace gt;

namespace {

constexpr uint32_t IGROUPR = 0x080, ISENABLER = 0x100, ISPENDR = 0x200, ICPENDR = 0x280, ISACTIVER = 0x300,
                   ICACTIVER = 0x380;
constexpr uint32_t P = 40, V = 45; // pSPI 40 mapped to vSPI 45
const char *const A2 = "SEMANTICS A2", *const A3 = "SEMANTICS A3", *const A5 = "SEMANTICS A5",
                  *const A6 = "SEMANTICS A6", *const B2 = "SEMANTICS B2", *const B6 = "SEMANTICS B6";

// The checked GIC and host (CheckedRig), and optionally a vgic VM.
struct Rig : CheckedRig {
    // with_vm: create a VM with this policy; attach: give it to the checker.
    explicit Rig(gic_version ver, bool with_vm = false, vgic_policy pol = VGIC_POLICY_LAZY, bool attach = true)
        : CheckedRig(ver)
    {
        if (with_vm) create_vm(pol, &CheckedRig::plain_access, this, attach);
    }

    // ---- checker
    void finish() { gic_rulecheck_finish(rc, gic_now(gic.g)); }
    size_t count() const { return gic_rulecheck_count(rc); }
    const gic_violation *find(const char *rule, const char *check) const { return find_violation(rc, rule, check); }
    // Finished, and nothing reported (`what` leads the failure message).
    void expect_clean(const std::string &what = "")
    {
        finish();
        EXPECT_EQ(count(), 0u) << what << report();
    }
    // Exactly one violation `check` of `rule`, for pINTID `intid` and vINTID `vintid`; returns it (nullptr,
    // a failure, if there is none).
    const gic_violation *expect_one(const char *rule, const char *check, uint32_t intid, uint32_t vintid)
    {
        EXPECT_EQ(n(rule, check), 1u) << report();
        const gic_violation *x = find(rule, check);
        if (!x) {
            ADD_FAILURE() << "no " << rule << " " << check << "\n" << report();
            return nullptr;
        }
        EXPECT_EQ(x->intid, intid) << check;
        EXPECT_EQ(x->vintid, vintid) << check;
        return x;
    }
    // The checker's default options but for the orphan time limit.
    void set_orphan_cycles(uint64_t cycles)
    {
        gic_rulecheck_options o;
        gic_rulecheck_options_default(&o);
        o.orphan_cycles = cycles;
        ASSERT_EQ(gic_rulecheck_set_options(rc, &o), GIC_OK);
    }
    // Time passes by `cycles`, then a register read makes a later event.
    void run_for(gic_cycle_t cycles)
    {
        ASSERT_EQ(gic_run_until(gic.g, gic_now(gic.g) + cycles), GIC_OK);
        gic.gicd(0x004);
    }

    // ---- the host (CheckedRig::host_setup: EOImode=1, everything unmasked, GICv3 Group 1)
    void host_enable(uint32_t p, bool edge = false)
    {
        uint32_t bit = 1u << (p % 32), cfgoff = 0xc00 + 4 * (p / 16), cfgbit = 1u << (2 * (p % 16) + 1);
        if (v3()) gic.gicd_w(IGROUPR + 4 * (p / 32), gic.gicd(IGROUPR + 4 * (p / 32)) | bit);
        gic.gicd_w(ISENABLER + 4 * (p / 32), bit);
        if (edge) gic.gicd_w(cfgoff, gic.gicd(cfgoff) | cfgbit);
    }
    void p_write(uint32_t base, uint32_t p) { gic.gicd_w(base + 4 * (p / 32), 1u << (p % 32)); }
    // `p` enabled and made active by the host's ISACTIVER write.
    void host_active(uint32_t p)
    {
        host_enable(p);
        p_write(ISACTIVER, p);
    }
    uint32_t host_ack() { return if_r(false, ICC_IAR1_EL1_ENC, 0x00c); }
    void host_eoi(uint32_t id) { if_w(false, ICC_EOIR1_EL1_ENC, 0x010, id); }
    void host_dir(uint32_t id) { if_w(false, ICC_DIR_EL1_ENC, 0x1000, id); }
    bool p_act(uint32_t p)
    {
        uint64_t val = 0;
        gic_peek(gic.g, GIC_FRAME_GICD, 0, ISACTIVER + 4 * (p / 32), 4, &val);
        return (val >> (p % 32)) & 1;
    }

    // ---- list registers written directly (the hypervisor's part), given in ICH_LR_EL2 terms
    static uint64_t lrv(unsigned state, bool hw, uint32_t pintid_or_bits, uint32_t vintid, unsigned group = 1,
                        uint8_t prio = 0xa0)
    {
        return (uint64_t)state << 62 | (uint64_t)hw << 61 | (uint64_t)group << 60 | (uint64_t)prio << 48 |
               (uint64_t)(pintid_or_bits & 0x1fff) << 32 | vintid;
    }
    void lr_w(unsigned n, uint64_t x)
    {
        if (v3()) {
            gic.icc_w(ICH_LR(n), x);
        } else {
            uint64_t w = (x >> 61 & 1) << 31 | (x >> 60 & 1) << 30 | (x >> 62 & 3) << 28 |
                         ((x >> 48 & 0xff) >> 3) << 23 | ((x >> 32) & 0x3ff) << 10 | (x & 0x3ff);
            gic.gich_w(0x100 + 4 * n, w);
        }
    }
    // Virtual interface on (ICH_HCR_EL2 / GICH_HCR En), the guest's CPU interface on.
    void vif_on(bool veoimode = false)
    {
        if (v3()) gic.icc_w(ICH_HCR_EL2_ENC, 1);
        else gic.gich_w(0x000, 1);
        guest_cpuif(veoimode);
    }
    unsigned grp() const { return v3() ? 1 : 0; }

    // ---- the VM (as test_vgic.cpp)
    void gbit_w(uint32_t base, uint32_t intid)
    {
        uint64_t d = 1u << (intid % 32);
        EXPECT_EQ(vgic_guest_mmio(vm, 0, GIC_FRAME_GICD, base + 4 * (intid / 32), 4, true, &d), VGIC_OK);
    }
    void gw(uint32_t off, uint64_t val, unsigned size = 4)
    {
        uint64_t d = val;
        EXPECT_EQ(vgic_guest_mmio(vm, 0, GIC_FRAME_GICD, off, size, true, &d), VGIC_OK);
    }
    void guest_enable(uint32_t intid, bool edge = false)
    {
        gw(0x000, 0x3);
        if (v3()) {
            uint64_t d = 0;
            EXPECT_EQ(vgic_guest_mmio(vm, 0, GIC_FRAME_GICD, IGROUPR + 4 * (intid / 32), 4, false, &d), VGIC_OK);
            gw(IGROUPR + 4 * (intid / 32), d | 1u << (intid % 32));
        }
        gw(0x400 + intid, 0xa0, 1);
        if (edge) {
            uint64_t d = 0;
            uint32_t off = 0xc00 + 4 * (intid / 16);
            EXPECT_EQ(vgic_guest_mmio(vm, 0, GIC_FRAME_GICD, off, 4, false, &d), VGIC_OK);
            gw(off, d | 1u << (2 * (intid % 16) + 1));
        }
        gbit_w(ISENABLER, intid);
    }
    void enter() { ASSERT_EQ(vgic_vcpu_entry(vm, 0), VGIC_OK); }
    void exit() { ASSERT_EQ(vgic_vcpu_exit(vm, 0, nullptr), VGIC_OK); }
    uint32_t host_irq()
    {
        uint32_t p = 0, vi = 0;
        EXPECT_EQ(vgic_host_irq(vm, 0, &p, &vi), VGIC_OK);
        return vi;
    }
    void device(uint32_t p, bool level) { gic.spi(p, level); }
    void pulse(uint32_t p)
    { // an edge: the line up, then down
        device(p, true);
        device(p, false);
    }
    // The guest acknowledges `want` and EOIs it (the IAR value in *iar_out if given).
    void guest_complete(uint32_t want, uint32_t *iar_out = nullptr)
    {
        uint32_t iar = guest_ack();
        if (iar_out) *iar_out = iar;
        ASSERT_EQ(iar & 0x3ff, want);
        guest_eoi(iar);
    }
    void mapped_setup(bool edge = false, bool enter_vcpu = true)
    {
        host_enable(P, edge);
        ASSERT_EQ(vgic_map(vm, 0, V, P), VGIC_OK);
        guest_enable(V, edge);
        if (enter_vcpu) {
            enter();
            guest_cpuif();
        }
    }
};

#define BOTH(Suite, Name)                                                                                              \
    static void Suite##_##Name(gic_version v);                                                                         \
    TEST(Suite, Name##_V2) { Suite##_##Name(GIC_V2); }                                                                 \
    TEST(Suite, Name##_V3) { Suite##_##Name(GIC_V3); }                                                                 \
    static void Suite##_##Name(gic_version v)

// The correct hand-made forwarding of pSPI 40 as HW vINTID 45: host acknowledges and drops
// priority (EOImode 1), the hypervisor writes a HW=1 LR pending, the guest acknowledges and EOIs.
void forward_once(Rig &r)
{
    r.device(P, true);
    uint32_t id = r.host_ack();
    ASSERT_EQ(id & 0x3ff, P);
    r.host_eoi(id);
    r.lr_w(0, Rig::lrv(1, true, P, V, r.grp()));
    uint32_t iar = r.guest_ack();
    ASSERT_EQ(iar & 0x3ff, V);
    r.device(P, false);
    r.guest_eoi(iar);
    ASSERT_FALSE(r.p_act(P));
}

} // namespace

// ---------------------------------------------------------------- clean scenarios (no VM)
BOTH(RulecheckClean, HandForwardedHwInterruptIsSilent)
{
    Rig r(v);
    r.host_enable(P);
    r.vif_on();
    for (int k = 0; k < 3; k++) forward_once(r);
    r.expect_clean();
    EXPECT_TRUE(r.cb_seen.empty());
}

BOTH(RulecheckClean, HostOnlyInterruptsAndHwZeroLrsAreSilent)
{
    Rig r(v);
    r.host_enable(P);
    if (r.v3()) r.gic.icc_w(ICC_CTLR_EL1_ENC, 0);
    else r.gic.gicc_w(0x000, 0x1); // host EOImode 0
    r.device(P, true);
    uint32_t id = r.host_ack();
    r.device(P, false);
    r.host_eoi(id);
    EXPECT_FALSE(r.p_act(P));
    // HW=0 LRs: a level one with EOI maintenance, an edge one, different vINTIDs.
    r.vif_on();
    r.lr_w(0, Rig::lrv(1, false, 0x200, 50, r.grp()));
    r.lr_w(1, Rig::lrv(1, false, 0, 51, r.grp()));
    for (int k = 0; k < 2; k++) r.guest_eoi(r.guest_ack());
    r.lr_w(0, 0);
    r.lr_w(1, 0);
    r.expect_clean();
}

// ---------------------------------------------------------------- A2
BOTH(RulecheckA2, HwLrWrittenPendingActive)
{
    Rig r(v);
    r.host_active(P); // physical active: only A2 is broken
    r.lr_w(0, Rig::lrv(3, true, P, V, r.grp()));
    const gic_violation *x = r.expect_one(A2, "hw-pend-act", P, V);
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(x->cpu, 0u);
    // The LR write itself is the last access attached (traced after its effect, same cycle).
    ASSERT_GE(x->n_recent, 1u);
    const gic_trace_event &last = x->recent[x->n_recent - 1];
    EXPECT_EQ(last.kind, GIC_TR_ACCESS);
    EXPECT_EQ(last.cycle, x->cycle);
    EXPECT_EQ(last.aux & 0xff, (uint64_t)(r.v3() ? GIC_FRAME_SYSREG : GIC_FRAME_GICH));
    EXPECT_EQ(r.count(), 1u) << r.report();
    // Rewriting the same value is no new violation; the callback saw it once.
    r.lr_w(0, Rig::lrv(3, true, P, V, r.grp()));
    EXPECT_EQ(r.n(A2), 1u);
    ASSERT_EQ(r.cb_seen.size(), 1u);
    EXPECT_EQ(r.cb_seen[0].n_recent, x->n_recent) << "the callback runs once the access is attached";
}

BOTH(RulecheckA2, HwLrActiveOnlyIsNotA2)
{
    Rig r(v);
    r.host_active(P);
    r.lr_w(0, Rig::lrv(2, true, P, V, r.grp()));
    r.expect_clean();
}

// ---------------------------------------------------------------- A3 (the GIC's own MISR, fed synthetically)
TEST(RulecheckA3, MisrEoiWithoutEligibleLr)
{
    gic_config c;
    gic_config_default(&c, GIC_V3);
    gic_rulecheck_t *rc = nullptr;
    ASSERT_EQ(gic_rulecheck_create(&c, &rc), GIC_OK);
    gic_trace_event e{};
    e.cycle = 10;
    e.kind = GIC_TR_LR;
    e.intid = 0;
    e.value = 0;                       // invalid
    e.aux = Rig::lrv(2, true, 40, 45); // was a HW=1 active LR: a HW=1 entry never sets EISR
    gic_rulecheck_trace(rc, &e);
    e.kind = GIC_TR_MISR;
    e.value = 1; // EOI
    e.aux = 0;
    gic_rulecheck_trace(rc, &e);
    gic_rulecheck_flush(rc);
    EXPECT_EQ(gic_rulecheck_count_rule(rc, A3, "misr-eoi"), 1u);
    // A HW=0 LR with the EOI bit, now invalid: MISR.EOI=1 is right.
    e.cycle = 20;
    e.kind = GIC_TR_LR;
    e.intid = 1;
    e.value = Rig::lrv(0, false, 0x200, 50);
    e.aux = Rig::lrv(2, false, 0x200, 50);
    gic_rulecheck_trace(rc, &e);
    e.kind = GIC_TR_MISR;
    e.value = 1;
    gic_rulecheck_trace(rc, &e);
    gic_rulecheck_finish(rc, 30);
    EXPECT_EQ(gic_rulecheck_count(rc), 1u);
    gic_rulecheck_destroy(rc);
}

BOTH(RulecheckA3, RealEoiMaintenanceIsConsistent)
{
    Rig r(v);
    r.vif_on();
    r.lr_w(0, Rig::lrv(1, false, 0x200, 50, r.grp())); // HW=0, EOI=1
    r.guest_eoi(r.guest_ack());
    EXPECT_EQ(r.log.count(GIC_TR_MISR), 1u) << "MISR.EOI raised";
    r.lr_w(0, 0);
    r.expect_clean();
}

// ---------------------------------------------------------------- A5
BOTH(RulecheckA5, TwoValidLrsWithTheSameVintid)
{
    Rig r(v);
    r.lr_w(0, Rig::lrv(1, false, 0, 50, r.grp()));
    r.lr_w(2, Rig::lrv(1, false, 0, 50, r.grp()));
    EXPECT_EQ(r.n(A5, "dup-vintid"), 1u) << r.report();
    EXPECT_EQ(r.find(A5, "dup-vintid")->vintid, 50u);
    r.lr_w(3, Rig::lrv(1, false, 0, 51, r.grp()));
    EXPECT_EQ(r.count(), 1u) << r.report();
}

TEST(RulecheckA5, GicV2SgisFromDifferentSourcesAreNotDuplicates)
{
    Rig r(GIC_V2);
    r.lr_w(0, Rig::lrv(1, false, 1, 3, 0)); // SGI 3 from CPU 1
    r.lr_w(1, Rig::lrv(1, false, 2, 3, 0)); // SGI 3 from CPU 2
    EXPECT_EQ(r.count(), 0u) << r.report();
    r.lr_w(2, Rig::lrv(1, false, 2, 3, 0)); // SGI 3 from CPU 2 again
    EXPECT_EQ(r.n(A5, "dup-vintid"), 1u) << r.report();
}

BOTH(RulecheckA5, ValidLrWithSpecialVintid)
{
    Rig r(v);
    r.lr_w(1, Rig::lrv(1, false, 0, 1021, r.grp()));
    EXPECT_EQ(r.n(A5, "special-vintid"), 1u) << r.report();
    EXPECT_EQ(r.find(A5, "special-vintid")->vintid, 1021u);
    r.lr_w(1, Rig::lrv(0, false, 0, 1021, r.grp())); // invalid: fine
    EXPECT_EQ(r.count(), 1u);
}

BOTH(RulecheckA5, VirtualDirOfPendingOnlyLr)
{
    Rig r(v);
    r.vif_on(true); // virtual EOImode 1
    r.lr_w(0, Rig::lrv(1, false, 0, 50, r.grp()));
    r.guest_dir(50);
    EXPECT_EQ(r.n(A5, "dir-pending"), 1u) << r.report();
    // A DIR of an active LR is the normal EOImode=1 completion.
    r.lr_w(1, Rig::lrv(1, false, 0, 51, r.grp(), 0x80));
    uint32_t iar = 0;
    ASSERT_NO_FATAL_FAILURE(r.guest_complete(51u, &iar));
    r.guest_dir(iar);
    EXPECT_EQ(r.count(), 1u) << r.report();
}

BOTH(RulecheckA5, VirtualDirWithEoiModeZeroIsIgnoredNotReported)
{
    Rig r(v);
    r.vif_on(false);
    r.lr_w(0, Rig::lrv(1, false, 0, 50, r.grp()));
    r.guest_dir(50);
    r.lr_w(0, 0);
    r.expect_clean();
}

// ---------------------------------------------------------------- A6
BOTH(RulecheckA6, HwDeactivationOfInactivePhysical)
{
    Rig r(v);
    r.host_enable(P);
    r.vif_on();
    r.lr_w(0, Rig::lrv(1, true, P, V, r.grp())); // HW=1 pending, pINTID 40 never activated
    ASSERT_NO_FATAL_FAILURE(r.guest_complete(V));
    const gic_violation *x = r.expect_one(A6, "hw-deact-inactive", P, V);
    ASSERT_NE(x, nullptr);
    // The guest's EOI is among the accesses that led there, and it is the last one.
    ASSERT_GE(x->n_recent, 1u);
    const gic_trace_event &last = x->recent[x->n_recent - 1];
    EXPECT_EQ(last.aux & 0xff, (uint64_t)(r.v3() ? GIC_FRAME_VSYSREG : GIC_FRAME_GICV));
    EXPECT_EQ(last.intid, r.v3() ? ICC_EOIR1_EL1_ENC : 0x010u);
    // The rule of the KVM change was broken already at the acknowledge (hw-inactive), once.
    EXPECT_EQ(r.n(A6, "hw-inactive"), 1u) << r.report();
    r.finish();
    EXPECT_EQ(r.count(), 2u) << r.report();
}

BOTH(RulecheckA6, PhysicalDeactivationOfInactiveInterrupt)
{
    Rig r(v);
    r.host_enable(P);
    r.host_dir(P); // EOImode 1: DIR deactivates, but 40 is not active
    EXPECT_EQ(r.n(A6, "deact-inactive"), 1u) << r.report();
    EXPECT_EQ(r.find(A6, "deact-inactive")->intid, P);
    EXPECT_EQ(r.find(A6, "deact-inactive")->vintid, GIC_RULECHECK_NONE);
}

BOTH(RulecheckA6, HwLrLeftWithInactivePhysicalPastGrace)
{
    Rig r(v);
    r.host_enable(P);
    r.lr_w(0, Rig::lrv(2, true, P, V, r.grp())); // active HW LR, P inactive
    gic_cycle_t written = gic_now(r.gic.g);
    EXPECT_EQ(r.count(), 0u) << "within the grace period";
    ASSERT_NO_FATAL_FAILURE(r.run_for(1500));
    EXPECT_EQ(r.n(A6, "hw-inactive"), 1u) << r.report();
    const gic_violation *x = r.find(A6, "hw-inactive");
    EXPECT_LT(x->cycle, written);
    EXPECT_GT(x->cycle + 20, written) << "reported with the cycle of the LR write";
}

BOTH(RulecheckA6, EagerStyleActivationWithinGraceIsSilent)
{
    Rig r(v);
    r.host_enable(P);
    r.vif_on();
    r.lr_w(0, Rig::lrv(1, true, P, V, r.grp()));
    r.p_write(ISACTIVER, P); // activated right after the LR write (B9)
    uint32_t iar = r.guest_ack();
    r.guest_eoi(iar);
    EXPECT_FALSE(r.p_act(P));
    r.expect_clean();
}

BOTH(RulecheckA6, PhysicalDeactivatedUnderAValidHwLr)
{
    Rig r(v);
    r.host_active(P);
    r.lr_w(0, Rig::lrv(2, true, P, V, r.grp()));
    r.p_write(ICACTIVER, P); // the host releases P while the guest still holds it
    r.finish();
    EXPECT_EQ(r.n(A6, "hw-inactive"), 1u) << r.report();
}

// ---------------------------------------------------------------- B2 (orphan, blocked) without a VM
BOTH(RulecheckB2, PhysicalLeftActiveWithNoLrAtFinish)
{
    Rig r(v);
    r.host_enable(P, true);
    r.pulse(P);
    uint32_t id = r.host_ack();
    r.host_eoi(id);
    r.lr_w(0, Rig::lrv(1, true, P, V, r.grp()));
    r.lr_w(0, 0); // the hypervisor drops the LR but leaves P active
    EXPECT_EQ(r.count(), 0u);
    r.device(P, true); // the next assertion cannot be delivered
    r.device(P, false);
    r.finish();
    EXPECT_EQ(r.n(B2, "orphan"), 1u) << r.report();
    EXPECT_EQ(r.n(B2, "blocked"), 1u) << r.report();
    const gic_violation *o = r.find(B2, "orphan");
    EXPECT_EQ(o->intid, P);
    EXPECT_EQ(o->vintid, V) << "learned from the HW LR";
    const gic_violation *b = r.find(B2, "blocked");
    EXPECT_GT(b->cycle, o->cycle);
}

BOTH(RulecheckB2, OrphanReportedAfterTheConfiguredCycles)
{
    Rig r(v);
    ASSERT_NO_FATAL_FAILURE(r.set_orphan_cycles(200));
    r.host_active(P);
    r.lr_w(0, Rig::lrv(2, true, P, V, r.grp()));
    r.lr_w(0, 0);
    ASSERT_NO_FATAL_FAILURE(r.run_for(150));
    EXPECT_EQ(r.count(), 0u);
    ASSERT_NO_FATAL_FAILURE(r.run_for(100));
    EXPECT_EQ(r.n(B2, "orphan"), 1u) << r.report();
    r.finish();
    EXPECT_EQ(r.n(B2, "orphan"), 1u) << "once per episode";
}

BOTH(RulecheckB2, UnmappedHostInterruptActiveIsNoOrphan)
{
    Rig r(v);
    r.host_enable(P);
    r.device(P, true);
    r.host_ack(); // the host handles it and has not finished: not the VM's business
    r.expect_clean();
}

// ---------------------------------------------------------------- B6
BOTH(RulecheckB6, HwLrWithTheEoiBitSet)
{
    Rig r(v);
    r.host_active(P);
    r.lr_w(0, Rig::lrv(1, true, P | 0x200, V, r.grp())); // EOI bit (GICv2 bit 19, ICH_LR bit 41) = pINTID[9]
    EXPECT_EQ(r.n(B6, "hw-eoi-bit"), 1u) << r.report();
    EXPECT_EQ(r.find(B6, "hw-eoi-bit")->intid, P | 0x200);
}

BOTH(RulecheckB6, HwLrNamingAnSgi)
{
    Rig r(v);
    r.lr_w(0, Rig::lrv(2, true, 5, V, r.grp()));
    EXPECT_EQ(r.n(B6, "hw-pintid"), 1u) << r.report();
}

BOTH(RulecheckB6, HwLrDisagreesWithTheVmMapping)
{
    Rig r(v, true);
    r.mapped_setup();
    EXPECT_EQ(r.count(), 0u) << r.report();
    r.host_active(41);
    r.lr_w(3, Rig::lrv(1, true, 41, V, r.grp())); // the VM maps 45 to 40
    EXPECT_EQ(r.n(B6, "hw-pintid"), 1u) << r.report();
    r.lr_w(3, Rig::lrv(1, true, P | 0x200, V, r.grp()));
    EXPECT_EQ(r.n(B6, "hw-eoi-bit"), 1u) << r.report();
    r.lr_w(3, Rig::lrv(1, false, 0, V, r.grp()));
    EXPECT_EQ(r.n(B6, "hw-bit-missing"), 1u) << r.report();
    r.lr_w(3, Rig::lrv(1, true, 41, 46, r.grp())); // 46 is not mapped
    EXPECT_EQ(r.n(B6, "hw-unmapped"), 1u) << r.report();
}

// ---------------------------------------------------------------- the policy stories (vgic over a gic_t)
// SPEND then guest acknowledge + EOI: NONE forwards a deactivation of an inactive physical interrupt.
BOTH(RulecheckPolicy, SpendThenGuestDeactivate)
{
    for (vgic_policy pol : { VGIC_POLICY_NONE, VGIC_POLICY_LAZY, VGIC_POLICY_EAGER }) {
        Rig r(v, true, pol);
        r.mapped_setup();
        r.gbit_w(ISPENDR, V);
        uint32_t iar = r.guest_ack();
        ASSERT_EQ(iar & 0x3ff, V) << pol;
        r.guest_eoi(iar);
        r.exit();
        r.enter();
        r.finish();
        if (pol == VGIC_POLICY_NONE) {
            EXPECT_EQ(r.n(A6, "hw-deact-inactive"), 1u) << r.report();
            EXPECT_EQ(r.n(A6, "hw-inactive"), 1u) << r.report();
            const gic_violation *x = r.find(A6, "hw-deact-inactive");
            ASSERT_NE(x, nullptr);
            EXPECT_EQ(x->intid, P);
            EXPECT_EQ(x->vintid, V);
            EXPECT_GT(x->n_recent, 0u);
            EXPECT_EQ(r.count(), 2u) << r.report();
        } else {
            EXPECT_EQ(r.count(), 0u) << "policy " << pol << "\n" << r.report();
        }
    }
}

// A forwarded interrupt, then the guest's SPEND/CPEND pair, then a new physical assertion: NONE
// leaves the physical interrupt active with no owner, and the assertion is blocked.
BOTH(RulecheckPolicy, SpendCpendThenNewAssertion)
{
    for (vgic_policy pol : { VGIC_POLICY_NONE, VGIC_POLICY_LAZY, VGIC_POLICY_EAGER }) {
        Rig r(v, true, pol);
        r.mapped_setup(true);
        r.pulse(P);
        ASSERT_EQ(r.host_irq(), V) << pol;
        r.gbit_w(ISPENDR, V);
        r.gbit_w(ICPENDR, V);
        r.pulse(P);
        if (pol != VGIC_POLICY_NONE) {
            ASSERT_EQ(r.host_irq(), V) << pol; // delivered again; the guest completes it
            ASSERT_NO_FATAL_FAILURE(r.guest_complete(V));
        }
        r.finish();
        if (pol == VGIC_POLICY_NONE) {
            EXPECT_EQ(r.n(B2, "orphan"), 1u) << r.report();
            const gic_violation *b = r.expect_one(B2, "blocked", P, V);
            ASSERT_NE(b, nullptr);
            EXPECT_EQ(r.count(), 2u) << r.report();
        } else {
            EXPECT_EQ(r.count(), 0u) << "policy " << pol << "\n" << r.report();
        }
    }
}

// The same SPEND/CPEND story without waiting for the end: the orphan time limit reports it.
BOTH(RulecheckPolicy, NoneOrphanFoundByTimeLimit)
{
    Rig r(v, true, VGIC_POLICY_NONE);
    ASSERT_NO_FATAL_FAILURE(r.set_orphan_cycles(500));
    r.mapped_setup(true);
    r.pulse(P);
    ASSERT_EQ(r.host_irq(), V);
    r.gbit_w(ISPENDR, V);
    r.gbit_w(ICPENDR, V);
    ASSERT_EQ(gic_run_until(r.gic.g, gic_now(r.gic.g) + 600), GIC_OK);
    r.device(P, true);
    EXPECT_EQ(r.n(B2, "orphan"), 1u) << r.report();
}

// The guest's ISACTIVER under NONE: V.act without P.act; its deactivation hits an inactive P.
BOTH(RulecheckPolicy, NoneSactiveThenDeactivate)
{
    for (vgic_policy pol : { VGIC_POLICY_NONE, VGIC_POLICY_LAZY }) {
        Rig r(v, true, pol);
        r.mapped_setup();
        r.gbit_w(ISACTIVER, V);
        r.guest_eoi(V);
        r.exit();
        r.finish();
        if (pol == VGIC_POLICY_NONE) {
            EXPECT_EQ(r.n(A6, "hw-inactive"), 1u) << r.report();
            EXPECT_EQ(r.n(A6, "hw-deact-inactive"), 1u) << r.report();
        } else {
            EXPECT_EQ(r.count(), 0u) << r.report();
        }
    }
}

// A VM that is not entered: its pending mapped interrupt is checked against P at the end.
BOTH(RulecheckPolicy, NoneSpendOfIdleVmFoundAtFinish)
{
    for (vgic_policy pol : { VGIC_POLICY_NONE, VGIC_POLICY_LAZY }) {
        Rig r(v, true, pol);
        r.mapped_setup(false, false);
        r.gbit_w(ISPENDR, V);
        r.finish();
        if (pol == VGIC_POLICY_NONE) {
            EXPECT_EQ(r.n(A6, "virt-without-phys"), 1u) << r.report();
            EXPECT_EQ(r.count(), 1u) << r.report();
        } else {
            EXPECT_EQ(r.count(), 0u) << r.report();
        }
    }
}

// Without the VM attached the checker sees only the trace: NONE's A6 is still caught.
BOTH(RulecheckPolicy, NoneCaughtWithoutTheVmAttached)
{
    Rig r(v, true, VGIC_POLICY_NONE, false);
    r.mapped_setup();
    r.gbit_w(ISPENDR, V);
    uint32_t iar = r.guest_ack();
    r.guest_eoi(iar);
    r.finish();
    EXPECT_EQ(r.n(A6, "hw-deact-inactive"), 1u) << r.report();
}

// Lots of clean traffic: forwarded round trips, LR overflow with mapped interrupts, exits and
// entries, guest SPEND/CPEND/ACTIVE writes, a VM reset. LAZY and EAGER stay silent.
BOTH(RulecheckClean, BusyLazyAndEagerVmsAreSilent)
{
    for (vgic_policy pol : { VGIC_POLICY_LAZY, VGIC_POLICY_EAGER }) {
        Rig r(v, true, pol);
        r.mapped_setup(true);
        for (int k = 0; k < 3; k++) {
            r.pulse(P);
            ASSERT_EQ(r.host_irq(), V);
            ASSERT_NO_FATAL_FAILURE(r.guest_complete(V));
        }
        // More mapped interrupts than list registers.
        for (uint32_t i = 0; i < 6; i++) {
            r.host_enable(60 + i, true);
            ASSERT_EQ(vgic_map(r.vm, 0, 50 + i, 60 + i), VGIC_OK);
            r.guest_enable(50 + i, true);
        }
        for (uint32_t i = 0; i < 6; i++) {
            r.pulse(60 + i);
            ASSERT_EQ(r.host_irq(), 50 + i);
        }
        for (int it = 0; it < 50; it++) {
            if (r.gic.out(0) & GIC_OUT_VIRQ) {
                r.guest_eoi(r.guest_ack());
            } else if (r.gic.out(0) & GIC_OUT_MAINT) {
                r.exit();
                r.enter();
            } else {
                break;
            }
        }
        // Guest pending/active writes.
        r.gbit_w(ISPENDR, V);
        r.gbit_w(ICPENDR, V);
        r.gbit_w(ISACTIVER, V);
        r.gbit_w(ICACTIVER, V);
        r.gbit_w(ISPENDR, V);
        r.guest_eoi(r.guest_ack());
        r.exit();
        ASSERT_EQ(vgic_vm_reset(r.vm), VGIC_OK);
        r.enter();
        r.expect_clean("policy " + std::to_string(pol) + "\n");
    }
}

// ---------------------------------------------------------------- API
TEST(RulecheckApi, BadArguments)
{
    gic_config c;
    gic_config_default(&c, GIC_V2);
    gic_rulecheck_t *rc = reinterpret_cast<gic_rulecheck_t *>(1);
    EXPECT_EQ(gic_rulecheck_create(nullptr, &rc), GIC_E_INVAL);
    EXPECT_EQ(gic_rulecheck_create(&c, nullptr), GIC_E_INVAL);
    c.num_cpus = 9;
    EXPECT_EQ(gic_rulecheck_create(&c, &rc), GIC_E_INVAL);
    EXPECT_EQ(rc, nullptr);
    c.num_cpus = 1;
    c.num_lrs = 17;
    EXPECT_EQ(gic_rulecheck_create(&c, &rc), GIC_E_INVAL);
    c.num_lrs = 4;
    ASSERT_EQ(gic_rulecheck_create(&c, &rc), GIC_OK);
    gic_rulecheck_options o;
    gic_rulecheck_options_default(&o);
    o.history = 4;
    EXPECT_EQ(gic_rulecheck_set_options(rc, &o), GIC_E_INVAL);
    o.history = 64;
    o.recent = 9;
    EXPECT_EQ(gic_rulecheck_set_options(rc, &o), GIC_E_INVAL);
    EXPECT_EQ(gic_rulecheck_set_options(rc, nullptr), GIC_E_INVAL);
    EXPECT_EQ(gic_rulecheck_bind_vcpu(rc, 0, 1), GIC_E_INVAL);
    EXPECT_EQ(gic_rulecheck_get(rc, 0), nullptr);
    EXPECT_EQ(gic_rulecheck_count(nullptr), 0u);
    gic_rulecheck_trace(nullptr, nullptr);
    gic_rulecheck_trace(rc, nullptr);
    gic_rulecheck_finish(nullptr, 0);
    gic_rulecheck_destroy(nullptr);
    EXPECT_EQ(gic_violation_format(nullptr, nullptr, 0), GIC_E_INVAL);
    gic_rulecheck_destroy(rc);
}

BOTH(RulecheckApi, FormatHistoryAndRecentLimit)
{
    Rig r(v);
    gic_rulecheck_options o;
    gic_rulecheck_options_default(&o);
    o.history = 8;
    o.recent = 3;
    ASSERT_EQ(gic_rulecheck_set_options(r.rc, &o), GIC_OK);
    r.host_enable(P);
    r.host_dir(P);
    ASSERT_EQ(r.count(), 1u);
    const gic_violation *x = gic_rulecheck_get(r.rc, 0);
    EXPECT_EQ(x->n_recent, 3u);
    char buf[2048];
    int n = gic_violation_format(x, buf, sizeof buf);
    ASSERT_GT(n, 0);
    EXPECT_EQ((size_t)n, strlen(buf));
    std::string s(buf);
    EXPECT_NE(s.find("SEMANTICS A6 pINTID 40 vINTID -: deact-inactive:"), std::string::npos) << s;
    EXPECT_EQ(std::count(s.begin(), s.end(), '\n'), 3) << s;
    char small[16];
    EXPECT_EQ(gic_violation_format(x, small, sizeof small), n) << "snprintf rules";
    EXPECT_EQ(strlen(small), sizeof small - 1);
}

TEST(RulecheckApi, ManyViolationsCountedFirst4096Kept)
{
    gic_config c;
    gic_config_default(&c, GIC_V3);
    gic_rulecheck_t *rc = nullptr;
    ASSERT_EQ(gic_rulecheck_create(&c, &rc), GIC_OK);
    size_t calls = 0;
    gic_rulecheck_set_callback(
        rc, [](void *ctx, const gic_violation *) { ++*static_cast<size_t *>(ctx); }, &calls);
    gic_trace_event e{};
    for (unsigned i = 0; i < 5000; i++) {
        e.cycle = i;
        e.kind = GIC_TR_DEACT;
        e.intid = 40;
        e.value = 0;
        e.aux = 0;
        gic_rulecheck_trace(rc, &e);
    }
    gic_rulecheck_finish(rc, 5000);
    EXPECT_EQ(gic_rulecheck_count(rc), 5000u);
    EXPECT_EQ(calls, 5000u);
    EXPECT_NE(gic_rulecheck_get(rc, 4095), nullptr);
    EXPECT_EQ(gic_rulecheck_get(rc, 4096), nullptr);
    EXPECT_EQ(gic_rulecheck_get(rc, 4095)->cycle, 4095u);
    gic_rulecheck_destroy(rc);
}

BOTH(RulecheckApi, ResetForgetsTrackedState)
{
    Rig r(v);
    r.host_active(P);
    r.lr_w(0, Rig::lrv(2, true, P, V, r.grp()));
    gic_reset(r.gic.g);
    gic_rulecheck_reset(r.rc);
    r.expect_clean();
}
