// test_regs_v2.cpp: GICv2 register behaviour (IHI0048B chapters 4 and 5) of the C kernels: reset values,
// read-only and RAZ/WI registers, access sizes, implemented bits, banking, SGI generation.
// Reset values of IMPLEMENTATION DEFINED registers follow gic_config_default() (QEMU virt,
// docs/architecture.md "Configuration", docs/qemu-differences.md); where QEMU departs from the architecture (D1-D10) the
// architecture is followed.
#include "gic_test_util.hpp"

using namespace gt;

namespace {

// GICD offsets (IHI0048B table 4-1).
constexpr uint32_t D_CTLR = 0x000, D_TYPER = 0x004, D_IIDR = 0x008, D_IGROUPR = 0x080, D_ISENABLER = 0x100,
                   D_ICENABLER = 0x180, D_ISPENDR = 0x200, D_ICPENDR = 0x280, D_ISACTIVER = 0x300, D_ICACTIVER = 0x380,
                   D_IPRIORITYR = 0x400, D_ITARGETSR = 0x800, D_ICFGR = 0xc00, D_NSACR = 0xe00, D_SGIR = 0xf00,
                   D_CPENDSGIR = 0xf10, D_SPENDSGIR = 0xf20, D_PIDR4 = 0xfd0, D_PIDR0 = 0xfe0, D_PIDR2 = 0xfe8,
                   D_CIDR0 = 0xff0;
// GICC offsets (IHI0048B table 4-2); GICV uses the same layout (5.4).
constexpr uint32_t C_CTLR = 0x00, C_PMR = 0x04, C_BPR = 0x08, C_IAR = 0x0c, C_EOIR = 0x10, C_RPR = 0x14, C_HPPIR = 0x18,
                   C_ABPR = 0x1c, C_AIAR = 0x20, C_AEOIR = 0x24, C_AHPPIR = 0x28, C_APR0 = 0xd0, C_NSAPR0 = 0xe0,
                   C_IIDR = 0xfc, C_DIR = 0x1000;
// GICH offsets (IHI0048B table 5-1).
constexpr uint32_t H_HCR = 0x000, H_VTR = 0x004, H_VMCR = 0x008, H_MISR = 0x010, H_EISR0 = 0x020, H_EISR1 = 0x024,
                   H_ELRSR0 = 0x030, H_ELRSR1 = 0x034, H_APR = 0x0f0, H_LR0 = 0x100;

// Open the physical path of CPU `cpu` for Group 0 interrupts (GICD and GICC enabled, PMR open).
// `enables` = 3 opens Group 1 as well.
void open_cpu(Gic &g, unsigned cpu = 0, uint32_t enables = 1)
{
    g.gicd_w(D_CTLR, enables, 4, cpu);
    g.gicc_w(C_CTLR, enables, cpu);
    g.gicc_w(C_PMR, 0xff, cpu);
}

// Open the virtual CPU interface: GICH_HCR = `hcr` (En set), GICV_CTLR.EnableGrp0, GICV_PMR = `pmr`.
void open_vcpu(Gic &g, uint32_t hcr, uint32_t pmr)
{
    g.gich_w(H_HCR, hcr);
    g.gicv_w(C_CTLR, 1);
    g.gicv_w(C_PMR, pmr);
}

// Enable SPI `intid` and make it pending through GICD_ISENABLER/ISPENDR.
void enable_and_pend(Gic &g, unsigned intid)
{
    g.gicd_w(D_ISENABLER + 4 * (intid / 32), 1u << intid % 32);
    g.gicd_w(D_ISPENDR + 4 * (intid / 32), 1u << intid % 32);
}

} // namespace

// ======================================================================================
// GICD: identification and reset values
// ======================================================================================

// IHI0048B 4.3.2: ITLinesNumber = N where the GIC implements 32(N+1) INTIDs; CPUNumber = CPUs - 1;
// SecurityExtn = 0 (no Security Extensions). QEMU virt: 0x8 (288 INTIDs, 1 CPU).
TEST(GicV2Dist, TyperReportsItLinesAndCpuNumber_IHI0048B_4_3_2)
{
    Gic g1(GIC_V2);
    EXPECT_EQ(g1.gicd(D_TYPER), 0x8u);
    Gic g4(GIC_V2, 4);
    EXPECT_EQ(g4.gicd(D_TYPER), 0x8u | 3u << 5);
    Gic g8(GIC_V2, 8);
    EXPECT_EQ(g8.gicd(D_TYPER), 0x8u | 7u << 5);
    Gic none(GIC_V2, 1, [](gic_config *c) { c->num_spis = 0; });
    EXPECT_EQ(none.gicd(D_TYPER), 0x0u);
    Gic odd(GIC_V2, 1, [](gic_config *c) { c->num_spis = 40; }); // INTIDs 0..71: three banks
    EXPECT_EQ(odd.gicd(D_TYPER), 0x2u);
    Gic max(GIC_V2, 1, [](gic_config *c) { c->num_spis = 988; }); // INTIDs 0..1019
    EXPECT_EQ(max.gicd(D_TYPER), 31u);
}

// IHI0048B 4.3.3 / 4.3.18: GICD_IIDR 0x43b (Arm); PIDR4..7, PIDR0..3, CIDR0..3 as QEMU virt,
// PIDR2.ArchRev [7:4] = 2 (kvm-unit-tests gic.c "ICPIDR2").
TEST(GicV2Dist, IidrAndIdRegistersResetValues_IHI0048B_4_3_3_and_4_3_18)
{
    Gic g(GIC_V2);
    EXPECT_EQ(g.gicd(D_IIDR), 0x43bu);
    const uint32_t want[12] = { 0x4, 0x0, 0x0, 0x0, 0x90, 0xb4, 0x2b, 0x0, 0xd, 0xf0, 0x5, 0xb1 };
    for (unsigned i = 0; i < 12; i++) EXPECT_EQ(g.gicd(D_PIDR4 + 4 * i), want[i]) << "ID register " << i;
    EXPECT_EQ((g.gicd(D_PIDR2) >> 4) & 0xf, 2u) << "ArchRev";
    Gic other(GIC_V2, 1, [](gic_config *c) { c->dist_iidr = 0x1234543b; });
    EXPECT_EQ(other.gicd(D_IIDR), 0x1234543bu) << "IIDR comes from the configuration";
}

// IHI0048B 4.3.2, 4.3.3, 4.3.18: TYPER, IIDR and the ID registers are read-only: writes ignored
// (kvm-unit-tests gic.c "GICD_TYPER/IIDR/ICPIDR2 read-only").
TEST(GicV2Dist, ReadOnlyIdentificationIgnoresWrites_IHI0048B_4_3_2)
{
    Gic g(GIC_V2, 2);
    uint64_t typer = g.gicd(D_TYPER), iidr = g.gicd(D_IIDR), pidr2 = g.gicd(D_PIDR2), cidr0 = g.gicd(D_CIDR0);
    for (uint64_t v : { 0x0ull, 0xffffffffull, 0x12345678ull }) {
        g.gicd_w(D_TYPER, v);
        g.gicd_w(D_IIDR, v);
        g.gicd_w(D_PIDR2, v);
        g.gicd_w(D_CIDR0, v);
        EXPECT_EQ(g.gicd(D_TYPER), typer);
        EXPECT_EQ(g.gicd(D_IIDR), iidr);
        EXPECT_EQ(g.gicd(D_PIDR2), pidr2);
        EXPECT_EQ(g.gicd(D_CIDR0), cidr0);
    }
}

// IHI0048B 4.3.1: without Security Extensions only EnableGrp0 [0] and EnableGrp1 [1] exist; reset 0.
TEST(GicV2Dist, CtlrWritableBitsAreEnableGrp0AndGrp1_IHI0048B_4_3_1)
{
    Gic g(GIC_V2);
    EXPECT_EQ(g.gicd(D_CTLR), 0u);
    expect_write_read(g, GIC_FRAME_GICD, { { D_CTLR, 0xffffffff, 0x3 }, { D_CTLR, 0x2, 0x2 }, { D_CTLR, 0, 0 } });
}

// IHI0048B 4.3.* reset values: everything disabled, inactive, not pending, priority 0, Group 0,
// SPIs level-sensitive (QEMU virt), except the RAO SGI enables.
TEST(GicV2Dist, ResetValuesOfInterruptState_IHI0048B_4_3)
{
    Gic g(GIC_V2);
    expect_reads(g, GIC_FRAME_GICD, { { D_ISENABLER, 0xffff }, { D_ICENABLER, 0xffff } });
    for (unsigned n = 1; n < 9; n++)
        for (uint32_t base : { D_IGROUPR, D_ISENABLER, D_ISPENDR, D_ISACTIVER })
            EXPECT_EQ(g.gicd(base + 4 * n), 0u) << "reg 0x" << std::hex << base << " + 4 * " << std::dec << n;
    for (unsigned n = 0; n < 72; n++) EXPECT_EQ(g.gicd(D_IPRIORITYR + 4 * n), 0u) << n;
    EXPECT_EQ(g.gicd(D_ICFGR + 4), 0u) << "PPIs reset level-sensitive";
    for (unsigned n = 2; n < 18; n++) EXPECT_EQ(g.gicd(D_ICFGR + 4 * n), 0u) << n;
}

