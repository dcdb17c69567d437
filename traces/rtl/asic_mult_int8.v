// A signed 8 x 8 -> 16-bit multiplier, combinational, for the ASIC calibration's cross-check
// against published 45 nm multiplier areas (tools/calibrate-asic, docs/asic-area.md).
`default_nettype none
module asic_mult_int8 (
    input  wire signed [7:0]  a,
    input  wire signed [7:0]  b,
    output wire signed [15:0] p
);
  assign p = a * b;
endmodule
`default_nettype wire
