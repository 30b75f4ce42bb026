/* gic.h: public C API of gicsim's cycle-level GIC kernels (distributor, redistributors, CPU interfaces). */
#ifndef GICSIM_GIC_H
#define GICSIM_GIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One gic_t is one GIC: a distributor, one redistributor (GICv3) and one physical and one
 * virtual CPU interface per CPU. Instances are independent; there is no global state.
 * Every function returns a gic_status (0 or a negative code); none aborts.
 *
 * Time: the kernel counts cycles of the one GIC clock. gic_now() is the next cycle to be
 * processed. Stimuli (register accesses, input lines) are given at gic_now(); their effects
 * happen at later cycles fixed by the timing parameters (docs/timing.md). The caller advances
 * time with gic_step() (exactly N cycles) or gic_run_until(); both skip idle cycles at no cost
 * and give the same architectural trace whatever the step size.
 *
 * End of time: gic_now() never passes GIC_CYCLE_LIMIT (2^63). gic_run_until() to a cycle after it,
 * gic_step() past it, and a stimulus whose own effect would fall after it (gic_submit(): the
 * response cycle of the access; gic_set_spi()/gic_set_ppi(): the sampling cycle) are refused with
 * GIC_E_TIME and change nothing. Consequences scheduled by the GIC itself (offers, outputs) may
 * fall after the limit: they stay scheduled (gic_next_event() > GIC_CYCLE_LIMIT) and are never
 * processed. So every scheduled cycle fits the counter, gic_next_event() >= gic_now() always, and
 * a caller that runs to gic_next_event() + 1 stops with GIC_E_TIME instead of spinning.
 */

typedef struct gic gic_t;
typedef uint64_t gic_cycle_t;
#define GIC_CYCLE_NEVER UINT64_MAX
#define GIC_CYCLE_LIMIT (UINT64_C(1) << 63) /* the last cycle gic_now() may reach */

enum gic_status {
    GIC_OK = 0,
    GIC_E_INVAL = -1,  /* bad argument or configuration */
    GIC_E_NOMEM = -2,  /* allocation failed; the instance is unchanged */
    GIC_E_SIZE = -3,   /* access size or alignment the register does not allow (bus error) */
    GIC_E_DECODE = -4, /* frame not present in this GIC version (bus error) */
    GIC_E_UNDEF = -5,  /* system register not implemented: the CPU takes an UNDEFINED exception */
    GIC_E_AGAIN = -6,  /* response not ready yet */
    GIC_E_TIME = -7,   /* would take time past GIC_CYCLE_LIMIT; nothing changed */
    GIC_E_IO = -8,     /* an output file could not be created or written (gic_vcd.h); errno says why */
};
const char *gic_strerror(int status);

enum gic_version { GIC_V2 = 2, GIC_V3 = 3 };

/* Register frames. For GICR_RD and GICR_SGI, `cpu` selects the redistributor; for GICC, GICH and
 * GICV it is the requesting CPU (banked view); for GITS_TR it is the DeviceID of the MSI's writer (GITS: ignored); for SYSREG/VSYSREG it is the CPU executing the
 * MSR/MRS and the offset is the packed encoding GIC_SYSREG_ENC(op0, op1, CRn, CRm, op2).
 * VSYSREG is the ICV_* view a vCPU sees through the ICC_* encodings (HCR_EL2.IMO/FMO set). */
enum gic_frame {
    GIC_FRAME_GICD,
    GIC_FRAME_GICR_RD,
    GIC_FRAME_GICR_SGI,
    GIC_FRAME_GICC,
    GIC_FRAME_GICH,
    GIC_FRAME_GICV,
    GIC_FRAME_SYSREG,
    GIC_FRAME_VSYSREG,
    GIC_FRAME_GITS,    /* ITS control frame (GITS_CTLR ...), present with config `its` */
    GIC_FRAME_GITS_TR, /* ITS translation frame (GITS_TRANSLATER); `cpu` is the writer's DeviceID (0..65535) */
    GIC_FRAME_COUNT
};
#define GIC_SYSREG_ENC(op0, op1, crn, crm, op2)                                                                        \
    ((uint32_t)(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2)))

/* Latencies in GIC cycles (docs/timing.md names and defines each one). gic_create() takes each one in
 * 1..2^20 cycles, except prio and deliver, which may be 0 (but prio + deliver >= 1); GIC_E_INVAL otherwise. */
