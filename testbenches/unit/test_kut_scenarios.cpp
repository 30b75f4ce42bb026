// test_kut_scenarios.cpp: SEMANTICS section E scenarios not covered by test_scenarios.cpp
// (kvm-unit-tests arm/gic.c IPIs; vgic_irq.c nested preemption, invalid INTIDs, disabled Group 0),
// directed tests for the SEMANTICS D bug list, and preemption with the binary point; physical and
// virtual CPU interfaces, GICv2 and GICv3.
#include "sem_test_util.hpp"

#include <tuple>

using namespace sem;

namespace {
SEM_VERSION_SUITE(KutIpi);
SEM_VERSION_SUITE(VgicIrqInvalid);
SEM_VERSION_SUITE(VgicIrqGroup0);
SEM_VERSION_SUITE(BugD);
SEM_VERSION_SUITE(Preemption);

// Sends SGI `sgi` from CPU `from`: GICv2 GICD_SGIR (filter 0 list, 1 all but self, 2 self);
// GICv3 ICC_SGI1R_EL1 (IRM=1 for all but self, else the Aff0 target list of cluster 0).
void send_sgi(Rig &r, unsigned from, unsigned sgi, unsigned filter, uint32_t targets)
{
    if (r.v3) {
        uint64_t v = (uint64_t)sgi << 24;
        if (filter == 1) v |= 1ull << 40;
        else v |= filter == 2 ? 1u << from : targets;
        r.g.icc_w(ICC_SGI1R_EL1_ENC, v, from);
    } else {
        r.g.gicd_w(0xf00, filter << 24 | (targets & 0xff) << 16 | sgi, 4, from);
    }
}
} // namespace

// ============================== kvm-unit-tests arm/gic.c: IPIs ==============================
// Self, target list and broadcast (all but self) from each of 4 CPUs: every target acknowledges
// the SGI exactly once (GICv2: IAR[12:10] = the sender), nobody else sees it, and everything
// returns to idle (APR 0, RPR 0xFF, not active).
TEST_P(KutIpi, SelfTargetListBroadcastFourCpus)
{
    const unsigned N = 4;
    Rig r(GetParam(), N);
    r.dist_open();
    for (unsigned c = 0; c < N; c++) {
        r.cpu_open(c);
        if (r.v3) r.g.sgi_w(0x100, 0xffff, c); // GICv2 SGI enables are RAO
    }
    for (unsigned s = 0; s < N; s++) {
        for (unsigned filter = 0; filter < 3; filter++) {
            const unsigned sgi = 2 + filter;
            uint32_t list = 0xf & ~(1u << ((s + 1) % N)); // includes the sender itself
            uint32_t want = filter == 0 ? list : filter == 1 ? (0xfu & ~(1u << s)) : 1u << s;
            send_sgi(r, s, sgi, filter, list);
            for (unsigned c = 0; c < N; c++) {
                SCOPED_TRACE("sender " + std::to_string(s) + " filter " + std::to_string(filter) + " cpu " +
                             std::to_string(c));
                if (!(want >> c & 1)) {
                    EXPECT_FALSE(r.irq(c));
                    EXPECT_EQ(r.ack(c) & 0x3ff, 1023u);
                    continue;
                }
                EXPECT_TRUE(r.irq(c));
                uint32_t iar = r.ack(c);
                EXPECT_EQ(iar, sgi | (r.v3 ? 0 : s << 10));
                EXPECT_FALSE(r.irq(c));
                EXPECT_EQ(r.ack(c) & 0x3ff, 1023u) << "acknowledged exactly once";
                r.eoi(iar, c);
                EXPECT_EQ(r.apr(0, c), 0u);
                EXPECT_EQ(r.rpr(c), 0xffu);
                EXPECT_FALSE(r.active(sgi, c));
            }
        }
    }
}

// GICv2: one SGI pending from two senders is two interrupts: taken lowest source first, each
// once, with its own CPUID; GICD_SPENDSGIR shows the sources.
TEST(KutIpi, GicV2SameSgiFromTwoSenders)
{
    Rig r(false, 4);
    r.dist_open();
    for (unsigned c = 0; c < 4; c++) r.cpu_open(c);
    send_sgi(r, 2, 7, 0, 1);
    send_sgi(r, 1, 7, 0, 1);
    EXPECT_EQ(r.g.gicd(0xf24, 4, 0) >> 24, 0x6u); // SPENDSGIR1 byte 3 = SGI 7: sources 1 and 2
    uint32_t a = r.ack(0);
    EXPECT_EQ(a, 7u | 1u << 10);
    r.eoi(a);
    uint32_t b = r.ack(0);
    EXPECT_EQ(b, 7u | 2u << 10);
    r.eoi(b);
    EXPECT_EQ(r.ack(0) & 0x3ff, 1023u);
    EXPECT_EQ(r.g.gicd(0xf24, 4, 0), 0u);
}

