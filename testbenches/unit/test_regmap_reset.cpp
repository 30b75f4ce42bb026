// test_regmap_reset.cpp: every register the register description (model/regmap/gic_regs.toml) gives a fixed reset
// value reads that value after gic_create(), on GICv2 and GICv3, on every CPU's banked view and every array element.
// The table walked here is the generated one (gic_regmap_gen.c), so a register added to the description is checked
// without a new test.
#include <gtest/gtest.h>

#include <cstdio>

#include "gic_regmap_gen.h"
#include "gicsim/gic.h"

namespace {

void check_resets(enum gic_version v, unsigned cpus)
{
    gic_config cfg;
    gic_config_default(&cfg, v);
    cfg.num_cpus = cpus;
    gic_t *g = nullptr;
    ASSERT_EQ(gic_create(&cfg, &g), GIC_OK);
    const unsigned vbit = v == GIC_V2 ? 1 : 2;
    unsigned checked = 0;
    for (unsigned i = 0; i < GIC_REGDESC_COUNT; i++) {
        const gic_regdesc &d = gic_regdescs[i];
        if (!(d.gic_mask & vbit) || d.reset_cfg || d.access == GIC_ACCESS_WO) continue;
        for (unsigned cpu = 0; cpu < cpus; cpu++)
            for (unsigned e = 0; e < d.count; e++) {
                uint32_t off = d.offset + e * d.stride;
                uint64_t val = ~0ull;
                int rc = gic_peek(g, static_cast<gic_frame>(d.frame), cpu, off, d.width / 8, &val);
                if (rc != GIC_OK) continue; // an element this configuration does not implement (e.g. beyond the SPIs)
                EXPECT_EQ(val, d.reset) << d.name << "[" << e << "] cpu " << cpu << " (" << d.spec << ")";
                checked++;
            }
    }
    EXPECT_GT(checked, 100u);
    gic_destroy(g);
}

TEST(RegmapReset, EveryFixedResetValueOfTheDescriptionGicV2) { check_resets(GIC_V2, 2); }
TEST(RegmapReset, EveryFixedResetValueOfTheDescriptionGicV3) { check_resets(GIC_V3, 2); }

} // namespace
