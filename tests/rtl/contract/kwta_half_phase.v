// A kwta_selector top module with only two of the five phase ports: tools/validate-rtl must
// refuse it before any build (rtl_validate_tool_half_phase), naming the ports it lacks.
module kwta_half_phase (
    input  wire        clk,
    input  wire        rst,
    input  wire        start,
    input  wire [8:0]  n,
    input  wire [8:0]  k,
    output wire        ready,
    input  wire        in_valid,
    input  wire [31:0] in_v,
    output wire        out_valid,
    output wire [1:0]  out_count,
    output wire [15:0] out_idx,
    output wire [15:0] out_v,
    output wire        done,
    output wire        phase_thr_valid,
    output wire [7:0]  phase_thr
);
  kwta_selector_phase u (
      .clk(clk), .rst(rst), .start(start), .n(n), .k(k), .ready(ready), .in_valid(in_valid), .in_v(in_v),
      .out_valid(out_valid), .out_count(out_count), .out_idx(out_idx), .out_v(out_v), .done(done),
      .phase_thr_valid(phase_thr_valid), .phase_thr(phase_thr),
      /* verilator lint_off PINCONNECTEMPTY */
      .phase_budget(), .phase_flag_valid(), .phase_flag_win()
      /* verilator lint_on PINCONNECTEMPTY */);
endmodule
