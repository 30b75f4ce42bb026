/* guest.c: bare-metal arm64 guest for workloads/kvm/vmm (EL1, MMU off, interrupts masked).
 *
 * It drives the GIC through its architectural interface only (GICv3: GICD/GICR MMIO and the ICC_*
 * system registers, which KVM backs with ICV_*; GICv2: GICD and GICC MMIO) and runs short cases on
 * the virtual timer's PPI 27, which KVM maps to the host's physical PPI 27 (HW=1 list registers).
 * Interrupts stay masked in PSTATE; the guest polls the interrupt acknowledge register.
 *
 * Output: one line per case "case <name> eoimode <m> vcpu <n>: PASS|FAIL (<details>)" and a final
 * "verdict vcpus <n> eoimode <m> gic v<g>: PASS|FAIL (...)"; the verdict (0 PASS, 1 FAIL) is then
 * written to the VMM's exit address.
 */
#include <stdarg.h>
#include <stdint.h>

#define GICD_BASE 0x08000000ul
#define GICC_BASE 0x08010000ul
#define GICR_BASE 0x080A0000ul
#define GICR_STRIDE 0x20000ul
#define SGI_FRAME 0x10000ul
#define CONSOLE_ADDR 0x09000000ul
#define EXIT_ADDR 0x09000008ul
/* Case markers: before each case the guest writes its vCPU index to MARK_BASE + 0x10 * case id
 * (1 timer, 2 spend_ack, 3 spend_cpend, 4 sactive_cactive, 5 cpend_active, 6 timer_spend, 15
 * done). The VMM ignores these writes; they exist so that a trace shows where each case starts:
 * a data abort from EL1 to EL2 with FAR = the marker address. */
#define MARK_BASE 0x09001000ul

/* Distributor (v2) / redistributor SGI frame (v3) offsets: the same for both. */
#define IGROUPR0 0x080
#define ISENABLER0 0x100
#define ICENABLER0 0x180
#define ISPENDR0 0x200
#define ICPENDR0 0x280
#define ISACTIVER0 0x300
#define ICACTIVER0 0x380
#define IPRIORITYR 0x400

/* GICv2 CPU interface (the guest sees KVM's mapping of the host's GICV frame). */
#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_BPR 0x008
#define GICC_IAR 0x00C
#define GICC_EOIR 0x010
#define GICC_DIR 0x1000

#define VTIMER_INTID 27u
#define BIT27 (1u << VTIMER_INTID)
#define SPURIOUS 1023u

/* GICv3 CPU interface system registers by encoding (EL1 accesses reach ICV_* under KVM). */
#define ICC_PMR_EL1 "S3_0_C4_C6_0"
#define ICC_DIR_EL1 "S3_0_C12_C11_1"
#define ICC_IAR1_EL1 "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1 "S3_0_C12_C12_1"
#define ICC_BPR1_EL1 "S3_0_C12_C12_3"
#define ICC_CTLR_EL1 "S3_0_C12_C12_4"
#define ICC_SRE_EL1 "S3_0_C12_C12_5"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"

#define read_sysreg(reg)                                                                           \
  ({                                                                                               \
    uint64_t v_;                                                                                   \
    __asm__ volatile("mrs %0, " reg : "=r"(v_)::"memory");                                         \
    v_;                                                                                            \
  })
#define write_sysreg(reg, val) __asm__ volatile("msr " reg ", %0" ::"r"((uint64_t)(val)) : "memory")

static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void dsb(void) { __asm__ volatile("dsb sy" ::: "memory"); }

/* MMIO with single plain LDR/STR so that a trapped access has a valid syndrome for KVM. */
static inline uint32_t mmio_r32(uintptr_t a) {
  uint32_t v;
  __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
  return v;
}
static inline void mmio_w32(uintptr_t a, uint32_t v) {
  __asm__ volatile("str %w0, [%1]" ::"r"(v), "r"(a) : "memory");
  dsb();
  isb();
}
static inline void mmio_w8(uintptr_t a, uint8_t v) {
  __asm__ volatile("strb %w0, [%1]" ::"r"(v), "r"(a) : "memory");
}

