// gic_test_util.hpp: fixtures and helpers shared by the kernel unit tests.
#pragma once
#include <gtest/gtest.h>
#include <cstdint>
#include <string>
#include <vector>
extern "C" {
#include "gicsim/gic.h"
}

namespace gt {

// gic_access is both a struct and a function in C; C++ code names the struct through this alias.
using Access = struct gic_access;

// Packed system-register encodings used by the tests.
constexpr uint32_t enc(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2) {
    return GIC_SYSREG_ENC(op0, op1, crn, crm, op2);
}
constexpr uint32_t ICC_PMR = enc(3, 0, 4, 6, 0), ICC_IAR0 = enc(3, 0, 12, 8, 0), ICC_EOIR0 = enc(3, 0, 12, 8, 1),
    ICC_HPPIR0 = enc(3, 0, 12, 8, 2), ICC_BPR0 = enc(3, 0, 12, 8, 3), ICC_AP0R0 = enc(3, 0, 12, 8, 4),
    ICC_AP1R0 = enc(3, 0, 12, 9, 0), ICC_DIR = enc(3, 0, 12, 11, 1), ICC_RPR = enc(3, 0, 12, 11, 3),
    ICC_SGI1R = enc(3, 0, 12, 11, 5), ICC_ASGI1R = enc(3, 0, 12, 11, 6), ICC_SGI0R = enc(3, 0, 12, 11, 7),
    ICC_IAR1 = enc(3, 0, 12, 12, 0), ICC_EOIR1 = enc(3, 0, 12, 12, 1), ICC_HPPIR1 = enc(3, 0, 12, 12, 2),
    ICC_BPR1 = enc(3, 0, 12, 12, 3), ICC_CTLR = enc(3, 0, 12, 12, 4), ICC_SRE = enc(3, 0, 12, 12, 5),
    ICC_IGRPEN0 = enc(3, 0, 12, 12, 6), ICC_IGRPEN1 = enc(3, 0, 12, 12, 7),
    ICH_AP0R0 = enc(3, 4, 12, 8, 0), ICH_AP1R0 = enc(3, 4, 12, 9, 0), ICH_HCR = enc(3, 4, 12, 11, 0),
    ICH_VTR = enc(3, 4, 12, 11, 1), ICH_MISR = enc(3, 4, 12, 11, 2), ICH_EISR = enc(3, 4, 12, 11, 3),
    ICH_ELRSR = enc(3, 4, 12, 11, 5), ICH_VMCR = enc(3, 4, 12, 11, 7);
constexpr uint32_t ICH_LR(unsigned n) { return enc(3, 4, 12, 12 + n / 8, n % 8); }
// ICV_* registers use the ICC_* encodings in frame GIC_FRAME_VSYSREG.

// A GIC instance with convenience accessors. Every access is made through the register port and
// returns once its response is available; settle() then runs until nothing is in flight.
class Gic {
public:
    explicit Gic(gic_version v, unsigned cpus = 1, void (*tweak)(gic_config *) = nullptr) {
        gic_config c;
        gic_config_default(&c, v);
        c.num_cpus = cpus;
        if (tweak) tweak(&c);
        int rc = gic_create(&c, &g);
        if (rc != GIC_OK) { ADD_FAILURE() << "gic_create: " << gic_strerror(rc); g = nullptr; }
    }
    explicit Gic(const gic_config &c) {
        int rc = gic_create(&c, &g);
        if (rc != GIC_OK) { ADD_FAILURE() << "gic_create: " << gic_strerror(rc); g = nullptr; }
    }
    ~Gic() { gic_destroy(g); }
    Gic(const Gic &) = delete;
    Gic &operator=(const Gic &) = delete;

