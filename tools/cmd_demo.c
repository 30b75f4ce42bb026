/* cmd_demo.c: `gicsim demo`: a hardware-mapped interrupt through SPEND, acknowledge and deactivation, with cycle stamps. */
#include "commands.h"
#include "vcd_cli.h"
#include "gicsim/gic_regs.h"

#include <stdio.h>
#include <string.h>

/* ---------------- demo: a HW-mapped interrupt through SPEND, acknowledge and deactivation ---------------- */
struct demo {
    gic_t *g;
    enum gic_version v;
    bool full_trace;
    int failures;
    struct vcd_cli vcd; /* --vcd FILE [--vcd-from N] [--vcd-to N] */
};

static void demo_trace(void *ctx, const struct gic_trace_event *e)
{
    struct demo *d = ctx;
    char buf[200];
    /* Without --trace, show the architectural events a reader follows; register accesses are
     * printed by the steps themselves. */
    if (!d->full_trace) {
        switch (e->kind) {
        case GIC_TR_PENDING:
        case GIC_TR_ACTIVE:
        case GIC_TR_LR:
        case GIC_TR_HWDEACT:
        case GIC_TR_DEACT:
        case GIC_TR_OUTPUT:
        case GIC_TR_ACK:
        case GIC_TR_VACK: break;
        default: return;
        }
    }
    gic_trace_format(e, buf, sizeof buf);
    printf("    %s\n", buf);
}

/* Runs until nothing is in flight; a refusal (GIC_E_TIME: the end of the GIC's time) stops it and counts as a
 * failure instead of spinning. */
static void settle(struct demo *d)
{
    while (!gic_quiescent(d->g)) {
        int rc = gic_run_until(d->g, gic_next_event(d->g) + 1);
        if (rc != GIC_OK) {
            fprintf(stderr, "gicsim: demo: the GIC cannot run on: %s\n", gic_strerror(rc));
            d->failures++;
            return;
        }
    }
}

static uint64_t acc(struct demo *d, enum gic_frame f, uint32_t off, unsigned size, bool write, uint64_t val,
                    const char *what)
{
    struct gic_access a = { (uint8_t)f, write, (uint8_t)size, 0, off, val };
    struct gic_response r;
    printf("  cycle %-5llu %s\n", (unsigned long long)gic_now(d->g), what);
    int rc = gic_access(d->g, &a, &r);
    if (rc != GIC_OK || r.status != GIC_OK) {
        fprintf(stderr, "gicsim: demo access failed: %s\n", gic_strerror(rc != GIC_OK ? rc : r.status));
        d->failures++;
    }
    settle(d);
    return r.data;
}

static void check(struct demo *d, bool ok, const char *what)
{
    printf("  check: %-62s %s\n", what, ok ? "ok" : "FAILED");
    if (!ok) d->failures++;
}

/* The options: 0 to go on, or the exit status (after --help or a usage error). */
static int demo_parse(struct demo *d, int argc, char **argv)
{
    vcd_cli_init(&d->vcd);
    for (int i = 0; i < argc; i++) {
        int taken = vcd_cli_option(&d->vcd, argc, argv, &i);
        if (taken == 1) continue;
        if (taken) return taken;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            puts("usage: gicsim demo [--gic v2|v3] [--trace] [--vcd FILE [--vcd-from N] [--vcd-to N]]\n\n"
                 "Drives one hardware-mapped interrupt (SPI 40 -> vINTID 40) through the path of the KVM change\n"
                 "\"Support VGIC dist pend/active changes for mapped IRQs\": the guest sets it pending on the virtual\n"
                 "distributor, the hypervisor activates the physical interrupt and fills a HW=1 list register,\n"
                 "the guest acknowledges and deactivates it, and the deactivation reaches the physical GIC.\n"
                 "Every event is printed with its GIC cycle (default timing, docs/timing.md).\n\n"
                 "  --gic v2|v3   GIC architecture version (default v2: GICH/GICV frames; v3: ICH/ICV system "
                 "registers)\n"
                 "  --trace       print every trace event, not only the architectural state changes\n"
                 "  --vcd FILE    write the GIC's waveform (VCD, one time unit per GIC cycle, the RTL reference's\n"
                 "                signal names: docs/waveforms.md)\n"
                 "  --vcd-from N, --vcd-to N  only the cycles N.. / ..N (the first one's values as $dumpvars)\n\n"
                 "Exit status: 0 when every check holds, 1 when one fails, 2 on bad usage or when standard output\n"
                 "or the waveform cannot be written.");
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--gic") && i + 1 < argc) {
            const char *v = argv[++i];
            if (!strcmp(v, "v2")) d->v = GIC_V2;
            else if (!strcmp(v, "v3")) d->v = GIC_V3;
            else return usage_error("--gic takes v2 or v3, not '%s'", v);
        } else if (!strcmp(argv[i], "--trace")) {
            d->full_trace = true;
        } else {
            return usage_error("demo: unknown argument '%s'", argv[i]);
        }
    }
    int rc = vcd_cli_check(&d->vcd);
    return rc ? rc : -1;
}

