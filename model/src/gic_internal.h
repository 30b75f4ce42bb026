/* gic_internal.h: private state of a GIC instance, shared by the block files (gicd.c, gicr.c, cpuif.c, ...). */
#ifndef GIC_INTERNAL_H
#define GIC_INTERNAL_H

#include "gicsim/gic.h"
#include "gic_regmap_gen.h"

#include <stdbool.h>
#include <stdint.h>

#define GIC_MAX_CPUS_V2 8
#define GIC_MAX_CPUS_V3 64
#define GIC_MAX_SPIS 988
#define GIC_MAX_INTIDS 1024 /* INTIDs 0..1019 plus the special 1020..1023 */
#define GIC_MAX_LRS 16
#define GIC_NBANKS (GIC_MAX_INTIDS / 32)
#define INTID_SPURIOUS 1023u
#define INTID_GROUP1_ONLY 1022u /* GICv2 IAR/HPPIR: highest is Group 1 and AckCtl is 0 */
#define INTID_SPECIAL_FIRST 1020u
#define GIC_NO_PRIO 0x100u /* "no interrupt" in priority comparisons */

/* ---------------- Small FIFOs of timed messages (sched.c) ---------------- */
/* Every latency is fixed, so every message class is produced in time order and a FIFO per class
 * is an exact event queue; the next event is the minimum over the FIFO heads. */
struct gic_msg {
    gic_cycle_t at;
    uint16_t cpu;
    uint16_t a; /* class-specific (output bit, group, ...) */
    uint32_t intid;
    uint32_t b; /* class-specific (level, priority, ...) */
};
struct gic_fifo {
    struct gic_msg *buf;
    uint32_t cap, head, count; /* cap is a power of two */
};
int fifo_init(struct gic_fifo *f, uint32_t cap);
void fifo_free(struct gic_fifo *f);
int fifo_grow(struct gic_fifo *f, uint32_t free_needed); /* GIC_E_NOMEM on failure */
/* Room for free_needed more messages. */
static inline int fifo_reserve(struct gic_fifo *f, uint32_t free_needed)
{
    return f->cap - f->count >= free_needed ? GIC_OK : fifo_grow(f, free_needed);
}
/* Append a message; grows the FIFO when full (GIC_E_NOMEM on failure). */
static inline int fifo_push(struct gic_fifo *f, const struct gic_msg *m)
{
    if (f->count == f->cap && fifo_grow(f, 1) != GIC_OK) return GIC_E_NOMEM;
    f->buf[(f->head + f->count) & (f->cap - 1)] = *m;
    f->count++;
    return GIC_OK;
}
static inline struct gic_msg *fifo_head(struct gic_fifo *f) { return f->count ? &f->buf[f->head] : 0; }
static inline void fifo_pop(struct gic_fifo *f)
{
    f->head = (f->head + 1) & (f->cap - 1);
    f->count--;
}
static inline gic_cycle_t fifo_next(const struct gic_fifo *f)
{
    return f->count ? f->buf[f->head].at : GIC_CYCLE_NEVER;
}
/* fifo_next of a FIFO known not to be empty (a bit of gic_t.qbusy). */
static inline gic_cycle_t fifo_head_at(const struct gic_fifo *f) { return f->buf[f->head].at; }

enum { Q_VIEW, Q_OUT, Q_MAINT, Q_LINE, Q_DEACT, Q_HWDEACT, Q_MEM, Q_COUNT };

/* An access in the register pipeline (regs.c), and a finished response waiting to be collected. */
/* What an access's frame and offset decode to. It depends only on the instance's configuration, so it is
 * decoded once when the access is accepted (and cached, regs.c). d == NULL: a reserved MMIO offset or an
 * undefined system register; present == false: the frame does not exist in this GIC. */
