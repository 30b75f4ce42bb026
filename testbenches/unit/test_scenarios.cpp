// test_scenarios.cpp: the Linux selftest kvm/arm64/vgic_irq.c matrix (SEMANTICS E) on the physical CPU interface, GICv2 and GICv3.
#include "gic_test_util.hpp"

#include <set>
#include <tuple>

using namespace gt;

namespace {

// One CPU interface, driven the same way on GICv2 (GICD/GICC) and GICv3 (GICD/GICR/ICC).
class Cpu {
public:
    Cpu(Gic &g, bool v3, unsigned cpu = 0) : g_(g), v3_(v3), cpu_(cpu) {}
    void open(bool eoi_split)
    {
        if (v3_) {
            g_.rdb_w(0x14, 0, cpu_);
            g_.sgi_w(0x080, 0xffffffff, cpu_); // SGIs/PPIs in Group 1
            g_.icc_w(ICC_PMR_EL1_ENC, 0xff, cpu_);
            g_.icc_w(ICC_CTLR_EL1_ENC, eoi_split ? 2 : 0, cpu_);
            g_.icc_w(ICC_IGRPEN1_EL1_ENC, 1, cpu_);
        } else {
            g_.gicc_w(0x000, 0x1 | (eoi_split ? 1u << 9 : 0), cpu_);
            g_.gicc_w(0x004, 0xff, cpu_);
        }
    }
    uint32_t ack() { return (uint32_t)(v3_ ? g_.icc(ICC_IAR1_EL1_ENC, cpu_) : g_.gicc(0x00c, cpu_)); }
    void eoi(uint32_t v) { v3_ ? g_.icc_w(ICC_EOIR1_EL1_ENC, v, cpu_) : g_.gicc_w(0x010, v, cpu_); }
    void dir(uint32_t v) { v3_ ? g_.icc_w(ICC_DIR_EL1_ENC, v, cpu_) : g_.gicc_w(0x1000, v, cpu_); }
    uint64_t apr() { return v3_ ? g_.icc(ICC_AP1R_EL1_ENC, cpu_) : g_.gicc(0x0d0, cpu_); }
    uint64_t rpr() { return v3_ ? g_.icc(ICC_RPR_EL1_ENC, cpu_) : g_.gicc(0x014, cpu_); }
    bool irq() { return g_.out(cpu_) & GIC_OUT_IRQ; }

private:
    Gic &g_;
    bool v3_;
    unsigned cpu_;
};

void dist_open(Gic &g, bool v3)
{
    if (v3) {
        g.gicd_w(0x000, 0x2);                                                 // EnableGrp1
        for (unsigned n = 1; n < 9; n++) g.gicd_w(0x080 + 4 * n, 0xffffffff); // SPIs in Group 1
    } else {
        g.gicd_w(0x000, 0x1);
    }
}

void enable(Gic &g, bool v3, uint32_t intid)
{
    if (v3 && intid < 32) g.sgi_w(0x100, 1u << intid);
    else g.gicd_w(0x100 + (intid / 32) * 4, 1u << (intid % 32));
}

void set_level(Gic &g, bool v3, uint32_t intid, bool edge)
{
    if (intid < 16) return;
    uint32_t off = (intid / 16) * 4, bit = 2 * (intid % 16) + 1;
    if (v3 && intid < 32) {
        uint64_t v = g.sgi(0xc04);
        g.sgi_w(0xc04, edge ? v | 1ull << bit : v & ~(1ull << bit));
    } else {
        uint64_t v = g.gicd(0xc00 + off);
        g.gicd_w(0xc00 + off, edge ? v | 1ull << bit : v & ~(1ull << bit));
    }
}

// Injects intid the way vgic_irq does: SGIs by the SGI register, PPIs and SPIs by their line.
void inject(Gic &g, bool v3, uint32_t intid, bool high)
{
    if (intid < 16) {
        if (!high) return;
        if (v3) g.icc_w(ICC_SGI1R_EL1_ENC, (uint64_t)intid << 24 | 1); // target list: CPU 0 (Aff0 0)
        else g.gicd_w(0xf00, (uint32_t)intid | 2u << 24);              // self
    } else if (intid < 32) {
        g.ppi(0, intid, high);
    } else {
        g.spi(intid, high);
    }
}

// Acknowledge everything pending; returns the INTIDs acknowledged, in order.
std::vector<uint32_t> drain(Gic &g, Cpu &cpu, bool v3, bool level, bool split)
{
    std::vector<uint32_t> got;
    for (int guard = 0; guard < 2000 && cpu.irq(); guard++) {
        uint32_t iar = cpu.ack();
        uint32_t id = iar & 0x3ff;
        if (id >= 1020) break;
        got.push_back(id);
        if (level) inject(g, v3, id, false);
        cpu.eoi(iar);
        if (split) cpu.dir(iar);
    }
    return got;
}

using Params = std::tuple<bool /*v3*/, bool /*level*/, bool /*split EOI*/>;
class VgicIrqMatrix : public ::testing::TestWithParam<Params> {};

} // namespace

