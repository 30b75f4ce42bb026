/* gic.c: instance lifecycle, configuration checks, time (step / run-until), input lines and outputs. */
#include "gic_internal.h"

#include <stdlib.h>
#include <string.h>

const char *gic_strerror(int s)
{
    switch (s) {
    case GIC_OK: return "ok";
    case GIC_E_INVAL: return "invalid argument or configuration";
    case GIC_E_NOMEM: return "out of memory";
    case GIC_E_SIZE: return "access size or alignment not allowed for this register";
    case GIC_E_DECODE: return "frame not present in this GIC";
    case GIC_E_UNDEF: return "system register not implemented (UNDEFINED)";
    case GIC_E_AGAIN: return "response not ready";
    case GIC_E_TIME: return "time would pass the end of the cycle counter (GIC_CYCLE_LIMIT)";
    case GIC_E_IO: return "an output file could not be written";
    default: return "unknown status";
    }
}

void gic_timing_default(struct gic_timing *t)
{
    /* docs/timing.md section 2 gives the reasoning behind each default. */
    t->req = 2;
    t->resp = 1;
    t->ack = 2;
    t->line = 2;
    t->prio = 4;
    t->deliver = 2;
    t->deact = 2;
    t->hwdeact = 4;
    t->maint = 1;
    t->out = 1;
    t->mem = 16;
    t->its = 2;
}

void gic_config_default(struct gic_config *c, enum gic_version v)
{
    memset(c, 0, sizeof *c);
    c->version = v == GIC_V3 ? GIC_V3 : GIC_V2;
    c->num_cpus = 1;
    c->num_spis = 256; /* QEMU virt: 288 INTIDs */
    c->prio_bits = 8;
    c->cpu_prio_bits = v == GIC_V3 ? 5 : 8; /* QEMU virt: ICC_CTLR_EL1.PRIbits 4; GICC_PMR 0xff */
    c->num_lrs = 4;                         /* GIC-400 / Cortex-A57: GICH_VTR 0x90000003 */
    c->vprio_bits = 5;
    c->vpre_bits = 5;
    c->maint_ppi = 25;
    c->one_of_n = false; /* QEMU virt: GICD_TYPER.No1N = 1 */
    c->dist_iidr = 0x43b;
    c->cpu_iidr = v == GIC_V3 ? 0x43b : 0x2043b;
    c->redist_iidr = 0x43b;
    /* QEMU virt (GICv3): LPIs with 16-bit INTIDs and one ITS; no direct LPI registers. */
    c->lpis = c->its = v == GIC_V3;
    c->lpi_id_bits = 16;
    c->direct_lpi = false;
    c->lpi_cache = 64;
    c->its_cache = 64;
    gic_timing_default(&c->timing);
}

/* Affinities: Aff2.Aff1.Aff0 only (no Aff3: GICD_TYPER.A3V = 0), distinct; Last only for existing CPUs. */
static int check_topology(const struct gic_config *c)
{
    if (c->num_cpus < 64 && (c->redist_last >> c->num_cpus)) return GIC_E_INVAL;
    if (!c->affinity_set) return GIC_OK;
    for (unsigned i = 0; i < c->num_cpus && i < 64; i++) {
        if (c->affinity[i] > 0xffffff) return GIC_E_INVAL;
        for (unsigned j = 0; j < i; j++)
            if (c->affinity[j] == c->affinity[i]) return GIC_E_INVAL;
    }
    return GIC_OK;
}

static int check_config(const struct gic_config *c)
{
    if (c->version != GIC_V2 && c->version != GIC_V3) return GIC_E_INVAL;
    unsigned maxcpu = c->version == GIC_V3 ? GIC_MAX_CPUS_V3 : GIC_MAX_CPUS_V2;
    if (c->num_cpus < 1 || c->num_cpus > maxcpu) return GIC_E_INVAL;
    if (c->num_spis > GIC_MAX_SPIS) return GIC_E_INVAL;
    if (c->prio_bits < 4 || c->prio_bits > 8) return GIC_E_INVAL;
    if (c->cpu_prio_bits && (c->cpu_prio_bits < 4 || c->cpu_prio_bits > 8)) return GIC_E_INVAL;
    if (c->num_lrs > GIC_MAX_LRS) return GIC_E_INVAL;
    if (c->vprio_bits < 5 || c->vprio_bits > 8) return GIC_E_INVAL;
    if (c->vpre_bits < 5 || c->vpre_bits > c->vprio_bits || c->vpre_bits > 7) return GIC_E_INVAL;
    if (c->version == GIC_V2 && (c->vprio_bits != 5 || c->vpre_bits != 5))
        return GIC_E_INVAL; /* GICH_LR has 5 priority bits */
    if (c->maint_ppi && (c->maint_ppi < 16 || c->maint_ppi > 31)) return GIC_E_INVAL;
    if (check_topology(c) != GIC_OK) return GIC_E_INVAL;
    if ((c->lpis || c->its || c->direct_lpi) && c->version != GIC_V3) return GIC_E_INVAL;
    if ((c->its || c->direct_lpi) && !c->lpis) return GIC_E_INVAL;
    if (c->lpis && (c->lpi_id_bits < 14 || c->lpi_id_bits > 16)) return GIC_E_INVAL;
    if (c->lpi_cache > 65536 || c->its_cache > 65536) return GIC_E_INVAL;
    const struct gic_timing *t = &c->timing;
    const uint32_t lim = 1u << 20;
    if (t->req < 1 || t->resp < 1 || t->ack < 1 || t->line < 1 || t->deact < 1 || t->hwdeact < 1 || t->maint < 1 ||
        t->out < 1 || t->prio + t->deliver < 1 || t->mem < 1 || t->its < 1)
        return GIC_E_INVAL;
    if (t->req > lim || t->resp > lim || t->ack > lim || t->line > lim || t->prio > lim || t->deliver > lim ||
        t->deact > lim || t->hwdeact > lim || t->maint > lim || t->out > lim || t->mem > lim || t->its > lim)
        return GIC_E_INVAL;
    return GIC_OK;
}