// GICv3 affinity routing: with 20 CPUs, CPU 17 is Aff1=1 Aff0=1. A target list names Aff0 bits
// within the cluster given by Aff1; RS selects Aff0 16..31 (empty here); IRM=1 reaches all but
// the sender across clusters.
TEST(KutIpi, GicV3AffinityRoutedTargets)
{
    Rig r(true, 20);
    r.dist_open();
    for (unsigned c = 0; c < 20; c++) {
        r.cpu_open(c);
        r.g.sgi_w(0x100, 0xffff, c);
    }
    auto pending_on = [&](unsigned sgi) {
        uint32_t m = 0;
        for (unsigned c = 0; c < 20; c++) m |= (uint32_t)((r.g.sgi(0x200, c) >> sgi) & 1) << c;
        return m;
    };
    r.g.icc_w(ICC_SGI1R_EL1_ENC, 1ull << 16 | 4ull << 24 | 0x2, 0); // Aff1=1, Aff0 bit 1 -> CPU 17
    EXPECT_EQ(pending_on(4), 1u << 17);
    EXPECT_EQ(r.ack(17), 4u);
    r.eoi(4, 17);
    r.g.icc_w(ICC_SGI1R_EL1_ENC, 1ull << 44 | 5ull << 24 | 0x3, 0); // RS=1: Aff0 16, 17: nobody
    EXPECT_EQ(pending_on(5), 0u);
    r.g.icc_w(ICC_SGI1R_EL1_ENC, 6ull << 24 | 1ull << 40, 17); // IRM=1 from CPU 17
    EXPECT_EQ(pending_on(6), 0xfffffu & ~(1u << 17));
}

// ============================== vgic_irq.c: nested preemption ==============================
// Four interrupts, each of higher priority than the last, each preempting the one before; EOIs in
// reverse order (and DIR with split EOI). The active priorities are checked after every step and
// end at AP1R0/GICC_APR0 == 0. Edge: SGIs 0-3; level: SPIs 32-35 whose lines fall after the ack.
using PreParams = std::tuple<bool, bool, bool>; // v3, split EOI, level
class NestedPreemption : public ::testing::TestWithParam<PreParams> {};
TEST_P(NestedPreemption, Physical)
{
    auto [v3, split, level] = GetParam();
    Rig r(v3, 1, prio8); // 8 priority bits in the CPU interface: 7 preemption bits
    r.host_open(0, split);
    const uint8_t prio[4] = { 0x30, 0x20, 0x10, 0x00 };
    uint32_t id[4];
    uint64_t apr = 0;
    for (unsigned i = 0; i < 4; i++) {
        id[i] = level ? 32 + i : i;
        r.set_prio(id[i], prio[i]);
        if (level) r.set_edge(id[i], false);
        r.enable(id[i]);
    }
    for (unsigned i = 0; i < 4; i++) {
        if (level) r.g.spi(id[i], true);
        else send_sgi(r, 0, id[i], 2, 0);
        EXPECT_TRUE(r.irq()) << "level " << i << " preempts";
        EXPECT_EQ(r.ack(), id[i]);
        if (level) r.g.spi(id[i], false);
        apr |= 1ull << (prio[i] >> 1); // 7 preemption bits: bit = priority >> 1
        EXPECT_EQ(r.apr(), apr);
        EXPECT_EQ(r.rpr(), prio[i]);
    }
    for (int i = 3; i >= 0; i--) {
        r.eoi(id[i]);
        if (split) r.dir(id[i]);
        apr &= ~(1ull << (prio[i] >> 1));
        EXPECT_EQ(r.apr(), apr);
        EXPECT_FALSE(r.active(id[i]));
        EXPECT_EQ(r.rpr(), i ? prio[i - 1] : 0xffu);
    }
    EXPECT_EQ(r.apr(), 0u);
    for (unsigned w = 1; w < 4; w++) EXPECT_EQ(r.apr(w), 0u);
    EXPECT_EQ(r.ack() & 0x3ff, 1023u);
    EXPECT_FALSE(r.irq());
}
INSTANTIATE_TEST_SUITE_P(Kut, NestedPreemption,
                         ::testing::Combine(::testing::Bool(), ::testing::Bool(), ::testing::Bool()),
                         [](const ::testing::TestParamInfo<PreParams> &i) {
                             return std::string(std::get<0>(i.param) ? "V3" : "V2") +
                                    (std::get<1>(i.param) ? "_Split" : "_Eoi") +
                                    (std::get<2>(i.param) ? "_Level" : "_Edge");
                         });