// SEMANTICS E (vgic_irq.c): level {0,1} x split EOI {0,1}; SGI 0, all 16 SGIs, PPI 16, SPI 32,
// the last SPI and all SPIs are each delivered exactly once and leave no active priority behind.
TEST_P(VgicIrqMatrix, EachInjectionDeliveredExactlyOnce)
{
    auto [v3, level, split] = GetParam();
    Gic g(v3 ? GIC_V3 : GIC_V2);
    Cpu cpu(g, v3);
    dist_open(g, v3);
    cpu.open(split);
    const uint32_t last_spi = 32 + 256 - 1;
    std::vector<std::vector<uint32_t>> cases = { { 0 }, {}, { 16 }, { 32 }, { last_spi }, {} };
    for (uint32_t i = 0; i < 16; i++) cases[1].push_back(i);
    for (uint32_t i = 32; i <= last_spi; i++) cases[5].push_back(i);
    for (auto &ids : cases) {
        for (uint32_t id : ids) {
            enable(g, v3, id);
            set_level(g, v3, id, !level);
        }
        for (uint32_t id : ids) {
            inject(g, v3, id, true);
            if (!level) inject(g, v3, id, false); // edge: a pulse
        }
        auto got = drain(g, cpu, v3, level, split);
        std::vector<uint32_t> want = ids; // equal priorities: lowest INTID first
        EXPECT_EQ(got, want) << "v3=" << v3 << " level=" << level << " split=" << split;
        EXPECT_FALSE(cpu.irq());
        EXPECT_EQ(cpu.ack() & 0x3ff, 1023u) << "nothing may be delivered twice";
        EXPECT_EQ(cpu.apr(), 0u);
        EXPECT_EQ(cpu.rpr(), 0xffu);
        // Nothing is left active in the distributor/redistributor.
        if (v3) EXPECT_EQ(g.sgi(0x300), 0u);
        else EXPECT_EQ(g.gicd(0x300), 0u);
        for (unsigned n = 1; n < 9; n++) EXPECT_EQ(g.gicd(0x300 + 4 * n), 0u);
    }
}

INSTANTIATE_TEST_SUITE_P(Matrix, VgicIrqMatrix,
                         ::testing::Combine(::testing::Bool(), ::testing::Bool(), ::testing::Bool()),
                         [](const ::testing::TestParamInfo<Params> &i) {
                             return std::string(std::get<0>(i.param) ? "V3" : "V2") +
                                    (std::get<1>(i.param) ? "_Level" : "_Edge") +
                                    (std::get<2>(i.param) ? "_SplitEoi" : "_Eoi");
                         });

// SEMANTICS E (vgic_irq.c "restoring active state"): an interrupt made active by ISACTIVER with
// its priority restored in AP1R0 is completed by EOIR (or EOIR + DIR) like an acknowledged one.
TEST(Scenario, RestoreActiveViaIsactiverAndApr)
{
    for (bool v3 : { false, true })
        for (bool split : { false, true }) {
            Gic g(v3 ? GIC_V3 : GIC_V2, 1, prio8); // 8 priority bits: 7 preemption bits
            Cpu cpu(g, v3);
            dist_open(g, v3);
            cpu.open(split);
            g.gicd_w(0x420, 0x80); // SPI 32 priority 0x80
            enable(g, v3, 32);
            g.gicd_w(0x304, 1); // ISACTIVER1: SPI 32 active
            // Restore the active priority 0x80: bit 0x80 >> 1 = 64 on 7 preemption bits (APR word 2).
            if (v3) g.icc_w(ICC_AP1R_EL1_ENC + 2, 1);
            else g.gicc_w(0x0d8, 1);
            EXPECT_EQ(cpu.rpr(), 0x80u);
            cpu.eoi(32);
            if (split) cpu.dir(32);
            EXPECT_EQ(cpu.rpr(), 0xffu);
            EXPECT_EQ(g.gicd(0x304), 0u) << "v3=" << v3 << " split=" << split;
        }
}

// SEMANTICS E (vgic_irq.c "DIR from another CPU", EOImode 1) and IHI0069H 12.2.8: the
// deactivation of an SPI may come from a CPU interface that did not acknowledge it.
TEST(Scenario, DirFromAnotherCpu)
{
    for (bool v3 : { false, true }) {
        Gic g(v3 ? GIC_V3 : GIC_V2, 2);
        Cpu c0(g, v3, 0), c1(g, v3, 1);
        dist_open(g, v3);
        c0.open(true);
        c1.open(true);
        if (!v3) g.gicd_w(0x820, 1, 1); // ITARGETSR: SPI 32 -> CPU 0
        enable(g, v3, 32);
        g.gicd_w(0x204, 1);
        EXPECT_EQ(c0.ack(), 32u);
        c0.eoi(32);
        EXPECT_EQ(g.gicd(0x304), 1u); // still active: EOImode 1
        c1.dir(32);
        EXPECT_EQ(g.gicd(0x304), 0u) << "v3=" << v3;
    }
}

// kvm-unit-tests arm/gic.c "active": the handler clears the interrupt with ICACTIVER instead of
// EOIR; it is delivered once, and the running priority is dropped by the EOI that follows.
TEST(Scenario, ClearedByIcactiverDeliveredOnce)
{
    for (bool v3 : { false, true }) {
        Gic g(v3 ? GIC_V3 : GIC_V2);
        Cpu cpu(g, v3);
        dist_open(g, v3);
        cpu.open(true);
        enable(g, v3, 40);
        g.gicd_w(0x204, 1u << 8);
        EXPECT_EQ(cpu.ack(), 40u);
        g.gicd_w(0x384, 1u << 8); // ICACTIVER1
        cpu.eoi(40);              // priority drop only
        EXPECT_FALSE(cpu.irq());
        EXPECT_EQ(cpu.ack() & 0x3ff, 1023u) << "v3=" << v3;
        EXPECT_EQ(cpu.rpr(), 0xffu);
    }
}
