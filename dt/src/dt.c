/* dt.c: a GIC configuration and memory map from a flattened device tree, with libfdt (dt.h, docs/dt.md). */
#define _POSIX_C_SOURCE 200809L
#include "gicsim/dt.h"

#include <errno.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_64K 0x10000u
#define DT_MAX_SIZE ((size_t)64 << 20) /* a device tree is kilobytes; anything bigger is not one */

static int fail(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (why && len) vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return -1;
}

/* Compatible strings of the GIC bindings and the version they describe. */
static const struct {
    const char *compatible;
    enum gic_version version;
} gic_bindings[] = {
    { "arm,gic-v3", GIC_V3 },
    { "arm,gic-400", GIC_V2 },
    { "arm,cortex-a15-gic", GIC_V2 },
    { "arm,cortex-a7-gic", GIC_V2 },
};

/* One cell-sized number ("#address-cells" 1 or 2) at p. */
static uint64_t cells(const fdt32_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v = v << 32 | fdt32_to_cpu(p[i]);
    return v;
}

/* The (address, size) pairs of a node's "reg", with its parent's #address-cells and #size-cells. */
static int read_reg(const void *fdt, int node, uint64_t *addr, uint64_t *size, int max, int *count, char *why,
                    size_t wl)
{
    int parent = fdt_parent_offset(fdt, node), len = 0;
    int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
    if (ac < 1 || ac > 2 || sc < 0 || sc > 2)
        return fail(why, wl, "#address-cells %d / #size-cells %d not supported", ac, sc);
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
    if (!reg) return fail(why, wl, "no \"reg\" property");
    int per = (ac + sc) * 4;
    if (len <= 0 || len % per)
        return fail(why, wl, "\"reg\" is %d bytes, not a whole number of (address, size) pairs", len);
    *count = len / per;
    if (*count > max) *count = max;
    for (int i = 0; i < *count; i++) {
        addr[i] = cells(reg + i * (ac + sc), ac);
        size[i] = sc ? cells(reg + i * (ac + sc) + ac, sc) : 0;
    }
    return 0;
}

/* The first node with a GIC binding. */
static int find_gic(const void *fdt, enum gic_version *v)
{
    int best = -FDT_ERR_NOTFOUND;
    for (size_t i = 0; i < sizeof gic_bindings / sizeof gic_bindings[0]; i++) {
        int n = fdt_node_offset_by_compatible(fdt, -1, gic_bindings[i].compatible);
        if (n >= 0 && (best < 0 || n < best)) {
            best = n;
            *v = gic_bindings[i].version;
        }
    }
    return best;
}

/* The CPUs under /cpus (device_type "cpu"), in order, with their MPIDR ("reg"). */
static int read_cpus(const void *fdt, struct gic_dt *d, char *why, size_t wl)
{
    int cpus = fdt_path_offset(fdt, "/cpus");
    if (cpus < 0) return fail(why, wl, "no /cpus node");
    int ac = fdt_address_cells(fdt, cpus);
    if (ac < 1 || ac > 2) return fail(why, wl, "/cpus: #address-cells %d not supported", ac);
    unsigned n = 0;
    int node;
    fdt_for_each_subnode(node, fdt, cpus)
    {
        const char *type = fdt_getprop(fdt, node, "device_type", NULL);
        if (!type || strcmp(type, "cpu")) continue; /* cpu-map and the like */
        int len = 0;
        const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
        if (!reg || len != ac * 4)
            return fail(why, wl, "/cpus/%s: \"reg\" must be %d cell(s)", fdt_get_name(fdt, node, NULL), ac);
        if (n == 64) return fail(why, wl, "more than 64 CPUs under /cpus");
        d->mpidr[n++] = cells(reg, ac);
    }
    if (node < 0 && node != -FDT_ERR_NOTFOUND) return fail(why, wl, "/cpus: %s", fdt_strerror(node));
    if (!n) return fail(why, wl, "no CPU under /cpus (device_type \"cpu\")");
    d->cfg.num_cpus = n;
    return 0;
}

