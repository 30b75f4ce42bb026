// gic_delay.sv: fixed-latency delay line (DEPTH register stages; DEPTH = 0 is a wire), synchronous reset to 0.
module gic_delay #(
    parameter int WIDTH = 1,
    parameter int DEPTH = 1
) (
    input  logic             clk,
    input  logic             rst,
    input  logic [WIDTH-1:0] d,
    output logic [WIDTH-1:0] q
);
  if (DEPTH == 0) begin : g_wire
    assign q = d;
    logic unused;  // a wire has no clock
    assign unused = clk ^ rst;
  end else begin : g_regs
    logic [DEPTH-1:0][WIDTH-1:0] stage;
    if (DEPTH == 1) begin : g_one
      always_ff @(posedge clk) stage <= rst ? '0 : d;
    end else begin : g_many
      always_ff @(posedge clk) stage <= rst ? '0 : {stage[DEPTH-2:0], d};
    end
    assign q = stage[DEPTH-1];
  end
endmodule
