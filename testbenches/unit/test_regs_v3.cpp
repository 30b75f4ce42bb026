// test_regs_v3.cpp: GICv3 register behaviour (IHI0069H chapter 12) of the C kernels: the distributor
// with affinity routing (ARE=1, DS=1), the redistributors' RD_base and SGI_base frames, and the
// ICC_*, ICH_* and ICV_* system registers. Reset values of IMPLEMENTATION DEFINED registers follow
// gic_config_default() (QEMU virt, docs/architecture.md "Configuration", docs/qemu-differences.md) except where gicsim does
// not implement a feature QEMU has (LPIs: GICD_TYPER.LPIS/IDbits, GICR_TYPER.PLPIS); where QEMU
// departs from the architecture (D9, D10) the architecture is followed.
#include "gic_test_util.hpp"

using namespace gt;

namespace {

// GICD offsets (IHI0069H table 12-25).
constexpr uint32_t D_CTLR = 0x0000, D_TYPER = 0x0004, D_IIDR = 0x0008, D_IGROUPR = 0x0080, D_ISENABLER = 0x0100,
                   D_ICENABLER = 0x0180, D_ISPENDR = 0x0200, D_ICPENDR = 0x0280, D_ISACTIVER = 0x0300,
                   D_ICACTIVER = 0x0380, D_IPRIORITYR = 0x0400, D_ITARGETSR = 0x0800, D_ICFGR = 0x0c00,
                   D_IGRPMODR = 0x0d00, D_NSACR = 0x0e00, D_SGIR = 0x0f00, D_CPENDSGIR = 0x0f10, D_SPENDSGIR = 0x0f20,
                   D_IROUTER = 0x6000, D_PIDR4 = 0xffd0, D_PIDR0 = 0xffe0, D_PIDR2 = 0xffe8;
// GICR RD_base (IHI0069H table 12-27) and SGI_base (table 12-28).
constexpr uint32_t R_CTLR = 0x0000, R_IIDR = 0x0004, R_TYPER = 0x0008, R_WAKER = 0x0014, R_PIDR4 = 0xffd0,
                   R_PIDR0 = 0xffe0, R_PIDR2 = 0xffe8;
constexpr uint32_t S_IGROUPR0 = 0x0080, S_ISENABLER0 = 0x0100, S_ICENABLER0 = 0x0180, S_ISPENDR0 = 0x0200,
                   S_ICPENDR0 = 0x0280, S_ISACTIVER0 = 0x0300, S_ICACTIVER0 = 0x0380, S_IPRIORITYR = 0x0400,
                   S_ICFGR0 = 0x0c00, S_ICFGR1 = 0x0c04, S_IGRPMODR0 = 0x0d00, S_NSACR = 0x0e00;

// Encodings not in gic_test_util.hpp.
constexpr uint32_t ICC_AP0R(unsigned n) { return enc(3, 0, 12, 8, 4 + n); }
constexpr uint32_t ICC_AP1R(unsigned n) { return enc(3, 0, 12, 9, n); }
constexpr uint32_t ICH_AP0R(unsigned n) { return enc(3, 4, 12, 8, n); }
constexpr uint32_t ICH_AP1R(unsigned n) { return enc(3, 4, 12, 9, n); }

// Status of an MRS / MSR.
int mrs(Gic &g, uint32_t e, unsigned cpu = 0, gic_frame f = GIC_FRAME_SYSREG, uint64_t *v = nullptr)
{
    return g.rd_status(f, e, 8, cpu, v);
}
int msr(Gic &g, uint32_t e, uint64_t val, unsigned cpu = 0, gic_frame f = GIC_FRAME_SYSREG)
{
    return g.wr_status(f, e, val, 8, cpu);
}

uint64_t typer_model(unsigned itlines, bool one_of_n)
{
    // ITLinesNumber, LPIS = 1 and IDbits = 15 (16-bit INTIDs: QEMU virt's LPIs), A3V = 1, No1N.
    return itlines | 1u << 17 | 15u << 19 | 1u << 24 | (one_of_n ? 0u : 1u << 25);
}
// GICR_TYPER's LPI fields with QEMU virt's LPIs (IHI0069H 12.11.35): PLPIS [0], CommonLPIAff [25:24] = 1.
constexpr uint64_t kRdLpi = 1u | 1u << 24;

// Open the Group 1 path of a CPU: redistributor awake, PMR open, Group 1 enabled.
void open_cpu(Gic &g, unsigned cpu)
{
    g.rdb_w(R_WAKER, 0, cpu);
    g.icc_w(ICC_PMR_EL1_ENC, 0xff, cpu);
    g.icc_w(ICC_IGRPEN1_EL1_ENC, 1, cpu);
}

// Make SGI/PPI `intid` of CPU 0 Group 1 (with priority `prio` when given), enabled and pending.
void pend_private(Gic &g, unsigned intid, int prio = -1)
{
    g.sgi_w(S_IGROUPR0, 1u << intid);
    if (prio >= 0) g.sgi_w(S_IPRIORITYR + intid, (uint64_t)prio, 0, 1);
    g.sgi_w(S_ISENABLER0, 1u << intid);
    g.sgi_w(S_ISPENDR0, 1u << intid);
}

// Open the virtual CPU interface of CPU 0: ICH_HCR_EL2 = `hcr`, ICV_PMR_EL1 open, the group enable
// register `igrpen` (ICC_IGRPEN0_EL1_ENC or ICC_IGRPEN1_EL1_ENC encoding) set.
void open_vcpu(Gic &g, uint64_t hcr, uint32_t igrpen)
{
    g.icc_w(ICH_HCR_EL2_ENC, hcr);
    g.icv_w(ICC_PMR_EL1_ENC, 0xff);
    g.icv_w(igrpen, 1);
}

// Submit the write `w` and right behind it the read `r` (both before anything settles), settle, and
// return the read's response: what a read sees while the write is still propagating.
gic_response read_behind_write(Gic &g, Access w, Access r)
{
    uint64_t tw = 0, tr = 0;
    gic_response rw{}, rr{};
    EXPECT_EQ(gic_submit(g.g, &w, &tw), GIC_OK);
    EXPECT_EQ(gic_submit(g.g, &r, &tr), GIC_OK);
    g.settle();
    EXPECT_EQ(gic_collect(g.g, tw, &rw), GIC_OK);
    EXPECT_EQ(gic_collect(g.g, tr, &rr), GIC_OK);
    return rr;
}

} // namespace

// ======================================================================================
// GICD
// ======================================================================================

// IHI0069H 12.9.4: with a single Security state ARE (bit 4) and DS (bit 6) are RAO/WI; only
// EnableGrp0 and EnableGrp1 are writable; reset 0x50 (QEMU virt).
TEST(GicV3Dist, CtlrAreDsRaoAndWritableBits_IHI0069H_12_9_4)
{
    Gic g(GIC_V3);
    EXPECT_EQ(g.gicd(D_CTLR), 0x50u);
    expect_write_read(
        g, GIC_FRAME_GICD,
        { { D_CTLR, 0xffffffff, 0x53 }, { D_CTLR, 0x0, 0x50, "ARE and DS cannot be cleared" }, { D_CTLR, 0x2, 0x52 } });
}

// IHI0069H 12.9.4 RWP: set while the effect of a GICD_CTLR (or GICD_ICENABLER) write is still
// propagating; it reads 0 once the write has taken effect everywhere.
TEST(GicV3Dist, CtlrRwpWhileWriteInProgress_IHI0069H_12_9_4)
{
    Gic g(GIC_V3);
    for (uint32_t off : { D_CTLR, D_ICENABLER + 4 }) {
        gic_response rr = read_behind_write(g, Access{ GIC_FRAME_GICD, 1, 4, 0, off, off == D_CTLR ? 0x3u : 0x1u },
                                            Access{ GIC_FRAME_GICD, 0, 4, 0, D_CTLR, 0 });
        EXPECT_EQ(rr.data >> 31, 1u) << "RWP right after the write to 0x" << std::hex << off;
        EXPECT_EQ(g.gicd(D_CTLR) >> 31, 0u) << "RWP clear once settled";
    }
    // A write to an unrelated register does not set RWP.
    gic_response rr = read_behind_write(g, Access{ GIC_FRAME_GICD, 1, 4, 0, D_IPRIORITYR + 0x20, 0x10 },
                                        Access{ GIC_FRAME_GICD, 0, 4, 0, D_CTLR, 0 });
    EXPECT_EQ(rr.data >> 31, 0u);
}

// IHI0069H 12.9.38: ITLinesNumber = N for 32(N+1) INTIDs (architecture, not QEMU's D9 value 7 for
// 288 INTIDs); CPUNumber and SecurityExtn 0; A3V 1; No1N = !1-of-N; read-only.
TEST(GicV3Dist, TyperFieldsFromConfigurationReadOnly_IHI0069H_12_9_38)
{
    Gic g(GIC_V3);
    EXPECT_EQ(g.gicd(D_TYPER), typer_model(8, false));
    g.gicd_w(D_TYPER, 0);
    EXPECT_EQ(g.gicd(D_TYPER), typer_model(8, false));
    Gic g4(GIC_V3, 4);
    EXPECT_EQ(g4.gicd(D_TYPER), typer_model(8, false)) << "independent of the CPU count";
    Gic n(GIC_V3, 1, [](gic_config *c) {
        c->one_of_n = true;
        c->num_spis = 224;
    });
    EXPECT_EQ(n.gicd(D_TYPER), typer_model(7, true));
    Gic max(GIC_V3, 1, [](gic_config *c) { c->num_spis = 988; });
    EXPECT_EQ(max.gicd(D_TYPER) & 0x1f, 31u);
    EXPECT_EQ((g.gicd(D_TYPER) >> 10) & 1, 0u) << "SecurityExtn";
}

// IHI0069H 12.9.38 / QEMU D9: registers of INTIDs above 32(ITLinesNumber+1)-1 are RAZ/WI, and the
// INTIDs the TYPER advertises are implemented.
TEST(GicV3Dist, RegistersBeyondItLinesRazWi_IHI0069H_12_9_38)
{
    Gic g(GIC_V3); // 288 INTIDs: bank 8 is the last
    g.gicd_w(D_ISENABLER + 4 * 8, 0xffffffff);
    EXPECT_EQ(g.gicd(D_ISENABLER + 4 * 8), 0xffffffffu);
    g.gicd_w(D_ISENABLER + 4 * 9, 0xffffffff);
    EXPECT_EQ(g.gicd(D_ISENABLER + 4 * 9), 0u);
    Gic s(GIC_V3, 1, [](gic_config *c) { c->num_spis = 224; }); // ITLinesNumber 7: INTIDs up to 255
    EXPECT_EQ(s.gicd(D_TYPER) & 0x1f, 7u);
    s.gicd_w(D_ISENABLER + 4 * 8, 0xffffffff);
    EXPECT_EQ(s.gicd(D_ISENABLER + 4 * 8), 0u);
    s.gicd_w(D_IPRIORITYR + 256, 0xffffffff);
    EXPECT_EQ(s.gicd(D_IPRIORITYR + 256), 0u);
    s.gicd_w(D_ICFGR + 4 * 16, 0xffffffff);
    EXPECT_EQ(s.gicd(D_ICFGR + 4 * 16), 0u);
    EXPECT_EQ(s.wr_status(GIC_FRAME_GICD, D_IROUTER + 8 * 256, ~0ull, 8), GIC_OK);
    EXPECT_EQ(s.gicd(D_IROUTER + 8 * 256, 8), 0u);
    EXPECT_EQ(gic_set_spi(s.g, 256, true), GIC_E_INVAL);
}

