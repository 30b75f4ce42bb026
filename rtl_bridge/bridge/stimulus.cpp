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

// ---------------- script engine for the directed scenarios ----------------
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
        Access a;
        a.frame = frame;
        a.write = write;
        a.size = size;
        a.cpu = static_cast<uint16_t>(cpu);
        a.offset = off;
        a.data = data;
        steps.push_back({ Step::ACC, 0, {}, a });
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
    for (const ScenarioDef &d : kScenarios)
        if (name == d.name) {
            auto s = std::make_unique<Script>();
            d.build(*s, c);
            return s;
        }
    return nullptr;
}

// ---------------- the constrained-random generator ----------------
class Random : public Stimulus {
public:
    Random(uint64_t seed, uint64_t cycles, const StimConfig &c) : rng_(seed), cycles_(cycles), c_(c)
    {
        spi_lvl_.assign(c.spis, 0);
        ppi_lvl_.assign(c.cpus * 16, 0);
        setup();
    }

    // The set-up (at the start and after every reset): both groups on, every redistributor awake, CPU interfaces open,
    // virtual interface on; and the generator's view of the state as after reset.
    void setup()
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

    bool next(uint64_t cycle, CycleStim &s) override
    {
        if (cycle >= cycles_) return false;
        now_ = cycle;
        if (!setup_.empty()) {
            s.has_access = true;
            s.access = setup_.front();
            setup_.pop_front();
            issued_++;
            return true;
        }
        // a reset of both sides (timing.md 6: every message and access in flight is dropped, time goes on): the
        // generator forgets what it had in flight and sets the GIC up again; the pins keep their levels
        if (c_.mid_reset && chance(1.0 / 25000)) {
            s.reset = true;
            n_reset_++;
            setup();
            return true;
        }
        if (!deferred_.empty() && deferred_.front().first <= cycle) {
            s.has_access = true;
            s.access = deferred_.front().second;
            deferred_.pop_front();
            issued_++;
            return true;
        }
        if (!apr_wb_.empty()) { // an APR value read back, written as a context switch restores it
            s.has_access = true;
            s.access = apr_wb_.front();
            apr_wb_.pop_front();
            Cpu &C = cpu_[s.access.cpu];
            (s.access.offset == ICH_AP0R_EL2_ENC || s.access.offset == ICH_AP1R_EL2_ENC ? C.vapr_lock : C.apr_lock) =
                false;
            n_apr_restore_++;
            issued_++;
            return true;
        }
        // input lines
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
            {
                PinChange p;
                p.ppi = true;
                p.cpu = k;
                p.intid = 16 + j;
                p.level = !ppi_lvl_[k * 16 + j];
                ppi_lvl_[k * 16 + j] = p.level;
                if (16 + j == c_.maint_ppi) n_maint_wire_++;
                s.pins.push_back(p);
            }
        }
        if (chance(0.55)) {
            s.has_access = true;
            s.access = random_access();
            issued_++;
        }
        return true;
    }

    void on_response(uint64_t seq, const Access &a, int status, uint64_t data) override
    {
        if (a.cpu < cpu_.size() && seq == cpu_[a.cpu].apr_seq) { // the saved APR: write it back
            cpu_[a.cpu].apr_seq = UINT64_MAX;
            Access w = a;
            w.write = true;
            w.data = data;
            apr_wb_.push_back(w);
        }
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
    std::mt19937_64 rng_;
    uint64_t cycles_;
    StimConfig c_;
    std::vector<Cpu> cpu_;
    std::vector<uint8_t> spi_lvl_, ppi_lvl_;
    std::deque<Access> setup_;
    std::deque<std::pair<uint64_t, Access>> deferred_; // (not before cycle, access)
    std::vector<uint32_t> dgrp_, rgrp_;                // group registers as written (only we write them)
    std::deque<Access> apr_wb_;                        // APR values read, to be written back
    std::vector<uint8_t> irm_;                         // per SPI: IROUTER.IRM as last written
    uint64_t now_ = 0, issued_ = 0;                    // issued_: accesses returned so far (the bridge's seq)
    uint64_t n_ack_ = 0, n_ack_sgi_ = 0, n_ack_ppi_ = 0, n_vack_ = 0, n_misr_ = 0, n_regroup_ = 0, n_maint_ack_ = 0,
             n_maint_wire_ = 0, n_asgi_ = 0, n_irm_write_ = 0, n_apr_zero_ = 0, n_apr_restore_ = 0, n_reset_ = 0,
             n_veoi_unlisted_idle_ = 0, n_veoi_unlisted_active_ = 0;
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
    bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
    unsigned pick(unsigned n) { return n ? static_cast<unsigned>(rng_() % n) : 0; }
    static Access acc(uint8_t f, bool w, uint8_t size, unsigned cpu, uint32_t off, uint64_t d = 0)
    {
        Access a;
        a.frame = f;
        a.write = w;
        a.size = size;
        a.cpu = static_cast<uint16_t>(cpu);
        a.offset = off;
        a.data = d;
        return a;
    }
    static Access sys(unsigned cpu, bool w, uint32_t e, uint64_t d = 0)
    {
        return acc(GIC_FRAME_SYSREG, w, 8, cpu, e, d);
    }
    static Access vsys(unsigned cpu, bool w, uint32_t e, uint64_t d = 0)
    {
        return acc(GIC_FRAME_VSYSREG, w, 8, cpu, e, d);
    }
    uint32_t sparse()
    {
        uint32_t v = 0;
        unsigned n = 1 + pick(3);
        for (unsigned i = 0; i < n; i++) v |= 1u << pick(32);
        return v;
    }
    uint32_t prio() { return static_cast<uint32_t>(rng_() & 0xff); }

    // One random access of the CPU-side software and the device side, drawn in this order: an APR save/zero, the
    // physical handler loop, the virtual one (with list registers), the distributor, then the rest (w: 0..99 picks
    // which, with the thresholds below as weights).
    Access random_access()
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

} // namespace

std::vector<std::string> scenario_names()
{
    std::vector<std::string> v;
    for (const ScenarioDef &d : kScenarios) v.push_back(d.name);
    return v;
}

std::unique_ptr<Stimulus> make_scenario(const std::string &name, const StimConfig &cfg) { return build(name, cfg); }

std::unique_ptr<Stimulus> make_random(uint64_t seed, uint64_t cycles, const StimConfig &cfg)
{
    return std::make_unique<Random>(seed, cycles, cfg);
}

} // namespace rtlb