struct gic_decoded {
    const struct gic_regdesc *d;
    const struct gic_regops *ops;
    uint32_t idx;     /* array element */
    uint8_t byte_in;  /* byte offset of the access within the register */
    uint16_t sizes;   /* bit s: an access of s bytes is allowed here (check_size, regs.c) */
    bool present;     /* the frame exists in this GIC */
    bool implemented; /* a system register this configuration implements (else UNDEFINED) */
    uint8_t calls;    /* bit 0: a read calls ops->rd, bit 1: a write calls ops->wr (of an allowed size) */
};
struct gic_inflight {
    struct gic_access acc;
    struct gic_decoded dec;
    gic_cycle_t issue, effect;
    uint32_t resp_lat; /* effect -> response: timing.ack or timing.resp */
    uint64_t tag;
    bool keep;                /* the caller wants the response (gic_collect) */
    struct gic_response *out; /* or a blocking caller (gic_access) takes it here */
};
/* A small direct-mapped cache of decodes, by frame and offset. */
#define GIC_DCACHE_BITS 6
#define GIC_DCACHE_SIZE (1u << GIC_DCACHE_BITS)
struct gic_dcache_entry {
    uint32_t offset;
    uint8_t frame, valid;
    struct gic_decoded dec;
};
struct gic_done {
    uint64_t tag;
    struct gic_response rsp;
};

/* ---------------- Interrupt state (irqstate.c) ---------------- */
/* 32 interrupts: bit i is INTID 32*bank + i. Effective pending = pend | (line & level).
 * level = ~edge. ready = enable & ~active & pending. */
struct gic_bank {
    uint32_t group, enable, pend, line, active, edge;
};
static inline uint32_t bank_pending(const struct gic_bank *b) { return b->pend | (b->line & ~b->edge); }
static inline uint32_t bank_ready(const struct gic_bank *b) { return b->enable & ~b->active & bank_pending(b); }

/* The offered interrupt (highest-priority pending) of one CPU interface. */
struct gic_hppi {
    uint16_t intid; /* INTID_SPURIOUS when none */
    uint16_t prio;  /* GIC_NO_PRIO when none */
    uint8_t group;
    uint8_t src; /* GICv2 SGI source CPU */
};

struct gic_lr {    /* one list register, decoded (both versions store into this) */
    uint8_t state; /* 0 invalid, 1 pending, 2 active, 3 pending+active */
    uint8_t hw, grp, nmi, prio;
    uint32_t vintid;
    uint32_t phys; /* pINTID (HW=1) or, with HW=0, the raw EOI/CPUID bits */
};

/* What a physical and a virtual CPU interface have in common (ifprio.c): the priority mask,
 * binary points, control bits and active priorities. The virtual one (IHI0069H 12.3, IHI0048B
 * 5.4) mirrors the physical one, so one structure and one set of functions serve both. */
struct gic_ifc {
    uint8_t pmr, bpr0, bpr1;
    bool cbpr, eoimode, en0, en1, ackctl, fiqen;
    uint32_t ap[2][4]; /* active priorities per group; GICv2 keeps both groups in ap[0] */
    uint8_t rpr;       /* running priority derived from ap[][] (ifprio.c keeps it up to date) */
    uint8_t ap_hi;     /* index of the highest active priority in ap[][] (lowest set bit), 0xff: none */
    uint8_t prio_mask; /* implemented priority bits */
    uint8_t pre_bits;  /* preemption bits: active-priority bit of p is p >> (8 - pre_bits) */
    uint8_t groups;    /* 2: separate AP0R/AP1R (GICv3), 1: one set of APRs (GICv2) */
};

/* A pending LPI as its redistributor holds it: the INTID and the configuration byte (priority [7:2], enable [0]) read
 * for it (lpi.c). */
struct gic_lpi {
    uint32_t intid;
    uint8_t cfg;
};