void gic_reset(gic_t *g)
{
    for (unsigned q = 0; q < Q_COUNT; q++) g->q[q].head = g->q[q].count = 0;
    g->qbusy = 0;
    regs_reset_pipeline(g);
    g->dirty_prio = g->dirty_sig = 0;
    g->port_free = g->now;
    g->rwp_last = 0; /* the RWP windows end with the reset (gicd/gicr_reset): no event left for them */
    g->mem_free = g->now;
    irq_reset(g);
    gicd_reset(g);
    its_reset(g);
    for (unsigned c = 0; c < g->cfg.num_cpus; c++) {
        struct gic_cpu *pc = &g->cpu[c];
        gicr_reset(g, c);
        lpi_reset(g, c);
        cpuif_reset(g, c);
        vcpuif_reset(g, c);
        pc->view = (struct gic_hppi){ INTID_SPURIOUS, GIC_NO_PRIO, 0, 0 };
        pc->pushed = pc->view;
        pc->out_level = pc->out_sched = 0;
    }
    sched_recompute_next(g);
}

int gic_create(const struct gic_config *cfg, gic_t **out)
{
    if (!cfg || !out) return GIC_E_INVAL;
    *out = NULL;
    int rc = check_config(cfg);
    if (rc != GIC_OK) return rc;
    gic_t *g = calloc(1, sizeof *g);
    if (!g) return GIC_E_NOMEM;
    g->cfg = *cfg;
    g->cpu = calloc(cfg->num_cpus, sizeof *g->cpu);
    const struct gic_timing *t = &cfg->timing;
    uint32_t n = cfg->num_cpus;
    /* FIFO sizes cover the most messages each class can have in flight (timing.md 4). */
    uint32_t caps[Q_COUNT] = {
        [Q_VIEW] = (t->prio + t->deliver + 1) * n,
        [Q_OUT] = (t->out + 1) * 4 * n,
        [Q_MAINT] = (t->maint + 1) * n,
        [Q_LINE] = (t->line + 1) * (n + 4),
        [Q_DEACT] = t->deact + 1,
        [Q_HWDEACT] = t->hwdeact + 1,
        [Q_MEM] = 16, /* grows with the operations in flight */
    };
    rc = g->cpu ? GIC_OK : GIC_E_NOMEM;
    for (unsigned q = 0; q < Q_COUNT && rc == GIC_OK; q++) rc = fifo_init(&g->q[q], caps[q]);
    if (rc == GIC_OK) rc = lpi_create(g);
    if (rc == GIC_OK) rc = its_create(g);
    if (rc != GIC_OK) {
        gic_destroy(g);
        return rc;
    }
    uint32_t ints = 32 + cfg->num_spis;
    g->num_intids = ints;
    g->nbanks = (ints + 31) / 32;
    g->cpus_mask = n >= 64 ? ~0ull : ((1ull << n) - 1);
    g->prio_mask = (uint8_t)(0xff << (8 - cfg->prio_bits));
    g->vprio_mask = (uint8_t)(0xff << (8 - cfg->vprio_bits));
    unsigned cpb = gic_cpu_prio_bits(cfg);
    g->cpu_prio_mask = (uint8_t)(0xff << (8 - cpb));
    g->pre_bits = (uint8_t)(cpb > 7 ? 7 : cpb);
    for (unsigned c = 0; c < n; c++) {
        /* MPIDR-style affinity: the configuration's, or 16 CPUs per cluster on GICv3 (Aff0), 8 on GICv2. */
        if (cfg->version == GIC_V3 && cfg->affinity_set) g->cpu[c].affinity = cfg->affinity[c];
        else g->cpu[c].affinity = cfg->version == GIC_V3 ? ((uint64_t)(c / 16) << 8) | (c % 16) : c;
    }
    gic_reset(g);
    *out = g;
    return GIC_OK;
}

