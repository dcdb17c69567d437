// os_pe: an output-stationary int8 x int8 -> int32 PE with a double-buffered accumulator, the PE
// of the whole dense datapath (dense_os_datapath.v). Folds follow each other without a bubble: the
// edge that brings a fold's first operands restarts the accumulator with that product, and the
// same edge (or, after a layer's last fold, the first edge after it) copies the finished sum into
// `shadow`, from which the datapath drains it while the next fold computes.
//
// Ports (all inputs sampled on the rising edge of clk):
//   rst          synchronous reset: acc, shadow and both operand registers become 0
//   restart      1: acc <= a_in * b_in (first operands of a fold) instead of acc + a_in * b_in
//   snap         1: shadow <= acc (the value before this edge's update)
//   a_in, b_in   signed operands from the left / upper neighbour (or the array's edge)
//   a_out, b_out the operands registered: what the right / lower neighbour sees next cycle
//   acc          the running sum (wraps mod 2^32); shadow: the last snapped sum
//
// `define BROKEN_RESTART builds the deliberately broken variant: the restart clears the sum
// (acc <= 0) instead of loading the first product, so PE (0, 0), the only PE whose first operands
// arrive on the restarting edge, loses A[m0][0] * Bt[n0][0] of every fold.
`default_nettype none
module os_pe (
    input  wire              clk,
    input  wire              rst,
    input  wire              restart,
    input  wire              snap,
    input  wire signed [7:0] a_in,
    input  wire signed [7:0] b_in,
    output reg  signed [7:0] a_out,
    output reg  signed [7:0] b_out,
    output reg  [31:0]       acc,
    output reg  [31:0]       shadow
);
  wire signed [15:0] prod = a_in * b_in;
  wire [31:0] prod32 = {{16{prod[15]}}, prod};

  always @(posedge clk) begin
    if (rst) begin
      acc    <= 32'd0;
      shadow <= 32'd0;
      a_out  <= 8'sd0;
      b_out  <= 8'sd0;
    end else begin
      a_out <= a_in;
      b_out <= b_in;
`ifdef BROKEN_RESTART
      acc <= restart ? 32'd0 : acc + prod32;
`else
      acc <= restart ? prod32 : acc + prod32;
`endif
      if (snap) shadow <= acc;
    end
  end
endmodule
`default_nettype wire
