// test_semantics_a.cpp: SEMANTICS rules A1-A7 (virtual CPU interface with HW=1 list registers, the
// maintenance interrupt, EOIcount, ignored deactivations, physical EOImode=1), each on GICv2
// (GICH/GICV frames) and GICv3 (ICH_* in SYSREG, ICV_* in VSYSREG). Expected cycles come from
// the configured struct gic_timing (docs/timing.md section 2), never from literals.
#include "sem_test_util.hpp"

using namespace sem;

namespace {
SEM_VERSION_SUITE(SemanticsA1);
SEM_VERSION_SUITE(SemanticsA2);
SEM_VERSION_SUITE(SemanticsA3);
SEM_VERSION_SUITE(SemanticsA4);
SEM_VERSION_SUITE(SemanticsA5);
SEM_VERSION_SUITE(SemanticsA6);
SEM_VERSION_SUITE(SemanticsA7);

void set_lrs16(gic_config *c) { c->num_lrs = 16; }

// An interrupt the guest acknowledged and the hypervisor then took out of the list registers (LR
// `n` reused, the interrupt kept in memory): its vINTID is in no LR, its priority stays active.
void evict_active(Rig &r, uint32_t v, unsigned n = 0, unsigned prio = 0x80)
{
    r.lr_w(n, r.vlr(1, v, -1, prio));
    EXPECT_EQ(r.vack(), v);
    r.lr_w(n, Lr{});
    EXPECT_EQ(r.vrpr(), prio);
}
} // namespace

// ============================== A1 ==============================
// A1: with VEOIM=0 the guest's EOIR deactivates the HW=1 LR and forwards the deactivation of its
// pINTID (not its vINTID) to the physical side, applied hwdeact cycles after the effect.
TEST_P(SemanticsA1, GuestEoirWithVeoim0ForwardsPintid)
{
    Rig r(GetParam());
    const uint32_t P = 40, V = 72; // different INTIDs: the pINTID must be the one deactivated
    forward_hw(r, P, V);
    EXPECT_TRUE(r.virq());
    TraceLog t(r.g.g);
    EXPECT_EQ(r.vack(), V);
    EXPECT_EQ(r.lr_st(0), 2u);
    EXPECT_FALSE(r.virq());
    gic_cycle_t E = r.veoi(V);
    EXPECT_EQ(first_ev(t, GIC_TR_HWDEACT, E, P, V), E);
    EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E, P, 1, 1), E + r.tm().hwdeact);
    EXPECT_EQ(first_ev(t, GIC_TR_ACTIVE, E, P, 0), E + r.tm().hwdeact);
    EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E, V), GIC_CYCLE_NEVER) << "the vINTID is never sent to the physical side";
    EXPECT_FALSE(r.active(P));
    EXPECT_EQ(r.lr_st(0), 0u);
    EXPECT_EQ(r.vapr(), 0u);
    EXPECT_EQ(r.vrpr(), 0xffu);
    EXPECT_EQ(r.eisr(), 0u); // A3: HW=1 never sets EISR
    EXPECT_EQ(r.elrsr() & 1, 1u);
    EXPECT_EQ(r.eoicount(), 0u); // it was in an LR
}

// A1: with VEOIM=1, EOIR only drops the virtual priority; DIR deactivates and forwards.
TEST_P(SemanticsA1, GuestDirWithVeoim1ForwardsEoirDoesNot)
{
    Rig r(GetParam());
    const uint32_t P = 41, V = 41;
    forward_hw(r, P, V, 2, /*veoim=*/true);
    TraceLog t(r.g.g);
    EXPECT_EQ(r.vack(), V);
    EXPECT_NE(r.vapr(), 0u);
    gic_cycle_t E1 = r.veoi(V);
    EXPECT_EQ(r.vapr(), 0u) << "EOIR still drops the priority";
    EXPECT_EQ(r.vrpr(), 0xffu);
    EXPECT_EQ(r.lr_st(2), 2u) << "the LR stays active";
    EXPECT_TRUE(r.active(P));
    EXPECT_EQ(t.count(GIC_TR_HWDEACT), 0u);
    EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E1), GIC_CYCLE_NEVER);
    gic_cycle_t E2 = r.vdir(V);
    EXPECT_EQ(first_ev(t, GIC_TR_HWDEACT, E2, P, V), E2);
    EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E2, P, 1, 1), E2 + r.tm().hwdeact);
    EXPECT_FALSE(r.active(P));
    EXPECT_EQ(r.lr_st(2), 0u);
}

