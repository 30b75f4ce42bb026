// test_timing.cpp: docs/timing.md rules: latencies of every path, same-cycle ordering, races, step-size equivalence.
#include "gic_test_util.hpp"

#include <random>

using namespace gt;

namespace {

// Submit without waiting; returns the tag.
uint64_t submit(gic_t *g, gic_frame f, uint32_t off, bool write, uint64_t data, unsigned size = 4, unsigned cpu = 0)
{
    struct gic_access a {
        (uint8_t) f, (uint8_t)write, (uint8_t)size, (uint16_t)cpu, off, data
    };
    uint64_t tag = 0;
    EXPECT_EQ(gic_submit(g, &a, &tag), GIC_OK);
    return tag;
}

// First cycle at which a trace event of `kind` (and intid, if given) occurs at or after `from`.
gic_cycle_t first(const TraceLog &t, unsigned kind, gic_cycle_t from, int64_t intid = -1, int64_t value = -1)
{
    for (auto &e : t.ev)
        if (e.kind == kind && e.cycle >= from && (intid < 0 || e.intid == (uint32_t)intid) &&
            (value < 0 || e.value == (uint64_t)value))
            return e.cycle;
    return GIC_CYCLE_NEVER;
}

// A GICv2 GIC with SPI 40 enabled (Group 0 as IRQ) and the CPU interface open.
void setup_v2(Gic &g)
{
    g.gicd_w(0x000, 1);
    g.gicc_w(0x000, 1);
    g.gicc_w(0x004, 0xff);
    g.gicd_w(0x104, 1u << 8);
}

// setup_v2, then SPI 40 made pending (edge latch): the IRQ output is up.
void setup_v2_pending(Gic &g)
{
    setup_v2(g);
    g.gicd_w(0x204, 1u << 8);
    ASSERT_EQ(g.out() & GIC_OUT_IRQ, (uint32_t)GIC_OUT_IRQ);
}

// The acknowledge submitted as `iar_tag` lost SPI 40's offer while in flight: it returns 1023, the
// trace shows the offer withdrawn (ack aux 1), and nothing was activated.
void expect_offer_withdrawn(Gic &g, const TraceLog &t, uint64_t iar_tag)
{
    gic_response r;
    ASSERT_EQ(gic_collect(g.g, iar_tag, &r), GIC_OK);
    EXPECT_EQ(r.data, 1023u);
    bool withdrawn = false;
    for (auto &e : t.ev) withdrawn |= e.kind == GIC_TR_ACK && e.aux == 1 && e.value == 40;
    EXPECT_TRUE(withdrawn);
    EXPECT_EQ(g.gicd(0x304), 0u); // nothing was activated
}

} // namespace

// timing.md 7, row 1: SPI pin -> IRQ = line + prio + deliver + out.
TEST(Timing, SpiLineToIrq)
{
    Gic g(GIC_V2);
    setup_v2(g);
    TraceLog t(g.g);
    gic_cycle_t t0 = gic_now(g.g);
    ASSERT_EQ(gic_set_spi(g.g, 40, true), GIC_OK);
    g.settle();
    EXPECT_EQ(first(t, GIC_TR_LINE, t0, 40), t0 + 2);
    EXPECT_EQ(first(t, GIC_TR_HPPI, t0, 40), t0 + 2 + 4 + 2);
    EXPECT_EQ(first(t, GIC_TR_OUTPUT, t0, GIC_OUT_IRQ, 1), t0 + 9);
}

// timing.md 4.1/4.2 and 7 row 2: a write takes effect at issue + req; its consequences follow.
TEST(Timing, IspendrToIrqAndResponseCycles)
{
    Gic g(GIC_V2);
    setup_v2(g);
    TraceLog t(g.g);
    gic_cycle_t t0 = gic_now(g.g);
    struct gic_access a {
        GIC_FRAME_GICD, 1, 4, 0, 0x204, 1u << 8
    };
    gic_response r;
    ASSERT_EQ(gic_access(g.g, &a, &r), GIC_OK);
    EXPECT_EQ(r.issue, t0);
    EXPECT_EQ(r.effect, t0 + 2);
    EXPECT_EQ(r.done, t0 + 3);
    EXPECT_EQ(gic_now(g.g), t0 + 3);
    g.settle();
    EXPECT_EQ(first(t, GIC_TR_PENDING, t0, 40, 1), t0 + 2);
    EXPECT_EQ(first(t, GIC_TR_OUTPUT, t0, GIC_OUT_IRQ, 1), t0 + 9);
}

