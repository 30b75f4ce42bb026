// bench_engine.cpp: the benchmark platform (gicsim::Gic + memory bus + a CPU that runs the guest and the
// hypervisor's vgic kernel) and the SPEND/CPEND sequences, measured from trace events and output edges.
// One job (one GIC, trigger, virtual EOImode and policy) runs in one process: SystemC cannot restart.
// docs/benchmark.md says what every sequence and segment is.
#include "bench.h"
#include "bench_timeline.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <stdexcept>
#include <sstream>
#include <unistd.h>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "gicsim/gic_regs.h"
#include "gicsim/gic_tlm.h"
#ifdef GICSIM_HAVE_RTL
#include "rtl_engine.h"
#endif

// The rule checker (check/include/gicsim/rulecheck.h, docs/rulecheck.md) watches every job's GIC.
#include "gicsim/rulecheck.h"

using sc_core::sc_time;

namespace bench {

SegStats stats_of(std::vector<int64_t> v)
{
    SegStats s;
    s.n = v.size();
    if (v.empty()) return s;
    std::sort(v.begin(), v.end());
    auto rank = [&](double q) {
        size_t k = (size_t)std::ceil(q * (double)v.size());
        return v[k ? k - 1 : 0];
    };
    s.min = v.front();
    s.max = v.back();
    s.median = rank(0.5);
    s.p99 = rank(0.99);
    return s;
}

namespace {

// ---------------- the memory bus: address decode, latency, seeded jitter ----------------
// QEMU virt's map (docs/cli.md, "Machine presets"): GICD 0x08000000, GICC 0x08010000, GICH 0x08030000 (this CPU),
// GICV 0x08040000, GICR 0x080A0000.
enum : uint64_t {
    A_GICD = 0x08000000,
    A_GICC = 0x08010000,
    A_GICH = 0x08030000,
    A_GICV = 0x08040000,
    A_GICR = 0x080A0000
};

struct Bus : sc_core::sc_module {
    tlm_utils::simple_target_socket<Bus, 64> in;
    tlm_utils::multi_passthrough_initiator_socket<Bus, 64> out;
    struct Range {
        uint64_t base, size;
        unsigned port;
    };
    std::vector<Range> map;
    sc_time period;
    uint32_t latency = 0, jitter = 0;
    std::mt19937_64 *rng = nullptr;

    Bus(sc_core::sc_module_name n, const sc_time &p) : sc_module(n), in("in"), out("out"), period(p)
    {
        in.register_b_transport(this, &Bus::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload &gp, sc_time &delay)
    {
        uint64_t a = gp.get_address();
        for (const Range &r : map)
            if (a >= r.base && a - r.base < r.size) {
                uint64_t extra = jitter ? std::uniform_int_distribution<uint64_t>(0, jitter)(*rng) : 0;
                delay += period * (double)(latency + extra);
                gp.set_address(a - r.base);
                out[r.port]->b_transport(gp, delay);
                gp.set_address(a);
                delay += period * (double)latency;
                return;
            }
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    }
};

struct Ev {
    uint64_t cycle;
    uint16_t kind;
    uint32_t intid;
    uint64_t value, aux;
};

constexpr uint32_t P0 = 40; // first mapped pINTID (= vINTID)
#define ENC GIC_SYSREG_ENC
const uint32_t ICV_IAR1 = ENC(3, 0, 12, 12, 0), ICV_EOIR1 = ENC(3, 0, 12, 12, 1), ICV_DIR = ENC(3, 0, 12, 11, 1),
               ICC_PMR = ENC(3, 0, 4, 6, 0), ICC_CTLR = ENC(3, 0, 12, 12, 4), ICC_IGRPEN1 = ENC(3, 0, 12, 12, 7),
               ICH_HCR = ENC(3, 4, 12, 11, 0);
enum { GICV_CTLR = 0x000, GICV_PMR = 0x004, GICV_IAR = 0x00c, GICV_EOIR = 0x010, GICV_DIR = 0x1000 };

// The GIC model of a job: the C kernels, or the Verilated RTL reference (docs/rtl.md); a configuration the RTL
// builds do not have is an error that names them.
std::unique_ptr<gicsim::Engine> make_model(const Job &j, const struct gic_config &cfg);

// The job's recording (--record-gic): its outcome is known once the platform, and with it the engine, is gone.
std::shared_ptr<gicsim::RecordStatus> g_record_status;

// The job's waveform (--vcd): its outcome too is known once the engine is gone.
std::shared_ptr<gicsim::RecordStatus> g_vcd_status;

// The job's model, with its waveform (--vcd) and recording its stimuli (--record-gic) if asked.
std::unique_ptr<gicsim::Engine> make_engine(const Job &j, const struct gic_config &cfg)
{
    std::unique_ptr<gicsim::Engine> e = make_model(j, cfg);
    if (!j.vcd.empty()) {
        std::string why;
        g_vcd_status = std::make_shared<gicsim::RecordStatus>();
        e = gicsim::make_vcd_engine(std::move(e), j.vcd, &j.vcd_window, &why, g_vcd_status);
        if (!e) {
            g_vcd_status->err = errno ? errno : EIO;
            throw std::runtime_error("--vcd: " + why);
        }
    }
    if (j.record.empty()) return e;
    std::string why;
    g_record_status = std::make_shared<gicsim::RecordStatus>();
    e = gicsim::make_recording_engine(std::move(e), j.record, &why, g_record_status);
    if (!e) throw std::runtime_error("--record-gic: " + why);
    return e;
}

std::unique_ptr<gicsim::Engine> make_model(const Job &j, const struct gic_config &cfg)
{
    if (j.model != "rtl") {
        int st = GIC_OK;
        std::unique_ptr<gicsim::Engine> e = gicsim::make_c_engine(cfg, &st);
        if (!e) throw std::runtime_error(std::string("invalid GIC configuration: ") + gic_strerror(st));
        return e;
    }
#ifdef GICSIM_HAVE_RTL
    std::string why;
    std::unique_ptr<gicsim::Engine> e = gicsim::make_rtl_engine(cfg, &why);
    if (!e) throw std::runtime_error("--model rtl: " + why);
    return e;
#else
    throw std::runtime_error("--model rtl: this gicsim was built without Verilator");
#endif
}

// ---------------- the platform ----------------
struct Platform : sc_core::sc_module {
    const Job &job;
    const Params &p;
    sc_time period, cpu_cycle;
    uint64_t period_ps;
    gicsim::Gic gic;
    Bus bus;
    tlm_utils::simple_initiator_socket<Platform, 64> isock;
    tlm::tlm_generic_payload gp;
    uint8_t gp_data[8];
    std::mt19937_64 rng;
    JobResult result;