/* 1: the host's distributor and CPU interface (EOImode 1, A7), the virtual interface enabled */
static void demo_host_setup(struct demo *d, uint32_t P)
{
    puts("1. Host set-up: SPI 40 enabled, host CPU interface with EOImode=1 (SEMANTICS A7)");
    if (d->v == GIC_V2) {
        /* As Linux on a GICv2 without Security Extensions: Group 0, signalled as IRQ (FIQEn=0). */
        acc(d, GIC_FRAME_GICD, 0x000, 4, true, 0x1, "write GICD_CTLR = EnableGrp0");
        acc(d, GIC_FRAME_GICD, 0x104, 4, true, 1u << (P - 32), "write GICD_ISENABLER1: enable SPI 40");
        acc(d, GIC_FRAME_GICC, 0x000, 4, true, 0x201, "write GICC_CTLR = EnableGrp0|EOImode");
        acc(d, GIC_FRAME_GICC, 0x004, 4, true, 0xff, "write GICC_PMR = 0xff");
        acc(d, GIC_FRAME_GICH, 0x000, 4, true, 0x1, "write GICH_HCR = En");
        acc(d, GIC_FRAME_GICV, 0x000, 4, true, 0x1, "guest: write GICV_CTLR = EnableGrp0");
        acc(d, GIC_FRAME_GICV, 0x004, 4, true, 0xf8, "guest: write GICV_PMR = 0xf8");
    } else {
        const uint32_t PMR = ICC_PMR_EL1_ENC, CTLR = ICC_CTLR_EL1_ENC, IGRPEN1 = ICC_IGRPEN1_EL1_ENC,
                       HCR = ICH_HCR_EL2_ENC, VMCR = ICH_VMCR_EL2_ENC;
        acc(d, GIC_FRAME_GICR_RD, 0x014, 4, true, 0, "write GICR_WAKER = 0 (wake the redistributor)");
        acc(d, GIC_FRAME_GICD, 0x000, 4, true, 0x3, "write GICD_CTLR = EnableGrp0|EnableGrp1");
        acc(d, GIC_FRAME_GICD, 0x084, 4, true, 1u << (P - 32), "write GICD_IGROUPR1: SPI 40 in Group 1");
        acc(d, GIC_FRAME_GICD, 0x104, 4, true, 1u << (P - 32), "write GICD_ISENABLER1: enable SPI 40");
        acc(d, GIC_FRAME_SYSREG, CTLR, 8, true, 0x2, "msr ICC_CTLR_EL1, EOImode=1");
        acc(d, GIC_FRAME_SYSREG, PMR, 8, true, 0xff, "msr ICC_PMR_EL1, 0xff");
        acc(d, GIC_FRAME_SYSREG, IGRPEN1, 8, true, 1, "msr ICC_IGRPEN1_EL1, 1");
        acc(d, GIC_FRAME_SYSREG, HCR, 8, true, 1, "msr ICH_HCR_EL2, En");
        acc(d, GIC_FRAME_SYSREG, VMCR, 8, true, 0xf8000002ull, "msr ICH_VMCR_EL2, VPMR=0xf8 VENG1=1");
    }
}