// IHI0069H 12.9.24 / 12.1.5: GICD_IIDR 0x43b; PIDR2.ArchRev [7:4] = 3; ID registers as QEMU virt
// (PIDR4 0x44, PIDR0 0x92, PIDR1 0xb4, PIDR2 0x3b, CIDR 0x0d 0xf0 0x05 0xb1); read-only.
TEST(GicV3Dist, IidrAndIdRegisters_IHI0069H_12_1_5)
{
    Gic g(GIC_V3);
    EXPECT_EQ(g.gicd(D_IIDR), 0x43bu);
    const uint32_t want[12] = { 0x44, 0x0, 0x0, 0x0, 0x92, 0xb4, 0x3b, 0x0, 0xd, 0xf0, 0x5, 0xb1 };
    for (unsigned i = 0; i < 12; i++) EXPECT_EQ(g.gicd(D_PIDR4 + 4 * i), want[i]) << i;
    EXPECT_EQ((g.gicd(D_PIDR2) >> 4) & 0xf, 3u);
    g.gicd_w(D_PIDR2, 0);
    g.gicd_w(D_IIDR, 0);
    EXPECT_EQ(g.gicd(D_PIDR2), 0x3bu);
    EXPECT_EQ(g.gicd(D_IIDR), 0x43bu);
    EXPECT_EQ(g.gicd(D_PIDR0), 0x92u);
}

// IHI0069H 12.9 (ARE=1): the distributor's registers for INTIDs 0-31 (IGROUPR0, I[SC]ENABLER0,
// I[SC]PENDR0, I[SC]ACTIVER0, IPRIORITYR0-7, ICFGR0-1) are RAZ/WI: SGIs and PPIs live in the
// redistributors, and writing them here does not reach the redistributor.
TEST(GicV3Dist, PrivateIntidRegistersRazWiUnderAre_IHI0069H_12_9)
{
    Gic g(GIC_V3);
    for (uint32_t off : { D_IGROUPR, D_ISENABLER, D_ISPENDR, D_ISACTIVER }) {
        g.gicd_w(off, 0xffffffff);
        EXPECT_EQ(g.gicd(off), 0u) << std::hex << off;
    }
    for (unsigned n = 0; n < 8; n++) {
        g.gicd_w(D_IPRIORITYR + 4 * n, 0xffffffff);
        EXPECT_EQ(g.gicd(D_IPRIORITYR + 4 * n), 0u) << n;
    }
    g.gicd_w(D_IPRIORITYR + 3, 0xff, 1);
    EXPECT_EQ(g.gicd(D_IPRIORITYR + 3, 1), 0u);
    EXPECT_EQ(g.gicd(D_ICFGR), 0u) << "ICFGR0 RAZ in the distributor";
    g.gicd_w(D_ICFGR + 4, 0xffffffff);
    EXPECT_EQ(g.gicd(D_ICFGR + 4), 0u);
    // The redistributor's state is untouched.
    expect_reads(g, GIC_FRAME_GICR_SGI,
                 { { S_IGROUPR0, 0 },
                   { S_ISENABLER0, 0 },
                   { S_ISPENDR0, 0 },
                   { S_ISACTIVER0, 0 },
                   { S_IPRIORITYR, 0 },
                   { S_ICFGR1, 0 } });
    // SPI registers of the distributor are implemented.
    g.gicd_w(D_IGROUPR + 4, 0xffffffff);
    EXPECT_EQ(g.gicd(D_IGROUPR + 4), 0xffffffffu);
    g.gicd_w(D_ISENABLER + 4, 0x0000ff00);
    g.gicd_w(D_ICENABLER + 4, 0x00000f00);
    EXPECT_EQ(g.gicd(D_ISENABLER + 4), 0x0000f000u);
    g.gicd_w(D_ISPENDR + 4, 0x3);
    g.gicd_w(D_ICPENDR + 4, 0x1);
    EXPECT_EQ(g.gicd(D_ISPENDR + 4), 0x2u);
    g.gicd_w(D_ISACTIVER + 4, 0xc);
    g.gicd_w(D_ICACTIVER + 4, 0x4);
    EXPECT_EQ(g.gicd(D_ICACTIVER + 4), 0x8u);
}

// IHI0069H 12.9.33 (ARE=1): GICD_ITARGETSR is RAZ/WI, byte accessible; GICD_SGIR, CPENDSGIR and
// SPENDSGIR are RAZ/WI (SGIs are generated through ICC_SGI*R): a GICD_SGIR write makes nothing pending.
TEST(GicV3Dist, ItargetsrAndLegacySgiRegistersRazWi_IHI0069H_12_9_33)
{
    Gic g(GIC_V3, 2);
    g.gicd_w(D_ITARGETSR + 0x20, 0x01010101);
    EXPECT_EQ(g.gicd(D_ITARGETSR + 0x20), 0u);
    g.gicd_w(D_ITARGETSR + 0x21, 0x02, 1);
    EXPECT_EQ(g.gicd(D_ITARGETSR + 0x21, 1), 0u);
    EXPECT_EQ(g.gicd(D_ITARGETSR), 0u);
    g.gicd_w(D_SGIR, 2u << 24 | 3);
    g.gicd_w(D_SPENDSGIR, 0x01010101);
    EXPECT_EQ(g.gicd(D_SPENDSGIR), 0u);
    EXPECT_EQ(g.gicd(D_CPENDSGIR), 0u);
    EXPECT_EQ(g.sgi(S_ISPENDR0, 0), 0u);
    EXPECT_EQ(g.sgi(S_ISPENDR0, 1), 0u);
}

// IHI0069H 12.9.16 / 12.9.20: with DS=1 GICD_IGRPMODR and GICD_NSACR are RAZ/WI.
TEST(GicV3Dist, IgrpmodrAndNsacrRazWiWithDs1_IHI0069H_12_9_16)
{
    Gic g(GIC_V3);
    for (uint32_t off : { D_IGRPMODR + 4u, D_IGRPMODR + 8u, D_NSACR + 8u, D_NSACR + 0x3cu }) {
        g.gicd_w(off, 0xffffffff);
        EXPECT_EQ(g.gicd(off), 0u) << std::hex << off;
    }
}

// IHI0069H 12.9.18: 8 implemented priority bits by default, byte and word access; unimplemented
// low-order bits RAZ/WI with fewer bits.
TEST(GicV3Dist, IpriorityrMasksUnimplementedBitsByteAndWord_IHI0069H_12_9_18)
{
    struct {
        void (*tweak)(gic_config *);
        uint8_t mask;
    } cases[] = { { prio4, 0xf0 }, { prio5, 0xf8 }, { prio6, 0xfc }, { prio7, 0xfe }, { prio8, 0xff } };
    for (auto &c : cases) {
        Gic g(GIC_V3, 1, c.tweak);
        g.gicd_w(D_IPRIORITYR + 0x21, 0xff, 1);
        EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x21, 1), c.mask);
        EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x20), (uint32_t)c.mask << 8);
        g.gicd_w(D_IPRIORITYR + 0x24, 0x12345678);
        EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x24), 0x12345678u & (c.mask * 0x01010101u));
        g.sgi_w(S_IPRIORITYR + 0x1f, 0xff, 0, 1);
        EXPECT_EQ(g.sgi(S_IPRIORITYR + 0x1c), (uint32_t)c.mask << 24) << "redistributor too";
    }
}

// IHI0069H 12.9.9: SPI trigger modes programmable, odd bits only (even bits RES0); reset level.
TEST(GicV3Dist, IcfgrSpiOddBitsProgrammable_IHI0069H_12_9_9)
{
    Gic g(GIC_V3);
    EXPECT_EQ(g.gicd(D_ICFGR + 8), 0u);
    g.gicd_w(D_ICFGR + 8, 0xffffffff);
    EXPECT_EQ(g.gicd(D_ICFGR + 8), 0xaaaaaaaau);
    g.gicd_w(D_ICFGR + 8, 0x00000002);
    EXPECT_EQ(g.gicd(D_ICFGR + 8), 0x2u);
    g.gicd_w(D_ICFGR + 4 * 17, 0x80000000);
    EXPECT_EQ(g.gicd(D_ICFGR + 4 * 17), 0x80000000u) << "INTID 287";
}

// IHI0069H 12.9.22: GICD_IROUTER<n> is 64-bit: Aff3 [39:32], IRM [31], Aff2 [23:16], Aff1 [15:8],
// Aff0 [7:0]; bits [63:40] and [30:24] RES0 (RAZ/WI here, QEMU D10 keeps them); IRM is RAZ/WI when
// 1-of-N is not supported (No1N=1); reset 0.
TEST(GicV3Dist, IrouterRes0BitsAndIrm_IHI0069H_12_9_22)
{
    Gic g(GIC_V3);
    EXPECT_EQ(g.gicd(D_IROUTER + 8 * 32, 8), 0u);
    EXPECT_EQ(g.gicd(D_IROUTER + 8 * 287, 8), 0u);
    g.gicd_w(D_IROUTER + 8 * 32, ~0ull, 8);
    EXPECT_EQ(g.gicd(D_IROUTER + 8 * 32, 8), 0xff00ffffffull);
    g.gicd_w(D_IROUTER + 8 * 287, 0x0000000102030405ull, 8);
    EXPECT_EQ(g.gicd(D_IROUTER + 8 * 287, 8), 0x0000000100030405ull);
    Gic n(GIC_V3, 1, [](gic_config *c) { c->one_of_n = true; });
    n.gicd_w(D_IROUTER + 8 * 40, ~0ull, 8);
    EXPECT_EQ(n.gicd(D_IROUTER + 8 * 40, 8), 0xff80ffffffull) << "IRM writable with 1-of-N";
}

// IHI0069H 12.1.3: 64-bit registers take 64-bit accesses and 32-bit accesses to either half; byte
// and halfword accesses to GICD_IROUTER are bus errors that change nothing.
TEST(GicV3Dist, IrouterSixtyFourBitAndHalves_IHI0069H_12_1_3)
{
    Gic g(GIC_V3);
    const uint32_t r = D_IROUTER + 8 * 40;
    g.gicd_w(r, 0x81020304, 4); // low half; IRM and [30:24] dropped
    EXPECT_EQ(g.gicd(r, 8), 0x00020304ull);
    g.gicd_w(r + 4, 0xffffffff, 4); // high half: only Aff3 [39:32]
    EXPECT_EQ(g.gicd(r, 8), 0xff00020304ull);
    EXPECT_EQ(g.gicd(r, 4), 0x00020304u);
    EXPECT_EQ(g.gicd(r + 4, 4), 0xffu);
    g.gicd_w(r, 0x00000007, 4); // a low-half write keeps the high half
    EXPECT_EQ(g.gicd(r, 8), 0xff00000007ull);
    uint64_t v;
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, r, 0x1, 1), GIC_E_SIZE);
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, r + 2, 0x1, 2), GIC_E_SIZE);
    EXPECT_EQ(g.rd_status(GIC_FRAME_GICD, r, 2, 0, &v), GIC_E_SIZE);
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, r + 4, 0x1, 8), GIC_E_SIZE) << "unaligned 64-bit";
    EXPECT_EQ(g.gicd(r, 8), 0xff00000007ull);
}

// IHI0069H 12.9.22: IROUTER of INTIDs 0-31 (0x6000-0x60FC) is reserved; of INTIDs the GIC does not
// implement RAZ/WI.
TEST(GicV3Dist, IrouterOfPrivateAndMissingIntidsRazWi_IHI0069H_12_9_22)
{
    Gic g(GIC_V3, 1, [](gic_config *c) { c->num_spis = 32; }); // INTIDs 0..63
    gic_response w = access(g, GIC_FRAME_GICD, D_IROUTER + 8 * 31, true, ~0ull, 8);
    EXPECT_EQ(w.status, GIC_OK);
    EXPECT_TRUE(w.reserved);
    EXPECT_EQ(g.gicd(D_IROUTER + 8 * 31, 8), 0u);
    g.gicd_w(D_IROUTER + 8 * 63, 0x1, 8);
    EXPECT_EQ(g.gicd(D_IROUTER + 8 * 63, 8), 0x1u);
    g.gicd_w(D_IROUTER + 8 * 64, 0x1, 8);
    EXPECT_EQ(g.gicd(D_IROUTER + 8 * 64, 8), 0u);
}

// IHI0069H 12.9.22: an SPI is offered to the PE whose affinity matches GICD_IROUTER (IRM=0).
TEST(GicV3Dist, IrouterSelectsTargetPe_IHI0069H_12_9_22)
{
    Gic g(GIC_V3, 4);
    g.gicd_w(D_CTLR, 0x2);
    g.gicd_w(D_IGROUPR + 4, 1u << 8);
    for (unsigned c = 0; c < 4; c++) open_cpu(g, c);
    g.gicd_w(D_IROUTER + 8 * 40, 0x2, 8); // Aff0 = 2
    g.gicd_w(D_ISENABLER + 4, 1u << 8);
    g.gicd_w(D_ISPENDR + 4, 1u << 8);
    EXPECT_EQ(g.icc(ICC_HPPIR1_EL1_ENC, 0), 1023u);
    EXPECT_EQ(g.icc(ICC_HPPIR1_EL1_ENC, 2), 40u);
    g.gicd_w(D_IROUTER + 8 * 40, 0x3, 8);
    EXPECT_EQ(g.icc(ICC_HPPIR1_EL1_ENC, 2), 1023u);
    EXPECT_EQ(g.icc(ICC_IAR1_EL1_ENC, 3), 40u);
}

