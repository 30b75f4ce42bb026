// gic_dist.sv: distributor: SPI state, GICD_* registers, acknowledge check, deactivations. GICv3 (ARE=1, DS=1):
// GICD_IROUTER routing and RWP; GICv2 (GIC_VERSION = 2, no Security Extensions, IHI0048B 4.3): GICD_ITARGETSR routing
// and GICD_SGIR. The banked registers of INTIDs 0..31 (GICv2) are the redistributor blocks' (gic_redist).
//
// State vectors are indexed by INTID (bits 0..31 exist only in the redistributors and stay 0 here).
// Next state = phase 2 (register write, acknowledge) then phase 3 (input lines) then phase 4 (deactivations),
// docs/timing.md section 3; a later phase wins when two write the same bit.
module gic_dist
  import gic_regmap_pkg::*;
  import gic_mutants_pkg::*;
  import gic_bus_pkg::*;
  import gic_util_pkg::*;
#(
    parameter int GIC_VERSION = 3,
    parameter int NCPU = 2,
    parameter int NSPI = 64,
    parameter int PRIO_BITS = 8,
    parameter bit ONE_OF_N = 1'b0,
    parameter logic [31:0] IIDR = 32'h43B,
    parameter int T_PD = 6,                 // prio + deliver: RWP window
    parameter int TEST_MUTANT = MUT_NONE,   // gic_mutants_pkg.sv
    localparam int W = ((32 + NSPI + 31) / 32) * 32
) (
    input  logic         clk,
    input  logic         rst,
    input  gic_acc_req_t acc,              // GICD_* access in its effect cycle
    input  gic_dbg_req_t dbg,              // debug read (combinational, no side effect)
    output gic_rdata_t   rdata,
    // synchronised input lines (phase 3): level and "rose during the cycle"
    input  logic [W-1:0] line_lvl,
    input  logic [W-1:0] line_rise,
    input  logic [W-1:0] line_rst,         // the pins' levels, taken by line_q at reset
    // acknowledge (phase 2) from CPU interface ack.cpu
    input  gic_ack_req_t ack,
    output logic         ack_ok,
    // deactivations due this cycle (phase 4): EOI/DIR first, then HW=1 list register
    input  gic_deact_t   deact,
    input  gic_deact_t   hwdeact,
    // prioritiser inputs (state at the end of the previous cycle)
    output logic [W-1:0] ready,            // pending, enabled, not active, group enabled in GICD_CTLR
    output logic [W-1:0] grp,
    output logic [W-1:0][7:0]      prio,
    output logic [NCPU-1:0][W-1:0] route,
    output logic [1:0]   grp_en,           // GICD_CTLR.EnableGrp1/EnableGrp0 (GICv2: they gate SGIs and PPIs too)
    output gic_sgi_t     sgi,              // GICv2 GICD_SGIR write (phase 2)
    // observation (state at the end of the previous cycle, as GICD_ISPENDR/ISACTIVER read) and idle indication
    output logic [W-1:0] pend,
    output logic [W-1:0] act,
    output logic         busy              // the RWP window counts down (the only state that moves by itself)
);
  logic [63:0] acc_rdata, dbg_rdata;
  assign rdata = '{acc: acc_rdata, dbg: dbg_rdata};
  localparam logic [7:0] PMASK = 8'(8'hFF << (8 - PRIO_BITS));
  localparam int NB = W / 32;
  localparam int IW = $clog2(W);
  localparam int CW = (NCPU > 1) ? $clog2(NCPU) : 1;
  // GICD_IROUTER: Aff3..Aff0 stored, Interrupt_Routing_Mode only with 1-of-N routing
  localparam gicd_irouter_t RT_MASK = '{aff3: '1, interrupt_routing_mode: ONE_OF_N, aff2: '1, aff1: '1, aff0: '1,
                                        default: '0};
  localparam logic [W-1:0] IMPL = ((W)'(1) << (32 + NSPI)) - ((W)'(1) << 32);
  // ITLinesNumber, IDbits = 9 (10-bit INTIDs), A3V = 1, No1N = 1 without 1-of-N routing: IHI0069H 12.9.38
  localparam bit V2 = (GIC_VERSION == 2);
  localparam gicd_typer_t TYPER3 = '{itlinesnumber: 5'((32 + NSPI + 31) / 32 - 1), idbits: 5'd9, a3v: 1'b1,
                                     no1n: !ONE_OF_N, default: '0};
  // GICv2: ITLinesNumber, CPUNumber = CPUs - 1, SecurityExtn = 0: IHI0048B 4.3.2
  localparam gicd_typer_t TYPER2 = '{itlinesnumber: 5'((32 + NSPI + 31) / 32 - 1), cpunumber: 3'(NCPU - 1),
                                     default: '0};
  localparam gicd_typer_t TYPER = V2 ? TYPER2 : TYPER3;
  // GICD_ITARGETSR: the bits of the CPUs present; RAZ/WI with one CPU (IHI0048B 4.3.12)
  localparam logic [7:0] TMASK = (NCPU > 1) ? 8'((1 << NCPU) - 1) : 8'h0;

  logic [W-1:0] grp_q, en_q, latch_q, line_q, act_q, edge_q;
  logic [W-1:0] grp_d, en_d, latch_d, line_d, act_d, edge_d;
  // GICD_IPRIORITYR, GICD_IROUTER and the routing decoded from it change only when written: their flip-flops are
  // written in place (below), not copied to a next-state value in every cycle as the bit vectors are.
  logic [W-1:0][7:0]      prio_q;
  logic [39:0]            rt_q[W];       // GICD_IROUTER<n>[39:0] (Aff3 is its top field)
  logic [NCPU-1:0][W-1:0] route_q;
  logic [W-1:0][7:0]      tgt_q;         // GICv2 GICD_ITARGETSR<n> bytes (SPIs only)
  logic         en0_q, en1_q, en0_d, en1_d;
  logic [7:0]   rwp_q, rwp_d;
  logic [W-1:0] pend_q;

  assign pend_q = latch_q | (line_q & ~edge_q);
  assign ready = pend_q & en_q & ~act_q & ((grp_q & {W{en1_q}}) | (~grp_q & {W{en0_q}}));
  assign {grp, pend, act} = {grp_q, pend_q, act_q};
  assign prio = prio_q;
  assign route = route_q;
  assign busy = (rwp_q != 8'd0);  // the RWP window
  assign grp_en = {en1_q, en0_q};

  function automatic logic [31:0] word(input logic [W-1:0] v, input logic [9:0] n);
    return (32'(n) < NB) ? v[32*n+:32] : 32'h0;
  endfunction

  function automatic logic [63:0] rd(input gic_reg_e id, input logic [9:0] n);
    logic [63:0] v;
    v = '0;
    unique case (id)
      // ARE and DS are RAO (one Security state, affinity routing): IHI0069H 12.9.4
      REG_GICD_CTLR:
        if (V2) v = {32'h0, gicd_ctlr_v2_t'{enablegrp1: en1_q, enablegrp0: en0_q, default: '0}};
        else v = {32'h0, gicd_ctlr_t'{rwp: rwp_q != 8'd0, ds: 1'b1, are: 1'b1, enablegrp1: en1_q,
                                      enablegrp0: en0_q, default: '0}};
      REG_GICD_TYPER: v = {32'h0, TYPER};
      REG_GICD_IIDR: v = {32'h0, IIDR};
      REG_GICD_IGROUPR: v = {32'h0, word(grp_q, n)};
      REG_GICD_ISENABLER, REG_GICD_ICENABLER: v = {32'h0, word(en_q, n)};
      REG_GICD_ISPENDR, REG_GICD_ICPENDR: v = {32'h0, word(pend_q, n)};
      REG_GICD_ISACTIVER, REG_GICD_ICACTIVER: v = {32'h0, word(act_q, n)};
      REG_GICD_IPRIORITYR:
        for (int b = 0; b < 4; b++)
          if (4 * 32'(n) + b < W && IMPL[4*n+b]) v[8*b+:8] = prio_q[4*n+b];
      REG_GICD_ICFGR:
        for (int j = 0; j < 16; j++)
          if (16 * 32'(n) + j < W) v[2*j+1] = edge_q[16*n+j];
      REG_GICD_IROUTER:
        if (32 + 32'(n) < W && IMPL[32+n]) v = 64'(rt_q[32+n]);
      // GICv2: SPI targets (INTIDs 0..31 read the accessing CPU's bit: gic_redist)
      REG_GICD_ITARGETSR:
        for (int b = 0; b < 4; b++)
          if (4 * 32'(n) + b < W && IMPL[4*n+b]) v[8*b+:8] = tgt_q[4*n+b];
      REG_GICD_IDR: v = {32'h0, V2 ? gic_idr_v2(n) : gic_idr(n, 8'h92)};  // PIDR0 0x92: the distributor
      default: v = '0;
    endcase
    return v;
  endfunction

  assign acc_rdata = acc.re ? rd(acc.id, acc.idx) : 64'h0;
  assign dbg_rdata = rd(dbg.id, dbg.idx);
  // GICD_* are not banked: the issuing CPU of an access or debug read, and that of a deactivation, do not matter.
  logic unused_cpu;
  assign unused_cpu = ^{acc.cpu, dbg.cpu, deact.cpu, hwdeact.cpu, ack.src};  // (SPIs have no source CPU)

  logic ack_in_range;
  assign ack_in_range = ack.intid >= 10'd32 && 32'(ack.intid) < 32 + NSPI;
  // (route_q: GICD_IROUTER, or on GICv2 GICD_ITARGETSR)
  assign ack_ok = ack.valid && ack_in_range && pend_q[IW'(ack.intid)] && en_q[IW'(ack.intid)] && !act_q[IW'(ack.intid)] &&
                  grp_q[IW'(ack.intid)] == ack.grp && (ack.grp ? en1_q : en0_q) && 32'(ack.cpu) < NCPU && route_q[CW'(ack.cpu)][IW'(ack.intid)];

  // the access's 32-bit word: byte mask, masked data, and the register's index (the n of GICD_xxxR<n>)
  logic [31:0] m, wd;
  int unsigned wn;
  assign m = acc.wmask[31:0];
  assign wd = acc.wdata[31:0] & m;
  assign wn = 32'(acc.idx);

  // ---- phase 2: GICD_SGIR (IHI0048B 4.3.15): TargetListFilter 0 the list, 1 every other CPU, 2 the writer, 3 none;
  // without the Security Extensions NSATT is not implemented and the SGI is sent whatever its group ----
  /* verilator lint_off UNUSEDSIGNAL */
  gicd_sgir_t sgir;
  /* verilator lint_on UNUSEDSIGNAL */
  assign sgir = wd;
  always_comb begin
    sgi = '0;
    sgi.valid = V2 && acc.we && acc.id == REG_GICD_SGIR;
    sgi.intid = sgir.sgiintid;
    sgi.anygrp = 1'b1;
    sgi.src = 3'(acc.cpu);
    for (int c = 0; c < NCPU; c++)
      unique case (sgir.targetlistfilter)
        2'd0: sgi.targets[c] = sgir.cputargetlist[GICD_SGIR_CPUTARGETLIST_LSB+c];  // (the field's own bit numbers)
        2'd1: sgi.targets[c] = (32'(acc.cpu) != c);
        2'd2: sgi.targets[c] = (32'(acc.cpu) == c);
        default: sgi.targets[c] = 1'b0;
      endcase
  end

  always_comb begin
    // register view of the written value: only the stored fields are read
    /* verilator lint_off UNUSEDSIGNAL */
    gicd_ctlr_t ctlr;
    /* verilator lint_on UNUSEDSIGNAL */
    line_d = line_q;
    grp_d = grp_q; en_d = en_q; latch_d = latch_q; act_d = act_q; edge_d = edge_q;
    en0_d = en0_q; en1_d = en1_q;
    rwp_d = (rwp_q != 8'd0) ? rwp_q - 8'd1 : 8'd0;
    ctlr = wd;
    // ---- phase 2: register write ----
    if (acc.we) begin
      unique case (acc.id)
        REG_GICD_CTLR: begin
          if (m[GICD_CTLR_ENABLEGRP0_LSB]) en0_d = ctlr.enablegrp0;
          if (m[GICD_CTLR_ENABLEGRP1_LSB]) en1_d = ctlr.enablegrp1;
          if (!V2) rwp_d = 8'(T_PD - 1);
        end
        REG_GICD_IGROUPR: if (wn < NB) grp_d[32*wn+:32] = (grp_q[32*wn+:32] & ~m) | wd;
        REG_GICD_ISENABLER: if (wn < NB) en_d[32*wn+:32] = en_q[32*wn+:32] | wd;
        REG_GICD_ICENABLER: begin
          if (wn < NB) en_d[32*wn+:32] = en_q[32*wn+:32] & ~wd;
          if (!V2) rwp_d = 8'(T_PD - 1);
        end
        REG_GICD_ISPENDR: if (wn < NB) latch_d[32*wn+:32] = latch_q[32*wn+:32] | wd;
        REG_GICD_ICPENDR: if (wn < NB) latch_d[32*wn+:32] = latch_q[32*wn+:32] & ~wd;
        REG_GICD_ISACTIVER: if (wn < NB) act_d[32*wn+:32] = act_q[32*wn+:32] | wd;
        REG_GICD_ICACTIVER: if (wn < NB) act_d[32*wn+:32] = act_q[32*wn+:32] & ~wd;
        REG_GICD_ICFGR:
          for (int j = 0; j < 16; j++)
            if (16 * wn + j < W && m[2*j+1]) edge_d[16*wn+j] = acc.wdata[2*j+1];
        default: ;  // GICD_IPRIORITYR, GICD_IROUTER: below
      endcase
    end
    // ---- phase 2: acknowledge ----
    if (ack_ok) begin
      act_d[IW'(ack.intid)] = 1'b1;
      latch_d[IW'(ack.intid)] = 1'b0;
    end
    // ---- phase 3: input lines ----
    line_d = line_lvl & IMPL;
    latch_d = latch_d | (line_rise & edge_d);
    // ---- phase 4: deactivations (EOI/DIR, then HW=1 list registers) ----
    if (deact.valid && deact.intid >= 10'd32 && 32'(deact.intid) < W) act_d[IW'(deact.intid)] = 1'b0;
    if (hwdeact.valid && hwdeact.intid >= 10'd32 && 32'(hwdeact.intid) < W) act_d[IW'(hwdeact.intid)] = 1'b0;
    grp_d &= IMPL; en_d &= IMPL; latch_d &= IMPL; act_d &= IMPL; edge_d &= IMPL;
  end

  // ---- phase 2: GICD_IPRIORITYR and GICD_IROUTER writes (only implemented SPIs are routed) ----
  // register view of the written value: only the stored fields are read
  /* verilator lint_off UNUSEDSIGNAL */
  gicd_irouter_t nv;
  /* verilator lint_on UNUSEDSIGNAL */
  assign nv = (32 + wn < W) ? ((64'(rt_q[32+wn]) & ~acc.wmask) | (acc.wdata & acc.wmask)) & RT_MASK : '0;
  always_ff @(posedge clk) begin
    if (rst) begin
      prio_q <= '0;
      rt_q <= '{default: '0};
      tgt_q <= '0;
      // IROUTER resets to 0.0.0.0; GICv2: ITARGETSR resets to no target, but a uniprocessor GIC targets its CPU
      for (int k = 0; k < NCPU; k++) route_q[k] <= (k == 0 && (!V2 || NCPU == 1)) ? IMPL : '0;
    end else if (V2 && acc.we && acc.id == REG_GICD_ITARGETSR && NCPU > 1) begin
      for (int b = 0; b < 4; b++)
        if (4 * wn + b < W && IMPL[4*wn+b] && m[8*b]) begin
          tgt_q[4*wn+b] <= acc.wdata[8*b+:8] & TMASK;
          // (MUT_V2_ITARGETSR, a known bug for the "checks can fail" test, takes each CPU's bit from the next CPU's)
          for (int k = 0; k < NCPU; k++)
            route_q[k][4*wn+b] <= acc.wdata[8*b+((TEST_MUTANT == MUT_V2_ITARGETSR) ? (k + 1) % NCPU : k)];
        end
    end else if (acc.we && acc.id == REG_GICD_IPRIORITYR) begin
      for (int b = 0; b < 4; b++)
        if (4 * wn + b < W && m[8*b]) prio_q[4*wn+b] <= acc.wdata[8*b+:8] & PMASK;
    end else if (!V2 && acc.we && acc.id == REG_GICD_IROUTER && 32 + wn < W) begin
      rt_q[32+wn] <= 40'(nv);
      for (int k = 0; k < NCPU; k++)
        route_q[k][32+wn] <= IMPL[32+wn] && ((ONE_OF_N && nv.interrupt_routing_mode) ||
                                             (!nv.interrupt_routing_mode && nv.aff3 == 8'd0 && nv.aff2 == 8'd0 &&
                                              nv.aff1 == 8'(k / 16) && nv.aff0 == 8'(k % 16)));
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      grp_q <= '0; en_q <= '0; latch_q <= '0; line_q <= line_rst & IMPL; act_q <= '0; edge_q <= '0;
      en0_q <= 1'b0; en1_q <= 1'b0; rwp_q <= '0;
    end else begin
      grp_q <= grp_d; en_q <= en_d; latch_q <= latch_d; line_q <= line_d; act_q <= act_d; edge_q <= edge_d;
      en0_q <= en0_d; en1_q <= en1_d; rwp_q <= rwp_d;
    end
  end
endmodule