    // per run
    vgic_vm_t *vm = nullptr;
    sc_time lt;             // the CPU's local time offset from sc_time_stamp()
    uint64_t sw_placed = 0; // CPU cycles of the current vgic call already placed on the timeline
    uint64_t sw_skip = 0;   // CPU cycles of the current call placed elsewhere (trap entry/exit)
    bool measuring = false;
    bool in_vcall = false;
    bool debug = getenv("GICSIM_BENCH_DEBUG") != nullptr; // every trace event of the measured runs on stderr
    uint64_t hyp_acc = 0, guest_acc = 0;
    std::vector<Ev> evs;
    std::vector<uint64_t> irq_rise, virq_rise;
    uint64_t ignored = 0;
    bool failed = false;
    std::map<std::string, std::vector<int64_t>> *segs = nullptr;
    std::vector<std::string> *seg_order = nullptr;
    gic_rulecheck_t *rc = nullptr;
    // Where the frames are: QEMU virt's, or the device tree's (--dtb)
    uint64_t a_gicd = A_GICD, a_gicc = A_GICC, a_gich = A_GICH, a_gicv = A_GICV, a_gicr = A_GICR;
    // --timeline: the recorder, a kernel of the same configuration for register names, the open flow arrow
    Timeline tl;
    gic_t *names = nullptr;
    // The arrow of the current trapped write: from its trap (t0) to its first physical distributor access (at
    // phys_ts) and, for a SPEND, on to the vIRQ. Emitted once its end is known (flow_close, wait_virq).
    struct {
        bool open = false, phys = false, to_virq = false;
        uint64_t t0 = 0, phys_ts = 0;
    } flow;

    SC_HAS_PROCESS(Platform);
    Platform(sc_core::sc_module_name n, const Job &j, const struct gic_config &cfg)
        : sc_module(n), job(j), p(j.p), period(sc_time((double)(1000000 / j.p.gic_mhz), sc_core::SC_PS)),
          cpu_cycle(sc_time(1e6 / (double)j.p.costs.cpu_mhz, sc_core::SC_PS)), period_ps(1000000 / j.p.gic_mhz),
          gic("gic", make_engine(j, cfg), period), bus("bus", period), isock("isock")
    {
        isock.bind(bus.in);
        bus.out.bind(gic.gicd);
        if (j.has_dt) { // the device tree's addresses; the benchmark's CPU 0 has the first redistributor
            a_gicd = j.dt.map.gicd, a_gicc = j.dt.map.gicc, a_gich = j.dt.map.gich, a_gicv = j.dt.map.gicv;
            a_gicr = j.dt.map.redist_regions ? j.dt.map.redist[0].base : 0;
        }
        bus.map.push_back({ a_gicd, gicsim::Gic::kFrameSize, 0 });
        if (j.gic == 2) {
            bus.out.bind(gic.gicc);
            bus.out.bind(gic.gich);
            bus.out.bind(gic.gicv);
            bus.map.push_back({ a_gicc, gicsim::Gic::kFrameSize, 1 });
            bus.map.push_back({ a_gich, gicsim::Gic::kFrameSize, 2 });
            bus.map.push_back({ a_gicv, gicsim::Gic::kFrameSize, 3 });
        } else {
            bus.out.bind(gic.gicr);
            bus.map.push_back(
                { a_gicr, j.has_dt ? gicsim::Gic::kRedistStride : gicsim::Gic::kRedistStride * cfg.num_cpus, 1 });
        }
        bus.latency = p.bus_latency;
        bus.jitter = p.bus_jitter;
        bus.rng = &rng;
        gp.set_extension(new gicsim::CpuExtension(0));
        gp.set_data_ptr(gp_data);
        gp.set_byte_enable_ptr(nullptr);
        gic.set_trace(&Platform::trace_cb, this);
        gic.add_output_observer([this](unsigned cpu, uint32_t out, bool level, uint64_t cycle) {
            if (cpu != 0 || !level) return;
            if (out == GIC_OUT_IRQ) irq_rise.push_back(cycle);
            if (out == GIC_OUT_VIRQ) virq_rise.push_back(cycle);
        });
        // The rule checker must see the trace from the GIC's creation.
        if (gic_rulecheck_create(&cfg, &rc) != 0) rc = nullptr;
        if (!j.timeline.empty() && gic_create(&cfg, &names) != GIC_OK) names = nullptr;
        SC_THREAD(main);
    }
    ~Platform() override
    {
        if (vm) vgic_destroy(vm);
        if (rc) gic_rulecheck_destroy(rc);
        gic_destroy(names);
    }

    // ---- timeline (--timeline) ----
    // Ends the current write's arrow at its physical access (or at virq_ps, through the access, for a SPEND's vIRQ).
    void flow_close(uint64_t virq_ps = 0)
    {
        if (flow.open && flow.phys && tl.on) {
            uint64_t id = tl.new_flow();
            tl.flow('s', TL_GUEST, id, flow.t0);
            if (virq_ps) {
                tl.flow('t', TL_BUS, id, flow.phys_ts);
                tl.flow('f', TL_CPUIF, id, virq_ps);
            } else {
                tl.flow('f', TL_BUS, id, flow.phys_ts);
            }
        }
        flow.open = false;
    }
    uint64_t cyc_ps(uint64_t c) const { return c * period_ps; }
    std::string reg(unsigned frame, uint32_t off) const
    {
        unsigned idx = 0;
        const char *n = names ? gic_reg_name(names, (enum gic_frame)frame, off, &idx) : "";
        if (!*n) return "reserved";
        // An array's element carries its index, before a system register's "_ELn" (GICD_ISPENDR1, ICH_LR0_EL2).
        // Element 0 of an array: the next element (4 or 8 bytes on, or the next encoding) is the same register, 1.
        std::string r = n;
        bool sys = frame == GIC_FRAME_SYSREG || frame == GIC_FRAME_VSYSREG, array = idx != 0;
        for (uint32_t step : { sys ? 1u : 4u, sys ? 0u : 8u }) {
            unsigned i2 = 0;
            if (!array && step && !strcmp(gic_reg_name(names, (enum gic_frame)frame, off + step, &i2), n))
                array = i2 == 1;
        }
        if (!array) return r;
        size_t el = r.rfind("_EL");
        bool suffix = el != std::string::npos && el + 3 < r.size() &&
                      r.find_first_not_of("0123456789", el + 3) == std::string::npos;
        r.insert(suffix ? el : r.size(), std::to_string(idx));
        return r;
    }
    static std::string hex(uint64_t v)
    {
        char b[24];
        snprintf(b, sizeof b, "\"0x%llx\"", (unsigned long long)v);
        return b;
    }
    // A register access of the CPU (guest or hypervisor) from t0 to now.
    void tl_access(Track t, const struct gic_access &a, uint64_t t0, uint64_t data)
    {
        if (!tl.on) return;
        std::string args = "\"frame\":" + std::to_string(a.frame) + ",\"offset\":" + hex(a.offset) +
                           ",\"write\":" + (a.write ? "true" : "false") + ",\"data\":" + hex(data);
        tl.slice(t, (a.write ? "write " : "read ") + reg(a.frame, a.offset), t0, now_ps(), args);
    }