// A1 on GICv3 Group 0: ICV_IAR0/ICV_EOIR0 with a Group 0 HW LR (a vFIQ) forwards the same way;
// on GICv2 the Group 1 path (GICV_AIAR/GICV_AEOIR) does.
TEST_P(SemanticsA1, OtherGroupRegistersForwardToo)
{
    const bool v3 = GetParam();
    Rig r(v3);
    const uint32_t P = 50, V = 60;
    r.host_open(0, true);
    r.enable(P);
    r.activate(P); // the physical interrupt is active (SEMANTICS B1)
    r.hcr_w(1);
    Lr l = r.vlr(1, V, P);
    l.grp = v3 ? 0 : 1;
    if (v3) {
        r.g.icv_w(ICC_PMR_EL1_ENC, 0xff);
        r.g.icv_w(ICC_IGRPEN0_EL1_ENC, 1);
    } else {
        r.g.gicv_w(0x004, 0xff);
        r.g.gicv_w(0x000, 0x2); // EnableGrp1 only
    }
    r.lr_w(1, l);
    EXPECT_EQ(r.g.out() & (GIC_OUT_VIRQ | GIC_OUT_VFIQ), v3 ? (uint32_t)GIC_OUT_VFIQ : (uint32_t)GIC_OUT_VIRQ);
    TraceLog t(r.g.g);
    uint64_t iar = v3 ? r.g.icv(ICC_IAR0_EL1_ENC) : r.g.gicv(0x020);
    EXPECT_EQ(iar, V);
    gic_cycle_t E = v3 ? r.write_e(GIC_FRAME_VSYSREG, ICC_EOIR0_EL1_ENC, V) : r.write_e(GIC_FRAME_GICV, 0x024, V);
    EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E, P, 1, 1), E + r.tm().hwdeact);
    EXPECT_FALSE(r.active(P));
    EXPECT_EQ(r.vapr(), 0u);
    if (v3) {
        EXPECT_EQ(r.g.icv(ICC_AP0R_EL1_ENC), 0u);
    }
}

// A1 and timing.md 4.6: a HW LR that is active because the hypervisor restored it so (no guest
// acknowledge) is deactivated by the guest's DIR all the same (VEOIM=1), with no priority drop.
TEST_P(SemanticsA1, RestoredActiveHwLrDeactivatedByDir)
{
    Rig r(GetParam());
    r.host_open(0, true);
    r.enable(45);
    r.activate(45);
    r.virt_open(1, 0, true);
    r.lr_w(3, r.vlr(2, 45, 45));
    TraceLog t(r.g.g);
    gic_cycle_t E = r.vdir(45);
    EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E, 45, 1, 1), E + r.tm().hwdeact);
    EXPECT_FALSE(r.active(45));
    EXPECT_EQ(r.lr_st(3), 0u);
    EXPECT_EQ(t.count(GIC_TR_VRPR), 0u);
}

// ============================== A2 ==============================
// A2: the hypervisor must not write a HW=1 LR as pending+active. The architecture leaves the result
// undefined; gicsim's choice, checked here: the LR is treated like any pending+active LR. It is not
// signalled (only State=pending LRs are candidates, timing.md 4.5) and is neither in EISR nor
// ELRSR. A guest deactivation clears the active part, forwards the pINTID (traced as
// hw-deactivate and deactivate applied) and leaves the LR pending, so the guest takes the
// interrupt a second time; the second deactivation finds the physical interrupt inactive and is
// reported as deactivate value 0, aux 1 (SEMANTICS A6): the misuse is visible in the trace.
TEST_P(SemanticsA2, PendingActiveHwLrIsConsistentAndTraced)
{
    Rig r(GetParam());
    const uint32_t P = 44, V = 44;
    r.host_open(0, true);
    host_take(r, P);
    r.virt_open(1);
    TraceLog t(r.g.g);
    r.lr_w(0, r.vlr(3, V, P));
    EXPECT_EQ(r.lr_st(0), 3u) << "the LR stores what was written";
    EXPECT_FALSE(r.virq()) << "pending+active is not a candidate for signalling";
    EXPECT_EQ(r.vhppir() & 0x3ff, 1023u);
    EXPECT_EQ(r.vack() & 0x3ff, 1023u);
    EXPECT_EQ(r.eisr(), 0u);
    EXPECT_EQ(r.elrsr() & 1, 0u);
    // First deactivation: forwarded and applied.
    gic_cycle_t E1 = r.veoi(V);
    EXPECT_EQ(first_ev(t, GIC_TR_HWDEACT, E1, P, V), E1);
    EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E1, P, 1, 1), E1 + r.tm().hwdeact);
    EXPECT_EQ(r.lr_st(0), 1u) << "the pending part remains";
    EXPECT_FALSE(r.active(P));
    EXPECT_TRUE(r.virq());
    // The guest sees it again; its deactivation now finds P inactive: ignored, reported.
    EXPECT_EQ(r.vack(), V);
    gic_cycle_t E2 = r.veoi(V);
    EXPECT_EQ(first_ev(t, GIC_TR_HWDEACT, E2, P, V), E2);
    EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E2, P, 0, 1), E2 + r.tm().hwdeact);
    EXPECT_EQ(r.lr_st(0), 0u);
    EXPECT_EQ(t.count(GIC_TR_HWDEACT), 2u);
    EXPECT_EQ(r.vapr(), 0u);
}