// IHI0048B 4.3.*: gic_reset() returns every register to its reset value.
TEST(GicV2Dist, ResetRestoresResetValues_IHI0048B_4_3)
{
    Gic g(GIC_V2, 2);
    g.gicd_w(D_CTLR, 3);
    g.gicd_w(D_ISENABLER + 4, 0xffffffff);
    g.gicd_w(D_IPRIORITYR + 40, 0x80808080);
    g.gicd_w(D_ITARGETSR + 40, 0x02020202);
    g.gicd_w(D_ICFGR + 8, 0xaaaaaaaa);
    g.gicc_w(C_PMR, 0xf0);
    g.gich_w(H_VMCR, 0xffffffff);
    g.gich_w(H_LR0, 0x10000020);
    gic_reset(g.g);
    g.settle();
    EXPECT_EQ(g.gicd(D_CTLR), 0u);
    EXPECT_EQ(g.gicd(D_ISENABLER + 4), 0u);
    EXPECT_EQ(g.gicd(D_IPRIORITYR + 40), 0u);
    EXPECT_EQ(g.gicd(D_ITARGETSR + 40), 0u);
    EXPECT_EQ(g.gicd(D_ICFGR + 8), 0u);
    EXPECT_EQ(g.gicc(C_PMR), 0u);
    EXPECT_EQ(g.gich(H_VMCR), 0x4c0000u);
    EXPECT_EQ(g.gich(H_LR0), 0u);
    EXPECT_EQ(g.gich(H_ELRSR0), 0xfu);
}

// ======================================================================================
// GICD: enable, pending, active, group
// ======================================================================================

// IHI0048B 4.3.5/4.3.6: SGI enable bits are RAO/WI (the implementation has no SGI disable);
// PPI and SPI enable bits set and clear.
TEST(GicV2Dist, SgiEnablesRaoWiPpiEnablesProgrammable_IHI0048B_4_3_5)
{
    Gic g(GIC_V2);
    expect_steps(g, GIC_FRAME_GICD,
                 { { D_ICENABLER, 0xffffffff, D_ISENABLER, 0xffff, "SGI enables cannot be cleared" },
                   { D_ISENABLER, 0xffff0000, D_ISENABLER, 0xffffffff } });
    EXPECT_EQ(g.gicd(D_ICENABLER), 0xffffffffu) << "ICENABLER reads the enable state too";
    expect_steps(
        g, GIC_FRAME_GICD,
        { { D_ICENABLER, 0x00010000, D_ISENABLER, 0xfffeffff }, { D_ICENABLER, 0xffffffff, D_ISENABLER, 0xffff } });
    // SPIs: write-1-to-set / write-1-to-clear; zeros have no effect.
    g.gicd_w(D_ISENABLER + 4, 0x00000f0f);
    expect_write_read(g, GIC_FRAME_GICD,
                      { { D_ISENABLER + 4, 0x000000f0, 0xfff }, { D_ICENABLER + 4, 0x00000101, 0xefe } });
}

// SEMANTICS D / IHI0048B 4.3.7-4.3.8: the SGI bits of GICD_ISPENDR0/ICPENDR0 are write-ignored
// (SGIs are made pending per source through GICD_SGIR/SPENDSGIR and cleared with CPENDSGIR).
TEST(GicV2Dist, SgiBitsOfIspendr0AndIcpendr0WriteIgnored_IHI0048B_4_3_7)
{
    Gic g(GIC_V2);
    g.gicd_w(D_ISPENDR, 0xffff);
    expect_reads(g, GIC_FRAME_GICD, { { D_ISPENDR, 0 }, { D_SPENDSGIR, 0 } });
    // Pending through SPENDSGIR (source CPU 0), then ICPENDR0 must not clear it.
    g.gicd_w(D_SPENDSGIR, 0x01, 1);
    EXPECT_EQ(g.gicd(D_ISPENDR), 0x1u);
    g.gicd_w(D_ICPENDR, 0xffff);
    expect_reads(g, GIC_FRAME_GICD, { { D_ISPENDR, 0x1 }, { D_ICPENDR, 0x1 } });
    // PPI pending bits are programmable.
    expect_steps(
        g, GIC_FRAME_GICD,
        { { D_ISPENDR, 0x80010000, D_ISPENDR, 0x80010001 }, { D_ICPENDR, 0x80000000, D_ISPENDR, 0x00010001 } });
}

// IHI0048B 4.3.9/4.3.10: the active state of SGIs, PPIs and SPIs is settable and clearable.
TEST(GicV2Dist, ActiveStateSetAndClear_IHI0048B_4_3_9)
{
    Gic g(GIC_V2);
    expect_write_read(g, GIC_FRAME_GICD,
                      { { D_ISACTIVER, 0xffffffff, 0xffffffff }, { D_ICACTIVER, 0x0000ffff, 0xffff0000 } });
    // INTIDs 256 and 287.
    expect_steps(g, GIC_FRAME_GICD,
                 { { D_ISACTIVER + 32, 0x80000001, D_ISACTIVER + 32, 0x80000001 },
                   { D_ICACTIVER + 32, 0x1, D_ISACTIVER + 32, 0x80000000 } });
}

// IHI0048B 4.3.4: without Security Extensions the group bits of every INTID are read/write, reset 0.
TEST(GicV2Dist, IgrouprWritableForEveryIntid_IHI0048B_4_3_4)
{
    Gic g(GIC_V2);
    expect_write_read(g, GIC_FRAME_GICD,
                      { { D_IGROUPR, 0xffffffff, 0xffffffff },
                        { D_IGROUPR + 4, 0x5a5a5a5a, 0x5a5a5a5a },
                        { D_IGROUPR + 4, 0x0, 0x0 } });
}

// IHI0048B 4.3.4-4.3.10 and 4.1.4: bit registers of INTIDs the GIC does not implement are RAZ/WI,
// including the unimplemented top of a partial bank.
TEST(GicV2Dist, BitRegistersBeyondLastIntidRazWi_IHI0048B_4_3_5)
{
    Gic g(GIC_V2);                                             // INTIDs 0..287: register 9 and above are beyond
    Gic p(GIC_V2, 1, [](gic_config *c) { c->num_spis = 40; }); // INTIDs 0..71
    for (uint32_t base : { D_IGROUPR, D_ISENABLER, D_ISPENDR, D_ISACTIVER }) {
        expect_write_read(g, GIC_FRAME_GICD, { { base + 4 * 9, 0xffffffff, 0 }, { base + 4 * 31, 0xffffffff, 0 } });
        expect_write_read(p, GIC_FRAME_GICD, { { base + 8, 0xffffffff, 0xff, "only INTIDs 64..71 exist" } });
    }
}

// ======================================================================================
// GICD: priorities
// ======================================================================================

// IHI0048B 4.3.11: 8 implemented priority bits by default (QEMU virt); byte and word access.
// QEMU virt: writel 0x0800042c 0x01807fff; writeb 0x0800042d 0x12 -> 0x018012ff.
TEST(GicV2Dist, IpriorityrByteAndWordAccess_IHI0048B_4_3_11)
{
    Gic g(GIC_V2);
    g.gicd_w(D_IPRIORITYR + 0x28, 0xff, 1);
    EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x28, 1), 0xffu);
    EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x28), 0xffu) << "byte write changes only its byte";
    g.gicd_w(D_IPRIORITYR + 0x2c, 0x01807fff);
    g.gicd_w(D_IPRIORITYR + 0x2d, 0x12, 1);
    EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x2c), 0x018012ffu);
    for (unsigned b = 0; b < 4; b++)
        EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x2c + b, 1), (0x018012ffu >> (8 * b)) & 0xff) << "byte " << b;
    // SGI/PPI priorities are banked per CPU but written the same way.
    g.gicd_w(D_IPRIORITYR + 0x0, 0xa0b0c0d0);
    EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x0), 0xa0b0c0d0u);
}

// IHI0048B 4.3.11 / kvm-unit-tests gic.c ipriorityr: unimplemented low-order priority bits are
// RAZ/WI; at least 4 bits exist; every field of the register has the same mask.
TEST(GicV2Dist, IpriorityrMasksUnimplementedBits_IHI0048B_4_3_11)
{
    struct {
        void (*tweak)(gic_config *);
        uint8_t mask;
    } cases[] = { { prio4, 0xf0 }, { prio5, 0xf8 }, { prio6, 0xfc }, { prio7, 0xfe }, { nullptr, 0xff } };
    for (auto &c : cases) {
        Gic g(GIC_V2, 1, c.tweak);
        uint32_t m = c.mask * 0x01010101u;
        g.gicd_w(D_IPRIORITYR + 0x20, 0xffffffff); // SPIs 32..35
        EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x20), m) << "mask " << std::hex << +c.mask;
        g.gicd_w(D_IPRIORITYR + 0x10, 0xffffffff); // PPIs 16..19
        EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x10), m);
        g.gicd_w(D_IPRIORITYR + 0x21, 0x5f, 1);
        EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x21, 1), 0x5fu & c.mask);
        EXPECT_GE(__builtin_popcount(c.mask), 4);
    }
}

// IHI0048B 4.3.11 / kvm-unit-tests gic.c ipriorityr: IPRIORITYR beyond the last implemented INTID
// is RAZ/WI, also in the unimplemented fields of a partly implemented register.
TEST(GicV2Dist, IpriorityrBeyondLastIntidRazWi_IHI0048B_4_3_11)
{
    Gic g(GIC_V2); // INTIDs 0..287: IPRIORITYR72 (0x520) is the first beyond
    g.gicd_w(D_IPRIORITYR + 4 * 71, 0xffffffff);
    EXPECT_EQ(g.gicd(D_IPRIORITYR + 4 * 71), 0xffffffffu);
    g.gicd_w(D_IPRIORITYR + 4 * 72, 0xffffffff);
    EXPECT_EQ(g.gicd(D_IPRIORITYR + 4 * 72), 0u);
    g.gicd_w(D_IPRIORITYR + 4 * 72 + 1, 0xff, 1);
    EXPECT_EQ(g.gicd(D_IPRIORITYR + 4 * 72 + 1, 1), 0u);
    g.gicd_w(D_IPRIORITYR + 4 * 254, 0xffffffff); // INTIDs 1016..1019
    EXPECT_EQ(g.gicd(D_IPRIORITYR + 4 * 254), 0u);
    Gic p(GIC_V2, 1, [](gic_config *c) { c->num_spis = 34; }); // INTIDs 0..65
    p.gicd_w(D_IPRIORITYR + 4 * 16, 0xffffffff);               // INTIDs 64..67
    EXPECT_EQ(p.gicd(D_IPRIORITYR + 4 * 16), 0x0000ffffu);
}

