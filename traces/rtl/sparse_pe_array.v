// sparse_pe_array: ROWS x COLS sparse_pe_cell PEs with their row and column buses, one entry a
// bus a cycle (the sparse_pe trace contract, docs/rtl-check.md "sparse_pe").
//
// Row i's activation stream is broadcast to every PE of row i, column j's weight stream to every
// PE of column j. a_ready[i] says whether row bus i may deliver this cycle: some PE of the row is
// unfinished after this cycle's pops and every unfinished one has room (the slowest PE holds
// the bus back). The checker drives the deliveries the trace recorded and compares a_ready /
// w_ready with them, then every PE's state through pe_sel (combinational reads).
`default_nettype none
module sparse_pe_array #(
    parameter integer ROWS = 4,
    parameter integer COLS = 4,
    parameter integer FIFO_DEPTH = 4,
    parameter integer MATCH_WIDTH = 2,
    parameter integer KB = 16,
    parameter integer CW = $clog2(FIFO_DEPTH + 1),
    parameter integer SEL_BITS = (ROWS * COLS > 1) ? $clog2(ROWS * COLS) : 1
) (
    input  wire                 clk,
    input  wire                 clear,
    input  wire [ROWS*KB-1:0]   a_len,
    input  wire [COLS*KB-1:0]   w_len,
    input  wire [ROWS-1:0]      a_push,
    input  wire [ROWS*KB-1:0]   a_k,
    input  wire [ROWS*8-1:0]    a_v,
    input  wire [COLS-1:0]      w_push,
    input  wire [COLS*KB-1:0]   w_k,
    input  wire [COLS*8-1:0]    w_v,
    output wire [ROWS-1:0]      a_ready,
    output wire [COLS-1:0]      w_ready,
    input  wire [SEL_BITS-1:0]  pe_sel,     // PE i * COLS + j
    output wire [KB-1:0]        pe_x,
    output wire [KB-1:0]        pe_y,
    output wire [CW-1:0]        pe_a_fill,
    output wire [CW-1:0]        pe_w_fill,
    output wire                 pe_issue,
    output wire                 pe_done,
    output wire [31:0]          pe_acc
);
  localparam integer N = ROWS * COLS;
  localparam integer NS = 1 << SEL_BITS;
  wire [N-1:0] a_room, w_room, fin;
  wire [KB-1:0] xs [0:NS-1];
  wire [KB-1:0] ys [0:NS-1];
  wire [CW-1:0] an [0:NS-1];
  wire [CW-1:0] wn [0:NS-1];
  wire [NS-1:0] iss, dn;
  wire [31:0]   ac [0:NS-1];

  genvar i, j;
  generate
    for (i = 0; i < ROWS; i = i + 1) begin : g_row
      for (j = 0; j < COLS; j = j + 1) begin : g_col
        sparse_pe_cell #(.FIFO_DEPTH(FIFO_DEPTH), .MATCH_WIDTH(MATCH_WIDTH), .KB(KB), .CW(CW)) pe (
            .clk(clk), .clear(clear), .a_len(a_len[KB*i +: KB]), .w_len(w_len[KB*j +: KB]),
            .a_push(a_push[i]), .a_k(a_k[KB*i +: KB]), .a_v(a_v[8*i +: 8]),
            .w_push(w_push[j]), .w_k(w_k[KB*j +: KB]), .w_v(w_v[8*j +: 8]),
            .a_room(a_room[i*COLS+j]), .w_room(w_room[i*COLS+j]), .done_next(fin[i*COLS+j]),
            .x(xs[i*COLS+j]), .y(ys[i*COLS+j]), .a_n(an[i*COLS+j]), .w_n(wn[i*COLS+j]),
            .issue(iss[i*COLS+j]), .done(dn[i*COLS+j]), .acc(ac[i*COLS+j]));
      end
    end
    for (i = N; i < NS; i = i + 1) begin : g_pad
      assign xs[i] = {KB{1'b0}};
      assign ys[i] = {KB{1'b0}};
      assign an[i] = {CW{1'b0}};
      assign wn[i] = {CW{1'b0}};
      assign iss[i] = 1'b0;
      assign dn[i] = 1'b1;
      assign ac[i] = 32'd0;
    end
  endgenerate

  // Bus ready: some PE on the bus unfinished, and every unfinished one with room.
  reg [ROWS-1:0] ar;
  reg [COLS-1:0] wr;
  reg [ROWS-1:0] a_any;
  reg [COLS-1:0] w_any;
  integer r, c;
  always @* begin
    ar = {ROWS{1'b1}};
    wr = {COLS{1'b1}};
    a_any = {ROWS{1'b0}};
    w_any = {COLS{1'b0}};
    for (r = 0; r < ROWS; r = r + 1)
      for (c = 0; c < COLS; c = c + 1)
        if (!fin[r*COLS+c]) begin
          a_any[r] = 1'b1;
          w_any[c] = 1'b1;
          if (!a_room[r*COLS+c]) ar[r] = 1'b0;
          if (!w_room[r*COLS+c]) wr[c] = 1'b0;
        end
  end
  assign a_ready = ar & a_any;
  assign w_ready = wr & w_any;

  assign pe_x = xs[pe_sel];
  assign pe_y = ys[pe_sel];
  assign pe_a_fill = an[pe_sel];
  assign pe_w_fill = wn[pe_sel];
  assign pe_issue = iss[pe_sel];
  assign pe_done = dn[pe_sel];
  assign pe_acc = ac[pe_sel];
endmodule
`default_nettype wire