// ============================== A3 ==============================
// A3, exhaustive: every LR takes every combination of State x HW x EOI (16 LRs, 16 rotations).
// EISR bit n = State==0 && HW==0 && EOI==1; ELRSR bit n = State==0 && (HW==1 || EOI==0).
// With HW=1 the EOI bit position (GICH_LR[19], ICH_LR[41]) is pINTID bit 9: it must not count.
// The SEMANTICS D bug "(lr & HW) == 1" with HW at bit 61 would drop every HW=1 LR from ELRSR.
TEST_P(SemanticsA3, EisrElrsrExhaustiveOverLrs)
{
    Rig r(GetParam(), 1, set_lrs16);
    r.hcr_w(1); // En, no other maintenance enables: MISR = EOI only
    for (unsigned s = 0; s < 16; s++) {
        uint32_t want_eisr = 0, want_elrsr = 0;
        for (unsigned i = 0; i < 16; i++) {
            unsigned k = (i + s) % 16, state = k & 3, hw = (k >> 2) & 1, eoi = (k >> 3) & 1;
            Lr l;
            l.state = state;
            l.hw = hw;
            l.vintid = 64 + i;
            l.prio = 0x80;
            if (hw) l.pintid = (eoi ? 0x200u : 0u) | (64 + i); // pINTID bit 9 aliases the EOI bit
            else l.eoi = eoi;
            r.lr_w(i, l);
            EXPECT_EQ(r.lr(i), lr_enc(r.v3, l)) << "LR" << i << " round trip";
            if (state == 0 && !hw && eoi) want_eisr |= 1u << i;
            if (state == 0 && (hw || !eoi)) want_elrsr |= 1u << i;
        }
        EXPECT_EQ(r.eisr(), want_eisr) << "rotation " << s;
        EXPECT_EQ(r.elrsr(), want_elrsr) << "rotation " << s;
        EXPECT_EQ(r.misr(), want_eisr ? 1u : 0u) << "MISR.EOI = any EISR bit";
        EXPECT_EQ(r.maint(), want_eisr != 0);
        if (!r.v3) {
            EXPECT_EQ(r.g.gich(0x024), 0u); // GICH_EISR1: no LRs 32-63
            EXPECT_EQ(r.g.gich(0x034), 0u);
        }
    }
    // Directed: an invalid HW=1 LR (HW at bit 61 on GICv3, bit 31 on GICv2) is free.
    Lr hw;
    hw.hw = 1;
    hw.pintid = 33;
    hw.vintid = 33;
    for (unsigned i = 0; i < 16; i++) r.lr_w(i, hw);
    EXPECT_EQ(r.elrsr(), 0xffffu) << "SEMANTICS D: (lr & HW) == 1 is never true with HW at bit 61";
    EXPECT_EQ(r.eisr(), 0u);
}

// A3 with the default four LRs: reset values, and ELRSR/EISR bits of unimplemented LRs read 0.
TEST_P(SemanticsA3, ResetAndUnimplementedLrs)
{
    Rig r(GetParam());
    EXPECT_EQ(r.elrsr(), 0xfu);
    EXPECT_EQ(r.eisr(), 0u);
    Lr l;
    l.eoi = true;
    l.vintid = 70;
    for (unsigned i = 0; i < 4; i++) r.lr_w(i, l);
    EXPECT_EQ(r.eisr(), 0xfu);
    EXPECT_EQ(r.elrsr(), 0u);
    if (!r.v3) {
        r.g.gich_w(r.lroff(7), lr_enc(false, l)); // GICH_LR7 beyond ListRegs: RAZ/WI
        EXPECT_EQ(r.g.gich(r.lroff(7)), 0u);
        EXPECT_EQ(r.eisr(), 0xfu);
    } else {
        uint64_t v = 0;
        EXPECT_EQ(r.g.rd_status(GIC_FRAME_SYSREG, ICH_LR(7), 8, 0, &v), GIC_E_UNDEF);
    }
}

