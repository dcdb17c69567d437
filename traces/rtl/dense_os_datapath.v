// dense_os_datapath: the whole dense output-stationary datapath of models/DenseDatapath with ideal
// memory (SCALE-Sim compatibility): operand buffers, the fold controller with its skewed edge
// feeders, a ROWS x COLS array of os_pe, and the drain into the output buffer.
//
// A layer (one conv group's GEMM C[M][N] = sum_k A[M][K] * Bt[N][K]) runs as the model runs it:
// output tiles of ROWS x COLS (m-tile outer, n-tile inner), each a fold of K + ROWS + COLS - 2
// cycles in which row i takes A[m0+i][c-i] and column j takes Bt[n0+j][c-j] at fold cycle c
// (zero outside the tile), folds back to back. The edge that samples `start` is fold 0's cycle 0,
// and `ready` rises after the last fold's last cycle, so the number of rising edges from the one
// that samples `start` to the first one after which `ready` is 1 is the layer's cycle count. A
// finished fold's sums are copied to the PEs' shadow registers and drained one row per cycle into
// the output buffer, under the next fold (a fold lasts at least ROWS cycles); after the layer's
// last fold `drain_busy` stays 1 for ROWS + 1 more cycles, overlapping the next layer's start.
//
// Ports (all inputs sampled on the rising edge of clk):
//   rst                       synchronous reset (the testbench pulses it once)
//   start, ready              start a layer of cfg_m x cfg_k x cfg_n when ready (= idle)
//   ld_a_we, ld_a_m, ld_a_k, ld_a_v   ideal-memory fill of A[m][k] (m < M_MAX, k < K_MAX), while idle
//   ld_b_we, ld_b_n, ld_b_k, ld_b_v   ideal-memory fill of Bt[n][k]
//   out_m, out_n -> out_v     the output buffer's C[out_m][out_n] (combinational read)
//   drain_busy                1 while finished sums are still moving into the output buffer
//   fold_cycle, fold_index    the controller's state (fold cycle c and the fold's sequence number
//                             within the layer), for waveforms
`default_nettype none
module dense_os_datapath #(
    parameter integer ROWS  = 4,
    parameter integer COLS  = 4,
    parameter integer M_MAX = 64,   // operand/output buffer sizes: the largest layer it holds
    parameter integer N_MAX = 16,
    parameter integer K_MAX = 256,
    parameter integer ROW_BITS = (ROWS > 1) ? $clog2(ROWS) : 1,
    parameter integer A_BITS = $clog2(M_MAX * K_MAX),
    parameter integer B_BITS = $clog2(N_MAX * K_MAX),
    parameter integer O_BITS = $clog2(M_MAX * N_MAX)
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        start,
    output wire        ready,
    input  wire [15:0] cfg_m,
    input  wire [15:0] cfg_n,
    input  wire [15:0] cfg_k,
    input  wire        ld_a_we,
    input  wire [15:0] ld_a_m,
    input  wire [15:0] ld_a_k,
    input  wire [7:0]  ld_a_v,
    input  wire        ld_b_we,
    input  wire [15:0] ld_b_n,
    input  wire [15:0] ld_b_k,
    input  wire [7:0]  ld_b_v,
    input  wire [15:0] out_m,
    input  wire [15:0] out_n,
    output wire [31:0] out_v,
    output wire        drain_busy,
    output wire [15:0] fold_cycle,
    output wire [15:0] fold_index
);
  // ---- operand and output buffers (ideal memory: filled before the layer starts) ----
  reg [7:0]  abuf [0:M_MAX*K_MAX-1];  // A[m][k] at m * K_MAX + k; one read port per array row
  reg [7:0]  bbuf [0:N_MAX*K_MAX-1];  // Bt[n][k] at n * K_MAX + k; one read port per column
  reg [31:0] obuf [0:M_MAX*N_MAX-1];  // C[m][n] at m * N_MAX + n; one row of COLS writes per cycle

  wire [A_BITS-1:0] a_waddr = A_BITS'({16'd0, ld_a_m} * K_MAX + {16'd0, ld_a_k});
  wire [B_BITS-1:0] b_waddr = B_BITS'({16'd0, ld_b_n} * K_MAX + {16'd0, ld_b_k});
  wire [O_BITS-1:0] o_raddr = O_BITS'({16'd0, out_m} * N_MAX + {16'd0, out_n});
  always @(posedge clk) begin
    if (ld_a_we) abuf[a_waddr] <= ld_a_v;
    if (ld_b_we) bbuf[b_waddr] <= ld_b_v;
  end
  assign out_v = obuf[o_raddr];

  // ---- fold controller ----
  reg        busy;
  reg [15:0] c, m0, n0, seq, lay_m, lay_n, lay_k, fc;
  wire        go     = start & ~busy;
  wire        act    = busy | go;            // this edge is a fold cycle
  wire [15:0] cur_c  = busy ? c : 16'd0;
  wire [15:0] cur_m0 = busy ? m0 : 16'd0;
  wire [15:0] cur_n0 = busy ? n0 : 16'd0;
  wire [15:0] cur_m  = busy ? lay_m : cfg_m;
  wire [15:0] cur_n  = busy ? lay_n : cfg_n;
  wire [15:0] cur_k  = busy ? lay_k : cfg_k;
  wire [15:0] cur_fc = busy ? fc : cfg_k + 16'(ROWS + COLS - 2);
  wire        last_c = cur_c == cur_fc - 16'd1;
  wire        last_n = {16'd0, cur_n0} + COLS >= {16'd0, cur_n};
  wire        last_m = {16'd0, cur_m0} + ROWS >= {16'd0, cur_m};
  wire        restart = act & (cur_c == 16'd0);
  reg         snap;                        // the previous edge ended a fold
  reg [15:0]  lf_m0, lf_n0, lf_m, lf_n;    // geometry of the fold that ended last

  assign ready = ~busy;
  assign fold_cycle = cur_c;
  assign fold_index = busy ? seq : 16'd0;

  always @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0;
      c <= 16'd0; m0 <= 16'd0; n0 <= 16'd0; seq <= 16'd0;
      lay_m <= 16'd0; lay_n <= 16'd0; lay_k <= 16'd0; fc <= 16'd0;
      snap <= 1'b0;
      lf_m0 <= 16'd0; lf_n0 <= 16'd0; lf_m <= 16'd0; lf_n <= 16'd0;
    end else begin
      snap <= act & last_c;
      if (go) begin
        lay_m <= cfg_m; lay_n <= cfg_n; lay_k <= cfg_k; fc <= cur_fc;
      end
      if (act) begin
        if (last_c) begin
          lf_m0 <= cur_m0; lf_n0 <= cur_n0; lf_m <= cur_m; lf_n <= cur_n;
          c <= 16'd0;
          if (last_n && last_m) begin
            busy <= 1'b0;
            seq <= 16'd0;
          end else begin
            busy <= 1'b1;
            seq <= (busy ? seq : 16'd0) + 16'd1;
            m0 <= last_n ? cur_m0 + 16'(ROWS) : cur_m0;
            n0 <= last_n ? 16'd0 : cur_n0 + 16'(COLS);
          end
        end else begin
          busy <= 1'b1;
          c <= cur_c + 16'd1;
          m0 <= cur_m0;
          n0 <= cur_n0;
          seq <= busy ? seq : 16'd0;
        end
      end
    end
  end

  // ---- edge feeders: the skew, and zeros outside the tile ----
  wire [7:0] a_edge [0:ROWS-1];
  wire [7:0] b_edge [0:COLS-1];
  genvar i, j;
  generate
    for (i = 0; i < ROWS; i = i + 1) begin : g_feed_a
      wire [15:0] m = cur_m0 + 16'(i);
      wire [16:0] kx = {1'b0, cur_c} - 17'(i);  // negative (bit 16): before the row's skew
      wire [15:0] k = kx[15:0];
      wire        live = act && !kx[16] && (k < cur_k) && (m < cur_m);
      wire [A_BITS-1:0] addr = A_BITS'({16'd0, m} * K_MAX + {16'd0, k});
      assign a_edge[i] = live ? abuf[addr] : 8'd0;
    end
    for (j = 0; j < COLS; j = j + 1) begin : g_feed_b
      wire [15:0] n = cur_n0 + 16'(j);
      wire [16:0] kx = {1'b0, cur_c} - 17'(j);
      wire [15:0] k = kx[15:0];
      wire        live = act && !kx[16] && (k < cur_k) && (n < cur_n);
      wire [B_BITS-1:0] addr = B_BITS'({16'd0, n} * K_MAX + {16'd0, k});
      assign b_edge[j] = live ? bbuf[addr] : 8'd0;
    end
  endgenerate

  // ---- the PE array ----
  /* verilator lint_off UNUSED */
  wire [7:0]  ah [0:ROWS-1][0:COLS];
  wire [7:0]  bv [0:ROWS][0:COLS-1];
  wire [31:0] acc [0:ROWS-1][0:COLS-1];   // running sums: for waveforms
  /* verilator lint_on UNUSED */
  wire [COLS*32-1:0] shadow_row [0:(1<<ROW_BITS)-1];
  generate
    for (i = 0; i < ROWS; i = i + 1) begin : g_left
      assign ah[i][0] = a_edge[i];
    end
    for (j = 0; j < COLS; j = j + 1) begin : g_top
      assign bv[0][j] = b_edge[j];
    end
    for (i = ROWS; i < (1 << ROW_BITS); i = i + 1) begin : g_pad
      assign shadow_row[i] = {COLS*32{1'b0}};
    end
    for (i = 0; i < ROWS; i = i + 1) begin : g_row
      for (j = 0; j < COLS; j = j + 1) begin : g_col
        os_pe pe (
            .clk    (clk),
            .rst    (rst),
            .restart(restart),
            .snap   (snap),
            .a_in   (ah[i][j]),
            .b_in   (bv[i][j]),
            .a_out  (ah[i][j+1]),
            .b_out  (bv[i+1][j]),
            .acc    (acc[i][j]),
            .shadow (shadow_row[i][32*j +: 32])
        );
      end
    end
  endgenerate

  // ---- drain: one shadow row per cycle into the output buffer ----
  localparam [ROW_BITS-1:0] LAST_ROW = ROW_BITS'(ROWS - 1);
  reg                d_busy;
  reg [ROW_BITS-1:0] d_row;
  reg [15:0]         d_m0, d_n0, d_m, d_n;
  wire [15:0]        d_mrow = d_m0 + {{(16-ROW_BITS){1'b0}}, d_row};
  wire [COLS*32-1:0] d_vals = shadow_row[d_row];
  assign drain_busy = d_busy | snap;
  integer q;
  always @(posedge clk) begin
    if (rst) begin
      d_busy <= 1'b0;
      d_row <= {ROW_BITS{1'b0}};
      d_m0 <= 16'd0; d_n0 <= 16'd0; d_m <= 16'd0; d_n <= 16'd0;
    end else begin
      if (d_busy && d_mrow < d_m)
        for (q = 0; q < COLS; q = q + 1)
          if ({16'd0, d_n0} + q < {16'd0, d_n})
            obuf[O_BITS'({16'd0, d_mrow} * N_MAX + {16'd0, d_n0} + q)] <= d_vals[32*q +: 32];
      if (snap) begin
        d_busy <= 1'b1;
        d_row <= {ROW_BITS{1'b0}};
        d_m0 <= lf_m0; d_n0 <= lf_n0; d_m <= lf_m; d_n <= lf_n;
      end else if (d_busy) begin
        d_busy <= d_row != LAST_ROW;
        d_row <= d_row + 1'b1;
      end
    end
  end
endmodule
`default_nettype wire