// IHI0069H 12.1.3: only IPRIORITYR (and the RAZ/WI ITARGETSR, xPENDSGIR) take byte accesses in
// the distributor; other sizes are bus errors that change nothing.
TEST(GicV3Dist, ByteAccessOnlyWhereAllowed_IHI0069H_12_1_3)
{
    Gic g(GIC_V3);
    uint64_t v;
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, D_ISENABLER + 4, 0xff, 1), GIC_E_SIZE);
    EXPECT_EQ(g.rd_status(GIC_FRAME_GICD, D_ISENABLER + 4, 1, 0, &v), GIC_E_SIZE);
    EXPECT_EQ(g.gicd(D_ISENABLER + 4), 0u);
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, D_CTLR, 0x3, 2), GIC_E_SIZE);
    EXPECT_EQ(g.gicd(D_CTLR), 0x50u);
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, D_IGROUPR + 4, ~0ull, 8), GIC_E_SIZE);
    EXPECT_EQ(g.gicd(D_IGROUPR + 4), 0u);
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, D_IPRIORITYR + 0x22, 0xffff, 2), GIC_E_SIZE);
    EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x20), 0u);
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, D_IPRIORITYR + 0x22, 0x7f, 1), GIC_OK);
    EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x20), 0x7f0000u);
    EXPECT_EQ(g.rd_status(GIC_FRAME_GICD, D_ITARGETSR + 0x23, 1, 0, &v), GIC_OK);
    EXPECT_EQ(v, 0u);
}

// IHI0069H 12.1.2: reserved distributor offsets are RAZ/WI.
TEST(GicV3Dist, ReservedOffsetsRazWi_IHI0069H_12_1_2)
{
    Gic g(GIC_V3);
    for (uint32_t off : { 0x0014u, 0x005cu, 0x6000u, 0x60f8u, 0x7fe0u, 0xa000u }) {
        gic_response w = access(g, GIC_FRAME_GICD, off, true, 0xffffffff, 4);
        EXPECT_EQ(w.status, GIC_OK) << std::hex << off;
        EXPECT_TRUE(w.reserved) << std::hex << off;
        gic_response r = access(g, GIC_FRAME_GICD, off, false, 0, 4);
        EXPECT_EQ(r.data, 0u) << std::hex << off;
    }
}

// GICv3 has no GICC/GICH/GICV frames (they are the legacy memory-mapped interface).
TEST(GicV3Dist, LegacyCpuInterfaceFramesAbsent_IHI0069H_12)
{
    Gic g(GIC_V3);
    uint64_t v;
    EXPECT_EQ(g.rd_status(GIC_FRAME_GICC, 0xfc, 4, 0, &v), GIC_E_DECODE);
    EXPECT_EQ(g.rd_status(GIC_FRAME_GICH, 0x4, 4, 0, &v), GIC_E_DECODE);
    EXPECT_EQ(g.rd_status(GIC_FRAME_GICV, 0xfc, 4, 0, &v), GIC_E_DECODE);
}

// ======================================================================================
// GICR RD_base
// ======================================================================================

// IHI0069H 12.11.35: GICR_TYPER Affinity_Value [63:32] (Aff3.Aff2.Aff1.Aff0 of the PE),
// Processor_Number [23:8], Last [4] only on the last redistributor; PLPIS and CommonLPIAff with LPIs (kRdLpi),
// both 0 without.
TEST(GicV3Redist, TyperAffinityProcessorNumberLast_IHI0069H_12_11_35)
{
    Gic g1(GIC_V3);
    EXPECT_EQ(g1.rdb(R_TYPER, 0, 8), 0x10u | kRdLpi);
    Gic g4(GIC_V3, 4);
    for (unsigned c = 0; c < 4; c++)
        EXPECT_EQ(g4.rdb(R_TYPER, c, 8), (uint64_t)c << 32 | (uint64_t)c << 8 | (c == 3 ? 0x10u : 0u) | kRdLpi) << c;
    Gic g20(GIC_V3, 20); // CPU c: Aff1 = c / 16, Aff0 = c % 16
    EXPECT_EQ(g20.rdb(R_TYPER, 17, 8), 0x0101ull << 32 | 17u << 8 | kRdLpi);
    EXPECT_EQ(g20.rdb(R_TYPER, 15, 8), 0x000full << 32 | 15u << 8 | kRdLpi);
    EXPECT_EQ(g20.rdb(R_TYPER, 19, 8), 0x0103ull << 32 | 19u << 8 | 0x10 | kRdLpi);
    Gic nolpi(GIC_V3, 1, [](gic_config *c) { c->lpis = c->its = false; });
    EXPECT_EQ(nolpi.rdb(R_TYPER, 0, 8), 0x10u);
    for (unsigned c = 0; c < 19; c++) EXPECT_EQ(g20.rdb(R_TYPER, c, 8) & 0x10, 0u) << c;
}

// IHI0069H 12.1.3 / 12.11.35: GICR_TYPER is 64-bit, readable as two 32-bit halves, read-only;
// byte and halfword accesses are bus errors.
TEST(GicV3Redist, TyperHalvesAndReadOnly_IHI0069H_12_11_35)
{
    Gic g(GIC_V3, 4);
    EXPECT_EQ(g.rdb(R_TYPER, 2, 4), 0x200u | kRdLpi);
    EXPECT_EQ(g.rdb(R_TYPER + 4, 2, 4), 0x2u);
    EXPECT_EQ(g.rdb(R_TYPER, 3, 4), 0x310u | kRdLpi);
    g.rdb_w(R_TYPER, ~0ull, 2, 8);
    g.rdb_w(R_TYPER + 4, 0, 2, 4);
    EXPECT_EQ(g.rdb(R_TYPER, 2, 8), 0x200000200ull | kRdLpi);
    uint64_t v;
    EXPECT_EQ(g.rd_status(GIC_FRAME_GICR_RD, R_TYPER, 1, 0, &v), GIC_E_SIZE);
    EXPECT_EQ(g.rd_status(GIC_FRAME_GICR_RD, R_TYPER + 2, 2, 0, &v), GIC_E_SIZE);
}

// IHI0069H 12.11.38: GICR_WAKER reset 0x6 (ProcessorSleep, ChildrenAsleep); ChildrenAsleep follows
// ProcessorSleep (no transition delay in gicsim); bit 0 and bit 31 RAZ/WI; per redistributor.
TEST(GicV3Redist, WakerProcessorSleepChildrenAsleep_IHI0069H_12_11_38)
{
    Gic g(GIC_V3, 2);
    EXPECT_EQ(g.rdb(R_WAKER, 0), 0x6u);
    EXPECT_EQ(g.rdb(R_WAKER, 1), 0x6u);
    g.rdb_w(R_WAKER, 0, 0);
    EXPECT_EQ(g.rdb(R_WAKER, 0), 0x0u);
    EXPECT_EQ(g.rdb(R_WAKER, 1), 0x6u) << "banked per redistributor";
    g.rdb_w(R_WAKER, 0xffffffff, 0);
    EXPECT_EQ(g.rdb(R_WAKER, 0), 0x6u);
    g.rdb_w(R_WAKER, 0x80000001, 0);
    EXPECT_EQ(g.rdb(R_WAKER, 0), 0x0u);
    g.rdb_w(R_WAKER, 0x4, 0); // ChildrenAsleep is read-only
    EXPECT_EQ(g.rdb(R_WAKER, 0), 0x0u);
}

// IHI0069H 12.11.38 / docs/architecture.md choice: while ProcessorSleep=1 the redistributor offers
// no interrupt to its CPU interface.
TEST(GicV3Redist, WakerSleepStopsForwarding_IHI0069H_12_11_38)
{
    Gic g(GIC_V3);
    g.icc_w(ICC_PMR_EL1_ENC, 0xff);
    g.icc_w(ICC_IGRPEN1_EL1_ENC, 1);
    pend_private(g, 20);
    EXPECT_EQ(g.icc(ICC_HPPIR1_EL1_ENC), 1023u);
    g.rdb_w(R_WAKER, 0);
    EXPECT_EQ(g.icc(ICC_HPPIR1_EL1_ENC), 20u);
    g.rdb_w(R_WAKER, 0x2);
    EXPECT_EQ(g.icc(ICC_HPPIR1_EL1_ENC), 1023u);
}

// IHI0069H 12.11.2 / 12.11.16 / 12.1.5: GICR_CTLR resets to CES = 1 (EnableLPIs can be cleared) with LPIs, 0
// without (EnableLPIs RES0); RWP while a GICR_ICENABLER0 write propagates; GICR_IIDR 0x43b; ID registers (PIDR0 0x93,
// PIDR2 0x3b).
TEST(GicV3Redist, CtlrIidrAndIdRegisters_IHI0069H_12_11_2)
{
    Gic g(GIC_V3, 2);
    EXPECT_EQ(g.rdb(R_CTLR), 2u);
    g.rdb_w(R_CTLR, 0x1);
    EXPECT_EQ(g.rdb(R_CTLR), 3u) << "EnableLPIs";
    g.rdb_w(R_CTLR, 0x0);
    EXPECT_EQ(g.rdb(R_CTLR), 2u) << "EnableLPIs cleared (CES)";
    Gic n(GIC_V3, 2, [](gic_config *c) { c->lpis = c->its = false; });
    EXPECT_EQ(n.rdb(R_CTLR), 0u);
    n.rdb_w(R_CTLR, 0x1);
    EXPECT_EQ(n.rdb(R_CTLR) & 1, 0u) << "EnableLPIs: no LPIs";
    EXPECT_EQ(g.rdb(R_IIDR), 0x43bu);
    g.rdb_w(R_IIDR, 0);
    expect_banked(g, GIC_FRAME_GICR_RD, R_IIDR, { 0x43b, 0x43b });
    const uint32_t want[12] = { 0x44, 0x0, 0x0, 0x0, 0x93, 0xb4, 0x3b, 0x0, 0xd, 0xf0, 0x5, 0xb1 };
    for (unsigned i = 0; i < 12; i++) EXPECT_EQ(g.rdb(R_PIDR4 + 4 * i, 1), want[i]) << i;
    EXPECT_EQ((g.rdb(R_PIDR2) >> 4) & 0xf, 3u);
    EXPECT_EQ(g.rdb(R_PIDR0), 0x93u);
    // RWP of the redistributor.
    Access w{ GIC_FRAME_GICR_SGI, 1, 4, 1, S_ICENABLER0, 0x1 };
    Access r{ GIC_FRAME_GICR_RD, 0, 4, 1, R_CTLR, 0 };
    Access r0{ GIC_FRAME_GICR_RD, 0, 4, 0, R_CTLR, 0 };
    uint64_t tw, tr, tr0;
    for (auto [a, t] : { std::pair{ &w, &tw }, std::pair{ &r, &tr }, std::pair{ &r0, &tr0 } })
        ASSERT_EQ(gic_submit(g.g, a, t), GIC_OK);
    g.settle();
    gic_response rw{}, rr{}, rr0{};
    for (auto [t, rsp] : { std::pair{ tw, &rw }, std::pair{ tr, &rr }, std::pair{ tr0, &rr0 } })
        ASSERT_EQ(gic_collect(g.g, t, rsp), GIC_OK);
    EXPECT_EQ(rr.data, 1u << 3 | 2u) << "RWP of redistributor 1 (and CES)";
    EXPECT_EQ(rr0.data, 2u) << "redistributor 0 not affected";
    EXPECT_EQ(g.rdb(R_CTLR, 1), 2u);
}