/* 2: the guest's SPEND, handled as B1: P.act := 1, then a HW=1 list register (B6) */
static void demo_guest_spend(struct demo *d, uint32_t P, uint32_t V)
{
    puts("\n2. Guest writes GICD_ISPENDR for vINTID 40 (trapped). The hypervisor applies SEMANTICS B1:\n"
         "   V.latch := 1 and P.act := 1 through the physical GICD_ISACTIVER, then fills a HW=1 list register (B6).");
    acc(d, GIC_FRAME_GICD, 0x304, 4, true, 1u << (P - 32), "hypervisor: write GICD_ISACTIVER1 (P.act := 1)");
    uint64_t act = 0;
    gic_peek(d->g, GIC_FRAME_GICD, 0, 0x304, 4, &act);
    check(d, (act >> (P - 32)) & 1, "physical SPI 40 is active before the guest can deactivate it");
    if (d->v == GIC_V2) {
        /* HW=1, Group 0, pending, priority 0x50, pINTID 40, vINTID 40 */
        uint32_t lr = (uint32_t)(GIC_FIELD_VAL(GICH_LR_HW, 1) | GIC_FIELD_VAL(GICH_LR_STATE, 1) |
                                 GIC_FIELD_VAL(GICH_LR_PRIORITY, 0x50 >> 3) | GIC_FIELD_VAL(GICH_LR_PHYSICALID, P) |
                                 GIC_FIELD_VAL(GICH_LR_VIRTUALID, V));
        acc(d, GIC_FRAME_GICH, GICH_LR_OFFSET, 4, true, lr,
            "hypervisor: write GICH_LR0 = HW|pending|prio 0x50|pINTID 40|vINTID 40");
    } else {
        uint64_t lr = GIC_FIELD_VAL(ICH_LR_EL2_STATE, 1) | GIC_FIELD_VAL(ICH_LR_EL2_HW, 1) |
                      GIC_FIELD_VAL(ICH_LR_EL2_GROUP, 1) | GIC_FIELD_VAL(ICH_LR_EL2_PRIORITY, 0x50) |
                      GIC_FIELD_VAL(ICH_LR_EL2_PINTID, P) | GIC_FIELD_VAL(ICH_LR_EL2_VINTID, V);
        acc(d, GIC_FRAME_SYSREG, ICH_LR_EL2_ENC, 8, true, lr,
            "hypervisor: msr ICH_LR0_EL2 = pending|HW|Group1|prio 0x50|pINTID 40|vINTID 40");
    }
    check(d, (gic_outputs(d->g, 0) & GIC_OUT_VIRQ) != 0, "virtual IRQ asserted to the vCPU");
}

/* 3: the guest acknowledges and completes; the HW=1 list register forwards the deactivation (A1) */
static void demo_guest_complete(struct demo *d, uint32_t P, uint32_t V, const struct gic_config *cfg)
{
    puts("\n3. The guest acknowledges and completes the virtual interrupt (virtual EOImode 0):\n"
         "   the EOI deactivates the HW=1 list register, which forwards a deactivation of pINTID 40 (SEMANTICS A1).");
    uint64_t iar;
    if (d->v == GIC_V2) iar = acc(d, GIC_FRAME_GICV, 0x00c, 4, false, 0, "guest: read GICV_IAR");
    else iar = acc(d, GIC_FRAME_VSYSREG, ICC_IAR1_EL1_ENC, 8, false, 0, "guest: mrs ICV_IAR1_EL1");
    check(d, (iar & 0x3ff) == V, "the guest acknowledged vINTID 40");
    gic_cycle_t eoi_at = gic_now(d->g);
    if (d->v == GIC_V2) acc(d, GIC_FRAME_GICV, 0x010, 4, true, iar, "guest: write GICV_EOIR");
    else acc(d, GIC_FRAME_VSYSREG, ICC_EOIR1_EL1_ENC, 8, true, iar, "guest: msr ICV_EOIR1_EL1");
    uint64_t act = 0;
    gic_peek(d->g, GIC_FRAME_GICD, 0, 0x304, 4, &act);
    check(d, !((act >> (P - 32)) & 1), "physical SPI 40 is no longer active");
    printf("  guest EOI issued at cycle %llu; physical deactivation at cycle %llu + req %u + hwdeact %u\n",
           (unsigned long long)eoi_at, (unsigned long long)eoi_at, cfg->timing.req, cfg->timing.hwdeact);
}

