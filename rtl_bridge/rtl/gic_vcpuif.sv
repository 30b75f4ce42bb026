// gic_vcpuif.sv: virtual CPU interface of one CPU: control (HCR, VTR, VMCR, MISR, EISR, ELRSR, APRs, list registers)
// and the guest view; HW=1 deactivations forwarded to the physical side; vIRQ/vFIQ/MAINT. GICv3: ICH_* and ICV_*
// system registers. GICv2 (GIC_VERSION = 2): the memory-mapped GICH_* and GICV_* frames (IHI0048B 5.3, 5.4); the
// list registers are held in the ICH_LR_EL2 layout (GICH_LR[19:10] at ICH_LR[41:32], so EOI is bit 41 in both and an
// SGI's CPUID lies at [34:32]), which is also the trace port's.
module gic_vcpuif
  import gic_regmap_pkg::*;
  import gic_mutants_pkg::*;
  import gic_bus_pkg::*;
  import gic_util_pkg::*;
#(
    parameter int GIC_VERSION = 3,
    parameter int CPU_ID = 0,
    parameter int NLR = 4,
    parameter logic [31:0] IIDR = 32'h2043B,  // GICV_IIDR (GICv2)
    parameter int VPRIO_BITS = 5,
    parameter int VPRE_BITS = 5,
    parameter int TEST_MUTANT = MUT_NONE  // gic_mutants_pkg.sv
) (
    input  logic              clk,
    input  logic              rst,
    input  gic_acc_req_t      acc,           // ICH_*/ICV_* access in its effect cycle (CPU CPU_ID's only)
    input  gic_dbg_req_t      dbg,
    output gic_rdata_t        rdata,
    output gic_hwfwd_t        hwdeact,       // deactivation of pINTID forwarded by a HW=1 list register
    output logic              virq_cond,
    output logic              vfiq_cond,
    output logic              maint_cond,
    // observation (state at the end of the previous cycle, as the registers read)
    output logic [NLR*64-1:0] obs_lr,        // ICH_LR<n>_EL2 at bits 64n
    output logic [7:0]        obs_misr,      // ICH_MISR_EL2
    output logic [4:0]        obs_eoicount,  // ICH_HCR_EL2.EOIcount
    output logic [7:0]        obs_vrpr       // ICV_RPR_EL1
);
  logic [63:0] acc_rdata, dbg_rdata;
  assign rdata = '{acc: acc_rdata, dbg: dbg_rdata};
  localparam int VAPB = 1 << VPRE_BITS;
  localparam int AW = $clog2(VAPB);
  localparam int LW = (NLR > 1) ? $clog2(NLR) : 1;
  localparam logic [2:0] VMIN0 = 3'(7 - VPRE_BITS);
  localparam logic [7:0] VPMASK = 8'(8'hFF << (8 - VPRIO_BITS));
  localparam bit V2 = (GIC_VERSION == 2);
  localparam int VAPW = (VAPB + 31) / 32;
  // TC, TALL0, TALL1 and TDIR are stored (VTR.TDS = 1); TSEI is RES0 (VTR.SEIS = 0); vSGIEOICount and DVIM are
  // not stored either: IHI0069H 12.4.6
  localparam ich_hcr_el2_t HCR_MASK3 = '{eoicount: '1, tdir: 1'b1, tall1: 1'b1, tall0: 1'b1, tc: 1'b1,
                                         vgrp1die: 1'b1, vgrp1eie: 1'b1, vgrp0die: 1'b1, vgrp0eie: 1'b1, npie: 1'b1,
                                         lrenpie: 1'b1, uie: 1'b1, en: 1'b1, default: '0};
  // GICH_HCR (IHI0048B 5.3.2): the same bits but the GICv3 traps
  localparam gich_hcr_t HCR_MASK2 = '{eoicount: '1, vgrp1die: 1'b1, vgrp1eie: 1'b1, vgrp0die: 1'b1, vgrp0eie: 1'b1,
                                      npie: 1'b1, lrenpie: 1'b1, uie: 1'b1, en: 1'b1, default: '0};
  localparam logic [63:0] HCR_MASK = V2 ? 64'(HCR_MASK2) : 64'(HCR_MASK3);
  // ICH_LR<n>_EL2 stores State, HW, Group, the implemented Priority bits, pINTID (with EOI) and vINTID; NMI is RES0
  localparam logic [63:0] LR_MASK = ICH_LR_EL2_STATE_MASK | ICH_LR_EL2_HW_MASK | ICH_LR_EL2_GROUP_MASK |
                                    ({56'h0, VPMASK} << ICH_LR_EL2_PRIORITY_LSB) | ICH_LR_EL2_PINTID_MASK |
                                    ICH_LR_EL2_VINTID_MASK;
  // TDS = 1, nV4 = 1, A3V = 1, IDbits = 1 (24-bit vINTIDs): IHI0069H 12.4.10
  localparam ich_vtr_el2_t VTR = '{pribits: 3'(VPRIO_BITS - 1), prebits: 3'(VPRE_BITS - 1), idbits: 3'd1, a3v: 1'b1,
                                   nv4: 1'b1, tds: 1'b1, listregs: 5'(NLR - 1), default: '0};
  localparam gich_vtr_t VTR2 = '{pribits: 3'(VPRIO_BITS - 1), prebits: 3'(VPRE_BITS - 1), listregs: 6'(NLR - 1),
                                 default: '0};

  // GICH_LR<n> (IHI0048B 5.3.9) <-> the ICH_LR_EL2 layout held: State, HW, Grp1, Priority[27:23] as the top five
  // priority bits, PhysicalID[19:10] (HW=0: EOI at 19, an SGI's CPUID at [12:10]), VirtualID.
  /* verilator lint_off UNUSEDSIGNAL */
  function automatic logic [63:0] lr_from_v2(input logic [31:0] v);
    return {v[29:28], v[31], v[30], 4'h0, v[27:23], 3'h0, 6'h0, v[19:10], 22'h0, v[9:0]};
  endfunction
  function automatic logic [31:0] lr_to_v2(input logic [63:0] l);
    return {l[61], l[60], l[63:62], l[55:51], 3'h0, l[41:32], l[9:0]};
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  ich_hcr_el2_t hcr_q, hcr_d;
  logic veng0_q, veng0_d, veng1_q, veng1_d, vcbpr_q, vcbpr_d, veoim_q, veoim_d;
  logic vackctl_q, vackctl_d, vfiqen_q, vfiqen_d;  // GICv2 GICV_CTLR.AckCtl, FIQEn (GICv3: VFIQEn RES1)
  logic [2:0] vbpr0_q, vbpr0_d, vbpr1_q, vbpr1_d;
  logic [7:0] vpmr_q, vpmr_d;
  logic [63:0] lr_q[NLR], lr_d[NLR];
  logic [VAPB-1:0] vap0_q, vap0_d, vap1_q, vap1_d;

  // ---- combinational views of the state ----
  logic           hp_found;
  logic [LW-1:0]  hp_idx;
  logic [7:0]     hp_prio;
  logic           hp_grp;
  gic_ap_top_t    vap_top;       // highest virtual active priority: the lowest set bit of AP0R|AP1R
  logic [7:0]     vrpr;
  logic [15:0]    eisr, elrsr;
  ich_misr_el2_t  misr;
  logic [4:0]     nvalid;
  logic           any_pending;
  logic [23:0]    hp_vintid;     // the vINTID of the highest-priority pending LR, as ICV_IAR1_EL1.INTID returns it
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
    vap_top = gic_ap_top(128'(vap0_q) | 128'(vap1_q));
    vrpr = gic_rpr(vap_top, VPRE_BITS);
    misr = '0;
    misr.eoi = eisr != 16'd0;
    misr.u = hcr_q.uie && nvalid < 5'd2;
    misr.lrenp = hcr_q.lrenpie && hcr_q.eoicount != 5'd0;
    misr.np = hcr_q.npie && !any_pending;
    misr.vgrp0e = hcr_q.vgrp0eie && veng0_q;
    // (MUT_MISR_VGRP0D, a known bug for the "checks can fail" test: the Group 1 enable)
    misr.vgrp0d = hcr_q.vgrp0die && !((TEST_MUTANT == MUT_MISR_VGRP0D) ? veng1_q : veng0_q);
    misr.vgrp1e = hcr_q.vgrp1eie && veng1_q;
    misr.vgrp1d = hcr_q.vgrp1die && !veng1_q;
  end

  assign hp_vintid = lr_q[hp_idx][ICH_LR_EL2_VINTID_LSB + ICV_IAR1_EL1_INTID_MSB:ICH_LR_EL2_VINTID_LSB];
  // GICv2: GICV_IAR/HPPIR with the source CPUID of a virtual SGI (HW=0 list register, IHI0048B 5.3.9)
  function automatic logic [31:0] v2_vid(input logic [63:0] l);
    return gicc_iar_t'{cpuid: (l[9:0] < 10'd16 && !l[ICH_LR_EL2_HW_LSB]) ? l[34:32] : 3'd0, interruptid: l[9:0],
                       default: '0};
  endfunction

  logic vsig;
  assign vsig = hp_found && hcr_q.en && hp_prio < vpmr_q && gic_group_prio(hp_prio, hp_grp, vcbpr_q, vbpr0_q, vbpr1_q) < vrpr;
  assign virq_cond = vsig && (hp_grp || !vfiqen_q);
  assign vfiq_cond = vsig && !hp_grp && vfiqen_q;
  assign maint_cond = hcr_q.en && misr != '0;

  logic mine;
  assign mine = (32'(acc.cpu) == CPU_ID);

  // The GICv2 frames (IHI0048B 5.3 GICH_*, 5.4 GICV_*).
  function automatic logic [31:0] rd2(input gic_reg_e id, input logic [9:0] n);
    logic [31:0] v;
    v = '0;
    unique case (id)
      REG_GICH_HCR: v = hcr_q[31:0];
      REG_GICH_VTR: v = VTR2;
      REG_GICH_VMCR: v = gich_vmcr_t'{vmprimask: vpmr_q[7:3], vmbp: vbpr0_q, vmabp: vbpr1_q, vem: veoim_q,
                                      vmcbpr: vcbpr_q, vmfiqen: vfiqen_q, vmackctl: vackctl_q, vmgrp1en: veng1_q,
                                      vmgrp0en: veng0_q, default: '0};
      REG_GICH_MISR: v = 32'(misr[7:0]);
      REG_GICH_EISR: if (n == 10'd0) v = 32'(eisr);
      REG_GICH_ELRSR: if (n == 10'd0) v = 32'(elrsr);
      // GICH_APR / GICV_APR<n>: the virtual active priorities of both groups (5.3.8)
      REG_GICH_APR: v = 32'(vap0_q) | 32'(vap1_q);
      REG_GICV_APR: if (32'(n) < VAPW) v = 32'(vap0_q >> (32 * n)) | 32'(vap1_q >> (32 * n));
      REG_GICH_LR: if (32'(n) < NLR) v = lr_to_v2(lr_q[LW'(n)]);
      REG_GICV_CTLR: v = gicv_ctlr_t'{eoimode: veoim_q, cbpr: vcbpr_q, fiqen: vfiqen_q, ackctl: vackctl_q,
                                      enablegrp1: veng1_q, enablegrp0: veng0_q, default: '0};
      REG_GICV_PMR: v = gicv_pmr_t'{priority_f: vpmr_q, default: '0};
      REG_GICV_BPR: v = gicv_bpr_t'{binary_point: vbpr0_q, default: '0};
      REG_GICV_ABPR: v = gicv_abpr_t'{binary_point: vbpr1_q, default: '0};  // as GICC_ABPR
      REG_GICV_RPR: v = gicv_rpr_t'{priority_f: vrpr, default: '0};
      // GICV_HPPIR: Group 1 with AckCtl = 0 reads 1022; GICV_AHPPIR: Group 1 only (4.4.7, 4.4.11)
      REG_GICV_HPPIR:
        v = (hp_found && hp_prio < vpmr_q) ? ((hp_grp && !vackctl_q) ? 32'd1022 : v2_vid(lr_q[hp_idx])) : 32'd1023;
      REG_GICV_AHPPIR: v = (hp_found && hp_grp && hp_prio < vpmr_q) ? v2_vid(lr_q[hp_idx]) : 32'd1023;
      REG_GICV_IIDR: v = IIDR;
      default: v = '0;
    endcase
    return v;
  endfunction

  function automatic logic [63:0] rd(input gic_reg_e id, input logic [9:0] n);
    logic [63:0] v;
    v = '0;
    unique case (id)
      REG_ICH_HCR_EL2: v = hcr_q;
      REG_ICH_VTR_EL2: v = VTR;
      REG_ICH_VMCR_EL2, REG_ICV_PMR_EL1, REG_ICV_BPR0_EL1, REG_ICV_BPR1_EL1, REG_ICV_CTLR_EL1,
      REG_ICV_IGRPEN0_EL1, REG_ICV_IGRPEN1_EL1: begin
        unique case (id)
          // VFIQEn is RES1, VAckCtl RES0 (a system-register-only virtual interface): IHI0069H 12.4.11
          REG_ICH_VMCR_EL2: v = ich_vmcr_el2_t'{vpmr: vpmr_q, vbpr0: vbpr0_q, vbpr1: vbpr1_q, veoim: veoim_q,
                                                vcbpr: vcbpr_q, vfiqen: 1'b1, veng1: veng1_q, veng0: veng0_q,
                                                default: '0};
          REG_ICV_PMR_EL1: v = icv_pmr_el1_t'{priority_f: vpmr_q, default: '0};
          REG_ICV_BPR0_EL1: v = icv_bpr0_el1_t'{binarypoint: vbpr0_q, default: '0};
          REG_ICV_BPR1_EL1:
            v = icv_bpr1_el1_t'{binarypoint: gic_bpr1_read(vcbpr_q, vbpr0_q, vbpr1_q), default: '0};
          // A3V = 1, IDbits = 1 (24-bit INTIDs), PRIbits = virtual priority bits - 1: IHI0069H 12.3.5
          REG_ICV_CTLR_EL1: v = icv_ctlr_el1_t'{a3v: 1'b1, idbits: 3'd1, pribits: 3'(VPRIO_BITS - 1),
                                               eoimode: veoim_q, cbpr: vcbpr_q, default: '0};
          REG_ICV_IGRPEN0_EL1: v = icv_igrpen0_el1_t'{enable: veng0_q, default: '0};
          default: v = icv_igrpen1_el1_t'{enable: veng1_q, default: '0};
        endcase
      end
      REG_ICH_MISR_EL2: v = misr;
      REG_ICH_EISR_EL2: v = ich_eisr_el2_t'{status: eisr, default: '0};
      REG_ICH_ELRSR_EL2: v = ich_elrsr_el2_t'{status: elrsr, default: '0};
      REG_ICH_AP0R_EL2, REG_ICV_AP0R_EL1:  // one layout
        if (32 * 32'(n) < VAPB) v = ich_ap0r_el2_t'{active_priorities: 32'(vap0_q >> (32 * n)), default: '0};
      REG_ICH_AP1R_EL2, REG_ICV_AP1R_EL1:
        if (32 * 32'(n) < VAPB) v = ich_ap1r_el2_t'{active_priorities: 32'(vap1_q >> (32 * n)), default: '0};
      REG_ICH_LR_EL2: if (32'(n) < NLR) v = lr_q[LW'(n)];
      REG_ICV_RPR_EL1: v = icv_rpr_el1_t'{priority_f: vrpr, default: '0};
      REG_ICV_HPPIR0_EL1, REG_ICV_HPPIR1_EL1:  // one layout
        v = icv_hppir0_el1_t'{intid: (hp_found && hp_grp == (id == REG_ICV_HPPIR1_EL1) && hp_prio < vpmr_q) ?
                                     hp_vintid : 24'd1023, default: '0};
      default: v = V2 ? {32'h0, rd2(id, n)} : '0;
    endcase
    return v;
  endfunction

  // GICv2 acknowledge (IHI0048B 5.4, 4.4.4): GICV_IAR takes Group 0, and Group 1 with AckCtl = 1 (otherwise 1022);
  // GICV_AIAR takes Group 1.
  logic is_viar, vtake, vtake_grp, v2_1022;
  assign is_viar = acc.re && mine && (acc.id == REG_ICV_IAR0_EL1 || acc.id == REG_ICV_IAR1_EL1 ||
                                      acc.id == REG_GICV_IAR || acc.id == REG_GICV_AIAR);
  assign vtake_grp = (acc.id == REG_GICV_IAR) ? (!hp_grp || vackctl_q) :
                     (hp_grp == (acc.id == REG_ICV_IAR1_EL1 || acc.id == REG_GICV_AIAR));
  assign vtake = is_viar && vsig && vtake_grp;
  assign v2_1022 = acc.id == REG_GICV_IAR && vsig && hp_grp && !vackctl_q;

  always_comb begin
    acc_rdata = 64'h0;
    if (acc.re && mine) begin
      if (is_viar && V2) acc_rdata = {32'h0, vtake ? v2_vid(lr_q[hp_idx]) : v2_1022 ? 32'd1022 : 32'd1023};
      else if (is_viar) acc_rdata = icv_iar0_el1_t'{intid: vtake ? hp_vintid : 24'd1023, default: '0};  // IAR1: same
      else acc_rdata = rd(acc.id, acc.idx);
    end
  end
  assign dbg_rdata = (32'(dbg.cpu) == CPU_ID && dbg.id != REG_ICV_IAR0_EL1 && dbg.id != REG_ICV_IAR1_EL1 &&
                      dbg.id != REG_GICV_IAR && dbg.id != REG_GICV_AIAR) ? rd(dbg.id, dbg.idx) : 64'h0;
  // system registers are written whole (8-byte accesses only)
  logic unused_wmask;
  assign unused_wmask = ^acc.wmask;

  // ---- virtual EOI / DIR ----
  logic [23:0] wid;
  logic [2:0]  wcpu;  // GICv2: the SGI source CPUID of GICV_EOIR/AEOIR/DIR
  logic special, is_veoi0, is_veoi1, is_veoi2, is_vdir, vdeact, vdrop, vcount;
  logic        dl_found;
  logic [LW-1:0] dl_idx;
  // EOIR1, DIR: the same field; GICv2: GICV_EOIR.EOIINTID[9:0] and CPUID[12:10] (IHI0048B 5.4)
  assign wid = V2 ? 24'(acc.wdata[GICC_EOIR_EOIINTID_MSB:GICC_EOIR_EOIINTID_LSB]) :
                    acc.wdata[ICV_EOIR0_EL1_INTID_MSB:ICV_EOIR0_EL1_INTID_LSB];
  assign wcpu = acc.wdata[GICC_EOIR_CPUID_MSB:GICC_EOIR_CPUID_LSB];
  assign special = gic_special_intid(wid);
  assign is_veoi0 = acc.we && mine && acc.id == REG_ICV_EOIR0_EL1 && !special;
  assign is_veoi1 = acc.we && mine && acc.id == REG_ICV_EOIR1_EL1 && !special;
  assign is_veoi2 = acc.we && mine && (acc.id == REG_GICV_EOIR || acc.id == REG_GICV_AEOIR) && !special;
  assign is_vdir = acc.we && mine && (acc.id == REG_ICV_DIR_EL1 || acc.id == REG_GICV_DIR) && !special;
  assign vdeact = ((is_veoi0 || is_veoi1 || is_veoi2) && !veoim_q) || (is_vdir && veoim_q);
  // the EOI clears a virtual active-priority bit: the highest one, if it is of the EOI's group (GICv2: either)
  assign vdrop = vap_top.any && ((is_veoi0 && vap0_q[AW'(vap_top.bit_idx)]) ||
                                 (is_veoi1 && vap1_q[AW'(vap_top.bit_idx)]) || is_veoi2);
  // EOIcount (IHI0069H 12.4.6; timing.md 4.6): a deactivation of a vINTID in no list register counts if it is a
  // DIR, or an EOI that dropped a priority; an EOI with nothing (of its group) active changes nothing
  // (MUT_EOICOUNT_NO_DROP, the old rule, for the "checks can fail" test: every unlisted EOI counts.)
  assign vcount = vdeact && !dl_found && (is_vdir || vdrop || TEST_MUTANT == MUT_EOICOUNT_NO_DROP);
  always_comb begin
    dl_found = 1'b0;
    dl_idx = '0;
    for (int i = NLR - 1; i >= 0; i--)
      // (GICv2: a virtual SGI's list register also names the source CPUID, timing.md 4.6)
      if (lr_q[i][ICH_LR_EL2_STATE_MSB:ICH_LR_EL2_STATE_LSB] != 2'b00 && lr_q[i][ICH_LR_EL2_VINTID_MSB:ICH_LR_EL2_VINTID_LSB] == {8'h0, wid} &&
          (!V2 || wid >= 24'd16 || lr_q[i][ICH_LR_EL2_HW_LSB] || lr_q[i][34:32] == wcpu)) begin
        dl_found = 1'b1;
        dl_idx = LW'(i);
      end
  end
  assign hwdeact.valid = vdeact && dl_found && lr_q[dl_idx][ICH_LR_EL2_STATE_MSB] && lr_q[dl_idx][ICH_LR_EL2_HW_LSB] &&
                         lr_q[dl_idx][ICH_LR_EL2_PINTID_MSB:ICH_LR_EL2_PINTID_LSB] < 13'd1020;
  assign hwdeact.cpu = acc.cpu;
  assign hwdeact.pintid = lr_q[dl_idx][ICH_LR_EL2_PINTID_LSB + 9:ICH_LR_EL2_PINTID_LSB];
  assign hwdeact.vintid = lr_q[dl_idx][ICH_LR_EL2_VINTID_MSB:ICH_LR_EL2_VINTID_LSB];
  assign hwdeact.lr = 4'(dl_idx);
  always_comb for (int i = 0; i < NLR; i++) obs_lr[64*i+:64] = lr_q[i];
  assign obs_misr = misr[7:0];
  assign obs_eoicount = hcr_q.eoicount;
  assign obs_vrpr = vrpr;

  always_comb begin
    logic [7:0] gp;
    logic [2:0] wbpr;
    // register views of the written value: only the stored fields are read
    /* verilator lint_off UNUSEDSIGNAL */
    ich_vmcr_el2_t wvmcr;
    icv_ctlr_el1_t wctlr;
    /* verilator lint_on UNUSEDSIGNAL */
    /* verilator lint_off UNUSEDSIGNAL */
    gich_vmcr_t wvmcr2;
    gicv_ctlr_t wctlr2;
    /* verilator lint_on UNUSEDSIGNAL */
    hcr_d = hcr_q; veng0_d = veng0_q; veng1_d = veng1_q; vcbpr_d = vcbpr_q; veoim_d = veoim_q;
    vackctl_d = vackctl_q; vfiqen_d = vfiqen_q;
    wvmcr2 = acc.wdata[31:0];
    wctlr2 = acc.wdata[31:0];
    vbpr0_d = vbpr0_q; vbpr1_d = vbpr1_q; vpmr_d = vpmr_q; lr_d = lr_q; vap0_d = vap0_q; vap1_d = vap1_q;
    gp = gic_group_prio(hp_prio, hp_grp, vcbpr_q, vbpr0_q, vbpr1_q);
    wvmcr = acc.wdata;
    wctlr = acc.wdata;
    wbpr = acc.wdata[ICV_BPR0_EL1_BINARYPOINT_MSB:ICV_BPR0_EL1_BINARYPOINT_LSB];  // BPR1: the same field
    if (acc.we && mine) begin
      unique case (acc.id)
        REG_ICH_HCR_EL2: hcr_d = acc.wdata & HCR_MASK;
        REG_ICH_VMCR_EL2: begin
          veng0_d = wvmcr.veng0;
          veng1_d = wvmcr.veng1;
          vcbpr_d = wvmcr.vcbpr;
          veoim_d = wvmcr.veoim;
          vbpr1_d = (wvmcr.vbpr1 > VMIN0 + 3'd1) ? wvmcr.vbpr1 : VMIN0 + 3'd1;
          vbpr0_d = (wvmcr.vbpr0 > VMIN0) ? wvmcr.vbpr0 : VMIN0;
          vpmr_d = wvmcr.vpmr & VPMASK;
        end
        REG_ICV_PMR_EL1: vpmr_d = acc.wdata[ICV_PMR_EL1_PRIORITY_MSB:ICV_PMR_EL1_PRIORITY_LSB] & VPMASK;
        REG_ICV_BPR0_EL1: vbpr0_d = (wbpr > VMIN0) ? wbpr : VMIN0;
        REG_ICV_BPR1_EL1: if (!vcbpr_q) vbpr1_d = (wbpr > VMIN0 + 3'd1) ? wbpr : VMIN0 + 3'd1;
        REG_ICV_CTLR_EL1: begin
          vcbpr_d = wctlr.cbpr;
          veoim_d = wctlr.eoimode;
        end
        REG_ICV_IGRPEN0_EL1: veng0_d = acc.wdata[ICV_IGRPEN0_EL1_ENABLE_LSB];
        REG_ICV_IGRPEN1_EL1: veng1_d = acc.wdata[ICV_IGRPEN1_EL1_ENABLE_LSB];
        REG_ICH_AP0R_EL2, REG_ICV_AP0R_EL1:
          for (int b = 0; b < 32; b++) if (32 * 32'(acc.idx) + b < VAPB) vap0_d[32*acc.idx+b] = acc.wdata[b];
        REG_ICH_AP1R_EL2, REG_ICV_AP1R_EL1:
          for (int b = 0; b < 32; b++) if (32 * 32'(acc.idx) + b < VAPB) vap1_d[32*acc.idx+b] = acc.wdata[b];
        REG_ICH_LR_EL2: if (32'(acc.idx) < NLR) lr_d[LW'(acc.idx)] = acc.wdata & LR_MASK;
        // ---- GICv2 (IHI0048B 5.3, 5.4) ----
        REG_GICH_HCR: hcr_d = acc.wdata & HCR_MASK;
        REG_GICH_VMCR: begin
          veng0_d = wvmcr2.vmgrp0en;
          veng1_d = wvmcr2.vmgrp1en;
          vackctl_d = wvmcr2.vmackctl;
          vfiqen_d = wvmcr2.vmfiqen;
          vcbpr_d = wvmcr2.vmcbpr;
          veoim_d = wvmcr2.vem;
          vbpr1_d = (wvmcr2.vmabp > VMIN0 + 3'd1) ? wvmcr2.vmabp : VMIN0 + 3'd1;
          vbpr0_d = (wvmcr2.vmbp > VMIN0) ? wvmcr2.vmbp : VMIN0;
          vpmr_d = {wvmcr2.vmprimask, 3'h0} & VPMASK;
        end
        REG_GICH_LR: if (32'(acc.idx) < NLR) lr_d[LW'(acc.idx)] = lr_from_v2(acc.wdata[31:0]) & LR_MASK;
        REG_GICV_CTLR: begin
          veng0_d = wctlr2.enablegrp0;
          veng1_d = wctlr2.enablegrp1;
          vackctl_d = wctlr2.ackctl;
          vfiqen_d = wctlr2.fiqen;
          vcbpr_d = wctlr2.cbpr;
          veoim_d = wctlr2.eoimode;
        end
        REG_GICV_PMR: vpmr_d = acc.wdata[GICV_PMR_PRIORITY_MSB:GICV_PMR_PRIORITY_LSB] & VPMASK;
        REG_GICV_BPR: vbpr0_d = (wbpr > VMIN0) ? wbpr : VMIN0;
        REG_GICV_ABPR: vbpr1_d = (wbpr > VMIN0 + 3'd1) ? wbpr : VMIN0 + 3'd1;
        REG_GICH_APR, REG_GICV_APR:  // one set of virtual active priorities: written as Group 0's
          for (int b = 0; b < 32; b++)
            if (32 * 32'(acc.idx) + b < VAPB) begin
              vap0_d[32*acc.idx+b] = acc.wdata[b];
              vap1_d[32*acc.idx+b] = 1'b0;
            end
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
    if (vdrop && is_veoi0) vap0_d[AW'(vap_top.bit_idx)] = 1'b0;
    if (vdrop && is_veoi1) vap1_d[AW'(vap_top.bit_idx)] = 1'b0;
    if (vdrop && is_veoi2) begin
      vap0_d[AW'(vap_top.bit_idx)] = 1'b0;
      vap1_d[AW'(vap_top.bit_idx)] = 1'b0;
    end
    // virtual deactivation: the LR loses its active state; none holds the vINTID: EOIcount + 1 (vcount)
    if (vcount) hcr_d.eoicount = hcr_q.eoicount + 5'd1;
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
      vackctl_q <= 1'b0; vfiqen_q <= !V2;  // GICv3: VFIQEn RES1
      vbpr0_q <= VMIN0; vbpr1_q <= VMIN0 + 3'd1; vpmr_q <= '0;
      lr_q <= '{default: '0};
      vap0_q <= '0; vap1_q <= '0;
    end else begin
      hcr_q <= hcr_d; veng0_q <= veng0_d; veng1_q <= veng1_d; vcbpr_q <= vcbpr_d; veoim_q <= veoim_d;
      vackctl_q <= vackctl_d; vfiqen_q <= vfiqen_d;
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
