/* vcd.c: the waveform writer of gic_vcd.h. Value changes are derived from the trace events; where the trace has
 * nothing to say (the start, a reset, what is still in flight at the end) they come from the kernel's state. A change
 * may lie before the event it comes from (a register request lies `req` cycles before its effect, an input pin `line`
 * cycles before it is sampled), so changes wait in a heap ordered by time and are written once no later event can
 * add one at their time (docs/waveforms.md). */
#include "gic_internal.h"
#include "gicsim/gic_vcd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------- the signals: gic_top.sv's names and widths ---------------- */
enum wkind { W_FIX, W_CPUS, W_SPIS, W_INTIDS, W_PPIS, W_PRIVS };
struct sigdef {
    const char *name;
    uint8_t kind, bits;
};

/* TOP.gic_top: ports and trace-port vectors, then TOP.gic_top.u_dist.line_q, then the signals of each CPU. */
enum {
    S_IRQ,
    S_FIQ,
    S_VIRQ,
    S_VFIQ,
    S_MAINT,
    S_REQ_VALID,
    S_REQ_WRITE,
    S_REQ_SIZE,
    S_REQ_FRAME,
    S_REQ_CPU,
    S_REQ_OFFSET,
    S_REQ_WDATA,
    S_REQ_TAG,
    S_RSP_VALID,                   /* the normal response lane: valid, tag, data, status, reserved */
    S_ACK_VALID = S_RSP_VALID + 5, /* the acknowledge lane: the same five */
    S_SPI_LVL = S_ACK_VALID + 5,
    S_SPI_RISE,
    S_PPI_LVL,
    S_PPI_RISE,
    S_SPI_PEND,
    S_SPI_ACT,
    S_PPI_PEND,
    S_PPI_ACT,
    S_DEACT_VALID, /* obs_deact_valid, _cpu, _intid */
    S_HWDEACT_VALID = S_DEACT_VALID + 3,
    S_TOP_COUNT = S_HWDEACT_VALID + 3,
    S_DIST_LINE = S_TOP_COUNT,
    S_CPU0 /* the first signal of CPU 0 */
};
/* Offsets in a response lane and in a deactivation port. */
enum { L_VALID, L_TAG, L_DATA, L_STATUS, L_RESERVED };
enum { D_VALID, D_CPU, D_INTID };

static const struct sigdef top_defs[S_TOP_COUNT] = {
    [S_IRQ] = { "irq", W_CPUS, 0 },
    [S_FIQ] = { "fiq", W_CPUS, 0 },
    [S_VIRQ] = { "virq", W_CPUS, 0 },
    [S_VFIQ] = { "vfiq", W_CPUS, 0 },
    [S_MAINT] = { "maint", W_CPUS, 0 },
    [S_REQ_VALID] = { "req_valid", W_FIX, 1 },
    [S_REQ_WRITE] = { "req_write", W_FIX, 1 },
    [S_REQ_SIZE] = { "req_size", W_FIX, 4 },
    [S_REQ_FRAME] = { "req_frame", W_FIX, 3 },
    [S_REQ_CPU] = { "req_cpu", W_FIX, 8 },
    [S_REQ_OFFSET] = { "req_offset", W_FIX, 32 },
    [S_REQ_WDATA] = { "req_wdata", W_FIX, 64 },
    [S_REQ_TAG] = { "req_tag", W_FIX, 16 },
    [S_RSP_VALID + L_VALID] = { "rsp_valid", W_FIX, 1 },
    [S_RSP_VALID + L_TAG] = { "rsp_tag", W_FIX, 16 },
    [S_RSP_VALID + L_DATA] = { "rsp_data", W_FIX, 64 },
    [S_RSP_VALID + L_STATUS] = { "rsp_status", W_FIX, 3 },
    [S_RSP_VALID + L_RESERVED] = { "rsp_reserved", W_FIX, 1 },
    [S_ACK_VALID + L_VALID] = { "ack_rsp_valid", W_FIX, 1 },
    [S_ACK_VALID + L_TAG] = { "ack_rsp_tag", W_FIX, 16 },
    [S_ACK_VALID + L_DATA] = { "ack_rsp_data", W_FIX, 64 },
    [S_ACK_VALID + L_STATUS] = { "ack_rsp_status", W_FIX, 3 },
    [S_ACK_VALID + L_RESERVED] = { "ack_rsp_reserved", W_FIX, 1 },
    [S_SPI_LVL] = { "spi_lvl", W_SPIS, 0 },
    [S_SPI_RISE] = { "spi_rise", W_SPIS, 0 },
    [S_PPI_LVL] = { "ppi_lvl", W_PPIS, 0 },
    [S_PPI_RISE] = { "ppi_rise", W_PPIS, 0 },
    [S_SPI_PEND] = { "obs_spi_pend", W_INTIDS, 0 },
    [S_SPI_ACT] = { "obs_spi_act", W_INTIDS, 0 },
    [S_PPI_PEND] = { "obs_ppi_pend", W_PRIVS, 0 },
    [S_PPI_ACT] = { "obs_ppi_act", W_PRIVS, 0 },
    [S_DEACT_VALID + D_VALID] = { "obs_deact_valid", W_FIX, 1 },
    [S_DEACT_VALID + D_CPU] = { "obs_deact_cpu", W_FIX, 8 },
    [S_DEACT_VALID + D_INTID] = { "obs_deact_intid", W_FIX, 10 },
    [S_HWDEACT_VALID + D_VALID] = { "obs_hwdeact_valid", W_FIX, 1 },
    [S_HWDEACT_VALID + D_CPU] = { "obs_hwdeact_cpu", W_FIX, 8 },
    [S_HWDEACT_VALID + D_INTID] = { "obs_hwdeact_intid", W_FIX, 10 },
};

