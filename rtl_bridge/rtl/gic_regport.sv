// gic_regport.sv: the register port: issue -> effect pipeline (req), decode and size rules, response lanes (resp, ack).
//
// A request presented with req_valid in cycle I is performed by the blocks in cycle E = I + T_REQ (output acc,
// combinational in cycle E); its response leaves on the normal lane (rsp) in cycle E + T_RESP, or on the acknowledge
// lane (ack_rsp) in cycle E + T_ACK for ICC/ICV_IAR0/1 reads (GICv2: GICC/GICV_IAR and _AIAR). "Leaves in cycle D" means the lane's registers show it
// after the clock edge that ends cycle D-1 (docs/rtl.md, section "Register port").
module gic_regport
  import gic_regmap_pkg::*;
  import gic_bus_pkg::*;
#(
    parameter int GIC_VERSION = 3,  // 2: the GICv2 register map (memory-mapped CPU interfaces), 3: GICv3
    parameter int NLR = 4,
    parameter int PRE_BITS = 7,
    parameter int VPRE_BITS = 5,
    parameter int T_REQ = 2,
    parameter int T_RESP = 1,
    parameter int T_ACK = 2
) (
    input  logic         clk,
    input  logic         rst,
    input  gic_req_t     req,        // request (issue cycle)
    // effect stage (cycle E) to the blocks, and the full register value read (OR of every block)
    output gic_acc_req_t acc,
    input  logic [63:0]  acc_rdata,
    output gic_rsp_t     rsp,        // normal response lane
    output gic_rsp_t     ack_rsp,    // acknowledge response lane
    // observation of the effect stage (cycle E): the access that takes effect now; idle indication
    output gic_eff_t     eff,
    output logic         busy,       // a request in the pipeline
    output logic         lane_busy   // a response in a lane (or a lane returning to 0)
);
  localparam int PAPW = (1 << PRE_BITS) / 32;   // implemented ICC_AP0R/AP1R words
  localparam int VAPW = (1 << VPRE_BITS) / 32;  // implemented ICH/ICV AP0R/AP1R words

  // Without req_valid the request fields are don't-care: they enter the pipeline as 0, so that no stage moves while
  // the port is idle whatever the other req_* inputs do (qactive, docs/rtl.md "Idle indication").
  gic_req_t req_in, e;
  logic     req_busy, rsp_busy, ack_rsp_busy;
  assign req_in = req.valid ? req : '0;
  gic_delay #(.WIDTH($bits(gic_req_t)), .DEPTH(T_REQ)) u_req (.clk, .rst, .d(req_in), .q(e), .busy(req_busy));

  gic_reg_info_t info;
  logic sysreg, size_ok, aligned, is_ack, ok, readable, writable;
  logic [2:0] status;
  logic [2:0] lane;
  logic [63:0] smask;

  // The decode: one lookup per frame, with the frame a constant, so that a simulation evaluates only that frame's part
  // of the register map. Without a request in the effect stage, e is 0 (above) and so is its decode: that of frame 0,
  // offset 0, a constant.
  localparam bit V2 = (GIC_VERSION == 2);
  localparam gic_reg_info_t INFO_IDLE = gic_reg_lookup(FRAME_GICD, 32'd0);
  // GICv2 (IHI0048B 4.1): the distributor and the memory-mapped CPU interface, virtual interface control and
  // virtual CPU interface; the redistributors and the system registers are absent frames.
  logic absent;
  always_comb begin
    if (!e.valid) info = INFO_IDLE;
    else if (V2) begin
      unique case (e.frame)
        FRAME_GICD: info = gic_reg_lookup_v2(FRAME_GICD, e.offset);
        FRAME_GICC: info = gic_reg_lookup_v2(FRAME_GICC, e.offset);
        FRAME_GICH: info = gic_reg_lookup_v2(FRAME_GICH, e.offset);
        FRAME_GICV: info = gic_reg_lookup_v2(FRAME_GICV, e.offset);
        default: info = '0;
      endcase
    end else begin
      unique case (e.frame)
        FRAME_GICD: info = gic_reg_lookup(FRAME_GICD, e.offset);
        FRAME_GICR_RD: info = gic_reg_lookup(FRAME_GICR_RD, e.offset);
        FRAME_GICR_SGI: info = gic_reg_lookup(FRAME_GICR_SGI, e.offset);
        FRAME_GICC: info = gic_reg_lookup(FRAME_GICC, e.offset);
        FRAME_GICH: info = gic_reg_lookup(FRAME_GICH, e.offset);
        FRAME_GICV: info = gic_reg_lookup(FRAME_GICV, e.offset);
        FRAME_SYSREG: info = gic_reg_lookup(FRAME_SYSREG, e.offset);
        FRAME_VSYSREG: info = gic_reg_lookup(FRAME_VSYSREG, e.offset);
      endcase
    end
    sysreg = !V2 && ((e.frame == FRAME_SYSREG) || (e.frame == FRAME_VSYSREG));
    absent = V2 ? !(e.frame == FRAME_GICD || e.frame == FRAME_GICC || e.frame == FRAME_GICH || e.frame == FRAME_GICV)
                : (e.frame == FRAME_GICC || e.frame == FRAME_GICH || e.frame == FRAME_GICV);
    unique case (e.size)
      4'd1: smask = 64'hFF;
      4'd2: smask = 64'hFFFF;
      4'd4: smask = 64'hFFFF_FFFF;
      default: smask = '1;
    endcase
    aligned = ((e.offset & (32'(e.size) - 32'd1)) == 32'd0);
    size_ok = (e.size == 4'd1 || e.size == 4'd2 || e.size == 4'd4 || e.size == 4'd8) && aligned;
    if (info.found && !sysreg)
      size_ok = size_ok && ((e.size == 4'd4) || (e.size == 4'd8 && info.w64) || (e.size == 4'd1 && info.bytes));
    if (sysreg) size_ok = (e.size == 4'd8);
    readable = info.acc == ACC_RW || info.acc == ACC_RO || info.acc == ACC_W1S || info.acc == ACC_W1C;
    writable = info.acc == ACC_RW || info.acc == ACC_WO || info.acc == ACC_W1S || info.acc == ACC_W1C;
    status = 3'd0;
    if (absent) status = 3'd4;
    else if (sysreg) begin
      if (!info.found) status = 3'd5;
      else if ((info.id == REG_ICH_LR_EL2 && 32'(info.idx) >= NLR) ||
               ((info.id == REG_ICC_AP0R_EL1 || info.id == REG_ICC_AP1R_EL1) && 32'(info.idx) >= PAPW) ||
               ((info.id == REG_ICH_AP0R_EL2 || info.id == REG_ICH_AP1R_EL2 ||
                 info.id == REG_ICV_AP0R_EL1 || info.id == REG_ICV_AP1R_EL1) && 32'(info.idx) >= VAPW))
        status = 3'd5;
      else if (e.write ? !writable : !readable) status = 3'd5;
      else if (!size_ok) status = 3'd3;
    end else if (!size_ok) status = 3'd3;
    ok = e.valid && status == 3'd0;
    is_ack = info.found && !e.write && (info.id == REG_ICC_IAR0_EL1 || info.id == REG_ICC_IAR1_EL1 ||
                                        info.id == REG_ICV_IAR0_EL1 || info.id == REG_ICV_IAR1_EL1 ||
                                        info.id == REG_GICC_IAR || info.id == REG_GICC_AIAR ||
                                        info.id == REG_GICV_IAR || info.id == REG_GICV_AIAR);
    lane = sysreg ? 3'd0 : 3'(e.offset - info.base);
  end

  assign acc.we = ok && e.write && info.found && writable;
  assign acc.re = ok && !e.write && info.found && readable;
  assign acc.id = info.id;
  assign acc.idx = info.idx;
  assign acc.cpu = e.cpu;
  assign acc.wdata = e.wdata << {lane, 3'b000};
  assign acc.wmask = smask << {lane, 3'b000};

  gic_rsp_t rsp_now, rsp_n_q, rsp_a_q;
  always_comb begin
    rsp_now.valid = e.valid;
    rsp_now.tag = e.tag;
    rsp_now.status = status;
    rsp_now.reserved = e.valid && !info.found && status == 3'd0;
    rsp_now.data = (acc.re) ? ((acc_rdata >> {lane, 3'b000}) & smask) : 64'd0;
  end
  // Each lane carries the response only when it is that lane's (otherwise 0), so that a lane does not move for the
  // other lane's accesses (qactive).
  gic_rsp_t rsp_n_in, rsp_a_in;
  always_comb begin
    rsp_n_in = (e.valid && !is_ack) ? rsp_now : '0;
    rsp_a_in = (e.valid && is_ack) ? rsp_now : '0;
  end
  gic_delay #(.WIDTH($bits(gic_rsp_t)), .DEPTH(T_RESP)) u_rsp (.clk, .rst, .d(rsp_n_in), .q(rsp_n_q), .busy(rsp_busy));
  gic_delay #(.WIDTH($bits(gic_rsp_t)), .DEPTH(T_ACK)) u_ark (.clk, .rst, .d(rsp_a_in), .q(rsp_a_q), .busy(ack_rsp_busy));
  assign busy = req_busy;
  assign lane_busy = rsp_busy || ack_rsp_busy;

  assign eff = '{valid: e.valid, tag: e.tag, data: e.write ? e.wdata : rsp_now.data, status: status};
  assign rsp = rsp_n_q;
  assign ack_rsp = rsp_a_q;

  // Invariant: the two lanes never deliver the same access.
  always_ff @(posedge clk)
    if (!rst) assert (!(rsp_n_q.valid && rsp_a_q.valid && rsp_n_q.tag == rsp_a_q.tag))
      else $error("gic_regport: one access answered twice in a cycle");
endmodule
