/* regs.c: the register port: access pipeline, decode through the generated register table, dispatch to the blocks. */
#include "gic_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(GIC_FRAME_GICD == GIC_REGMAP_FRAME_GICD && GIC_FRAME_GICR_RD == GIC_REGMAP_FRAME_GICR_RD &&
                   GIC_FRAME_GICR_SGI == GIC_REGMAP_FRAME_GICR_SGI && GIC_FRAME_GICC == GIC_REGMAP_FRAME_GICC &&
                   GIC_FRAME_GICH == GIC_REGMAP_FRAME_GICH && GIC_FRAME_GICV == GIC_REGMAP_FRAME_GICV &&
                   GIC_FRAME_SYSREG == GIC_REGMAP_FRAME_SYSREG && GIC_FRAME_VSYSREG == GIC_REGMAP_FRAME_VSYSREG &&
                   GIC_FRAME_GITS == GIC_REGMAP_FRAME_GITS && GIC_FRAME_GITS_TR == GIC_REGMAP_FRAME_GITS_TR &&
                   GIC_FRAME_COUNT == GIC_REGMAP_FRAME_COUNT,
               "public frame numbers must match gic_regs.toml");

static bool frame_present(const gic_t *g, unsigned frame)
{
    switch (frame) {
    case GIC_FRAME_GICD: return true;
    case GIC_FRAME_GICR_RD:
    case GIC_FRAME_GICR_SGI:
    case GIC_FRAME_SYSREG: return gic_is_v3(g);
    case GIC_FRAME_VSYSREG: return gic_is_v3(g) && g->cfg.num_lrs > 0;
    case GIC_FRAME_GICC: return !gic_is_v3(g);
    case GIC_FRAME_GICH:
    case GIC_FRAME_GICV: return !gic_is_v3(g) && g->cfg.num_lrs > 0;
    case GIC_FRAME_GITS:
    case GIC_FRAME_GITS_TR: return g->its != NULL;
    default: return false;
    }
}

/* A register this configuration has (gic_regs.toml `needs`): the others' offsets are reserved. */
static bool needs_met(const gic_t *g, const struct gic_regdesc *d)
{
    return d->needs == GIC_NEEDS_NONE || (d->needs == GIC_NEEDS_LPI && g->cfg.lpis) ||
           (d->needs == GIC_NEEDS_DIRECT_LPI && g->cfg.lpis && g->cfg.direct_lpi);
}

/* Binary search of the generated table (sorted by frame, then offset). Entries of the other
 * GIC version may share an offset, so the search finds the first candidate and walks on. */
const struct gic_regdesc *regs_decode(const gic_t *g, unsigned frame, uint32_t offset, unsigned *idx)
{
    unsigned vbit = gic_is_v3(g) ? 2 : 1;
    unsigned lo = gic_regframe_first[frame], hi = gic_regframe_first[frame + 1];
    while (lo < hi) { /* first entry whose end is beyond offset */
        unsigned mid = (lo + hi) / 2;
        const struct gic_regdesc *d = &gic_regdescs[mid];
        if ((uint64_t)d->offset + (uint64_t)d->count * d->stride <= offset) lo = mid + 1;
        else hi = mid;
    }
    for (unsigned i = lo; i < gic_regframe_first[frame + 1]; i++) {
        const struct gic_regdesc *d = &gic_regdescs[i];
        if (d->offset > offset) break;
        if (!(d->gic_mask & vbit) || !needs_met(g, d)) continue;
        if (offset < d->offset + (uint32_t)d->count * d->stride) {
            *idx = (offset - d->offset) / d->stride;
            return d;
        }
    }
    return NULL;
}

static const struct gic_regops *ops_of(unsigned id)
{
    static const struct gic_regops *const tables[] = { gicd_regops,   gicr_regops, cpuif_regops,
                                                       vcpuif_regops, lpi_regops,  its_regops };
    for (unsigned i = 0; i < sizeof tables / sizeof tables[0]; i++)
        if (tables[i][id].rd || tables[i][id].wr) return &tables[i][id];
    return NULL;
}

/* Size and alignment rules (IHI0048B 4.1.4, IHI0069H 12.1.3): full-width accesses; 32-bit halves
 * of 64-bit registers; bytes only where the map says so; system registers are 64-bit; the map's extra `sizes` at the
 * start of the register only (GITS_TRANSLATER's 16-bit writes). */
