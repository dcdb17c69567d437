// A 32-bit adder, combinational, for the ASIC calibration's cross-check against published 45 nm
// adder areas (tools/calibrate-asic, docs/asic-area.md).
`default_nettype none
module asic_add_int32 (
    input  wire [31:0] a,
    input  wire [31:0] b,
    output wire [31:0] s
);
  assign s = a + b;
endmodule
`default_nettype wire
