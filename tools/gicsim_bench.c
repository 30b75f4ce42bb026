/* gicsim_bench.c: speed of the C kernels: register accesses, interrupt round trips, simulated cycles per second. */
#define _POSIX_C_SOURCE 200809L
#include "gicsim/gic.h"
#include "gicsim/gic_regs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static gic_t *make(enum gic_version v, unsigned cpus, unsigned spis)
{
    struct gic_config c;
    gic_config_default(&c, v);
    c.num_cpus = cpus;
    c.num_spis = spis;
    gic_t *g = NULL;
    if (gic_create(&c, &g) != GIC_OK) {
        fprintf(stderr, "gicsim_bench: cannot create a GIC\n");
        exit(2);
    }
    return g;
}

/* Runs to the next event; a refusal (GIC_E_TIME, the end of the GIC's time) ends the program (exit 2) instead of
 * spinning on it. */
static void run_to_next_event(gic_t *g)
{
    int rc = gic_run_until(g, gic_next_event(g) + 1);
    if (rc != GIC_OK) {
        fprintf(stderr, "gicsim_bench: the GIC cannot run on: %s\n", gic_strerror(rc));
        exit(2);
    }
}

static void settle(gic_t *g)
{
    while (!gic_quiescent(g)) run_to_next_event(g);
}

static void wr(gic_t *g, enum gic_frame f, unsigned cpu, uint32_t off, unsigned size, uint64_t v)
{
    if (gic_write(g, f, cpu, off, size, v) != GIC_OK) {
        fprintf(stderr, "gicsim_bench: write failed\n");
        exit(1);
    }
}

/* (1) Register access through the C API: read GICD_IPRIORITYR, blocking. */
static void bench_access(unsigned long n)
{
    gic_t *g = make(GIC_V3, 1, 256);
    uint64_t v, sum = 0;
    double t0 = now_s();
    for (unsigned long i = 0; i < n; i++) {
        gic_read(g, GIC_FRAME_GICD, 0, 0x420, 4, &v);
        sum += v;
    }
    double dt = now_s() - t0;
    printf("%-58s %10.1f ns/access  %8.2f M accesses/s  (%llu cycles simulated)\n",
           "register read through gic_read() (GICD_IPRIORITYR8)", dt / (double)n * 1e9, (double)n / dt / 1e6,
           (unsigned long long)gic_now(g));
    gic_destroy(g);
    (void)sum;
}

/* (2) SPI round trip on GICv3: raise the line, run to IRQ, IAR, drop the line, EOIR. The work per
 * interrupt must not depend on how many idle interrupts and CPUs there are. */
static void bench_roundtrip(enum gic_version v, unsigned cpus, unsigned spis, unsigned long n)
{
    gic_t *g = make(v, cpus, spis);
    const uint32_t IAR1 = ICC_IAR1_EL1_ENC, EOIR1 = ICC_EOIR1_EL1_ENC;
    uint32_t intid = 32 + spis - 1; /* the last SPI: the worst place for a scan */
    if (v == GIC_V3) {
        for (unsigned c = 0; c < cpus; c++) {
            wr(g, GIC_FRAME_GICR_RD, c, 0x14, 4, 0);
            wr(g, GIC_FRAME_SYSREG, c, ICC_PMR_EL1_ENC, 8, 0xff);
            wr(g, GIC_FRAME_SYSREG, c, ICC_IGRPEN1_EL1_ENC, 8, 1);
        }
        wr(g, GIC_FRAME_GICD, 0, 0x000, 4, 0x2);
        wr(g, GIC_FRAME_GICD, 0, 0x080 + (intid / 32) * 4, 4, 1u << (intid % 32));
    } else {
        wr(g, GIC_FRAME_GICD, 0, 0x000, 4, 0x1);
        for (unsigned c = 0; c < cpus; c++) {
            wr(g, GIC_FRAME_GICC, c, 0x000, 4, 0x1);
            wr(g, GIC_FRAME_GICC, c, 0x004, 4, 0xff);
        }
        if (cpus > 1) wr(g, GIC_FRAME_GICD, 0, 0x800 + intid, 1, 1);
    }
    wr(g, GIC_FRAME_GICD, 0, 0x100 + (intid / 32) * 4, 4, 1u << (intid % 32));
    settle(g);
    gic_cycle_t c0 = gic_now(g);
    double t0 = now_s();
    unsigned long bad = 0;
    for (unsigned long i = 0; i < n; i++) {
        uint64_t id = 0;
        gic_set_spi(g, intid, true);
        while (!(gic_outputs(g, 0) & GIC_OUT_IRQ)) run_to_next_event(g);
        if (v == GIC_V3) gic_read(g, GIC_FRAME_SYSREG, 0, IAR1, 8, &id);
        else gic_read(g, GIC_FRAME_GICC, 0, 0x00c, 4, &id);
        bad += (id & 0x3ff) != intid;
        gic_set_spi(g, intid, false);
        if (v == GIC_V3) gic_write(g, GIC_FRAME_SYSREG, 0, EOIR1, 8, id);
        else gic_write(g, GIC_FRAME_GICC, 0, 0x010, 4, id);
        settle(g);
    }
    double dt = now_s() - t0;
    unsigned long long cyc = (unsigned long long)(gic_now(g) - c0);
    char what[96];
    snprintf(what, sizeof what, "SPI round trip GICv%d, %u CPU%s, %u SPIs", v == GIC_V3 ? 3 : 2, cpus,
             cpus > 1 ? "s" : "", spis);
    printf("%-58s %10.1f ns/irq     %8.2f M irq/s  %7.1f M cycles/s (%.1f cycles/irq)%s\n", what, dt / (double)n * 1e9,
           (double)n / dt / 1e6, (double)cyc / dt / 1e6, (double)cyc / (double)n, bad ? "  WRONG INTID" : "");
    gic_destroy(g);
    if (bad) exit(1);
}