    // ---- time ----
    // SystemC's default time resolution (1 ps) is assumed: value() counts picoseconds.
    uint64_t now_ps() const { return (uint64_t)(sc_core::sc_time_stamp() + lt).value(); }
    uint64_t now_cycle() const { return now_ps() / period_ps; } // the GIC cycle the CPU's time lies in
    void sw(uint64_t cpu_cycles) { lt += cpu_cycle * (double)cpu_cycles; }
    void think()
    {
        uint32_t lo = p.think_min, hi = std::max(p.think_min, p.think_max);
        sw(hi > lo ? std::uniform_int_distribution<uint32_t>(lo, hi)(rng) : lo);
    }
    // The CPU's time never lags the kernel (an await may have run it ahead): keeps inputs on time.
    void catch_up()
    {
        uint64_t k_ps = gic.now() * period_ps;
        if (k_ps > now_ps()) lt = sc_time((double)(k_ps), sc_core::SC_PS) - sc_core::sc_time_stamp();
    }
    int64_t cycles_between_ps(uint64_t a, uint64_t b) const { return (int64_t)((b - a + period_ps / 2) / period_ps); }
    void rec(const char *name, int64_t v)
    {
        if (!measuring) return;
        auto it = segs->find(name);
        if (it == segs->end()) {
            seg_order->push_back(name);
            (*segs)[name].push_back(v);
        } else {
            it->second.push_back(v);
        }
    }

    // ---- physical accesses ----
    uint64_t mmio(enum gic_frame f, unsigned cpu, uint32_t off, unsigned size, bool write, uint64_t data,
                  bool *ok = nullptr)
    {
        uint64_t base = f == GIC_FRAME_GICD   ? a_gicd
                        : f == GIC_FRAME_GICC ? a_gicc
                        : f == GIC_FRAME_GICH ? a_gich
                        : f == GIC_FRAME_GICV
                            ? a_gicv
                            : a_gicr + gicsim::Gic::kRedistStride * cpu + (f == GIC_FRAME_GICR_SGI ? 0x10000 : 0);
        gp.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        gp.set_address(base + off);
        gp.set_data_length(size);
        gp.set_streaming_width(size);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        gp.get_extension<gicsim::CpuExtension>()->cpu = (f == GIC_FRAME_GICR_RD || f == GIC_FRAME_GICR_SGI) ? 0 : cpu;
        std::memcpy(gp_data, &data, 8);
        isock->b_transport(gp, lt);
        uint64_t r = 0;
        std::memcpy(&r, gp_data, size);
        if (ok) *ok = gp.is_response_ok();
        return r;
    }
    uint64_t sysreg(unsigned cpu, uint32_t enc, bool write, uint64_t data, bool virt, bool *ok = nullptr)
    {
        lt += period * (double)p.sysreg_latency;
        auto st = gic.sysreg(cpu, enc, write, data, lt, virt);
        lt += period * (double)p.sysreg_latency;
        if (ok) *ok = st == tlm::TLM_OK_RESPONSE;
        return data;
    }
    uint64_t phys(enum gic_frame f, unsigned cpu, uint32_t off, unsigned size, bool write, uint64_t data,
                  bool *ok = nullptr)
    {
        if (f == GIC_FRAME_SYSREG || f == GIC_FRAME_VSYSREG)
            return sysreg(cpu, off, write, data, f == GIC_FRAME_VSYSREG, ok);
        return mmio(f, cpu, off, size, write, data, ok);
    }

    // vgic_hw_ops.access: place the software cycles spent so far, then the access itself.
    void place_sw()
    {
        if (!in_vcall) return; // set-up and clean-up calls are not on the measured timeline
        struct vgic_stats last;
        vgic_get_stats(vm, nullptr, &last);
        uint64_t pend = last.cpu_cycles > sw_placed ? last.cpu_cycles - sw_placed : 0;
        sw_placed = last.cpu_cycles;
        uint64_t take = std::min(pend, sw_skip);
        sw_skip -= take;
        sw(pend - take);
    }
    static int hw_access(void *ctx, const struct gic_access *a, uint64_t *rdata)
    {
        auto *self = static_cast<Platform *>(ctx);
        self->place_sw();
        if (self->measuring) self->hyp_acc++;
        bool ok = true;
        uint64_t t0 = self->now_ps();
        uint64_t r = self->phys((enum gic_frame)a->frame, a->cpu, a->offset, a->size, a->write, a->data, &ok);
        self->tl_access(TL_BUS, *a, t0, a->write ? a->data : r);
        bool dist = a->frame == GIC_FRAME_GICD || a->frame == GIC_FRAME_GICR_RD || a->frame == GIC_FRAME_GICR_SGI;
        if (self->flow.open && !self->flow.phys && dist) { // the guest's write reaches the physical distributor
            self->flow.phys = true;
            self->flow.phys_ts = (t0 + self->now_ps()) / 2;
        }
        if (rdata) *rdata = a->write ? 0 : r;
        return ok ? 0 : -1;
    }
    // One vgic API call: its remaining software cycles go on the timeline after it.
    template <typename F>
    int vcall(F f, uint64_t skip = 0)
    {
        sw_placed = 0;
        sw_skip = skip;
        in_vcall = true;
        int r = f();
        place_sw();
        in_vcall = false;
        if (r != VGIC_OK) {
            fprintf(stderr, "gicsim bench: vgic call failed: %s\n", vgic_strerror(r));
            failed = true;
        }
        return r;
    }

