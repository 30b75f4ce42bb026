// gic_mem.cpp: gicsim::Gic's memory port: the kernel's table and command-queue accesses (struct gic_mem_ops) as
// TLM-2.0 blocking transactions on the `mem` initiator socket, with DMI where the target grants it (docs/tlm.md,
// "The memory socket").
#include "gicsim/gic_tlm.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>

namespace gicsim {

using sc_core::sc_time;

namespace {
const char *const kMsgType = "gicsim/Gic";

// One call into the memory target. It must return without yielding: the kernel is in the middle of an operation
// (and may be running in an SC_METHOD). A yield shows as SystemC time or the delta cycle having moved.
class TargetCall {
public:
    explicit TargetCall(unsigned &depth)
        : depth_(depth), delta_(sc_core::sc_delta_count()), stamp_(sc_core::sc_time_stamp())
    {
        depth_++;
    }
    ~TargetCall() { depth_--; }
    TargetCall(const TargetCall &) = delete;
    TargetCall &operator=(const TargetCall &) = delete;
    bool yielded() const { return sc_core::sc_delta_count() != delta_ || sc_core::sc_time_stamp() != stamp_; }

private:
    unsigned &depth_;
    uint64_t delta_;
    sc_time stamp_;
};
} // namespace

// The kernel's memory port goes to the socket only when it is bound; unbound, the kernel has no port (every access
// is a bus error, traced) unless the user gave the kernel one with gic_set_memory(kernel(), ...).
void Gic::mem_bind()
{
    static const struct gic_mem_ops ops = { &Gic::mem_read_cb, &Gic::mem_write_cb, &Gic::mem_peek_cb };
    mem_bound_ = mem.size() > 0;
    if (mem_bound_) (void)eng_->set_memory(&ops, this); // refused by a model without LPIs (the RTL): nothing to do
}

int Gic::mem_read_cb(void *ctx, uint64_t addr, void *buf, uint32_t len)
{
    return static_cast<Gic *>(ctx)->mem_access(false, addr, static_cast<unsigned char *>(buf), len);
}

int Gic::mem_write_cb(void *ctx, uint64_t addr, const void *buf, uint32_t len)
{
    // TLM-2.0 data pointers are not const; the target only reads them on a write.
    return static_cast<Gic *>(ctx)->mem_access(true, addr, static_cast<unsigned char *>(const_cast<void *>(buf)), len);
}

// The kernel's side-effect-free read (the stale-configuration check): transport_dbg, no time, no statistics of the
// accesses, no error count (a failed peek only skips the check).
int Gic::mem_peek_cb(void *ctx, uint64_t addr, void *buf, uint32_t len)
{
    Gic *g = static_cast<Gic *>(ctx);
    g->mem_stats_.peeks++;
    g->mem_prepare(tlm::TLM_READ_COMMAND, addr, static_cast<unsigned char *>(buf), len);
    unsigned n = 0;
    TargetCall call(g->mem_depth_);
    try {
        n = g->mem->transport_dbg(g->mem_gp_);
    } catch (...) {
        if (!g->mem_fault_) g->mem_fault_ = std::current_exception();
        return -1;
    }
    return n == len ? 0 : -1;
}

// One access of the kernel: through a DMI pointer when a granted region covers it with the right permission, else
// b_transport. 0, or -1 for a bus error.
int Gic::mem_access(bool write, uint64_t addr, unsigned char *buf, uint32_t len)
{
    (write ? mem_stats_.writes : mem_stats_.reads)++;
    if (const DmiRegion *r = dmi_find(write, addr, len)) {
        unsigned char *p = r->ptr + (addr - r->start);
        if (write) std::memcpy(p, buf, len);
        else std::memcpy(buf, p, len);
        (write ? mem_stats_.dmi_writes : mem_stats_.dmi_reads)++;
        mem_stats_.target_delay += write ? r->wlat : r->rlat;
        return 0;
    }
    if (mem_bound_ && mem_transport(write, addr, buf, len)) return 0;
    mem_stats_.errors++;
    return -1;
}

void Gic::mem_prepare(tlm::tlm_command cmd, uint64_t addr, unsigned char *buf, uint32_t len)
{
    mem_gp_.set_command(cmd);
    mem_gp_.set_address(addr);
    mem_gp_.set_data_ptr(buf);
    mem_gp_.set_data_length(len);
    mem_gp_.set_streaming_width(len);
    mem_gp_.set_byte_enable_ptr(nullptr);
    mem_gp_.set_byte_enable_length(0);
    mem_gp_.set_dmi_allowed(false);
    mem_gp_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

// The GIC's local time for an access it makes now: the start of the kernel's current cycle, relative to SystemC
// time (the kernel may be ahead of it: docs/tlm.md, "Temporal decoupling").
sc_time Gic::mem_local_time() const
{
    const uint64_t now = eng_->now(), stamp = sc_core::sc_time_stamp().value();
    const uint64_t at = now > UINT64_MAX / period_units_ ? UINT64_MAX : now * period_units_;
    return at > stamp ? sc_time::from_value(at - stamp) : sc_core::SC_ZERO_TIME;
}

// b_transport; true when the target answered TLM_OK_RESPONSE without yielding. The delay the target adds is summed
// in mem_stats() and goes no further: the kernel's timing.mem is the GIC's latency for the access.
bool Gic::mem_transport(bool write, uint64_t addr, unsigned char *buf, uint32_t len)
{
    mem_prepare(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, addr, buf, len);
    const sc_time start = mem_local_time();
    sc_time delay = start;
    {
        TargetCall call(mem_depth_);
        try {
            mem->b_transport(mem_gp_, delay);
        } catch (...) { // e.g. SystemC's error for a wait() in an SC_METHOD: rethrown when the kernel returns
            if (!mem_fault_) mem_fault_ = std::current_exception();
            return false;
        }
        if (call.yielded()) {
            if (mem_fault_msg_.empty()) {
                char m[200];
                std::snprintf(m, sizeof m,
                              "the memory target waited inside b_transport (address 0x%" PRIx64
                              "): it must return at once and annotate its delay; the access was taken as a bus error",
                              addr);
                mem_fault_msg_ = m;
            }
            return false;
        }
    }
    if (delay > start) mem_stats_.target_delay += delay - start;
    if (!mem_gp_.is_response_ok()) return false;
    if (mem_gp_.is_dmi_allowed()) dmi_request(write, addr);
    return true;
}

const Gic::DmiRegion *Gic::dmi_find(bool write, uint64_t addr, uint32_t len) const
{
    const uint64_t last = addr + (len ? len - 1 : 0);
    if (last < addr) return nullptr;
    for (const DmiRegion &r : dmi_)
        if (addr >= r.start && last <= r.end && (write ? r.wr : r.rd)) return &r;
    return nullptr;
}

// The target allowed DMI on a transaction: ask for the region. A grant replaces the regions it overlaps.
void Gic::dmi_request(bool write, uint64_t addr)
{
    tlm::tlm_dmi d;
    mem_prepare(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, addr, nullptr, 0);
    bool granted = false;
    {
        TargetCall call(mem_depth_);
        try {
            granted = mem->get_direct_mem_ptr(mem_gp_, d);
        } catch (...) {
            if (!mem_fault_) mem_fault_ = std::current_exception();
            return;
        }
    }
    if (!granted || !d.get_dmi_ptr() || d.get_end_address() < d.get_start_address()) return;
    if (!d.is_read_allowed() && !d.is_write_allowed()) return;
    (void)dmi_drop(d.get_start_address(), d.get_end_address());
    dmi_.push_back(DmiRegion{ d.get_start_address(), d.get_end_address(), d.get_dmi_ptr(), d.is_read_allowed(),
                              d.is_write_allowed(), d.get_read_latency(), d.get_write_latency() });
    mem_stats_.dmi_grants++;
}

// Forget every region that overlaps [start, end]; how many.
uint64_t Gic::dmi_drop(uint64_t start, uint64_t end)
{
    uint64_t n = 0;
    for (size_t i = dmi_.size(); i-- > 0;) {
        if (dmi_[i].end < start || dmi_[i].start > end) continue;
        dmi_.erase(dmi_.begin() + static_cast<std::ptrdiff_t>(i));
        n++;
    }
    return n;
}

void Gic::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end)
{
    mem_stats_.dmi_invalidations += dmi_drop(start, end);
}

// After the kernel returned: what a memory callback caught (the target threw, or waited) goes to the process that
// ran the kernel, which is consistent again (the access was taken as a bus error).
void Gic::throw_mem_fault()
{
    if (mem_depth_) return;
    if (mem_fault_) {
        std::exception_ptr e = mem_fault_;
        mem_fault_ = nullptr;
        mem_fault_msg_.clear();
        std::rethrow_exception(e);
    }
    if (mem_fault_msg_.empty()) return;
    std::string msg;
    msg.swap(mem_fault_msg_);
    SC_REPORT_ERROR(kMsgType, msg.c_str());
}

} // namespace gicsim
