// stimulus.cpp: directed scenarios (a small script engine) and the constrained-random generator (architecturally
// defined accesses only: SEMANTICS A5, docs/architecture.md "Architectural choices").
#include "stimulus.h"

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <random>

#include "gicsim/gic.h"
#include "gicsim/gic_regs.h"

namespace rtlb {
namespace {

// An ICH_LR<n>_EL2 value (IHI0069H 12.4.7) from its fields (gicsim/gic_regs.h): State (1 pending, 2 active, 3 both),
// HW with the pINTID, or EOI with HW=0.
constexpr uint64_t ich_lr(unsigned state, bool hw, bool group1, unsigned prio, uint32_t vintid, uint32_t pintid = 0,
                          bool eoi = false)
{
    return GIC_FIELD_VAL(ICH_LR_EL2_STATE, state) | GIC_FIELD_VAL(ICH_LR_EL2_HW, hw) |
           GIC_FIELD_VAL(ICH_LR_EL2_GROUP, group1) | GIC_FIELD_VAL(ICH_LR_EL2_PRIORITY, prio) |
           (hw ? GIC_FIELD_VAL(ICH_LR_EL2_PINTID, pintid) : 0) | GIC_FIELD_VAL(ICH_LR_EL2_EOI, eoi) |
           GIC_FIELD_VAL(ICH_LR_EL2_VINTID, vintid);
}

// A GICH_LR<n> value (IHI0048B 5.3.9) from its fields: State, HW with the PhysicalID, or (HW=0) EOI and an SGI's
// source CPUID; prio is an 8-bit priority of which the top five bits are kept.
constexpr uint32_t gich_lr(unsigned state, bool hw, bool grp1, unsigned prio, uint32_t vid, uint32_t pid = 0,
                           bool eoi = false, unsigned cpuid = 0)
{
    return static_cast<uint32_t>(GIC_FIELD_VAL(GICH_LR_STATE, state) | GIC_FIELD_VAL(GICH_LR_HW, hw) |
                                 GIC_FIELD_VAL(GICH_LR_GRP1, grp1) | GIC_FIELD_VAL(GICH_LR_PRIORITY, prio >> 3) |
                                 (hw ? GIC_FIELD_VAL(GICH_LR_PHYSICALID, pid)
                                     : (GIC_FIELD_VAL(GICH_LR_EOI, eoi) | GIC_FIELD_VAL(GICH_LR_CPUID, cpuid))) |
                                 GIC_FIELD_VAL(GICH_LR_VIRTUALID, vid));
}

// ---------------- script engine for the directed scenarios ----------------
// One register access of the stimulus.
Access make_access(uint8_t frame, bool write, uint8_t size, unsigned cpu, uint32_t off, uint64_t data)
{
    Access a;
    a.frame = frame;
    a.write = write;
    a.size = size;
    a.cpu = static_cast<uint16_t>(cpu);
    a.offset = off;
    a.data = data;
    return a;
}

struct Step {
    enum Kind { WAIT, PIN, ACC, RESET } kind;
    uint64_t wait = 0;
    PinChange pin;
    Access acc;
};

class Script : public Stimulus {
public:
    std::deque<Step> steps;
    uint64_t waiting = 0;
    bool next(uint64_t, CycleStim &s) override
    {
        if (steps.empty() && waiting == 0) return false;
        if (waiting) {
            waiting--;
            return true;
        }
        while (!steps.empty()) {
            Step st = steps.front();
            if (st.kind == Step::WAIT) {
                steps.pop_front();
                if (st.wait > 0) {
                    waiting = st.wait - 1;
                    return true;
                }
            } else if (st.kind == Step::PIN) {
                s.pins.push_back(st.pin);
                steps.pop_front();
            } else if (st.kind == Step::RESET) {
                if (s.has_access || !s.pins.empty()) return true; // a reset cycle has nothing else
                s.reset = true;
                steps.pop_front();
                return true;
            } else {
                if (s.has_access) return true; // one access per cycle
                s.has_access = true;
                s.access = st.acc;
                steps.pop_front();
            }
        }
        return true;
    }
    // builders
    void wait(uint64_t n) { steps.push_back({ Step::WAIT, n, {}, {} }); }
    void reset() { steps.push_back({ Step::RESET, 0, {}, {} }); }
    void acc(uint8_t frame, bool write, uint8_t size, unsigned cpu, uint32_t off, uint64_t data = 0)
    {
        steps.push_back({ Step::ACC, 0, {}, make_access(frame, write, size, cpu, off, data) });
    }
    void gicd_w(uint32_t off, uint32_t v, uint8_t size = 4) { acc(GIC_FRAME_GICD, true, size, 0, off, v); }
    void gicd_r(uint32_t off, uint8_t size = 4) { acc(GIC_FRAME_GICD, false, size, 0, off); }
    void sgi_w(unsigned cpu, uint32_t off, uint32_t v) { acc(GIC_FRAME_GICR_SGI, true, 4, cpu, off, v); }
    void sgi_r(unsigned cpu, uint32_t off) { acc(GIC_FRAME_GICR_SGI, false, 4, cpu, off); }
    void sys_w(unsigned cpu, uint32_t e, uint64_t v) { acc(GIC_FRAME_SYSREG, true, 8, cpu, e, v); }
    void sys_r(unsigned cpu, uint32_t e) { acc(GIC_FRAME_SYSREG, false, 8, cpu, e); }
    void vsys_w(unsigned cpu, uint32_t e, uint64_t v) { acc(GIC_FRAME_VSYSREG, true, 8, cpu, e, v); }
    void vsys_r(unsigned cpu, uint32_t e) { acc(GIC_FRAME_VSYSREG, false, 8, cpu, e); }
    void spi(unsigned intid, bool lvl)
    {
        PinChange p;
        p.intid = intid;
        p.level = lvl;
        steps.push_back({ Step::PIN, 0, p, {} });
    }
    void ppi(unsigned cpu, unsigned intid, bool lvl)
    {
        PinChange p;
        p.ppi = true;
        p.cpu = cpu;
        p.intid = intid;
        p.level = lvl;
        steps.push_back({ Step::PIN, 0, p, {} });
    }
    void init(const StimConfig &c)
    {
        gicd_w(0x0, 0x3);
        for (unsigned k = 0; k < c.cpus; k++) {
            acc(GIC_FRAME_GICR_RD, true, 4, k, 0x14, 0);
            sys_w(k, ICC_PMR_EL1_ENC, 0xff);
            sys_w(k, ICC_IGRPEN0_EL1_ENC, 1);
            sys_w(k, ICC_IGRPEN1_EL1_ENC, 1);
        }
        wait(2);
    }
    // ---- GICv2: the banked distributor (cpu: the accessing CPU) and the memory-mapped CPU interfaces ----
    void d2_w(unsigned cpu, uint32_t off, uint32_t v, uint8_t size = 4)
    {
        acc(GIC_FRAME_GICD, true, size, cpu, off, v);
    }
    void d2_r(unsigned cpu, uint32_t off, uint8_t size = 4) { acc(GIC_FRAME_GICD, false, size, cpu, off); }
    void cc_w(unsigned cpu, uint32_t off, uint32_t v) { acc(GIC_FRAME_GICC, true, 4, cpu, off, v); }
    void cc_r(unsigned cpu, uint32_t off) { acc(GIC_FRAME_GICC, false, 4, cpu, off); }
    void ch_w(unsigned cpu, uint32_t off, uint32_t v) { acc(GIC_FRAME_GICH, true, 4, cpu, off, v); }
    void ch_r(unsigned cpu, uint32_t off) { acc(GIC_FRAME_GICH, false, 4, cpu, off); }
    void cv_w(unsigned cpu, uint32_t off, uint32_t v) { acc(GIC_FRAME_GICV, true, 4, cpu, off, v); }
    void cv_r(unsigned cpu, uint32_t off) { acc(GIC_FRAME_GICV, false, 4, cpu, off); }
    // both groups on in the distributor; each CPU interface open (PMR 0xff) with ctlr (GICC_CTLR)
    void init2(const StimConfig &c, uint32_t ctlr = 0x3)
    {
        gicd_w(GICD_CTLR_OFFSET, 0x3);
        for (unsigned k = 0; k < c.cpus; k++) {
            cc_w(k, GICC_PMR_OFFSET, 0xff);
            cc_w(k, GICC_CTLR_OFFSET, ctlr);
        }
        wait(2);
    }
    // an SPI with priority, group, trigger and GICD_ITARGETSR byte
    void spi_cfg2(unsigned intid, unsigned prio, bool grp1, bool edge, unsigned targets)
    {
        gicd_w(0x400 + intid, prio, 1);
        gicd_w(0x080 + 4 * (intid / 32), grp1 ? (1u << (intid % 32)) : 0);
        gicd_w(0xC00 + 4 * (intid / 16), edge ? (2u << (2 * (intid % 16))) : 0);
        gicd_w(GICD_ITARGETSR_OFFSET + intid, targets, 1);
        gicd_w(0x100 + 4 * (intid / 32), 1u << (intid % 32));
    }
    void spi_cfg(unsigned intid, unsigned prio, bool grp1, bool edge, unsigned cpu)
    {
        gicd_w(0x400 + intid, prio, 1);
        gicd_w(0x080 + 4 * (intid / 32), grp1 ? (1u << (intid % 32)) : 0); // (groups of neighbours: 0)
        gicd_w(0xC00 + 4 * (intid / 16), edge ? (2u << (2 * (intid % 16))) : 0);
        acc(GIC_FRAME_GICD, true, 8, 0, 0x6100 + 8 * (intid - 32), cpu);
        gicd_w(0x100 + 4 * (intid / 32), 1u << (intid % 32));
    }
};

// level SPI: raise, acknowledge, lower, EOI; then an edge SPI as a one-cycle pulse
void scenario_spi(Script &S, const StimConfig &c)
{
    const unsigned c1 = c.cpus > 1 ? 1 : 0; // a second CPU where there is one
    S.init(c);
    S.spi_cfg(37, 0x80, true, false, 0);
    S.spi(37, true);
    for (int i = 0; i < 12; i++) S.sys_r(0, ICC_HPPIR1_EL1_ENC);
    S.sys_r(0, ICC_IAR1_EL1_ENC);
    S.gicd_r(0x204);
    S.gicd_r(0x304);
    S.spi(37, false);
    S.wait(4);
    S.sys_w(0, ICC_EOIR1_EL1_ENC, 37);
    for (int i = 0; i < 8; i++) S.gicd_r(0x304);
    S.spi_cfg(40, 0x20, true, true, c1);
    S.spi(40, true);
    S.spi(40, false); // pulse within one cycle
    S.wait(10);
    S.gicd_r(0x204);
    S.sys_r(c1, ICC_IAR1_EL1_ENC);
    S.sys_r(c1, ICC_RPR_EL1_ENC);
    S.wait(3);
    S.sys_w(c1, ICC_EOIR1_EL1_ENC, 40);
    S.wait(10);
    S.sys_r(c1, ICC_RPR_EL1_ENC);
    S.gicd_r(0x304);
}

// SGIs between CPUs (Group 1 and Group 0), broadcast, to self
void scenario_sgi(Script &S, const StimConfig &c)
{
    const unsigned c1 = c.cpus > 1 ? 1 : 0; // a second CPU where there is one
    S.init(c);
    for (unsigned k = 0; k < c.cpus; k++) {
        S.sgi_w(k, 0x080, 0x0000fff0); // SGIs 4..15 Group 1, 0..3 Group 0
        S.sgi_w(k, 0x100, 0xffff);
        S.acc(GIC_FRAME_GICR_SGI, true, 1, k, 0x400 + 5, 0x40);
    }
    S.sys_w(0, ICC_SGI1R_EL1_ENC, (5ull << 24) | (1u << c1)); // SGI 5 to cpu c1
    S.wait(9);
    S.sys_r(c1, ICC_IAR1_EL1_ENC);
    S.wait(3);
    S.sys_w(c1, ICC_EOIR1_EL1_ENC, 5);
    S.sys_w(c1, ICC_SGI0R_EL1_ENC, (2ull << 24) | 1u); // Group 0 SGI 2 to cpu0: FIQ
    S.wait(9);
    S.sys_r(0, ICC_IAR0_EL1_ENC);
    S.sys_r(0, ICC_IAR1_EL1_ENC);
    S.wait(3);
    S.sys_w(0, ICC_EOIR0_EL1_ENC, 2);
    S.sys_w(0, ICC_SGI1R_EL1_ENC, (6ull << 24) | (1ull << 40)); // broadcast (IRM=1): all but self
    S.sys_w(0, ICC_SGI1R_EL1_ENC, (2ull << 24) | 1u);           // Group 1 register, Group 0 SGI: not pending
    S.wait(10);
    for (unsigned k = 0; k < c.cpus; k++) S.sgi_r(k, 0x200);
    for (unsigned k = 1; k < c.cpus; k++) S.sys_r(k, ICC_IAR1_EL1_ENC);
    S.wait(4);
    for (unsigned k = 1; k < c.cpus; k++) S.sys_w(k, ICC_EOIR1_EL1_ENC, 6);
    S.wait(6);
}

// a higher priority preempts an active one; a lower one waits
void scenario_preempt(Script &S, const StimConfig &c)
{
    S.init(c);
    S.spi_cfg(33, 0xa0, true, true, 0);
    S.spi_cfg(34, 0x40, true, true, 0);
    S.spi_cfg(35, 0xc0, true, true, 0);
    S.gicd_w(0x200 + 4, 1u << 1); // 33 pending
    S.wait(9);
    S.sys_r(0, ICC_IAR1_EL1_ENC);
    S.wait(4);
    S.gicd_w(0x204, 1u << 3); // 35 (lower) pending
    S.wait(9);
    S.sys_r(0, ICC_HPPIR1_EL1_ENC);
    S.gicd_w(0x204, 1u << 2); // 34 (higher) pending
    S.wait(9);
    S.sys_r(0, ICC_IAR1_EL1_ENC);
    S.sys_r(0, ICC_RPR_EL1_ENC);
    S.sys_r(0, ICC_AP1R_EL1_ENC);
    S.wait(3);
    S.sys_w(0, ICC_EOIR1_EL1_ENC, 34);
    S.sys_r(0, ICC_RPR_EL1_ENC);
    S.wait(3);
    S.sys_w(0, ICC_EOIR1_EL1_ENC, 33);
    S.wait(9);
    S.sys_r(0, ICC_IAR1_EL1_ENC);
    S.wait(3);
    S.sys_w(0, ICC_BPR1_EL1_ENC, 7); // binary point 7: no preemption in Group 1
    S.sys_w(0, ICC_EOIR1_EL1_ENC, 35);
    S.wait(8);
}

// SEMANTICS A1/A7: host EOImode 1, HW=1 LR, guest EOI deactivates the pINTID
void scenario_hw_lr(Script &S, const StimConfig &c)
{
    S.init(c);
    S.sys_w(0, ICC_CTLR_EL1_ENC, 2); // EOImode 1
    S.spi_cfg(44, 0x60, true, true, 0);
    S.spi(44, true);
    S.wait(10);
    S.sys_r(0, ICC_IAR1_EL1_ENC);
    S.wait(3);
    S.sys_w(0, ICC_EOIR1_EL1_ENC, 44); // priority drop only
    S.sys_w(0, ICH_HCR_EL2_ENC, 1);
    S.sys_w(0, ICH_VMCR_EL2_ENC, (0xf8ull << 24) | 2);
    S.sys_w(0, ICH_LR_EL2_ENC, ich_lr(1, true, true, 0x80, 44, 44));
    S.wait(4);
    S.vsys_r(0, ICC_HPPIR1_EL1_ENC);
    S.vsys_r(0, ICC_IAR1_EL1_ENC);
    S.sys_r(0, ICH_LR_EL2_ENC);
    S.vsys_r(0, ICC_RPR_EL1_ENC);
    S.vsys_w(0, ICC_EOIR1_EL1_ENC, 44);
    for (int i = 0; i < 8; i++) S.gicd_r(0x304);
    // guest SPEND of a mapped interrupt (SEMANTICS B1): the host makes it active and fills an LR
    S.spi(44, false);
    S.gicd_w(0x304, 1u << 12);
    S.sys_w(0, ICH_LR_EL2_ENC + 1, ich_lr(1, true, true, 0x90, 44, 44));
    S.wait(3);
    S.vsys_r(0, ICC_IAR1_EL1_ENC);
    S.vsys_w(0, ICC_EOIR1_EL1_ENC, 44);
    S.wait(6);
    S.gicd_r(0x304);
    S.sys_r(0, ICH_ELRSR_EL2_ENC);
    S.sys_r(0, ICH_EISR_EL2_ENC);
}

// maintenance interrupt on PPI 25 (NP, U, EOI, LRENP)
void scenario_maint(Script &S, const StimConfig &c)
{
    S.init(c);
    S.sgi_w(0, 0x080, 1u << 25);
    S.sgi_w(0, 0x100, 1u << 25);
    S.sys_w(0, ICH_VMCR_EL2_ENC, (0xf8ull << 24) | 2);
    S.sys_w(0, ICH_LR_EL2_ENC, ich_lr(1, false, true, 0xa0, 70, 0, true));
    S.sys_w(0, ICH_HCR_EL2_ENC, 1 | (1 << 3)); // En, NPIE
    S.wait(3);
    S.vsys_r(0, ICC_IAR1_EL1_ENC); // last pending LR acknowledged: NP
    for (int i = 0; i < 6; i++) S.sys_r(0, ICH_MISR_EL2_ENC);
    S.sgi_r(0, 0x200);
    S.sys_r(0, ICC_IAR1_EL1_ENC);
    S.wait(3);
    S.vsys_w(0, ICC_EOIR1_EL1_ENC, 70); // EOI maintenance (LR EOI bit)
    S.wait(2);
    S.sys_r(0, ICH_EISR_EL2_ENC);
    S.sys_w(0, ICH_LR_EL2_ENC, 0);
    S.sys_w(0, ICC_EOIR1_EL1_ENC, 25);
    S.sys_w(0, ICH_LR_EL2_ENC + 1, ich_lr(1, false, true, 0xb0, 99));
    S.wait(3);
    S.vsys_r(0, ICC_IAR1_EL1_ENC);
    S.sys_w(0, ICH_LR_EL2_ENC + 1, 0);                    // evicted while active: its priority stays active
    S.vsys_w(0, ICC_EOIR1_EL1_ENC, 99);                   // not in any LR, drops a priority: EOIcount (SEMANTICS A5)
    S.sys_w(0, ICH_HCR_EL2_ENC, 1 | (1 << 1) | (1 << 2)); // UIE, LRENPIE
    S.wait(6);
    S.sys_r(0, ICH_HCR_EL2_ENC);
    S.sys_w(0, ICH_HCR_EL2_ENC, 0);
    S.wait(8);
}

// SEMANTICS A5, IHI0069H 12.4.6 ICH_HCR_EL2.EOIcount: a virtual EOI
void scenario_eoi_nothing_active(Script &S, const StimConfig &c)
{
    S.init(c);                                         // of a vINTID in no LR counts only if it drops a priority
    S.sys_w(0, ICH_VMCR_EL2_ENC, (0xf8ull << 24) | 3); // VENG0, VENG1, VEOIM 0
    S.sys_w(0, ICH_HCR_EL2_ENC, 1 | (1 << 2));         // En, LRENPIE
    S.vsys_w(0, ICC_EOIR1_EL1_ENC, 99);                // nothing active: no priority drop, no count
    S.vsys_w(0, ICC_EOIR0_EL1_ENC, 98);
    S.sys_r(0, ICH_HCR_EL2_ENC);
    S.sys_r(0, ICH_MISR_EL2_ENC);
    S.vsys_r(0, ICC_RPR_EL1_ENC);
    // an active priority whose vINTID the hypervisor took out of the LRs: the EOI drops it and counts
    S.sys_w(0, ICH_LR_EL2_ENC, ich_lr(1, false, true, 0x60, 70));
    S.wait(3);
    S.vsys_r(0, ICC_IAR1_EL1_ENC);
    S.sys_w(0, ICH_LR_EL2_ENC, 0);
    S.vsys_r(0, ICC_RPR_EL1_ENC);
    S.vsys_w(0, ICC_EOIR1_EL1_ENC, 70);
    S.sys_r(0, ICH_HCR_EL2_ENC);
    S.sys_r(0, ICH_MISR_EL2_ENC); // LRENP
    S.sys_r(0, ICH_AP1R_EL2_ENC);
    S.vsys_w(0, ICC_EOIR1_EL1_ENC, 70); // again: nothing active any more, no count
    S.sys_r(0, ICH_HCR_EL2_ENC);
    // Group 0: ICV_EOIR1 while only a Group 0 priority is active drops nothing and does not count; EOIR0 does
    S.sys_w(0, ICH_LR_EL2_ENC + 1, ich_lr(1, false, false, 0x40, 71));
    S.wait(3);
    S.vsys_r(0, ICC_IAR0_EL1_ENC);
    S.sys_w(0, ICH_LR_EL2_ENC + 1, 0);
    S.vsys_w(0, ICC_EOIR1_EL1_ENC, 71);
    S.sys_r(0, ICH_HCR_EL2_ENC);
    S.sys_r(0, ICH_AP0R_EL2_ENC);
    S.vsys_w(0, ICC_EOIR0_EL1_ENC, 71);
    S.sys_r(0, ICH_HCR_EL2_ENC);
    S.sys_r(0, ICH_AP0R_EL2_ENC);
    // EOImode 1: an EOI only drops a priority (never counts); a DIR of a vINTID in no LR counts
    S.sys_w(0, ICH_VMCR_EL2_ENC, (0xf8ull << 24) | (1 << 9) | 3);
    S.vsys_w(0, ICC_EOIR1_EL1_ENC, 99);
    S.vsys_w(0, ICC_DIR_EL1_ENC, 99);
    S.sys_r(0, ICH_HCR_EL2_ENC);
    S.sys_w(0, ICH_HCR_EL2_ENC, 1 | (1 << 2)); // the hypervisor has handled the count: LRENP falls
    S.sys_r(0, ICH_MISR_EL2_ENC);
    S.wait(8);
}

// timing.md 4.6: an acknowledge consumes the offer; 4.8: maintenance PPI OR
void scenario_ack_consume(Script &S, const StimConfig &c)
{
    S.init(c);
    S.sys_w(0, ICC_CTLR_EL1_ENC, 2); // EOImode 1: EOIR1 drops the priority only
    S.spi_cfg(45, 0x40, true, true, 0);
    S.spi(45, true);
    S.spi(45, false); // edge: pending, then not pending once active
    S.wait(10);
    S.sys_r(0, ICC_IAR1_EL1_ENC);
    S.sys_w(0, ICC_EOIR1_EL1_ENC, 45); // priority drop before the next HPPI message: no IRQ for 45 again
    for (int i = 0; i < 8; i++) S.sys_r(0, ICC_HPPIR1_EL1_ENC);
    S.sys_r(0, ICC_IAR1_EL1_ENC); // empty offer: 1023
    S.sys_w(0, ICC_DIR_EL1_ENC, 45);
    S.wait(4);
    S.sgi_w(0, 0x100, 1u << c.maint_ppi); // maintenance PPI enabled, driven by its external wire only
    S.ppi(0, c.maint_ppi, true);
    S.wait(10);
    S.sgi_r(0, 0x200);
    S.sys_r(0, ICC_IAR0_EL1_ENC); // Group 0 (reset IGROUPR0): FIQ
    S.ppi(0, c.maint_ppi, false);
    S.wait(3);
    S.sys_w(0, ICC_EOIR0_EL1_ENC, c.maint_ppi);
    S.sys_w(0, ICC_DIR_EL1_ENC, c.maint_ppi);
    S.wait(8);
}

// split priority drop and deactivation, physical and virtual
void scenario_eoimode1_dir(Script &S, const StimConfig &c)
{
    const unsigned c1 = c.cpus > 1 ? 1 : 0; // a second CPU where there is one
    S.init(c);
    S.sys_w(c1, ICC_CTLR_EL1_ENC, 2);
    S.spi_cfg(50, 0x30, true, false, c1);
    S.spi(50, true);
    S.wait(9);
    S.sys_r(c1, ICC_IAR1_EL1_ENC);
    S.spi(50, false);
    S.wait(3);
    S.sys_w(c1, ICC_EOIR1_EL1_ENC, 50);
    S.sys_r(c1, ICC_RPR_EL1_ENC);
    S.gicd_r(0x304);
    S.sys_w(0, ICC_DIR_EL1_ENC, 50); // DIR from another CPU (EOImode 0 there: ignored)
    S.wait(3);
    S.gicd_r(0x304);
    S.sys_w(c1, ICC_DIR_EL1_ENC, 50);
    S.wait(3);
    S.gicd_r(0x304);
    S.sys_w(0, ICH_HCR_EL2_ENC, 1);
    S.sys_w(0, ICH_VMCR_EL2_ENC, (0xf8ull << 24) | (1 << 9) | 1); // VEOIM, VENG0
    S.sys_w(0, ICH_LR_EL2_ENC + 2, ich_lr(1, false, false, 0x50, 81));
    S.wait(4);
    S.vsys_r(0, ICC_IAR0_EL1_ENC);
    S.vsys_w(0, ICC_EOIR0_EL1_ENC, 81);
    S.sys_r(0, ICH_LR_EL2_ENC + 2);
    S.vsys_w(0, ICC_DIR_EL1_ENC, 81);
    S.sys_r(0, ICH_LR_EL2_ENC + 2);
    S.wait(4);
}

// list-register state machine: pending+active, active, pending, invalid
void scenario_lr_states(Script &S, const StimConfig &c)
{
    S.init(c);
    S.sys_w(0, ICH_HCR_EL2_ENC, 1);
    S.sys_w(0, ICH_VMCR_EL2_ENC, (0xf8ull << 24) | 2);
    S.sys_w(0, ICH_LR_EL2_ENC, ich_lr(3, false, true, 0x80, 90));
    S.sys_w(0, ICH_LR_EL2_ENC + 1, ich_lr(2, false, true, 0x40, 91, 0, true));
    S.wait(3);
    S.vsys_r(0, ICC_HPPIR1_EL1_ENC);
    S.vsys_w(0, ICC_EOIR1_EL1_ENC, 90); // pending+active -> pending
    S.sys_r(0, ICH_LR_EL2_ENC);
    S.wait(3);
    S.vsys_r(0, ICC_IAR1_EL1_ENC);
    S.sys_r(0, ICH_LR_EL2_ENC);
    S.vsys_w(0, ICC_EOIR1_EL1_ENC, 90);
    S.vsys_w(0, ICC_EOIR1_EL1_ENC, 91); // active with EOI=1 -> invalid, EISR
    S.sys_r(0, ICH_LR_EL2_ENC);
    S.sys_r(0, ICH_LR_EL2_ENC + 1);
    S.sys_r(0, ICH_EISR_EL2_ENC);
    S.sys_r(0, ICH_ELRSR_EL2_ENC);
    S.sys_r(0, ICH_MISR_EL2_ENC);
    S.wait(4);
}

// ICC_ASGI1R_EL1 with one Security state (timing.md 4.9; IHI0069H 12.2.3)
void scenario_asgi1r(Script &S, const StimConfig &c)
{
    const unsigned c1 = c.cpus > 1 ? 1 : 0; // a second CPU where there is one
    S.init(c);
    for (unsigned k = 0; k < c.cpus; k++) {
        S.sgi_w(k, 0x080, 0x0000ff00); // SGIs 8..15 Group 1, 0..7 Group 0
        S.sgi_w(k, 0x100, 0xffff);
    }
    S.sys_w(0, ICC_ASGI1R_EL1_ENC, (9ull << 24) | (1u << c1)); // Group 1 SGI 9 to cpu c1: pending
    S.sys_w(0, ICC_ASGI1R_EL1_ENC, (3ull << 24) | (1u << c1)); // Group 0 SGI 3: the Group 1 register forwards nothing
    S.sys_w(0, ICC_ASGI1R_EL1_ENC, (10ull << 24) | (1ull << 40));      // IRM=1: every CPU but the sender
    S.sys_w(0, ICC_ASGI1R_EL1_ENC, (11ull << 24) | (1ull << 16) | 1u); // Aff1 = 1: no such CPU
    S.wait(3);
    for (unsigned k = 0; k < c.cpus; k++) S.sgi_r(k, 0x200);
    S.wait(6);
    S.sys_r(c1, ICC_HPPIR1_EL1_ENC);
    S.sys_r(c1, ICC_IAR1_EL1_ENC);
    S.sys_r(c1, ICC_IAR0_EL1_ENC); // SGI 3 was not generated: 1023
    S.wait(3);
    S.sys_w(c1, ICC_EOIR1_EL1_ENC, 9);
    S.wait(10);
    for (unsigned k = 1; k < c.cpus; k++) S.sys_r(k, ICC_IAR1_EL1_ENC); // SGI 10
    S.wait(4);
    for (unsigned k = 1; k < c.cpus; k++) S.sys_w(k, ICC_EOIR1_EL1_ENC, 10);
    for (unsigned k = 0; k < c.cpus; k++) S.sgi_r(k, 0x200);
    S.wait(6);
}

// timing.md 4.10: an IRM=1 SPI is offered to every CPU; the first acknowledge wins
void scenario_one_of_n(Script &S, const StimConfig &c)
{
    const unsigned c1 = c.cpus > 1 ? 1 : 0; // a second CPU where there is one
    S.init(c);                              // (on a GIC without 1-of-N, IRM is RES0: the SPI goes to CPU 0 alone)
    S.gicd_r(0x4);                          // GICD_TYPER.No1N
    S.spi_cfg(48, 0x50, true, false, 0);
    S.acc(GIC_FRAME_GICD, true, 8, 0, 0x6100 + 8 * (48 - 32), (1ull << 31) | c1); // IRM=1 (Aff0 ignored)
    S.acc(GIC_FRAME_GICD, false, 8, 0, 0x6100 + 8 * (48 - 32));
    S.spi(48, true);
    S.wait(10);
    for (unsigned k = 0; k < c.cpus; k++) S.sys_r(k, ICC_HPPIR1_EL1_ENC); // offered to every CPU
    S.sys_r(c.cpus - 1, ICC_IAR1_EL1_ENC); // the last CPU acknowledges first and takes it
    S.sys_r(0, ICC_IAR1_EL1_ENC);          // one cycle later: active now (the withdrawing HPPI is in flight): 1023
    S.spi(48, false);
    S.wait(9);
    for (unsigned k = 0; k < c.cpus; k++) S.sys_r(k, ICC_HPPIR1_EL1_ENC); // withdrawn everywhere
    S.sys_w(c.cpus - 1, ICC_EOIR1_EL1_ENC, 48);
    S.gicd_w(0x204, 1u << 16); // pending again (latch): CPU 0 takes it this time
    S.wait(10);
    S.sys_r(0, ICC_IAR1_EL1_ENC);
    S.wait(3);
    S.sys_w(0, ICC_EOIR1_EL1_ENC, 48);
    S.acc(GIC_FRAME_GICR_RD, true, 4, c1, 0x14, 2); // CPU c1 asleep: offers nothing (timing.md 4.4)
    S.gicd_w(0x204, 1u << 16);
    S.wait(10);
    for (unsigned k = 0; k < c.cpus; k++) S.sys_r(k, ICC_HPPIR1_EL1_ENC);
    S.acc(GIC_FRAME_GICD, true, 8, 0, 0x6100 + 8 * (48 - 32), c1); // back to targeted routing
    S.wait(10);
    for (unsigned k = 0; k < c.cpus; k++) S.sys_r(k, ICC_HPPIR1_EL1_ENC);
    S.gicd_w(0x284, 1u << 16);
    S.wait(8);
}

// APR writes the architecture defines: a value read back, or 0 with nothing active
void scenario_apr(Script &S, const StimConfig &c)
{
    S.init(c); // (IHI0069H 12.2.6/12.2.7 ICC_AP0R<n>/AP1R<n>, 12.4.1/12.4.2 ICH_AP0R<n>/AP1R<n>)
    S.spi_cfg(33, 0xa0, true, true, 0);
    S.spi_cfg(34, 0x40, true, true, 0);
    S.gicd_w(0x204, 1u << 1);
    S.wait(9);
    S.sys_r(0, ICC_IAR1_EL1_ENC);
    S.gicd_w(0x204, 1u << 2);
    S.wait(9);
    S.sys_r(0, ICC_IAR1_EL1_ENC); // nested: two active priorities
    S.wait(3);
    // the active-priority bit of priority p is p >> (8 - preemption bits), in APR word bit / 32
    const unsigned pre = c.cpu_prio_bits < 7 ? c.cpu_prio_bits : 7, words = pre > 5 ? 1u << (pre - 5) : 1u;
    for (unsigned n = 0; n < 4; n++) S.sys_r(0, ICC_AP1R_EL1_ENC + n); // the words beyond `words` are UNDEFINED
    S.sys_w(0, ICC_AP0R_EL1_ENC, 0);                                   // no Group 0 active priority: zero
    S.wait(2);
    // a context switch: write the two active priorities (0x40 and 0xa0) back as read; with 7 preemption bits
    // 0x40 >> 1 = 32 (bit 0 of AP1R1) and 0xa0 >> 1 = 80 (bit 16 of AP1R2), with 5 bits both are in AP1R0
    uint32_t word[4] = { 0, 0, 0, 0 };
    for (unsigned p : { 0x40u, 0xa0u }) word[(p >> (8 - pre)) / 32] |= 1u << ((p >> (8 - pre)) % 32);
    for (unsigned n = 0; n < words; n++) S.sys_w(0, ICC_AP1R_EL1_ENC + n, word[n]);
    S.sys_r(0, ICC_RPR_EL1_ENC);
    S.sys_w(0, ICC_EOIR1_EL1_ENC, 34);
    S.sys_w(0, ICC_EOIR1_EL1_ENC, 33);
    S.wait(2);
    for (unsigned n = 0; n < 4; n++) S.sys_w(0, ICC_AP1R_EL1_ENC + n, 0); // nothing active: zero (or UNDEFINED)
    S.sys_r(0, ICC_RPR_EL1_ENC);
    // the virtual interface: an acknowledged LR, ICH_AP1R0 saved and restored, then zero after the EOI
    S.sys_w(0, ICH_HCR_EL2_ENC, 1);
    S.sys_w(0, ICH_VMCR_EL2_ENC, (0xf8ull << 24) | 2);
    S.sys_w(0, ICH_LR_EL2_ENC, ich_lr(1, false, true, 0x48, 70));
    S.wait(3);
    S.vsys_r(0, ICC_IAR1_EL1_ENC);
    S.wait(3);
    S.sys_r(0, ICH_AP1R_EL2_ENC);
    S.sys_w(0, ICH_AP1R_EL2_ENC, 1u << 9); // 0x48 >> 3 = 9 (5 preemption bits), as read
    S.sys_w(0, ICH_AP0R_EL2_ENC, 0);
    S.vsys_r(0, ICC_RPR_EL1_ENC);
    S.vsys_w(0, ICC_EOIR1_EL1_ENC, 70);
    S.sys_w(0, ICH_AP1R_EL2_ENC, 0);
    S.vsys_r(0, ICC_RPR_EL1_ENC);
    S.wait(4);
}

// timing.md 6: a reset in the middle of a run; time goes on
void scenario_reset(Script &S, const StimConfig &c)
{
    S.init(c);
    S.spi_cfg(37, 0x80, true, false, 0);
    S.spi(37, true); // level, high across the reset: pending again right after it (the sampled line = the pin)
    S.ppi(0, 20, true);
    S.wait(10);
    S.sys_r(0, ICC_IAR1_EL1_ENC);
    S.gicd_w(0x0, 0x3);                               // RWP window open at the reset
    S.sgi_w(0, 0x180, 1);                             // GICR_CTLR.RWP too
    S.sys_w(0, ICC_SGI1R_EL1_ENC, (5ull << 24) | 1u); // an SGI in flight
    S.reset();                                        // drops the acknowledge's response, the SGI and the windows
    S.gicd_r(0x0);
    S.gicd_r(0x204);
    S.sgi_r(0, 0x200);
    S.acc(GIC_FRAME_GICR_RD, false, 4, 0, 0x0);
    S.wait(4);
    S.init(c);
    S.spi_cfg(37, 0x80, true, false, 0);
    S.wait(10);
    S.sys_r(0, ICC_IAR1_EL1_ENC);
    S.spi(37, false);
    S.ppi(0, 20, false);
    S.wait(3);
    S.sys_w(0, ICC_EOIR1_EL1_ENC, 37);
    S.wait(4);
    S.reset();
    S.wait(4);
}

// refused accesses take the same cycles and change nothing
void scenario_errors(Script &S, const StimConfig &c)
{
    S.init(c);
    S.gicd_r(0x0, 2);
    S.gicd_r(0x104, 1);
    S.gicd_r(0x6100, 4);
    S.gicd_r(0x6104, 4);
    S.gicd_r(0x402, 1);
    S.gicd_r(0x2, 4);
    S.acc(GIC_FRAME_GICC, false, 4, 0, 0xc);
    S.acc(GIC_FRAME_SYSREG, false, 8, 0, ICC_EOIR1_EL1_ENC); // MRS of EOIR1: UNDEFINED
    S.acc(GIC_FRAME_SYSREG, false, 8, 0, enc::sr(3, 0, 12, 7, 7));
    S.acc(GIC_FRAME_SYSREG, false, 8, 0, ICH_LR_EL2_ENC + 15);
    S.acc(GIC_FRAME_SYSREG, false, 4, 0, ICC_PMR_EL1_ENC);
    S.acc(GIC_FRAME_SYSREG, false, 8, 0, ICC_IAR1_EL1_ENC + 0);
    S.acc(GIC_FRAME_VSYSREG, false, 8, 0, ICH_HCR_EL2_ENC);
    S.gicd_r(0x5000);
    S.acc(GIC_FRAME_GICR_SGI, false, 4, 0, 0x1000);
    S.wait(6);
}

// identification and reset values
void scenario_ids(Script &S, const StimConfig &c)
{
    S.wait(1);
    for (uint32_t o : { 0x0u, 0x4u, 0x8u, 0xffd0u, 0xffe0u, 0xffe4u, 0xffe8u, 0xfff0u, 0xfffcu, 0x6100u })
        S.gicd_r(o, o == 0x6100u ? 8 : 4);
    for (unsigned k = 0; k < c.cpus; k++) {
        S.acc(GIC_FRAME_GICR_RD, false, 8, k, 0x8);
        S.acc(GIC_FRAME_GICR_RD, false, 4, k, 0x8);
        S.acc(GIC_FRAME_GICR_RD, false, 4, k, 0xc);
        for (uint32_t o : { 0x0u, 0x4u, 0x14u, 0xffe0u, 0xffe8u }) S.acc(GIC_FRAME_GICR_RD, false, 4, k, o);
        S.sgi_r(k, 0xc00);
        S.sgi_r(k, 0xc04);
        for (uint32_t e : { ICC_CTLR_EL1_ENC, ICC_SRE_EL1_ENC, ICC_BPR0_EL1_ENC, ICC_BPR1_EL1_ENC, ICC_PMR_EL1_ENC,
                            ICC_RPR_EL1_ENC, ICH_VTR_EL2_ENC, ICH_VMCR_EL2_ENC, ICH_ELRSR_EL2_ENC, ICH_HCR_EL2_ENC })
            S.sys_r(k, e);
        for (uint32_t e : { ICC_CTLR_EL1_ENC, ICC_BPR0_EL1_ENC, ICC_BPR1_EL1_ENC, ICC_PMR_EL1_ENC, ICC_RPR_EL1_ENC })
            S.vsys_r(k, e);
    }
    S.wait(4);
}

// GICD_CTLR.RWP and GICR_CTLR.RWP windows
void scenario_rwp(Script &S, const StimConfig &c)
{
    S.init(c);
    S.gicd_w(0x0, 0x1);
    for (int i = 0; i < 8; i++) S.gicd_r(0x0);
    S.gicd_w(0x184, 0x1);
    for (int i = 0; i < 8; i++) S.gicd_r(0x0);
    S.sgi_w(0, 0x180, 0x1);
    for (int i = 0; i < 8; i++) S.acc(GIC_FRAME_GICR_RD, false, 4, 0, 0x0);
    S.wait(4);
}

// ================= GICv2 (IHI0048B) =================
constexpr uint32_t sgir(unsigned filter, unsigned targets, unsigned intid)
{
    return static_cast<uint32_t>(GIC_FIELD_VAL(GICD_SGIR_TARGETLISTFILTER, filter) |
                                 GIC_FIELD_VAL(GICD_SGIR_CPUTARGETLIST, targets) |
                                 GIC_FIELD_VAL(GICD_SGIR_SGIINTID, intid));
}

// GICD_ITARGETSR routing: a level SPI to CPU c1, retargeted while pending; an edge pulse to two CPUs
void scenario_v2_spi(Script &S, const StimConfig &c)
{
    const unsigned c1 = c.cpus > 1 ? 1 : 0, all = (1u << c.cpus) - 1;
    S.init2(c);
    S.spi_cfg2(37, 0x80, false, false, 1u << c1);
    S.gicd_r(GICD_ITARGETSR_OFFSET + 36);
    for (unsigned k = 0; k < c.cpus; k++) S.d2_r(k, GICD_ITARGETSR_OFFSET); // SGIs: the reader's own bit
    S.spi(37, true);
    for (int i = 0; i < 10; i++) S.cc_r(c1, GICC_HPPIR_OFFSET);
    S.cc_r(c1, GICC_IAR_OFFSET);
    S.gicd_r(0x204);
    S.gicd_r(0x304);
    S.spi(37, false);
    S.wait(4);
    S.cc_w(c1, GICC_EOIR_OFFSET, 37);
    for (int i = 0; i < 6; i++) S.gicd_r(0x304);
    S.spi_cfg2(40, 0x20, false, true, all);
    S.spi(40, true);
    S.spi(40, false); // pulse within one cycle
    S.wait(10);
    for (unsigned k = 0; k < c.cpus; k++) S.cc_r(k, GICC_HPPIR_OFFSET); // offered to every target
    S.cc_r(0, GICC_IAR_OFFSET);
    S.cc_r(c1, GICC_IAR_OFFSET); // one cycle later: taken by CPU 0 (1023)
    S.cc_r(0, GICC_RPR_OFFSET);
    S.wait(3);
    S.cc_w(0, GICC_EOIR_OFFSET, 40);
    // retarget a pending SPI: from CPU 0 to the last CPU
    S.spi_cfg2(41, 0x30, false, false, 1);
    S.gicd_w(0x204, 1u << 9);
    S.wait(8);
    S.gicd_w(GICD_ITARGETSR_OFFSET + 41, 1u << (c.cpus - 1), 1);
    S.gicd_w(GICD_ITARGETSR_OFFSET + 40, 0xff, 1); // bits of absent CPUs: RAZ/WI
    S.gicd_r(GICD_ITARGETSR_OFFSET + 40);
    S.wait(9);
    for (unsigned k = 0; k < c.cpus; k++) S.cc_r(k, GICC_HPPIR_OFFSET);
    S.cc_r(c.cpus - 1, GICC_IAR_OFFSET);
    S.wait(3);
    S.gicd_w(0x284, 1u << 9);
    S.cc_w(c.cpus - 1, GICC_EOIR_OFFSET, 41);
    S.wait(10);
}

// GICD_SGIR target filters, the source CPUID in GICC_IAR, SGIs pending from two sources, GICD_SPENDSGIR/CPENDSGIR,
// and the banked SGI/PPI registers (priorities, groups) of each CPU
void scenario_v2_sgi(Script &S, const StimConfig &c)
{
    const unsigned c1 = c.cpus > 1 ? 1 : 0, c2 = c.cpus > 2 ? 2 : 0;
    S.init2(c);
    for (unsigned k = 0; k < c.cpus; k++) {
        S.d2_w(k, 0x400 + 4, 0x10 * (k + 1), 1); // SGI 4: banked priority, different per CPU
        S.d2_w(k, 0x100, 0xffffffffu);           // SGI enables RAO/WI
        S.d2_w(k, 0x180, 0x0000ffffu);
    }
    for (unsigned k = 0; k < c.cpus; k++) {
        S.d2_r(k, 0x404);
        S.d2_r(k, 0x100);
        S.d2_r(k, 0xC00);
    }
    S.d2_w(0, GICD_SGIR_OFFSET, sgir(0, 1u << c1, 4));  // SGI 4 from CPU 0 to c1
    S.d2_w(c2, GICD_SGIR_OFFSET, sgir(0, 1u << c1, 4)); // and from c2
    S.wait(2);
    S.d2_r(c1, 0x200);
    S.d2_r(c1, GICD_SPENDSGIR_OFFSET + 4);
    S.wait(8);
    S.cc_r(c1, GICC_HPPIR_OFFSET);
    S.cc_r(c1, GICC_IAR_OFFSET); // 4 with the lowest source CPUID
    S.wait(3);
    S.d2_r(c1, GICD_SPENDSGIR_OFFSET + 4);
    S.d2_r(c1, 0x304);
    S.cc_w(c1, GICC_EOIR_OFFSET, 4);
    S.wait(10);
    S.cc_r(c1, GICC_IAR_OFFSET); // the other source (if two)
    S.wait(3);
    S.cc_w(c1, GICC_EOIR_OFFSET, (c2 << 10) | 4);
    S.d2_w(c1, GICD_SGIR_OFFSET, sgir(1, 0, 6));   // every CPU but c1
    S.d2_w(0, GICD_SGIR_OFFSET, sgir(2, 0, 7));    // CPU 0 itself
    S.d2_w(0, GICD_SGIR_OFFSET, sgir(3, 0xff, 8)); // reserved filter: nothing
    S.wait(2);
    for (unsigned k = 0; k < c.cpus; k++) S.d2_r(k, 0x200);
    S.d2_w(0, 0x204 - 4, 0xffff); // SGI bits of GICD_ISPENDR0 are write-ignored
    S.d2_w(0, GICD_SPENDSGIR_OFFSET + 8, 0x00000200u | (1u << (c.cpus - 1))); // SGI 8 from CPU 1 (and the last)
    S.d2_w(0, GICD_SPENDSGIR_OFFSET + 12, 0xff00, 2);                         // (halfword: refused)
    S.d2_w(0, GICD_SPENDSGIR_OFFSET + 13, 0x1, 1);                            // SGI 13 from CPU 0, by a byte access
    S.d2_r(0, GICD_SPENDSGIR_OFFSET + 8);
    S.d2_r(0, GICD_SPENDSGIR_OFFSET + 12);
    S.d2_w(0, GICD_CPENDSGIR_OFFSET + 12, 0x1, 1);
    S.d2_r(0, GICD_CPENDSGIR_OFFSET + 12);
    S.wait(8);
    for (int i = 0; i < 4; i++) {
        S.cc_r(0, GICC_IAR_OFFSET);
        S.wait(3);
    }
    for (unsigned k = 0; k < c.cpus; k++) S.d2_r(k, 0x300);
    S.wait(4);
}

// SEMANTICS A1/A7 on GICv2: host EOImode 1, a HW=1 GICH_LR, GICV_EOIR forwards the deactivation; the guest SPEND
// path (the host makes the SPI active and fills an LR); the CPUID of a virtual SGI
void scenario_v2_hw_lr(Script &S, const StimConfig &c)
{
    S.init2(c, 0x3 | GICC_CTLR_EOIMODE_MASK);
    S.spi_cfg2(44, 0x60, false, true, 1);
    S.spi(44, true);
    S.wait(10);
    S.cc_r(0, GICC_IAR_OFFSET);
    S.wait(3);
    S.cc_w(0, GICC_EOIR_OFFSET, 44); // priority drop only
    S.ch_w(0, GICH_HCR_OFFSET, GICH_HCR_EN_MASK);
    S.ch_w(0, GICH_VMCR_OFFSET, (0x1fu << GICH_VMCR_VMPRIMASK_SHIFT) | GICH_VMCR_VMGRP0EN_MASK);
    S.ch_w(0, GICH_LR_OFFSET, gich_lr(1, true, false, 0x80, 44, 44));
    S.wait(4);
    S.cv_r(0, GICV_HPPIR_OFFSET);
    S.cv_r(0, GICV_IAR_OFFSET);
    S.ch_r(0, GICH_LR_OFFSET);
    S.cv_r(0, GICV_RPR_OFFSET);
    S.ch_r(0, GICH_APR_OFFSET);
    S.cv_w(0, GICV_EOIR_OFFSET, 44);
    for (int i = 0; i < 8; i++) S.gicd_r(0x304);
    S.spi(44, false);
    S.gicd_w(0x304, 1u << 12);                                            // SEMANTICS B1: active by the host ...
    S.ch_w(0, GICH_LR_OFFSET + 4, gich_lr(1, true, false, 0x90, 44, 44)); // ... and pending in an LR
    S.wait(3);
    S.cv_r(0, GICV_IAR_OFFSET);
    S.cv_w(0, GICV_EOIR_OFFSET, 44);
    S.wait(6);
    S.gicd_r(0x304);
    S.ch_r(0, GICH_ELRSR_OFFSET);
    S.ch_r(0, GICH_EISR_OFFSET);
    // the guest with EOImode 1 (GICH_VMCR.VEM): GICV_EOIR drops the priority only, GICV_DIR forwards
    S.gicd_w(0x204, 1u << 12);
    S.wait(10);
    S.cc_r(0, GICC_IAR_OFFSET);
    S.wait(3);
    S.cc_w(0, GICC_EOIR_OFFSET, 44);
    S.ch_w(0, GICH_VMCR_OFFSET, (0x1fu << GICH_VMCR_VMPRIMASK_SHIFT) | GICH_VMCR_VEM_MASK | GICH_VMCR_VMGRP0EN_MASK);
    S.ch_w(0, GICH_LR_OFFSET, gich_lr(1, true, false, 0x70, 45, 44));
    S.wait(3);
    S.cv_r(0, GICV_IAR_OFFSET);
    S.cv_w(0, GICV_EOIR_OFFSET, 45);
    S.ch_r(0, GICH_LR_OFFSET);
    S.gicd_r(0x304);
    S.cv_w(0, GICV_DIR_OFFSET, 45);
    S.ch_r(0, GICH_LR_OFFSET);
    for (int i = 0; i < 6; i++) S.gicd_r(0x304);
    S.ch_w(0, GICH_VMCR_OFFSET, (0x1fu << GICH_VMCR_VMPRIMASK_SHIFT) | GICH_VMCR_VMGRP0EN_MASK);
    // a virtual SGI from CPUID 3: GICV_IAR returns it, an EOI naming another CPUID finds no LR
    S.ch_w(0, GICH_LR_OFFSET + 8, gich_lr(1, false, false, 0x40, 2, 0, true, 3));
    S.wait(3);
    S.cv_r(0, GICV_HPPIR_OFFSET);
    S.cv_r(0, GICV_IAR_OFFSET);
    S.ch_r(0, GICH_LR_OFFSET + 8);
    S.cv_w(0, GICV_EOIR_OFFSET, (1u << 10) | 2);
    S.ch_r(0, GICH_LR_OFFSET + 8);
    S.ch_r(0, GICH_HCR_OFFSET);
    S.cv_w(0, GICV_EOIR_OFFSET, (3u << 10) | 2);
    S.ch_r(0, GICH_LR_OFFSET + 8);
    S.ch_r(0, GICH_EISR_OFFSET);
    S.ch_r(0, GICH_MISR_OFFSET);
    S.wait(6);
}

// GICH_MISR (IHI0048B 5.3.5): NP, EOI, U, LRENP (EOICount), VGrp0E/D, VGrp1E/D, on the maintenance PPI
void scenario_v2_maint(Script &S, const StimConfig &c)
{
    S.init2(c);
    S.d2_w(0, 0x100, 1u << c.maint_ppi);
    S.ch_w(0, GICH_VMCR_OFFSET, (0x1fu << GICH_VMCR_VMPRIMASK_SHIFT) | GICH_VMCR_VMGRP0EN_MASK);
    S.ch_w(0, GICH_LR_OFFSET, gich_lr(1, false, false, 0xa0, 70, 0, true));
    S.ch_w(0, GICH_HCR_OFFSET, GICH_HCR_EN_MASK | GICH_HCR_NPIE_MASK);
    S.wait(3);
    S.cv_r(0, GICV_IAR_OFFSET); // last pending LR acknowledged: NP
    for (int i = 0; i < 6; i++) S.ch_r(0, GICH_MISR_OFFSET);
    S.d2_r(0, 0x200);
    S.cc_r(0, GICC_IAR_OFFSET);
    S.wait(3);
    S.cv_w(0, GICV_EOIR_OFFSET, 70); // EOI maintenance (LR EOI bit)
    S.wait(2);
    S.ch_r(0, GICH_EISR_OFFSET);
    S.ch_r(0, GICH_ELRSR_OFFSET);
    S.ch_w(0, GICH_LR_OFFSET, 0);
    S.cc_w(0, GICC_EOIR_OFFSET, c.maint_ppi);
    S.ch_w(0, GICH_LR_OFFSET + 4, gich_lr(1, false, true, 0xb0, 99));
    S.ch_w(0, GICH_VMCR_OFFSET,
           (0x1fu << GICH_VMCR_VMPRIMASK_SHIFT) | GICH_VMCR_VMGRP0EN_MASK | GICH_VMCR_VMGRP1EN_MASK |
               GICH_VMCR_VMACKCTL_MASK);
    S.wait(3);
    S.cv_r(0, GICV_IAR_OFFSET);
    S.ch_w(0, GICH_LR_OFFSET + 4, 0); // evicted while active: its priority stays active
    S.cv_w(0, GICV_EOIR_OFFSET, 99);  // in no LR, drops a priority: EOICount (IHI0048B 5.3.2)
    S.cv_w(0, GICV_EOIR_OFFSET, 99);  // nothing active any more: no count
    S.ch_w(0, GICH_HCR_OFFSET, GICH_HCR_EN_MASK | GICH_HCR_UIE_MASK | GICH_HCR_LRENPIE_MASK);
    S.wait(6);
    S.ch_r(0, GICH_HCR_OFFSET);
    S.ch_r(0, GICH_MISR_OFFSET);
    S.ch_w(0, GICH_HCR_OFFSET, GICH_HCR_EN_MASK | GICH_HCR_VGRP0EIE_MASK | GICH_HCR_VGRP1DIE_MASK);
    S.ch_r(0, GICH_MISR_OFFSET);
    S.cv_w(0, GICV_CTLR_OFFSET, 0x2); // the guest turns Group 0 off, Group 1 on: VGrp0E and VGrp1D fall
    S.ch_r(0, GICH_MISR_OFFSET);
    S.ch_r(0, GICH_VMCR_OFFSET);
    S.ch_w(0, GICH_HCR_OFFSET, GICH_HCR_EN_MASK | GICH_HCR_VGRP0DIE_MASK | GICH_HCR_VGRP1EIE_MASK);
    S.ch_r(0, GICH_MISR_OFFSET);
    S.ch_w(0, GICH_HCR_OFFSET, 0);
    S.wait(8);
}

// GICC_CTLR.AckCtl and FIQEn, GICC_AIAR/AEOIR/AHPPIR, EOImode 1 with GICC_DIR from another CPU, GICV_DIR, nested
// preemption with GICC_BPR/ABPR and GICC_APR
void scenario_v2_ctlr(Script &S, const StimConfig &c)
{
    const unsigned c1 = c.cpus > 1 ? 1 : 0;
    S.init2(c);
    S.spi_cfg2(34, 0x40, false, true, 1); // Group 0
    S.spi_cfg2(33, 0xa0, true, true, 1);  // Group 1 (the group write leaves 34 in Group 0)
    S.gicd_w(0x204, 1u << 1);
    S.wait(9);
    S.cc_r(0, GICC_HPPIR_OFFSET); // Group 1 with AckCtl = 0: 1022
    S.cc_r(0, GICC_AHPPIR_OFFSET);
    S.cc_r(0, GICC_IAR_OFFSET);  // 1022
    S.cc_r(0, GICC_AIAR_OFFSET); // 33
    S.gicd_w(0x204, 1u << 2);
    S.wait(9);
    S.cc_r(0, GICC_RPR_OFFSET);
    S.cc_r(0, GICC_IAR_OFFSET); // 34 preempts
    S.wait(3);
    for (unsigned n = 0; n < 4; n++) S.cc_r(0, GICC_APR_OFFSET + 4 * n);
    S.cc_r(0, GICC_RPR_OFFSET);
    S.cc_w(0, GICC_EOIR_OFFSET, 34);
    S.cc_w(0, GICC_AEOIR_OFFSET, 33);
    S.cc_w(0, GICC_CTLR_OFFSET, 0x3 | GICC_CTLR_FIQEN_MASK | GICC_CTLR_ACKCTL_MASK); // Group 0 on FIQ
    S.gicd_w(0x204, 1u << 2);
    S.wait(9);
    S.cc_r(0, GICC_IAR_OFFSET);
    S.wait(3);
    S.cc_w(0, GICC_EOIR_OFFSET, 34);
    S.cc_w(0, GICC_BPR_OFFSET, 7);
    S.cc_w(0, GICC_ABPR_OFFSET, 0);
    S.cc_r(0, GICC_BPR_OFFSET);
    S.cc_r(0, GICC_ABPR_OFFSET);
    S.cc_w(0, GICC_CTLR_OFFSET, 0x3 | GICC_CTLR_CBPR_MASK | GICC_CTLR_ACKCTL_MASK);
    S.cc_r(0, GICC_ABPR_OFFSET);
    S.cc_w(0, GICC_ABPR_OFFSET, 5);
    S.cc_r(0, GICC_ABPR_OFFSET);
    // EOImode 1 on c1: GICC_DIR from CPU 0 (EOImode 0 there: ignored), then from c1
    S.cc_w(c1, GICC_CTLR_OFFSET, 0x3 | GICC_CTLR_EOIMODE_MASK);
    S.spi_cfg2(50, 0x30, false, false, 1u << c1);
    S.spi(50, true);
    S.wait(9);
    S.cc_r(c1, GICC_IAR_OFFSET);
    S.spi(50, false);
    S.wait(3);
    S.cc_w(c1, GICC_EOIR_OFFSET, 50);
    S.cc_r(c1, GICC_RPR_OFFSET);
    S.cc_w(0, GICC_DIR_OFFSET, 50);
    S.wait(3);
    S.gicd_r(0x304);
    S.cc_w(c1, GICC_DIR_OFFSET, 50);
    S.wait(3);
    S.gicd_r(0x304);
    // the virtual side: VEM, GICV_DIR
    S.ch_w(0, GICH_HCR_OFFSET, GICH_HCR_EN_MASK);
    S.ch_w(0, GICH_VMCR_OFFSET, (0x1fu << GICH_VMCR_VMPRIMASK_SHIFT) | GICH_VMCR_VEM_MASK | GICH_VMCR_VMGRP0EN_MASK);
    S.ch_w(0, GICH_LR_OFFSET + 8, gich_lr(1, false, false, 0x50, 81));
    S.wait(4);
    S.cv_r(0, GICV_IAR_OFFSET);
    S.cv_w(0, GICV_EOIR_OFFSET, 81);
    S.ch_r(0, GICH_LR_OFFSET + 8);
    S.cv_w(0, GICV_DIR_OFFSET, 81);
    S.ch_r(0, GICH_LR_OFFSET + 8);
    S.cv_r(0, GICV_CTLR_OFFSET);
    S.cv_w(0, GICV_CTLR_OFFSET, 0x3 | GICC_CTLR_FIQEN_MASK); // the guest's Group 0 on vFIQ
    S.ch_w(0, GICH_LR_OFFSET + 8, gich_lr(1, false, true, 0x50, 82));
    S.ch_w(0, GICH_LR_OFFSET + 12, gich_lr(1, false, false, 0x60, 83));
    S.wait(4);
    S.cv_r(0, GICV_HPPIR_OFFSET);
    S.cv_r(0, GICV_AHPPIR_OFFSET);
    S.cv_r(0, GICV_IAR_OFFSET);  // Group 1, AckCtl = 0: 1022
    S.cv_r(0, GICV_AIAR_OFFSET); // 82
    S.cv_r(0, GICV_IAR_OFFSET);  // 83 (Group 0 preempts? no: lower priority, 1023)
    S.wait(3);
    S.cv_w(0, GICV_AEOIR_OFFSET, 82);
    S.cv_w(0, GICV_DIR_OFFSET, 82);
    S.wait(4);
    S.cv_r(0, GICV_IAR_OFFSET);
    S.cv_r(0, GICV_APR_OFFSET);
    S.ch_r(0, GICH_APR_OFFSET);
    S.cv_w(0, GICV_EOIR_OFFSET, 83);
    S.cv_w(0, GICV_DIR_OFFSET, 83);
    S.wait(6);
}

// identification, reset values, sizes and absent frames
void scenario_v2_ids(Script &S, const StimConfig &c)
{
    S.wait(1);
    for (uint32_t o :
         { 0x0u, 0x4u, 0x8u, 0xfd0u, 0xfe0u, 0xfe4u, 0xfe8u, 0xff0u, 0xffcu, 0x800u, 0x820u, 0xc00u, 0xc04u })
        S.gicd_r(o);
    for (unsigned k = 0; k < c.cpus; k++) {
        for (uint32_t o : { 0x0u, 0x4u, 0x8u, 0xcu, 0x14u, 0x18u, 0x1cu, 0x28u, 0xd0u, 0xe0u, 0xfcu }) S.cc_r(k, o);
        for (uint32_t o : { 0x0u, 0x4u, 0x8u, 0x10u, 0x20u, 0x24u, 0x30u, 0x34u, 0xf0u, 0x100u, 0x1fcu }) S.ch_r(k, o);
        for (uint32_t o : { 0x0u, 0x4u, 0x8u, 0x14u, 0x18u, 0x1cu, 0xd0u, 0xfcu }) S.cv_r(k, o);
        S.d2_r(k, 0x800);
        S.d2_r(k, 0x81c);
    }
    S.acc(GIC_FRAME_SYSREG, false, 8, 0, ICC_PMR_EL1_ENC); // absent frames: decode errors
    S.acc(GIC_FRAME_VSYSREG, false, 8, 0, ICC_PMR_EL1_ENC);
    S.acc(GIC_FRAME_GICR_RD, false, 4, 0, 0x8);
    S.acc(GIC_FRAME_GICR_SGI, false, 4, 0, 0x200);
    S.acc(GIC_FRAME_GICC, false, 2, 0, 0x4); // sizes
    S.acc(GIC_FRAME_GICC, false, 8, 0, 0x0);
    S.acc(GIC_FRAME_GICH, false, 1, 0, 0x100);
    S.acc(GIC_FRAME_GICD, false, 1, 0, 0x801);
    S.acc(GIC_FRAME_GICD, false, 1, 0, 0x100);
    S.acc(GIC_FRAME_GICD, false, 4, 0, 0xf00);             // GICD_SGIR write-only
    S.acc(GIC_FRAME_GICC, true, 4, 0, GICC_RPR_OFFSET, 0); // read-only
    S.acc(GIC_FRAME_GICV, false, 4, 0, 0x2000 - 4);
    S.gicd_r(0x6100);
    S.wait(6);
}

// timing.md 6 on GICv2: a reset with an SGI pending from two sources, a level SPI high and an LR in flight
void scenario_v2_reset(Script &S, const StimConfig &c)
{
    S.init2(c);
    S.spi_cfg2(37, 0x80, false, false, 1);
    S.spi(37, true);
    S.d2_w(0, GICD_SGIR_OFFSET, sgir(2, 0, 3));
    S.wait(10);
    S.cc_r(0, GICC_IAR_OFFSET);
    S.ch_w(0, GICH_LR_OFFSET, gich_lr(1, true, false, 0x80, 37, 37));
    S.reset();
    S.gicd_r(0x204);
    S.d2_r(0, 0x200);
    S.d2_r(0, GICD_SPENDSGIR_OFFSET);
    S.ch_r(0, GICH_LR_OFFSET);
    S.wait(4);
    S.init2(c);
    S.spi_cfg2(37, 0x80, false, false, 1);
    S.wait(10);
    S.cc_r(0, GICC_IAR_OFFSET);
    S.spi(37, false);
    S.wait(3);
    S.cc_w(0, GICC_EOIR_OFFSET, 37);
    S.wait(6);
}

const struct {
    const char *name;
    void (*build)(Script &, const StimConfig &);
} kScenariosV2[] = {
    { "v2_spi", scenario_v2_spi },     { "v2_sgi", scenario_v2_sgi },   { "v2_hw_lr", scenario_v2_hw_lr },
    { "v2_maint", scenario_v2_maint }, { "v2_ctlr", scenario_v2_ctlr }, { "v2_ids", scenario_v2_ids },
    { "v2_reset", scenario_v2_reset },
};

// The directed scenarios, in the order gicsim_lockstep runs them (scenario_names()).
struct ScenarioDef {
    const char *name;
    void (*build)(Script &, const StimConfig &);
};
const ScenarioDef kScenarios[] = {
    { "spi", scenario_spi },
    { "sgi", scenario_sgi },
    { "preempt", scenario_preempt },
    { "hw_lr", scenario_hw_lr },
    { "maint", scenario_maint },
    { "eoi_nothing_active", scenario_eoi_nothing_active },
    { "eoimode1_dir", scenario_eoimode1_dir },
    { "ack_consume", scenario_ack_consume },
    { "lr_states", scenario_lr_states },
    { "errors", scenario_errors },
    { "ids", scenario_ids },
    { "rwp", scenario_rwp },
    { "asgi1r", scenario_asgi1r },
    { "one_of_n", scenario_one_of_n },
    { "apr", scenario_apr },
    { "reset", scenario_reset },
};

std::unique_ptr<Stimulus> build(const std::string &name, const StimConfig &c)
{
    if (c.version == 2) {
        for (const auto &d : kScenariosV2)
            if (name == d.name) {
                auto s = std::make_unique<Script>();
                d.build(*s, c);
                return s;
            }
        return nullptr;
    }
    for (const ScenarioDef &d : kScenarios)
        if (name == d.name) {
            auto s = std::make_unique<Script>();
            d.build(*s, c);
            return s;
        }
    return nullptr;
}

// ---------------- the constrained-random generator ----------------
// What the random stimuli of both GIC versions share: the input pins, the set-up queue, mid-run resets, deferred
// accesses and the APR save/restore, around the version's own set-up and accesses (Random, Random2).
class RandomBase : public Stimulus {
public:
    RandomBase(uint64_t seed, uint64_t cycles, const StimConfig &c) : rng_(seed), cycles_(cycles), c_(c)
    {
        spi_lvl_.assign(c.spis, 0);
        ppi_lvl_.assign(c.cpus * 16, 0);
    }