// The same in a guest: the hypervisor lists each vINTID as it is injected, priorities
// (30 - i) << 3 as vgic_irq uses, 5 preemption bits: vAPR bit = priority >> 3. At the end
// ICV_AP1R0 / GICV_APR (and the hypervisor's ICH_AP1R_EL2_ENC / GICH_APR) are 0 and every LR is free.
using VPreParams = std::tuple<bool, bool>;
class NestedPreemptionVirtual : public ::testing::TestWithParam<VPreParams> {};
TEST_P(NestedPreemptionVirtual, Guest)
{
    auto [v3, split] = GetParam();
    Rig r(v3);
    r.virt_open(1, 0, split);
    uint64_t apr = 0;
    for (unsigned i = 0; i < 4; i++) {
        unsigned prio = (30 - i) << 3;
        r.lr_w(i, r.vlr(1, i, -1, prio));
        EXPECT_TRUE(r.virq()) << "level " << i << " preempts";
        EXPECT_EQ(r.vack(), i);
        apr |= 1ull << (prio >> 3);
        EXPECT_EQ(r.vapr(), apr);
        EXPECT_EQ(r.hapr(), apr);
        EXPECT_EQ(r.vrpr(), prio);
    }
    for (int i = 3; i >= 0; i--) {
        r.veoi((uint32_t)i);
        if (split) r.vdir((uint32_t)i);
        apr &= ~(1ull << (((30 - i) << 3) >> 3));
        EXPECT_EQ(r.vapr(), apr);
        EXPECT_EQ(r.lr_st((unsigned)i), 0u);
    }
    EXPECT_EQ(r.vapr(), 0u);
    EXPECT_EQ(r.hapr(), 0u);
    EXPECT_EQ(r.vrpr(), 0xffu);
    EXPECT_EQ(r.elrsr(), 0xfu);
    EXPECT_EQ(r.eoicount(), 0u);
    EXPECT_EQ(r.vack() & 0x3ff, 1023u);
}
INSTANTIATE_TEST_SUITE_P(Kut, NestedPreemptionVirtual, ::testing::Combine(::testing::Bool(), ::testing::Bool()),
                         [](const ::testing::TestParamInfo<VPreParams> &i) {
                             return std::string(std::get<0>(i.param) ? "V3" : "V2") +
                                    (std::get<1>(i.param) ? "_Split" : "_Eoi");
                         });

// ============================== vgic_irq.c: invalid INTIDs ==============================
// {nr_irqs, 1020, 1024, 1120, 5120, ~0} deliver nothing: the input lines refuse them, the
// pending/enable bits beyond the last implemented INTID are RAZ/WI, SGI registers cannot name
// absent targets, and EOIR/DIR with them change no state (an existing active interrupt stays
// active; deactivations of INTIDs that do not exist are traced as ignored, 1020-1023 not at all).
// GICv2 EOIR/DIR have a 10-bit INTID field (1024+ alias INTIDs with a CPUID), so there the set is
// {nr_irqs, 1020, 1023 (= ~0 in 10 bits)}.
TEST_P(VgicIrqInvalid, DeliverNothingChangeNothing)
{
    Rig r(GetParam());
    const uint32_t nr_irqs = 32 + gic_get_config(r.g.g)->num_spis; // 288
    std::vector<uint64_t> ids = r.v3 ? std::vector<uint64_t>{ nr_irqs, 1020, 1024, 1120, 5120, ~0ull }
                                     : std::vector<uint64_t>{ nr_irqs, 1020, 0xffffffffull };
    r.host_open(0, false);
    for (uint64_t id : ids) {
        EXPECT_EQ(gic_set_spi(r.g.g, (uint32_t)id, true), GIC_E_INVAL) << id;
        EXPECT_EQ(gic_set_ppi(r.g.g, 0, (uint32_t)id, true), GIC_E_INVAL) << id;
    }
    for (uint32_t id : { nr_irqs, 1020u }) { // the ones with a register bit position
        r.g.gicd_w(r.bitoff(0x100, id), 1u << (id % 32));
        r.g.gicd_w(r.bitoff(0x200, id), 1u << (id % 32));
        EXPECT_EQ(r.g.gicd(r.bitoff(0x100, id)), 0u) << id;
        EXPECT_EQ(r.g.gicd(r.bitoff(0x200, id)), 0u) << id;
    }
    if (r.v3) {
        r.g.icc_w(ICC_SGI1R_EL1_ENC, 1ull << 16 | 1ull << 24 | 1, 0); // cluster Aff1=1: absent
        r.g.icc_w(ICC_SGI1R_EL1_ENC, 2ull << 24 | 1u << 5, 0);        // Aff0 5: absent
        EXPECT_EQ(r.g.sgi(0x200), 0u);
    } else {
        r.g.gicd_w(0xf00, 3u << 24 | 0xff << 16 | 1); // reserved TargetListFilter
        r.g.gicd_w(0xf00, 0u << 24 | 0xfe << 16 | 2); // absent CPUs only
        EXPECT_EQ(r.g.gicd(0x200), 0u);
    }
    EXPECT_FALSE(r.irq());
    EXPECT_EQ(r.hppir() & 0x3ff, 1023u);
    EXPECT_EQ(r.ack() & 0x3ff, 1023u);
    // EOIR (EOImode 0), then DIR (EOImode 1), with an unrelated SPI active and nothing acknowledged.
    r.activate(40);
    TraceLog t;
    for (bool split : { false, true }) {
        r.cpu_open(0, split);
        t.ev.clear();
        t.attach(r.g.g);
        for (uint64_t id : ids) {
            gic_cycle_t E = split ? r.dir(id) : r.eoi(id);
            uint32_t field = r.v3 ? (uint32_t)(id & 0xffffff) : (uint32_t)(id & 0x3ff);
            if (field >= 1020 && field < 1024) EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E), GIC_CYCLE_NEVER) << id;
            else EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E, field, 0), E + r.tm().deact) << id;
        }
        EXPECT_EQ(t.count(GIC_TR_ACTIVE), 0u);
        EXPECT_EQ(t.count(GIC_TR_RPR), 0u);
        EXPECT_TRUE(r.active(40));
        EXPECT_EQ(r.apr(), 0u);
    }
}