struct gic_cpu {
    /* ---- private interrupts (SGIs/PPIs): GICv2 banked distributor view, GICv3 redistributor */
    struct gic_bank priv;
    uint8_t prio[32];
    uint8_t sgi_src[16];   /* GICv2: pending SGI sources (bit s = from CPU s) */
    uint32_t ppi_line_raw; /* input pins as last driven (before the synchroniser) */
    /* ---- redistributor (GICv3) */
    bool waker_sleep;
    gic_cycle_t rwp_until;
    uint64_t affinity; /* Aff3.Aff2.Aff1.Aff0 packed as in MPIDR: Aff0 [7:0], Aff1 [15:8], Aff2 [23:16], Aff3 [39:32] */
    /* ---- LPIs (lpi.c) */
    bool lpi_en; /* GICR_CTLR.EnableLPIs */
    uint64_t propbaser, pendbaser;
    struct gic_lpi *lpend; /* pending LPIs, unordered */
    uint32_t lpend_n, lpend_cap;
    gic_cycle_t lpi_busy_until; /* the last LPI operation of this redistributor completes (GICR_SYNCR.Busy) */
    /* ---- physical CPU interface */
    struct gic_ifc phys;
    struct gic_hppi view;   /* what the CPU interface currently is offered */
    struct gic_hppi pushed; /* the last HPPI sent towards the CPU interface */
    /* ---- virtual CPU interface */
    uint32_t hcr;
    struct gic_ifc virt; /* en0/en1 are VMCR.VENG0/VENG1, eoimode is VEOIM, ... */
    struct gic_lr lr[GIC_MAX_LRS];
    uint32_t misr;
    /* ---- outputs */
    uint32_t out_level; /* pins as seen outside */
    uint32_t out_sched; /* pins after every scheduled change */
};

struct gic {
    struct gic_config cfg;
    uint32_t num_intids; /* 32 + num_spis rounded up to a multiple of 32, at most 1020 */
    uint32_t nbanks;     /* banks of 32 INTIDs (bank 0 = private) */
    uint64_t cpus_mask;  /* bit c for every CPU c (all_cpus()) */
    uint8_t prio_mask, vprio_mask;
    uint8_t cpu_prio_mask; /* priority bits of the physical CPU interfaces */
    uint8_t pre_bits;      /* preemption bits of the physical CPU interfaces */
    /* distributor */
    bool d_en0, d_en1;
    gic_cycle_t d_rwp_until;
    gic_cycle_t rwp_last;            /* latest RWP end: an event for gic_next_event() */
    struct gic_bank spi[GIC_NBANKS]; /* index 0 unused */
    uint32_t spi_ready_sum;          /* bit b: spi[b] has a ready interrupt */
    uint8_t spi_prio[GIC_MAX_INTIDS];
    uint8_t spi_target[GIC_MAX_INTIDS]; /* GICv2 ITARGETSR */
    uint64_t spi_route[GIC_MAX_INTIDS]; /* GICv3 IROUTER */
    uint64_t spi_tmask[GIC_MAX_INTIDS]; /* CPUs each SPI is offered to (from ITARGETSR or IROUTER) */
    uint32_t spi_line_raw[GIC_NBANKS];  /* SPI pins as last driven */
    struct gic_cpu *cpu;
    /* time and scheduling */
    gic_cycle_t now;
    struct gic_fifo q[Q_COUNT];
    uint32_t qbusy;           /* bit q: q[q] holds a message (only those are looked at) */
    struct gic_inflight *acc; /* accesses not yet effective, in acceptance order (ring of acc_cap, a power of 2) */
    uint32_t acc_cap, acc_head, acc_count;
    struct gic_done *done; /* responses waiting for gic_collect() */
    uint32_t done_cap, done_count, keep_pending;
    uint64_t next_tag;
    gic_cycle_t port_free;          /* first cycle the register port can accept */
    uint64_t dirty_prio, dirty_sig; /* CPUs to re-evaluate at the end of this cycle */
    gic_cycle_t next_ev;            /* gic_next_event(): the earliest pending event (kept up to date) */
    struct gic_dcache_entry dcache[GIC_DCACHE_SIZE];
    /* memory port (mem.c) and ITS (its.c) */
    struct gic_mem_ops mem;
    void *mem_ctx;
    gic_cycle_t mem_free; /* the memory port finishes the accesses given to it so far */
    struct gic_msg *fx;   /* effects of the memory operation being worked out (mem_op_*) */
    uint32_t fx_n, fx_cap;
    uint32_t op_accesses;   /* accesses of that operation */
    struct gic_its *its;    /* NULL without an ITS */
    struct gic_lpi *lcache; /* LPI configuration cache shared by the redistributors (lpi.c): cfg.lpi_cache entries */
    /* trace */
    gic_trace_fn trace_fn;
    void *trace_ctx;
};

