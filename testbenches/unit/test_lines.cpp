// test_lines.cpp: input lines driven from outside the GIC, in particular the maintenance PPI, whose
// input is the OR of its external wire and the CPU's MAINT output (gic.h, gic_set_ppi).
#include "gic_test_util.hpp"

using namespace gt;

namespace {

constexpr uint32_t MAINT_PPI = 25;
constexpr uint32_t BIT = 1u << MAINT_PPI;
constexpr uint32_t GICD_ISPENDR0 = 0x200, GICR_ISPENDR0 = 0x200;
constexpr uint32_t GICH_HCR = 0x0;
constexpr uint64_t HCR_EN_NPIE = 0x9; // En | NPIE: no list register pending -> maintenance asserted

struct Lines : ::testing::Test {
    // Pending bit of PPI 25 of CPU 0 and the CPU's MAINT output, after settling.
    static uint32_t pend(Gic &g, gic_version v)
    {
        return v == GIC_V2 ? (uint32_t)g.rd(GIC_FRAME_GICD, GICD_ISPENDR0) & BIT
                           : (uint32_t)g.rd(GIC_FRAME_GICR_SGI, GICR_ISPENDR0) & BIT;
    }
    static void maint(Gic &g, gic_version v, bool on)
    {
        if (v == GIC_V2) g.wr(GIC_FRAME_GICH, GICH_HCR, on ? HCR_EN_NPIE : 0);
        else g.wr(GIC_FRAME_SYSREG, ICH_HCR_EL2_ENC, on ? HCR_EN_NPIE : 0, 8);
    }
    static void drive(Gic &g, bool level)
    {
        ASSERT_EQ(gic_set_ppi(g.g, 0, MAINT_PPI, level), GIC_OK);
        g.settle();
    }
};

// Runs `body` on a fresh one-CPU GIC of each version, the version named in any failure.
void both(void (*body)(Gic &, gic_version))
{
    for (gic_version v : { GIC_V2, GIC_V3 }) {
        SCOPED_TRACE(v);
        Gic g(v);
        body(g, v);
    }
}

} // namespace

TEST_F(Lines, MaintenancePpiAcceptsAnExternalWire)
{
    both([](Gic &g, gic_version v) {
        EXPECT_EQ(pend(g, v), 0u);
        drive(g, true); // level-sensitive (reset): pending follows the wire
        EXPECT_EQ(pend(g, v), BIT);
        EXPECT_EQ(gic_outputs(g.g, 0) & GIC_OUT_MAINT, 0u);
        drive(g, false);
        EXPECT_EQ(pend(g, v), 0u);
    });
}

TEST_F(Lines, MaintenanceOutputStillDrivesThePpi)
{
    both([](Gic &g, gic_version v) {
        maint(g, v, true);
        EXPECT_NE(gic_outputs(g.g, 0) & GIC_OUT_MAINT, 0u);
        EXPECT_EQ(pend(g, v), BIT);
        maint(g, v, false);
        EXPECT_EQ(gic_outputs(g.g, 0) & GIC_OUT_MAINT, 0u);
        EXPECT_EQ(pend(g, v), 0u);
    });
}

TEST_F(Lines, WireFallingWhileMaintHighKeepsTheLineHigh)
{
    both([](Gic &g, gic_version v) {
        maint(g, v, true);
        drive(g, true);
        drive(g, false); // MAINT still asserted: the OR stays high
        EXPECT_EQ(pend(g, v), BIT);
        maint(g, v, false); // now both are low
        EXPECT_EQ(pend(g, v), 0u);
    });
}

TEST_F(Lines, MaintFallingWhileWireHighKeepsTheLineHigh)
{
    both([](Gic &g, gic_version v) {
        drive(g, true);
        maint(g, v, true);
        maint(g, v, false); // the wire is still high
        EXPECT_EQ(pend(g, v), BIT);
        drive(g, false);
        EXPECT_EQ(pend(g, v), 0u);
    });
}

