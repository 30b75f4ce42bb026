// scripted_cpu.h: reusable initiators for tests and benchmarks: a scripted CPU (MMIO + sysregs + line waits) and an address router.
#ifndef GICSIM_SCRIPTED_CPU_H
#define GICSIM_SCRIPTED_CPU_H

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "gicsim/gic_tlm.h"

namespace gicsim {

class ScriptedCpu;

// One step of a CPU script. Build steps with the static functions; `.expect_status()` changes
// the response a register step must get (default TLM_OK_RESPONSE).
struct Step {
    enum class Kind { Read, Write, Sysreg, WaitOutput, WaitCycles, Sync, Call };
    Kind kind = Kind::WaitCycles;
    uint64_t addr = 0; // MMIO address, or system-register encoding (GIC_SYSREG_ENC)
    unsigned size = 4; // MMIO bytes
    uint64_t data = 0; // write data, or the expected read value
    uint64_t mask = 0; // read check: (value & mask) == (data & mask); 0: no check
    bool is_write = false;
    bool virt = false;             // sysreg through the ICV_* view
    bool use_prev = false;         // write the value of the previous read instead of `data` (EOIR after IAR)
    uint32_t output = GIC_OUT_IRQ; // WaitOutput: which input port (enum gic_output)
    bool level = true;
    uint64_t cycles = 0; // WaitCycles: GIC cycles; WaitOutput: timeout in GIC cycles
    tlm::tlm_response_status status = tlm::TLM_OK_RESPONSE;
    std::function<void(ScriptedCpu &, sc_core::sc_time &local)> fn; // Call
    std::string label;

    static Step read(uint64_t addr, unsigned size = 4, std::string label = {});
    static Step expect(uint64_t addr, uint64_t value, uint64_t mask = ~0ull, unsigned size = 4, std::string label = {});
    static Step write(uint64_t addr, uint64_t data, unsigned size = 4, std::string label = {});
    static Step write_prev(uint64_t addr, unsigned size = 4, std::string label = {});
    static Step mrs(uint32_t enc, bool virt = false, std::string label = {});
    static Step expect_mrs(uint32_t enc, uint64_t value, uint64_t mask = ~0ull, bool virt = false,
                           std::string label = {});
    static Step msr(uint32_t enc, uint64_t data, bool virt = false, std::string label = {});
    static Step msr_prev(uint32_t enc, bool virt = false, std::string label = {});
    // Wait until the CPU's input port for `output` is at `level` (no wait if it already is).
    static Step wait_output(uint32_t output = GIC_OUT_IRQ, bool level = true, uint64_t timeout_cycles = 100000,
                            std::string label = {});
    static Step wait_cycles(uint64_t n, std::string label = {});
    // Bring SystemC time up to the CPU's local time (quantum keeper sync, or wait the pending
    // delay), so that signal changes due by now reach the GIC before the next access.
    static Step sync(std::string label = {});
    // Run code at the CPU's local time (e.g. drive a device line); `local` is the delay to pass.
    static Step call(std::function<void(ScriptedCpu &, sc_core::sc_time &local)> fn, std::string label = {});
    Step &expect_status(tlm::tlm_response_status s)
    {
        status = s;
        return *this;
    }
};

struct StepResult {
    std::string label;
    sc_core::sc_time start, end; // local (absolute) times the step began and completed
    uint64_t data = 0;           // read data
    tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;
    bool ok = true;
    std::string error;
};

// A CPU that runs a list of steps in one SC_THREAD. MMIO goes through `socket` with a
// CpuExtension carrying its index; sysregs go to the SysregTarget given at construction.
// With `temporal_decoupling`, it keeps local time in a tlm_quantumkeeper (global quantum) and
// synchronises only at quantum ends and before waiting for an input port; otherwise it wait()s
// each annotated delay. Unbound input ports are tied low.
class ScriptedCpu : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<ScriptedCpu, 64> socket;
    sc_core::sc_in<bool> irq, fiq, virq, vfiq, maint;

    ScriptedCpu(sc_core::sc_module_name name, unsigned cpu, const sc_core::sc_time &period,
                SysregTarget *sysregs = nullptr, bool temporal_decoupling = false);
    ~ScriptedCpu() override;

    void add(Step s) { script_.push_back(std::move(s)); }
    void add(const std::vector<Step> &steps) { script_.insert(script_.end(), steps.begin(), steps.end()); }
    void start_at(const sc_core::sc_time &t) { start_ = t; } // absolute time of the first step

    unsigned cpu() const { return cpu_; }
    const std::vector<StepResult> &results() const { return results_; }
    unsigned failures() const { return failures_; }
    bool finished() const { return finished_; }
    const sc_core::sc_event &finished_event() const { return finished_ev_; }
    uint64_t last_read() const { return prev_; }
    // Prints every failed step (or every step with verbose) to stdout; returns failures().
    unsigned report(bool verbose = false) const;

    const char *kind() const override { return "gicsim::ScriptedCpu"; }

private:
    void run();
    void exec(const Step &s, StepResult &r, sc_core::sc_time &local);
    bool exec_mmio(const Step &s, StepResult &r, sc_core::sc_time &local); // false: failed (r says why)
    bool exec_sysreg(const Step &s, StepResult &r, sc_core::sc_time &local);
    void exec_wait_output(const Step &s, StepResult &r, sc_core::sc_time &local);
    void check_response(const Step &s, StepResult &r);
    void sync_local(sc_core::sc_time &local); // SystemC time up to the local time; local becomes 0
    void fail(StepResult &r, const std::string &why);
    sc_core::sc_in<bool> *port_for(uint32_t output);
    void before_end_of_elaboration() override;

    unsigned cpu_;
    sc_core::sc_time period_, start_;
    SysregTarget *sys_;
    bool td_;
    tlm_utils::tlm_quantumkeeper qk_;
    tlm::tlm_generic_payload trans_;
    uint8_t buf_[8] = {};
    std::vector<Step> script_;
    std::vector<StepResult> results_;
    unsigned failures_ = 0;
    bool finished_ = false;
    uint64_t prev_ = 0;
    sc_core::sc_event finished_ev_;
    std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> ties_;
};

// An address router: N initiators -> M targets by address range (first match wins). The target
// sees the address minus the range's base. Unmapped addresses get TLM_ADDRESS_ERROR_RESPONSE.
class Router : public sc_core::sc_module {
public:
    tlm_utils::multi_passthrough_target_socket<Router, 64> target;
    tlm_utils::multi_passthrough_initiator_socket<Router, 64> initiator;

    explicit Router(sc_core::sc_module_name name);
    // Map [base, base + size) to the initiator binding number `port` (0 = first bound target).
    void map(uint64_t base, uint64_t size, unsigned port);

private:
    struct Range {
        uint64_t base, size;
        unsigned port;
    };
    const Range *find(uint64_t addr) const;
    void b_transport(int id, tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    unsigned int transport_dbg(int id, tlm::tlm_generic_payload &gp);
    bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload &gp, tlm::tlm_dmi &dmi);
    std::vector<Range> map_;
};

} // namespace gicsim

#endif