// ======================================================================================
// GICD: targets
// ======================================================================================

// IHI0048B 4.3.12: on a uniprocessor GIC every GICD_ITARGETSR is RAZ/WI (QEMU virt 1 CPU: 0x0).
TEST(GicV2Dist, ItargetsrRazWiOnUniprocessor_IHI0048B_4_3_12)
{
    Gic g(GIC_V2);
    g.gicd_w(D_ITARGETSR + 0x20, 0x01010101);
    EXPECT_EQ(g.gicd(D_ITARGETSR + 0x20), 0u);
    g.gicd_w(D_ITARGETSR + 0x21, 0x01, 1);
    EXPECT_EQ(g.gicd(D_ITARGETSR + 0x21, 1), 0u);
    EXPECT_EQ(g.gicd(D_ITARGETSR + 0x0), 0u) << "SGI targets RAZ too";
    // Still delivered to the only CPU.
    open_cpu(g);
    enable_and_pend(g, 40);
    EXPECT_EQ(g.gicc(C_IAR), 40u);
}

// IHI0048B 4.3.12 / kvm-unit-tests gic.c itargetsr: target bits of CPUs that are not implemented
// are RAZ/WI; byte access is supported; ITARGETSR0-7 are read-only and return the reading CPU.
TEST(GicV2Dist, ItargetsrAbsentCpuBitsRazWi_IHI0048B_4_3_12)
{
    Gic g(GIC_V2, 3);
    g.gicd_w(D_ITARGETSR + 0x20, 0xffffffff);
    EXPECT_EQ(g.gicd(D_ITARGETSR + 0x20), 0x07070707u);
    g.gicd_w(D_ITARGETSR + 0x21, 0xfa, 1);
    EXPECT_EQ(g.gicd(D_ITARGETSR + 0x20), 0x07070207u);
    EXPECT_EQ(g.gicd(D_ITARGETSR + 0x21, 1), 0x02u);
    // Targets are global, not banked: another CPU reads the same.
    EXPECT_EQ(g.gicd(D_ITARGETSR + 0x20, 4, 2), 0x07070207u);
    // INTIDs 0-31: read-only, each field holds the reading CPU's own bit.
    for (unsigned cpu = 0; cpu < 3; cpu++) {
        g.gicd_w(D_ITARGETSR + 0x0, 0x07070707, 4, cpu);
        EXPECT_EQ(g.gicd(D_ITARGETSR + 0x0, 4, cpu), 0x01010101u << cpu) << "cpu " << cpu;
        EXPECT_EQ(g.gicd(D_ITARGETSR + 0x1c, 4, cpu), 0x01010101u << cpu) << "cpu " << cpu;
    }
    // Beyond the last INTID: RAZ/WI.
    g.gicd_w(D_ITARGETSR + 4 * 72, 0x01010101);
    EXPECT_EQ(g.gicd(D_ITARGETSR + 4 * 72), 0u);
}

// IHI0048B 4.3.12: an SPI is delivered only to the CPUs in its target list.
TEST(GicV2Dist, ItargetsrSelectsTheCpuOfAnSpi_IHI0048B_4_3_12)
{
    Gic g(GIC_V2, 2);
    open_cpu(g, 0);
    open_cpu(g, 1);
    g.gicd_w(D_ITARGETSR + 40, 0x02, 1); // SPI 40 -> CPU 1
    enable_and_pend(g, 40);
    EXPECT_EQ(g.gicc(C_HPPIR, 0), 1023u);
    EXPECT_EQ(g.gicc(C_IAR, 1), 40u);
}

// ======================================================================================
// GICD: configuration
// ======================================================================================

// IHI0048B 4.3.13: GICD_ICFGR0 (SGIs) is read-only, always edge: 0xaaaaaaaa.
TEST(GicV2Dist, Icfgr0ReadOnlyEdge_IHI0048B_4_3_13)
{
    Gic g(GIC_V2);
    EXPECT_EQ(g.gicd(D_ICFGR), 0xaaaaaaaau);
    expect_write_read(g, GIC_FRAME_GICD, { { D_ICFGR, 0x0, 0xaaaaaaaa }, { D_ICFGR, 0x55555555, 0xaaaaaaaa } });
}

// IHI0048B 4.3.13: PPI (ICFGR1, banked) and SPI trigger modes are programmable through the odd
// bit Int_config[1] of each field; the even bits read as zero.
TEST(GicV2Dist, IcfgrOddBitsProgrammableEvenBitsRaz_IHI0048B_4_3_13)
{
    Gic g(GIC_V2, 2);
    expect_write_read(g, GIC_FRAME_GICD, { { D_ICFGR + 4, 0xffffffff, 0xaaaaaaaa } });
    EXPECT_EQ(g.gicd(D_ICFGR + 4, 4, 1), 0u) << "ICFGR1 is banked per CPU";
    expect_write_read(g, GIC_FRAME_GICD, { { D_ICFGR + 4, 0x00000008, 0x00000008 } });
    for (unsigned n = 2; n < 18; n++)
        expect_write_read(g, GIC_FRAME_GICD, { { D_ICFGR + 4 * n, 0x5555ffff, 0x0000aaaa } });
    // Beyond the last INTID (288 = ICFGR18): RAZ/WI.
    expect_write_read(g, GIC_FRAME_GICD, { { D_ICFGR + 4 * 18, 0xffffffff, 0 } });
    EXPECT_EQ(g.gicd(D_ICFGR + 4 * 2, 4, 1), 0x0000aaaau) << "SPI configuration is global";
}

// IHI0048B 4.3.13 / 1.4.2: an edge-triggered SPI latches pending on a rising edge and stays pending
// when the line falls; a level-sensitive one follows its line.
TEST(GicV2Dist, IcfgrSelectsEdgeOrLevelBehaviour_IHI0048B_4_3_13)
{
    Gic g(GIC_V2);
    g.gicd_w(D_ICFGR + 8, 0x2); // SPI 32 edge, SPI 33 level
    g.spi(32, true);
    g.spi(33, true);
    EXPECT_EQ(g.gicd(D_ISPENDR + 4), 0x3u);
    g.spi(32, false);
    g.spi(33, false);
    EXPECT_EQ(g.gicd(D_ISPENDR + 4), 0x1u);
}

// IHI0048B 4.3.14: GICD_NSACR is RAZ/WI without Security Extensions.
TEST(GicV2Dist, NsacrRazWiWithoutSecurityExtensions_IHI0048B_4_3_14)
{
    Gic g(GIC_V2);
    for (unsigned n : { 0u, 2u, 63u }) {
        g.gicd_w(D_NSACR + 4 * n, 0xffffffff);
        EXPECT_EQ(g.gicd(D_NSACR + 4 * n), 0u) << n;
    }
}

// ======================================================================================
// GICD: access sizes and reserved offsets
// ======================================================================================

// IHI0048B 4.1.4: reserved offsets are RAZ/WI (gicsim: every aligned size; the response flags them).
TEST(GicV2Dist, ReservedOffsetsRazWi_IHI0048B_4_1_4)
{
    Gic g(GIC_V2);
    for (uint32_t off : { 0x00cu, 0x010u, 0x040u, 0x07cu, 0xf04u, 0xf0cu, 0xf30u, 0xfccu, 0xd00u }) {
        gic_response w = access(g, GIC_FRAME_GICD, off, true, 0xffffffff, 4);
        EXPECT_EQ(w.status, GIC_OK) << std::hex << off;
        EXPECT_TRUE(w.reserved) << std::hex << off;
        gic_response r = access(g, GIC_FRAME_GICD, off, false, 0, 4);
        EXPECT_EQ(r.status, GIC_OK);
        EXPECT_TRUE(r.reserved);
        EXPECT_EQ(r.data, 0u) << std::hex << off;
        EXPECT_STREQ(gic_reg_name(g.g, GIC_FRAME_GICD, off, nullptr), "");
    }
    // Implemented registers are not flagged.
    EXPECT_FALSE(access(g, GIC_FRAME_GICD, D_TYPER, false, 0, 4).reserved);
    EXPECT_STREQ(gic_reg_name(g.g, GIC_FRAME_GICD, D_TYPER, nullptr), "GICD_TYPER");
    unsigned idx = 0;
    EXPECT_STREQ(gic_reg_name(g.g, GIC_FRAME_GICD, D_IPRIORITYR + 0x29, &idx), "GICD_IPRIORITYR");
    EXPECT_EQ(idx, 10u);
}

