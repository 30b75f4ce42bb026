// lpi_test_util.hpp: a GICv3 with a memory port over a test memory, LPI tables and ITS commands (docs/lpi.md).
#pragma once
#include "gic_test_util.hpp"

#include <cstring>
#include <map>
#include <vector>

namespace gt {

// Test memory: 16 MiB at kRam; accesses outside it (or in a "bad" window) are bus errors. Counts the accesses.
struct TestMem {
    static constexpr uint64_t kRam = 0x40000000, kSize = 16u << 20;
    std::vector<uint8_t> bytes = std::vector<uint8_t>(kSize);
    uint64_t bad_lo = 0, bad_hi = 0; // [bad_lo, bad_hi): bus errors
    unsigned reads = 0, writes = 0;
    bool ok(uint64_t a, uint32_t n) const
    {
        return a >= kRam && a - kRam + n <= kSize && !(a < bad_hi && a + n > bad_lo);
    }
    static int rd(void *ctx, uint64_t a, void *buf, uint32_t n)
    {
        auto *m = static_cast<TestMem *>(ctx);
        m->reads++;
        if (!m->ok(a, n)) return -1;
        std::memcpy(buf, &m->bytes[a - kRam], n);
        return 0;
    }
    static int wr(void *ctx, uint64_t a, const void *buf, uint32_t n)
    {
        auto *m = static_cast<TestMem *>(ctx);
        m->writes++;
        if (!m->ok(a, n)) return -1;
        std::memcpy(&m->bytes[a - kRam], buf, n);
        return 0;
    }
    static int peek(void *ctx, uint64_t a, void *buf, uint32_t n)
    {
        auto *m = static_cast<TestMem *>(ctx);
        if (!m->ok(a, n)) return -1;
        std::memcpy(buf, &m->bytes[a - kRam], n);
        return 0;
    }
    uint8_t &at(uint64_t a) { return bytes[a - kRam]; }
    uint64_t q(uint64_t a) const
    {
        uint64_t v = 0;
        std::memcpy(&v, &bytes[a - kRam], 8);
        return v;
    }
    void put_q(uint64_t a, uint64_t v) { std::memcpy(&bytes[a - kRam], &v, 8); }
};

// The layout the tests use (all in TestMem).
constexpr uint64_t kProp = TestMem::kRam + 0x100000; // LPI configuration table: byte for INTID n at kProp + n - 8192
constexpr uint64_t kPend = TestMem::kRam + 0x200000; // pending table of CPU c at kPend + 0x10000 * c
constexpr uint64_t kDt = TestMem::kRam + 0x300000;   // ITS device table
constexpr uint64_t kCt = TestMem::kRam + 0x310000;   // ITS collection table
constexpr uint64_t kCq = TestMem::kRam + 0x320000;   // ITS command queue (4 KiB)
constexpr uint64_t kItt = TestMem::kRam + 0x330000;  // ITT of device d at kItt + 0x1000 * d
constexpr uint32_t kLpi = 8192;
constexpr uint8_t kCfgOn = 0xa1, kCfgOff = 0xa0; // priority 0xa0, enabled / disabled

// ITS command encodings (IHI0069H 5.3).
struct Cmd {
    uint64_t dw[4] = {};
};
inline Cmd mapd(uint32_t dev, unsigned size, uint64_t itt, bool v = true)
{
    return { { 0x08 | (uint64_t)dev << 32, size, (uint64_t)v << 63 | itt, 0 } };
}
inline Cmd mapc(uint32_t icid, unsigned cpu, bool v = true)
{
    return { { 0x09, 0, (uint64_t)v << 63 | (uint64_t)cpu << 16 | icid, 0 } };
}
inline Cmd mapti(uint32_t dev, uint32_t ev, uint32_t intid, uint32_t icid)
{
    return { { 0x0a | (uint64_t)dev << 32, ev | (uint64_t)intid << 32, icid, 0 } };
}
inline Cmd mapi(uint32_t dev, uint32_t ev, uint32_t icid) { return { { 0x0b | (uint64_t)dev << 32, ev, icid, 0 } }; }
inline Cmd ev_cmd(unsigned code, uint32_t dev, uint32_t ev) { return { { code | (uint64_t)dev << 32, ev, 0, 0 } }; }
inline Cmd movi(uint32_t dev, uint32_t ev, uint32_t icid) { return { { 0x01 | (uint64_t)dev << 32, ev, icid, 0 } }; }
inline Cmd movall(unsigned from, unsigned to) { return { { 0x0e, 0, (uint64_t)from << 16, (uint64_t)to << 16 } }; }
inline Cmd invall(uint32_t icid) { return { { 0x0d, 0, icid, 0 } }; }
inline Cmd sync_cmd(unsigned cpu = 0) { return { { 0x05, 0, (uint64_t)cpu << 16, 0 } }; }
enum { C_INT = 0x03, C_CLEAR = 0x04, C_INV = 0x0c, C_DISCARD = 0x0f };

// A GICv3 with LPIs and an ITS, its memory, and the steps software takes (docs/lpi.md).
struct LpiRig {
    TestMem mem;
    Gic g;
    unsigned slot = 0;
    explicit LpiRig(unsigned cpus = 1, void (*tweak)(gic_config *) = nullptr) : g(GIC_V3, cpus, tweak)
    {
        static const gic_mem_ops ops = { TestMem::rd, TestMem::wr, TestMem::peek };
        EXPECT_EQ(gic_set_memory(g.g, &ops, &mem), GIC_OK);
    }
    // Redistributor c: tables, LPIs enabled, awake; CPU interface c open for Group 1.
    void redist(unsigned c, bool enable = true)
    {
        g.rdb_w(0x70, kProp | 15, c, 8);
        g.rdb_w(0x78, kPend + 0x10000ull * c, c, 8);
        if (enable) g.rdb_w(0x0, 1, c);
        g.rdb_w(0x14, 0, c);
        g.icc_w(ICC_PMR_EL1_ENC, 0xff, c);
        g.icc_w(ICC_IGRPEN1_EL1_ENC, 1, c);
    }
    void setup(unsigned cpus = 1)
    {
        for (unsigned k = 0; k < 64; k++) mem.at(kProp + k) = kCfgOn;
        g.gicd_w(0x0, 0x2);
        for (unsigned c = 0; c < cpus; c++) redist(c);
    }
    void its_on()
    {
        g.wr(GIC_FRAME_GITS, 0x100, 1ull << 63 | kDt | 0x200, 8);
        g.wr(GIC_FRAME_GITS, 0x108, 1ull << 63 | kCt | 0x200, 8);
        g.wr(GIC_FRAME_GITS, 0x80, 1ull << 63 | kCq, 8);
        g.wr(GIC_FRAME_GITS, 0x0, 1);
    }
    // Queue commands and move GITS_CWRITER; settles (the ITS works through them).
    void cmds(std::initializer_list<Cmd> cs)
    {
        for (const Cmd &c : cs) {
            for (int i = 0; i < 4; i++) mem.put_q(kCq + 32ull * slot + 8 * i, c.dw[i]);
            slot = (slot + 1) % 128;
        }
        g.wr(GIC_FRAME_GITS, 0x88, 32ull * slot, 8);
    }
    uint64_t creadr() { return g.rd(GIC_FRAME_GITS, 0x90, 8); }
    void msi(uint32_t dev, uint32_t ev) { g.wr(GIC_FRAME_GITS_TR, 0x40, ev, 4, dev); }
    bool pend_bit(unsigned cpu, uint32_t intid)
    {
        return (mem.at(kPend + 0x10000ull * cpu + intid / 8) >> (intid % 8)) & 1;
    }
    uint32_t ack(unsigned cpu = 0) { return (uint32_t)g.icc(ICC_IAR1_EL1_ENC, cpu); }
    void eoi(uint32_t intid, unsigned cpu = 0) { g.icc_w(ICC_EOIR1_EL1_ENC, intid, cpu); }
    // Device 0 with 32 events on collection 0 -> CPU 0, event e -> LPI 8192 + e for the given events.
    void map_dev0(std::initializer_list<uint32_t> events)
    {
        cmds({ mapd(0, 4, kItt), mapc(0, 0) });
        for (uint32_t e : events) cmds({ mapti(0, e, kLpi + e, 0) });
        cmds({ sync_cmd() });
    }
};

} // namespace gt