    // ---- trace ----
    static void trace_cb(void *ctx, const struct gic_trace_event *e)
    {
        auto *self = static_cast<Platform *>(ctx);
        if (self->rc) gic_rulecheck_trace(self->rc, e);
        if (self->debug && self->measuring) {
            char buf[200];
            gic_trace_format(e, buf, sizeof buf);
            fprintf(stderr, "  %s\n", buf);
        }
        if (self->tl.on) self->tl_gic(*e);
        switch (e->kind) {
        case GIC_TR_PENDING:
        case GIC_TR_ACTIVE:
        case GIC_TR_DEACT:
        case GIC_TR_ACCESS: break;
        default: return;
        }
        if (e->kind == GIC_TR_ACCESS) {
            unsigned frame = e->aux & 0xff;
            if (frame != GIC_FRAME_GICV && frame != GIC_FRAME_VSYSREG) return;
        }
        if (e->kind == GIC_TR_DEACT && e->value == 0 && (e->aux & 1)) self->ignored++;
        self->evs.push_back({ e->cycle, e->kind, e->intid, e->value, e->aux });
    }
    // The GIC's side of the timeline: accesses taking effect, state changes, offers, pins, deactivations.
    void tl_gic(const struct gic_trace_event &e)
    {
        uint64_t t = cyc_ps(e.cycle);
        std::string args = "\"cycle\":" + std::to_string(e.cycle) + ",\"cpu\":" + std::to_string(e.cpu);
        static const char *const outs[] = { "IRQ", "FIQ", "vIRQ", "vFIQ", "maintenance" };
        switch (e.kind) {
        case GIC_TR_ACCESS: {
            unsigned frame = e.aux & 0xff;
            bool dist = frame == GIC_FRAME_GICD || frame == GIC_FRAME_GICR_RD || frame == GIC_FRAME_GICR_SGI;
            tl.slice(dist ? TL_GICD : TL_CPUIF, "effect " + reg(frame, e.intid), t, t + period_ps,
                     args + ",\"value\":" + hex(e.value));
            break;
        }
        case GIC_TR_PENDING:
        case GIC_TR_ACTIVE:
            tl.instant(TL_GICD,
                       std::string(e.kind == GIC_TR_PENDING ? "pending " : "active ") + std::to_string(e.intid) +
                           " = " + std::to_string(e.value),
                       t, args);
            break;
        case GIC_TR_DEACT:
        case GIC_TR_HWDEACT:
            tl.instant(TL_GICD,
                       (e.kind == GIC_TR_DEACT ? "deactivate " : "HW deactivation forwarded ") +
                           std::to_string(e.intid),
                       t, args);
            break;
        case GIC_TR_HPPI: tl.instant(TL_CPUIF, "offer " + std::to_string(e.intid), t, args); break;
        case GIC_TR_OUTPUT:
            for (unsigned k = 0; k < 5; k++)
                if (e.intid == 1u << k)
                    tl.instant(TL_CPUIF, std::string(outs[k]) + (e.value ? " rises" : " falls"), t, args);
            break;
        default: break;
        }
    }
    // First event at index >= from matching kind/intid (value < 0: any value).
    const Ev *find(size_t from, uint16_t kind, uint32_t intid, int64_t value) const
    {
        for (size_t i = from; i < evs.size(); i++) {
            const Ev &e = evs[i];
            if (e.kind == kind && e.intid == intid && (value < 0 || e.value == (uint64_t)value)) return &e;
        }
        return nullptr;
    }
    static const uint64_t *first_at_or_after(const std::vector<uint64_t> &v, uint64_t c)
    {
        auto it = std::lower_bound(v.begin(), v.end(), c);
        return it == v.end() ? nullptr : &*it;
    }
    uint64_t settle_cycles() const
    {
        const gic_timing &t = p.timing;
        return 4ull * (t.req + t.resp + t.ack + t.line + t.prio + t.deliver + t.deact + t.hwdeact + t.maint + t.out) +
               64;
    }
    // Waits (run the kernel) until IRQ rises at or after cycle c, or the GIC is idle.
    const uint64_t *await_irq(uint64_t c)
    {
        sc_time d = lt;
        gic.await_output(0, GIC_OUT_IRQ, true, d, 100000);
        return first_at_or_after(irq_rise, c);
    }

    // ---- device ----
    void line(uint32_t intid, bool level) { gic.set_spi(intid, level, lt); }
    void assert_line(uint32_t intid)
    {
        line(intid, true);
        if (!job.level) line(intid, false); // edge device: a pulse (two changes in one cycle latch pending)
    }