/* (3) LPI round trip through the ITS: an MSI (GITS_TRANSLATER write), run to IRQ, IAR, EOIR. The GIC's tables live in
 * a flat memory behind the memory port (docs/lpi.md); `cache` entries in the LPI configuration and ITS caches. */
#define MEM_BASE 0x40000000ull
#define MEM_SIZE 0x400000ull
static int mem_rd(void *ctx, uint64_t a, void *buf, uint32_t n)
{
    if (a < MEM_BASE || a - MEM_BASE + n > MEM_SIZE) return -1;
    memcpy(buf, (uint8_t *)ctx + (a - MEM_BASE), n);
    return 0;
}
static int mem_wr(void *ctx, uint64_t a, const void *buf, uint32_t n)
{
    if (a < MEM_BASE || a - MEM_BASE + n > MEM_SIZE) return -1;
    memcpy((uint8_t *)ctx + (a - MEM_BASE), buf, n);
    return 0;
}

/* The LPI tables, the ITS on, device 0 event 0 -> LPI 8192 on CPU 0 (MAPD, MAPC, MAPTI, SYNC). */
static void lpi_setup(gic_t *g, uint8_t *mem)
{
    const uint64_t prop = MEM_BASE + 0x100000, pend = MEM_BASE + 0x200000, dt = MEM_BASE + 0x300000;
    const uint64_t ct = MEM_BASE + 0x310000, cq = MEM_BASE + 0x320000, itt = MEM_BASE + 0x330000;
    static const struct gic_mem_ops ops = { mem_rd, mem_wr, NULL };
    if (gic_set_memory(g, &ops, mem) != GIC_OK) exit(2);
    mem[prop - MEM_BASE] = 0xa1;
    wr(g, GIC_FRAME_GICR_RD, 0, 0x70, 8, prop | 15);
    wr(g, GIC_FRAME_GICR_RD, 0, 0x78, 8, pend);
    wr(g, GIC_FRAME_GICR_RD, 0, 0x00, 4, 1);
    wr(g, GIC_FRAME_GICR_RD, 0, 0x14, 4, 0);
    wr(g, GIC_FRAME_SYSREG, 0, ICC_PMR_EL1_ENC, 8, 0xff);
    wr(g, GIC_FRAME_SYSREG, 0, ICC_IGRPEN1_EL1_ENC, 8, 1);
    wr(g, GIC_FRAME_GICD, 0, 0x000, 4, 0x2);
    const uint64_t cmds[4][4] = {
        { 0x08, 4, 1ull << 63 | itt }, { 0x09, 0, 1ull << 63 }, { 0x0a, 8192ull << 32 }, { 0x05 }
    };
    memcpy(mem + (cq - MEM_BASE), cmds, sizeof cmds); /* little-endian host */
    wr(g, GIC_FRAME_GITS, 0, 0x100, 8, 1ull << 63 | dt | 0x200);
    wr(g, GIC_FRAME_GITS, 0, 0x108, 8, 1ull << 63 | ct | 0x200);
    wr(g, GIC_FRAME_GITS, 0, 0x80, 8, 1ull << 63 | cq);
    wr(g, GIC_FRAME_GITS, 0, 0x00, 4, 1);
    wr(g, GIC_FRAME_GITS, 0, 0x88, 8, 4 * 32);
    settle(g);
}

