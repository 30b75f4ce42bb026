/* fuzz_capi.c: libFuzzer target for the C API (model/include/gicsim/gic.h).
 *
 * The input is a configuration followed by a stream of operations: register accesses (every frame,
 * size, CPU and offset, system registers by encoding), input line changes, steps, jumps in time (up to
 * the end of time, GIC_CYCLE_LIMIT), peeks and resets. Two instances of the same configuration get
 * the same stream: instance A advances one cycle at a time (gic_step(1)), instance B from event to
 * event (gic_run_until(gic_next_event() + 1)) and through gic_access(). They must agree on every
 * status, response, cycle, output pin, peeked register and trace event, and keep the API's
 * invariants (gic_next_event() >= gic_now(), gic_now() <= GIC_CYCLE_LIMIT). Each instance has its own 64 KiB of
 * memory behind its memory port (LPI and ITS tables, docs/lpi.md), the same at the end. Any difference aborts,
 * which libFuzzer reports as a crash. docs/fuzzing.md explains how to run and minimise. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gicsim/gic.h"

#include "fuzz_input.h"

/* A running hash of an instance's trace events (FNV-1a over the fields). */
struct trace_hash {
    uint64_t h;
    uint64_t count;
};

static void hash_u64(struct trace_hash *t, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        t->h ^= (v >> (8 * i)) & 0xff;
        t->h *= UINT64_C(0x100000001b3);
    }
}

static void on_trace(void *ctx, const struct gic_trace_event *ev)
{
    struct trace_hash *t = ctx;
    hash_u64(t, ev->cycle);
    hash_u64(t, (uint64_t)ev->kind << 32 | ev->cpu);
    hash_u64(t, ev->intid);
    hash_u64(t, ev->value);
    hash_u64(t, ev->aux);
    t->count++;
}

/* The memory behind an instance's memory port: 64 KiB at address 0; beyond it bus errors. */
#define FZ_MEM 0x10000u
static int fz_mem_rd(void *ctx, uint64_t a, void *buf, uint32_t n)
{
    if (a >= FZ_MEM || n > FZ_MEM - a) return -1;
    memcpy(buf, (uint8_t *)ctx + a, n);
    return 0;
}
static int fz_mem_wr(void *ctx, uint64_t a, const void *buf, uint32_t n)
{
    if (a >= FZ_MEM || n > FZ_MEM - a) return -1;
    memcpy((uint8_t *)ctx + a, buf, n);
    return 0;
}

struct pair {
    gic_t *a, *b;
    struct trace_hash ta, tb;
    unsigned cpus, spis;
    uint8_t mem_a[FZ_MEM], mem_b[FZ_MEM];
};

static void check_same(struct pair *p, const char *after)
{
    gic_cycle_t na = gic_now(p->a), nb = gic_now(p->b);
    CHECK(na == nb, "after %s: now %llu vs %llu", after, (unsigned long long)na, (unsigned long long)nb);
    CHECK(na <= GIC_CYCLE_LIMIT, "after %s: now %llu past the limit", after, (unsigned long long)na);
    gic_cycle_t ea = gic_next_event(p->a), eb = gic_next_event(p->b);
    CHECK(ea == eb, "after %s: next event %llu vs %llu", after, (unsigned long long)ea, (unsigned long long)eb);
    CHECK(ea >= na, "after %s: next event %llu before now %llu", after, (unsigned long long)ea, (unsigned long long)na);
    CHECK(gic_quiescent(p->a) == gic_quiescent(p->b), "after %s: quiescent differs", after);
    CHECK(!gic_quiescent(p->a) || ea == GIC_CYCLE_NEVER, "after %s: quiescent with an event at %llu", after,
          (unsigned long long)ea);
    for (unsigned c = 0; c < p->cpus; c++)
        CHECK(gic_outputs(p->a, c) == gic_outputs(p->b, c), "after %s: outputs of CPU %u differ", after, c);
    CHECK(p->ta.count == p->tb.count && p->ta.h == p->tb.h, "after %s: traces differ (%llu vs %llu events)", after,
          (unsigned long long)p->ta.count, (unsigned long long)p->tb.count);
}

