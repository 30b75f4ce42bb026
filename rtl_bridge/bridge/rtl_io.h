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
    int status = 0;  // enum gic_status value (0 or negative)
};

class RtlIo {
public:
    virtual ~RtlIo() = default;
    virtual unsigned cpus() const = 0;
    virtual unsigned spis() const = 0;
    virtual unsigned lrs() const = 0;
    /* Synchronous reset for one clock (not a GIC cycle: the bridge's cycle 0 follows it). */
    virtual void reset() = 0;
    /* Inputs for the cycle about to be clocked. */
    virtual void set_request(bool valid, uint8_t frame, bool write, uint8_t size, uint16_t cpu, uint32_t offset,
                             uint64_t wdata, uint16_t tag) = 0;
    virtual void set_spi(unsigned n, bool level, bool rise) = 0;            /* n = INTID - 32 */
    virtual void set_ppi(unsigned cpu, unsigned j, bool level, bool rise) = 0; /* j = INTID - 16 */
    /* Clock one GIC cycle (rising edge), then evaluate. */
    virtual void clock() = 0;
    /* After clock(): the response lanes and the pins (enum gic_output bitmask). */
    virtual RtlResponse response(int lane) = 0;
    virtual uint32_t outputs(unsigned cpu) = 0;
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
};
const std::vector<RtlVariant> &rtl_variants();
std::unique_ptr<RtlIo> make_rtl(const std::string &name);

}  // namespace rtlb