// ============================== A4 ==============================
namespace {
// MISR reads `want`; MAINT follows HCR.En && MISR != 0, and so does the maintenance PPI 25.
void check_maint(Rig &r, uint32_t want, const char *what)
{
    EXPECT_EQ(r.misr(), want) << what;
    bool en = r.hcr() & 1;
    EXPECT_EQ(r.maint(), en && want != 0) << what;
    EXPECT_EQ(r.pending(25), en && want != 0) << what << ": PPI 25";
}
// One step of a maintenance story: LR `n` written with `lr`, then check_maint(r, misr, what).
struct LrStep {
    unsigned n;
    Lr lr;
    uint32_t misr;
    const char *what;
};
void lr_steps(Rig &r, std::initializer_list<LrStep> steps)
{
    for (const LrStep &s : steps) {
        SCOPED_TRACE(::testing::Message() << "LR" << s.n << " written: " << s.what);
        r.lr_w(s.n, s.lr);
        check_maint(r, s.misr, s.what);
    }
}
} // namespace

// A4 EOI: an EOI-flagged HW=0 LR deactivated by the guest sets EISR and MISR.EOI; the MAINT pin
// follows maint cycles later and PPI 25 is sampled line cycles after that.
TEST_P(SemanticsA4, EoiBitOutputAndPpi25Timing)
{
    Rig r(GetParam());
    r.virt_open(1);
    Lr l = r.vlr(1, 77);
    l.eoi = true;
    r.lr_w(0, l);
    check_maint(r, 0, "pending EOI LR");
    EXPECT_EQ(r.vack(), 77u);
    TraceLog t(r.g.g);
    gic_cycle_t E = r.veoi(77);
    EXPECT_EQ(r.eisr(), 1u);
    EXPECT_EQ(first_ev(t, GIC_TR_MISR, E, -1, 1), E);
    EXPECT_EQ(first_ev(t, GIC_TR_OUTPUT, E, GIC_OUT_MAINT, 1), E + r.tm().maint);
    EXPECT_EQ(first_ev(t, GIC_TR_LINE, E, 25, 1), E + r.tm().maint + r.tm().line);
    check_maint(r, 1, "EOI");
    // The hypervisor consumes the LR: EISR clears and the maintenance interrupt goes away.
    gic_cycle_t E2 = r.lr_w(0, Lr{});
    EXPECT_EQ(first_ev(t, GIC_TR_OUTPUT, E2, GIC_OUT_MAINT, 0), E2 + r.tm().maint);
    check_maint(r, 0, "LR cleared");
}

// A4 U: UIE and fewer than two valid LRs (State != 0).
TEST_P(SemanticsA4, Underflow)
{
    Rig r(GetParam());
    r.hcr_w(1 | 1u << 1);
    check_maint(r, 1u << 1, "no valid LR");
    lr_steps(r, { { 0, r.vlr(2, 80), 1u << 1, "one valid LR" },
                  { 3, r.vlr(1, 81), 0, "two valid LRs" },
                  { 1, r.vlr(3, 82), 0, "three valid LRs" } });
    r.lr_w(0, Lr{});
    r.lr_w(3, Lr{});
    check_maint(r, 1u << 1, "back to one");
}

// A4 LRENP: LRENPIE && EOIcount != 0 (the SEMANTICS D bug raised it without EOIcount).
TEST_P(SemanticsA4, LrenpNeedsEoicount)
{
    Rig r(GetParam());
    r.hcr_w(1 | 1u << 2);
    check_maint(r, 0, "LRENPIE, EOIcount 0");
    r.guest_open();
    evict_active(r, 90);
    check_maint(r, 0, "acknowledged and evicted, EOIcount 0");
    r.veoi(90); // vINTID in no LR, drops its priority: EOIcount 1 (A5)
    EXPECT_EQ(r.eoicount(), 1u);
    check_maint(r, 1u << 2, "EOIcount 1");
    r.hcr_w(1); // LRENPIE off, EOIcount still 0 after this write
    check_maint(r, 0, "LRENPIE 0");
    r.hcr_w(1 | 1u << 2 | 3u << 27);
    EXPECT_EQ(r.eoicount(), 3u);
    check_maint(r, 1u << 2, "EOIcount written 3");
    r.hcr_w(1 | 1u << 2);
    check_maint(r, 0, "EOIcount written 0");
}

// A4 NP: NPIE && no LR in the pending state. gicsim counts State==pending (01) only, as the
// prioritiser does: an active or pending+active LR does not hold it off.
TEST_P(SemanticsA4, NoPending)
{
    Rig r(GetParam());
    r.hcr_w(1 | 1u << 3);
    check_maint(r, 1u << 3, "no LR");
    lr_steps(r, { { 1, r.vlr(1, 85), 0, "one pending LR" } });
    r.guest_open();
    EXPECT_EQ(r.vack(), 85u);
    check_maint(r, 1u << 3, "acknowledged: active only");
    lr_steps(r, { { 2, r.vlr(1, 86), 0, "pending again" }, { 2, r.vlr(3, 86), 1u << 3, "pending+active only" } });
}