/* GICv3: affinities from the MPIDRs, and the redistributor regions filled in CPU order. */
static int v3_topology(struct gic_dt *d, const uint64_t *addr, const uint64_t *size, int nreg, const void *fdt,
                       int node, char *why, size_t wl)
{
    int len = 0;
    const fdt32_t *p = fdt_getprop(fdt, node, "#redistributor-regions", &len);
    unsigned regions = p ? fdt32_to_cpu(*p) : 1;
    if (p && len != 4) return fail(why, wl, "#redistributor-regions must be one cell");
    if (regions < 1 || regions > GIC_DT_MAX_REDIST_REGIONS || (int)regions > nreg - 1)
        return fail(why, wl, "#redistributor-regions %u, but \"reg\" has %d region(s) after the distributor", regions,
                    nreg - 1);
    p = fdt_getprop(fdt, node, "redistributor-stride", &len);
    uint64_t stride = 2 * FRAME_64K;
    if (p) {
        if (len != 4 && len != 8) return fail(why, wl, "redistributor-stride must be one or two cells");
        stride = cells(p, len / 4);
        if (stride < 2 * FRAME_64K || stride % FRAME_64K)
            return fail(why, wl, "redistributor-stride %#llx: not a multiple of 64 KiB of at least 128 KiB",
                        (unsigned long long)stride);
    }
    d->map.redist_stride = stride;
    d->map.redist_regions = regions;
    unsigned cpu = 0;
    for (unsigned r = 0; r < regions; r++) {
        struct gic_dt_redist_region *g = &d->map.redist[r];
        g->base = addr[1 + r];
        g->size = size[1 + r];
        uint64_t fit = g->size / stride, left = d->cfg.num_cpus - cpu;
        g->first_cpu = cpu;
        g->count = (unsigned)(fit < left ? fit : left);
        cpu += g->count;
        if (g->count) d->cfg.redist_last |= 1ull << (cpu - 1);
    }
    if (cpu < d->cfg.num_cpus)
        return fail(why, wl, "the redistributor regions hold %u redistributors, but /cpus has %u CPUs", cpu,
                    d->cfg.num_cpus);
    if (regions == 1) d->cfg.redist_last = 0; /* the kernel's default: the highest CPU */
    d->cfg.affinity_set = true;
    for (unsigned c = 0; c < d->cfg.num_cpus; c++) {
        if ((d->mpidr[c] >> 32) & 0xff)
            return fail(why, wl, "CPU %u: MPIDR %#llx has Aff3 set (not supported: GICD_TYPER.A3V = 0)", c,
                        (unsigned long long)d->mpidr[c]);
        if (d->mpidr[c] & 0xffffffff000000ull)
            return fail(why, wl, "CPU %u: \"reg\" %#llx is not an MPIDR affinity", c, (unsigned long long)d->mpidr[c]);
        d->cfg.affinity[c] = d->mpidr[c] & 0xffffff;
        for (unsigned k = 0; k < c; k++)
            if (d->cfg.affinity[k] == d->cfg.affinity[c])
                return fail(why, wl, "CPUs %u and %u have the same affinity %#llx", k, c,
                            (unsigned long long)d->cfg.affinity[c]);
    }
    /* Optional GICC, GICH, GICV after the redistributor regions (a GICv3 with legacy frames). */
    unsigned rest = 1 + regions;
    d->map.gicc = (int)rest < nreg ? addr[rest] : 0;
    d->map.gich = (int)rest + 1 < nreg ? addr[rest + 1] : 0;
    d->map.gicv = (int)rest + 2 < nreg ? addr[rest + 2] : 0;
    return 0;
}

