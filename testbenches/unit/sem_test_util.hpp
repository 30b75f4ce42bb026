// sem_test_util.hpp: one driver for the physical and virtual CPU interfaces on GICv2 (GICD/GICC/GICH/GICV
// MMIO) and GICv3 (GICD/GICR, ICC_*/ICH_* in GIC_FRAME_SYSREG, ICV_* in GIC_FRAME_VSYSREG), used by
// test_semantics_a.cpp and test_kut_scenarios.cpp.
#pragma once
#include "gic_test_util.hpp"

#include <string>
#include <vector>

namespace sem {
using namespace gt;

// One list register, version-neutral (SEMANTICS C). For HW=0, `eoi` is the EOI bit and `cpuid` the
// GICv2 SGI source; for HW=1, `pintid` is the physical INTID.
struct Lr {
    unsigned state = 0, hw = 0, grp = 0, prio = 0;
    uint32_t vintid = 0, pintid = 0;
    bool eoi = false;
    unsigned cpuid = 0;
};

inline uint64_t lr_enc(bool v3, const Lr &l)
{
    if (v3)
        return (uint64_t)l.state << 62 | (uint64_t)l.hw << 61 | (uint64_t)l.grp << 60 |
               (uint64_t)(l.prio & 0xff) << 48 | (l.hw ? (uint64_t)(l.pintid & 0x1fff) << 32 : (uint64_t)l.eoi << 41) |
               l.vintid;
    return (uint64_t)l.hw << 31 | (uint64_t)l.grp << 30 | (uint64_t)l.state << 28 |
           (uint64_t)((l.prio >> 3) & 0x1f) << 23 |
           (l.hw ? (uint64_t)(l.pintid & 0x3ff) << 10 : ((uint64_t)l.eoi << 19 | (uint64_t)(l.cpuid & 7) << 10)) |
           (l.vintid & 0x3ff);
}
inline unsigned lr_state(bool v3, uint64_t v) { return v3 ? (unsigned)(v >> 62) : (unsigned)((v >> 28) & 3); }

// First trace event of `kind` at or after `from` matching the given fields (-1: any); NEVER if none.
inline gic_cycle_t first_ev(const TraceLog &t, unsigned kind, gic_cycle_t from, int64_t intid = -1, int64_t value = -1,
                            int64_t aux = -1)
{
    for (auto &e : t.ev)
        if (e.kind == kind && e.cycle >= from && (intid < 0 || e.intid == (uint32_t)intid) &&
            (value < 0 || e.value == (uint64_t)value) && (aux < 0 || e.aux == (uint64_t)aux))
            return e.cycle;
    return GIC_CYCLE_NEVER;
}
inline std::vector<gic_trace_event> evs(const TraceLog &t, unsigned kind, gic_cycle_t from = 0)
{
    std::vector<gic_trace_event> v;
    for (auto &e : t.ev)
        if (e.kind == kind && e.cycle >= from) v.push_back(e);
    return v;
}

// A GIC and the accessors a hypervisor, its host OS and a guest use, for either version.
// Physical interrupts are Group 0 on GICv2 (GICC_IAR, signalled as IRQ with FIQEn=0) and Group 1
// on GICv3 (ICC_IAR1_EL1). Virtual interrupts (vgrp()) are Group 0 on GICv2 (GICV_IAR) and Group 1
// on GICv3 (ICV_IAR1_EL1), so that both are acknowledged by the plain IAR of the guest.
class Rig {
public:
    explicit Rig(bool v3_, unsigned cpus = 1, void (*tweak)(gic_config *) = nullptr)
        : g(v3_ ? GIC_V3 : GIC_V2, cpus, tweak), v3(v3_)
    {}
    Gic g;
    const bool v3;

    const gic_timing &tm() const { return gic_get_config(g.g)->timing; }
    gic_cycle_t now() const { return gic_now(g.g); }
    static std::string name(bool v3) { return v3 ? "V3" : "V2"; }

    // A write through the port; returns its effect cycle E (timing.md 4.1), then settles.
    gic_cycle_t write_e(gic_frame f, uint32_t off, uint64_t v, unsigned cpu = 0)
    {
        unsigned size = (f == GIC_FRAME_SYSREG || f == GIC_FRAME_VSYSREG) ? 8 : 4;
        gt::Access a{ (uint8_t)f, 1, (uint8_t)size, (uint16_t)cpu, off, v };
        gic_response r{};
        EXPECT_EQ(gic_access(g.g, &a, &r), GIC_OK);
        EXPECT_EQ(r.status, GIC_OK) << "frame " << f << " off 0x" << std::hex << off;
        EXPECT_EQ(r.effect, r.issue + tm().req);
        g.settle();
        return r.effect;
    }