    uint64_t rd(gic_frame f, uint32_t off, unsigned size = 4, unsigned cpu = 0) {
        uint64_t v = 0xdeadbeef;
        int rc = gic_read(g, f, cpu, off, size, &v);
        EXPECT_EQ(rc, GIC_OK) << "read frame " << f << " off 0x" << std::hex << off;
        settle();
        return v;
    }
    void wr(gic_frame f, uint32_t off, uint64_t val, unsigned size = 4, unsigned cpu = 0) {
        int rc = gic_write(g, f, cpu, off, size, val);
        EXPECT_EQ(rc, GIC_OK) << "write frame " << f << " off 0x" << std::hex << off;
        settle();
    }
    int rd_status(gic_frame f, uint32_t off, unsigned size, unsigned cpu = 0, uint64_t *v = nullptr) {
        uint64_t tmp;
        int rc = gic_read(g, f, cpu, off, size, v ? v : &tmp);
        settle();
        return rc;
    }
    int wr_status(gic_frame f, uint32_t off, uint64_t val, unsigned size, unsigned cpu = 0) {
        int rc = gic_write(g, f, cpu, off, size, val);
        settle();
        return rc;
    }
    // GICv2 frames
    uint64_t gicd(uint32_t off, unsigned size = 4, unsigned cpu = 0) { return rd(GIC_FRAME_GICD, off, size, cpu); }
    void gicd_w(uint32_t off, uint64_t v, unsigned size = 4, unsigned cpu = 0) { wr(GIC_FRAME_GICD, off, v, size, cpu); }
    uint64_t gicc(uint32_t off, unsigned cpu = 0) { return rd(GIC_FRAME_GICC, off, 4, cpu); }
    void gicc_w(uint32_t off, uint64_t v, unsigned cpu = 0) { wr(GIC_FRAME_GICC, off, v, 4, cpu); }
    uint64_t gich(uint32_t off, unsigned cpu = 0) { return rd(GIC_FRAME_GICH, off, 4, cpu); }
    void gich_w(uint32_t off, uint64_t v, unsigned cpu = 0) { wr(GIC_FRAME_GICH, off, v, 4, cpu); }
    uint64_t gicv(uint32_t off, unsigned cpu = 0) { return rd(GIC_FRAME_GICV, off, 4, cpu); }
    void gicv_w(uint32_t off, uint64_t v, unsigned cpu = 0) { wr(GIC_FRAME_GICV, off, v, 4, cpu); }
    // GICv3 frames
    uint64_t rdb(uint32_t off, unsigned cpu = 0, unsigned size = 4) { return rd(GIC_FRAME_GICR_RD, off, size, cpu); }
    void rdb_w(uint32_t off, uint64_t v, unsigned cpu = 0, unsigned size = 4) { wr(GIC_FRAME_GICR_RD, off, v, size, cpu); }
    uint64_t sgi(uint32_t off, unsigned cpu = 0, unsigned size = 4) { return rd(GIC_FRAME_GICR_SGI, off, size, cpu); }
    void sgi_w(uint32_t off, uint64_t v, unsigned cpu = 0, unsigned size = 4) { wr(GIC_FRAME_GICR_SGI, off, v, size, cpu); }
    uint64_t icc(uint32_t e, unsigned cpu = 0) { return rd(GIC_FRAME_SYSREG, e, 8, cpu); }
    void icc_w(uint32_t e, uint64_t v, unsigned cpu = 0) { wr(GIC_FRAME_SYSREG, e, v, 8, cpu); }
    uint64_t icv(uint32_t e, unsigned cpu = 0) { return rd(GIC_FRAME_VSYSREG, e, 8, cpu); }
    void icv_w(uint32_t e, uint64_t v, unsigned cpu = 0) { wr(GIC_FRAME_VSYSREG, e, v, 8, cpu); }

    void spi(uint32_t intid, bool level) { EXPECT_EQ(gic_set_spi(g, intid, level), GIC_OK); settle(); }
    void ppi(unsigned cpu, uint32_t intid, bool level) { EXPECT_EQ(gic_set_ppi(g, cpu, intid, level), GIC_OK); settle(); }
    uint32_t out(unsigned cpu = 0) { return gic_outputs(g, cpu); }

    // Run until nothing is in flight (all messages delivered, all outputs settled).
    void settle() {
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
                           unsigned cpu = 0) {
    Access a{(uint8_t)f, (uint8_t)write, (uint8_t)size, (uint16_t)cpu, off, data};
    gic_response r{};
    EXPECT_EQ(gic_access(g.g, &a, &r), GIC_OK);
    g.settle();
    return r;
}

// The physical side of a vgic_hw_ops.access callback in tests: the access through the register port,
// settled; 0, or the kernel's or the access's error status.
inline int settled_access(Gic &g, const Access *a, uint64_t *r) {
    gic_response rsp;
    int rc = gic_access(g.g, a, &rsp);
    if (rc != GIC_OK) return rc;
    g.settle();
    if (rsp.status != GIC_OK) return rsp.status;
    *r = rsp.data;
    return 0;
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
    static void cb(void *ctx, const gic_trace_event *e) { static_cast<TraceLog *>(ctx)->ev.push_back(*e); }
    void attach(gic_t *g) { gic_set_trace(g, &TraceLog::cb, this); }
    std::string text() const {
        std::string s;
        char buf[256];
        for (auto &e : ev) { gic_trace_format(&e, buf, sizeof buf); s += buf; s += '\n'; }
        return s;
    }
    size_t count(unsigned kind) const {
        size_t n = 0;
        for (auto &e : ev) n += e.kind == kind;
        return n;
    }
};

}  // namespace gt
