// The CS multiply-route-accumulate slice as the resource model prices it (calibration only;
// traces/rtl/cs_mac_slice.v is the slice the RTL checker validates, with flip-flop accumulators
// and an adder per accumulator, which is simple to check but N times the adders).
// SLOTS multipliers share one activation; each keeps its weight and kernel ID in operand
// registers, multiplies (the product is registered, the DSP's M register) and adds the product to
// one of its KERNEL_IDS 32-bit accumulators, which live in distributed RAM (LUTRAM): an
// asynchronous read of the kernel's accumulator, one 32-bit adder, a synchronous write in the same
// cycle, so back-to-back products to one kernel need no forwarding. drain_acc reads accumulator
// (drain_slot, drain_kid) for write-back.
`default_nettype none
module calib_cs_slice #(
    parameter integer SLOTS = 4,       // multipliers of the slice (cs: array.rows x array.cols in all)
    parameter integer KERNEL_IDS = 16, // accumulators per multiplier (cs.packing.max_n)
    parameter integer ID_BITS = (KERNEL_IDS > 1) ? $clog2(KERNEL_IDS) : 1,
    parameter integer SLOT_BITS = (SLOTS > 1) ? $clog2(SLOTS) : 1
) (
    input  wire                     clk,
    input  wire                     load,        // latch a new packed column's weights and IDs
    input  wire [SLOTS*8-1:0]       w,
    input  wire [SLOTS*ID_BITS-1:0] kid,
    input  wire                     valid,       // act is one step
    input  wire signed [7:0]        act,
    input  wire [SLOT_BITS-1:0]     drain_slot,
    input  wire [ID_BITS-1:0]       drain_kid,
    output reg  [31:0]              drain_acc
);
  wire [32*SLOTS-1:0] drained;
  genvar q;
  generate
    for (q = 0; q < SLOTS; q = q + 1) begin : g_slot
      reg signed [7:0]   wq;
      reg [ID_BITS-1:0]  kq, kp;
      reg signed [15:0]  prod;
      reg                pv;
      (* ram_style = "distributed" *) reg [31:0] acc [0:KERNEL_IDS-1];
      always @(posedge clk) begin
        if (load) begin
          wq <= w[8*q +: 8];
          kq <= kid[ID_BITS*q +: ID_BITS];
        end
        prod <= act * wq;
        kp <= kq;
        pv <= valid;
        if (pv) acc[kp] <= acc[kp] + {{16{prod[15]}}, prod};
      end
      assign drained[32*q +: 32] = acc[drain_kid];
    end
  endgenerate

  integer s;
  always @(posedge clk) begin
    drain_acc <= 32'd0;
    for (s = 0; s < SLOTS; s = s + 1)
      if (drain_slot == s[SLOT_BITS-1:0]) drain_acc <= drained[32*s +: 32];
  end
endmodule
`default_nettype wire