// IHI0048B 4.1.4: byte accesses are allowed only to IPRIORITYR, ITARGETSR, CPENDSGIR and
// SPENDSGIR; other sizes and unaligned accesses are bus errors that change nothing (GIC_E_SIZE).
TEST(GicV2Dist, ByteAccessOnlyWhereAllowed_IHI0048B_4_1_4)
{
    Gic g(GIC_V2, 2);
    // Allowed byte accesses.
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, D_IPRIORITYR + 0x23, 0x40, 1), GIC_OK);
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, D_ITARGETSR + 0x23, 0x02, 1), GIC_OK);
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, D_SPENDSGIR + 0x2, 0x01, 1), GIC_OK);
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, D_CPENDSGIR + 0x2, 0x01, 1), GIC_OK);
    EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x20), 0x40000000u);
    EXPECT_EQ(g.gicd(D_ITARGETSR + 0x20), 0x02000000u);
    // Byte/halfword access to a bitmap register: bus error, state unchanged (QEMU accepts these).
    uint64_t v = 0xdead;
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, D_ISENABLER + 5, 0x1, 1), GIC_E_SIZE);
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, D_ISENABLER + 4, 0xffff, 2), GIC_E_SIZE);
    EXPECT_EQ(g.rd_status(GIC_FRAME_GICD, D_ISENABLER + 4, 1, 0, &v), GIC_E_SIZE);
    EXPECT_EQ(g.gicd(D_ISENABLER + 4), 0u);
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, D_CTLR, 0x3, 1), GIC_E_SIZE);
    EXPECT_EQ(g.gicd(D_CTLR), 0u);
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, D_ICFGR + 8, 0xff, 1), GIC_E_SIZE);
    EXPECT_EQ(g.gicd(D_ICFGR + 8), 0u);
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, D_SGIR, 0x02000001, 2), GIC_E_SIZE);
    EXPECT_EQ(g.gicd(D_ISPENDR), 0u);
    // Halfword to the byte-accessible ones: not allowed either.
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, D_IPRIORITYR + 0x20, 0xffff, 2), GIC_E_SIZE);
    EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x20), 0x40000000u);
    // Unaligned word and 64-bit accesses.
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, D_IPRIORITYR + 0x21, 0xffffffff, 4), GIC_E_SIZE);
    EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x20), 0x40000000u);
    EXPECT_EQ(g.wr_status(GIC_FRAME_GICD, D_IPRIORITYR + 0x20, ~0ull, 8), GIC_E_SIZE);
    EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x20), 0x40000000u);
    EXPECT_EQ(g.rd_status(GIC_FRAME_GICD, D_TYPER, 8, 0, &v), GIC_E_SIZE);
    EXPECT_EQ(g.rd_status(GIC_FRAME_GICD, D_TYPER, 3, 0, &v), GIC_E_SIZE);
    // The ID registers are word-only.
    EXPECT_EQ(g.rd_status(GIC_FRAME_GICD, D_PIDR2, 1, 0, &v), GIC_E_SIZE);
}

// Frames that do not exist in a GICv2: bus error GIC_E_DECODE.
TEST(GicV2Dist, Gicv3FramesAbsent_IHI0048B_4_1)
{
    Gic g(GIC_V2);
    uint64_t v;
    EXPECT_EQ(g.rd_status(GIC_FRAME_GICR_RD, 0x8, 4, 0, &v), GIC_E_DECODE);
    EXPECT_EQ(g.rd_status(GIC_FRAME_GICR_SGI, 0x100, 4, 0, &v), GIC_E_DECODE);
    EXPECT_EQ(g.rd_status(GIC_FRAME_SYSREG, ICC_PMR_EL1_ENC, 8, 0, &v), GIC_E_DECODE);
    EXPECT_EQ(g.rd_status(GIC_FRAME_VSYSREG, ICC_PMR_EL1_ENC, 8, 0, &v), GIC_E_DECODE);
}

// ======================================================================================
// GICD: software-generated interrupts
// ======================================================================================

// IHI0048B 4.3.15: TargetListFilter 0 sends to the CPUs of CPUTargetList (absent CPUs ignored),
// 1 to every CPU but the requester, 2 to the requester only, 3 is reserved (nothing).
TEST(GicV2Dist, SgirTargetListFilter_IHI0048B_4_3_15)
{
    auto pend = [](Gic &g, unsigned cpu) { return (uint32_t)g.gicd(D_ISPENDR, 4, cpu) & 0xffff; };
    {
        Gic g(GIC_V2, 4);
        g.gicd_w(D_SGIR, 0u << 24 | 0x0au << 16 | 3, 4, 0); // list {1,3}, SGI 3, from CPU 0
        EXPECT_EQ(pend(g, 0), 0u);
        EXPECT_EQ(pend(g, 1), 1u << 3);
        EXPECT_EQ(pend(g, 2), 0u);
        EXPECT_EQ(pend(g, 3), 1u << 3);
        EXPECT_EQ(g.gicd(D_SPENDSGIR, 4, 1), 0x01000000u) << "SGI 3 from source CPU 0";
    }
    {
        Gic g(GIC_V2, 4);
        g.gicd_w(D_SGIR, 1u << 24 | 0x01u << 16 | 5, 4, 2); // all but self (list ignored), from CPU 2
        EXPECT_EQ(pend(g, 0), 1u << 5);
        EXPECT_EQ(pend(g, 1), 1u << 5);
        EXPECT_EQ(pend(g, 2), 0u);
        EXPECT_EQ(pend(g, 3), 1u << 5);
        EXPECT_EQ(g.gicd(D_SPENDSGIR + 4, 4, 0), 0x00000400u) << "SGI 5 from source CPU 2";
    }
    {
        Gic g(GIC_V2, 4);
        g.gicd_w(D_SGIR, 2u << 24 | 0x0fu << 16 | 15, 4, 1); // self only, from CPU 1
        EXPECT_EQ(pend(g, 0), 0u);
        EXPECT_EQ(pend(g, 1), 1u << 15);
        EXPECT_EQ(pend(g, 2), 0u);
        EXPECT_EQ(g.gicd(D_SPENDSGIR + 12, 4, 1), 0x02000000u);
    }
    {
        Gic g(GIC_V2, 4);
        g.gicd_w(D_SGIR, 3u << 24 | 0xffu << 16 | 1, 4, 0); // reserved filter
        g.gicd_w(D_SGIR, 0u << 24 | 0xf0u << 16 | 1, 4, 0); // only absent CPUs 4-7
        g.gicd_w(D_SGIR, 0u << 24 | 0x00u << 16 | 1, 4, 0); // empty list
        for (unsigned c = 0; c < 4; c++) EXPECT_EQ(pend(g, c), 0u) << c;
    }
    {
        Gic g(GIC_V2, 1); // all-but-self on a uniprocessor: nobody
        g.gicd_w(D_SGIR, 1u << 24 | 7);
        EXPECT_EQ(pend(g, 0), 0u);
    }
}

// IHI0048B 4.3.15: GICD_SGIR is write-only: reads return 0 and have no effect.
TEST(GicV2Dist, SgirWriteOnlyReadsZero_IHI0048B_4_3_15)
{
    Gic g(GIC_V2);
    g.gicd_w(D_SGIR, 2u << 24 | 4);
    EXPECT_EQ(g.gicd(D_SGIR), 0u);
    EXPECT_EQ(g.gicd(D_ISPENDR), 1u << 4);
}

// IHI0048B 4.3.16/4.3.17: one byte per SGI, one bit per source CPU, banked for the requesting CPU;
// SPENDSGIR adds sources, CPENDSGIR removes them; the SGI is pending while any source remains.
TEST(GicV2Dist, CpendsgirSpendsgirPerSource_IHI0048B_4_3_16)
{
    Gic g(GIC_V2, 3);
    g.gicd_w(D_SPENDSGIR + 0, 0x00050000); // SGI 2 from sources 0 and 2 (on CPU 0)
    g.gicd_w(D_SPENDSGIR + 3, 0x02, 1);    // SGI 3 from source 1
    EXPECT_EQ(g.gicd(D_SPENDSGIR), 0x02050000u);
    EXPECT_EQ(g.gicd(D_CPENDSGIR), 0x02050000u) << "both registers read the state";
    EXPECT_EQ(g.gicd(D_ISPENDR) & 0xffff, 0xcu);
    EXPECT_EQ(g.gicd(D_SPENDSGIR, 4, 1), 0u) << "banked: CPU 1 has nothing pending";
    g.gicd_w(D_CPENDSGIR + 2, 0x01, 1); // remove source 0 of SGI 2
    EXPECT_EQ(g.gicd(D_SPENDSGIR), 0x02040000u);
    EXPECT_EQ(g.gicd(D_ISPENDR) & 0xffff, 0xcu);
    g.gicd_w(D_CPENDSGIR, 0x00040000); // remove source 2 of SGI 2
    EXPECT_EQ(g.gicd(D_ISPENDR) & 0xffff, 0x8u);
    // Source bits of absent CPUs (3..7) are RAZ/WI.
    g.gicd_w(D_SPENDSGIR + 8, 0xff, 1); // SGI 8
    EXPECT_EQ(g.gicd(D_SPENDSGIR + 8, 1), 0x07u);
    // Writing 0 changes nothing (QEMU D7 makes the SGI pending without a source).
    g.gicd_w(D_SPENDSGIR + 12, 0x0, 1);
    g.gicd_w(D_SPENDSGIR + 4, 0x0);
    EXPECT_EQ(g.gicd(D_ISPENDR) & 0xffff, 0x108u);
}