    bool next(uint64_t cycle, CycleStim &s) override
    {
        if (cycle >= cycles_) return false;
        now_ = cycle;
        if (!setup_.empty()) return issue(s, setup_.front(), [&] { setup_.pop_front(); });
        // a reset of both sides (timing.md 6: every message and access in flight is dropped, time goes on): the
        // generator forgets what it had in flight and sets the GIC up again; the pins keep their levels
        if (c_.mid_reset && chance(1.0 / 25000)) {
            s.reset = true;
            n_reset_++;
            setup();
            return true;
        }
        if (!deferred_.empty() && deferred_.front().first <= cycle)
            return issue(s, deferred_.front().second, [&] { deferred_.pop_front(); });
        if (!apr_wb_.empty()) { // an APR value read back, written as a context switch restores it
            Access a = apr_wb_.front();
            apr_wb_.pop_front();
            apr_restored(a);
            n_apr_restore_++;
            return issue(s, a, [] {});
        }
        pins(s);
        if (chance(0.55)) return issue(s, random_access(), [] {});
        return true;
    }

protected:
    virtual void setup() = 0;                       // (again) at the start of each run and after each reset
    virtual Access random_access() = 0;             // one access of the software or the device side
    virtual void apr_restored(const Access &a) = 0; // the write-back of a saved APR went out: unlock that side
    virtual void ppi_changed(unsigned) {}           // an input PPI changed level

