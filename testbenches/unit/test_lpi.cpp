// test_lpi.cpp: LPIs in the redistributors (IHI0069H 5.1, the GICR_* LPI registers of 12.11; docs/lpi.md).
#include "lpi_test_util.hpp"
#include "rulecheck_test_util.hpp"

using namespace gt;

namespace {
uint64_t first(const TraceLog &t, unsigned kind, uint32_t intid, uint64_t value)
{
    for (auto &e : t.ev)
        if (e.kind == kind && e.intid == intid && e.value == value) return e.cycle;
    return GIC_CYCLE_NEVER;
}
void direct(gic_config *c) { c->direct_lpi = true; }
} // namespace

// IHI0069H 12.11 GICR_PROPBASER / GICR_PENDBASER: the defined fields are kept, RES0 bits read 0, PTZ reads 0.
TEST(LpiRegs, PropbaserPendbaserFields_IHI0069H_12_11)
{
    LpiRig r;
    r.g.rdb_w(0x70, ~0ull, 0, 8);
    EXPECT_EQ(r.g.rdb(0x70, 0, 8), 0x070fffffffffff9full);
    r.g.rdb_w(0x78, ~0ull, 0, 8);
    EXPECT_EQ(r.g.rdb(0x78, 0, 8), 0x070fffffffff0f80ull) << "PTZ is write-only";
    r.g.rdb_w(0x70, 0x1234, 0, 4);
    EXPECT_EQ(r.g.rdb(0x70, 0, 8), 0x070fffff00001214ull) << "a 32-bit write replaces the low half";
}

// Without LPIs (gic_config.lpis = false) the LPI registers are reserved and the ID registers say so.
TEST(LpiRegs, AbsentWithoutLpis_IHI0069H_12_9_38)
{
    Gic g(GIC_V3, 1, [](gic_config *c) { c->lpis = c->its = false; });
    g.rdb_w(0x70, 0x4010000f, 0, 8);
    EXPECT_EQ(g.rdb(0x70, 0, 8), 0u);
    EXPECT_EQ((g.gicd(0x4) >> 17) & 1, 0u) << "GICD_TYPER.LPIS";
    EXPECT_EQ((g.gicd(0x4) >> 19) & 0x1f, 9u) << "GICD_TYPER.IDbits";
    uint64_t v;
    EXPECT_EQ(gic_read(g.g, GIC_FRAME_GITS, 0, 0, 4, &v), GIC_E_DECODE) << "no ITS frame";
    gic_config c;
    gic_config_default(&c, GIC_V3);
    c.lpis = false;
    gic_t *x = nullptr;
    EXPECT_EQ(gic_create(&c, &x), GIC_E_INVAL) << "an ITS needs LPIs";
    c.its = false;
    c.lpi_id_bits = 20;
    EXPECT_EQ(gic_create(&c, &x), GIC_OK) << "lpi_id_bits is not looked at without LPIs";
    gic_destroy(x);
    c.lpis = true;
    EXPECT_EQ(gic_create(&c, &x), GIC_E_INVAL) << "lpi_id_bits 14..16";
}

// IHI0069H 12.11 GICR_SETLPIR etc.: present only with GICR_TYPER.DirectLPI (gic_config.direct_lpi).
TEST(LpiRegs, DirectLpiRegistersOnlyWithDirectLpi_IHI0069H_12_11)
{
    LpiRig a;
    EXPECT_EQ((a.g.rdb(0x8, 0, 8) >> 3) & 1, 0u);
    EXPECT_STREQ(gic_reg_name(a.g.g, GIC_FRAME_GICR_RD, 0x40, nullptr), "");
    LpiRig b(1, direct);
    EXPECT_EQ((b.g.rdb(0x8, 0, 8) >> 3) & 1, 1u) << "DirectLPI";
    EXPECT_STREQ(gic_reg_name(b.g.g, GIC_FRAME_GICR_RD, 0x40, nullptr), "GICR_SETLPIR");
    EXPECT_STREQ(gic_reg_name(b.g.g, GIC_FRAME_GICR_RD, 0xc0, nullptr), "GICR_SYNCR");
}

