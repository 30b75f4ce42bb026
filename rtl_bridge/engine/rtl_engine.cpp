// rtl_engine.cpp: gicsim::Engine over a Verilated gic_top (rtlb::RtlIo): register accesses through the RTL's port,
// input lines with their rise strobes, idle cycles skipped while the RTL's qactive is low, and the trace derived
// from the RTL's observation port and state vectors (docs/rtl.md, "The RTL behind the TLM interface").
#include "rtl_engine.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <vector>

#include "gicsim/gic.h"
#include "gicsim/gic_regs.h"
#include "rtl_io.h"

namespace gicsim {
namespace {

constexpr uint32_t kb(unsigned kind) { return 1u << kind; }

// The trace kinds the RTL engine derives. Not derived: ENABLE, PRIORITY, GROUP, ROUTE, LINE, HPPI (no
// observation port for them) and EOICOUNT. ACK: the acknowledged INTIDs (cpu, intid; value 0, not the priority),
// not the spurious acknowledge of an offer withdrawn in flight. State kinds (PENDING, ACTIVE, LR, MISR, RPR, VRPR)
// are net changes per cycle: a bit cleared and set again within one cycle gives no event.
constexpr uint32_t kKinds = kb(GIC_TR_ACCESS) | kb(GIC_TR_PENDING) | kb(GIC_TR_ACTIVE) | kb(GIC_TR_LR) |
                            kb(GIC_TR_MISR) | kb(GIC_TR_RPR) | kb(GIC_TR_VRPR) | kb(GIC_TR_DEACT) | kb(GIC_TR_HWDEACT) |
                            kb(GIC_TR_ACK) | kb(GIC_TR_VACK) | kb(GIC_TR_OUTPUT);

constexpr uint32_t ENC_IAR0 = ICC_IAR0_EL1_ENC, ENC_IAR1 = ICC_IAR1_EL1_ENC;
// The State field of ICH_LR<n>_EL2: bit 0 pending, bit 1 active (IHI0069H 12.4.7).
constexpr uint64_t LR_PENDING = GIC_FIELD_VAL(ICH_LR_EL2_STATE, 1), LR_ACTIVE = GIC_FIELD_VAL(ICH_LR_EL2_STATE, 2);
constexpr uint64_t kAnswerLimit = 1u << 16; // cycles an access may take before the engine gives up

// The configuration every Verilated build has besides its CPUs, SPIs and list registers (rtl_bridge/CMakeLists.txt).
void build_config(const rtlb::RtlVariant &v, struct gic_config &c)
{
    gic_config_default(&c, v.version == 2 ? GIC_V2 : GIC_V3);
    c.num_cpus = v.cpus;
    c.num_spis = v.spis;
    c.num_lrs = v.lrs;
    c.prio_bits = 8;
    c.cpu_prio_bits = v.cpu_prio_bits; // the build's CPU_PRIO_BITS
    c.vprio_bits = 5;
    c.vpre_bits = 5;
    c.maint_ppi = 25;
    c.one_of_n = v.one_of_n;
    c.dist_iidr = c.redist_iidr = 0x43b;
    if (v.version == 2) c.cpu_iidr = 0x2043b; // GICC_IIDR/GICV_IIDR (gic_top CPU_IIDR)
    c.lpis = c.its = false;                   // the RTL has no LPIs and no ITS (docs/rtl.md)
    gic_timing_default(&c.timing);
}

bool same_timing(const struct gic_timing &a, const struct gic_timing &b)
{
    return a.req == b.req && a.resp == b.resp && a.ack == b.ack && a.line == b.line && a.prio == b.prio &&
           a.deliver == b.deliver && a.deact == b.deact && a.hwdeact == b.hwdeact && a.maint == b.maint &&
           a.out == b.out;
}

class RtlEngine final : public Engine {
public:
    RtlEngine(std::unique_ptr<rtlb::RtlIo> io, const struct gic_config &cfg, const std::string &variant)
        : io_(std::move(io)), cfg_(cfg), name_("rtl:" + variant)
    {
        spi_lvl_.assign(cfg_.num_spis, 0);
        spi_rise_.assign(cfg_.num_spis, 0);
        ppi_lvl_.assign(cfg_.num_cpus * 16u, 0);
        ppi_rise_.assign(cfg_.num_cpus * 16u, 0);
        outputs_.assign(cfg_.num_cpus, 0);
        io_->reset();
        io_->set_request(false, 0, false, 0, 0, 0, 0, 0);
        for (unsigned c = 0; c < cfg_.num_cpus; c++) outputs_[c] = io_->outputs(c);
        io_->state(prev_);
        sample_qactive();
        // GICSIM_RTL_VCD=FILE: a waveform of every clocked cycle (time = cycle number; skipped idle cycles are gaps).
        if (const char *vcd = std::getenv("GICSIM_RTL_VCD"))
            if (*vcd) {
                io_->trace_open(vcd);
                vcd_ = true;
            }
    }
    ~RtlEngine() override
    {
        if (vcd_) io_->trace_close();
    }

