// tlm_lpi.cpp: SystemC/TLM scenarios of gicsim::Gic's memory socket, ITS sockets and DeviceID extension (LPIs through
// the ITS end to end, with and without DMI, memory errors, an unbound memory socket, DMI invalidation, a memory target
// that waits), one per process (argv[1] names it), each after the rule it checks.
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <tlm_utils/simple_target_socket.h>

#include "gicsim/gic_regs.h"
#include "gicsim/gic_tlm.h"
#include "gicsim/scripted_cpu.h"
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

using namespace sc_core;
using gicsim::Step;

namespace {

int g_fail = 0;

void check(bool ok, const std::string &what)
{
    std::printf("  check: %-78s %s\n", what.c_str(), ok ? "ok" : "FAILED");
    if (!ok) g_fail++;
}

// QEMU virt's map for the GIC (hw/arm/virt.c: GICD, ITS control and translation frames, GICR) and its RAM.
constexpr uint64_t GICD = 0x08000000, ITS = 0x08080000, ITS_TR = ITS + 0x10000, GICR = 0x080A0000;
constexpr uint64_t SGI_BASE = 0x10000;
constexpr uint64_t RAM = 0x40000000, RAM_SIZE = 0x50000;
// The tables in RAM: LPI configuration (4 KiB aligned) and pending (64 KiB aligned) tables, the ITS's device and
// collection tables (one 64 KiB page each), its command queue (one 4 KiB page) and one interrupt translation table.
constexpr uint64_t PROP = RAM, PEND = RAM + 0x10000, DEV_TABLE = RAM + 0x20000, COLL_TABLE = RAM + 0x30000,
                   CMDQ = RAM + 0x40000, ITT = RAM + 0x41000;
constexpr uint32_t LPI_FIRST = 8192;
constexpr uint64_t GITS_TRANSLATER = 0x40;

// ---------------------------------------------------------------- memory
// An LT memory of RAM_SIZE bytes at RAM. Port `gic` (bound to the GIC's memory socket) takes absolute addresses;
// port `cpu` (behind the router) takes offsets. For the GIC's port: grants DMI as configured, answers
// TLM_ADDRESS_ERROR_RESPONSE in [err_lo, err_hi), annotates `latency`, and counts what it serves.
struct MemTarget : sc_module {
    enum class Dmi { None, ReadWrite, ReadOnly };
    enum class Wait { Never, Always, InMethod }; // wait() inside b_transport (the GIC's rules forbid it)
    tlm_utils::simple_target_socket_tagged<MemTarget, 64> gic, cpu;
    Dmi dmi = Dmi::ReadWrite;
    Wait wait_mode = Wait::Never;
    uint64_t err_lo = 0, err_hi = 0;
    sc_time latency = sc_time(10, SC_NS);
    unsigned transports = 0, debug_reads = 0, dmi_grants = 0, errors = 0; // on the GIC's port
    std::vector<uint8_t> ram = std::vector<uint8_t>(RAM_SIZE, 0);