// timing.md 4.6 and 7 rows 3-5: IAR returns after req + ack; the IRQ drops req + out after issue;
// EOIR's deactivation lands req + deact after issue.
TEST(Timing, AcknowledgeAndDeactivate)
{
    Gic g(GIC_V2);
    ASSERT_NO_FATAL_FAILURE(setup_v2_pending(g));
    TraceLog t(g.g);
    gic_cycle_t t0 = gic_now(g.g);
    struct gic_access a {
        GIC_FRAME_GICC, 0, 4, 0, 0x00c, 0
    };
    gic_response r;
    ASSERT_EQ(gic_access(g.g, &a, &r), GIC_OK);
    EXPECT_EQ(r.data, 40u);
    EXPECT_EQ(r.done, t0 + 4);
    g.settle();
    EXPECT_EQ(first(t, GIC_TR_ACTIVE, t0, 40, 1), t0 + 2);
    EXPECT_EQ(first(t, GIC_TR_OUTPUT, t0, GIC_OUT_IRQ, 0), t0 + 3);
    gic_cycle_t t1 = gic_now(g.g);
    submit(g.g, GIC_FRAME_GICC, 0x010, true, 40);
    g.settle();
    EXPECT_EQ(first(t, GIC_TR_RPR, t1), t1 + 2);
    EXPECT_EQ(first(t, GIC_TR_DEACT, t1, 40, 1), t1 + 4);
    EXPECT_EQ(first(t, GIC_TR_ACTIVE, t1, 40, 0), t1 + 4);
}

// timing.md 7 rows 6-7: LR write -> vIRQ = req + out; HW=1 virtual EOI -> physical inactive = req + hwdeact.
TEST(Timing, VirtualHwPath)
{
    Gic g(GIC_V2);
    setup_v2(g);
    g.gicd_w(0x304, 1u << 8); // P.act := 1 (SEMANTICS B1)
    g.gich_w(0x000, 1);
    g.gicv_w(0x000, 1);
    g.gicv_w(0x004, 0xf8);
    TraceLog t(g.g);
    gic_cycle_t t0 = gic_now(g.g);
    submit(g.g, GIC_FRAME_GICH, 0x100, true, 0x90000000u | 1u << 28 | 40u << 10 | 40u);
    g.settle();
    EXPECT_EQ(first(t, GIC_TR_OUTPUT, t0, GIC_OUT_VIRQ, 1), t0 + 3);
    EXPECT_EQ(g.gicv(0x00c), 40u);
    gic_cycle_t t1 = gic_now(g.g);
    submit(g.g, GIC_FRAME_GICV, 0x010, true, 40);
    g.settle();
    EXPECT_EQ(first(t, GIC_TR_HWDEACT, t1, 40), t1 + 2);
    EXPECT_EQ(first(t, GIC_TR_DEACT, t1, 40, 1), t1 + 6);
    EXPECT_EQ(g.gicd(0x304), 0u);
}

// timing.md 7 row 8 and 4.8: NP maintenance after the last pending LR is acknowledged; the
// maintenance PPI follows `line` cycles later.
TEST(Timing, MaintenanceOutputAndPpi)
{
    Gic g(GIC_V2);
    g.gich_w(0x100, 1u << 28 | 0x28); // LR0 pending vINTID 40, Group 0
    g.gicv_w(0x000, 1);
    g.gicv_w(0x004, 0xf8);
    g.gich_w(0x000, 1u | 1u << 3); // En | NPIE
    EXPECT_EQ(g.out() & GIC_OUT_MAINT, 0u);
    TraceLog t(g.g);
    gic_cycle_t t0 = gic_now(g.g);
    submit(g.g, GIC_FRAME_GICV, 0x00c, false, 0);
    g.settle();
    EXPECT_EQ(first(t, GIC_TR_MISR, t0), t0 + 2);
    EXPECT_EQ(first(t, GIC_TR_OUTPUT, t0, GIC_OUT_MAINT, 1), t0 + 3);
    EXPECT_EQ(first(t, GIC_TR_LINE, t0, 25, 1), t0 + 5);
    EXPECT_EQ(g.gicd(0x200) >> 25 & 1, 1u); // PPI 25 pending (level)
}

