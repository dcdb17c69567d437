// decompressor_drop_last: traces/rtl/decompressor.v behind a deliberate bug, for the checker's
// self-test: when a beat is full (every one of the NNZ entry slots valid) its last entry is
// dropped, the off-by-one of a beat-mask built as (1 << count) - 2 instead of - 1. The lane it
// named keeps zero, and the entries of the vector's later beats get ordinals one too low, so
// their segments can be wrong too. tests/rtl/expect_mismatch.py (drop_last) predicts the first
// wrong lane by replaying the unit's arithmetic in Python.
`default_nettype none
module decompressor_drop_last #(
    parameter integer LANES = 32,
    parameter integer NNZ = 8,
    parameter integer INDEX_BITS = 5,
    parameter integer VALUE_BITS = 8,
    parameter integer POSW = (LANES > 1) ? $clog2(LANES) : 1,
    parameter integer SEGB = (INDEX_BITS < POSW) ? INDEX_BITS : POSW,
    parameter integer SEGS = (LANES + (1 << SEGB) - 1) / (1 << SEGB),
    parameter integer PTRW = $clog2(LANES + 1)
) (
    input  wire                        clk,
    input  wire                        rst,
    input  wire                        ptr_load,
    input  wire [SEGS*PTRW-1:0]        ptr_in,
    input  wire                        in_valid,
    input  wire                        in_first,
    input  wire                        in_last,
    input  wire [NNZ-1:0]              in_mask,
    input  wire [NNZ*VALUE_BITS-1:0]   in_value,
    input  wire [NNZ*INDEX_BITS-1:0]   in_index,
    output wire                        out_valid,
    output wire [LANES*VALUE_BITS-1:0] out_vec
);
  wire [NNZ-1:0] full = {NNZ{1'b1}};
  wire [NNZ-1:0] mask = (in_mask == full) ? (in_mask >> 1) : in_mask;
  decompressor #(.LANES(LANES), .NNZ(NNZ), .INDEX_BITS(INDEX_BITS), .VALUE_BITS(VALUE_BITS)) u (
      .clk(clk), .rst(rst), .ptr_load(ptr_load), .ptr_in(ptr_in), .in_valid(in_valid), .in_first(in_first),
      .in_last(in_last), .in_mask(mask), .in_value(in_value), .in_index(in_index), .out_valid(out_valid), .out_vec(out_vec));
endmodule
`default_nettype wire
