// gic_dist.sv: GICv3 distributor (ARE=1, DS=1): SPI state, GICD_* registers, acknowledge check, deactivations, RWP.
//
// State vectors are indexed by INTID (bits 0..31 exist only in the redistributors and stay 0 here).
// Next state = phase 2 (register write, acknowledge) then phase 3 (input lines) then phase 4 (deactivations),
// docs/timing.md section 3; a later phase wins when two write the same bit.
module gic_dist
  import gic_regmap_pkg::*;
#(
    parameter int NCPU = 2,
    parameter int NSPI = 64,
    parameter int PRIO_BITS = 8,
    parameter bit ONE_OF_N = 1'b0,
    parameter logic [31:0] IIDR = 32'h43B,
    parameter int T_PD = 6,                 // prio + deliver: RWP window
    localparam int W = ((32 + NSPI + 31) / 32) * 32
) (
    input  logic        clk,
    input  logic        rst,
    // register access in its effect cycle
    input  logic        acc_we,
    input  logic        acc_re,
    input  gic_reg_e    acc_id,
    input  logic [9:0]  acc_idx,
    input  logic [63:0] acc_wdata,
    input  logic [63:0] acc_wmask,
    output logic [63:0] acc_rdata,
    // debug read (combinational, no side effect)
    input  gic_reg_e    dbg_id,
    input  logic [9:0]  dbg_idx,
    output logic [63:0] dbg_rdata,
    // synchronised input lines (phase 3): level and "rose during the cycle"
    input  logic [W-1:0] line_lvl,
    input  logic [W-1:0] line_rise,
    input  logic [W-1:0] line_rst,         // the pins' levels, taken by line_q at reset
    // acknowledge (phase 2) from CPU interface ack_cpu
    input  logic        ack_valid,
    input  logic [7:0]  ack_cpu,
    input  logic [9:0]  ack_intid,
    input  logic        ack_grp,               // the group of the offer being acknowledged
    output logic        ack_ok,
    // deactivations due this cycle (phase 4): EOI/DIR first, then HW=1 list register
    input  logic        deact_valid,
    input  logic [9:0]  deact_intid,
    input  logic        hwdeact_valid,
    input  logic [9:0]  hwdeact_intid,
    // prioritiser inputs (state at the end of the previous cycle)
    output logic [W-1:0] ready,            // pending, enabled, not active, group enabled in GICD_CTLR
    output logic [W-1:0] grp,
    output logic [7:0]   prio[W],
    output logic [W-1:0] route[NCPU],
    // observation (state at the end of the previous cycle, as GICD_ISPENDR/ISACTIVER read) and idle indication
    output logic [W-1:0] pend,
    output logic [W-1:0] act,
    output logic         busy              // the RWP window counts down (the only state that moves by itself)
);
  localparam logic [7:0] PMASK = 8'(8'hFF << (8 - PRIO_BITS));
  localparam int NB = W / 32;
  localparam int IW = $clog2(W);
  localparam int CW = (NCPU > 1) ? $clog2(NCPU) : 1;
  localparam logic [63:0] RT_MASK = 64'hFF_00FF_FFFF | (ONE_OF_N ? 64'h8000_0000 : 64'h0);
  localparam logic [W-1:0] IMPL = ((W)'(1) << (32 + NSPI)) - ((W)'(1) << 32);
  localparam logic [31:0] TYPER = 32'((32 + NSPI + 31) / 32 - 1) | (32'd9 << 19) | (32'd1 << 24) |
                                  (ONE_OF_N ? 32'd0 : (32'd1 << 25));

  logic [W-1:0] grp_q, en_q, latch_q, line_q, act_q, edge_q;
  logic [W-1:0] grp_d, en_d, latch_d, line_d, act_d, edge_d;
  logic [7:0]   prio_q[W], prio_d[W];
  logic [39:0]  rt_q[W], rt_d[W];
  logic [W-1:0] route_q[NCPU], route_d[NCPU];
  logic         en0_q, en1_q, en0_d, en1_d;
  logic [7:0]   rwp_q, rwp_d;
  logic [W-1:0] pend_q;

  assign pend_q = latch_q | (line_q & ~edge_q);
  assign ready = pend_q & en_q & ~act_q & ((grp_q & {W{en1_q}}) | (~grp_q & {W{en0_q}}));
  assign grp = grp_q;
  assign prio = prio_q;
  assign route = route_q;
  assign pend = pend_q;
  assign act = act_q;
  assign busy = (rwp_q != 8'd0);

  function automatic logic [31:0] idr(input logic [9:0] i);
    unique case (i)
      10'd0: return 32'h44;   // PIDR4
      10'd4: return 32'h92;   // PIDR0
      10'd5: return 32'hB4;   // PIDR1
      10'd6: return 32'h3B;   // PIDR2: ArchRev 3
      10'd8: return 32'h0D;   // CIDR0..3
      10'd9: return 32'hF0;
      10'd10: return 32'h05;
      10'd11: return 32'hB1;
      default: return 32'h0;
    endcase
  endfunction

  function automatic logic [31:0] word(input logic [W-1:0] v, input logic [9:0] n);
    return (32'(n) < NB) ? v[32*n+:32] : 32'h0;
  endfunction

  function automatic logic [63:0] rd(input gic_reg_e id, input logic [9:0] n);
    logic [63:0] v;
    v = '0;
    unique case (id)
      REG_GICD_CTLR: v = {32'h0, (rwp_q != 8'd0), 24'h0, 7'h50 | {5'b0, en1_q, en0_q}};
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
        if (32 + 32'(n) < W && IMPL[32+n]) v = {24'h0, rt_q[32+n]};
      REG_GICD_IDR: v = {32'h0, idr(n)};
      default: v = '0;
    endcase
    return v;
  endfunction

  assign acc_rdata = acc_re ? rd(acc_id, acc_idx) : 64'h0;
  assign dbg_rdata = rd(dbg_id, dbg_idx);

  logic ack_in_range;
  assign ack_in_range = ack_intid >= 10'd32 && 32'(ack_intid) < 32 + NSPI;
  assign ack_ok = ack_valid && ack_in_range && pend_q[IW'(ack_intid)] && en_q[IW'(ack_intid)] && !act_q[IW'(ack_intid)] &&
                  grp_q[IW'(ack_intid)] == ack_grp && (ack_grp ? en1_q : en0_q) && 32'(ack_cpu) < NCPU && route_q[CW'(ack_cpu)][IW'(ack_intid)];

  always_comb begin
    logic [31:0] m, wd;
    logic [39:0] nv;
    int unsigned n;
    nv = '0;
    line_d = line_q;
    grp_d = grp_q; en_d = en_q; latch_d = latch_q; act_d = act_q; edge_d = edge_q;
    prio_d = prio_q; rt_d = rt_q; route_d = route_q;
    en0_d = en0_q; en1_d = en1_q;
    rwp_d = (rwp_q != 8'd0) ? rwp_q - 8'd1 : 8'd0;
    m = acc_wmask[31:0];
    wd = acc_wdata[31:0] & m;
    n = 32'(acc_idx);
    // ---- phase 2: register write ----
    if (acc_we) begin
      unique case (acc_id)
        REG_GICD_CTLR: begin
          if (m[0]) en0_d = wd[0];
          if (m[1]) en1_d = wd[1];
          rwp_d = 8'(T_PD - 1);
        end
        REG_GICD_IGROUPR: if (n < NB) grp_d[32*n+:32] = (grp_q[32*n+:32] & ~m) | wd;
        REG_GICD_ISENABLER: if (n < NB) en_d[32*n+:32] = en_q[32*n+:32] | wd;
        REG_GICD_ICENABLER: begin
          if (n < NB) en_d[32*n+:32] = en_q[32*n+:32] & ~wd;
          rwp_d = 8'(T_PD - 1);
        end
        REG_GICD_ISPENDR: if (n < NB) latch_d[32*n+:32] = latch_q[32*n+:32] | wd;
        REG_GICD_ICPENDR: if (n < NB) latch_d[32*n+:32] = latch_q[32*n+:32] & ~wd;
        REG_GICD_ISACTIVER: if (n < NB) act_d[32*n+:32] = act_q[32*n+:32] | wd;
        REG_GICD_ICACTIVER: if (n < NB) act_d[32*n+:32] = act_q[32*n+:32] & ~wd;
        REG_GICD_IPRIORITYR:
          for (int b = 0; b < 4; b++)
            if (4 * n + b < W && m[8*b]) prio_d[4*n+b] = acc_wdata[8*b+:8] & PMASK;
        REG_GICD_ICFGR:
          for (int j = 0; j < 16; j++)
            if (16 * n + j < W && m[2*j+1]) edge_d[16*n+j] = acc_wdata[2*j+1];
        REG_GICD_IROUTER:
          if (32 + n < W) begin
            nv = 40'(((({24'h0, rt_q[32+n]} & ~acc_wmask) | (acc_wdata & acc_wmask)) & RT_MASK));
            rt_d[32+n] = nv;
            for (int k = 0; k < NCPU; k++)
              route_d[k][32+n] = (ONE_OF_N && nv[31]) ||
                                 (!nv[31] && nv[39:32] == 8'd0 && nv[23:16] == 8'd0 &&
                                  nv[15:8] == 8'(k / 16) && nv[7:0] == 8'(k % 16));
          end
        default: ;
      endcase
    end
    // ---- phase 2: acknowledge ----
    if (ack_ok) begin
      act_d[IW'(ack_intid)] = 1'b1;
      latch_d[IW'(ack_intid)] = 1'b0;
    end
    // ---- phase 3: input lines ----
    line_d = line_lvl & IMPL;
    latch_d = latch_d | (line_rise & edge_d);
    // ---- phase 4: deactivations (EOI/DIR, then HW=1 list registers) ----
    if (deact_valid && deact_intid >= 10'd32 && 32'(deact_intid) < W) act_d[IW'(deact_intid)] = 1'b0;
    if (hwdeact_valid && hwdeact_intid >= 10'd32 && 32'(hwdeact_intid) < W) act_d[IW'(hwdeact_intid)] = 1'b0;
    grp_d &= IMPL; en_d &= IMPL; latch_d &= IMPL; act_d &= IMPL; edge_d &= IMPL;
    for (int k = 0; k < NCPU; k++) route_d[k] &= IMPL;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      grp_q <= '0; en_q <= '0; latch_q <= '0; line_q <= line_rst & IMPL; act_q <= '0; edge_q <= '0;
      prio_q <= '{default: '0};
      rt_q <= '{default: '0};
      for (int k = 0; k < NCPU; k++) route_q[k] <= (k == 0) ? IMPL : '0;  // IROUTER resets to 0.0.0.0
      en0_q <= 1'b0; en1_q <= 1'b0; rwp_q <= '0;
    end else begin
      grp_q <= grp_d; en_q <= en_d; latch_q <= latch_d; line_q <= line_d; act_q <= act_d; edge_q <= edge_d;
      prio_q <= prio_d; rt_q <= rt_d; route_q <= route_d;
      en0_q <= en0_d; en1_q <= en1_d; rwp_q <= rwp_d;
    end
  end
endmodule
