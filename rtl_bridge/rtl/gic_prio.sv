// gic_prio.sv: prioritiser of one CPU: highest-priority pending interrupt (lowest priority value, then lowest INTID)
// of the state at the end of cycle c, offered to the CPU interface in cycle c + T_PRIO + T_DELIVER.
//
// The reduction is written as one combinational pass over the state registers (which hold the state at the end of
// the previous cycle) followed by a delay line of T_PRIO + T_DELIVER - 1 stages; a synthesis flow retimes the delay
// registers into the comparator tree (T_PRIO levels) and the stream interface (T_DELIVER stages) without changing
// any cycle. As timing.md section 3 phase 5, a message is sent only when the HPPI differs from the last one sent
// (`last_q`); `offer_msg` says that a message is delivered in phase 1 of the current cycle, with `offer_*` its
// contents. The CPU interface holds the offer (an acknowledge consumes it, timing.md 4.6), so a message that
// repeats the last one would not be invisible.
// `busy` (idle indication): an HPPI differs from the last one sent (last_q moves at the next edge) or a message is in
// flight; with busy = 0 the offer register of gic_cpuif cannot change either.
module gic_prio
  import gic_bus_pkg::*;
#(
    parameter int NSPI = 64,
    parameter int T_PRIO = 4,
    parameter int T_DELIVER = 2,
    localparam int W = ((32 + NSPI + 31) / 32) * 32
) (
    input  logic         clk,
    input  logic         rst,
    input  logic [W-1:0] d_ready,
    input  logic [W-1:0] d_grp,
    input  logic [W-1:0][7:0] d_prio,
    input  logic [W-1:0] d_route,
    input  logic [31:0]  r_ready,
    input  logic [31:0]  r_grp,
    input  logic [31:0][7:0] r_prio,
    input  logic [15:0][2:0] r_src,        // GICv2: the lowest source CPU of each SGI (0 on GICv3)
    input  logic         r_sleep,
    input  logic         grpen0,
    input  logic         grpen1,
    output logic         offer_msg,        // an HPPI message is delivered in phase 1 of this cycle, ...
    output gic_hppi_t    offer,            // ... with these contents
    // idle indication: a message is being sent (HPPI differs from the last one sent) or is in flight
    output logic         busy
);
  localparam gic_hppi_t NONE = '{valid: 1'b0, intid: 10'd1023, prio: 8'hFF, grp: 1'b0, src: 3'd0};
  gic_hppi_t best, last_q;
  logic      send, dly_busy;
  // In INTID order, so that the lowest INTID wins among equal priorities. The pass runs in every cycle of a
  // simulation, and few interrupts are eligible at a time: a 32-bit word of the eligible vector with none is skipped.
  always_comb begin
    logic [31:0]  r_elig, e, g;
    logic [31:0][7:0] p;
    logic [W-1:0] d_elig;
    best = NONE;
    p = '0;
    g = '0;
    r_elig = r_ready & ((r_grp & {32{grpen1}}) | (~r_grp & {32{grpen0}})) & {32{!r_sleep}};
    d_elig = d_ready & d_route & ((d_grp & {W{grpen1}}) | (~d_grp & {W{grpen0}})) & {W{!r_sleep}};
    if (r_elig != '0)
      for (int i = 0; i < 32; i++)
        if (r_elig[i] && (!best.valid || r_prio[i] < best.prio))
          best = '{valid: 1'b1, intid: 10'(i), prio: r_prio[i], grp: r_grp[i], src: (i < 16) ? r_src[i[3:0]] : 3'd0};
    for (int n = 1; n < W / 32; n++) begin
      e = d_elig[32*n+:32];
      if (e != '0) begin
        p = d_prio[32*n+:32];
        g = d_grp[32*n+:32];
        for (int j = 0; j < 32; j++)
          if (e[j] && (!best.valid || p[j] < best.prio))
            best = '{valid: 1'b1, intid: 10'(32 * n + j), prio: p[j], grp: g[j], src: 3'd0};
      end
    end
  end

  assign send = (best != last_q);
  always_ff @(posedge clk) last_q <= rst ? NONE : best;

  // reset to "no message, no HPPI", its idle input, so that it does not move after reset (qactive)
  gic_delay #(.WIDTH(1 + $bits(gic_hppi_t)), .DEPTH(T_PRIO + T_DELIVER - 1), .INIT({1'b0, NONE})) u_dly (
      .clk, .rst, .d({send, best}), .q({offer_msg, offer}), .busy(dly_busy));
  assign busy = send || dly_busy;
endmodule