// A4 VGrp0E/VGrp0D from VENG0 (not VENG1, the SEMANTICS D bug), VGrp1E/VGrp1D from VENG1.
TEST_P(SemanticsA4, GroupEnableBitsFollowTheirOwnEnable)
{
    Rig r(GetParam());
    const uint32_t IE0E = 1u << 4, IE0D = 1u << 5, IE1E = 1u << 6, IE1D = 1u << 7;
    r.hcr_w(1 | IE0E | IE0D | IE1E | IE1D);
    const uint32_t vpmr = r.v3 ? 0xffu << 24 : 0x1fu << 27;
    for (unsigned veng = 0; veng < 4; veng++) {
        r.vmcr_w(vpmr | veng);
        bool e0 = veng & 1, e1 = veng & 2;
        uint32_t want = (e0 ? 1u << 4 : 1u << 5) | (e1 ? 1u << 6 : 1u << 7);
        check_maint(r, want, ("VENG " + std::to_string(veng)).c_str());
        EXPECT_EQ(r.vmcr() & 3, veng);
    }
    // One enable at a time: only its own bit may react.
    r.hcr_w(1 | IE0D);
    r.vmcr_w(vpmr | 2); // VENG1=1, VENG0=0
    check_maint(r, 1u << 5, "VGrp0D with VENG0=0, VENG1=1");
    r.vmcr_w(vpmr | 1);
    check_maint(r, 0, "VGrp0D with VENG0=1, VENG1=0");
    r.hcr_w(1 | IE0E);
    check_maint(r, 1u << 4, "VGrp0E with VENG0=1");
    r.vmcr_w(vpmr | 2);
    check_maint(r, 0, "VGrp0E with VENG0=0, VENG1=1");
    r.hcr_w(1 | IE1E);
    check_maint(r, 1u << 6, "VGrp1E with VENG1=1");
    r.hcr_w(1 | IE1D);
    check_maint(r, 0, "VGrp1D with VENG1=1");
    // The guest's own enable registers are the same bits.
    if (r.v3) r.g.icv_w(ICC_IGRPEN1_EL1_ENC, 0);
    else r.g.gicv_w(0x000, 0);
    check_maint(r, 1u << 7, "guest disabled Group 1");
}

// A4: the MAINT output and PPI 25 are gated by HCR.En; MISR itself is computed regardless.
TEST_P(SemanticsA4, OutputGatedByEn)
{
    Rig r(GetParam());
    r.hcr_w(1u << 1); // UIE, En=0
    check_maint(r, 1u << 1, "En=0");
    EXPECT_FALSE(r.maint());
    TraceLog t(r.g.g);
    gic_cycle_t E = r.hcr_w(1 | 1u << 1);
    EXPECT_EQ(first_ev(t, GIC_TR_OUTPUT, E, GIC_OUT_MAINT, 1), E + r.tm().maint);
    EXPECT_EQ(first_ev(t, GIC_TR_LINE, E, 25, 1), E + r.tm().maint + r.tm().line);
    check_maint(r, 1u << 1, "En=1");
    gic_cycle_t E2 = r.hcr_w(1u << 1);
    EXPECT_EQ(first_ev(t, GIC_TR_OUTPUT, E2, GIC_OUT_MAINT, 0), E2 + r.tm().maint);
    check_maint(r, 1u << 1, "En=0 again");
    // And En=0 also silences the virtual interrupt outputs.
    r.guest_open();
    r.lr_w(0, r.vlr(1, 33));
    EXPECT_FALSE(r.virq());
    r.hcr_w(1);
    EXPECT_TRUE(r.virq());
}

// A4: a maintenance PPI can be taken by the host like any PPI (Group 1 on GICv3, Group 0 on GICv2).
TEST_P(SemanticsA4, HostTakesMaintenancePpi)
{
    Rig r(GetParam());
    r.host_open();
    r.enable(25);
    r.hcr_w(1 | 1u << 3); // NPIE with no pending LR
    EXPECT_TRUE(r.irq());
    EXPECT_EQ(r.ack() & 0x3ff, 25u);
    r.lr_w(0, r.vlr(1, 40)); // the hypervisor refills: NP clears, the line falls
    check_maint(r, 0, "refilled");
    r.eoi(25);
    EXPECT_FALSE(r.irq());
    EXPECT_FALSE(r.active(25));
}