    // ---------------- physical distributor / redistributor ----------------
    void dist_open()
    {
        if (v3) {
            g.gicd_w(0x000, 0x2); // EnableGrp1 (ARE=1, DS=1)
            for (unsigned n = 1; n < 9; n++) g.gicd_w(0x080 + 4 * n, 0xffffffff);
        } else {
            g.gicd_w(0x000, 0x1);
        }
    }
    // The registers of the physical (virt false: ICC_* / GICC) or virtual (ICV_* / GICV) CPU interface:
    // the GICv3 system register `e`, or the GICv2 offset `off`.
    gic_frame if_sys(bool virt) const { return virt ? GIC_FRAME_VSYSREG : GIC_FRAME_SYSREG; }
    gic_frame if_mmio(bool virt) const { return virt ? GIC_FRAME_GICV : GIC_FRAME_GICC; }
    uint64_t if_rd(bool virt, uint32_t e, uint32_t off, unsigned cpu)
    {
        return v3 ? g.rd(if_sys(virt), e, 8, cpu) : g.rd(if_mmio(virt), off, 4, cpu);
    }
    gic_cycle_t if_wr(bool virt, uint32_t e, uint32_t off, uint64_t v, unsigned cpu)
    {
        return v3 ? write_e(if_sys(virt), e, v, cpu) : write_e(if_mmio(virt), off, v, cpu);
    }
    // PMR open, EOImode as given, Group 1 (GICv3) / Group 0 (GICv2) enabled.
    void if_open(bool virt, unsigned cpu, bool eoimode)
    {
        if (v3) {
            g.wr(if_sys(virt), ICC_PMR_EL1_ENC, 0xff, 8, cpu);
            g.wr(if_sys(virt), ICC_CTLR_EL1_ENC, eoimode ? 2 : 0, 8, cpu);
            g.wr(if_sys(virt), ICC_IGRPEN1_EL1_ENC, 1, 8, cpu);
        } else {
            g.wr(if_mmio(virt), 0x004, 0xff, 4, cpu);
            g.wr(if_mmio(virt), 0x000, 0x1 | (eoimode ? 1u << 9 : 0), 4, cpu);
        }
    }
    // The distributor and CPU `cpu`'s physical interface open (cpu_open).
    void host_open(unsigned cpu = 0, bool eoimode = false)
    {
        dist_open();
        cpu_open(cpu, eoimode);
    }
    void cpu_open(unsigned cpu = 0, bool eoimode = false)
    {
        if (v3) {
            g.rdb_w(0x14, 0, cpu);           // GICR_WAKER: awake
            g.sgi_w(0x080, 0xffffffff, cpu); // SGIs/PPIs Group 1
        }
        if_open(false, cpu, eoimode);
    }
    uint32_t bitoff(uint32_t base, uint32_t intid) const { return base + 4 * (intid / 32); }
    bool bit(uint32_t base, uint32_t intid, unsigned cpu = 0)
    {
        if (v3 && intid < 32) return (g.sgi(base, cpu) >> intid) & 1;
        return (g.gicd(bitoff(base, intid), 4, cpu) >> (intid % 32)) & 1;
    }
    void setbit(uint32_t base, uint32_t intid, unsigned cpu = 0)
    {
        if (v3 && intid < 32) g.sgi_w(base, 1u << intid, cpu);
        else g.gicd_w(bitoff(base, intid), 1u << (intid % 32), 4, cpu);
    }
    gic_cycle_t setbit_e(uint32_t base, uint32_t intid, unsigned cpu = 0)
    {
        if (v3 && intid < 32) return write_e(GIC_FRAME_GICR_SGI, base, 1u << intid, cpu);
        return write_e(GIC_FRAME_GICD, bitoff(base, intid), 1u << (intid % 32), cpu);
    }
    void enable(uint32_t intid, unsigned cpu = 0) { setbit(0x100, intid, cpu); }
    void disable(uint32_t intid, unsigned cpu = 0) { setbit(0x180, intid, cpu); }
    void pend(uint32_t intid, unsigned cpu = 0) { setbit(0x200, intid, cpu); }
    void activate(uint32_t intid, unsigned cpu = 0) { setbit(0x300, intid, cpu); }
    bool pending(uint32_t intid, unsigned cpu = 0) { return bit(0x200, intid, cpu); }
    bool active(uint32_t intid, unsigned cpu = 0) { return bit(0x300, intid, cpu); }
    void set_prio(uint32_t intid, uint8_t prio, unsigned cpu = 0)
    {
        if (v3 && intid < 32) g.sgi_w(0x400 + intid, prio, cpu, 1);
        else g.gicd_w(0x400 + intid, prio, 1, cpu);
    }
    // Level-sensitive (false) or edge-triggered (true) for a PPI or SPI.
    void set_edge(uint32_t intid, bool edge, unsigned cpu = 0)
    {
        uint32_t off = 0xc00 + (intid / 16) * 4, b = 2 * (intid % 16) + 1;
        if (v3 && intid < 32) {
            uint64_t v = g.sgi(0xc04, cpu);
            g.sgi_w(0xc04, edge ? v | 1ull << b : v & ~(1ull << b), cpu);
        } else {
            uint64_t v = g.gicd(off, 4, cpu);
            g.gicd_w(off, edge ? v | 1ull << b : v & ~(1ull << b), 4, cpu);
        }
    }

