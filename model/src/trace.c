/* trace.c: the trace hook: every architectural state change and output edge, with its cycle. */
#include "gic_internal.h"

#include <stdio.h>

static const char *const kind_names[GIC_TR_KIND_COUNT] = {
    [GIC_TR_ACCESS] = "access",
    [GIC_TR_PENDING] = "pending",
    [GIC_TR_ACTIVE] = "active",
    [GIC_TR_ENABLE] = "enable",
    [GIC_TR_PRIORITY] = "priority",
    [GIC_TR_GROUP] = "group",
    [GIC_TR_ROUTE] = "route",
    [GIC_TR_LINE] = "line",
    [GIC_TR_HPPI] = "hppi",
    [GIC_TR_RPR] = "rpr",
    [GIC_TR_ACK] = "ack",
    [GIC_TR_DEACT] = "deactivate",
    [GIC_TR_LR] = "lr",
    [GIC_TR_VRPR] = "vrpr",
    [GIC_TR_VACK] = "vack",
    [GIC_TR_HWDEACT] = "hw-deactivate",
    [GIC_TR_EOICOUNT] = "eoicount",
    [GIC_TR_MISR] = "misr",
    [GIC_TR_OUTPUT] = "output",
    [GIC_TR_MEM] = "mem",
    [GIC_TR_ITS] = "its",
    [GIC_TR_LPI_STALE] = "lpi-stale",
};

const char *gic_trace_kind_name(unsigned kind) { return kind < GIC_TR_KIND_COUNT ? kind_names[kind] : "?"; }

void gic_set_trace(gic_t *g, gic_trace_fn fn, void *ctx)
{
    if (!g) return;
    g->trace_fn = fn;
    g->trace_ctx = ctx;
}

void gic_trace_emit(gic_t *g, unsigned kind, unsigned cpu, uint32_t intid, uint64_t value, uint64_t aux)
{
    struct gic_trace_event ev = { g->now, (uint16_t)kind, (uint16_t)cpu, intid, value, aux };
    g->trace_fn(g->trace_ctx, &ev);
}

static const char *const out_names[] = { "?", "irq", "fiq", "?", "virq", "?", "?", "?", "vfiq" };

int gic_trace_format(const struct gic_trace_event *e, char *buf, size_t len)
{
    const char *k = gic_trace_kind_name(e->kind);
    unsigned long long c = (unsigned long long)e->cycle;
    switch (e->kind) {
    case GIC_TR_ACCESS: {
        static const char *const fr[] = { "GICD", "GICR_RD", "GICR_SGI", "GICC", "GICH",
                                          "GICV", "SYSREG",  "VSYSREG",  "GITS", "GITS_TR" };
        unsigned f = e->aux & 0xff, w = (e->aux >> 8) & 1, sz = (e->aux >> 16) & 0xff;
        int st = (int8_t)((e->aux >> 24) & 0xff);
        return snprintf(buf, len, "%llu cpu%u access %s %s+0x%x size %u %s 0x%llx%s%s", c, e->cpu, w ? "write" : "read",
                        f < 10 ? fr[f] : "?", e->intid, sz, w ? "data" : "->", (unsigned long long)e->value,
                        st ? " status " : "", st ? gic_strerror(st) : "");
    }
    case GIC_TR_OUTPUT:
        return snprintf(buf, len, "%llu cpu%u output %s=%llu", c, e->cpu,
                        e->intid == GIC_OUT_MAINT ? "maint"
                        : e->intid < 9            ? out_names[e->intid]
                                                  : "?",
                        (unsigned long long)e->value);
    case GIC_TR_LR:
        return snprintf(buf, len, "%llu cpu%u lr%u 0x%016llx (was 0x%016llx)", c, e->cpu, e->intid,
                        (unsigned long long)e->value, (unsigned long long)e->aux);
    case GIC_TR_MEM: {
        static const char *const use[] = { "lpi-cfg", "lpi-pend", "its-cmd", "its-dt", "its-ct", "its-itt", "its-l1" };
        return snprintf(buf, len, "%llu mem %s %s 0x%llx len %u%s", c, e->intid < 7 ? use[e->intid] : "?",
                        (e->aux >> 16) & 1 ? "write" : "read", (unsigned long long)e->value,
                        (unsigned)(e->aux & 0xffff), (e->aux >> 17) & 1 ? " bus-error" : "");
    }
    case GIC_TR_ITS: {
        static const char *const res[] = { "ok", "ignored", "stalled" };
        return snprintf(buf, len, "%llu its %s 0x%x device %u event %u %s", c,
                        e->intid == 0x100 ? "translate" : "command", e->intid, (unsigned)(e->value >> 32),
                        (unsigned)e->value, e->aux < 3 ? res[e->aux] : "?");
    }
    case GIC_TR_RPR:
    case GIC_TR_VRPR:
    case GIC_TR_MISR:
    case GIC_TR_EOICOUNT: return snprintf(buf, len, "%llu cpu%u %s 0x%llx", c, e->cpu, k, (unsigned long long)e->value);
    default:
        return snprintf(buf, len, "%llu cpu%u %s intid %u value 0x%llx aux 0x%llx", c, e->cpu, k, e->intid,
                        (unsigned long long)e->value, (unsigned long long)e->aux);
    }
}