// timing.md 4.1: one issue per cycle, in submission order.
TEST(Timing, OnePortIssuePerCycle)
{
    Gic g(GIC_V2);
    uint64_t a = submit(g.g, GIC_FRAME_GICD, 0x400, true, 1);
    uint64_t b = submit(g.g, GIC_FRAME_GICD, 0x400, false, 0);
    g.settle();
    gic_response ra, rb;
    ASSERT_EQ(gic_collect(g.g, a, &ra), GIC_OK);
    ASSERT_EQ(gic_collect(g.g, b, &rb), GIC_OK);
    EXPECT_EQ(rb.issue, ra.issue + 1);
    EXPECT_EQ(rb.effect, ra.effect + 1);
    EXPECT_EQ(rb.data, 1u);                           // the read sees the write of the cycle before
    EXPECT_EQ(gic_collect(g.g, a, &ra), GIC_E_INVAL); // a tag is collected once
}

// timing.md 4.1: a response is not available before its cycle.
TEST(Timing, CollectBeforeDoneIsAgain)
{
    Gic g(GIC_V2);
    uint64_t a = submit(g.g, GIC_FRAME_GICD, 0x004, false, 0);
    gic_response r;
    EXPECT_EQ(gic_collect(g.g, a, &r), GIC_E_AGAIN);
    gic_step(g.g, 2);
    EXPECT_EQ(gic_collect(g.g, a, &r), GIC_E_AGAIN);
    gic_step(g.g, 1);
    ASSERT_EQ(gic_collect(g.g, a, &r), GIC_OK);
    EXPECT_EQ(r.data, 0x8u); // ITLinesNumber 8: 288 INTIDs
}

// timing.md 3 (phase order 2 before 3): a line edge sampled in the same cycle as an ICPENDR
// write wins: the edge is not lost.
TEST(Timing, SameCycleLineEdgeAfterClearPending)
{
    Gic g(GIC_V2);
    setup_v2(g);
    g.gicd_w(0xc08, 0x2u << 16); // SPI 40 edge-triggered
    // The ICPENDR write is issued now and takes effect at now+2; the pin change given now is
    // sampled at now+2 as well.
    submit(g.g, GIC_FRAME_GICD, 0x284, true, 1u << 8);
    ASSERT_EQ(gic_set_spi(g.g, 40, true), GIC_OK);
    g.settle();
    EXPECT_EQ(g.gicd(0x204) >> 8 & 1, 1u);
}

// timing.md 3 (phase 4 after phase 2): a deactivation arriving in the cycle of an ISACTIVER
// write leaves the interrupt inactive.
TEST(Timing, SameCycleDeactivationAfterSetActive)
{
    Gic g(GIC_V2);
    setup_v2(g);
    g.gicc_w(0x000, 0x201); // EOImode 1
    // GICC_DIR issued at t: deactivation applied at t + req + deact = t+4.
    // GICD_ISACTIVER issued at t+2: effect at t+4, same cycle, phase 2.
    gic_cycle_t t0 = gic_now(g.g);
    g.gicd_w(0x304, 1u << 8);
    t0 = gic_now(g.g);
    submit(g.g, GIC_FRAME_GICC, 0x1000, true, 40);
    gic_run_until(g.g, t0 + 2);
    submit(g.g, GIC_FRAME_GICD, 0x304, true, 1u << 8);
    TraceLog t(g.g);
    g.settle();
    EXPECT_EQ(first(t, GIC_TR_DEACT, t0, 40, 1), t0 + 4);
    EXPECT_EQ(g.gicd(0x304) >> 8 & 1, 0u);
}