// IHI0069H 12.1.3: RD_base registers are word-only except GICR_TYPER; reserved offsets RAZ/WI.
TEST(GicV3Redist, RdBaseSizesAndReserved_IHI0069H_12_1_3)
{
    Gic g(GIC_V3);
    expect_access_status(g, GIC_E_SIZE,
                         { { GIC_FRAME_GICR_RD, R_WAKER, 8, true, 0 }, { GIC_FRAME_GICR_RD, R_WAKER, 1, true, 0 } });
    EXPECT_EQ(g.rdb(R_WAKER), 0x6u) << "unchanged by the failed accesses";
    expect_access_status(g, GIC_E_SIZE, { { GIC_FRAME_GICR_RD, R_IIDR, 2 } });
    expect_reserved_raz_wi(g, GIC_FRAME_GICR_RD, { 0x0050u, 0x0080u, 0x0800u, 0x1000u });
}

// ======================================================================================
// GICR SGI_base
// ======================================================================================

// IHI0069H 12.11.24 / 12.11.5: SGI and PPI enables are all writable (unlike GICv2, SGIs are not
// RAO); reset 0.
TEST(GicV3Redist, IsenablerWritableForSgisAndPpis_IHI0069H_12_11_24)
{
    Gic g(GIC_V3);
    EXPECT_EQ(g.sgi(S_ISENABLER0), 0u);
    expect_write_read(g, GIC_FRAME_GICR_SGI,
                      { { S_ISENABLER0, 0xffffffff, 0xffffffff },
                        { S_ICENABLER0, 0x0000ffff, 0xffff0000 },
                        { S_ISENABLER0, 0x1, 0xffff0001 } });
}

// IHI0069H 12.11.26 / 12.11.7 / 12.11.22: SGI pending bits are settable and clearable through
// GICR_ISPENDR0/ICPENDR0 (unlike GICv2); active bits through I[SC]ACTIVER0.
TEST(GicV3Redist, PendingAndActiveOfSgisAndPpis_IHI0069H_12_11_26)
{
    Gic g(GIC_V3);
    expect_write_read(g, GIC_FRAME_GICR_SGI,
                      { { S_ISPENDR0, 0xffff, 0xffff },
                        { S_ICPENDR0, 0x00ff, 0xff00 },
                        { S_ISPENDR0, 0x80000000, 0x8000ff00 },
                        { S_ISACTIVER0, 0xffffffff, 0xffffffff },
                        { S_ICACTIVER0, 0x0000fffe, 0xffff0001 } });
}

// IHI0069H 12.11.4: GICR_ICFGR0 (SGIs) read-only 0xaaaaaaaa; GICR_ICFGR1 (PPIs) reset level,
// odd bits programmable (IMPLEMENTATION DEFINED, QEMU virt: programmable).
TEST(GicV3Redist, IcfgrSgiReadOnlyPpiProgrammable_IHI0069H_12_11_4)
{
    Gic g(GIC_V3);
    EXPECT_EQ(g.sgi(S_ICFGR0), 0xaaaaaaaau);
    expect_write_read(g, GIC_FRAME_GICR_SGI, { { S_ICFGR0, 0, 0xaaaaaaaa } });
    EXPECT_EQ(g.sgi(S_ICFGR1), 0u);
    expect_write_read(g, GIC_FRAME_GICR_SGI,
                      { { S_ICFGR1, 0xffffffff, 0xaaaaaaaa }, { S_ICFGR1, 0x00200000, 0x00200000 } });
}

// IHI0069H 12.11.9 / 12.11.14: GICR_IGROUPR0 writable; GICR_IPRIORITYR byte and word access (QEMU
// virt: writeb 0x41f 0xff -> 0xff000000).
TEST(GicV3Redist, IgrouprAndIpriorityr_IHI0069H_12_11_14)
{
    Gic g(GIC_V3);
    expect_write_read(g, GIC_FRAME_GICR_SGI, { { S_IGROUPR0, 0xffffffff, 0xffffffff } });
    expect_steps(g, GIC_FRAME_GICR_SGI, { { S_IPRIORITYR + 0x1f, 0xff, S_IPRIORITYR + 0x1c, 0xff000000 } }, 0, 1, 4);
    expect_write_read(g, GIC_FRAME_GICR_SGI, { { S_IPRIORITYR, 0x80604020, 0x80604020 } });
    EXPECT_EQ(g.sgi(S_IPRIORITYR + 2, 0, 1), 0x60u);
    expect_access_status(g, GIC_E_SIZE,
                         { { GIC_FRAME_GICR_SGI, S_IPRIORITYR, 2, true, 0xffff },
                           { GIC_FRAME_GICR_SGI, S_ISENABLER0, 1, true, 0xff },
                           { GIC_FRAME_GICR_SGI, S_IGROUPR0, 1 } });
    expect_reads(g, GIC_FRAME_GICR_SGI, { { S_IPRIORITYR, 0x80604020 }, { S_ISENABLER0, 0 } });
}

// IHI0069H 12.11.10 / 12.11.19: with DS=1 GICR_IGRPMODR0 and GICR_NSACR are RAZ/WI; reserved
// SGI_base offsets RAZ/WI.
TEST(GicV3Redist, IgrpmodrNsacrAndReservedRazWi_IHI0069H_12_11_10)
{
    Gic g(GIC_V3);
    expect_write_read(g, GIC_FRAME_GICR_SGI, { { S_IGRPMODR0, 0xffffffff, 0 }, { S_NSACR, 0xffffffff, 0 } });
    expect_reserved_raz_wi(g, GIC_FRAME_GICR_SGI, { 0x0000u, 0x0010u, 0x0e04u, 0x0f00u });
}

// IHI0069H 12.11: each redistributor holds its own CPU's SGI/PPI state.
TEST(GicV3Redist, SgiBaseBankedPerRedistributor_IHI0069H_12_11)
{
    Gic g(GIC_V3, 3);
    g.sgi_w(S_ISENABLER0, 0x12345678, 1);
    g.sgi_w(S_IPRIORITYR + 8, 0xa0a0a0a0, 2);
    g.sgi_w(S_ICFGR1, 0x2, 1);
    g.sgi_w(S_IGROUPR0, 0xf, 2);
    expect_banked(g, GIC_FRAME_GICR_SGI, S_ISENABLER0, { 0, 0x12345678, 0 });
    expect_banked(g, GIC_FRAME_GICR_SGI, S_IPRIORITYR + 8, { 0, 0, 0xa0a0a0a0 });
    expect_banked(g, GIC_FRAME_GICR_SGI, S_ICFGR1, { 0, 0x2, 0 });
    expect_banked(g, GIC_FRAME_GICR_SGI, S_IGROUPR0, { 0, 0, 0xf });
}

// ======================================================================================
// ICC_* system registers
// ======================================================================================

// IHI0069H 12.2 reset values: PMR 0, BPR0 = minimum, BPR1 = minimum + 1, RPR 0xff, IAR/HPPIR 1023,
// IGRPEN 0, APRs 0.
TEST(GicV3Icc, ResetValues_IHI0069H_12_2)
{
    Gic g(GIC_V3, 1, prio8); // 8 CPU-interface priority bits (QEMU virt's 5: QemuVirtCpuInterfaceHasFivePriorityBits)
    expect_reads(g, GIC_FRAME_SYSREG,
                 { { ICC_PMR_EL1_ENC, 0 },
                   { ICC_BPR0_EL1_ENC, 0 },
                   { ICC_BPR1_EL1_ENC, 1 },
                   { ICC_RPR_EL1_ENC, 0xff },
                   { ICC_IAR0_EL1_ENC, 1023 },
                   { ICC_IAR1_EL1_ENC, 1023 },
                   { ICC_HPPIR0_EL1_ENC, 1023 },
                   { ICC_HPPIR1_EL1_ENC, 1023 },
                   { ICC_IGRPEN0_EL1_ENC, 0 },
                   { ICC_IGRPEN1_EL1_ENC, 0 } });
    for (unsigned n = 0; n < 4; n++) {
        EXPECT_EQ(g.icc(ICC_AP0R(n)), 0u);
        EXPECT_EQ(g.icc(ICC_AP1R(n)), 0u);
    }
}

// IHI0069H 12.2.21: ICC_SRE_EL1 reads SRE=1 (the system register interface is always enabled:
// no legacy operation), DFB=1, DIB=1; it is a read/write register whose bits are RAO/WI here, so
// an MSR is not UNDEFINED (software such as Linux writes SRE=1 at boot).
TEST(GicV3Icc, SreReadsOneWritesIgnored_IHI0069H_12_2_21)
{
    Gic g(GIC_V3);
    EXPECT_EQ(g.icc(ICC_SRE_EL1_ENC), 0x7u);
    EXPECT_EQ(msr(g, ICC_SRE_EL1_ENC, 0x1), GIC_OK);
    EXPECT_EQ(msr(g, ICC_SRE_EL1_ENC, 0x0), GIC_OK);
    EXPECT_EQ(g.icc(ICC_SRE_EL1_ENC), 0x7u);
}

// IHI0069H 12.2.6: ICC_CTLR_EL1: CBPR [0] and EOImode [1] writable; PRIbits [10:8] = priority bits
// - 1; IDbits [13:11] = 0 (16 bits); SEIS 0; A3V [15] = 1; PMHE, RSS, ExtRange 0; read-only fields
// ignore writes.
TEST(GicV3Icc, CtlrFields_IHI0069H_12_2_6)
{
    struct {
        void (*tweak)(gic_config *);
        unsigned bits;
    } cases[] = { { prio8, 8 }, { prio7, 7 }, { prio5, 5 }, { prio4, 4 } };
    for (auto &c : cases) {
        Gic g(GIC_V3, 1, c.tweak);
        uint64_t ro = (uint64_t)(c.bits - 1) << 8 | 1u << 11 | 1u << 15;
        SCOPED_TRACE(::testing::Message() << c.bits << " priority bits");
        EXPECT_EQ(g.icc(ICC_CTLR_EL1_ENC), ro);
        expect_write_read(g, GIC_FRAME_SYSREG,
                          { { ICC_CTLR_EL1_ENC, ~0ull, ro | 0x3 },
                            { ICC_CTLR_EL1_ENC, 0x2, ro | 0x2, "EOImode alone" },
                            { ICC_CTLR_EL1_ENC, 0, ro } });
        EXPECT_EQ((g.icc(ICC_CTLR_EL1_ENC) >> 11) & 7, 1u) << "IDbits: 24, the width of the EOIR/DIR INTID field";
    }
}

// IHI0069H 12.2.6: ICC_CTLR_EL1.EOImode splits priority drop (EOIR) from deactivation (DIR).
TEST(GicV3Icc, CtlrEoimodeSplitsDropAndDeactivate_IHI0069H_12_2_6)
{
    Gic g(GIC_V3);
    open_cpu(g, 0);
    g.icc_w(ICC_CTLR_EL1_ENC, 0x2);
    pend_private(g, 3);
    EXPECT_EQ(g.icc(ICC_IAR1_EL1_ENC), 3u);
    g.icc_w(ICC_EOIR1_EL1_ENC, 3);
    EXPECT_EQ(g.icc(ICC_RPR_EL1_ENC), 0xffu) << "priority dropped";
    EXPECT_EQ(g.sgi(S_ISACTIVER0), 1u << 3) << "still active";
    g.icc_w(ICC_DIR_EL1_ENC, 3);
    EXPECT_EQ(g.sgi(S_ISACTIVER0), 0u);
}

// IHI0069H 12.2.19: ICC_PMR_EL1 implements the physical priority bits; the rest RAZ/WI.
TEST(GicV3Icc, PmrMasksUnimplementedBits_IHI0069H_12_2_19)
{
    for_each_config(
        GIC_V3, { { prio4, 0xf0 }, { prio5, 0xf8 }, { prio6, 0xfc }, { prio7, 0xfe }, { prio8, 0xff } },
        [](Gic &g, uint64_t mask) { expect_priority_mask(g, GIC_FRAME_SYSREG, ICC_PMR_EL1_ENC, ~0ull, mask, 0x6d); });
}

