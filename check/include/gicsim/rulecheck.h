/* rulecheck.h: a checker that watches a GIC's trace and reports every observable violation of the
 * rules for hardware-mapped virtual interrupts (docs/semantics.md, A and B). See docs/rulecheck.md. */
#ifndef GICSIM_RULECHECK_H
#define GICSIM_RULECHECK_H

#include <stddef.h>
#include <stdint.h>

#include "gicsim/gic.h"
#include "gicsim/vgic.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One gic_rulecheck_t watches one GIC. It keeps its own copy of the physical active/pending/line
 * state and of every list register, built from the trace alone (it never reads the gic_t), and
 * optionally looks at a vgic VM's virtual state (read only, through vgic_get_irq). No global
 * state; functions that can fail return a gic_status (0 or negative); nothing aborts.
 *
 * Feed it every trace event: either install it as the trace function
 *     gic_set_trace(gic, gic_rulecheck_trace, rc);
 * or call gic_rulecheck_trace(rc, ev) from a trace function that fans events out. It must see the
 * trace from the GIC's creation (or from a gic_reset() followed by gic_rulecheck_reset()).
 *
 * Each violation names the rule ("SEMANTICS A6"), the cycle, the CPU, the physical and virtual
 * INTIDs where known, a one-line message that starts with a stable check name ("hw-deact-inactive:
 * ...", docs/rulecheck.md lists them), and the last register accesses of that CPU that led there.
 * The callback of a violation detected in a register access's effect is called once that access's
 * own trace event has been seen (so it is among the recent accesses); deferred checks (time
 * limits, end of run) are reported when they are confirmed, with the cycle the problem began.
 */
typedef struct gic_rulecheck gic_rulecheck_t;

struct gic_violation {
    gic_cycle_t cycle;
    unsigned cpu;
    const char *rule; /* "SEMANTICS A6" */
    uint32_t intid;   /* physical INTID or GIC_RULECHECK_NONE */
    uint32_t vintid;  /* virtual INTID or GIC_RULECHECK_NONE */
    char msg[192];
    unsigned n_recent;
    struct gic_trace_event recent[8]; /* accesses that led there, oldest first */
};
#define GIC_RULECHECK_NONE 0xffffffffu
#define GIC_RULECHECK_KEEP 4096u /* violations kept for gic_rulecheck_get(); all are counted */

int gic_rulecheck_create(const struct gic_config *cfg, gic_rulecheck_t **out);
void gic_rulecheck_destroy(gic_rulecheck_t *rc);
void gic_rulecheck_trace(void *rc, const struct gic_trace_event *ev); /* usable as a gic_trace_fn */
void gic_rulecheck_set_vgic(gic_rulecheck_t *rc,
                            const vgic_vm_t *vm); /* optional: enables checks that need virtual state */
void gic_rulecheck_set_callback(gic_rulecheck_t *rc, void (*fn)(void *ctx, const struct gic_violation *v), void *ctx);
size_t gic_rulecheck_count(const gic_rulecheck_t *rc);
const struct gic_violation *gic_rulecheck_get(const gic_rulecheck_t *rc, size_t i); /* kept: the first 4096 */
void gic_rulecheck_finish(gic_rulecheck_t *rc,
                          gic_cycle_t now); /* end-of-run checks (e.g. physical left active with no owner) */
int gic_violation_format(const struct gic_violation *v, char *buf, size_t len);

/* ---------------- additions ---------------- */
struct gic_rulecheck_options {
    /* "orphan": a mapped physical interrupt active with no list register holding it (and, with a
     * vgic attached, its virtual interrupt neither active nor pending) for this many cycles is
     * reported before the end of the run. 0: only at gic_rulecheck_finish(). Default 10000. */
    gic_cycle_t orphan_cycles;
    /* "hw-inactive": a valid HW=1 list register whose pINTID stays inactive in the physical GIC for
     * this many cycles is reported (at once when the guest acknowledges it). Leaves the
     * hypervisor time to activate the physical interrupt after writing the LR (the EAGER policy
     * does so). 0: only at the guest's acknowledge and at finish. Default 1000. */
    gic_cycle_t grace_cycles;
    unsigned history; /* register accesses remembered per CPU, 8..1024 (default 32) */
    unsigned recent;  /* accesses attached to each violation, 0..8 (default 8) */
};
void gic_rulecheck_options_default(struct gic_rulecheck_options *o);
/* GIC_E_INVAL for a bad value (nothing changes), GIC_E_NOMEM (nothing changes). */
int gic_rulecheck_set_options(gic_rulecheck_t *rc, const struct gic_rulecheck_options *o);
/* Which vCPU of the attached vgic runs on physical CPU pcpu (default: vCPU n on CPU n, like the
 * vgic's own default). Needed only when vgic_vcpu_bind() moved vCPUs. GIC_E_INVAL if out of range. */
int gic_rulecheck_bind_vcpu(gic_rulecheck_t *rc, unsigned vcpu, unsigned pcpu);
/* Forget the tracked GIC state (call it together with gic_reset()); violations are kept. */
void gic_rulecheck_reset(gic_rulecheck_t *rc);
/* Call the callback for violations still waiting for their access's trace event. */
void gic_rulecheck_flush(gic_rulecheck_t *rc);
/* Number of violations (kept ones) whose rule is `rule` ("SEMANTICS A6") and, if check is not
 * NULL, whose message starts with the check name `check` ("hw-deact-inactive"). */
size_t gic_rulecheck_count_rule(const gic_rulecheck_t *rc, const char *rule, const char *check);

#ifdef __cplusplus
}
#endif
#endif