    // ---------------- physical CPU interface (host) ----------------
    uint32_t ack(unsigned cpu = 0) { return (uint32_t)if_rd(false, ICC_IAR1_EL1_ENC, 0x00c, cpu); }
    uint32_t hppir(unsigned cpu = 0) { return (uint32_t)if_rd(false, ICC_HPPIR1_EL1_ENC, 0x018, cpu); }
    gic_cycle_t eoi(uint64_t v, unsigned cpu = 0) { return if_wr(false, ICC_EOIR1_EL1_ENC, 0x010, v, cpu); }
    gic_cycle_t dir(uint64_t v, unsigned cpu = 0) { return if_wr(false, ICC_DIR_EL1_ENC, 0x1000, v, cpu); }
    uint64_t apr(unsigned w = 0, unsigned cpu = 0)
    {
        return v3 ? g.icc(ICC_AP1R_EL1_ENC + w, cpu) : g.gicc(0x0d0 + 4 * w, cpu);
    }
    uint64_t rpr(unsigned cpu = 0) { return v3 ? g.icc(ICC_RPR_EL1_ENC, cpu) : g.gicc(0x014, cpu); }
    void bpr_w(unsigned v, unsigned cpu = 0)
    { // the binary point of the physical group used here
        if (v3) g.icc_w(ICC_BPR1_EL1_ENC, v, cpu);
        else g.gicc_w(0x008, v, cpu);
    }
    bool irq(unsigned cpu = 0) { return g.out(cpu) & GIC_OUT_IRQ; }

    // ---------------- virtual interface control (hypervisor) ----------------
    uint32_t lroff(unsigned n) const { return 0x100 + 4 * n; }
    gic_cycle_t hcr_w(uint32_t v, unsigned cpu = 0)
    {
        return v3 ? write_e(GIC_FRAME_SYSREG, ICH_HCR_EL2_ENC, v, cpu) : write_e(GIC_FRAME_GICH, 0x000, v, cpu);
    }
    uint32_t hcr(unsigned cpu = 0) { return (uint32_t)(v3 ? g.icc(ICH_HCR_EL2_ENC, cpu) : g.gich(0x000, cpu)); }
    uint32_t misr(unsigned cpu = 0) { return (uint32_t)(v3 ? g.icc(ICH_MISR_EL2_ENC, cpu) : g.gich(0x010, cpu)); }
    uint32_t eisr(unsigned cpu = 0) { return (uint32_t)(v3 ? g.icc(ICH_EISR_EL2_ENC, cpu) : g.gich(0x020, cpu)); }
    uint32_t elrsr(unsigned cpu = 0) { return (uint32_t)(v3 ? g.icc(ICH_ELRSR_EL2_ENC, cpu) : g.gich(0x030, cpu)); }
    gic_cycle_t vmcr_w(uint32_t v, unsigned cpu = 0)
    {
        return v3 ? write_e(GIC_FRAME_SYSREG, ICH_VMCR_EL2_ENC, v, cpu) : write_e(GIC_FRAME_GICH, 0x008, v, cpu);
    }
    uint32_t vmcr(unsigned cpu = 0) { return (uint32_t)(v3 ? g.icc(ICH_VMCR_EL2_ENC, cpu) : g.gich(0x008, cpu)); }
    gic_cycle_t lr_w(unsigned n, const Lr &l, unsigned cpu = 0) { return lr_raw_w(n, lr_enc(v3, l), cpu); }
    gic_cycle_t lr_raw_w(unsigned n, uint64_t v, unsigned cpu = 0)
    {
        return v3 ? write_e(GIC_FRAME_SYSREG, ICH_LR(n), v, cpu) : write_e(GIC_FRAME_GICH, lroff(n), v, cpu);
    }
    uint64_t lr(unsigned n, unsigned cpu = 0) { return v3 ? g.icc(ICH_LR(n), cpu) : g.gich(lroff(n), cpu); }
    unsigned lr_st(unsigned n, unsigned cpu = 0) { return lr_state(v3, lr(n, cpu)); }
    uint64_t hapr(unsigned cpu = 0) { return v3 ? g.icc(ICH_AP1R_EL2_ENC, cpu) : g.gich(0x0f0, cpu); }
    // The active priorities of vgrp() as the hypervisor restores them (ICH_AP1R0_EL2 / GICH_APR).
    gic_cycle_t hapr_w(uint32_t v, unsigned cpu = 0)
    {
        return v3 ? write_e(GIC_FRAME_SYSREG, ICH_AP1R_EL2_ENC, v, cpu) : write_e(GIC_FRAME_GICH, 0x0f0, v, cpu);
    }
    uint32_t eoicount(unsigned cpu = 0) { return hcr(cpu) >> 27; }
    // A virtual interrupt in list register form: vINTID `v`, optional pINTID `p` (HW=1).
    Lr vlr(unsigned state, uint32_t v, int64_t p = -1, unsigned prio = 0x80) const
    {
        Lr l;
        l.state = state;
        l.vintid = v;
        l.grp = vgrp();
        l.prio = prio;
        if (p >= 0) {
            l.hw = 1;
            l.pintid = (uint32_t)p;
        }
        return l;
    }