// IHI0069H 5.1: an LPI is acknowledged through ICC_IAR1_EL1 like any Group 1 interrupt, has no active state (its
// pending-table bit clears at the acknowledge), and its EOI drops the running priority.
TEST(Lpi, AcknowledgeClearsPendingNoActiveState_IHI0069H_5_1)
{
    LpiRig r(1, direct);
    r.setup();
    r.g.rdb_w(0x40, kLpi + 3, 0, 8); // GICR_SETLPIR
    EXPECT_TRUE(r.pend_bit(0, kLpi + 3));
    EXPECT_EQ(r.g.out() & GIC_OUT_IRQ, (uint32_t)GIC_OUT_IRQ);
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), kLpi + 3);
    EXPECT_EQ(r.ack(), kLpi + 3);
    EXPECT_FALSE(r.pend_bit(0, kLpi + 3)) << "no longer pending";
    EXPECT_EQ(r.g.icc(ICC_RPR_EL1_ENC), 0xa0u);
    EXPECT_EQ(r.ack(), 1023u) << "nothing left: no active state to keep it";
    r.eoi(kLpi + 3);
    EXPECT_EQ(r.g.icc(ICC_RPR_EL1_ENC), 0xffu);
    EXPECT_EQ(r.g.out() & GIC_OUT_IRQ, 0u);
}

// IHI0069H 5.1.1: a disabled LPI is held pending but not offered; LPIs beyond GICR_PROPBASER.IDbits are dropped.
TEST(Lpi, DisabledHeldOutOfRangeDropped_IHI0069H_5_1_1)
{
    LpiRig r(1, direct);
    r.setup();
    r.mem.at(kProp + 5) = kCfgOff;
    r.g.rdb_w(0x40, kLpi + 5, 0, 8);
    EXPECT_TRUE(r.pend_bit(0, kLpi + 5));
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), 1023u);
    r.g.rdb_w(0x70, kProp | 13, 0, 8); // 14 INTID bits: LPIs 8192 .. 16383
    r.g.rdb_w(0x40, 16384, 0, 8);
    EXPECT_FALSE(r.pend_bit(0, 16384));
    r.g.rdb_w(0x40, 16383, 0, 8);
    EXPECT_TRUE(r.pend_bit(0, 16383));
}

// IHI0069H 12.9.4 and 5.1: LPIs are Group 1, offered only with GICD_CTLR.EnableGrp1; equal priorities go to the
// lowest INTID, so an SPI wins over an LPI.
TEST(Lpi, Group1EnableAndTieWithSpi_IHI0069H_12_9_4)
{
    LpiRig r(1, direct);
    r.setup();
    r.g.gicd_w(0x0, 0x0);
    r.g.rdb_w(0x40, kLpi, 0, 8);
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), 1023u);
    r.g.gicd_w(0x0, 0x2);
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), kLpi);
    r.g.gicd_w(0x84, 1u << 8);         // SPI 40 Group 1
    r.g.gicd_w(0x400 + 40, 0xa0, 1);   // same priority as the LPI
    r.g.gicd_w(0x6000 + 8 * 40, 0, 4); // to CPU 0
    r.g.gicd_w(0x104, 1u << 8);        // enabled
    r.g.gicd_w(0x204, 1u << 8);        // pending
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), 40u);
}

// IHI0069H 12.11 GICR_PENDBASER, GICR_CTLR: EnableLPIs reads the pending table (not with PTZ); clearing it stops
// the redistributor, the table keeps the state and the next enable reads it again.
TEST(Lpi, EnableLpisReadsPendingTable_IHI0069H_12_11_2)
{
    LpiRig r;
    r.setup();
    r.g.rdb_w(0x0, 0, 0);
    r.mem.at(kPend + kLpi / 8) = 0x04; // LPI 8194 pending in the table
    r.g.rdb_w(0x0, 1, 0);
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), kLpi + 2);
    r.g.rdb_w(0x0, 0, 0);
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), 1023u);
    EXPECT_TRUE(r.pend_bit(0, kLpi + 2)) << "the table keeps it";
    r.g.rdb_w(0x78, kPend | 1ull << 62, 0, 8); // PTZ: the table is zero, nothing is read
    r.g.rdb_w(0x0, 1, 0);
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), 1023u);
}

