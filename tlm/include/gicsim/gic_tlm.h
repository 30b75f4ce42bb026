// gic_tlm.h: gicsim::Gic, the cycle-level GIC kernels as a SystemC/TLM-2.0 module (sockets, lines, sysregs).
#ifndef GICSIM_GIC_TLM_H
#define GICSIM_GIC_TLM_H

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "gicsim/engine.h"
#include "gicsim/dt.h"
#include "gicsim/gic.h"

namespace gicsim {

// Which CPU issues a transaction, for the banked frames (GICD bank 0 on GICv2, GICC, GICH,
// GICV) and the system-register socket. An initiator attaches one to its (reused) payload once;
// a transaction without it is CPU 0. `virt` selects, on the system-register socket only, the
// ICV_* view a vCPU sees through the ICC_* encodings (HCR_EL2.IMO/FMO set); elsewhere ignored.
struct CpuExtension : tlm::tlm_extension<CpuExtension> {
    unsigned cpu = 0;
    bool virt = false;
    explicit CpuExtension(unsigned cpu_ = 0, bool virt_ = false) : cpu(cpu_), virt(virt_) {}
    tlm::tlm_extension_base *clone() const override { return new CpuExtension(cpu, virt); }
    void copy_from(const tlm::tlm_extension_base &other) override
    {
        const auto &o = static_cast<const CpuExtension &>(other);
        cpu = o.cpu;
        virt = o.virt;
    }
};

// The DeviceID of an MSI's writer, on a write to the ITS translation frame (socket gits_tr, GITS_TRANSLATER): the
// device (or the bus that knows it, e.g. a PCIe root complex's requester ID) attaches it. A write without it is
// DeviceID 0; a DeviceID above Gic::kMaxDeviceId gets TLM_GENERIC_ERROR_RESPONSE. Ignored on every other socket.
struct DeviceIdExtension : tlm::tlm_extension<DeviceIdExtension> {
    uint32_t devid = 0;
    explicit DeviceIdExtension(uint32_t devid_ = 0) : devid(devid_) {}
    tlm::tlm_extension_base *clone() const override { return new DeviceIdExtension(devid); }
    void copy_from(const tlm::tlm_extension_base &other) override
    {
        devid = static_cast<const DeviceIdExtension &>(other).devid;
    }
};

// What the GIC's memory socket did (Gic::mem_stats(); docs/tlm.md, "The memory socket").
struct MemStats {
    uint64_t reads = 0, writes = 0;         // accesses the kernel made through the socket (either path)
    uint64_t dmi_reads = 0, dmi_writes = 0; // of those, served through a DMI pointer
    uint64_t errors = 0;                    // accesses given to the kernel as bus errors (not OK, threw, waited)
    uint64_t peeks = 0;                     // side-effect-free reads (transport_dbg)
    uint64_t dmi_grants = 0;                // DMI regions the target granted
    uint64_t dmi_invalidations = 0;         // regions removed by the target's invalidate_direct_mem_ptr
    sc_core::sc_time target_delay;          // latency the target annotated (b_transport) or declared (DMI), summed;
                                            // not part of the GIC's timing (timing.mem is)
};

// The system-register interface a CPU model calls for MSR/MRS of ICC_*, ICH_*, ICV_* (GICv3).
// enc = GIC_SYSREG_ENC(op0, op1, CRn, CRm, op2); virt = true gives the ICV_* view (the vCPU's
// accesses to ICC_* encodings while HCR_EL2.IMO/FMO are set). Same timing rules as b_transport:
// the access is presented at sc_time_stamp() + delay and delay grows by its latency.
// Responses: TLM_OK_RESPONSE; TLM_COMMAND_ERROR_RESPONSE = the register is not implemented or
// not accessible in that direction (the CPU takes an UNDEFINED exception); TLM_GENERIC_ERROR_RESPONSE
// = cpu out of range.
class SysregTarget {
public:
    virtual ~SysregTarget() = default;
    virtual tlm::tlm_response_status sysreg(unsigned cpu, uint32_t enc, bool write, uint64_t &data,
                                            sc_core::sc_time &delay, bool virt = false) = 0;
};

// The GIC. One instance owns one model (gicsim::Engine): the C kernels (one gic_t) unless another
// engine is given, e.g. the Verilated RTL reference (gicsim::make_rtl_engine). See docs/tlm.md for
// the platform-side rules.
//
// Time: GIC cycle c starts at SystemC time c * period. A request presented at local time
// t = sc_time_stamp() + delay is registered by the first clock edge after t, cycle
// C = floor(t / period) + 1 (never earlier than the kernel's current cycle); b_transport adds
// (done - C) * period to delay, which is the docs/timing.md latency (req+resp, req+ack) when the
// register port is free. Output ports change at exactly cycle * period.
class Gic : public sc_core::sc_module, public SysregTarget {
public:
    using socket_type = tlm_utils::simple_target_socket_tagged_optional<Gic, 64>;
    using mem_socket_type = tlm_utils::simple_initiator_socket_optional<Gic, 64>;