/* The maintenance interrupt ("interrupts" of the GIC node: <type number flags>, a PPI) or none. */
static int maintenance(const void *fdt, int node, struct gic_dt *d, char *why, size_t wl)
{
    int len = 0;
    const fdt32_t *p = fdt_getprop(fdt, node, "interrupts", &len);
    if (!p) {
        d->cfg.num_lrs = 0; /* no virtualization: no list registers, no maintenance interrupt */
        d->cfg.maint_ppi = 0;
        return 0;
    }
    if (len != 12) return fail(why, wl, "\"interrupts\" (the maintenance interrupt) must be 3 cells");
    uint32_t type = fdt32_to_cpu(p[0]), num = fdt32_to_cpu(p[1]);
    if (type != 1 || num > 15)
        return fail(why, wl, "the maintenance interrupt must be a PPI (type 1, 0..15), not <%u %u>", type, num);
    d->cfg.maint_ppi = 16 + num;
    return 0;
}

/* Every property's name lies in the strings block and ends there. Debian's libfdt 1.6.1 fdt_check_full() reads a
 * name it failed to find through a null pointer (fuzz_dt found it, docs/fuzzing.md), so this check comes first. */
static int names_in_strings(const void *fdt)
{
    const char *strs = (const char *)fdt + fdt_off_dt_strings(fdt);
    uint32_t ssize = fdt_size_dt_strings(fdt);
    int offset = 0, next = 0;
    uint32_t tag;
    do {
        tag = fdt_next_tag(fdt, offset, &next);
        if (next < 0 || (tag != FDT_END && next <= offset)) return -1;
        if (tag == FDT_PROP) {
            const struct fdt_property *p = fdt_offset_ptr(fdt, offset, sizeof *p);
            if (!p) return -1;
            uint32_t no = fdt32_to_cpu(p->nameoff);
            if (no >= ssize || !memchr(strs + no, 0, ssize - no)) return -1;
        }
        offset = next;
    } while (tag != FDT_END);
    return 0;
}

/* GICv3: an ITS is a child of the GIC node with "arm,gic-v3-its" (the Linux binding); without one the configuration
 * has LPIs but no ITS. The first /memory region is where software puts the GIC's tables. */
static int its_and_memory(const void *fdt, int gic, struct gic_dt *d, char *why, size_t wl)
{
    uint64_t a[1], s[1];
    int n = 0;
    d->cfg.its = false;
    for (int c = fdt_first_subnode(fdt, gic); c >= 0; c = fdt_next_subnode(fdt, c)) {
        if (fdt_node_check_compatible(fdt, c, "arm,gic-v3-its") != 0) continue;
        if (d->cfg.version != GIC_V3) return fail(why, wl, "an ITS under a GICv2");
        if (read_reg(fdt, c, a, s, 1, &n, why, wl)) return -1;
        d->map.its = a[0];
        d->cfg.its = true;
        break;
    }
    int mem = fdt_path_offset(fdt, "/memory");
    if (mem < 0) mem = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", sizeof "memory");
    if (mem >= 0 && !read_reg(fdt, mem, a, s, 1, &n, why, wl)) {
        d->map.ram_base = a[0];
        d->map.ram_size = s[0];
    }
    return 0;
}