    // The response of the APR read whose value is to be written back (seq == apr_seq): queue the write-back.
    void save_apr(uint64_t &apr_seq, uint64_t seq, const Access &a, uint64_t data)
    {
        if (seq != apr_seq) return;
        apr_seq = UINT64_MAX;
        Access w = a;
        w.write = true;
        w.data = data;
        apr_wb_.push_back(w);
    }
    bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
    unsigned pick(unsigned n) { return n ? static_cast<unsigned>(rng_() % n) : 0; }
    uint32_t sparse()
    {
        uint32_t v = 0;
        unsigned n = 1 + pick(3);
        for (unsigned i = 0; i < n; i++) v |= 1u << pick(32);
        return v;
    }
    uint32_t prio() { return static_cast<uint32_t>(rng_() & 0xff); }
    static Access acc(uint8_t f, bool w, uint8_t size, unsigned cpu, uint32_t off, uint64_t d = 0)
    {
        return make_access(f, w, size, cpu, off, d);
    }

    std::mt19937_64 rng_;
    uint64_t cycles_;
    StimConfig c_;
    std::vector<uint8_t> spi_lvl_, ppi_lvl_;
    std::deque<Access> setup_, apr_wb_;                // set-up accesses; APR values read, to be written back
    std::deque<std::pair<uint64_t, Access>> deferred_; // (not before cycle, access)
    uint64_t now_ = 0, issued_ = 0;                    // issued_: accesses returned so far (the bridge's seq)
    uint64_t n_reset_ = 0, n_apr_restore_ = 0;

private:
    template <typename F>
    bool issue(CycleStim &s, const Access &a, F done)
    {
        s.has_access = true;
        s.access = a;
        done();
        issued_++;
        return true;
    }
    // An SPI line toggles (sometimes as a pulse within one cycle), a PPI line toggles.
    void pins(CycleStim &s)
    {
        if (chance(0.08) && c_.spis) {
            unsigned i = pick(c_.spis);
            PinChange p;
            p.intid = 32 + i;
            p.level = !spi_lvl_[i];
            spi_lvl_[i] = p.level;
            s.pins.push_back(p);
            if (p.level && chance(0.2)) { // a one-cycle pulse
                p.level = false;
                spi_lvl_[i] = 0;
                s.pins.push_back(p);
            }
        }
        if (chance(0.04)) { // (the maintenance PPI's external wire too: its input is wire OR MAINT, timing.md 4.8)
            unsigned k = pick(c_.cpus), j = pick(16);
            PinChange p;
            p.ppi = true;
            p.cpu = k;
            p.intid = 16 + j;
            p.level = !ppi_lvl_[k * 16 + j];
            ppi_lvl_[k * 16 + j] = p.level;
            ppi_changed(16 + j);
            s.pins.push_back(p);
        }
    }
};

class Random : public RandomBase {
public:
    Random(uint64_t seed, uint64_t cycles, const StimConfig &c) : RandomBase(seed, cycles, c) { setup(); }

