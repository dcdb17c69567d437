#pragma once
// The multiply-route-sum MAC array of the CS datapath.
//
// Shape: `lanes` activation lanes (array.rows) x `slots` packed-group slots (array.cols);
// multipliers = lanes x slots. A pass holds R <= slots packed groups of one conv group (their
// slice of the packed table is in the weight-packing SRAM).
//
// Mapping (output-stationary, per output pixel). For conv group g the layer is the GEMM
// C[m][n] = sum_k A[m][k] * Bt[n][k] (Lowering.h): m an output pixel, k = (c, ky, kx) a position
// of the kernel volume, A[m][k] the input activation under that position (zero outside the
// input). A linear layer is the case kh = kw = 1, one pixel per input row. The work items of
// pixel m are the positions k it must process, with their activation values:
//   dense activations (dense_dense, sparse_dense): all K positions, padding zeros included;
//   sparse activations (sparse_sparse): the positions whose input element is a k-WTA winner,
//   found by the window gather from the selector's (value, index) pairs.
// Per step each busy lane takes its next item (k, a): it reads packed column k (the k-th slot
// of each of the R resident packed groups: R entries of weight + kernel ID), its R multipliers
// form a * weight, and the router steers each product by kernel ID to that kernel's accumulator
// for pixel m. Each lane owns its pixel's accumulators (R x N per lane), so lanes never meet at
// an accumulator; within one column the entries come from different packed groups, i.e.
// different kernels, so with any valid packing no two products of a step meet one accumulator.
// The router nevertheless checks every column: an accumulator that receives p > 1 products of
// one column (a corrupted table, or a packing that overlaps kernels) takes p cycles: the step is
// serialised and the extra cycles are counted as "routing_conflict".
// Replication: a pass with R packed groups fills only R of the `slots` multipliers of a lane; with
// replication on, the slots hold floor(slots / R) copies of the R groups and each copy is one
// more lane (its own column read, pixel and accumulators): lanes x floor(slots / R) lanes of R
// multipliers each. Off: the other slots idle.
// Lanes pick pixels dynamically (a lane that finishes a pixel takes the next one), so pixels
// with few winners do not hold the others back. When a pass has fewer pixels than lanes
// (linear layers), each pixel's items are split evenly over floor(lanes / M) lanes and their
// partial sums are reduced by an adder tree (ceil(log2 split) cycles, once per pass).
// Step time = max(SRAM read cycles of the distinct columns the lanes ask for, routing
// serialisation); a pass also pays its pipeline fill once: SRAM read latency + MAC pipeline
// depth + reduction depth ("mac_pipeline_fill").
// Every resident slot multiplies once per item (empty slots multiply a zero weight), so the
// multiplies issued = items x R.
#include <systemc>

#include <cstdint>
#include <memory>
#include <vector>

#include "models/cs/KwtaSelector.h"
#include "models/common/LayerStats.h"
#include "models/common/Tasks.h"
#include "models/cs/WeightPackingSram.h"
#include "sim/config/ArchConfig.h"
#include "sim/workload/Workload.h"

namespace sparsesim {

// The work items of every output pixel of one conv group (CSR).
struct PixelItems {
  int64_t M = 0;
  bool dense = false;           // every pixel has items k = 0..K-1 in order (k not stored)
  std::vector<int64_t> start;   // M + 1 offsets
  std::vector<int32_t> k;       // packed column (kernel-volume position); empty when dense
  std::vector<int8_t> value;    // activation
  int64_t total() const { return start.empty() ? 0 : start.back(); }
  int32_t column(int64_t m, int64_t i) const { return dense ? static_cast<int32_t>(i - start[static_cast<size_t>(m)]) : k[static_cast<size_t>(i)]; }
};

// Window gather. dense: all K positions of each pixel (zeros and padding included). Otherwise
// only positions whose input element is marked in `winner` (flat input index), with values
// taken from `act` (the activation buffer the selector filled). `live` (K flags, or nullptr for
// all live) drops the positions of dead columns, where no stored kernel has a weight
// (PackedLayer::live): their products are zero, so the array never walks them.
PixelItems gatherItems(const LayerGeometry& g, int group, const int8_t* act, const uint8_t* winner, bool dense,
                       const uint8_t* live = nullptr);

// Defaults are the "cs" config defaults (CsConfig), not written again here; lanes and slots
// are the array shape (array.rows, array.cols).
struct MacParams {
  int lanes = 1;
  int slots = 1;
  int pipeline_depth = CsMacConfig{}.pipeline_depth;
  int read_latency = CsSramConfig{}.read_latency;
  int writeback_pixels = CsMacConfig{}.writeback_pixels;
  bool replicate = CsMacConfig{}.replicate;
  static MacParams from(const ArchConfig& a) {
    return MacParams{a.array.rows, a.array.cols, a.cs.mac.pipeline_depth, a.cs.sram.read_latency,
                     a.cs.mac.writeback_pixels, a.cs.mac.replicate};
  }
};

struct WritebackEvent {
  uint64_t at = 0;      // cycle offset from the pass start
  uint64_t pixels = 0;  // finished pixels written back
};

struct PassResult {
  uint64_t cycles = 0;      // the pass from its first read to its last accumulation
  uint64_t steps = 0;       // steps (one column read per busy lane each)
  uint64_t items = 0;
  uint64_t macs = 0;        // multiplies issued: items x R
  uint64_t fill = 0;        // pipeline fill / drain cycles
  uint64_t sram_bandwidth = 0;
  uint64_t sram_bank_conflict = 0;
  uint64_t routing_conflict = 0;
  uint64_t routing_conflict_columns = 0;  // column reads that had to be serialised
  uint64_t column_words = 0;  // SRAM words read: distinct columns per step x words per column
  std::vector<WritebackEvent> events;
};

class TraceSink;

// mac_array and weight_sram traces of one pass (docs/traces.md): records are stamped t0 + the
// pass's own cycle offset; arrays are padded to the header's fixed widths (slots, kernel_ids)
// so an RTL slice of that size can replay them.
class MacArrayTrace {
 public:
  MacArrayTrace(TraceSink& t, int slots, int kernelIds) : tr_(t), slots_(slots), ids_(kernelIds) {}
  void begin(uint64_t t0) { t0_ = t0; }
  void pass(const PassTable& t, int lanes, int64_t split);
  void step(uint64_t at, const int32_t* cols, size_t n, uint64_t readCycles, int wordsPerColumn);
  void mac(uint64_t at, int lane, int64_t pixel, int32_t col, int32_t act, const ColumnEntry* entries, int R);
  void drain(int lane, int64_t pixel, const int32_t* acc, int R, int ids, uint64_t at);
  // mac_state: the lane's accumulators after the step at `at` (its mac record's cycle).
  void state(uint64_t at, int lane, int64_t pixel, const int32_t* acc, int R, int ids);