/* The compiler may call memset for zero-initialised locals. */
void *memset(void *d, int c, unsigned long n) {
  unsigned char *p = d;
  while (n--) *p++ = (unsigned char)c;
  return d;
}

/* ---- console -------------------------------------------------------------------------------- */

struct buf {
  char s[256];
  unsigned n;
};

static void put_c(struct buf *b, char c) {
  if (b->n < sizeof b->s - 1) b->s[b->n++] = c;
  b->s[b->n] = 0;
}

static void put_u(struct buf *b, uint64_t v, unsigned base) {
  char tmp[24];
  int n = 0;
  do {
    unsigned d = (unsigned)(v % base);
    tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    v /= base;
  } while (v);
  while (n) put_c(b, tmp[--n]);
}

/* Formats %s %c %d %u %x %%, with an optional 'l' (64-bit) modifier. */
static void vfmt(struct buf *b, const char *f, va_list ap) {
  for (; *f; f++) {
    if (*f != '%') {
      put_c(b, *f);
      continue;
    }
    int is_long = 0;
    if (*++f == 'l') {
      is_long = 1;
      f++;
    }
    switch (*f) {
    case 's':
      for (const char *s = va_arg(ap, const char *); *s; s++) put_c(b, *s);
      break;
    case 'c': put_c(b, (char)va_arg(ap, int)); break;
    case 'd': {
      int64_t v = is_long ? va_arg(ap, int64_t) : va_arg(ap, int);
      if (v < 0) {
        put_c(b, '-');
        v = -v;
      }
      put_u(b, (uint64_t)v, 10);
      break;
    }
    case 'u': put_u(b, is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10); break;
    case 'x': put_u(b, is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16); break;
    case '%': put_c(b, '%'); break;
    default: put_c(b, '?'); break;
    }
  }
}

static void fmt(struct buf *b, const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  vfmt(b, f, ap);
  va_end(ap);
}

static void print(const char *f, ...) {
  struct buf b = { .n = 0 };
  va_list ap;
  va_start(ap, f);
  vfmt(&b, f, ap);
  va_end(ap);
  for (unsigned i = 0; i < b.n; i++) mmio_w8(CONSOLE_ADDR, (uint8_t)b.s[i]);
}

/* ---- GIC and timer access ------------------------------------------------------------------- */

struct ctx {
  int cpu, gic, eoimode, nvcpus;
  uintptr_t regs; /* v3: this vCPU's SGI frame; v2: the (banked) distributor */
  uint64_t ms; /* counter ticks per millisecond */
  int cases, passed;
  int deviations; /* readbacks that differ from the architecture in a way KVM is known for */
};

static uint64_t counter(void) {
  isb();
  return read_sysreg("cntvct_el0");
}

static void timer_stop(void) {
  write_sysreg("cntv_ctl_el0", 0);
  isb();
}

static uint64_t timer_fire_in(uint64_t ticks) {
  uint64_t cval = counter() + ticks;
  write_sysreg("cntv_cval_el0", cval);
  write_sysreg("cntv_ctl_el0", 1); /* ENABLE, IMASK clear */
  isb();
  return cval;
}

static uint32_t ack(const struct ctx *c) {
  if (c->gic == 3) return (uint32_t)read_sysreg(ICC_IAR1_EL1) & 0xffffffu;
  return mmio_r32(GICC_BASE + GICC_IAR);
}

static uint32_t intid(const struct ctx *c, uint32_t iar) {
  return c->gic == 3 ? iar : (iar & 0x3ffu);
}

static int spurious(const struct ctx *c, uint32_t iar) { return intid(c, iar) >= 1020; }

/* A write to a CPU interface register: its system register on GICv3, its GICC register on GICv2. */
#define cpuif_write(c, sysreg, gicc_offset, val)                                                   \
  do {                                                                                             \
    if ((c)->gic == 3) {                                                                           \
      write_sysreg(sysreg, val);                                                                   \
      isb();                                                                                       \
    } else {                                                                                       \
      mmio_w32(GICC_BASE + (gicc_offset), val);                                                    \
    }                                                                                              \
  } while (0)