    // The set-up (at the start and after every reset): both groups on, every redistributor awake, CPU interfaces open,
    // virtual interface on; and the generator's view of the state as after reset.
    void setup() override
    {
        const StimConfig &c = c_;
        cpu_.assign(c.cpus, Cpu());
        rgrp_.clear();
        deferred_.clear();
        apr_wb_.clear();
        irm_.assign(c.spis, 0);
        setup_.push_back(acc(GIC_FRAME_GICD, true, 4, 0, 0x0, 3));
        for (unsigned k = 0; k < c.cpus; k++) {
            setup_.push_back(acc(GIC_FRAME_GICR_RD, true, 4, k, 0x14, 0));
            setup_.push_back(sys(k, true, ICC_PMR_EL1_ENC, 0xf0));
            setup_.push_back(sys(k, true, ICC_IGRPEN0_EL1_ENC, 1));
            setup_.push_back(sys(k, true, ICC_IGRPEN1_EL1_ENC, 1));
            setup_.push_back(acc(GIC_FRAME_GICR_SGI, true, 4, k, 0x100, 0xffffffffu & ~(1u << c.maint_ppi)));
            rgrp_.push_back(static_cast<uint32_t>(rng_()));
            setup_.push_back(acc(GIC_FRAME_GICR_SGI, true, 4, k, 0x080, rgrp_.back()));
            if (c.lrs) {
                setup_.push_back(sys(k, true, ICH_HCR_EL2_ENC, 1));
                setup_.push_back(sys(k, true, ICH_VMCR_EL2_ENC, (0xf8ull << 24) | 3));
            }
        }
        unsigned nb = (32 + c.spis + 31) / 32;
        dgrp_.assign(nb, 0);
        for (unsigned n = 1; n < nb; n++) {
            setup_.push_back(acc(GIC_FRAME_GICD, true, 4, 0, 0x100 + 4 * n, static_cast<uint32_t>(rng_())));
            dgrp_[n] = static_cast<uint32_t>(rng_());
            setup_.push_back(acc(GIC_FRAME_GICD, true, 4, 0, 0x080 + 4 * n, dgrp_[n]));
        }
        for (unsigned i = 0; i < c.spis; i++) {
            uint64_t v = pick(c.cpus);
            if (c.one_of_n && chance(0.25)) v |= 1ull << 31; // 1-of-N (timing.md 4.10)
            irm_[i] = (v >> 31) & 1;
            setup_.push_back(acc(GIC_FRAME_GICD, true, 8, 0, 0x6100 + 8 * i, v));
        }
    }

