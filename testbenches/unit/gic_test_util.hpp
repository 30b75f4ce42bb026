// gic_test_util.hpp: fixtures and helpers shared by the kernel unit tests.
#pragma once
#include <gtest/gtest.h>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>
extern "C" {
#include "gicsim/gic.h"
#include "gicsim/gic_regs.h"
}

namespace gt {

// gic_access is both a struct and a function in C; C++ code names the struct through this alias.
using Access = struct gic_access;

// An encoding by its fields, for the encodings the register map does not name (the named ones are
// gicsim/gic_regs.h's NAME_ENC).
constexpr uint32_t enc(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2)
{
    return GIC_SYSREG_ENC(op0, op1, crn, crm, op2);
}
constexpr uint32_t ICH_LR(unsigned n) { return ICH_LR_EL2_ENC + n; }
// ICV_* registers use the ICC_* encodings in frame GIC_FRAME_VSYSREG.

// A GIC instance with convenience accessors. Every access is made through the register port and
// returns once its response is available; settle() then runs until nothing is in flight.
class Gic {
public:
    explicit Gic(gic_version v, unsigned cpus = 1, void (*tweak)(gic_config *) = nullptr)
    {
        gic_config c;
        gic_config_default(&c, v);
        c.num_cpus = cpus;
        if (tweak) tweak(&c);
        int rc = gic_create(&c, &g);
        if (rc != GIC_OK) {
            ADD_FAILURE() << "gic_create: " << gic_strerror(rc);
            g = nullptr;
        }
    }
    explicit Gic(const gic_config &c)
    {
        int rc = gic_create(&c, &g);
        if (rc != GIC_OK) {
            ADD_FAILURE() << "gic_create: " << gic_strerror(rc);
            g = nullptr;
        }
    }
    ~Gic() { gic_destroy(g); }
    Gic(const Gic &) = delete;
    Gic &operator=(const Gic &) = delete;

    uint64_t rd(gic_frame f, uint32_t off, unsigned size = 4, unsigned cpu = 0)
    {
        uint64_t v = 0xdeadbeef;
        int rc = gic_read(g, f, cpu, off, size, &v);
        EXPECT_EQ(rc, GIC_OK) << "read frame " << f << " off 0x" << std::hex << off;
        settle();
        return v;
    }
    void wr(gic_frame f, uint32_t off, uint64_t val, unsigned size = 4, unsigned cpu = 0)
    {
        int rc = gic_write(g, f, cpu, off, size, val);
        EXPECT_EQ(rc, GIC_OK) << "write frame " << f << " off 0x" << std::hex << off;
        settle();
    }
    int rd_status(gic_frame f, uint32_t off, unsigned size, unsigned cpu = 0, uint64_t *v = nullptr)
    {
        uint64_t tmp;
        int rc = gic_read(g, f, cpu, off, size, v ? v : &tmp);
        settle();
        return rc;
    }
    int wr_status(gic_frame f, uint32_t off, uint64_t val, unsigned size, unsigned cpu = 0)
    {
        int rc = gic_write(g, f, cpu, off, size, val);
        settle();
        return rc;
    }
    // GICv2 frames (GICD: any size; GICC, GICH, GICV: word-only)
    uint64_t gicd(uint32_t off, unsigned size = 4, unsigned cpu = 0) { return rd(GIC_FRAME_GICD, off, size, cpu); }
    void gicd_w(uint32_t off, uint64_t v, unsigned size = 4, unsigned cpu = 0)
    {
        wr(GIC_FRAME_GICD, off, v, size, cpu);
    }
    uint64_t gicc(uint32_t off, unsigned cpu = 0) { return rd(GIC_FRAME_GICC, off, 4, cpu); }
    void gicc_w(uint32_t off, uint64_t v, unsigned cpu = 0) { wr(GIC_FRAME_GICC, off, v, 4, cpu); }
    uint64_t gich(uint32_t off, unsigned cpu = 0) { return rd(GIC_FRAME_GICH, off, 4, cpu); }
    void gich_w(uint32_t off, uint64_t v, unsigned cpu = 0) { wr(GIC_FRAME_GICH, off, v, 4, cpu); }
    uint64_t gicv(uint32_t off, unsigned cpu = 0) { return rd(GIC_FRAME_GICV, off, 4, cpu); }
    void gicv_w(uint32_t off, uint64_t v, unsigned cpu = 0) { wr(GIC_FRAME_GICV, off, v, 4, cpu); }
    // GICv3 frames: the redistributor frames (cpu before size) and the system registers (64-bit)
    uint64_t rdb(uint32_t off, unsigned cpu = 0, unsigned size = 4) { return rd(GIC_FRAME_GICR_RD, off, size, cpu); }
    void rdb_w(uint32_t off, uint64_t v, unsigned cpu = 0, unsigned size = 4)
    {
        wr(GIC_FRAME_GICR_RD, off, v, size, cpu);
    }
    uint64_t sgi(uint32_t off, unsigned cpu = 0, unsigned size = 4) { return rd(GIC_FRAME_GICR_SGI, off, size, cpu); }
    void sgi_w(uint32_t off, uint64_t v, unsigned cpu = 0, unsigned size = 4)
    {
        wr(GIC_FRAME_GICR_SGI, off, v, size, cpu);
    }
    uint64_t icc(uint32_t e, unsigned cpu = 0) { return sysreg(GIC_FRAME_SYSREG, e, cpu); }
    void icc_w(uint32_t e, uint64_t v, unsigned cpu = 0) { sysreg_w(GIC_FRAME_SYSREG, e, v, cpu); }
    uint64_t icv(uint32_t e, unsigned cpu = 0) { return sysreg(GIC_FRAME_VSYSREG, e, cpu); }
    void icv_w(uint32_t e, uint64_t v, unsigned cpu = 0) { sysreg_w(GIC_FRAME_VSYSREG, e, v, cpu); }
    uint64_t sysreg(gic_frame f, uint32_t e, unsigned cpu) { return rd(f, e, 8, cpu); }
    void sysreg_w(gic_frame f, uint32_t e, uint64_t v, unsigned cpu) { wr(f, e, v, 8, cpu); }

