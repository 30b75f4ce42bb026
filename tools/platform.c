/* platform.c: QEMU-virt-compatible machine presets: memory map, bus splitting, GPIO numbering (docs/cli.md, "Machine presets" and "gicsim qtest"). */
#include "platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VIRT_GICD 0x08000000u
#define VIRT_GICC 0x08010000u
#define VIRT_GICH 0x08030000u
#define VIRT_GICV 0x08040000u
#define VIRT_GICR 0x080A0000u
#define VIRT_ITS 0x08080000u
#define VIRT_RAM 0x40000000u
#define VIRT_RAM_SIZE 0x08000000u /* QEMU's default -m 128M */
#define FRAME_64K 0x10000u
#define GICR_STRIDE 0x20000u

bool platform_preset_parse(const char *name, enum platform_preset *out)
{
    if (!strcmp(name, "virt-gicv2")) *out = PRESET_VIRT_GICV2;
    else if (!strcmp(name, "virt-gicv3")) *out = PRESET_VIRT_GICV3;
    else return false;
    return true;
}

const char *platform_preset_name(enum platform_preset p)
{
    return p == PRESET_VIRT_GICV3 ? "virt-gicv3" : "virt-gicv2";
}

/* ---------------- the C kernels as the model ---------------- */
static int c_access(void *g, const struct gic_access *a, struct gic_response *r) { return gic_access(g, a, r); }
static int c_set_spi(void *g, uint32_t intid, bool level) { return gic_set_spi(g, intid, level); }
static int c_set_ppi(void *g, unsigned cpu, uint32_t intid, bool level) { return gic_set_ppi(g, cpu, intid, level); }
static uint32_t c_outputs(void *g, unsigned cpu) { return gic_outputs(g, cpu); }
static gic_cycle_t c_now(void *g) { return gic_now(g); }
static gic_cycle_t c_next_event(void *g) { return gic_quiescent(g) ? GIC_CYCLE_NEVER : gic_next_event(g); }
static int c_run_until(void *g, gic_cycle_t t) { return gic_run_until(g, t); }
static void c_set_trace(void *g, gic_trace_fn fn, void *ctx) { gic_set_trace(g, fn, ctx); }

int platform_init(struct platform *p, enum platform_preset preset, unsigned smp)
{
    return platform_init_timed(p, preset, smp, NULL);
}

/* QEMU virt's memory map (hw/arm/virt.c's VIRT_GIC_* regions): a GICv3 has no GICC/GICH/GICV frames there. */
static void virt_map(struct gic_dt_map *m, enum platform_preset preset, unsigned smp)
{
    memset(m, 0, sizeof *m);
    m->gicd = VIRT_GICD;
    if (preset == PRESET_VIRT_GICV2) {
        m->gicc = VIRT_GICC;
        m->gich = VIRT_GICH;
        m->gicv = VIRT_GICV;
        return;
    }
    m->redist_stride = GICR_STRIDE;
    m->redist_regions = 1;
    m->redist[0] = (struct gic_dt_redist_region){ VIRT_GICR, (uint64_t)GICR_STRIDE * smp, 0, smp };
    m->its = VIRT_ITS;
    m->ram_base = VIRT_RAM;
    m->ram_size = VIRT_RAM_SIZE;
}

/* ---------------- RAM and the GIC's memory port ---------------- */
/* The byte at addr, or NULL outside RAM; a page is made on the first write (make). */
static uint8_t *ram_byte(struct platform_ram *r, uint64_t addr, bool make)
{
    if (!r->pages || addr < r->base || addr - r->base >= r->size) return NULL;
    uint64_t rel = addr - r->base;
    uint8_t **pg = &r->pages[rel / PLATFORM_RAM_PAGE];
    if (!*pg && make) *pg = calloc(1, PLATFORM_RAM_PAGE);
    return *pg ? *pg + rel % PLATFORM_RAM_PAGE : NULL;
}

static bool in_ram(const struct platform_ram *r, uint64_t addr, uint32_t len)
{
    return r->pages && addr >= r->base && len <= r->size && addr - r->base <= r->size - len;
}

