/* its.c: the ITS (IHI0069H 5.2-5.3 and the GITS_* registers of 12.19): translation of MSI writes (GITS_TRANSLATER)
 * through the device, interrupt translation and collection tables, and the command queue.
 *
 * The tables and the command queue live in the user's memory (mem.c). The table entry formats are IMPLEMENTATION
 * DEFINED; gicsim stores them as QEMU 7.2 does, so the memory of a qtest session compares byte for byte:
 *   device table entry, 8 bytes: Valid [0], Size [5:1] (EventID bits - 1), ITT_addr[51:8] at [49:6];
 *   collection table entry, 8 bytes: Valid [0], processor number [16:1] (GITS_TYPER.PTA = 0);
 *   interrupt translation entry, 12 bytes: Valid [0], physical [1] = 1, pINTID [25:2], ICID [47:32]; doorbell [87:64].
 * Each of the three tables has a direct-mapped cache of cfg.its_cache entries (0: always read), kept coherent with the
 * ITS's own writes: it changes only the time a translation or command takes. Command errors: a memory error stalls the
 * queue (GITS_CREADR.Stalled), a parameter error makes the command do nothing (both as QEMU; docs/lpi.md). */
#include "gic_internal.h"

#include <stdlib.h>
#include <string.h>

#define CMD_BYTES 32u
#define ITE_BYTES 12u
#define ID_BITS_DEV 16u  /* GITS_TYPER.Devbits + 1 */
#define ID_BITS_COLL 16u /* GITS_TYPER.CIDbits + 1, CIL = 1 */
#define CBASER_MASK 0xb8effffffffffcffull
#define CQ_OFFSET_MASK 0xfffe0ull
#define BASER_RO (0x1full << 48 | 0x7ull << 56) /* Entry_Size, Type */
#define TRANSLATE_CODE 0x100u                   /* GIC_TR_ITS intid of a translation */

enum {
    CMD_MOVI = 0x01,
    CMD_INT = 0x03,
    CMD_CLEAR = 0x04,
    CMD_SYNC = 0x05,
    CMD_MAPD = 0x08,
    CMD_MAPC = 0x09,
    CMD_MAPTI = 0x0a,
    CMD_MAPI = 0x0b,
    CMD_INV = 0x0c,
    CMD_INVALL = 0x0d,
    CMD_MOVALL = 0x0e,
    CMD_DISCARD = 0x0f
};
enum { C_DEV, C_ITE, C_COLL, C_COUNT }; /* the three caches */

struct its_table {
    uint64_t base;
    uint32_t entry, page, num;
    bool indirect;
};
struct its_centry {
    uint64_t key;
    uint64_t lo;
    uint32_t hi;
    bool valid;
};
struct gic_its {
    bool enabled, busy;
    uint64_t cbaser, cwriter, creadr, baser[8];
    struct its_table dt, ct; /* taken from GITS_BASER0/1 when the ITS is enabled */
    uint64_t cq_base;
    uint32_t cq_num;
    uint64_t cmd[4]; /* the command in progress */
    struct its_centry *cache[C_COUNT];
};
struct dte {
    bool valid;
    unsigned size;
    uint64_t itt;
};
struct ite {
    bool valid;
    uint32_t intid, icid;
};

int its_create(gic_t *g)
{
    if (!g->cfg.its) return GIC_OK;
    g->its = calloc(1, sizeof *g->its);
    if (!g->its) return GIC_E_NOMEM;
    for (unsigned c = 0; c < C_COUNT && g->cfg.its_cache; c++)
        if (!(g->its->cache[c] = calloc(g->cfg.its_cache, sizeof(struct its_centry)))) return GIC_E_NOMEM;
    return GIC_OK;
}

void its_destroy(gic_t *g)
{
    if (!g->its) return;
    for (unsigned c = 0; c < C_COUNT; c++) free(g->its->cache[c]);
    free(g->its);
    g->its = NULL;
}

void its_reset(gic_t *g)
{
    struct gic_its *s = g->its;
    if (!s) return;
    struct its_centry *keep[C_COUNT];
    memcpy(keep, s->cache, sizeof keep);
    memset(s, 0, sizeof *s);
    memcpy(s->cache, keep, sizeof keep);
    for (unsigned c = 0; c < C_COUNT && s->cache[c]; c++)
        memset(s->cache[c], 0, g->cfg.its_cache * sizeof(struct its_centry));
    /* GITS_BASER0: device table, GITS_BASER1: collection table, 8-byte entries, 64 KiB pages (QEMU's reset). */
    s->baser[0] = 1ull << 56 | 7ull << 48 | 2ull << 8;
    s->baser[1] = 4ull << 56 | 7ull << 48 | 2ull << 8;
}