// IHI0069H 12.2.4 / 12.2.5: ICC_BPR0_EL1 minimum = 7 - preemption bits (at most 7), reset to the
// minimum; ICC_BPR1_EL1 minimum and reset = that + 1; writes below the minimum read the minimum.
TEST(GicV3Icc, Bpr0Bpr1MinimumsAndClamping_IHI0069H_12_2_4)
{
    for_each_config(GIC_V3, { { prio4, 3 }, { prio5, 2 }, { prio6, 1 }, { prio7, 0 }, { prio8, 0 } },
                    [](Gic &g, uint64_t min) {
                        expect_binary_points(g, GIC_FRAME_SYSREG, ICC_BPR0_EL1_ENC, (unsigned)min, ICC_BPR1_EL1_ENC,
                                             (unsigned)min + 1, true);
                    });
}

// IHI0069H 12.2.5: with ICC_CTLR_EL1.CBPR=1, ICC_BPR1_EL1 reads ICC_BPR0_EL1 + 1 (saturated at 7)
// and writes to it are ignored.
TEST(GicV3Icc, CbprMakesBpr1FollowBpr0_IHI0069H_12_2_5)
{
    Gic g(GIC_V3);
    g.icc_w(ICC_BPR1_EL1_ENC, 6);
    g.icc_w(ICC_BPR0_EL1_ENC, 3);
    expect_steps(g, GIC_FRAME_SYSREG,
                 { { ICC_CTLR_EL1_ENC, 0x1, ICC_BPR1_EL1_ENC, 4 },
                   { ICC_BPR1_EL1_ENC, 2, ICC_BPR1_EL1_ENC, 4 },
                   { ICC_BPR0_EL1_ENC, 7, ICC_BPR1_EL1_ENC, 7, "saturated" },
                   { ICC_CTLR_EL1_ENC, 0x0, ICC_BPR1_EL1_ENC, 6, "the separate BPR1 is back" } });
}

// IHI0069H 12.2.15/12.2.16: ICC_IGRPEN0_EL1_ENC/1_EL1 implement Enable [0] only.
TEST(GicV3Icc, IgrpenEnableBitOnly_IHI0069H_12_2_15)
{
    Gic g(GIC_V3);
    expect_write_read(g, GIC_FRAME_SYSREG, { { ICC_IGRPEN0_EL1_ENC, ~0ull, 1 } });
    EXPECT_EQ(g.icc(ICC_IGRPEN1_EL1_ENC), 0u);
    expect_write_read(
        g, GIC_FRAME_SYSREG,
        { { ICC_IGRPEN1_EL1_ENC, 0xfe, 0 }, { ICC_IGRPEN1_EL1_ENC, 0x1, 1 }, { ICC_IGRPEN0_EL1_ENC, 0, 0 } });
}

// IHI0069H 12.2.1/12.2.2: ICC_AP0R<n>/AP1R<n>: n=0 always; n=1 with 6 or more preemption bits;
// n=2,3 with 7; the others are UNDEFINED. Implemented ones are read/write.
TEST(GicV3Icc, ApRegistersImplementedByPriorityBits_IHI0069H_12_2_1)
{
    struct {
        void (*tweak)(gic_config *);
        unsigned words;
    } cases[] = { { prio4, 1 }, { prio5, 1 }, { prio6, 2 }, { prio7, 4 }, { prio8, 4 } };
    for (auto &c : cases) {
        Gic g(GIC_V3, 1, c.tweak);
        for (unsigned n = 0; n < 4; n++) {
            int want = n < c.words ? GIC_OK : GIC_E_UNDEF;
            uint64_t v;
            EXPECT_EQ(mrs(g, ICC_AP0R(n), 0, GIC_FRAME_SYSREG, &v), want) << c.words << " AP0R" << n;
            EXPECT_EQ(mrs(g, ICC_AP1R(n), 0, GIC_FRAME_SYSREG, &v), want) << c.words << " AP1R" << n;
            EXPECT_EQ(msr(g, ICC_AP1R(n), 0x1), want);
        }
        g.icc_w(ICC_AP1R(0), 0x8000);
        EXPECT_EQ(g.icc(ICC_AP1R(0)), 0x8000u);
        EXPECT_EQ(g.icc(ICC_AP0R(0)), 0u) << "AP0R and AP1R are separate";
        g.icc_w(ICC_AP1R(0), 0);
    }
}

// IHI0069H 12.2.1 / 12.2.20: an acknowledge sets the active-priority bit of its group priority in
// the APR of its group; ICC_RPR_EL1 reports it.
TEST(GicV3Icc, AcknowledgeSetsApAndRpr_IHI0069H_12_2_20)
{
    Gic g(GIC_V3, 1, prio8);
    open_cpu(g, 0);
    pend_private(g, 18, 0x48);
    EXPECT_EQ(g.icc(ICC_IAR1_EL1_ENC), 18u);
    EXPECT_EQ(g.icc(ICC_RPR_EL1_ENC), 0x48u);
    // BPR1 = 1: group priority bits [7:1]; 7 preemption bits: bit 0x48 >> 1 = 36 -> AP1R1 bit 4.
    EXPECT_EQ(g.icc(ICC_AP1R(1)), 1u << 4);
    EXPECT_EQ(g.icc(ICC_AP0R(1)), 0u);
    g.icc_w(ICC_EOIR1_EL1_ENC, 18);
    EXPECT_EQ(g.icc(ICC_AP1R(1)), 0u);
    EXPECT_EQ(g.icc(ICC_RPR_EL1_ENC), 0xffu);
}

// IHI0069H 12.2.20: the running priority is the highest active group priority of both groups' APRs, also when
// software writes the APRs (as a hypervisor or a power-down sequence restoring them does).
TEST(GicV3Icc, ApWritesSetRpr_IHI0069H_12_2_20)
{
    Gic g(GIC_V3, 1, prio8);
    open_cpu(g, 0);
    // 7 preemption bits: AP1R1 bit 4 is group priority 36, i.e. priority 0x48.
    g.icc_w(ICC_AP1R(1), 1u << 4);
    EXPECT_EQ(g.icc(ICC_RPR_EL1_ENC), 0x48u);
    g.icc_w(ICC_AP0R(0), 1u << 5); // group priority 5 (0x0a) is higher than 0x48
    EXPECT_EQ(g.icc(ICC_RPR_EL1_ENC), 0x0au);
    g.icc_w(ICC_AP0R(0), 0);
    EXPECT_EQ(g.icc(ICC_RPR_EL1_ENC), 0x48u);
    g.icc_w(ICC_AP1R(1), 0);
    EXPECT_EQ(g.icc(ICC_RPR_EL1_ENC), 0xffu);
}

// IHI0069H 12.2 / Arm ARM: an MRS of a write-only register (EOIR0/1, DIR, SGI0R/SGI1R/ASGI1R) and
// an MSR to a read-only one (IAR0/1, HPPIR0/1, RPR) are UNDEFINED; state is unchanged.
TEST(GicV3Icc, WriteOnlyReadAndReadOnlyWriteUndefined_IHI0069H_12_2)
{
    Gic g(GIC_V3);
    uint64_t v;
    for (uint32_t e : { ICC_EOIR0_EL1_ENC, ICC_EOIR1_EL1_ENC, ICC_DIR_EL1_ENC, ICC_SGI0R_EL1_ENC, ICC_SGI1R_EL1_ENC,
                        ICC_ASGI1R_EL1_ENC })
        EXPECT_EQ(mrs(g, e, 0, GIC_FRAME_SYSREG, &v), GIC_E_UNDEF) << std::hex << e;
    for (uint32_t e : { ICC_IAR0_EL1_ENC, ICC_IAR1_EL1_ENC, ICC_HPPIR0_EL1_ENC, ICC_HPPIR1_EL1_ENC, ICC_RPR_EL1_ENC })
        EXPECT_EQ(msr(g, e, 0x10), GIC_E_UNDEF) << std::hex << e;
    EXPECT_EQ(g.icc(ICC_RPR_EL1_ENC), 0xffu);
    // The write-only ones are writable, the read-only ones readable.
    EXPECT_EQ(msr(g, ICC_EOIR1_EL1_ENC, 1023), GIC_OK);
    EXPECT_EQ(msr(g, ICC_DIR_EL1_ENC, 1023), GIC_OK);
    EXPECT_EQ(mrs(g, ICC_HPPIR1_EL1_ENC, 0, GIC_FRAME_SYSREG, &v), GIC_OK);
}

// Arm ARM / IHI0069H 12.1: an encoding that is not an implemented GIC system register is
// UNDEFINED (EL2/EL3-only ICC registers, NMI registers, free encodings); a system register access
// is always 64-bit (other sizes: GIC_E_SIZE).
TEST(GicV3Icc, UnimplementedEncodingsUndefined_IHI0069H_12_1)
{
    Gic g(GIC_V3);
    uint64_t v;
    const uint32_t bad[] = {
        enc(3, 4, 12, 9, 5),  // ICC_SRE_EL2
        enc(3, 6, 12, 12, 4), // ICC_CTLR_EL3
        enc(3, 6, 12, 12, 7), // ICC_IGRPEN1_EL3
        enc(3, 0, 12, 9, 5),  // ICC_NMIAR1_EL1 (no NMIs)
        enc(3, 0, 12, 10, 0), // free
        enc(3, 0, 12, 11, 0), // free
        enc(3, 0, 4, 6, 1),   // next to ICC_PMR_EL1
        0,
    };
    for (uint32_t e : bad) {
        EXPECT_EQ(mrs(g, e, 0, GIC_FRAME_SYSREG, &v), GIC_E_UNDEF) << std::hex << e;
        EXPECT_EQ(msr(g, e, 0), GIC_E_UNDEF) << std::hex << e;
    }
    EXPECT_EQ(g.rd_status(GIC_FRAME_SYSREG, ICC_PMR_EL1_ENC, 4, 0, &v), GIC_E_SIZE);
    EXPECT_EQ(g.wr_status(GIC_FRAME_SYSREG, ICC_PMR_EL1_ENC, 0xff, 4), GIC_E_SIZE);
    EXPECT_EQ(g.icc(ICC_PMR_EL1_ENC), 0u);
}

// IHI0069H 12.2.23 / 12.2.22: ICC_SGI1R_EL1 targets the PEs of cluster Aff3.Aff2.Aff1 whose Aff0 is
// in TargetList, or every PE but the sender with IRM=1; an SGI becomes pending only where it is
// configured in the group the register generates (docs/architecture.md choice).
TEST(GicV3Icc, Sgi1rAffinityTargetListAndIrm_IHI0069H_12_2_23)
{
    Gic g(GIC_V3, 20);
    for (unsigned c = 0; c < 20; c++) g.sgi_w(S_IGROUPR0, 0x0000fffe, c); // SGI 0 Group 0, 1-15 Group 1
    auto pend = [&](unsigned c) { return (uint32_t)g.sgi(S_ISPENDR0, c); };
    g.icc_w(ICC_SGI1R_EL1_ENC, 5ull << 24 | 1ull << 16 | 0x0002, 0); // SGI 5, Aff1 1, Aff0 1 -> CPU 17
    for (unsigned c = 0; c < 20; c++) EXPECT_EQ(pend(c), c == 17 ? 1u << 5 : 0u) << c;
    g.icc_w(ICC_SGI1R_EL1_ENC, 7ull << 24 | 1ull << 40, 3); // IRM: all but CPU 3
    for (unsigned c = 0; c < 20; c++) EXPECT_EQ((pend(c) >> 7) & 1, c == 3 ? 0u : 1u) << c;
    g.icc_w(ICC_SGI1R_EL1_ENC, 0ull << 24 | 0x0001, 0); // SGI 0 is Group 0: SGI1R does not make it pending
    EXPECT_EQ(pend(0) & 1, 0u);
    g.icc_w(ICC_SGI0R_EL1_ENC, 0ull << 24 | 0x0001, 0);
    EXPECT_EQ(pend(0) & 1, 1u);
    g.icc_w(ICC_SGI0R_EL1_ENC, 9ull << 24 | 0x0001, 0); // SGI 9 is Group 1: SGI0R does nothing
    EXPECT_EQ((pend(0) >> 9) & 1, 0u);
    g.icc_w(ICC_SGI1R_EL1_ENC, 2ull << 24 | 5ull << 16 | 0xffff, 0); // cluster 5 does not exist
    for (unsigned c = 0; c < 20; c++) EXPECT_EQ((pend(c) >> 2) & 1, 0u) << c;
}

// ======================================================================================
// ICH_* system registers (hypervisor control)
// ======================================================================================

