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
    uint32_t gic_timing::*fields[] = { &gic_timing::req,   &gic_timing::resp,    &gic_timing::ack,
                                       &gic_timing::line,  &gic_timing::prio,    &gic_timing::deliver,
                                       &gic_timing::deact, &gic_timing::hwdeact, &gic_timing::maint,
                                       &gic_timing::out };
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
    EXPECT_EQ(create_with(GIC_V3,
                          [](gic_config &c) {
                              c.vprio_bits = 8;
                              c.vpre_bits = 7;
                          }),
              GIC_OK);
    EXPECT_EQ(create_with(GIC_V3,
                          [](gic_config &c) {
                              c.vprio_bits = 8;
                              c.vpre_bits = 8;
                          }),
              GIC_E_INVAL);
    EXPECT_EQ(create_with(GIC_V3,
                          [](gic_config &c) {
                              c.vprio_bits = 6;
                              c.vpre_bits = 7;
                          }),
              GIC_E_INVAL);
    EXPECT_EQ(create_with(GIC_V2, [](gic_config &c) { c.vpre_bits = 6; }), GIC_E_INVAL);
}

TEST(ConfigLimits, CountsAtTheirEdges)
{
    // {version, field, the largest accepted value (0: none is checked), the smallest refused one}.
    struct Edge {
        gic_version v;
        const char *what;
        uint32_t gic_config::*field;
        uint32_t ok, bad;
    };
    const Edge edges[] = { { GIC_V3, "num_cpus", &gic_config::num_cpus, 64, 65 },
                           { GIC_V2, "num_cpus", &gic_config::num_cpus, 8, 9 },
                           { GIC_V3, "num_spis", &gic_config::num_spis, 988, 989 },
                           { GIC_V3, "num_lrs", &gic_config::num_lrs, 16, 17 },
                           { GIC_V3, "prio_bits", &gic_config::prio_bits, 0, 3 },
                           { GIC_V3, "cpu_prio_bits", &gic_config::cpu_prio_bits, 0, 9 },
                           { GIC_V3, "maint_ppi", &gic_config::maint_ppi, 0, 32 },
                           { GIC_V3, "maint_ppi", &gic_config::maint_ppi, 0, 15 } };
    for (const Edge &e : edges) {
        SCOPED_TRACE(::testing::Message() << "GICv" << (e.v == GIC_V2 ? 2 : 3) << " " << e.what);
        if (e.ok) {
            EXPECT_EQ(create_with(e.v, [&](gic_config &c) { c.*e.field = e.ok; }), GIC_OK) << e.ok;
        }
        EXPECT_EQ(create_with(e.v, [&](gic_config &c) { c.*e.field = e.bad; }), GIC_E_INVAL) << e.bad;
    }
}

} // namespace