    const char *name() const override { return name_.c_str(); }
    const struct gic_config &config() const override { return cfg_; }
    gic_cycle_t now() const override { return now_; }
    uint32_t trace_kinds() const override { return kKinds; }
    uint32_t outputs(unsigned cpu) const override { return cpu < outputs_.size() ? outputs_[cpu] : 0; }

    // Work is pending while a stimulus waits for its cycle or the RTL says it has work in flight (qactive_core).
    gic_cycle_t next_event() const override
    {
        return (req_pending_ || waiting_ || !touched_spi_.empty() || !touched_ppi_.empty() || qactive_)
                   ? now_
                   : GIC_CYCLE_NEVER;
    }

    // The end of time (gic.h, GIC_CYCLE_LIMIT) as the C kernels keep it: time never passes the limit, and a stimulus
    // whose own effect would fall after it is refused with GIC_E_TIME and changes nothing.
    int run_until(gic_cycle_t t) override
    {
        if (t > GIC_CYCLE_LIMIT) return GIC_E_TIME;
        while (now_ < t) {
            if (next_event() == GIC_CYCLE_NEVER) { // a fixed point: clocking it changes nothing (docs/rtl.md, qactive)
                now_ = t;
                break;
            }
            cycle();
        }
        return GIC_OK;
    }

    int access(const struct gic_access &a, struct gic_response &r) override
    {
        if (a.frame >= GIC_FRAME_COUNT || a.cpu >= cfg_.num_cpus) return GIC_E_INVAL;
        if (a.size != 1 && a.size != 2 && a.size != 4 && a.size != 8) return GIC_E_INVAL;
        // The response would come after the limit (req, then resp or, for an acknowledge, ack: the longer of the two,
        // as the engine does not decode the register).
        if (now_ > GIC_CYCLE_LIMIT - (cfg_.timing.req + std::max(cfg_.timing.resp, cfg_.timing.ack))) return GIC_E_TIME;
        acc_ = a;
        tag_ = static_cast<uint16_t>(tag_ + 1);
        req_pending_ = waiting_ = true;
        got_ = false;
        issue_ = now_;
        effect_ = GIC_CYCLE_NEVER;
        const uint64_t limit = now_ + kAnswerLimit;
        while (!got_ && now_ < limit) cycle();
        waiting_ = false;
        if (!got_) return GIC_E_AGAIN; // the RTL never answered: a defect of the RTL, reported, not hidden
        std::memset(&r, 0, sizeof r);
        r.status = rsp_.status;
        r.data = (r.status == GIC_OK && !a.write) ? rsp_.data : 0;
        r.issue = issue_;
        r.effect = effect_ != GIC_CYCLE_NEVER ? effect_ : issue_ + cfg_.timing.req;
        r.done = done_;
        return GIC_OK;
    }