    // ---- guest ----
    // A trapped guest write to the virtual distributor: exception entry, VM exit (fold), emulation,
    // VM entry (refill), exception return. Returns the guest's cycle of the write.
    // phys_seg: the segment from the write to the first ACTIVE change of pintid to `phys_to` at or
    // after the write's cycle.
    uint64_t trap_write(uint32_t off, uint32_t val, const char *phys_seg = nullptr, int phys_to = 1,
                        uint32_t pintid = P0)
    {
        uint64_t t0 = now_ps(), c0 = now_cycle();
        size_t ev0 = evs.size();
        const vgic_costs &k = p.costs;
        if (phys_seg) {
            flow_close();
            flow.open = true;
            flow.phys = false;
            flow.t0 = t0;
            flow.to_virq = off >= GICD_ISPENDR_OFFSET && off < GICD_ISPENDR_OFFSET + 0x80;
        }
        sw(k.trap_entry);
        uint64_t h0 = now_ps();
        vcall([&] { return vgic_vcpu_exit(vm, 0, nullptr); });
        uint64_t h1 = now_ps();
        tl.slice(TL_HYP, "VM exit", h0, h1);
        vcall(
            [&] {
                uint64_t d = val;
                return vgic_guest_mmio(vm, 0, GIC_FRAME_GICD, off, 4, true, &d);
            },
            (uint64_t)k.trap_entry + k.trap_exit);
        tl.slice(TL_HYP, "emulate write " + reg(GIC_FRAME_GICD, off), h1, now_ps(), "\"value\":" + hex(val));
        vm_entry();
        sw(k.trap_exit);
        tl.slice(TL_GUEST, "trap: write " + reg(GIC_FRAME_GICD, off), t0, now_ps(), "\"value\":" + hex(val));
        if (!flow.phys || !flow.to_virq) flow_close(); // a write without a vIRQ to follow ends at its access
        rec("trap", cycles_between_ps(t0, now_ps()));
        if (phys_seg) {
            const Ev *a = nullptr;
            for (size_t i = ev0; i < evs.size() && !a; i++)
                if (evs[i].kind == GIC_TR_ACTIVE && evs[i].intid == pintid && evs[i].value == (uint64_t)phys_to &&
                    evs[i].cycle >= c0)
                    a = &evs[i];
            if (a) rec(phys_seg, (int64_t)(a->cycle - c0));
        }
        return c0;
    }
    void vm_entry()
    {
        uint64_t t = now_ps();
        vcall([&] { return vgic_vcpu_entry(vm, 0); });
        tl.slice(TL_HYP, "VM entry", t, now_ps());
        rec("vm_entry", cycles_between_ps(t, now_ps()));
    }
    // An interrupt exception into the host (IRQ while the guest runs): VM exit, the host's handler
    // (IAR, priority drop, injection), VM entry.
    void host_irq_exit()
    {
        sw(p.irq_entry);
        uint64_t t0 = now_ps();
        vcall([&] { return vgic_vcpu_exit(vm, 0, nullptr); });
        uint64_t t1 = now_ps();
        tl.slice(TL_HYP, "VM exit (host IRQ)", t0, t1);
        uint32_t pi = 0, vi = 0;
        vcall([&] { return vgic_host_irq(vm, 0, &pi, &vi); });
        tl.slice(TL_HYP, "host IRQ handler", t1, now_ps());
        if (vi == VGIC_NO_INTID) failed = true;
        vm_entry();
    }
    bool wait_virq(uint64_t c0, const char *seg)
    {
        sc_time d = lt;
        if (!gic.await_output(0, GIC_OUT_VIRQ, true, d, 100000)) {
            failed = true;
            return false;
        }
        if (d > lt) lt = d;
        if (const uint64_t *r = first_at_or_after(virq_rise, c0)) {
            if (seg) rec(seg, (int64_t)(*r - c0));
            tl.slice(TL_CPUIF, "vIRQ to the vCPU", cyc_ps(*r), cyc_ps(*r) + period_ps);
            if (flow.to_virq) flow_close(cyc_ps(*r));
        }
        return true;
    }
    bool wait_irq(uint64_t c0, const char *seg)
    {
        const uint64_t *r = await_irq(c0);
        if (!r) return false;
        if (seg) rec(seg, (int64_t)(*r - c0));
        uint64_t at = *r * period_ps;
        if (at > now_ps()) lt = sc_time((double)at, sc_core::SC_PS) - sc_core::sc_time_stamp();
        return true;
    }
    // A guest's own access to its CPU interface (GICV frame or ICV_ system register), on the guest's track.
    uint64_t gphys(enum gic_frame f, uint32_t off, unsigned size, bool write, uint64_t data)
    {
        uint64_t t0 = now_ps();
        uint64_t r = phys(f, 0, off, size, write, data);
        struct gic_access a = { (uint8_t)f, write, (uint8_t)size, 0, off, data };
        tl_access(TL_GUEST, a, t0, write ? data : r);
        return r;
    }
    uint32_t guest_ack()
    {
        sw(p.irq_entry);
        guest_acc++;
        uint64_t v = job.gic == 2 ? gphys(GIC_FRAME_GICV, GICV_IAR, 4, false, 0)
                                  : gphys(GIC_FRAME_VSYSREG, ICV_IAR1, 8, false, 0);
        if ((v & 0x3ff) < P0 || (v & 0x3ff) >= 1020) failed = true;
        return (uint32_t)v;
    }
    // The guest completes the interrupt: EOIR (EOImode 0), or EOIR then DIR (EOImode 1). Records
    // deact_to_phys and, when the device asserted the line meanwhile, deact_to_irq.
    void guest_deact(uint32_t iar, uint32_t pintid, bool expect_irq)
    {
        bool v2 = job.gic == 2;
        guest_acc++;
        if (job.eoimode) {
            v2 ? gphys(GIC_FRAME_GICV, GICV_EOIR, 4, true, iar) : gphys(GIC_FRAME_VSYSREG, ICV_EOIR1, 8, true, iar);
            think();
            guest_acc++;
        }
        size_t ev0 = evs.size();
        uint32_t off = job.eoimode ? (v2 ? (uint32_t)GICV_DIR : ICV_DIR) : (v2 ? (uint32_t)GICV_EOIR : ICV_EOIR1);
        v2 ? gphys(GIC_FRAME_GICV, off, 4, true, iar) : gphys(GIC_FRAME_VSYSREG, off, 8, true, iar);
        const Ev *acc = find(ev0, GIC_TR_ACCESS, off, -1);
        if (!acc) {
            failed = true;
            return;
        }
        uint64_t issue = acc->cycle - p.timing.req;
        run_for(settle_cycles());
        // deact_to_irq only counts an IRQ that rises once the physical deactivation was applied
        // (policy none: the device's assertion reached the host earlier, nothing held it back).
        if (const Ev *e = find(ev0, GIC_TR_DEACT, pintid, 1)) {
            rec("deact_to_phys", (int64_t)(e->cycle - issue));
            const uint64_t *r = first_at_or_after(irq_rise, e->cycle);
            if (expect_irq && r) rec("deact_to_irq", (int64_t)(*r - issue));
        }
        catch_up();
    }
    // Runs the kernel from the CPU's time for up to n cycles or until it is idle (FIQ is never
    // used by the platform, so the condition never holds).
    void run_for(uint64_t n)
    {
        sc_time d = lt;
        gic.await_output(0, GIC_OUT_FIQ, true, d, n);
    }
    // The device asserts the line again and the host must see IRQ rise; counts a blocked reassert.
    bool reassert(uint32_t pintid, bool &blocked)
    {
        think();
        uint64_t c0 = now_cycle();
        bool was_high = gic.outputs(0) & GIC_OUT_IRQ;
        assert_line(pintid);
        if (was_high) return true; // the host was already interrupted (nothing held it back)
        if (!wait_irq(c0, "reassert_to_irq")) {
            blocked = true;
            catch_up();
            return false;
        }
        return true;
    }