static void eoi(const struct ctx *c, uint32_t iar) {
  cpuif_write(c, ICC_EOIR1_EL1, GICC_EOIR, iar);
}

static void deactivate(const struct ctx *c, uint32_t iar) {
  cpuif_write(c, ICC_DIR_EL1, GICC_DIR, iar);
}

/* EOI, and with EOImode 1 the separate deactivation. */
static void complete(const struct ctx *c, uint32_t iar) {
  eoi(c, iar);
  if (c->eoimode) deactivate(c, iar);
}

/* Acknowledges until an interrupt arrives or `ms` milliseconds of counter time pass. */
static uint32_t poll_ack(const struct ctx *c, uint64_t ms) {
  uint64_t end = counter() + ms * c->ms;
  for (;;) {
    uint32_t iar = ack(c);
    if (!spurious(c, iar) || counter() > end) return iar;
  }
}

static int bit27(const struct ctx *c, unsigned off) {
  return (mmio_r32(c->regs + off) & BIT27) != 0;
}

static void set27(const struct ctx *c, unsigned off) { mmio_w32(c->regs + off, BIT27); }

static void delay_ms(const struct ctx *c, uint64_t ms) {
  uint64_t end = counter() + ms * c->ms;
  while (counter() < end) {}
}

/* Returns the state to idle: timer off, not pending, not active (after a failed case). */
static void cleanup(const struct ctx *c) {
  timer_stop();
  set27(c, ICPENDR0);
  set27(c, ICACTIVER0);
  for (int i = 0; i < 4; i++) {
    uint32_t iar = ack(c);
    if (spurious(c, iar)) break;
    complete(c, iar);
  }
}

static void mark(const struct ctx *c, unsigned id) {
  mmio_w32(MARK_BASE + 0x10ul * id, (uint32_t)c->cpu);
}

static void report(struct ctx *c, const char *name, int pass, const struct buf *details) {
  c->cases++;
  c->passed += pass;
  print("case %s eoimode %d vcpu %d: %s (%s)\n", name, c->eoimode, c->cpu, pass ? "PASS" : "FAIL",
        details->s);
  if (!pass) cleanup(c);
}

static const char *yn(int v) { return v ? "1" : "0"; }

/* The pending bit of the HW-mapped timer PPI read back right after a guest SPEND. The
 * architecture says 1 (the interrupt is pending and not yet acknowledged). KVM answers ISPENDR
 * reads of a mapped level-sensitive interrupt with the device's line level (the timer's output,
 * low here), not with the guest's software pending latch: the guest reads 0. That is reported
 * as a deviation in the case's details and the verdict line; the case itself is judged on what
 * it is about (delivery, acknowledge, deactivation). */
static void spend_readback(struct ctx *c, struct buf *d, int pend) {
  if (pend) {
    fmt(d, "pending after SPEND 1");
  } else {
    c->deviations++;
    fmt(d, "pending after SPEND 0 [KVM deviation: architecture 1; KVM reads the timer line level]");
  }
}

/* ---- cases ---------------------------------------------------------------------------------- */

/* timer: the virtual timer fires; the guest takes PPI 27, stops the timer, completes it. */
static void case_timer(struct ctx *c) {
  struct buf d = { .n = 0 };
  uint64_t cval = timer_fire_in(c->ms);
  uint32_t iar = poll_ack(c, 200);
  uint64_t seen = counter();
  timer_stop();
  int act = bit27(c, ISACTIVER0);
  if (!spurious(c, iar)) complete(c, iar);
  int act_after = bit27(c, ISACTIVER0);
  uint32_t again = ack(c);
  fmt(&d, "iar %u %lu ticks after CVAL; active at ack %s, after %s; next iar %u", intid(c, iar),
      seen > cval ? seen - cval : 0, yn(act), yn(act_after), intid(c, again));
  report(c, "timer", intid(c, iar) == VTIMER_INTID && act && !act_after && spurious(c, again), &d);
}