/* ---------------- helpers ---------------- */
static inline bool gic_is_v3(const gic_t *g) { return g->cfg.version == GIC_V3; }
/* Priority bits of the physical CPU interfaces (struct gic_config: 0 means as the distributor's). */
static inline unsigned gic_cpu_prio_bits(const struct gic_config *c)
{
    return c->cpu_prio_bits ? c->cpu_prio_bits : c->prio_bits;
}
static inline uint64_t all_cpus(const gic_t *g) { return g->cpus_mask; }
void gic_trace_emit(gic_t *g, unsigned kind, unsigned cpu, uint32_t intid, uint64_t value, uint64_t aux);
/* One trace event; nothing (not even a call) when no hook listens. */
static inline void gic_trace(gic_t *g, unsigned kind, unsigned cpu, uint32_t intid, uint64_t value, uint64_t aux)
{
    if (g->trace_fn) gic_trace_emit(g, kind, cpu, intid, value, aux);
}

/* ---------------- sched.c ---------------- */
void sched_process_cycle(gic_t *g, gic_cycle_t c);
void sched_process_with(gic_t *g, const struct gic_inflight *f); /* f's effect cycle, f in phase 2 */
void sched_recompute_next(gic_t *g);
/* The offers of `cpus` (their prioritiser inputs) and the output conditions of `cpu` changed: phase 5
 * re-evaluates them at the end of the cycle. */
static inline void sched_mark_prio(gic_t *g, uint64_t cpus) { g->dirty_prio |= cpus & all_cpus(g); }
static inline void sched_mark_sig(gic_t *g, unsigned cpu) { g->dirty_sig |= 1ull << cpu; }
/* Something is due at cycle `at`: keep g->next_ev the earliest. */
static inline void sched_note(gic_t *g, gic_cycle_t at)
{
    if (at < g->next_ev) g->next_ev = at;
}
/* A message was queued on q for cycle `at`. */
static inline void sched_queued(gic_t *g, unsigned q, gic_cycle_t at)
{
    g->qbusy |= 1u << q;
    sched_note(g, at);
}
/* Queue a message for cycle `at` (> now). FIFO capacity was sized at creation for the worst case of the
 * latencies, so the push cannot fail; if it ever did, the message would be lost, so grow-on-demand is kept as the
 * safety net. */
static inline void sched_push(gic_t *g, unsigned q, gic_cycle_t at, unsigned cpu, unsigned a, uint32_t intid,
                              uint32_t b)
{
    struct gic_msg m = { at, (uint16_t)cpu, (uint16_t)a, intid, b };
    if (fifo_push(&g->q[q], &m) == GIC_OK) sched_queued(g, q, at);
}

/* ---------------- irqstate.c: interrupt state shared by the distributor and redistributors ---------------- */
static inline struct gic_bank *irq_bank(gic_t *g, unsigned cpu, uint32_t intid)
{
    return intid < 32 ? &g->cpu[cpu].priv : &g->spi[intid >> 5];
}
static inline uint8_t *irq_prio(gic_t *g, unsigned cpu, uint32_t intid)
{
    return intid < 32 ? &g->cpu[cpu].prio[intid] : &g->spi_prio[intid];
}
static inline bool irq_exists(const gic_t *g, uint32_t intid)
{
    return intid < g->num_intids && intid < INTID_SPECIAL_FIRST;
}
uint64_t irq_targets(const gic_t *g, uint32_t intid); /* CPUs an SPI can be offered to */
/* Modify one field of 32 interrupts of a bank: bits in `mask` take `set ? 1 : 0`. Traces and
 * marks the prioritiser dirty. field is one of the IRQF_* values. */
enum {
    IRQF_GROUP = GIC_STATE_GROUP,
    IRQF_ENABLE = GIC_STATE_ENABLE,
    IRQF_PEND = GIC_STATE_PENDING,
    IRQF_ACTIVE = GIC_STATE_ACTIVE,
    IRQF_EDGE,
    IRQF_LINE
}; /* the first four: the register map's `state` key */
void irq_update(gic_t *g, unsigned cpu, unsigned bankno, unsigned field, uint32_t mask, bool set);
void irq_set_prio(gic_t *g, unsigned cpu, uint32_t intid, uint8_t prio);
void irq_sgi_v2_set(gic_t *g, unsigned target, unsigned sgi, uint8_t srcmask, bool set);
void irq_deactivate(gic_t *g, unsigned cpu, uint32_t intid, bool from_hw);
struct gic_hppi irq_hppi(gic_t *g, unsigned cpu);
/* Acknowledge: the offered interrupt h is claimed if it is still ready for cpu. */
bool irq_claim(gic_t *g, unsigned cpu, const struct gic_hppi *h);
void irq_apply_line(gic_t *g, unsigned cpu, uint32_t intid, bool level);
void irq_reset(gic_t *g);
void irq_set_route(gic_t *g, uint32_t intid); /* recompute spi_tmask from ITARGETSR/IROUTER */