/* 4: the device asserts again and the host takes it: nothing blocks later physical interrupts */
static void demo_reassert(struct demo *d, uint32_t P)
{
    puts("\n4. The device raises SPI 40: the host receives it again (nothing blocks later physical interrupts).");
    gic_set_spi(d->g, P, true);
    printf("  cycle %-5llu device drives SPI 40 high\n", (unsigned long long)gic_now(d->g));
    settle(d);
    check(d, (gic_outputs(d->g, 0) & GIC_OUT_IRQ) != 0, "host IRQ asserted for the new physical assertion");
    uint64_t iar;
    if (d->v == GIC_V2) iar = acc(d, GIC_FRAME_GICC, 0x00c, 4, false, 0, "host: read GICC_IAR");
    else iar = acc(d, GIC_FRAME_SYSREG, ICC_IAR1_EL1_ENC, 8, false, 0, "host: mrs ICC_IAR1_EL1");
    check(d, (iar & 0x3ff) == P, "the host acknowledged SPI 40");
    if (d->v == GIC_V2) acc(d, GIC_FRAME_GICC, 0x010, 4, true, iar, "host: write GICC_EOIR (priority drop)");
    else acc(d, GIC_FRAME_SYSREG, ICC_EOIR1_EL1_ENC, 8, true, iar, "host: msr ICC_EOIR1_EL1 (priority drop)");
}

int cmd_demo(int argc, char **argv)
{
    struct demo d = { 0 };
    d.v = GIC_V2;
    int st = demo_parse(&d, argc, argv);
    if (st >= 0) return st;
    struct gic_config cfg;
    gic_config_default(&cfg, d.v);
    int rc = gic_create(&cfg, &d.g);
    if (rc != GIC_OK) {
        fprintf(stderr, "gicsim: %s\n", gic_strerror(rc));
        return EXIT_USAGE;
    }
    gic_set_trace(d.g, demo_trace, &d);
    gic_vcd_t *vcd = NULL; /* --vcd: chained before the demo's printing hook */
    if (vcd_cli_open(&d.vcd, d.g, &vcd)) {
        gic_destroy(d.g);
        return EXIT_USAGE;
    }
    const uint32_t P = 40, V = 40;
    printf("gicsim %s demo: hardware-mapped interrupt, GIC%s, SPI %u mapped to vINTID %u\n", GICSIM_VERSION,
           d.v == GIC_V3 ? "v3" : "v2", P, V);
    printf("timing: req %u, resp %u, ack %u, line %u, prio %u, deliver %u, deact %u, hwdeact %u, maint %u, out %u "
           "cycles\n\n",
           cfg.timing.req, cfg.timing.resp, cfg.timing.ack, cfg.timing.line, cfg.timing.prio, cfg.timing.deliver,
           cfg.timing.deact, cfg.timing.hwdeact, cfg.timing.maint, cfg.timing.out);
    demo_host_setup(&d, P);
    demo_guest_spend(&d, P, V);
    demo_guest_complete(&d, P, V, &cfg);
    demo_reassert(&d, P);
    printf("\n%s after %llu GIC cycles\n", d.failures ? "demo FAILED" : "demo finished: every check holds",
           (unsigned long long)gic_now(d.g));
    int vrc = vcd_cli_close(&d.vcd, vcd);
    gic_destroy(d.g);
    if (vrc) return vrc;
    return d.failures ? EXIT_CHECK : EXIT_OK;
}
