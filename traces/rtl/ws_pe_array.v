// ws_pe_array: ROWS x COLS weight-stationary systolic array of ws_pe (int8 x int8 -> int32).
//
// Port contract (docs/rtl-check.md "pe_array_ws"; every input sampled on the rising edge of clk):
//   clear                   1: every weight, input and partial-sum register becomes 0
//   load                    1: the weight tile shifts down one row, b entering the top row
//                           (the checker holds it for the first ROWS cycles of a fold)
//   a        [ROWS*8-1:0]   a[8*i +: 8]: signed int8 entering row i at the left edge (skew in the values)
//   b        [COLS*8-1:0]   b[8*j +: 8]: the weight entering column j at the top edge while loading
//   psum_out [COLS*32-1:0]  psum_out[32*j +: 32]: the bottom PE of column j's partial sum, the
//                           output row leaving the array
//   row_sel  [ROW_BITS-1:0] row whose partial sums row_psum shows (combinational: the checker
//                           reads every row after every cycle without a clock edge)
//   row_psum [COLS*32-1:0]  row_psum[32*j +: 32]: PE (row_sel, j)'s partial-sum register
// Weights stay in place while the inputs move one PE right and the partial sums one PE down per
// cycle. The whole array never leaves through one port: one row at a time.
module ws_pe_array #(
    parameter ROWS = 4,
    parameter COLS = 4,
    parameter ROW_BITS = (ROWS > 1) ? $clog2(ROWS) : 1
) (
    input  wire                  clk,
    input  wire                  clear,
    input  wire                  load,
    input  wire [ROWS*8-1:0]     a,
    input  wire [COLS*8-1:0]     b,
    output wire [COLS*32-1:0]    psum_out,
    input  wire [ROW_BITS-1:0]   row_sel,
    output wire [COLS*32-1:0]    row_psum
);
  // Links: ah[i][j] enters PE (i, j) from the left, wv / pv[i][j] from above. The links leaving
  // the right edge and the bottom row's weights have no consumer.
  /* verilator lint_off UNUSED */
  wire [7:0]  ah [0:ROWS-1][0:COLS];
  wire [7:0]  wv [0:ROWS][0:COLS-1];
  /* verilator lint_on UNUSED */
  wire [31:0] pv [0:ROWS][0:COLS-1];
  // One entry per row_sel value: rows past ROWS (ROWS not a power of two) read 0.
  wire [COLS*32-1:0] row_flat [0:(1<<ROW_BITS)-1];

  genvar i, j;
  generate
    for (i = 0; i < ROWS; i = i + 1) begin : g_left
      assign ah[i][0] = a[8*i +: 8];
    end
    for (j = 0; j < COLS; j = j + 1) begin : g_top
      assign wv[0][j] = b[8*j +: 8];
      assign pv[0][j] = 32'd0;
      assign psum_out[32*j +: 32] = pv[ROWS][j];
    end
    for (i = ROWS; i < (1 << ROW_BITS); i = i + 1) begin : g_pad
      assign row_flat[i] = {COLS*32{1'b0}};
    end
    for (i = 0; i < ROWS; i = i + 1) begin : g_row
      for (j = 0; j < COLS; j = j + 1) begin : g_col
        ws_pe pe (
            .clk  (clk),
            .clear(clear),
            .load (load),
            .w_in (wv[i][j]),
            .w_out(wv[i+1][j]),
            .a_in (ah[i][j]),
            .a_out(ah[i][j+1]),
            .p_in (pv[i][j]),
            .p_out(pv[i+1][j])
        );
        assign row_flat[i][32*j +: 32] = pv[i+1][j];
      end
    end
  endgenerate

  assign row_psum = row_flat[row_sel];
endmodule