// timing.md 4.6: an offer withdrawn while the acknowledge is in flight returns 1023.
TEST(Timing, WithdrawnOfferAcknowledgeIsSpurious)
{
    Gic g(GIC_V2);
    ASSERT_NO_FATAL_FAILURE(setup_v2_pending(g));
    TraceLog t(g.g);
    submit(g.g, GIC_FRAME_GICD, 0x284, true, 1u << 8);           // ICPENDR: effect at E
    uint64_t iar = submit(g.g, GIC_FRAME_GICC, 0x00c, false, 0); // IAR: effect at E+1, offer still there
    g.settle();
    ASSERT_NO_FATAL_FAILURE(expect_offer_withdrawn(g, t, iar));
}

// timing.md 4.6: a successful acknowledge consumes the offer. An EOI right after the IAR (before
// the next HPPI message can arrive) drops the running priority, but the CPU interface holds no
// offer any more, so the interrupt it just handed out is never re-signalled (no IRQ pulse).
TEST(Timing, AcknowledgeConsumesOffer_timing_4_6)
{
    Gic g(GIC_V2);
    ASSERT_NO_FATAL_FAILURE(setup_v2_pending(g));
    TraceLog t(g.g);
    gic_cycle_t t0 = gic_now(g.g);
    uint64_t iar = submit(g.g, GIC_FRAME_GICC, 0x00c, false, 0); // effect t0 + req
    submit(g.g, GIC_FRAME_GICC, 0x010, true, 40);                // EOIR one cycle later
    g.settle();
    gic_response r;
    ASSERT_EQ(gic_collect(g.g, iar, &r), GIC_OK);
    EXPECT_EQ(r.data, 40u);
    const gic_timing &tm = gic_get_config(g.g)->timing;
    // The offer is cleared in the acknowledge's effect cycle ...
    EXPECT_EQ(first(t, GIC_TR_HPPI, t0, 1023), t0 + tm.req);
    // ... so IRQ falls once, at effect + out, and never rises again.
    EXPECT_EQ(first(t, GIC_TR_OUTPUT, t0, GIC_OUT_IRQ, 0), t0 + tm.req + tm.out);
    EXPECT_EQ(first(t, GIC_TR_OUTPUT, t0, GIC_OUT_IRQ, 1), GIC_CYCLE_NEVER);
    EXPECT_EQ(g.out() & GIC_OUT_IRQ, 0u);
    EXPECT_EQ(g.gicc(0x00c), 1023u); // nothing left to acknowledge
}

// timing.md 4.6 / IHI0069H 12.2.14: an acknowledge takes the offer only if the interrupt is still
// in the offer's group. GICD_IGROUPR moving SPI 40 to Group 0 while its Group 1 offer is in flight
// makes ICC_IAR1_EL1 return 1023 (never a Group 0 interrupt through IAR1).
TEST(Timing, AcknowledgeChecksGroupOfOffer_IHI0069H_12_2_14)
{
    Gic g(GIC_V3);
    g.gicd_w(0x000, 0x3); // EnableGrp0 | EnableGrp1
    g.rdb_w(0x014, 0);    // wake the redistributor
    g.icc_w(ICC_PMR_EL1_ENC, 0xff);
    g.icc_w(ICC_IGRPEN0_EL1_ENC, 1);
    g.icc_w(ICC_IGRPEN1_EL1_ENC, 1);
    g.gicd_w(0x084, 1u << 8); // SPI 40 Group 1
    g.gicd_w(0x104, 1u << 8); // enabled
    g.gicd_w(0x204, 1u << 8); // pending
    ASSERT_EQ(g.out() & GIC_OUT_IRQ, (uint32_t)GIC_OUT_IRQ);
    TraceLog t(g.g);
    submit(g.g, GIC_FRAME_GICD, 0x084, true, 0);                                 // back to Group 0: effect at E
    uint64_t iar = submit(g.g, GIC_FRAME_SYSREG, ICC_IAR1_EL1_ENC, false, 0, 8); // effect at E + 1: offer still Group 1
    g.settle();
    ASSERT_NO_FATAL_FAILURE(expect_offer_withdrawn(g, t, iar));
    EXPECT_EQ(g.icc(ICC_AP1R_EL1_ENC), 0u);  // no Group 1 active priority set
    EXPECT_EQ(g.icc(ICC_IAR0_EL1_ENC), 40u); // the new Group 0 offer is taken through IAR0
}