/* A: one cycle at a time; B: event to event. `cycles` is small (the caller bounds it). */
static void advance(struct pair *p, uint64_t cycles)
{
    gic_cycle_t target = gic_now(p->b) + cycles;
    if (target > GIC_CYCLE_LIMIT) { /* refused as a whole (nothing changes): one call each */
        int ra = gic_step(p->a, cycles), rb = gic_step(p->b, cycles);
        CHECK(ra == GIC_E_TIME && rb == GIC_E_TIME, "step %llu past the end: %d, %d", (unsigned long long)cycles, ra,
              rb);
        return;
    }
    int ra = GIC_OK;
    for (uint64_t i = 0; i < cycles && ra == GIC_OK; i++) ra = gic_step(p->a, 1);
    int rb = GIC_OK;
    while (rb == GIC_OK && gic_now(p->b) < target) {
        gic_cycle_t e = gic_next_event(p->b);
        gic_cycle_t to = e != GIC_CYCLE_NEVER && e < target ? e + 1 : target;
        rb = gic_run_until(p->b, to);
    }
    CHECK(ra == rb, "step %llu: status %d vs %d", (unsigned long long)cycles, ra, rb);
}

static void do_access(struct pair *p, struct fuzz_input *in, bool sysreg)
{
    struct gic_access acc = { 0 };
    uint8_t k = fz_u8(in);
    acc.write = k & 1;
    static const uint8_t sizes[] = { 4, 8, 1, 2 };
    acc.size = sizes[(k >> 1) & 3];
    acc.cpu = (uint16_t)(fz_u8(in) % (p->cpus + 1)); /* one past the last CPU now and then */
    if (sysreg) {
        acc.frame = (k & 0x80) ? GIC_FRAME_VSYSREG : GIC_FRAME_SYSREG;
        uint8_t e = fz_u8(in);
        static const uint8_t op1s[] = { 0, 4, 6, 1 };
        acc.offset = GIC_SYSREG_ENC(3, op1s[(e >> 6) & 3], 12, 8 + (e & 7), (e >> 3) & 7);
        acc.size = 8;
    } else {
        /* The MMIO frames: GICD .. GICV, and the ITS's two frames for 6 and 7 (a GITS_TR `cpu` is a DeviceID). */
        static const uint8_t mmio[8] = { GIC_FRAME_GICD, GIC_FRAME_GICR_RD, GIC_FRAME_GICR_SGI, GIC_FRAME_GICC,
                                         GIC_FRAME_GICH, GIC_FRAME_GICV,    GIC_FRAME_GITS,     GIC_FRAME_GITS_TR };
        acc.frame = mmio[(k >> 3) & 7];
        uint32_t off = fz_u16(in);
        if (k & 0x40) off |= (uint32_t)fz_u8(in) << 16;    /* the redistributor and large frames */
        if (!(k & 0x80)) off &= ~(uint32_t)(acc.size - 1); /* mostly aligned */
        acc.offset = off;
    }
    acc.data = fz_u64(in);

    /* A: submit, then single cycles until the response is there. */
    uint64_t tag = 0;
    struct gic_response ra = { 0 }, rb = { 0 };
    int sa = gic_submit(p->a, &acc, &tag);
    int ca = sa;
    if (sa == GIC_OK) {
        for (unsigned guard = 0; guard < 1u << 22; guard++) {
            ca = gic_collect(p->a, tag, &ra);
            if (ca != GIC_E_AGAIN) break;
            CHECK(gic_step(p->a, 1) == GIC_OK, "stepping to a response");
        }
        CHECK(ca != GIC_E_AGAIN, "no response after 2^22 cycles");
    }
    /* B: the blocking call. */
    int cb = gic_access(p->b, &acc, &rb);
    CHECK(ca == cb, "access frame %u off 0x%x size %u cpu %u write %u: status %d vs %d", acc.frame, acc.offset,
          acc.size, acc.cpu, acc.write, ca, cb);
    if (ca == GIC_OK) {
        CHECK(ra.status == rb.status && ra.data == rb.data && ra.reserved == rb.reserved,
              "access frame %u off 0x%x: response %d/0x%llx vs %d/0x%llx", acc.frame, acc.offset, ra.status,
              (unsigned long long)ra.data, rb.status, (unsigned long long)rb.data);
        CHECK(ra.issue == rb.issue && ra.effect == rb.effect && ra.done == rb.done, "access cycles differ");
        CHECK(ra.issue <= ra.effect && ra.effect <= ra.done, "access cycles out of order");
    }
}