    // ---- set-up and clean-up (not measured) ----
    uint32_t bit(uint32_t intid) const { return 1u << (intid % 32); }
    uint32_t word(uint32_t base, uint32_t intid) const { return base + 4 * (intid / 32); }
    unsigned n_irqs() const { return std::max<uint32_t>(1, p.burst); }
    void host_setup()
    {
        const bool v2 = job.gic == 2;
        if (!v2) phys(GIC_FRAME_GICR_RD, 0, 0x014, 4, true, 0);
        phys(GIC_FRAME_GICD, 0, 0x000, 4, true, v2 ? 0x1 : 0x3);
        // A device tree's CPU 0 may have another affinity than 0.0.0 (GICD_IROUTER's reset value): route to it.
        uint64_t aff0 = job.has_dt && !v2 ? job.dt.cfg.affinity[0] : 0;
        for (unsigned i = 0; i < n_irqs(); i++) {
            uint32_t q = P0 + i;
            if (aff0) phys(GIC_FRAME_GICD, 0, 0x6000 + 8 * q, 8, true, aff0);
            if (!v2) phys(GIC_FRAME_GICD, 0, word(0x080, q), 4, true, 0xffffffffu);
            else phys(GIC_FRAME_GICD, 0, 0x800 + q, 1, true, 1);
            uint64_t cfg = phys(GIC_FRAME_GICD, 0, 0xc00 + 4 * (q / 16), 4, false, 0);
            uint32_t b = 2u << (2 * (q % 16));
            cfg = job.level ? (cfg & ~(uint64_t)b) : (cfg | b);
            phys(GIC_FRAME_GICD, 0, 0xc00 + 4 * (q / 16), 4, true, cfg);
            phys(GIC_FRAME_GICD, 0, word(0x100, q), 4, true, bit(q));
        }
        if (v2) {
            phys(GIC_FRAME_GICC, 0, 0x000, 4, true, 0x201); // EnableGrp0 | EOImode (SEMANTICS A7)
            phys(GIC_FRAME_GICC, 0, 0x004, 4, true, 0xff);
        } else {
            phys(GIC_FRAME_SYSREG, 0, ICC_CTLR, 8, true, 0x2);
            phys(GIC_FRAME_SYSREG, 0, ICC_PMR, 8, true, 0xff);
            phys(GIC_FRAME_SYSREG, 0, ICC_IGRPEN1, 8, true, 1);
        }
    }
    bool vm_setup()
    {
        struct vgic_config vc;
        vgic_config_default(&vc, job.gic == 2 ? GIC_V2 : GIC_V3);
        vc.num_spis = p.num_spis;
        vc.num_lrs = p.num_lrs;
        vc.policy = (enum vgic_policy)job.policy;
        vc.costs = p.costs;
        struct vgic_hw_ops ops = { &Platform::hw_access, nullptr, this };
        if (vgic_create(&vc, &ops, &vm) != VGIC_OK) return false;
        const bool v2 = job.gic == 2;
        auto w = [&](uint32_t off, unsigned size, uint64_t v) {
            return vgic_guest_mmio(vm, 0, GIC_FRAME_GICD, off, size, true, &v);
        };
        int r = w(0x000, 4, v2 ? 1 : 2);
        for (unsigned i = 0; i < n_irqs() && r == VGIC_OK; i++) {
            uint32_t q = P0 + i;
            r = vgic_map(vm, 0, q, q);
            if (r == VGIC_OK && !v2)
                r = w(word(0x080, q), 4, ((2ull * bit(q)) - 1) & ~((uint64_t)bit(P0) - 1)); // Group 1, P0..q
            if (r == VGIC_OK) r = w(0x400 + q, 1, 0xa0);
            uint64_t cfg = 0;
            if (r == VGIC_OK) r = vgic_guest_mmio(vm, 0, GIC_FRAME_GICD, 0xc00 + 4 * (q / 16), 4, false, &cfg);
            uint32_t b = 2u << (2 * (q % 16));
            if (r == VGIC_OK) r = w(0xc00 + 4 * (q / 16), 4, job.level ? (cfg & ~(uint64_t)b) : (cfg | b));
            if (r == VGIC_OK) r = w(word(0x100, q), 4, bit(q));
        }
        if (r == VGIC_OK) r = vgic_vcpu_entry(vm, 0);
        if (r != VGIC_OK) return false;
        // The guest's own CPU interface (hardware, not trapped).
        if (v2) {
            phys(GIC_FRAME_GICV, 0, GICV_CTLR, 4, true, 1u | (uint32_t)job.eoimode << 9);
            phys(GIC_FRAME_GICV, 0, GICV_PMR, 4, true, 0xf8);
        } else {
            phys(GIC_FRAME_VSYSREG, 0, ICC_PMR, 8, true, 0xf8);
            phys(GIC_FRAME_VSYSREG, 0, ICC_CTLR, 8, true, (uint64_t)job.eoimode << 1);
            phys(GIC_FRAME_VSYSREG, 0, ICC_IGRPEN1, 8, true, 1);
        }
        return true;
    }
    void sync_idle()
    {
        wait(lt + period * (double)settle_cycles());
        lt = sc_core::SC_ZERO_TIME;
    }
    void cleanup()
    {
        const bool v2 = job.gic == 2;
        if (vm && vgic_vcpu_running(vm, 0)) vgic_vcpu_exit(vm, 0, nullptr);
        for (unsigned i = 0; i < n_irqs(); i++) line(P0 + i, false);
        sync_idle();
        // The host acknowledges whatever it was interrupted by and clears the physical state.
        for (int k = 0; k < 4 && (gic.outputs(0) & GIC_OUT_IRQ); k++) {
            uint64_t iar =
                v2 ? phys(GIC_FRAME_GICC, 0, 0x00c, 4, false, 0) : phys(GIC_FRAME_SYSREG, 0, ICV_IAR1, 8, false, 0);
            if ((iar & 0x3ff) >= 1020) break;
            v2 ? phys(GIC_FRAME_GICC, 0, 0x010, 4, true, iar) : phys(GIC_FRAME_SYSREG, 0, ICV_EOIR1, 8, true, iar);
            sync_idle();
        }
        for (unsigned i = 0; i < n_irqs(); i++) {
            phys(GIC_FRAME_GICD, 0, word(0x280, P0 + i), 4, true, bit(P0 + i));
            phys(GIC_FRAME_GICD, 0, word(0x380, P0 + i), 4, true, bit(P0 + i));
        }
        for (unsigned n = 0; n < p.num_lrs; n++)
            v2 ? phys(GIC_FRAME_GICH, 0, 0x100 + 4 * n, 4, true, 0)
               : phys(GIC_FRAME_SYSREG, 0, ENC(3, 4, 12, 12 + n / 8, n % 8), 8, true, 0);
        v2 ? phys(GIC_FRAME_GICH, 0, 0x000, 4, true, 0) : phys(GIC_FRAME_SYSREG, 0, ICH_HCR, 8, true, 0);
        sync_idle();
        if (rc) gic_rulecheck_set_vgic(rc, nullptr);
        if (vm) vgic_destroy(vm);
        vm = nullptr;
    }

    // ---------------- the sequences (docs/benchmark.md, "Sequences"), one function each ----------------
    // The guest's registers for the first mapped interrupt P0 (its distributor word and bit).
    static constexpr uint32_t kBitP0 = 1u << (P0 % 32), kWordP0 = 4 * (P0 / 32);
    static constexpr uint32_t kSpendP0 = GICD_ISPENDR_OFFSET + kWordP0, kCpendP0 = GICD_ICPENDR_OFFSET + kWordP0,
                              kSactP0 = GICD_ISACTIVER_OFFSET + kWordP0, kCactP0 = GICD_ICACTIVER_OFFSET + kWordP0;

    // The guest SPENDs P0 (trapped) and acknowledges the vIRQ that follows; false if it never came.
    bool spend_then_ack(uint32_t &iar)
    {
        think();
        uint64_t c0 = trap_write(kSpendP0, kBitP0, "spend_to_phys");
        if (!wait_virq(c0, "spend_to_virq")) return false;
        iar = guest_ack();
        think();
        return true;
    }

    void seq_spend_ack_eoi(bool &blocked)
    {
        (void)blocked;
        uint32_t iar = 0;
        if (!spend_then_ack(iar)) return;
        assert_line(P0); // the device asserts while the guest handles the interrupt
        think();
        guest_deact(iar, P0, true);
    }

    void seq_spend_cpend_reassert(bool &blocked)
    {
        think();
        uint64_t c0 = trap_write(kSpendP0, kBitP0, "spend_to_phys");
        if (!wait_virq(c0, "spend_to_virq")) return;
        think();
        trap_write(kCpendP0, kBitP0, "cpend_to_phys", 0);
        reassert(P0, blocked);
    }

    void seq_cpend_active(bool &blocked)
    {
        (void)blocked;
        uint32_t iar = 0;
        if (!spend_then_ack(iar)) return;
        trap_write(kCpendP0, kBitP0, "cpend_to_phys", 0);
        think();
        assert_line(P0);
        think();
        guest_deact(iar, P0, true);
    }

