// kwta_bitonic: the bitonic k-WTA circuit of models/cs/KwtaSelector.h, cycle for cycle, behind
// the kwta_selector port contract plus a read port for the network's keys (docs/rtl-check.md
// "kwta_bitonic").
//
// Per group of n elements (P = the next power of two >= n, padding sorts last):
//   load     ceil(n / LANES) in_valid cycles write the keys {valid, |v|, ~index} (and the values);
//   sort     log2(P) (log2(P) + 1) / 2 compare stages of P/2 compare-exchanges each, COMPARATORS a
//            cycle: ceil(P / (2 COMPARATORS)) cycles a stage; the edge that completes a stage
//            raises stage_valid for one cycle. Descending: larger magnitude first, among equal
//            magnitudes the lower index (its complement is larger);
//   emit     the first k keys are the winners; they leave in ascending index order, OUT_WIDTH a
//            cycle, from the edge after the last stage on: ceil(k / OUT_WIDTH) cycles; then done.
// key_sel / key_valid / key_mag / key_idx read network position key_sel combinationally.
//
// `define BROKEN_TIE_IGNORED builds the deliberately broken variant for the checker's self-test:
// the comparators compare magnitudes only, so equal magnitudes are never put in index order.
`default_nettype none
module kwta_bitonic #(
    parameter integer LANES = 4,
    parameter integer OUT_WIDTH = 2,
    parameter integer N_MAX = 256,        // a power of two
    parameter integer COMPARATORS = 8,
    parameter integer IDX_BITS = $clog2(N_MAX),
    parameter integer CNT_BITS = $clog2(N_MAX + 1),
    parameter integer OUT_CNT_BITS = $clog2(OUT_WIDTH + 1),
    parameter integer LG_BITS = $clog2(IDX_BITS + 1)
) (
    input  wire                          clk,
    input  wire                          rst,
    input  wire                          start,
    input  wire [CNT_BITS-1:0]           n,
    input  wire [CNT_BITS-1:0]           k,
    output wire                          ready,
    input  wire                          in_valid,
    input  wire [8*LANES-1:0]            in_v,
    output reg                           out_valid,
    output reg  [OUT_CNT_BITS-1:0]       out_count,
    output reg  [IDX_BITS*OUT_WIDTH-1:0] out_idx,
    output reg  [8*OUT_WIDTH-1:0]        out_v,
    output reg                           done,
    output reg                           stage_valid,
    input  wire [IDX_BITS-1:0]           key_sel,
    output wire                          key_valid,
    output wire [7:0]                    key_mag,
    output wire [IDX_BITS-1:0]           key_idx
);
  localparam integer KW = 1 + 8 + IDX_BITS;  // {valid, magnitude, ~index}
  localparam [1:0] IDLE = 2'd0, LOAD = 2'd1, SORT = 2'd2, EMIT = 2'd3;

  reg [1:0]          state;
  reg [N_MAX*KW-1:0] keys;             // network position p: keys[KW*p +: KW]
  reg [N_MAX*8-1:0]  vals;             // by index
  reg [N_MAX*KW-1:0] keys_next;
  reg [N_MAX*8-1:0]  vals_next;
  reg [CNT_BITS-1:0] n_r, k_r, loaded, emitted;
  reg [LG_BITS-1:0]  lg, sa, sb;        // log2 P; the stage's size log (1..lg) and stride log
  reg [CNT_BITS-1:0] u;                 // cycle within the stage
  reg [IDX_BITS:0]   scan;              // first index not yet emitted

  assign ready = state == IDLE && !done;
  wire [KW-1:0] key_at = keys[KW*key_sel +: KW];
  assign key_valid = key_at[KW-1];
  assign key_mag = key_at[IDX_BITS +: 8];
  assign key_idx = ~key_at[IDX_BITS-1:0];

  // log2 of the next power of two >= n, for the start cycle.
  reg [LG_BITS-1:0] lg_n;
  integer q;
  always @* begin
    lg_n = {LG_BITS{1'b0}};
    for (q = 0; q < IDX_BITS; q = q + 1)
      if ({{(32-CNT_BITS){1'b0}}, n} > (32'd1 << q)) lg_n = q[LG_BITS-1:0] + 1'b1;
  end
  wire [CNT_BITS-1:0] half = {{(CNT_BITS-1){1'b0}}, 1'b1} << (lg - 1'b1);  // P / 2
  wire [CNT_BITS-1:0] per_stage = (half + COMPARATORS[CNT_BITS-1:0] - 1'b1) / COMPARATORS[CNT_BITS-1:0];

  // Winners: the first k network positions, by index.
  reg [N_MAX-1:0] win;
  integer p;
  always @* begin
    win = {N_MAX{1'b0}};
    for (p = 0; p < N_MAX; p = p + 1)
      if (p < {{(32-CNT_BITS){1'b0}}, k_r} && keys[KW*p + KW-1]) win[~keys[KW*p +: IDX_BITS]] = 1'b1;
  end

  // One emit cycle: the OUT_WIDTH lowest winners at or after scan.
  reg [IDX_BITS*OUT_WIDTH-1:0] e_idx;
  reg [8*OUT_WIDTH-1:0]        e_v;
  reg [OUT_CNT_BITS-1:0]       e_cnt;
  reg [IDX_BITS:0]             e_next;
  integer x;
  always @* begin
    e_idx = {IDX_BITS*OUT_WIDTH{1'b0}};
    e_v = {8*OUT_WIDTH{1'b0}};
    e_cnt = {OUT_CNT_BITS{1'b0}};
    e_next = scan;
    for (x = 0; x < N_MAX; x = x + 1)
      if (x >= {{(31-IDX_BITS){1'b0}}, scan} && win[x] && {{(32-OUT_CNT_BITS){1'b0}}, e_cnt} < OUT_WIDTH) begin
        e_idx[IDX_BITS*e_cnt +: IDX_BITS] = x[IDX_BITS-1:0];
        e_v[8*e_cnt +: 8] = vals[8*x +: 8];
        e_cnt = e_cnt + 1'b1;
        e_next = x[IDX_BITS:0] + 1'b1;
      end
  end

  // The cycle's compare-exchanges: pair u * COMPARATORS + c of the stage, position i with a 0
  // inserted at bit sb, partner j = i | 2^sb; bit sa of i clear: the block sorts descending.
  reg [IDX_BITS:0]  ci [0:COMPARATORS-1];
  reg [IDX_BITS:0]  cj [0:COMPARATORS-1];
  reg [COMPARATORS-1:0] cswap;
  reg [31:0] pair;
  reg [KW-1:0] ki, kj;
  integer c;
  always @* begin
    for (c = 0; c < COMPARATORS; c = c + 1) begin
      pair = {{(32-CNT_BITS){1'b0}}, u} * COMPARATORS + c;
      ci[c] = (((pair[IDX_BITS:0] >> sb) << (sb + 1'b1)) | (pair[IDX_BITS:0] & ((1 << sb) - 1)));
      cj[c] = ci[c] | ((IDX_BITS + 1)'(1) << sb);
      ki = keys[KW*ci[c][IDX_BITS-1:0] +: KW];
      kj = keys[KW*cj[c][IDX_BITS-1:0] +: KW];
`ifdef BROKEN_TIE_IGNORED
      // The index bits are masked off: equal magnitudes compare equal and are never swapped.
      ki[IDX_BITS-1:0] = {IDX_BITS{1'b0}};
      kj[IDX_BITS-1:0] = {IDX_BITS{1'b0}};
      cswap[c] = ci[c][sa] ? ki > kj : ki < kj;
`else
      cswap[c] = ci[c][sa] ? ki > kj : ki < kj;
`endif
      if (pair >= {{(32-CNT_BITS){1'b0}}, half}) cswap[c] = 1'b0;
    end
  end

  // The load cycle's keys: lane l holds element loaded + l.
  reg [IDX_BITS-1:0] lpos [0:LANES-1];
  reg [7:0]          lmag [0:LANES-1];
  reg [LANES-1:0]    lin;
  integer l;
  always @* begin
    for (l = 0; l < LANES; l = l + 1) begin
      lpos[l] = loaded[IDX_BITS-1:0] + l[IDX_BITS-1:0];
      lmag[l] = in_v[8*l+7] ? -in_v[8*l +: 8] : in_v[8*l +: 8];
      lin[l] = {{(32-CNT_BITS){1'b0}}, loaded} + l < {{(32-CNT_BITS){1'b0}}, n_r};
    end
  end

  // The keys and values after this cycle's start, load or compare-exchanges.
  integer w;
  always @* begin
    keys_next = keys;
    vals_next = vals;
    if (state == IDLE && start) keys_next = {N_MAX*KW{1'b0}};  // padding: below every real key
    if (state == LOAD && in_valid)
      for (w = 0; w < LANES; w = w + 1)
        if (lin[w]) begin
          keys_next[KW*lpos[w] +: KW] = {1'b1, lmag[w], ~lpos[w]};
          vals_next[8*lpos[w] +: 8] = in_v[8*w +: 8];
        end
    if (state == SORT)
      for (w = 0; w < COMPARATORS; w = w + 1)
        if (cswap[w]) begin
          keys_next[KW*ci[w][IDX_BITS-1:0] +: KW] = keys[KW*cj[w][IDX_BITS-1:0] +: KW];
          keys_next[KW*cj[w][IDX_BITS-1:0] +: KW] = keys[KW*ci[w][IDX_BITS-1:0] +: KW];
        end
  end

  always @(posedge clk) begin
    keys <= keys_next;
    vals <= vals_next;
    stage_valid <= 1'b0;
    if (rst) begin
      state <= IDLE;
      out_valid <= 1'b0;
      done <= 1'b0;
    end else begin
      done <= 1'b0;
      case (state)
        IDLE: if (start) begin
          n_r <= n;
          k_r <= k;
          lg <= lg_n;
          loaded <= {CNT_BITS{1'b0}};
          emitted <= {CNT_BITS{1'b0}};
          scan <= {(IDX_BITS+1){1'b0}};
          state <= LOAD;
        end
        LOAD: if (in_valid) begin
          loaded <= loaded + LANES[CNT_BITS-1:0];
          if ({{(32-CNT_BITS){1'b0}}, loaded} + LANES >= {{(32-CNT_BITS){1'b0}}, n_r}) begin
            sa <= {{(LG_BITS-1){1'b0}}, 1'b1};
            sb <= {LG_BITS{1'b0}};
            u <= {CNT_BITS{1'b0}};
            state <= lg == 0 ? EMIT : SORT;
          end
        end
        SORT: begin
          if (u == per_stage - 1'b1) begin
            stage_valid <= 1'b1;
            u <= {CNT_BITS{1'b0}};
            if (sb == 0) begin
              if (sa == lg) state <= EMIT;
              else begin
                sa <= sa + 1'b1;
                sb <= sa;
              end
            end else sb <= sb - 1'b1;
          end else u <= u + 1'b1;
        end
        EMIT: begin
          if (emitted >= k_r) begin
            out_valid <= 1'b0;
            done <= 1'b1;
            state <= IDLE;
          end else begin
            out_valid <= 1'b1;
            out_count <= e_cnt;
            out_idx <= e_idx;
            out_v <= e_v;
            scan <= e_next;
            emitted <= emitted + {{(CNT_BITS-OUT_CNT_BITS){1'b0}}, e_cnt};
          end
        end
      endcase
      if (state != EMIT) out_valid <= 1'b0;
    end
  end
endmodule
`default_nettype wire