    // ---------------- virtual CPU interface (guest) ----------------
    unsigned vgrp() const { return v3 ? 1 : 0; }
    void guest_open(unsigned cpu = 0, bool veoim = false) { if_open(true, cpu, veoim); }
    // The hypervisor writes ICH_HCR_EL2 / GICH_HCR (`hcr`), then the guest opens its interface.
    void virt_open(uint32_t hcr, unsigned cpu = 0, bool veoim = false)
    {
        hcr_w(hcr, cpu);
        guest_open(cpu, veoim);
    }
    uint32_t vack(unsigned cpu = 0) { return (uint32_t)if_rd(true, ICC_IAR1_EL1_ENC, 0x00c, cpu); }
    uint32_t vhppir(unsigned cpu = 0) { return (uint32_t)if_rd(true, ICC_HPPIR1_EL1_ENC, 0x018, cpu); }
    gic_cycle_t veoi(uint64_t v, unsigned cpu = 0) { return if_wr(true, ICC_EOIR1_EL1_ENC, 0x010, v, cpu); }
    gic_cycle_t vdir(uint64_t v, unsigned cpu = 0) { return if_wr(true, ICC_DIR_EL1_ENC, 0x1000, v, cpu); }
    uint64_t vapr(unsigned cpu = 0) { return if_rd(true, ICC_AP1R_EL1_ENC, 0x0d0, cpu); }
    uint64_t vrpr(unsigned cpu = 0) { return if_rd(true, ICC_RPR_EL1_ENC, 0x014, cpu); }
    bool virq(unsigned cpu = 0) { return g.out(cpu) & GIC_OUT_VIRQ; }
    bool maint(unsigned cpu = 0) { return g.out(cpu) & GIC_OUT_MAINT; }
};

// Physical interrupt `p` enabled and pended; the host acknowledges it (IAR reads exactly `p`) and
// writes its EOI: with EOImode 1 it stays active, with EOImode 0 it is deactivated.
inline void host_take(Rig &r, uint32_t p, unsigned cpu = 0)
{
    r.enable(p, cpu);
    r.pend(p, cpu);
    EXPECT_EQ(r.ack(cpu), p);
    r.eoi(p, cpu);
}

// The usual hardware-mapped setup (SEMANTICS A7, B1): physical SPI `p` is pending, the host
// acknowledges it with EOImode=1 and drops its priority, so it stays active for the guest; the
// hypervisor then lists it as vINTID `v` with HW=1 in LR `n`, and the guest opens its interface.
inline void forward_hw(Rig &r, uint32_t p, uint32_t v, unsigned n = 0, bool veoim = false)
{
    r.dist_open();
    r.cpu_open(0, true);
    r.enable(p);
    r.pend(p);
    EXPECT_EQ(r.ack() & 0x3ff, p);
    r.eoi(p); // priority drop only (EOImode 1)
    EXPECT_TRUE(r.active(p));
    EXPECT_EQ(r.rpr(), 0xffu);
    r.virt_open(1, 0, veoim);
    r.lr_w(n, r.vlr(1, v, p));
}

inline std::string vname(const ::testing::TestParamInfo<bool> &i) { return i.param ? "V3" : "V2"; }

// The base of the suites run on both versions (GetParam(): GICv3).
class VersionTest : public ::testing::TestWithParam<bool> {};
} // namespace sem

// A suite S whose tests run as Gic/S.Name/V2 and Gic/S.Name/V3.
#define SEM_VERSION_SUITE(S)                                                                                           \
    class S : public ::sem::VersionTest {};                                                                            \
    INSTANTIATE_TEST_SUITE_P(Gic, S, ::testing::Bool(), ::sem::vname)

namespace sem {} // namespace sem