struct gic_timing {
    uint32_t req;     /* register request accepted -> effect (state change or read sample) */
    uint32_t resp;    /* effect -> response (read data, write acknowledge) */
    uint32_t ack;     /* effect of an acknowledge (IAR) -> its response (activate round trip) */
    uint32_t line;    /* input line change -> sampled by the distributor/redistributor */
    uint32_t prio;    /* state change -> new highest-priority pending interrupt computed */
    uint32_t deliver; /* computed -> offered to the CPU interface */
    uint32_t deact;   /* EOI/DIR effect -> deactivation applied in the distributor/redistributor */
    uint32_t hwdeact; /* virtual EOI/DIR of a HW=1 list register -> physical deactivation applied */
    uint32_t maint;   /* maintenance condition change -> maintenance output change */
    uint32_t out;     /* IRQ/FIQ/vIRQ/vFIQ condition change -> output change */
    uint32_t mem;     /* one access of the GIC's memory port (LPI and ITS tables, command queue), docs/lpi.md */
    uint32_t its;     /* the ITS's own work per command or translation, besides its memory accesses */
};

struct gic_config {
    enum gic_version version;
    uint32_t num_cpus;      /* 1..8 (GICv2), 1..64 (GICv3) */
    uint32_t num_spis;      /* 0..988: SPIs are INTIDs 32 .. 32+num_spis-1 */
    uint32_t prio_bits;     /* priority bits the distributor/redistributors implement, 4..8 */
    uint32_t cpu_prio_bits; /* priority bits of the physical CPU interfaces (PMR, BPR, active priorities,
                            * ICC_CTLR_EL1.PRIbits), 4..8; 0: as prio_bits */
    uint32_t num_lrs;       /* list registers per CPU, 0..16 (0: no virtualization) */
    uint32_t vprio_bits;    /* implemented virtual priority bits, 5..8 (GICv2: 5) */
    uint32_t vpre_bits;     /* virtual preemption bits, 5..min(vprio_bits, 7) (ICH_AP0R/AP1R hold at most 4 words:
                            * 2^7 preemption levels; GICv2: 5) */
    uint32_t maint_ppi;     /* PPI the maintenance interrupt drives (16..31), 0: not wired */
    bool one_of_n;          /* GICv3: 1-of-N SPI routing supported (GICD_TYPER.No1N = !one_of_n) */
    uint32_t dist_iidr, cpu_iidr, redist_iidr;
    struct gic_timing timing;
    /* GICv3 topology (a device tree gives it, docs/dt.md). affinity_set: CPU c has the affinity affinity[c] (MPIDR_EL1
     * layout: Aff2 [23:16], Aff1 [15:8], Aff0 [7:0]; Aff3 must be 0, GICD_TYPER.A3V being 0), all distinct;
     * otherwise Aff1 = c / 16 and Aff0 = c % 16. redist_last: bit c set when CPU c's redistributor is the last of
     * its region (GICR_TYPER.Last); 0: the highest CPU's only (one region). */
    bool affinity_set;
    uint64_t affinity[64];
    uint64_t redist_last;
    /* GICv3 LPIs and the ITS (docs/lpi.md). lpis: physical LPIs (GICD_TYPER.LPIS, GICR_TYPER.PLPIS); lpi_id_bits:
     * INTID bits, 14..16 (GICD_TYPER.IDbits + 1); direct_lpi: GICR_SETLPIR, CLRLPIR, INVLPIR, INVALLR and SYNCR
     * (GICR_TYPER.DirectLPI); lpi_cache: entries of the LPI configuration cache the redistributors share
     * (CommonLPIAff = 1), 0..65536 (0: the configuration is read whenever an LPI becomes pending); its: one ITS
     * (needs lpis); its_cache: entries of each of the ITS's device, translation and collection caches, 0..65536 (0:
     * always read). */
    bool lpis;
    uint32_t lpi_id_bits;
    bool direct_lpi;
    uint32_t lpi_cache;
    bool its;
    uint32_t its_cache;
};

/* Defaults: QEMU virt's choices for the version (docs/architecture.md), default timing. */
void gic_config_default(struct gic_config *cfg, enum gic_version version);
void gic_timing_default(struct gic_timing *t);
/* GIC_E_INVAL for any field outside the ranges written next to it above (and at struct gic_timing). */
int gic_create(const struct gic_config *cfg, gic_t **out);
void gic_destroy(gic_t *gic);
/* Reset every register and all state to its reset value; time and statistics continue. */
void gic_reset(gic_t *gic);
const struct gic_config *gic_get_config(const gic_t *gic);

/* ---------------- Register accesses ---------------- */
struct gic_access {
    uint8_t frame;   /* enum gic_frame */
    uint8_t write;   /* 0 read, 1 write */
    uint8_t size;    /* bytes: 1, 2, 4 or 8 */
    uint16_t cpu;    /* see enum gic_frame */
    uint32_t offset; /* byte offset in the frame, or system-register encoding */
    uint64_t data;   /* write data */
};
struct gic_response {
    int status;                      /* GIC_OK, GIC_E_SIZE, GIC_E_DECODE, GIC_E_UNDEF */
    bool reserved;                   /* the offset is reserved in this frame (RAZ/WI) */
    uint64_t data;                   /* read data */
    gic_cycle_t issue, effect, done; /* accepted, took effect, response available */
};

