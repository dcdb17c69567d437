// One PE of the sparse-PE baseline (models/SparsePeArray.h): two (value, index) FIFOs, an
// index-matching unit over the first MATCH_WIDTH entries of each, and an int8 x int8 -> int32
// multiply-accumulate.
//
// Each cycle the matcher compares the activation window a[0..MW-1] with the weight window
// w[0..MW-1] (entries hold ascending indices along K). If some index is in both, it multiplies
// the pair with the smallest one and pops it and every entry before it on both sides; otherwise
// it pops every entry of each window at or below the last index of the other window (those can
// match nothing). Nothing happens while either FIFO is empty. A bus pushes at most one entry per
// FIFO per cycle (the model's bus_pairs_per_cycle > 1 would widen the push side only; the
// matcher and MAC, which dominate the PE, are unchanged).
// FIFOs are shift registers (entry i moves to i - pop): the matcher needs random access to the
// first MW entries and pops 0..MW entries per cycle, which rules out SRL-based FIFOs, so they
// cost flip-flops plus an (MW+1):1 shift mux per bit. acc is the PE's output (clear at fold start).
`default_nettype none
module sparse_pe #(
    parameter integer FIFO_DEPTH = 8,   // entries per operand FIFO (sparse_pe.fifo_depth)
    parameter integer MATCH_WIDTH = 4,  // window compared per cycle (sparse_pe.match_width)
    parameter integer INDEX_BITS = 8,   // index width (sparse_pe.index_bits)
    parameter integer VALUE_BITS = 8
) (
    input  wire                         clk,
    input  wire                         rst,
    input  wire                         clear,
    input  wire                         a_push,
    input  wire signed [VALUE_BITS-1:0] a_value,
    input  wire [INDEX_BITS-1:0]        a_index,
    output wire                         a_full,
    input  wire                         w_push,
    input  wire signed [VALUE_BITS-1:0] w_value,
    input  wire [INDEX_BITS-1:0]        w_index,
    output wire                         w_full,
    output reg  signed [31:0]           acc
);
  localparam integer MW = MATCH_WIDTH;
  localparam integer EW = VALUE_BITS + INDEX_BITS;
  localparam integer CW = $clog2(FIFO_DEPTH + 1);

  reg [FIFO_DEPTH*EW-1:0] a_q, w_q;   // entry i: {value, index}, i = 0 at the head
  reg [CW-1:0]            a_n, w_n;   // entries held
  reg [CW-1:0]            a_pop, w_pop;
  reg                     fire;       // a matching pair this cycle
  reg [VALUE_BITS-1:0]    a_sel, w_sel;

  assign a_full = (a_n == FIFO_DEPTH[CW-1:0]);
  assign w_full = (w_n == FIFO_DEPTH[CW-1:0]);

  // Window views.
  wire [INDEX_BITS-1:0] ak [0:MW-1];
  wire [INDEX_BITS-1:0] wk [0:MW-1];
  wire [VALUE_BITS-1:0] av [0:MW-1];
  wire [VALUE_BITS-1:0] wv [0:MW-1];
  wire [MW-1:0]         a_ok, w_ok;
  genvar g;
  generate
    for (g = 0; g < MW; g = g + 1) begin : window
      assign ak[g] = a_q[g*EW +: INDEX_BITS];
      assign av[g] = a_q[g*EW + INDEX_BITS +: VALUE_BITS];
      assign wk[g] = w_q[g*EW +: INDEX_BITS];
      assign wv[g] = w_q[g*EW + INDEX_BITS +: VALUE_BITS];
      assign a_ok[g] = a_n > g;
      assign w_ok[g] = w_n > g;
    end
  endgenerate

  // Matching unit.
  integer i, j;
  reg [INDEX_BITS-1:0] a_last, w_last;
  always @* begin
    fire = 1'b0;
    a_pop = {CW{1'b0}};
    w_pop = {CW{1'b0}};
    a_sel = {VALUE_BITS{1'b0}};
    w_sel = {VALUE_BITS{1'b0}};
    a_last = ak[0];
    w_last = wk[0];
    for (i = 1; i < MW; i = i + 1) begin
      if (a_ok[i]) a_last = ak[i];
      if (w_ok[i]) w_last = wk[i];
    end
    if (a_ok[0] && w_ok[0]) begin
      // The smallest common index: the first window row with a hit (rows ascend).
      for (i = MW - 1; i >= 0; i = i - 1)
        for (j = 0; j < MW; j = j + 1)
          if (a_ok[i] && w_ok[j] && ak[i] == wk[j]) begin
            fire = 1'b1;
            a_pop = i[CW-1:0] + 1'b1;
            w_pop = j[CW-1:0] + 1'b1;
            a_sel = av[i];
            w_sel = wv[j];
          end
      if (!fire) begin
        for (i = 0; i < MW; i = i + 1) begin
          if (a_ok[i] && ak[i] <= w_last) a_pop = i[CW-1:0] + 1'b1;
          if (w_ok[i] && wk[i] <= a_last) w_pop = i[CW-1:0] + 1'b1;
        end
      end
    end
  end

  // FIFOs: shift down by the pop count, push behind the remaining entries.
  integer e;
  reg [FIFO_DEPTH*EW-1:0] a_next, w_next;
  wire [CW-1:0] a_wr = a_n - a_pop;  // slot a pushed entry lands in
  wire [CW-1:0] w_wr = w_n - w_pop;
  integer sh;
  always @* begin
    // Pops are at most MW: an (MW+1):1 select per bit, not a full barrel shifter.
    a_next = a_q;
    w_next = w_q;
    for (sh = 1; sh <= MW; sh = sh + 1) begin
      if (a_pop == sh[CW-1:0]) a_next = a_q >> (sh * EW);
      if (w_pop == sh[CW-1:0]) w_next = w_q >> (sh * EW);
    end
    for (e = 0; e < FIFO_DEPTH; e = e + 1) begin
      if (a_push && !a_full && a_wr == e[CW-1:0]) a_next[e*EW +: EW] = {a_value, a_index};
      if (w_push && !w_full && w_wr == e[CW-1:0]) w_next[e*EW +: EW] = {w_value, w_index};
    end
  end

  always @(posedge clk) begin
    if (rst || clear) begin
      a_n <= {CW{1'b0}};
      w_n <= {CW{1'b0}};
    end else begin
      a_n <= a_n - a_pop + {{(CW-1){1'b0}}, a_push && !a_full};
      w_n <= w_n - w_pop + {{(CW-1){1'b0}}, w_push && !w_full};
    end
    a_q <= a_next;
    w_q <= w_next;
  end

  // MAC: product registered (the DSP's M register), then accumulated.
  reg signed [2*VALUE_BITS-1:0] prod;
  reg                           prod_ok;
  always @(posedge clk) begin
    prod <= $signed(a_sel) * $signed(w_sel);
    prod_ok <= fire && !clear;
    if (rst || clear) acc <= 32'sd0;
    else if (prod_ok) acc <= acc + {{(32-2*VALUE_BITS){prod[2*VALUE_BITS-1]}}, prod};
  end
endmodule
`default_nettype wire