static void lines(struct pair *p, struct fuzz_input *in)
{
    uint8_t k = fz_u8(in);
    bool level = k & 1;
    int ra, rb;
    if (k & 2) {
        uint32_t intid = 32 + fz_u16(in) % (p->spis + 2); /* sometimes out of range */
        ra = gic_set_spi(p->a, intid, level);
        rb = gic_set_spi(p->b, intid, level);
    } else {
        uint32_t cpu = fz_u8(in) % (p->cpus + 1), intid = fz_u8(in) % 34;
        ra = gic_set_ppi(p->a, cpu, intid, level);
        rb = gic_set_ppi(p->b, cpu, intid, level);
    }
    CHECK(ra == rb, "line change: status %d vs %d", ra, rb);
}

static void peek(struct pair *p, struct fuzz_input *in)
{
    uint8_t k = fz_u8(in);
    enum gic_frame f = (enum gic_frame)(k % GIC_FRAME_COUNT);
    unsigned cpu = fz_u8(in) % p->cpus;
    uint32_t off = fz_u16(in) & ~3u;
    if (f == GIC_FRAME_SYSREG || f == GIC_FRAME_VSYSREG) {
        uint8_t e = fz_u8(in);
        off = GIC_SYSREG_ENC(3, (e & 0x40) ? 4 : 0, 12, 8 + (e & 7), (e >> 3) & 7);
    }
    unsigned size = (f == GIC_FRAME_SYSREG || f == GIC_FRAME_VSYSREG) ? 8 : 4;
    uint64_t va = 0, vb = 0;
    int ra = gic_peek(p->a, f, cpu, off, size, &va), rb = gic_peek(p->b, f, cpu, off, size, &vb);
    CHECK(ra == rb && va == vb, "peek frame %u off 0x%x cpu %u: %d/0x%llx vs %d/0x%llx", f, off, cpu, ra,
          (unsigned long long)va, rb, (unsigned long long)vb);
}

/* A jump in time: both instances through gic_run_until (stepping there one cycle at a time is no option),
 * often close to the end of time so that the limit's rules are exercised. */
