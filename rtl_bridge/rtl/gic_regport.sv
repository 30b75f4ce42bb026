// gic_regport.sv: the register port: issue -> effect pipeline (req), decode and size rules, response lanes (resp, ack).
//
// A request presented with req_valid in cycle I is performed by the blocks in cycle E = I + T_REQ (acc_* outputs,
// combinational in cycle E); its response leaves on the normal lane (rsp_*) in cycle E + T_RESP, or on the acknowledge
// lane (ack_rsp_*) in cycle E + T_ACK for ICC/ICV_IAR0/1 reads. "Leaves in cycle D" means the lane's registers show it
// after the clock edge that ends cycle D-1 (docs/rtl.md, section "Register port").
module gic_regport
  import gic_regmap_pkg::*;
#(
    parameter int NLR = 4,
    parameter int PRE_BITS = 7,
    parameter int VPRE_BITS = 5,
    parameter int T_REQ = 2,
    parameter int T_RESP = 1,
    parameter int T_ACK = 2
) (
    input  logic        clk,
    input  logic        rst,
    // request (issue cycle)
    input  logic        req_valid,
    input  logic        req_write,
    input  logic [3:0]  req_size,
    input  logic [2:0]  req_frame,
    input  logic [7:0]  req_cpu,
    input  logic [31:0] req_offset,
    input  logic [63:0] req_wdata,
    input  logic [15:0] req_tag,
    // effect stage (cycle E) to the blocks
    output logic        acc_we,      // write to a writable register
    output logic        acc_re,      // read of a readable register (IAR reads have side effects)
    output gic_reg_e    acc_id,
    output logic [9:0]  acc_idx,
    output logic [7:0]  acc_cpu,
    output logic [63:0] acc_wdata,   // write data moved to the register's byte lanes
    output logic [63:0] acc_wmask,   // byte lanes written
    input  logic [63:0] acc_rdata,   // full register value (OR of every block)
    // normal response lane
    output logic        rsp_valid,
    output logic [15:0] rsp_tag,
    output logic [63:0] rsp_data,
    output logic [2:0]  rsp_status,  // 0 OK, 3 size, 4 decode, 5 undefined (negated enum gic_status)
    output logic        rsp_reserved,
    // acknowledge response lane
    output logic        ack_rsp_valid,
    output logic [15:0] ack_rsp_tag,
    output logic [63:0] ack_rsp_data,
    output logic [2:0]  ack_rsp_status,
    output logic        ack_rsp_reserved,
    // observation of the effect stage (cycle E): the access that takes effect now, its data (write: as presented;
    // read: what the response will carry) and status; idle indication (a request or response in flight)
    output logic        eff_valid,
    output logic [15:0] eff_tag,
    output logic [63:0] eff_data,
    output logic [2:0]  eff_status,
    output logic        busy,        // a request in the pipeline
    output logic        lane_busy    // a response in a lane (or a lane returning to 0)
);
  typedef struct packed {
    logic        valid;
    logic        write;
    logic [3:0]  size;
    logic [2:0]  frame;
    logic [7:0]  cpu;
    logic [31:0] offset;
    logic [63:0] wdata;
    logic [15:0] tag;
  } req_t;
  typedef struct packed {
    logic        valid;
    logic [15:0] tag;
    logic [63:0] data;
    logic [2:0]  status;
    logic        reserved;
  } rsp_t;

  localparam int PAPW = (1 << PRE_BITS) / 32;   // implemented ICC_AP0R/AP1R words
  localparam int VAPW = (1 << VPRE_BITS) / 32;  // implemented ICH/ICV AP0R/AP1R words

  // Without req_valid the request fields are don't-care: they enter the pipeline as 0, so that no stage moves while
  // the port is idle whatever the other req_* inputs do (qactive, docs/rtl.md "Idle indication").
  req_t req_in, e;
  logic req_busy, rsp_busy, ack_rsp_busy;
  assign req_in = req_valid ? '{req_valid, req_write, req_size, req_frame, req_cpu, req_offset, req_wdata, req_tag} : '0;
  gic_delay #(.WIDTH($bits(req_t)), .DEPTH(T_REQ)) u_req (.clk, .rst, .d(req_in), .q(e), .busy(req_busy));

  gic_reg_info_t info;
  logic sysreg, size_ok, aligned, is_ack, ok, readable, writable;
  logic [2:0] status;
  logic [2:0] lane;
  logic [63:0] smask;

  always_comb begin
    info = gic_reg_lookup(e.frame, e.offset);
    sysreg = (e.frame == FRAME_SYSREG) || (e.frame == FRAME_VSYSREG);
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
    if (e.frame == FRAME_GICC || e.frame == FRAME_GICH || e.frame == FRAME_GICV) status = 3'd4;
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
                                        info.id == REG_ICV_IAR0_EL1 || info.id == REG_ICV_IAR1_EL1);
    lane = sysreg ? 3'd0 : 3'(e.offset - info.base);
  end

  assign acc_we = ok && e.write && info.found && writable;
  assign acc_re = ok && !e.write && info.found && readable;
  assign acc_id = info.id;
  assign acc_idx = info.idx;
  assign acc_cpu = e.cpu;
  assign acc_wdata = e.wdata << {lane, 3'b000};
  assign acc_wmask = smask << {lane, 3'b000};

  rsp_t rsp_now, rsp_n_q, rsp_a_q;
  always_comb begin
    rsp_now.valid = e.valid;
    rsp_now.tag = e.tag;
    rsp_now.status = status;
    rsp_now.reserved = e.valid && !info.found && status == 3'd0;
    rsp_now.data = (acc_re) ? ((acc_rdata >> {lane, 3'b000}) & smask) : 64'd0;
  end
  // Each lane carries the response only when it is that lane's (otherwise 0), so that a lane does not move for the
  // other lane's accesses (qactive).
  rsp_t rsp_n_in, rsp_a_in;
  always_comb begin
    rsp_n_in = (e.valid && !is_ack) ? rsp_now : '0;
    rsp_a_in = (e.valid && is_ack) ? rsp_now : '0;
  end
  gic_delay #(.WIDTH($bits(rsp_t)), .DEPTH(T_RESP)) u_rsp (.clk, .rst, .d(rsp_n_in), .q(rsp_n_q), .busy(rsp_busy));
  gic_delay #(.WIDTH($bits(rsp_t)), .DEPTH(T_ACK)) u_ark (.clk, .rst, .d(rsp_a_in), .q(rsp_a_q), .busy(ack_rsp_busy));
  assign busy = req_busy;
  assign lane_busy = rsp_busy || ack_rsp_busy;

  assign eff_valid = e.valid;
  assign eff_tag = e.tag;
  assign eff_data = e.write ? e.wdata : rsp_now.data;
  assign eff_status = status;
  assign {rsp_valid, rsp_tag, rsp_data, rsp_status, rsp_reserved} = rsp_n_q;
  assign {ack_rsp_valid, ack_rsp_tag, ack_rsp_data, ack_rsp_status, ack_rsp_reserved} = rsp_a_q;

  // Invariant: the two lanes never deliver the same access.
  always_ff @(posedge clk)
    if (!rst) assert (!(rsp_n_q.valid && rsp_a_q.valid && rsp_n_q.tag == rsp_a_q.tag))
      else $error("gic_regport: one access answered twice in a cycle");
endmodule
