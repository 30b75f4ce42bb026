// main.cpp: example virtual platform: two scripted CPUs + gicsim::Gic (GICv3, QEMU virt map) + a timer raising an SPI.
//
// Copy this file to start your own platform: replace the scripted CPUs with your CPU models (they
// call the GIC's sockets through your interconnect, and Gic::sysreg() for ICC_* registers), bind
// the GIC's irq/fiq outputs to your CPUs' interrupt inputs and your devices' lines to gic.spi[].
//
// Usage: gicsim_example_platform [--model c|rtl]: the GIC model is the C kernels (default) or, when the build has
// Verilator, the Verilated RTL reference behind the same TLM interface (docs/rtl.md).
#include <cstdio>
#include <cstring>
#include <string>

#include "gicsim/gic_tlm.h"
#include "gicsim/gic_regs.h"
#include "gicsim/scripted_cpu.h"
#ifdef GICSIM_HAVE_RTL
#include "rtl_engine.h"
#endif

using namespace sc_core;
using gicsim::Step;

namespace {

// QEMU virt's memory map for the GIC, and a device page of our own.
constexpr uint64_t GICD = 0x08000000, GICR = 0x080A0000, TIMER = 0x09100000;
constexpr uint32_t TIMER_SPI = 48; // INTID 48 = SPI 16

// A periodic timer: raises its (level) interrupt every `period`; a write to its register 0 acks it.
struct Timer : sc_module {
    tlm_utils::simple_target_socket<Timer, 64> socket;
    sc_out<bool> irq;
    unsigned acks = 0;
    SC_HAS_PROCESS(Timer);
    Timer(sc_module_name n, sc_time period) : sc_module(n), socket("socket"), irq("irq"), period_(period)
    {
        socket.register_b_transport(this, &Timer::b_transport);
        SC_THREAD(tick);
        SC_METHOD(drive);
        sensitive << change_;
        dont_initialize();
    }

private:
    void tick()
    {
        for (;;) {
            wait(period_);
            level_ = true;
            change_.notify(SC_ZERO_TIME);
        }
    }
    void drive() { irq.write(level_); }
    void b_transport(tlm::tlm_generic_payload &gp, sc_time &delay)
    {
        if (gp.get_address() != 0 || gp.get_data_length() != 4) {
            gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        if (gp.is_write()) { // ack: the line drops at the initiator's local time
            acks++;
            level_ = false;
            change_.notify(delay);
        }
        delay += sc_time(10, SC_NS);
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    sc_time period_;
    bool level_ = false;
    sc_event change_;
};

constexpr uint32_t ICC_PMR = ICC_PMR_EL1_ENC, ICC_IAR1 = ICC_IAR1_EL1_ENC, ICC_EOIR1 = ICC_EOIR1_EL1_ENC,
                   ICC_IGRPEN1 = ICC_IGRPEN1_EL1_ENC, ICC_SGI1R = ICC_SGI1R_EL1_ENC;

} // namespace

// The GIC model: the C kernels, or the RTL reference for the same configuration.
std::unique_ptr<gicsim::Engine> make_model(const std::string &model, const struct gic_config &cfg)
{
    if (model == "c") return gicsim::make_c_engine(cfg);
#ifdef GICSIM_HAVE_RTL
    std::string why;
    std::unique_ptr<gicsim::Engine> e = gicsim::make_rtl_engine(cfg, &why);
    if (!e) std::fprintf(stderr, "example platform: --model rtl: %s\n", why.c_str());
    return e;
#else
    std::fprintf(stderr, "example platform: --model rtl: built without Verilator\n");
    return nullptr;
#endif
}

// CPU0 boots the distributor, routes the timer to CPU1 and wakes CPU1 with SGI 1.
static void program_cpu0(gicsim::ScriptedCpu &cpu0)
{
    cpu0.add({ Step::write(GICR + 0x14, 0, 4, "GICR_WAKER: wake redistributor 0"),
               Step::write(GICD + 0x000, 0x12, 4, "GICD_CTLR = ARE | EnableGrp1"),
               Step::write(GICD + 0x084, 1u << (TIMER_SPI - 32), 4, "GICD_IGROUPR1: timer in Group 1"),
               Step::write(GICD + 0x6000 + 8 * TIMER_SPI, 1, 8, "GICD_IROUTER48 = CPU1"),
               Step::write(GICD + 0x104, 1u << (TIMER_SPI - 32), 4, "GICD_ISENABLER1: timer"),
               Step::wait_cycles(1000), // give CPU1 time to enable its interface
               Step::msr(ICC_SGI1R, (1ull << 24) | 0x2, false, "ICC_SGI1R_EL1: SGI 1 -> CPU1") });
}

// CPU1 (its redistributor at rd1) enables its interface, takes the SGI, then three timer interrupts.
static void program_cpu1(gicsim::ScriptedCpu &cpu1, uint64_t rd1)
{
    cpu1.add({ Step::write(rd1 + 0x14, 0, 4, "GICR_WAKER: wake redistributor 1"),
               Step::write(rd1 + 0x10080, 0xffffffffu, 4, "GICR_IGROUPR0: SGIs/PPIs in Group 1"),
               Step::write(rd1 + 0x10100, 1u << 1, 4, "GICR_ISENABLER0: SGI 1"),
               Step::msr(ICC_PMR, 0xff, false, "ICC_PMR_EL1"), Step::msr(ICC_IGRPEN1, 1, false, "ICC_IGRPEN1_EL1"),
               Step::wait_output(GIC_OUT_IRQ, true, 100000, "wait IRQ"),
               Step::expect_mrs(ICC_IAR1, 1, 0xffffff, false, "ICC_IAR1_EL1 = SGI 1"),
               Step::msr_prev(ICC_EOIR1, false, "ICC_EOIR1_EL1"),
               // Exception return. A handler that looks at IRQ again at once can see the short
               // pulse of the stale offer after a priority drop and read a spurious 1023 (docs/tlm.md).
               Step::wait_cycles(10) });
    for (int i = 0; i < 3; i++)
        cpu1.add({ Step::wait_output(GIC_OUT_IRQ, true, 100000, "wait IRQ"),
                   Step::expect_mrs(ICC_IAR1, TIMER_SPI, 0xffffff, false, "ICC_IAR1_EL1 = timer"),
                   Step::write(TIMER, 1, 4, "timer ack"),
                   // The timer drops its line through a signal, i.e. at SystemC time: synchronise so
                   // that the GIC samples it before the EOIR (docs/tlm.md, "Temporal decoupling").
                   Step::wait_cycles(5), Step::sync(), Step::msr_prev(ICC_EOIR1, false, "ICC_EOIR1_EL1"),
                   Step::wait_cycles(10) });
}

int sc_main(int argc, char *argv[])
{
    std::string model = "c";
    for (int i = 1; i < argc; i++) {
        if (!std::strcmp(argv[i], "--model") && i + 1 < argc &&
            (!std::strcmp(argv[i + 1], "c") || !std::strcmp(argv[i + 1], "rtl"))) {
            model = argv[++i];
        } else {
            std::fprintf(stderr, "usage: gicsim_example_platform [--model c|rtl]\n");
            return 2;
        }
    }
    const sc_time clk(1, SC_NS);                                           // GIC clock: 1 GHz
    tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_time(100, SC_NS)); // see docs/tlm.md, "Quantum"

