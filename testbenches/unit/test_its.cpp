// test_its.cpp: the ITS (IHI0069H 5.2-5.3 and the GITS_* registers of 12.19; docs/lpi.md).
#include "lpi_test_util.hpp"

using namespace gt;

namespace {
uint64_t first(const TraceLog &t, unsigned kind, uint32_t intid)
{
    for (auto &e : t.ev)
        if (e.kind == kind && e.intid == intid) return e.cycle;
    return GIC_CYCLE_NEVER;
}
unsigned its_results(const TraceLog &t, unsigned result)
{
    unsigned n = 0;
    for (auto &e : t.ev) n += e.kind == GIC_TR_ITS && e.aux == result;
    return n;
}
} // namespace

// IHI0069H 12.19: reset values and the read-only identification (QEMU virt's values).
TEST(ItsRegs, ResetAndTyper_IHI0069H_12_19)
{
    LpiRig r;
    EXPECT_EQ(r.g.rd(GIC_FRAME_GITS, 0x0), 0x80000000u) << "Quiescent, disabled";
    EXPECT_EQ(r.g.rd(GIC_FRAME_GITS, 0x4), 0x43bu);
    EXPECT_EQ(r.g.rd(GIC_FRAME_GITS, 0x8, 8), 0x0000001f0001efb1ull) << "Physical, 12-byte ITEs, 16-bit IDs, CIL";
    EXPECT_EQ(r.g.rd(GIC_FRAME_GITS, 0x100, 8), 0x0107000000000200ull) << "device table, 8-byte entries, 64 KiB";
    EXPECT_EQ(r.g.rd(GIC_FRAME_GITS, 0x108, 8), 0x0407000000000200ull) << "collection table";
    r.g.wr(GIC_FRAME_GITS, 0x110, ~0ull, 8);
    EXPECT_EQ(r.g.rd(GIC_FRAME_GITS, 0x110, 8), 0u) << "GITS_BASER2 not implemented";
    EXPECT_EQ(r.g.rd(GIC_FRAME_GITS, 0xffe0), 0x94u) << "PIDR0";
    r.g.wr(GIC_FRAME_GITS, 0x100, 0, 8);
    EXPECT_EQ(r.g.rd(GIC_FRAME_GITS, 0x100, 8), 0x0107000000000000ull) << "Type and Entry_Size read-only";
    r.g.wr(GIC_FRAME_GITS, 0x88, ~0ull, 8);
    EXPECT_EQ(r.g.rd(GIC_FRAME_GITS, 0x88, 8), 0xfffe0u) << "GITS_CWRITER.Offset only";
    uint64_t v;
    EXPECT_EQ(r.g.rd_status(GIC_FRAME_GITS, 0x0, 2, 0, &v), GIC_E_SIZE);
    EXPECT_EQ(r.g.wr_status(GIC_FRAME_GITS_TR, 0x42, 1, 2), GIC_E_SIZE) << "16-bit writes at GITS_TRANSLATER only";
}

// IHI0069H 5.3 MAPD, MAPC, MAPTI, SYNC and 5.2 translation: an MSI (GITS_TRANSLATER with a DeviceID) becomes the
// mapped LPI on the collection's redistributor and is acknowledged there.
TEST(Its, MapdMapcMaptiTranslate_IHI0069H_5_3)
{
    LpiRig r(2);
    r.setup(2);
    r.its_on();
    r.cmds({ mapd(7, 4, kItt), mapc(3, 1), mapti(7, 5, kLpi + 9, 3), sync_cmd(1) });
    EXPECT_EQ(r.creadr(), 4u * 32);
    EXPECT_EQ(r.mem.q(kDt + 8 * 7), 1u | 4u << 1 | (kItt >> 8) << 6) << "device table entry (QEMU's layout)";
    EXPECT_EQ(r.mem.q(kCt + 8 * 3), 1u | 1u << 1);
    EXPECT_EQ(r.mem.q(kItt + 12 * 5), 3u | (uint64_t)(kLpi + 9) << 2 | 3ull << 32);
    r.msi(7, 5);
    EXPECT_EQ(r.g.out(1) & GIC_OUT_IRQ, (uint32_t)GIC_OUT_IRQ);
    EXPECT_EQ(r.g.out(0) & GIC_OUT_IRQ, 0u);
    EXPECT_EQ(r.ack(1), kLpi + 9);
    r.eoi(kLpi + 9, 1);
    r.msi(6, 5); // another device: not mapped
    r.msi(7, 6); // another event: not mapped
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC, 1), 1023u);
    r.cmds({ mapi(7, 8200, 3) });             // EventID 8200 >= 32 events: ignored
    r.g.wr(GIC_FRAME_GITS_TR, 0x40, 5, 2, 7); // a 16-bit write
    EXPECT_EQ(r.ack(1), kLpi + 9);
}