// timing.md 4.7: GICD_CTLR.RWP is set for prio + deliver cycles after the write's effect.
TEST(Timing, RwpWindow)
{
    Gic g(GIC_V3);
    gic_cycle_t t0 = gic_now(g.g);
    submit(g.g, GIC_FRAME_GICD, 0x000, true, 0x2);
    uint64_t r1 = submit(g.g, GIC_FRAME_GICD, 0x000, false, 0); // effect t0+3
    gic_run_until(g.g, t0 + 7);
    uint64_t r2 = submit(g.g, GIC_FRAME_GICD, 0x000, false, 0); // effect t0+9: still in progress (2+6=8 > 9? no)
    g.settle();
    gic_response a, b;
    ASSERT_EQ(gic_collect(g.g, r1, &a), GIC_OK);
    ASSERT_EQ(gic_collect(g.g, r2, &b), GIC_OK);
    EXPECT_EQ(a.data, 0x80000052u);
    EXPECT_EQ(b.effect, t0 + 9);
    EXPECT_EQ(b.data, 0x52u); // RWP fell at E + prio + deliver = t0 + 8
}

// GIC_E_INVAL for configurations outside the documented ranges (gic.h, gic_config).
TEST(Config, RejectsOutOfRange)
{
    auto bad = [](void (*f)(gic_config *)) {
        gic_config c;
        gic_config_default(&c, GIC_V3);
        f(&c);
        gic_t *g = reinterpret_cast<gic_t *>(1);
        int rc = gic_create(&c, &g);
        EXPECT_EQ(rc, GIC_E_INVAL);
        EXPECT_EQ(g, nullptr);
    };
    bad([](gic_config *c) { c->num_cpus = 0; });
    bad([](gic_config *c) { c->num_cpus = 65; });
    bad([](gic_config *c) { c->num_spis = 989; });
    bad([](gic_config *c) { c->prio_bits = 3; });
    bad([](gic_config *c) { c->num_lrs = 17; });
    bad([](gic_config *c) { c->vpre_bits = 4; });
    bad([](gic_config *c) { c->maint_ppi = 12; });
    bad([](gic_config *c) { c->timing.req = 0; });
    bad([](gic_config *c) {
        c->timing.prio = 0;
        c->timing.deliver = 0;
    });
    bad([](gic_config *c) { c->version = (gic_version)4; });
    gic_config c;
    gic_config_default(&c, GIC_V2);
    c.num_cpus = 9;
    gic_t *g = nullptr;
    EXPECT_EQ(gic_create(&c, &g), GIC_E_INVAL); // GICv2 has at most 8 CPU interfaces
}

// Instances are independent (no global state).
TEST(Config, IndependentInstances)
{
    Gic a(GIC_V2), b(GIC_V2);
    a.gicd_w(0x400, 0x80);
    EXPECT_EQ(a.gicd(0x400), 0x80u);
    EXPECT_EQ(b.gicd(0x400), 0u);
    EXPECT_NE(gic_now(a.g), gic_now(b.g));
}

// Bad arguments never crash and never change state.
TEST(Config, BadArguments)
{
    Gic g(GIC_V2);
    struct gic_access a {
        GIC_FRAME_COUNT, 0, 4, 0, 0, 0
    };
    uint64_t tag;
    EXPECT_EQ(gic_submit(g.g, &a, &tag), GIC_E_INVAL);
    a.frame = GIC_FRAME_GICD;
    a.cpu = 1;
    EXPECT_EQ(gic_submit(g.g, &a, &tag), GIC_E_INVAL);
    EXPECT_EQ(gic_set_spi(g.g, 31, true), GIC_E_INVAL);
    EXPECT_EQ(gic_set_spi(g.g, 288, true), GIC_E_INVAL);
    EXPECT_EQ(gic_set_ppi(g.g, 0, 15, true), GIC_E_INVAL);
    EXPECT_EQ(gic_set_ppi(g.g, 1, 20, true), GIC_E_INVAL);
    // PPI 25 (maintenance) takes an external wire too, ORed with MAINT: test_lines.cpp
    EXPECT_EQ(gic_run_until(g.g, 0), GIC_OK);
    gic_step(g.g, 10);
    EXPECT_EQ(gic_run_until(g.g, 5), GIC_E_INVAL); // time does not go back
    EXPECT_EQ(gic_read(nullptr, GIC_FRAME_GICD, 0, 0, 4, nullptr), GIC_E_INVAL);
    EXPECT_TRUE(gic_quiescent(g.g));
}