// IHI0048B 4.4.4: GICC_IAR of an SGI carries the source CPU in CPUID [12:10]; acknowledging it
// removes only that source (IHI0048B 3.2.4).
TEST(GicV2Cpu, IarOfSgiNamesSourceCpu_IHI0048B_4_4_4)
{
    Gic g(GIC_V2, 4);
    open_cpu(g, 0);
    g.gicd_w(D_SGIR, 0x01u << 16 | 6, 4, 3); // SGI 6 from CPU 3 to CPU 0
    g.gicd_w(D_SGIR, 0x01u << 16 | 6, 4, 1); // and from CPU 1
    EXPECT_EQ(g.gicd(D_SPENDSGIR + 4) >> 16 & 0xff, 0x0au);
    EXPECT_EQ(g.gicc(C_HPPIR), 1u << 10 | 6);
    EXPECT_EQ(g.gicc(C_IAR), 1u << 10 | 6) << "lowest source first";
    EXPECT_EQ(g.gicd(D_SPENDSGIR + 4) >> 16 & 0xff, 0x08u);
    g.gicc_w(C_EOIR, 1u << 10 | 6);
    EXPECT_EQ(g.gicc(C_IAR), 3u << 10 | 6);
    g.gicc_w(C_EOIR, 3u << 10 | 6);
    EXPECT_EQ(g.gicd(D_ISPENDR) & 0xffff, 0u);
}

// ======================================================================================
// GICC: the physical CPU interface
// ======================================================================================

// IHI0048B 4.4 reset values (QEMU virt): CTLR 0, PMR 0, BPR 0, ABPR 1, RPR 0xff, IAR/HPPIR/AIAR/
// AHPPIR 1023, APR 0, IIDR 0x2043b (ArchVer 2, Arm).
TEST(GicV2Cpu, ResetValues_IHI0048B_4_4)
{
    Gic g(GIC_V2);
    expect_reads(g, GIC_FRAME_GICC,
                 { { C_CTLR, 0 },
                   { C_PMR, 0 },
                   { C_BPR, 0 },
                   { C_ABPR, 1 },
                   { C_RPR, 0xff },
                   { C_IAR, 1023 },
                   { C_HPPIR, 1023 },
                   { C_AIAR, 1023 },
                   { C_AHPPIR, 1023 },
                   { C_APR0, 0 },
                   { C_IIDR, 0x2043b } });
    EXPECT_EQ((g.gicc(C_IIDR) >> 16) & 0xf, 2u) << "Architecture_version";
}

// IHI0048B 4.4.1: without Security Extensions GICC_CTLR has EnableGrp0, EnableGrp1, AckCtl, FIQEn,
// CBPR and EOImode (bit 9); no bypass-disable bits: writable mask 0x21f.
TEST(GicV2Cpu, CtlrWritableBits0x21f_IHI0048B_4_4_1)
{
    Gic g(GIC_V2);
    expect_write_read(
        g, GIC_FRAME_GICC,
        { { C_CTLR, 0x7ff, 0x21f }, { C_CTLR, 0xffffffff, 0x21f }, { C_CTLR, 0x204, 0x204 }, { C_CTLR, 0, 0 } });
}

// IHI0048B 4.4.2: GICC_PMR implements the same priority bits as the distributor; the others RAZ/WI.
TEST(GicV2Cpu, PmrMasksUnimplementedBits_IHI0048B_4_4_2)
{
    for_each_config(
        GIC_V2, { { prio4, 0xf0 }, { prio5, 0xf8 }, { prio6, 0xfc }, { prio7, 0xfe }, { nullptr, 0xff } },
        [](Gic &g, uint64_t mask) { expect_priority_mask(g, GIC_FRAME_GICC, C_PMR, 0xffffffff, mask, 0x37); });
}

// IHI0048B 4.4.3/4.4.8 and 3.3.3: the minimum binary point is 7 - (implemented preemption bits),
// i.e. 0 with 8 priority bits (at most 7 preemption bits), 3 with 4 bits; GICC_ABPR's minimum is one
// more. Writes below the minimum read the minimum; reset is the minimum.
TEST(GicV2Cpu, BprAndAbprMinimumsAndClamping_IHI0048B_4_4_3)
{
    for_each_config(GIC_V2, { { prio4, 3 }, { prio5, 2 }, { prio6, 1 }, { prio7, 0 }, { nullptr, 0 } },
                    [](Gic &g, uint64_t min) {
                        expect_binary_points(g, GIC_FRAME_GICC, C_BPR, (unsigned)min, C_ABPR, (unsigned)min + 1, true);
                        expect_write_read(g, GIC_FRAME_GICC, { { C_BPR, 0xfffffff5, 5, "only Binary_Point [2:0]" } });
                    });
}

// IHI0048B 4.4.4-4.4.11, 4.4.14: IAR, RPR, HPPIR, AIAR, AHPPIR, IIDR are read-only (writes
// ignored); EOIR, AEOIR, DIR are write-only (read 0).
TEST(GicV2Cpu, ReadOnlyAndWriteOnlyRegisters_IHI0048B_4_4)
{
    Gic g(GIC_V2);
    expect_writes_ignored(g, GIC_FRAME_GICC, { C_IAR, C_RPR, C_HPPIR, C_AIAR, C_AHPPIR, C_IIDR }, { 0x12 });
    expect_write_read(g, GIC_FRAME_GICC, { { C_EOIR, 0x3ff, 0 }, { C_AEOIR, 0x3ff, 0 }, { C_DIR, 0x3ff, 0 } });
}

// IHI0048B 4.4.12/4.4.13: GICC_APR0 holds the active priorities (32 bits with 5 or more preemption
// bits); with 7 preemption bits APR0-3 exist; GICC_NSAPRn are RAZ/WI without Security Extensions.
TEST(GicV2Cpu, AprWordsAndNsaprRazWi_IHI0048B_4_4_12)
{
    Gic g(GIC_V2);
    for (unsigned n = 0; n < 4; n++) EXPECT_EQ(g.gicc(C_APR0 + 4 * n), 0u);
    expect_write_read(g, GIC_FRAME_GICC, { { C_NSAPR0, 0xffffffff, 0 }, { C_NSAPR0 + 12, 0xffffffff, 0 } });
    // An acknowledge of priority 0x50 sets the active-priority bit of group priority 0x50 >> 1
    // (7 preemption bits) and RPR shows the priority.
    open_cpu(g);
    g.gicd_w(D_IPRIORITYR + 40, 0x50, 1);
    enable_and_pend(g, 40);
    EXPECT_EQ(g.gicc(C_IAR), 40u);
    EXPECT_EQ(g.gicc(C_RPR), 0x50u);
    EXPECT_EQ(g.gicc(C_APR0 + 4 * 1), 1u << (0x28 - 32));
    g.gicc_w(C_EOIR, 40);
    EXPECT_EQ(g.gicc(C_APR0 + 4), 0u);
    EXPECT_EQ(g.gicc(C_RPR), 0xffu);
    // With 5 preemption bits only GICC_APR0 is implemented (the rest RAZ/WI).
    Gic p5(GIC_V2, 1, prio5);
    expect_write_read(p5, GIC_FRAME_GICC, { { C_APR0 + 4, 0xffffffff, 0 } });
    // With 4 priority bits (16 levels) too: GICC_APR0 only.
    Gic p4(GIC_V2, 1, prio4);
    expect_write_read(p4, GIC_FRAME_GICC, { { C_APR0, 0x8, 0x8 } });
    EXPECT_EQ(p4.gicc(C_RPR), 0x30u) << "bit n <-> group priority n << 4";
    for (unsigned n = 1; n < 4; n++) expect_write_read(p4, GIC_FRAME_GICC, { { C_APR0 + 4 * n, 0xffffffff, 0 } });
    EXPECT_EQ(p4.gicc(C_RPR), 0x30u);
}

// IHI0048B 4.4: the CPU interface registers are banked per CPU.
TEST(GicV2Cpu, RegistersBankedPerCpu_IHI0048B_4_4)
{
    Gic g(GIC_V2, 3);
    g.gicc_w(C_PMR, 0xa0, 1);
    g.gicc_w(C_CTLR, 0x3, 2);
    g.gicc_w(C_BPR, 5, 2);
    expect_banked(g, GIC_FRAME_GICC, C_PMR, { 0, 0xa0, 0 });
    expect_banked(g, GIC_FRAME_GICC, C_CTLR, { 0, 0, 0x3 });
    expect_banked(g, GIC_FRAME_GICC, C_BPR, { 0, 0, 5 });
}

// IHI0048B 4.1.4: the CPU interface registers are word-only; reserved GICC offsets are RAZ/WI.
TEST(GicV2Cpu, WordAccessOnlyAndReservedRazWi_IHI0048B_4_1_4)
{
    Gic g(GIC_V2);
    expect_access_status(g, GIC_E_SIZE,
                         { { GIC_FRAME_GICC, C_PMR, 1, true, 0xff }, { GIC_FRAME_GICC, C_PMR, 2, true, 0xff } });
    EXPECT_EQ(g.gicc(C_PMR), 0u);
    expect_access_status(g, GIC_E_SIZE, { { GIC_FRAME_GICC, C_IIDR, 1 }, { GIC_FRAME_GICC, C_CTLR, 8 } });
    expect_reserved_raz_wi(g, GIC_FRAME_GICC, { 0x2cu, 0x40u, 0xccu, 0xf0u, 0x1004u });
}

// ======================================================================================
// GICH: the virtual interface control
// ======================================================================================

// IHI0048B 5.3.3: GICH_VTR = PRIbits-1 [31:29], PREbits-1 [28:26], ListRegs-1 [5:0]; a GIC-400 /
// QEMU virt reads 0x90000003. Read-only.
TEST(GicV2Hyp, VtrFromConfigurationReadOnly_IHI0048B_5_3_3)
{
    Gic g(GIC_V2);
    EXPECT_EQ(g.gich(H_VTR), 0x90000003u);
    expect_write_read(g, GIC_FRAME_GICH, { { H_VTR, 0, 0x90000003 } });
    Gic l16(GIC_V2, 1, [](gic_config *c) { c->num_lrs = 16; });
    EXPECT_EQ(l16.gich(H_VTR), 0x9000000fu);
    Gic l1(GIC_V2, 1, [](gic_config *c) { c->num_lrs = 1; });
    EXPECT_EQ(l1.gich(H_VTR), 0x90000000u);
}