/* a: SPEND, acknowledge, EOI (+DIR). */
static void case_spend_ack(struct ctx *c) {
  struct buf d = { .n = 0 };
  set27(c, ISPENDR0);
  int pend = bit27(c, ISPENDR0);
  uint32_t iar = poll_ack(c, 50);
  int act = bit27(c, ISACTIVER0);
  int pend_acked = bit27(c, ISPENDR0);
  int act_mid = -1;
  if (!spurious(c, iar)) {
    eoi(c, iar);
    if (c->eoimode) {
      act_mid = bit27(c, ISACTIVER0);
      deactivate(c, iar);
    }
  }
  int act_after = bit27(c, ISACTIVER0), pend_after = bit27(c, ISPENDR0);
  uint32_t again = ack(c);
  spend_readback(c, &d, pend);
  fmt(&d, "; iar %u; at ack pending %s active %s", intid(c, iar), yn(pend_acked), yn(act));
  if (act_mid >= 0) fmt(&d, "; active after EOI before DIR %s", yn(act_mid));
  fmt(&d, "; after: pending %s active %s next iar %u", yn(pend_after), yn(act_after),
      intid(c, again));
  int pass = intid(c, iar) == VTIMER_INTID && act && !pend_acked && (act_mid < 0 || act_mid) &&
             !act_after && !pend_after && spurious(c, again);
  report(c, "spend_ack", pass, &d);
}

/* b: SPEND then CPEND before the acknowledge: nothing is delivered. */
static void case_spend_cpend(struct ctx *c) {
  struct buf d = { .n = 0 };
  set27(c, ISPENDR0);
  int pend = bit27(c, ISPENDR0);
  set27(c, ICPENDR0);
  int pend_after = bit27(c, ISPENDR0);
  uint32_t iar = poll_ack(c, 5);
  if (!spurious(c, iar)) complete(c, iar);
  int act_after = bit27(c, ISACTIVER0);
  spend_readback(c, &d, pend);
  fmt(&d, "; after CPEND %s; iar %u; active %s", yn(pend_after), intid(c, iar), yn(act_after));
  report(c, "spend_cpend", !pend_after && spurious(c, iar) && !act_after, &d);
}

/* c: SACTIVE then CACTIVE, reading the active state back. */
static void case_sactive_cactive(struct ctx *c) {
  struct buf d = { .n = 0 };
  set27(c, ISACTIVER0);
  int act = bit27(c, ISACTIVER0), pend = bit27(c, ISPENDR0);
  uint32_t iar = ack(c);
  if (!spurious(c, iar)) complete(c, iar);
  set27(c, ICACTIVER0);
  int act_after = bit27(c, ISACTIVER0);
  uint32_t again = ack(c);
  fmt(&d,
      "active after SACTIVE %s (pending %s); iar while active %u; active after CACTIVE %s; "
      "next iar %u",
      yn(act), yn(pend), intid(c, iar), yn(act_after), intid(c, again));
  report(c, "sactive_cactive", act && !pend && spurious(c, iar) && !act_after && spurious(c, again),
         &d);
}

/* d: CPEND while active: acknowledge, ICPENDR, then EOI (+DIR). */
static void case_cpend_active(struct ctx *c) {
  struct buf d = { .n = 0 };
  set27(c, ISPENDR0);
  uint32_t iar = poll_ack(c, 50);
  set27(c, ICPENDR0);
  int pend = bit27(c, ISPENDR0), act = bit27(c, ISACTIVER0);
  if (!spurious(c, iar)) complete(c, iar);
  int pend_after = bit27(c, ISPENDR0), act_after = bit27(c, ISACTIVER0);
  uint32_t again = poll_ack(c, 5);
  if (!spurious(c, again)) complete(c, again);
  fmt(&d,
      "iar %u; after CPEND pending %s active %s; after completion pending %s active %s; "
      "next iar %u",
      intid(c, iar), yn(pend), yn(act), yn(pend_after), yn(act_after), intid(c, again));
  report(c, "cpend_active",
         intid(c, iar) == VTIMER_INTID && !pend && act && !pend_after && !act_after &&
             spurious(c, again),
         &d);
}

/* e: the timer fires while PPI 27 is software pending. The first acknowledge returns 27; the
 * guest completes it with the timer still asserting its level, so the level makes 27 pending
 * again; the guest stops the timer at the second delivery. Expected 2 deliveries (1..3 accepted,
 * bounded), then nothing. */