// IHI0069H 5.3 INT, CLEAR, DISCARD: INT makes the mapped LPI pending, CLEAR removes it, DISCARD removes it and the
// mapping (a later INT is ignored).
TEST(Its, IntClearDiscard_IHI0069H_5_3)
{
    LpiRig r;
    r.setup();
    r.its_on();
    r.map_dev0({ 1, 2 });
    TraceLog t(r.g.g);
    r.cmds({ ev_cmd(C_INT, 0, 1) });
    EXPECT_TRUE(r.pend_bit(0, kLpi + 1));
    r.cmds({ ev_cmd(C_CLEAR, 0, 1) });
    EXPECT_FALSE(r.pend_bit(0, kLpi + 1));
    r.cmds({ ev_cmd(C_INT, 0, 2), ev_cmd(C_DISCARD, 0, 2) });
    EXPECT_FALSE(r.pend_bit(0, kLpi + 2));
    EXPECT_EQ(r.mem.q(kItt + 24), 0u) << "the translation entry is gone";
    r.cmds({ ev_cmd(C_INT, 0, 2) });
    EXPECT_FALSE(r.pend_bit(0, kLpi + 2));
    EXPECT_EQ(its_results(t, GIC_ITS_IGNORED), 1u);
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), 1023u);
}

// IHI0069H 5.3 MOVI and MOVALL: the pending state moves to the new collection's redistributor.
TEST(Its, MoviMovall_IHI0069H_5_3)
{
    LpiRig r(2);
    r.setup(2);
    r.its_on();
    r.map_dev0({ 4 });
    r.cmds({ mapc(1, 1) });
    r.g.icc_w(ICC_IGRPEN1_EL1_ENC, 0, 0); // CPU 0 does not take it yet
    r.cmds({ ev_cmd(C_INT, 0, 4) });
    EXPECT_TRUE(r.pend_bit(0, kLpi + 4));
    r.cmds({ movi(0, 4, 1) });
    EXPECT_FALSE(r.pend_bit(0, kLpi + 4));
    EXPECT_TRUE(r.pend_bit(1, kLpi + 4));
    EXPECT_EQ(r.mem.q(kItt + 48) >> 32, 1u) << "the entry names collection 1";
    EXPECT_EQ(r.ack(1), kLpi + 4);
    r.eoi(kLpi + 4, 1);
    r.g.icc_w(ICC_IGRPEN1_EL1_ENC, 0, 1);
    r.cmds({ ev_cmd(C_INT, 0, 4), movall(1, 0) });
    EXPECT_TRUE(r.pend_bit(0, kLpi + 4));
    EXPECT_FALSE(r.pend_bit(1, kLpi + 4));
    r.g.icc_w(ICC_IGRPEN1_EL1_ENC, 1, 0);
    EXPECT_EQ(r.ack(0), kLpi + 4);
}

// IHI0069H 5.3 INV and INVALL: a changed configuration takes effect for a pending LPI after INV (or INVALL) + SYNC.
TEST(Its, InvInvall_IHI0069H_5_3)
{
    LpiRig r;
    r.setup();
    r.its_on();
    r.map_dev0({ 3 });
    r.cmds({ ev_cmd(C_INT, 0, 3) });
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), kLpi + 3);
    r.mem.at(kProp + 3) = kCfgOff;
    r.cmds({ ev_cmd(C_INV, 0, 3), sync_cmd() });
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), 1023u) << "disabled";
    r.mem.at(kProp + 3) = 0x41;
    r.cmds({ invall(0), sync_cmd() });
    EXPECT_EQ(r.g.icc(ICC_HPPIR1_EL1_ENC), kLpi + 3);
    EXPECT_EQ(r.ack(), kLpi + 3);
    EXPECT_EQ(r.g.icc(ICC_RPR_EL1_ENC), 0x40u) << "the new priority";
}

