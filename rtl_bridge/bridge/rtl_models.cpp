// rtl_models.cpp: adapters from the Verilated gic_top variants (one per parameter set) to rtlb::RtlIo.
#include "verilated.h"
#include "verilated_vcd_c.h"

#include <algorithm>
#include <cstdio>
#include <type_traits>

#include "gicsim/gic.h"
#include "rtl_io.h"
#include "rtl_variants.inc" // generated: #include "Vgic_<variant>.h" for each variant

namespace rtlb {
namespace {

template <typename T>
void put_bit(T &v, unsigned b, bool x)
{
    static_assert(std::is_integral<T>::value, "scalar port");
    if (x) v = static_cast<T>(v | (T(1) << b));
    else v = static_cast<T>(v & ~(T(1) << b));
}
template <std::size_t N>
void put_bit(VlWide<N> &v, unsigned b, bool x)
{
    if (x) v[b / 32] |= (1u << (b % 32));
    else v[b / 32] &= ~(1u << (b % 32));
}
template <typename T>
bool get_bit(const T &v, unsigned b)
{
    return (v >> b) & 1;
}
// Bits [lo, lo+n) (n <= 64) of an output port, whatever Verilator made of its width.
template <typename T>
uint64_t get_field(const T &v, unsigned lo, unsigned n)
{
    static_assert(std::is_integral<T>::value, "scalar port");
    uint64_t x = static_cast<uint64_t>(v) >> lo;
    return n >= 64 ? x : (x & ((uint64_t(1) << n) - 1));
}
template <std::size_t N>
uint64_t get_field(const VlWide<N> &v, unsigned lo, unsigned n)
{
    uint64_t r = 0;
    for (unsigned b = 0; b < n;) {
        unsigned w = (lo + b) / 32, o = (lo + b) % 32, take = std::min(32 - o, n - b);
        uint64_t m = take >= 32 ? 0xffffffffu : ((uint64_t(1) << take) - 1);
        r |= ((static_cast<uint64_t>(v[w]) >> o) & m) << b;
        b += take;
    }
    return r;
}

template <typename V>
class Adapter final : public RtlIo {
public:
    Adapter(unsigned c, unsigned s, unsigned l, bool n1, unsigned cpb, unsigned ver)
        : ncpu_(c), nspi_(s), nlr_(l), one_of_n_(n1), cpu_prio_bits_(cpb), version_(ver)
    {
        ctx_ = std::make_unique<VerilatedContext>();
        ctx_->traceEverOn(true);
        top_ = std::make_unique<V>(ctx_.get());
    }
    // Verilator erases a model's scopes from the thread's current context, which is the context created last: with
    // several models alive (two platforms in one process), make it this model's own before the model goes.
    ~Adapter() override
    {
        trace_close();
        Verilated::threadContextp(ctx_.get());
        top_->final();
        top_.reset();
    }
    unsigned cpus() const override { return ncpu_; }
    unsigned spis() const override { return nspi_; }
    unsigned lrs() const override { return nlr_; }
    bool one_of_n() const override { return one_of_n_; }
    unsigned cpu_prio_bits() const override { return cpu_prio_bits_; }
    unsigned version() const override { return version_; }
    void reset() override
    {
        top_->clk = 0;
        top_->rst = 1;
        top_->eval();
        top_->clk = 1;
        top_->eval();
        top_->rst = 0;
        top_->clk = 0;
        top_->eval();
    }
    void set_request(bool valid, uint8_t frame, bool write, uint8_t size, uint16_t cpu, uint32_t offset, uint64_t wdata,
                     uint16_t tag) override
    {
        top_->req_valid = valid;
        top_->req_frame = frame;
        top_->req_write = write;
        top_->req_size = size;
        top_->req_cpu = static_cast<uint8_t>(cpu);
        top_->req_offset = offset;
        top_->req_wdata = wdata;
        top_->req_tag = tag;
    }
    void set_spi(unsigned n, bool level, bool rise) override
    {
        put_bit(top_->spi_lvl, n, level);
        put_bit(top_->spi_rise, n, rise);
    }
    void set_ppi(unsigned cpu, unsigned j, bool level, bool rise) override
    {
        put_bit(top_->ppi_lvl, 16 * cpu + j, level);
        put_bit(top_->ppi_rise, 16 * cpu + j, rise);
    }
    void clock() override
    {
        top_->clk = 1;
        top_->eval();
        top_->clk = 0;
        top_->eval();
    }
    RtlResponse response(int lane) override
    {
        RtlResponse r;
        if (lane == 0) {
            r.valid = top_->rsp_valid;
            r.tag = top_->rsp_tag;
            r.data = top_->rsp_data;
            r.status = -static_cast<int>(top_->rsp_status);
        } else {
            r.valid = top_->ack_rsp_valid;
            r.tag = top_->ack_rsp_tag;
            r.data = top_->ack_rsp_data;
            r.status = -static_cast<int>(top_->ack_rsp_status);
        }
        return r;
    }
    uint32_t outputs(unsigned cpu) override
    {
        uint32_t o = 0;
        if (get_bit(top_->irq, cpu)) o |= GIC_OUT_IRQ;
        if (get_bit(top_->fiq, cpu)) o |= GIC_OUT_FIQ;
        if (get_bit(top_->virq, cpu)) o |= GIC_OUT_VIRQ;
        if (get_bit(top_->vfiq, cpu)) o |= GIC_OUT_VFIQ;
        if (get_bit(top_->maint, cpu)) o |= GIC_OUT_MAINT;
        return o;
    }
    RtlObs observe() override
    {
        RtlObs o;
        o.acc_valid = top_->obs_acc_valid;
        o.acc_tag = top_->obs_acc_tag;
        o.acc_data = top_->obs_acc_data;
        o.acc_status = -static_cast<int>(top_->obs_acc_status);
        o.deact_valid = top_->obs_deact_valid;
        o.deact_cpu = top_->obs_deact_cpu;
        o.deact_intid = top_->obs_deact_intid;
        o.hwdeact_valid = top_->obs_hwdeact_valid;
        o.hwdeact_cpu = top_->obs_hwdeact_cpu;
        o.hwdeact_intid = top_->obs_hwdeact_intid;
        o.hwfwd_valid = top_->obs_hwfwd_valid;
        o.hwfwd_cpu = top_->obs_hwfwd_cpu;
        o.hwfwd_pintid = top_->obs_hwfwd_pintid;
        o.hwfwd_vintid = top_->obs_hwfwd_vintid;
        o.hwfwd_lr = top_->obs_hwfwd_lr;
        return o;
    }
    void state(RtlState &s) override
    {
        unsigned nw = (32 + nspi_ + 31) / 32;
        s.spi_pend.resize(nw);
        s.spi_act.resize(nw);
        for (unsigned n = 0; n < nw; n++) {
            s.spi_pend[n] = static_cast<uint32_t>(get_field(top_->obs_spi_pend, 32 * n, 32));
            s.spi_act[n] = static_cast<uint32_t>(get_field(top_->obs_spi_act, 32 * n, 32));
        }
        s.ppi_pend.resize(ncpu_);
        s.ppi_act.resize(ncpu_);
        s.misr.resize(ncpu_);
        s.eoicount.resize(ncpu_);
        s.rpr.resize(ncpu_);
        s.vrpr.resize(ncpu_);
        s.lr.resize(ncpu_ * nlr_);
        for (unsigned k = 0; k < ncpu_; k++) {
            s.ppi_pend[k] = static_cast<uint32_t>(get_field(top_->obs_ppi_pend, 32 * k, 32));
            s.ppi_act[k] = static_cast<uint32_t>(get_field(top_->obs_ppi_act, 32 * k, 32));
            s.misr[k] = static_cast<uint8_t>(get_field(top_->obs_misr, 8 * k, 8));
            s.eoicount[k] = static_cast<uint8_t>(get_field(top_->obs_eoicount, 5 * k, 5));
            s.rpr[k] = static_cast<uint8_t>(get_field(top_->obs_rpr, 8 * k, 8));
            s.vrpr[k] = static_cast<uint8_t>(get_field(top_->obs_vrpr, 8 * k, 8));
            for (unsigned n = 0; n < nlr_; n++) s.lr[k * nlr_ + n] = get_field(top_->obs_lr, 64 * (k * nlr_ + n), 64);
        }
    }
    bool qactive() override
    {
        top_->eval();
        return top_->qactive;
    }
    bool qactive_core() override { return top_->qactive_core; }
    uint64_t debug_read(uint8_t frame, uint16_t cpu, uint32_t offset) override
    {
        top_->dbg_frame = frame;
        top_->dbg_cpu = static_cast<uint8_t>(cpu);
        top_->dbg_offset = offset;
        top_->eval();
        return top_->dbg_rdata;
    }
    void trace_open(const std::string &path) override
    {
        trace_close();
        vcd_ = std::make_unique<VerilatedVcdC>();
        top_->trace(vcd_.get(), 99);
        vcd_->open(path.c_str());
    }
    void trace_dump(uint64_t time) override
    {
        if (vcd_) vcd_->dump(time);
    }
    void trace_close() override
    {
        if (vcd_) {
            vcd_->close();
            vcd_.reset();
        }
    }

private:
    unsigned ncpu_, nspi_, nlr_;
    bool one_of_n_;
    unsigned cpu_prio_bits_, version_;
    std::unique_ptr<VerilatedContext> ctx_;
    std::unique_ptr<V> top_;
    std::unique_ptr<VerilatedVcdC> vcd_;
};

} // namespace

const std::vector<RtlVariant> &rtl_variants()
{
    static const std::vector<RtlVariant> v = {
#define X(name, c, s, l, n1, cpb, ver) { #name, c, s, l, n1, cpb, ver },
#include "rtl_variants.def"
#undef X
    };
    return v;
}

std::unique_ptr<RtlIo> make_rtl(const std::string &want)
{
#define X(name, c, s, l, n1, cpb, ver)                                                                                 \
    if (want == #name) return std::make_unique<Adapter<Vgic_##name>>(c, s, l, n1, cpb, ver);
#include "rtl_variants.def"
#undef X
    return nullptr;
}

} // namespace rtlb