// Virtual side: a list register holding vINTID 1020-1023 is UNPREDICTABLE (SEMANTICS A5); gicsim
// never signals it (a guest could not complete it: EOI/DIR ignore 1020-1023), and a guest EOIR or
// DIR with any of the invalid INTIDs changes no list register and no virtual priority.
TEST_P(VgicIrqInvalid, ListRegistersAndGuestEoi)
{
    Rig r(GetParam());
    r.virt_open(1);
    for (uint32_t id = 1020; id < 1024; id++) {
        r.lr_w(0, r.vlr(1, id));
        EXPECT_FALSE(r.virq()) << id;
        EXPECT_EQ(r.vhppir() & 0x3ff, 1023u) << id;
        EXPECT_EQ(r.vack() & 0x3ff, 1023u) << id;
        EXPECT_EQ(r.lr_st(0), 1u) << id;
        EXPECT_EQ(r.vapr(), 0u);
    }
    r.lr_w(0, r.vlr(2, 40)); // an active listed interrupt that must stay active
    r.lr_w(1, r.vlr(1, 1021));
    TraceLog t(r.g.g);
    std::vector<uint64_t> ids = r.v3 ? std::vector<uint64_t>{ 1020, 1021, 1022, 1023, 0xffffff }
                                     : std::vector<uint64_t>{ 1020, 1021, 1022, 1023, 0xffffffff };
    for (bool split : { false, true }) {
        r.guest_open(0, split);
        for (uint64_t id : ids) {
            r.veoi(id);
            if (split) r.vdir(id);
        }
    }
    EXPECT_EQ(t.count(GIC_TR_LR), 0u);
    EXPECT_EQ(t.count(GIC_TR_VRPR), 0u);
    EXPECT_EQ(t.count(GIC_TR_HWDEACT), 0u);
    EXPECT_EQ(r.lr_st(0), 2u);
    EXPECT_EQ(r.lr_st(1), 1u);
    // ~0 on GICv3 is 0xffffff in a 24-bit INTID field: a virtual LPI's INTID (>= 8192), which has no
    // active state, so neither its DIR (EOImode 1) nor its EOIR counts (docs/lpi.md, as QEMU); on GICv2
    // it is 1023 in the 10-bit field: special, ignored.
    EXPECT_EQ(r.eoicount(), 0u);
}