// ---------------- step-size equivalence (issue: "identical whatever the step size") ----------------
namespace {

struct Action {
    gic_cycle_t at;
    int kind; // 0 access, 1 spi line, 2 ppi line
    struct gic_access acc;
    uint32_t intid;
    bool level;
};

// A seeded random stimulus of architecturally meaningful accesses for one configuration.
std::vector<Action> make_stimulus(gic_version v, unsigned cpus, unsigned seed, unsigned n)
{
    std::mt19937 rng(seed);
    auto rnd = [&](unsigned k) { return (unsigned)(rng() % k); };
    std::vector<Action> s;
    gic_cycle_t t = 0;
    auto acc = [&](gic_frame f, uint32_t off, bool w, uint64_t d, unsigned size, unsigned cpu) {
        Action a{};
        a.at = t;
        a.kind = 0;
        a.acc = gt::Access{ (uint8_t)f, (uint8_t)w, (uint8_t)size, (uint16_t)cpu, off, d };
        s.push_back(a);
    };
    // Set-up: everything enabled so that interrupts flow.
    acc(GIC_FRAME_GICD, 0, true, v == GIC_V3 ? 3 : 1, 4, 0);
    for (unsigned c = 0; c < cpus; c++) {
        if (v == GIC_V3) {
            acc(GIC_FRAME_GICR_RD, 0x14, true, 0, 4, c);
            acc(GIC_FRAME_GICR_SGI, 0x100, true, 0xffffffff, 4, c);
            acc(GIC_FRAME_SYSREG, ICC_PMR_EL1_ENC, true, 0xf0, 8, c);
            acc(GIC_FRAME_SYSREG, ICC_IGRPEN0_EL1_ENC, true, 1, 8, c);
            acc(GIC_FRAME_SYSREG, ICC_IGRPEN1_EL1_ENC, true, 1, 8, c);
            acc(GIC_FRAME_SYSREG, ICH_HCR_EL2_ENC, true, 0x9, 8, c);
            acc(GIC_FRAME_SYSREG, ICH_VMCR_EL2_ENC, true, 0xf8000003ull, 8, c);
        } else {
            acc(GIC_FRAME_GICC, 0, true, 0x3 | (rnd(2) << 9), 4, c);
            acc(GIC_FRAME_GICC, 4, true, 0xf0, 4, c);
            acc(GIC_FRAME_GICH, 0, true, 0x9, 4, c);
            acc(GIC_FRAME_GICV, 0, true, 0x3, 4, c);
            acc(GIC_FRAME_GICV, 4, true, 0xf8, 4, c);
        }
    }
    acc(GIC_FRAME_GICD, 0x104, true, 0xffffffff, 4, 0);
    acc(GIC_FRAME_GICD, 0x108, true, 0xffffffff, 4, 0);
    bool v3 = v == GIC_V3;
    // An acknowledge, or an EOI of a random SPI, at the physical (virt false) or virtual CPU interface.
    auto ack = [&](bool virt, unsigned cpu) {
        if (v3)
            acc(virt ? GIC_FRAME_VSYSREG : GIC_FRAME_SYSREG, rnd(2) ? ICC_IAR1_EL1_ENC : ICC_IAR0_EL1_ENC, false, 0, 8,
                cpu);
        else acc(virt ? GIC_FRAME_GICV : GIC_FRAME_GICC, 0x00c, false, 0, 4, cpu);
    };
    auto eoi = [&](bool virt, unsigned cpu) {
        if (v3)
            acc(virt ? GIC_FRAME_VSYSREG : GIC_FRAME_SYSREG, rnd(2) ? ICC_EOIR1_EL1_ENC : ICC_EOIR0_EL1_ENC, true,
                32 + rnd(16), 8, cpu);
        else acc(virt ? GIC_FRAME_GICV : GIC_FRAME_GICC, 0x010, true, 32 + rnd(16), 4, cpu);
    };
    for (unsigned i = 0; i < n; i++) {
        t += rnd(4) == 0 ? rnd(40) : rnd(3);
        unsigned cpu = rnd(cpus);
        uint32_t spi = 32 + rnd(16);
        switch (rnd(16)) {
        case 0:
        case 1: {
            Action a{};
            a.at = t;
            a.kind = 1;
            a.intid = spi;
            a.level = rnd(2);
            s.push_back(a);
            break;
        }
        case 2: {
            Action a{};
            a.at = t;
            a.kind = 2;
            a.intid = 16 + rnd(9);
            a.level = rnd(2); // PPIs 16-24 (25 is the maintenance PPI)
            a.acc.cpu = (uint16_t)cpu;
            s.push_back(a);
            break;
        }
        case 3: acc(GIC_FRAME_GICD, 0x200 + (spi / 32) * 4, true, 1u << (spi % 32), 4, cpu); break;
        case 4: acc(GIC_FRAME_GICD, 0x280 + (spi / 32) * 4, true, 1u << (spi % 32), 4, cpu); break;
        case 5: acc(GIC_FRAME_GICD, 0x400 + spi, true, rnd(256), 1, cpu); break;
        case 6: acc(GIC_FRAME_GICD, 0x380 + (spi / 32) * 4, true, 1u << (spi % 32), 4, cpu); break;
        case 7:
        case 8: ack(false, cpu); break;
        case 9: eoi(false, cpu); break;
        case 10:
            if (v3) acc(GIC_FRAME_SYSREG, ICC_SGI1R_EL1_ENC, true, (uint64_t)rnd(16) << 24 | rnd(1u << cpus), 8, cpu);
            else acc(GIC_FRAME_GICD, 0xf00, true, rnd(16) | rnd(1u << cpus) << 16 | rnd(3) << 24, 4, cpu);
            break;
        case 11: { // list register write: HW=1 or HW=0, pending
            unsigned lr = rnd(4), vid = 32 + rnd(16);
            if (v3) {
                uint64_t val = 1ull << 62 | (uint64_t)rnd(2) << 61 | (uint64_t)rnd(2) << 60 |
                               (uint64_t)(rnd(32) << 3) << 48 | (uint64_t)(32 + rnd(16)) << 32 | vid;
                acc(GIC_FRAME_SYSREG, ICH_LR(lr), true, val, 8, cpu);
            } else {
                uint32_t val = (uint32_t)rnd(2) << 31 | 1u << 28 | rnd(32) << 23 | (32 + rnd(16)) << 10 | vid;
                acc(GIC_FRAME_GICH, 0x100 + 4 * lr, true, val, 4, cpu);
            }
            break;
        }
        case 12: ack(true, cpu); break;
        case 13: eoi(true, cpu); break;
        case 14: acc(GIC_FRAME_GICD, 0x300 + (spi / 32) * 4, true, 1u << (spi % 32), 4, cpu); break;
        default:
            if (v3) acc(GIC_FRAME_SYSREG, ICC_PMR_EL1_ENC, true, rnd(2) ? 0xf0 : 0x80, 8, cpu);
            else acc(GIC_FRAME_GICC, 0x004, true, rnd(2) ? 0xf0 : 0x80, 4, cpu);
            break;
        }
    }
    return s;
}

// Runs the stimulus; stepping: 0 one cycle at a time, 1 jump to the next event, 2 random step sizes.
std::string run(gic_version v, unsigned cpus, const std::vector<Action> &s, int stepping, unsigned seed,
                std::vector<uint32_t> *pins_per_cycle = nullptr)
{
    gic_config c;
    gic_config_default(&c, v);
    c.num_cpus = cpus;
    gic_t *g = nullptr;
    EXPECT_EQ(gic_create(&c, &g), GIC_OK);
    TraceLog t(g);
    std::mt19937 rng(seed);
    auto advance_to = [&](gic_cycle_t target) {
        while (gic_now(g) < target) {
            if (stepping == 0) {
                gic_step(g, 1);
                if (pins_per_cycle) {
                    uint32_t p = 0;
                    for (unsigned k = 0; k < cpus; k++) p |= gic_outputs(g, k) << (5 * k);
                    pins_per_cycle->push_back(p);
                }
            } else if (stepping == 1) {
                gic_run_until(g, target);
            } else {
                gic_cycle_t step = 1 + rng() % 17;
                gic_run_until(g, std::min(target, gic_now(g) + step));
            }
        }
    };
    for (auto &a : s) {
        advance_to(a.at);
        if (a.kind == 0) EXPECT_EQ(gic_submit(g, &a.acc, nullptr), GIC_OK);
        else if (a.kind == 1) EXPECT_EQ(gic_set_spi(g, a.intid, a.level), GIC_OK);
        else EXPECT_EQ(gic_set_ppi(g, a.acc.cpu, a.intid, a.level), GIC_OK);
    }
    advance_to(s.back().at + 200);
    EXPECT_TRUE(gic_quiescent(g));
    std::string out = t.text();
    for (unsigned k = 0; k < cpus; k++) out += "pins " + std::to_string(gic_outputs(g, k)) + "\n";
    gic_destroy(g);
    return out;
}

void equivalence(gic_version v, unsigned cpus, unsigned seed)
{
    auto s = make_stimulus(v, cpus, seed, 3000);
    std::string one = run(v, cpus, s, 0, seed);
    std::string jump = run(v, cpus, s, 1, seed);
    std::string rand = run(v, cpus, s, 2, seed);
    ASSERT_GT(one.size(), 10000u) << "the stimulus must exercise the model";
    EXPECT_EQ(one, jump) << "single-step and jump-to-next-event traces differ (seed " << seed << ")";
    EXPECT_EQ(one, rand) << "single-step and random-step traces differ (seed " << seed << ")";
}

} // namespace

