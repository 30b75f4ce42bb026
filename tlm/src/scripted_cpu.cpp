// scripted_cpu.cpp: gicsim::ScriptedCpu (runs register/sysreg/wait steps, records results) and gicsim::Router.
#include "gicsim/scripted_cpu.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace gicsim {

using sc_core::sc_time;

// ---------------------------------------------------------------- steps
// An access step: MMIO read/write of `size` bytes at addr, or a system-register access (addr = encoding).
static Step access_step(Step::Kind kind, uint64_t addr, unsigned size, uint64_t data, std::string label)
{
    Step s;
    s.kind = kind;
    s.is_write = kind == Step::Kind::Write;
    s.addr = addr;
    s.size = size;
    s.data = data;
    s.label = std::move(label);
    return s;
}

Step Step::read(uint64_t addr, unsigned size, std::string label)
{
    return access_step(Kind::Read, addr, size, 0, std::move(label));
}

Step Step::expect(uint64_t addr, uint64_t value, uint64_t mask, unsigned size, std::string label)
{
    Step s = access_step(Kind::Read, addr, size, value, std::move(label));
    s.mask = mask;
    return s;
}

Step Step::write(uint64_t addr, uint64_t data, unsigned size, std::string label)
{
    return access_step(Kind::Write, addr, size, data, std::move(label));
}

Step Step::write_prev(uint64_t addr, unsigned size, std::string label)
{
    Step s = write(addr, 0, size, std::move(label));
    s.use_prev = true;
    return s;
}

Step Step::mrs(uint32_t enc, bool virt, std::string label)
{
    Step s = access_step(Kind::Sysreg, enc, 8, 0, std::move(label));
    s.virt = virt;
    return s;
}

Step Step::expect_mrs(uint32_t enc, uint64_t value, uint64_t mask, bool virt, std::string label)
{
    Step s = mrs(enc, virt, std::move(label));
    s.data = value;
    s.mask = mask;
    return s;
}

Step Step::msr(uint32_t enc, uint64_t data, bool virt, std::string label)
{
    Step s = mrs(enc, virt, std::move(label));
    s.is_write = true;
    s.data = data;
    return s;
}

Step Step::msr_prev(uint32_t enc, bool virt, std::string label)
{
    Step s = msr(enc, 0, virt, std::move(label));
    s.use_prev = true;
    return s;
}

Step Step::wait_output(uint32_t output, bool level, uint64_t timeout_cycles, std::string label)
{
    Step s;
    s.kind = Kind::WaitOutput;
    s.output = output;
    s.level = level;
    s.cycles = timeout_cycles;
    s.label = std::move(label);
    return s;
}

Step Step::wait_cycles(uint64_t n, std::string label)
{
    Step s;
    s.kind = Kind::WaitCycles;
    s.cycles = n;
    s.label = std::move(label);
    return s;
}

Step Step::sync(std::string label)
{
    Step s;
    s.kind = Kind::Sync;
    s.label = std::move(label);
    return s;
}

Step Step::call(std::function<void(ScriptedCpu &, sc_time &)> fn, std::string label)
{
    Step s;
    s.kind = Kind::Call;
    s.fn = std::move(fn);
    s.label = std::move(label);
    return s;
}

// ---------------------------------------------------------------- CPU
SC_HAS_PROCESS(ScriptedCpu);

ScriptedCpu::ScriptedCpu(sc_core::sc_module_name name, unsigned cpu, const sc_time &period, SysregTarget *sysregs,
                         bool temporal_decoupling)
    : sc_module(name), socket("socket"), irq("irq"), fiq("fiq"), virq("virq"), vfiq("vfiq"), maint("maint"), cpu_(cpu),
      period_(period), start_(sc_core::SC_ZERO_TIME), sys_(sysregs), td_(temporal_decoupling)
{
    trans_.set_extension(new CpuExtension(cpu)); // owned (and freed) by the payload
    trans_.set_data_ptr(buf_);
    trans_.set_byte_enable_ptr(nullptr);
    SC_THREAD(run);
}

ScriptedCpu::~ScriptedCpu() = default;