    void apr_restored(const Access &a) override
    {
        Cpu &C = cpu_[a.cpu];
        (a.offset == ICH_AP0R_EL2_ENC || a.offset == ICH_AP1R_EL2_ENC ? C.vapr_lock : C.apr_lock) = false;
    }
    void ppi_changed(unsigned intid) override
    {
        if (intid == c_.maint_ppi) n_maint_wire_++;
    }

    void on_response(uint64_t seq, const Access &a, int status, uint64_t data) override
    {
        if (a.cpu < cpu_.size()) save_apr(cpu_[a.cpu].apr_seq, seq, a, data);
        if (a.frame == GIC_FRAME_SYSREG && !a.write && (a.offset == ICC_IAR0_EL1_ENC || a.offset == ICC_IAR1_EL1_ENC))
            cpu_[a.cpu].inflight_iar--;
        if (a.frame == GIC_FRAME_VSYSREG && !a.write && (a.offset == ICC_IAR0_EL1_ENC || a.offset == ICC_IAR1_EL1_ENC))
            cpu_[a.cpu].inflight_viar--;
        if (status != GIC_OK || a.write) return;
        if (a.frame == GIC_FRAME_SYSREG && (a.offset == ICC_IAR0_EL1_ENC || a.offset == ICC_IAR1_EL1_ENC) &&
            data < 1020) {
            cpu_[a.cpu].act.push_back({ static_cast<unsigned>(data), a.offset == ICC_IAR1_EL1_ENC });
            n_ack_++;
            if (data < 16) n_ack_sgi_++;
            else if (data < 32) n_ack_ppi_++;
            if (data == c_.maint_ppi) n_maint_ack_++;
            if (data >= 32 && data - 32 < irm_.size() && irm_[data - 32]) n_irm_ack_[a.cpu % 8]++;
        }
        if (a.frame == GIC_FRAME_VSYSREG && (a.offset == ICC_IAR0_EL1_ENC || a.offset == ICC_IAR1_EL1_ENC) &&
            data < 1020) {
            cpu_[a.cpu].vact.push_back({ static_cast<unsigned>(data), a.offset == ICC_IAR1_EL1_ENC });
            n_vack_++;
        }
        if (a.frame == GIC_FRAME_SYSREG && a.offset == ICH_MISR_EL2_ENC && data) n_misr_++;
    }

private:
    struct Act {
        unsigned intid;
        bool grp1;
    };
    struct Cpu {
        std::vector<Act> act, vact;      // acknowledged, not yet EOIed (LIFO)
        std::vector<unsigned> dir, vdir; // priority dropped, waiting for DIR (EOImode 1)
        bool eoim = false, veoim = false, cbpr = false, vcbpr = false;
        unsigned inflight_iar = 0, inflight_viar = 0;
        // APR save/restore: from the read until the write-back, no acknowledge or EOI of that side on this CPU
        bool apr_lock = false, vapr_lock = false;
        uint64_t apr_seq = UINT64_MAX; // the access number of the APR read whose value is to be written back
    };
    std::vector<Cpu> cpu_;
    std::vector<uint32_t> dgrp_, rgrp_; // group registers as written (only we write them)
    std::vector<uint8_t> irm_;          // per SPI: IROUTER.IRM as last written
    uint64_t n_ack_ = 0, n_ack_sgi_ = 0, n_ack_ppi_ = 0, n_vack_ = 0, n_misr_ = 0, n_regroup_ = 0, n_maint_ack_ = 0,
             n_maint_wire_ = 0, n_asgi_ = 0, n_irm_write_ = 0, n_apr_zero_ = 0, n_veoi_unlisted_idle_ = 0,
             n_veoi_unlisted_active_ = 0;
    uint64_t n_irm_ack_[8] = {};

public:
    std::string stats() const override
    {
        return "acknowledged " + std::to_string(n_ack_) + " (SGI " + std::to_string(n_ack_sgi_) + ", PPI " +
               std::to_string(n_ack_ppi_) + "), virtual " + std::to_string(n_vack_) +
               ", MISR reads != 0: " + std::to_string(n_misr_) + "; direct regroups " + std::to_string(n_regroup_) +
               ", maintenance-PPI wire changes " + std::to_string(n_maint_wire_) + ", maintenance PPI acknowledged " +
               std::to_string(n_maint_ack_) + "; ASGI1R writes " + std::to_string(n_asgi_) + "; APR writes " +
               std::to_string(n_apr_zero_) + " zero, " + std::to_string(n_apr_restore_) + " restored" +
               "; virtual EOIs of a vINTID in no LR " + std::to_string(n_veoi_unlisted_idle_) +
               " with nothing acknowledged, " + std::to_string(n_veoi_unlisted_active_) + " with an acknowledge open" +
               (c_.one_of_n ? "; IRM=1 writes " + std::to_string(n_irm_write_) + ", 1-of-N SPIs acknowledged by cpu " +
                                  irm_acks()
                            : std::string()) +
               (c_.mid_reset ? "; resets " + std::to_string(n_reset_) : std::string());
    }

private:
    std::string irm_acks() const
    {
        std::string r;
        for (unsigned k = 0; k < c_.cpus && k < 8; k++) r += (k ? "/" : "") + std::to_string(n_irm_ack_[k]);
        return r;
    }

private:
    static Access sys(unsigned cpu, bool w, uint32_t e, uint64_t d = 0)
    {
        return acc(GIC_FRAME_SYSREG, w, 8, cpu, e, d);
    }
    static Access vsys(unsigned cpu, bool w, uint32_t e, uint64_t d = 0)
    {
        return acc(GIC_FRAME_VSYSREG, w, 8, cpu, e, d);
    }