static void case_timer_spend(struct ctx *c) {
  struct buf d = { .n = 0 };
  set27(c, ISPENDR0);
  uint64_t cval = timer_fire_in(c->ms);
  while (counter() < cval) {}
  /* QEMU updates ISTATUS when its timer callback runs, a little after CVAL: wait for it. */
  uint64_t end = counter() + 50 * c->ms;
  int istatus = 0;
  while (!(istatus = (read_sysreg("cntv_ctl_el0") & 4) != 0) && counter() < end) {}
  uint64_t fired = counter() - cval;
  uint32_t first = poll_ack(c, 50);
  int n = 0;
  uint32_t iar = first;
  while (!spurious(c, iar) && n < 8) {
    n++;
    if (intid(c, iar) != VTIMER_INTID) break;
    if (n >= 2) timer_stop();
    complete(c, iar);
    iar = poll_ack(c, 20);
  }
  timer_stop();
  if (!spurious(c, iar)) complete(c, iar);
  delay_ms(c, 1);
  uint32_t again = ack(c);
  /* A level delivery may still come after the poll window: on a loaded host the list register that holds the
   * timer's level is only folded back at the next exit. It counts as a delivery; what must hold is that the
   * interrupt ends up neither pending nor active and is not delivered again. */
  int late = 0;
  while (!spurious(c, again) && intid(c, again) == VTIMER_INTID && late < 4) {
    complete(c, again);
    late++;
    delay_ms(c, 1);
    again = ack(c);
  }
  if (!spurious(c, again)) complete(c, again);
  int pend_after = bit27(c, ISPENDR0), act_after = bit27(c, ISACTIVER0);
  fmt(&d,
      "ISTATUS %s %lu ticks after CVAL; first iar %u; deliveries %d (expected 2: latch+level, then "
      "level), "
      "%d late; last iar %u; after: pending %s active %s next iar %u",
      yn(istatus), fired, intid(c, first), n, late, intid(c, iar), yn(pend_after), yn(act_after),
      intid(c, again));
  report(c, "timer_spend",
         istatus && intid(c, first) == VTIMER_INTID && n >= 1 && n + late <= 3 && !pend_after &&
             !act_after && spurious(c, again),
         &d);
}

/* ---- setup and main ------------------------------------------------------------------------- */

static volatile uint32_t vcpu_done[2], vcpu_ok[2], vcpu_dev[2];

static int gic_init(struct ctx *c) {
  uint64_t mpidr = read_sysreg("mpidr_el1");
  uint32_t aff = (uint32_t)((mpidr & 0xffffffu) | ((mpidr >> 8) & 0xff000000u));
  if (c->gic == 3) {
    mmio_w32(GICD_BASE, 0x13); /* ARE, EnableGrp1, EnableGrp0 */
    uintptr_t rd = 0;
    for (int i = 0; i < 8; i++) {
      uintptr_t base = GICR_BASE + (uintptr_t)i * GICR_STRIDE;
      uint32_t typer_lo = mmio_r32(base + 0x8), typer_hi = mmio_r32(base + 0xC);
      if (typer_hi == aff) {
        rd = base;
        break;
      }
      if (typer_lo & (1u << 4)) break; /* Last */
    }
    if (!rd) {
      print("guest vcpu %d: no redistributor for affinity 0x%x\n", c->cpu, aff);
      return 0;
    }
    mmio_w32(rd + 0x14, 0); /* GICR_WAKER: clear ProcessorSleep */
    c->regs = rd + SGI_FRAME;
    mmio_w32(c->regs + IGROUPR0, mmio_r32(c->regs + IGROUPR0) | BIT27);
  } else {
    mmio_w32(GICD_BASE, 1);
    c->regs = GICD_BASE;
    mmio_w32(c->regs + IGROUPR0, mmio_r32(c->regs + IGROUPR0) & ~BIT27); /* group 0 */
  }
  uint32_t prio = mmio_r32(c->regs + IPRIORITYR + 24);
  mmio_w32(c->regs + IPRIORITYR + 24, (prio & 0x00ffffffu) | 0xa0000000u);
  set27(c, ICPENDR0);
  set27(c, ICACTIVER0);
  set27(c, ISENABLER0);
  uint32_t ctlr;
  if (c->gic == 3) {
    write_sysreg(ICC_SRE_EL1, read_sysreg(ICC_SRE_EL1) | 1);
    write_sysreg(ICC_PMR_EL1, 0xff);
    write_sysreg(ICC_BPR1_EL1, 0);
    write_sysreg(ICC_CTLR_EL1, (uint64_t)c->eoimode << 1);
    write_sysreg(ICC_IGRPEN1_EL1, 1);
    isb();
    ctlr = (uint32_t)read_sysreg(ICC_CTLR_EL1);
  } else {
    mmio_w32(GICC_BASE + GICC_PMR, 0xff);
    mmio_w32(GICC_BASE + GICC_BPR, 0);
    mmio_w32(GICC_BASE + GICC_CTLR, 1u | ((uint32_t)c->eoimode << 9));
    ctlr = mmio_r32(GICC_BASE + GICC_CTLR);
  }
  int eoimode_rb = c->gic == 3 ? (ctlr >> 1) & 1 : (ctlr >> 9) & 1;
  print("guest vcpu %d: gic v%d mpidr 0x%lx cntfrq %lu GICD_IIDR 0x%x CTLR 0x%x (EOImode %d) "
        "priority byte 0x%x enabled %s\n",
        c->cpu, c->gic, mpidr, c->ms * 1000, mmio_r32(GICD_BASE + 0x8), ctlr, eoimode_rb,
        mmio_r32(c->regs + IPRIORITYR + 24) >> 24, yn(bit27(c, ISENABLER0)));
  return eoimode_rb == c->eoimode;
}

