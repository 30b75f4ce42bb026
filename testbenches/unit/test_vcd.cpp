// test_vcd.cpp: the waveform writer (gicsim/gic_vcd.h, docs/waveforms.md): only value changes are written, the
// window writes nothing outside it and starts with $dumpvars, the time axis of requests, responses and pins, the
// trace hook chained, and every failure of the file reported (/dev/full, a broken pipe, a missing directory).
#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

extern "C" {
#include "gicsim/gic.h"
#include "gicsim/gic_regs.h"
#include "gicsim/gic_vcd.h"
}

namespace {

// A VCD file as the tests read it: the declared signals by full name, and every value written, in order.
struct Vcd {
    struct Chg {
        uint64_t t;
        std::string id, v; // v: binary digits without leading zeros
        bool dumpvars;
    };
    std::map<std::string, std::string> id; // full name (scopes joined with '.') -> identifier
    std::map<std::string, unsigned> width; // by identifier
    std::vector<Chg> chg;
    std::vector<uint64_t> stamps;
    bool enddefs = false;

    // The value of a signal at time t (binary digits), "" if none was written by then.
    std::string at(const std::string &name, uint64_t t) const
    {
        std::string v;
        auto it = id.find(name);
        if (it == id.end()) return "?";
        for (const Chg &c : chg)
            if (c.id == it->second && c.t <= t) v = c.v;
        return v;
    }
    uint64_t num(const std::string &name, uint64_t t) const
    {
        std::string v = at(name, t);
        return v.empty() || v == "?" ? ~0ull : std::stoull(v.substr(v.size() > 64 ? v.size() - 64 : 0), nullptr, 2);
    }
    // Bit b of a wide vector at time t.
    int bit(const std::string &name, unsigned b, uint64_t t) const
    {
        std::string v = at(name, t);
        return b < v.size() ? v[v.size() - 1 - b] - '0' : 0;
    }
};

std::string strip(const std::string &v)
{
    size_t k = v.find_first_not_of('0');
    return k == std::string::npos ? "0" : v.substr(k);
}

Vcd read_vcd(const std::string &path)
{
    Vcd r;
    std::ifstream f(path);
    std::vector<std::string> tok;
    for (std::string w; f >> w;) tok.push_back(w);
    std::vector<std::string> scope;
    size_t i = 0;
    for (; i < tok.size() && tok[i] != "$enddefinitions"; i++) {
        if (tok[i] == "$scope") scope.push_back(tok[i + 2]);
        else if (tok[i] == "$upscope") scope.pop_back();
        else if (tok[i] == "$var") {
            std::string name;
            for (auto &s : scope) name += s + ".";
            r.id[name + tok[i + 4]] = tok[i + 3];
            r.width[tok[i + 3]] = std::stoul(tok[i + 2]);
        }
        if (tok[i][0] == '$' && tok[i] != "$end")
            while (i < tok.size() && tok[i] != "$end") i++;
    }
    r.enddefs = i < tok.size();
    uint64_t now = 0;
    bool dump = false;
    for (i += 2; i < tok.size(); i++) {
        const std::string &t = tok[i];
        if (t[0] == '#') {
            now = std::stoull(t.substr(1));
            r.stamps.push_back(now);
        } else if (t == "$dumpvars") dump = true;
        else if (t == "$end") dump = false;
        else if (t[0] == 'b') r.chg.push_back({ now, tok[++i], strip(t.substr(1)), dump });
        else r.chg.push_back({ now, t.substr(1), t.substr(0, 1), dump });
    }
    return r;
}

std::string tmp_path(const char *name)
{
    const char *d = getenv("TMPDIR");
    return std::string(d && *d ? d : "/tmp") + "/gicsim_test_vcd_" + std::to_string(getpid()) + "_" + name + ".vcd";
}

const std::string TOPS = "TOP.gic_top.";

// A GICv3 with one CPU, set up so that SPI 40 (Group 1, priority 0x80) reaches ICC_IAR1_EL1.
struct Fixture {
    gic_t *g = nullptr;
    Fixture()
    {
        gic_config c;
        gic_config_default(&c, GIC_V3);
        c.num_cpus = 1;
        c.num_spis = 32;
        EXPECT_EQ(gic_create(&c, &g), GIC_OK);
    }
    ~Fixture() { gic_destroy(g); }
    void wr(gic_frame f, uint32_t off, uint64_t v, unsigned size = 4)
    {
        EXPECT_EQ(gic_write(g, f, 0, off, size, v), 0);
    }
    uint64_t rd(gic_frame f, uint32_t off, unsigned size = 4)
    {
        uint64_t v = 0;
        EXPECT_EQ(gic_read(g, f, 0, off, size, &v), 0);
        return v;
    }
    void settle()
    {
        while (gic_next_event(g) != GIC_CYCLE_NEVER) ASSERT_EQ(gic_run_until(g, gic_next_event(g) + 1), GIC_OK);
    }
    // Set-up, an SPI raised, acknowledged, completed and dropped, with idle gaps: about 200 cycles.
    void story()
    {
        wr(GIC_FRAME_GICR_RD, 0x014, 0);
        wr(GIC_FRAME_GICD, 0x000, 0x3);
        wr(GIC_FRAME_GICD, 0x084, 1u << 8);
        wr(GIC_FRAME_GICD, 0x104, 1u << 8);
        wr(GIC_FRAME_GICD, 0x428, 0x80, 1); // GICD_IPRIORITYR10, byte of INTID 40
        wr(GIC_FRAME_SYSREG, ICC_PMR_EL1_ENC, 0xff, 8);
        wr(GIC_FRAME_SYSREG, ICC_IGRPEN1_EL1_ENC, 1, 8);
        gic_run_until(g, gic_now(g) + 50);
        EXPECT_EQ(gic_set_spi(g, 40, true), GIC_OK);
        settle();
        uint64_t iar = rd(GIC_FRAME_SYSREG, ICC_IAR1_EL1_ENC, 8);
        EXPECT_EQ(iar, 40u);
        gic_run_until(g, gic_now(g) + 30);
        wr(GIC_FRAME_SYSREG, ICC_EOIR1_EL1_ENC, iar, 8);
        EXPECT_EQ(gic_set_spi(g, 40, false), GIC_OK);
        settle();
        gic_run_until(g, gic_now(g) + 40);
    }
};

// Only value changes are written: no signal is written twice in a row with the same value, no time stamp is
// written without a change after it (but the last, which ends the file), and idle cycles write nothing.
TEST(Vcd, OnlyValueChangesAreWritten)
{
    Fixture f;
    std::string p = tmp_path("changes");
    gic_vcd_t *v = nullptr;
    ASSERT_EQ(gic_vcd_open(f.g, p.c_str(), nullptr, &v), GIC_OK);
    ASSERT_EQ(gic_vcd_attach(v), GIC_OK);
    f.story();
    gic_cycle_t idle_from = gic_now(f.g);
    gic_run_until(f.g, idle_from + 100000);
    ASSERT_EQ(gic_vcd_close(v), GIC_OK);
    Vcd r = read_vcd(p);
    ASSERT_TRUE(r.enddefs);
    std::map<std::string, std::string> last;
    size_t dumped = 0;
    for (const Vcd::Chg &c : r.chg) {
        if (c.dumpvars) {
            dumped++;
        } else {
            EXPECT_NE(last[c.id], c.v) << "signal " << c.id << " written again unchanged at " << c.t;
            EXPECT_LT(c.t, idle_from) << "a change written in the idle cycles";
        }
        last[c.id] = c.v;
    }
    EXPECT_EQ(dumped, r.width.size()); // $dumpvars: every signal once
    for (size_t k = 0; k + 1 < r.stamps.size(); k++) {
        EXPECT_LT(r.stamps[k], r.stamps[k + 1]);
        bool any = false;
        for (const Vcd::Chg &c : r.chg) any = any || c.t == r.stamps[k];
        EXPECT_TRUE(any) << "time " << r.stamps[k] << " written without a change";
    }
    ASSERT_FALSE(r.stamps.empty());
    EXPECT_EQ(r.stamps.back(), idle_from + 100000 - 1); // the file ends at the last cycle processed
    EXPECT_LT(r.chg.size(), 400u);
    remove(p.c_str());
}

// The window: nothing outside [from, to] is written; the first time is `from` with every signal in $dumpvars, at
// the values the whole run's file has then; inside, exactly the whole run's changes.
TEST(Vcd, WindowWritesNothingOutsideAndDumpsTheValuesAtItsStart)
{
    std::string pa = tmp_path("whole"), pw = tmp_path("window");
    gic_cycle_t from = 0, to = 0;
    {
        Fixture f;
        gic_vcd_t *v = nullptr;
        ASSERT_EQ(gic_vcd_open(f.g, pa.c_str(), nullptr, &v), GIC_OK);
        ASSERT_EQ(gic_vcd_attach(v), GIC_OK);
        f.story();
        ASSERT_EQ(gic_vcd_close(v), GIC_OK);
    }
    Vcd a = read_vcd(pa);
    ASSERT_GT(a.stamps.size(), 10u);
    from = a.stamps[a.stamps.size() / 3] + 1; // after a change, in the middle of the story
    to = a.stamps[2 * a.stamps.size() / 3];
    {
        Fixture f;
        gic_vcd_t *v = nullptr;
        struct gic_vcd_window w = { from, to };
        ASSERT_EQ(gic_vcd_open(f.g, pw.c_str(), &w, &v), GIC_OK);
        ASSERT_EQ(gic_vcd_attach(v), GIC_OK);
        f.story();
        ASSERT_EQ(gic_vcd_close(v), GIC_OK);
    }
    Vcd b = read_vcd(pw);
    ASSERT_FALSE(b.stamps.empty());
    EXPECT_EQ(b.stamps.front(), from);
    EXPECT_EQ(b.stamps.back(), to);
    size_t dumped = 0, inside = 0;
    for (const Vcd::Chg &c : b.chg) {
        EXPECT_GE(c.t, from);
        EXPECT_LE(c.t, to);
        dumped += c.dumpvars;
        EXPECT_EQ(c.dumpvars, c.t == from) << "a $dumpvars value at " << c.t << " or a plain change at the start";
    }
    EXPECT_EQ(dumped, b.width.size());
    for (auto &kv : a.id) {
        EXPECT_EQ(b.at(kv.first, from), a.at(kv.first, from)) << kv.first << " at the window's start";
        for (uint64_t t = from + 1; t <= to; t++)
            EXPECT_EQ(b.at(kv.first, t), a.at(kv.first, t)) << kv.first << " " << t;
    }
    for (const Vcd::Chg &c : a.chg) inside += c.t > from && c.t <= to;
    EXPECT_EQ(b.chg.size() - dumped, inside);
    remove(pa.c_str());
    remove(pw.c_str());
}

// The time axis (the RTL's, docs/waveforms.md): a request shows in its issue cycle, its response after the edge that
// ends cycle done - 1 (on the acknowledge lane for ICC_IAR1_EL1), an input pin in the cycle it was driven, the
// sampled line `line` cycles later, a state change in its own cycle.
TEST(Vcd, RequestAtIssueResponseBeforeDonePinAtItsCycle)
{
    Fixture f;
    std::string p = tmp_path("axis");
    gic_vcd_t *v = nullptr;
    ASSERT_EQ(gic_vcd_open(f.g, p.c_str(), nullptr, &v), GIC_OK);
    ASSERT_EQ(gic_vcd_attach(v), GIC_OK);
    f.story();
    gic_run_until(f.g, 1000);
    struct gic_access rd = { GIC_FRAME_GICD, 0, 4, 0, 0x008, 0 }; // GICD_IIDR
    struct gic_response r;
    ASSERT_EQ(gic_access(f.g, &rd, &r), GIC_OK);
    EXPECT_EQ(r.issue, 1000u);
    gic_run_until(f.g, 1100);
    ASSERT_EQ(gic_set_spi(f.g, 41, true), GIC_OK);
    gic_run_until(f.g, 1200);
    ASSERT_EQ(gic_vcd_close(v), GIC_OK);
    Vcd a = read_vcd(p);
    EXPECT_EQ(a.num(TOPS + "req_valid", 999), 0u);
    EXPECT_EQ(a.num(TOPS + "req_valid", 1000), 1u);
    EXPECT_EQ(a.num(TOPS + "req_offset", 1000), 8u);
    EXPECT_EQ(a.num(TOPS + "req_valid", 1001), 0u);
    EXPECT_EQ(a.num(TOPS + "req_offset", 1001), 0u);
    EXPECT_EQ(a.num(TOPS + "rsp_valid", r.done - 2), 0u);
    EXPECT_EQ(a.num(TOPS + "rsp_valid", r.done - 1), 1u);
    EXPECT_EQ(a.num(TOPS + "rsp_data", r.done - 1), r.data);
    EXPECT_EQ(a.num(TOPS + "rsp_valid", r.done), 0u);
    EXPECT_EQ(a.num(TOPS + "req_tag", 1000), a.num(TOPS + "rsp_tag", r.done - 1));
    EXPECT_EQ(a.bit(TOPS + "spi_lvl", 41 - 32, 1099), 0);
    EXPECT_EQ(a.bit(TOPS + "spi_lvl", 41 - 32, 1100), 1);
    EXPECT_EQ(a.bit(TOPS + "spi_rise", 41 - 32, 1100), 1);
    EXPECT_EQ(a.bit(TOPS + "spi_rise", 41 - 32, 1101), 0);
    const uint32_t line = gic_get_config(f.g)->timing.line;
    EXPECT_EQ(a.bit(TOPS + "u_dist.line_q", 41, 1100 + line - 1), 0);
    EXPECT_EQ(a.bit(TOPS + "u_dist.line_q", 41, 1100 + line), 1);
    // the acknowledge of the story: ICC_IAR1_EL1 answered on the acknowledge lane, INTID 40 offered before
    bool ack_seen = false;
    for (const Vcd::Chg &c : a.chg) ack_seen = ack_seen || (c.id == a.id[TOPS + "ack_rsp_valid"] && c.v == "1");
    EXPECT_TRUE(ack_seen);
    remove(p.c_str());
}

// The writer chains the hook installed before it (every event reaches it) and gives it back when it closes.
int g_events = 0;
void count(void *, const struct gic_trace_event *) { g_events++; }

TEST(Vcd, AttachChainsThePreviousHookAndCloseRestoresIt)
{
    Fixture f;
    std::string p = tmp_path("chain");
    gic_set_trace(f.g, count, nullptr);
    g_events = 0;
    f.story();
    int alone = g_events;
    ASSERT_GT(alone, 20);
    Fixture f2;
    gic_set_trace(f2.g, count, nullptr);
    gic_vcd_t *v = nullptr;
    ASSERT_EQ(gic_vcd_open(f2.g, p.c_str(), nullptr, &v), GIC_OK);
    ASSERT_EQ(gic_vcd_attach(v), GIC_OK);
    g_events = 0;
    f2.story();
    EXPECT_EQ(g_events, alone);
    ASSERT_EQ(gic_vcd_close(v), GIC_OK);
    g_events = 0;
    f2.wr(GIC_FRAME_GICD, 0x000, 0x0);
    EXPECT_GT(g_events, 0); // the counting hook is installed again
    remove(p.c_str());
}

// A full disk is an error, never a false success: the header cannot be written to /dev/full (ENOSPC).
TEST(Vcd, FullDiskIsAnError)
{
    Fixture f;
    gic_vcd_t *v = nullptr;
    errno = 0;
    EXPECT_EQ(gic_vcd_open(f.g, "/dev/full", nullptr, &v), GIC_E_IO);
    EXPECT_EQ(errno, ENOSPC);
    EXPECT_EQ(v, nullptr);
}

// A write that fails later (the reader of a pipe went away) is reported by gic_vcd_status() and gic_vcd_close().
TEST(Vcd, WriteErrorDuringTheRunIsReportedAtClose)
{
    Fixture f;
    std::string p = tmp_path("fifo");
    unlink(p.c_str());
    ASSERT_EQ(mkfifo(p.c_str(), 0600), 0);
    int rfd = open(p.c_str(), O_RDONLY | O_NONBLOCK);
    ASSERT_GE(rfd, 0);
    struct sigaction ign = {}, old = {};
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &old);
    gic_vcd_t *v = nullptr;
    ASSERT_EQ(gic_vcd_open(f.g, p.c_str(), nullptr, &v), GIC_OK);
    ASSERT_EQ(gic_vcd_attach(v), GIC_OK);
    close(rfd); // no reader any more: the next write fails with EPIPE
    for (int k = 0; k < 40; k++) f.story();
    errno = 0;
    EXPECT_EQ(gic_vcd_close(v), GIC_E_IO);
    EXPECT_EQ(errno, EPIPE);
    sigaction(SIGPIPE, &old, nullptr);
    unlink(p.c_str());
}

