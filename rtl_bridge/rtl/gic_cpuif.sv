// gic_cpuif.sv: GICv3 physical CPU interface of one CPU (ICC_* system registers): offer, PMR, BPR0/1, CTLR,
// group enables, active priorities, acknowledge, EOI/DIR (deactivation messages), SGI generation, IRQ/FIQ conditions.
module gic_cpuif
  import gic_regmap_pkg::*;
  import gic_bus_pkg::*;
  import gic_util_pkg::*;
#(
    parameter int CPU_ID = 0,
    parameter int NCPU = 2,
    parameter int PRIO_BITS = 8
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

  assign irq_cond = signalable(offv_q, offp_q, offg_q) && offg_q;
  assign fiq_cond = signalable(offv_q, offp_q, offg_q) && !offg_q;

  logic mine, is_iar, iar_grp, take;
  assign mine = (32'(acc.cpu) == CPU_ID);
  assign is_iar = acc.re && mine && (acc.id == REG_ICC_IAR0_EL1 || acc.id == REG_ICC_IAR1_EL1);
  assign iar_grp = (acc.id == REG_ICC_IAR1_EL1);
  assign take = is_iar && signalable(offv, offp, offg) && offg == iar_grp;
  assign ack = '{valid: take, cpu: acc.cpu, intid: offi, grp: offg};

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
      default: v = '0;
    endcase
    return v;
  endfunction

  always_comb begin
    acc_rdata = 64'h0;
    if (acc.re && mine) begin
      if (is_iar) acc_rdata = icc_iar0_el1_t'{intid: (take && ack_ok) ? 24'(offi) : 24'd1023, default: '0};
      else acc_rdata = rd(acc.id, acc.idx);
    end
  end
  assign dbg_rdata = (32'(dbg.cpu) == CPU_ID && dbg.id != REG_ICC_IAR0_EL1 && dbg.id != REG_ICC_IAR1_EL1) ?
                     rd(dbg.id, dbg.idx) : 64'h0;
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
  assign wid = eoir.intid;
  assign special = gic_special_intid(wid);
  assign is_eoi0 = acc.we && mine && acc.id == REG_ICC_EOIR0_EL1 && !special;
  assign is_eoi1 = acc.we && mine && acc.id == REG_ICC_EOIR1_EL1 && !special;
  assign is_dir = acc.we && mine && acc.id == REG_ICC_DIR_EL1 && !special;
  assign deact.valid = (((is_eoi0 || is_eoi1) && !eoim_q) || (is_dir && eoim_q)) && wid < 24'd1020;
  assign deact.cpu = acc.cpu;
  assign deact.intid = wid[9:0];

  always_comb begin
    logic [7:0] aff0;
    sgi.valid = acc.we && mine && (acc.id == REG_ICC_SGI0R_EL1 || acc.id == REG_ICC_SGI1R_EL1 ||
                                   acc.id == REG_ICC_ASGI1R_EL1);
    sgi.intid = sgir.intid;
    sgi.grp = (acc.id == REG_ICC_SGI1R_EL1);  // ASGI1R: Group 0 with one Security state (timing.md 4.9)
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
    pmr_d = pmr_q; bpr0_d = bpr0_q; bpr1_d = bpr1_q; cbpr_d = cbpr_q; eoim_d = eoim_q;
    en0_d = en0_q; en1_d = en1_q; ap0_d = ap0_q; ap1_d = ap1_q;
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
        default: ;
      endcase
    end
    // priority drop: the highest active priority, if it belongs to the EOI's group
    if (is_eoi0 && ap_top.any && ap0_q[AW'(ap_top.bit_idx)]) ap0_d[AW'(ap_top.bit_idx)] = 1'b0;
    if (is_eoi1 && ap_top.any && ap1_q[AW'(ap_top.bit_idx)]) ap1_d[AW'(ap_top.bit_idx)] = 1'b0;
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