// timing.md 4.9 (IHI0069H 12.2.3, SGI forwarding with GICD_CTLR.DS = 1): ICC_ASGI1R_EL1 generates
// the SGI only where it is configured Group 0; ICC_SGI1R_EL1 only where it is Group 1.
TEST(Timing4_9, Asgi1rGeneratesGroup0SgisWithOneSecurityState)
{
    Rig r(true);
    r.g.gicd_w(0x000, 0x3);
    r.g.rdb_w(0x14, 0);
    r.g.sgi_w(0x080, 1u << 4); // SGI 4 Group 1, SGI 3 Group 0
    r.g.icc_w(ICC_ASGI1R_EL1_ENC, 4ull << 24 | 1);
    EXPECT_EQ(r.g.sgi(0x200), 0u) << "ASGI1R: a Group 1 SGI is not generated";
    r.g.icc_w(ICC_ASGI1R_EL1_ENC, 3ull << 24 | 1);
    EXPECT_EQ(r.g.sgi(0x200), 1u << 3) << "ASGI1R: the Group 0 SGI is";
    r.g.icc_w(ICC_SGI1R_EL1_ENC, 3ull << 24 | 1); // (already pending; SGI1R would not set a Group 0 SGI anyway)
    r.g.sgi_w(0x280, 1u << 3);
    r.g.icc_w(ICC_SGI1R_EL1_ENC, 3ull << 24 | 1);
    EXPECT_EQ(r.g.sgi(0x200), 0u) << "SGI1R: a Group 0 SGI is not generated";
    r.g.icc_w(ICC_SGI1R_EL1_ENC, 4ull << 24 | 1);
    EXPECT_EQ(r.g.sgi(0x200), 1u << 4) << "SGI1R: the Group 1 SGI is";
}

// ============================== vgic_irq.c: disabled Group 0 ==============================
// A Group 0 SGI sent while the CPU interface's Group 0 is disabled stays pending (and is not
// offered: IAR reads 1023) until Group 0 is enabled; it is then signalled prio + deliver + out
// cycles after the enabling write and taken once. GICv3 generates it with ICC_SGI0R_EL1 (an
// ICC_SGI1R_EL1 write does not make a Group 0 SGI pending), GICv2 with GICD_SGIR.
TEST_P(VgicIrqGroup0, SgiKeptPendingUntilEnabled)
{
    Rig r(GetParam());
    const unsigned S = 5;
    gic_cycle_t E;
    if (r.v3) {
        r.g.gicd_w(0x000, 0x3);
        r.g.rdb_w(0x14, 0);
        r.g.sgi_w(0x100, 1u << S); // enabled, Group 0 (reset)
        r.g.icc_w(ICC_PMR_EL1_ENC, 0xff);
        r.g.icc_w(ICC_IGRPEN1_EL1_ENC, 1);
        r.g.icc_w(ICC_SGI1R_EL1_ENC, (uint64_t)S << 24 | 1); // wrong group: nothing
        EXPECT_EQ(r.g.sgi(0x200), 0u);
        r.g.icc_w(ICC_SGI0R_EL1_ENC, (uint64_t)S << 24 | 1);
        EXPECT_EQ(r.g.sgi(0x200), 1u << S);
        EXPECT_EQ(r.g.out() & (GIC_OUT_IRQ | GIC_OUT_FIQ), 0u);
        EXPECT_EQ(r.g.icc(ICC_IAR0_EL1_ENC), 1023u);
        EXPECT_EQ(r.g.icc(ICC_IAR1_EL1_ENC), 1023u);
        EXPECT_EQ(r.g.sgi(0x200), 1u << S) << "still pending";
        TraceLog t(r.g.g);
        E = r.write_e(GIC_FRAME_SYSREG, ICC_IGRPEN0_EL1_ENC, 1);
        const gic_timing &tm = r.tm();
        EXPECT_EQ(first_ev(t, GIC_TR_OUTPUT, E, GIC_OUT_FIQ, 1), E + tm.prio + tm.deliver + tm.out);
        EXPECT_EQ(r.g.icc(ICC_IAR0_EL1_ENC), S);
        r.g.icc_w(ICC_EOIR0_EL1_ENC, S);
        EXPECT_EQ(r.g.icc(ICC_IAR0_EL1_ENC), 1023u);
        EXPECT_EQ(r.g.icc(ICC_AP0R_EL1_ENC), 0u);
    } else {
        r.g.gicd_w(0x000, 0x3);
        r.g.gicc_w(0x004, 0xff);
        r.g.gicc_w(0x000, 0x2 | 0x4); // EnableGrp1, AckCtl; Group 0 disabled
        r.g.gicd_w(0xf00, 2u << 24 | S);
        EXPECT_EQ(r.g.gicd(0x200) & 0xffff, 1u << S);
        EXPECT_EQ(r.g.out() & (GIC_OUT_IRQ | GIC_OUT_FIQ), 0u);
        EXPECT_EQ(r.g.gicc(0x00c), 1023u);
        EXPECT_EQ(r.g.gicd(0x200) & 0xffff, 1u << S) << "still pending";
        TraceLog t(r.g.g);
        E = r.write_e(GIC_FRAME_GICC, 0x000, 0x1 | 0x2 | 0x4);
        const gic_timing &tm = r.tm();
        EXPECT_EQ(first_ev(t, GIC_TR_OUTPUT, E, GIC_OUT_IRQ, 1), E + tm.prio + tm.deliver + tm.out);
        EXPECT_EQ(r.g.gicc(0x00c), S); // from CPU 0
        r.g.gicc_w(0x010, S);
        EXPECT_EQ(r.g.gicc(0x00c), 1023u);
        EXPECT_EQ(r.g.gicc(0x0d0), 0u);
    }
}