// IHI0069H 12.11 GICR_INVLPIR, GICR_INVALLR, GICR_CLRLPIR, GICR_SYNCR: a configuration change takes effect with
// INVLPIR/INVALLR; CLRLPIR removes the pending state; SYNCR.Busy while an operation is in progress.
TEST(Lpi, InvlpirInvallrClrlpirSyncr_IHI0069H_12_11)
{
    LpiRig r(1, direct);
    r.setup();
    r.g.rdb_w(0x40, kLpi + 1, 0, 8);
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), kLpi + 1);
    r.mem.at(kProp + 1) = kCfgOff;
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), kLpi + 1) << "not without an invalidation";
    r.g.rdb_w(0xa0, kLpi + 1, 0, 8); // INVLPIR
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), 1023u);
    r.mem.at(kProp + 1) = 0x81;
    r.g.rdb_w(0xb0, 0, 0, 8); // INVALLR
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), kLpi + 1);
    EXPECT_EQ(r.g.icc(ICC_RPR_EL1_ENC), 0xffu);
    r.g.rdb_w(0x48, kLpi + 1, 0, 8); // CLRLPIR
    EXPECT_FALSE(r.pend_bit(0, kLpi + 1));
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), 1023u);
    Access rd{ GIC_FRAME_GICR_RD, 0, 4, 0, 0xc0, 0 };
    Access set{ GIC_FRAME_GICR_RD, 1, 8, 0, 0x40, kLpi + 3 };
    uint64_t t1, t2;
    ASSERT_EQ(gic_submit(r.g.g, &set, &t1), GIC_OK);
    ASSERT_EQ(gic_submit(r.g.g, &rd, &t2), GIC_OK);
    r.g.settle();
    gic_response a, b;
    ASSERT_EQ(gic_collect(r.g.g, t1, &a), GIC_OK);
    ASSERT_EQ(gic_collect(r.g.g, t2, &b), GIC_OK);
    EXPECT_EQ(b.data, 1u) << "Busy right after SETLPIR";
    EXPECT_EQ(r.g.rdb(0xc0), 0u) << "done";
}

// docs/lpi.md, timing: SETLPIR to the offer is RD_OP (1) + accesses x timing.mem (configuration read on a cache miss,
// pending-table read and write) + prio + deliver; with the configuration cached one access less.
TEST(LpiTiming, SetlpirToOfferCycles)
{
    LpiRig r(1, direct);
    r.setup();
    const gic_timing &tm = gic_get_config(r.g.g)->timing;
    TraceLog t(r.g.g);
    gic_response w = access(r.g, GIC_FRAME_GICR_RD, 0x40, true, kLpi, 8);
    EXPECT_EQ(first(t, GIC_TR_PENDING, kLpi, 1), w.effect + 1 + 3 * tm.mem);
    EXPECT_EQ(first(t, GIC_TR_HPPI, kLpi, 0xa0), w.effect + 1 + 3 * tm.mem + tm.prio + tm.deliver);
    r.ack();
    t.ev.clear();
    w = access(r.g, GIC_FRAME_GICR_RD, 0x40, true, kLpi, 8);
    EXPECT_EQ(first(t, GIC_TR_PENDING, kLpi, 1), w.effect + 1 + 2 * tm.mem) << "configuration cached";
}