    void seq_isactiver_icactiver(bool &blocked)
    {
        think();
        trap_write(kSactP0, kBitP0, "sactive_to_phys");
        think();
        uint64_t ca = now_cycle();
        assert_line(P0); // while the physical interrupt is active: it must wait for ICACTIVER
        think();
        uint64_t c1 = trap_write(kCactP0, kBitP0, "cactive_to_phys", 0);
        run_for(settle_cycles());
        const Ev *rel = nullptr;
        for (const Ev &e : evs)
            if (e.kind == GIC_TR_ACTIVE && e.intid == P0 && e.value == 0 && e.cycle >= c1) {
                rel = &e;
                break;
            }
        const uint64_t *r = first_at_or_after(irq_rise, ca);
        if (!r) blocked = true; // the assertion never reached the host
        else if (rel && *r >= rel->cycle) rec("cactive_to_irq", (int64_t)(*r - c1));
        catch_up();
    }

    void seq_burst(bool &blocked)
    {
        uint64_t t0 = now_ps();
        for (unsigned i = 0; i < n_irqs(); i++) {
            think();
            trap_write(word(0x200, P0 + i), bit(P0 + i), "spend_to_phys", 1, P0 + i);
        }
        for (unsigned i = 0; i < n_irqs(); i++) {
            think();
            trap_write(word(0x280, P0 + i), bit(P0 + i), "cpend_to_phys", 0, P0 + i);
        }
        rec("burst_total", cycles_between_ps(t0, now_ps()));
        reassert(P0, blocked);
    }

    void seq_level_drop(bool &blocked)
    {
        think();
        uint64_t c0 = now_cycle();
        line(P0, true);
        if (!wait_irq(c0, "line_to_irq")) {
            failed = true;
            return;
        }
        host_irq_exit();
        if (!wait_virq(c0, "line_to_virq")) return;
        think();
        uint64_t c1 = now_cycle();
        size_t ev0 = evs.size();
        line(P0, false); // the device drops its line while the interrupt sits pending in an LR
        think();
        // The next VM exit (a timer tick, say) folds the LR and resamples the line (SEMANTICS B7).
        sw(p.irq_entry);
        vcall([&] { return vgic_vcpu_exit(vm, 0, nullptr); });
        vm_entry();
        if (const Ev *e = find(ev0, GIC_TR_ACTIVE, P0, 0)) rec("drop_to_phys", (int64_t)(e->cycle - c1));
        think();
        uint64_t c2 = now_cycle();
        line(P0, true);
        if (!wait_irq(c2, "reassert_to_irq")) {
            blocked = true;
            catch_up();
        }
    }

    // The device asserts P0, the host takes it and forwards it to the guest (host EOImode 1): false if the host's IRQ
    // (a failure) or the guest's vIRQ never came.
    bool forward_to_guest()
    {
        think();
        uint64_t c0 = now_cycle();
        assert_line(P0);
        if (!wait_irq(c0, "line_to_irq")) {
            failed = true;
            return false;
        }
        host_irq_exit();
        return wait_virq(c0, "line_to_virq");
    }

    void seq_forward_eoi(bool &blocked)
    {
        if (!forward_to_guest()) return;
        uint32_t iar = guest_ack();
        think();
        if (job.level) line(P0, false); // the guest's driver quiets the device
        think();
        guest_deact(iar, P0, false);
        reassert(P0, blocked);
    }

    void seq_fwd_cpend_reassert(bool &blocked)
    {
        if (!forward_to_guest()) return;
        think();
        if (job.level) line(P0, false);
        think();
        trap_write(kCpendP0, kBitP0, "cpend_to_phys", 0);
        reassert(P0, blocked);
    }

    // The table of sequences, in the order of enum Seq. (Plain function pointers: GCC's bounds sanitizer misreads an
    // index into an array of pointers to member functions.)
    using SeqFn = void (*)(Platform &p, bool &blocked);
    void run_seq(int s, bool &blocked)
    {
        static constexpr SeqFn kSeqFns[SEQ_COUNT] = {
            [](Platform &p, bool &b) { p.seq_spend_ack_eoi(b); },
            [](Platform &p, bool &b) { p.seq_spend_cpend_reassert(b); },
            [](Platform &p, bool &b) { p.seq_cpend_active(b); },
            [](Platform &p, bool &b) { p.seq_isactiver_icactiver(b); },
            [](Platform &p, bool &b) { p.seq_burst(b); },
            [](Platform &p, bool &b) { p.seq_level_drop(b); },
            [](Platform &p, bool &b) { p.seq_forward_eoi(b); },
            [](Platform &p, bool &b) { p.seq_fwd_cpend_reassert(b); },
        };
        kSeqFns[s](*this, blocked);
    }