/* ---------------- register handlers (regs.c dispatches) ---------------- */
struct gic_regctx {
    const struct gic_regdesc *d;
    unsigned idx; /* array element */
    unsigned cpu;
    unsigned frame;
};
typedef uint64_t (*gic_rd_fn)(gic_t *g, const struct gic_regctx *r, bool side_effects);
typedef void (*gic_wr_fn)(gic_t *g, const struct gic_regctx *r, uint64_t val);
struct gic_regops {
    gic_rd_fn rd;
    gic_wr_fn wr;
};
extern const struct gic_regops gicd_regops[GIC_REG__COUNT];
extern const struct gic_regops gicr_regops[GIC_REG__COUNT];
extern const struct gic_regops cpuif_regops[GIC_REG__COUNT];
extern const struct gic_regops vcpuif_regops[GIC_REG__COUNT];
void regs_reset_pipeline(gic_t *g);
void regs_effect(gic_t *g, const struct gic_inflight *f);
const struct gic_regdesc *regs_decode(const gic_t *g, unsigned frame, uint32_t offset, unsigned *idx);
/* The effect cycle of the pipeline's oldest access, if any. */
static inline gic_cycle_t regs_next(const gic_t *g)
{
    return g->acc_count ? g->acc[g->acc_head].effect : GIC_CYCLE_NEVER;
}

/* ---------------- cpuif.c / vcpuif.c ---------------- */
void cpuif_reset(gic_t *g, unsigned cpu);
void vcpuif_reset(gic_t *g, unsigned cpu);
uint32_t vcpuif_signals(gic_t *g, unsigned cpu); /* GIC_OUT_VIRQ/VFIQ/MAINT conditions */
/* ICH_HCR_EL2.En / GICH_HCR.En (IHI0069H 12.4.6, IHI0048B 5.3.2): with it 0 the virtual CPU interface signals
 * no vIRQ, vFIQ or maintenance interrupt. */
static inline bool vcpuif_enabled(const gic_t *g, const struct gic_cpu *pc) { return g->cfg.num_lrs && (pc->hcr & 1); }
void vcpuif_changed(gic_t *g, unsigned cpu); /* re-derive MISR, re-evaluate the outputs */
/* Register handlers shared by the physical and virtual interfaces (cpuif.c). */
uint64_t ifreg_pmr_rd(gic_t *g, const struct gic_regctx *r, bool se);
void ifreg_pmr_wr(gic_t *g, const struct gic_regctx *r, uint64_t v);
uint64_t ifreg_rpr_rd(gic_t *g, const struct gic_regctx *r, bool se);
uint64_t ifreg_bpr0_rd(gic_t *g, const struct gic_regctx *r, bool se);
void ifreg_bpr0_wr(gic_t *g, const struct gic_regctx *r, uint64_t v);
uint64_t ifreg_bpr1_rd(gic_t *g, const struct gic_regctx *r, bool se);
void ifreg_bpr1_wr(gic_t *g, const struct gic_regctx *r, uint64_t v);
uint64_t ifreg_ap_rd(gic_t *g, const struct gic_regctx *r, bool se);
void ifreg_ap_wr(gic_t *g, const struct gic_regctx *r, uint64_t v);
uint64_t ifreg_ctlr_v2_rd(gic_t *g, const struct gic_regctx *r, bool se);

/* ---------------- ifprio.c: priority arithmetic shared by the physical and virtual interfaces ---------------- */
void ifc_init(struct gic_ifc *f, uint8_t prio_mask, unsigned pre_bits, unsigned groups);
/* Running priority (IHI0069H 12.2.20): the highest active group priority, 0xFF when idle. */
static inline uint8_t ifc_rpr(const struct gic_ifc *f) { return f->rpr; }
void ifc_set_ap(struct gic_ifc *f, unsigned group, unsigned word, uint32_t v);
/* GroupBits (IHI0069H 4.8.3, IHI0048B 3.3.3): binary point n keeps priority bits [7:n+1] for
 * Group 0 (and for Group 1 with CBPR), and bits [7:n] for Group 1 through BPR1 / ABPR. */
