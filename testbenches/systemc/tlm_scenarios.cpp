// tlm_scenarios.cpp: SystemC/TLM scenarios of gicsim::Gic, one per process (argv[1] names it), each after the rule it checks.
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <string>

#include "tlm_rig.hpp"

using namespace sc_core;
using gicsim::Step;
using namespace rig;

namespace {

int g_fail = 0;

void check(bool ok, const std::string &what)
{
    std::printf("  check: %-70s %s\n", what.c_str(), ok ? "ok" : "FAILED");
    if (!ok) g_fail++;
}

struct gic_config config(enum gic_version v, unsigned cpus, unsigned spis = 64)
{
    struct gic_config c;
    gic_config_default(&c, v);
    c.num_cpus = cpus;
    c.num_spis = spis;
    return c;
}

// Per-CPU set-up so that Group 1 (GICv3) / Group 0 (GICv2) interrupts are signalled as IRQ.
std::vector<Step> cpu_setup(enum gic_version v, unsigned cpu, uint32_t gicc_ctlr = 0x1, uint64_t icc_ctlr = 0)
{
    if (v == GIC_V2)
        return { Step::write(GICC + 0x000, gicc_ctlr, 4, "GICC_CTLR"), Step::write(GICC + 0x004, 0xff, 4, "GICC_PMR") };
    uint64_t rd = GICR + gicsim::Gic::kRedistStride * cpu;
    return { Step::write(rd + 0x14, 0, 4, "GICR_WAKER = 0"),
             Step::write(rd + SGI_BASE + 0x080, 0xffffffffu, 4, "GICR_IGROUPR0: Group 1"),
             Step::msr(ICC_CTLR_EL1_ENC, icc_ctlr, false, "ICC_CTLR_EL1"),
             Step::msr(ICC_PMR_EL1_ENC, 0xff, false, "ICC_PMR_EL1"),
             Step::msr(ICC_IGRPEN1_EL1_ENC, 1, false, "ICC_IGRPEN1_EL1") };
}

unsigned count_events(const Rig &r, unsigned kind, int cpu, uint32_t intid)
{
    unsigned n = 0;
    for (const auto &e : r.events)
        if (e.kind == kind && (cpu < 0 || e.cpu == static_cast<unsigned>(cpu)) && e.intid == intid) n++;
    return n;
}

// A bare initiator for hand-made transactions (bad sizes, byte enables, debug transport).
struct Prober : sc_module {
    tlm_utils::simple_initiator_socket<Prober, 64> socket;
    std::function<void(Prober &)> body;
    tlm::tlm_generic_payload gp;
    gicsim::CpuExtension *ext;
    SC_HAS_PROCESS(Prober);
    explicit Prober(sc_module_name n) : sc_module(n), socket("socket")
    {
        ext = new gicsim::CpuExtension(0);
        gp.set_extension(ext);
        SC_THREAD(run);
    }
    void run()
    {
        if (body) body(*this);
    }
    tlm::tlm_response_status go(tlm::tlm_command cmd, uint64_t addr, unsigned len, uint8_t *data, sc_time &delay,
                                const uint8_t *be = nullptr, unsigned be_len = 0, unsigned sw = 0)
    {
        gp.set_command(cmd);
        gp.set_address(addr);
        gp.set_data_ptr(data);
        gp.set_data_length(len);
        gp.set_streaming_width(sw ? sw : len);
        gp.set_byte_enable_ptr(const_cast<uint8_t *>(be));
        gp.set_byte_enable_length(be_len);
        gp.set_dmi_allowed(false);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        socket->b_transport(gp, delay);
        return gp.get_response_status();
    }
    tlm::tlm_response_status wr32(uint64_t addr, uint32_t v, sc_time &d)
    {
        uint8_t b[4];
        std::memcpy(b, &v, 4);
        return go(tlm::TLM_WRITE_COMMAND, addr, 4, b, d);
    }
    uint32_t rd32(uint64_t addr, sc_time &d, tlm::tlm_response_status *st = nullptr)
    {
        uint8_t b[4] = {};
        tlm::tlm_response_status s = go(tlm::TLM_READ_COMMAND, addr, 4, b, d);
        if (st) *st = s;
        uint32_t v;
        std::memcpy(&v, b, 4);
        return v;
    }
};

// ---------------------------------------------------------------- IPIs
// IHI0069H 12.2.22 ICC_SGI1R_EL1: an SGI to a target list is pending once in each target.
int ipi_icc_sgi1r()
{
    const unsigned N = 4;
    struct gic_config cfg = config(GIC_V3, N, 96);
    cfg.num_lrs = 2; // (4 CPUs, 96 SPIs, 2 LRs: a configuration the RTL reference is built for too)
    Rig r("", cfg, sc_time(1, SC_NS));
    for (unsigned c = 0; c < N; c++) r.cpus[c]->add(cpu_setup(GIC_V3, c));
    r.cpus[0]->add(Step::write(GICD + 0x000, 0x12, 4, "GICD_CTLR = ARE|EnableGrp1"));
    for (unsigned c = 0; c < N; c++)
        r.cpus[c]->add(Step::write(GICR + gicsim::Gic::kRedistStride * c + SGI_BASE + 0x100, 1u << 3, 4,
                                   "GICR_ISENABLER0: SGI 3"));
    // CPU0 sends SGI 3 to CPUs 1-3 (Aff3.Aff2.Aff1 = 0, TargetList = 0b1110).
    r.cpus[0]->add(Step::wait_cycles(100));
    r.cpus[0]->add(Step::msr(ICC_SGI1R_EL1_ENC, (3ull << 24) | 0xe, false, "ICC_SGI1R_EL1: SGI 3 -> CPUs 1-3"));
    r.cpus[0]->add(Step::wait_cycles(50));
    r.cpus[0]->add(Step::expect_mrs(ICC_IAR1_EL1_ENC, 1023, 0xffffff, false, "CPU0 not targeted: IAR = 1023"));
    for (unsigned c = 1; c < N; c++) {
        r.cpus[c]->add(Step::wait_output(GIC_OUT_IRQ, true, 1000, "IRQ"));
        r.cpus[c]->add(Step::expect_mrs(ICC_IAR1_EL1_ENC, 3, 0xffffff, false, "IAR1 = SGI 3"));
        r.cpus[c]->add(Step::msr_prev(ICC_EOIR1_EL1_ENC, false, "EOIR1"));
        r.cpus[c]->add(Step::wait_cycles(20));
        r.cpus[c]->add(
            Step::expect_mrs(ICC_IAR1_EL1_ENC, 1023, 0xffffff, false, "second IAR1 = 1023 (acknowledged once)"));
    }
    sc_start(20, SC_US);
    g_fail += r.report();
    for (unsigned c = 0; c < N; c++)
        check(count_events(r, GIC_TR_ACK, c, 3) == (c ? 1u : 0u),
              "CPU" + std::to_string(c) + " acknowledged SGI 3 " + (c ? "once" : "never"));
    return g_fail;
}

// IHI0048B 4.3.15 GICD_SGIR: CPUTargetList delivers the SGI to each listed CPU, source CPU in GICC_IAR.
int ipi_gicd_sgir()
{
    const unsigned N = 4;
    Rig r("", config(GIC_V2, N), sc_time(1, SC_NS));
    for (unsigned c = 0; c < N; c++) r.cpus[c]->add(cpu_setup(GIC_V2, c));
    r.cpus[2]->add(Step::write(GICD + 0x000, 0x1, 4, "GICD_CTLR = Enable"));
    r.cpus[2]->add(Step::wait_cycles(100));
    r.cpus[2]->add(Step::write(GICD + 0xf00, (0xbu << 16) | 5, 4, "GICD_SGIR: SGI 5 -> CPUs 0,1,3"));
    r.cpus[2]->add(Step::wait_cycles(50));
    r.cpus[2]->add(Step::expect(GICC + 0x00c, 1023, 0x3ff, 4, "CPU2 (sender, not listed): IAR = 1023"));
    for (unsigned c : { 0u, 1u, 3u }) {
        r.cpus[c]->add(Step::wait_output(GIC_OUT_IRQ, true, 1000, "IRQ"));
        r.cpus[c]->add(Step::expect(GICC + 0x00c, (2u << 10) | 5, 0x1fff, 4, "GICC_IAR = SGI 5 from CPU2"));
        r.cpus[c]->add(Step::write_prev(GICC + 0x010, 4, "GICC_EOIR"));
        r.cpus[c]->add(Step::wait_cycles(20));
        r.cpus[c]->add(Step::expect(GICC + 0x00c, 1023, 0x3ff, 4, "second IAR = 1023 (acknowledged once)"));
    }
    sc_start(20, SC_US);
    g_fail += r.report();
    for (unsigned c = 0; c < N; c++)
        check(count_events(r, GIC_TR_ACK, c, 5) == (c != 2 ? 1u : 0u),
              "CPU" + std::to_string(c) + " acknowledged SGI 5 " + (c != 2 ? "once" : "never"));
    return g_fail;
}

// ---------------------------------------------------------------- SPIs
// IHI0069H 12.9.22 GICD_IROUTER<n> / IHI0048B 4.3.12 GICD_ITARGETSR<n>: an SPI routed to CPU1 only.
int spi_routed(enum gic_version v)
{
    const uint32_t SPI = 40;
    Rig r("", config(v, 2), sc_time(1, SC_NS), false, { SPI });
    EdgeRecorder &irq0 = r.record(GIC_OUT_IRQ, 0), &irq1 = r.record(GIC_OUT_IRQ, 1);
    LineDevice *dev = r.devices[0].get();
    for (unsigned c = 0; c < 2; c++) r.cpus[c]->add(cpu_setup(v, c));
    auto &c0 = *r.cpus[0], &c1 = *r.cpus[1];
    if (v == GIC_V3) {
        c0.add(Step::write(GICD + 0x000, 0x12, 4, "GICD_CTLR = ARE|EnableGrp1"));
        c0.add(Step::write(GICD + 0x084, 1u << (SPI - 32), 4, "GICD_IGROUPR1: Group 1"));
        c0.add(Step::write(GICD + 0x6000 + 8 * SPI, 1, 8, "GICD_IROUTER40 = Aff0 1"));
    } else {
        c0.add(Step::write(GICD + 0x000, 0x1, 4, "GICD_CTLR = Enable"));
        c0.add(Step::write(GICD + 0x800 + SPI, 0x2, 1, "GICD_ITARGETSR byte 40 = CPU1"));
    }
    c0.add(Step::write(GICD + 0x104, 1u << (SPI - 32), 4, "GICD_ISENABLER1: SPI 40"));
    c0.add(Step::call([dev](gicsim::ScriptedCpu &, sc_time &local) { dev->set(true, local + sc_time(100, SC_NS)); },
                      "device raises SPI 40 at +100 ns"));
    c0.add(Step::wait_cycles(300));
    if (v == GIC_V3)
        c0.add(Step::expect_mrs(ICC_IAR1_EL1_ENC, 1023, 0xffffff, false, "CPU0: IAR1 = 1023 (not routed)"));
    else c0.add(Step::expect(GICC + 0x00c, 1023, 0x3ff, 4, "CPU0: IAR = 1023 (not routed)"));
    c1.add(Step::wait_output(GIC_OUT_IRQ, true, 10000, "IRQ"));
    if (v == GIC_V3) c1.add(Step::expect_mrs(ICC_IAR1_EL1_ENC, SPI, 0xffffff, false, "IAR1 = 40"));
    else c1.add(Step::expect(GICC + 0x00c, SPI, 0x3ff, 4, "IAR = 40"));
    c1.add(Step::call([dev](gicsim::ScriptedCpu &, sc_time &local) { dev->set(false, local); }, "device drops SPI 40"));
    c1.add(Step::wait_cycles(4));
    if (v == GIC_V3) c1.add(Step::msr_prev(ICC_EOIR1_EL1_ENC, false, "EOIR1"));
    else c1.add(Step::write_prev(GICC + 0x010, 4, "EOIR"));
    c1.add(Step::wait_cycles(10));
    c1.add(Step::expect(GICD + 0x304, 0, 1u << (SPI - 32), 4, "GICD_ISACTIVER1: SPI 40 inactive"));
    c1.add(Step::expect(GICD + 0x204, 0, 1u << (SPI - 32), 4, "GICD_ISPENDR1: SPI 40 not pending"));
    sc_start(20, SC_US);
    g_fail += r.report();
    check(irq0.edges.empty(), "CPU0's IRQ never asserted");
    check(irq1.edges.size() == 2 && irq1.edges[0].second && !irq1.edges[1].second, "CPU1's IRQ rose and fell once");
    check(count_events(r, GIC_TR_ACK, 1, SPI) == 1, "CPU1 acknowledged SPI 40 once");
    return g_fail;
}

// ---------------------------------------------------------------- HW=1 deactivation
// SEMANTICS A1 + A7 (IHI0048B 5.2 / IHI0069H 4.11): host EOImode 1, HW=1 list register, guest EOI
// deactivates the physical interrupt.
int hw_deactivation(enum gic_version v)
{
    const uint32_t P = 40, V = 40;
    Rig r("", config(v, 1, 32), sc_time(1, SC_NS), false, { P }); // (32 SPIs: an RTL build has it too)
    LineDevice *dev = r.devices[0].get();
    auto &c = *r.cpus[0];
    if (v == GIC_V2) {
        c.add(cpu_setup(v, 0, 0x201)); // EnableGrp0 | EOImode
        c.add(Step::write(GICD + 0x000, 0x1, 4, "GICD_CTLR = Enable"));
        c.add(Step::write(GICH + 0x000, 0x1, 4, "GICH_HCR = En"));
        c.add(Step::write(GICV + 0x000, 0x1, 4, "guest GICV_CTLR = EnableGrp0"));
        c.add(Step::write(GICV + 0x004, 0xf8, 4, "guest GICV_PMR"));
    } else {
        c.add(cpu_setup(v, 0, 0, 0x2)); // ICC_CTLR_EL1.EOImode = 1
        c.add(Step::write(GICD + 0x000, 0x12, 4, "GICD_CTLR = ARE|EnableGrp1"));
        c.add(Step::write(GICD + 0x084, 1u << (P - 32), 4, "GICD_IGROUPR1: Group 1"));
        c.add(Step::msr(ICH_HCR_EL2_ENC, 1, false, "ICH_HCR_EL2 = En"));
        c.add(Step::msr(ICH_VMCR_EL2_ENC, 0xf8000002ull, false, "ICH_VMCR_EL2: VPMR 0xf8, VENG1"));
    }
    c.add(Step::write(GICD + 0x104, 1u << (P - 32), 4, "GICD_ISENABLER1: SPI 40"));
    c.add(Step::call([dev](gicsim::ScriptedCpu &, sc_time &local) { dev->set(true, local); }, "device raises SPI 40"));
    c.add(Step::wait_output(GIC_OUT_IRQ, true, 1000, "host IRQ"));
    if (v == GIC_V2) {
        c.add(Step::expect(GICC + 0x00c, P, 0x3ff, 4, "host GICC_IAR = 40"));
        c.add(Step::write_prev(GICC + 0x010, 4, "host GICC_EOIR (priority drop only, EOImode 1)"));
    } else {
        c.add(Step::expect_mrs(ICC_IAR1_EL1_ENC, P, 0xffffff, false, "host ICC_IAR1_EL1 = 40"));
        c.add(Step::msr_prev(ICC_EOIR1_EL1_ENC, false, "host ICC_EOIR1_EL1 (priority drop only)"));
    }
    c.add(Step::expect(GICD + 0x304, 1u << (P - 32), 1u << (P - 32), 4, "SPI 40 still active after the host EOI"));
    if (v == GIC_V2) {
        uint32_t lr = 1u << 31 | 1u << 28 | (0x50u >> 3) << 23 | P << 10 | V;
        c.add(Step::write(GICH + 0x100, lr, 4, "GICH_LR0 = HW|pending|pINTID 40|vINTID 40"));
    } else {
        uint64_t lr = 1ull << 62 | 1ull << 61 | 1ull << 60 | 0x50ull << 48 | (uint64_t)P << 32 | V;
        c.add(Step::msr(ICH_LR_EL2_ENC, lr, false, "ICH_LR0_EL2 = pending|HW|Group1|pINTID 40|vINTID 40"));
    }
    c.add(Step::wait_output(GIC_OUT_VIRQ, true, 1000, "vIRQ"));
    if (v == GIC_V2) c.add(Step::expect(GICV + 0x00c, V, 0x3ff, 4, "guest GICV_IAR = 40"));
    else c.add(Step::expect_mrs(ICC_IAR1_EL1_ENC, V, 0xffffff, true, "guest ICV_IAR1_EL1 = 40"));
    c.add(Step::call([dev](gicsim::ScriptedCpu &, sc_time &local) { dev->set(false, local); }, "device drops SPI 40"));
    if (v == GIC_V2) c.add(Step::write_prev(GICV + 0x010, 4, "guest GICV_EOIR"));
    else c.add(Step::msr_prev(ICC_EOIR1_EL1_ENC, true, "guest ICV_EOIR1_EL1"));
    c.add(Step::wait_cycles(10));
    c.add(Step::expect(GICD + 0x304, 0, 1u << (P - 32), 4, "physical SPI 40 inactive (HW deactivation)"));
    sc_start(20, SC_US);
    g_fail += r.report();
    check(count_events(r, GIC_TR_HWDEACT, 0, P) == 1, "one HW deactivation forwarded for pINTID 40");
    bool applied = false;
    for (const auto &e : r.events)
        if (e.kind == GIC_TR_DEACT && e.intid == P && e.value == 1 && e.aux == 1) applied = true;
    check(applied, "the forwarded deactivation was applied (not ignored: SEMANTICS A6)");
    return g_fail;
}

// IHI0048B 5.3 (GICH alias per CPU): CPU0 programs CPU1's list register through the alias view.
int gich_alias()
{
    Rig r("", config(GIC_V2, 2), sc_time(1, SC_NS));
    auto &c = *r.cpus[0];
    c.add(Step::write(GICH_ALIAS + 0x200 * 1 + 0x100, 0x10000000u | 33, 4, "alias: CPU1 GICH_LR0"));
    c.add(Step::expect(GICH + 0x100, 0, ~0ull, 4, "CPU0's own GICH_LR0 untouched"));
    c.add(Step::expect(GICH_ALIAS + 0x200 * 1 + 0x100, 0x10000000u | 33, ~0ull, 4, "alias read back"));
    c.add(Step::write(GICH_ALIAS + 0x200 * 2, 0, 4, "alias of CPU2 (absent)")
              .expect_status(tlm::TLM_ADDRESS_ERROR_RESPONSE));
    sc_start(1, SC_US);
    g_fail += r.report();
    check(r.peek(GIC_FRAME_GICH, 1, 0x100) == (0x10000000u | 33), "kernel: CPU1's GICH_LR0 holds the value");
    check(r.peek(GIC_FRAME_GICH, 0, 0x100) == 0, "kernel: CPU0's GICH_LR0 is 0");
    return g_fail;
}

// ---------------------------------------------------------------- errors
// IEEE 1666-2011 14.17 (base protocol response status) and timing.md 4.1 (refused accesses change nothing).
// One long body on purpose: every refused access is followed by the same check that the protected state is
// unchanged, in one SystemC thread with the state set up once.
int errors(const std::string &what)
{
    enum gic_version v = what == "unmapped_v3" || what == "sysreg_undef" ? GIC_V3 : GIC_V2;
    Rig r("", config(v, 2), sc_time(1, SC_NS));
    Prober p("prober");
    p.socket.bind(r.bus->target);
    p.body = [&](Prober &pr) {
        sc_time d = SC_ZERO_TIME;
        // State to protect: SPI 40 enabled and pending (so an IAR would change it), priority set.
        pr.wr32(GICD + 0x000, 0x1, d);
        pr.wr32(GICC + 0x000, 0x1, d);
        pr.wr32(GICC + 0x004, 0xff, d);
        pr.wr32(GICD + 0x104, 1u << 8, d);
        pr.wr32(GICD + 0x420, 0x80808080u, d);
        if (v == GIC_V2) pr.wr32(GICD + 0x828, 0x01010101u, d); // ITARGETSR: SPIs 40-43 -> CPU0
        pr.wr32(GICD + 0x204, 1u << 8, d);
        wait(d + sc_time(50, SC_NS));
        d = SC_ZERO_TIME;
        const size_t ev0 = r.events.size();
        const uint32_t en0 = r.peek(GIC_FRAME_GICD, 0, 0x104), pr0 = r.peek(GIC_FRAME_GICD, 0, 0x420),
                       pe0 = r.peek(GIC_FRAME_GICD, 0, 0x204);
        uint8_t buf[16];
        std::memset(buf, 0xa5, sizeof buf);
        uint8_t zero[16] = {};
        auto st_is = [&](tlm::tlm_response_status got, tlm::tlm_response_status want, const std::string &s) {
            check(got == want, s + " -> " + pr.gp.get_response_string());
        };
        if (what == "size") {
            st_is(pr.go(tlm::TLM_WRITE_COMMAND, GICD + 0x180, 3, zero, d), tlm::TLM_BURST_ERROR_RESPONSE,
                  "3-byte GICD_ICENABLER write");
            st_is(pr.go(tlm::TLM_WRITE_COMMAND, GICD + 0x180, 16, zero, d), tlm::TLM_BURST_ERROR_RESPONSE,
                  "16-byte burst");
            st_is(pr.go(tlm::TLM_WRITE_COMMAND, GICD + 0x180, 2, zero, d), tlm::TLM_BURST_ERROR_RESPONSE,
                  "halfword GICD_ICENABLER1 (word only)");
            st_is(pr.go(tlm::TLM_WRITE_COMMAND, GICD + 0x180, 8, zero, d), tlm::TLM_BURST_ERROR_RESPONSE,
                  "64-bit access on GICv2");
            st_is(pr.go(tlm::TLM_READ_COMMAND, GICC + 0x00c, 2, buf, d), tlm::TLM_BURST_ERROR_RESPONSE,
                  "halfword GICC_IAR read");
        } else if (what == "alignment") {
            st_is(pr.go(tlm::TLM_WRITE_COMMAND, GICD + 0x186, 4, zero, d), tlm::TLM_ADDRESS_ERROR_RESPONSE,
                  "unaligned GICD_ICENABLER write");
            st_is(pr.go(tlm::TLM_READ_COMMAND, GICC + 0x00e, 4, buf, d), tlm::TLM_ADDRESS_ERROR_RESPONSE,
                  "unaligned GICC_IAR read");
        } else if (what == "unmapped" || what == "unmapped_v3") {
            st_is(pr.go(tlm::TLM_WRITE_COMMAND, 0x09000000, 4, zero, d), tlm::TLM_ADDRESS_ERROR_RESPONSE,
                  "no target at the address");
            if (v == GIC_V2) {
                pr.ext->cpu = 7;
                st_is(pr.go(tlm::TLM_READ_COMMAND, GICC + 0x00c, 4, buf, d), tlm::TLM_GENERIC_ERROR_RESPONSE,
                      "GICC_IAR from CPU 7 of 2");
                pr.ext->cpu = 0;
            }
        } else if (what == "byte_enable") {
            const uint8_t be[4] = { 0xff, 0x00, 0xff, 0xff };
            st_is(pr.go(tlm::TLM_WRITE_COMMAND, GICD + 0x180, 4, zero, d, be, 4), tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE,
                  "partial byte enables");
            st_is(pr.go(tlm::TLM_READ_COMMAND, GICC + 0x00c, 4, buf, d, be, 4), tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE,
                  "partial byte enables on GICC_IAR");
            const uint8_t all[1] = { 0xff };
            sc_time d2 = SC_ZERO_TIME;
            st_is(pr.go(tlm::TLM_READ_COMMAND, GICD + 0x104, 4, buf, d2, all, 1), tlm::TLM_OK_RESPONSE,
                  "all bytes enabled (pattern of 1)");
            check(d2 > SC_ZERO_TIME, "an accepted access takes time");
        } else if (what == "streaming") {
            st_is(pr.go(tlm::TLM_WRITE_COMMAND, GICD + 0x180, 4, zero, d, nullptr, 0, 2), tlm::TLM_BURST_ERROR_RESPONSE,
                  "streaming width 2 < length 4");
            sc_time d2 = SC_ZERO_TIME;
            st_is(pr.go(tlm::TLM_READ_COMMAND, GICD + 0x104, 4, buf, d2, nullptr, 0, 8), tlm::TLM_OK_RESPONSE,
                  "streaming width 8 >= length 4: no streaming");
        } else if (what == "ignore") {
            sc_time d2 = SC_ZERO_TIME;
            st_is(pr.go(tlm::TLM_IGNORE_COMMAND, GICC + 0x00c, 4, buf, d2), tlm::TLM_OK_RESPONSE,
                  "TLM_IGNORE_COMMAND on GICC_IAR");
            check(d2 == SC_ZERO_TIME, "an ignore command takes no time");
            st_is(pr.go(tlm::TLM_IGNORE_COMMAND, 0x09000000, 4, buf, d2), tlm::TLM_ADDRESS_ERROR_RESPONSE,
                  "ignore command to an unmapped address");
        } else if (what == "debug") {
            pr.gp.set_command(tlm::TLM_READ_COMMAND);
            pr.gp.set_address(GICC + 0x00c);
            pr.gp.set_data_ptr(buf);
            pr.gp.set_data_length(4);
            unsigned n = pr.socket->transport_dbg(pr.gp);
            uint32_t v32;
            std::memcpy(&v32, buf, 4);
            check(n == 4 && (v32 & 0x3ff) == 40,
                  "debug read of GICC_IAR shows 40 (got " + std::to_string(n) + " bytes, " + std::to_string(v32) + ")");
            pr.gp.set_address(GICD + 0x420);
            pr.gp.set_data_length(16);
            n = pr.socket->transport_dbg(pr.gp);
            check(n == 16 && buf[0] == 0x80 && buf[3] == 0x80 && buf[4] == 0,
                  "debug block read GICD_IPRIORITYR8-11 (16 bytes)");
            pr.gp.set_command(tlm::TLM_WRITE_COMMAND);
            pr.gp.set_address(GICD + 0x180);
            pr.gp.set_data_ptr(zero);
            pr.gp.set_data_length(4);
            std::memset(zero, 0xff, 4);
            check(pr.socket->transport_dbg(pr.gp) == 0, "debug write refused (0 bytes)");
            std::memset(zero, 0, 4);
            tlm::tlm_dmi dmi;
            check(!pr.socket->get_direct_mem_ptr(pr.gp, dmi), "no DMI");
        } else if (what == "sysreg_undef") {
            gicsim::Gic &g = *r.gic;
            uint64_t val = 0;
            sc_time d2 = SC_ZERO_TIME;
            check(g.sysreg(0, GIC_SYSREG_ENC(3, 0, 12, 15, 7), false, val, d2) == tlm::TLM_COMMAND_ERROR_RESPONSE,
                  "unimplemented ICC encoding: command error (UNDEFINED)");
            check(g.sysreg(0, ICC_SGI1R_EL1_ENC, false, val, d2) == tlm::TLM_COMMAND_ERROR_RESPONSE,
                  "MRS of write-only ICC_SGI1R_EL1");
            check(g.sysreg(5, ICC_PMR_EL1_ENC, false, val, d2) == tlm::TLM_GENERIC_ERROR_RESPONSE,
                  "CPU 5 of 2: generic error");
            st_is(pr.go(tlm::TLM_READ_COMMAND, GICC + 0x00c, 4, buf, d), tlm::TLM_ADDRESS_ERROR_RESPONSE,
                  "GICC frame on GICv3");
            st_is(pr.go(tlm::TLM_READ_COMMAND, GICR + 2 * gicsim::Gic::kRedistStride, 4, buf, d),
                  tlm::TLM_ADDRESS_ERROR_RESPONSE, "redistributor 2 of 2");
        }
        // Nothing changed: no state event since the snapshot, registers equal.
        bool state_event = false;
        for (size_t i = ev0; i < r.events.size(); i++)
            if (r.events[i].kind != GIC_TR_ACCESS) state_event = true;
        if (v == GIC_V2) {
            check(!state_event, "no state change traced");
            check(r.peek(GIC_FRAME_GICD, 0, 0x104) == en0 && r.peek(GIC_FRAME_GICD, 0, 0x420) == pr0 &&
                      r.peek(GIC_FRAME_GICD, 0, 0x204) == pe0,
                  "GICD_ISENABLER1, IPRIORITYR8, ISPENDR1 unchanged");
            check(std::memcmp(buf, "\xa5\xa5", 2) == 0 || what == "debug" || what == "byte_enable" ||
                      what == "streaming",
                  "read data of refused reads untouched");
        }
    };
    sc_start(5, SC_US);
    return g_fail;
}

// ---------------------------------------------------------------- timing
// timing.md 4.1 / 7: b_transport and sysreg() annotate (done - issue) * period: req+resp for
// reads and writes, req+ack for an acknowledge; back-to-back accesses do not overlap.
int timing_annotation()
{
    struct gic_config cfg = config(GIC_V2, 1);
    cfg.timing.req = 3;
    cfg.timing.resp = 2;
    cfg.timing.ack = 5;
    const sc_time P(2500, SC_PS);
    Rig r("", cfg, P);
    struct gic_config cfg3 = config(GIC_V3, 1);
    cfg3.timing = cfg.timing;
    Rig r3("v3_", cfg3, P);
    Prober p("prober");
    p.socket.bind(r.bus->target);
    p.body = [&](Prober &pr) {
        const sc_time wr_lat = P * double(cfg.timing.req + cfg.timing.resp),
                      ack_lat = P * double(cfg.timing.req + cfg.timing.ack);
        sc_time d = SC_ZERO_TIME;
        pr.wr32(GICD + 0x000, 1, d);
        check(d == wr_lat, "write GICD_CTLR: delay " + d.to_string() + " = (req+resp) * period");
        sc_time d0 = d;
        pr.wr32(GICC + 0x000, 1, d);
        check(d - d0 == wr_lat, "back-to-back write at the returned local time: same latency");
        d0 = d;
        pr.rd32(GICD + 0x104, d);
        check(d - d0 == wr_lat, "read GICD_ISENABLER1: (req+resp) * period");
        d0 = d;
        pr.rd32(GICC + 0x00c, d);
        check(d - d0 == ack_lat, "read GICC_IAR: (req+ack) * period = " + ack_lat.to_string());
        // A request between clock edges is registered by the next edge: issue = floor(t/P) + 1.
        wait(sc_time(100, SC_NS));
        sc_time odd(1, SC_NS);
        size_t ev0 = r.events.size();
        pr.wr32(GICD + 0x004, 0, odd);
        check(odd - sc_time(1, SC_NS) == wr_lat, "request at +1 ns: latency unchanged");
        uint64_t issue = (sc_time(101, SC_NS).value() / P.value()) + 1;
        check(r.events.size() > ev0 && r.events[ev0].kind == GIC_TR_ACCESS &&
                  r.events[ev0].cycle == issue + cfg.timing.req,
              "the kernel took the access at cycle floor(t/period)+1+req = " + std::to_string(issue + cfg.timing.req));
        // GICv3 system registers through the C++ interface.
        uint64_t val = 0xff;
        sc_time ds = SC_ZERO_TIME;
        r3.gic->sysreg(0, ICC_PMR_EL1_ENC, true, val, ds);
        check(ds == wr_lat, "msr ICC_PMR_EL1: (req+resp) * period");
        sc_time ds0 = ds;
        r3.gic->sysreg(0, ICC_IAR1_EL1_ENC, false, val, ds);
        check(ds - ds0 == ack_lat && (val & 0xffffff) == 1023, "mrs ICC_IAR1_EL1: (req+ack) * period, 1023");
    };
    sc_start(2, SC_US);
    return g_fail;
}

// docs/timing.md 1 (end of time): an access or line change annotated past the kernel's last cycle (GIC_CYCLE_LIMIT,
// 2^63) is refused (TLM_GENERIC_ERROR_RESPONSE, GIC_E_TIME) and changes nothing, instead of being applied at an earlier
// cycle with a wrapped delay; an annotation that would overflow SystemC's time counter likewise. The GIC still works.
int time_limit()
{
    struct gic_config cfg = config(GIC_V3, 1);
    Rig r("", cfg, sc_time(1, SC_PS));
    Prober p("prober");
    p.socket.bind(r.bus->target);
    p.body = [&](Prober &pr) {
        wait(sc_time(1, SC_NS)); // a time stamp above zero, so that stamp + annotation can overflow
        const uint64_t now0 = r.gic->now();
        size_t ev0 = r.events.size();
        sc_time far = sc_time::from_value(UINT64_C(1) << 63); // 1 ps cycles: cycle 2^63 + 1
        tlm::tlm_response_status st = pr.wr32(GICD + 0x000, 1, far);
        check(st == tlm::TLM_GENERIC_ERROR_RESPONSE, "write annotated past cycle 2^63: generic error response");
        sc_time wrap = sc_time::from_value(UINT64_MAX); // straight to the GIC (a bus would add its latency)
        uint64_t val = 0;
        check(r.gic->sysreg(0, ICC_PMR_EL1_ENC, false, val, wrap) == tlm::TLM_GENERIC_ERROR_RESPONSE,
              "mrs annotated past SystemC's 64-bit time: generic error response");
        sc_time far2 = sc_time::from_value(UINT64_C(1) << 63);
        check(r.gic->set_spi(40, true, far2) == GIC_E_TIME, "set_spi annotated past cycle 2^63: GIC_E_TIME");
        check(r.gic->now() == now0 && r.events.size() == ev0, "nothing ran and nothing changed");
        sc_time d = SC_ZERO_TIME;
        check(pr.wr32(GICD + 0x000, 1, d) == tlm::TLM_OK_RESPONSE, "an access now still works");
        check((pr.rd32(GICD + 0x000, d) & 1) == 1, "and reads back GICD_CTLR.EnableGrp0 = 1");
    };
    sc_start(1, SC_US);
    return g_fail;
}

// timing.md 7: outputs change at exactly cycle * period (ISPENDR->IRQ 9, IAR->IRQ drop 3,
// line->IRQ 9, GICH_LR->vIRQ 3 cycles), on the signal bound to the port.
int timing_output_edges()
{
    const sc_time P(2, SC_NS);
    const uint32_t SPI = 45;
    Rig r("", config(GIC_V2, 1), P, false, { SPI });
    EdgeRecorder &irq = r.record(GIC_OUT_IRQ, 0), &virq = r.record(GIC_OUT_VIRQ, 0);
    LineDevice *dev = r.devices[0].get();
    Prober p("prober");
    p.socket.bind(r.bus->target);
    const struct gic_timing &t = r.gic->config().timing;
    std::vector<std::pair<sc_time, bool>> want_irq, want_virq;
    auto at = [&](uint64_t cycle) { return P * double(cycle); };
    p.body = [&](Prober &pr) {
        sc_time d = SC_ZERO_TIME;
        pr.wr32(GICD + 0x000, 1, d);
        pr.wr32(GICC + 0x000, 1, d);
        pr.wr32(GICC + 0x004, 0xff, d);
        pr.wr32(GICD + 0x104, 1u << (SPI - 32), d);
        pr.wr32(GICH + 0x000, 1, d);
        pr.wr32(GICV + 0x000, 1, d);
        pr.wr32(GICV + 0x004, 0xf8, d);
        wait(sc_time(100, SC_NS)); // cycle 50: on an edge
        uint64_t c = r.gic->cycle_at(SC_ZERO_TIME);
        check(c == 51, "a request at an edge (100 ns) is registered by the next one (cycle 51)");
        d = SC_ZERO_TIME;
        pr.wr32(GICD + 0x204, 1u << (SPI - 32), d); // ISPENDR
        want_irq.emplace_back(at(c + t.req + t.prio + t.deliver + t.out), true);
        wait(sc_time(200, SC_NS)); // 300 ns
        c = r.gic->cycle_at(SC_ZERO_TIME);
        d = SC_ZERO_TIME;
        uint32_t id = pr.rd32(GICC + 0x00c, d);
        check(id == SPI, "IAR = 45");
        want_irq.emplace_back(at(c + t.req + t.out), false);
        wait(d + sc_time(40, SC_NS)); // past the withdrawn offer (an earlier EOIR would re-signal it briefly)
        d = SC_ZERO_TIME;
        pr.wr32(GICC + 0x010, id, d);
        wait(sc_time(101, SC_NS) - d); // off an edge
        c = r.gic->cycle_at(SC_ZERO_TIME);
        dev->set(true);
        want_irq.emplace_back(at(c + t.line + t.prio + t.deliver + t.out), true);
        wait(sc_time(200, SC_NS));
        c = r.gic->cycle_at(SC_ZERO_TIME);
        d = SC_ZERO_TIME;
        pr.wr32(GICH + 0x100, 0x10000000u | (0x10u << 23) | 60, d); // pending vINTID 60
        want_virq.emplace_back(at(c + t.req + t.out), true);
        wait(sc_time(200, SC_NS));
    };
    sc_start(2, SC_US);
    auto same = [](const std::vector<std::pair<sc_time, bool>> &a, const std::vector<std::pair<sc_time, bool>> &b) {
        if (a.size() != b.size()) return false;
        for (size_t i = 0; i < a.size(); i++)
            if (a[i] != b[i]) return false;
        return true;
    };
    for (size_t i = 0; i < want_irq.size(); i++)
        std::printf("  IRQ want %s %d, got %s\n", want_irq[i].first.to_string().c_str(), want_irq[i].second,
                    i < irq.edges.size() ? irq.edges[i].first.to_string().c_str() : "-");
    check(same(irq.edges, want_irq), "IRQ edges at cycle * period (ISPENDR +9, IAR +3, line +9)");
    check(same(virq.edges, want_virq), "vIRQ edge at GICH_LR write + req + out");
    return g_fail;
}

// timing.md 3 (the trace does not depend on how time is stepped) with TLM-2.0 temporal
// decoupling (IEEE 1666-2011 12): the same script with and without a quantum keeper gives the
// same kernel trace, the same step times and the same output edges.
// Quantum q; 0: the keeper synchronises on every access (docs/tlm.md, "Quantum 0").
int quantum_equivalence(enum gic_version v, sc_time q)
{
    tlm_utils::tlm_quantumkeeper::set_global_quantum(q);
    const sc_time P(1, SC_NS);
    const uint32_t SPI = 50;
    Rig a("a_", config(v, 1, 32), P, false, { SPI }), b("b_", config(v, 1, 32), P, true, { SPI });
    EdgeRecorder &ea = a.record(GIC_OUT_IRQ, 0), &eb = b.record(GIC_OUT_IRQ, 0);
    for (Rig *r : { &a, &b }) {
        auto &c = *r->cpus[0];
        LineDevice *dev = r->devices[0].get();
        c.add(cpu_setup(v, 0));
        c.add(Step::write(GICD + 0x000, v == GIC_V3 ? 0x12 : 0x1, 4, "GICD_CTLR"));
        if (v == GIC_V3) c.add(Step::write(GICD + 0x084, 0xffffffffu, 4, "GICD_IGROUPR1"));
        for (unsigned i = 0; i < 200; i++) // many quanta worth of register traffic
            c.add(Step::write(GICD + 0x420 + 4 * (i % 8), 0x10101010u * (i % 15), 4, "IPRIORITYR"));
        c.add(Step::write(GICD + 0x104, 1u << (SPI - 32) | 1u << 1, 4, "GICD_ISENABLER1"));
        for (unsigned k = 0; k < 3; k++) {
            c.add(Step::write(GICD + 0x204, 1u << 1, 4, "GICD_ISPENDR1: SPI 33"));
            c.add(Step::wait_output(GIC_OUT_IRQ, true, 1000, "IRQ"));
            if (v == GIC_V3) {
                c.add(Step::mrs(ICC_IAR1_EL1_ENC, false, "IAR1"));
                c.add(Step::msr_prev(ICC_EOIR1_EL1_ENC, false, "EOIR1"));
            } else {
                c.add(Step::read(GICC + 0x00c, 4, "IAR"));
                c.add(Step::write_prev(GICC + 0x010, 4, "EOIR"));
            }
            c.add(Step::wait_cycles(7 + k));
        }
        c.add(Step::call([dev](gicsim::ScriptedCpu &, sc_time &local) { dev->set(true, local + sc_time(30, SC_NS)); },
                         "device raises SPI 50 in 30 ns"));
        c.add(Step::wait_output(GIC_OUT_IRQ, true, 1000, "IRQ (device)"));
        if (v == GIC_V3) c.add(Step::expect_mrs(ICC_IAR1_EL1_ENC, SPI, 0xffffff, false, "IAR1 = 50"));
        else c.add(Step::expect(GICC + 0x00c, SPI, 0x3ff, 4, "IAR = 50"));
        c.add(Step::call([dev](gicsim::ScriptedCpu &, sc_time &local) { dev->set(false, local); }, "device drops"));
        // The line changes through a signal, at SystemC time: let it reach the GIC before the
        // next access (a decoupled CPU would otherwise run the kernel past it; docs/tlm.md).
        c.add(Step::wait_cycles(2));
        c.add(Step::sync());
        if (v == GIC_V3) c.add(Step::msr_prev(ICC_EOIR1_EL1_ENC, false, "EOIR1"));
        else c.add(Step::write_prev(GICC + 0x010, 4, "EOIR"));
        for (unsigned i = 0; i < 50; i++) c.add(Step::read(GICD + 0x420 + 4 * (i % 8), 4, "IPRIORITYR read"));
        c.add(Step::wait_output(GIC_OUT_IRQ, false, 1000, "IRQ low"));
    }
    sc_start(50, SC_US);
    g_fail += a.report() + b.report();
    check(a.cpus[0]->finished() && b.cpus[0]->finished(), "both scripts finished");
    check(a.trace == b.trace, "identical kernel traces (" + std::to_string(a.trace.size()) + " events)");
    for (size_t i = 0; i < a.trace.size() && i < b.trace.size(); i++)
        if (a.trace[i] != b.trace[i]) {
            std::printf("  first difference at event %zu:\n    %s\n    %s\n", i, a.trace[i].c_str(),
                        b.trace[i].c_str());
            break;
        }
    bool times = a.cpus[0]->results().size() == b.cpus[0]->results().size();
    for (size_t i = 0; times && i < a.cpus[0]->results().size(); i++)
        times = a.cpus[0]->results()[i].start == b.cpus[0]->results()[i].start &&
                a.cpus[0]->results()[i].end == b.cpus[0]->results()[i].end;
    check(times, "identical step start/end times");
    check(ea.edges == eb.edges && !ea.edges.empty(), "identical IRQ edges on the signals");
    check(a.gic->late_inputs() == 0 && b.gic->late_inputs() == 0, "no input arrived after the kernel passed its cycle");
    return g_fail;
}

// IHI0069H 12.11 (GICR_ISENABLER0, PPIs): a PPI line through the ppi[] port reaches only its CPU.
int ppi_line()
{
    const unsigned PPI = 23;
    Rig r("", config(GIC_V3, 2), sc_time(1, SC_NS));
    LineDevice dev("ppi_dev");
    sc_signal<bool> w("ppi_wire");
    dev.line.bind(w);
    r.gic->ppi[1 * 16 + (PPI - 16)].bind(w);
    EdgeRecorder &irq0 = r.record(GIC_OUT_IRQ, 0);
    for (unsigned c = 0; c < 2; c++) {
        r.cpus[c]->add(cpu_setup(GIC_V3, c));
        r.cpus[c]->add(Step::write(GICR + gicsim::Gic::kRedistStride * c + SGI_BASE + 0x100, 1u << PPI, 4,
                                   "GICR_ISENABLER0: PPI 23"));
    }
    r.cpus[1]->add(
        Step::call([&dev](gicsim::ScriptedCpu &, sc_time &local) { dev.set(true, local + sc_time(50, SC_NS)); },
                   "PPI 23 of CPU1 rises in 50 ns"));
    r.cpus[1]->add(Step::wait_output(GIC_OUT_IRQ, true, 1000, "IRQ"));
    r.cpus[1]->add(Step::expect_mrs(ICC_IAR1_EL1_ENC, PPI, 0xffffff, false, "IAR1 = 23"));
    r.cpus[1]->add(Step::call([&dev](gicsim::ScriptedCpu &, sc_time &local) { dev.set(false, local); }, "PPI drops"));
    r.cpus[1]->add(Step::wait_cycles(2));
    r.cpus[1]->add(Step::sync());
    r.cpus[1]->add(Step::msr_prev(ICC_EOIR1_EL1_ENC, false, "EOIR1"));
    r.cpus[0]->add(Step::wait_cycles(400));
    r.cpus[0]->add(Step::expect_mrs(ICC_IAR1_EL1_ENC, 1023, 0xffffff, false, "CPU0: IAR1 = 1023"));
    sc_start(5, SC_US);
    g_fail += r.report();
    check(irq0.edges.empty(), "CPU0's IRQ never asserted");
    check(r.gic->late_inputs() == 0, "no late input");
    return g_fail;
}

// Bad configuration: a clear SystemC error, no crash, nothing half-built.
int bad_config()
{
    struct gic_config c = config(GIC_V2, 9); // GICv2 has at most 8 CPUs
    bool reported = false;
    try {
        gicsim::Gic g("bad", c);
    } catch (const sc_report &e) {
        reported = std::string(e.what()).find("invalid GIC configuration") != std::string::npos;
        std::printf("  reported: %s\n", e.what());
    }
    check(reported, "GICv2 with 9 CPUs: SC_REPORT_ERROR 'invalid GIC configuration'");
    reported = false;
    try {
        gicsim::Gic g("bad_period", config(GIC_V3, 1), SC_ZERO_TIME);
    } catch (const sc_report &e) {
        reported = std::string(e.what()).find("period") != std::string::npos;
    }
    check(reported, "zero clock period: SC_REPORT_ERROR");
    return g_fail;
}

} // namespace