// IHI0069H 12.4.10: ICH_VTR_EL2: ListRegs-1 [4:0], IDbits [25:23] = 1 (24 bits), PREbits-1
// [28:26], PRIbits-1 [31:29], A3V [21], nV4 [20] (no direct injection), SEIS 0, TDS [19] = 1
// (ICH_HCR_EL2.TDIR is implemented); read-only (an MSR is UNDEFINED). QEMU virt reads 0x90b80003.
TEST(GicV3Ich, VtrFieldsFromConfiguration_IHI0069H_12_4_10)
{
    Gic g(GIC_V3);
    EXPECT_EQ(g.icc(ICH_VTR_EL2_ENC), 0x90b80003u);
    expect_access_status(g, GIC_E_UNDEF, { { GIC_FRAME_SYSREG, ICH_VTR_EL2_ENC, 8, true, 0 } });
    EXPECT_EQ(g.icc(ICH_VTR_EL2_ENC), 0x90b80003u);
    Gic w(GIC_V3, 1, [](gic_config *c) {
        c->num_lrs = 16;
        c->vprio_bits = 8;
        c->vpre_bits = 7;
    });
    EXPECT_EQ(w.icc(ICH_VTR_EL2_ENC), 0xf8b8000fu);
    Gic m(GIC_V3, 1, [](gic_config *c) {
        c->num_lrs = 2;
        c->vprio_bits = 7;
        c->vpre_bits = 6;
    });
    EXPECT_EQ(m.icc(ICH_VTR_EL2_ENC), 6ull << 29 | 5ull << 26 | 1ull << 23 | 3ull << 20 | 1ull << 19 | 1);
}

// IHI0069H 12.4.6: ICH_HCR_EL2 writable En, UIE, LRENPIE, NPIE, VGrp0EIE, VGrp0DIE, VGrp1EIE,
// VGrp1DIE, TC, TALL0, TALL1, TDIR and EOIcount [31:27]; TSEI RES0 (no SEIs); bits [63:32] RES0;
// reset 0.
TEST(GicV3Ich, HcrWritableFields_IHI0069H_12_4_6)
{
    Gic g(GIC_V3);
    EXPECT_EQ(g.icc(ICH_HCR_EL2_ENC), 0u);
    g.icc_w(ICH_HCR_EL2_ENC, ~0ull);
    uint64_t v = g.icc(ICH_HCR_EL2_ENC);
    EXPECT_EQ(v & 0xf8001cffull, 0xf8001cffull);
    EXPECT_EQ(v >> 32, 0u);
    EXPECT_EQ(v & 0x07ff0200ull, 0u) << "RES0 bits [26:16] and [9]";
    EXPECT_EQ(v & (1u << 14), 1u << 14) << "TDIR is stored (ICH_VTR_EL2.TDS = 1)";
    EXPECT_EQ(v & (1u << 13), 0u) << "TSEI is RES0 (ICH_VTR_EL2.SEIS = 0)";
    EXPECT_EQ(v & 0xffffffffull, 0xf8005cffull);
    expect_write_read(g, GIC_FRAME_SYSREG, { { ICH_HCR_EL2_ENC, 0x30000001, 0x30000001 }, { ICH_HCR_EL2_ENC, 0, 0 } });
}

// IHI0069H 12.4.11: ICH_VMCR_EL2 reset: VBPR0 = 2 and VBPR1 = 3 (minimums with 5 virtual
// preemption bits), VPMR 0, enables 0, VFIQEn RES1; VPMR [31:24] holds the implemented virtual
// priority bits; VBPR0/VBPR1 clamp to their minimums.
TEST(GicV3Ich, VmcrResetFieldsAndClamps_IHI0069H_12_4_11)
{
    Gic g(GIC_V3);
    EXPECT_EQ(g.icc(ICH_VMCR_EL2_ENC), 0x4c0008u);
    g.icc_w(ICH_VMCR_EL2_ENC, ~0ull);
    uint64_t v = g.icc(ICH_VMCR_EL2_ENC);
    EXPECT_EQ(v & 0xfffc0213ull, 0xf8fc0213ull) << "VPMR 0xf8, VBPR0 7, VBPR1 7, VEOIM, VCBPR, VENG1, VENG0";
    EXPECT_EQ(v >> 32, 0u);
    g.icc_w(ICH_VMCR_EL2_ENC, 0);
    EXPECT_EQ(g.icc(ICH_VMCR_EL2_ENC) & ~0xcull, 0x4c0000u) << "VBPR0 clamps to 2, VBPR1 to 3";
    g.icc_w(ICH_VMCR_EL2_ENC, 0xa0u << 24 | 4u << 21 | 5u << 18 | 0x3);
    EXPECT_EQ(g.icc(ICH_VMCR_EL2_ENC) & ~0xcull, 0xa0u << 24 | 4u << 21 | 5u << 18 | 0x3);
    Gic w(GIC_V3, 1, [](gic_config *c) {
        c->vprio_bits = 8;
        c->vpre_bits = 7;
    });
    EXPECT_EQ(w.icc(ICH_VMCR_EL2_ENC), 0x40008u) << "VBPR0 0, VBPR1 1 with 7 preemption bits";
    w.icc_w(ICH_VMCR_EL2_ENC, 0xffull << 24);
    EXPECT_EQ(w.icc(ICH_VMCR_EL2_ENC) >> 24, 0xffu);
}

// IHI0069H 12.4.11: with system-register-only virtual CPU interfaces (no legacy GICv2 support),
// ICH_VMCR_EL2.VFIQEn is RES1 and VAckCtl RES0, whatever is written.
TEST(GicV3Ich, VmcrVfiqenRes1VackctlRes0_IHI0069H_12_4_11)
{
    Gic g(GIC_V3);
    EXPECT_EQ(g.icc(ICH_VMCR_EL2_ENC) & 0xcu, 0x8u);
    g.icc_w(ICH_VMCR_EL2_ENC, 0x4);
    EXPECT_EQ(g.icc(ICH_VMCR_EL2_ENC) & 0xcu, 0x8u);
    g.icc_w(ICH_VMCR_EL2_ENC, 0);
    EXPECT_EQ(g.icc(ICH_VMCR_EL2_ENC) & 0xcu, 0x8u);
}

// IHI0069H 12.4.11 / 12.3: ICH_VMCR_EL2 is the hypervisor's view of ICV_PMR, ICV_BPR0/1,
// ICV_CTLR.CBPR/EOImode and ICV_IGRPEN0/1.
TEST(GicV3Ich, VmcrAliasesIcvRegisters_IHI0069H_12_4_11)
{
    Gic g(GIC_V3);
    write_all(g, GIC_FRAME_VSYSREG,
              { { ICC_PMR_EL1_ENC, 0x98 },
                { ICC_BPR0_EL1_ENC, 5 },
                { ICC_BPR1_EL1_ENC, 6 },
                { ICC_CTLR_EL1_ENC, 0x2 },
                { ICC_IGRPEN1_EL1_ENC, 1 } });
    EXPECT_EQ(g.icc(ICH_VMCR_EL2_ENC) & ~0xcull, 0x98u << 24 | 5u << 21 | 6u << 18 | 1u << 9 | 0x2);
    g.icc_w(ICH_VMCR_EL2_ENC, 0x40u << 24 | 3u << 21 | 4u << 18 | 1u << 4 | 0x1);
    expect_reads(g, GIC_FRAME_VSYSREG,
                 { { ICC_PMR_EL1_ENC, 0x40 },
                   { ICC_BPR0_EL1_ENC, 3 },
                   { ICC_BPR1_EL1_ENC, 4, "VCBPR set: ICV_BPR1 reads VBPR0 + 1" } });
    EXPECT_EQ(g.icv(ICC_CTLR_EL1_ENC) & 0x3, 0x1u) << "CBPR 1, EOImode 0";
    expect_reads(g, GIC_FRAME_VSYSREG, { { ICC_IGRPEN0_EL1_ENC, 1 }, { ICC_IGRPEN1_EL1_ENC, 0 } });
}

// IHI0069H 12.4.7: ICH_LR<n>_EL2 64-bit layout: State [63:62], HW [61], Group [60], Priority
// [55:48] (implemented virtual bits), pINTID [44:32] with HW=1, EOI [41] with HW=0, vINTID [31:0]
// (16 bits implemented): values round-trip.
TEST(GicV3Ich, LrSixtyFourBitLayoutRoundTrip_IHI0069H_12_4_7)
{
    Gic g(GIC_V3);
    const uint64_t hw = 1ull << 62 | 1ull << 61 | 1ull << 60 | 0xa0ull << 48 | 0x1234ull << 32 | 0x1234;
    const uint64_t sw = 2ull << 62 | 0x58ull << 48 | 1ull << 41 | 0xffff;
    const uint64_t pa = 3ull << 62 | 1ull << 60 | 0x08ull << 48 | 27;
    const uint64_t prio_ff = 1ull << 62 | 0xffull << 48 | 40;
    // Priority keeps only the implemented virtual priority bits (5: 0xf8).
    expect_write_read(g, GIC_FRAME_SYSREG,
                      { { ICH_LR(0), hw, hw },
                        { ICH_LR(1), sw, sw },
                        { ICH_LR(3), pa, pa },
                        { ICH_LR(2), prio_ff, 1ull << 62 | 0xf8ull << 48 | 40 } });
    Gic w(GIC_V3, 1, [](gic_config *c) {
        c->vprio_bits = 8;
        c->vpre_bits = 7;
    });
    expect_write_read(w, GIC_FRAME_SYSREG, { { ICH_LR(2), prio_ff, prio_ff } });
    // The hypervisor view and the trace format agree: LR reset 0.
    EXPECT_EQ(w.icc(ICH_LR(0)), 0u);
}

// IHI0069H 12.4.7: ICH_LR<n>_EL2 with n > ICH_VTR_EL2.ListRegs is UNDEFINED.
TEST(GicV3Ich, LrBeyondListRegsUndefined_IHI0069H_12_4_7)
{
    Gic g(GIC_V3);
    expect_access_status(g, GIC_OK, { { GIC_FRAME_SYSREG, ICH_LR(3), 8 } });
    expect_access_status(g, GIC_E_UNDEF,
                         { { GIC_FRAME_SYSREG, ICH_LR(4), 8 },
                           { GIC_FRAME_SYSREG, ICH_LR(4), 8, true, 1ull << 62 | 20 },
                           { GIC_FRAME_SYSREG, ICH_LR(15), 8 } });
    EXPECT_EQ(g.icc(ICH_ELRSR_EL2_ENC), 0xfu);
    Gic l16(GIC_V3, 1, [](gic_config *c) { c->num_lrs = 16; });
    expect_write_read(l16, GIC_FRAME_SYSREG, { { ICH_LR(15), 1ull << 62 | 20, 1ull << 62 | 20 } });
    EXPECT_EQ(l16.icc(ICH_ELRSR_EL2_ENC), 0x7fffu);
}

// IHI0069H 12.4.4 / 12.4.5 / 12.4.9 and SEMANTICS A3: ICH_ELRSR_EL2 bit n = LR n empty and not
// requesting an EOI maintenance interrupt; ICH_EISR_EL2 bit n = State 0, HW 0, EOI 1; MISR.EOI;
// all three read-only (MSR UNDEFINED).
TEST(GicV3Ich, ElrsrEisrMisrFromListRegisters_IHI0069H_12_4_5)
{
    Gic g(GIC_V3);
    expect_reads(g, GIC_FRAME_SYSREG, { { ICH_ELRSR_EL2_ENC, 0xf }, { ICH_EISR_EL2_ENC, 0 }, { ICH_MISR_EL2_ENC, 0 } });
    g.icc_w(ICH_LR(0), 1ull << 62 | 32);
    g.icc_w(ICH_LR(1), 1ull << 41 | 33);              // State 0, EOI
    g.icc_w(ICH_LR(2), 1ull << 61 | 1ull << 41 | 34); // HW=1: bit 41 is pINTID, no EOI
    expect_reads(g, GIC_FRAME_SYSREG,
                 { { ICH_ELRSR_EL2_ENC, 0xc }, { ICH_EISR_EL2_ENC, 0x2 }, { ICH_MISR_EL2_ENC, 0x1 } });
    for (uint32_t e : { ICH_ELRSR_EL2_ENC, ICH_EISR_EL2_ENC, ICH_MISR_EL2_ENC })
        EXPECT_EQ(msr(g, e, 0), GIC_E_UNDEF) << std::hex << e;
    EXPECT_EQ(g.icc(ICH_EISR_EL2_ENC), 0x2u);
}