static inline uint8_t ifc_group_prio(const struct gic_ifc *f, unsigned prio, unsigned group)
{
    unsigned lo = (group == 0 || f->cbpr) ? f->bpr0 + 1u : f->bpr1;
    return (uint8_t)(prio & (0xffu << (lo > 8 ? 8 : lo)));
}

static inline bool ifc_group_enabled(const struct gic_ifc *f, unsigned group) { return group ? f->en1 : f->en0; }

/* An interrupt is signalled when its group is enabled, it passes the priority mask and its group
 * priority is higher than the running priority (IHI0069H 4.8, IHI0048B 3.3). */
static inline bool ifc_can_signal(const struct gic_ifc *f, unsigned prio, unsigned group)
{
    return ifc_group_enabled(f, group) && prio < f->pmr && ifc_group_prio(f, prio, group) < ifc_rpr(f);
}

/* The offered interrupt can be signalled: enabled group, above the priority mask, and able to
 * preempt the running priority (IHI0069H 4.8, IHI0048B 3.3). */
static inline bool cpuif_signalable(const struct gic_cpu *pc, const struct gic_hppi *h)
{
    return h->intid != INTID_SPURIOUS && ifc_can_signal(&pc->phys, h->prio, h->group);
}
/* The GIC_OUT_IRQ/FIQ condition of a physical CPU interface (cpuif.c); phase 5 asks for it after every change. */
static inline uint32_t cpuif_signals(const gic_t *g, unsigned cpu)
{
    const struct gic_cpu *pc = &g->cpu[cpu];
    if (!cpuif_signalable(pc, &pc->view)) return 0;
    /* Group 0 is an FIQ (GICv2: only with FIQEn), Group 1 an IRQ. */
    if (pc->view.group == 0 && (gic_is_v3(g) || pc->phys.fiqen)) return GIC_OUT_FIQ;
    return GIC_OUT_IRQ;
}

void ifc_activate(struct gic_ifc *f, unsigned prio, unsigned group);
bool ifc_priority_drop(struct gic_ifc *f, unsigned group);
unsigned ifc_ap_words(const struct gic_ifc *f);
unsigned ifc_bpr_min(const struct gic_ifc *f);
void ifc_set_bpr0(struct gic_ifc *f, unsigned v);
uint8_t ifc_bpr1(const struct gic_ifc *f, bool v3);
void ifc_set_bpr1(struct gic_ifc *f, unsigned v, bool v3);
uint32_t ifc_ctlr_v2(const struct gic_ifc *f);
void ifc_set_ctlr_v2(struct gic_ifc *f, uint64_t v);
void gicd_reset(gic_t *g);
uint64_t bitreg_read(gic_t *g, unsigned cpu, unsigned bankno, const struct gic_regdesc *d);
void bitreg_write(gic_t *g, unsigned cpu, unsigned bankno, const struct gic_regdesc *d, uint32_t val);
uint64_t prioreg_read(gic_t *g, unsigned cpu, uint32_t first_intid);
void prioreg_write(gic_t *g, unsigned cpu, uint32_t first_intid, uint64_t val);
uint64_t cfgreg_read(gic_t *g, unsigned cpu, unsigned idx);
void cfgreg_write(gic_t *g, unsigned cpu, unsigned idx, uint64_t v);
static inline void rwp_start(gic_t *g, gic_cycle_t *until)
{
    *until = g->now + g->cfg.timing.prio + g->cfg.timing.deliver;
    if (*until > g->rwp_last) g->rwp_last = *until;
}
void gicr_reset(gic_t *g, unsigned cpu);

/* ---------------- mem.c: the memory port and its timing (docs/lpi.md) ---------------- */
/* A memory operation is the group of accesses one request makes (an ITS command or translation, a redistributor's
 * table work). mem_op_begin starts one; mem_read/mem_write count its accesses; mem_op_effect records a state change it
 * causes; mem_op_end gives the operation its cycles on the one port (after the operations before it, `extra` cycles of
 * its own plus timing.mem per access) and queues its effects for the cycle it completes, which it returns. */