    // Address windows of the sockets (offsets inside each socket; map them where you like).
    static constexpr uint64_t kFrameSize = 0x10000;     // GICD, GICC, GICH, GICV: 64 KiB
    static constexpr uint64_t kRedistStride = 0x20000;  // GICR: RD_base, SGI_base at +0x10000
    static constexpr uint64_t kGichAliasStride = 0x200; // GICv2 GICH alias: one 512 B view per CPU
    static constexpr uint64_t kSysregWindow = 0x10000;  // sysregs socket: address = encoding
    static constexpr uint32_t kMaxDeviceId = 0xffff;    // the largest DeviceID of an MSI (GITS_TYPER.Devbits 15)

    socket_type gicd;       // distributor (GICv2 bank 0 registers banked by CpuExtension)
    socket_type gicr;       // GICv3: all redistributors, num_cpus * 0x20000
    socket_type gicc;       // GICv2 CPU interface (banked by CpuExtension)
    socket_type gich;       // GICv2 virtual interface control, "this CPU" view (banked by CpuExtension)
    socket_type gich_alias; // GICv2 virtual interface control of CPU n at n * 0x200 (extension ignored)
    socket_type gicv;       // GICv2 virtual CPU interface (banked by CpuExtension)
    socket_type sysregs;    // GICv3 system registers: address = encoding, 8 bytes, CpuExtension.cpu/virt
    socket_type gits;       // GICv3 ITS control frame (GITS_CTLR ...), 64 KiB; present with cfg.its
    socket_type gits_tr;    // GICv3 ITS translation frame (GITS_TRANSLATER at 0x40), 64 KiB; DeviceIdExtension
    // The GIC's memory port (GICv3 LPIs and the ITS): the kernel's table and command-queue accesses, as blocking
    // b_transport (DMI where the target grants it). Bind it to memory when cfg.lpis; unbound, every access is a bus
    // error. The target must not wait() (docs/tlm.md, "The memory socket").
    mem_socket_type mem;

    // Input lines (level). spi[i] drives INTID 32 + i; ppi[cpu * 16 + (intid - 16)] drives a PPI.
    // The maintenance PPI's input goes to the kernel like any other (gic_set_ppi() says how it
    // combines with the MAINT output). Unbound inputs are tied low; unbound outputs are not driven
    // at all (no cost).
    sc_core::sc_vector<sc_core::sc_in<bool>> spi;
    sc_core::sc_vector<sc_core::sc_in<bool>> ppi;
    sc_core::sc_vector<sc_core::sc_out<bool>> irq, fiq, virq, vfiq, maint;

    Gic(sc_core::sc_module_name name, const struct gic_config &cfg,
        const sc_core::sc_time &period = sc_core::sc_time(1, sc_core::SC_NS));
    // The GIC a device tree describes (gicsim/dt.h: gic_dt_load() reads the file; docs/dt.md): its version, CPUs,
    // affinities, SPIs and maintenance PPI. dt.map says where the SoC puts each frame: bind the sockets there.
    Gic(sc_core::sc_module_name name, const struct gic_dt &dt,
        const sc_core::sc_time &period = sc_core::sc_time(1, sc_core::SC_NS))
        : Gic(name, dt.cfg, period)
    {}
    // The same GIC over a given model (its configuration is the engine's). A null engine is
    // reported with SC_REPORT_ERROR.
    Gic(sc_core::sc_module_name name, std::unique_ptr<Engine> engine,
        const sc_core::sc_time &period = sc_core::sc_time(1, sc_core::SC_NS));
    ~Gic() override;
    Gic(const Gic &) = delete;
    Gic &operator=(const Gic &) = delete;