// The virtual counterpart: a Group 0 LR is not signalled while VENG0 is 0 (MISR.VGrp0D says so)
// and is signalled out cycles after the guest enables Group 0 (vFIQ on GICv3, vIRQ on GICv2).
TEST_P(VgicIrqGroup0, VirtualGroup0WaitsForVeng0)
{
    Rig r(GetParam());
    r.hcr_w(1 | 1u << 5); // En, VGrp0DIE
    Lr l = r.vlr(1, 3);
    l.grp = 0;
    r.lr_w(0, l);
    if (r.v3) {
        r.g.icv_w(ICC_PMR_EL1_ENC, 0xff);
        r.g.icv_w(ICC_IGRPEN1_EL1_ENC, 1);
    } else {
        r.g.gicv_w(0x004, 0xff);
        r.g.gicv_w(0x000, 0x2);
    }
    EXPECT_EQ(r.g.out() & (GIC_OUT_VIRQ | GIC_OUT_VFIQ), 0u);
    EXPECT_EQ(r.misr(), 1u << 5);
    EXPECT_TRUE(r.maint());
    TraceLog t(r.g.g);
    gic_cycle_t E = r.v3 ? r.write_e(GIC_FRAME_VSYSREG, ICC_IGRPEN0_EL1_ENC, 1) : r.write_e(GIC_FRAME_GICV, 0x000, 0x3);
    uint32_t pin = r.v3 ? GIC_OUT_VFIQ : GIC_OUT_VIRQ;
    EXPECT_EQ(first_ev(t, GIC_TR_OUTPUT, E, pin, 1), E + r.tm().out);
    EXPECT_EQ(first_ev(t, GIC_TR_OUTPUT, E, GIC_OUT_MAINT, 0), E + r.tm().maint);
    EXPECT_EQ(r.misr(), 0u);
    uint64_t iar = r.v3 ? r.g.icv(ICC_IAR0_EL1_ENC) : r.g.gicv(0x00c);
    EXPECT_EQ(iar, 3u);
}

// ============================== SEMANTICS D: directed bug tests ==============================
// D: disabling an active HW-mapped interrupt must not leave it active forever: the guest's
// deactivation still reaches the disabled physical interrupt, and once re-enabled it is
// delivered again.
TEST_P(BugD, DisablingActiveHwMappedInterrupt)
{
    Rig r(GetParam());
    const uint32_t P = 60;
    forward_hw(r, P, P);
    r.disable(P);
    EXPECT_EQ(r.vack(), P);
    TraceLog t(r.g.g);
    gic_cycle_t E = r.veoi(P);
    EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E, P, 1, 1), E + r.tm().hwdeact);
    EXPECT_FALSE(r.active(P));
    r.pend(P);
    EXPECT_FALSE(r.irq()) << "disabled";
    r.enable(P);
    EXPECT_TRUE(r.irq());
    EXPECT_EQ(r.ack(), P);
}

// D: a level-triggered mapped interrupt: after the forwarded deactivation the physical pending
// state is exactly the line level (no stale pending latch): with the line low nothing is
// signalled, with the line still high it is signalled once more.
TEST_P(BugD, LevelMappedInterruptResampledAtDeactivation)
{
    for (bool still_high : { false, true }) {
        SCOPED_TRACE(still_high ? "line still high" : "line lowered");
        Rig r(GetParam());
        const uint32_t P = 61;
        r.host_open(0, true);
        r.set_edge(P, false);
        r.enable(P);
        r.g.spi(P, true);
        EXPECT_EQ(r.ack(), P);
        EXPECT_TRUE(r.pending(P)) << "level: pending while the line is high";
        r.eoi(P);
        r.virt_open(1);
        r.lr_w(0, r.vlr(1, P, P));
        EXPECT_EQ(r.vack(), P);
        if (!still_high) r.g.spi(P, false); // the guest's handler quiets the device
        EXPECT_EQ(r.pending(P), still_high);
        TraceLog t(r.g.g);
        gic_cycle_t E = r.veoi(P);
        EXPECT_EQ(first_ev(t, GIC_TR_DEACT, E, P, 1, 1), E + r.tm().hwdeact);
        EXPECT_FALSE(r.active(P));
        EXPECT_EQ(r.pending(P), still_high);
        EXPECT_EQ(r.irq(), still_high);
        EXPECT_EQ(r.ack() & 0x3ff, still_high ? P : 1023u);
        if (still_high) {
            r.g.spi(P, false);
            r.eoi(P);
            r.dir(P);
            EXPECT_EQ(r.ack() & 0x3ff, 1023u) << "exactly once more";
        }
    }
}