static void run_cases(struct ctx *c) {
  timer_stop();
  if (!gic_init(c)) {
    c->cases++;
    print("case init eoimode %d vcpu %d: FAIL (GIC setup)\n", c->eoimode, c->cpu);
    return;
  }
  mark(c, 1);
  case_timer(c);
  mark(c, 2);
  case_spend_ack(c);
  mark(c, 3);
  case_spend_cpend(c);
  mark(c, 4);
  case_sactive_cactive(c);
  mark(c, 5);
  case_cpend_active(c);
  mark(c, 6);
  case_timer_spend(c);
  timer_stop();
  mark(c, 15);
}

void guest_main(uint64_t eoimode, uint64_t nvcpus, uint64_t gic, uint64_t cpu) {
  struct ctx c = {
    .cpu = (int)cpu, .gic = (int)gic, .eoimode = (int)eoimode, .nvcpus = (int)nvcpus
  };
  c.ms = read_sysreg("cntfrq_el0") / 1000;
  if (!c.ms) c.ms = 1;
  run_cases(&c);
  if (cpu != 0) {
    vcpu_ok[cpu & 1] = c.cases > 0 && c.passed == c.cases;
    vcpu_dev[cpu & 1] = (uint32_t)c.deviations;
    dsb();
    vcpu_done[cpu & 1] = 1;
    dsb();
    for (;;) __asm__ volatile("wfi");
  }
  int ok = c.cases > 0 && c.passed == c.cases;
  int others = 1;
  if (nvcpus > 1) {
    uint64_t end = counter() + 5000 * c.ms;
    while (!vcpu_done[1] && counter() < end) {}
    dsb();
    others = vcpu_done[1] && vcpu_ok[1];
    if (!vcpu_done[1]) print("guest vcpu 0: vcpu 1 did not finish\n");
  }
  int pass = ok && others;
  int deviations = c.deviations + (nvcpus > 1 ? (int)vcpu_dev[1] : 0);
  print("verdict vcpus %d eoimode %d gic v%d: %s (vcpu 0: %d of %d cases passed%s; "
        "KVM deviations noted: %d)\n",
        c.nvcpus, c.eoimode, c.gic, pass ? "PASS" : "FAIL", c.passed, c.cases,
        nvcpus > 1 ? (others ? "; vcpu 1: all passed" : "; vcpu 1: FAILED") : "", deviations);
  mmio_w32(EXIT_ADDR, pass ? 0 : 1);
  for (;;) __asm__ volatile("wfi");
}
