// weight_sram_banks: the read side of the CS weight-packing SRAM (models/WeightPackingSram.h):
// BANKS banks of PORTS read ports each, serving one step's column requests. Word j of column k
// is word k * wpc + j, held by bank (k * wpc + j) mod BANKS at address (k * wpc + j) div BANKS.
// Every cycle each bank reads up to PORTS of its pending words (lowest request slot first), so a
// request takes max over banks ceil(words in the bank / PORTS) cycles: one column's own words
// beyond BANKS x PORTS are the bandwidth limit, words of several columns meeting in a bank are
// the bank conflicts the model counts as stall cycles.
//
// Ports (inputs sampled on the rising edge of clk):
//   rst                       synchronous reset
//   start                     with busy = 0: take a request: req_valid[c] marks slot c's column
//                             req_col[16*c +: 16], each wpc words (1 <= wpc <= WPC_MAX)
//   busy                      words of the request are still to be read
//   rd_en[BANKS*PORTS]        bit b*PORTS+p: bank b's port p reads this cycle (combinational from
//   rd_addr[16*BANKS*PORTS]   the pending words; the read happens at the next edge), at address
//                             rd_addr[16*(b*PORTS+p) +: 16]
//
// `define BROKEN_BANK_MAP builds the deliberately broken variant: the bank is (k + j) mod BANKS,
// the column index without its wpc stride, so multi-word columns land in the wrong banks.
`default_nettype none
module weight_sram_banks #(
    parameter integer BANKS = 4,
    parameter integer PORTS = 2,
    parameter integer NCOL = 8,     // columns one request can carry (the MAC array's lanes)
    parameter integer WPC_MAX = 4   // words per column at most
) (
    input  wire                      clk,
    input  wire                      rst,
    input  wire                      start,
    input  wire [3:0]                wpc,
    input  wire [NCOL-1:0]           req_valid,
    input  wire [NCOL*16-1:0]        req_col,
    output wire                      busy,
    output reg  [BANKS*PORTS-1:0]    rd_en,
    output reg  [BANKS*PORTS*16-1:0] rd_addr
);
  localparam integer NW = NCOL * WPC_MAX;
  reg [NW-1:0] pending;
  reg [31:0]   bank_of [0:NW-1];
  reg [15:0]   addr_of [0:NW-1];
  assign busy = |pending;

  // This cycle's grants: per bank the first PORTS pending words, in request-slot order.
  reg [NW-1:0] grant;
  integer b, w, g;
  always @* begin
    grant = {NW{1'b0}};
    rd_en = {BANKS*PORTS{1'b0}};
    rd_addr = {BANKS*PORTS*16{1'b0}};
    for (b = 0; b < BANKS; b = b + 1) begin
      g = 0;
      for (w = 0; w < NW; w = w + 1)
        if (pending[w] && bank_of[w] == b && g < PORTS) begin
          grant[w] = 1'b1;
          rd_en[b*PORTS + g] = 1'b1;
          rd_addr[16*(b*PORTS + g) +: 16] = addr_of[w];
          g = g + 1;
        end
    end
  end

  // The request's words, slot c's word j at c * WPC_MAX + j.
  wire [NW-1:0] req_word_valid;
  wire [31:0]   req_bank [0:NW-1];
  wire [15:0]   req_addr [0:NW-1];
  genvar c, j;
  generate
    for (c = 0; c < NCOL; c = c + 1) begin : g_col
      for (j = 0; j < WPC_MAX; j = j + 1) begin : g_word
        wire [31:0] word = {16'd0, req_col[16*c +: 16]} * {28'd0, wpc} + j;
        assign req_word_valid[c*WPC_MAX + j] = req_valid[c] && (j < {28'd0, wpc});
`ifdef BROKEN_BANK_MAP
        assign req_bank[c*WPC_MAX + j] = ({16'd0, req_col[16*c +: 16]} + j) % BANKS;
`else
        assign req_bank[c*WPC_MAX + j] = word % BANKS;
`endif
        /* verilator lint_off UNUSEDSIGNAL */
        wire [31:0] addr = word / BANKS;
        /* verilator lint_on UNUSEDSIGNAL */
        assign req_addr[c*WPC_MAX + j] = addr[15:0];
      end
    end
  endgenerate

  integer q;
  always @(posedge clk) begin
    if (rst) begin
      pending <= {NW{1'b0}};
    end else if (start && !busy) begin
      pending <= req_word_valid;
      for (q = 0; q < NW; q = q + 1) begin
        bank_of[q] <= req_bank[q];
        addr_of[q] <= req_addr[q];
      end
    end else begin
      pending <= pending & ~grant;
    end
  end
endmodule
`default_nettype wire