// IHI0048B 5.3.2: GICH_HCR writable bits En, UIE, LRENPIE, NPIE, VGrp0EIE, VGrp0DIE, VGrp1EIE,
// VGrp1DIE and EOICount [31:27]: mask 0xf80000ff; reset 0.
TEST(GicV2Hyp, HcrWritableBits0xf80000ff_IHI0048B_5_3_2)
{
    Gic g(GIC_V2);
    EXPECT_EQ(g.gich(H_HCR), 0u);
    expect_write_read(g, GIC_FRAME_GICH,
                      { { H_HCR, 0xffffffff, 0xf80000ff },
                        { H_HCR, 0x50000000, 0x50000000, "EOICount is writable" },
                        { H_HCR, 0, 0 } });
}

// IHI0048B 5.3.4: GICH_VMCR reset 0x004c0000 (VMBP = 2, VMABP = 3, the minimums with 5 virtual
// preemption bits); writable bits 0xf8fc021f; VMBP clamps to 2, VMABP to 3.
TEST(GicV2Hyp, VmcrResetWritableBitsAndClamps_IHI0048B_5_3_4)
{
    Gic g(GIC_V2);
    EXPECT_EQ(g.gich(H_VMCR), 0x4c0000u);
    const uint64_t all = 5u << 21 | 6u << 18 | 0x50000000u | 0x200 | 0x11;
    expect_write_read(g, GIC_FRAME_GICH,
                      { { H_VMCR, 0xffffffff, 0xf8fc021f },
                        { H_VMCR, 0, 0x4c0000 },
                        { H_VMCR, 1u << 21 | 2u << 18, 0x4c0000, "VMBP 1, VMABP 2: below the minimums" },
                        { H_VMCR, all, all } });
}

// IHI0048B 5.3.4 / 5.4: GICH_VMCR is the hypervisor's view of GICV_CTLR, GICV_PMR (top 5 bits),
// GICV_BPR and GICV_ABPR: each side sees what the other wrote.
TEST(GicV2Hyp, VmcrAliasesGicvRegisters_IHI0048B_5_3_4)
{
    Gic g(GIC_V2);
    write_all(g, GIC_FRAME_GICV, { { C_CTLR, 0x213 }, { C_PMR, 0xa8 }, { C_BPR, 4 }, { C_ABPR, 6 } });
    EXPECT_EQ(g.gich(H_VMCR), 0xa8u >> 3 << 27 | 4u << 21 | 6u << 18 | 0x213);
    g.gich_w(H_VMCR, 0x18u << 27 | 3u << 21 | 7u << 18 | 0x0c);
    expect_reads(g, GIC_FRAME_GICV, { { C_CTLR, 0x0c }, { C_PMR, 0xc0 }, { C_BPR, 3 }, { C_ABPR, 7 } });
}

// IHI0048B 5.3.9: GICH_LR fields HW [31], Grp1 [30], State [29:28], Priority [27:23],
// PhysicalID/EOI+CPUID [19:10], VirtualID [9:0]; bits [22:20] RAZ/WI: writable mask 0xff8fffff.
TEST(GicV2Hyp, LrWritableBits0xff8fffff_IHI0048B_5_3_9)
{
    Gic g(GIC_V2);
    for (unsigned n = 0; n < 4; n++) {
        EXPECT_EQ(g.gich(H_LR0 + 4 * n), 0u) << "reset " << n;
        expect_write_read(g, GIC_FRAME_GICH, { { H_LR0 + 4 * n, 0xffffffff, 0xff8fffff } });
    }
    // Fields are stored as written (here HW=0 with EOI, CPUID, and bits 18:13 set).
    expect_write_read(g, GIC_FRAME_GICH,
                      { { H_LR0, 0x5007fc25, 0x5007fc25 },
                        { H_LR0 + 4, 0x9000a028, 0x9000a028, "HW=1, pending, pINTID 40, vINTID 40" },
                        { H_LR0 + 8, 0x2a800123, 0x2a800123, "active, priority 0x50" } });
}

// IHI0048B 5.3.9 / QEMU D5: list registers beyond GICH_VTR.ListRegs are RAZ/WI (QEMU keeps an extra
// GICH_LR4); they take no part in interrupt handling.
TEST(GicV2Hyp, LrBeyondListRegsRazWi_IHI0048B_5_3_9)
{
    Gic g(GIC_V2);
    expect_write_read(g, GIC_FRAME_GICH, { { H_LR0 + 4 * 4, 0x10000020, 0 }, { H_LR0 + 4 * 63, 0x10000020, 0 } });
    EXPECT_EQ(g.gich(H_ELRSR0), 0xfu);
    open_vcpu(g, 1, 0xff);
    EXPECT_EQ(g.gicv(C_HPPIR), 1023u) << "the phantom LR4 must not be offered";
    Gic l8(GIC_V2, 1, [](gic_config *c) { c->num_lrs = 8; });
    expect_write_read(l8, GIC_FRAME_GICH,
                      { { H_LR0 + 4 * 7, 0x10000020, 0x10000020 }, { H_LR0 + 4 * 8, 0x10000020, 0 } });
    EXPECT_EQ(l8.gich(H_ELRSR0), 0x7fu);
}

// IHI0048B 5.3.6/5.3.7 and SEMANTICS A3: ELRSR bit n = LR n holds no interrupt (State 0) and does
// not request an EOI maintenance interrupt; EISR bit n = State 0, HW 0, EOI 1. Reset: all LRs
// empty (ELRSR0 = 0xf with 4 LRs), EISR 0; the second words are 0 with up to 32 LRs.
TEST(GicV2Hyp, ElrsrAndEisrFollowTheListRegisters_IHI0048B_5_3_7)
{
    Gic g(GIC_V2);
    expect_reads(g, GIC_FRAME_GICH, { { H_ELRSR0, 0xf }, { H_ELRSR1, 0 }, { H_EISR0, 0 }, { H_EISR1, 0 } });
    g.gich_w(H_LR0 + 0, 0x10000020); // pending
    g.gich_w(H_LR0 + 4, 0x00080021); // State 0, HW 0, EOI 1
    g.gich_w(H_LR0 + 8, 0x80080022); // State 0, HW 1 (bit 19 is pINTID): no EOI request
    EXPECT_EQ(g.gich(H_ELRSR0), 0xcu);
    EXPECT_EQ(g.gich(H_EISR0), 0x2u);
    EXPECT_EQ(g.gich(H_MISR) & 1, 1u) << "MISR.EOI = any EISR bit";
    g.gich_w(H_LR0 + 4, 0);
    EXPECT_EQ(g.gich(H_EISR0), 0u);
    EXPECT_EQ(g.gich(H_ELRSR0), 0xeu);
    EXPECT_EQ(g.gich(H_MISR) & 1, 0u);
}

// IHI0048B 5.3.5-5.3.7: GICH_MISR, EISRn and ELRSRn are read-only.
TEST(GicV2Hyp, MisrEisrElrsrReadOnly_IHI0048B_5_3_5)
{
    Gic g(GIC_V2);
    g.gich_w(H_LR0 + 4, 0x00080021); // EISR bit 1, MISR.EOI
    expect_writes_ignored(g, GIC_FRAME_GICH, { H_MISR, H_EISR0, H_EISR1, H_ELRSR0, H_ELRSR1 }, { 0xffffffff, 0 });
    expect_reads(g, GIC_FRAME_GICH, { { H_MISR, 0x1 }, { H_EISR0, 0x2 }, { H_ELRSR0, 0xd } });
}

// IHI0048B 5.3.5 / SEMANTICS A4: MISR flags: U (UIE and fewer than 2 valid LRs), LRENP (LRENPIE
// and EOICount != 0), NP (NPIE and no pending LR), VGrp0E/D, VGrp1E/D from HCR and VMCR enables.
TEST(GicV2Hyp, MisrFlagsFromHcrVmcrAndLrs_IHI0048B_5_3_5)
{
    Gic g(GIC_V2);
    expect_steps(g, GIC_FRAME_GICH, { { H_HCR, 0x2, H_MISR, 0x2, "UIE, no valid LR" } });
    g.gich_w(H_LR0, 0x10000020);
    expect_steps(g, GIC_FRAME_GICH,
                 { { H_LR0 + 4, 0x10000021, H_MISR, 0x0, "two valid LRs" },
                   { H_HCR, 0x4, H_MISR, 0x0, "LRENPIE, EOICount 0" },
                   { H_HCR, 0x4 | 1u << 27, H_MISR, 0x4 },
                   { H_HCR, 0x8, H_MISR, 0x0, "NPIE with pending LRs" } });
    g.gich_w(H_LR0, 0x20000020); // active
    expect_steps(g, GIC_FRAME_GICH,
                 { { H_LR0 + 4, 0, H_MISR, 0x8 },
                   { H_HCR, 0xf0, H_MISR, 0xa0, "both groups disabled" },
                   { H_VMCR, 0x4c0000 | 0x1, H_MISR, 0x90 },
                   { H_VMCR, 0x4c0000 | 0x2, H_MISR, 0x60 } });
}

