// Stand-in for a user's systolic array, for the wrapping example of docs/rtl-check.md: its own
// port names, a synchronous reset instead of a clear, and every PE's accumulator on one bus, so it
// needs the wrapper in my_array_wrap.v to follow the pe_array contract.
module my_array #(parameter R = 4, parameter C = 4) (
    input  wire clk, input wire rst,
    input  wire [R*8-1:0] west, input wire [C*8-1:0] north,
    output wire [R*C*32-1:0] acc);
  reg [7:0] ar [0:R-1][0:C-1];
  reg [7:0] br [0:R-1][0:C-1];
  reg [31:0] s [0:R-1][0:C-1];
  integer i, j;
  function [31:0] mul;  // signed int8 x int8, sign-extended to 32 bits
    input signed [7:0] x, y;
    reg signed [15:0] p;
    begin p = x * y; mul = {{16{p[15]}}, p}; end
  endfunction
  always @(posedge clk) begin
    for (i = 0; i < R; i = i + 1)
      for (j = 0; j < C; j = j + 1) begin
        if (rst) begin ar[i][j] <= 0; br[i][j] <= 0; s[i][j] <= 0; end
        else begin
          ar[i][j] <= (j == 0) ? west[8*i +: 8] : ar[i][j-1];
          br[i][j] <= (i == 0) ? north[8*j +: 8] : br[i-1][j];
          s[i][j] <= s[i][j] + mul((j == 0) ? west[8*i +: 8] : ar[i][j-1], (i == 0) ? north[8*j +: 8] : br[i-1][j]);
        end
      end
  end
  genvar gi, gj;
  generate for (gi = 0; gi < R; gi = gi + 1) begin : r
    for (gj = 0; gj < C; gj = gj + 1) begin : c
      assign acc[32*(gi*C+gj) +: 32] = s[gi][gj];
    end
  end endgenerate
endmodule