static int check_size(const struct gic_regdesc *d, unsigned frame, uint32_t offset, unsigned size)
{
    if (frame == GIC_FRAME_SYSREG || frame == GIC_FRAME_VSYSREG) return size == 8 ? GIC_OK : GIC_E_SIZE;
    if (size == 0 || (size & (size - 1)) || size > 8 || (offset & (size - 1))) return GIC_E_SIZE;
    unsigned wbytes = d->width / 8;
    if (size == wbytes) return GIC_OK;
    if (wbytes == 8 && size == 4) return GIC_OK;
    if (size == 1 && d->bytes) return GIC_OK;
    if (((d->sizes >> size) & 1) && (offset - d->offset) % d->stride == 0) return GIC_OK;
    return GIC_E_SIZE;
}

/* System-register arrays exist only up to what the configuration implements (IHI0069H 12.2.1,
 * 12.4.7): the rest are UNDEFINED. */
static bool sysreg_implemented(const gic_t *g, const struct gic_regdesc *d, unsigned idx)
{
    switch (d->id) {
    case GIC_REG_ICC_AP0R_EL1:
    case GIC_REG_ICC_AP1R_EL1: /* 4 or 5 preemption bits: AP<n>R0 only */
        return idx < (g->pre_bits > 5 ? 1u << (g->pre_bits - 5) : 1u);
    case GIC_REG_ICH_AP0R_EL2:
    case GIC_REG_ICH_AP1R_EL2:
    case GIC_REG_ICV_AP0R_EL1:
    case GIC_REG_ICV_AP1R_EL1:
        /* Virtualization registers exist only with list registers. */
        return g->cfg.num_lrs > 0 && idx < (1u << (g->cfg.vpre_bits - 5));
    case GIC_REG_ICH_LR_EL2: return idx < g->cfg.num_lrs;
    default:
        /* The virtualization registers exist only with list registers (gic_regs.toml `virt`). */
        return g->cfg.num_lrs > 0 || !d->virt;
    }
}

/* Which accesses of an allowed size reach a handler unchanged (perform's fast path): bit 0 reads, bit 1 writes. */
static uint8_t handler_calls(const struct gic_decoded *dec)
{
    const struct gic_regdesc *d = dec->d;
    const struct gic_regops *ops = dec->ops;
    if (!dec->implemented || !ops || d->access == GIC_ACCESS_RAZWI) return 0;
    bool rd = ops->rd && d->access != GIC_ACCESS_WO;
    bool wr = ops->wr && d->access != GIC_ACCESS_RO;
    return (uint8_t)(rd | wr << 1);
}

/* The decode of an access (struct gic_decoded), through the instance's cache. */
static struct gic_decoded decode(gic_t *g, unsigned frame, uint32_t offset)
{
    /* Multiplicative hashing: MMIO offsets differ in bits 2 and up, system-register encodings from bit 0. */
    const uint32_t h = (offset ^ (uint32_t)frame << 24) * 0x9e3779b1u;
    struct gic_dcache_entry *e = &g->dcache[h >> (32 - GIC_DCACHE_BITS)];
    if (e->valid && e->offset == offset && e->frame == frame) return e->dec;
    struct gic_decoded dec = { NULL, NULL, 0, 0, 0, frame_present(g, frame), false, 0 };
    if (dec.present) {
        unsigned idx = 0;
        dec.d = regs_decode(g, frame, offset, &idx);
        dec.idx = idx;
        if (dec.d) {
            bool sys = frame == GIC_FRAME_SYSREG || frame == GIC_FRAME_VSYSREG;
            dec.ops = ops_of(dec.d->id);
            dec.byte_in = (uint8_t)(sys ? 0 : (offset - dec.d->offset) % dec.d->stride);
            dec.implemented = !sys || sysreg_implemented(g, dec.d, idx);
            for (unsigned size = 1; size <= 8; size <<= 1)
                if (check_size(dec.d, frame, offset, size) == GIC_OK) dec.sizes |= (uint16_t)(1u << size);
            dec.calls = handler_calls(&dec);
        }
    }
    e->offset = offset;
    e->frame = (uint8_t)frame;
    e->valid = 1;
    e->dec = dec;
    return dec;
}

