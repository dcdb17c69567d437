// kwta_selector_phase: kwta_selector.v with its phase shown on ports, for the checker's phase
// comparison (docs/rtl-check.md, "kwta_selector"): the kwta_selector ports unchanged, plus
//   phase_thr_valid             1 after the edge that ends the threshold search
//   phase_thr, phase_budget     then: the threshold bin and the tie budget (winners of |v| = thr)
//   phase_flag_valid            1 after an edge that read a pass-2 row
//   phase_flag_win              then: bit l = the row's lane l holds a winner
// The taps read the selector's registers and row logic by hierarchical reference, so
// kwta_selector.v itself (the file the resource calibration synthesises) stays as it is; the
// broken variant (`define BROKEN_TIE_BREAK) is the selector's own.
module kwta_selector_phase #(
    parameter LANES = 4,
    parameter OUT_WIDTH = 2,
    parameter N_MAX = 256,
    parameter IDX_BITS = (N_MAX > 1) ? $clog2(N_MAX) : 1,
    parameter CNT_BITS = $clog2(N_MAX + 1),
    parameter OUT_CNT_BITS = $clog2(OUT_WIDTH + 1)
) (
    input  wire                          clk,
    input  wire                          rst,
    input  wire                          start,
    input  wire [CNT_BITS-1:0]           n,
    input  wire [CNT_BITS-1:0]           k,
    output wire                          ready,
    input  wire                          in_valid,
    input  wire [LANES*8-1:0]            in_v,
    output wire                          out_valid,
    output wire [OUT_CNT_BITS-1:0]       out_count,
    output wire [OUT_WIDTH*IDX_BITS-1:0] out_idx,
    output wire [OUT_WIDTH*8-1:0]        out_v,
    output wire                          done,
    output reg                           phase_thr_valid,
    output wire [7:0]                    phase_thr,
    output wire [CNT_BITS-1:0]           phase_budget,
    output reg                           phase_flag_valid,
    output reg  [LANES-1:0]              phase_flag_win
);
  kwta_selector #(.LANES(LANES), .OUT_WIDTH(OUT_WIDTH), .N_MAX(N_MAX), .IDX_BITS(IDX_BITS), .CNT_BITS(CNT_BITS),
                  .OUT_CNT_BITS(OUT_CNT_BITS)) u (
      .clk(clk), .rst(rst), .start(start), .n(n), .k(k), .ready(ready), .in_valid(in_valid), .in_v(in_v),
      .out_valid(out_valid), .out_count(out_count), .out_idx(out_idx), .out_v(out_v), .done(done));

  // The search ends on the edge at which the selector leaves S_SEARCH (2) for S_EMIT (3); thr and
  // budget are its registers from then on.
  assign phase_thr = u.thr;
  assign phase_budget = u.budget;
  always @(posedge clk) begin
    phase_thr_valid <= !rst && u.state == 2'd2 && u.threshold_found;
    phase_flag_valid <= !rst && u.emit_fire;
    phase_flag_win <= u.win;
  end
endmodule