void ScriptedCpu::before_end_of_elaboration()
{
    sc_core::sc_in<bool> *ports[5] = { &irq, &fiq, &virq, &vfiq, &maint };
    for (auto *p : ports) {
        if (p->bind_count()) continue;
        ties_.emplace_back(new sc_core::sc_signal<bool>(sc_core::sc_gen_unique_name("tie_low")));
        p->bind(*ties_.back());
    }
}

sc_core::sc_in<bool> *ScriptedCpu::port_for(uint32_t output)
{
    switch (output) {
    case GIC_OUT_IRQ: return &irq;
    case GIC_OUT_FIQ: return &fiq;
    case GIC_OUT_VIRQ: return &virq;
    case GIC_OUT_VFIQ: return &vfiq;
    case GIC_OUT_MAINT: return &maint;
    default: return nullptr;
    }
}

void ScriptedCpu::fail(StepResult &r, const std::string &why)
{
    if (r.ok) failures_++;
    r.ok = false;
    r.error = why;
}

void ScriptedCpu::exec(const Step &s, StepResult &r, sc_time &local)
{
    switch (s.kind) {
    case Step::Kind::Read:
    case Step::Kind::Write:
        if (exec_mmio(s, r, local)) check_response(s, r);
        return;
    case Step::Kind::Sysreg:
        if (exec_sysreg(s, r, local)) check_response(s, r);
        return;
    case Step::Kind::WaitOutput: exec_wait_output(s, r, local); return;
    case Step::Kind::WaitCycles: local += period_ * static_cast<double>(s.cycles); return;
    case Step::Kind::Sync: sync_local(local); return;
    case Step::Kind::Call:
        if (s.fn) s.fn(*this, local);
        return;
    }
}