// D: a pending interrupt is re-signalled after EOI. (1) The same edge interrupt re-pended while
// active: signalled deact + prio + deliver + out cycles after the EOIR. (2) Another interrupt of
// equal priority waiting behind the running priority: signalled out cycles after the priority
// drop, even with EOImode 1 and no deactivation yet.
TEST_P(BugD, PendingInterruptResignalledAfterEoi)
{
    Rig r(GetParam());
    r.host_open(0, false);
    r.set_prio(62, 0x80);
    r.set_prio(63, 0x80);
    r.enable(62);
    r.enable(63);
    r.pend(62);
    EXPECT_EQ(r.ack(), 62u);
    r.pend(62); // pending again while active
    EXPECT_TRUE(r.pending(62) && r.active(62));
    EXPECT_FALSE(r.irq());
    TraceLog t(r.g.g);
    const gic_timing &tm = r.tm();
    gic_cycle_t E = r.eoi(62);
    EXPECT_EQ(first_ev(t, GIC_TR_OUTPUT, E, GIC_OUT_IRQ, 1), E + tm.deact + tm.prio + tm.deliver + tm.out);
    EXPECT_EQ(r.ack(), 62u);
    r.eoi(62);
    // (2)
    r.cpu_open(0, true);
    r.pend(62);
    EXPECT_EQ(r.ack(), 62u);
    r.pend(63);
    EXPECT_FALSE(r.irq()) << "equal priority does not preempt";
    EXPECT_EQ(r.hppir(), 63u);
    gic_cycle_t E2 = r.eoi(62);
    EXPECT_EQ(first_ev(t, GIC_TR_OUTPUT, E2, GIC_OUT_IRQ, 1), E2 + tm.out);
    EXPECT_EQ(r.ack(), 63u);
    r.eoi(63);
    r.dir(63);
    r.dir(62);
    EXPECT_FALSE(r.active(62) || r.active(63));
}

// D, virtual: a HW=0 LR made pending again while active (pending+active) is signalled out cycles
// after the guest's EOI, which leaves it pending.
TEST_P(BugD, VirtualPendingActiveResignalledAfterEoi)
{
    Rig r(GetParam());
    r.virt_open(1);
    r.lr_w(0, r.vlr(1, 70));
    EXPECT_EQ(r.vack(), 70u);
    r.lr_w(0, r.vlr(3, 70)); // the hypervisor re-injects while active
    EXPECT_FALSE(r.virq());
    TraceLog t(r.g.g);
    gic_cycle_t E = r.veoi(70);
    EXPECT_EQ(r.lr_st(0), 1u);
    EXPECT_EQ(first_ev(t, GIC_TR_OUTPUT, E, GIC_OUT_VIRQ, 1), E + r.tm().out);
    EXPECT_EQ(r.vack(), 70u);
    r.veoi(70);
    EXPECT_EQ(r.lr_st(0), 0u);
    EXPECT_FALSE(r.virq());
}

// D: the SGI bits of GICD_ISPENDR0/ICPENDR0 are write-ignored on GICv2 (GICD_SPENDSGIR and
// GICD_CPENDSGIR change SGI pending state); the PPI bits of the same registers work. On GICv3
// GICR_ISPENDR0/ICPENDR0 do set and clear SGIs.
TEST_P(BugD, SgiBitsOfPendingRegisters)
{
    Rig r(GetParam());
    r.host_open();
    if (r.v3) r.g.sgi_w(0x100, 0xffff);
    if (r.v3) {
        r.g.sgi_w(0x200, 1u << 3);
        EXPECT_EQ(r.g.sgi(0x200), 1u << 3);
        r.g.sgi_w(0x280, 1u << 3);
        EXPECT_EQ(r.g.sgi(0x200), 0u);
        return;
    }
    r.g.gicd_w(0x200, 0xffff);
    EXPECT_EQ(r.g.gicd(0x200), 0u);
    EXPECT_FALSE(r.irq());
    EXPECT_EQ(r.g.gicd(0xf20), 0u);
    send_sgi(r, 0, 3, 2, 0);
    EXPECT_EQ(r.g.gicd(0x200), 1u << 3);
    r.g.gicd_w(0x280, 1u << 3);
    EXPECT_EQ(r.g.gicd(0x200), 1u << 3) << "ICPENDR0 SGI bit is write-ignored";
    EXPECT_TRUE(r.irq());
    r.g.gicd_w(0xf10, 1u << 24); // CPENDSGIR0 byte 3 (SGI 3), source CPU 0
    EXPECT_EQ(r.g.gicd(0x200), 0u);
    EXPECT_FALSE(r.irq());
    r.g.gicd_w(0x200, 1u << 20); // PPI 20
    EXPECT_EQ(r.g.gicd(0x200), 1u << 20);
    r.g.gicd_w(0x280, 1u << 20);
    EXPECT_EQ(r.g.gicd(0x200), 0u);
}