// Bad arguments are GIC_E_INVAL, a file that cannot be created GIC_E_IO with errno; nothing aborts.
TEST(Vcd, BadArgumentsAndUncreatableFileAreRefused)
{
    Fixture f;
    gic_vcd_t *v = nullptr;
    struct gic_vcd_window bad = { 10, 9 };
    EXPECT_EQ(gic_vcd_open(nullptr, "x.vcd", nullptr, &v), GIC_E_INVAL);
    EXPECT_EQ(gic_vcd_open(f.g, nullptr, nullptr, &v), GIC_E_INVAL);
    EXPECT_EQ(gic_vcd_open(f.g, "", nullptr, &v), GIC_E_INVAL);
    EXPECT_EQ(gic_vcd_open(f.g, "x.vcd", nullptr, nullptr), GIC_E_INVAL);
    EXPECT_EQ(gic_vcd_open(f.g, "x.vcd", &bad, &v), GIC_E_INVAL);
    errno = 0;
    EXPECT_EQ(gic_vcd_open(f.g, "/nonexistent-dir/x.vcd", nullptr, &v), GIC_E_IO);
    EXPECT_EQ(errno, ENOENT);
    EXPECT_EQ(gic_vcd_attach(nullptr), GIC_E_INVAL);
    EXPECT_EQ(gic_vcd_reset(nullptr), GIC_E_INVAL);
    EXPECT_EQ(gic_vcd_close(nullptr), GIC_E_INVAL);
    EXPECT_EQ(gic_vcd_status(nullptr), GIC_E_INVAL);
    gic_vcd_event(nullptr, nullptr); // no-op
}