// ============================== A5 ==============================
// A5: each EOI (VEOIM=0) of a vINTID that is in no LR and drops a priority increments EOIcount,
// 5 bits, wrapping at 32; the other HCR bits are kept.
TEST_P(SemanticsA5, EoicountIncrementsAndWraps)
{
    Rig r(GetParam());
    r.virt_open(1 | 1u << 1);
    TraceLog t(r.g.g);
    for (unsigned n = 1; n <= 33; n++) {
        r.hapr_w(1u << (n % 32)); // an active priority restored by the hypervisor, its vINTID in no LR
        r.veoi(100 + n);
        EXPECT_EQ(r.vapr(), 0u) << "after " << n;
        EXPECT_EQ(r.eoicount(), n % 32) << "after " << n;
    }
    EXPECT_EQ(r.hcr() & 0x7ffffffu, 3u);
    auto e = evs(t, GIC_TR_EOICOUNT);
    ASSERT_EQ(e.size(), 33u);
    EXPECT_EQ(e[30].value, 31u);
    EXPECT_EQ(e[31].value, 0u);
    EXPECT_EQ(e[32].value, 1u);
    // The evicted interrupt's active priority is still dropped by its EOIR.
    r.hcr_w(1);
    if (r.v3) r.g.icv_w(ICC_AP1R_EL1_ENC, 1u << 16);
    else r.g.gicv_w(0x0d0, 1u << 16);
    EXPECT_EQ(r.vrpr(), 16u << 3);
    r.veoi(200);
    EXPECT_EQ(r.vapr(), 0u);
    EXPECT_EQ(r.hapr(), 0u);
    EXPECT_EQ(r.eoicount(), 1u);
}

// A5 (IHI0048B 5.3.2, IHI0069H 12.4.6): an EOI (VEOIM=0) of a vINTID in no LR counts only if it
// drops a priority. With nothing active it clears no active-priority bit, so it changes nothing at
// all: no EOIcount, no MISR.LRENP, no list register, no running priority.
TEST_P(SemanticsA5, EoiWithNothingActiveChangesNothing)
{
    Rig r(GetParam());
    r.virt_open(1 | 1u << 2); // En, LRENPIE
    r.lr_w(1, r.vlr(1, 151)); // a pending LR of another vINTID
    TraceLog t(r.g.g);
    for (uint32_t v : { 150u, 152u, 150u }) r.veoi(v);
    EXPECT_EQ(r.eoicount(), 0u);
    EXPECT_EQ(r.hcr(), 1u | 1u << 2);
    check_maint(r, 0, "nothing counted");
    EXPECT_EQ(t.count(GIC_TR_EOICOUNT), 0u);
    EXPECT_EQ(t.count(GIC_TR_MISR), 0u);
    EXPECT_EQ(t.count(GIC_TR_LR), 0u);
    EXPECT_EQ(t.count(GIC_TR_VRPR), 0u);
    EXPECT_EQ(r.vapr(), 0u);
    EXPECT_EQ(r.lr_st(1), 1u);
}

// A5: an acknowledged interrupt evicted from its LR: its EOI drops its priority and counts once;
// a second EOI of it finds nothing active and does not count again.
TEST_P(SemanticsA5, EoiOfEvictedActiveInterruptCountsOnce)
{
    Rig r(GetParam());
    r.virt_open(1 | 1u << 2);
    evict_active(r, 160, 2, 0x48);
    EXPECT_EQ(r.vapr(), 1u << (0x48 >> 3));
    TraceLog t(r.g.g);
    gic_cycle_t E = r.veoi(160);
    EXPECT_EQ(first_ev(t, GIC_TR_EOICOUNT, E, 160, 1), E);
    EXPECT_EQ(first_ev(t, GIC_TR_VRPR, E, 0, 0xff), E);
    EXPECT_EQ(r.eoicount(), 1u);
    EXPECT_EQ(r.vapr(), 0u);
    EXPECT_EQ(r.vrpr(), 0xffu);
    check_maint(r, 1u << 2, "EOIcount 1");
    r.veoi(160);
    EXPECT_EQ(r.eoicount(), 1u);
    EXPECT_EQ(t.count(GIC_TR_EOICOUNT), 1u);
}

// A5: with VEOIM=1 the EOIR of an unlisted vINTID only drops priority; its DIR counts, also
// with nothing active (a DIR drops no priority: IHI0069H 12.4.6 counts every DIR of a vINTID in no
// LR while the EOImode is 1).
// With VEOIM=0 a DIR is ignored: nothing is counted and a listed active LR stays active.
TEST_P(SemanticsA5, DirCountsOnlyWithVeoim1)
{
    Rig r(GetParam());
    r.virt_open(1, 0, true);
    r.veoi(120);
    EXPECT_EQ(r.eoicount(), 0u);
    r.vdir(120);
    EXPECT_EQ(r.eoicount(), 1u);
    r.guest_open(0, false);
    r.lr_w(0, r.vlr(2, 121));
    TraceLog t(r.g.g);
    r.vdir(121);
    r.vdir(122);
    EXPECT_EQ(r.eoicount(), 1u);
    EXPECT_EQ(r.lr_st(0), 2u);
    EXPECT_EQ(t.count(GIC_TR_LR), 0u);
    EXPECT_EQ(t.count(GIC_TR_EOICOUNT), 0u);
}