// IHI0048B 5.3.8: GICH_APR holds the 32 active-priority bits of the virtual interface (5 preemption
// bits), shared with GICV_APR0; reset 0. GICV_APR1-3 are RAZ/WI with 5 preemption bits.
TEST(GicV2Hyp, AprReadWriteSharedWithGicvApr_IHI0048B_5_3_8)
{
    Gic g(GIC_V2);
    EXPECT_EQ(g.gich(H_APR), 0u);
    expect_write_read(g, GIC_FRAME_GICH, { { H_APR, 0x80000001, 0x80000001 } });
    EXPECT_EQ(g.gicv(C_APR0), 0x80000001u);
    EXPECT_EQ(g.gicv(C_RPR), 0x0u) << "active priority 0";
    g.gicv_w(C_APR0, 0x00000400);
    EXPECT_EQ(g.gich(H_APR), 0x400u);
    EXPECT_EQ(g.gicv(C_RPR), 0x50u) << "bit n <-> group priority n << 3";
    expect_write_read(g, GIC_FRAME_GICV, { { C_APR0 + 4, 0xffffffff, 0 } });
}

// IHI0048B 5.3: GICH is banked per CPU.
TEST(GicV2Hyp, BankedPerCpu_IHI0048B_5_3)
{
    Gic g(GIC_V2, 2);
    g.gich_w(H_LR0, 0x10000020, 1);
    g.gich_w(H_HCR, 0x1, 1);
    g.gich_w(H_VMCR, 0xffffffff, 1);
    expect_reads(g, GIC_FRAME_GICH, { { H_LR0, 0 }, { H_HCR, 0 }, { H_VMCR, 0x4c0000 } });
    expect_banked(g, GIC_FRAME_GICH, H_ELRSR0, { 0xf, 0xe });
}

// IHI0048B 5.3: GICH registers are word-only; reserved offsets RAZ/WI.
TEST(GicV2Hyp, WordAccessOnlyAndReservedRazWi_IHI0048B_5_3)
{
    Gic g(GIC_V2);
    expect_access_status(g, GIC_E_SIZE,
                         { { GIC_FRAME_GICH, H_LR0, 1, true, 0x20 },
                           { GIC_FRAME_GICH, H_HCR, 2, true, 0x1 },
                           { GIC_FRAME_GICH, H_VTR, 8 } });
    expect_reads(g, GIC_FRAME_GICH, { { H_LR0, 0 }, { H_HCR, 0 } });
    expect_reserved_raz_wi(g, GIC_FRAME_GICH, { 0x00cu, 0x014u, 0x028u, 0x040u, 0x0ecu });
}

// IHI0048B 5.1: without virtualization extensions (num_lrs 0) the GICH and GICV frames are absent.
TEST(GicV2Hyp, NoVirtualizationNoGichGicv_IHI0048B_5_1)
{
    Gic g(GIC_V2, 1, [](gic_config *c) { c->num_lrs = 0; });
    expect_access_status(g, GIC_E_DECODE, { { GIC_FRAME_GICH, H_VTR, 4 }, { GIC_FRAME_GICV, C_IIDR, 4 } });
    EXPECT_EQ(g.gicc(C_IIDR), 0x2043bu) << "the physical interface is still there";
}

// ======================================================================================
// GICV: the virtual CPU interface
// ======================================================================================

// IHI0048B 5.4 / 5.3.4: GICV reset values (QEMU virt): CTLR 0, PMR 0, BPR 2, ABPR 3, RPR 0xff,
// IAR/HPPIR 1023, IIDR 0x2043b.
TEST(GicV2Virt, ResetValues_IHI0048B_5_4)
{
    Gic g(GIC_V2);
    expect_reads(g, GIC_FRAME_GICV,
                 { { C_CTLR, 0 },
                   { C_PMR, 0 },
                   { C_BPR, 2 },
                   { C_ABPR, 3 },
                   { C_RPR, 0xff },
                   { C_IAR, 1023 },
                   { C_HPPIR, 1023 },
                   { C_AIAR, 1023 },
                   { C_AHPPIR, 1023 },
                   { C_APR0, 0 },
                   { C_IIDR, 0x2043b } });
}

// IHI0048B 5.4 / 5.3.4: the virtual interface implements 5 priority bits: GICV_PMR reads 0xf8 after
// writing 0xff.
TEST(GicV2Virt, PmrImplementsFivePriorityBits_IHI0048B_5_4)
{
    Gic g(GIC_V2);
    expect_priority_mask(g, GIC_FRAME_GICV, C_PMR, 0xff, 0xf8, 0x57); // 0x57 reads 0x50
}

// IHI0048B 5.4 / 5.3.4 / QEMU D3: with 5 virtual preemption bits GICV_BPR's minimum is 2 and
// GICV_ABPR's is 3 (QEMU clamps GICV_ABPR to 1).
TEST(GicV2Virt, BprMin2AbprMin3_IHI0048B_5_3_4)
{
    Gic g(GIC_V2);
    expect_binary_points(g, GIC_FRAME_GICV, C_BPR, 2, C_ABPR, 3, false);
}

// IHI0048B 5.4 / 4.4.1: GICV_CTLR writable bits EnableGrp0/1, AckCtl, FIQEn, CBPR, EOImode: 0x21f.
TEST(GicV2Virt, CtlrWritableBits0x21f_IHI0048B_5_4)
{
    Gic g(GIC_V2);
    expect_write_read(g, GIC_FRAME_GICV, { { C_CTLR, 0xffffffff, 0x21f }, { C_CTLR, 0x0, 0 } });
}

// IHI0048B 5.4: GICV_IAR/HPPIR/RPR/IIDR read-only; GICV_EOIR/AEOIR/DIR write-only (read 0); the
// frame is word-only.
TEST(GicV2Virt, ReadOnlyWriteOnlyAndSizes_IHI0048B_5_4)
{
    Gic g(GIC_V2);
    expect_writes_ignored(g, GIC_FRAME_GICV, { C_IAR, C_RPR, C_HPPIR, C_AIAR, C_AHPPIR, C_IIDR }, { 0x25 });
    expect_reads(g, GIC_FRAME_GICV, { { C_EOIR, 0 }, { C_AEOIR, 0 }, { C_DIR, 0 } });
    expect_access_status(g, GIC_E_SIZE, { { GIC_FRAME_GICV, C_PMR, 1, true, 0xff } });
    EXPECT_EQ(g.gicv(C_PMR), 0u);
    expect_access_status(g, GIC_E_SIZE, { { GIC_FRAME_GICV, C_IAR, 2 } });
}

// IHI0048B 5.4 / 4.4.4: GICV_IAR of a pending LR returns its vINTID (with the CPUID of an SGI),
// moves the LR to active and raises GICV_RPR to its priority; GICV_APR records it.
TEST(GicV2Virt, IarActivatesListRegister_IHI0048B_5_4)
{
    Gic g(GIC_V2);
    open_vcpu(g, 1, 0xff);
    g.gich_w(H_LR0, 0x1a001c05u); // pending, priority 0xa0 (5 bits 0x14), SGI 5 from CPU 7
    EXPECT_EQ(g.gicv(C_HPPIR), 0x1c05u) << "D4: GICV_HPPIR keeps the CPUID";
    EXPECT_EQ(g.gicv(C_IAR), 0x1c05u);
    EXPECT_EQ(g.gich(H_LR0), 0x2a001c05u);
    EXPECT_EQ(g.gicv(C_RPR), 0xa0u);
    EXPECT_EQ(g.gich(H_APR), 1u << (0xa0 >> 3));
    g.gicv_w(C_EOIR, 0x1c05u);
    EXPECT_EQ(g.gich(H_LR0), 0x0a001c05u) << "deactivated: State 0, other fields kept";
    EXPECT_EQ(g.gich(H_ELRSR0), 0xfu);
    EXPECT_EQ(g.gicv(C_RPR), 0xffu);
}

// IHI0048B 5.3.2 GICH_HCR.EOICount counts the EOIs whose vINTID has no list register, but not an
// EOI that clears no bit of the active priorities register GICH_APR (SEMANTICS A5). GICV_EOIR
// (GICV_CTLR.EOImode 0) with nothing active: no count, nothing changes (QEMU 7.2 answers the same:
// testbenches/qemu_diff/directed/v2/eoicount.qtest).
TEST(GicV2Virt, EoirWithNothingActiveDoesNotIncrementEoiCount_IHI0048B_5_3_2)
{
    Gic g(GIC_V2);
    open_vcpu(g, 0x5, 0xf8); // En, LRENPIE
    g.gicv_w(C_EOIR, 0x20);
    EXPECT_EQ(g.gich(H_HCR), 0x5u) << "EOICount stays 0";
    EXPECT_EQ(g.gich(H_MISR), 0x0u) << "no LRENP";
    EXPECT_EQ(g.gich(H_APR), 0u);
    EXPECT_EQ(g.gicv(C_RPR), 0xffu);
    g.gicv_w(C_EOIR, 0x20);
    g.gicv_w(C_EOIR, 0x1c05); // an SGI's form: likewise
    EXPECT_EQ(g.gich(H_HCR), 0x5u);
}

// IHI0048B 5.3.2 (SEMANTICS A5): a GICV_EOIR of a vINTID the guest acknowledged and the hypervisor
// then removed from the list registers clears its GICH_APR bit and increments EOICount once; the
// maintenance interrupt's LRENP follows. A second EOIR of it clears nothing and does not count.
TEST(GicV2Virt, EoirOfUnlistedActiveVintidCountsOnceAndClearsApr_IHI0048B_5_3_2)
{
    Gic g(GIC_V2);
    open_vcpu(g, 0x5, 0xf8);
    g.gich_w(H_LR0, 0x15000028); // pending, priority 0x50, vINTID 40
    EXPECT_EQ(g.gicv(C_IAR), 0x28u);
    EXPECT_EQ(g.gich(H_APR), 1u << (0x50 >> 3));
    g.gich_w(H_LR0, 0); // evicted while active
    g.gicv_w(C_EOIR, 0x28);
    EXPECT_EQ(g.gich(H_HCR), 0x08000005u) << "EOICount 1";
    EXPECT_EQ(g.gich(H_APR), 0u);
    EXPECT_EQ(g.gicv(C_RPR), 0xffu);
    EXPECT_EQ(g.gich(H_MISR), 0x4u) << "LRENP";
    EXPECT_EQ(g.gich(H_LR0), 0u);
    g.gicv_w(C_EOIR, 0x28);
    EXPECT_EQ(g.gich(H_HCR), 0x08000005u) << "nothing active any more";
}