    // One random access of the CPU-side software and the device side, drawn in this order: an APR save/zero, the
    // physical handler loop, the virtual one (with list registers), the distributor, then the rest (w: 0..99 picks
    // which, with the thresholds below as weights).
    Access random_access() override
    {
        unsigned k = pick(c_.cpus);
        Cpu &C = cpu_[k];
        unsigned nb = (32 + c_.spis + 31) / 32;
        unsigned n = nb > 1 ? 1 + pick(nb - 1) : 1;
        unsigned w = pick(100);
        if (auto a = apr_access(k, C)) return *a;
        if (auto a = handler_access(k, C, w)) return *a;
        if (c_.lrs)
            if (auto a = virtual_access(k, C, w)) return *a;
        if (auto a = distributor_access(k, w, n, nb)) return *a;
        return other_access(k, C, w, n, nb);
    }

    // Acknowledge on the physical or virtual side (a response comes back later: inflight counts it).
    Access acknowledge(unsigned k, unsigned &inflight, bool virt)
    {
        inflight++;
        return (virt ? vsys : sys)(k, false, chance(0.75) ? ICC_IAR1_EL1_ENC : ICC_IAR0_EL1_ENC, 0);
    }
    // EOI of the last interrupt acknowledged (LIFO); with EOImode 1 it then waits for its DIR.
    static Access eoi_last(unsigned k, std::vector<Act> &act, std::vector<unsigned> &dir, bool eoim, bool virt)
    {
        Act a = act.back();
        act.pop_back();
        if (eoim) dir.push_back(a.intid);
        return (virt ? vsys : sys)(k, true, a.grp1 ? ICC_EOIR1_EL1_ENC : ICC_EOIR0_EL1_ENC, a.intid);
    }

    // APR writes the architecture defines (IHI0069H 12.2.6-12.2.7, 12.4.1-12.4.2): zero when nothing is active, or
    // save (read now, written back once the value is known).
    std::optional<Access> apr_access(unsigned k, Cpu &C)
    {
        if (chance(0.02)) { // APR writes the architecture defines (IHI0069H 12.2.6-12.2.7, 12.4.1-12.4.2)
            bool virt = c_.lrs && chance(0.4);
            bool &lock = virt ? C.vapr_lock : C.apr_lock;
            uint32_t e =
                virt ? (chance(0.5) ? ICH_AP0R_EL2_ENC : ICH_AP1R_EL2_ENC)
                     : (chance(0.5) ? ICC_AP0R_EL1_ENC : ICC_AP1R_EL1_ENC) + pick(4); // 7 preemption bits: 4 registers
            bool none_active = virt ? (C.vact.empty() && C.inflight_viar == 0) : (C.act.empty() && C.inflight_iar == 0);
            if (!lock && none_active && chance(0.5)) { // nothing active: zero
                n_apr_zero_++;
                return sys(k, true, e, 0);
            }
            if (!lock && C.apr_seq == UINT64_MAX) { // save: read now, write the value back once it is known
                lock = true;
                C.apr_seq = issued_;
                return sys(k, false, e);
            }
        }
        return std::nullopt;
    }

    // The physical interrupt handler loop: acknowledge, EOI, DIR.
    std::optional<Access> handler_access(unsigned k, Cpu &C, unsigned w)
    {
        if (w < 10 && !C.apr_lock) return acknowledge(k, C.inflight_iar, false);
        if (w < 17 && !C.act.empty() && C.inflight_iar == 0 && !C.apr_lock)
            return eoi_last(k, C.act, C.dir, C.eoim, false);
        if (w < 20 && !C.dir.empty()) {
            unsigned i = pick(static_cast<unsigned>(C.dir.size()));
            unsigned id = C.dir[i];
            C.dir.erase(C.dir.begin() + i);
            return sys(k, true, ICC_DIR_EL1_ENC, id);
        }
        return std::nullopt;
    }

    // The virtual handler loop and the hypervisor's list-register, HCR and VMCR writes and reads.
    std::optional<Access> virtual_access(unsigned k, Cpu &C, unsigned w)
    {
        if (w < 26 && !C.vapr_lock) return acknowledge(k, C.inflight_viar, true);
        if (w < 31 && !C.vact.empty() && C.inflight_viar == 0 && !C.vapr_lock)
            return eoi_last(k, C.vact, C.vdir, C.veoim, true);
        if (w < 33 && !C.vdir.empty()) {
            unsigned id = C.vdir.back();
            C.vdir.pop_back();
            return vsys(k, true, ICC_DIR_EL1_ENC, id);
        }
        if (w < 42) { // a list register: each LR has its own vINTID range, so no two LRs share a vINTID
            unsigned l = pick(c_.lrs);
            uint64_t vid = 32 + 16 * l + pick(16);
            bool hw = chance(0.35);
            uint64_t st = hw ? (chance(0.8) ? 1 : (chance(0.5) ? 2 : 0)) : (chance(0.7) ? 1 : pick(4));
            uint64_t v = (st << ICH_LR_EL2_STATE_SHIFT) |
                         (static_cast<uint64_t>(chance(0.7)) << ICH_LR_EL2_GROUP_SHIFT) |
                         (uint64_t(prio() & 0xf8) << ICH_LR_EL2_PRIORITY_SHIFT) | vid;
            if (hw)
                v |= ICH_LR_EL2_HW_MASK |
                     (uint64_t(c_.spis ? 32 + pick(c_.spis) : 16 + pick(16)) << ICH_LR_EL2_PINTID_SHIFT);
            else if (chance(0.4)) v |= ICH_LR_EL2_EOI_MASK;
            return sys(k, true, ICH_LR_EL2_ENC + l, v);
        }
        if (w < 44) {
            uint64_t v = ICH_HCR_EL2_EN_MASK | (pick(256) & 0xfe) |
                         (chance(0.1) ? (uint64_t(pick(32)) << ICH_HCR_EL2_EOICOUNT_SHIFT) : 0);
            return sys(k, true, ICH_HCR_EL2_ENC, v);
        }
        if (w < 46) {
            if (C.vact.empty() && C.vdir.empty() && chance(0.3)) C.veoim = !C.veoim;
            C.vcbpr = chance(0.2);
            uint64_t v =
                (uint64_t(chance(0.9) ? 0xf8 : prio()) << ICH_VMCR_EL2_VPMR_SHIFT) |
                (uint64_t(pick(8)) << ICH_VMCR_EL2_VBPR0_SHIFT) | (uint64_t(pick(8)) << ICH_VMCR_EL2_VBPR1_SHIFT) |
                (uint64_t(C.veoim) << ICH_VMCR_EL2_VEOIM_SHIFT) | (uint64_t(C.vcbpr) << ICH_VMCR_EL2_VCBPR_SHIFT) |
                (chance(0.9) ? ICH_VMCR_EL2_VENG1_MASK : 0) | (chance(0.9) ? ICH_VMCR_EL2_VENG0_MASK : 0);
            return sys(k, true, ICH_VMCR_EL2_ENC, v);
        }
        if (w < 47 && !C.vapr_lock) { // a vINTID in no LR (SEMANTICS A5): with nothing acknowledged it drops no
            // priority and must not count in EOIcount; otherwise it drops the running priority and counts (VEOIM 0)
            (C.vact.empty() && C.inflight_viar == 0 ? n_veoi_unlisted_idle_ : n_veoi_unlisted_active_)++;
            return vsys(k, true, chance(0.5) ? ICC_EOIR1_EL1_ENC : ICC_EOIR0_EL1_ENC, 600 + pick(50));
        }
        if (w < 49) {
            static const uint32_t vr[] = { ICC_HPPIR0_EL1_ENC, ICC_HPPIR1_EL1_ENC,  ICC_RPR_EL1_ENC,
                                           ICC_PMR_EL1_ENC,    ICC_BPR0_EL1_ENC,    ICC_BPR1_EL1_ENC,
                                           ICC_CTLR_EL1_ENC,   ICC_IGRPEN0_EL1_ENC, ICC_IGRPEN1_EL1_ENC,
                                           ICC_AP0R_EL1_ENC,   ICC_AP1R_EL1_ENC };
            return vsys(k, false, vr[pick(11)]);
        }
        if (w < 51) {
            static const uint32_t hr[] = { ICH_MISR_EL2_ENC, ICH_EISR_EL2_ENC, ICH_ELRSR_EL2_ENC, ICH_HCR_EL2_ENC,
                                           ICH_VMCR_EL2_ENC, ICH_AP0R_EL2_ENC, ICH_AP1R_EL2_ENC };
            if (chance(0.5)) return sys(k, false, ICH_LR_EL2_ENC + pick(c_.lrs));
            return sys(k, false, hr[pick(7)]);
        }
        return std::nullopt;
    }

