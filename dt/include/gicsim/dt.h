/* dt.h: a GIC configuration and memory map from a flattened device tree (docs/dt.md).
 *
 * The bindings read are the Linux kernel's: "arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a7-gic" (GICv2 with
 * the virtualization extensions when the GICH and GICV frames are given) and "arm,gic-v3" (reg: GICD, the
 * redistributor regions, then the optional GICC, GICH, GICV; #redistributor-regions; redistributor-stride), the
 * maintenance interrupt in the GIC node's "interrupts", the CPUs under /cpus with their MPIDR affinities in
 * "reg", an ITS ("arm,gic-v3-its" child of the GIC node) and the first /memory region. A device tree carries no SPI
 * count, so the caller gives it. */
#ifndef GICSIM_DT_H
#define GICSIM_DT_H

#include "gicsim/gic.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GIC_DT_MAX_REDIST_REGIONS 16

struct gic_dt_redist_region {
    uint64_t base, size;
    unsigned first_cpu, count; /* the CPUs (in /cpus order) whose redistributors are in this region */
};

struct gic_dt_map {
    uint64_t gicd;             /* distributor frame (64 KiB) */
    uint64_t gicc, gich, gicv; /* GICv2 CPU interface, virtual interface control, virtual CPU interface; 0: none */
    uint64_t redist_stride;    /* GICv3: bytes from one redistributor to the next (RD_base + SGI_base: 128 KiB) */
    unsigned redist_regions;
    struct gic_dt_redist_region redist[GIC_DT_MAX_REDIST_REGIONS];
    uint64_t its; /* GICv3: the ITS's control frame (its translation frame follows, 64 KiB on); 0: none */
    uint64_t ram_base, ram_size; /* the first region of the /memory node (the GIC's tables live there); size 0: none */
};

struct gic_dt {
    struct gic_config cfg; /* gic_config_default() of the version, with the CPUs, their affinities, the SPIs, the
                            * maintenance PPI (no virtualization: num_lrs 0, maint_ppi 0) and redist_last */
    struct gic_dt_map map;
    uint64_t mpidr[64]; /* each CPU's "reg" */
    char node[128];     /* the GIC node's path */
};

/* Reads the device tree blob (size bytes, 4-byte aligned in memory, as malloc gives it) with num_spis SPIs (0..988). 0, or -1 with a one-line reason in why
 * (not a device tree, no GIC node, a missing or malformed property, too many CPUs for the version, ...). */
int gic_dt_parse(const void *blob, size_t size, uint32_t num_spis, struct gic_dt *out, char *why, size_t why_len);
/* The same from a file ("-": standard input); a read error is a reason too. */
int gic_dt_load(const char *path, uint32_t num_spis, struct gic_dt *out, char *why, size_t why_len);

#ifdef __cplusplus
}
#endif

#endif
