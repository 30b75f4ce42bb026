// gic_delay.sv: fixed-latency delay line (DEPTH register stages; DEPTH = 0 is a wire), synchronous reset to INIT
// (default 0; a line whose idle input is not 0 resets to it, so that it does not move after reset), or with RST_D = 1
// to its input d in every stage (a level synchroniser: after reset the sampled level is the pin's, timing.md 6).
//
// busy (idle indication, docs/rtl.md "Idle indication"): some stage differs from its input, so it changes at the next
// edge; with QREG = 1 (q is taken by a register, as gic_dist/gic_redist line_q take the synchronisers' output) also
// when q changed at the last edge, so that register may still change at the next one. With busy = 0 and d held, the
// line and such a register are at a fixed point. One comparator per stage (and with QREG one flip-flop); a wire is
// never busy (whoever drives d covers it).
module gic_delay #(
    parameter int WIDTH = 1,
    parameter int DEPTH = 1,
    parameter bit QREG = 1'b0,
    parameter logic [WIDTH-1:0] INIT = '0,
    parameter bit RST_D = 1'b0
) (
    input  logic             clk,
    input  logic             rst,
    input  logic [WIDTH-1:0] d,
    output logic [WIDTH-1:0] q,
    output logic             busy
);
  if (DEPTH == 0) begin : g_wire
    assign q = d;
    assign busy = 1'b0;
    logic unused;  // a wire has no clock
    assign unused = clk ^ rst;
  end else begin : g_regs
    logic [DEPTH-1:0][WIDTH-1:0] stage;
    logic [DEPTH-1:0] diff;   // stage i differs from its input
    if (DEPTH == 1) begin : g_one
      always_ff @(posedge clk) stage <= rst ? (RST_D ? d : INIT) : d;
      assign diff[0] = (stage[0] != d);
    end else begin : g_many
      always_ff @(posedge clk) stage <= rst ? (RST_D ? {DEPTH{d}} : {DEPTH{INIT}}) : {stage[DEPTH-2:0], d};
      always_comb begin
        diff[0] = (stage[0] != d);
        for (int i = 1; i < DEPTH; i++) diff[i] = (stage[i] != stage[i-1]);
      end
    end
    assign q = stage[DEPTH-1];
    if (QREG) begin : g_qreg
      logic moved_q;          // q changed at the last edge
      always_ff @(posedge clk) moved_q <= rst ? 1'b0 : diff[DEPTH-1];
      assign busy = (diff != '0) || moved_q;
    end else begin : g_noqreg
      assign busy = (diff != '0);
    end
  end
endmodule