/* Each CPU's signals: TOP.gic_top.g_cpu[k].u_cpuif (the offer register, the running priority), .u_redist (the
 * sampled SGI/PPI lines), .u_vcpuif (with list registers: EOIcount, MISR, virtual running priority, lr_q[n]). */
enum { C_OFFG, C_OFFI, C_OFFP, C_OFFS, C_OFFV, C_RPR, C_LINE, C_EOICOUNT, C_MISR, C_VRPR, C_LR0 };
static const struct sigdef cpu_defs[C_LR0] = {
    [C_OFFG] = { "offg_q", W_FIX, 1 },   [C_OFFI] = { "offi_q", W_FIX, 10 },
    [C_OFFP] = { "offp_q", W_FIX, 8 },   [C_OFFS] = { "offs_q", W_FIX, 3 },
    [C_OFFV] = { "offv_q", W_FIX, 1 },   [C_RPR] = { "obs_rpr", W_FIX, 8 },
    [C_LINE] = { "line_q", W_FIX, 32 },  [C_EOICOUNT] = { "obs_eoicount", W_FIX, 5 },
    [C_MISR] = { "obs_misr", W_FIX, 8 }, [C_VRPR] = { "obs_vrpr", W_FIX, 8 },
};

struct vsig {
    uint32_t width;      /* 0: not in this configuration (no SPIs) */
    bool vector;         /* declared with a range, [width-1:0], also with one bit (irq [0:0] of one CPU), as the RTL */
    uint64_t *cur, *out; /* the value now, and as last written */
    bool touched;
};

/* A value change waiting for its time: bits [lo, lo+n) of signal sig become val. */
struct vchg {
    gic_cycle_t t;
    uint64_t seq; /* changes of one time apply in the order they were made */
    uint64_t val;
    uint32_t sig;
    uint16_t lo;
    uint8_t n;
};

/* The maintenance PPI's external wire (the RTL's ppi_lvl bit): the trace shows the OR of the wire and MAINT. */
#define MH 8
struct maint_hist {
    gic_cycle_t at[MH]; /* the last MH changes of MAINT */
    uint8_t lvl[MH], used[MH];
    unsigned n;
    gic_cycle_t rise; /* the last rise of MAINT */
    bool high;        /* MAINT as traced */
    bool wire;        /* the wire as the waveform shows it */
};

struct gic_vcd {
    gic_t *g;
    FILE *f;
    int status, err; /* the first error (gic_status) and its errno */
    gic_cycle_t from, to, t0, ws, lag, last_cycle, done_upto, last_stamp;
    bool any_done, stamped, started, init, attached;
    gic_trace_fn prev_fn;
    void *prev_ctx;
    struct vsig *sig;
    uint32_t nsig, per_cpu, ntouched;
    uint32_t *touched;
    uint64_t *words;
    struct vchg *heap;
    size_t nheap, capheap;
    uint64_t seq;
    uint16_t tag;
    struct maint_hist *mh;
    char *line;
};

static void fail(struct gic_vcd *v, int status, int err)
{
    if (v->status) return;
    v->status = status;
    v->err = err;
}

static void put(struct gic_vcd *v, const char *s)
{
    if (v->status) return;
    errno = 0;
    if (fputs(s, v->f) == EOF) fail(v, GIC_E_IO, errno ? errno : EIO);
}

/* ---------------- declarations ---------------- */
static uint32_t width_of(const gic_t *g, const struct sigdef *d)
{
    uint32_t cpus = g->cfg.num_cpus, spis = g->cfg.num_spis;
    switch (d->kind) {
    case W_CPUS: return cpus;
    case W_SPIS: return spis;
    case W_INTIDS: return ((32 + spis + 31) / 32) * 32; /* gic_top's W */
    case W_PPIS: return 16 * cpus;
    case W_PRIVS: return 32 * cpus;
    default: return d->bits;
    }
}

static uint32_t cpu_sig(const struct gic_vcd *v, unsigned cpu, unsigned which)
{
    return S_CPU0 + cpu * v->per_cpu + which;
}