bool ScriptedCpu::exec_mmio(const Step &s, StepResult &r, sc_time &local)
{
    uint64_t v = s.use_prev ? prev_ : s.data;
    trans_.set_command(s.is_write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    trans_.set_address(s.addr);
    trans_.set_data_length(s.size);
    trans_.set_streaming_width(s.size);
    trans_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    trans_.set_dmi_allowed(false);
    if (s.size > sizeof buf_) {
        fail(r, "access larger than 8 bytes");
        return false;
    }
    std::memset(buf_, 0, sizeof buf_);
    if (s.is_write) std::memcpy(buf_, &v, s.size);
    socket->b_transport(trans_, local);
    r.status = trans_.get_response_status();
    if (!s.is_write) {
        std::memcpy(&v, buf_, s.size);
        r.data = v;
        if (r.status == tlm::TLM_OK_RESPONSE) prev_ = v;
    }
    return true;
}

bool ScriptedCpu::exec_sysreg(const Step &s, StepResult &r, sc_time &local)
{
    if (!sys_) {
        fail(r, "no system-register target connected");
        return false;
    }
    uint64_t v = s.use_prev ? prev_ : s.data;
    r.status = sys_->sysreg(cpu_, static_cast<uint32_t>(s.addr), s.is_write, v, local, s.virt);
    if (!s.is_write) {
        r.data = v;
        if (r.status == tlm::TLM_OK_RESPONSE) prev_ = v;
    }
    return true;
}

void ScriptedCpu::sync_local(sc_time &local)
{
    if (td_) {
        qk_.set(local);
        qk_.sync();
    } else if (local != sc_core::SC_ZERO_TIME) {
        wait(local);
    }
    local = sc_core::SC_ZERO_TIME;
}

void ScriptedCpu::exec_wait_output(const Step &s, StepResult &r, sc_time &local)
{
    sc_core::sc_in<bool> *p = port_for(s.output);
    if (!p) {
        fail(r, "wait on an unknown output");
        return;
    }
    sync_local(local); // first: the port shows the GIC's pins at SystemC time
    const sc_time deadline = sc_core::sc_time_stamp() + period_ * static_cast<double>(s.cycles);
    while (p->read() != s.level) {
        sc_time now = sc_core::sc_time_stamp();
        if (now >= deadline) {
            char msg[80];
            std::snprintf(msg, sizeof msg, "timeout waiting for output %u = %d", s.output, s.level);
            fail(r, msg);
            return;
        }
        wait(deadline - now, p->value_changed_event());
    }
}

// The access's response status, then (reads with a mask) its value against the step's expectation.
void ScriptedCpu::check_response(const Step &s, StepResult &r)
{
    if (r.status != s.status) {
        std::string why = std::string("response ") + trans_.get_response_string();
        if (s.kind == Step::Kind::Sysreg) why = "sysreg response " + std::to_string(static_cast<int>(r.status));
        why += " (expected status " + std::to_string(static_cast<int>(s.status)) + ")";
        fail(r, why);
        return;
    }
    if (!s.is_write && s.mask && r.status == tlm::TLM_OK_RESPONSE && ((r.data ^ s.data) & s.mask)) {
        char msg[200];
        std::snprintf(msg, sizeof msg, "read 0x%" PRIx64 ", expected 0x%" PRIx64 " under mask 0x%" PRIx64, r.data,
                      s.data, s.mask);
        fail(r, msg);
    }
}

void ScriptedCpu::run()
{
    if (start_ > sc_core::sc_time_stamp()) wait(start_ - sc_core::sc_time_stamp());
    if (td_) qk_.reset();
    results_.reserve(script_.size());
    for (size_t i = 0; i < script_.size(); i++) {
        const Step &s = script_[i];
        sc_time local = td_ ? qk_.get_local_time() : sc_core::SC_ZERO_TIME;
        StepResult r;
        r.label = s.label.empty() ? ("step " + std::to_string(i)) : s.label;
        r.start = sc_core::sc_time_stamp() + local;
        exec(s, r, local);
        r.end = sc_core::sc_time_stamp() + local;
        results_.push_back(r);
        if (td_) {
            qk_.set(local);
            if (qk_.need_sync()) qk_.sync();
        } else if (local != sc_core::SC_ZERO_TIME) {
            wait(local);
        }
    }
    if (td_) qk_.sync();
    finished_ = true;
    finished_ev_.notify(sc_core::SC_ZERO_TIME);
}

unsigned ScriptedCpu::report(bool verbose) const
{
    for (const auto &r : results_) {
        if (r.ok && !verbose) continue;
        std::printf("%s: %-40s [%s .. %s] data 0x%" PRIx64 " %s%s\n", name(), r.label.c_str(),
                    r.start.to_string().c_str(), r.end.to_string().c_str(), r.data,
                    r.ok ? "ok" : "FAILED: ", r.error.c_str());
    }
    if (!finished_)
        std::printf("%s: script did not finish (%zu of %zu steps ran)\n", name(), results_.size(), script_.size());
    return failures_ + (finished_ ? 0u : 1u);
}

// ---------------------------------------------------------------- router
Router::Router(sc_core::sc_module_name name) : sc_module(name), target("target"), initiator("initiator")
{
    target.register_b_transport(this, &Router::b_transport);
    target.register_transport_dbg(this, &Router::transport_dbg);
    target.register_get_direct_mem_ptr(this, &Router::get_direct_mem_ptr);
}

void Router::map(uint64_t base, uint64_t size, unsigned port) { map_.push_back(Range{ base, size, port }); }

const Router::Range *Router::find(uint64_t addr) const
{
    for (const auto &r : map_)
        if (addr >= r.base && addr - r.base < r.size) return &r;
    return nullptr;
}

void Router::b_transport(int, tlm::tlm_generic_payload &gp, sc_time &delay)
{
    const uint64_t addr = gp.get_address();
    const Range *r = find(addr);
    if (!r || r->port >= static_cast<unsigned>(initiator.size())) {
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    gp.set_address(addr - r->base);
    initiator[r->port]->b_transport(gp, delay);
    gp.set_address(addr);
}

unsigned int Router::transport_dbg(int, tlm::tlm_generic_payload &gp)
{
    const uint64_t addr = gp.get_address();
    const Range *r = find(addr);
    if (!r || r->port >= static_cast<unsigned>(initiator.size())) return 0;
    gp.set_address(addr - r->base);
    unsigned n = initiator[r->port]->transport_dbg(gp);
    gp.set_address(addr);
    return n;
}

bool Router::get_direct_mem_ptr(int, tlm::tlm_generic_payload &, tlm::tlm_dmi &dmi)
{
    dmi.allow_none();
    return false; // nothing behind this router grants DMI (the GIC never does)
}

} // namespace gicsim