    void main()
    {
        host_setup();
        sync_idle();
        for (int s : job.seqs) {
            if (s == SEQ_LEVEL_DROP && !job.level) continue; // level_drop needs a level-sensitive interrupt
            SeqResult sr;
            sr.seq = s;
            std::map<std::string, std::vector<int64_t>> samples;
            std::vector<std::string> order;
            segs = &samples;
            seg_order = &order;
            std::vector<int64_t> hyp_counts, guest_counts;
            // Seeded per (seed, gic, trigger, eoimode, sequence) and not per policy: the policies
            // see the same jitter draws (common random numbers).
            std::seed_seq ss{ (uint32_t)p.seed,    (uint32_t)(p.seed >> 32), (uint32_t)job.gic,
                              (uint32_t)job.level, (uint32_t)job.eoimode,    (uint32_t)s };
            rng.seed(ss);
            for (uint32_t run = 0; run < p.runs; run++) {
                if (!vm_setup()) {
                    result.error = "platform set-up failed";
                    sc_core::sc_stop();
                    return;
                }
                if (rc) gic_rulecheck_set_vgic(rc, vm);
                size_t v0 = rc ? gic_rulecheck_count(rc) : 0;
                sync_idle();
                evs.clear();
                irq_rise.clear();
                virq_rise.clear();
                hyp_acc = guest_acc = ignored = 0;
                failed = false;
                measuring = true;
                tl.on = (!job.timeline.empty() && run < job.timeline_runs) || (!job.lanes.empty() && run == 0);
                if (run < 2) tl.mark(run == 0 ? s : -1); // the swimlanes show run 0 of each sequence
                flow.open = false;
                bool blocked = false;
                run_seq(s, blocked);
                sync_idle();
                flow_close();
                measuring = false;
                tl.on = false;
                if (rc) {
                    // End-of-run checks (a physical interrupt left active with no owner), before
                    // the clean-up releases it.
                    gic_rulecheck_finish(rc, gic.now());
                    size_t v1 = gic_rulecheck_count(rc);
                    for (size_t i = v0; i < v1; i++) {
                        const struct gic_violation *v = gic_rulecheck_get(rc, i);
                        if (!v) continue;
                        // "SEMANTICS A6/hw-deact-inactive": the rule and the check name of the message.
                        std::string key = v->rule ? v->rule : "?";
                        const char *colon = strchr(v->msg, ':');
                        if (colon) key += "/" + std::string(v->msg, (size_t)(colon - v->msg));
                        for (char &c : key)
                            if (c == ' ') c = '_';
                        sr.rules[key]++;
                    }
                    sr.violations += v1 - v0;
                    if (v1 > v0) sr.violation_runs++;
                }
                hyp_counts.push_back((int64_t)hyp_acc);
                guest_counts.push_back((int64_t)guest_acc);
                sr.ignored_deacts += ignored;
                sr.blocked += blocked;
                sr.errors += failed;
                sr.runs++;
                cleanup();
            }
            sr.physical_accesses = (uint64_t)stats_of(hyp_counts).median;
            sr.guest_accesses = (uint64_t)stats_of(guest_counts).median;
            for (const std::string &n : order) sr.segs.push_back({ n, stats_of(samples[n]) });
            result.seqs.push_back(std::move(sr));
        }
        result.ok = write_timeline();
        sc_core::sc_stop();
    }
    // The job's timeline events (--timeline) into its part file; false (and the reason) if it cannot be written.
    bool write_timeline()
    {
        return write_part(job.timeline, [&] { return tl.events(job.timeline_pid); }) &&
               write_part(job.lanes, [&] { return tl.lanes(); });
    }
    template <typename F>
    bool write_part(const std::string &path, F text_of)
    {
        if (path.empty()) return true;
        std::string text = text_of();
        FILE *f = fopen(path.c_str(), "w");
        bool ok = f && fwrite(text.data(), 1, text.size(), f) == text.size();
        int e = errno;
        if (f && fclose(f) != 0 && ok) ok = false, e = errno;
        if (!ok) {
            result.error = "cannot write " + path + ": " + strerror(e ? e : EIO);
            result.output_error = true;
        }
        return ok;
    }
};

const Job *g_job = nullptr;
JobResult *g_result = nullptr;

} // namespace

// ---------------- child process entry ----------------
int run_job_in_child(const Job &job, int fd)
{
    JobResult res;
    g_job = &job;
    g_result = &res;
    char prog[] = "gicsim-bench";
    char *argv[] = { prog, nullptr };
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1); // stdout may carry the JSON (--json -)
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    sc_core::sc_report_handler::set_actions(sc_core::SC_WARNING, sc_core::SC_DO_NOTHING);
    int rc = sc_core::sc_elab_and_sim(1, argv);
    std::ostringstream o;
    if (!res.ok) {
        o << (res.output_error ? "W " : "F ") << (res.error.empty() ? "simulation failed" : res.error) << "\n";
    } else {
        for (const SeqResult &s : res.seqs) {
            o << "R " << s.seq << ' ' << s.runs << ' ' << s.physical_accesses << ' ' << s.guest_accesses << ' '
              << s.violations << ' ' << s.violation_runs << ' ' << s.ignored_deacts << ' ' << s.blocked << ' '
              << s.errors << "\n";
            for (auto &r : s.rules) o << "V " << r.first << ' ' << r.second << "\n";
            for (auto &g : s.segs)
                o << "S " << g.first << ' ' << g.second.n << ' ' << g.second.min << ' ' << g.second.median << ' '
                  << g.second.p99 << ' ' << g.second.max << "\n";
        }
        o << "E\n";
    }
    std::string t = o.str();
    const char *b = t.data();
    size_t left = t.size();
    while (left) {
        ssize_t n = write(fd, b, left);
        if (n <= 0) return 1;
        b += n;
        left -= (size_t)n;
    }
    return rc == 0 && res.ok ? 0 : 1;
}

struct gic_config job_gic_config(const Job &j)
{
    struct gic_config cfg;
    gic_config_default(&cfg, j.gic == 2 ? GIC_V2 : GIC_V3);
    if (j.has_dt) cfg = j.dt.cfg; // the device tree's GIC: CPUs, affinities, maintenance PPI
    cfg.num_lrs = j.p.num_lrs;
    cfg.num_spis = std::max<uint32_t>(cfg.num_spis, j.p.num_spis);
    cfg.timing = j.p.timing;
    return cfg;
}

std::string probe_model(const Job &j)
{
    try {
        make_model(j, job_gic_config(j));
    } catch (const std::exception &e) {
        std::string why = e.what();
        for (char &c : why)
            if (c == '\n') c = ' ';
        return why;
    }
    return "";
}

bool parse_job_output(const std::string &text, JobResult &out)
{
    std::istringstream in(text);
    std::string line;
    bool end = false;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::string tag;
        ls >> tag;
        if (tag == "F" || tag == "W") { // W: an output could not be written
            std::getline(ls, out.error);
            if (!out.error.empty() && out.error[0] == ' ') out.error.erase(0, 1);
            out.ok = false;
            out.output_error = tag == "W";
            return true;
        } else if (tag == "R") {
            SeqResult s;
            ls >> s.seq >> s.runs >> s.physical_accesses >> s.guest_accesses >> s.violations >> s.violation_runs >>
                s.ignored_deacts >> s.blocked >> s.errors;
            if (!ls || s.seq < 0 || s.seq >= SEQ_COUNT) return false;
            out.seqs.push_back(s);
        } else if (tag == "V" && !out.seqs.empty()) {
            std::string r;
            uint64_t n = 0;
            ls >> r >> n;
            out.seqs.back().rules[r] = n;
        } else if (tag == "S" && !out.seqs.empty()) {
            std::string name;
            SegStats g;
            ls >> name >> g.n >> g.min >> g.median >> g.p99 >> g.max;
            if (!ls) return false;
            out.seqs.back().segs.push_back({ name, g });
        } else if (tag == "E") {
            end = true;
        }
    }
    out.ok = end;
    if (!end && out.error.empty()) out.error = "incomplete output from the benchmark process";
    return end;
}

} // namespace bench

// An output of the job (--record-gic, --vcd) that could not be written: the job's result says so (exit status 2).
static bool output_failed(const std::shared_ptr<gicsim::RecordStatus> &st, const std::string &path)
{
    using namespace bench;
    if (!st || !st->err) return false;
    g_result->ok = false;
    g_result->output_error = true;
    g_result->error = "cannot write " + path + ": " + strerror(st->err);
    return true;
}

// SystemC's entry point: the job was chosen before the process called sc_elab_and_sim().
int sc_main(int, char *[])
{
    using namespace bench;
    if (!g_job || !g_result) return 1;
    struct gic_config cfg = job_gic_config(*g_job);
    try {
        {
            Platform plat("bench", *g_job, cfg);
            sc_core::sc_start();
            *g_result = std::move(plat.result);
        }
        // The recording and the waveform are complete (and closed) only now: a write that failed on the way is this
        // job's failure (exit status 2).
        if (output_failed(g_record_status, g_job->record) || output_failed(g_vcd_status, g_job->vcd)) return 1;
    } catch (const std::exception &e) {
        if (output_failed(g_vcd_status, g_job->vcd)) return 1; // the waveform could not be created
        g_result->ok = false;
        g_result->error = e.what();
        for (char &c : g_result->error)
            if (c == '\n') c = ' ';
        return 1;
    }
    return 0;
}
