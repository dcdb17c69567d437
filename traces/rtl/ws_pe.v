// ws_pe: one weight-stationary int8 x int8 -> int32 processing element.
//
// Port contract (all inputs sampled on the rising edge of clk):
//   clear          1: every register becomes 0 (the inputs of that cycle are dropped)
//   load           1: w_in shifts into the weight register (and on to w_out); the input and
//                  the partial sum are not updated. 0: the weight register holds.
//   w_in   [7:0]   weight arriving from the PE above (or the array's top edge) while loading
//   w_out  [7:0]   the weight register: what the PE below loads next cycle
//   a_in   [7:0]   signed input arriving from the left neighbour (or the array's left edge)
//   a_out  [7:0]   a_in registered: what the right neighbour sees next cycle
//   p_in   [31:0]  partial sum from the PE above (0 at the top row)
//   p_out  [31:0]  partial-sum register; after an edge with load = clear = 0 it holds
//                  p_in + a_in * weight (wraps mod 2^32)
//
// `define BROKEN_UNSIGNED_WEIGHT builds the deliberately broken variant for the checker's
// self-test: the weight is zero-extended into the multiplier (its sign is lost).
module ws_pe (
    input  wire              clk,
    input  wire              clear,
    input  wire              load,
    input  wire        [7:0] w_in,
    output reg         [7:0] w_out,
    input  wire signed [7:0] a_in,
    output reg  signed [7:0] a_out,
    input  wire       [31:0] p_in,
    output reg        [31:0] p_out
);
`ifdef BROKEN_UNSIGNED_WEIGHT
  wire signed [16:0] prod = a_in * $signed({1'b0, w_out});
  wire [31:0] prod32 = {{15{prod[16]}}, prod};
`else
  wire signed [15:0] prod = a_in * $signed(w_out);
  wire [31:0] prod32 = {{16{prod[15]}}, prod};
`endif

  always @(posedge clk) begin
    if (clear) begin
      w_out <= 8'd0;
      a_out <= 8'sd0;
      p_out <= 32'd0;
    end else if (load) begin
      w_out <= w_in;
    end else begin
      a_out <= a_in;
      p_out <= p_in + prod32;
    end
  end
endmodule