/* Perform a decoded access against the current state. peek: no side effects (debug access). */
static void perform(gic_t *g, const struct gic_access *a, const struct gic_decoded *dec, struct gic_response *r,
                    bool peek)
{
    r->data = 0;
    r->reserved = false;
    if (((dec->calls >> a->write) & 1) && !peek && a->size <= 8 && ((dec->sizes >> a->size) & 1) &&
        a->size * 8u >= dec->d->width) {
        /* Fast path: an allowed full-width access that goes straight to its handler (decode: handler_calls). */
        struct gic_regctx ctx = { dec->d, dec->idx, a->cpu, a->frame };
        uint64_t wmask = a->size == 8 ? ~0ull : (1ull << (a->size * 8)) - 1;
        r->status = GIC_OK;
        if (a->write) dec->ops->wr(g, &ctx, a->data & wmask);
        else r->data = dec->ops->rd(g, &ctx, true) & wmask;
        return;
    }
    bool sys = a->frame == GIC_FRAME_SYSREG || a->frame == GIC_FRAME_VSYSREG;
    if (!dec->present) {
        r->status = GIC_E_DECODE;
        return;
    }
    const struct gic_regdesc *d = dec->d;
    if (!d) {
        if (sys) {
            r->status = GIC_E_UNDEF;
            return;
        }
        /* Reserved offsets are RES0: RAZ/WI (IHI0048B 4.1.4, IHI0069H 12.1.2). */
        r->status = (a->size == 1 || a->size == 2 || a->size == 4 || a->size == 8) && !(a->offset & (a->size - 1u))
                        ? GIC_OK
                        : GIC_E_SIZE;
        r->reserved = true;
        return;
    }
    r->status = a->size <= 8 && ((dec->sizes >> a->size) & 1) ? GIC_OK : GIC_E_SIZE;
    if (r->status != GIC_OK) return;
    const struct gic_regops *ops = dec->ops;
    struct gic_regctx ctx = { d, dec->idx, a->cpu, a->frame };
    /* System registers: MRS of a write-only and MSR to a read-only encoding are UNDEFINED. */
    if (sys && ((a->write && d->access == GIC_ACCESS_RO) || (!a->write && d->access == GIC_ACCESS_WO))) {
        r->status = GIC_E_UNDEF;
        return;
    }
    if (!dec->implemented) {
        r->status = GIC_E_UNDEF;
        return;
    }
    if (d->access == GIC_ACCESS_RAZWI || !ops) return;
    unsigned shift = dec->byte_in * 8u;
    uint64_t wmask = a->size == 8 ? ~0ull : ((1ull << (a->size * 8)) - 1) << shift;
    if (!a->write) {
        if (d->access == GIC_ACCESS_WO || !ops->rd) return;
        uint64_t v = ops->rd(g, &ctx, !peek);
        r->data = (v & wmask) >> shift;
        return;
    }
    if (peek || d->access == GIC_ACCESS_RO || !ops->wr) return;
    uint64_t v = (a->data << shift) & wmask;
    if (a->size * 8 < d->width && d->access != GIC_ACCESS_W1S && d->access != GIC_ACCESS_W1C && ops->rd) {
        /* A part-width write of a plain register merges with the other bytes. */
        uint64_t old = ops->rd(g, &ctx, false);
        v = (old & ~wmask) | v;
    }
    ops->wr(g, &ctx, v);
}

/* Effect -> response latency of an access: `ack` for an acknowledge read, else `resp` (timing.md 2). */
static uint32_t resp_latency(const gic_t *g, const struct gic_access *a, const struct gic_decoded *dec)
{
    bool ack = dec->d && !a->write && dec->d->ack; /* an acknowledge (gic_regs.toml `ack`) */
    return ack ? g->cfg.timing.ack : g->cfg.timing.resp;
}

/* The GIC_TR_ACCESS event of an access that took effect. In the ITS's translation frame `cpu` is a DeviceID (the
 * GIC_TR_ITS event reports it): cpu 0 here. */
static void trace_access(gic_t *g, const struct gic_inflight *f, const struct gic_response *r)
{
    gic_trace_emit(g, GIC_TR_ACCESS, f->acc.frame == GIC_FRAME_GITS_TR ? 0 : f->acc.cpu, f->acc.offset,
                   f->acc.write ? f->acc.data : r->data,
                   (uint64_t)f->acc.frame | (uint64_t)f->acc.write << 8 | (uint64_t)f->acc.size << 16 |
                       (uint64_t)(uint8_t)r->status << 24);
}

void regs_effect(gic_t *g, const struct gic_inflight *f)
{
    struct gic_response local, *r = f->out ? f->out : f->keep ? &g->done[g->done_count].rsp : &local;
    perform(g, &f->acc, &f->dec, r, false);
    r->issue = f->issue;
    r->effect = f->effect;
    r->done = f->effect + f->resp_lat;
    if (g->trace_fn) trace_access(g, f, r);
    if (!f->out && f->keep) {
        g->keep_pending--;
        g->done[g->done_count].tag = f->tag;
        g->done_count++;
    }
}

void regs_reset_pipeline(gic_t *g)
{
    g->acc_head = g->acc_count = 0;
    g->done_count = 0;
    g->keep_pending = 0;
}

