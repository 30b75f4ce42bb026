// rtl_io.h: the bridge's view of one Verilated GIC reference model (pins of gic_top.sv), independent of its parameters.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rtlb {

struct RtlResponse {
    bool valid = false;
    uint16_t tag = 0;
    uint64_t data = 0;
    int status = 0; // enum gic_status value (0 or negative)
};

/* The trace (observation) port of gic_top, read after clock(): what the next edge (cycle c) applies. */
struct RtlObs {
    bool acc_valid = false;
    uint16_t acc_tag = 0;
    uint64_t acc_data = 0;
    int acc_status = 0; // gic_status (0 or negative)
    bool deact_valid = false;
    unsigned deact_cpu = 0, deact_intid = 0;
    bool hwdeact_valid = false;
    unsigned hwdeact_cpu = 0, hwdeact_intid = 0;
    bool hwfwd_valid = false;
    unsigned hwfwd_cpu = 0, hwfwd_pintid = 0, hwfwd_lr = 0;
    uint32_t hwfwd_vintid = 0;
    bool operator==(const RtlObs &o) const
    {
        return acc_valid == o.acc_valid && acc_tag == o.acc_tag && acc_data == o.acc_data &&
               acc_status == o.acc_status && deact_valid == o.deact_valid && deact_cpu == o.deact_cpu &&
               deact_intid == o.deact_intid && hwdeact_valid == o.hwdeact_valid && hwdeact_cpu == o.hwdeact_cpu &&
               hwdeact_intid == o.hwdeact_intid && hwfwd_valid == o.hwfwd_valid && hwfwd_cpu == o.hwfwd_cpu &&
               hwfwd_pintid == o.hwfwd_pintid && hwfwd_lr == o.hwfwd_lr && hwfwd_vintid == o.hwfwd_vintid;
    }
    bool operator!=(const RtlObs &o) const { return !(*this == o); }
};
/* State vectors of the trace port, read after clock(): the state at the end of the cycle just clocked. */
struct RtlState {                                   // sized by the adapter
    std::vector<uint32_t> spi_pend, spi_act;        // W/32 words (word n = GICD_ISPENDR<n> bits; word 0 is 0)
    std::vector<uint32_t> ppi_pend, ppi_act;        // one word per CPU (GICR_ISPENDR0/ISACTIVER0)
    std::vector<uint64_t> lr;                       // cpu * lrs() + n
    std::vector<uint8_t> misr, eoicount, rpr, vrpr; // per CPU
    bool operator==(const RtlState &o) const
    {
        return spi_pend == o.spi_pend && spi_act == o.spi_act && ppi_pend == o.ppi_pend && ppi_act == o.ppi_act &&
               lr == o.lr && misr == o.misr && eoicount == o.eoicount && rpr == o.rpr && vrpr == o.vrpr;
    }
    bool operator!=(const RtlState &o) const { return !(*this == o); }
};

class RtlIo {
public:
    virtual ~RtlIo() = default;
    virtual unsigned cpus() const = 0;
    virtual unsigned spis() const = 0;
    virtual unsigned lrs() const = 0;
    /* Built with ONE_OF_N = 1: GICD_IROUTER.IRM is implemented (GICD_TYPER.No1N = 0). */
    virtual bool one_of_n() const { return false; }
    /* CPU_PRIO_BITS: priority bits of the physical CPU interfaces (gic_config.cpu_prio_bits). */
    virtual unsigned cpu_prio_bits() const { return 5; }
    /* GIC_VERSION: 3 (GICv3) or 2 (GICv2 with the virtualization extensions: frames GICD, GICC, GICH, GICV). */
    virtual unsigned version() const { return 3; }
    /* Synchronous reset for one clock edge, with the inputs as set (the level synchronisers take the pins' levels).
     * Before the first cycle it is no GIC cycle (the bridge's cycle 0 follows it); in the middle of a run it replaces
     * clock() for the cycle that resets (gic_reset() then gic_step(1) on the C side: time goes on). */
    virtual void reset() = 0;
    /* Inputs for the cycle about to be clocked. */
    virtual void set_request(bool valid, uint8_t frame, bool write, uint8_t size, uint16_t cpu, uint32_t offset,
                             uint64_t wdata, uint16_t tag) = 0;
    virtual void set_spi(unsigned n, bool level, bool rise) = 0;               /* n = INTID - 32 */
    virtual void set_ppi(unsigned cpu, unsigned j, bool level, bool rise) = 0; /* j = INTID - 16 */
    /* Clock one GIC cycle (rising edge), then evaluate. */
    virtual void clock() = 0;
    /* After clock(): the response lanes and the pins (enum gic_output bitmask). */
    virtual RtlResponse response(int lane) = 0;
    virtual uint32_t outputs(unsigned cpu) = 0;
    /* After clock(): the trace port (what cycle c, the next edge, applies), and the state at the end of the cycle
     * just clocked. Both only read Verilated output members. */
    virtual RtlObs observe() = 0;
    virtual void state(RtlState &s) = 0;
    /* After clock() and after the inputs were made idle (no request, no rise, levels held): 0 means the design is at
     * a fixed point until an input changes (gic_top's qactive contract, docs/rtl.md "Idle indication"). Evaluates the
     * model once (qactive depends combinationally on the inputs). */
    virtual bool qactive() = 0;
    /* After qactive(), the value it evaluated without the response lanes (gic_top's qactive_core): 0 means that only
     * responses already computed are left in the lanes (delivered at their cycles, then the lanes return to 0): the
     * C kernel's "no event left", gic_next_event() == GIC_CYCLE_NEVER. */
    virtual bool qactive_core() = 0;
    /* Side-effect-free debug read of the full register at (frame, cpu, offset). */
    virtual uint64_t debug_read(uint8_t frame, uint16_t cpu, uint32_t offset) = 0;
    /* Waveform: open a VCD file; dump(time) records the current values. */
    virtual void trace_open(const std::string &path) = 0;
    virtual void trace_dump(uint64_t time) = 0;
    virtual void trace_close() = 0;
};

struct RtlVariant {
    std::string name;
    unsigned cpus, spis, lrs;
    bool one_of_n = false;      // ONE_OF_N = 1 (1-of-N SPI routing)
    unsigned cpu_prio_bits = 5; // CPU_PRIO_BITS
    unsigned version = 3;       // GIC_VERSION
};
const std::vector<RtlVariant> &rtl_variants();
std::unique_ptr<RtlIo> make_rtl(const std::string &name);

} // namespace rtlb