TEST_F(Lines, EdgeTriggeredMaintenancePpiLatchesOnlyRisingEdgesOfTheOr)
{
    // GICv2, PPI 25 programmed edge-triggered (GICD_ICFGR1 bits [51:50] -> field 9, bit 19).
    Gic g(GIC_V2);
    g.wr(GIC_FRAME_GICD, 0xc04, 2u << 18);
    maint(g, GIC_V2, true); // rising edge of the OR: latched
    EXPECT_EQ(pend(g, GIC_V2), BIT);
    g.wr(GIC_FRAME_GICD, 0x280, BIT); // GICD_ICPENDR0 clears the latch
    EXPECT_EQ(pend(g, GIC_V2), 0u);
    drive(g, true); // the OR is already high: no edge
    EXPECT_EQ(pend(g, GIC_V2), 0u);
    maint(g, GIC_V2, false);
    drive(g, false);
    drive(g, true); // the OR rises again
    EXPECT_EQ(pend(g, GIC_V2), BIT);
}

// timing.md 4.8: only a change of the OR is a line change. A wire change while MAINT is high, and a MAINT change
// while the wire is high, leave nothing to process (the RTL reference's idle indication relies on the same).
TEST_F(Lines, Timing4_8_OnlyAChangeOfTheOrIsWork)
{
    both([](Gic &g, gic_version v) {
        maint(g, v, true);
        ASSERT_EQ(gic_set_ppi(g.g, 0, MAINT_PPI, true), GIC_OK);
        EXPECT_EQ(gic_next_event(g.g), GIC_CYCLE_NEVER); // the OR stays high: no line message
        ASSERT_EQ(gic_set_ppi(g.g, 0, MAINT_PPI, false), GIC_OK);
        EXPECT_EQ(gic_next_event(g.g), GIC_CYCLE_NEVER);
        drive(g, true);
        // MAINT falls while the wire is high: the output changes, the line does not (no event after the edge).
        std::vector<gic_trace_event> ev;
        gic_set_trace(
            g.g,
            [](void *c, const gic_trace_event *e) { static_cast<std::vector<gic_trace_event> *>(c)->push_back(*e); },
            &ev);
        maint(g, v, false);
        gic_set_trace(g.g, nullptr, nullptr);
        uint64_t fall = 0;
        for (const gic_trace_event &e : ev)
            if (e.kind == GIC_TR_OUTPUT && e.intid == GIC_OUT_MAINT && e.value == 0) fall = e.cycle;
        ASSERT_NE(fall, 0u);
        for (const gic_trace_event &e : ev)
            EXPECT_FALSE(e.cycle > fall && e.kind == GIC_TR_LINE) << "line event at " << e.cycle;
        EXPECT_EQ(pend(g, v), BIT);
    });
}

TEST_F(Lines, OtherCpusAndBadArguments)
{
    Gic g(GIC_V3, 2);
    ASSERT_EQ(gic_set_ppi(g.g, 1, MAINT_PPI, true), GIC_OK);
    g.settle();
    EXPECT_EQ(g.rd(GIC_FRAME_GICR_SGI, GICR_ISPENDR0, 4, 1) & BIT, BIT);
    EXPECT_EQ(g.rd(GIC_FRAME_GICR_SGI, GICR_ISPENDR0, 4, 0) & BIT, 0u);
    EXPECT_EQ(gic_set_ppi(g.g, 2, MAINT_PPI, true), GIC_E_INVAL);
    EXPECT_EQ(gic_set_ppi(g.g, 0, 15, true), GIC_E_INVAL);
    EXPECT_EQ(gic_set_ppi(g.g, 0, 32, true), GIC_E_INVAL);
}

TEST_F(Lines, ResetKeepsTheExternalWire)
{
    Gic g(GIC_V2);
    drive(g, true);
    maint(g, GIC_V2, true);
    gic_reset(g.g); // MAINT output falls with reset; the external wire is still high
    g.settle();
    EXPECT_EQ(pend(g, GIC_V2), BIT);
}
