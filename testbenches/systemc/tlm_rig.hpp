// tlm_rig.hpp: a test platform for the SystemC scenarios: GIC + router (QEMU virt map) + scripted CPUs + SPI devices.
#ifndef GICSIM_TLM_RIG_HPP
#define GICSIM_TLM_RIG_HPP

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "gicsim/gic_tlm.h"
#include "gicsim/gic_regs.h"
#include "gicsim/scripted_cpu.h"
#ifdef GICSIM_HAVE_RTL
#include <stdexcept>

#include "rtl_engine.h"
#endif

// The GIC model of every Rig: "c" (the C kernels) or "rtl" (the Verilated RTL reference; gicsim_tlm_tests SCENARIO rtl).
inline std::string &rig_model()
{
    static std::string m = "c";
    return m;
}

inline gicsim::Gic *make_rig_gic(const std::string &name, const struct gic_config &cfg, const sc_core::sc_time &period)
{
#ifdef GICSIM_HAVE_RTL
    if (rig_model() == "rtl") {
        std::string why;
        std::unique_ptr<gicsim::Engine> e = gicsim::make_rtl_engine(cfg, &why);
        if (!e) throw std::runtime_error("--model rtl: " + why);
        return new gicsim::Gic(name.c_str(), std::move(e), period);
    }
#endif
    return new gicsim::Gic(name.c_str(), cfg, period);
}

namespace rig {

// QEMU virt's GIC addresses (hw/arm/virt.c memory map), plus the GICv2 GICH alias.
constexpr uint64_t GICD = 0x08000000, GICC = 0x08010000, GICH = 0x08030000, GICV = 0x08040000, GICH_ALIAS = 0x08050000,
                   GICR = 0x080A0000;
constexpr uint64_t SGI_BASE = 0x10000;

// A device with one interrupt line; set() changes it at local time sc_time_stamp() + delay.
struct LineDevice : sc_core::sc_module {
    sc_core::sc_out<bool> line;
    SC_HAS_PROCESS(LineDevice);
    explicit LineDevice(sc_core::sc_module_name n) : sc_module(n), line("line")
    {
        SC_METHOD(drive);
        sensitive << ev_;
        dont_initialize();
    }
    void set(bool level, const sc_core::sc_time &delay = sc_core::SC_ZERO_TIME)
    {
        want_ = level;
        ev_.notify(delay);
    }
    std::vector<std::pair<sc_core::sc_time, bool>> changes;

private:
    void drive()
    {
        line.write(want_);
        changes.emplace_back(sc_core::sc_time_stamp(), want_);
    }
    sc_core::sc_event ev_;
    bool want_ = false;
};

// Records every edge of a bool signal with its time.
struct EdgeRecorder : sc_core::sc_module {
    sc_core::sc_in<bool> in;
    std::vector<std::pair<sc_core::sc_time, bool>> edges;
    SC_HAS_PROCESS(EdgeRecorder);
    explicit EdgeRecorder(sc_core::sc_module_name n) : sc_module(n), in("in")
    {
        SC_METHOD(seen);
        sensitive << in;
        dont_initialize();
    }
    void seen() { edges.emplace_back(sc_core::sc_time_stamp(), in.read()); }
};

// The GIC, a router with the virt map, N scripted CPUs wired to the GIC's outputs, and devices on
// chosen SPIs. Every trace event is kept as formatted text.
struct Rig {
    std::unique_ptr<gicsim::Gic> gic;
    std::unique_ptr<gicsim::Router> bus;
    std::vector<std::unique_ptr<gicsim::ScriptedCpu>> cpus;
    std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> wires;
    std::vector<std::unique_ptr<LineDevice>> devices;
    std::vector<std::unique_ptr<EdgeRecorder>> recorders;
    std::vector<std::string> trace;
    std::vector<struct gic_trace_event> events;