/* Queue an access. The single register port accepts one access per cycle, in submission order,
 * from gic_now() on. *tag (if non-NULL) identifies the response for gic_collect(); with a NULL
 * tag the response is dropped. GIC_E_TIME (nothing queued) if its response would come after
 * GIC_CYCLE_LIMIT. */
int gic_submit(gic_t *gic, const struct gic_access *acc, uint64_t *tag);
/* The response of a submitted access; GIC_E_AGAIN while gic_now() < done. Frees the tag. */
int gic_collect(gic_t *gic, uint64_t tag, struct gic_response *rsp);
/* Submit, run until the response is available (gic_now() == rsp->done), collect. */
int gic_access(gic_t *gic, const struct gic_access *acc, struct gic_response *rsp);
/* Convenience wrappers around gic_access(); the return value is the response status. */
int gic_read(gic_t *gic, enum gic_frame frame, unsigned cpu, uint32_t offset, unsigned size, uint64_t *val);
int gic_write(gic_t *gic, enum gic_frame frame, unsigned cpu, uint32_t offset, unsigned size, uint64_t val);
/* Debug read: the value a read would return now, without side effects and without time. */
int gic_peek(gic_t *gic, enum gic_frame frame, unsigned cpu, uint32_t offset, unsigned size, uint64_t *val);

/* ---------------- Interrupt lines and outputs ---------------- */
int gic_set_spi(gic_t *gic, uint32_t intid, bool level); /* 32 <= intid < 32+num_spis */
/* 16 <= intid < 32. The maintenance PPI (config maint_ppi) may be driven too: its input is the OR
 * of the external wire and the CPU's MAINT output. */
int gic_set_ppi(gic_t *gic, uint32_t cpu, uint32_t intid, bool level);
enum gic_output { GIC_OUT_IRQ = 1, GIC_OUT_FIQ = 2, GIC_OUT_VIRQ = 4, GIC_OUT_VFIQ = 8, GIC_OUT_MAINT = 16 };
uint32_t gic_outputs(const gic_t *gic, uint32_t cpu); /* bitmask of enum gic_output */

/* ---------------- Memory port (GICv3 LPIs and the ITS, docs/lpi.md) ---------------- */
/* The GIC reads and writes its tables in memory (LPI configuration and pending tables, the ITS's device, collection
 * and translation tables and its command queue) through callbacks the user supplies. Memory is little-endian; one call
 * moves at most 64 bytes. Each call returns 0, or nonzero for a bus error (the GIC then does what docs/lpi.md says and
 * traces GIC_TR_MEM with the error bit; it never aborts). peek is optional: a read without side effects, used only to
 * check a cached LPI configuration against memory while a trace hook listens (NULL: read is used). Without a memory
 * port every access is a bus error. Each access takes timing.mem cycles of the one port (docs/timing.md). */
struct gic_mem_ops {
    int (*read)(void *ctx, uint64_t addr, void *buf, uint32_t len);
    int (*write)(void *ctx, uint64_t addr, const void *buf, uint32_t len);
    int (*peek)(void *ctx, uint64_t addr, void *buf, uint32_t len);
};
/* ops == NULL removes the port. The ops structure is copied. */
int gic_set_memory(gic_t *gic, const struct gic_mem_ops *ops, void *ctx);
/* What a memory access was for (GIC_TR_MEM intid). */
enum gic_mem_use {
    GIC_MEM_LPI_CFG,  /* LPI configuration table (GICR_PROPBASER) */
    GIC_MEM_LPI_PEND, /* LPI pending table (GICR_PENDBASER) */
    GIC_MEM_ITS_CMD,  /* ITS command queue (GITS_CBASER) */
    GIC_MEM_ITS_DT,   /* ITS device table (GITS_BASER type 1) */
    GIC_MEM_ITS_CT,   /* ITS collection table (GITS_BASER type 4) */
    GIC_MEM_ITS_ITT,  /* an interrupt translation table (MAPD ITT_addr) */
    GIC_MEM_ITS_L1,   /* a level-1 entry of a two-level ITS table */
};
/* How the ITS finished a command or translation (GIC_TR_ITS aux). */
enum gic_its_result {
    GIC_ITS_OK,      /* done */
    GIC_ITS_IGNORED, /* a command error or an unmapped translation: no effect, the queue goes on */
    GIC_ITS_STALLED, /* a memory error: GITS_CREADR.Stalled is set and the queue stops */
};