    int set_spi(uint32_t intid, bool level) override
    {
        if (intid < 32 || intid >= 32 + cfg_.num_spis) return GIC_E_INVAL;
        if (now_ > GIC_CYCLE_LIMIT - cfg_.timing.line) return GIC_E_TIME; // sampled after the limit
        drive(spi_lvl_, spi_rise_, touched_spi_, intid - 32, level);
        return GIC_OK;
    }
    int set_ppi(unsigned cpu, uint32_t intid, bool level) override
    {
        if (cpu >= cfg_.num_cpus || intid < 16 || intid > 31) return GIC_E_INVAL;
        if (now_ > GIC_CYCLE_LIMIT - cfg_.timing.line) return GIC_E_TIME; // sampled after the limit
        const unsigned k = cpu * 16 + (intid - 16);
        if (intid == cfg_.maint_ppi && (outputs_[cpu] & GIC_OUT_MAINT)) {
            // The maintenance PPI's input is the OR of this wire and MAINT (timing.md 4.8): while MAINT is high the
            // wire changes no line, so it is no work. The level reaches the RTL with the next clocked cycle (MAINT
            // cannot fall before one); its rise would be ignored by the RTL and is dropped.
            std::vector<unsigned> quiet;
            drive(ppi_lvl_, ppi_rise_, quiet, k, level);
            ppi_rise_[k] = 0;
            if (!quiet.empty() && std::find(held_ppi_.begin(), held_ppi_.end(), k) == held_ppi_.end())
                held_ppi_.push_back(k);
            return GIC_OK;
        }
        drive(ppi_lvl_, ppi_rise_, touched_ppi_, k, level);
        return GIC_OK;
    }

    // Through the RTL's debug port, which returns a whole register at its aligned offset: 32-bit words for the
    // memory-mapped frames (64 bits for 8-byte reads), the register for system registers. A frame the build's GIC
    // version lacks is not decoded (GICv3: GICC, GICH, GICV; GICv2: the redistributors and the system registers).
    int peek(enum gic_frame f, unsigned cpu, uint32_t offset, unsigned size, uint64_t *val) override
    {
        if (!val || f >= GIC_FRAME_COUNT || cpu >= cfg_.num_cpus) return GIC_E_INVAL;
        const bool v2frame = f == GIC_FRAME_GICC || f == GIC_FRAME_GICH || f == GIC_FRAME_GICV;
        if (v2frame != (cfg_.version == GIC_V2) && f != GIC_FRAME_GICD) return GIC_E_DECODE;
        if (f == GIC_FRAME_SYSREG || f == GIC_FRAME_VSYSREG) {
            *val = io_->debug_read(static_cast<uint8_t>(f), static_cast<uint16_t>(cpu), offset);
            return GIC_OK;
        }
        if (size != 1 && size != 2 && size != 4 && size != 8) return GIC_E_SIZE;
        const unsigned w = size == 8 ? 8 : 4;
        const uint32_t base = offset & ~(w - 1);
        if (offset - base + size > w) return GIC_E_SIZE;
        uint64_t v = io_->debug_read(static_cast<uint8_t>(f), static_cast<uint16_t>(cpu), base);
        if (w == 4) v &= 0xffffffffu;
        v >>= 8 * (offset - base);
        *val = size == 8 ? v : v & ((1ull << (8 * size)) - 1);
        return GIC_OK;
    }

    void set_trace(gic_trace_fn fn, void *ctx, bool full) override
    {
        fn_ = fn;
        ctx_ = ctx;
        bool was = full_;
        full_ = fn && full;
        if (full_ && !was) io_->state(prev_); // diffs start from the state now
    }

private:
    static void drive(std::vector<uint8_t> &lvl, std::vector<uint8_t> &rise, std::vector<unsigned> &touched, unsigned k,
                      bool level)
    {
        if (lvl[k] == level) return;
        if (level) rise[k] = 1; // a 0 -> 1 change within the cycle: the rise strobe (an edge pulse keeps it)
        lvl[k] = level;
        for (unsigned x : touched)
            if (x == k) return;
        touched.push_back(k);
    }

    void emit(uint64_t cycle, unsigned kind, unsigned cpu, uint32_t intid, uint64_t value, uint64_t aux)
    {
        struct gic_trace_event e;
        e.cycle = cycle;
        e.kind = static_cast<uint16_t>(kind);
        e.cpu = static_cast<uint16_t>(cpu);
        e.intid = intid;
        e.value = value;
        e.aux = aux;
        evs_.push_back(e);
    }

    bool active_before(unsigned cpu, unsigned intid) const
    {
        if (intid < 32) return cpu < prev_.ppi_act.size() && ((prev_.ppi_act[cpu] >> intid) & 1u);
        return intid / 32 < prev_.spi_act.size() && ((prev_.spi_act[intid / 32] >> (intid % 32)) & 1u);
    }