    Rig(const std::string &prefix, const struct gic_config &cfg, const sc_core::sc_time &period,
        bool temporal_decoupling = false, std::vector<uint32_t> device_spis = {})
    {
        gic.reset(make_rig_gic(prefix + "gic", cfg, period));
        bus.reset(new gicsim::Router((prefix + "bus").c_str()));
        gic->set_trace(&Rig::on_trace, this);
        // Router ports in binding order.
        bus->initiator.bind(gic->gicd);
        bus->map(GICD, gicsim::Gic::kFrameSize, 0);
        if (cfg.version == GIC_V2) {
            bus->initiator.bind(gic->gicc);
            bus->initiator.bind(gic->gich);
            bus->initiator.bind(gic->gicv);
            bus->initiator.bind(gic->gich_alias);
            bus->map(GICC, gicsim::Gic::kFrameSize, 1);
            bus->map(GICH, gicsim::Gic::kFrameSize, 2);
            bus->map(GICV, gicsim::Gic::kFrameSize, 3);
            bus->map(GICH_ALIAS, gicsim::Gic::kGichAliasStride * cfg.num_cpus, 4);
        } else {
            bus->initiator.bind(gic->gicr);
            bus->map(GICR, gicsim::Gic::kRedistStride * cfg.num_cpus, 1);
        }
        for (unsigned c = 0; c < cfg.num_cpus; c++) {
            std::string n = prefix + "cpu" + std::to_string(c);
            cpus.emplace_back(new gicsim::ScriptedCpu(n.c_str(), c, period, gic.get(), temporal_decoupling));
            cpus.back()->socket.bind(bus->target);
            wire(gic->irq[c], cpus.back()->irq);
            wire(gic->fiq[c], cpus.back()->fiq);
            wire(gic->virq[c], cpus.back()->virq);
            wire(gic->vfiq[c], cpus.back()->vfiq);
            wire(gic->maint[c], cpus.back()->maint);
        }
        for (uint32_t intid : device_spis) {
            std::string n = prefix + "dev" + std::to_string(intid);
            devices.emplace_back(new LineDevice(n.c_str()));
            wires.emplace_back(new sc_core::sc_signal<bool>((n + "_line").c_str()));
            devices.back()->line.bind(*wires.back());
            gic->spi[intid - 32].bind(*wires.back());
        }
    }

    // Also record the edges of an output signal (the one wired from gic output `out` of cpu).
    EdgeRecorder &record(uint32_t out, unsigned cpu)
    {
        unsigned k = static_cast<unsigned>(__builtin_ctz(out));
        sc_core::sc_signal<bool> *s = out_wires.at(cpu * 5 + k);
        recorders.emplace_back(new EdgeRecorder(sc_core::sc_gen_unique_name("rec")));
        recorders.back()->in.bind(*s);
        return *recorders.back();
    }

    unsigned report(bool verbose = false) const
    {
        unsigned f = 0;
        for (const auto &c : cpus) f += c->report(verbose);
        return f;
    }

    uint32_t peek(enum gic_frame f, unsigned cpu, uint32_t off)
    {
        uint64_t v = 0;
        gic->peek(f, cpu, off, 4, v);
        return static_cast<uint32_t>(v);
    }

private:
    std::vector<sc_core::sc_signal<bool> *> out_wires;
    void wire(sc_core::sc_out<bool> &o, sc_core::sc_in<bool> &i)
    {
        wires.emplace_back(new sc_core::sc_signal<bool>(sc_core::sc_gen_unique_name("w")));
        o.bind(*wires.back());
        i.bind(*wires.back());
        out_wires.push_back(wires.back().get());
    }
    static void on_trace(void *ctx, const struct gic_trace_event *ev)
    {
        Rig *r = static_cast<Rig *>(ctx);
        char buf[200];
        gic_trace_format(ev, buf, sizeof buf);
        r->trace.emplace_back(buf);
        r->events.push_back(*ev);
    }
};

} // namespace rig

#endif