    explicit MemTarget(sc_module_name n) : sc_module(n), gic("gic"), cpu("cpu")
    {
        gic.register_b_transport(this, &MemTarget::b_transport, 0);
        cpu.register_b_transport(this, &MemTarget::b_transport, 1);
        gic.register_transport_dbg(this, &MemTarget::transport_dbg, 0);
        cpu.register_transport_dbg(this, &MemTarget::transport_dbg, 1);
        gic.register_get_direct_mem_ptr(this, &MemTarget::get_direct_mem_ptr, 0);
    }
    uint8_t byte(uint64_t addr) const { return ram.at(addr - RAM); }
    void invalidate_all() { gic->invalidate_direct_mem_ptr(0, ~0ull); }

private:
    // The offset in `ram` of [addr, addr + len) on port id, or false outside.
    static bool locate(int id, uint64_t addr, uint64_t len, uint64_t &off)
    {
        off = id == 0 ? addr - RAM : addr;
        return (id != 0 || addr >= RAM) && off <= RAM_SIZE && len <= RAM_SIZE - off;
    }
    void maybe_wait()
    {
        bool in_method = sc_get_current_process_handle().proc_kind() == SC_METHOD_PROC_;
        if (wait_mode == Wait::Always || (wait_mode == Wait::InMethod && in_method)) wait(latency);
    }
    void b_transport(int id, tlm::tlm_generic_payload &gp, sc_time &delay)
    {
        const uint64_t addr = gp.get_address(), len = gp.get_data_length();
        const bool write = gp.get_command() == tlm::TLM_WRITE_COMMAND;
        uint64_t off;
        if (id == 0) transports++;
        if (id == 0) maybe_wait();
        if (!locate(id, addr, len, off) || (id == 0 && addr < err_hi && addr + len > err_lo) ||
            gp.get_byte_enable_ptr() || gp.get_streaming_width() != len) {
            if (id == 0) errors++;
            gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        if (write) std::memcpy(&ram[off], gp.get_data_ptr(), len);
        else std::memcpy(gp.get_data_ptr(), &ram[off], len);
        delay += latency;
        gp.set_dmi_allowed(id == 0 && (dmi == Dmi::ReadWrite || (dmi == Dmi::ReadOnly && !write)));
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    unsigned transport_dbg(int id, tlm::tlm_generic_payload &gp)
    {
        uint64_t off;
        if (!locate(id, gp.get_address(), gp.get_data_length(), off)) return 0;
        if (id == 0) debug_reads++;
        if (gp.get_command() == tlm::TLM_WRITE_COMMAND) std::memcpy(&ram[off], gp.get_data_ptr(), gp.get_data_length());
        else std::memcpy(gp.get_data_ptr(), &ram[off], gp.get_data_length());
        return gp.get_data_length();
    }
    bool get_direct_mem_ptr(int, tlm::tlm_generic_payload &, tlm::tlm_dmi &d)
    {
        d.set_start_address(RAM);
        d.set_end_address(RAM + RAM_SIZE - 1);
        if (dmi == Dmi::None) {
            d.allow_none();
            return false;
        }
        d.set_dmi_ptr(ram.data());
        if (dmi == Dmi::ReadWrite) d.allow_read_write();
        else d.allow_read();
        d.set_read_latency(latency);
        d.set_write_latency(latency);
        dmi_grants++;
        return true;
    }
};

// A PCIe-like device that signals MSIs: a write of the EventID to GITS_TRANSLATER, with its DeviceID in a
// gicsim::DeviceIdExtension (devid < 0: no extension).
struct MsiDevice : sc_module {
    tlm_utils::simple_initiator_socket<MsiDevice, 64> socket;
    explicit MsiDevice(sc_module_name n) : sc_module(n), socket("socket") {}
    tlm::tlm_response_status msi(uint32_t eventid, int64_t devid, sc_time &local)
    {
        tlm::tlm_generic_payload gp;
        gicsim::DeviceIdExtension ext(static_cast<uint32_t>(devid));
        if (devid >= 0) gp.set_extension(&ext);
        uint8_t data[4];
        std::memcpy(data, &eventid, 4);
        gp.set_command(tlm::TLM_WRITE_COMMAND);
        gp.set_address(ITS_TR + GITS_TRANSLATER);
        gp.set_data_ptr(data);
        gp.set_data_length(4);
        gp.set_streaming_width(4);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        socket->b_transport(gp, local);
        gp.clear_extension(&ext); // the payload must not free it
        return gp.get_response_status();
    }
};

// SystemC switches to its threads' stacks without telling AddressSanitizer, which then cannot clean up the frames an
// exception unwinds ("ASan is ignoring requested __asan_handle_no_return"): their stale redzones on the main stack
// would be reported as soon as it is used again. After catching an exception out of sc_start, clear them.
__attribute__((noinline)) void after_exception_out_of_sc_start()
{
#if defined(__SANITIZE_ADDRESS__)
    char here;
    const size_t below = 512 * 1024;
    ASAN_UNPOISON_MEMORY_REGION(&here - below, below);
#endif
}

// ---------------------------------------------------------------- platform
// One GIC (one CPU), its memory (bound to the memory socket unless `bind_mem` is false; always reachable by the CPU),
// a router with the virt map, a scripted CPU with IRQ wired and an MSI device. Every trace event is kept.
struct LpiRig {
    std::unique_ptr<gicsim::Gic> gic;
    std::unique_ptr<gicsim::Router> bus;
    std::unique_ptr<MemTarget> mem;
    std::unique_ptr<MsiDevice> dev;
    std::unique_ptr<gicsim::ScriptedCpu> cpu;
    std::unique_ptr<sc_signal<bool>> irq;
    std::vector<std::string> trace;
    std::vector<struct gic_trace_event> events;

    LpiRig(const std::string &p, const struct gic_config &cfg, bool bind_mem = true)
    {
        const sc_time period(1, SC_NS);
        gic.reset(new gicsim::Gic((p + "gic").c_str(), cfg, period));
        bus.reset(new gicsim::Router((p + "bus").c_str()));
        mem.reset(new MemTarget((p + "mem").c_str()));
        dev.reset(new MsiDevice((p + "msi_dev").c_str()));
        cpu.reset(new gicsim::ScriptedCpu((p + "cpu").c_str(), 0, period, gic.get()));
        irq.reset(new sc_signal<bool>((p + "irq").c_str()));
        gic->set_trace(&LpiRig::on_trace, this);
        if (bind_mem) gic->mem.bind(mem->gic);
        else unused_initiator(p).bind(mem->gic);
        bus->initiator.bind(gic->gicd);
        bus->initiator.bind(gic->gicr);
        bus->initiator.bind(gic->gits);
        bus->initiator.bind(gic->gits_tr);
        bus->initiator.bind(mem->cpu);
        bus->map(GICD, gicsim::Gic::kFrameSize, 0);
        bus->map(GICR, gicsim::Gic::kRedistStride * cfg.num_cpus, 1);
        bus->map(ITS, gicsim::Gic::kFrameSize, 2);
        bus->map(ITS_TR, gicsim::Gic::kFrameSize, 3);
        bus->map(RAM, RAM_SIZE, 4);
        cpu->socket.bind(bus->target);
        dev->socket.bind(bus->target);
        gic->irq[0].bind(*irq);
        cpu->irq.bind(*irq);
    }
    unsigned count(unsigned kind, uint32_t intid, uint64_t value, uint64_t aux) const
    {
        unsigned n = 0;
        for (const auto &e : events) n += e.kind == kind && e.intid == intid && e.value == value && e.aux == aux;
        return n;
    }
    unsigned mem_events(bool error) const
    {
        unsigned n = 0;
        for (const auto &e : events) n += e.kind == GIC_TR_MEM && ((e.aux >> 17) & 1) == error;
        return n;
    }
    uint64_t peek(enum gic_frame f, uint32_t off, unsigned size = 8)
    {
        uint64_t v = 0;
        gic->peek(f, 0, off, size, v);
        return v;
    }

private:
    // A target socket must be bound: the memory's GIC port gets an initiator nobody uses.
    struct Idle : sc_module {
        tlm_utils::simple_initiator_socket<Idle, 64> socket;
        explicit Idle(sc_module_name n) : sc_module(n), socket("socket") {}
    };
    std::unique_ptr<Idle> idle_;
    tlm_utils::simple_initiator_socket<Idle, 64> &unused_initiator(const std::string &p)
    {
        idle_.reset(new Idle((p + "idle").c_str()));
        return idle_->socket;
    }
    static void on_trace(void *ctx, const struct gic_trace_event *ev)
    {
        LpiRig *r = static_cast<LpiRig *>(ctx);
        char buf[200];
        gic_trace_format(ev, buf, sizeof buf);
        r->trace.emplace_back(buf);
        r->events.push_back(*ev);
    }
};

// ---------------------------------------------------------------- scripts
// CPU 0 takes Group 1 interrupts (LPIs are Group 1): redistributor awake, PMR open, Group 1 enabled, GICD_CTLR
// ARE|EnableGrp1.
std::vector<Step> cpu_setup()
{
    return { Step::write(GICR + 0x14, 0, 4, "GICR_WAKER.ProcessorSleep = 0"),
             Step::msr(ICC_PMR_EL1_ENC, 0xff, false, "ICC_PMR_EL1"),
             Step::msr(ICC_IGRPEN1_EL1_ENC, 1, false, "ICC_IGRPEN1_EL1"),
             Step::write(GICD + 0x000, 0x12, 4, "GICD_CTLR = ARE|EnableGrp1") };
}

// The LPI's configuration byte (priority 0xa0, enabled), the redistributor's tables, EnableLPIs.
std::vector<Step> lpi_setup(uint32_t lpi)
{
    return { Step::write(PROP + (lpi - LPI_FIRST), 0xa1, 1, "LPI config byte: priority 0xa0, enabled"),
             Step::write(GICR + 0x70, PROP | 15, 8, "GICR_PROPBASER: PA, IDbits 15"),
             Step::write(GICR + 0x78, PEND, 8, "GICR_PENDBASER: PA"),
             Step::write(GICR + 0x00, 1, 4, "GICR_CTLR.EnableLPIs") };
}

// The ITS's device and collection tables (64 KiB pages, one each), its command queue (one 4 KiB page), enabled.
std::vector<Step> its_setup()
{
    const uint64_t valid = 1ull << 63, page64k = 2ull << 8;
    return { Step::write(ITS + 0x100, valid | page64k | DEV_TABLE, 8, "GITS_BASER0: device table"),
             Step::write(ITS + 0x108, valid | page64k | COLL_TABLE, 8, "GITS_BASER1: collection table"),
             Step::write(ITS + 0x080, valid | CMDQ, 8, "GITS_CBASER"),
             Step::write(ITS + 0x000, 1, 4, "GITS_CTLR.Enabled") };
}

// One 32-byte command at queue slot `slot` (IHI0069H 5.3), written by the CPU as four doublewords.
void command(std::vector<Step> &s, unsigned slot, const uint64_t (&dw)[4], const std::string &what)
{
    for (unsigned i = 0; i < 4; i++)
        s.push_back(Step::write(CMDQ + slot * 32u + i * 8u, dw[i], 8, what + " dw" + std::to_string(i)));
}

// MAPD (DeviceID -> ITT, 5 EventID bits), MAPC (collection 0 -> CPU 0), MAPTI (DeviceID, EventID -> LPI,
// collection 0), SYNC, from queue slot `first`; then GITS_CWRITER and (after the queue has run) GITS_CREADR.
std::vector<Step> map_event(unsigned first, uint32_t devid, uint32_t eventid, uint32_t lpi, bool check = true)
{
    std::vector<Step> s;
    const uint64_t valid = 1ull << 63, icid = 0, target = 0; // collection 0 on processor 0 (GITS_TYPER.PTA = 0)
    command(s, first, { 0x08 | (uint64_t)devid << 32, 4, valid | ITT, 0 }, "MAPD");
    command(s, first + 1, { 0x09, 0, valid | target << 16 | icid, 0 }, "MAPC");
    command(s, first + 2, { 0x0a | (uint64_t)devid << 32, eventid | (uint64_t)lpi << 32, icid, 0 }, "MAPTI");
    command(s, first + 3, { 0x05, 0, target << 16, 0 }, "SYNC");
    const uint64_t end = (first + 4) * 32ull;
    s.push_back(Step::write(ITS + 0x088, end, 8, "GITS_CWRITER"));
    s.push_back(Step::wait_cycles(5000, "the ITS works through the queue"));
    if (check) s.push_back(Step::expect(ITS + 0x090, end, ~0ull, 8, "GITS_CREADR: all commands done"));
    return s;
}

Step msi(LpiRig &r, uint32_t eventid, int64_t devid, tlm::tlm_response_status want = tlm::TLM_OK_RESPONSE)
{
    MsiDevice *d = r.dev.get();
    return Step::call(
        [d, eventid, devid, want](gicsim::ScriptedCpu &, sc_time &local) {
            tlm::tlm_response_status st = d->msi(eventid, devid, local);
            check(st == want, "MSI (DeviceID " + (devid < 0 ? std::string("none") : std::to_string(devid)) +
                                  ", EventID " + std::to_string(eventid) + "): response " +
                                  std::to_string(static_cast<int>(st)));
        },
        "MSI");
}

// The LPI is signalled, acknowledged (ICC_IAR1_EL1 = its INTID) and EOIed; nothing else is left.
std::vector<Step> take_lpi(uint32_t lpi)
{
    return { Step::wait_output(GIC_OUT_IRQ, true, 3000, "IRQ"),
             Step::expect_mrs(ICC_IAR1_EL1_ENC, lpi, 0xffffff, false, "ICC_IAR1_EL1 = the LPI"),
             Step::msr_prev(ICC_EOIR1_EL1_ENC, false, "ICC_EOIR1_EL1"), Step::wait_cycles(40, "exception return"),
             Step::expect_mrs(ICC_IAR1_EL1_ENC, 1023, 0xffffff, false, "ICC_IAR1_EL1 = 1023 (taken once)") };
}

struct gic_config v3_config()
{
    struct gic_config c;
    gic_config_default(&c, GIC_V3);
    c.num_cpus = 1;
    c.num_spis = 32;
    return c;
}

uint64_t translation(uint32_t devid, uint32_t eventid) { return (uint64_t)devid << 32 | eventid; }

// The whole path, MSI to acknowledge: setup, tables, commands, MSI of (devid, eventid) -> lpi.
void msi_script(LpiRig &r, uint32_t devid, uint32_t eventid, uint32_t lpi)
{
    r.cpu->add(cpu_setup());
    r.cpu->add(lpi_setup(lpi));
    r.cpu->add(its_setup());
    r.cpu->add(map_event(0, devid, eventid, lpi));
    r.cpu->add(msi(r, eventid, devid));
    r.cpu->add(take_lpi(lpi));
}

// ---------------------------------------------------------------- scenarios
// IHI0069H 5.2: an MSI (GITS_TRANSLATER with a DeviceID) becomes the LPI the ITS maps it to, with the tables read
// through the memory socket: the same LPI at the same cycles whether the target grants DMI (read/write or read-only)
// or not. The target's annotated delays are summed in mem_stats(), not added to the GIC's timing.
int msi_dmi()
{
    const uint32_t DEV = 0x1234, EV = 5, LPI = 8192;
    const char *names[3] = { "dmi_rw", "dmi_ro", "no_dmi" };
    const MemTarget::Dmi modes[3] = { MemTarget::Dmi::ReadWrite, MemTarget::Dmi::ReadOnly, MemTarget::Dmi::None };
    std::vector<std::unique_ptr<LpiRig>> rigs;
    for (unsigned i = 0; i < 3; i++) {
        rigs.emplace_back(new LpiRig(std::string(names[i]) + "_", v3_config()));
        rigs.back()->mem->dmi = modes[i];
        msi_script(*rigs.back(), DEV, EV, LPI);
    }
    sc_start(40, SC_US);
    for (unsigned i = 0; i < 3; i++) {
        LpiRig &r = *rigs[i];
        const gicsim::MemStats &m = r.gic->mem_stats();
        const std::string n = names[i];
        g_fail += r.cpu->report();
        check(r.count(GIC_TR_ACK, LPI, 0xa0, 0) == 1, n + ": LPI 8192 acknowledged once at priority 0xa0");
        check(r.count(GIC_TR_ITS, 0x100, translation(DEV, EV), GIC_ITS_OK) == 1,
              n + ": one translation of (DeviceID 0x1234, EventID 5)");
        check(r.mem_events(false) > 100 && r.mem_events(true) == 0, n + ": memory accesses traced, no bus error");
        check(m.reads + m.writes == r.mem_events(false) && m.errors == 0,
              n + ": every kernel access went to the socket");
        check(r.mem->byte(PEND + LPI / 8) == 0, n + ": pending table bit of 8192 clear again");
        check(m.target_delay == r.mem->latency * static_cast<double>(m.reads + m.writes),
              n + ": annotated delay summed (10 ns per access)");
        check(m.peeks == r.mem->debug_reads && m.peeks > 0, n + ": stale checks peek through transport_dbg");
        std::printf("  %s: %" PRIu64 " reads (%" PRIu64 " DMI), %" PRIu64 " writes (%" PRIu64 " DMI), %u b_transport, "
                    "%" PRIu64 " DMI grants\n",
                    n.c_str(), m.reads, m.dmi_reads, m.writes, m.dmi_writes, r.mem->transports, m.dmi_grants);
    }
    const gicsim::MemStats &rw = rigs[0]->gic->mem_stats(), &ro = rigs[1]->gic->mem_stats(),
                           &no = rigs[2]->gic->mem_stats();
    check(rigs[0]->mem->transports == 1 && rw.dmi_grants == 1 &&
              rw.dmi_reads + rw.dmi_writes + 1 == rw.reads + rw.writes,
          "read/write DMI: one b_transport, then every access through the pointer");
    check(ro.dmi_writes == 0 && ro.dmi_reads + 1 == ro.reads && rigs[1]->mem->transports == ro.writes + 1,
          "read-only DMI: reads through the pointer, every write through b_transport");
    check(no.dmi_reads + no.dmi_writes == 0 && rigs[2]->mem->transports == no.reads + no.writes,
          "no DMI: every access through b_transport");
    check(rigs[0]->trace == rigs[1]->trace && rigs[0]->trace == rigs[2]->trace,
          "the same trace (cycles, accesses, LPI) on all three");
    return g_fail;
}

// IHI0069H 12.19 GITS_CREADR: a bus error on the command queue stalls the ITS (Stalled = 1, the offset stays at the
// command); nothing crashes; GITS_CWRITER.Retry resumes it once memory answers again.
int cmdq_error()
{
    const uint32_t DEV = 9, EV = 1, LPI = 8193;
    LpiRig r("", v3_config());
    r.mem->dmi = MemTarget::Dmi::None;
    r.mem->err_lo = CMDQ;
    r.mem->err_hi = CMDQ + 0x1000;
    MemTarget *m = r.mem.get();
    r.cpu->add(cpu_setup());
    r.cpu->add(lpi_setup(LPI));
    r.cpu->add(its_setup());
    r.cpu->add(map_event(0, DEV, EV, LPI, false));
    r.cpu->add(Step::expect(ITS + 0x090, 1, ~0ull, 8, "GITS_CREADR: Stalled, offset 0"));
    r.cpu->add(
        Step::call([m](gicsim::ScriptedCpu &, sc_time &) { m->err_lo = m->err_hi = 0; }, "memory answers again"));
    r.cpu->add(Step::write(ITS + 0x088, 4 * 32 | 1, 8, "GITS_CWRITER with Retry"));
    r.cpu->add(Step::wait_cycles(2000));
    r.cpu->add(Step::expect(ITS + 0x090, 4 * 32, ~0ull, 8, "GITS_CREADR: all commands done"));
    r.cpu->add(msi(r, EV, DEV));
    r.cpu->add(take_lpi(LPI));
    sc_start(40, SC_US);
    g_fail += r.cpu->report();
    check(r.count(GIC_TR_ITS, 0x00, 0, GIC_ITS_STALLED) == 1, "the ITS traced one stalled command");
    check(r.mem_events(true) == 1 && m->errors == 1 && r.gic->mem_stats().errors == 1,
          "one bus error: traced, answered by the target, counted");
    check(r.count(GIC_TR_ACK, LPI, 0xa0, 0) == 1, "after Retry the LPI arrives");
    return g_fail;
}

// IHI0069H 5.2 GITS_TRANSLATER: the DeviceID is the DeviceIdExtension's; without it DeviceID 0 (as QEMU's qtest);
// a DeviceID above 65535 is refused with TLM_GENERIC_ERROR_RESPONSE; an unmapped DeviceID gives no LPI.
int no_deviceid()
{
    const uint32_t EV = 3, LPI = 8200;
    LpiRig r("", v3_config());
    r.cpu->add(cpu_setup());
    r.cpu->add(lpi_setup(LPI));
    r.cpu->add(its_setup());
    r.cpu->add(map_event(0, 0, EV, LPI));
    r.cpu->add(msi(r, EV, 70000, tlm::TLM_GENERIC_ERROR_RESPONSE));
    r.cpu->add(msi(r, EV, 7));
    r.cpu->add(Step::wait_cycles(500));
    r.cpu->add(Step::expect_mrs(ICC_IAR1_EL1_ENC, 1023, 0xffffff, false, "DeviceID 7 is not mapped: no LPI"));
    r.cpu->add(msi(r, EV, -1));
    r.cpu->add(take_lpi(LPI));
    sc_start(40, SC_US);
    g_fail += r.cpu->report();
    check(r.count(GIC_TR_ITS, 0x100, translation(7, EV), GIC_ITS_IGNORED) == 1, "DeviceID 7: translation ignored");
    check(r.count(GIC_TR_ITS, 0x100, translation(0, EV), GIC_ITS_OK) == 1, "no extension: DeviceID 0 translated");
    unsigned translations = 0;
    for (const auto &e : r.events) translations += e.kind == GIC_TR_ITS && e.intid == 0x100;
    check(translations == 2, "DeviceID 70000 never reached the ITS");
    check(r.count(GIC_TR_ACK, LPI, 0xa0, 0) == 1, "LPI 8200 acknowledged once");
    return g_fail;
}

// docs/tlm.md "The memory socket": with LPIs configured and the memory socket unbound, every table access is a bus
// error (traced), the ITS stalls, no LPI arrives, nothing crashes.
int unbound_lpis()
{
    const uint32_t DEV = 1, EV = 0, LPI = 8192;
    LpiRig r("", v3_config(), false);
    r.cpu->add(cpu_setup());
    r.cpu->add(lpi_setup(LPI));
    r.cpu->add(Step::expect(GICR + 0x00, 1, 1, 4, "GICR_CTLR.EnableLPIs reads 1"));
    r.cpu->add(its_setup());
    r.cpu->add(map_event(0, DEV, EV, LPI, false));
    r.cpu->add(Step::expect(ITS + 0x090, 1, ~0ull, 8, "GITS_CREADR: Stalled at the first command"));
    r.cpu->add(msi(r, EV, DEV));
    r.cpu->add(Step::wait_cycles(1000));
    r.cpu->add(Step::expect_mrs(ICC_IAR1_EL1_ENC, 1023, 0xffffff, false, "no LPI"));
    sc_start(40, SC_US);
    g_fail += r.cpu->report();
    const gicsim::MemStats &m = r.gic->mem_stats();
    check(r.gic->mem.size() == 0, "the memory socket is unbound");
    check(r.mem_events(true) > 100 && r.mem_events(false) == 0, "every memory access a bus error, traced");
    check(r.count(GIC_TR_ITS, 0x00, 0, GIC_ITS_STALLED) == 1, "the command queue stalled");
    check(r.count(GIC_TR_ITS, 0x100, translation(DEV, EV), GIC_ITS_STALLED) == 1, "the MSI's translation failed");
    check(m.reads + m.writes + m.peeks == 0 && r.mem->transports == 0, "nothing went to a socket");
    return g_fail;
}

// docs/tlm.md "The memory socket": a GIC without LPIs works with the memory socket unbound, as before; its ITS
// sockets answer TLM_ADDRESS_ERROR_RESPONSE (no ITS); GICD_TYPER.LPIS is 0.
int unbound_no_lpis()
{
    struct gic_config cfg = v3_config();
    cfg.lpis = cfg.its = false;
    LpiRig r("", cfg, false);
    r.cpu->add(cpu_setup());
    r.cpu->add(Step::expect(GICD + 0x004, 0, 1u << 17, 4, "GICD_TYPER.LPIS = 0"));
    r.cpu->add(Step::write(ITS + 0x000, 1, 4, "GITS_CTLR: no ITS").expect_status(tlm::TLM_ADDRESS_ERROR_RESPONSE));
    r.cpu->add(msi(r, 0, 0, tlm::TLM_ADDRESS_ERROR_RESPONSE));
    r.cpu->add(Step::write(GICR + SGI_BASE + 0x080, 1u << 3, 4, "GICR_IGROUPR0: SGI 3 Group 1"));
    r.cpu->add(Step::write(GICR + SGI_BASE + 0x100, 1u << 3, 4, "GICR_ISENABLER0: SGI 3"));
    r.cpu->add(Step::msr(ICC_SGI1R_EL1_ENC, 3ull << 24 | 1, false, "ICC_SGI1R_EL1: SGI 3 -> CPU 0"));
    r.cpu->add(take_lpi(3));
    sc_start(20, SC_US);
    g_fail += r.cpu->report();
    check(r.count(GIC_TR_ACK, 3, 0, 0) == 1, "SGI 3 acknowledged once");
    check(r.events.size() > 0 && r.mem_events(true) + r.mem_events(false) == 0, "no memory access at all");
    return g_fail;
}

// IEEE 1666-2011 11.2.9 (invalidate_direct_mem_ptr): after the target invalidates its DMI region, the GIC's next
// access goes through b_transport (the target counts it) and DMI is granted again.
int dmi_invalidate()
{
    const uint32_t DEV = 2, EV = 4, LPI = 8195;
    LpiRig r("", v3_config());
    MemTarget *m = r.mem.get();
    const gicsim::Gic *g = r.gic.get();
    unsigned before = 0, grants = 0;
    uint64_t accesses = 0;
    msi_script(r, DEV, EV, LPI);
    r.cpu->add(Step::call(
        [m, g, &before, &grants, &accesses](gicsim::ScriptedCpu &, sc_time &) {
            before = m->transports;
            grants = m->dmi_grants;
            accesses = g->mem_stats().reads + g->mem_stats().writes;
            m->invalidate_all();
        },
        "the memory invalidates its DMI region"));
    r.cpu->add(msi(r, EV, DEV));
    r.cpu->add(take_lpi(LPI));
    sc_start(40, SC_US);
    g_fail += r.cpu->report();
    const gicsim::MemStats &s = g->mem_stats();
    check(before == 1 && grants == 1, "before: one b_transport, then DMI");
    check(s.dmi_invalidations == 1, "the GIC dropped its region");
    check(s.reads + s.writes > accesses + 2, "the second MSI made memory accesses");
    check(m->transports == before + 1, "after: exactly one access through b_transport");
    check(m->dmi_grants == 2 && s.dmi_grants == 2, "DMI granted again");
    check(r.count(GIC_TR_ACK, LPI, 0xa0, 0) == 2, "LPI 8195 acknowledged twice");
    return g_fail;
}

// docs/tlm.md "The memory socket": a memory target must not wait. One that does is reported with SC_REPORT_ERROR
// (from a thread: gicsim finds the yield) or by SystemC itself (wait() in the GIC's SC_METHOD), thrown after the
// kernel has finished its operation with that access as a bus error: the simulation stops cleanly.
int mem_wait(bool in_method)
{
    LpiRig r("", v3_config());
    r.mem->wait_mode = in_method ? MemTarget::Wait::InMethod : MemTarget::Wait::Always;
    r.mem->dmi = MemTarget::Dmi::None; // every access through b_transport
    r.cpu->add(cpu_setup());
    r.cpu->add(lpi_setup(8192));
    r.cpu->add(its_setup());
    std::vector<Step> cmds = map_event(0, 1, 0, 8192, false);
    cmds.pop_back(); // the CPU ends after GITS_CWRITER: no thread is left suspended mid-step when SystemC stops
    r.cpu->add(cmds);
    std::string what;
    try {
        sc_start(40, SC_US);
    } catch (const sc_report &e) {
        what = e.what();
    } catch (const std::exception &e) {
        what = std::string("std::exception: ") + e.what();
    }
    after_exception_out_of_sc_start();
    std::printf("  reported: %s\n", what.c_str());
    const char *expect = in_method ? "wait() is only allowed in SC_THREADs" : "memory target waited inside b_transport";
    check(what.find(expect) != std::string::npos, std::string("error reported: ") + expect);
    check(r.mem_events(true) >= 1, "the access that waited is a bus error in the trace");
    if (in_method) {
        // The first command was read in the CPU's b_transport (thread); the second, in the GIC's method, failed. The
        // simulation stopped before that command's end: the kernel, run on by hand, completes it as a stall.
        check(r.peek(GIC_FRAME_GITS, 0x90) == 32, "GITS_CREADR: first command done when the error stopped SystemC");
        gicsim::Engine &e = r.gic->engine();
        check(e.run_until(e.next_event() + 1) == GIC_OK && r.peek(GIC_FRAME_GITS, 0x90) == (32 | 1),
              "the kernel is consistent: the second command ends Stalled");
    } else {
        check((r.peek(GIC_FRAME_GICR_RD, 0x00, 4) & 1) == 1, "GICR_CTLR.EnableLPIs took effect");
    }
    return g_fail;
}

} // namespace

int sc_main(int argc, char *argv[])
{
    sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
    const std::map<std::string, std::function<int()>> scenarios = {
        { "msi_dmi", msi_dmi },
        { "cmdq_error", cmdq_error },
        { "no_deviceid", no_deviceid },
        { "unbound_lpis", unbound_lpis },
        { "unbound_no_lpis", unbound_no_lpis },
        { "dmi_invalidate", dmi_invalidate },
        { "mem_wait_thread", [] { return mem_wait(false); } },
        { "mem_wait_method", [] { return mem_wait(true); } },
    };
    if (argc != 2 || !scenarios.count(argv[1])) {
        std::fprintf(stderr, "usage: %s SCENARIO\nscenarios:", argv[0]);
        for (const auto &s : scenarios) std::fprintf(stderr, " %s", s.first.c_str());
        std::fprintf(stderr, "\n");
        return 2;
    }
    std::printf("scenario %s\n", argv[1]);
    int f = scenarios.at(argv[1])();
    std::printf("%s: %s\n", argv[1], f ? "FAILED" : "passed");
    return f ? 1 : 0;
}