/* The signal table and the value words. */
static int make_signals(struct gic_vcd *v)
{
    const gic_t *g = v->g;
    uint32_t nlr = g->cfg.num_lrs;
    v->per_cpu = nlr ? C_LR0 + nlr : C_EOICOUNT;
    v->nsig = S_CPU0 + g->cfg.num_cpus * v->per_cpu;
    v->sig = calloc(v->nsig, sizeof *v->sig);
    v->touched = calloc(v->nsig, sizeof *v->touched);
    v->mh = calloc(g->cfg.num_cpus, sizeof *v->mh);
    if (!v->sig || !v->touched || !v->mh) return GIC_E_NOMEM;
    size_t words = 0, maxw = 64;
    for (uint32_t i = 0; i < v->nsig; i++) {
        const struct sigdef *d = NULL; /* NULL: lr_q[n] */
        if (i < S_TOP_COUNT) d = &top_defs[i];
        else if (i == S_DIST_LINE) d = &top_defs[S_SPI_PEND];
        else if ((i - S_CPU0) % v->per_cpu < C_LR0) d = &cpu_defs[(i - S_CPU0) % v->per_cpu];
        uint32_t w = d ? width_of(g, d) : 64;
        v->sig[i].width = w;
        v->sig[i].vector = !d || d->kind != W_FIX || d->bits > 1;
        words += 2 * ((w + 63) / 64);
        if (w > maxw) maxw = w;
    }
    v->words = calloc(words ? words : 1, sizeof *v->words);
    v->line = malloc(maxw + 32);
    if (!v->words || !v->line) return GIC_E_NOMEM;
    uint64_t *p = v->words;
    for (uint32_t i = 0; i < v->nsig; i++) {
        size_t n = (v->sig[i].width + 63) / 64;
        v->sig[i].cur = p;
        v->sig[i].out = p + n;
        p += 2 * n;
    }
    return GIC_OK;
}

/* The VCD identifier of signal i: base 94 in the printable characters '!'..'~'. */
static int id_of(uint32_t i, char *buf)
{
    int n = 0;
    do {
        buf[n++] = (char)('!' + i % 94);
        i /= 94;
    } while (i);
    buf[n] = 0;
    return n;
}

static void declare(struct gic_vcd *v, uint32_t i, const char *name)
{
    char id[8], buf[160];
    if (!v->sig[i].width) return;
    id_of(i, id);
    if (!v->sig[i].vector) snprintf(buf, sizeof buf, "$var wire 1 %s %s $end\n", id, name);
    else snprintf(buf, sizeof buf, "$var wire %u %s %s [%u:0] $end\n", v->sig[i].width, id, name, v->sig[i].width - 1);
    put(v, buf);
}

static void scope(struct gic_vcd *v, const char *name)
{
    char buf[96];
    snprintf(buf, sizeof buf, "$scope module %s $end\n", name);
    put(v, buf);
}

/* The header: TOP.gic_top with the RTL's scopes and names. */
static void header(struct gic_vcd *v)
{
    put(v, "$version gicsim C kernels (model/src/vcd.c) $end\n"
           "$comment one time unit is one GIC cycle; time t: the state at the end of cycle t, the request and input "
           "pins of cycle t, the responses available in cycle t+1 (docs/waveforms.md) $end\n"
           "$timescale 1ps $end\n");
    scope(v, "TOP");
    scope(v, "gic_top");
    for (uint32_t i = 0; i < S_TOP_COUNT; i++) declare(v, i, top_defs[i].name);
    scope(v, "u_dist");
    declare(v, S_DIST_LINE, "line_q");
    put(v, "$upscope $end\n");
    for (unsigned c = 0; c < v->g->cfg.num_cpus; c++) {
        char name[32];
        snprintf(name, sizeof name, "g_cpu[%u]", c);
        scope(v, name);
        scope(v, "u_cpuif");
        for (unsigned k = C_OFFG; k <= C_RPR; k++) declare(v, cpu_sig(v, c, k), cpu_defs[k].name);
        put(v, "$upscope $end\n");
        scope(v, "u_redist");
        declare(v, cpu_sig(v, c, C_LINE), cpu_defs[C_LINE].name);
        put(v, "$upscope $end\n");
        if (v->g->cfg.num_lrs) {
            scope(v, "u_vcpuif");
            for (unsigned k = C_EOICOUNT; k <= C_VRPR; k++) declare(v, cpu_sig(v, c, k), cpu_defs[k].name);
            for (unsigned n = 0; n < v->g->cfg.num_lrs; n++) {
                snprintf(name, sizeof name, "lr_q[%u]", n);
                declare(v, cpu_sig(v, c, C_LR0 + n), name);
            }
            put(v, "$upscope $end\n");
        }
        put(v, "$upscope $end\n");
    }
    put(v, "$upscope $end\n$upscope $end\n$enddefinitions $end\n");
}

/* ---------------- values and the change heap ---------------- */
/* Bits [lo, lo+n) of w (n <= 64) become val. */
static void set_bits(uint64_t *w, unsigned lo, unsigned n, uint64_t val)
{
    for (unsigned b = 0; b < n;) {
        unsigned wi = (lo + b) / 64, o = (lo + b) % 64, take = 64 - o < n - b ? 64 - o : n - b;
        uint64_t m = take == 64 ? ~0ull : ((1ull << take) - 1);
        w[wi] = (w[wi] & ~(m << o)) | (((val >> b) & m) << o);
        b += take;
    }
}