    void diff_bits(uint64_t t, unsigned kind, unsigned cpu, unsigned intid0, uint32_t before, uint32_t after)
    {
        for (uint32_t d = before ^ after; d; d &= d - 1) {
            unsigned b = static_cast<unsigned>(__builtin_ctz(d));
            emit(t, kind, cpu, intid0 + b, (after >> b) & 1u, 0);
        }
    }

    // The events of cycle t that the observation port announced before the edge (deactivations arriving,
    // the access taking effect, a HW=1 deactivation forwarded).
    void observed(uint64_t t, const rtlb::RtlObs &o)
    {
        if (o.deact_valid)
            emit(t, GIC_TR_DEACT, o.deact_cpu, o.deact_intid, active_before(o.deact_cpu, o.deact_intid), 0);
        if (o.hwdeact_valid)
            emit(t, GIC_TR_DEACT, o.hwdeact_cpu, o.hwdeact_intid, active_before(o.hwdeact_cpu, o.hwdeact_intid), 1);
        if (o.acc_valid && waiting_ && o.acc_tag == tag_) {
            effect_ = t;
            const uint64_t aux = static_cast<uint64_t>(acc_.frame) | static_cast<uint64_t>(acc_.write) << 8 |
                                 static_cast<uint64_t>(acc_.size) << 16 |
                                 static_cast<uint64_t>(static_cast<uint8_t>(o.acc_status)) << 24;
            emit(t, GIC_TR_ACCESS, acc_.cpu, acc_.offset, acc_.write ? acc_.data : o.acc_data, aux);
            acc_data_ = o.acc_data;
            acc_ok_ = o.acc_status == GIC_OK;
        }
        if (o.hwfwd_valid) emit(t, GIC_TR_HWDEACT, o.hwfwd_cpu, o.hwfwd_pintid, o.hwfwd_vintid, o.hwfwd_lr);
    }

    // The state changes of cycle t, from the state vectors before and after its edge.
    void state_changes(uint64_t t)
    {
        io_->state(cur_);
        for (unsigned c = 0; c < cfg_.num_cpus; c++) {
            diff_bits(t, GIC_TR_PENDING, c, 0, prev_.ppi_pend[c], cur_.ppi_pend[c]);
            diff_bits(t, GIC_TR_ACTIVE, c, 0, prev_.ppi_act[c], cur_.ppi_act[c]);
        }
        for (size_t n = 1; n < cur_.spi_pend.size(); n++) {
            diff_bits(t, GIC_TR_PENDING, 0, 32 * static_cast<unsigned>(n), prev_.spi_pend[n], cur_.spi_pend[n]);
            diff_bits(t, GIC_TR_ACTIVE, 0, 32 * static_cast<unsigned>(n), prev_.spi_act[n], cur_.spi_act[n]);
        }
        const unsigned nlr = cfg_.num_lrs;
        for (unsigned c = 0; c < cfg_.num_cpus; c++) {
            for (unsigned i = 0; i < nlr; i++) {
                uint64_t was = prev_.lr[c * nlr + i], is = cur_.lr[c * nlr + i];
                if (was != is) emit(t, GIC_TR_LR, c, i, is, was);
            }
            if (prev_.misr[c] != cur_.misr[c]) emit(t, GIC_TR_MISR, c, 0, cur_.misr[c], 0);
            if (prev_.rpr[c] != cur_.rpr[c]) emit(t, GIC_TR_RPR, c, 0, cur_.rpr[c], prev_.rpr[c]);
            if (prev_.vrpr[c] != cur_.vrpr[c]) emit(t, GIC_TR_VRPR, c, 0, cur_.vrpr[c], prev_.vrpr[c]);
        }
        // Acknowledges: an IAR read that took effect in t and returned an INTID (ICV: the list register it made active;
        // GICv2: GICC/GICV_IAR and _AIAR, the INTID without the SGI's source CPUID).
        const bool v2 = cfg_.version == GIC_V2;
        const bool iar = v2 ? (acc_.offset == GICC_IAR_OFFSET || acc_.offset == GICC_AIAR_OFFSET)
                            : (acc_.offset == ENC_IAR0 || acc_.offset == ENC_IAR1);
        const uint8_t phys = v2 ? GIC_FRAME_GICC : GIC_FRAME_SYSREG, virt = v2 ? GIC_FRAME_GICV : GIC_FRAME_VSYSREG;
        if (effect_ == t && acc_ok_ && !acc_.write && (acc_.frame == phys || acc_.frame == virt) && iar) {
            uint32_t id = static_cast<uint32_t>(acc_data_ & (v2 ? 0x3ff : 0xffffff));
            if (id < 1020 && acc_.frame == phys) emit(t, GIC_TR_ACK, acc_.cpu, id, 0, 0);
            if (id < 1020 && acc_.frame == virt)
                for (unsigned i = 0; i < nlr; i++) {
                    uint64_t was = prev_.lr[acc_.cpu * nlr + i], is = cur_.lr[acc_.cpu * nlr + i];
                    if (static_cast<uint32_t>(is) == id && (was & LR_PENDING) && (is & LR_ACTIVE) && !(is & LR_PENDING))
                        emit(t, GIC_TR_VACK, acc_.cpu, id, (is >> 48) & 0xff, i);
                }
        }
        std::swap(prev_, cur_);
    }