    // Distributor writes: enables, pending, active, priorities, group changes, configuration, routing, CTLR.
    std::optional<Access> distributor_access(unsigned k, unsigned w, unsigned n, unsigned nb)
    {
        if (w < 55) return acc(GIC_FRAME_GICD, true, 4, 0, (chance(0.5) ? 0x100 : 0x180) + 4 * n, sparse());
        if (w < 60) return acc(GIC_FRAME_GICD, true, 4, 0, (chance(0.6) ? 0x200 : 0x280) + 4 * n, sparse());
        if (w < 61) return acc(GIC_FRAME_GICD, true, 4, 0, (chance(0.3) ? 0x300 : 0x380) + 4 * n, sparse());
        if (w < 64) {
            if (chance(0.5)) return acc(GIC_FRAME_GICD, true, 1, 0, 0x400 + 32 + pick(c_.spis ? c_.spis : 1), prio());
            return acc(GIC_FRAME_GICD, true, 4, 0, 0x400 + 4 * (8 + pick(nb > 1 ? 8 * (nb - 1) : 1)),
                       static_cast<uint32_t>(rng_()));
        }
        // Group changes. Directly, on enabled (and maybe pending or offered) interrupts: an acknowledge whose offer
        // left its group in flight is refused (timing.md 4.6). Or guarded: disable, regroup, re-enable 12 cycles
        // later. (A deferred group write is always sent in the cycle after it was queued, before any other access,
        // so a direct write never races one.)
        if ((w < 65 && (!deferred_.empty() || chance(0.5))) || (w >= 92 && w < 93)) {
            if (chance(0.5)) {
                dgrp_[n] ^= sparse();
                n_regroup_++;
                return acc(GIC_FRAME_GICD, true, 4, 0, 0x080 + 4 * n, dgrp_[n]);
            }
            rgrp_[k] ^= sparse() & ~(1u << c_.maint_ppi);
            n_regroup_++;
            return acc(GIC_FRAME_GICR_SGI, true, 4, k, 0x080, rgrp_[k]);
        }
        if (w < 65) {
            uint32_t m = sparse();
            dgrp_[n] ^= m;
            deferred_.push_back({ 0, acc(GIC_FRAME_GICD, true, 4, 0, 0x080 + 4 * n, dgrp_[n]) });
            deferred_.push_back({ now_ + 12, acc(GIC_FRAME_GICD, true, 4, 0, 0x100 + 4 * n, m) });
            return acc(GIC_FRAME_GICD, true, 4, 0, 0x180 + 4 * n, m);
        }
        if (w < 66)
            return acc(GIC_FRAME_GICD, true, 4, 0, 0xC00 + 4 * (2 + pick(nb > 1 ? 2 * nb - 2 : 1)),
                       static_cast<uint32_t>(rng_()) & 0xaaaaaaaau);
        if (w < 68 && c_.spis) {
            unsigned i = pick(c_.spis);
            uint64_t v = chance(0.95) ? pick(c_.cpus) : (chance(0.5) ? 9 : (1ull << 31));
            if (c_.one_of_n && chance(0.3)) v = (1ull << 31) | (chance(0.5) ? pick(c_.cpus) : 0); // 1-of-N
            if (c_.one_of_n) {
                irm_[i] = (v >> 31) & 1;
                n_irm_write_ += irm_[i];
            }
            if (chance(0.2)) return acc(GIC_FRAME_GICD, true, 4, 0, 0x6100 + 8 * i, v & 0xffffffffu);
            return acc(GIC_FRAME_GICD, true, 8, 0, 0x6100 + 8 * i, v);
        }
        if (w < 69) return acc(GIC_FRAME_GICD, true, 4, 0, 0x0, chance(0.9) ? 3 : pick(4));
        return std::nullopt;
    }

    // Redistributor and CPU interface writes, then reads of all three.
    Access other_access(unsigned k, Cpu &C, unsigned w, unsigned n, unsigned nb)
    {
        // --- redistributor ---
        if (w < 74) {
            static const uint32_t ro[] = { 0x100, 0x180, 0x200, 0x280, 0x300, 0x380, 0x080, 0xC04 };
            unsigned r = pick(8);
            uint32_t v = r == 7 ? (static_cast<uint32_t>(rng_()) & 0xaaaaaaaau) : sparse();
            if (r == 6) {
                if (!deferred_.empty()) return acc(GIC_FRAME_GICR_SGI, false, 4, k, 0x080);
                uint32_t m = sparse() & ~(1u << c_.maint_ppi);
                rgrp_[k] ^= m;
                deferred_.push_back({ 0, acc(GIC_FRAME_GICR_SGI, true, 4, k, 0x080, rgrp_[k]) });
                deferred_.push_back({ now_ + 12, acc(GIC_FRAME_GICR_SGI, true, 4, k, 0x100, m) });
                return acc(GIC_FRAME_GICR_SGI, true, 4, k, 0x180, m);
            }
            if (r == 5 && chance(0.7)) r = 4;
            return acc(GIC_FRAME_GICR_SGI, true, 4, k, ro[r], v);
        }
        if (w < 76) return acc(GIC_FRAME_GICR_SGI, true, 1, k, 0x400 + pick(32), prio());
        if (w < 77) return acc(GIC_FRAME_GICR_RD, true, 4, k, 0x14, chance(0.85) ? 0 : 2);
        // --- CPU interface ---
        if (w < 81) {
            uint64_t v = uint64_t(pick(16)) << 24;
            if (chance(0.15)) v |= 1ull << 40;
            else
                for (unsigned t = 0; t < c_.cpus; t++)
                    if (chance(0.4)) v |= 1ull << t;
            unsigned r = pick(10); // SGI1R, SGI0R, ASGI1R (timing.md 4.9: as SGI1R with one Security state)
            if (r >= 8) n_asgi_++;
            return sys(k, true, r < 5 ? ICC_SGI1R_EL1_ENC : r < 8 ? ICC_SGI0R_EL1_ENC : ICC_ASGI1R_EL1_ENC, v);
        }
        if (w < 83) return sys(k, true, ICC_PMR_EL1_ENC, chance(0.8) ? 0xf0 + pick(16) : prio());
        if (w < 84) return sys(k, true, chance(0.5) ? ICC_BPR0_EL1_ENC : ICC_BPR1_EL1_ENC, pick(8));
        if (w < 85) {
            if (C.act.empty() && C.dir.empty() && chance(0.3)) C.eoim = !C.eoim;
            C.cbpr = chance(0.2);
            return sys(k, true, ICC_CTLR_EL1_ENC, (C.eoim ? 2 : 0) | (C.cbpr ? 1 : 0));
        }
        if (w < 86) return sys(k, true, chance(0.5) ? ICC_IGRPEN0_EL1_ENC : ICC_IGRPEN1_EL1_ENC, chance(0.85) ? 1 : 0);
        // --- reads ---
        if (w < 93) {
            static const uint32_t cr[] = { ICC_HPPIR0_EL1_ENC, ICC_HPPIR1_EL1_ENC,  ICC_RPR_EL1_ENC,
                                           ICC_PMR_EL1_ENC,    ICC_BPR0_EL1_ENC,    ICC_BPR1_EL1_ENC,
                                           ICC_CTLR_EL1_ENC,   ICC_IGRPEN0_EL1_ENC, ICC_IGRPEN1_EL1_ENC,
                                           ICC_AP0R_EL1_ENC,   ICC_AP1R_EL1_ENC,    ICC_SRE_EL1_ENC };
            return sys(k, false, cr[pick(12)]);
        }
        if (w < 96) {
            static const uint32_t dr[] = { 0x0, 0x4, 0x80, 0x100, 0x180, 0x200, 0x280, 0x300, 0x380, 0x400, 0xC00 };
            unsigned r = pick(11);
            uint32_t off = dr[r];
            if (off >= 0x80 && off < 0x400) off += 4 * n;
            else if (off == 0x400) off += 4 * (8 + pick(nb > 1 ? 8 * (nb - 1) : 1));
            else if (off == 0xC00) off += 4 * (2 + pick(nb > 1 ? 2 * nb - 2 : 1));
            return acc(GIC_FRAME_GICD, false, 4, 0, off);
        }
        if (w < 98) {
            static const uint32_t rr[] = { 0x80, 0x100, 0x200, 0x300, 0x400, 0xC00, 0xC04 };
            return acc(GIC_FRAME_GICR_SGI, false, 4, k, rr[pick(7)]);
        }
        if (c_.spis) return acc(GIC_FRAME_GICD, false, 8, 0, 0x6100 + 8 * pick(c_.spis));
        return acc(GIC_FRAME_GICR_RD, false, 4, k, 0x0);
    }
};

// ---------------- the constrained-random generator, GICv2 (IHI0048B) ----------------
// The same discipline as the GICv3 generator (architecturally defined accesses only): EOIs in acknowledge order
// through the register pair that acknowledged (GICC_IAR -> GICC_EOIR, GICC_AIAR -> GICC_AEOIR, with the SGI's
// CPUID as the IAR returned it), never while an acknowledge is in flight on that CPU, DIR only with EOImode 1,
// EOImode and AckCtl changed only with nothing active; one vINTID range per list register (virtual SGIs: vINTID = the
// LR index, with a source CPUID), no HW=1 pending+active. The accesses are the memory-mapped frames GICD (banked
// INTIDs 0..31 through the accessing CPU), GICC, GICH and GICV.
class Random2 : public RandomBase {
public:
    Random2(uint64_t seed, uint64_t cycles, const StimConfig &c) : RandomBase(seed, cycles, c) { setup(); }

    void apr_restored(const Access &a) override
    {
        Cpu &C = cpu_[a.cpu];
        (a.frame == GIC_FRAME_GICC ? C.apr_lock : C.vapr_lock) = false;
    }

    void on_response(uint64_t seq, const Access &a, int status, uint64_t data) override
    {
        if (a.cpu < cpu_.size()) save_apr(cpu_[a.cpu].apr_seq, seq, a, data);
        bool iar = !a.write && (a.offset == GICC_IAR_OFFSET || a.offset == GICC_AIAR_OFFSET);
        if (a.frame == GIC_FRAME_GICC && iar) cpu_[a.cpu].inflight_iar--;
        if (a.frame == GIC_FRAME_GICV && iar) cpu_[a.cpu].inflight_viar--;
        if (status != GIC_OK || !iar || (data & 0x3ff) >= 1020) return;
        Act x{ static_cast<uint32_t>(data & 0x1fff), a.offset == GICC_AIAR_OFFSET };
        if (a.frame == GIC_FRAME_GICC) {
            cpu_[a.cpu].act.push_back(x);
            n_ack_++;
            if ((data & 0x3ff) < 16) n_ack_sgi_++;
            if (data >> 10) n_ack_cpuid_++;
        } else if (a.frame == GIC_FRAME_GICV) {
            cpu_[a.cpu].vact.push_back(x);
            n_vack_++;
            if ((data & 0x3ff) < 16) n_vack_sgi_++;
        }
    }

    std::string stats() const override
    {
        return "acknowledged " + std::to_string(n_ack_) + " (SGI " + std::to_string(n_ack_sgi_) +
               ", with a source CPUID " + std::to_string(n_ack_cpuid_) + "), virtual " + std::to_string(n_vack_) +
               " (vSGI " + std::to_string(n_vack_sgi_) + "); GICD_SGIR writes " + std::to_string(n_sgir_) +
               ", ITARGETSR writes " + std::to_string(n_tgt_) + ", HW=1 LR writes " + std::to_string(n_hwlr_) +
               "; virtual EOIs of a vINTID in no LR " + std::to_string(n_veoi_unlisted_) + "; APR writes " +
               std::to_string(n_apr_zero_) + " zero, " + std::to_string(n_apr_restore_) +
               " restored; GICV_CTLR writes " + std::to_string(n_vctlr_) +
               (c_.mid_reset ? "; resets " + std::to_string(n_reset_) : std::string());
    }

private:
    struct Act {
        uint32_t id;  // INTID | CPUID << 10, as the IAR returned it
        bool aliased; // acknowledged through GICC_AIAR / GICV_AIAR (EOI through _AEOIR)
    };
    struct Cpu {
        std::vector<Act> act, vact;
        std::vector<uint32_t> dir, vdir;
        bool eoim = false, veoim = false, ackctl = true, vackctl = true;
        unsigned inflight_iar = 0, inflight_viar = 0;
        // APR save/restore: from the read until the write-back, no acknowledge or EOI of that side on this CPU
        bool apr_lock = false, vapr_lock = false;
        uint64_t apr_seq = UINT64_MAX; // the access number of the APR read whose value is to be written back
    };
    std::vector<Cpu> cpu_;
    uint64_t n_apr_zero_ = 0, n_vctlr_ = 0;
    uint64_t n_ack_ = 0, n_ack_sgi_ = 0, n_ack_cpuid_ = 0, n_vack_ = 0, n_vack_sgi_ = 0, n_sgir_ = 0, n_tgt_ = 0,
             n_hwlr_ = 0, n_veoi_unlisted_ = 0;

    uint32_t targets() { return 1u + pick((1u << c_.cpus) - 1); } // a non-empty target list
    static Access d2(unsigned cpu, bool w, uint32_t off, uint64_t d = 0, uint8_t size = 4)
    {
        return acc(GIC_FRAME_GICD, w, size, cpu, off, d);
    }
    static Access cc(unsigned cpu, bool w, uint32_t off, uint64_t d = 0)
    {
        return acc(GIC_FRAME_GICC, w, 4, cpu, off, d);
    }
    static Access ch(unsigned cpu, bool w, uint32_t off, uint64_t d = 0)
    {
        return acc(GIC_FRAME_GICH, w, 4, cpu, off, d);
    }
    static Access cv(unsigned cpu, bool w, uint32_t off, uint64_t d = 0)
    {
        return acc(GIC_FRAME_GICV, w, 4, cpu, off, d);
    }
    uint32_t ctlr(const Cpu &C, bool fiqen)
    {
        return GICC_CTLR_ENABLEGRP0_MASK | GICC_CTLR_ENABLEGRP1_MASK | (C.ackctl ? GICC_CTLR_ACKCTL_MASK : 0) |
               (fiqen ? GICC_CTLR_FIQEN_MASK : 0) | (chance(0.2) ? GICC_CTLR_CBPR_MASK : 0) |
               (C.eoim ? GICC_CTLR_EOIMODE_MASK : 0);
    }
    uint32_t vmcr(const Cpu &C)
    {
        return ((chance(0.9) ? 0x1fu : pick(32)) << GICH_VMCR_VMPRIMASK_SHIFT) | (pick(8) << GICH_VMCR_VMBP_SHIFT) |
               (pick(8) << GICH_VMCR_VMABP_SHIFT) | (C.veoim ? GICH_VMCR_VEM_MASK : 0) |
               (chance(0.2) ? GICH_VMCR_VMCBPR_MASK : 0) | (chance(0.3) ? GICH_VMCR_VMFIQEN_MASK : 0) |
               (C.vackctl ? GICH_VMCR_VMACKCTL_MASK : 0) | (chance(0.9) ? GICH_VMCR_VMGRP1EN_MASK : 0) |
               (chance(0.9) ? GICH_VMCR_VMGRP0EN_MASK : 0);
    }