// IHI0069H 5.3 (command errors, CONSTRAINED UNPREDICTABLE): as QEMU, a command with a bad parameter does nothing and
// the queue goes on.
TEST(Its, CommandErrorsIgnored_IHI0069H_5_3)
{
    LpiRig r(2);
    r.setup(2);
    r.its_on();
    TraceLog t(r.g.g);
    r.cmds({ mapd(0, 16, kItt),           // Size beyond GITS_TYPER.IDbits
             mapd(70000, 4, kItt),        // DeviceID beyond the device table
             mapc(0, 5),                  // no CPU 5
             mapti(0, 0, kLpi, 0),        // device 0 not mapped
             ev_cmd(C_INT, 9, 0),         // nothing mapped
             movall(0, 7),                // no CPU 7
             Cmd{ { 0x3f, 0, 0, 0 } } }); // an unknown command
    EXPECT_EQ(r.creadr(), 7u * 32);
    EXPECT_EQ(its_results(t, GIC_ITS_IGNORED), 7u);
    EXPECT_EQ(r.mem.q(kDt), 0u);
    r.cmds({ mapd(0, 4, kItt), mapc(0, 0), mapti(0, 1, 1000, 0), mapti(0, 2, 1u << 16, 0), mapti(0, 3, kLpi, 0) });
    EXPECT_EQ(r.mem.q(kItt + 12), 0u) << "INTID 1000 is not an LPI";
    EXPECT_EQ(r.mem.q(kItt + 24), 0u) << "INTID 65536 is beyond 16 bits";
    EXPECT_NE(r.mem.q(kItt + 36), 0u);
}

// IHI0069H 12.19 GITS_CREADR.Stalled and GITS_CWRITER.Retry: a memory error reading the command queue (or a table)
// stalls the queue; Retry restarts it (docs/lpi.md: gicsim waits for Retry, where QEMU retries at the next
// GITS_CWRITER write).
TEST(Its, MemoryErrorStallsUntilRetry_IHI0069H_12_19)
{
    LpiRig r;
    r.setup();
    r.its_on();
    r.mem.bad_lo = kCq + 32;
    r.mem.bad_hi = kCq + 64;
    TraceLog t(r.g.g);
    r.cmds({ mapd(0, 4, kItt), mapc(0, 0) });
    EXPECT_EQ(r.creadr(), 32u | 1u) << "stalled at the second command";
    EXPECT_EQ(its_results(t, GIC_ITS_STALLED), 1u);
    r.cmds({ mapti(0, 0, kLpi, 0) });
    EXPECT_EQ(r.creadr(), 32u | 1u) << "still stalled";
    r.mem.bad_lo = r.mem.bad_hi = 0;
    r.g.wr(GIC_FRAME_GITS, 0x88, 3 * 32 | 1, 8); // Retry
    EXPECT_EQ(r.creadr(), 3u * 32);
    r.msi(0, 0);
    EXPECT_EQ(r.ack(), kLpi);
}

// IHI0069H 5.2.1 (two-level tables): a level-1 entry points at a page of device table entries; a DeviceID whose
// level-1 entry is not valid has no mapping.
TEST(Its, TwoLevelDeviceTable_IHI0069H_5_2)
{
    LpiRig r;
    r.setup();
    const uint64_t l2 = TestMem::kRam + 0x380000;
    r.mem.put_q(kDt, 1ull << 63 | l2); // level-1 entry 0: DeviceIDs 0 .. 8191 (64 KiB / 8 bytes)
    r.g.wr(GIC_FRAME_GITS, 0x100, 1ull << 63 | 1ull << 62 | kDt | 0x200, 8);
    r.g.wr(GIC_FRAME_GITS, 0x108, 1ull << 63 | kCt | 0x200, 8);
    r.g.wr(GIC_FRAME_GITS, 0x80, 1ull << 63 | kCq, 8);
    r.g.wr(GIC_FRAME_GITS, 0x0, 1);
    r.cmds({ mapd(5, 4, kItt), mapd(9000, 4, kItt), mapc(0, 0), mapti(5, 0, kLpi, 0) });
    EXPECT_NE(r.mem.q(l2 + 8 * 5), 0u);
    EXPECT_EQ(r.mem.q(l2 + 8 * (9000 - 8192)), 0u) << "no level-2 page for DeviceID 9000";
    r.msi(5, 0);
    EXPECT_EQ(r.ack(), kLpi);
}

