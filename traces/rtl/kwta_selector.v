// kwta_selector: streaming k-winners-take-all over a group of n int8 elements.
// Winners are the k largest magnitudes |v|; among equal magnitudes the lower index wins; winners
// leave in ascending index order (sim/workload/Kwta.h is the definition).
//
// Port contract (docs/rtl-check.md; every input sampled on the rising edge of clk, every output
// registered, so the checker reads outputs after each rising edge):
//   rst                        synchronous reset to idle
//   ready                      1 while idle: a start is accepted
//   start, n, k                start = 1 in an idle cycle begins a group of n elements
//                              (1 <= n <= N_MAX) keeping k (k >= n keeps all n, zeros included)
//   in_valid, in_v             the group's elements in index order, LANES per in_valid cycle:
//                              in_v[8*l +: 8] is element LANES*c + l of the c-th valid cycle;
//                              ceil(n/LANES) valid cycles; lanes past n are ignored. Accepted in
//                              any cycle after start until the last one (no back-pressure).
//   out_valid, out_count,      a cycle with out_valid = 1 carries out_count (1..OUT_WIDTH)
//   out_idx, out_v             winners: out_idx[IDX_BITS*e +: IDX_BITS] (index within the group)
//                              and out_v[8*e +: 8] (its value) for e < out_count
//   done                       one cycle after the group's last winner (the next start may follow)
//
// Micro-architecture (models/KwtaSelector.h, threshold circuit, one bin per cycle):
//   load    elements are stored (one LANES-wide row per cycle) and counted into one private
//           129-bin magnitude histogram per lane;
//   search  bins are scanned from magnitude 128 down, the lanes' counts summed, until the count of
//           magnitudes >= bin t reaches k: every |v| > t wins, plus the first k - count(> t)
//           elements with |v| = t (the tie budget);
//   emit    rows are read back; each lane flags its winner, a prefix count over the lanes hands
//           the tie budget to the lowest indices, and the flagged pairs are compacted into a
//           queue that drains OUT_WIDTH per cycle.
//
// `define BROKEN_TIE_BREAK builds the deliberately broken variant for the checker's self-test:
// the tie budget goes to the highest indices with |v| = t instead of the lowest.
module kwta_selector #(
    parameter LANES = 4,
    parameter OUT_WIDTH = 2,
    parameter N_MAX = 256,  // a multiple of LANES
    parameter IDX_BITS = (N_MAX > 1) ? $clog2(N_MAX) : 1,
    parameter CNT_BITS = $clog2(N_MAX + 1),
    parameter OUT_CNT_BITS = $clog2(OUT_WIDTH + 1)
) (
    input  wire                        clk,
    input  wire                        rst,
    input  wire                        start,
    input  wire [CNT_BITS-1:0]         n,
    input  wire [CNT_BITS-1:0]         k,
    output wire                        ready,
    input  wire                        in_valid,
    input  wire [LANES*8-1:0]          in_v,
    output reg                         out_valid,
    output reg  [OUT_CNT_BITS-1:0]     out_count,
    output reg  [OUT_WIDTH*IDX_BITS-1:0] out_idx,
    output reg  [OUT_WIDTH*8-1:0]      out_v,
    output reg                         done
);
  localparam ROWS_MAX = N_MAX / LANES;
  localparam QB = $clog2(LANES + OUT_WIDTH) + 1;   // queue of at least 2 x (LANES + OUT_WIDTH)
  localparam QD = 1 << QB;
  localparam LB = $clog2(LANES + 1);               // 0..LANES
  localparam MB = (ROWS_MAX > 1) ? $clog2(ROWS_MAX) : 1;  // storage row address
  localparam EB = CNT_BITS + 1;                   // element index of a row's lanes: < N_MAX + LANES
  localparam integer LANES_I = LANES;
  localparam [EB-1:0] LANES_E = LANES_I[EB-1:0];
  localparam integer QROOM_I = QD - LANES;  // queue room a row may need
  localparam integer QOUT_I = OUT_WIDTH;
  localparam [QB:0] Q_ROOM = QROOM_I[QB:0];
  localparam [QB:0] Q_OUT = QOUT_I[QB:0];
  localparam [1:0] S_IDLE = 2'd0, S_LOAD = 2'd1, S_SEARCH = 2'd2, S_EMIT = 2'd3;

  reg [1:0]            state;
  reg [CNT_BITS-1:0]   n_r, k_r;
  reg [MB-1:0]         row;       // storage row being written (load) or read (emit)
  reg [EB-1:0]         row_base;  // element index of the row's lane 0: LANES x row, kept by addition
  reg [LANES*8-1:0]    mem [0:ROWS_MAX-1];
  reg [7:0]            bin, thr;
  reg [CNT_BITS-1:0]   above, budget, ties_seen;
  // Queue entries as flat vectors: Verilator cannot assign unpacked arrays non-blocking in a loop.
  reg [QD*IDX_BITS-1:0] q_idx;
  reg [QD*8-1:0]       q_v;
  reg [QB-1:0]         q_wr, q_rd;
  reg [QB:0]           q_cnt;

  assign ready = (state == S_IDLE);

  function [7:0] mag;  // |v| of a signed int8: 0..128
    input [7:0] v;
    mag = v[7] ? (~v + 8'd1) : v;
  endfunction

  wire [EB-1:0] n_wide = {1'b0, n_r};
  wire          last_row = (row_base + LANES_E >= n_wide);  // the row holds element n - 1

  // ---- load: one private histogram per lane ----
  wire                load_fire = (state == S_LOAD) && in_valid;
  wire [LANES*CNT_BITS-1:0] bin_counts;
  genvar gl;
  generate
    for (gl = 0; gl < LANES; gl = gl + 1) begin : g_lane
      localparam integer LI = gl;
      reg [129*CNT_BITS-1:0] hist;  // bin b: hist[CNT_BITS*b +: CNT_BITS]
      wire [7:0] m = mag(in_v[8*gl +: 8]);
      wire       counts = row_base + {{(EB-LB){1'b0}}, LI[LB-1:0]} < n_wide;
      always @(posedge clk) begin
        if (state == S_IDLE && start) begin
          hist <= {129*CNT_BITS{1'b0}};
        end else if (load_fire && counts) begin
          hist[CNT_BITS*m +: CNT_BITS] <= hist[CNT_BITS*m +: CNT_BITS] + 1'b1;
        end
      end
      assign bin_counts[CNT_BITS*gl +: CNT_BITS] = hist[CNT_BITS*bin +: CNT_BITS];
    end
  endgenerate

  // ---- search: the lanes' counts of the current bin ----
  reg [CNT_BITS-1:0] bin_total;
  integer sl;
  always @* begin
    bin_total = {CNT_BITS{1'b0}};
    for (sl = 0; sl < LANES; sl = sl + 1) bin_total = bin_total + bin_counts[CNT_BITS*sl +: CNT_BITS];
  end
  wire threshold_found = ({1'b0, above} + {1'b0, bin_total} >= {1'b0, k_r}) || (bin == 8'd0);

  // ---- emit: flag, rank ties, compact ----
`ifdef BROKEN_TIE_BREAK
  reg [CNT_BITS-1:0] tie_total;  // elements with |v| = threshold in the group
  always @(posedge clk) if (state == S_SEARCH && threshold_found) tie_total <= bin_total;
`endif
  wire               emit_fire = (state == S_EMIT) && (row_base < n_wide) && (q_cnt <= Q_ROOM);
  wire [LANES*8-1:0] row_v = mem[row];
  reg  [LANES-1:0]   win;
  reg  [LANES*IDX_BITS-1:0] lane_idx;  // group index of each lane's element in this row
  /* verilator lint_off UNUSED */
  reg  [EB-1:0]      lane_e;  // element index; its top bits only matter for the compare with n
  /* verilator lint_on UNUSED */
  reg  [LANES*QB-1:0] wr_slot;         // [QB*l +: QB]: queue entry of lane l's winner
  reg  [OUT_WIDTH*QB-1:0] rd_slot;     // [QB*e +: QB]: queue entry shown in output entry e
  reg  [LB-1:0]      n_win, n_tie;
  reg  [CNT_BITS-1:0] rank;
  integer el;
  always @* begin
    n_win = {LB{1'b0}};
    n_tie = {LB{1'b0}};
    rank = {CNT_BITS{1'b0}};
    for (el = 0; el < LANES; el = el + 1) begin
      wr_slot[QB*el +: QB] = q_wr + {{(QB-LB){1'b0}}, n_win};
      win[el] = 1'b0;
      lane_e = row_base + {{(EB-LB){1'b0}}, el[LB-1:0]};
      lane_idx[IDX_BITS*el +: IDX_BITS] = lane_e[IDX_BITS-1:0];
      if (lane_e < n_wide) begin
        rank = ties_seen + {{(CNT_BITS-LB){1'b0}}, n_tie};
        if (mag(row_v[8*el +: 8]) > thr) begin
          win[el] = 1'b1;
        end else if (mag(row_v[8*el +: 8]) == thr) begin
`ifdef BROKEN_TIE_BREAK
          // Ties ranked from the end: the last `budget` ties of the group win.
          win[el] = (rank + budget >= tie_total);
`else
          win[el] = (rank < budget);
`endif
          n_tie = n_tie + 1'b1;
        end
      end
      if (win[el]) n_win = n_win + 1'b1;
    end
  end

  // ---- output queue ----
  integer ro;
  always @* for (ro = 0; ro < OUT_WIDTH; ro = ro + 1) rd_slot[QB*ro +: QB] = q_rd + ro[QB-1:0];
  wire [QB:0] pop = (q_cnt > Q_OUT) ? Q_OUT : q_cnt;
  wire [QB:0] push = emit_fire ? {{(QB+1-LB){1'b0}}, n_win} : {(QB+1){1'b0}};

  integer e;
  always @(posedge clk) begin
    if (rst) begin
      state <= S_IDLE;
      q_wr <= {QB{1'b0}};
      q_rd <= {QB{1'b0}};
      q_cnt <= {(QB+1){1'b0}};
      out_valid <= 1'b0;
      out_count <= {OUT_CNT_BITS{1'b0}};
      done <= 1'b0;
    end else begin
      done <= 1'b0;
      case (state)
        S_IDLE: if (start) begin
          n_r <= n;
          k_r <= k;
          row <= {MB{1'b0}};
          row_base <= {EB{1'b0}};
          state <= S_LOAD;
        end
        S_LOAD: if (in_valid) begin
          mem[row] <= in_v;
          row <= row + 1'b1;
          row_base <= row_base + LANES_E;
          if (last_row) begin
            state <= S_SEARCH;
            bin <= 8'd128;
            above <= {CNT_BITS{1'b0}};
          end
        end
        S_SEARCH: if (threshold_found) begin
          thr <= bin;
          budget <= k_r - above;
          ties_seen <= {CNT_BITS{1'b0}};
          row <= {MB{1'b0}};
          row_base <= {EB{1'b0}};
          state <= S_EMIT;
        end else begin
          above <= above + bin_total;
          bin <= bin - 8'd1;
        end
        default: begin  // S_EMIT
          if (emit_fire) begin
            for (e = 0; e < LANES; e = e + 1)
              if (win[e]) begin
                q_idx[IDX_BITS*wr_slot[QB*e +: QB] +: IDX_BITS] <= lane_idx[IDX_BITS*e +: IDX_BITS];
                q_v[8*wr_slot[QB*e +: QB] +: 8] <= row_v[8*e +: 8];
              end
            q_wr <= q_wr + {{(QB-LB){1'b0}}, n_win};
            ties_seen <= ties_seen + {{(CNT_BITS-LB){1'b0}}, n_tie};
            row <= row + 1'b1;
            row_base <= row_base + LANES_E;
          end else if (row_base >= n_wide && q_cnt == 0) begin
            done <= 1'b1;
            state <= S_IDLE;
          end
        end
      endcase

      out_valid <= (pop != 0);
      out_count <= pop[OUT_CNT_BITS-1:0];
      for (e = 0; e < OUT_WIDTH; e = e + 1) begin
        out_idx[IDX_BITS*e +: IDX_BITS] <= q_idx[IDX_BITS*rd_slot[QB*e +: QB] +: IDX_BITS];
        out_v[8*e +: 8] <= q_v[8*rd_slot[QB*e +: QB] +: 8];
      end
      q_rd <= q_rd + pop[QB-1:0];
      q_cnt <= q_cnt + push - pop;
    end
  end
endmodule