    // ---- Direct C++ API (no signals; for initiators that keep local time) ----
    // Drive an input at local time sc_time_stamp() + delay. Returns a gic_status (GIC_E_INVAL for a
    // bad INTID/CPU, GIC_E_AGAIN while the GIC is inside one of its memory accesses (docs/tlm.md, "The memory
    // socket"), or whatever gic_set_spi()/gic_set_ppi() refuse). Drive each line one way:
    // through its port or through these calls, not both.
    int set_spi(uint32_t intid, bool level, const sc_core::sc_time &delay = sc_core::SC_ZERO_TIME);
    int set_ppi(unsigned cpu, uint32_t intid, bool level, const sc_core::sc_time &delay = sc_core::SC_ZERO_TIME);
    // Output observer: called synchronously when the kernel processes an output edge, with its
    // cycle (the edge's SystemC time is cycle * period(); the call may come before that time when
    // an initiator ran the kernel ahead). Called for every output, bound or not.
    using OutputObserver =
        std::function<void(unsigned cpu, uint32_t output /*enum gic_output*/, bool level, uint64_t cycle)>;
    void add_output_observer(OutputObserver fn);
    // The temporally decoupled way to wait for an output: runs the kernel from local time
    // sc_time_stamp() + delay until ((outputs(cpu) & mask) != 0) == level, sets delay to the local
    // time of that edge (unchanged if it already holds) and returns true; false (delay unchanged)
    // if nothing can change it (the GIC is idle) or it does not happen within max_cycles.
    bool await_output(unsigned cpu, uint32_t mask, bool level, sc_core::sc_time &delay, uint64_t max_cycles = 1000000);
    // The kernel's output pins now (bitmask of enum gic_output); may be ahead of the ports.
    uint32_t outputs(unsigned cpu) const;

    // Register access by frame (what the sockets call after decoding): same timing and responses.
    tlm::tlm_response_status access(enum gic_frame frame, unsigned cpu, uint32_t offset, unsigned size, bool write,
                                    uint64_t &data, sc_core::sc_time &delay);
    tlm::tlm_response_status sysreg(unsigned cpu, uint32_t enc, bool write, uint64_t &data, sc_core::sc_time &delay,
                                    bool virt = false) override;
    // Side-effect-free read of a register now (gic_peek): GIC_OK or a gic_status.
    int peek(enum gic_frame frame, unsigned cpu, uint32_t offset, unsigned size, uint64_t &data);

    // Trace: every kernel event (struct gic_trace_event, cycle-stamped). One callback; nullptr removes.
    void set_trace(gic_trace_fn fn, void *ctx);

    const sc_core::sc_time &period() const { return period_; }
    const struct gic_config &config() const { return cfg_; }
    // The cycle a request presented at local time sc_time_stamp() + delay is registered in.
    uint64_t cycle_at(const sc_core::sc_time &delay) const;
    // The C kernel for inspection (gic_peek, ...; do not advance it yourself), nullptr when the
    // model is not the C kernels.
    gic_t *kernel() { return eng_ ? eng_->kernel() : nullptr; }
    Engine &engine() { return *eng_; }
    uint64_t now() const { return eng_ ? eng_->now() : 0; }  // the model's next cycle to process
    uint64_t late_inputs() const { return late_inputs_; }    // inputs that arrived after the kernel passed their cycle
    const MemStats &mem_stats() const { return mem_stats_; } // what the memory socket did

    const char *kind() const override { return "gicsim::Gic"; }

private:
    struct Edge {
        uint64_t cycle;
        uint16_t cpu;
        uint16_t bit;
        bool level;
    };
    enum SocketId { S_GICD, S_GICR, S_GICC, S_GICH, S_GICH_ALIAS, S_GICV, S_SYSREG, S_GITS, S_GITS_TR, S_COUNT };
    // A region the memory target granted DMI to, [start, end] in the GIC's memory addresses.
    struct DmiRegion {
        uint64_t start, end;
        unsigned char *ptr;
        bool rd, wr;
        sc_core::sc_time rlat, wlat;
    };

