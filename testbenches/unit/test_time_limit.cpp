// test_time_limit.cpp: the end of time (gic.h GIC_CYCLE_LIMIT, docs/timing.md 1): calls that would
// pass it are refused with GIC_E_TIME and change nothing, and the API invariants hold near it.
#include "gic_test_util.hpp"

using namespace gt;

namespace {

// The observable time state: now, next event, quiescence.
struct TimeState {
    gic_cycle_t now, next;
    bool quiet;
    bool operator==(const TimeState &o) const { return now == o.now && next == o.next && quiet == o.quiet; }
};
TimeState state(const gic_t *g) { return { gic_now(g), gic_next_event(g), gic_quiescent(g) }; }

} // namespace

TEST(TimeLimit, RunUntilPastTheEndIsRefusedAndChangesNothing)
{
    Gic g(GIC_V2);
    TimeState s0 = state(g.g);
    EXPECT_EQ(gic_run_until(g.g, GIC_CYCLE_NEVER), GIC_E_TIME);
    EXPECT_TRUE(state(g.g) == s0) << "now " << gic_now(g.g);
    EXPECT_EQ(gic_run_until(g.g, GIC_CYCLE_LIMIT + 1), GIC_E_TIME);
    EXPECT_EQ(gic_step(g.g, GIC_CYCLE_NEVER), GIC_E_TIME);
    EXPECT_EQ(gic_step(g.g, GIC_CYCLE_LIMIT + 1), GIC_E_TIME);
    EXPECT_TRUE(state(g.g) == s0);
    // Up to the limit itself is allowed; from there not one more cycle.
    EXPECT_EQ(gic_run_until(g.g, GIC_CYCLE_LIMIT), GIC_OK);
    EXPECT_EQ(gic_now(g.g), GIC_CYCLE_LIMIT);
    EXPECT_EQ(gic_step(g.g, 0), GIC_OK);
    EXPECT_EQ(gic_step(g.g, 1), GIC_E_TIME);
    EXPECT_EQ(gic_now(g.g), GIC_CYCLE_LIMIT);
    EXPECT_STRNE(gic_strerror(GIC_E_TIME), "unknown status");
}

TEST(TimeLimit, AccessNearTheEndKeepsInvariants)
{
    Gic g(GIC_V2);
    // Default timing: a read takes req 2 + resp 1 = 3 cycles; two cycles before the limit it cannot finish.
    ASSERT_EQ(gic_run_until(g.g, GIC_CYCLE_LIMIT - 2), GIC_OK);
    TimeState s0 = state(g.g);
    uint64_t v = 0x1234;
    EXPECT_EQ(gic_read(g.g, GIC_FRAME_GICD, 0, 0x004, 4, &v), GIC_E_TIME);
    EXPECT_EQ(v, 0x1234u) << "no data on a refused read";
    EXPECT_TRUE(state(g.g) == s0) << "nothing queued: next event " << gic_next_event(g.g);
    EXPECT_GE(gic_next_event(g.g), gic_now(g.g));
    struct gic_access a {
        GIC_FRAME_GICD, 0, 4, 0, 0x004, 0
    };
    uint64_t tag;
    EXPECT_EQ(gic_submit(g.g, &a, &tag), GIC_E_TIME);
    EXPECT_EQ(gic_submit(g.g, &a, nullptr), GIC_E_TIME);
    EXPECT_TRUE(gic_quiescent(g.g));
    // An input line sampled after the limit is refused too, and the line keeps its old level.
    ASSERT_EQ(gic_run_until(g.g, GIC_CYCLE_LIMIT - 1), GIC_OK);
    EXPECT_EQ(gic_set_spi(g.g, 40, true), GIC_E_TIME);
    EXPECT_EQ(gic_set_ppi(g.g, 0, 27, true), GIC_E_TIME);
    EXPECT_TRUE(gic_quiescent(g.g));
    EXPECT_EQ(gic_set_spi(g.g, 40, false), GIC_OK) << "no edge: nothing to schedule";
}

TEST(TimeLimit, AccessEndingAtTheLimitWorksAndLaterWorkDoesNotSpin)
{
    uint64_t v = 0;
    // GICD and GICC enabled, PMR open, SPI 40 enabled.
    auto open_with_spi40_enabled = [](Gic &g) {
        g.gicd_w(0x000, 1);
        g.gicc_w(0x000, 1);
        g.gicc_w(0x004, 0xff);
        g.gicd_w(0x104, 1u << 8);
    };
    Gic h(GIC_V2);
    open_with_spi40_enabled(h);
    ASSERT_EQ(gic_run_until(h.g, GIC_CYCLE_LIMIT - 3), GIC_OK);
    // An acknowledge (GICC_IAR) responds ack = 2 cycles after its effect: 4 cycles, refused.
    EXPECT_EQ(gic_read(h.g, GIC_FRAME_GICC, 0, 0x00c, 4, &v), GIC_E_TIME);
    EXPECT_TRUE(gic_quiescent(h.g));
    // A plain read needs req 2 + resp 1 = 3 cycles: its response comes exactly at the limit.
    EXPECT_EQ(gic_read(h.g, GIC_FRAME_GICD, 0, 0x104, 4, &v), GIC_OK);
    EXPECT_EQ(v, 1u << 8);
    EXPECT_EQ(gic_now(h.g), GIC_CYCLE_LIMIT);
    ASSERT_EQ(gic_run_until(h.g, GIC_CYCLE_LIMIT - 5), GIC_E_INVAL);
    // From LIMIT - 6 a write of GICD_ISPENDR finishes at LIMIT - 3; its offer (prio + deliver = 6
    // cycles after the effect) lies past the limit: scheduled, never processed, and a settle loop ends.
    Gic k(GIC_V2);
    open_with_spi40_enabled(k);
    ASSERT_EQ(gic_run_until(k.g, GIC_CYCLE_LIMIT - 6), GIC_OK);
    EXPECT_EQ(gic_write(k.g, GIC_FRAME_GICD, 0, 0x204, 4, 1u << 8), GIC_OK);
    EXPECT_GE(gic_next_event(k.g), gic_now(k.g));
    EXPECT_FALSE(gic_quiescent(k.g));
    int rounds = 0, rc = GIC_OK;
    gic_cycle_t t;
    while ((t = gic_next_event(k.g)) != GIC_CYCLE_NEVER && (rc = gic_run_until(k.g, t + 1)) == GIC_OK && rounds < 100)
        rounds++;
    EXPECT_LT(rounds, 100) << "the settle loop spins";
    EXPECT_EQ(rc, GIC_E_TIME);
    EXPECT_LE(gic_now(k.g), GIC_CYCLE_LIMIT);
    EXPECT_GT(gic_next_event(k.g), GIC_CYCLE_LIMIT);
    EXPECT_EQ(gic_outputs(k.g, 0) & GIC_OUT_IRQ, 0u) << "the IRQ would come after the end of time";
}