// A5: a deactivation of a vINTID that is listed only as pending is ignored (documented choice:
// nothing counted, the LR unchanged, even though the EOI dropped a priority); special INTIDs
// 1020-1023 are ignored too (no priority drop either).
TEST_P(SemanticsA5, ListedPendingAndSpecialIntidsNotCounted)
{
    Rig r(GetParam());
    r.virt_open(1);
    r.lr_w(1, r.vlr(1, 130));
    r.hapr_w(0x3u << 20);
    TraceLog t(r.g.g);
    r.veoi(130);
    EXPECT_EQ(r.vapr(), 1u << 21) << "the EOI dropped a priority";
    for (uint32_t id = 1020; id < 1024; id++) r.veoi(id);
    EXPECT_EQ(r.vapr(), 1u << 21);
    EXPECT_EQ(r.eoicount(), 0u);
    EXPECT_EQ(r.lr_st(1), 1u);
    EXPECT_EQ(t.count(GIC_TR_LR), 0u);
}

// A5: duplicate vINTIDs are UNPREDICTABLE. gicsim's choice, checked for consistency: one
// deactivation clears the active state of one LR, the lowest-numbered one holding the vINTID
// active (a pending-only duplicate is skipped), and nothing is counted while any LR holds it.
TEST_P(SemanticsA5, DuplicateVintids)
{
    Rig r(GetParam());
    r.virt_open(1);
    r.lr_w(0, r.vlr(1, 140));
    r.lr_w(1, r.vlr(2, 140));
    r.lr_w(2, r.vlr(2, 140));
    r.hapr_w(0x7u << 16); // every EOI below drops a priority, so only the LRs keep it from counting
    r.veoi(140);
    EXPECT_EQ(r.lr_st(0), 1u);
    EXPECT_EQ(r.lr_st(1), 0u);
    EXPECT_EQ(r.lr_st(2), 2u);
    r.veoi(140);
    EXPECT_EQ(r.lr_st(2), 0u);
    r.veoi(140);
    EXPECT_EQ(r.lr_st(0), 1u);
    EXPECT_EQ(r.eoicount(), 0u);
}

// ============================== A6 ==============================
// A6: a physical deactivation of an interrupt that is not active is ignored and traced with
// value 0 (aux 0: from EOI/DIR), deact cycles after the effect; the pending state is untouched.
TEST_P(SemanticsA6, PhysicalDeactivateOfInactiveIgnored)
{
    Rig r(GetParam());
    r.host_open();
    r.pend(47); // pending, not enabled: must stay pending
    TraceLog t(r.g.g);
    gic_cycle_t E = r.eoi(47);
    EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E, 47, 0, 0), E + r.tm().deact);
    EXPECT_EQ(t.count(GIC_TR_ACTIVE), 0u);
    EXPECT_TRUE(r.pending(47));
    EXPECT_EQ(r.rpr(), 0xffu);
}

// A6: a HW=1 LR deactivated by the guest while its pINTID is not active (the rule of the KVM change, broken):
// forwarded, ignored by the distributor/redistributor, reported with value 0 and aux 1.
TEST_P(SemanticsA6, ForwardedDeactivateOfInactiveReported)
{
    Rig r(GetParam());
    r.host_open();
    r.pend(48); // pending but not active, not enabled
    r.virt_open(1);
    r.lr_w(0, r.vlr(1, 48, 48));
    EXPECT_EQ(r.vack(), 48u);
    TraceLog t(r.g.g);
    gic_cycle_t E = r.veoi(48);
    EXPECT_EQ(first_ev(t, GIC_TR_HWDEACT, E, 48, 48), E);
    EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E, 48, 0, 1), E + r.tm().hwdeact);
    EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E, 48, 1), GIC_CYCLE_NEVER);
    EXPECT_EQ(t.count(GIC_TR_ACTIVE), 0u);
    EXPECT_TRUE(r.pending(48));
    EXPECT_FALSE(r.active(48));
    EXPECT_EQ(r.lr_st(0), 0u) << "the virtual side completes anyway";
}

// A6 and A7: a host running with EOImode=0 deactivates on EOIR, so the guest's later HW
// deactivation hits an inactive interrupt and is reported; the interrupt is not lost.
TEST_P(SemanticsA6, HostWithEoimode0MakesGuestDeactivationIgnored)
{
    Rig r(GetParam());
    r.host_open(0, false);
    host_take(r, 49);
    EXPECT_FALSE(r.active(49));
    r.virt_open(1);
    r.lr_w(0, r.vlr(1, 49, 49));
    EXPECT_EQ(r.vack(), 49u);
    TraceLog t(r.g.g);
    gic_cycle_t E = r.veoi(49);
    EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E, 49, 0, 1), E + r.tm().hwdeact);
    r.pend(49);
    EXPECT_TRUE(r.irq()) << "the interrupt can be delivered again";
}

