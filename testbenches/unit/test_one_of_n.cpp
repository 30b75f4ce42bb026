// test_one_of_n.cpp: docs/timing.md 4.10, 1-of-N SPIs (GICD_IROUTER.IRM = 1): offered to every CPU, the first
// acknowledge takes the SPI, the others read 1023; routing writes; QEMU's default configuration has no 1-of-N.
#include "gic_test_util.hpp"

using namespace gt;

namespace {

constexpr uint32_t SPI = 48, ROUTER = 0x6000 + 8 * SPI;

void one_of_n(gic_config *c)
{
    c->one_of_n = true;
    c->num_spis = 64;
}

// Four CPUs awake with Group 1 open; SPI 48 Group 1, enabled, priority 0x50, routed 1-of-N.
void setup(Gic &g)
{
    g.gicd_w(0x000, 0x3);
    for (unsigned k = 0; k < 4; k++) {
        g.rdb_w(0x14, 0, k);
        g.icc_w(ICC_PMR_EL1_ENC, 0xff, k);
        g.icc_w(ICC_IGRPEN1_EL1_ENC, 1, k);
    }
    g.gicd_w(0x400 + SPI, 0x50, 1);
    g.gicd_w(0x080 + 4 * (SPI / 32), 1u << (SPI % 32));
    g.gicd_w(0x100 + 4 * (SPI / 32), 1u << (SPI % 32));
    g.gicd_w(ROUTER, 1ull << 31, 8);
}

uint64_t submit(Gic &g, uint32_t e, unsigned cpu, bool write = false, uint64_t data = 0)
{
    struct gic_access a {
        GIC_FRAME_SYSREG, (uint8_t)write, 8, (uint16_t)cpu, e, data
    };
    uint64_t tag = 0;
    EXPECT_EQ(gic_submit(g.g, &a, &tag), GIC_OK);
    return tag;
}

gic_response collect(Gic &g, uint64_t tag)
{
    gic_response r{};
    EXPECT_EQ(gic_collect(g.g, tag, &r), GIC_OK);
    return r;
}

} // namespace

// timing.md 4.10: IRM is implemented only with one_of_n (GICD_TYPER.No1N = 0); QEMU's preset keeps it RES0.
TEST(OneOfN, Timing4_10_IrmOnlyWhenImplemented)
{
    Gic n(GIC_V3, 4, one_of_n);
    EXPECT_EQ((n.gicd(0x004) >> 25) & 1, 0u);
    n.gicd_w(ROUTER, (1ull << 31) | 2, 8);
    EXPECT_EQ(n.gicd(ROUTER, 8), (1ull << 31) | 2);
    Gic q(GIC_V3, 4); // default configuration (QEMU virt): no 1-of-N
    EXPECT_EQ((q.gicd(0x004) >> 25) & 1, 1u);
    q.gicd_w(ROUTER, (1ull << 31) | 2, 8);
    EXPECT_EQ(q.gicd(ROUTER, 8), 2u);
}