/* ---------------- caches ---------------- */
static struct its_centry *cslot(gic_t *g, unsigned c, uint64_t key)
{
    if (!g->cfg.its_cache) return NULL;
    return &g->its->cache[c][(key * 0x9e3779b97f4a7c15ull >> 32) % g->cfg.its_cache];
}
static bool chit(gic_t *g, unsigned c, uint64_t key, uint64_t *lo, uint32_t *hi)
{
    struct its_centry *e = cslot(g, c, key);
    if (!e || !e->valid || e->key != key) return false;
    *lo = e->lo;
    if (hi) *hi = e->hi;
    return true;
}
static void cput(gic_t *g, unsigned c, uint64_t key, uint64_t lo, uint32_t hi)
{
    struct its_centry *e = cslot(g, c, key);
    if (e) *e = (struct its_centry){ key, lo, hi, true };
}

/* ---------------- tables ---------------- */
/* GITS_BASER<n> (IHI0069H 12.19): where a table is and how many entries it has, at most 2^idbits. */
static struct its_table table_of(uint64_t v, unsigned idbits)
{
    struct its_table t = { 0, 0, 0, 0, false };
    if (!(v >> 63)) return t;
    unsigned ps = (v >> 8) & 3;
    t.page = ps == 0 ? 0x1000u : ps == 1 ? 0x4000u : 0x10000u;
    t.entry = (unsigned)((v >> 48) & 0x1f) + 1;
    t.base = t.page == 0x10000u ? ((v >> 16) & 0xffffffffull) << 16 | ((v >> 12) & 0xfull) << 48
                                : ((v >> 12) & 0xfffffffffull) << 12;
    t.indirect = (v >> 62) & 1;
    uint64_t bytes = ((v & 0xff) + 1) * (uint64_t)t.page;
    uint64_t num = t.indirect ? bytes / 8 * (t.page / t.entry) : bytes / t.entry;
    t.num = (uint32_t)(num < (1ull << idbits) ? num : 1ull << idbits);
    return t;
}

enum { R_OK = GIC_ITS_OK, R_IGN = GIC_ITS_IGNORED, R_STALL = GIC_ITS_STALLED };

/* The address of entry idx; R_IGN when a two-level table has no level-2 page for it (IHI0069H 5.2.1). */
static int entry_addr(gic_t *g, const struct its_table *t, uint32_t idx, uint64_t *addr)
{
    if (!t->indirect) {
        *addr = t->base + (uint64_t)idx * t->entry;
        return R_OK;
    }
    uint8_t b[8];
    uint64_t l1 = t->base + (uint64_t)(idx / (t->page / 8)) * 8;
    if (mem_read(g, GIC_MEM_ITS_L1, l1, b, 8)) return R_STALL;
    uint64_t v = le64(b);
    if (!(v >> 63)) return R_IGN;
    *addr = (v & 0x000ffffffffff000ull) + (uint64_t)(idx % (t->page / t->entry)) * t->entry;
    return R_OK;
}

/* Read (through its cache) or write (and update the cache) one 8-byte entry of the device or collection table. */
static int table_rd(gic_t *g, const struct its_table *t, unsigned c, unsigned use, uint32_t idx, uint64_t *v)
{
    if (idx >= t->num) return R_IGN;
    if (chit(g, c, idx, v, NULL)) return R_OK;
    uint64_t a;
    uint8_t b[8];
    int r = entry_addr(g, t, idx, &a);
    if (r == R_IGN) *v = 0;
    if (r != R_OK) return r == R_IGN ? R_OK : r;
    if (mem_read(g, use, a, b, 8)) return R_STALL;
    *v = le64(b);
    cput(g, c, idx, *v, 0);
    return R_OK;
}
static int table_wr(gic_t *g, const struct its_table *t, unsigned c, unsigned use, uint32_t idx, uint64_t v)
{
    uint64_t a;
    uint8_t b[8];
    int r = entry_addr(g, t, idx, &a);
    if (r != R_OK) return r == R_IGN ? R_OK : r; /* no level-2 page: the write is dropped */
    put_le64(b, v);
    if (mem_write(g, use, a, b, 8)) return R_STALL;
    cput(g, c, idx, v, 0);
    return R_OK;
}