// ============================== Preemption and the binary point ==============================
// A pending interrupt preempts an active one only when its group priority (priority masked by the
// binary point of its group, timing.md 5) is higher than the running priority. Physical: GICv2
// Group 0 with GICC_BPR (mask [7:n+1]), GICv3 Group 1 with ICC_BPR1_EL1 (mask [7:n]).
TEST_P(Preemption, PhysicalGroupPriorityDecides)
{
    Rig r(GetParam());
    r.host_open(0, false);
    const uint32_t A = 80, B = 81;
    r.enable(A);
    r.enable(B);
    const unsigned bmin = r.v3 ? 1 : 0;
    unsigned cases = 0, preempting = 0;
    for (unsigned bpr = bmin; bpr <= 7; bpr++) {
        r.bpr_w(bpr);
        const uint8_t mask = (uint8_t)(0xffu << (r.v3 ? bpr : bpr + 1));
        for (unsigned pb = 0x00; pb <= 0x60; pb += 0x10) {
            SCOPED_TRACE("bpr " + std::to_string(bpr) + " prio B 0x" + std::to_string(pb));
            const uint8_t pa = 0x50;
            r.set_prio(A, pa);
            r.set_prio(B, (uint8_t)pb);
            r.pend(A);
            EXPECT_EQ(r.ack(), A);
            EXPECT_EQ(r.rpr(), (uint64_t)(pa & mask));
            r.pend(B);
            bool want = (pb & mask) < (pa & mask);
            EXPECT_EQ(r.irq(), want);
            EXPECT_EQ(r.ack() & 0x3ff, want ? B : 1023u);
            if (want) {
                EXPECT_EQ(r.rpr(), (uint64_t)(pb & mask));
                r.eoi(B);
                preempting++;
            }
            r.eoi(A);
            if (!want) {
                EXPECT_EQ(r.ack(), B) << "taken once the running priority dropped";
                r.eoi(B);
            }
            EXPECT_EQ(r.rpr(), 0xffu);
            cases++;
        }
    }
    EXPECT_EQ(cases, (8 - bmin) * 7);
    EXPECT_GT(preempting, 0u);
    EXPECT_LT(preempting, cases);
}

// The same for the virtual CPU interface: GICv2 Group 0 with GICV_BPR (minimum 2 with 5
// preemption bits), GICv3 Group 1 with ICV_BPR1_EL1 (minimum 3); 5-bit virtual priorities.
TEST_P(Preemption, VirtualGroupPriorityDecides)
{
    Rig r(GetParam());
    r.virt_open(1);
    const unsigned bmin = r.v3 ? 3 : 2;
    unsigned preempting = 0, cases = 0;
    for (unsigned bpr = bmin; bpr <= 7; bpr++) {
        if (r.v3) r.g.icv_w(ICC_BPR1_EL1_ENC, bpr);
        else r.g.gicv_w(0x008, bpr);
        const uint8_t mask = (uint8_t)(0xffu << (r.v3 ? bpr : bpr + 1));
        for (unsigned pb = 0x00; pb <= 0x60; pb += 0x08) {
            SCOPED_TRACE("vbpr " + std::to_string(bpr) + " prio B " + std::to_string(pb));
            const uint8_t pa = 0x50;
            r.lr_w(0, r.vlr(1, 90, -1, pa));
            EXPECT_EQ(r.vack(), 90u);
            EXPECT_EQ(r.vrpr(), (uint64_t)(pa & mask));
            r.lr_w(1, r.vlr(1, 91, -1, pb));
            bool want = (pb & mask) < (pa & mask);
            EXPECT_EQ(r.virq(), want);
            EXPECT_EQ(r.vack() & 0x3ff, want ? 91u : 1023u);
            if (want) {
                r.veoi(91);
                preempting++;
            }
            r.veoi(90);
            if (!want) {
                EXPECT_EQ(r.vack(), 91u);
                r.veoi(91);
            }
            EXPECT_EQ(r.vrpr(), 0xffu);
            EXPECT_EQ(r.lr_st(0), 0u);
            EXPECT_EQ(r.lr_st(1), 0u);
            cases++;
        }
    }
    EXPECT_GT(preempting, 0u);
    EXPECT_LT(preempting, cases);
}