// IHI0069H 5.1.1 and docs/lpi.md: a cached configuration that memory no longer holds is used without an INV: traced
// (GIC_TR_LPI_STALE) when the GIC relies on it; after INV nothing is traced. With cache size 0 the byte is read.
TEST(LpiCache, StaleConfigurationTracedWithoutInv_IHI0069H_5_1_1)
{
    LpiRig r(1, direct);
    r.setup();
    TraceLog t(r.g.g);
    r.g.rdb_w(0x40, kLpi, 0, 8);
    r.ack();
    r.eoi(kLpi);
    r.mem.at(kProp) = kCfgOff; // software disables it, without INV
    r.g.rdb_w(0x40, kLpi, 0, 8);
    EXPECT_EQ(t.count(GIC_TR_LPI_STALE), 1u);
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), kLpi) << "the cached configuration is used";
    r.ack();
    EXPECT_EQ(t.count(GIC_TR_LPI_STALE), 2u) << "and relied on again at the acknowledge";
    r.eoi(kLpi);
    r.g.rdb_w(0xa0, kLpi, 0, 8); // INVLPIR
    t.ev.clear();
    r.g.rdb_w(0x40, kLpi, 0, 8);
    EXPECT_EQ(t.count(GIC_TR_LPI_STALE), 0u);
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), 1023u) << "disabled";
    LpiRig z(1, [](gic_config *c) {
        c->direct_lpi = true;
        c->lpi_cache = 0;
    });
    z.setup();
    TraceLog tz(z.g.g);
    z.g.rdb_w(0x40, kLpi, 0, 8);
    z.ack();
    z.eoi(kLpi);
    z.mem.at(kProp) = kCfgOff;
    z.g.rdb_w(0x40, kLpi, 0, 8);
    EXPECT_EQ(tz.count(GIC_TR_LPI_STALE), 0u);
    EXPECT_EQ(z.g.icc(ICC_HPPIR1_EL1_ENC), 1023u) << "no cache: read again";
}

// docs/lpi.md: a bus error on a table access is traced and changes nothing else; without a memory port every
// access is one. Never a crash.
TEST(LpiMemory, BusErrorsTraced_docs_lpi)
{
    LpiRig r(1, direct);
    r.setup();
    r.mem.bad_lo = kProp;
    r.mem.bad_hi = kProp + 0x1000;
    TraceLog t(r.g.g);
    r.g.rdb_w(0x40, kLpi, 0, 8);
    bool err = false;
    for (auto &e : t.ev) err |= e.kind == GIC_TR_MEM && e.intid == GIC_MEM_LPI_CFG && ((e.aux >> 17) & 1);
    EXPECT_TRUE(err);
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), 1023u) << "a configuration that cannot be read is disabled";
    EXPECT_EQ(gic_set_memory(r.g.g, nullptr, nullptr), GIC_OK);
    r.g.rdb_w(0x40, kLpi + 1, 0, 8);
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), 1023u);
    gic_mem_ops half = { TestMem::rd, nullptr, nullptr };
    EXPECT_EQ(gic_set_memory(r.g.g, &half, &r.mem), GIC_E_INVAL);
}

// 16-bit INTIDs (GICD_TYPER.IDbits = 15): the highest LPI works; memory is used only for what is pending.
TEST(LpiScale, HighestLpiOf16Bits_IHI0069H_12_9_38)
{
    LpiRig r(1, direct);
    r.setup();
    r.mem.at(kProp + 65535 - kLpi) = 0x11;
    r.g.rdb_w(0x40, 65535, 0, 8);
    EXPECT_EQ(r.ack(), 65535u);
    r.eoi(65535);
    for (uint32_t id = kLpi; id < kLpi + 2000; id++) r.mem.at(kProp + id - kLpi) = kCfgOn;
    for (uint32_t id = kLpi; id < kLpi + 2000; id++) r.g.rdb_w(0x40, id, 0, 8);
    unsigned n = 0;
    for (uint32_t id; (id = r.ack()) != 1023u; n++) r.eoi(id);
    EXPECT_EQ(n, 2000u);
}