    struct gic_config cfg;
    gic_config_default(&cfg, GIC_V3); // QEMU virt's choices
    cfg.num_cpus = 2;
    cfg.num_spis = 64; // (a configuration the RTL reference is built for, too)
    std::unique_ptr<gicsim::Engine> engine = make_model(model, cfg);
    if (!engine) return 2;
    gicsim::Gic gic("gic", std::move(engine), clk);
    gicsim::Router bus("bus");
    Timer timer("timer", sc_time(2, SC_US));
    // CPUs keep local time (temporal decoupling) and reach ICC_* registers through gic.sysreg().
    gicsim::ScriptedCpu cpu0("cpu0", 0, clk, &gic, true), cpu1("cpu1", 1, clk, &gic, true);

    bus.initiator.bind(gic.gicd);
    bus.map(GICD, gicsim::Gic::kFrameSize, 0);
    bus.initiator.bind(gic.gicr);
    bus.map(GICR, gicsim::Gic::kRedistStride * cfg.num_cpus, 1);
    bus.initiator.bind(timer.socket);
    bus.map(TIMER, 0x1000, 2);
    cpu0.socket.bind(bus.target);
    cpu1.socket.bind(bus.target);

    sc_signal<bool> irq0("irq0"), irq1("irq1"), timer_line("timer_line");
    gic.irq[0].bind(irq0);
    cpu0.irq.bind(irq0);
    gic.irq[1].bind(irq1);
    cpu1.irq.bind(irq1);
    timer.irq.bind(timer_line);
    gic.spi[TIMER_SPI - 32].bind(timer_line);

    program_cpu0(cpu0);
    program_cpu1(cpu1, GICR + gicsim::Gic::kRedistStride);

    sc_start(10, SC_US);

    unsigned failures = cpu0.report() + cpu1.report(true);
    std::printf("model %s: timer acknowledged %u times, %llu GIC cycles simulated, late inputs %llu\n",
                gic.engine().name(), timer.acks, (unsigned long long)gic.now(), (unsigned long long)gic.late_inputs());
    if (timer.acks != 3) failures++;
    std::printf("example platform: %s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