static int grow(void **p, uint32_t *cap, size_t elem, uint32_t need)
{
    if (need <= *cap) return GIC_OK;
    uint32_t nc = *cap ? *cap : 8;
    while (nc < need) nc *= 2;
    void *n = realloc(*p, (size_t)nc * elem);
    if (!n) return GIC_E_NOMEM;
    *p = n;
    *cap = nc;
    return GIC_OK;
}

/* Check an access and work out its decode and cycles; nothing changes yet. */
static int prepare(gic_t *g, const struct gic_access *a, struct gic_inflight *f)
{
    if (!g || !a) return GIC_E_INVAL;
    /* `cpu` is a CPU, except in the ITS's translation frame (a DeviceID). */
    if (a->frame >= GIC_FRAME_COUNT || a->write > 1) return GIC_E_INVAL;
    if (a->cpu >= g->cfg.num_cpus && a->frame != GIC_FRAME_GITS_TR) return GIC_E_INVAL;
    f->acc = *a;
    f->dec = decode(g, a->frame, a->offset);
    f->resp_lat = resp_latency(g, a, &f->dec);
    /* The response must come by GIC_CYCLE_LIMIT (gic.h): otherwise nothing is queued. now and
     * port_free are <= GIC_CYCLE_LIMIT and the latencies <= 2^20, so the sum cannot wrap. */
    f->issue = g->port_free > g->now ? g->port_free : g->now;
    if (f->issue + g->cfg.timing.req + f->resp_lat > GIC_CYCLE_LIMIT) return GIC_E_TIME;
    f->effect = f->issue + g->cfg.timing.req;
    f->keep = false;
    f->out = NULL;
    return GIC_OK;
}

/* The port takes the access in its issue cycle (one access per cycle, timing.md 4.1). */
static void accept(gic_t *g, struct gic_inflight *f)
{
    f->tag = g->next_tag++;
    g->port_free = f->issue + 1;
}

/* Queue a prepared access. Its response goes to f->out (a blocking caller), or is kept for gic_collect() when
 * tag is given, or is dropped. */
static int enqueue(gic_t *g, struct gic_inflight *f, uint64_t *tag)
{
    if (g->acc_count == g->acc_cap) {
        /* Unroll the ring into a larger array. */
        uint32_t nc = g->acc_cap ? g->acc_cap * 2 : 16;
        struct gic_inflight *n = malloc((size_t)nc * sizeof *n);
        if (!n) return GIC_E_NOMEM;
        for (uint32_t i = 0; i < g->acc_count; i++) n[i] = g->acc[(g->acc_head + i) & (g->acc_cap - 1)];
        free(g->acc);
        g->acc = n;
        g->acc_cap = nc;
        g->acc_head = 0;
    }
    if (tag && grow((void **)&g->done, &g->done_cap, sizeof *g->done, g->done_count + g->keep_pending + 1) != GIC_OK)
        return GIC_E_NOMEM;
    f->keep = tag != NULL;
    accept(g, f);
    g->acc[(g->acc_head + g->acc_count) & (g->acc_cap - 1)] = *f;
    g->acc_count++;
    sched_note(g, f->effect);
    if (tag) {
        *tag = f->tag;
        g->keep_pending++;
    }
    return GIC_OK;
}

int gic_submit(gic_t *g, const struct gic_access *a, uint64_t *tag)
{
    struct gic_inflight f;
    int rc = prepare(g, a, &f);
    return rc == GIC_OK ? enqueue(g, &f, tag) : rc;
}

int gic_collect(gic_t *g, uint64_t tag, struct gic_response *rsp)
{
    if (!g || !rsp) return GIC_E_INVAL;
    for (uint32_t i = 0; i < g->done_count; i++) {
        if (g->done[i].tag != tag) continue;
        if (g->done[i].rsp.done > g->now) return GIC_E_AGAIN;
        *rsp = g->done[i].rsp;
        g->done[i] = g->done[--g->done_count];
        return GIC_OK;
    }
    for (uint32_t i = 0; i < g->acc_count; i++)
        if (g->acc[(g->acc_head + i) & (g->acc_cap - 1)].tag == tag) return GIC_E_AGAIN;
    return GIC_E_INVAL;
}

/* A blocking access: run to its effect cycle, then to its response (event to event, gic_run_until). The
 * response is written straight into *rsp when the access takes effect. */