// IHI0069H 12.4.1 / 12.4.2: ICH_AP0R<n>/AP1R<n>_EL2 exist for n=0 with 5 virtual preemption bits,
// n<2 with 6, n<4 with 7; the others are UNDEFINED. They alias ICV_AP0R<n>/AP1R<n>_EL1.
TEST(GicV3Ich, ApRegistersByVirtualPreemptionBits_IHI0069H_12_4_1)
{
    struct {
        void (*tweak)(gic_config *);
        unsigned words;
    } cases[] = { { nullptr, 1 },
                  { [](gic_config *c) {
                       c->vprio_bits = 6;
                       c->vpre_bits = 6;
                   },
                    2 },
                  { [](gic_config *c) {
                       c->vprio_bits = 7;
                       c->vpre_bits = 7;
                   },
                    4 } };
    for (auto &c : cases) {
        Gic g(GIC_V3, 1, c.tweak);
        uint64_t v;
        for (unsigned n = 0; n < 4; n++) {
            int want = n < c.words ? GIC_OK : GIC_E_UNDEF;
            EXPECT_EQ(mrs(g, ICH_AP0R(n), 0, GIC_FRAME_SYSREG, &v), want) << c.words << " " << n;
            EXPECT_EQ(mrs(g, ICH_AP1R(n), 0, GIC_FRAME_SYSREG, &v), want) << c.words << " " << n;
            EXPECT_EQ(mrs(g, ICC_AP0R(n), 0, GIC_FRAME_VSYSREG, &v), want) << "ICV_AP0R" << n;
            EXPECT_EQ(mrs(g, ICC_AP1R(n), 0, GIC_FRAME_VSYSREG, &v), want) << "ICV_AP1R" << n;
        }
        g.icc_w(ICH_AP1R(c.words - 1), 0x4);
        EXPECT_EQ(g.icv(ICC_AP1R(c.words - 1)), 0x4u);
        EXPECT_EQ(g.icv(ICC_AP0R(c.words - 1)), 0u);
        g.icv_w(ICC_AP0R(0), 0x1);
        EXPECT_EQ(g.icc(ICH_AP0R(0)), 0x1u);
        EXPECT_EQ(g.icv(ICC_RPR_EL1_ENC), 0u) << "active priority 0";
    }
}

// IHI0069H 12.4: without list registers (no virtualization) the ICH_* registers are UNDEFINED and
// there is no ICV_* view; the ICC_* registers remain.
TEST(GicV3Ich, NoListRegistersNoIchIcv_IHI0069H_12_4)
{
    Gic g(GIC_V3, 1, [](gic_config *c) { c->num_lrs = 0; });
    uint64_t v;
    for (uint32_t e : { ICH_VTR_EL2_ENC, ICH_HCR_EL2_ENC, ICH_VMCR_EL2_ENC, ICH_LR(0), ICH_AP0R_EL2_ENC })
        EXPECT_EQ(mrs(g, e, 0, GIC_FRAME_SYSREG, &v), GIC_E_UNDEF) << std::hex << e;
    EXPECT_EQ(g.rd_status(GIC_FRAME_VSYSREG, ICC_PMR_EL1_ENC, 8, 0, &v), GIC_E_DECODE);
    EXPECT_EQ(g.icc(ICC_SRE_EL1_ENC), 0x7u);
}

// ======================================================================================
// ICV_* system registers (the guest's view)
// ======================================================================================

// IHI0069H 12.3 reset values with 5 virtual priority bits: ICV_PMR 0, ICV_BPR0 2, ICV_BPR1 3,
// ICV_RPR 0xff, ICV_IAR/HPPIR 1023, ICV_IGRPEN 0; ICV_CTLR_EL1 PRIbits [10:8] = 4, IDbits 0, A3V 1.
TEST(GicV3Icv, ResetValues_IHI0069H_12_3)
{
    Gic g(GIC_V3);
    expect_reads(g, GIC_FRAME_VSYSREG,
                 { { ICC_PMR_EL1_ENC, 0 },
                   { ICC_BPR0_EL1_ENC, 2 },
                   { ICC_BPR1_EL1_ENC, 3 },
                   { ICC_RPR_EL1_ENC, 0xff },
                   { ICC_IAR0_EL1_ENC, 1023 },
                   { ICC_IAR1_EL1_ENC, 1023 },
                   { ICC_HPPIR0_EL1_ENC, 1023 },
                   { ICC_HPPIR1_EL1_ENC, 1023 },
                   { ICC_IGRPEN0_EL1_ENC, 0 },
                   { ICC_IGRPEN1_EL1_ENC, 0 },
                   { ICC_CTLR_EL1_ENC, 4u << 8 | 1u << 11 | 1u << 15, "QEMU virt: 0x8c00" } });
    Gic w(GIC_V3, 1, [](gic_config *c) {
        c->vprio_bits = 7;
        c->vpre_bits = 6;
    });
    expect_reads(
        w, GIC_FRAME_VSYSREG,
        { { ICC_CTLR_EL1_ENC, 6u << 8 | 1u << 11 | 1u << 15 }, { ICC_BPR0_EL1_ENC, 1 }, { ICC_BPR1_EL1_ENC, 2 } });
}

// IHI0069H 12.3.16: ICV_PMR_EL1 implements the virtual priority bits: 0xf8 with 5.
TEST(GicV3Icv, PmrFiveBits0xf8_IHI0069H_12_3_16)
{
    Gic g(GIC_V3);
    expect_write_read(g, GIC_FRAME_VSYSREG, { { ICC_PMR_EL1_ENC, 0xff, 0xf8 } });
    EXPECT_EQ(g.icc(ICC_PMR_EL1_ENC), 0u) << "the physical PMR is separate";
    Gic w(GIC_V3, 1, [](gic_config *c) {
        c->vprio_bits = 6;
        c->vpre_bits = 5;
    });
    expect_write_read(w, GIC_FRAME_VSYSREG, { { ICC_PMR_EL1_ENC, 0xff, 0xfc } });
}

// IHI0069H 12.3.3 / 12.3.4: ICV_BPR0_EL1 minimum 2 and ICV_BPR1_EL1 minimum 3 with 5 virtual
// preemption bits; writes below clamp. With ICV_CTLR_EL1.CBPR, ICV_BPR1 reads ICV_BPR0 + 1 and
// ignores writes.
TEST(GicV3Icv, BprMinimumsClampAndCbpr_IHI0069H_12_3_3)
{
    Gic g(GIC_V3);
    expect_binary_points(g, GIC_FRAME_VSYSREG, ICC_BPR0_EL1_ENC, 2, ICC_BPR1_EL1_ENC, 3, false);
    g.icv_w(ICC_BPR0_EL1_ENC, 4);
    g.icv_w(ICC_BPR1_EL1_ENC, 6);
    expect_steps(g, GIC_FRAME_VSYSREG,
                 { { ICC_CTLR_EL1_ENC, 0x1, ICC_BPR1_EL1_ENC, 5 },
                   { ICC_BPR1_EL1_ENC, 7, ICC_BPR1_EL1_ENC, 5 },
                   { ICC_CTLR_EL1_ENC, 0x0, ICC_BPR1_EL1_ENC, 6 } });
}

// IHI0069H 12.3.5: ICV_CTLR_EL1: CBPR [0] and EOImode [1] writable, the rest read-only.
TEST(GicV3Icv, CtlrWritableBits_IHI0069H_12_3_5)
{
    Gic g(GIC_V3);
    const uint64_t ro = 4u << 8 | 1u << 11 | 1u << 15;
    expect_write_read(g, GIC_FRAME_VSYSREG, { { ICC_CTLR_EL1_ENC, ~0ull, ro | 0x3 } });
    EXPECT_EQ(g.icc(ICC_CTLR_EL1_ENC) & 0x3, 0u) << "the physical ICC_CTLR_EL1 is separate";
    expect_write_read(g, GIC_FRAME_VSYSREG, { { ICC_CTLR_EL1_ENC, 0, ro } });
}

// IHI0069H 12.3: write-only ICV registers read UNDEFINED, read-only ones write UNDEFINED; the
// ICH_* (EL2) and ICC_SGI*R encodings are not part of the virtual view.
TEST(GicV3Icv, AccessTypesAndMissingEncodingsUndefined_IHI0069H_12_3)
{
    Gic g(GIC_V3);
    uint64_t v;
    for (uint32_t e : { ICC_EOIR0_EL1_ENC, ICC_EOIR1_EL1_ENC, ICC_DIR_EL1_ENC })
        EXPECT_EQ(mrs(g, e, 0, GIC_FRAME_VSYSREG, &v), GIC_E_UNDEF) << std::hex << e;
    for (uint32_t e : { ICC_IAR0_EL1_ENC, ICC_IAR1_EL1_ENC, ICC_HPPIR0_EL1_ENC, ICC_HPPIR1_EL1_ENC, ICC_RPR_EL1_ENC })
        EXPECT_EQ(msr(g, e, 0, 0, GIC_FRAME_VSYSREG), GIC_E_UNDEF) << std::hex << e;
    for (uint32_t e : { ICH_VTR_EL2_ENC, ICH_HCR_EL2_ENC, ICH_LR(0) })
        EXPECT_EQ(mrs(g, e, 0, GIC_FRAME_VSYSREG, &v), GIC_E_UNDEF) << std::hex << e;
    EXPECT_EQ(g.rd_status(GIC_FRAME_VSYSREG, ICC_PMR_EL1_ENC, 4, 0, &v), GIC_E_SIZE);
}

// IHI0069H 12.3.13 / 12.4.7: ICV_IAR1_EL1 returns the vINTID of the highest-priority pending Group 1
// LR, marks the LR active and the virtual running priority; ICV_EOIR1 deactivates it (EOImode 0).
TEST(GicV3Icv, Iar1ActivatesListRegister_IHI0069H_12_3_13)
{
    Gic g(GIC_V3);
    open_vcpu(g, 1, ICC_IGRPEN1_EL1_ENC);
    g.icc_w(ICH_LR(1), 1ull << 62 | 1ull << 60 | 0x60ull << 48 | 4000);
    expect_reads(g, GIC_FRAME_VSYSREG,
                 { { ICC_HPPIR1_EL1_ENC, 4000 },
                   { ICC_HPPIR0_EL1_ENC, 1023 },
                   { ICC_IAR0_EL1_ENC, 1023, "Group 1 is not acknowledged through IAR0" },
                   { ICC_IAR1_EL1_ENC, 4000 } });
    EXPECT_EQ(g.icc(ICH_LR(1)) >> 62, 2u);
    EXPECT_EQ(g.icv(ICC_RPR_EL1_ENC), 0x60u);
    EXPECT_EQ(g.icv(ICC_AP1R(0)), 1u << (0x60 >> 3));
    g.icv_w(ICC_EOIR1_EL1_ENC, 4000);
    EXPECT_EQ(g.icc(ICH_LR(1)) >> 62, 0u);
    EXPECT_EQ(g.icv(ICC_RPR_EL1_ENC), 0xffu);
}

// IHI0069H 12.4.6 ICH_HCR_EL2.EOIcount counts a virtual EOIR (EOImode 0) of a vINTID in no list
// register; whether one "that does not clear a bit in the Active Priorities registers" counts is
// CONSTRAINED UNPREDICTABLE (increment, or leave unchanged): gicsim leaves it unchanged, as IHI0048B
// requires on GICv2 and as QEMU does (SEMANTICS A5). ICV_EOIR1_EL1 with nothing active: nothing changes.
TEST(GicV3Icv, Eoir1WithNothingActiveDoesNotIncrementEoicount_IHI0069H_12_4_6)
{
    Gic g(GIC_V3);
    open_vcpu(g, 0x5, ICC_IGRPEN1_EL1_ENC); // En, LRENPIE
    g.icv_w(ICC_EOIR1_EL1_ENC, 0x20);
    g.icv_w(ICC_EOIR1_EL1_ENC, 5000);
    expect_reads(
        g, GIC_FRAME_SYSREG,
        { { ICH_HCR_EL2_ENC, 0x5, "EOIcount stays 0" }, { ICH_MISR_EL2_ENC, 0x0, "no LRENP" }, { ICH_AP1R(0), 0 } });
    EXPECT_EQ(g.icv(ICC_RPR_EL1_ENC), 0xffu);
}