static bool chg_less(const struct vchg *a, const struct vchg *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void heap_push(struct gic_vcd *v, const struct vchg *c)
{
    if (v->nheap == v->capheap) {
        size_t cap = v->capheap ? 2 * v->capheap : 256;
        struct vchg *h = realloc(v->heap, cap * sizeof *h);
        if (!h) {
            fail(v, GIC_E_NOMEM, ENOMEM);
            return;
        }
        v->heap = h;
        v->capheap = cap;
    }
    size_t i = v->nheap++;
    for (; i && chg_less(c, &v->heap[(i - 1) / 2]); i = (i - 1) / 2) v->heap[i] = v->heap[(i - 1) / 2];
    v->heap[i] = *c;
}

static struct vchg heap_pop(struct gic_vcd *v)
{
    struct vchg top = v->heap[0], last = v->heap[--v->nheap];
    size_t i = 0;
    for (;;) {
        size_t k = 2 * i + 1;
        if (k >= v->nheap) break;
        if (k + 1 < v->nheap && chg_less(&v->heap[k + 1], &v->heap[k])) k++;
        if (!chg_less(&v->heap[k], &last)) break;
        v->heap[i] = v->heap[k];
        i = k;
    }
    if (v->nheap) v->heap[i] = last;
    return top;
}

/* Bits [lo, lo+n) of signal sig take val at time t (clipped to the signal's width). Changes before the waveform's
 * start or at a time already written are dropped (an access in flight when the writer was opened). */
static void chg(struct gic_vcd *v, gic_cycle_t t, uint32_t sig, unsigned lo, unsigned n, uint64_t val)
{
    uint32_t w = v->sig[sig].width;
    if (lo >= w) return;
    if (n > w - lo) n = w - lo;
    if (n < 64) val &= (1ull << n) - 1;
    if (v->init) {
        set_bits(v->sig[sig].cur, lo, n, val);
        return;
    }
    if (t < v->t0 || (v->any_done && t <= v->done_upto)) return;
    struct vchg c = { t, v->seq++, val, sig, (uint16_t)lo, (uint8_t)n };
    heap_push(v, &c);
}

static void stamp(struct gic_vcd *v, gic_cycle_t t)
{
    if (v->stamped && v->last_stamp == t) return;
    char buf[32];
    snprintf(buf, sizeof buf, "#%llu\n", (unsigned long long)t);
    put(v, buf);
    v->stamped = true;
    v->last_stamp = t;
}

/* One value change line of signal i (binary, leading zeros dropped, as IEEE 1364 allows). */
static void write_value(struct gic_vcd *v, uint32_t i)
{
    const struct vsig *s = &v->sig[i];
    char *p = v->line;
    if (!s->vector) {
        *p++ = (char)('0' + (s->cur[0] & 1));
    } else {
        int top = (int)s->width - 1;
        while (top > 0 && !((s->cur[top / 64] >> (top % 64)) & 1)) top--;
        *p++ = 'b';
        for (int b = top; b >= 0; b--) *p++ = (char)('0' + ((s->cur[b / 64] >> (b % 64)) & 1));
        *p++ = ' ';
    }
    p += id_of(i, p);
    *p++ = '\n';
    *p = 0;
    put(v, v->line);
    memcpy(s->out, s->cur, ((s->width + 63) / 64) * sizeof *s->cur);
}

static bool window_empty(const struct gic_vcd *v) { return v->ws > v->to; }

/* The values at the window's first cycle (every change up to it is in), as $dumpvars. */
static void start_window(struct gic_vcd *v)
{
    v->started = true;
    if (window_empty(v)) return;
    stamp(v, v->ws);
    put(v, "$dumpvars\n");
    for (uint32_t i = 0; i < v->nsig; i++)
        if (v->sig[i].width) write_value(v, i);
    put(v, "$end\n");
}

/* The signals that changed at time t: written if t is in the window and they differ from what was written. */
static void end_time(struct gic_vcd *v, gic_cycle_t t)
{
    bool write = v->started && !window_empty(v) && t > v->ws && t <= v->to;
    for (uint32_t k = 0; k < v->ntouched; k++) {
        struct vsig *s = &v->sig[v->touched[k]];
        s->touched = false;
        if (write && memcmp(s->cur, s->out, ((s->width + 63) / 64) * sizeof *s->cur)) {
            stamp(v, t);
            write_value(v, v->touched[k]);
        }
    }
    v->ntouched = 0;
}

/* Every change at a time <= upto: no later one can come. */
static void flush(struct gic_vcd *v, gic_cycle_t upto)
{
    while (v->nheap && v->heap[0].t <= upto) {
        gic_cycle_t t = v->heap[0].t;
        if (!v->started && t > v->ws) start_window(v);
        while (v->nheap && v->heap[0].t == t) {
            struct vchg c = heap_pop(v);
            struct vsig *s = &v->sig[c.sig];
            set_bits(s->cur, c.lo, c.n, c.val);
            if (!s->touched) {
                s->touched = true;
                v->touched[v->ntouched++] = c.sig;
            }
        }
        end_time(v, t);
    }
    if (!v->started && upto >= v->ws) start_window(v);
    if (!v->any_done || upto > v->done_upto) v->done_upto = upto;
    v->any_done = true;
}

/* ---------------- derived signals ---------------- */
/* A register request in cycle `issue` (the register port's inputs of that cycle; 0 again in the next). */
static void request(struct gic_vcd *v, gic_cycle_t issue, const struct gic_access *a)
{
    const uint64_t val[S_REQ_TAG - S_REQ_VALID + 1] = {
        1, a->write, a->size, a->frame, a->cpu, a->offset, a->write ? a->data : 0, v->tag++
    };
    for (uint32_t s = S_REQ_VALID; s <= S_REQ_TAG; s++) {
        chg(v, issue, s, 0, 64, val[s - S_REQ_VALID]);
        chg(v, issue + 1, s, 0, 64, 0);
    }
}

/* GIC_TR_ACCESS (effect cycle E): the request in E - req, and the response on its lane after the edge that ends
 * cycle D - 1, D = E + resp, or E + ack for an acknowledge (regs.c, resp_latency; gic_regport.sv). */
static void on_access(struct gic_vcd *v, const struct gic_trace_event *e)
{
    const gic_t *g = v->g;
    struct gic_access a = { (uint8_t)(e->aux & 0xff),
                            (uint8_t)((e->aux >> 8) & 1),
                            (uint8_t)((e->aux >> 16) & 0xff),
                            e->cpu,
                            e->intid,
                            e->value };
    int st = (int8_t)((e->aux >> 24) & 0xff);
    uint16_t tag = v->tag;
    request(v, e->cycle - g->cfg.timing.req, &a);
    unsigned idx = 0;
    const struct gic_regdesc *d = a.frame < GIC_FRAME_COUNT ? regs_decode(g, a.frame, a.offset, &idx) : NULL;
    bool ack = d && !a.write && d->ack;
    gic_cycle_t at = e->cycle + (ack ? g->cfg.timing.ack : g->cfg.timing.resp) - 1;
    uint32_t lane = ack ? S_ACK_VALID : S_RSP_VALID;
    const uint64_t val[5] = { 1, tag, a.write ? 0 : e->value, (uint64_t)-st, st == GIC_OK && !d };
    for (uint32_t k = 0; k < 5; k++) {
        chg(v, at, lane + k, 0, 64, val[k]);
        chg(v, at + 1, lane + k, 0, 64, 0);
    }
}

static bool is_maint_ppi(const struct gic_vcd *v, uint32_t intid)
{
    return v->g->cfg.num_lrs && v->g->cfg.maint_ppi && intid == v->g->cfg.maint_ppi;
}

/* An input pin's level in cycle p (and its rise strobe, 1 for that cycle only). */
static void pin(struct gic_vcd *v, gic_cycle_t p, unsigned cpu, uint32_t intid, bool level)
{
    uint32_t s = intid >= 32 ? S_SPI_LVL : S_PPI_LVL;
    unsigned bit = intid >= 32 ? intid - 32 : 16 * cpu + intid - 16;
    chg(v, p, s, bit, 1, level);
    if (!level) return;
    chg(v, p, s + 1, bit, 1, 1);
    chg(v, p + 1, s + 1, bit, 1, 0);
}

/* A maintenance-PPI line change sampled at p + line is MAINT's own if MAINT changed to `level` in cycle p while the
 * wire was low (the OR followed MAINT, timing.md 4.8); otherwise the wire changed. */
static bool maint_explains(struct gic_vcd *v, unsigned cpu, gic_cycle_t p, bool level)
{
    struct maint_hist *h = &v->mh[cpu];
    if (h->wire) return false;
    for (unsigned k = 0; k < MH && k < h->n; k++) {
        unsigned i = (h->n - 1 - k) % MH;
        if (h->at[i] < p) break;
        if (h->at[i] == p && h->lvl[i] == level && !h->used[i]) {
            h->used[i] = 1;
            return true;
        }
    }
    return false;
}

/* MAINT changed in cycle t (GIC_TR_OUTPUT). */
static void maint_changed(struct gic_vcd *v, unsigned cpu, gic_cycle_t t, bool level)
{
    struct maint_hist *h = &v->mh[cpu];
    unsigned i = h->n++ % MH;
    h->at[i] = t;
    h->lvl[i] = level;
    h->used[i] = 0;
    h->high = level;
    if (level) h->rise = t;
}

/* The first event of cycle c, before it is taken. While MAINT is high the wire's changes change nothing (timing.md
 * 4.8) and are in no trace, so the wire is read from the kernel (its level in cycle c) once every line message from
 * before MAINT rose has been sampled: exact when the GIC had an event in every cycle since the last read, otherwise
 * the change shows at the first cycle with an event. */
static void maint_peek(struct gic_vcd *v, gic_cycle_t c)
{
    const gic_t *g = v->g;
    if (!is_maint_ppi(v, g->cfg.maint_ppi)) return;
    for (unsigned cpu = 0; cpu < g->cfg.num_cpus; cpu++) {
        struct maint_hist *h = &v->mh[cpu];
        if (!h->high || c <= h->rise + g->cfg.timing.line) continue;
        bool raw = (g->cpu[cpu].ppi_line_raw >> g->cfg.maint_ppi) & 1;
        if (raw == h->wire) continue;
        h->wire = raw;
        pin(v, c, cpu, g->cfg.maint_ppi, raw);
    }
}

/* GIC_TR_LINE: the sampled line (u_dist/u_redist line_q) now, the input pin `line` cycles before. */
static void on_line(struct gic_vcd *v, const struct gic_trace_event *e)
{
    bool level = e->value != 0;
    gic_cycle_t p = e->cycle - v->g->cfg.timing.line;
    if (e->intid >= 32) {
        chg(v, e->cycle, S_DIST_LINE, e->intid, 1, level);
    } else {
        chg(v, e->cycle, cpu_sig(v, e->cpu, C_LINE), e->intid, 1, level);
        if (is_maint_ppi(v, e->intid)) {
            if (maint_explains(v, e->cpu, p, level)) return;
            v->mh[e->cpu].wire = level;
        }
    }
    pin(v, p, e->cpu, e->intid, level);
}

static void on_output(struct gic_vcd *v, const struct gic_trace_event *e)
{
    uint32_t s;
    switch (e->intid) {
    case GIC_OUT_IRQ: s = S_IRQ; break;
    case GIC_OUT_FIQ: s = S_FIQ; break;
    case GIC_OUT_VIRQ: s = S_VIRQ; break;
    case GIC_OUT_VFIQ: s = S_VFIQ; break;
    case GIC_OUT_MAINT: s = S_MAINT; break;
    default: return;
    }
    chg(v, e->cycle, s, e->cpu, 1, e->value != 0);
    if (s == S_MAINT) maint_changed(v, e->cpu, e->cycle, e->value != 0);
}

/* The offer register of a CPU interface (gic_cpuif.sv offv_q..offs_q; none: valid 0, INTID 1023, priority 0xFF). */
static void offer(struct gic_vcd *v, gic_cycle_t t, unsigned cpu, const struct gic_hppi *h)
{
    bool valid = h->intid != INTID_SPURIOUS;
    chg(v, t, cpu_sig(v, cpu, C_OFFV), 0, 1, valid);
    chg(v, t, cpu_sig(v, cpu, C_OFFI), 0, 10, h->intid);
    chg(v, t, cpu_sig(v, cpu, C_OFFP), 0, 8, h->prio > 0xff ? 0xff : h->prio);
    chg(v, t, cpu_sig(v, cpu, C_OFFG), 0, 1, valid ? h->group : 0);
    chg(v, t, cpu_sig(v, cpu, C_OFFS), 0, 3, valid ? h->src : 0);
}

/* A deactivation applied in cycle c: the trace port shows it after the edge that ends c - 1. */
static void on_deact(struct gic_vcd *v, const struct gic_trace_event *e)
{
    uint32_t s = e->aux ? S_HWDEACT_VALID : S_DEACT_VALID;
    if (!e->cycle) return;
    const uint64_t val[3] = { 1, e->cpu, e->intid };
    for (uint32_t k = 0; k < 3; k++) {
        chg(v, e->cycle - 1, s + k, 0, 64, val[k]);
        chg(v, e->cycle, s + k, 0, 64, 0);
    }
}

/* The state signals an event sets in its own cycle. */
static void on_state(struct gic_vcd *v, const struct gic_trace_event *e)
{
    unsigned c = e->cpu;
    switch (e->kind) {
    case GIC_TR_PENDING:
    case GIC_TR_ACTIVE: {
        bool pend = e->kind == GIC_TR_PENDING;
        if (e->intid >= 32) chg(v, e->cycle, pend ? S_SPI_PEND : S_SPI_ACT, e->intid, 1, e->value);
        else chg(v, e->cycle, pend ? S_PPI_PEND : S_PPI_ACT, 32 * c + e->intid, 1, e->value);
        break;
    }
    case GIC_TR_HPPI: {
        struct gic_hppi h = { (uint16_t)e->intid, (uint16_t)e->value, (uint8_t)e->aux, v->g->cpu[c].view.src };
        offer(v, e->cycle, c, &h);
        break;
    }
    case GIC_TR_RPR: chg(v, e->cycle, cpu_sig(v, c, C_RPR), 0, 8, e->value); break;
    case GIC_TR_VRPR: chg(v, e->cycle, cpu_sig(v, c, C_VRPR), 0, 8, e->value); break;
    case GIC_TR_MISR: chg(v, e->cycle, cpu_sig(v, c, C_MISR), 0, 8, e->value); break;
    case GIC_TR_EOICOUNT: chg(v, e->cycle, cpu_sig(v, c, C_EOICOUNT), 0, 5, e->value); break;
    case GIC_TR_LR:
        if (e->intid < v->g->cfg.num_lrs) chg(v, e->cycle, cpu_sig(v, c, C_LR0 + e->intid), 0, 64, e->value);
        break;
    default: break;
    }
}

void gic_vcd_event(void *ctx, const struct gic_trace_event *e)
{
    struct gic_vcd *v = ctx;
    if (!v || !e) return;
    if (e->cycle != v->last_cycle) {
        v->last_cycle = e->cycle;
        if (e->cycle > v->t0 + v->lag) flush(v, e->cycle - v->lag - 1);
        maint_peek(v, e->cycle);
    }
    if (v->any_done && v->done_upto >= v->to) return; /* the window is written: nothing more to do */
    switch (e->kind) {
    case GIC_TR_ACCESS: on_access(v, e); break;
    case GIC_TR_LINE: on_line(v, e); break;
    case GIC_TR_OUTPUT: on_output(v, e); break;
    case GIC_TR_DEACT: on_deact(v, e); break;
    default: on_state(v, e); break;
    }
}

/* ---------------- the kernel's state: start, reset, what is in flight ---------------- */
/* ICH_LR<n>_EL2 as the trace and the RTL hold a list register (vcpuif.c lr_pack_v3). */
static uint64_t lr_value(const struct gic_lr *l)
{
    return GIC_FIELD_VAL(ICH_LR_EL2_STATE, l->state) | GIC_FIELD_VAL(ICH_LR_EL2_HW, l->hw) |
           GIC_FIELD_VAL(ICH_LR_EL2_GROUP, l->grp) | GIC_FIELD_VAL(ICH_LR_EL2_PRIORITY, l->prio) |
           GIC_FIELD_VAL(ICH_LR_EL2_PINTID, l->phys) | l->vintid;
}

static void snapshot_cpu(struct gic_vcd *v, gic_cycle_t t, unsigned c)
{
    const gic_t *g = v->g;
    const struct gic_cpu *pc = &g->cpu[c];
    static const uint32_t outs[] = { S_IRQ, S_FIQ, S_VIRQ, S_VFIQ, S_MAINT };
    for (unsigned k = 0; k < 5; k++) chg(v, t, outs[k], c, 1, (pc->out_level >> k) & 1);
    chg(v, t, S_PPI_LVL, 16 * c, 16, pc->ppi_line_raw >> 16);
    chg(v, t, S_PPI_RISE, 16 * c, 16, 0);
    chg(v, t, S_PPI_PEND, 32 * c, 32, bank_pending(&pc->priv));
    chg(v, t, S_PPI_ACT, 32 * c, 32, pc->priv.active);
    chg(v, t, cpu_sig(v, c, C_LINE), 0, 32, pc->priv.line);
    offer(v, t, c, &pc->view);
    chg(v, t, cpu_sig(v, c, C_RPR), 0, 8, ifc_rpr(&pc->phys));
    struct maint_hist *h = &v->mh[c];
    memset(h, 0, sizeof *h);
    h->wire = g->cfg.maint_ppi && ((pc->ppi_line_raw >> g->cfg.maint_ppi) & 1);
    h->high = (pc->out_level & GIC_OUT_MAINT) != 0;
    h->rise = t;
    if (!g->cfg.num_lrs) return;
    chg(v, t, cpu_sig(v, c, C_VRPR), 0, 8, ifc_rpr(&pc->virt));
    chg(v, t, cpu_sig(v, c, C_MISR), 0, 8, pc->misr);
    chg(v, t, cpu_sig(v, c, C_EOICOUNT), 0, 5, pc->hcr >> 27);
    for (unsigned n = 0; n < g->cfg.num_lrs; n++) chg(v, t, cpu_sig(v, c, C_LR0 + n), 0, 64, lr_value(&pc->lr[n]));
}

/* Every signal from the kernel's state at time t (the port and the trace port idle). */
static void snapshot(struct gic_vcd *v, gic_cycle_t t)
{
    const gic_t *g = v->g;
    for (uint32_t s = S_REQ_VALID; s < S_SPI_LVL; s++) chg(v, t, s, 0, 64, 0);
    for (uint32_t s = S_DEACT_VALID; s < S_TOP_COUNT; s++) chg(v, t, s, 0, 64, 0);
    for (unsigned c = 0; c < g->cfg.num_cpus; c++) snapshot_cpu(v, t, c);
    for (unsigned b = 1; b < (32 + g->cfg.num_spis + 31) / 32; b++) {
        const struct gic_bank *k = &g->spi[b];
        chg(v, t, S_DIST_LINE, 32 * b, 32, k->line);
        chg(v, t, S_SPI_PEND, 32 * b, 32, bank_pending(k));
        chg(v, t, S_SPI_ACT, 32 * b, 32, k->active);
        chg(v, t, S_SPI_LVL, 32 * (b - 1), 32, g->spi_line_raw[b]);
        chg(v, t, S_SPI_RISE, 32 * (b - 1), 32, 0);
    }
}

/* A deactivation message due in cycle now: the trace port shows it in cycle now - 1 (on_deact). */
static void deact_due(struct gic_vcd *v, unsigned q)
{
    const gic_t *g = v->g;
    const struct gic_fifo *f = &g->q[q];
    for (uint32_t k = 0; k < f->count; k++) {
        const struct gic_msg *m = &f->buf[(f->head + k) & (f->cap - 1)];
        struct gic_trace_event e = { m->at, GIC_TR_DEACT, m->cpu, m->intid, 0, q == Q_HWDEACT };
        if (m->at == g->now) on_deact(v, &e);
    }
}

/* What the trace has not shown yet at the end or at a reset: the requests of accesses issued before now that have
 * not taken effect, the pin changes of line messages not yet sampled (the maintenance PPI's messages may be MAINT's:
 * left out), and the deactivations due now. */
static void in_flight(struct gic_vcd *v)
{
    const gic_t *g = v->g;
    deact_due(v, Q_DEACT);
    deact_due(v, Q_HWDEACT);
    for (uint32_t k = 0; k < g->acc_count; k++) {
        const struct gic_inflight *f = &g->acc[(g->acc_head + k) & (g->acc_cap - 1)];
        if (f->issue < g->now) request(v, f->issue, &f->acc);
    }
    const struct gic_fifo *q = &g->q[Q_LINE];
    for (uint32_t k = 0; k < q->count; k++) {
        const struct gic_msg *m = &q->buf[(q->head + k) & (q->cap - 1)];
        gic_cycle_t p = m->at - g->cfg.timing.line;
        if (p < g->now && !(m->intid < 32 && is_maint_ppi(v, m->intid))) pin(v, p, m->cpu, m->intid, m->b != 0);
    }
}

/* ---------------- the API ---------------- */
static void destroy(struct gic_vcd *v)
{
    free(v->sig);
    free(v->touched);
    free(v->mh);
    free(v->words);
    free(v->heap);
    free(v->line);
    free(v);
}

int gic_vcd_open(gic_t *g, const char *path, const struct gic_vcd_window *w, gic_vcd_t **out)
{
    if (!out) return GIC_E_INVAL;
    *out = NULL;
    if (!g || !path || !*path || (w && w->from > w->to)) return GIC_E_INVAL;
    struct gic_vcd *v = calloc(1, sizeof *v);
    if (!v) return GIC_E_NOMEM;
    v->g = g;
    v->from = w ? w->from : 0;
    v->to = w ? w->to : GIC_CYCLE_NEVER;
    v->t0 = g->now;
    v->ws = v->from > v->t0 ? v->from : v->t0;
    v->last_cycle = v->t0;
    const struct gic_timing *tm = &g->cfg.timing;
    v->lag = tm->req > tm->line ? tm->req : tm->line; /* the furthest a change lies before its event */
    if (make_signals(v) != GIC_OK) {
        destroy(v);
        return GIC_E_NOMEM;
    }
    if (!(v->f = fopen(path, "w"))) {
        int e = errno;
        destroy(v);
        errno = e;
        return GIC_E_IO;
    }
    header(v);
    errno = 0;
    if (!v->status && fflush(v->f) != 0) fail(v, GIC_E_IO, errno ? errno : EIO); /* a full disk shows here */
    if (v->status) {
        int e = v->err;
        fclose(v->f);
        destroy(v);
        errno = e;
        return GIC_E_IO;
    }
    v->init = true;
    snapshot(v, v->t0);
    v->init = false;
    *out = v;
    return GIC_OK;
}

static void chained(void *ctx, const struct gic_trace_event *e)
{
    struct gic_vcd *v = ctx;
    gic_vcd_event(v, e);
    if (v->prev_fn) v->prev_fn(v->prev_ctx, e);
}

int gic_vcd_attach(gic_vcd_t *v)
{
    if (!v) return GIC_E_INVAL;
    if (v->attached) return GIC_OK;
    v->prev_fn = v->g->trace_fn;
    v->prev_ctx = v->g->trace_ctx;
    gic_set_trace(v->g, chained, v);
    v->attached = true;
    return GIC_OK;
}

/* Drops the waiting changes at times >= t (a reset replaces them). */
static void drop_from(struct gic_vcd *v, gic_cycle_t t)
{
    size_t n = 0;
    for (size_t i = 0; i < v->nheap; i++)
        if (v->heap[i].t < t) v->heap[n++] = v->heap[i];
    size_t keep = n;
    v->nheap = 0;
    for (size_t i = 0; i < keep; i++) {
        struct vchg c = v->heap[i]; /* in place: slot i is read before a push can write it */
        heap_push(v, &c);
    }
}

int gic_vcd_reset(gic_vcd_t *v)
{
    if (!v) return GIC_E_INVAL;
    gic_cycle_t now = v->g->now;
    in_flight(v);
    gic_reset(v->g);
    drop_from(v, now);
    snapshot(v, now);
    return v->status;
}

int gic_vcd_status(const gic_vcd_t *v) { return v ? v->status : GIC_E_INVAL; }

int gic_vcd_close(gic_vcd_t *v)
{
    if (!v) return GIC_E_INVAL;
    gic_t *g = v->g;
    if (v->attached && g->trace_fn == chained && g->trace_ctx == v) gic_set_trace(g, v->prev_fn, v->prev_ctx);
    if (g->now > v->t0) {
        gic_cycle_t end = g->now - 1;
        in_flight(v);
        flush(v, end);
        gic_cycle_t fin = end < v->to ? end : v->to;
        if (v->started && !window_empty(v) && (!v->stamped || v->last_stamp < fin)) stamp(v, fin);
    }
    errno = 0;
    if (!v->status && (fflush(v->f) != 0 || ferror(v->f))) fail(v, GIC_E_IO, errno ? errno : EIO);
    errno = 0;
    if (fclose(v->f) != 0) fail(v, GIC_E_IO, errno ? errno : EIO);
    int st = v->status, e = v->err;
    destroy(v);
    if (st) errno = e;
    return st;
}