// Issue 2 item 4: the architectural trace is identical whatever the step size.
TEST(StepEquivalence, GicV2OneCpu)
{
    for (unsigned s = 1; s <= 3; s++) equivalence(GIC_V2, 1, s);
}
TEST(StepEquivalence, GicV2FourCpus)
{
    for (unsigned s = 11; s <= 13; s++) equivalence(GIC_V2, 4, s);
}
TEST(StepEquivalence, GicV3OneCpu)
{
    for (unsigned s = 21; s <= 23; s++) equivalence(GIC_V3, 1, s);
}
TEST(StepEquivalence, GicV3FourCpus)
{
    for (unsigned s = 31; s <= 33; s++) equivalence(GIC_V3, 4, s);
}

// The stimulus really produces interrupt traffic: acknowledges, deactivations, HW forwarding.
TEST(StepEquivalence, StimulusIsRich)
{
    auto s = make_stimulus(GIC_V2, 4, 11, 3000);
    gic_config c;
    gic_config_default(&c, GIC_V2);
    c.num_cpus = 4;
    gic_t *g;
    ASSERT_EQ(gic_create(&c, &g), GIC_OK);
    TraceLog t(g);
    for (auto &a : s) {
        gic_run_until(g, a.at);
        if (a.kind == 0) gic_submit(g, &a.acc, nullptr);
        else if (a.kind == 1) gic_set_spi(g, a.intid, a.level);
        else gic_set_ppi(g, a.acc.cpu, a.intid, a.level);
    }
    gic_run_until(g, s.back().at + 200);
    gic_destroy(g);
    EXPECT_GT(t.count(GIC_TR_ACK), 50u);
    EXPECT_GT(t.count(GIC_TR_VACK), 20u);
    EXPECT_GT(t.count(GIC_TR_HWDEACT), 5u);
    EXPECT_GT(t.count(GIC_TR_DEACT), 30u);
    EXPECT_GT(t.count(GIC_TR_OUTPUT), 100u);
}
