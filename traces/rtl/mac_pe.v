// mac_pe: one output-stationary int8 x int8 -> int32 processing element.
//
// Port contract (all inputs sampled on the rising edge of clk):
//   clear        1: acc and both operand registers become 0 (the operands of that cycle are dropped)
//   a_in  [7:0]  signed operand arriving from the left neighbour (or the array's left edge)
//   b_in  [7:0]  signed operand arriving from the neighbour above (or the array's top edge)
//   a_out [7:0]  a_in registered: what the right neighbour sees next cycle
//   b_out [7:0]  b_in registered: what the neighbour below sees next cycle
//   acc   [31:0] accumulator; after an edge with clear = 0 it holds acc + a_in * b_in (wraps mod 2^32)
//
// `define BROKEN_ACC_CARRY builds the deliberately broken variant for the checker's self-test:
// the accumulator's low and high 16-bit halves are added separately, dropping the carry between them.
module mac_pe (
    input  wire              clk,
    input  wire              clear,
    input  wire signed [7:0] a_in,
    input  wire signed [7:0] b_in,
    output reg  signed [7:0] a_out,
    output reg  signed [7:0] b_out,
    output reg  [31:0]       acc
);
  wire signed [15:0] prod = a_in * b_in;
  wire [31:0] prod32 = {{16{prod[15]}}, prod};
`ifdef BROKEN_ACC_CARRY
  wire [31:0] sum = {acc[31:16] + prod32[31:16], acc[15:0] + prod32[15:0]};
`else
  wire [31:0] sum = acc + prod32;
`endif

  always @(posedge clk) begin
    if (clear) begin
      acc   <= 32'd0;
      a_out <= 8'sd0;
      b_out <= 8'sd0;
    end else begin
      acc   <= sum;
      a_out <= a_in;
      b_out <= b_in;
    end
  end
endmodule