// IHI0069H 12.4.6 (SEMANTICS A5): an ICV_EOIR1_EL1 of a vINTID acknowledged and then removed from the
// list registers clears its ICH_AP1R0_EL2 bit and increments EOIcount once; LRENP follows. A second
// EOIR of it clears nothing and does not count.
TEST(GicV3Icv, Eoir1OfUnlistedActiveVintidCountsOnceAndClearsAp1r_IHI0069H_12_4_6)
{
    Gic g(GIC_V3);
    open_vcpu(g, 0x5, ICC_IGRPEN1_EL1_ENC);
    g.icc_w(ICH_LR(2), 1ull << 62 | 1ull << 60 | 0x60ull << 48 | 4000);
    EXPECT_EQ(g.icv(ICC_IAR1_EL1_ENC), 4000u);
    EXPECT_EQ(g.icc(ICH_AP1R(0)), 1u << (0x60 >> 3));
    g.icc_w(ICH_LR(2), 0); // evicted while active
    g.icv_w(ICC_EOIR1_EL1_ENC, 4000);
    expect_reads(g, GIC_FRAME_SYSREG, { { ICH_HCR_EL2_ENC, 0x08000005, "EOIcount 1" }, { ICH_AP1R(0), 0 } });
    EXPECT_EQ(g.icv(ICC_RPR_EL1_ENC), 0xffu);
    EXPECT_EQ(g.icc(ICH_MISR_EL2_ENC), 0x4u) << "LRENP";
    g.icv_w(ICC_EOIR1_EL1_ENC, 4000);
    EXPECT_EQ(g.icc(ICH_HCR_EL2_ENC), 0x08000005u) << "nothing active any more";
}

// IHI0069H 12.4.6 with virtual Group 0 (ICV_IAR0/EOIR0_EL1, ICH_AP0R0_EL2): ICV_EOIR0 with nothing
// active does not count; while only a Group 0 priority is active an ICV_EOIR1 drops nothing and does
// not count either; the ICV_EOIR0 of the evicted Group 0 interrupt clears its ICH_AP0R_EL2_ENC bit and counts.
TEST(GicV3Icv, Eoir0CountsOnlyWhenItDropsAGroup0Priority_IHI0069H_12_4_6)
{
    Gic g(GIC_V3);
    open_vcpu(g, 0x1, ICC_IGRPEN0_EL1_ENC);
    g.icv_w(ICC_EOIR0_EL1_ENC, 71);
    EXPECT_EQ(g.icc(ICH_HCR_EL2_ENC) >> 27, 0u) << "nothing active";
    g.icc_w(ICH_LR(0), 1ull << 62 | 0x40ull << 48 | 71); // Group 0
    EXPECT_EQ(g.icv(ICC_IAR0_EL1_ENC), 71u);
    EXPECT_EQ(g.icc(ICH_AP0R(0)), 1u << (0x40 >> 3));
    g.icc_w(ICH_LR(0), 0);
    g.icv_w(ICC_EOIR1_EL1_ENC, 71);
    EXPECT_EQ(g.icc(ICH_HCR_EL2_ENC) >> 27, 0u) << "EOIR1 drops no Group 0 priority";
    EXPECT_EQ(g.icc(ICH_AP0R(0)), 1u << (0x40 >> 3));
    g.icv_w(ICC_EOIR0_EL1_ENC, 71);
    EXPECT_EQ(g.icc(ICH_HCR_EL2_ENC) >> 27, 1u);
    EXPECT_EQ(g.icc(ICH_AP0R(0)), 0u);
    EXPECT_EQ(g.icv(ICC_RPR_EL1_ENC), 0xffu);
}

// IHI0069H 12.4.6: with ICV_CTLR_EL1.EOImode 1 an ICV_DIR_EL1 of a vINTID in no list register counts,
// also with nothing active (a DIR drops no priority); the ICV_EOIR1 before it only drops priority.
TEST(GicV3Icv, DirOfUnlistedVintidCountsWithEoimode1_IHI0069H_12_4_6)
{
    Gic g(GIC_V3);
    g.icc_w(ICH_HCR_EL2_ENC, 0x1);
    g.icv_w(ICC_CTLR_EL1_ENC, 0x2);
    g.icv_w(ICC_EOIR1_EL1_ENC, 90);
    EXPECT_EQ(g.icc(ICH_HCR_EL2_ENC) >> 27, 0u);
    g.icv_w(ICC_DIR_EL1_ENC, 90);
    EXPECT_EQ(g.icc(ICH_HCR_EL2_ENC) >> 27, 1u);
}

// ======================================================================================
// Instances
// ======================================================================================

// gic.h: instances are independent; different configurations do not interfere.
TEST(GicV3Instances, DifferentConfigurationsDoNotInterfere_gic_h)
{
    Gic a(GIC_V3, 1, prio4);
    Gic b(GIC_V3, 20, [](gic_config *c) {
        c->num_spis = 64;
        c->num_lrs = 16;
        c->vprio_bits = 8;
        c->vpre_bits = 7;
        c->cpu_prio_bits = 8;
    });
    Gic v2(GIC_V2, 2);
    a.icc_w(ICC_PMR_EL1_ENC, 0xff);
    b.icc_w(ICC_PMR_EL1_ENC, 0xff, 19);
    a.gicd_w(D_IROUTER + 8 * 40, 0x5, 8);
    b.gicd_w(D_IROUTER + 8 * 40, 0x0100000103ull, 8);
    b.icc_w(ICH_LR(15), 1ull << 62 | 0xffull << 48 | 77, 19);
    a.rdb_w(R_WAKER, 0);
    EXPECT_EQ(a.icc(ICC_PMR_EL1_ENC), 0xf0u);
    EXPECT_EQ(b.icc(ICC_PMR_EL1_ENC, 19), 0xffu);
    EXPECT_EQ(b.icc(ICC_PMR_EL1_ENC, 0), 0u);
    EXPECT_EQ(a.gicd(D_IROUTER + 8 * 40, 8), 0x5u);
    EXPECT_EQ(b.gicd(D_IROUTER + 8 * 40, 8), 0x0100000103ull);
    EXPECT_EQ(b.icc(ICH_LR(15), 19), 1ull << 62 | 0xffull << 48 | 77);
    uint64_t v;
    EXPECT_EQ(mrs(a, ICH_LR(15), 0, GIC_FRAME_SYSREG, &v), GIC_E_UNDEF);
    EXPECT_EQ(a.rdb(R_WAKER), 0u);
    EXPECT_EQ(b.rdb(R_WAKER, 0), 0x6u);
    EXPECT_EQ(a.rdb(R_TYPER, 0, 8), 0x10u | kRdLpi);
    EXPECT_EQ(b.rdb(R_TYPER, 19, 8), 0x0103ull << 32 | 19u << 8 | 0x10 | kRdLpi);
    EXPECT_EQ(a.gicd(D_TYPER) & 0x1f, 8u);
    EXPECT_EQ(b.gicd(D_TYPER) & 0x1f, 2u);
    EXPECT_EQ(a.icc(ICC_CTLR_EL1_ENC), 3u << 8 | 1u << 11 | 1u << 15);
    EXPECT_EQ(b.icc(ICC_CTLR_EL1_ENC), 7u << 8 | 1u << 11 | 1u << 15);
    EXPECT_EQ(v2.gicd(D_CTLR), 0u);
    EXPECT_EQ(v2.gicd(D_TYPER), 0x28u);
    gic_destroy(a.g);
    a.g = nullptr;
    EXPECT_EQ(b.icc(ICC_PMR_EL1_ENC, 19), 0xffu) << "destroying one leaves the others";
    EXPECT_EQ(v2.gicd(D_TYPER), 0x28u);
}

// gic.h gic_peek: a debug MRS of ICC_IAR1_EL1 / ICV_IAR1_EL1 does not acknowledge; UNDEFINED
// encodings report GIC_E_UNDEF as the real access does.
TEST(GicV3Icc, PeekHasNoSideEffects_gic_h)
{
    Gic g(GIC_V3);
    open_cpu(g, 0);
    pend_private(g, 2);
    open_vcpu(g, 1, ICC_IGRPEN1_EL1_ENC);
    g.icc_w(ICH_LR(0), 1ull << 62 | 1ull << 60 | 0x20ull << 48 | 99);
    uint64_t v = 0;
    EXPECT_EQ(gic_peek(g.g, GIC_FRAME_SYSREG, 0, ICC_IAR1_EL1_ENC, 8, &v), GIC_OK);
    EXPECT_EQ(v, 2u);
    EXPECT_EQ(gic_peek(g.g, GIC_FRAME_VSYSREG, 0, ICC_IAR1_EL1_ENC, 8, &v), GIC_OK);
    EXPECT_EQ(v, 99u);
    EXPECT_EQ(g.sgi(S_ISACTIVER0), 0u);
    EXPECT_EQ(g.icc(ICH_LR(0)) >> 62, 1u) << "the LR is still pending";
    EXPECT_EQ(gic_peek(g.g, GIC_FRAME_SYSREG, 0, ICC_EOIR1_EL1_ENC, 8, &v), GIC_E_UNDEF);
    EXPECT_EQ(gic_peek(g.g, GIC_FRAME_SYSREG, 0, enc(3, 0, 12, 10, 0), 8, &v), GIC_E_UNDEF);
    EXPECT_EQ(g.icc(ICC_IAR1_EL1_ENC), 2u);
    EXPECT_EQ(g.icv(ICC_IAR1_EL1_ENC), 99u);
    EXPECT_EQ(g.sgi(S_ISACTIVER0), 1u << 2);
    EXPECT_EQ(g.icc(ICH_LR(0)) >> 62, 2u);
}

// QEMU virt's GICv3 (gic_config_default): 8 priority bits in the distributor (GICD_IPRIORITYR) but
// 5 in the CPU interfaces, as QEMU 7.2's ICC_CTLR_EL1.PRIbits = 4 says; so PMR implements 0xf8,
// BPR0/BPR1 have the minimums 2/3, there are 32 group priorities in ICC_AP1R0_EL1 (AP1R1 and up
// UNDEFINED) and IDbits = 1 (24-bit INTIDs): ICC_CTLR_EL1 reads 0x8c00 as on QEMU (IHI0069H
// 12.2.6, 12.2.19, 12.2.4, 12.2.1; docs/real-software.md, replay of a Linux boot).
TEST(GicV3Icc, QemuVirtCpuInterfaceHasFivePriorityBits_IHI0069H_12_2_6)
{
    Gic g(GIC_V3);
    EXPECT_EQ(g.icc(ICC_CTLR_EL1_ENC), 0x8c00u);
    expect_write_read(g, GIC_FRAME_SYSREG,
                      { { ICC_PMR_EL1_ENC, 0xff, 0xf8 }, { ICC_BPR0_EL1_ENC, 0, 2 }, { ICC_BPR1_EL1_ENC, 0, 3 } });
    expect_access_status(g, GIC_OK, { { GIC_FRAME_SYSREG, ICC_AP1R(0), 8 } });
    expect_access_status(g, GIC_E_UNDEF, { { GIC_FRAME_SYSREG, ICC_AP1R(1), 8 } });
    g.gicd_w(D_IPRIORITYR + 40, 0xa5, 1);
    EXPECT_EQ(g.gicd(D_IPRIORITYR + 40, 1), 0xa5u) << "the distributor keeps 8 bits";
    // Acknowledging an interrupt of priority 0xa0 sets active-priority bit 0xa0 >> 3 = 20.
    open_cpu(g, 0);
    pend_private(g, 18, 0xa0);
    EXPECT_EQ(g.icc(ICC_IAR1_EL1_ENC), 18u);
    EXPECT_EQ(g.icc(ICC_RPR_EL1_ENC), 0xa0u);
    EXPECT_EQ(g.icc(ICC_AP1R(0)), 1u << 20);
    g.icc_w(ICC_EOIR1_EL1_ENC, 18);
    EXPECT_EQ(g.icc(ICC_AP1R(0)), 0u);
}
