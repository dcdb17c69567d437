// One bank of the CS weight-packing SRAM (models/WeightPackingSram.h) and, at buffer geometries,
// one global-buffer partition: a WIDTH x DEPTH simple-dual-port memory, one write port and one
// read port with a registered read (the block RAM's own output register), written so that
// synthesis infers block RAM rather than fabric. Used by tools/calibrate-resources to check the
// model's block-RAM packing rule (sim/resources/ResourceModel.cpp, sramBlocks).
`default_nettype none
module weight_sram #(
    parameter integer WIDTH = 72,   // bits per word (cs.sram.word_bits, or the buffer's port width)
    parameter integer DEPTH = 1024  // words (cs.sram.depth, or buffer bytes * 8 / WIDTH)
) (
    input  wire                     clk,
    input  wire                     we,
    input  wire [$clog2(DEPTH)-1:0] waddr,
    input  wire [WIDTH-1:0]         wdata,
    input  wire                     re,
    input  wire [$clog2(DEPTH)-1:0] raddr,
    output reg  [WIDTH-1:0]         rdata
);
  (* ram_style = "block" *) reg [WIDTH-1:0] mem [0:DEPTH-1];

  always @(posedge clk) begin
    if (we) mem[waddr] <= wdata;
  end

  always @(posedge clk) begin
    if (re) rdata <= mem[raddr];
  end
endmodule
`default_nettype wire