/* ---------------- Time ---------------- */
gic_cycle_t gic_now(const gic_t *gic);
gic_cycle_t gic_next_event(const gic_t *gic); /* earliest cycle >= now with work, or GIC_CYCLE_NEVER */
int gic_step(gic_t *gic, uint64_t cycles);    /* process exactly `cycles` cycles; GIC_E_TIME past GIC_CYCLE_LIMIT */
int gic_run_until(gic_t *gic,
                  gic_cycle_t t);     /* process every cycle before t; gic_now() becomes t (t <= GIC_CYCLE_LIMIT) */
bool gic_quiescent(const gic_t *gic); /* nothing scheduled: no message or access in flight */

/* ---------------- Trace ---------------- */
enum gic_trace_kind {
    GIC_TR_ACCESS,   /* register access took effect: intid=offset, value=data, aux=frame|write<<8|size<<16|status<<24 */
    GIC_TR_PENDING,  /* pending state of (cpu, intid): value = 0/1 (cpu = 0 for SPIs) */
    GIC_TR_ACTIVE,   /* active state of (cpu, intid) */
    GIC_TR_ENABLE,   /* enable of (cpu, intid) */
    GIC_TR_PRIORITY, /* priority of (cpu, intid) */
    GIC_TR_GROUP,    /* group of (cpu, intid) */
    GIC_TR_ROUTE,    /* ITARGETSR/IROUTER of an SPI: value = new target mask or IROUTER */
    GIC_TR_LINE,     /* sampled input level of (cpu, intid) */
    GIC_TR_HPPI,     /* CPU interface's offered interrupt changed: intid (1023 none), value = priority, aux = group */
    GIC_TR_RPR,      /* physical running priority of cpu: value */
    GIC_TR_ACK,      /* physical acknowledge: intid returned, aux = 1 if the offer was withdrawn (spurious) */
    GIC_TR_DEACT, /* deactivation arrived for (cpu, intid): value = 1 applied, 0 ignored (not active: SEMANTICS A6), aux = 1 if forwarded from a HW=1 LR */
    GIC_TR_LR,    /* list register: intid = LR index, value = new ICH_LR-format value, aux = old */
    GIC_TR_VRPR,  /* virtual running priority of cpu */
    GIC_TR_VACK,  /* virtual acknowledge: intid = vINTID returned */
    GIC_TR_HWDEACT,  /* virtual CPU interface forwarded a deactivation: intid = pINTID, value = vINTID */
    GIC_TR_EOICOUNT, /* HCR.EOIcount changed: value */
    GIC_TR_MISR,     /* maintenance status changed: value = MISR */
    GIC_TR_OUTPUT,   /* output pin changed: intid = enum gic_output, value = level */
    GIC_TR_MEM, /* memory port access: intid = enum gic_mem_use, value = address, aux = len | write<<16 | error<<17 */
    GIC_TR_ITS, /* ITS command done (intid = command code) or translation (intid = 0x100): value = DeviceID<<32 |
                      * EventID (commands without them: 0), aux = enum gic_its_result */
    GIC_TR_LPI_STALE, /* (cpu, intid): an LPI configuration the GIC cached differs from memory when used: value = in
                       * memory, aux = used (software changed it without INV/INVALL; docs/lpi.md) */
    GIC_TR_KIND_COUNT
};
struct gic_trace_event {
    gic_cycle_t cycle;
    uint16_t kind;
    uint16_t cpu;
    uint32_t intid;
    uint64_t value;
    uint64_t aux;
};
typedef void (*gic_trace_fn)(void *ctx, const struct gic_trace_event *ev);
void gic_set_trace(gic_t *gic, gic_trace_fn fn, void *ctx);
const char *gic_trace_kind_name(unsigned kind);
/* One line of text for an event (no newline); returns the length written (snprintf rules). */
int gic_trace_format(const struct gic_trace_event *ev, char *buf, size_t len);

/* ---------------- Register map ---------------- */
/* Name of the register an access decodes to ("" if reserved); index gets the array element. */
const char *gic_reg_name(const gic_t *gic, enum gic_frame frame, uint32_t offset, unsigned *index);
/* Where a register is: "GICD_CTLR", "GICD_ISENABLER1", "ICC_IAR1_EL1", "ICH_LR3_EL2", ... (the
 * spec's names; array elements carry their index before "_EL" or at the end). GIC_E_INVAL if this
 * GIC has no such register. */
int gic_reg_lookup(const gic_t *gic, const char *name, enum gic_frame *frame, uint32_t *offset, unsigned *width);

#ifdef __cplusplus
}
#endif
#endif