static int dte_get(gic_t *g, uint32_t devid, struct dte *d)
{
    uint64_t v = 0;
    int r = table_rd(g, &g->its->dt, C_DEV, GIC_MEM_ITS_DT, devid, &v);
    d->valid = v & 1;
    d->size = (v >> 1) & 0x1f;
    d->itt = ((v >> 6) & ((1ull << 44) - 1)) << 8;
    return r;
}

static int ite_get(gic_t *g, uint32_t devid, const struct dte *d, uint32_t eventid, struct ite *e)
{
    uint64_t key = (uint64_t)devid << 32 | eventid, lo;
    uint32_t hi;
    if (!chit(g, C_ITE, key, &lo, &hi)) {
        uint8_t b[ITE_BYTES];
        if (mem_read(g, GIC_MEM_ITS_ITT, d->itt + (uint64_t)eventid * ITE_BYTES, b, ITE_BYTES)) return R_STALL;
        lo = le64(b);
        hi = (uint32_t)b[8] | (uint32_t)b[9] << 8 | (uint32_t)b[10] << 16 | (uint32_t)b[11] << 24;
        cput(g, C_ITE, key, lo, hi);
    }
    e->valid = (lo & 1) && ((lo >> 1) & 1); /* physical entries only */
    e->intid = (uint32_t)(lo >> 2) & 0xffffff;
    e->icid = (uint32_t)(lo >> 32) & 0xffff;
    return R_OK;
}

static int ite_put(gic_t *g, uint32_t devid, const struct dte *d, uint32_t eventid, const struct ite *e)
{
    uint64_t lo = e->valid ? 3ull | (uint64_t)e->intid << 2 | (uint64_t)e->icid << 32 : 0; /* valid, physical */
    uint32_t hi = e->valid ? INTID_SPURIOUS : 0;                                           /* no doorbell */
    uint8_t b[ITE_BYTES];
    put_le64(b, lo);
    for (int i = 0; i < 4; i++) b[8 + i] = (uint8_t)(hi >> (8 * i));
    if (mem_write(g, GIC_MEM_ITS_ITT, d->itt + (uint64_t)eventid * ITE_BYTES, b, ITE_BYTES)) return R_STALL;
    cput(g, C_ITE, (uint64_t)devid << 32 | eventid, lo, hi);
    return R_OK;
}

/* DeviceID and EventID to a valid mapping (IHI0069H 5.2): R_IGN when any step finds nothing. */
static int lookup_ite(gic_t *g, uint32_t devid, uint32_t eventid, struct dte *d, struct ite *e)
{
    int r = dte_get(g, devid, d);
    if (r != R_OK || !d->valid || (eventid >> d->size >> 1)) return r == R_OK ? R_IGN : r;
    r = ite_get(g, devid, d, eventid, e);
    return r == R_OK && !e->valid ? R_IGN : r;
}

/* ICID to the target redistributor (the processor number, GITS_TYPER.PTA = 0). */
static int lookup_cte(gic_t *g, uint32_t icid, unsigned *rd)
{
    uint64_t v = 0;
    int r = table_rd(g, &g->its->ct, C_COLL, GIC_MEM_ITS_CT, icid, &v);
    if (r != R_OK) return r;
    *rd = (unsigned)(v >> 1) & 0xffff;
    return (v & 1) && *rd < g->cfg.num_cpus ? R_OK : R_IGN;
}

/* An LPI for redistributor rd becomes pending or not, when the operation completes. */
static void to_redist(gic_t *g, unsigned rd, uint32_t intid, bool pending)
{
    if (!g->cpu[rd].lpi_en || !lpi_in_range(g, rd, intid)) return; /* dropped, as QEMU does */
    mem_op_effect(g, pending ? MQ_LPI_SET : MQ_LPI_CLR, rd, intid, pending ? lpi_cfg_get(g, rd, intid) : 0);
    mem_op_count(g, 2); /* the pending-table update */
}

/* ---------------- commands (IHI0069H 5.3) ---------------- */
static uint32_t c_devid(const uint64_t *c) { return (uint32_t)(c[0] >> 32); }
static uint32_t c_eventid(const uint64_t *c) { return (uint32_t)c[1]; }
static uint32_t c_icid(const uint64_t *c) { return (uint32_t)c[2] & 0xffff; }
static uint64_t c_rdbase(uint64_t dw) { return (dw >> 16) & 0xfffffffffull; }