// ============================== A7 ==============================
// A7: host EOImode=1: EOIR drops the running priority (IRQ free for other interrupts) but leaves
// the interrupt active, so a new edge is held pending+active; the guest's HW deactivation
// completes it and the held edge is signalled hwdeact + prio + deliver + out cycles later.
TEST_P(SemanticsA7, SplitEoiGuestCompletes)
{
    Rig r(GetParam(), 1, prio8); // 7 preemption bits: the APR word below
    const uint32_t P = 52;
    r.host_open(0, true);
    r.set_edge(P, true);
    r.set_prio(P, 0x40);
    r.enable(P);
    r.g.spi(P, true);
    EXPECT_TRUE(r.irq());
    EXPECT_EQ(r.ack(), P);
    EXPECT_EQ(r.rpr(), 0x40u);
    EXPECT_NE(r.apr(1), 0u); // 0x40 >> 1 = bit 32: APR word 1
    r.eoi(P);
    EXPECT_EQ(r.rpr(), 0xffu);
    EXPECT_EQ(r.apr(1), 0u);
    EXPECT_TRUE(r.active(P));
    r.g.spi(P, false);
    r.g.spi(P, true); // a second edge while active
    EXPECT_TRUE(r.pending(P));
    EXPECT_FALSE(r.irq()) << "pending+active is not signalled";
    r.virt_open(1);
    r.lr_w(0, r.vlr(1, P, P));
    EXPECT_EQ(r.vack(), P);
    TraceLog t(r.g.g);
    gic_cycle_t E = r.veoi(P);
    const gic_timing &tm = r.tm();
    EXPECT_EQ(first_ev(t, GIC_TR_ACTIVE, E, P, 0), E + tm.hwdeact);
    EXPECT_EQ(first_ev(t, GIC_TR_HPPI, E, P), E + tm.hwdeact + tm.prio + tm.deliver);
    EXPECT_EQ(first_ev(t, GIC_TR_OUTPUT, E, GIC_OUT_IRQ, 1), E + tm.hwdeact + tm.prio + tm.deliver + tm.out);
    EXPECT_EQ(r.ack(), P);
}

// A7: the host's own DIR also deactivates (deact cycles after its effect); DIR with EOImode=0 is
// ignored (documented choice), and EOIR with EOImode=0 deactivates at once.
TEST_P(SemanticsA7, HostDirAndEoimode0)
{
    Rig r(GetParam());
    r.host_open(0, true);
    host_take(r, 53);
    EXPECT_TRUE(r.active(53));
    TraceLog t(r.g.g);
    gic_cycle_t E = r.dir(53);
    EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E, 53, 1, 0), E + r.tm().deact);
    EXPECT_FALSE(r.active(53));
    // EOImode 0: DIR ignored, EOIR deactivates.
    r.cpu_open(0, false);
    r.pend(53);
    EXPECT_EQ(r.ack(), 53u);
    gic_cycle_t E2 = r.dir(53);
    EXPECT_TRUE(r.active(53));
    EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E2), GIC_CYCLE_NEVER);
    EXPECT_EQ(r.rpr(), 0u) << "DIR does not drop priority";
    gic_cycle_t E3 = r.eoi(53);
    EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E3, 53, 1, 0), E3 + r.tm().deact);
    EXPECT_FALSE(r.active(53));
    EXPECT_EQ(r.rpr(), 0xffu);
}

// A7 with a PPI on GICv3 / a banked PPI on GICv2: the forwarded deactivation reaches the
// redistributor (banked state) of the CPU whose list register forwarded it, not another CPU's.
TEST_P(SemanticsA7, ForwardedPpiDeactivationIsPerCpu)
{
    Rig r(GetParam(), 2);
    const uint32_t P = 27; // the virtual timer PPI by convention
    r.dist_open();
    for (unsigned c = 0; c < 2; c++) {
        r.cpu_open(c, true);
        r.set_edge(P, false, c);
        r.enable(P, c);
        r.g.ppi(c, P, true);
        EXPECT_EQ(r.ack(c), P);
        r.eoi(P, c);
        EXPECT_TRUE(r.active(P, c));
        r.virt_open(1, c);
        r.lr_w(0, r.vlr(1, P, P), c);
    }
    r.g.ppi(1, P, false);
    EXPECT_EQ(r.vack(1), P);
    r.veoi(P, 1);
    EXPECT_FALSE(r.active(P, 1));
    EXPECT_TRUE(r.active(P, 0)) << "CPU 0's PPI 27 is untouched";
    EXPECT_FALSE(r.irq(1));
    EXPECT_FALSE(r.irq(0)) << "still active on CPU 0";
}
