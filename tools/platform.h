/* platform.h: the machine presets around the GIC kernel (QEMU virt memory map) and their bus rules. */
#ifndef GICSIM_PLATFORM_H
#define GICSIM_PLATFORM_H

#include "gicsim/dt.h"
#include "gicsim/gic.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum platform_preset { PRESET_VIRT_GICV2, PRESET_VIRT_GICV3 };

/* The GIC model a platform drives: the C kernels (the default) or, after platform_use_rtl(), the
 * Verilated RTL reference. Every function has the meaning of the gic_* function it is named after. */
struct platform_model {
    void *ctx;
    int (*access)(void *ctx, const struct gic_access *a, struct gic_response *r);
    int (*set_spi)(void *ctx, uint32_t intid, bool level);
    int (*set_ppi)(void *ctx, unsigned cpu, uint32_t intid, bool level);
    uint32_t (*outputs)(void *ctx, unsigned cpu);
    gic_cycle_t (*now)(void *ctx);
    gic_cycle_t (*next_event)(void *ctx); /* GIC_CYCLE_NEVER when nothing is in flight */
    int (*run_until)(void *ctx, gic_cycle_t t);
    void (*set_trace)(void *ctx, gic_trace_fn fn, void *tctx);
    void (*destroy)(void *ctx); /* NULL for the C kernels (p->gic is freed by platform_fini) */
    const char *name;           /* "c", "rtl:c2s256l4" */
};

/* The machine's RAM (QEMU virt: 128 MiB at 0x40000000), where software puts the GIC's LPI and ITS tables: pages of
 * 64 KiB made on the first write, zero until then. */
#define PLATFORM_RAM_PAGE 0x10000u
struct platform_ram {
    uint64_t base, size;
    uint8_t **pages; /* size / PLATFORM_RAM_PAGE pointers */
};

struct platform {
    enum platform_preset preset; /* the GIC version's preset; a device tree's machine takes its version's */
    unsigned smp;
    struct gic_dt_map map;     /* where the frames are: QEMU virt's, or a device tree's (platform_init_dt) */
    char machine[96];          /* "virt-gicv2", "virt-gicv3" or "dtb FILE" */
    gic_t *gic;                /* the C kernels: the model by default; the register map and configuration always */
    struct platform_model m;   /* the model every access goes to */
    gic_cycle_t settle_cycles; /* cycles the last command took to settle */
    unsigned cpu;              /* requesting CPU of banked frames (GICC, GICH, GICV); qtest: 0 */
    struct platform_ram ram;   /* the GIC's memory port reads and writes it */
};

/* Parses "virt-gicv2" / "virt-gicv3"; returns false for anything else. */
bool platform_preset_parse(const char *name, enum platform_preset *out);
const char *platform_preset_name(enum platform_preset p);
/* Creates the preset's GIC with smp CPUs: 0 on success, else a gic_status. */
int platform_init(struct platform *p, enum platform_preset preset, unsigned smp);
/* The same with the latencies `t` (docs/timing.md) instead of the default ones (t NULL: default). */
int platform_init_timed(struct platform *p, enum platform_preset preset, unsigned smp, const struct gic_timing *t);
/* The GIC and memory map a device tree describes (gic_dt_load), with the latencies `t` (NULL: default); `name` is
 * the DTB's file name, for messages. 0 or a gic_status. */
int platform_init_dt(struct platform *p, const struct gic_dt *dt, const struct gic_timing *t, const char *name);
void platform_fini(struct platform *p);
/* Makes the RAM `size` bytes from the same base instead, all zero (before anything used it; `gicsim replay` grows it
 * to the tables a trace names). 0 or a gic_status. */
int platform_set_ram_size(struct platform *p, uint64_t size);
/* Makes the Verilated RTL reference the model (a build with the preset's configuration, from the
 * start of the run): 0, or -1 with a one-line reason in why (GICv2, no such build, not built with
 * Verilator). tools/platform_rtl.cpp. */
int platform_use_rtl(struct platform *p, char *why, size_t why_len);
/* Register access by frame (blocking, like gic_read/gic_write), time and pins, through the model. */
int platform_read(struct platform *p, enum gic_frame f, unsigned cpu, uint32_t off, unsigned size, uint64_t *v);
int platform_write(struct platform *p, enum gic_frame f, unsigned cpu, uint32_t off, unsigned size, uint64_t v);
/* platform_step: GIC_E_TIME (time unchanged) if it would pass GIC_CYCLE_LIMIT. */
int platform_step(struct platform *p, uint64_t cycles);
gic_cycle_t platform_now(const struct platform *p);
uint32_t platform_outputs(const struct platform *p, unsigned cpu);
void platform_set_trace(struct platform *p, gic_trace_fn fn, void *ctx);
/* A CPU-0 access at a physical address (docs/cli.md, "gicsim qtest"): RAM, or a GIC frame (the ITS's translation
 * frame as DeviceID 0, as QEMU's qtest writes). Addresses neither decodes read as zero and ignore writes; accesses the register refuses read as zero and are ignored (the bus
 * error is returned for callers that want it). Runs the GIC until the access has settled. */
int platform_access(struct platform *p, uint64_t addr, unsigned size, bool write, uint64_t wdata, uint64_t *rdata);
/* The physical address of a register frame offset (for recording); false if the frame is not
 * memory-mapped on this preset. For GICR frames `cpu` selects the redistributor; the GICv2 frames
 * are banked by the requesting CPU, which the address does not carry. */
bool platform_address(const struct platform *p, enum gic_frame f, unsigned cpu, uint32_t off, uint64_t *addr);
/* QEMU's GPIO numbering of the GIC's inputs: SPIs first (GPIO n is INTID 32+n), then 32 lines per
 * CPU (GPIO num_spis+32*c+i is INTID i of CPU c; i < 16 are SGIs, which have no line). */
int platform_set_irq(struct platform *p, uint64_t n, bool level);
/* The CPU and INTID of GPIO n; false if there is no such GPIO. */
bool platform_gpio_decode(const struct platform *p, uint64_t n, unsigned *cpu, unsigned *intid);
/* The GPIO number of PPI/SGI `intid` (< 32) of `cpu`. */
uint64_t platform_gpio_number(const struct platform *p, unsigned cpu, unsigned intid);
/* Number of GPIO inputs. */
uint64_t platform_num_irqs(const struct platform *p);
/* Runs until nothing is in flight (or only what lies past GIC_CYCLE_LIMIT is); returns the cycles it took. */
gic_cycle_t platform_settle(struct platform *p);

#endif