// IHI0069H 4.9 and 12.4.7 (ICH_LR<n>_EL2 with a vINTID >= 8192, HW = 0): a virtual LPI in a list register is
// signalled and acknowledged like any virtual interrupt; having no active state, its LR becomes invalid at the
// acknowledge, its EOI only drops the priority, and neither EOI nor DIR counts in ICH_HCR_EL2.EOIcount.
TEST(VirtualLpi, ListRegisterAckInvalidEoiDropsPriority_IHI0069H_4_9)
{
    LpiRig r;
    r.g.icc_w(ICH_HCR_EL2_ENC, 1);                        // En
    r.g.icc_w(ICH_VMCR_EL2_ENC, 0xffull << 24 | 1u << 1); // VPMR 0xff, VENG1
    const uint64_t lr = 1ull << 62 | 1ull << 60 | 0x80ull << 48 | (kLpi + 8);
    r.g.icc_w(ICH_LR(0), lr);
    EXPECT_EQ(r.g.out() & GIC_OUT_VIRQ, (uint32_t)GIC_OUT_VIRQ);
    EXPECT_EQ(r.g.icv(ICC_IAR1_EL1_ENC), kLpi + 8);
    EXPECT_EQ(r.g.icc(ICH_LR(0)) >> 62, 0u) << "invalid, not active";
    EXPECT_EQ(r.g.icv(ICC_RPR_EL1_ENC), 0x80u);
    r.g.icv_w(ICC_EOIR1_EL1_ENC, kLpi + 8);
    EXPECT_EQ(r.g.icv(ICC_RPR_EL1_ENC), 0xffu);
    EXPECT_EQ((r.g.icc(ICH_HCR_EL2_ENC) >> 27) & 0x1f, 0u) << "EOIcount";
    r.g.icv_w(ICC_CTLR_EL1_ENC, 1u << 1); // EOImode 1
    r.g.icv_w(ICC_DIR_EL1_ENC, kLpi + 8);
    EXPECT_EQ((r.g.icc(ICH_HCR_EL2_ENC) >> 27) & 0x1f, 0u) << "a DIR of a vLPI does not count either";
    r.g.icv_w(ICC_DIR_EL1_ENC, 77);
    EXPECT_EQ((r.g.icc(ICH_HCR_EL2_ENC) >> 27) & 0x1f, 1u) << "while one of a vINTID in no LR does (A5)";
}

// docs/rulecheck.md, check lpi-stale (IHI0069H 5.1.1): software that changes an LPI's configuration in memory and
// relies on it without INV or INVALL is reported; the same software with the INV is not.
TEST(LpiRulecheck, MissingInvReportedCorrectSoftwareSilent_IHI0069H_5_1_1)
{
    for (bool with_inv : { false, true }) {
        LpiRig r;
        r.setup();
        r.its_on();
        r.map_dev0({ 2 });
        gic_rulecheck_t *rc = nullptr;
        ASSERT_EQ(gic_rulecheck_create(gic_get_config(r.g.g), &rc), GIC_OK);
        gic_set_trace(r.g.g, gic_rulecheck_trace, rc);
        r.msi(0, 2); // the configuration is read (and cached)
        EXPECT_EQ(r.ack(), kLpi + 2);
        r.eoi(kLpi + 2);
        r.mem.at(kProp + 2) = 0x61; // a new priority
        if (with_inv) r.cmds({ ev_cmd(C_INV, 0, 2), sync_cmd() });
        r.msi(0, 2);
        EXPECT_EQ(r.ack(), kLpi + 2);
        EXPECT_EQ(r.g.icc(ICC_RPR_EL1_ENC), with_inv ? 0x60u : 0xa0u);
        r.eoi(kLpi + 2);
        gic_rulecheck_finish(rc, gic_now(r.g.g));
        const gic_violation *v = find_violation(rc, "IHI0069H 5.1.1", "lpi-stale");
        if (with_inv) EXPECT_EQ(gic_rulecheck_count(rc), 0u) << violations_report(rc);
        else EXPECT_NE(v, nullptr) << violations_report(rc);
        gic_set_trace(r.g.g, nullptr, nullptr);
        gic_rulecheck_destroy(rc);
    }
}