/* INT, CLEAR, DISCARD. */
static int cmd_event(gic_t *g, const uint64_t *c, unsigned code)
{
    struct dte d;
    struct ite e;
    unsigned rd;
    int r = lookup_ite(g, c_devid(c), c_eventid(c), &d, &e);
    if (r == R_OK) r = lookup_cte(g, e.icid, &rd);
    if (r != R_OK) return r;
    to_redist(g, rd, e.intid, code == CMD_INT);
    if (code != CMD_DISCARD) return R_OK;
    e.valid = false;
    return ite_put(g, c_devid(c), &d, c_eventid(c), &e);
}

static int cmd_mapd(gic_t *g, const uint64_t *c)
{
    uint32_t devid = c_devid(c);
    unsigned size = (unsigned)c[1] & 0x1f;
    if (devid >= g->its->dt.num || size > g->cfg.lpi_id_bits - 1) return R_IGN;
    bool v = c[2] >> 63;
    uint64_t itt = (c[2] >> 8) & ((1ull << 44) - 1);
    /* The device's cached translations may belong to its old table. */
    for (uint32_t i = 0; i < g->cfg.its_cache; i++)
        if ((g->its->cache[C_ITE][i].key >> 32) == devid) g->its->cache[C_ITE][i].valid = false;
    return table_wr(g, &g->its->dt, C_DEV, GIC_MEM_ITS_DT, devid, v ? 1 | (uint64_t)size << 1 | itt << 6 : 0);
}

static int cmd_mapc(gic_t *g, const uint64_t *c)
{
    uint32_t icid = c_icid(c);
    bool v = c[2] >> 63;
    uint64_t rd = v ? c_rdbase(c[2]) & 0xffff : 0;
    if (icid >= g->its->ct.num || rd >= g->cfg.num_cpus) return R_IGN;
    return table_wr(g, &g->its->ct, C_COLL, GIC_MEM_ITS_CT, icid, v ? 1 | rd << 1 : 0);
}

/* MAPTI and MAPI (pINTID = EventID). */
static int cmd_mapti(gic_t *g, const uint64_t *c, bool mapi)
{
    uint32_t devid = c_devid(c), eventid = c_eventid(c), icid = c_icid(c);
    uint32_t intid = mapi ? eventid : (uint32_t)(c[1] >> 32);
    struct dte d;
    if (devid >= g->its->dt.num) return R_IGN;
    int r = dte_get(g, devid, &d);
    if (r != R_OK) return r;
    if (icid >= g->its->ct.num || !d.valid || (eventid >> d.size >> 1) || !is_lpi(intid) ||
        intid >= (1u << g->cfg.lpi_id_bits))
        return R_IGN;
    struct ite e = { true, intid, icid };
    return ite_put(g, devid, &d, eventid, &e);
}

static int cmd_inv(gic_t *g, const uint64_t *c)
{
    struct dte d;
    struct ite e;
    unsigned rd;
    int r = lookup_ite(g, c_devid(c), c_eventid(c), &d, &e);
    if (r == R_OK) r = lookup_cte(g, e.icid, &rd);
    if (r == R_OK) lpi_inv(g, rd, e.intid);
    return r;
}

static int cmd_invall(gic_t *g, const uint64_t *c)
{
    unsigned rd;
    int r = lookup_cte(g, c_icid(c), &rd);
    if (r == R_OK) lpi_invall(g, rd);
    return r;
}

static int cmd_movi(gic_t *g, const uint64_t *c)
{
    struct dte d;
    struct ite e;
    unsigned from, to;
    int r = lookup_ite(g, c_devid(c), c_eventid(c), &d, &e);
    if (r == R_OK) r = lookup_cte(g, e.icid, &from);
    if (r == R_OK) r = lookup_cte(g, c_icid(c), &to);
    if (r != R_OK) return r;
    if (from != to) {
        mem_op_effect(g, MQ_LPI_MOV, from, e.intid, to);
        mem_op_count(g, 4); /* both pending tables */
    }
    e.icid = c_icid(c);
    return ite_put(g, c_devid(c), &d, c_eventid(c), &e);
}

static int cmd_movall(gic_t *g, const uint64_t *c)
{
    uint64_t from = c_rdbase(c[2]), to = c_rdbase(c[3]);
    if (from >= g->cfg.num_cpus || to >= g->cfg.num_cpus) return R_IGN;
    if (from != to) mem_op_effect(g, MQ_LPI_MOVALL, (unsigned)from, 0, (uint32_t)to);
    return R_OK;
}