static void jump(struct pair *p, struct fuzz_input *in)
{
    uint8_t k = fz_u8(in);
    uint64_t d = fz_u64(in);
    gic_cycle_t now = gic_now(p->a), t;
    if (k & 1) t = GIC_CYCLE_LIMIT - (d & 0xff);      /* near the end */
    else if (k & 2) t = GIC_CYCLE_LIMIT + (d & 0xff); /* past it: refused */
    else if (k & 4) t = d;                            /* anything, also before now */
    else t = now + (d & 0xffff);
    if (!gic_quiescent(p->a) && t > now + 4096 && t <= GIC_CYCLE_LIMIT) t = now + 4096; /* keep A's work bounded */
    int ra = gic_run_until(p->a, t), rb = gic_run_until(p->b, t);
    CHECK(ra == rb, "run_until %llu: status %d vs %d", (unsigned long long)t, ra, rb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input in = { data, size, 0 };
    struct gic_config cfg;
    uint8_t c0 = fz_u8(&in), c1 = fz_u8(&in), c2 = fz_u8(&in), c3 = fz_u8(&in);
    gic_config_default(&cfg, (c0 & 1) ? GIC_V2 : GIC_V3);
    cfg.num_cpus = 1 + (c0 >> 1) % 4;
    cfg.num_spis = (uint32_t)(c1 % 5) * 32 + ((c1 & 0x80) ? 3 : 0); /* 0..131, sometimes not a multiple of 32 */
    cfg.num_lrs = (c2 & 7) % 5;
    cfg.prio_bits = 4 + (c2 >> 3) % 5;
    cfg.cpu_prio_bits = (c2 & 0x80) ? 4 + c3 % 5 : 0;
    if (cfg.version == GIC_V3) {
        cfg.vprio_bits = 5 + (c3 >> 3) % 4;
        cfg.vpre_bits = 5 + (c3 >> 5) % 3;
        cfg.one_of_n = c3 & 1;
    }
    cfg.maint_ppi = (c3 & 2) ? 25 : 0;
    if (fz_u8(&in) & 1) { /* small, varied latencies */
        uint32_t *f[] = { &cfg.timing.req,   &cfg.timing.resp,    &cfg.timing.ack,   &cfg.timing.line,
                          &cfg.timing.prio,  &cfg.timing.deliver, &cfg.timing.deact, &cfg.timing.hwdeact,
                          &cfg.timing.maint, &cfg.timing.out,     &cfg.timing.mem,   &cfg.timing.its };
        for (unsigned i = 0; i < sizeof f / sizeof f[0]; i++) *f[i] = fz_u8(&in) % 6;
    }
    if (cfg.version == GIC_V3) { /* small caches meet evictions */
        cfg.lpi_cache = c3 & 4 ? 0 : 1u << (c3 >> 5);
        cfg.its_cache = c3 & 8 ? 0 : 1u << (c3 >> 6);
        cfg.direct_lpi = c3 & 0x10;
    }
    static struct pair p;
    memset(&p, 0, sizeof p);
    p.cpus = cfg.num_cpus;
    p.spis = cfg.num_spis;
    p.ta.h = p.tb.h = UINT64_C(0xcbf29ce484222325);
    int ra = gic_create(&cfg, &p.a), rb = gic_create(&cfg, &p.b);
    CHECK(ra == rb, "gic_create: %d vs %d", ra, rb);
    if (ra != GIC_OK) {
        CHECK(!p.a && !p.b, "a refused configuration left an instance");
        return 0;
    }
    gic_set_trace(p.a, on_trace, &p.ta);
    gic_set_trace(p.b, on_trace, &p.tb);
    static const struct gic_mem_ops mops = { fz_mem_rd, fz_mem_wr, NULL };
    CHECK(gic_set_memory(p.a, &mops, p.mem_a) == GIC_OK && gic_set_memory(p.b, &mops, p.mem_b) == GIC_OK,
          "gic_set_memory");
    unsigned ops = 0;
    while (fz_left(&in) && ops++ < 512) {
        uint8_t op = fz_u8(&in);
        switch (op % 8) {
        case 0:
        case 1: do_access(&p, &in, false); break;
        case 2: do_access(&p, &in, true); break;
        case 3: lines(&p, &in); break;
        case 4: advance(&p, fz_u8(&in) % 64); break;
        case 5: peek(&p, &in); break;
        case 6: jump(&p, &in); break;
        case 7:
            if (op & 0x80) {
                gic_reset(p.a);
                gic_reset(p.b);
            } else advance(&p, 1);
            break;
        }
        check_same(&p, "an operation");
    }
    /* The end: let both settle (bounded) and compare once more, with a sweep of peeks over the distributor. */
    for (unsigned i = 0; i < 16 && !gic_quiescent(p.b); i++) advance(&p, 64);
    check_same(&p, "the end");
    for (uint32_t off = 0; off < 0x1000; off += 4) {
        uint64_t va = 0, vb = 0;
        int sa = gic_peek(p.a, GIC_FRAME_GICD, 0, off, 4, &va), sb = gic_peek(p.b, GIC_FRAME_GICD, 0, off, 4, &vb);
        CHECK(sa == sb && va == vb, "GICD peek 0x%x differs at the end", off);
    }
    CHECK(!memcmp(p.mem_a, p.mem_b, FZ_MEM), "the memories differ at the end");
    gic_destroy(p.a);
    gic_destroy(p.b);
    return 0;
}

FUZZ_KEEP_STDERR_AT_INIT