    // Idle means qactive_core low: qactive without the response lanes, which only drain responses the engine has
    // already taken (every access waits for its response); the next clock edge, whenever it comes, clears them.
    void sample_qactive()
    {
        io_->qactive();
        qactive_ = io_->qactive_core();
    }

    // One GIC cycle: this cycle's stimuli on the pins, one clock edge, then responses, outputs, trace, qactive.
    void cycle()
    {
        const uint64_t t = now_;
        for (unsigned k : touched_spi_) io_->set_spi(k, spi_lvl_[k], spi_rise_[k]);
        for (unsigned k : touched_ppi_) io_->set_ppi(k / 16, k % 16, ppi_lvl_[k], ppi_rise_[k]);
        for (unsigned k : held_ppi_) io_->set_ppi(k / 16, k % 16, ppi_lvl_[k], false);
        held_ppi_.clear();
        const bool req = req_pending_;
        if (req) {
            io_->set_request(true, acc_.frame, acc_.write, acc_.size, acc_.cpu, acc_.offset, acc_.data, tag_);
            req_pending_ = false;
        }
        rtlb::RtlObs obs;
        if (full_) obs = io_->observe();
        io_->clock();
        if (vcd_) io_->trace_dump(t);
        for (unsigned k : touched_spi_) {
            spi_rise_[k] = 0;
            io_->set_spi(k, spi_lvl_[k], false);
        }
        for (unsigned k : touched_ppi_) {
            ppi_rise_[k] = 0;
            io_->set_ppi(k / 16, k % 16, ppi_lvl_[k], false);
        }
        touched_spi_.clear();
        touched_ppi_.clear();
        if (req) io_->set_request(false, 0, false, 0, 0, 0, 0, 0);
        for (int lane = 0; lane < 2 && waiting_ && !got_; lane++) {
            rtlb::RtlResponse r = io_->response(lane);
            if (r.valid && r.tag == tag_) {
                rsp_ = r;
                got_ = true;
                done_ = t + 1;
            }
        }
        evs_.clear();
        if (full_) {
            observed(t, obs);
            state_changes(t);
        }
        for (unsigned c = 0; c < cfg_.num_cpus; c++) {
            uint32_t o = io_->outputs(c), d = o ^ outputs_[c];
            outputs_[c] = o;
            for (uint32_t bit = GIC_OUT_IRQ; d && bit <= GIC_OUT_MAINT; bit <<= 1)
                if (d & bit) emit(t, GIC_TR_OUTPUT, c, bit, (o & bit) != 0, 0);
        }
        sample_qactive();
        now_ = t + 1;
        if (fn_)
            for (const struct gic_trace_event &e : evs_) fn_(ctx_, &e);
    }

