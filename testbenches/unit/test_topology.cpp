// test_topology.cpp: CPU affinities and redistributor regions from the configuration (struct gic_config
// affinity_set/affinity/redist_last, which a device tree fills: docs/dt.md).
#include <gtest/gtest.h>

#include "gic_test_util.hpp"
#include "gicsim/gic_regs.h"

namespace {

gic_config two_clusters()
{
    gic_config c;
    gic_config_default(&c, GIC_V3);
    c.num_cpus = 4;
    c.affinity_set = true;
    const uint64_t aff[4] = { 0x000, 0x001, 0x100, 0x101 }; // Aff1.Aff0: clusters 0 and 1
    for (unsigned i = 0; i < 4; i++) c.affinity[i] = aff[i];
    c.redist_last = 0x2 | 0x8; // one redistributor region per cluster
    return c;
}

} // namespace

// IHI0069H 12.11.35: GICR_TYPER.Affinity_Value is the CPU's affinity; Last marks the last redistributor of a region.
TEST(Topology, GicrTyperAffinityAndLastFromConfig_IHI0069H_12_11_35)
{
    gt::Gic g(two_clusters());
    EXPECT_EQ(g.rdb(0x8, 0, 8), 0x000ull << 32 | 0u << 8 | 0x1000001u);
    EXPECT_EQ(g.rdb(0x8, 1, 8), 0x001ull << 32 | 1u << 8 | 1u << 4 | 0x1000001u);
    EXPECT_EQ(g.rdb(0x8, 2, 8), 0x100ull << 32 | 2u << 8 | 0x1000001u);
    EXPECT_EQ(g.rdb(0x8, 3, 8), 0x101ull << 32 | 3u << 8 | 1u << 4 | 0x1000001u);
}

// IHI0069H 12.9.22: with IRM = 0 an SPI goes to the CPU whose affinity GICD_IROUTER names.
TEST(Topology, IrouterRoutesByConfiguredAffinity_IHI0069H_12_9_22)
{
    gt::Gic g(two_clusters());
    for (unsigned c = 0; c < 4; c++) {
        g.rdb_w(0x14, 0, c); // GICR_WAKER: awake
        g.icc_w(ICC_PMR_EL1_ENC, 0xff, c);
        g.icc_w(ICC_IGRPEN1_EL1_ENC, 1, c);
    }
    g.gicd_w(0x000, 0x2);
    g.gicd_w(0x084, 1u << 8); // SPI 40 in Group 1
    g.gicd_w(0x104, 1u << 8);
    g.gicd_w(0x6000 + 8 * 40, 0x101, 8);
    g.spi(40, true);
    g.settle();
    EXPECT_EQ(g.out(3) & GIC_OUT_IRQ, (uint32_t)GIC_OUT_IRQ);
    for (unsigned c = 0; c < 3; c++) EXPECT_EQ(g.out(c) & GIC_OUT_IRQ, 0u) << "CPU " << c;
}

// The configuration's rules (gic.h): affinities distinct, no Aff3 (GICD_TYPER.A3V = 0), Last only for existing CPUs.
TEST(Topology, BadTopologyRefused)
{
    gic_t *g = nullptr;
    gic_config c = two_clusters();
    c.affinity[3] = 0x100; // twice
    EXPECT_EQ(gic_create(&c, &g), GIC_E_INVAL);
    c = two_clusters();
    c.affinity[1] = 1ull << 32; // Aff3
    EXPECT_EQ(gic_create(&c, &g), GIC_E_INVAL);
    c = two_clusters();
    c.redist_last = 1u << 4; // CPU 4 does not exist
    EXPECT_EQ(gic_create(&c, &g), GIC_E_INVAL);
    c = two_clusters();
    ASSERT_EQ(gic_create(&c, &g), GIC_OK);
    gic_destroy(g);
}