// docs/lpi.md, timing: GITS_TRANSLATER to the offer is timing.its + accesses x timing.mem (device, translation and
// collection entries and the LPI configuration on cache misses, the pending-table read and write) + prio + deliver;
// with everything cached only the pending-table update remains.
TEST(ItsTiming, TranslateToOfferCycles)
{
    LpiRig r;
    r.setup();
    r.its_on();
    r.map_dev0({ 0 });
    const gic_timing &tm = gic_get_config(r.g.g)->timing;
    // Commands filled the caches with the device and collection entries and the translation entry.
    TraceLog t(r.g.g);
    gic_response w = access(r.g, GIC_FRAME_GITS_TR, 0x40, true, 0, 4);
    EXPECT_EQ(first(t, GIC_TR_PENDING, kLpi), w.effect + tm.its + 3 * tm.mem) << "configuration miss + pending update";
    EXPECT_EQ(first(t, GIC_TR_HPPI, kLpi), w.effect + tm.its + 3 * tm.mem + tm.prio + tm.deliver);
    r.ack();
    r.eoi(kLpi);
    t.ev.clear();
    w = access(r.g, GIC_FRAME_GITS_TR, 0x40, true, 0, 4);
    EXPECT_EQ(first(t, GIC_TR_PENDING, kLpi), w.effect + tm.its + 2 * tm.mem) << "all cached";
    LpiRig z(1, [](gic_config *c) { c->its_cache = c->lpi_cache = 0; });
    z.setup();
    z.its_on();
    z.map_dev0({ 0 });
    TraceLog tz(z.g.g);
    w = access(z.g, GIC_FRAME_GITS_TR, 0x40, true, 0, 4);
    EXPECT_EQ(first(tz, GIC_TR_PENDING, kLpi), w.effect + tm.its + 6 * tm.mem) << "no caches: every table read";
}

// docs/timing.md 4.11: an INV command (the translation entries cached) applies the new configuration of a pending LPI
// `its` + 2 x `mem` after its GITS_CWRITER write takes effect: the command read and the configuration read.
TEST(ItsTiming, InvAppliesConfigurationCycles)
{
    LpiRig r;
    r.setup();
    r.its_on();
    r.map_dev0({ 1 });
    r.g.icc_w(ICC_IGRPEN1_EL1_ENC, 0); // keep it pending
    r.cmds({ ev_cmd(C_INT, 0, 1) });
    const gic_timing &tm = gic_get_config(r.g.g)->timing;
    r.mem.at(kProp + 1) = 0x51;
    for (int i = 0; i < 4; i++) r.mem.put_q(kCq + 32ull * r.slot + 8 * i, ev_cmd(C_INV, 0, 1).dw[i]);
    r.slot++;
    TraceLog t(r.g.g);
    gic_response w = access(r.g, GIC_FRAME_GITS, 0x88, true, 32ull * r.slot, 8);
    EXPECT_EQ(first(t, GIC_TR_PRIORITY, kLpi + 1), w.effect + tm.its + 2 * tm.mem);
    EXPECT_EQ(w.effect - w.issue, tm.req);
}

// gic.h GIC_TR_ITS: a command's event names its DeviceID and EventID where it has them (MAPD: the DeviceID only;
// MAPC, SYNC, INVALL, MOVALL: 0).
TEST(ItsTrace, CommandEventsNameTheirIds_gic_h)
{
    LpiRig r;
    r.setup();
    r.its_on();
    TraceLog t(r.g.g);
    r.cmds({ mapd(3, 4, kItt), mapc(0, 0), mapti(3, 7, kLpi, 0), sync_cmd() });
    std::vector<uint64_t> v;
    for (auto &e : t.ev)
        if (e.kind == GIC_TR_ITS) v.push_back(e.value);
    ASSERT_EQ(v.size(), 4u);
    EXPECT_EQ(v[0], 3ull << 32);
    EXPECT_EQ(v[1], 0u);
    EXPECT_EQ(v[2], 3ull << 32 | 7);
    EXPECT_EQ(v[3], 0u);
}