// ======================================================================================
// Instances
// ======================================================================================

// gic.h: instances are independent; no global state. Two GICv2s with different configurations and
// a GICv3 are driven interleaved.
TEST(GicV2Instances, DifferentConfigurationsDoNotInterfere_gic_h)
{
    Gic a(GIC_V2, 1, prio4);
    Gic b(GIC_V2, 4, [](gic_config *c) {
        c->num_spis = 64;
        c->num_lrs = 8;
        c->dist_iidr = 0x100043b;
    });
    Gic c3(GIC_V3, 2);
    a.gicd_w(D_IPRIORITYR + 0x20, 0xffffffff);
    b.gicd_w(D_IPRIORITYR + 0x20, 0x12345678);
    c3.gicd_w(D_IPRIORITYR + 0x20, 0x9abcdef0);
    a.gicd_w(D_CTLR, 3);
    b.gich_w(H_LR0 + 4 * 7, 0x10000020, 3);
    expect_reads(a, GIC_FRAME_GICD,
                 { { D_IPRIORITYR + 0x20, 0xf0f0f0f0 }, { D_TYPER, 0x8 }, { D_IIDR, 0x43b }, { D_CTLR, 3 } });
    expect_reads(
        b, GIC_FRAME_GICD,
        { { D_IPRIORITYR + 0x20, 0x12345678 }, { D_TYPER, 0x2u | 3u << 5 }, { D_IIDR, 0x100043b }, { D_CTLR, 0 } });
    expect_reads(c3, GIC_FRAME_GICD, { { D_IPRIORITYR + 0x20, 0x9abcdef0 }, { D_CTLR, 0x50 } });
    expect_reads(a, GIC_FRAME_GICH, { { H_VTR, 0x90000003 }, { H_LR0 + 4 * 7, 0 } });
    EXPECT_EQ(b.gich(H_VTR), 0x90000007u);
    EXPECT_EQ(b.gich(H_LR0 + 4 * 7, 3), 0x10000020u);
    EXPECT_EQ(a.gicc(C_BPR), 3u);
    EXPECT_EQ(b.gicc(C_BPR), 0u);
    gic_reset(b.g);
    b.settle();
    EXPECT_EQ(a.gicd(D_IPRIORITYR + 0x20), 0xf0f0f0f0u) << "resetting one leaves the other";
    EXPECT_EQ(b.gicd(D_IPRIORITYR + 0x20), 0u);
}

// ======================================================================================
// Group handling (IHI0048B without Security Extensions)
// ======================================================================================

// IHI0048B 4.3.1 / 4.4.1 / QEMU D6: a Group 0 interrupt is forwarded only while GICD_CTLR.EnableGrp0
// and GICC_CTLR.EnableGrp0 are set; enabling Group 1 alone does not forward it.
TEST(GicV2Cpu, Group0ForwardedOnlyWithGroup0Enabled_IHI0048B_4_3_1)
{
    Gic g(GIC_V2);
    g.gicc_w(C_PMR, 0xff);
    enable_and_pend(g, 40);
    g.gicd_w(D_CTLR, 0x2);
    g.gicc_w(C_CTLR, 0x1);
    EXPECT_EQ(g.gicc(C_IAR), 1023u) << "distributor Group 0 disabled";
    g.gicd_w(D_CTLR, 0x1);
    g.gicc_w(C_CTLR, 0x2);
    EXPECT_EQ(g.gicc(C_IAR), 1023u) << "CPU interface Group 0 disabled";
    g.gicc_w(C_CTLR, 0x1);
    EXPECT_EQ(g.gicc(C_IAR), 40u);
}

// IHI0048B 4.4.4 / 4.4.9 / 4.4.7: with a Group 1 interrupt highest and GICC_CTLR.AckCtl=0, GICC_IAR
// and GICC_HPPIR return 1022 and acknowledge nothing; GICC_AIAR/AHPPIR return the INTID; with
// AckCtl=1 GICC_IAR acknowledges it.
TEST(GicV2Cpu, Group1ThroughIarNeedsAckCtl_IHI0048B_4_4_4)
{
    Gic g(GIC_V2);
    open_cpu(g, 0, 0x3);
    g.gicd_w(D_IGROUPR + 4, 3u << 8); // SPIs 40, 41 Group 1
    g.gicd_w(D_ISENABLER + 4, 3u << 8);
    g.gicd_w(D_ISPENDR + 4, 3u << 8);
    EXPECT_EQ(g.gicc(C_HPPIR), 1022u);
    EXPECT_EQ(g.gicc(C_IAR), 1022u);
    EXPECT_EQ(g.gicd(D_ISACTIVER + 4), 0u) << "1022 acknowledges nothing";
    EXPECT_EQ(g.gicc(C_AHPPIR), 40u);
    EXPECT_EQ(g.gicc(C_AIAR), 40u);
    EXPECT_EQ(g.gicd(D_ISACTIVER + 4), 1u << 8);
    g.gicc_w(C_AEOIR, 40);
    EXPECT_EQ(g.gicd(D_ISACTIVER + 4), 0u);
    g.gicc_w(C_CTLR, 0x7); // AckCtl
    EXPECT_EQ(g.gicc(C_IAR), 41u);
}

// IHI0048B 4.3.4-4.3.11, 4.3.13: the registers of INTIDs 0-31 (IGROUPR0, I[SC]ENABLER0, I[SC]PENDR0,
// I[SC]ACTIVER0, IPRIORITYR0-7, ICFGR1) are banked per CPU; the SPI registers are shared.
TEST(GicV2Dist, PrivateRegistersBankedPerCpu_IHI0048B_4_3)
{
    Gic g(GIC_V2, 3);
    g.gicd_w(D_IGROUPR, 0x00ff00ff, 4, 1);
    g.gicd_w(D_ISENABLER, 0x00030000, 4, 1);
    g.gicd_w(D_ISPENDR, 0x00040000, 4, 1);
    g.gicd_w(D_ISACTIVER, 0x00000010, 4, 1);
    g.gicd_w(D_IPRIORITYR + 0x14, 0x11223344, 4, 1);
    g.gicd_w(D_ICFGR + 4, 0x8, 4, 1);
    g.gicd_w(D_IGROUPR + 4, 0x1, 4, 2);
    for (unsigned c : { 0u, 2u }) {
        EXPECT_EQ(g.gicd(D_IGROUPR, 4, c), 0u) << c;
        EXPECT_EQ(g.gicd(D_ISENABLER, 4, c), 0xffffu) << c;
        EXPECT_EQ(g.gicd(D_ISPENDR, 4, c), 0u) << c;
        EXPECT_EQ(g.gicd(D_ISACTIVER, 4, c), 0u) << c;
        EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x14, 4, c), 0u) << c;
        EXPECT_EQ(g.gicd(D_ICFGR + 4, 4, c), 0u) << c;
    }
    EXPECT_EQ(g.gicd(D_IGROUPR, 4, 1), 0x00ff00ffu);
    EXPECT_EQ(g.gicd(D_ISENABLER, 4, 1), 0x0003ffffu);
    EXPECT_EQ(g.gicd(D_ISPENDR, 4, 1), 0x00040000u);
    EXPECT_EQ(g.gicd(D_ISACTIVER, 4, 1), 0x00000010u);
    EXPECT_EQ(g.gicd(D_IPRIORITYR + 0x14, 4, 1), 0x11223344u);
    EXPECT_EQ(g.gicd(D_ICFGR + 4, 4, 1), 0x8u);
    EXPECT_EQ(g.gicd(D_IGROUPR + 4, 4, 0), 0x1u) << "SPI group shared";
}

// gic.h gic_peek: a debug read returns what a read would return now, with no side effect: peeking
// GICC_IAR does not acknowledge, peeking a write-only register returns 0, statuses are the same.
TEST(GicV2Cpu, PeekHasNoSideEffects_gic_h)
{
    Gic g(GIC_V2);
    open_cpu(g);
    enable_and_pend(g, 40);
    uint64_t v = 0;
    EXPECT_EQ(gic_peek(g.g, GIC_FRAME_GICC, 0, C_IAR, 4, &v), GIC_OK);
    EXPECT_EQ(v, 40u);
    EXPECT_EQ(gic_peek(g.g, GIC_FRAME_GICC, 0, C_IAR, 4, &v), GIC_OK);
    EXPECT_EQ(v, 40u);
    EXPECT_EQ(g.gicd(D_ISACTIVER + 4), 0u);
    EXPECT_EQ(g.gicc(C_RPR), 0xffu);
    EXPECT_EQ(gic_peek(g.g, GIC_FRAME_GICD, 0, D_ISENABLER + 5, 1, &v), GIC_E_SIZE);
    EXPECT_EQ(gic_peek(g.g, GIC_FRAME_GICD, 0, D_SGIR, 4, &v), GIC_OK);
    EXPECT_EQ(v, 0u);
    EXPECT_EQ(gic_peek(g.g, GIC_FRAME_GICR_RD, 0, 0x8, 8, &v), GIC_E_DECODE);
    EXPECT_EQ(g.gicc(C_IAR), 40u) << "the real read acknowledges";
    EXPECT_EQ(g.gicd(D_ISACTIVER + 4), 1u << 8);
}
