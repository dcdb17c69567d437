// weight_sram_data: the CS weight-packing SRAM with its data: weight_sram_banks.v (the banks'
// read scheduling, unchanged) plus the words themselves, so the read data can be compared with
// what the MAC lanes multiply (docs/rtl-check.md, "weight_sram", optional data ports).
// Word w (word j of column k is w = k * wpc + j) lives in bank w mod BANKS at address
// w div BANKS; the memory below is indexed address * BANKS + bank, which is w itself.
//
// Ports beyond weight_sram_banks (inputs sampled on the rising edge of clk):
//   wr_en, wr_word, wr_data    write word wr_word (a pass's slice is loaded before its steps)
//   rd_data[WORD_BITS*BANKS*PORTS]
//                              after an edge at which rd_en[b*PORTS+p] was 1:
//                              rd_data[WORD_BITS*(b*PORTS+p) +: WORD_BITS] is the word read
//
// `define BROKEN_PORT_MUX builds the deliberately broken variant: every port of a bank delivers
// the word at port 0's address (one read mux per bank), so a bank reading two words in a cycle
// returns the first one twice.
`default_nettype none
module weight_sram_data #(
    parameter integer BANKS = 4,
    parameter integer PORTS = 2,
    parameter integer NCOL = 8,
    parameter integer WPC_MAX = 4,
    parameter integer WORD_BITS = 16,
    parameter integer DEPTH = 256
) (
    input  wire                             clk,
    input  wire                             rst,
    input  wire                             start,
    input  wire [3:0]                       wpc,
    input  wire [NCOL-1:0]                  req_valid,
    input  wire [NCOL*16-1:0]               req_col,
    output wire                             busy,
    output wire [BANKS*PORTS-1:0]           rd_en,
    output wire [BANKS*PORTS*16-1:0]        rd_addr,
    input  wire                             wr_en,
    input  wire [15:0]                      wr_word,
    input  wire [WORD_BITS-1:0]             wr_data,
    output reg  [BANKS*PORTS*WORD_BITS-1:0] rd_data
);
  localparam integer WORDS = BANKS * DEPTH;
  localparam integer WB = (WORDS > 1) ? $clog2(WORDS) : 1;

  weight_sram_banks #(.BANKS(BANKS), .PORTS(PORTS), .NCOL(NCOL), .WPC_MAX(WPC_MAX)) u (
      .clk(clk), .rst(rst), .start(start), .wpc(wpc), .req_valid(req_valid), .req_col(req_col),
      .busy(busy), .rd_en(rd_en), .rd_addr(rd_addr));

  reg [WORD_BITS-1:0] mem [0:WORDS-1];
  /* verilator lint_off UNUSEDSIGNAL */
  wire [31:0] wr_at = {16'd0, wr_word};
  /* verilator lint_on UNUSEDSIGNAL */
  always @(posedge clk) if (wr_en) mem[wr_at[WB-1:0]] <= wr_data;

  genvar b, p;
  generate
    for (b = 0; b < BANKS; b = b + 1) begin : g_bank
      for (p = 0; p < PORTS; p = p + 1) begin : g_port
        localparam integer I = b * PORTS + p;
`ifdef BROKEN_PORT_MUX
        localparam integer SRC = b * PORTS;
`else
        localparam integer SRC = I;
`endif
        /* verilator lint_off UNUSEDSIGNAL */
        wire [31:0] at = {16'd0, rd_addr[16*SRC +: 16]} * BANKS + b;
        /* verilator lint_on UNUSEDSIGNAL */
        always @(posedge clk) if (rd_en[I]) rd_data[WORD_BITS*I +: WORD_BITS] <= mem[at[WB-1:0]];
      end
    end
  endgenerate
endmodule
`default_nettype wire