void gic_destroy(gic_t *g)
{
    if (!g) return;
    for (unsigned q = 0; q < Q_COUNT; q++) fifo_free(&g->q[q]);
    lpi_destroy(g);
    its_destroy(g);
    free(g->fx);
    free(g->acc);
    free(g->done);
    free(g->cpu);
    free(g);
}

const struct gic_config *gic_get_config(const gic_t *g) { return g ? &g->cfg : NULL; }

/* ---------------- time ---------------- */
gic_cycle_t gic_now(const gic_t *g) { return g ? g->now : 0; }

gic_cycle_t gic_next_event(const gic_t *g)
{
    if (!g) return GIC_CYCLE_NEVER;
    gic_cycle_t n = g->next_ev; /* messages and register effects (kept up to date by sched.c, regs.c) */
    if (g->rwp_last > g->now && g->rwp_last < n) n = g->rwp_last; /* RWP falls: visible, nothing to process */
    return n;
}

bool gic_quiescent(const gic_t *g) { return gic_next_event(g) == GIC_CYCLE_NEVER; }

int gic_run_until(gic_t *g, gic_cycle_t t)
{
    if (!g) return GIC_E_INVAL;
    if (t < g->now) return GIC_E_INVAL;
    if (t > GIC_CYCLE_LIMIT) return GIC_E_TIME;
    /* Only the cycles with messages or register effects are processed; a falling RWP needs no processing. */
    for (gic_cycle_t n; (n = g->next_ev) < t;) {
        g->now = n;
        sched_process_cycle(g, n);
    }
    g->now = t;
    return GIC_OK;
}

int gic_step(gic_t *g, uint64_t cycles)
{
    if (!g) return GIC_E_INVAL;
    if (cycles > GIC_CYCLE_LIMIT - g->now) return GIC_E_TIME; /* g->now <= GIC_CYCLE_LIMIT: no wrap */
    return gic_run_until(g, g->now + cycles);
}

/* ---------------- lines and outputs ---------------- */
static inline int push_line(gic_t *g, unsigned cpu, uint32_t intid, bool level)
{
    struct gic_fifo *f = &g->q[Q_LINE];
    if (g->cfg.timing.line > GIC_CYCLE_LIMIT - g->now) return GIC_E_TIME; /* sampled after the end of time */
    /* Keep room for the maintenance lines pushed while cycles are processed. */
    if (fifo_reserve(f, (g->cfg.timing.line + 1) * g->cfg.num_cpus + 1) != GIC_OK) return GIC_E_NOMEM;
    struct gic_msg m = { g->now + g->cfg.timing.line, (uint16_t)cpu, 0, intid, level };
    int rc = fifo_push(f, &m);
    if (rc == GIC_OK) sched_queued(g, Q_LINE, m.at);
    return rc;
}

int gic_set_spi(gic_t *g, uint32_t intid, bool level)
{
    if (!g || intid < 32 || intid >= 32 + g->cfg.num_spis) return GIC_E_INVAL;
    uint32_t bit = 1u << (intid & 31);
    uint32_t *raw = &g->spi_line_raw[intid >> 5];
    if (((*raw & bit) != 0) == level) return GIC_OK; /* no edge: nothing to synchronise */
    int rc = push_line(g, 0, intid, level);
    if (rc == GIC_OK) *raw ^= bit;
    return rc;
}

int gic_set_ppi(gic_t *g, uint32_t cpu, uint32_t intid, bool level)
{
    if (!g || cpu >= g->cfg.num_cpus || intid < 16 || intid > 31) return GIC_E_INVAL;
    uint32_t bit = 1u << intid;
    uint32_t *raw = &g->cpu[cpu].ppi_line_raw;
    if (((*raw & bit) != 0) == level) return GIC_OK;
    /* The maintenance PPI's input is the OR of this external wire and the CPU's MAINT output
     * (as on a board that wires both to the PPI): the synchroniser sees the combined level. */
    bool seen = level;
    if (g->cfg.num_lrs && intid == g->cfg.maint_ppi && (g->cpu[cpu].out_level & GIC_OUT_MAINT)) {
        *raw ^= bit; /* MAINT holds the OR high: the wire alone changes no line (timing.md 4.8) */
        return GIC_OK;
    }
    int rc = push_line(g, cpu, intid, seen);
    if (rc == GIC_OK) *raw ^= bit;
    return rc;
}

uint32_t gic_outputs(const gic_t *g, uint32_t cpu)
{
    if (!g || cpu >= g->cfg.num_cpus) return 0;
    return g->cpu[cpu].out_level;
}
