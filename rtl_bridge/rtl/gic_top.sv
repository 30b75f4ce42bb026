// gic_top.sv: GIC reference, GICv3 (single security state, DS=1, ARE=1) or, with GIC_VERSION = 2, GICv2 with the
// virtualization extensions (no Security Extensions, IHI0048B): register port, distributor, redistributors (GICv2:
// the banked SGI/PPI state of each CPU), prioritisers, physical and virtual CPU interfaces, input synchronisers,
// deactivation paths and output pins, timed as docs/timing.md (one clock, synchronous reset).
module gic_top
  import gic_regmap_pkg::*;
  import gic_mutants_pkg::*;
  import gic_bus_pkg::*;
#(
    parameter int GIC_VERSION = 3,        // 3: GICv3; 2: GICv2 (GICD_ITARGETSR/SGIR, GICC/GICH/GICV frames)
    parameter int NCPU = 2,               // 1..8
    parameter int NSPI = 64,              // 0..988
    parameter int NLR = 4,                // 1..16
    parameter int PRIO_BITS = 8,          // 4..8: distributor and redistributors
    parameter int CPU_PRIO_BITS = 5,      // 4..8: physical CPU interfaces (QEMU virt: 5, ICC_CTLR_EL1.PRIbits = 4)
    parameter int VPRIO_BITS = 5,         // 5..8
    parameter int VPRE_BITS = 5,          // 5..VPRIO_BITS
    parameter int MAINT_PPI = 25,         // 16..31, 0: not wired
    parameter bit ONE_OF_N = 1'b0,
    parameter logic [31:0] DIST_IIDR = 32'h43B,
    parameter logic [31:0] REDIST_IIDR = 32'h43B,
    parameter logic [31:0] CPU_IIDR = 32'h2043B,  // GICv2 GICC_IIDR / GICV_IIDR
    parameter int T_REQ = 2,
    parameter int T_RESP = 1,
    parameter int T_ACK = 2,
    parameter int T_LINE = 2,
    parameter int T_PRIO = 4,
    parameter int T_DELIVER = 2,
    parameter int T_DEACT = 2,
    parameter int T_HWDEACT = 4,
    parameter int T_MAINT = 1,
    parameter int T_OUT = 1,
    parameter int TEST_MUTANT = MUT_NONE,  // MUT_NONE, or a known bug for the "checks can fail" tests (gic_mutants_pkg.sv)
    localparam int W = ((32 + NSPI + 31) / 32) * 32
) (
    input  logic                 clk,
    input  logic                 rst,
    // register port: request
    input  logic                 req_valid,
    input  logic                 req_write,
    input  logic [3:0]           req_size,
    input  logic [2:0]           req_frame,
    input  logic [7:0]           req_cpu,
    input  logic [31:0]          req_offset,
    input  logic [63:0]          req_wdata,
    input  logic [15:0]          req_tag,
    // register port: responses (normal lane, acknowledge lane)
    output logic                 rsp_valid,
    output logic [15:0]          rsp_tag,
    output logic [63:0]          rsp_data,
    output logic [2:0]           rsp_status,
    output logic                 rsp_reserved,
    output logic                 ack_rsp_valid,
    output logic [15:0]          ack_rsp_tag,
    output logic [63:0]          ack_rsp_data,
    output logic [2:0]           ack_rsp_status,
    output logic                 ack_rsp_reserved,
    // interrupt inputs: level, and "rose during this cycle" (a pulse within a cycle: level 0, rise 1)
    input  logic [NSPI-1:0]      spi_lvl,
    input  logic [NSPI-1:0]      spi_rise,
    input  logic [NCPU*16-1:0]   ppi_lvl,     // CPU k, PPI 16+j at bit 16*k+j
    input  logic [NCPU*16-1:0]   ppi_rise,
    // outputs
    output logic [NCPU-1:0]      irq,
    output logic [NCPU-1:0]      fiq,
    output logic [NCPU-1:0]      virq,
    output logic [NCPU-1:0]      vfiq,
    output logic [NCPU-1:0]      maint,
    // debug read port (combinational, side-effect free, full register at its aligned offset)
    input  logic [2:0]           dbg_frame,
    input  logic [7:0]           dbg_cpu,
    input  logic [31:0]          dbg_offset,
    output logic                 dbg_found,
    output logic [63:0]          dbg_rdata,
    // Idle indication (AMBA Q-Channel QACTIVE-like; docs/rtl.md "Idle indication"). Contract: if after a clock edge
    // qactive = 0 while req_valid = 0, every spi_rise/ppi_rise = 0 and spi_lvl/ppi_lvl equal the previous cycle's, then
    // no flip-flop of the design changes at any later edge as long as the inputs stay so (a fixed point: a simulator
    // may stop clocking, a clock controller may gate clk). Conservative: 1 may mean "perhaps busy", 0 never lies.
    // Combinational from the inputs (req_valid, the rises, the levels against the first synchroniser stage).
    output logic                 qactive,
    // qactive without the response lanes: 0 means every flip-flop but the lanes' is at a fixed point; the lanes then
    // only deliver the responses already computed (at their cycles D) and return to 0 within T_ACK cycles. This is
    // the C kernel's "no event left" (gic_next_event() == GIC_CYCLE_NEVER), which computes a response at E.
    output logic                 qactive_core,
    // Trace (observation) port: pure wires from existing signals, read after the edge that ends cycle c-1. The obs_acc_*,
    // obs_deact_*, obs_hwdeact_* and obs_hwfwd_* values describe cycle c (what the next edge applies); the state
    // vectors are the state at the end of cycle c-1 (docs/rtl.md "Trace port").
    output logic                 obs_acc_valid,    // an access takes effect in c (E = I + T_REQ)
    output logic [15:0]          obs_acc_tag,
    output logic [63:0]          obs_acc_data,     // write: req_wdata as presented; read: the response's data
    output logic [2:0]           obs_acc_status,   // as rsp_status
    output logic                 obs_deact_valid,  // EOI/DIR deactivation applied in phase 4 of c
    output logic [7:0]           obs_deact_cpu,
    output logic [9:0]           obs_deact_intid,
    output logic                 obs_hwdeact_valid, // HW=1 list register deactivation applied in phase 4 of c
    output logic [7:0]           obs_hwdeact_cpu,
    output logic [9:0]           obs_hwdeact_intid,
    output logic                 obs_hwfwd_valid,  // a guest EOI/DIR of a HW=1 list register forwards in c
    output logic [7:0]           obs_hwfwd_cpu,
    output logic [9:0]           obs_hwfwd_pintid,
    output logic [31:0]          obs_hwfwd_vintid,
    output logic [3:0]           obs_hwfwd_lr,
    output logic [W-1:0]         obs_spi_pend,     // GICD_ISPENDR<n> at bits 32n (bits 0..31 zero)
    output logic [W-1:0]         obs_spi_act,      // GICD_ISACTIVER<n>
    output logic [NCPU*32-1:0]   obs_ppi_pend,     // GICR_ISPENDR0 of CPU k at bits 32k
    output logic [NCPU*32-1:0]   obs_ppi_act,      // GICR_ISACTIVER0
    output logic [NCPU*NLR*64-1:0] obs_lr,         // ICH_LR<n>_EL2 of CPU k at bits 64*(k*NLR+n)
    output logic [NCPU*8-1:0]    obs_misr,         // ICH_MISR_EL2[7:0]
    output logic [NCPU*5-1:0]    obs_eoicount,     // ICH_HCR_EL2.EOIcount
    output logic [NCPU*8-1:0]    obs_rpr,          // ICC_RPR_EL1
    output logic [NCPU*8-1:0]    obs_vrpr          // ICV_RPR_EL1
);
  localparam int PRE_BITS = (CPU_PRIO_BITS < 7) ? CPU_PRIO_BITS : 7;
  localparam int T_PD = T_PRIO + T_DELIVER;

  // ---------------- register port ----------------
  gic_req_t     req;
  gic_acc_req_t acc;
  logic [63:0]  acc_rdata;
  gic_rsp_t     rsp, ack_rsp;
  gic_eff_t     eff;
  logic         port_busy, lane_busy;
  assign req = '{valid: req_valid, write: req_write, size: req_size, frame: req_frame, cpu: req_cpu,
                 offset: req_offset, wdata: req_wdata, tag: req_tag};
  gic_regport #(.GIC_VERSION(GIC_VERSION), .NLR(NLR), .PRE_BITS(PRE_BITS), .VPRE_BITS(VPRE_BITS), .T_REQ(T_REQ),
                .T_RESP(T_RESP), .T_ACK(T_ACK)) u_port (
      .clk, .rst, .req, .acc, .acc_rdata, .rsp, .ack_rsp, .eff, .busy(port_busy), .lane_busy);
  assign {rsp_valid, rsp_tag, rsp_data, rsp_status, rsp_reserved} = rsp;
  assign {ack_rsp_valid, ack_rsp_tag, ack_rsp_data, ack_rsp_status, ack_rsp_reserved} = ack_rsp;
  assign {obs_acc_valid, obs_acc_tag, obs_acc_data, obs_acc_status} = eff;

  // Only the register identity of the debug decode is used (no size or access rules on the debug port).
  /* verilator lint_off UNUSEDSIGNAL */
  gic_reg_info_t dbg_info;
  /* verilator lint_on UNUSEDSIGNAL */
  gic_dbg_req_t  dbg;
  // The debug port's decode is evaluated whenever any input changes: one lookup per frame, with the frame a constant,
  // so that a simulation evaluates only that frame's part of the register map.
  always_comb begin
    if (GIC_VERSION == 2)
      unique case (dbg_frame)
        FRAME_GICD: dbg_info = gic_reg_lookup_v2(FRAME_GICD, dbg_offset);
        FRAME_GICC: dbg_info = gic_reg_lookup_v2(FRAME_GICC, dbg_offset);
        FRAME_GICH: dbg_info = gic_reg_lookup_v2(FRAME_GICH, dbg_offset);
        FRAME_GICV: dbg_info = gic_reg_lookup_v2(FRAME_GICV, dbg_offset);
        default: dbg_info = '0;
      endcase
    else unique case (dbg_frame)
      FRAME_GICD: dbg_info = gic_reg_lookup(FRAME_GICD, dbg_offset);
      FRAME_GICR_RD: dbg_info = gic_reg_lookup(FRAME_GICR_RD, dbg_offset);
      FRAME_GICR_SGI: dbg_info = gic_reg_lookup(FRAME_GICR_SGI, dbg_offset);
      FRAME_GICC: dbg_info = gic_reg_lookup(FRAME_GICC, dbg_offset);
      FRAME_GICH: dbg_info = gic_reg_lookup(FRAME_GICH, dbg_offset);
      FRAME_GICV: dbg_info = gic_reg_lookup(FRAME_GICV, dbg_offset);
      FRAME_SYSREG: dbg_info = gic_reg_lookup(FRAME_SYSREG, dbg_offset);
      FRAME_VSYSREG: dbg_info = gic_reg_lookup(FRAME_VSYSREG, dbg_offset);
    endcase
  end
  assign dbg_found = dbg_info.found;
  assign dbg = '{id: dbg_info.id, idx: dbg_info.idx, cpu: dbg_cpu};

  // ---------------- input synchronisers ----------------
  logic [W-1:0] spi_lvl_w, spi_rise_w, spi_lvl_s, spi_rise_s;
  logic         spi_sync_busy, spi_lsync_busy, spi_rsync_busy;
  always_comb begin
    spi_lvl_w = '0;
    spi_rise_w = '0;
    spi_lvl_w[32+:NSPI] = spi_lvl;
    spi_rise_w[32+:NSPI] = spi_rise;
  end
  // Levels and rises in separate lines for qactive: line_q takes the level one edge after it leaves (QREG), while a
  // rise acts only when 1, so its return to 0 needs no extra cycle.
  // Reset loads the pins' levels into the level synchronisers and line_q (timing.md 6: after gic_reset() the sampled
  // lines are the current pin levels; no line change follows).
  gic_delay #(.WIDTH(W), .DEPTH(T_LINE), .QREG(1'b1), .RST_D(1'b1)) u_spi_lsync (
      .clk, .rst, .d(spi_lvl_w), .q(spi_lvl_s), .busy(spi_lsync_busy));
  gic_delay #(.WIDTH(W), .DEPTH(T_LINE)) u_spi_rsync (
      .clk, .rst, .d(spi_rise_w), .q(spi_rise_s), .busy(spi_rsync_busy));
  assign spi_sync_busy = spi_lsync_busy || spi_rsync_busy;

  // ---------------- shared wires ----------------
  logic [W-1:0] d_ready, d_grp;
  logic [W-1:0][7:0]      d_prio;
  logic [NCPU-1:0][W-1:0] d_route;
  gic_rdata_t   rd_dist, rd_r[NCPU], rd_c[NCPU], rd_v[NCPU];
  logic [NCPU-1:0] r_ack_ok;
  logic [NCPU-1:0] cpu_busy;
  logic         dist_busy;
  logic         d_ack_ok;
  logic [1:0]   d_grp_en;
  gic_sgi_t     d_sgi;

  // the one access of this cycle comes from CPU acc.cpu: its interface's requests (a request without valid is 0)
  gic_ack_req_t ack_k[NCPU], ack;
  gic_sgi_t     sgi_k[NCPU], sgi;
  gic_deact_t   eoi_k[NCPU], eoi;
  gic_hwfwd_t   hwfwd_k[NCPU], hwfwd;
  logic [NCPU-1:0] ack_v, sgi_v, eoi_v, hwfwd_v;
  always_comb begin
    ack = '0; sgi = '0; eoi = '0; hwfwd = '0;
    for (int k = 0; k < NCPU; k++) begin
      ack_v[k] = ack_k[k].valid; sgi_v[k] = sgi_k[k].valid; eoi_v[k] = eoi_k[k].valid; hwfwd_v[k] = hwfwd_k[k].valid;
      if (ack_k[k].valid) ack = ack_k[k];
      if (sgi_k[k].valid) sgi = sgi_k[k];
      if (d_sgi.valid) sgi = d_sgi;  // GICv2 GICD_SGIR
      if (eoi_k[k].valid) eoi = eoi_k[k];
      if (hwfwd_k[k].valid) hwfwd = hwfwd_k[k];
    end
  end

  // ---------------- deactivation paths ----------------
  // a message without valid enters as 0 (no payload moves for other accesses: qactive)
  gic_deact_t eoi_msg, hw_msg;
  logic       deact_busy, hwdeact_busy;
  gic_delay #(.WIDTH($bits(gic_deact_t)), .DEPTH(T_DEACT)) u_deact (
      .clk, .rst, .d(eoi), .q(eoi_msg), .busy(deact_busy));
  gic_delay #(.WIDTH($bits(gic_deact_t)), .DEPTH(T_HWDEACT)) u_hwdeact (
      .clk, .rst, .d(hwfwd.valid ? gic_deact_t'{valid: 1'b1, cpu: hwfwd.cpu, intid: hwfwd.pintid} : '0),
      .q(hw_msg), .busy(hwdeact_busy));
  assign {obs_deact_valid, obs_deact_cpu, obs_deact_intid} = eoi_msg;
  assign {obs_hwdeact_valid, obs_hwdeact_cpu, obs_hwdeact_intid} = hw_msg;
  assign obs_hwfwd_valid = hwfwd.valid;
  assign obs_hwfwd_cpu = acc.cpu;
  assign obs_hwfwd_pintid = hwfwd.pintid;
  assign obs_hwfwd_vintid = hwfwd.vintid;
  assign obs_hwfwd_lr = hwfwd.lr;

  // ---------------- distributor ----------------
  gic_dist #(.GIC_VERSION(GIC_VERSION), .NCPU(NCPU), .NSPI(NSPI), .PRIO_BITS(PRIO_BITS), .ONE_OF_N(ONE_OF_N), .IIDR(DIST_IIDR),
             .T_PD(T_PD), .TEST_MUTANT(TEST_MUTANT)) u_dist (
      .clk, .rst, .acc, .dbg, .rdata(rd_dist),
      .line_lvl(spi_lvl_s), .line_rise(spi_rise_s), .line_rst(spi_lvl_w),
      .ack, .ack_ok(d_ack_ok), .deact(eoi_msg), .hwdeact(hw_msg),
      .ready(d_ready), .grp(d_grp), .prio(d_prio), .route(d_route), .grp_en(d_grp_en), .sgi(d_sgi),
      .pend(obs_spi_pend), .act(obs_spi_act), .busy(dist_busy));

  // ---------------- per CPU ----------------
  for (genvar k = 0; k < NCPU; k++) begin : g_cpu
    logic [31:0] r_ready, r_grp;
    logic [31:0][7:0] r_prio;
    logic [15:0][2:0] r_src;
    logic        r_sleep, grpen0, grpen1;
    logic        offer_msg;
    gic_hppi_t   offer;
    logic        irq_c, fiq_c, virq_c, vfiq_c, maint_c, maint_pre, maint_q;
    logic [31:0] ppi_lvl_w, ppi_rise_w, ppi_lvl_s, ppi_rise_s;
    logic        mpre_busy, ppi_lsync_busy, ppi_rsync_busy, ppi_sync_busy, redist_busy, prio_busy, out_busy;

    // MAINT pin: condition -> T_MAINT stages. The maintenance PPI's input is the OR of the pin and the PPI's external
    // wire (timing.md 4.8); within a cycle the external changes (given before the step) come before the MAINT
    // delivery of phase 1, so the OR rises if the wire rises while the pin is low, or the pin rises while the wire is low.
    gic_delay #(.WIDTH(1), .DEPTH(T_MAINT - 1)) u_mpre (.clk, .rst, .d(maint_c), .q(maint_pre), .busy(mpre_busy));
    always_ff @(posedge clk) maint_q <= rst ? 1'b0 : maint_pre;
    assign maint[k] = maint_q;

    always_comb begin
      ppi_lvl_w = {ppi_lvl[16*k+:16], 16'h0};
      ppi_rise_w = {ppi_rise[16*k+:16], 16'h0};
      if (MAINT_PPI >= 16 && MAINT_PPI < 32) begin
        ppi_lvl_w[MAINT_PPI] = (maint_pre && !rst) || ppi_lvl[16*k+MAINT_PPI-16];  // MAINT is 0 after reset
        ppi_rise_w[MAINT_PPI] = (ppi_rise[16*k+MAINT_PPI-16] && !maint_q) ||
                                (maint_pre && !maint_q && !ppi_lvl[16*k+MAINT_PPI-16]);
      end
    end
    gic_delay #(.WIDTH(32), .DEPTH(T_LINE), .QREG(1'b1), .RST_D(1'b1)) u_ppi_lsync (
        .clk, .rst, .d(ppi_lvl_w), .q(ppi_lvl_s), .busy(ppi_lsync_busy));
    gic_delay #(.WIDTH(32), .DEPTH(T_LINE)) u_ppi_rsync (
        .clk, .rst, .d(ppi_rise_w), .q(ppi_rise_s), .busy(ppi_rsync_busy));
    assign ppi_sync_busy = ppi_lsync_busy || ppi_rsync_busy;

    gic_redist #(.GIC_VERSION(GIC_VERSION), .CPU_ID(k), .NCPU(NCPU), .PRIO_BITS(PRIO_BITS), .IIDR(REDIST_IIDR), .T_PD(T_PD)) u_redist (
        .clk, .rst, .acc, .dbg, .rdata(rd_r[k]),
        .line_lvl(ppi_lvl_s), .line_rise(ppi_rise_s), .line_rst(ppi_lvl_w),
        .sgi, .d_grp_en, .ack, .ack_ok(r_ack_ok[k]), .deact(eoi_msg), .hwdeact(hw_msg), .ready(r_ready), .grp(r_grp),
        .prio(r_prio), .sleep(r_sleep), .src(r_src),
        .pend(obs_ppi_pend[32*k+:32]), .act(obs_ppi_act[32*k+:32]), .busy(redist_busy));

    gic_prio #(.NSPI(NSPI), .T_PRIO(T_PRIO), .T_DELIVER(T_DELIVER)) u_prio (
        .clk, .rst, .d_ready, .d_grp, .d_prio, .d_route(d_route[k]),
        .r_ready, .r_grp, .r_prio, .r_src, .r_sleep, .grpen0, .grpen1,
        .offer_msg, .offer, .busy(prio_busy));

    gic_cpuif #(.GIC_VERSION(GIC_VERSION), .CPU_ID(k), .NCPU(NCPU), .PRIO_BITS(CPU_PRIO_BITS), .IIDR(CPU_IIDR),
                .TEST_MUTANT(TEST_MUTANT)) u_cpuif (
        .clk, .rst, .acc, .dbg, .rdata(rd_c[k]), .offer_msg, .offer,
        .ack(ack_k[k]), .ack_ok(d_ack_ok || r_ack_ok[k]), .deact(eoi_k[k]), .sgi(sgi_k[k]), .grpen0, .grpen1, .irq_cond(irq_c), .fiq_cond(fiq_c), .obs_rpr(obs_rpr[8*k+:8]));

    gic_vcpuif #(.GIC_VERSION(GIC_VERSION), .CPU_ID(k), .NLR(NLR), .IIDR(CPU_IIDR), .VPRIO_BITS(VPRIO_BITS), .VPRE_BITS(VPRE_BITS), .TEST_MUTANT(TEST_MUTANT)) u_vcpuif (
        .clk, .rst, .acc, .dbg, .rdata(rd_v[k]), .hwdeact(hwfwd_k[k]), .virq_cond(virq_c), .vfiq_cond(vfiq_c), .maint_cond(maint_c),
        .obs_lr(obs_lr[64*NLR*k+:64*NLR]), .obs_misr(obs_misr[8*k+:8]), .obs_eoicount(obs_eoicount[5*k+:5]),
        .obs_vrpr(obs_vrpr[8*k+:8]));

    gic_delay #(.WIDTH(4), .DEPTH(T_OUT)) u_out (
        .clk, .rst, .d({irq_c, fiq_c, virq_c, vfiq_c}), .q({irq[k], fiq[k], virq[k], vfiq[k]}), .busy(out_busy));

    // Idle indication of this CPU's blocks: its delay lines, the MAINT flop (maint_q <= maint_pre, and through the
    // OR the maintenance PPI's synchroniser input), the RWP window of its redistributor and the prioritiser (an HPPI
    // differing from the last one sent, or a message in flight). Every other flip-flop of gic_redist, gic_cpuif and
    // gic_vcpuif changes only on an access (port), an acknowledge or SGI (port), a synchronised line (ppi sync), a
    // deactivation message (deact delays) or a delivered HPPI message (prio).
    // (MUT_QACTIVE, the known bug of the "checks can fail" test, forgets the prioritiser.)
    assign cpu_busy[k] = mpre_busy || (maint_q != maint_pre) || ppi_sync_busy || redist_busy ||
                         (prio_busy && TEST_MUTANT != MUT_QACTIVE) || out_busy;
  end

  // qactive: the OR of every source of change (docs/rtl.md "Idle indication" gives the argument): the inputs, the
  // register port's pipeline (and for qactive its response lanes), the SPI synchroniser, the deactivation paths, the distributor's RWP
  // window and the per-CPU blocks above.
  assign qactive_core = req_valid || (spi_rise != '0) || (ppi_rise != '0) || port_busy || spi_sync_busy ||
                        deact_busy || hwdeact_busy || dist_busy || (cpu_busy != '0);
  assign qactive = qactive_core || lane_busy;

  always_comb begin
    acc_rdata = rd_dist.acc;
    dbg_rdata = dbg_info.found ? rd_dist.dbg : 64'h0;
    for (int k = 0; k < NCPU; k++) begin
      acc_rdata |= rd_r[k].acc | rd_c[k].acc | rd_v[k].acc;
      if (dbg_info.found) dbg_rdata |= rd_r[k].dbg | rd_c[k].dbg | rd_v[k].dbg;
    end
  end

  // Invariant: one access per cycle, so at most one CPU interface asks for an acknowledge, an SGI or a
  // deactivation in a cycle.
  always_ff @(posedge clk)
    if (!rst) begin
      assert ($countones(ack_v) <= 1 && $countones(sgi_v) <= 1 && $countones(eoi_v) <= 1 &&
              $countones(hwfwd_v) <= 1)
        else $error("gic_top: two effects from one access");
      assert (!(d_ack_ok && (r_ack_ok != '0))) else $error("gic_top: acknowledge accepted twice");
    end
endmodule