/* One command. SYNC needs nothing more: every effect of an earlier command applies before its own completion. An
 * unknown command is ignored. */
static int cmd_exec(gic_t *g, const uint64_t *c)
{
    unsigned code = c[0] & 0xff;
    switch (code) {
    case CMD_INT:
    case CMD_CLEAR:
    case CMD_DISCARD: return cmd_event(g, c, code);
    case CMD_MAPD: return cmd_mapd(g, c);
    case CMD_MAPC: return cmd_mapc(g, c);
    case CMD_MAPTI: return cmd_mapti(g, c, false);
    case CMD_MAPI: return cmd_mapti(g, c, true);
    case CMD_INV: return cmd_inv(g, c);
    case CMD_INVALL: return cmd_invall(g, c);
    case CMD_MOVI: return cmd_movi(g, c);
    case CMD_MOVALL: return cmd_movall(g, c);
    case CMD_SYNC: return R_OK;
    default: return R_IGN;
    }
}

/* Start the next command if the queue has one (IHI0069H 12.19 GITS_CWRITER, GITS_CREADR): one at a time; the next
 * starts when this one completes (its_step_done). */
static void its_kick(gic_t *g)
{
    struct gic_its *s = g->its;
    uint32_t rd = (uint32_t)(s->creadr & CQ_OFFSET_MASK) / CMD_BYTES,
             wr = (uint32_t)(s->cwriter & CQ_OFFSET_MASK) / CMD_BYTES;
    if (!s->enabled || s->busy || (s->creadr & 1) || rd == wr || rd >= s->cq_num || wr >= s->cq_num) return;
    uint8_t b[CMD_BYTES];
    mem_op_begin(g);
    int r = R_STALL;
    if (!mem_read(g, GIC_MEM_ITS_CMD, s->cq_base + (uint64_t)rd * CMD_BYTES, b, CMD_BYTES)) {
        for (int i = 0; i < 4; i++) s->cmd[i] = le64(b + 8 * i);
        r = cmd_exec(g, s->cmd);
    } else {
        memset(s->cmd, 0, sizeof s->cmd);
    }
    if (r == R_STALL) g->fx_n = 0; /* a stalled command changes no interrupt state */
    mem_op_effect(g, MQ_ITS_STEP, 0, (uint32_t)(s->cmd[0] & 0xff) | (uint32_t)r << 8, (rd + 1) % s->cq_num);
    s->busy = true;
    (void)mem_op_end(g, g->cfg.timing.its);
}

/* The DeviceID and EventID a command names (GIC_TR_ITS value): both for the event commands, the DeviceID for MAPD,
 * none for the others. */
static uint64_t cmd_ids(const uint64_t *c)
{
    switch (c[0] & 0xff) {
    case CMD_INT:
    case CMD_CLEAR:
    case CMD_DISCARD:
    case CMD_INV:
    case CMD_MAPTI:
    case CMD_MAPI:
    case CMD_MOVI: return (uint64_t)c_devid(c) << 32 | c_eventid(c);
    case CMD_MAPD: return (uint64_t)c_devid(c) << 32;
    default: return 0;
    }
}

void its_step_done(gic_t *g, const struct gic_msg *m)
{
    struct gic_its *s = g->its;
    unsigned r = m->intid >> 8;
    s->busy = false;
    if (r == R_STALL) s->creadr |= 1;
    else s->creadr = (uint64_t)m->b * CMD_BYTES;
    gic_trace(g, GIC_TR_ITS, 0, m->intid & 0xff, cmd_ids(s->cmd), r);
    its_kick(g);
}

/* GITS_TRANSLATER (IHI0069H 5.2, 12.19): the MSI of device r->cpu (the frame's DeviceID) with EventID v. */
static void translater_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    struct dte d;
    struct ite e;
    unsigned rd;
    uint32_t eventid = (uint32_t)v;
    if (!g->its->enabled) return;
    mem_op_begin(g);
    int res = lookup_ite(g, r->cpu, eventid, &d, &e);
    if (res == R_OK) res = lookup_cte(g, e.icid, &rd);
    if (res == R_OK) to_redist(g, rd, e.intid, true);
    (void)mem_op_end(g, g->cfg.timing.its);
    gic_trace(g, GIC_TR_ITS, 0, TRANSLATE_CODE, (uint64_t)r->cpu << 32 | eventid, (uint64_t)res);
}

