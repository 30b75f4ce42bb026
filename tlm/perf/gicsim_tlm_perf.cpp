// gicsim_tlm_perf.cpp: speed of gicsim::Gic through its TLM-2.0 sockets (register writes, SPI and HW virtual round trips).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "gicsim/gic_tlm.h"

using namespace sc_core;

namespace {

// A target that does nothing but answer after a fixed delay: what the initiator, its quantum keeper and the SystemC
// kernel cost per access by themselves, the floor under every model's figure at the same quantum.
struct NullTarget : sc_module {
    tlm_utils::simple_target_socket<NullTarget, 64> t;
    sc_time latency;
    NullTarget(sc_module_name nm, sc_time lat) : sc_module(nm), t("t"), latency(lat)
    {
        t.register_b_transport(this, &NullTarget::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload &gp, sc_time &delay)
    {
        delay += latency;
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
    }
};

// One CPU model: four sockets bound straight to the GIC's GICv2 frames, one reused payload, a
// quantum keeper (temporal decoupling), and the GIC's direct API for its lines and outputs.
struct PerfCpu : sc_module {
    tlm_utils::simple_initiator_socket<PerfCpu, 64> d, c, h, v, z; // z: the NullTarget
    gicsim::Gic &gic;
    unsigned long n;
    uint32_t intid;
    double rate[4] = { 0, 0, 0, 0 }; // (a), (b), (c), the null target
    unsigned long errors = 0, err_at[8] = {}, spurious = 0;
    tlm::tlm_generic_payload gp;
    uint32_t buf = 0;
    tlm_utils::tlm_quantumkeeper qk;
    sc_time local;
    sc_event done;
    const sc_event *after = nullptr; // start when this one fires (keeps the measurements apart)

    SC_HAS_PROCESS(PerfCpu);
    PerfCpu(sc_module_name nm, gicsim::Gic &g, unsigned long iters, uint32_t id)
        : sc_module(nm), d("d"), c("c"), h("h"), v("v"), z("z"), gic(g), n(iters), intid(id)
    {
        gp.set_extension(new gicsim::CpuExtension(0));
        gp.set_data_ptr(reinterpret_cast<unsigned char *>(&buf));
        gp.set_data_length(4);
        gp.set_streaming_width(4);
        SC_THREAD(run);
    }

    uint32_t acc(tlm_utils::simple_initiator_socket<PerfCpu, 64> &s, bool write, uint32_t off, uint32_t val = 0)
    {
        gp.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        gp.set_address(off);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        buf = val;
        local = qk.get_local_time();
        s->b_transport(gp, local);
        qk.set(local);
        if (gp.get_response_status() != tlm::TLM_OK_RESPONSE) errors++;
        if (qk.need_sync()) qk.sync();
        return buf;
    }
    void line(bool level) { gic.set_spi(intid, level, qk.get_local_time()); }
    void await(uint32_t out, bool level)
    {
        local = qk.get_local_time();
        if (!gic.await_output(0, out, level, local)) errors++;
        qk.set(local);
        if (qk.need_sync()) qk.sync();
    }

    // What an interrupt handler does: wait for the (v)IRQ, acknowledge; a spurious acknowledge
    // (1023: the offer was withdrawn, e.g. the short IRQ pulse a stale offer gives right after a
    // priority drop, docs/timing.md 4.6) returns and waits for the next assertion.
    uint32_t take_irq(bool virt)
    {
        const uint32_t out = virt ? GIC_OUT_VIRQ : GIC_OUT_IRQ;
        for (;;) {
            await(out, true);
            uint32_t id = acc(virt ? v : c, false, 0x00c);
            if ((id & 0x3ff) < 1020) return id;
            spurious++;
            await(out, false);
        }
    }