    // Both groups on, each CPU interface open, the banked SGI/PPI registers, the SPIs' enables, groups and targets.
    void setup() override
    {
        cpu_.assign(c_.cpus, Cpu());
        apr_wb_.clear();
        setup_.push_back(d2(0, true, GICD_CTLR_OFFSET, 3));
        for (unsigned k = 0; k < c_.cpus; k++) {
            setup_.push_back(cc(k, true, GICC_PMR_OFFSET, 0xf0));
            setup_.push_back(cc(k, true, GICC_CTLR_OFFSET, ctlr(cpu_[k], chance(0.3))));
            setup_.push_back(d2(k, true, 0x100, 0xffffffffu & ~(1u << c_.maint_ppi)));
            setup_.push_back(d2(k, true, 0x080, static_cast<uint32_t>(rng_())));
            setup_.push_back(ch(k, true, GICH_HCR_OFFSET, GICH_HCR_EN_MASK));
            setup_.push_back(ch(k, true, GICH_VMCR_OFFSET, vmcr(cpu_[k])));
        }
        unsigned nb = (32 + c_.spis + 31) / 32;
        for (unsigned n = 1; n < nb; n++) {
            setup_.push_back(d2(0, true, 0x100 + 4 * n, static_cast<uint32_t>(rng_())));
            setup_.push_back(d2(0, true, 0x080 + 4 * n, static_cast<uint32_t>(rng_())));
        }
        for (unsigned i = 0; i < c_.spis; i += 4) {
            uint32_t v = 0;
            for (unsigned b = 0; b < 4; b++) v |= targets() << (8 * b);
            setup_.push_back(d2(0, true, GICD_ITARGETSR_OFFSET + 32 + i, v));
        }
    }

    Access random_access() override
    {
        unsigned k = pick(c_.cpus);
        Cpu &C = cpu_[k];
        unsigned nb = (32 + c_.spis + 31) / 32;
        unsigned n = nb > 1 ? 1 + pick(nb - 1) : 1;
        unsigned w = pick(100);
        if (auto a = apr_access(k, C)) return *a;
        if (w < 20 && !C.apr_lock) return physical(k, C, w);
        if (w < 20) return cc(k, false, GICC_RPR_OFFSET);
        if (w < 33 && C.vapr_lock) return cv(k, false, GICV_RPR_OFFSET);
        if (w < 51 && c_.lrs) return virtual_access(k, C, w);
        if (w < 70) return distributor(k, w, n, nb);
        return other(k, C, w, n, nb);
    }

    // APR writes the architecture defines (IHI0048B 4.4.12 GICC_APRn, 5.3.8 GICH_APR, 5.4 GICV_APRn: software
    // restores the value it read): zero with nothing active on that side, or save (read now, written back once the
    // value is known; meanwhile no acknowledge or EOI of that side on this CPU).
    std::optional<Access> apr_access(unsigned k, Cpu &C)
    {
        if (!chance(0.02)) return std::nullopt;
        bool virt = c_.lrs && chance(0.5);
        bool &lock = virt ? C.vapr_lock : C.apr_lock;
        Access a = virt ? (chance(0.5) ? ch(k, false, GICH_APR_OFFSET) : cv(k, false, GICV_APR_OFFSET))
                        : cc(k, false, GICC_APR_OFFSET + 4 * pick(4)); // 7 preemption bits: 4 registers
        bool none_active = virt ? (C.vact.empty() && C.inflight_viar == 0) : (C.act.empty() && C.inflight_iar == 0);
        if (lock || C.apr_seq != UINT64_MAX) return std::nullopt;
        if (none_active && chance(0.5)) { // nothing active: zero
            n_apr_zero_++;
            a.write = true;
            return a;
        }
        lock = true; // save: read now, write the value back once it is known
        C.apr_seq = issued_;
        return a;
    }

    // The physical handler loop: GICC_IAR/AIAR, EOIR/AEOIR in acknowledge order, DIR with EOImode 1.
    Access physical(unsigned k, Cpu &C, unsigned w)
    {
        if (w < 17 && !C.act.empty() && C.inflight_iar == 0) {
            Act a = C.act.back();
            C.act.pop_back();
            if (C.eoim) C.dir.push_back(a.id);
            return cc(k, true, a.aliased ? GICC_AEOIR_OFFSET : GICC_EOIR_OFFSET, a.id);
        }
        if (w >= 17 && !C.dir.empty()) {
            unsigned i = pick(static_cast<unsigned>(C.dir.size()));
            uint32_t id = C.dir[i];
            C.dir.erase(C.dir.begin() + i);
            return cc(k, true, GICC_DIR_OFFSET, id);
        }
        C.inflight_iar++;
        return cc(k, false, chance(0.75) ? GICC_IAR_OFFSET : GICC_AIAR_OFFSET);
    }

    // The virtual handler loop (GICV_*) and the hypervisor's GICH_* writes and reads.
    Access virtual_access(unsigned k, Cpu &C, unsigned w)
    {
        if (w < 26) {
            C.inflight_viar++;
            return cv(k, false, chance(0.75) ? GICV_IAR_OFFSET : GICV_AIAR_OFFSET);
        }
        if (w < 31 && !C.vact.empty() && C.inflight_viar == 0) {
            Act a = C.vact.back();
            C.vact.pop_back();
            if (C.veoim) C.vdir.push_back(a.id);
            return cv(k, true, a.aliased ? GICV_AEOIR_OFFSET : GICV_EOIR_OFFSET, a.id);
        }
        if (w < 33 && !C.vdir.empty()) {
            uint32_t id = C.vdir.back();
            C.vdir.pop_back();
            return cv(k, true, GICV_DIR_OFFSET, id);
        }
        if (w < 42) { // a list register: its own vINTID range (a virtual SGI: vINTID = the LR index, a CPUID)
            unsigned l = pick(c_.lrs);
            bool hw = chance(0.35), vsgi = !hw && chance(0.15);
            unsigned st = hw ? (chance(0.8) ? 1 : (chance(0.5) ? 2 : 0)) : (chance(0.7) ? 1 : pick(4));
            uint32_t vid = vsgi ? l : 32 + 16 * l + pick(16);
            uint32_t pid = c_.spis ? 32 + pick(c_.spis) : 16 + pick(16);
            n_hwlr_ += hw;
            return ch(k, true, GICH_LR_OFFSET + 4 * l,
                      gich_lr(st, hw, chance(0.7), prio(), vid, pid, !hw && chance(0.4), vsgi ? pick(c_.cpus) : 0));
        }
        if (w < 44) {
            uint32_t v =
                GICH_HCR_EN_MASK | (pick(256) & 0xfe) | (chance(0.1) ? (pick(32) << GICH_HCR_EOICOUNT_SHIFT) : 0);
            return ch(k, true, GICH_HCR_OFFSET, v);
        }
        if (w < 46) {
            if (C.vact.empty() && C.vdir.empty() && C.inflight_viar == 0 && chance(0.3)) C.veoim = !C.veoim;
            if (C.vact.empty() && C.inflight_viar == 0 && chance(0.2)) C.vackctl = !C.vackctl;
            if (chance(0.3)) { // the guest's own GICV_CTLR (the same VMCR fields)
                n_vctlr_++;
                return cv(k, true, GICV_CTLR_OFFSET,
                          (chance(0.9) ? GICC_CTLR_ENABLEGRP0_MASK : 0) |
                              (chance(0.9) ? GICC_CTLR_ENABLEGRP1_MASK : 0) | (C.vackctl ? GICC_CTLR_ACKCTL_MASK : 0) |
                              (chance(0.3) ? GICC_CTLR_FIQEN_MASK : 0) | (chance(0.2) ? GICC_CTLR_CBPR_MASK : 0) |
                              (C.veoim ? GICC_CTLR_EOIMODE_MASK : 0));
            }
            return ch(k, true, GICH_VMCR_OFFSET, vmcr(C));
        }
        if (w < 47 && !C.vapr_lock) { // a vINTID in no LR: drops a priority and counts only with an acknowledge open
            n_veoi_unlisted_++;
            return cv(k, true, GICV_EOIR_OFFSET, 600 + pick(50));
        }
        if (w < 49) {
            static const uint32_t vr[] = { GICV_HPPIR_OFFSET, GICV_AHPPIR_OFFSET, GICV_RPR_OFFSET,  GICV_PMR_OFFSET,
                                           GICV_BPR_OFFSET,   GICV_ABPR_OFFSET,   GICV_CTLR_OFFSET, GICV_APR_OFFSET };
            return cv(k, false, vr[pick(8)]);
        }
        static const uint32_t hr[] = { GICH_MISR_OFFSET, GICH_EISR_OFFSET, GICH_ELRSR_OFFSET, GICH_HCR_OFFSET,
                                       GICH_VMCR_OFFSET, GICH_APR_OFFSET,  GICH_VTR_OFFSET };
        if (chance(0.5)) return ch(k, false, GICH_LR_OFFSET + 4 * pick(c_.lrs));
        return ch(k, false, hr[pick(7)]);
    }

    // Distributor writes: SPI enables, pending, active, priorities, groups, configuration, targets, CTLR, SGIR.
    Access distributor(unsigned k, unsigned w, unsigned n, unsigned nb)
    {
        if (w < 55) return d2(0, true, (chance(0.5) ? 0x100 : 0x180) + 4 * n, sparse());
        if (w < 59) return d2(0, true, (chance(0.6) ? 0x200 : 0x280) + 4 * n, sparse());
        if (w < 60) return d2(0, true, (chance(0.3) ? 0x300 : 0x380) + 4 * n, sparse());
        if (w < 62) {
            if (chance(0.5)) return d2(0, true, 0x400 + 32 + pick(c_.spis ? c_.spis : 1), prio(), 1);
            return d2(0, true, 0x400 + 4 * (8 + pick(nb > 1 ? 8 * (nb - 1) : 1)), static_cast<uint32_t>(rng_()));
        }
        if (w < 63) return d2(0, true, 0x080 + 4 * n, static_cast<uint32_t>(rng_()));
        if (w < 64)
            return d2(0, true, 0xC00 + 4 * (2 + pick(nb > 1 ? 2 * nb - 2 : 1)),
                      static_cast<uint32_t>(rng_()) & 0xaaaaaaaau);
        if (w < 66 && c_.spis) { // GICD_ITARGETSR: a byte, or a word of four SPIs (bits of absent CPUs RAZ/WI)
            n_tgt_++;
            unsigned i = pick(c_.spis);
            if (chance(0.6)) return d2(0, true, GICD_ITARGETSR_OFFSET + 32 + i, chance(0.9) ? targets() : pick(256), 1);
            uint32_t v = 0;
            for (unsigned b = 0; b < 4; b++) v |= targets() << (8 * b);
            return d2(0, true, GICD_ITARGETSR_OFFSET + 32 + (i & ~3u), v);
        }
        if (w < 67) return d2(0, true, GICD_CTLR_OFFSET, chance(0.9) ? 3 : pick(4));
        n_sgir_++; // GICD_SGIR: a target list, every other CPU or the writer itself
        unsigned f = chance(0.6) ? 0 : chance(0.5) ? 1 : 2;
        return d2(k, true, GICD_SGIR_OFFSET,
                  GIC_FIELD_VAL(GICD_SGIR_TARGETLISTFILTER, f) | GIC_FIELD_VAL(GICD_SGIR_CPUTARGETLIST, pick(256)) |
                      GIC_FIELD_VAL(GICD_SGIR_SGIINTID, pick(16)));
    }

    // The banked registers of INTIDs 0..31 and GICD_SPENDSGIR/CPENDSGIR, CPU interface writes, then reads.
    Access other(unsigned k, Cpu &C, unsigned w, unsigned n, unsigned nb)
    {
        if (w < 74) {
            static const uint32_t ro[] = { 0x100, 0x180, 0x200, 0x280, 0x300, 0x380, 0x080, 0xC04 };
            unsigned r = pick(8);
            if (r == 5 && chance(0.7)) r = 4;
            uint32_t v = r == 7 ? (static_cast<uint32_t>(rng_()) & 0xaaaaaaaau) : sparse();
            if (r == 6) v = sparse() & ~(1u << c_.maint_ppi);
            if (r == 6) return d2(k, true, 0x080, static_cast<uint32_t>(rng_()) & ~(1u << c_.maint_ppi));
            return d2(k, true, ro[r], v);
        }
        if (w < 76) return d2(k, true, 0x400 + pick(32), prio(), 1);
        if (w < 78) { // SGIs pending per source: a source byte of one SGI, or a word
            uint32_t off = (chance(0.6) ? GICD_SPENDSGIR_OFFSET : GICD_CPENDSGIR_OFFSET) + pick(16);
            if (chance(0.5)) return d2(k, true, off, 1u << pick(c_.cpus), 1);
            return d2(k, true, off & ~3u, sparse());
        }
        if (w < 80) return cc(k, true, GICC_PMR_OFFSET, chance(0.8) ? 0xf0 + pick(16) : prio());
        if (w < 81) return cc(k, true, chance(0.5) ? GICC_BPR_OFFSET : GICC_ABPR_OFFSET, pick(8));
        if (w < 82) {
            bool idle = C.act.empty() && C.dir.empty() && C.inflight_iar == 0;
            if (idle && chance(0.3)) C.eoim = !C.eoim;
            if (C.act.empty() && C.inflight_iar == 0 && chance(0.2)) C.ackctl = !C.ackctl;
            return cc(k, true, GICC_CTLR_OFFSET, ctlr(C, chance(0.3)));
        }
        if (w < 90) {
            static const uint32_t cr[] = { GICC_HPPIR_OFFSET, GICC_AHPPIR_OFFSET, GICC_RPR_OFFSET,
                                           GICC_PMR_OFFSET,   GICC_BPR_OFFSET,    GICC_ABPR_OFFSET,
                                           GICC_CTLR_OFFSET,  GICC_APR_OFFSET,    GICC_APR_OFFSET + 4 };
            return cc(k, false, cr[pick(9)]);
        }
        if (w < 96) {
            static const uint32_t dr[] = { 0x0, 0x4, 0x80, 0x100, 0x200, 0x300, 0x400, 0x800, 0xC00, 0xF20, 0xF10 };
            uint32_t off = dr[pick(11)];
            if (off >= 0x80 && off < 0x400) off += 4 * (chance(0.3) ? 0 : n);
            else if (off == 0x400 || off == 0x800) off += 4 * pick(8 * nb);
            else if (off == 0xC00) off += 4 * pick(2 * nb);
            else if (off >= 0xF10) off += 4 * pick(4);
            return d2(k, false, off);
        }
        return d2(k, false, 0x200 + 4 * pick(nb));
    }
};

} // namespace

std::vector<std::string> scenario_names(unsigned version)
{
    std::vector<std::string> v;
    if (version == 2)
        for (const auto &d : kScenariosV2) v.push_back(d.name);
    else
        for (const ScenarioDef &d : kScenarios) v.push_back(d.name);
    return v;
}

std::unique_ptr<Stimulus> make_scenario(const std::string &name, const StimConfig &cfg) { return build(name, cfg); }

std::unique_ptr<Stimulus> make_random(uint64_t seed, uint64_t cycles, const StimConfig &cfg)
{
    if (cfg.version == 2) return std::make_unique<Random2>(seed, cycles, cfg);
    return std::make_unique<Random>(seed, cycles, cfg);
}

} // namespace rtlb
