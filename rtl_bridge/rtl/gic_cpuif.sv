// gic_cpuif.sv: physical CPU interface of one CPU: offer, PMR, BPR0/1, CTLR, group enables, active priorities,
// acknowledge, EOI/DIR (deactivation messages), IRQ/FIQ conditions. GICv3: the ICC_* system registers and SGI
// generation; GICv2 (GIC_VERSION = 2): the memory-mapped GICC_* registers without the Security Extensions
// (IHI0048B 4.4): AckCtl, FIQEn, GICC_ABPR as the Group 1 binary point, the SGI source CPUID in IAR/HPPIR.
module gic_cpuif
  import gic_regmap_pkg::*;
  import gic_mutants_pkg::*;
  import gic_bus_pkg::*;
  import gic_util_pkg::*;
#(
    parameter int GIC_VERSION = 3,
    parameter int CPU_ID = 0,
    parameter int NCPU = 2,
    parameter int PRIO_BITS = 8,
    parameter logic [31:0] IIDR = 32'h2043B,  // GICC_IIDR (GICv2)
    parameter int TEST_MUTANT = MUT_NONE      // gic_mutants_pkg.sv
) (
    input  logic         clk,
    input  logic         rst,
    input  gic_acc_req_t acc,     // ICC_* access in its effect cycle (CPU CPU_ID's only: banked)
    input  gic_dbg_req_t dbg,
    output gic_rdata_t   rdata,
    // HPPI message delivered in phase 1 of this cycle (offer_msg), with its contents
    input  logic         offer_msg,
    input  gic_hppi_t    offer,
    // acknowledge round trip to the distributor/redistributor (same cycle)
    output gic_ack_req_t ack,
    input  logic         ack_ok,
    output gic_deact_t   deact,   // deactivation message (EOI with EOImode 0, DIR with EOImode 1)
    output gic_sgi_t     sgi,     // SGI generation
    // to the prioritiser and the output pins
    output logic         grpen0,
    output logic         grpen1,
    output logic         irq_cond,
    output logic         fiq_cond,
    output logic [7:0]   obs_rpr  // observation: ICC_RPR_EL1
);
  logic [63:0] acc_rdata, dbg_rdata;
  assign rdata = '{acc: acc_rdata, dbg: dbg_rdata};
  localparam int PRE = (PRIO_BITS < 7) ? PRIO_BITS : 7;
  localparam int APB = 1 << PRE;                    // active-priority bits per group
  localparam logic [2:0] MIN0 = 3'(7 - PRE);
  localparam int AW = $clog2(APB);
  localparam logic [7:0] PMASK = 8'(8'hFF << (8 - PRIO_BITS));
  localparam bit V2 = (GIC_VERSION == 2);

  logic [7:0] pmr_q, pmr_d;
  logic [2:0] bpr0_q, bpr0_d, bpr1_q, bpr1_d;
  logic cbpr_q, cbpr_d, eoim_q, eoim_d, en0_q, en0_d, en1_q, en1_d;
  logic ackctl_q, ackctl_d, fiqen_q, fiqen_d;  // GICv2 GICC_CTLR.AckCtl, FIQEn
  logic [APB-1:0] ap0_q, ap0_d, ap1_q, ap1_d;
  // The offer (timing.md 3 phase 1(a), 4.6): the register holds the offer at the end of the cycle; in phase 1 an HPPI
  // message replaces it (off_*), in phase 2 a successful acknowledge consumes it (empty until the next message).
  logic offv_q, offv;
  logic [9:0] offi_q, offi;
  logic [7:0] offp_q, offp;
  logic offg_q, offg;
  logic [2:0] offs_q, offs;  // GICv2 SGI source CPU
  assign offs = offer_msg ? offer.src : offs_q;
  assign offv = offer_msg ? offer.valid : offv_q;
  assign offi = offer_msg ? offer.intid : offi_q;
  assign offp = offer_msg ? offer.prio : offp_q;
  assign offg = offer_msg ? offer.grp : offg_q;

  assign grpen0 = en0_q;
  assign grpen1 = en1_q;

  // Highest active priority (lowest set bit of AP0R|AP1R) and running priority.
  gic_ap_top_t ap_top;
  logic [7:0]  rpr;
  assign ap_top = gic_ap_top(128'(ap0_q) | 128'(ap1_q));
  assign rpr = gic_rpr(ap_top, PRE);
  assign obs_rpr = rpr;

  function automatic logic signalable(input logic v, input logic [7:0] p, input logic g);
    return v && (g ? en1_q : en0_q) && p < pmr_q && gic_group_prio(p, g, cbpr_q, bpr0_q, bpr1_q) < rpr;
  endfunction

  // timing.md 4.5: Group 0 is FIQ on GICv3, and on GICv2 with FIQEn = 1 (IHI0048B 4.4.1 GICC_CTLR.FIQEn)
  logic fiq_grp0;
  assign fiq_grp0 = !V2 || fiqen_q;
  assign irq_cond = signalable(offv_q, offp_q, offg_q) && (offg_q || !fiq_grp0);
  assign fiq_cond = signalable(offv_q, offp_q, offg_q) && !offg_q && fiq_grp0;

  // The acknowledge (timing.md 4.6). GICv3: ICC_IAR0/1_EL1 take their group. GICv2: GICC_IAR takes Group 0, and
  // Group 1 with AckCtl = 1 (otherwise 1022: IHI0048B 4.4.4); GICC_AIAR takes Group 1 (4.4.9).
  logic mine, is_iar, iar_grp, take, sig_now, take_grp, v2_1022;
  assign mine = (32'(acc.cpu) == CPU_ID);
  assign is_iar = acc.re && mine && (acc.id == REG_ICC_IAR0_EL1 || acc.id == REG_ICC_IAR1_EL1 ||
                                     acc.id == REG_GICC_IAR || acc.id == REG_GICC_AIAR);
  assign iar_grp = (acc.id == REG_ICC_IAR1_EL1 || acc.id == REG_GICC_AIAR);
  assign sig_now = signalable(offv, offp, offg);
  assign take_grp = (acc.id == REG_GICC_IAR) ? (!offg || ackctl_q) : (offg == iar_grp);
  assign take = is_iar && sig_now && take_grp;
  assign v2_1022 = acc.id == REG_GICC_IAR && sig_now && offg && !ackctl_q;
  assign ack = '{valid: take, cpu: acc.cpu, intid: offi, grp: offg, src: offs};

  // GICv2 INTID field with the source CPUID of an SGI (IHI0048B 4.4.4, 4.4.7)
  // (MUT_V2_IAR_CPUID, a known bug for the "checks can fail" test, leaves the CPUID out of GICC_IAR.)
  function automatic logic [31:0] v2_id(input logic [9:0] id, input logic [2:0] s, input logic iar);
    return gicc_iar_t'{cpuid: (id < 10'd16 && !(iar && TEST_MUTANT == MUT_V2_IAR_CPUID)) ? s : 3'd0, interruptid: id,
                       default: '0};
  endfunction

  function automatic logic [63:0] rd(input gic_reg_e id, input logic [9:0] n);
    logic [63:0] v;
    v = '0;
    unique case (id)
      REG_ICC_PMR_EL1: v = icc_pmr_el1_t'{priority_f: pmr_q, default: '0};
      REG_ICC_BPR0_EL1: v = icc_bpr0_el1_t'{binarypoint: bpr0_q, default: '0};
      REG_ICC_BPR1_EL1:
        v = icc_bpr1_el1_t'{binarypoint: gic_bpr1_read(cbpr_q, bpr0_q, bpr1_q), default: '0};
      // A3V = 1, IDbits = 1 (24-bit INTIDs), PRIbits = priority bits - 1: IHI0069H 12.2.6
      REG_ICC_CTLR_EL1: v = icc_ctlr_el1_t'{a3v: 1'b1, idbits: 3'd1, pribits: 3'(PRIO_BITS - 1), eoimode: eoim_q,
                                           cbpr: cbpr_q, default: '0};
      REG_ICC_SRE_EL1: v = icc_sre_el1_t'{sre: 1'b1, dfb: 1'b1, dib: 1'b1, default: '0};  // RAO/WI
      REG_ICC_IGRPEN0_EL1: v = icc_igrpen0_el1_t'{enable: en0_q, default: '0};
      REG_ICC_IGRPEN1_EL1: v = icc_igrpen1_el1_t'{enable: en1_q, default: '0};
      REG_ICC_RPR_EL1: v = icc_rpr_el1_t'{priority_f: rpr, default: '0};
      REG_ICC_AP0R_EL1:
        if (32 * 32'(n) < APB) v = icc_ap0r_el1_t'{active_priorities: 32'(ap0_q >> (32 * n)), default: '0};
      REG_ICC_AP1R_EL1:
        if (32 * 32'(n) < APB) v = icc_ap1r_el1_t'{active_priorities: 32'(ap1_q >> (32 * n)), default: '0};
      REG_ICC_HPPIR0_EL1, REG_ICC_HPPIR1_EL1:  // one layout
        v = icc_hppir0_el1_t'{intid: (offv && offg == (id == REG_ICC_HPPIR1_EL1) && offp < pmr_q) ? 24'(offi) : 24'd1023,
                              default: '0};
      // ---- GICv2 (IHI0048B 4.4) ----
      REG_GICC_CTLR: v = {32'h0, gicc_ctlr_t'{eoimode: eoim_q, cbpr: cbpr_q, fiqen: fiqen_q, ackctl: ackctl_q,
                                              enablegrp1: en1_q, enablegrp0: en0_q, default: '0}};
      REG_GICC_PMR: v = {32'h0, gicc_pmr_t'{priority_f: pmr_q, default: '0}};
      REG_GICC_BPR: v = {32'h0, gicc_bpr_t'{binary_point: bpr0_q, default: '0}};
      // GICC_ABPR reads and writes its own binary point whatever CBPR (the min(BPR + 1, 7) rule of timing.md 4.9 is
      // ICC_BPR1_EL1's)
      REG_GICC_ABPR: v = {32'h0, gicc_abpr_t'{binary_point: bpr1_q, default: '0}};
      REG_GICC_RPR: v = {32'h0, gicc_rpr_t'{priority_f: rpr, default: '0}};
      // HPPIR: Group 1 with AckCtl = 0 reads 1022 (4.4.7); AHPPIR: Group 1 only (4.4.11)
      REG_GICC_HPPIR:
        v = {32'h0, (offv && offp < pmr_q) ? ((offg && !ackctl_q) ? 32'd1022 : v2_id(offi, offs, 1'b0)) : 32'd1023};
      REG_GICC_AHPPIR: v = {32'h0, (offv && offg && offp < pmr_q) ? v2_id(offi, offs, 1'b0) : 32'd1023};
      // GICC_APR<n>: the active priorities of both groups (no Security Extensions, GICC_NSAPR RAZ/WI: 4.4.12)
      REG_GICC_APR:
        if (32 * 32'(n) < APB) v = {32'h0, 32'(ap0_q >> (32 * n)) | 32'(ap1_q >> (32 * n))};
      REG_GICC_IIDR: v = {32'h0, IIDR};
      default: v = '0;
    endcase
    return v;
  endfunction

  always_comb begin
    acc_rdata = 64'h0;
    if (acc.re && mine) begin
      if (is_iar && V2)
        acc_rdata = {32'h0, (take && ack_ok) ? v2_id(offi, offs, 1'b1) : v2_1022 ? 32'd1022 : 32'd1023};
      else if (is_iar) acc_rdata = icc_iar0_el1_t'{intid: (take && ack_ok) ? 24'(offi) : 24'd1023, default: '0};
      else acc_rdata = rd(acc.id, acc.idx);
    end
  end
  assign dbg_rdata = (32'(dbg.cpu) == CPU_ID && dbg.id != REG_ICC_IAR0_EL1 && dbg.id != REG_ICC_IAR1_EL1 &&
                      dbg.id != REG_GICC_IAR && dbg.id != REG_GICC_AIAR) ? rd(dbg.id, dbg.idx) : 64'h0;
  // system registers are written whole (8-byte accesses only)
  logic unused_wmask;
  assign unused_wmask = ^acc.wmask;

  // EOI / DIR / SGI decode (ICC_EOIR0_EL1, ICC_EOIR1_EL1 and ICC_DIR_EL1 have one layout, and so have ICC_SGI0R_EL1,
  // ICC_SGI1R_EL1 and ICC_ASGI1R_EL1)
  /* verilator lint_off UNUSEDSIGNAL */
  icc_eoir0_el1_t eoir;
  icc_sgi1r_el1_t sgir;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [23:0] wid;
  logic special;
  logic is_eoi0, is_eoi1, is_dir;
  assign eoir = acc.wdata;
  assign sgir = acc.wdata;
  // GICv2: GICC_EOIR/AEOIR/DIR carry a 10-bit INTID (and the SGI's CPUID, which the deactivation does not need: the
  // active state of an SGI is per target CPU); the priority drop takes the highest active priority of either group
  // (timing.md 4.6)
  logic is_eoi2;
  assign wid = V2 ? 24'(acc.wdata[GICC_EOIR_EOIINTID_MSB:GICC_EOIR_EOIINTID_LSB]) : eoir.intid;
  assign special = gic_special_intid(wid);
  assign is_eoi2 = acc.we && mine && (acc.id == REG_GICC_EOIR || acc.id == REG_GICC_AEOIR) && !special;
  assign is_eoi0 = acc.we && mine && acc.id == REG_ICC_EOIR0_EL1 && !special;
  assign is_eoi1 = acc.we && mine && acc.id == REG_ICC_EOIR1_EL1 && !special;
  assign is_dir = acc.we && mine && (acc.id == REG_ICC_DIR_EL1 || acc.id == REG_GICC_DIR) && !special;
  assign deact.valid = (((is_eoi0 || is_eoi1 || is_eoi2) && !eoim_q) || (is_dir && eoim_q)) && wid < 24'd1020;
  assign deact.cpu = acc.cpu;
  assign deact.intid = wid[9:0];

  always_comb begin
    logic [7:0] aff0;
    sgi.valid = acc.we && mine && (acc.id == REG_ICC_SGI0R_EL1 || acc.id == REG_ICC_SGI1R_EL1 ||
                                   acc.id == REG_ICC_ASGI1R_EL1);
    sgi.intid = sgir.intid;
    sgi.grp = (acc.id == REG_ICC_SGI1R_EL1);  // ASGI1R: Group 0 with one Security state (timing.md 4.9)
    sgi.anygrp = 1'b0;
    sgi.src = 3'd0;
    sgi.targets = '0;
    // IRM = 1: every CPU but the issuer; else Aff3.Aff2.Aff1.<RS * 16 + TargetList bit> (IHI0069H 12.2.23)
    for (int c = 0; c < NCPU; c++) begin
      aff0 = 8'(c % 16);
      if (sgir.irm) sgi.targets[c] = (c != CPU_ID);
      else sgi.targets[c] = sgir.aff3 == 8'd0 && sgir.aff2 == 8'd0 && sgir.aff1 == 8'(c / 16) &&
                            sgir.rs == aff0[7:4] && sgir.targetlist[aff0[3:0]];
    end
  end

  always_comb begin
    logic [7:0] gp;
    logic [2:0] wbpr;
    /* verilator lint_off UNUSEDSIGNAL */
    icc_ctlr_el1_t wctlr;  // register view of the written value: only CBPR and EOImode are stored
    /* verilator lint_on UNUSEDSIGNAL */
    /* verilator lint_off UNUSEDSIGNAL */
    gicc_ctlr_t wctlr2;  // GICv2 register view of the written value
    /* verilator lint_on UNUSEDSIGNAL */
    pmr_d = pmr_q; bpr0_d = bpr0_q; bpr1_d = bpr1_q; cbpr_d = cbpr_q; eoim_d = eoim_q;
    en0_d = en0_q; en1_d = en1_q; ap0_d = ap0_q; ap1_d = ap1_q; ackctl_d = ackctl_q; fiqen_d = fiqen_q;
    wctlr2 = acc.wdata[31:0];
    gp = gic_group_prio(offp, offg, cbpr_q, bpr0_q, bpr1_q);
    wbpr = acc.wdata[ICC_BPR0_EL1_BINARYPOINT_MSB:ICC_BPR0_EL1_BINARYPOINT_LSB];  // BPR1: the same field
    wctlr = acc.wdata;
    if (acc.we && mine) begin
      unique case (acc.id)
        REG_ICC_PMR_EL1: pmr_d = acc.wdata[ICC_PMR_EL1_PRIORITY_MSB:ICC_PMR_EL1_PRIORITY_LSB] & PMASK;
        REG_ICC_BPR0_EL1: bpr0_d = (wbpr > MIN0) ? wbpr : MIN0;
        REG_ICC_BPR1_EL1: if (!cbpr_q) bpr1_d = (wbpr > MIN0 + 3'd1) ? wbpr : MIN0 + 3'd1;
        REG_ICC_CTLR_EL1: begin
          cbpr_d = wctlr.cbpr;
          eoim_d = wctlr.eoimode;
        end
        REG_ICC_IGRPEN0_EL1: en0_d = acc.wdata[ICC_IGRPEN0_EL1_ENABLE_LSB];
        REG_ICC_IGRPEN1_EL1: en1_d = acc.wdata[ICC_IGRPEN1_EL1_ENABLE_LSB];
        REG_ICC_AP0R_EL1:
          for (int b = 0; b < 32; b++) if (32 * 32'(acc.idx) + b < APB) ap0_d[32*acc.idx+b] = acc.wdata[b];
        REG_ICC_AP1R_EL1:
          for (int b = 0; b < 32; b++) if (32 * 32'(acc.idx) + b < APB) ap1_d[32*acc.idx+b] = acc.wdata[b];
        // ---- GICv2 ----
        REG_GICC_CTLR: begin
          en0_d = wctlr2.enablegrp0;
          en1_d = wctlr2.enablegrp1;
          ackctl_d = wctlr2.ackctl;
          fiqen_d = wctlr2.fiqen;
          cbpr_d = wctlr2.cbpr;
          eoim_d = wctlr2.eoimode;
        end
        REG_GICC_PMR: pmr_d = acc.wdata[GICC_PMR_PRIORITY_MSB:GICC_PMR_PRIORITY_LSB] & PMASK;
        REG_GICC_BPR: bpr0_d = (wbpr > MIN0) ? wbpr : MIN0;
        REG_GICC_ABPR: bpr1_d = (wbpr > MIN0 + 3'd1) ? wbpr : MIN0 + 3'd1;
        REG_GICC_APR:  // one set of active priorities: written as Group 0's
          for (int b = 0; b < 32; b++)
            if (32 * 32'(acc.idx) + b < APB) begin
              ap0_d[32*acc.idx+b] = acc.wdata[b];
              ap1_d[32*acc.idx+b] = 1'b0;
            end
        default: ;
      endcase
    end
    // priority drop: the highest active priority, if it belongs to the EOI's group
    if (is_eoi0 && ap_top.any && ap0_q[AW'(ap_top.bit_idx)]) ap0_d[AW'(ap_top.bit_idx)] = 1'b0;
    if (is_eoi1 && ap_top.any && ap1_q[AW'(ap_top.bit_idx)]) ap1_d[AW'(ap_top.bit_idx)] = 1'b0;
    if (is_eoi2 && ap_top.any) begin
      ap0_d[AW'(ap_top.bit_idx)] = 1'b0;
      ap1_d[AW'(ap_top.bit_idx)] = 1'b0;
    end
    // acknowledge: set the active-priority bit of the group priority
    if (take && ack_ok) begin
      if (offg) ap1_d[AW'(gp >> (8 - PRE))] = 1'b1;
      else ap0_d[AW'(gp >> (8 - PRE))] = 1'b1;
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      pmr_q <= '0; bpr0_q <= MIN0; bpr1_q <= MIN0 + 3'd1; cbpr_q <= 1'b0; eoim_q <= 1'b0;
      en0_q <= 1'b0; en1_q <= 1'b0; ap0_q <= '0; ap1_q <= '0; ackctl_q <= 1'b0; fiqen_q <= 1'b0;
      offv_q <= 1'b0; offi_q <= 10'd1023; offp_q <= 8'hFF; offg_q <= 1'b0; offs_q <= 3'd0;
    end else begin
      pmr_q <= pmr_d; bpr0_q <= bpr0_d; bpr1_q <= bpr1_d; cbpr_q <= cbpr_d; eoim_q <= eoim_d;
      en0_q <= en0_d; en1_q <= en1_d; ap0_q <= ap0_d; ap1_q <= ap1_d; ackctl_q <= ackctl_d; fiqen_q <= fiqen_d;
      // phase 2: a successful acknowledge consumes the offer (INTID 1023, no interrupt)
      if (take && ack_ok) begin
        offv_q <= 1'b0; offi_q <= 10'd1023; offp_q <= 8'hFF; offg_q <= 1'b0; offs_q <= 3'd0;
      end else begin
        offv_q <= offv; offi_q <= offi; offp_q <= offp; offg_q <= offg; offs_q <= offs;
      end
    end
  end
endmodule