 private:
  TraceSink& tr_;
  int slots_, ids_;
  uint64_t t0_ = 0, pass_ = 0;
  std::vector<int32_t> w_, kid_, acc_;
};

class MacArrayCore {
 public:
  MacArrayCore(MacParams p, const SramBanks& banks) : p_(p), banks_(banks) {}
  // Runs one pass over all pixels of the table's conv group: accumulates into C (M x Nper of the
  // group, row-major) and returns its timing.
  PassResult runPass(const PassTable& t, const PixelItems& items, int32_t* C, int64_t Nper);
  // Router analysis: for each column, the most products one accumulator receives (1 = free).
  static std::vector<uint8_t> routeMultiplicity(const PassTable& t);
  const MacParams& params() const { return p_; }
  const SramBanks& banks() const { return banks_; }
  void setTrace(MacArrayTrace* t) { trace_ = t; }

 private:
  MacParams p_;
  MacArrayTrace* trace_ = nullptr;
  const SramBanks& banks_;
  std::vector<uint32_t> stamp_;
  uint32_t stampId_ = 0;
  std::vector<int32_t> laneAcc_;  // every lane's R x ids accumulators, zero between pixels
  // The pass table's columns as flat arrays (weight, accumulator index q * ids + kid), so that a
  // lane's R multiply-accumulates read contiguous memory.
  // Weights as int16: an int8 x int8 product fits 16 bits, which SSE2 multiplies eight at a time.
  std::vector<int16_t> colWeight_;
  std::vector<int32_t> colAcc_;
  std::vector<int32_t> sums_;  // accumulatePass's scratch
};

// One layer as the MAC array runs it.
struct MacLayerJob {
  const LayerWorkload* w = nullptr;
  // Dense activations: every position of every window, values from the layer input.
  // Sparse (selection != nullptr): the selector's winners, loaded into the activation buffer
  // (values + winner bitmap over the flat input) when the selector reports them ready.
  const Selection* selection = nullptr;
  const PackedLayer* packed = nullptr;  // its dead columns are skipped (nullptr: none skipped)
  std::vector<std::vector<int32_t>>* C = nullptr;  // per conv group, M x Nper
  int output_bytes = 4;
  LayerStats* stats = nullptr;
  // Results.
  uint64_t items = 0;
  uint64_t busy_cycles = 0;  // steps
  uint64_t passes = 0;
  uint64_t routing_conflict_columns = 0;
};

class MacArray : public sc_core::sc_module {
 public:
  sc_core::sc_port<sc_core::sc_fifo_in_if<ActivationsReady>> from_selector;
  sc_core::sc_port<sc_core::sc_fifo_in_if<PassTask>> from_sram;
  sc_core::sc_port<SramReleaseIf> sram;
  sc_core::sc_port<sc_core::sc_fifo_out_if<WritebackTask>> to_output;
  sc_core::sc_fifo<MacLayerJob*> jobs;  // one entry per layer

  MacArray(sc_core::sc_module_name name, MacParams p, const SramBanks& banks);
  // kernelIds: the kernel-ID range of the run (cs.packing.max_n), the accumulators per slot.
  void attachTracer(TraceSink& t, int kernelIds);

 private:
  void run();
  MacArrayCore core_;
  std::unique_ptr<MacArrayTrace> trace_;
};

}  // namespace sparsesim
