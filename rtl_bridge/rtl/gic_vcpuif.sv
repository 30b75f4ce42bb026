// gic_vcpuif.sv: GICv3 virtual CPU interface of one CPU: ICH_* control (HCR, VTR, VMCR, MISR, EISR, ELRSR, APRs,
// list registers) and the ICV_* guest view; HW=1 deactivations forwarded to the physical side; vIRQ/vFIQ/MAINT.
module gic_vcpuif
  import gic_regmap_pkg::*;
  import gic_mutants_pkg::*;
#(
    parameter int CPU_ID = 0,
    parameter int NLR = 4,
    parameter int VPRIO_BITS = 5,
    parameter int VPRE_BITS = 5,
    parameter int TEST_MUTANT = MUT_NONE  // gic_mutants_pkg.sv
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
    // deactivation of pINTID forwarded by a HW=1 list register
    output logic        hwdeact_valid,
    output logic [9:0]  hwdeact_intid,
    output logic [31:0] hwdeact_vintid,    // observation: the list register's vINTID and index
    output logic [3:0]  hwdeact_lr,
    output logic        virq_cond,
    output logic        vfiq_cond,
    output logic        maint_cond,
    // observation (state at the end of the previous cycle, as the registers read)
    output logic [NLR*64-1:0] obs_lr,      // ICH_LR<n>_EL2 at bits 64n
    output logic [7:0]  obs_misr,          // ICH_MISR_EL2
    output logic [4:0]  obs_eoicount,      // ICH_HCR_EL2.EOIcount
    output logic [7:0]  obs_vrpr           // ICV_RPR_EL1
);
  localparam int VAPB = 1 << VPRE_BITS;
  localparam int AW = $clog2(VAPB);
  localparam int LW = (NLR > 1) ? $clog2(NLR) : 1;
  localparam logic [2:0] VMIN0 = 3'(7 - VPRE_BITS);
  localparam logic [7:0] VPMASK = 8'(8'hFF << (8 - VPRIO_BITS));
  // TC, TALL0, TALL1 and TDIR are stored (VTR.TDS = 1); TSEI is RES0 (VTR.SEIS = 0): IHI0069H 12.4.6
  localparam logic [31:0] HCR_MASK = 32'hF800_5CFF;
  localparam logic [63:0] LR_MASK = 64'hF000_1FFF_FFFF_FFFF | ({56'h0, VPMASK} << 48);
  // TDS [19], nV4 [20], A3V [21], IDbits [25:23] = 1 (24-bit vINTIDs): IHI0069H 12.4.10
  localparam logic [31:0] VTR = 32'(NLR - 1) | (32'd1 << 19) | (32'd1 << 20) | (32'd1 << 21) | (32'd1 << 23) |
                                (32'(VPRE_BITS - 1) << 26) | (32'(VPRIO_BITS - 1) << 29);

  logic [31:0] hcr_q, hcr_d;
  logic veng0_q, veng0_d, veng1_q, veng1_d, vcbpr_q, vcbpr_d, veoim_q, veoim_d;
  logic [2:0] vbpr0_q, vbpr0_d, vbpr1_q, vbpr1_d;
  logic [7:0] vpmr_q, vpmr_d;
  logic [63:0] lr_q[NLR], lr_d[NLR];
  logic [VAPB-1:0] vap0_q, vap0_d, vap1_q, vap1_d;

  // ---- combinational views of the state ----
  logic           hp_found;
  logic [LW-1:0]  hp_idx;
  logic [7:0]     hp_prio;
  logic           hp_grp;
  logic [VAPB-1:0] vap_any;
  logic           vap_has;
  logic [7:0]     vap_bit;
  logic [7:0]     vrpr;
  logic [15:0]    eisr, elrsr;
  logic [7:0]     misr;
  logic [4:0]     nvalid;
  logic           any_pending;
  always_comb begin
    hp_found = 1'b0; hp_idx = '0; hp_prio = 8'hFF; hp_grp = 1'b0;
    eisr = '0; elrsr = '0; nvalid = '0; any_pending = 1'b0;
    for (int i = 0; i < NLR; i++) begin
      logic [1:0] st;
      st = lr_q[i][ICH_LR_EL2_STATE_MSB:ICH_LR_EL2_STATE_LSB];
      if (st == 2'b01 && (lr_q[i][ICH_LR_EL2_GROUP_LSB] ? veng1_q : veng0_q) && (!hp_found || lr_q[i][ICH_LR_EL2_PRIORITY_MSB:ICH_LR_EL2_PRIORITY_LSB] < hp_prio)) begin
        hp_found = 1'b1; hp_idx = LW'(i); hp_prio = lr_q[i][ICH_LR_EL2_PRIORITY_MSB:ICH_LR_EL2_PRIORITY_LSB]; hp_grp = lr_q[i][ICH_LR_EL2_GROUP_LSB];
      end
      if (st == 2'b01) any_pending = 1'b1;
      if (st != 2'b00) nvalid = nvalid + 5'd1;
      eisr[i] = st == 2'b00 && !lr_q[i][ICH_LR_EL2_HW_LSB] && lr_q[i][ICH_LR_EL2_EOI_LSB];
      elrsr[i] = st == 2'b00 && (lr_q[i][ICH_LR_EL2_HW_LSB] || !lr_q[i][ICH_LR_EL2_EOI_LSB]);
    end
    vap_any = vap0_q | vap1_q;
    vap_has = 1'b0;
    vap_bit = 8'd0;
    for (int b = VAPB - 1; b >= 0; b--)
      if (vap_any[b]) begin
        vap_has = 1'b1;
        vap_bit = 8'(b);
      end
    vrpr = vap_has ? 8'(vap_bit << (8 - VPRE_BITS)) : 8'hFF;
    misr[0] = eisr != 16'd0;
    misr[1] = hcr_q[1] && nvalid < 5'd2;
    misr[2] = hcr_q[2] && hcr_q[31:27] != 5'd0;
    misr[3] = hcr_q[3] && !any_pending;
    misr[4] = hcr_q[4] && veng0_q;
    misr[5] = hcr_q[5] && !veng0_q;
    misr[6] = hcr_q[6] && veng1_q;
    misr[7] = hcr_q[7] && !veng1_q;
  end

  function automatic logic [7:0] vgprio(input logic [7:0] p, input logic g);
    if (!g || vcbpr_q) return p & 8'(8'hFF << (32'(vbpr0_q) + 1));
    return p & 8'(8'hFF << vbpr1_q);
  endfunction

  logic vsig;
  assign vsig = hp_found && hcr_q[0] && hp_prio < vpmr_q && vgprio(hp_prio, hp_grp) < vrpr;
  assign virq_cond = vsig && hp_grp;
  assign vfiq_cond = vsig && !hp_grp;
  assign maint_cond = hcr_q[0] && misr != 8'd0;

  logic mine;
  assign mine = (32'(acc_cpu) == CPU_ID);

  function automatic logic [63:0] rd(input gic_reg_e id, input logic [9:0] n);
    logic [63:0] v;
    v = '0;
    unique case (id)
      REG_ICH_HCR_EL2: v[31:0] = hcr_q;
      REG_ICH_VTR_EL2: v[31:0] = VTR;
      REG_ICH_VMCR_EL2, REG_ICV_PMR_EL1, REG_ICV_BPR0_EL1, REG_ICV_BPR1_EL1, REG_ICV_CTLR_EL1,
      REG_ICV_IGRPEN0_EL1, REG_ICV_IGRPEN1_EL1: begin
        unique case (id)
          REG_ICH_VMCR_EL2: v[31:0] = {vpmr_q, vbpr0_q, vbpr1_q, 8'h0, veoim_q, 4'h0, vcbpr_q, 1'b1, 1'b0,
                                       veng1_q, veng0_q};
          REG_ICV_PMR_EL1: v[7:0] = vpmr_q;
          REG_ICV_BPR0_EL1: v[2:0] = vbpr0_q;
          REG_ICV_BPR1_EL1: v[2:0] = vcbpr_q ? ((vbpr0_q == 3'd7) ? 3'd7 : vbpr0_q + 3'd1) : vbpr1_q;
          REG_ICV_CTLR_EL1: v = 64'(32'((1 << 15) | (1 << 11) | ((VPRIO_BITS - 1) << 8))) | {62'h0, veoim_q, vcbpr_q};
          REG_ICV_IGRPEN0_EL1: v[0] = veng0_q;
          default: v[0] = veng1_q;
        endcase
      end
      REG_ICH_MISR_EL2: v[7:0] = misr;
      REG_ICH_EISR_EL2: v[15:0] = eisr;
      REG_ICH_ELRSR_EL2: v[15:0] = elrsr;
      REG_ICH_AP0R_EL2, REG_ICV_AP0R_EL1: if (32 * 32'(n) < VAPB) v[31:0] = 32'(vap0_q >> (32 * n));
      REG_ICH_AP1R_EL2, REG_ICV_AP1R_EL1: if (32 * 32'(n) < VAPB) v[31:0] = 32'(vap1_q >> (32 * n));
      REG_ICH_LR_EL2: if (32'(n) < NLR) v = lr_q[LW'(n)];
      REG_ICV_RPR_EL1: v[7:0] = vrpr;
      REG_ICV_HPPIR0_EL1, REG_ICV_HPPIR1_EL1:
        v = (hp_found && hp_grp == (id == REG_ICV_HPPIR1_EL1) && hp_prio < vpmr_q) ?
            {40'h0, lr_q[hp_idx][ICH_LR_EL2_VINTID_LSB + ICV_IAR1_EL1_INTID_MSB:ICH_LR_EL2_VINTID_LSB]} : 64'd1023;
      default: v = '0;
    endcase
    return v;
  endfunction

  logic is_viar, vtake;
  assign is_viar = acc_re && mine && (acc_id == REG_ICV_IAR0_EL1 || acc_id == REG_ICV_IAR1_EL1);
  assign vtake = is_viar && vsig && hp_grp == (acc_id == REG_ICV_IAR1_EL1);

  always_comb begin
    acc_rdata = 64'h0;
    if (acc_re && mine) begin
      if (is_viar) acc_rdata = vtake ? {40'h0, lr_q[hp_idx][ICH_LR_EL2_VINTID_LSB + ICV_IAR1_EL1_INTID_MSB:ICH_LR_EL2_VINTID_LSB]} : 64'd1023;
      else acc_rdata = rd(acc_id, acc_idx);
    end
  end
  assign dbg_rdata = (32'(dbg_cpu) == CPU_ID && dbg_id != REG_ICV_IAR0_EL1 && dbg_id != REG_ICV_IAR1_EL1) ?
                     rd(dbg_id, dbg_idx) : 64'h0;

  // ---- virtual EOI / DIR ----
  logic [23:0] wid;
  logic special, is_veoi0, is_veoi1, is_vdir, vdeact, vdrop, vcount;
  logic        dl_found;
  logic [LW-1:0] dl_idx;
  assign wid = acc_wdata[23:0];
  assign special = (wid >= 24'd1020 && wid <= 24'd1023);
  assign is_veoi0 = acc_we && mine && acc_id == REG_ICV_EOIR0_EL1 && !special;
  assign is_veoi1 = acc_we && mine && acc_id == REG_ICV_EOIR1_EL1 && !special;
  assign is_vdir = acc_we && mine && acc_id == REG_ICV_DIR_EL1 && !special;
  assign vdeact = ((is_veoi0 || is_veoi1) && !veoim_q) || (is_vdir && veoim_q);
  // the EOI clears a virtual active-priority bit: the highest one, if it is of the EOI's group
  assign vdrop = vap_has && ((is_veoi0 && vap0_q[AW'(vap_bit)]) || (is_veoi1 && vap1_q[AW'(vap_bit)]));
  // EOIcount (IHI0069H 12.4.6; timing.md 4.6): a deactivation of a vINTID in no list register counts if it is a
  // DIR, or an EOI that dropped a priority; an EOI with nothing (of its group) active changes nothing
  // (MUT_EOICOUNT_NO_DROP, the old rule, for the "checks can fail" test: every unlisted EOI counts.)
  assign vcount = vdeact && !dl_found && (is_vdir || vdrop || TEST_MUTANT == MUT_EOICOUNT_NO_DROP);
  always_comb begin
    dl_found = 1'b0;
    dl_idx = '0;
    for (int i = NLR - 1; i >= 0; i--)
      if (lr_q[i][ICH_LR_EL2_STATE_MSB:ICH_LR_EL2_STATE_LSB] != 2'b00 && lr_q[i][ICH_LR_EL2_VINTID_MSB:ICH_LR_EL2_VINTID_LSB] == {8'h0, wid}) begin
        dl_found = 1'b1;
        dl_idx = LW'(i);
      end
  end
  assign hwdeact_valid = vdeact && dl_found && lr_q[dl_idx][ICH_LR_EL2_STATE_MSB] && lr_q[dl_idx][ICH_LR_EL2_HW_LSB] &&
                         lr_q[dl_idx][ICH_LR_EL2_PINTID_MSB:ICH_LR_EL2_PINTID_LSB] < 13'd1020;
  assign hwdeact_intid = lr_q[dl_idx][ICH_LR_EL2_PINTID_LSB + 9:ICH_LR_EL2_PINTID_LSB];
  assign hwdeact_vintid = lr_q[dl_idx][ICH_LR_EL2_VINTID_MSB:ICH_LR_EL2_VINTID_LSB];
  assign hwdeact_lr = 4'(dl_idx);
  always_comb for (int i = 0; i < NLR; i++) obs_lr[64*i+:64] = lr_q[i];
  assign obs_misr = misr;
  assign obs_eoicount = hcr_q[31:27];
  assign obs_vrpr = vrpr;

  always_comb begin
    logic [7:0] gp;
    hcr_d = hcr_q; veng0_d = veng0_q; veng1_d = veng1_q; vcbpr_d = vcbpr_q; veoim_d = veoim_q;
    vbpr0_d = vbpr0_q; vbpr1_d = vbpr1_q; vpmr_d = vpmr_q; lr_d = lr_q; vap0_d = vap0_q; vap1_d = vap1_q;
    gp = vgprio(hp_prio, hp_grp);
    if (acc_we && mine) begin
      unique case (acc_id)
        REG_ICH_HCR_EL2: hcr_d = acc_wdata[31:0] & HCR_MASK;
        REG_ICH_VMCR_EL2: begin
          veng0_d = acc_wdata[0];
          veng1_d = acc_wdata[1];
          vcbpr_d = acc_wdata[4];
          veoim_d = acc_wdata[9];
          vbpr1_d = (acc_wdata[20:18] > VMIN0 + 3'd1) ? acc_wdata[20:18] : VMIN0 + 3'd1;
          vbpr0_d = (acc_wdata[23:21] > VMIN0) ? acc_wdata[23:21] : VMIN0;
          vpmr_d = acc_wdata[31:24] & VPMASK;
        end
        REG_ICV_PMR_EL1: vpmr_d = acc_wdata[7:0] & VPMASK;
        REG_ICV_BPR0_EL1: vbpr0_d = (acc_wdata[2:0] > VMIN0) ? acc_wdata[2:0] : VMIN0;
        REG_ICV_BPR1_EL1: if (!vcbpr_q) vbpr1_d = (acc_wdata[2:0] > VMIN0 + 3'd1) ? acc_wdata[2:0] : VMIN0 + 3'd1;
        REG_ICV_CTLR_EL1: begin
          vcbpr_d = acc_wdata[0];
          veoim_d = acc_wdata[1];
        end
        REG_ICV_IGRPEN0_EL1: veng0_d = acc_wdata[0];
        REG_ICV_IGRPEN1_EL1: veng1_d = acc_wdata[0];
        REG_ICH_AP0R_EL2, REG_ICV_AP0R_EL1:
          for (int b = 0; b < 32; b++) if (32 * 32'(acc_idx) + b < VAPB) vap0_d[32*acc_idx+b] = acc_wdata[b];
        REG_ICH_AP1R_EL2, REG_ICV_AP1R_EL1:
          for (int b = 0; b < 32; b++) if (32 * 32'(acc_idx) + b < VAPB) vap1_d[32*acc_idx+b] = acc_wdata[b];
        REG_ICH_LR_EL2: if (32'(acc_idx) < NLR) lr_d[LW'(acc_idx)] = acc_wdata & LR_MASK;
        default: ;
      endcase
    end
    // virtual acknowledge: pending -> active, virtual active-priority bit set
    if (vtake) begin
      lr_d[hp_idx][ICH_LR_EL2_STATE_MSB:ICH_LR_EL2_STATE_LSB] = 2'b10;
      if (hp_grp) vap1_d[AW'(gp >> (8 - VPRE_BITS))] = 1'b1;
      else vap0_d[AW'(gp >> (8 - VPRE_BITS))] = 1'b1;
    end
    // virtual priority drop
    if (vdrop && is_veoi0) vap0_d[AW'(vap_bit)] = 1'b0;
    if (vdrop && is_veoi1) vap1_d[AW'(vap_bit)] = 1'b0;
    // virtual deactivation: the LR loses its active state; none holds the vINTID: EOIcount + 1 (vcount)
    if (vcount) hcr_d[ICH_HCR_EL2_EOICOUNT_MSB:ICH_HCR_EL2_EOICOUNT_LSB] =
        hcr_q[ICH_HCR_EL2_EOICOUNT_MSB:ICH_HCR_EL2_EOICOUNT_LSB] + 5'd1;
    if (vdeact && dl_found) begin
      // the active bit goes; a pending one stays (MUT_LR_DEACT, the known bug of the "checks can fail" test,
      // clears the whole State)
      if (lr_q[dl_idx][ICH_LR_EL2_STATE_MSB]) begin
        lr_d[dl_idx][ICH_LR_EL2_STATE_MSB] = 1'b0;
        if (TEST_MUTANT == MUT_LR_DEACT) lr_d[dl_idx][ICH_LR_EL2_STATE_LSB] = 1'b0;
      end
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      hcr_q <= '0; veng0_q <= 1'b0; veng1_q <= 1'b0; vcbpr_q <= 1'b0; veoim_q <= 1'b0;
      vbpr0_q <= VMIN0; vbpr1_q <= VMIN0 + 3'd1; vpmr_q <= '0;
      lr_q <= '{default: '0};
      vap0_q <= '0; vap1_q <= '0;
    end else begin
      hcr_q <= hcr_d; veng0_q <= veng0_d; veng1_q <= veng1_d; vcbpr_q <= vcbpr_d; veoim_q <= veoim_d;
      vbpr0_q <= vbpr0_d; vbpr1_q <= vbpr1_d; vpmr_q <= vpmr_d; lr_q <= lr_d; vap0_q <= vap0_d; vap1_q <= vap1_d;
    end
  end

  // Invariant (SEMANTICS A2): the hardware never puts a HW=1 list register in the pending+active state.
  always_ff @(posedge clk)
    if (!rst && (vtake || vdeact))
      for (int i = 0; i < NLR; i++)
        assert (!(lr_d[i][ICH_LR_EL2_HW_LSB] && lr_d[i][ICH_LR_EL2_STATE_MSB:ICH_LR_EL2_STATE_LSB] == 2'b11 && lr_q[i][ICH_LR_EL2_STATE_MSB:ICH_LR_EL2_STATE_LSB] != 2'b11))
          else $error("gic_vcpuif: HW=1 LR%0d made pending+active by the hardware", i);
endmodule