/* ---------------- registers (IHI0069H 12.19) ---------------- */
/* Quiescent while no command is in progress (QEMU: always). */
static uint64_t ctlr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)r, (void)se;
    return (g->its->busy ? 0 : GITS_CTLR_QUIESCENT_MASK) | g->its->enabled;
}

static void ctlr_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    (void)r;
    struct gic_its *s = g->its;
    bool en = v & GITS_CTLR_ENABLED_MASK;
    if (en == s->enabled) return;
    s->enabled = en;
    if (!en) return;
    /* The tables and the queue are taken as GITS_BASER<n> and GITS_CBASER say now (they are read-only while the ITS
     * is enabled). */
    s->dt = table_of(s->baser[0], ID_BITS_DEV);
    s->ct = table_of(s->baser[1], ID_BITS_COLL);
    s->cq_num = s->cbaser >> 63 ? (uint32_t)((s->cbaser & 0xff) + 1) * 0x1000u / CMD_BYTES : 0;
    s->cq_base = s->cbaser & 0x000ffffffffff000ull;
    its_kick(g);
}

static uint64_t iidr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)r, (void)se;
    return g->cfg.dist_iidr;
}

static uint64_t typer_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)r, (void)se;
    return GITS_TYPER_PHYSICAL_MASK | GIC_FIELD_VAL(GITS_TYPER_ITT_ENTRY_SIZE, ITE_BYTES - 1) |
           GIC_FIELD_VAL(GITS_TYPER_IDBITS, g->cfg.lpi_id_bits - 1) |
           GIC_FIELD_VAL(GITS_TYPER_DEVBITS, ID_BITS_DEV - 1) | GIC_FIELD_VAL(GITS_TYPER_CIDBITS, ID_BITS_COLL - 1) |
           GITS_TYPER_CIL_MASK;
}

static uint64_t cbaser_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)r, (void)se;
    return g->its->cbaser;
}
/* Read-only while the ITS is enabled (as QEMU); a write resets GITS_CREADR. */
static void cbaser_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    (void)r;
    if (g->its->enabled) return;
    g->its->cbaser = v & CBASER_MASK;
    g->its->creadr = 0;
}

static uint64_t cwriter_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)r, (void)se;
    return g->its->cwriter;
}
/* Retry = 1 restarts a stalled queue (IHI0069H 12.19 GITS_CWRITER). */
static void cwriter_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    (void)r;
    g->its->cwriter = v & CQ_OFFSET_MASK;
    if (v & GITS_CWRITER_RETRY_MASK) g->its->creadr &= ~1ull;
    its_kick(g);
}

static uint64_t creadr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)r, (void)se;
    return g->its->creadr;
}
/* Writable with GICD_CTLR.DS = 1, as QEMU has it; the write clears Stalled. */
static void creadr_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    (void)r;
    g->its->creadr = v & CQ_OFFSET_MASK;
}

static uint64_t baser_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)se;
    return g->its->baser[r->idx];
}
/* Type and Entry_Size are read-only; GITS_BASER2-7 are not implemented (RAZ/WI); read-only while enabled. */
static void baser_wr(gic_t *g, const struct gic_regctx *r, uint64_t v)
{
    uint64_t *b = &g->its->baser[r->idx];
    if (g->its->enabled || !*b) return;
    *b = (*b & BASER_RO) | (v & ~BASER_RO);
}

static const uint8_t idr_its[12] = { 0x44, 0, 0, 0, 0x94, 0xb4, 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1 };
static uint64_t idr_rd(gic_t *g, const struct gic_regctx *r, bool se)
{
    (void)g, (void)se;
    return idr_its[r->idx];
}

const struct gic_regops its_regops[GIC_REG__COUNT] = {
    [GIC_REG_GITS_CTLR] = { ctlr_rd, ctlr_wr },
    [GIC_REG_GITS_IIDR] = { iidr_rd, 0 },
    [GIC_REG_GITS_TYPER] = { typer_rd, 0 },
    [GIC_REG_GITS_CBASER] = { cbaser_rd, cbaser_wr },
    [GIC_REG_GITS_CWRITER] = { cwriter_rd, cwriter_wr },
    [GIC_REG_GITS_CREADR] = { creadr_rd, creadr_wr },
    [GIC_REG_GITS_BASER] = { baser_rd, baser_wr },
    [GIC_REG_GITS_IDR] = { idr_rd, 0 },
    [GIC_REG_GITS_TRANSLATER] = { 0, translater_wr },
};