    void b_transport(int id, tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    unsigned int transport_dbg(int id, tlm::tlm_generic_payload &gp);
    bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload &gp, tlm::tlm_dmi &dmi);
    bool decode(int id, uint64_t addr, const tlm::tlm_generic_payload &gp, enum gic_frame &frame, unsigned &cpu,
                uint32_t &offset, tlm::tlm_response_status &err) const;
    uint64_t window(int id) const;
    uint64_t windows_[S_COUNT] = {}; // window(id) of each socket, fixed by the configuration (init)
    tlm::tlm_response_status do_access(enum gic_frame frame, unsigned cpu, uint32_t offset, unsigned size, bool write,
                                       uint64_t &data, sc_core::sc_time &delay, uint64_t addr_for_align);
    int drive_line(unsigned cpu, uint32_t intid, bool level, bool spi_line, const sc_core::sc_time &delay);
    unsigned requesters(enum gic_frame frame) const; // CPUs, or DeviceIDs in the ITS translation frame

    // ---- memory port (gic_mem.cpp) ----
    static int mem_read_cb(void *ctx, uint64_t addr, void *buf, uint32_t len);
    static int mem_write_cb(void *ctx, uint64_t addr, const void *buf, uint32_t len);
    static int mem_peek_cb(void *ctx, uint64_t addr, void *buf, uint32_t len);
    int mem_access(bool write, uint64_t addr, unsigned char *buf, uint32_t len);
    bool mem_transport(bool write, uint64_t addr, unsigned char *buf, uint32_t len);
    const DmiRegion *dmi_find(bool write, uint64_t addr, uint32_t len) const;
    void dmi_request(bool write, uint64_t addr);
    uint64_t dmi_drop(uint64_t start, uint64_t end);
    void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);
    void mem_prepare(tlm::tlm_command cmd, uint64_t addr, unsigned char *buf, uint32_t len);
    sc_core::sc_time mem_local_time() const;
    void mem_bind();
    bool kernel_busy() const { return mem_depth_ != 0; } // inside a memory callback: the kernel must not be entered
    void raise_mem_fault() // after the kernel returned: rethrow what a memory callback caught
    {
        if (mem_fault_ || !mem_fault_msg_.empty()) throw_mem_fault();
    }
    void throw_mem_fault();

    int catch_up(uint64_t cycle); // process every kernel cycle before `cycle`; GIC_E_TIME past the end of time
    void schedule_wake();
    void wake_method();
    void drive_method();
    static void trace_hook(void *ctx, const struct gic_trace_event *ev);
    void on_output(const struct gic_trace_event &ev);
    void update_hook();
    sc_core::sc_time cycles(uint64_t n) const
    {
        return n < kLatTable ? lat_[n] : sc_core::sc_time::from_value(n * period_units_);
    }

    void init();
    void before_end_of_elaboration() override;
    void end_of_elaboration() override;

    struct gic_config cfg_;
    std::unique_ptr<Engine> eng_;
    sc_core::sc_time period_;
    uint64_t period_units_; // period in sc_time resolution units
    uint64_t wake_cycle_ = GIC_CYCLE_NEVER;
    static constexpr uint64_t kLatTable = 64;
    sc_core::sc_time lat_[kLatTable]; // n * period for short latencies (no sc_time construction per access)
    bool hook_on_ = false;            // the kernel's trace hook is installed (only when something needs it)
    sc_core::sc_event wake_ev_, drive_ev_;
    std::vector<Edge> edges_; // output edges of driven ports, in cycle order, from edge_head_
    size_t edge_head_ = 0;
    std::vector<uint8_t> driven_;     // per CPU: bitmask of enum gic_output whose port is bound
    std::vector<uint64_t> last_edge_; // per CPU * 5 outputs: cycle of the last edge
    std::vector<OutputObserver> observers_;
    gic_trace_fn user_trace_ = nullptr;
    void *user_trace_ctx_ = nullptr;
    uint64_t late_inputs_ = 0;
    std::vector<uint8_t> spi_level_, ppi_level_; // levels given to the kernel (changes only travel)
    std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> tie_offs_;
    // memory port
    tlm::tlm_generic_payload mem_gp_;
    std::vector<DmiRegion> dmi_;
    MemStats mem_stats_;
    bool mem_bound_ = false;
    unsigned mem_depth_ = 0;       // memory callbacks in progress
    std::exception_ptr mem_fault_; // what the target threw inside a callback, rethrown when the kernel returns
    std::string mem_fault_msg_;    // or why the target broke the rules (it waited), reported then
};

} // namespace gicsim

#endif