    void run()
    {
        using clk = std::chrono::steady_clock;
        const uint32_t bank = (intid / 32) * 4, bit = 1u << (intid % 32);
        const uint32_t hwdeact = gic.config().timing.hwdeact;
        // The handler's return after EOIR, in GIC cycles: long enough that the stale-offer pulse
        // right after a priority drop (docs/tlm.md) is over before it looks at IRQ again.
        const sc_time ret = gic.period() * double(gic.config().timing.prio + gic.config().timing.deliver);
        if (after) wait(*after);
        qk.reset();
        // Set-up: GICv2 distributor and CPU interface; EOImode 0 for (a) and (b).
        acc(d, true, 0x000, 1);
        acc(c, true, 0x000, 1);
        acc(c, true, 0x004, 0xff);
        acc(d, true, 0x100 + bank, bit);
        acc(h, true, 0x000, 1); // GICH_HCR.En
        acc(v, true, 0x000, 1); // GICV_CTLR.EnableGrp0
        acc(v, true, 0x004, 0xf8);

        // The floor: the same writes as (a) to the target that does nothing.
        auto t0 = clk::now();
        for (unsigned long i = 0; i < n; i++) acc(z, true, (i & 1) ? 0x280 + bank : 0x200 + bank, bit);
        rate[3] = n / std::chrono::duration<double>(clk::now() - t0).count();

        // (a) alternating GICD_ISPENDR / GICD_ICPENDR writes; one operation = one write.
        t0 = clk::now();
        for (unsigned long i = 0; i < n; i++) acc(d, true, (i & 1) ? 0x280 + bank : 0x200 + bank, bit);
        rate[0] = n / std::chrono::duration<double>(clk::now() - t0).count();
        acc(d, true, 0x280 + bank, bit);

        // (b) SPI round trip: line up, IRQ, IAR, line down, EOIR.
        t0 = clk::now();
        for (unsigned long i = 0; i < n; i++) {
            line(true);
            uint32_t id = take_irq(false);
            if ((id & 0x3ff) != intid) errors++, err_at[1]++;
            line(false);
            acc(c, true, 0x010, id);
            qk.inc(ret); // exception return
        }
        rate[1] = n / std::chrono::duration<double>(clk::now() - t0).count();

        // (c) HW virtual round trip: host IAR, host EOIR (EOImode 1), HW=1 list register, guest
        // IAR, line down, guest EOIR, physical interrupt inactive.
        acc(c, true, 0x000, 0x201);
        const uint32_t lr = 1u << 31 | 1u << 28 | (0x50u >> 3) << 23 | intid << 10 | intid;
        t0 = clk::now();
        for (unsigned long i = 0; i < n; i++) {
            line(true);
            uint32_t id = take_irq(false);
            if ((id & 0x3ff) != intid) errors++, err_at[2]++;
            acc(c, true, 0x010, id);
            acc(h, true, 0x100, lr);
            uint32_t vid = take_irq(true);
            if ((vid & 0x3ff) != intid) errors++, err_at[3]++;
            line(false);
            acc(v, true, 0x010, vid);
            qk.inc(gic.period() * double(hwdeact));                       // the forwarded deactivation's latency
            if (acc(d, false, 0x300 + bank) & bit) errors++, err_at[4]++; // GICD_ISACTIVER: no longer active
        }
        rate[2] = n / std::chrono::duration<double>(clk::now() - t0).count();
        qk.sync();
        done.notify(SC_ZERO_TIME);
    }
};

void usage()
{
    std::puts("usage: gicsim_tlm_perf [--iterations N] [--quantum NS]\n"
              "Measures gicsim::Gic through its TLM-2.0 sockets in one SystemC thread with a quantum keeper\n"
              "(global quantum NS, default 10000; 0: synchronise after every access),\n"
              "GICv2, 1 CPU, default timing, for 41 and 1020 interrupts (num_spis 9 and 988):\n"
              "  (a) alternating GICD_ISPENDR/GICD_ICPENDR writes (one operation = one write)\n"
              "  (b) SPI round trip: line up, wait IRQ, GICC_IAR, line down, GICC_EOIR\n"
              "  (c) HW virtual round trip: host IAR, host EOIR (EOImode 1), HW=1 GICH_LR, wait vIRQ,\n"
              "      GICV_IAR, line down, GICV_EOIR, GICD_ISACTIVER shows the physical interrupt inactive\n"
              "and, as the floor under any model at that quantum, the writes of (a) to a target that does\n"
              "nothing but answer with the GIC's request and response latency.");
}

} // namespace

int sc_main(int argc, char *argv[])
{
    unsigned long n = 1000000;
    double quantum_ns = 10000;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            usage();
            return 0;
        } else if (a == "--iterations" && i + 1 < argc) {
            n = std::strtoul(argv[++i], nullptr, 0);
            if (!n) {
                std::fputs("gicsim_tlm_perf: --iterations takes a positive number\n", stderr);
                return 2;
            }
        } else if (a == "--quantum" && i + 1 < argc) {
            quantum_ns = std::strtod(argv[++i], nullptr);
            if (!(quantum_ns >= 0) || quantum_ns > 1e9) {
                std::fputs("gicsim_tlm_perf: --quantum takes a number of ns, 0 (synchronise on every access) to 1e9\n",
                           stderr);
                return 2;
            }
        } else {
            std::fprintf(stderr, "gicsim_tlm_perf: unknown argument '%s'\n", argv[i]);
            usage();
            return 2;
        }
    }
    sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
    tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_time(quantum_ns, SC_NS));
    const unsigned spis[2] = { 9, 988 };
    PerfCpu *cpus[2];
    for (int k = 0; k < 2; k++) {
        struct gic_config cfg;
        gic_config_default(&cfg, GIC_V2);
        cfg.num_cpus = 1;
        cfg.num_spis = spis[k];
        std::string s = std::to_string(32 + spis[k]);
        auto *gic = new gicsim::Gic(("gic" + s).c_str(), cfg);
        cpus[k] = new PerfCpu(("cpu" + s).c_str(), *gic, n, 32 + spis[k] - 1); // the last SPI
        cpus[k]->d.bind(gic->gicd);
        cpus[k]->c.bind(gic->gicc);
        cpus[k]->h.bind(gic->gich);
        cpus[k]->v.bind(gic->gicv);
        // The null target answers a write as late as the GIC does (request and response latency).
        auto *null = new NullTarget(("null" + s).c_str(), gic->period() * double(cfg.timing.req + cfg.timing.resp));
        cpus[k]->z.bind(null->t);
    }
    cpus[1]->after = &cpus[0]->done; // one measurement at a time
    sc_start();
    std::printf("gicsim_tlm_perf: %lu iterations per figure, GICv2, 1 CPU, default timing, quantum %.0f ns\n", n,
                quantum_ns);
    // Only what was measured here: comparisons with other models are in docs/tlm.md, with their date and conditions.
    std::printf("%-58s %14s %14s\n", "", "41 interrupts", "1020 interrupts");
    const char *names[3] = { "(a) GICD_ISPENDR/ICPENDR writes [M writes/s]", "(b) SPI round trip [M irq/s]",
                             "(c) HW virtual round trip [M irq/s]" };
    int bad = 0;
    for (int i = 0; i < 3; i++)
        std::printf("%-58s %14.3f %14.3f\n", names[i], cpus[0]->rate[i] / 1e6, cpus[1]->rate[i] / 1e6);
    std::printf("%-58s %14.3f %14.3f\n", "(a) to a target that does nothing [M writes/s]", cpus[0]->rate[3] / 1e6,
                cpus[1]->rate[3] / 1e6);
    std::printf("spurious acknowledges (retried): %lu with 41, %lu with 1020 interrupts\n", cpus[0]->spurious,
                cpus[1]->spurious);
    for (int k = 0; k < 2; k++)
        if (cpus[k]->errors) {
            std::fprintf(stderr, "gicsim_tlm_perf: %lu failed checks with %u interrupts (%lu %lu %lu %lu)\n",
                         cpus[k]->errors, 32 + spis[k], cpus[k]->err_at[1], cpus[k]->err_at[2], cpus[k]->err_at[3],
                         cpus[k]->err_at[4]);
            bad = 1;
        }
    return bad;
}
