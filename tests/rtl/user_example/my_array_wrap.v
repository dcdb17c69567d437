// The pe_array contract (docs/rtl-check.md) around my_array.v: renamed ports, reset = clear, and
// the row multiplexer that turns the all-PE bus into the narrow row_acc drain port.
module my_array_wrap #(parameter ROWS = 4, parameter COLS = 4) (
    input  wire                    clk,
    input  wire                    clear,
    input  wire [ROWS*8-1:0]       a,
    input  wire [COLS*8-1:0]       b,
    input  wire [$clog2(ROWS)-1:0] row_sel,
    output wire [COLS*32-1:0]      row_acc
);
  wire [ROWS*COLS*32-1:0] acc;  // wide inside the wrapper is fine; only ports must stay narrow
  my_array #(.R(ROWS), .C(COLS)) u (.clk(clk), .rst(clear), .west(a), .north(b), .acc(acc));
  assign row_acc = acc[row_sel*COLS*32 +: COLS*32];
endmodule