// gic_vcd_reset(): the GIC is reset and every signal takes its reset value in that cycle (here: the output pin and
// the running priority of an acknowledged interrupt).
TEST(Vcd, ResetShowsTheResetValues)
{
    Fixture f;
    std::string p = tmp_path("reset");
    gic_vcd_t *v = nullptr;
    ASSERT_EQ(gic_vcd_open(f.g, p.c_str(), nullptr, &v), GIC_OK);
    ASSERT_EQ(gic_vcd_attach(v), GIC_OK);
    f.story();
    EXPECT_EQ(gic_set_spi(f.g, 40, true), GIC_OK);
    f.settle();
    EXPECT_EQ(f.rd(GIC_FRAME_SYSREG, ICC_IAR1_EL1_ENC, 8), 40u);
    f.settle();
    gic_cycle_t t = gic_now(f.g);
    ASSERT_EQ(gic_vcd_reset(v), GIC_OK);
    gic_run_until(f.g, t + 10);
    ASSERT_EQ(gic_vcd_close(v), GIC_OK);
    Vcd a = read_vcd(p);
    EXPECT_EQ(a.num(TOPS + "g_cpu[0].u_cpuif.obs_rpr", t - 1), 0x80u);
    EXPECT_EQ(a.num(TOPS + "g_cpu[0].u_cpuif.obs_rpr", t), 0xffu);
    EXPECT_EQ(a.bit(TOPS + "obs_spi_act", 40, t - 1), 1);
    EXPECT_EQ(a.bit(TOPS + "obs_spi_act", 40, t), 0);
    EXPECT_EQ(a.bit(TOPS + "spi_lvl", 8, t), 1); // the pin stays high across the reset
    remove(p.c_str());
}

} // namespace
