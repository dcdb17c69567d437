// sparse_pe_cell: one PE of the sparse-PE array as the model schedules it
// (models/sparse_pe/SparsePeArray.h), for the sparse_pe trace contract: two (value, k) FIFOs, an
// index-matching unit over the first MATCH_WIDTH entries of each, an int8 x int8 -> int32
// accumulator, and the PE's progress along its two streams.
//
// Each cycle, unless finished or a FIFO is empty: if some k is in both windows it issues the MAC
// of the smallest such k and pops it and every entry before it on both sides; otherwise it pops
// every entry of each window at or below the last k of the other window. The PE finishes when it
// has popped a whole stream (x = a_len or y = w_len: nothing left can match), and from then on
// drops what the buses deliver. A pushed entry lands behind the entries left after this cycle's
// pops, so a FIFO that was full takes an entry in a cycle that pops one (`room` is after the
// pops). The accumulator adds the product in the cycle of the match (no product register), as
// the model counts it.
//
// `define BROKEN_MATCH_HIGHEST builds the deliberately broken variant for the checker's
// self-test: of several common indices in the windows the highest is issued, not the smallest.
`default_nettype none
module sparse_pe_cell #(
    parameter integer FIFO_DEPTH = 4,
    parameter integer MATCH_WIDTH = 2,
    parameter integer KB = 16,          // k and stream-length width
    parameter integer CW = $clog2(FIFO_DEPTH + 1)
) (
    input  wire                 clk,
    input  wire                 clear,      // fold start: empty FIFOs, zero heads and acc, sample lengths
    input  wire [KB-1:0]        a_len,
    input  wire [KB-1:0]        w_len,
    input  wire                 a_push,
    input  wire [KB-1:0]        a_k,
    input  wire [7:0]           a_v,
    input  wire                 w_push,
    input  wire [KB-1:0]        w_k,
    input  wire [7:0]           w_v,
    output wire                 a_room,     // after this cycle's pops an entry fits
    output wire                 w_room,
    output wire                 done_next,  // finished after this cycle
    output reg  [KB-1:0]        x,          // entries popped from the activation FIFO this fold
    output reg  [KB-1:0]        y,
    output reg  [CW-1:0]        a_n,        // entries held
    output reg  [CW-1:0]        w_n,
    output reg                  issue,      // a MAC issued in the last cycle
    output reg                  done,
    output reg  [31:0]          acc
);
  localparam integer MW = MATCH_WIDTH;
  localparam integer EW = 8 + KB;

  reg [FIFO_DEPTH*EW-1:0] a_q, w_q;  // entry e: {value, k}, e = 0 at the head
  reg [KB-1:0] a_lenr, w_lenr;

  wire [KB-1:0] ak [0:MW-1];
  wire [KB-1:0] wk [0:MW-1];
  wire [7:0]    av [0:MW-1];
  wire [7:0]    wv [0:MW-1];
  wire [MW-1:0] a_ok, w_ok;
  genvar g;
  generate
    for (g = 0; g < MW; g = g + 1) begin : window
      assign ak[g] = a_q[g*EW +: KB];
      assign av[g] = a_q[g*EW + KB +: 8];
      assign wk[g] = w_q[g*EW +: KB];
      assign wv[g] = w_q[g*EW + KB +: 8];
      assign a_ok[g] = {{(32-CW){1'b0}}, a_n} > g;
      assign w_ok[g] = {{(32-CW){1'b0}}, w_n} > g;
    end
  endgenerate

  reg           fire;
  reg [CW-1:0]  a_pop, w_pop;
  reg [15:0]    prod;
  reg [KB-1:0]  a_last, w_last;
  integer i, j;
  always @* begin
    fire = 1'b0;
    a_pop = {CW{1'b0}};
    w_pop = {CW{1'b0}};
    prod = 16'd0;
    a_last = ak[0];
    w_last = wk[0];
    for (i = 1; i < MW; i = i + 1) begin
      if (a_ok[i]) a_last = ak[i];
      if (w_ok[i]) w_last = wk[i];
    end
    if (!done && a_ok[0] && w_ok[0]) begin
`ifdef BROKEN_MATCH_HIGHEST
      for (i = 0; i < MW; i = i + 1)
`else
      for (i = MW - 1; i >= 0; i = i - 1)  // the last hit assigned is the smallest k
`endif
        for (j = 0; j < MW; j = j + 1)
          if (a_ok[i] && w_ok[j] && ak[i] == wk[j]) begin
            fire = 1'b1;
            a_pop = i[CW-1:0] + 1'b1;
            w_pop = j[CW-1:0] + 1'b1;
            prod = $signed(av[i]) * $signed(wv[j]);
          end
      if (!fire)
        for (i = 0; i < MW; i = i + 1) begin
          if (a_ok[i] && ak[i] <= w_last) a_pop = i[CW-1:0] + 1'b1;
          if (w_ok[i] && wk[i] <= a_last) w_pop = i[CW-1:0] + 1'b1;
        end
    end
  end

  wire [KB-1:0] x_next = x + {{(KB-CW){1'b0}}, a_pop};
  wire [KB-1:0] y_next = y + {{(KB-CW){1'b0}}, w_pop};
  assign done_next = done || x_next == a_lenr || y_next == w_lenr;
  wire [CW-1:0] a_left = a_n - a_pop, w_left = w_n - w_pop;
  assign a_room = a_left != FIFO_DEPTH[CW-1:0];
  assign w_room = w_left != FIFO_DEPTH[CW-1:0];
  wire a_take = a_push && a_room && !done_next;
  wire w_take = w_push && w_room && !done_next;

  integer e, sh;
  reg [FIFO_DEPTH*EW-1:0] a_nq, w_nq;
  always @* begin
    a_nq = a_q;
    w_nq = w_q;
    for (sh = 1; sh <= MW; sh = sh + 1) begin
      if (a_pop == sh[CW-1:0]) a_nq = a_q >> (sh * EW);
      if (w_pop == sh[CW-1:0]) w_nq = w_q >> (sh * EW);
    end
    for (e = 0; e < FIFO_DEPTH; e = e + 1) begin
      if (a_take && a_left == e[CW-1:0]) a_nq[e*EW +: EW] = {a_v, a_k};
      if (w_take && w_left == e[CW-1:0]) w_nq[e*EW +: EW] = {w_v, w_k};
    end
  end

  always @(posedge clk) begin
    if (clear) begin
      a_q <= {FIFO_DEPTH*EW{1'b0}};
      w_q <= {FIFO_DEPTH*EW{1'b0}};
      a_n <= {CW{1'b0}};
      w_n <= {CW{1'b0}};
      x <= {KB{1'b0}};
      y <= {KB{1'b0}};
      issue <= 1'b0;
      done <= a_len == {KB{1'b0}} || w_len == {KB{1'b0}};  // nothing can match
      acc <= 32'd0;
      a_lenr <= a_len;
      w_lenr <= w_len;
    end else begin
      a_q <= a_nq;
      w_q <= w_nq;
      a_n <= a_left + {{(CW-1){1'b0}}, a_take};
      w_n <= w_left + {{(CW-1){1'b0}}, w_take};
      x <= x_next;
      y <= y_next;
      issue <= fire;
      done <= done_next;
      acc <= acc + {{16{prod[15]}}, prod};
    end
  end
endmodule
`default_nettype wire
