// gic_tlm.cpp: gicsim::Gic: TLM-2.0 sockets, lines and system registers over the C kernels, in step with SystemC time.
#include "gicsim/gic_tlm.h"

#include <algorithm>
#include <cstring>
#include <string>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "gicsim_tlm assumes a little-endian host (TLM data arrays are copied as host-endian words)"
#endif

namespace gicsim {

using sc_core::sc_time;

namespace {
const char *const kMsgType = "gicsim/Gic";

unsigned out_index(uint32_t bit)
{
    return static_cast<unsigned>(__builtin_ctz(bit)); // GIC_OUT_IRQ..GIC_OUT_MAINT -> 0..4
}

tlm::tlm_response_status map_status(int st, uint64_t addr, unsigned size)
{
    switch (st) {
    case GIC_OK: return tlm::TLM_OK_RESPONSE;
    case GIC_E_SIZE: // alignment -> address error; a size the register refuses -> burst error
        return (size && (addr & (size - 1u))) ? tlm::TLM_ADDRESS_ERROR_RESPONSE : tlm::TLM_BURST_ERROR_RESPONSE;
    case GIC_E_DECODE: return tlm::TLM_ADDRESS_ERROR_RESPONSE;
    case GIC_E_UNDEF: return tlm::TLM_COMMAND_ERROR_RESPONSE;
    default: return tlm::TLM_GENERIC_ERROR_RESPONSE;
    }
}
// memcpy of an access's 1, 2, 4 or 8 data bytes (host byte order, as TLM-2.0 payloads carry them), with a constant
// size per case so that no library call is made.
inline void copy_bytes(void *dst, const void *src, unsigned len)
{
    switch (len) {
    case 1: std::memcpy(dst, src, 1); break;
    case 2: std::memcpy(dst, src, 2); break;
    case 4: std::memcpy(dst, src, 4); break;
    default: std::memcpy(dst, src, 8); break;
    }
}
} // namespace

SC_HAS_PROCESS(Gic);

Gic::Gic(sc_core::sc_module_name name, const struct gic_config &cfg, const sc_time &period)
    : sc_module(name), gicd("gicd"), gicr("gicr"), gicc("gicc"), gich("gich"), gich_alias("gich_alias"), gicv("gicv"),
      sysregs("sysregs"), gits("gits"), gits_tr("gits_tr"), mem("mem"), spi("spi"), ppi("ppi"), irq("irq"), fiq("fiq"),
      virq("virq"), vfiq("vfiq"), maint("maint"), cfg_(cfg), period_(period), period_units_(period.value())
{
    if (period_units_ == 0) {
        SC_REPORT_ERROR(kMsgType, "the clock period must be greater than zero (and not below the time resolution)");
        return;
    }
    int rc = GIC_OK;
    eng_ = make_c_engine(cfg, &rc);
    if (!eng_) {
        std::string msg = std::string("invalid GIC configuration: ") + gic_strerror(rc);
        SC_REPORT_ERROR(kMsgType, msg.c_str());
        return;
    }
    init();
}

Gic::Gic(sc_core::sc_module_name name, std::unique_ptr<Engine> engine, const sc_time &period)
    : sc_module(name), gicd("gicd"), gicr("gicr"), gicc("gicc"), gich("gich"), gich_alias("gich_alias"), gicv("gicv"),
      sysregs("sysregs"), gits("gits"), gits_tr("gits_tr"), mem("mem"), spi("spi"), ppi("ppi"), irq("irq"), fiq("fiq"),
      virq("virq"), vfiq("vfiq"), maint("maint"), period_(period), period_units_(period.value())
{
    std::memset(&cfg_, 0, sizeof cfg_);
    if (period_units_ == 0) {
        SC_REPORT_ERROR(kMsgType, "the clock period must be greater than zero (and not below the time resolution)");
        return;
    }
    if (!engine) {
        SC_REPORT_ERROR(kMsgType, "no GIC model (null engine)");
        return;
    }
    eng_ = std::move(engine);
    init();
}

void Gic::init()
{
    cfg_ = eng_->config();
    spi.init(cfg_.num_spis);
    ppi.init(cfg_.num_cpus * 16);
    irq.init(cfg_.num_cpus);
    fiq.init(cfg_.num_cpus);
    virq.init(cfg_.num_cpus);
    vfiq.init(cfg_.num_cpus);
    maint.init(cfg_.num_cpus);
    driven_.assign(cfg_.num_cpus, 0);
    spi_level_.assign(cfg_.num_spis, 0);
    ppi_level_.assign(cfg_.num_cpus * 16u, 0);
    last_edge_.assign(cfg_.num_cpus * 5u, 0);
    edges_.reserve(64);

    socket_type *socks[S_COUNT] = { &gicd, &gicr, &gicc, &gich, &gich_alias, &gicv, &sysregs, &gits, &gits_tr };
    for (int i = 0; i < S_COUNT; i++) {
        socks[i]->register_b_transport(this, &Gic::b_transport, i);
        socks[i]->register_transport_dbg(this, &Gic::transport_dbg, i);
        socks[i]->register_get_direct_mem_ptr(this, &Gic::get_direct_mem_ptr, i);
    }
    mem.register_invalidate_direct_mem_ptr(this, &Gic::invalidate_direct_mem_ptr);
    for (uint64_t i = 0; i < kLatTable; i++) lat_[i] = sc_time::from_value(i * period_units_);
    for (int i = 0; i < S_COUNT; i++) windows_[i] = window(i);
    // Until elaboration ends we do not know who listens; then update_hook() decides.
    eng_->set_trace(&Gic::trace_hook, this, true);
    hook_on_ = true;

    SC_METHOD(wake_method);
    sensitive << wake_ev_;
    dont_initialize();
    SC_METHOD(drive_method);
    sensitive << drive_ev_;
    dont_initialize();
}

Gic::~Gic() = default;

// ---------------------------------------------------------------- elaboration
void Gic::before_end_of_elaboration()
{
    if (!eng_) return;
    // Inputs: user-bound ones get a process each; unbound ones are tied low.
    auto input = [this](sc_core::sc_in<bool> &p, unsigned cpu, uint32_t intid, bool spi_line, const char *name) {
        if (p.bind_count() == 0) {
            tie_offs_.emplace_back(new sc_core::sc_signal<bool>(sc_core::sc_gen_unique_name("tie_low")));
            p.bind(*tie_offs_.back());
            return;
        }
        sc_core::sc_spawn_options o;
        o.spawn_method();
        o.set_sensitivity(&p);
        sc_core::sc_spawn(
            [this, &p, cpu, intid, spi_line]() { drive_line(cpu, intid, p.read(), spi_line, sc_core::SC_ZERO_TIME); },
            sc_core::sc_gen_unique_name(name), &o);
    };
    for (unsigned i = 0; i < spi.size(); i++) input(spi[i], 0, 32 + i, true, "spi_in");
    for (unsigned i = 0; i < ppi.size(); i++) input(ppi[i], i / 16, 16 + i % 16, false, "ppi_in");
    // Outputs: only bound ports are driven; unbound ones get a private signal nobody writes.
    sc_core::sc_vector<sc_core::sc_out<bool>> *outs[5] = { &irq, &fiq, &virq, &vfiq, &maint };
    for (unsigned k = 0; k < 5; k++) {
        for (unsigned c = 0; c < cfg_.num_cpus; c++) {
            sc_core::sc_out<bool> &p = (*outs[k])[c];
            if (p.bind_count() > 0) {
                driven_[c] |= static_cast<uint8_t>(1u << k);
                continue;
            }
            tie_offs_.emplace_back(new sc_core::sc_signal<bool>(sc_core::sc_gen_unique_name("unused_out")));
            p.bind(*tie_offs_.back());
        }
    }
}

// The kernel calls the trace hook for every event; install it only when output edges or trace
// events have a consumer (bound output ports, observers, a user trace).
void Gic::update_hook()
{
    if (!eng_) return;
    bool need = user_trace_ || !observers_.empty();
    for (uint8_t d : driven_) need = need || d;
    // Output edges alone do not need the engine's full trace (the RTL derives the rest at a cost).
    eng_->set_trace(need ? &Gic::trace_hook : nullptr, need ? this : nullptr, user_trace_ != nullptr);
    hook_on_ = need;
}

void Gic::end_of_elaboration()
{
    if (!eng_) return;
    update_hook();
    mem_bind();
    // Output ports start at the kernel's levels (all low after creation).
    sc_core::sc_vector<sc_core::sc_out<bool>> *outs[5] = { &irq, &fiq, &virq, &vfiq, &maint };
    for (unsigned c = 0; c < cfg_.num_cpus; c++)
        for (unsigned k = 0; k < 5; k++)
            if (driven_[c] & (1u << k)) (*outs[k])[c].initialize((eng_->outputs(c) >> k) & 1u);
}

// ---------------------------------------------------------------- time
uint64_t Gic::cycle_at(const sc_time &delay) const
{
    const uint64_t stamp = sc_core::sc_time_stamp().value(), d = delay.value();
    if (d > UINT64_MAX - stamp) return GIC_CYCLE_NEVER; // past any cycle the kernel can reach: refused by catch_up
    return (stamp + d) / period_units_ + 1;
}

int Gic::catch_up(uint64_t cycle)
{
    // GIC_E_TIME when `cycle` lies past the end of the kernel's time (GIC_CYCLE_LIMIT, gic.h): the caller refuses
    // the access or line change instead of applying it at an earlier cycle. GIC_E_AGAIN while the kernel is inside
    // a memory callback (another process got to run because the memory target waited, which it must not).
    if (eng_->now() >= cycle) return GIC_OK;
    if (kernel_busy()) return GIC_E_AGAIN;
    int rc = eng_->run_until(cycle);
    raise_mem_fault();
    return rc;
}

void Gic::schedule_wake()
{
    // A wake already pending at or before the kernel's current cycle comes before any new event.
    if (wake_cycle_ <= eng_->now()) return;
    uint64_t n = eng_->next_event();
    if (n == GIC_CYCLE_NEVER || n >= wake_cycle_) return;
    wake_cycle_ = n;
    uint64_t at = n * period_units_, now = sc_core::sc_time_stamp().value();
    wake_ev_.notify(at > now ? sc_time::from_value(at - now) : sc_core::SC_ZERO_TIME);
}

void Gic::wake_method()
{
    wake_cycle_ = GIC_CYCLE_NEVER;
    // Every cycle up to and including the current one. Past the end of the GIC's time (GIC_CYCLE_LIMIT) nothing
    // more happens: no new wake (it would fire again at once, for ever).
    if (catch_up(cycle_at(sc_core::SC_ZERO_TIME)) != GIC_OK) return;
    schedule_wake();
}

void Gic::trace_hook(void *ctx, const struct gic_trace_event *ev)
{
    Gic *self = static_cast<Gic *>(ctx);
    if (ev->kind == GIC_TR_OUTPUT) self->on_output(*ev);
    if (self->user_trace_) self->user_trace_(self->user_trace_ctx_, ev);
}

void Gic::on_output(const struct gic_trace_event &ev)
{
    uint32_t bit = ev.intid;
    if (!bit || bit > GIC_OUT_MAINT || ev.cpu >= cfg_.num_cpus) return;
    unsigned k = out_index(bit);
    last_edge_[ev.cpu * 5u + k] = ev.cycle;
    for (auto &fn : observers_) fn(ev.cpu, bit, ev.value != 0, ev.cycle);
    if (!(driven_[ev.cpu] & bit)) return;
    bool was_empty = edge_head_ == edges_.size();
    edges_.push_back(Edge{ ev.cycle, ev.cpu, static_cast<uint16_t>(bit), ev.value != 0 });
    if (was_empty) {
        uint64_t at = ev.cycle * period_units_, now = sc_core::sc_time_stamp().value();
        drive_ev_.notify(at > now ? sc_time::from_value(at - now) : sc_core::SC_ZERO_TIME);
    }
}

void Gic::drive_method()
{
    sc_core::sc_vector<sc_core::sc_out<bool>> *outs[5] = { &irq, &fiq, &virq, &vfiq, &maint };
    uint64_t now = sc_core::sc_time_stamp().value();
    while (edge_head_ < edges_.size() && edges_[edge_head_].cycle * period_units_ <= now) {
        const Edge &e = edges_[edge_head_++];
        (*outs[out_index(e.bit)])[e.cpu].write(e.level);
    }
    if (edge_head_ == edges_.size()) {
        edges_.clear();
        edge_head_ = 0;
    } else {
        drive_ev_.notify(sc_time::from_value(edges_[edge_head_].cycle * period_units_ - now));
    }
}

// ---------------------------------------------------------------- direct API
int Gic::drive_line(unsigned cpu, uint32_t intid, bool level, bool spi_line, const sc_time &delay)
{
    uint8_t &cur = spi_line ? spi_level_[intid - 32] : ppi_level_[cpu * 16u + (intid - 16)];
    if (cur == static_cast<uint8_t>(level)) return GIC_OK; // no change: no event (timing.md 4.3)
    if (kernel_busy()) return GIC_E_AGAIN;
    uint64_t c = cycle_at(delay);
    if (eng_->now() > c) late_inputs_++;
    if (int t = catch_up(c); t != GIC_OK) return t;
    int rc = spi_line ? eng_->set_spi(intid, level) : eng_->set_ppi(cpu, intid, level);
    if (rc == GIC_OK) cur = level;
    schedule_wake();
    return rc;
}

int Gic::set_spi(uint32_t intid, bool level, const sc_time &delay)
{
    if (!eng_ || intid < 32 || intid >= 32 + cfg_.num_spis) return GIC_E_INVAL;
    return drive_line(0, intid, level, true, delay);
}

int Gic::set_ppi(unsigned cpu, uint32_t intid, bool level, const sc_time &delay)
{
    if (!eng_ || cpu >= cfg_.num_cpus || intid < 16 || intid > 31) return GIC_E_INVAL;
    return drive_line(cpu, intid, level, false, delay);
}

void Gic::add_output_observer(OutputObserver fn)
{
    if (fn) observers_.push_back(std::move(fn));
    if (sc_core::sc_get_status() != sc_core::SC_ELABORATION) update_hook();
}

uint32_t Gic::outputs(unsigned cpu) const { return eng_ ? eng_->outputs(cpu) : 0; }

bool Gic::await_output(unsigned cpu, uint32_t mask, bool level, sc_time &delay, uint64_t max_cycles)
{
    if (!eng_ || cpu >= cfg_.num_cpus || !mask) return false;
    auto holds = [&]() { return ((eng_->outputs(cpu) & mask) != 0) == level; };
    const uint64_t stamp = sc_core::sc_time_stamp().value();
    const uint64_t c = cycle_at(delay);
    if (catch_up(c) != GIC_OK) return false; // past the end of the GIC's time: the condition cannot come
    if (holds()) {
        // The kernel may already be past the caller's time: the condition began at the last edge.
        // (Edge cycles are recorded while the trace hook is installed; without it the kernel can
        // only be ahead of this caller because of another initiator, and the edge is taken as now.)
        uint64_t last = 0;
        for (unsigned k = 0; k < 5 && hook_on_; k++)
            if (mask & (1u << k)) last = std::max(last, last_edge_[cpu * 5u + k]);
        if (last >= c) delay = sc_time::from_value(last * period_units_ - stamp);
        return true;
    }
    const uint64_t limit = max_cycles > GIC_CYCLE_NEVER - 1 - c ? GIC_CYCLE_NEVER - 1 : c + max_cycles;
    bool found = false;
    for (;;) {
        uint64_t n = eng_->next_event();
        if (n == GIC_CYCLE_NEVER || n > limit || kernel_busy() || eng_->run_until(n + 1) != GIC_OK) break;
        if ((found = holds())) {
            delay = sc_time::from_value(n * period_units_ - stamp);
            break;
        }
    }
    schedule_wake();
    raise_mem_fault();
    return found;
}

void Gic::set_trace(gic_trace_fn fn, void *ctx)
{
    user_trace_ = fn;
    user_trace_ctx_ = ctx;
    if (sc_core::sc_get_status() != sc_core::SC_ELABORATION) update_hook();
}

int Gic::peek(enum gic_frame frame, unsigned cpu, uint32_t offset, unsigned size, uint64_t &data)
{
    if (!eng_) return GIC_E_INVAL;
    return eng_->peek(frame, cpu, offset, size, &data);
}

// ---------------------------------------------------------------- register accesses
tlm::tlm_response_status Gic::do_access(enum gic_frame frame, unsigned cpu, uint32_t offset, unsigned size, bool write,
                                        uint64_t &data, sc_time &delay, uint64_t addr_for_align)
{
    const uint64_t c = cycle_at(delay);
    // Past the end of the GIC's time, or re-entered from inside a memory callback (docs/tlm.md, "The memory socket").
    if (kernel_busy() || catch_up(c) != GIC_OK) return tlm::TLM_GENERIC_ERROR_RESPONSE;
    struct gic_access a;
    a.frame = static_cast<uint8_t>(frame);
    a.write = write;
    a.size = static_cast<uint8_t>(size);
    a.cpu = static_cast<uint16_t>(cpu);
    a.offset = offset;
    a.data = write ? data : 0;
    struct gic_response r;
    int rc = eng_->access(a, r);
    if (rc == GIC_OK) {
        delay += cycles(r.done - c);
        schedule_wake();
        if (r.status == GIC_OK && !write) data = r.data;
    }
    raise_mem_fault(); // what a memory target threw during the access, now that the kernel is consistent
    return rc == GIC_OK ? map_status(r.status, addr_for_align, size) : tlm::TLM_GENERIC_ERROR_RESPONSE;
}

tlm::tlm_response_status Gic::access(enum gic_frame frame, unsigned cpu, uint32_t offset, unsigned size, bool write,
                                     uint64_t &data, sc_time &delay)
{
    if (!eng_ || static_cast<unsigned>(frame) >= GIC_FRAME_COUNT || cpu >= requesters(frame))
        return tlm::TLM_GENERIC_ERROR_RESPONSE;
    if (size != 1 && size != 2 && size != 4 && size != 8) return tlm::TLM_BURST_ERROR_RESPONSE;
    return do_access(frame, cpu, offset, size, write, data, delay, offset);
}

tlm::tlm_response_status Gic::sysreg(unsigned cpu, uint32_t enc, bool write, uint64_t &data, sc_time &delay, bool virt)
{
    if (!eng_ || cpu >= cfg_.num_cpus) return tlm::TLM_GENERIC_ERROR_RESPONSE;
    return do_access(virt ? GIC_FRAME_VSYSREG : GIC_FRAME_SYSREG, cpu, enc, 8, write, data, delay, 0);
}

uint64_t Gic::window(int id) const
{
    bool v2 = cfg_.version == GIC_V2;
    switch (id) {
    case S_GICD: return kFrameSize;
    case S_GICR: return v2 ? 0 : kRedistStride * cfg_.num_cpus;
    case S_GICC:
    case S_GICH:
    case S_GICV: return kFrameSize;
    case S_GICH_ALIAS: return kGichAliasStride * cfg_.num_cpus;
    case S_SYSREG: return kSysregWindow;
    case S_GITS:
    case S_GITS_TR: return cfg_.its ? kFrameSize : 0;
    default: return 0;
    }
}

bool Gic::decode(int id, uint64_t addr, const tlm::tlm_generic_payload &gp, enum gic_frame &frame, unsigned &cpu,
                 uint32_t &offset, tlm::tlm_response_status &err) const
{
    const uint64_t len = gp.get_data_length();
    const uint64_t win = static_cast<unsigned>(id) < S_COUNT ? windows_[id] : 0;
    if (addr >= win || len > win - addr) {
        err = tlm::TLM_ADDRESS_ERROR_RESPONSE;
        return false;
    }
    const CpuExtension *ext = gp.get_extension<CpuExtension>();
    cpu = ext ? ext->cpu : 0;
    offset = static_cast<uint32_t>(addr);
    switch (id) {
    case S_GICD: frame = GIC_FRAME_GICD; break;
    case S_GICC: frame = GIC_FRAME_GICC; break;
    case S_GICH: frame = GIC_FRAME_GICH; break;
    case S_GICV: frame = GIC_FRAME_GICV; break;
    case S_GICR:
        cpu = static_cast<unsigned>(addr / kRedistStride);
        frame = (addr & kFrameSize) ? GIC_FRAME_GICR_SGI : GIC_FRAME_GICR_RD;
        offset = static_cast<uint32_t>(addr & (kFrameSize - 1));
        break;
    case S_GICH_ALIAS:
        cpu = static_cast<unsigned>(addr / kGichAliasStride);
        frame = GIC_FRAME_GICH;
        offset = static_cast<uint32_t>(addr % kGichAliasStride);
        break;
    case S_SYSREG: frame = (ext && ext->virt) ? GIC_FRAME_VSYSREG : GIC_FRAME_SYSREG; break;
    case S_GITS:
        frame = GIC_FRAME_GITS;
        cpu = 0; // not banked
        break;
    case S_GITS_TR: {
        const DeviceIdExtension *dev = gp.get_extension<DeviceIdExtension>();
        frame = GIC_FRAME_GITS_TR;
        cpu = dev ? dev->devid : 0; // the MSI's DeviceID (0 without the extension, as QEMU's qtest)
        break;
    }
    default: err = tlm::TLM_ADDRESS_ERROR_RESPONSE; return false;
    }
    if (cpu >= requesters(frame)) {
        err = tlm::TLM_GENERIC_ERROR_RESPONSE; // a requester index (CPU, DeviceID) this GIC does not have
        return false;
    }
    return true;
}

unsigned Gic::requesters(enum gic_frame frame) const
{
    return frame == GIC_FRAME_GITS_TR ? kMaxDeviceId + 1u : cfg_.num_cpus;
}

void Gic::b_transport(int id, tlm::tlm_generic_payload &gp, sc_time &delay)
{
    gp.set_dmi_allowed(false);
    const tlm::tlm_command cmd = gp.get_command();
    const uint64_t addr = gp.get_address();
    const unsigned len = gp.get_data_length();
    enum gic_frame frame;
    unsigned cpu;
    uint32_t offset;
    tlm::tlm_response_status err = tlm::TLM_GENERIC_ERROR_RESPONSE;
    // Checked in the order of the TLM-2.0 base protocol: address, command, burst, byte enables.
    if (!eng_) {
        gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    if (!decode(id, addr, gp, frame, cpu, offset, err)) {
        gp.set_response_status(err);
        return;
    }
    if (cmd != tlm::TLM_READ_COMMAND && cmd != tlm::TLM_WRITE_COMMAND && cmd != tlm::TLM_IGNORE_COMMAND) {
        gp.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
    }
    if ((len != 1 && len != 2 && len != 4 && len != 8) || gp.get_streaming_width() < len) {
        gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE); // one register, no bursts, no streaming
        return;
    }
    if (const unsigned char *be = gp.get_byte_enable_ptr()) {
        const unsigned be_len = gp.get_byte_enable_length();
        bool all = be_len != 0;
        for (unsigned i = 0; all && i < len; i++) all = be[i % be_len] == TLM_BYTE_ENABLED;
        if (!all) { // the GIC has no byte strobes below the access size
            gp.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
            return;
        }
    }
    if (cmd == tlm::TLM_IGNORE_COMMAND) { // decoded and accepted; nothing is accessed, no time passes
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
        return;
    }
    unsigned char *ptr = gp.get_data_ptr();
    if (!ptr) {
        gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    uint64_t data = 0;
    const bool write = cmd == tlm::TLM_WRITE_COMMAND;
    if (write) copy_bytes(&data, ptr, len);
    tlm::tlm_response_status st = do_access(frame, cpu, offset, len, write, data, delay, addr);
    if (st == tlm::TLM_OK_RESPONSE && !write) copy_bytes(ptr, &data, len);
    gp.set_response_status(st);
}

unsigned int Gic::transport_dbg(int id, tlm::tlm_generic_payload &gp)
{
    // Debug reads sample the registers without side effects and without time; debug writes are
    // refused (0 bytes): a register write always has architectural side effects.
    if (!eng_ || gp.get_command() != tlm::TLM_READ_COMMAND || !gp.get_data_ptr()) return 0;
    enum gic_frame frame;
    unsigned cpu;
    uint32_t offset;
    tlm::tlm_response_status err;
    const uint64_t addr = gp.get_address();
    const unsigned len = gp.get_data_length();
    if (!decode(id, addr, gp, frame, cpu, offset, err)) return 0;
    unsigned char *ptr = gp.get_data_ptr();
    uint64_t v = 0;
    if (len == 1 || len == 2 || len == 4 || len == 8) {
        if (eng_->peek(frame, cpu, offset, len, &v) != GIC_OK) return 0;
        std::memcpy(ptr, &v, len);
        return len;
    }
    // A larger block (a memory viewer): 32-bit words, as far as they read without error.
    if ((len & 3) || (offset & 3) || frame == GIC_FRAME_SYSREG || frame == GIC_FRAME_VSYSREG) return 0;
    unsigned done = 0;
    for (; done < len; done += 4) {
        if (eng_->peek(frame, cpu, offset + done, 4, &v) != GIC_OK) break;
        std::memcpy(ptr + done, &v, 4);
    }
    return done;
}

bool Gic::get_direct_mem_ptr(int id, tlm::tlm_generic_payload &, tlm::tlm_dmi &dmi)
{
    // Registers have side effects: no DMI anywhere in the window.
    dmi.allow_none();
    dmi.set_start_address(0);
    uint64_t w = window(id);
    dmi.set_end_address(w ? w - 1 : 0);
    return false;
}

} // namespace gicsim