static void bench_lpi_roundtrip(unsigned cache, unsigned long n)
{
    struct gic_config c;
    gic_config_default(&c, GIC_V3);
    c.lpi_cache = c.its_cache = cache;
    gic_t *g = NULL;
    uint8_t *mem = calloc(1, MEM_SIZE);
    if (!mem || gic_create(&c, &g) != GIC_OK) exit(2);
    lpi_setup(g, mem);
    gic_cycle_t c0 = gic_now(g);
    double t0 = now_s();
    unsigned long bad = 0;
    for (unsigned long i = 0; i < n; i++) {
        uint64_t id = 0;
        gic_write(g, GIC_FRAME_GITS_TR, 0, 0x40, 4, 0); /* DeviceID 0, EventID 0 */
        while (!(gic_outputs(g, 0) & GIC_OUT_IRQ)) run_to_next_event(g);
        gic_read(g, GIC_FRAME_SYSREG, 0, ICC_IAR1_EL1_ENC, 8, &id);
        bad += id != 8192;
        gic_write(g, GIC_FRAME_SYSREG, 0, ICC_EOIR1_EL1_ENC, 8, id);
        settle(g);
    }
    double dt = now_s() - t0;
    unsigned long long cyc = (unsigned long long)(gic_now(g) - c0);
    char what[96];
    snprintf(what, sizeof what, "LPI round trip through the ITS, GICv3, 1 CPU, caches %u", cache);
    printf("%-58s %10.1f ns/irq     %8.2f M irq/s  %7.1f M cycles/s (%.1f cycles/irq)%s\n", what, dt / (double)n * 1e9,
           (double)n / dt / 1e6, (double)cyc / dt / 1e6, (double)cyc / (double)n, bad ? "  WRONG INTID" : "");
    gic_destroy(g);
    free(mem);
    if (bad) exit(1);
}

/* (4) Idle time costs nothing: jump a billion idle cycles. */
static void bench_idle(void)
{
    gic_t *g = make(GIC_V3, 64, 988);
    double t0 = now_s();
    for (int i = 0; i < 1000; i++)
        if (gic_step(g, 1000000) != GIC_OK) exit(2); /* 10^9 cycles: far from the end of time */
    double dt = now_s() - t0;
    printf("%-58s %10.1f ns per 1e6 idle cycles\n", "idle time, 64 CPUs, 988 SPIs (gic_step)", dt / 1000 * 1e9);
    gic_destroy(g);
}

int main(int argc, char **argv)
{
    unsigned long n = 200000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) {
            puts("usage: gicsim_bench [--iterations N]\nPrints the speed of the C kernels (see docs/architecture.md).");
            return 0;
        } else if (!strcmp(argv[i], "--iterations") && i + 1 < argc) {
            n = strtoul(argv[++i], NULL, 0);
            if (!n) {
                fputs("gicsim_bench: --iterations takes a positive number\n", stderr);
                return 2;
            }
        } else {
            fprintf(stderr, "gicsim_bench: unknown argument '%s'\n", argv[i]);
            return 2;
        }
    }
    printf("gicsim kernel benchmark, %lu iterations per row\n", n);
    bench_access(n * 5);
    bench_roundtrip(GIC_V2, 1, 32, n);
    bench_roundtrip(GIC_V2, 8, 988, n);
    bench_roundtrip(GIC_V3, 1, 32, n);
    bench_roundtrip(GIC_V3, 1, 988, n);
    bench_roundtrip(GIC_V3, 64, 988, n);
    bench_lpi_roundtrip(64, n);
    bench_lpi_roundtrip(0, n);
    bench_idle();
    return 0;
}
