// pe_array: ROWS x COLS output-stationary systolic array of mac_pe (int8 x int8 -> int32).
//
// Port contract (docs/rtl-check.md; every input sampled on the rising edge of clk):
//   clear                 1: every accumulator and operand register becomes 0; a and b of that
//                         cycle are dropped. The checker asserts it for one cycle before each fold.
//   a       [ROWS*8-1:0]  a[8*i +: 8]: signed int8 entering row i at the left edge this cycle
//   b       [COLS*8-1:0]  b[8*j +: 8]: signed int8 entering column j at the top edge this cycle
//                         (the operand skew is in the values; the trace's `edge` records carry it)
//   row_sel [ROW_BITS-1:0] row to drain
//   row_acc [COLS*32-1:0] row_acc[32*j +: 32]: accumulator of PE (row_sel, j). Read by the
//                         checker after one rising edge with row_sel held and a = b = 0, so a
//                         combinational or a one-cycle registered read both satisfy it.
// PE (i, j) accumulates the product of the operands entering it in a cycle; a moves one PE right
// and b one PE down per cycle. The whole array never leaves through one port: one row at a time.
module pe_array #(
    parameter ROWS = 4,
    parameter COLS = 4,
    parameter ROW_BITS = (ROWS > 1) ? $clog2(ROWS) : 1
) (
    input  wire                  clk,
    input  wire                  clear,
    input  wire [ROWS*8-1:0]     a,
    input  wire [COLS*8-1:0]     b,
    input  wire [ROW_BITS-1:0]   row_sel,
    output wire [COLS*32-1:0]    row_acc
);
  // Operand links: ah[i][j] enters PE (i, j) from the left, bv[i][j] from above. The links
  // leaving the right and bottom edges have no consumer.
  /* verilator lint_off UNUSED */
  wire [7:0] ah [0:ROWS-1][0:COLS];
  wire [7:0] bv [0:ROWS][0:COLS-1];
  /* verilator lint_on UNUSED */
  // One entry per row_sel value: rows past ROWS (ROWS not a power of two) read 0.
  wire [COLS*32-1:0] row_flat [0:(1<<ROW_BITS)-1];

  genvar i, j;
  generate
    for (i = 0; i < ROWS; i = i + 1) begin : g_left
      assign ah[i][0] = a[8*i +: 8];
    end
    for (j = 0; j < COLS; j = j + 1) begin : g_top
      assign bv[0][j] = b[8*j +: 8];
    end
    for (i = ROWS; i < (1 << ROW_BITS); i = i + 1) begin : g_pad
      assign row_flat[i] = {COLS*32{1'b0}};
    end
    for (i = 0; i < ROWS; i = i + 1) begin : g_row
      for (j = 0; j < COLS; j = j + 1) begin : g_col
        mac_pe pe (
            .clk  (clk),
            .clear(clear),
            .a_in (ah[i][j]),
            .b_in (bv[i][j]),
            .a_out(ah[i][j+1]),
            .b_out(bv[i+1][j]),
            .acc  (row_flat[i][32*j +: 32])
        );
      end
    end
  endgenerate

  assign row_acc = row_flat[row_sel];
endmodule