void mem_op_begin(gic_t *g);
int mem_read(gic_t *g, unsigned use, uint64_t addr, void *buf, uint32_t len);        /* 0, or -1: bus error */
int mem_write(gic_t *g, unsigned use, uint64_t addr, const void *buf, uint32_t len); /* 0, or -1: bus error */
int mem_peek(gic_t *g, uint64_t addr, void *buf, uint32_t len);                      /* no timing, no trace */
void mem_op_effect(gic_t *g, unsigned op, unsigned cpu, uint32_t intid, uint32_t b);
gic_cycle_t mem_op_end(gic_t *g, uint32_t extra);
/* Accesses made when an effect applies (the pending-table update), whose port time an operation counted (mem_op_count)
 * or mem_post gives them (an acknowledge's update, outside any operation). */
int mem_read_now(gic_t *g, unsigned use, uint64_t addr, void *buf, uint32_t len);
int mem_write_now(gic_t *g, unsigned use, uint64_t addr, const void *buf, uint32_t len);
void mem_post(gic_t *g, uint32_t accesses);
static inline void mem_op_count(gic_t *g, uint32_t accesses) { g->op_accesses += accesses; }
/* Effects (Q_MEM message field a). */
enum { MQ_LPI_SET, MQ_LPI_CLR, MQ_LPI_CFG, MQ_LPI_MOV, MQ_LPI_MOVALL, MQ_ITS_STEP, MQ_PORT_FREE };
void mem_apply(gic_t *g, const struct gic_msg *m); /* phase 4: a Q_MEM message is due */
static inline uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}
static inline void put_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* ---------------- lpi.c: LPIs in the redistributors (IHI0069H 5.1) ---------------- */
#define LPI_FIRST 8192u
static inline bool is_lpi(uint32_t intid) { return intid >= LPI_FIRST; }
int lpi_create(gic_t *g); /* per-CPU caches; GIC_E_NOMEM */
void lpi_destroy(gic_t *g);
void lpi_reset(gic_t *g, unsigned cpu);
bool lpi_in_range(const gic_t *g, unsigned cpu, uint32_t intid); /* an LPI the redistributor's tables cover */
/* Within an operation: the configuration byte of an LPI (cache or memory; a bus error reads as disabled). */
uint8_t lpi_cfg_get(gic_t *g, unsigned cpu, uint32_t intid);
void lpi_inv(gic_t *g, unsigned cpu, uint32_t intid); /* within an operation: drop the cached configuration, re-read */
void lpi_invall(gic_t *g, unsigned cpu);              /* within an operation: the same for all */
/* Apply (phase 4): cfg is the configuration byte, with LPI_IN_TABLE when the pending table already says so. */
#define LPI_IN_TABLE 0x100u
void lpi_set(gic_t *g, unsigned cpu, uint32_t intid, uint32_t cfg, bool pending);
void lpi_set_cfg(gic_t *g, unsigned cpu, uint32_t intid, uint8_t cfg);
void lpi_move(gic_t *g, unsigned src, uint32_t intid, unsigned dst);
void lpi_move_all(gic_t *g, unsigned src, unsigned dst);
/* The prioritiser's part for LPIs; the acknowledge of an LPI (no active state: it stops being pending). */
void lpi_hppi(gic_t *g, unsigned cpu, struct gic_hppi *h);
bool lpi_claim(gic_t *g, unsigned cpu, uint32_t intid);
uint64_t lpi_ctlr_rd(gic_t *g, unsigned cpu);
void lpi_ctlr_wr(gic_t *g, unsigned cpu, uint64_t v);
extern const struct gic_regops lpi_regops[GIC_REG__COUNT];

/* ---------------- its.c: the ITS (IHI0069H 5.2-5.3, 12.19) ---------------- */
int its_create(gic_t *g);
void its_destroy(gic_t *g);
void its_reset(gic_t *g);
void its_step_done(gic_t *g, const struct gic_msg *m); /* a command completed: CREADR moves, the next one starts */
extern const struct gic_regops its_regops[GIC_REG__COUNT];

#endif