/* Reads and writes of RAM; outside RAM a bus error (-1). A page that could not be made is a bus error too. */
static int ram_read(void *ctx, uint64_t addr, void *buf, uint32_t len)
{
    struct platform_ram *r = ctx;
    if (!in_ram(r, addr, len)) return -1;
    for (uint32_t i = 0; i < len; i++) {
        const uint8_t *b = ram_byte(r, addr + i, false);
        ((uint8_t *)buf)[i] = b ? *b : 0;
    }
    return 0;
}

static int ram_write(void *ctx, uint64_t addr, const void *buf, uint32_t len)
{
    struct platform_ram *r = ctx;
    if (!in_ram(r, addr, len)) return -1;
    for (uint32_t i = 0; i < len; i++) {
        uint8_t *b = ram_byte(r, addr + i, true);
        if (!b) return -1;
        *b = ((const uint8_t *)buf)[i];
    }
    return 0;
}

static int ram_init(struct platform *p)
{
    struct platform_ram *r = &p->ram;
    r->base = p->map.ram_base;
    r->size = p->map.ram_size;
    if (!r->size || !gic_get_config(p->gic)->lpis) return GIC_OK;
    if (r->size > (UINT64_C(1) << 40)) r->size = UINT64_C(1) << 40; /* 1 TiB of page pointers at most: 128 MiB */
    r->pages = calloc((size_t)((r->size + PLATFORM_RAM_PAGE - 1) / PLATFORM_RAM_PAGE), sizeof *r->pages);
    if (!r->pages) return GIC_E_NOMEM;
    static const struct gic_mem_ops ops = { ram_read, ram_write, ram_read };
    return gic_set_memory(p->gic, &ops, r);
}

static void ram_fini(struct platform_ram *r)
{
    for (uint64_t i = 0; r->pages && i < (r->size + PLATFORM_RAM_PAGE - 1) / PLATFORM_RAM_PAGE; i++) free(r->pages[i]);
    free(r->pages);
    memset(r, 0, sizeof *r);
}

int platform_set_ram_size(struct platform *p, uint64_t size)
{
    ram_fini(&p->ram);
    p->map.ram_size = size;
    return ram_init(p);
}

/* A qtest access to RAM, little-endian (QEMU's readX/writeX of guest memory). */
static void ram_access(struct platform *p, uint64_t addr, unsigned size, bool write, uint64_t wdata, uint64_t *rdata)
{
    uint8_t b[8] = { 0 };
    if (write) {
        for (unsigned i = 0; i < size; i++) b[i] = (uint8_t)(wdata >> (8 * i));
        (void)ram_write(&p->ram, addr, b, size);
        return;
    }
    (void)ram_read(&p->ram, addr, b, size);
    uint64_t v = 0;
    for (unsigned i = size; i-- > 0;) v = v << 8 | b[i];
    if (rdata) *rdata = v;
}

static int init_with(struct platform *p, const struct gic_config *c, enum platform_preset preset, const char *machine)
{
    p->preset = preset;
    p->smp = c->num_cpus;
    snprintf(p->machine, sizeof p->machine, "%s", machine);
    int rc = gic_create(c, &p->gic);
    p->m = (struct platform_model){ p->gic,       c_access,    c_set_spi,   c_set_ppi, c_outputs, c_now,
                                    c_next_event, c_run_until, c_set_trace, NULL,      "c" };
    return rc == GIC_OK ? ram_init(p) : rc;
}

int platform_init_timed(struct platform *p, enum platform_preset preset, unsigned smp, const struct gic_timing *t)
{
    struct gic_config c;
    memset(p, 0, sizeof *p);
    gic_config_default(&c, preset == PRESET_VIRT_GICV3 ? GIC_V3 : GIC_V2);
    c.num_cpus = smp;
    if (t) c.timing = *t;
    virt_map(&p->map, preset, smp);
    return init_with(p, &c, preset, platform_preset_name(preset));
}

