/* platform.h: the machine presets around the GIC kernel (QEMU virt memory map) and their bus rules. */
#ifndef GICSIM_PLATFORM_H
#define GICSIM_PLATFORM_H

#include "gicsim/gic.h"

#include <stdbool.h>
#include <stdint.h>

enum platform_preset { PRESET_VIRT_GICV2, PRESET_VIRT_GICV3 };

struct platform {
    enum platform_preset preset;
    unsigned smp;
    gic_t *gic;
    gic_cycle_t settle_cycles;   /* cycles the last command took to settle */
    unsigned cpu;                /* requesting CPU of banked frames (GICC, GICH, GICV); qtest: 0 */
};

/* Parses "virt-gicv2" / "virt-gicv3"; returns false for anything else. */
bool platform_preset_parse(const char *name, enum platform_preset *out);
const char *platform_preset_name(enum platform_preset p);
/* Creates the preset's GIC with smp CPUs: 0 on success, else a gic_status. */
int platform_init(struct platform *p, enum platform_preset preset, unsigned smp);
void platform_fini(struct platform *p);
/* A CPU-0 access at a physical address (INTERFACES.md 2). Addresses no GIC frame decodes read as
 * zero and ignore writes; accesses the register refuses read as zero and are ignored (the bus
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
/* Runs until nothing is in flight; returns the cycles it took. */
gic_cycle_t platform_settle(struct platform *p);

#endif
