// test_config_limits.cpp: gic_create() refuses exactly what gic.h documents (struct gic_config and
// struct gic_timing ranges): each limit is accepted at its edge and refused one step beyond.
#include <gtest/gtest.h>

#include <functional>

#include "gicsim/gic.h"

namespace {

int create_with(enum gic_version v, const std::function<void(gic_config &)> &edit)
{
    gic_config c;
    gic_config_default(&c, v);
    edit(c);
    gic_t *g = nullptr;
    int rc = gic_create(&c, &g);
    if (g) gic_destroy(g);
    EXPECT_EQ(rc == GIC_OK, g != nullptr);
    return rc;
}

TEST(ConfigLimits, TimingUpTo2To20Accepted)
{
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.timing.req = 1u << 20; }), GIC_OK);
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.timing.out = 1u << 20; }), GIC_OK);
}

TEST(ConfigLimits, TimingAbove2To20Refused)
{
    uint32_t gic_timing::*fields[] = { &gic_timing::req, &gic_timing::resp, &gic_timing::ack, &gic_timing::line,
                                       &gic_timing::prio, &gic_timing::deliver, &gic_timing::deact,
                                       &gic_timing::hwdeact, &gic_timing::maint, &gic_timing::out };
    for (auto f : fields)
        EXPECT_EQ(create_with(GIC_V3, [f](gic_config &c) { c.timing.*f = (1u << 20) + 1; }), GIC_E_INVAL);
}

TEST(ConfigLimits, TimingZeroOnlyForPrioOrDeliver)
{
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.timing.prio = 0; }), GIC_OK);
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.timing.deliver = 0; }), GIC_OK);
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.timing.prio = c.timing.deliver = 0; }), GIC_E_INVAL);
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.timing.req = 0; }), GIC_E_INVAL);
}

TEST(ConfigLimits, VpreBitsAtMost7EvenWith8VprioBits)
{
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.vprio_bits = 8; c.vpre_bits = 7; }), GIC_OK);
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.vprio_bits = 8; c.vpre_bits = 8; }), GIC_E_INVAL);
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.vprio_bits = 6; c.vpre_bits = 7; }), GIC_E_INVAL);
    EXPECT_EQ(create_with(GIC_V2, [](gic_config &c) { c.vpre_bits = 6; }), GIC_E_INVAL);
}

TEST(ConfigLimits, CountsAtTheirEdges)
{
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.num_cpus = 64; }), GIC_OK);
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.num_cpus = 65; }), GIC_E_INVAL);
    EXPECT_EQ(create_with(GIC_V2, [](gic_config &c) { c.num_cpus = 8; }), GIC_OK);
    EXPECT_EQ(create_with(GIC_V2, [](gic_config &c) { c.num_cpus = 9; }), GIC_E_INVAL);
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.num_spis = 988; }), GIC_OK);
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.num_spis = 989; }), GIC_E_INVAL);
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.num_lrs = 16; }), GIC_OK);
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.num_lrs = 17; }), GIC_E_INVAL);
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.prio_bits = 3; }), GIC_E_INVAL);
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.cpu_prio_bits = 9; }), GIC_E_INVAL);
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.maint_ppi = 32; }), GIC_E_INVAL);
    EXPECT_EQ(create_with(GIC_V3, [](gic_config &c) { c.maint_ppi = 15; }), GIC_E_INVAL);
}

}  // namespace
