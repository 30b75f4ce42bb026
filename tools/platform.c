/* platform.c: QEMU-virt-compatible machine presets: memory map, bus splitting, GPIO numbering (INTERFACES.md 2-3). */
#include "platform.h"

#include <string.h>

#define VIRT_GICD 0x08000000u
#define VIRT_GICC 0x08010000u
#define VIRT_GICH 0x08030000u
#define VIRT_GICV 0x08040000u
#define VIRT_GICR 0x080A0000u
#define FRAME_64K 0x10000u
#define GICR_STRIDE 0x20000u

bool platform_preset_parse(const char *name, enum platform_preset *out)
{
    if (!strcmp(name, "virt-gicv2")) *out = PRESET_VIRT_GICV2;
    else if (!strcmp(name, "virt-gicv3")) *out = PRESET_VIRT_GICV3;
    else return false;
    return true;
}

const char *platform_preset_name(enum platform_preset p) { return p == PRESET_VIRT_GICV3 ? "virt-gicv3" : "virt-gicv2"; }

int platform_init(struct platform *p, enum platform_preset preset, unsigned smp)
{
    struct gic_config c;
    memset(p, 0, sizeof *p);
    gic_config_default(&c, preset == PRESET_VIRT_GICV3 ? GIC_V3 : GIC_V2);
    c.num_cpus = smp;
    p->preset = preset;
    p->smp = smp;
    return gic_create(&c, &p->gic);
}

void platform_fini(struct platform *p)
{
    gic_destroy(p->gic);
    p->gic = NULL;
}

gic_cycle_t platform_settle(struct platform *p)
{
    gic_cycle_t t0 = gic_now(p->gic);
    while (!gic_quiescent(p->gic)) gic_run_until(p->gic, gic_next_event(p->gic) + 1);
    return gic_now(p->gic) - t0;
}

/* The frame (and redistributor) an address decodes to; false when no GIC frame does. */
static bool decode(const struct platform *p, uint64_t addr, enum gic_frame *f, unsigned *cpu, uint32_t *off)
{
    *cpu = p->cpu;
    if (addr >= VIRT_GICD && addr < VIRT_GICD + FRAME_64K) {
        *f = GIC_FRAME_GICD;
        *off = (uint32_t)(addr - VIRT_GICD);
        return true;
    }
    if (p->preset == PRESET_VIRT_GICV2) {
        static const struct { uint32_t base; enum gic_frame f; } v2[] = {
            { VIRT_GICC, GIC_FRAME_GICC }, { VIRT_GICH, GIC_FRAME_GICH }, { VIRT_GICV, GIC_FRAME_GICV } };
        for (unsigned i = 0; i < 3; i++) {
            if (addr >= v2[i].base && addr < v2[i].base + FRAME_64K) {
                *f = v2[i].f;
                *off = (uint32_t)(addr - v2[i].base);
                return true;
            }
        }
        return false;
    }
    if (addr >= VIRT_GICR && addr < VIRT_GICR + (uint64_t)GICR_STRIDE * p->smp) {
        uint64_t rel = addr - VIRT_GICR;
        *cpu = (unsigned)(rel / GICR_STRIDE);
        rel %= GICR_STRIDE;
        *f = rel < FRAME_64K ? GIC_FRAME_GICR_RD : GIC_FRAME_GICR_SGI;
        *off = (uint32_t)(rel % FRAME_64K);
        return true;
    }
    return false;
}

int platform_access(struct platform *p, uint64_t addr, unsigned size, bool write, uint64_t wdata, uint64_t *rdata)
{
    enum gic_frame f;
    unsigned cpu;
    uint32_t off;
    uint64_t v = 0;
    int st = GIC_OK;
    if (rdata) *rdata = 0;
    if (!decode(p, addr, &f, &cpu, &off)) return GIC_OK; /* unmapped: RAZ/WI, as on QEMU virt */
    if (!write) {
        st = gic_read(p->gic, f, cpu, off, size, &v);
        /* A GICv2 has a 32-bit slave port: the interconnect splits a 64-bit access in two,
         * low word first (the GIC-400's AXI interface is 32 bits wide). */
        if (st == GIC_E_SIZE && size == 8 && p->preset == PRESET_VIRT_GICV2 && !(off & 7)) {
            uint64_t hi = 0;
            st = gic_read(p->gic, f, cpu, off, 4, &v);
            if (st == GIC_OK) st = gic_read(p->gic, f, cpu, off + 4, 4, &hi);
            v |= hi << 32;
        }
    } else {
        st = gic_write(p->gic, f, cpu, off, size, wdata);
        if (st == GIC_E_SIZE && size == 8 && p->preset == PRESET_VIRT_GICV2 && !(off & 7)) {
            st = gic_write(p->gic, f, cpu, off, 4, wdata & 0xffffffffu);
            if (st == GIC_OK) st = gic_write(p->gic, f, cpu, off + 4, 4, wdata >> 32);
        }
    }
    p->settle_cycles = platform_settle(p);
    if (st != GIC_OK) v = 0; /* bus error: qtest sees zero, like QEMU */
    if (rdata) *rdata = v;
    return st;
}

uint64_t platform_num_irqs(const struct platform *p)
{
    const struct gic_config *c = gic_get_config(p->gic);
    return c->num_spis + 32ull * p->smp;
}

bool platform_gpio_decode(const struct platform *p, uint64_t n, unsigned *cpu, unsigned *intid)
{
    const struct gic_config *c = gic_get_config(p->gic);
    if (n >= platform_num_irqs(p)) return false;
    if (n < c->num_spis) {
        *cpu = 0;
        *intid = (unsigned)(32 + n);
    } else {
        uint64_t k = n - c->num_spis;
        *cpu = (unsigned)(k / 32);
        *intid = (unsigned)(k % 32);
    }
    return true;
}

uint64_t platform_gpio_number(const struct platform *p, unsigned cpu, unsigned intid)
{
    return gic_get_config(p->gic)->num_spis + 32ull * cpu + intid;
}

int platform_set_irq(struct platform *p, uint64_t n, bool level)
{
    unsigned cpu, intid;
    int rc;
    if (!platform_gpio_decode(p, n, &cpu, &intid) || intid < 16) return GIC_E_INVAL; /* SGIs have no line */
    if (intid >= 32) rc = gic_set_spi(p->gic, intid, level);
    else rc = gic_set_ppi(p->gic, cpu, intid, level);
    p->settle_cycles = platform_settle(p);
    return rc;
}

bool platform_address(const struct platform *p, enum gic_frame f, unsigned cpu, uint32_t off, uint64_t *addr)
{
    switch (f) {
    case GIC_FRAME_GICD: *addr = VIRT_GICD + off; return true;
    case GIC_FRAME_GICC: *addr = VIRT_GICC + off; return p->preset == PRESET_VIRT_GICV2;
    case GIC_FRAME_GICH: *addr = VIRT_GICH + off; return p->preset == PRESET_VIRT_GICV2;
    case GIC_FRAME_GICV: *addr = VIRT_GICV + off; return p->preset == PRESET_VIRT_GICV2;
    case GIC_FRAME_GICR_RD: *addr = VIRT_GICR + (uint64_t)GICR_STRIDE * cpu + off; return p->preset == PRESET_VIRT_GICV3;
    case GIC_FRAME_GICR_SGI: *addr = VIRT_GICR + (uint64_t)GICR_STRIDE * cpu + FRAME_64K + off; return p->preset == PRESET_VIRT_GICV3;
    default: return false;
    }
}