// timing.md 4.10 "Target set", "The choice", "The others' offers": every CPU is offered the SPI and signals IRQ; the
// acknowledge that takes effect first (CPU 3) takes it; CPU 0's acknowledge one cycle later returns 1023 and traces
// ack 1023 (value: the offered INTID) with aux = 1; the withdrawing HPPI messages leave every CPU without offer and IRQ.
TEST(OneOfN, Timing4_10_OfferedToEveryCpuFirstAcknowledgeWins)
{
    Gic g(GIC_V3, 4, one_of_n);
    setup(g);
    TraceLog t(g.g);
    g.gicd_w(0x200 + 4 * (SPI / 32), 1u << (SPI % 32));
    for (unsigned k = 0; k < 4; k++) {
        EXPECT_EQ(g.icc(ICC_HPPIR1_EL1_ENC, k), SPI) << "cpu " << k;
        EXPECT_TRUE(g.out(k) & GIC_OUT_IRQ) << "cpu " << k;
    }
    uint64_t a3 = submit(g, ICC_IAR1_EL1_ENC, 3), a0 = submit(g, ICC_IAR1_EL1_ENC, 0);
    g.settle();
    gic_response r3 = collect(g, a3), r0 = collect(g, a0);
    EXPECT_EQ(r3.data, SPI);
    EXPECT_EQ(r0.data, 1023u);
    EXPECT_EQ(r0.effect, r3.effect + 1); // one effect per cycle: no tie
    bool refused = false;
    for (auto &e : t.ev)
        if (e.kind == GIC_TR_ACK && e.cpu == 0 && e.intid == 1023 && e.value == SPI && e.aux == 1) refused = true;
    EXPECT_TRUE(refused);
    for (unsigned k = 0; k < 4; k++) {
        EXPECT_EQ(g.icc(ICC_HPPIR1_EL1_ENC, k), 1023u) << "cpu " << k;
        EXPECT_FALSE(g.out(k) & GIC_OUT_IRQ) << "cpu " << k;
    }
    EXPECT_EQ(g.gicd(0x300 + 4 * (SPI / 32)), 1u << (SPI % 32)); // active
    // deactivated and pended again: offered to every CPU again, and CPU 1 may take it this time
    g.icc_w(ICC_EOIR1_EL1_ENC, SPI, 3);
    g.gicd_w(0x200 + 4 * (SPI / 32), 1u << (SPI % 32));
    for (unsigned k = 0; k < 4; k++) EXPECT_EQ(g.icc(ICC_HPPIR1_EL1_ENC, k), SPI) << "cpu " << k;
    EXPECT_EQ(g.icc(ICC_IAR1_EL1_ENC, 1), SPI);
}

// timing.md 4.10 "Target set" with 4.4: a sleeping redistributor offers nothing, the other CPUs still do.
TEST(OneOfN, Timing4_10_SleepingCpuIsNotOffered)
{
    Gic g(GIC_V3, 4, one_of_n);
    setup(g);
    g.rdb_w(0x14, 2, 2); // CPU 2: ProcessorSleep
    g.gicd_w(0x200 + 4 * (SPI / 32), 1u << (SPI % 32));
    for (unsigned k = 0; k < 4; k++) EXPECT_EQ(g.icc(ICC_HPPIR1_EL1_ENC, k), k == 2 ? 1023u : SPI) << "cpu " << k;
}

// timing.md 4.10 "Routing writes": IRM = 1 -> 0 withdraws the SPI from every CPU but the named one, at E + prio +
// deliver; IRM = 0 -> 1 offers it to all.
TEST(OneOfN, Timing4_10_RoutingWriteChangesTargetsAtE)
{
    Gic g(GIC_V3, 4, one_of_n);
    setup(g);
    g.gicd_w(0x200 + 4 * (SPI / 32), 1u << (SPI % 32));
    TraceLog t(g.g);
    gic_response w = access(g, GIC_FRAME_GICD, ROUTER, true, 1, 8); // targeted: CPU 1 (Aff0 = 1)
    const gic_timing &tm = gic_get_config(g.g)->timing;
    for (unsigned k = 0; k < 4; k++) {
        EXPECT_EQ(g.icc(ICC_HPPIR1_EL1_ENC, k), k == 1 ? SPI : 1023u) << "cpu " << k;
        if (k == 1) continue;
        gic_cycle_t when = GIC_CYCLE_NEVER;
        for (auto &e : t.ev)
            if (e.kind == GIC_TR_HPPI && e.cpu == k && e.intid == 1023 && when == GIC_CYCLE_NEVER) when = e.cycle;
        EXPECT_EQ(when, w.effect + tm.prio + tm.deliver) << "cpu " << k;
    }
    g.gicd_w(ROUTER, 1ull << 31, 8);
    for (unsigned k = 0; k < 4; k++) EXPECT_EQ(g.icc(ICC_HPPIR1_EL1_ENC, k), SPI) << "cpu " << k;
}