int platform_init_dt(struct platform *p, const struct gic_dt *dt, const struct gic_timing *t, const char *name)
{
    struct gic_config c = dt->cfg;
    char machine[sizeof p->machine];
    memset(p, 0, sizeof *p);
    if (t) c.timing = *t;
    p->map = dt->map;
    snprintf(machine, sizeof machine, "dtb %s", name);
    return init_with(p, &c, c.version == GIC_V3 ? PRESET_VIRT_GICV3 : PRESET_VIRT_GICV2, machine);
}

void platform_fini(struct platform *p)
{
    if (p->m.destroy) p->m.destroy(p->m.ctx);
    gic_destroy(p->gic);
    p->gic = NULL;
    ram_fini(&p->ram);
    memset(&p->m, 0, sizeof p->m);
}

/* Stops when nothing is in flight or the model refuses to go on (GIC_E_TIME: what remains lies past
 * the end of time), so it never spins. */
gic_cycle_t platform_settle(struct platform *p)
{
    gic_cycle_t t0 = p->m.now(p->m.ctx), t;
    while ((t = p->m.next_event(p->m.ctx)) != GIC_CYCLE_NEVER && p->m.run_until(p->m.ctx, t + 1) == GIC_OK) {}
    return p->m.now(p->m.ctx) - t0;
}

static int rw(struct platform *p, enum gic_frame f, unsigned cpu, uint32_t off, unsigned size, bool write, uint64_t wv,
              uint64_t *rv)
{
    struct gic_access a = { (uint8_t)f, write, (uint8_t)size, (uint16_t)cpu, off, wv };
    struct gic_response r;
    if (size > 8) return GIC_E_SIZE;
    int rc = p->m.access(p->m.ctx, &a, &r);
    if (rc != GIC_OK) return rc;
    if (rv) *rv = r.data;
    return r.status;
}
int platform_read(struct platform *p, enum gic_frame f, unsigned cpu, uint32_t off, unsigned size, uint64_t *v)
{
    return rw(p, f, cpu, off, size, false, 0, v);
}
int platform_write(struct platform *p, enum gic_frame f, unsigned cpu, uint32_t off, unsigned size, uint64_t v)
{
    return rw(p, f, cpu, off, size, true, v, NULL);
}
int platform_step(struct platform *p, uint64_t cycles)
{
    gic_cycle_t now = p->m.now(p->m.ctx);
    /* The end of time (gic.h GIC_CYCLE_LIMIT) for every model, refused before the model is asked. */
    if (now > GIC_CYCLE_LIMIT || cycles > GIC_CYCLE_LIMIT - now) return GIC_E_TIME;
    return p->m.run_until(p->m.ctx, now + cycles);
}
gic_cycle_t platform_now(const struct platform *p) { return p->m.now(p->m.ctx); }
uint32_t platform_outputs(const struct platform *p, unsigned cpu) { return p->m.outputs(p->m.ctx, cpu); }
void platform_set_trace(struct platform *p, gic_trace_fn fn, void *ctx) { p->m.set_trace(p->m.ctx, fn, ctx); }

/* The frame (and redistributor) an address decodes to; false when no GIC frame does. The memory-mapped CPU
 * interface frames are decoded only where the GIC version has them (GICv2). */