    void spi(uint32_t intid, bool level)
    {
        EXPECT_EQ(gic_set_spi(g, intid, level), GIC_OK);
        settle();
    }
    void ppi(unsigned cpu, uint32_t intid, bool level)
    {
        EXPECT_EQ(gic_set_ppi(g, cpu, intid, level), GIC_OK);
        settle();
    }
    uint32_t out(unsigned cpu = 0) { return gic_outputs(g, cpu); }

    // Run until nothing is in flight (all messages delivered, all outputs settled).
    void settle()
    {
        for (int i = 0; i < 100000 && !gic_quiescent(g); i++) {
            gic_cycle_t n = gic_next_event(g);
            if (n == GIC_CYCLE_NEVER) break;
            gic_run_until(g, n + 1);
        }
    }
    gic_t *g = nullptr;
};

// One raw access through the register port, keeping the whole response (status, reserved flag, cycles).
inline gic_response access(Gic &g, gic_frame f, uint32_t off, bool write, uint64_t data, unsigned size,
                           unsigned cpu = 0)
{
    Access a{ (uint8_t)f, (uint8_t)write, (uint8_t)size, (uint16_t)cpu, off, data };
    gic_response r{};
    EXPECT_EQ(gic_access(g.g, &a, &r), GIC_OK);
    g.settle();
    return r;
}

// The physical side of a vgic_hw_ops.access callback in tests: the access through the register port,
// settled; 0, or the kernel's or the access's error status.
inline int settled_access(Gic &g, const Access *a, uint64_t *r)
{
    gic_response rsp;
    int rc = gic_access(g.g, a, &rsp);
    if (rc != GIC_OK) return rc;
    g.settle();
    if (rsp.status != GIC_OK) return rsp.status;
    *r = rsp.data;
    return 0;
}

// Table-driven register checks. The access size is 8 in the system-register frames and 4 elsewhere
// unless given; each failure names the step (index, offset, CPU) through SCOPED_TRACE.
inline unsigned reg_size(gic_frame f, unsigned size)
{
    return size ? size : (f == GIC_FRAME_SYSREG || f == GIC_FRAME_VSYSREG) ? 8 : 4;
}
// Write `val` to `off`, then read `off` back and expect `want`.
struct WriteRead {
    uint32_t off;
    uint64_t val, want;
    const char *why = "";
};
inline void expect_write_read(Gic &g, gic_frame f, std::initializer_list<WriteRead> steps, unsigned cpu = 0,
                              unsigned size = 0)
{
    unsigned n = 0;
    for (const WriteRead &s : steps) {
        SCOPED_TRACE(::testing::Message() << "step " << n++ << ": frame " << f << " cpu " << cpu << " write 0x"
                                          << std::hex << s.val << " to 0x" << s.off << " " << s.why);
        g.wr(f, s.off, s.val, reg_size(f, size), cpu);
        EXPECT_EQ(g.rd(f, s.off, reg_size(f, size), cpu), s.want);
    }
}
// Write `val` to `woff`, then read `roff` and expect `want` (a write to one register seen through another).
struct Step {
    uint32_t woff;
    uint64_t val;
    uint32_t roff;
    uint64_t want;
    const char *why = "";
};
inline void expect_steps(Gic &g, gic_frame f, std::initializer_list<Step> steps, unsigned cpu = 0, unsigned wsize = 0,
                         unsigned rsize = 0)
{
    unsigned n = 0;
    for (const Step &s : steps) {
        SCOPED_TRACE(::testing::Message()
                     << "step " << n++ << ": frame " << f << " cpu " << cpu << " write 0x" << std::hex << s.val
                     << " to 0x" << s.woff << ", read 0x" << s.roff << " " << s.why);
        g.wr(f, s.woff, s.val, reg_size(f, wsize), cpu);
        EXPECT_EQ(g.rd(f, s.roff, reg_size(f, rsize), cpu), s.want);
    }
}
// Read `off` and expect `want`.
struct ReadExpect {
    uint32_t off;
    uint64_t want;
    const char *why = "";
};
inline void expect_reads(Gic &g, gic_frame f, std::initializer_list<ReadExpect> reads, unsigned cpu = 0,
                         unsigned size = 0)
{
    for (const ReadExpect &r : reads)
        EXPECT_EQ(g.rd(f, r.off, reg_size(f, size), cpu), r.want)
            << "frame " << f << " cpu " << cpu << " off 0x" << std::hex << r.off << " " << r.why;
}
// Read one (banked) register as each CPU in turn: want[c] is what CPU c reads.
inline void expect_banked(Gic &g, gic_frame f, uint32_t off, std::initializer_list<uint64_t> want)
{
    unsigned cpu = 0;
    for (uint64_t w : want) {
        EXPECT_EQ(g.rd(f, off, reg_size(f, 0), cpu), w)
            << "frame " << f << " off 0x" << std::hex << off << " as CPU " << std::dec << cpu;
        cpu++;
    }
}
// Every value of `vals` written to each register of `offs` is ignored: the register keeps reading what
// it read before.
inline void expect_writes_ignored(Gic &g, gic_frame f, std::initializer_list<uint32_t> offs,
                                  std::initializer_list<uint64_t> vals, unsigned cpu = 0)
{
    for (uint32_t off : offs) {
        uint64_t before = g.rd(f, off, reg_size(f, 0), cpu);
        for (uint64_t v : vals) {
            g.wr(f, off, v, reg_size(f, 0), cpu);
            EXPECT_EQ(g.rd(f, off, reg_size(f, 0), cpu), before) << "off 0x" << std::hex << off << " write 0x" << v;
        }
    }
}
// Each offset is reserved: a word write of all ones is accepted and flagged reserved, a word read is
// flagged reserved and returns 0 (RAZ/WI).
inline void expect_reserved_raz_wi(Gic &g, gic_frame f, std::initializer_list<uint32_t> offs)
{
    for (uint32_t off : offs) {
        SCOPED_TRACE(::testing::Message() << "reserved frame " << f << " off 0x" << std::hex << off);
        gic_response w = access(g, f, off, true, 0xffffffff, 4, 0);
        EXPECT_EQ(w.status, GIC_OK);
        EXPECT_TRUE(w.reserved);
        gic_response r = access(g, f, off, false, 0, 4, 0);
        EXPECT_EQ(r.status, GIC_OK);
        EXPECT_TRUE(r.reserved);
        EXPECT_EQ(r.data, 0u);
    }
}
// Accesses that are bus errors of status `want` (a wrong size, an absent frame): {frame, off, size}
// reads, or writes of `val`.
struct BadAccess {
    gic_frame f;
    uint32_t off;
    unsigned size;
    bool write = false;
    uint64_t val = 0;
};
inline void expect_access_status(Gic &g, int want, std::initializer_list<BadAccess> accesses, unsigned cpu = 0)
{
    for (const BadAccess &a : accesses) {
        uint64_t v = 0;
        int rc = a.write ? g.wr_status(a.f, a.off, a.val, a.size, cpu) : g.rd_status(a.f, a.off, a.size, cpu, &v);
        EXPECT_EQ(rc, want) << (a.write ? "write" : "read") << " frame " << a.f << " off 0x" << std::hex << a.off
                            << " size " << std::dec << a.size;
    }
}

// A priority mask register (GICC_PMR, GICV_PMR, ICC_PMR_EL1) with the implemented bits `mask`: writing
// `ones` reads `mask`, writing `probe` reads `probe & mask`.
inline void expect_priority_mask(Gic &g, gic_frame f, uint32_t pmr, uint64_t ones, uint64_t mask, uint64_t probe)
{
    expect_write_read(g, f, { { pmr, ones, mask }, { pmr, probe, probe & mask } });
}
// Two binary point registers (GICC_BPR and GICC_ABPR, ICC_BPR0_EL1_ENC/1_EL1) with the minimums `min0` and `min1`:
// with `at_reset` each first reads its minimum; then a write of 0..7 reads back the value, or the
// minimum when below it.
inline void expect_binary_points(Gic &g, gic_frame f, uint32_t bpr0, unsigned min0, uint32_t bpr1, unsigned min1,
                                 bool at_reset)
{
    if (at_reset) expect_reads(g, f, { { bpr0, min0, "reset" }, { bpr1, min1, "reset" } });
    for (unsigned v = 0; v < 8; v++)
        expect_write_read(g, f, { { bpr0, v, v < min0 ? min0 : v }, { bpr1, v, v < min1 ? min1 : v } });
}

// Write each {offset, value} of `writes` in turn.
inline void write_all(Gic &g, gic_frame f, std::initializer_list<std::pair<uint32_t, uint64_t>> writes,
                      unsigned cpu = 0)
{
    for (const auto &w : writes) g.wr(f, w.first, w.second, reg_size(f, 0), cpu);
}

// A configuration (a tweak of Gic(version, 1, tweak)) and the value a check expects of it.
struct ConfigCase {
    void (*tweak)(gic_config *);
    uint64_t value;
};
// For each case: a one-CPU GIC of version `v` with the case's configuration, handed to check(g, value);
// a failure names the case.
template <class Check>
void for_each_config(gic_version v, std::initializer_list<ConfigCase> cases, Check check)
{
    unsigned n = 0;
    for (const ConfigCase &c : cases) {
        SCOPED_TRACE(::testing::Message()
                     << "configuration case " << n++ << ", expected value 0x" << std::hex << c.value);
        Gic g(v, 1, c.tweak);
        check(g, c.value);
    }
}

// Configuration tweaks for Gic(version, cpus, tweak): the number of implemented priority bits.
// N priority bits in the distributor and in the CPU interfaces alike (the default GICv3 of QEMU
// virt has 8 in the distributor and 5 in the CPU interfaces).
inline void prio4(gic_config *c) { c->prio_bits = c->cpu_prio_bits = 4; }
inline void prio5(gic_config *c) { c->prio_bits = c->cpu_prio_bits = 5; }
inline void prio6(gic_config *c) { c->prio_bits = c->cpu_prio_bits = 6; }
inline void prio7(gic_config *c) { c->prio_bits = c->cpu_prio_bits = 7; }
inline void prio8(gic_config *c) { c->prio_bits = c->cpu_prio_bits = 8; }

// Records every trace event as text (for step-size equivalence and for debugging).
struct TraceLog {
    std::vector<gic_trace_event> ev;
    TraceLog() = default;
    // Recording from now on: the same as attach(g).
    explicit TraceLog(gic_t *g) { attach(g); }
    static void cb(void *ctx, const gic_trace_event *e) { static_cast<TraceLog *>(ctx)->ev.push_back(*e); }
    void attach(gic_t *g) { gic_set_trace(g, &TraceLog::cb, this); }
    std::string text() const
    {
        std::string s;
        char buf[256];
        for (auto &e : ev) {
            gic_trace_format(&e, buf, sizeof buf);
            s += buf;
            s += '\n';
        }
        return s;
    }
    size_t count(unsigned kind) const
    {
        size_t n = 0;
        for (auto &e : ev) n += e.kind == kind;
        return n;
    }
};

} // namespace gt