    std::unique_ptr<rtlb::RtlIo> io_;
    struct gic_config cfg_;
    std::string name_;
    gic_cycle_t now_ = 0;
    bool qactive_ = false;
    // stimuli of the cycle now_ (not yet clocked)
    std::vector<uint8_t> spi_lvl_, spi_rise_, ppi_lvl_, ppi_rise_;
    std::vector<unsigned> touched_spi_, touched_ppi_;
    std::vector<unsigned> held_ppi_; // maintenance-PPI wire levels that change no line (MAINT high): no work
    // the one access in flight (gicsim::Gic waits for each response)
    struct gic_access acc_ {};
    uint16_t tag_ = 0;
    bool req_pending_ = false, waiting_ = false, got_ = false, acc_ok_ = false;
    uint64_t acc_data_ = 0;
    gic_cycle_t issue_ = 0, effect_ = GIC_CYCLE_NEVER, done_ = 0;
    rtlb::RtlResponse rsp_;
    // outputs and trace
    std::vector<uint32_t> outputs_;
    gic_trace_fn fn_ = nullptr;
    void *ctx_ = nullptr;
    bool full_ = false, vcd_ = false;
    rtlb::RtlState prev_, cur_;
    std::vector<struct gic_trace_event> evs_;
};

std::string variant_line(const rtlb::RtlVariant &v)
{
    std::ostringstream o;
    o << v.name << " (" << (v.version == 2 ? "GICv2, " : "") << v.cpus << (v.cpus == 1 ? " CPU, " : " CPUs, ") << v.spis
      << " SPIs, " << v.lrs << " LRs" << (v.one_of_n ? ", 1-of-N)" : ")");
    return o.str();
}

bool is_mutant(const rtlb::RtlVariant &v) { return v.name.compare(0, 4, "mut_") == 0; }

} // namespace

std::string rtl_engine_configs()
{
    std::string s;
    for (const rtlb::RtlVariant &v : rtlb::rtl_variants()) {
        if (is_mutant(v)) continue;
        if (!s.empty()) s += ", ";
        s += variant_line(v);
    }
    return s;
}

std::unique_ptr<Engine> make_rtl_engine(const struct gic_config &cfg, std::string *why)
{
    auto refuse = [&](const std::string &m) -> std::unique_ptr<Engine> {
        if (why) *why = m;
        return nullptr;
    };
    for (const rtlb::RtlVariant &v : rtlb::rtl_variants()) {
        if (is_mutant(v) || v.version != static_cast<unsigned>(cfg.version) || v.cpus != cfg.num_cpus ||
            v.spis != cfg.num_spis || v.lrs != cfg.num_lrs || v.one_of_n != cfg.one_of_n)
            continue;
        struct gic_config want;
        build_config(v, want);
        std::ostringstream o;
        if (cfg.prio_bits != want.prio_bits) o << " prio_bits " << cfg.prio_bits << " (RTL " << want.prio_bits << ")";
        unsigned cpb = cfg.cpu_prio_bits ? cfg.cpu_prio_bits : cfg.prio_bits;
        if (cpb != want.cpu_prio_bits) o << " cpu_prio_bits " << cpb << " (RTL " << want.cpu_prio_bits << ")";
        if (cfg.vprio_bits != want.vprio_bits || cfg.vpre_bits != want.vpre_bits)
            o << " vprio_bits/vpre_bits " << cfg.vprio_bits << "/" << cfg.vpre_bits << " (RTL 5/5)";
        if (cfg.maint_ppi != want.maint_ppi) o << " maint_ppi " << cfg.maint_ppi << " (RTL 25)";
        if (cfg.dist_iidr != want.dist_iidr || cfg.redist_iidr != want.redist_iidr) o << " IIDRs (RTL 0x43b)";
        if (cfg.version == GIC_V2 && cfg.cpu_iidr != want.cpu_iidr) o << " cpu_iidr (RTL 0x2043b)";
        if (!same_timing(cfg.timing, want.timing)) o << " timing (RTL: the default timing of docs/timing.md)";
        if (!o.str().empty())
            return refuse("the RTL build " + v.name + " differs from the configuration in:" + o.str());
        std::unique_ptr<rtlb::RtlIo> io = rtlb::make_rtl(v.name);
        if (!io) return refuse("RTL model " + v.name + " is not linked");
        return std::make_unique<RtlEngine>(std::move(io), want, v.name);
    }
    std::ostringstream o;
    o << "no Verilated " << (cfg.version == GIC_V2 ? "GICv2" : "GICv3") << " RTL build has " << cfg.num_cpus
      << (cfg.num_cpus == 1 ? " CPU, " : " CPUs, ") << cfg.num_spis << " SPIs and " << cfg.num_lrs << " list registers"
      << (cfg.one_of_n ? " with 1-of-N routing" : "") << "; the builds: " << rtl_engine_configs()
      << " (add one to GICSIM_RTL_VARIANTS in rtl_bridge/CMakeLists.txt)";
    return refuse(o.str());
}

} // namespace gicsim
