// gic_cpuif.sv: GICv3 physical CPU interface of one CPU (ICC_* system registers): offer, PMR, BPR0/1, CTLR,
// group enables, active priorities, acknowledge, EOI/DIR (deactivation messages), SGI generation, IRQ/FIQ conditions.
module gic_cpuif
  import gic_regmap_pkg::*;
#(
    parameter int CPU_ID = 0,
    parameter int NCPU = 2,
    parameter int PRIO_BITS = 8
) (
    input  logic        clk,
    input  logic        rst,
    input  logic        acc_we,
    input  logic        acc_re,
    input  gic_reg_e    acc_id,
    input  logic [9:0]  acc_idx,
    input  logic [7:0]  acc_cpu,
    input  logic [63:0] acc_wdata,
    output logic [63:0] acc_rdata,
    input  gic_reg_e    dbg_id,
    input  logic [9:0]  dbg_idx,
    input  logic [7:0]  dbg_cpu,
    output logic [63:0] dbg_rdata,
    // HPPI message delivered in phase 1 of this cycle (offer_msg), with its contents
    input  logic        offer_msg,
    input  logic        offer_valid,
    input  logic [9:0]  offer_intid,
    input  logic [7:0]  offer_prio,
    input  logic        offer_grp,
    // acknowledge round trip to the distributor/redistributor (same cycle)
    output logic        ack_valid,
    output logic [9:0]  ack_intid,
    output logic        ack_grp,
    input  logic        ack_ok,
    // deactivation message (EOI with EOImode 0, DIR with EOImode 1)
    output logic        deact_valid,
    output logic [9:0]  deact_intid,
    // SGI generation
    output logic        sgi_valid,
    output logic [3:0]  sgi_intid,
    output logic        sgi_grp,
    output logic [NCPU-1:0] sgi_targets,
    // to the prioritiser and the output pins
    output logic        grpen0,
    output logic        grpen1,
    output logic        irq_cond,
    output logic        fiq_cond,
    // observation: ICC_RPR_EL1
    output logic [7:0]  obs_rpr
);
  localparam int PRE = (PRIO_BITS < 7) ? PRIO_BITS : 7;
  localparam int APB = 1 << PRE;                    // active-priority bits per group
  localparam logic [2:0] MIN0 = 3'(7 - PRE);
  localparam int AW = $clog2(APB);
  localparam logic [7:0] PMASK = 8'(8'hFF << (8 - PRIO_BITS));

  logic [7:0] pmr_q, pmr_d;
  logic [2:0] bpr0_q, bpr0_d, bpr1_q, bpr1_d;
  logic cbpr_q, cbpr_d, eoim_q, eoim_d, en0_q, en0_d, en1_q, en1_d;
  logic [APB-1:0] ap0_q, ap0_d, ap1_q, ap1_d;
  // The offer (timing.md 3 phase 1(a), 4.6): the register holds the offer at the end of the cycle; in phase 1 an HPPI
  // message replaces it (off_*), in phase 2 a successful acknowledge consumes it (empty until the next message).
  logic offv_q, offv;
  logic [9:0] offi_q, offi;
  logic [7:0] offp_q, offp;
  logic offg_q, offg;
  assign offv = offer_msg ? offer_valid : offv_q;
  assign offi = offer_msg ? offer_intid : offi_q;
  assign offp = offer_msg ? offer_prio : offp_q;
  assign offg = offer_msg ? offer_grp : offg_q;

  assign grpen0 = en0_q;
  assign grpen1 = en1_q;

  // Highest active priority (lowest set bit of AP0R|AP1R) and running priority.
  logic [APB-1:0] ap_any;
  logic           ap_has;
  logic [7:0]     ap_bit;
  logic [7:0]     rpr;
  always_comb begin
    ap_any = ap0_q | ap1_q;
    ap_has = 1'b0;
    ap_bit = 8'd0;
    for (int b = APB - 1; b >= 0; b--)
      if (ap_any[b]) begin
        ap_has = 1'b1;
        ap_bit = 8'(b);
      end
    rpr = ap_has ? 8'(ap_bit << (8 - PRE)) : 8'hFF;
  end

  assign obs_rpr = rpr;

  function automatic logic [7:0] gprio(input logic [7:0] p, input logic g);
    if (!g || cbpr_q) return p & 8'(8'hFF << (32'(bpr0_q) + 1));
    return p & 8'(8'hFF << bpr1_q);
  endfunction

  function automatic logic signalable(input logic v, input logic [7:0] p, input logic g);
    return v && (g ? en1_q : en0_q) && p < pmr_q && gprio(p, g) < rpr;
  endfunction

  assign irq_cond = signalable(offv_q, offp_q, offg_q) && offg_q;
  assign fiq_cond = signalable(offv_q, offp_q, offg_q) && !offg_q;

  logic mine, is_iar, iar_grp, take;
  assign mine = (32'(acc_cpu) == CPU_ID);
  assign is_iar = acc_re && mine && (acc_id == REG_ICC_IAR0_EL1 || acc_id == REG_ICC_IAR1_EL1);
  assign iar_grp = (acc_id == REG_ICC_IAR1_EL1);
  assign take = is_iar && signalable(offv, offp, offg) && offg == iar_grp;
  assign ack_valid = take;
  assign ack_intid = offi;
  assign ack_grp = offg;

  function automatic logic [63:0] rd(input gic_reg_e id, input logic [9:0] n);
    logic [63:0] v;
    v = '0;
    unique case (id)
      REG_ICC_PMR_EL1: v[7:0] = pmr_q;
      REG_ICC_BPR0_EL1: v[2:0] = bpr0_q;
      REG_ICC_BPR1_EL1: v[2:0] = cbpr_q ? ((bpr0_q == 3'd7) ? 3'd7 : bpr0_q + 3'd1) : bpr1_q;
      // A3V [15], IDbits [13:11] = 1 (24-bit INTIDs), PRIbits [10:8]: IHI0069H 12.2.6
      REG_ICC_CTLR_EL1: v = 64'(32'((1 << 15) | (1 << 11) | ((PRIO_BITS - 1) << 8))) | {62'h0, eoim_q, cbpr_q};
      REG_ICC_SRE_EL1: v = 64'h7;
      REG_ICC_IGRPEN0_EL1: v[0] = en0_q;
      REG_ICC_IGRPEN1_EL1: v[0] = en1_q;
      REG_ICC_RPR_EL1: v[7:0] = rpr;
      REG_ICC_AP0R_EL1: if (32 * 32'(n) < APB) v[31:0] = 32'(ap0_q >> (32 * n));
      REG_ICC_AP1R_EL1: if (32 * 32'(n) < APB) v[31:0] = 32'(ap1_q >> (32 * n));
      REG_ICC_HPPIR0_EL1, REG_ICC_HPPIR1_EL1:
        v = (offv && offg == (id == REG_ICC_HPPIR1_EL1) && offp < pmr_q) ? {54'h0, offi} : 64'd1023;
      default: v = '0;
    endcase
    return v;
  endfunction

  always_comb begin
    acc_rdata = 64'h0;
    if (acc_re && mine) begin
      if (is_iar) acc_rdata = (take && ack_ok) ? {54'h0, offi} : 64'd1023;
      else acc_rdata = rd(acc_id, acc_idx);
    end
  end
  assign dbg_rdata = (32'(dbg_cpu) == CPU_ID && dbg_id != REG_ICC_IAR0_EL1 && dbg_id != REG_ICC_IAR1_EL1) ?
                     rd(dbg_id, dbg_idx) : 64'h0;

  // EOI / DIR / SGI decode
  logic [23:0] wid;
  logic special;
  logic is_eoi0, is_eoi1, is_dir;
  assign wid = acc_wdata[23:0];
  assign special = (wid >= 24'd1020 && wid <= 24'd1023);
  assign is_eoi0 = acc_we && mine && acc_id == REG_ICC_EOIR0_EL1 && !special;
  assign is_eoi1 = acc_we && mine && acc_id == REG_ICC_EOIR1_EL1 && !special;
  assign is_dir = acc_we && mine && acc_id == REG_ICC_DIR_EL1 && !special;
  assign deact_valid = (((is_eoi0 || is_eoi1) && !eoim_q) || (is_dir && eoim_q)) && wid < 24'd1020;
  assign deact_intid = wid[9:0];

  always_comb begin
    logic [7:0] aff0;
    sgi_valid = acc_we && mine && (acc_id == REG_ICC_SGI0R_EL1 || acc_id == REG_ICC_SGI1R_EL1 ||
                                   acc_id == REG_ICC_ASGI1R_EL1);
    sgi_intid = acc_wdata[27:24];
    sgi_grp = (acc_id == REG_ICC_SGI1R_EL1);  // ASGI1R: Group 0 with one Security state (timing.md 4.9)
    for (int c = 0; c < NCPU; c++) begin
      aff0 = 8'(c % 16);
      if (acc_wdata[40]) sgi_targets[c] = (c != CPU_ID);
      else sgi_targets[c] = acc_wdata[55:48] == 8'd0 && acc_wdata[39:32] == 8'd0 &&
                            acc_wdata[23:16] == 8'(c / 16) && acc_wdata[47:44] == aff0[7:4] &&
                            acc_wdata[{2'b0, aff0[3:0]}];
    end
  end

  always_comb begin
    logic [7:0] gp;
    pmr_d = pmr_q; bpr0_d = bpr0_q; bpr1_d = bpr1_q; cbpr_d = cbpr_q; eoim_d = eoim_q;
    en0_d = en0_q; en1_d = en1_q; ap0_d = ap0_q; ap1_d = ap1_q;
    gp = gprio(offp, offg);
    if (acc_we && mine) begin
      unique case (acc_id)
        REG_ICC_PMR_EL1: pmr_d = acc_wdata[7:0] & PMASK;
        REG_ICC_BPR0_EL1: bpr0_d = (acc_wdata[2:0] > MIN0) ? acc_wdata[2:0] : MIN0;
        REG_ICC_BPR1_EL1: if (!cbpr_q) bpr1_d = (acc_wdata[2:0] > MIN0 + 3'd1) ? acc_wdata[2:0] : MIN0 + 3'd1;
        REG_ICC_CTLR_EL1: begin
          cbpr_d = acc_wdata[0];
          eoim_d = acc_wdata[1];
        end
        REG_ICC_IGRPEN0_EL1: en0_d = acc_wdata[0];
        REG_ICC_IGRPEN1_EL1: en1_d = acc_wdata[0];
        REG_ICC_AP0R_EL1:
          for (int b = 0; b < 32; b++) if (32 * 32'(acc_idx) + b < APB) ap0_d[32*acc_idx+b] = acc_wdata[b];
        REG_ICC_AP1R_EL1:
          for (int b = 0; b < 32; b++) if (32 * 32'(acc_idx) + b < APB) ap1_d[32*acc_idx+b] = acc_wdata[b];
        default: ;
      endcase
    end
    // priority drop: the highest active priority, if it belongs to the EOI's group
    if (is_eoi0 && ap_has && ap0_q[AW'(ap_bit)]) ap0_d[AW'(ap_bit)] = 1'b0;
    if (is_eoi1 && ap_has && ap1_q[AW'(ap_bit)]) ap1_d[AW'(ap_bit)] = 1'b0;
    // acknowledge: set the active-priority bit of the group priority
    if (take && ack_ok) begin
      if (offg) ap1_d[AW'(gp >> (8 - PRE))] = 1'b1;
      else ap0_d[AW'(gp >> (8 - PRE))] = 1'b1;
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      pmr_q <= '0; bpr0_q <= MIN0; bpr1_q <= MIN0 + 3'd1; cbpr_q <= 1'b0; eoim_q <= 1'b0;
      en0_q <= 1'b0; en1_q <= 1'b0; ap0_q <= '0; ap1_q <= '0;
      offv_q <= 1'b0; offi_q <= 10'd1023; offp_q <= 8'hFF; offg_q <= 1'b0;
    end else begin
      pmr_q <= pmr_d; bpr0_q <= bpr0_d; bpr1_q <= bpr1_d; cbpr_q <= cbpr_d; eoim_q <= eoim_d;
      en0_q <= en0_d; en1_q <= en1_d; ap0_q <= ap0_d; ap1_q <= ap1_d;
      // phase 2: a successful acknowledge consumes the offer (INTID 1023, no interrupt)
      if (take && ack_ok) begin
        offv_q <= 1'b0; offi_q <= 10'd1023; offp_q <= 8'hFF; offg_q <= 1'b0;
      end else begin
        offv_q <= offv; offi_q <= offi; offp_q <= offp; offg_q <= offg;
      end
    end
  end
endmodule
