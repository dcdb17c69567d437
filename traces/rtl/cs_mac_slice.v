// cs_mac_slice: one lane of the Complementary Sparsity MAC array: multiply, route by kernel ID, sum.
//
// Port contract (docs/rtl-check.md; every input sampled on the rising edge of clk):
//   clear                        1: every accumulator becomes 0 (valid is ignored that cycle)
//   valid                        1: this cycle's act / w / kid are one step (one packed column)
//   act        [7:0]             signed int8 activation of the step
//   w          [SLOTS*8-1:0]     w[8*q +: 8]: signed int8 weight in slot q of the packed column
//   kid        [SLOTS*ID_BITS-1:0] kid[ID_BITS*q +: ID_BITS]: kernel ID of slot q's weight
//   drain_slot [SLOT_BITS-1:0]   slot whose accumulators drain_acc shows
//   drain_acc  [KERNEL_IDS*32-1:0] drain_acc[32*i +: 32]: accumulator (drain_slot, kernel ID i).
//                                Read by the checker after one rising edge with drain_slot held
//                                and valid = 0 (a combinational or one-cycle registered read).
// A step adds act * w[q] to accumulator (q, kid[q]) for every slot q (int32, wraps mod 2^32).
// Products of one step never meet at an accumulator: each slot owns its KERNEL_IDS accumulators.
// A kid >= KERNEL_IDS (possible only when KERNEL_IDS is not a power of two) is dropped.
//
// `define BROKEN_KID_ROUTE builds the deliberately broken variant for the checker's self-test:
// product q goes to kernel ID (kid[q] + 1) mod KERNEL_IDS.
module cs_mac_slice #(
    parameter SLOTS = 4,
    parameter KERNEL_IDS = 4,
    parameter ID_BITS = (KERNEL_IDS > 1) ? $clog2(KERNEL_IDS) : 1,
    parameter SLOT_BITS = (SLOTS > 1) ? $clog2(SLOTS) : 1
) (
    input  wire                        clk,
    input  wire                        clear,
    input  wire                        valid,
    input  wire signed [7:0]           act,
    input  wire [SLOTS*8-1:0]          w,
    input  wire [SLOTS*ID_BITS-1:0]    kid,
    input  wire [SLOT_BITS-1:0]        drain_slot,
    output wire [KERNEL_IDS*32-1:0]    drain_acc
);
  // One entry per drain_slot value: slots past SLOTS (SLOTS not a power of two) read 0.
  wire [KERNEL_IDS*32-1:0] slot_acc [0:(1<<SLOT_BITS)-1];
`ifdef BROKEN_KID_ROUTE
  localparam integer LAST = KERNEL_IDS - 1;
  localparam [ID_BITS-1:0] LAST_ID = LAST[ID_BITS-1:0];
`endif

  genvar q, id;
  generate
    for (q = SLOTS; q < (1 << SLOT_BITS); q = q + 1) begin : g_pad
      assign slot_acc[q] = {KERNEL_IDS*32{1'b0}};
    end
    for (q = 0; q < SLOTS; q = q + 1) begin : g_slot
      wire signed [7:0]  wq   = w[8*q +: 8];
      wire signed [15:0] prod = act * wq;
      wire [31:0]        prod32 = {{16{prod[15]}}, prod};
      wire [ID_BITS-1:0] kq   = kid[ID_BITS*q +: ID_BITS];
`ifdef BROKEN_KID_ROUTE
      wire [ID_BITS-1:0] route = (kq == LAST_ID) ? {ID_BITS{1'b0}} : kq + 1'b1;
`else
      wire [ID_BITS-1:0] route = kq;
`endif
      for (id = 0; id < KERNEL_IDS; id = id + 1) begin : g_acc
        reg [31:0] acc;
        always @(posedge clk) begin
          if (clear) acc <= 32'd0;
          else if (valid && route == id) acc <= acc + prod32;
        end
        assign slot_acc[q][32*id +: 32] = acc;
      end
    end
  endgenerate

  assign drain_acc = slot_acc[drain_slot];
endmodule