static bool decode(const struct platform *p, uint64_t addr, enum gic_frame *f, unsigned *cpu, uint32_t *off)
{
    const struct gic_dt_map *m = &p->map;
    *cpu = p->cpu;
    const struct {
        uint64_t base;
        enum gic_frame f;
    } frames[] = { { m->gicd, GIC_FRAME_GICD },
                   { m->gicc, GIC_FRAME_GICC },
                   { m->gich, GIC_FRAME_GICH },
                   { m->gicv, GIC_FRAME_GICV } };
    /* The ITS's control frame, then its translation frame; qtest writes as DeviceID 0 (QEMU's requester ID). */
    if (m->its && gic_get_config(p->gic)->its && addr >= m->its && addr - m->its < 2 * FRAME_64K) {
        *f = addr - m->its < FRAME_64K ? GIC_FRAME_GITS : GIC_FRAME_GITS_TR;
        *cpu = 0;
        *off = (uint32_t)((addr - m->its) % FRAME_64K);
        return true;
    }
    for (unsigned i = 0; i < 4; i++) {
        if ((i && (!frames[i].base || p->preset != PRESET_VIRT_GICV2)) || addr < frames[i].base ||
            addr - frames[i].base >= FRAME_64K)
            continue;
        *f = frames[i].f;
        *off = (uint32_t)(addr - frames[i].base);
        return true;
    }
    for (unsigned r = 0; r < m->redist_regions && p->preset == PRESET_VIRT_GICV3; r++) {
        const struct gic_dt_redist_region *g = &m->redist[r];
        if (addr < g->base || addr - g->base >= m->redist_stride * g->count) continue;
        uint64_t rel = addr - g->base;
        *cpu = g->first_cpu + (unsigned)(rel / m->redist_stride);
        rel %= m->redist_stride;
        if (rel >= 2 * FRAME_64K) return false; /* past RD_base and SGI_base (e.g. GICv4's VLPI frames) */
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
    if (in_ram(&p->ram, addr, size)) {
        ram_access(p, addr, size, write, wdata, rdata);
        return GIC_OK;
    }
    if (!decode(p, addr, &f, &cpu, &off)) return GIC_OK; /* unmapped: RAZ/WI, as on QEMU virt */
    if (!write) {
        st = platform_read(p, f, cpu, off, size, &v);
        /* A GICv2 has a 32-bit slave port: the interconnect splits a 64-bit access in two,
         * low word first (the GIC-400's AXI interface is 32 bits wide). */
        if (st == GIC_E_SIZE && size == 8 && p->preset == PRESET_VIRT_GICV2 && !(off & 7)) {
            uint64_t hi = 0;
            st = platform_read(p, f, cpu, off, 4, &v);
            if (st == GIC_OK) st = platform_read(p, f, cpu, off + 4, 4, &hi);
            v |= hi << 32;
        }
    } else {
        st = platform_write(p, f, cpu, off, size, wdata);
        if (st == GIC_E_SIZE && size == 8 && p->preset == PRESET_VIRT_GICV2 && !(off & 7)) {
            st = platform_write(p, f, cpu, off, 4, wdata & 0xffffffffu);
            if (st == GIC_OK) st = platform_write(p, f, cpu, off + 4, 4, wdata >> 32);
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
    if (intid >= 32) rc = p->m.set_spi(p->m.ctx, intid, level);
    else rc = p->m.set_ppi(p->m.ctx, cpu, intid, level);
    p->settle_cycles = platform_settle(p);
    return rc;
}

bool platform_address(const struct platform *p, enum gic_frame f, unsigned cpu, uint32_t off, uint64_t *addr)
{
    const struct gic_dt_map *m = &p->map;
    bool v2 = p->preset == PRESET_VIRT_GICV2;
    switch (f) {
    case GIC_FRAME_GICD: *addr = m->gicd + off; return true;
    case GIC_FRAME_GICC: *addr = m->gicc + off; return v2 && m->gicc;
    case GIC_FRAME_GICH: *addr = m->gich + off; return v2 && m->gich;
    case GIC_FRAME_GICV: *addr = m->gicv + off; return v2 && m->gicv;
    case GIC_FRAME_GITS: *addr = m->its + off; return m->its && gic_get_config(p->gic)->its;
    case GIC_FRAME_GITS_TR: *addr = m->its + FRAME_64K + off; return m->its && gic_get_config(p->gic)->its && !cpu;
    case GIC_FRAME_GICR_RD:
    case GIC_FRAME_GICR_SGI:
        for (unsigned r = 0; r < m->redist_regions && !v2; r++) {
            const struct gic_dt_redist_region *g = &m->redist[r];
            if (cpu < g->first_cpu || cpu - g->first_cpu >= g->count) continue;
            *addr = g->base + m->redist_stride * (cpu - g->first_cpu) + (f == GIC_FRAME_GICR_SGI ? FRAME_64K : 0) + off;
            return true;
        }
        return false;
    default: return false;
    }
}