int gic_access(gic_t *g, const struct gic_access *a, struct gic_response *rsp)
{
    if (!rsp) return GIC_E_INVAL;
    struct gic_inflight f;
    int rc = prepare(g, a, &f);
    if (rc != GIC_OK) return rc;
    f.out = rsp;
    if (g->acc_count == 0 && f.effect <= g->next_ev) {
        /* No access ahead and nothing due before the effect cycle (a falling RWP needs no processing): time jumps
         * there, and that cycle is processed with this access in phase 2, as if it had gone through the
         * pipeline. */
        accept(g, &f);
        g->now = f.effect;
        sched_process_with(g, &f);
        g->now = f.effect + 1;
    } else {
        if ((rc = enqueue(g, &f, NULL)) != GIC_OK) return rc;
        /* prepare() checked that the response comes by GIC_CYCLE_LIMIT, so no run below can be refused. */
        (void)gic_run_until(g, f.effect + 1);
    }
    if (rsp->done > g->now) (void)gic_run_until(g, rsp->done);
    return GIC_OK;
}

static int rw(gic_t *g, enum gic_frame frame, unsigned cpu, uint32_t offset, unsigned size, bool write, uint64_t wval,
              uint64_t *rval)
{
    struct gic_access a = { (uint8_t)frame, write, (uint8_t)size, (uint16_t)cpu, offset, wval };
    struct gic_response r;
    if (size > 8) return GIC_E_SIZE;
    int rc = gic_access(g, &a, &r);
    if (rc != GIC_OK) return rc;
    if (rval) *rval = r.data;
    return r.status;
}

int gic_read(gic_t *g, enum gic_frame frame, unsigned cpu, uint32_t offset, unsigned size, uint64_t *val)
{
    if (!val) return GIC_E_INVAL;
    return rw(g, frame, cpu, offset, size, false, 0, val);
}

int gic_write(gic_t *g, enum gic_frame frame, unsigned cpu, uint32_t offset, unsigned size, uint64_t val)
{
    return rw(g, frame, cpu, offset, size, true, val, NULL);
}

int gic_peek(gic_t *g, enum gic_frame frame, unsigned cpu, uint32_t offset, unsigned size, uint64_t *val)
{
    if (!g || !val || (unsigned)frame >= GIC_FRAME_COUNT || size > 8) return GIC_E_INVAL;
    if (cpu >= g->cfg.num_cpus && frame != GIC_FRAME_GITS_TR) return GIC_E_INVAL;
    struct gic_access a = { (uint8_t)frame, 0, (uint8_t)size, (uint16_t)cpu, offset, 0 };
    struct gic_response r;
    const struct gic_decoded dec = decode(g, frame, offset);
    perform(g, &a, &dec, &r, true);
    *val = r.data;
    return r.status;
}

const char *gic_reg_name(const gic_t *g, enum gic_frame frame, uint32_t offset, unsigned *index)
{
    unsigned idx = 0;
    if (!g || (unsigned)frame >= GIC_FRAME_COUNT || !frame_present(g, frame)) return "";
    const struct gic_regdesc *d = regs_decode(g, frame, offset, &idx);
    if (index) *index = idx;
    return d ? d->name : "";
}

int gic_reg_lookup(const gic_t *g, const char *name, enum gic_frame *frame, uint32_t *offset, unsigned *width)
{
    char base[64];
    unsigned idx = 0;
    bool indexed = false;
    if (!g || !name || !frame || !offset || strlen(name) >= sizeof base) return GIC_E_INVAL;
    unsigned vbit = gic_is_v3(g) ? 2 : 1;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            /* Strip the element index: the digits before "_EL" or at the end of the name. */
            const char *el = strstr(name, "_EL");
            size_t end = el ? (size_t)(el - name) : strlen(name), start = end;
            while (start > 0 && name[start - 1] >= '0' && name[start - 1] <= '9') start--;
            if (start == end || start == 0) return GIC_E_INVAL;
            /* Digits only, without wrapping: an index past every array (> 65535) is no register. */
            idx = 0;
            for (size_t i = start; i < end; i++) {
                idx = idx * 10 + (unsigned)(name[i] - '0');
                if (idx > 0xffff) return GIC_E_INVAL;
            }
            snprintf(base, sizeof base, "%.*s%s", (int)start, name, name + end);
            indexed = true;
        } else {
            snprintf(base, sizeof base, "%s", name);
        }
        for (unsigned i = 0; i < GIC_REGDESC_COUNT; i++) {
            const struct gic_regdesc *d = &gic_regdescs[i];
            if (!(d->gic_mask & vbit) || strcmp(d->name, base) || !frame_present(g, d->frame) || !needs_met(g, d))
                continue;
            if (indexed ? idx >= d->count : d->count != 1) continue;
            *frame = (enum gic_frame)d->frame;
            *offset = d->offset + idx * d->stride;
            if (width) *width = d->width;
            return GIC_OK;
        }
    }
    return GIC_E_INVAL;
}