int sc_main(int argc, char *argv[])
{
    sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
    const std::map<std::string, std::function<int()>> scenarios = {
        { "ipi_icc_sgi1r", ipi_icc_sgi1r },
        { "ipi_gicd_sgir", ipi_gicd_sgir },
        { "spi_irouter", [] { return spi_routed(GIC_V3); } },
        { "spi_itargetsr", [] { return spi_routed(GIC_V2); } },
        { "hw_deact_v2", [] { return hw_deactivation(GIC_V2); } },
        { "hw_deact_v3", [] { return hw_deactivation(GIC_V3); } },
        { "gich_alias", gich_alias },
        { "ppi_line", ppi_line },
        { "bad_config", bad_config },
        { "errors_size", [] { return errors("size"); } },
        { "errors_alignment", [] { return errors("alignment"); } },
        { "errors_unmapped", [] { return errors("unmapped"); } },
        { "errors_byte_enable", [] { return errors("byte_enable"); } },
        { "errors_streaming", [] { return errors("streaming"); } },
        { "errors_ignore", [] { return errors("ignore"); } },
        { "errors_debug", [] { return errors("debug"); } },
        { "errors_sysreg_v3", [] { return errors("sysreg_undef"); } },
        { "timing_annotation", timing_annotation },
        { "timing_output_edges", timing_output_edges },
        { "time_limit", time_limit },
        { "quantum_equivalence_v2", [] { return quantum_equivalence(GIC_V2, sc_time(200, SC_NS)); } },
        { "quantum_equivalence_v3", [] { return quantum_equivalence(GIC_V3, sc_time(200, SC_NS)); } },
        { "quantum_zero_v2", [] { return quantum_equivalence(GIC_V2, SC_ZERO_TIME); } },
        { "quantum_zero_v3", [] { return quantum_equivalence(GIC_V3, SC_ZERO_TIME); } },
    };
    if (argc == 3 && (std::string(argv[2]) == "rtl" || std::string(argv[2]) == "c")) rig_model() = argv[2];
    if ((argc != 2 && argc != 3) || !scenarios.count(argv[1]) || (argc == 3 && rig_model() != argv[2])) {
        std::fprintf(stderr, "usage: %s SCENARIO [c|rtl]\nscenarios:", argv[0]);
        for (const auto &s : scenarios) std::fprintf(stderr, " %s", s.first.c_str());
        std::fprintf(stderr, "\n");
        return 2;
    }
    std::printf("scenario %s (model %s)\n", argv[1], rig_model().c_str());
    int f = scenarios.at(argv[1])();
    std::printf("%s: %s\n", argv[1], f ? "FAILED" : "passed");
    return f ? 1 : 0;
}