int gic_dt_parse(const void *blob, size_t size, uint32_t num_spis, struct gic_dt *d, char *why, size_t wl)
{
    if (!blob || !d) return fail(why, wl, "no device tree");
    memset(d, 0, sizeof *d);
    if ((uintptr_t)blob % 4) return fail(why, wl, "the device tree blob is not 4-byte aligned in memory");
    if (size < sizeof(struct fdt_header) || fdt_check_header(blob) != 0 || fdt_totalsize(blob) > size)
        return fail(why, wl, "not a flattened device tree (bad header or cut short)");
    /* The structure block is 4-byte aligned (Devicetree Specification 5.4), so every tag and property in it is. */
    if (fdt_off_dt_struct(blob) % 4)
        return fail(why, wl, "damaged device tree: the structure block is not 4-byte aligned");
    if (names_in_strings(blob)) return fail(why, wl, "damaged device tree: a property name outside the strings block");
    int rc = fdt_check_full(blob, size);
    if (rc) return fail(why, wl, "damaged device tree: %s", fdt_strerror(rc));
    enum gic_version v = GIC_V2;
    int node = find_gic(blob, &v);
    if (node < 0)
        return fail(why, wl,
                    "no GIC node (compatible \"arm,gic-v3\", \"arm,gic-400\", \"arm,cortex-a15-gic\" or "
                    "\"arm,cortex-a7-gic\")");
    if (fdt_get_path(blob, node, d->node, sizeof d->node) != 0) snprintf(d->node, sizeof d->node, "(GIC node)");
    gic_config_default(&d->cfg, v);
    if (num_spis > 988) return fail(why, wl, "%u SPIs: at most 988", num_spis);
    d->cfg.num_spis = num_spis;
    if (read_cpus(blob, d, why, wl)) return -1;
    if (v == GIC_V2 && d->cfg.num_cpus > 8)
        return fail(why, wl, "%u CPUs under /cpus: a GICv2 has at most 8", d->cfg.num_cpus);
    uint64_t addr[4 + GIC_DT_MAX_REDIST_REGIONS] = { 0 }, sz[4 + GIC_DT_MAX_REDIST_REGIONS] = { 0 };
    int nreg = 0;
    char reason[160];
    if (read_reg(blob, node, addr, sz, 4 + GIC_DT_MAX_REDIST_REGIONS, &nreg, reason, sizeof reason))
        return fail(why, wl, "%s: %s", d->node, reason);
    d->map.gicd = addr[0];
    if (v == GIC_V3) {
        if (nreg < 2) return fail(why, wl, "%s: \"reg\" needs the distributor and a redistributor region", d->node);
        if (v3_topology(d, addr, sz, nreg, blob, node, reason, sizeof reason))
            return fail(why, wl, "%s: %s", d->node, reason);
    } else {
        if (nreg < 2) return fail(why, wl, "%s: \"reg\" needs the distributor and the CPU interface", d->node);
        d->map.gicc = addr[1];
        d->map.gich = nreg > 2 ? addr[2] : 0;
        d->map.gicv = nreg > 3 ? addr[3] : 0;
        if ((d->map.gich != 0) != (d->map.gicv != 0))
            return fail(why, wl, "%s: the virtual interface control (GICH) and CPU interface (GICV) go together",
                        d->node);
    }
    if (maintenance(blob, node, d, reason, sizeof reason)) return fail(why, wl, "%s: %s", d->node, reason);
    if (its_and_memory(blob, node, d, reason, sizeof reason)) return fail(why, wl, "%s: %s", d->node, reason);
    if (v == GIC_V2 && !d->map.gich && d->cfg.num_lrs)
        return fail(why, wl, "%s: a maintenance interrupt but no GICH/GICV frames", d->node);
    struct gic_config probe = d->cfg;
    gic_t *g = NULL;
    if (gic_create(&probe, &g) != GIC_OK) return fail(why, wl, "%s: the configuration is refused", d->node);
    gic_destroy(g);
    return 0;
}

int gic_dt_load(const char *path, uint32_t num_spis, struct gic_dt *d, char *why, size_t wl)
{
    if (!path) return fail(why, wl, "no device tree file");
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) return fail(why, wl, "cannot read %s: %s", path, strerror(errno));
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    int err = 0;
    while (buf) {
        if (len == cap) {
            if (cap >= DT_MAX_SIZE) {
                err = EFBIG;
                break;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                err = ENOMEM;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f)) err = errno ? errno : EIO;
            break;
        }
    }
    if (f != stdin) fclose(f);
    int rc;
    if (!buf) rc = fail(why, wl, "%s: out of memory", path);
    else if (err) rc = fail(why, wl, "cannot read %s: %s", path, strerror(err));
    else {
        char reason[256];
        rc = gic_dt_parse(buf, len, num_spis, d, reason, sizeof reason) ? fail(why, wl, "%s: %s", path, reason) : 0;
    }
    free(buf);
    return rc;
}
