#pragma once
// The sparse activation selector of the CS datapath: an exact k-winners-take-all over a layer's
// input activations (one k-WTA over the whole tensor, or one per group of consecutive
// elements), emitting (value, index) pairs. Winners are the k largest magnitudes, ties to the
// lower index: the definition in sim/workload/Kwta.h, which the tests hold every circuit to.
//
// Two circuit options; their cycle counts come from running their structure on the data:
//
// Threshold (histogram + threshold search + compaction), W = lanes, E = out_width,
// B = bins_per_cycle, per group of n elements with k winners:
//   pass 1   n elements stream in, W per cycle, into a 129-bin magnitude histogram
//            (one private histogram per lane): ceil(n/W) cycles;
//   merge    the W lane histograms are summed by an adder tree: ceil(log2 W) cycles;
//   search   bins are scanned from magnitude 128 down, B per cycle, keeping the running count
//            of larger magnitudes; it stops at the first bin t where the count reaches k:
//            ceil((129 - t)/B) cycles. Winners: every magnitude > t, plus the first
//            k - count(> t) elements of magnitude t in index order;
//   pass 2   the n elements stream again, W per cycle; each lane flags its winner, a prefix
//            count over the W lanes hands the remaining tie budget to the lowest indices, and
//            a compaction network (ceil(log2 W) stages) packs the flagged pairs into an output
//            queue drained E per cycle. Cycles: simulated, one chunk per cycle, until the
//            input is consumed and the queue is empty; between max(ceil(n/W), ceil(k/E)) and
//            ceil(n/W) + ceil(k/E), plus the ceil(log2 W)-stage compaction latency.
//
// Bitonic (sorting network): width P = next power of two >= n; the n (magnitude, index) keys
//   (padding: key 0, below every real key) are sorted descending by a bitonic network of
//   log2(P) * (log2(P) + 1) / 2 compare stages with P/2 compare-exchanges each, executed on C
//   = comparators units: ceil(P / (2C)) cycles per stage. Load: ceil(n/W) cycles; read-out of
//   the top k: ceil(k/E) cycles.
//
// Groups run one after another on the one circuit. A group whose k >= n keeps everything:
// the circuit is bypassed (0 cycles).
//
// In the datapath the block reads the layer input from DRAM and the circuit consumes it as it
// arrives (KwtaSelectorCore::exposedCycles): pass 1 / the network load overlap the fetch, so
// the cycles after the fetch are max(0, load - fetch) + search + emit. With placement "fused"
// (threshold circuit) pass 1 ran on the previous layer's output stream as it was written, the
// threshold is known when the fetch starts and pass 2 consumes the fetch as it arrives:
// max(0, search + emit - fetch).
#include <systemc>

#include <cstdint>
#include <ostream>
#include <vector>

#include "models/common/DramController.h"
#include "models/common/LayerStats.h"
#include "sim/config/CsConfig.h"

namespace sparsesim {

// Defaults are the "cs.selector" config defaults (CsSelectorConfig), not written again here.
struct SelectorParams {
  SelectorCircuit circuit = CsSelectorConfig{}.circuit;
  int lanes = CsSelectorConfig{}.lanes;
  int out_width = CsSelectorConfig{}.out_width;
  int bins_per_cycle = CsSelectorConfig{}.bins_per_cycle;
  int comparators = CsSelectorConfig{}.comparators;
  bool fused = CsSelectorConfig{}.fused;  // threshold pass 1 ran on the producer's output stream
  static SelectorParams from(const CsSelectorConfig& c) {
    return SelectorParams{c.circuit, c.lanes, c.out_width, c.bins_per_cycle, c.comparators, c.fused};
  }
};

struct Selection {
  std::vector<uint32_t> indices;  // winners, ascending flat index
  std::vector<int8_t> values;     // values[i] = input[indices[i]]
  uint64_t cycles = 0;            // load + search + emit
  uint64_t load_cycles = 0;       // pass 1 / network load
  uint64_t search_cycles = 0;     // histogram merge + threshold scan / sorting network stages
  uint64_t emit_cycles = 0;       // compaction pass / read-out
  int64_t groups = 0;             // k-WTA groups processed
  int64_t bypassed_groups = 0;    // groups with k >= n (kept whole, no circuit cycles)
  int64_t compare_stages = 0;     // bitonic: stages per group of the widest group
  uint64_t comparisons = 0;       // magnitude comparisons the circuit made (energy event)
};

class TraceSink;

class KwtaSelectorCore {
 public:
  explicit KwtaSelectorCore(SelectorParams p);
  // kwta_selector trace (docs/traces.md): groups are stamped from t0 on, one after another.
  void setTrace(TraceSink* t, uint64_t t0) { tracer_ = t; traceT0_ = t0; }
  // One k-WTA over v[0, n).
  Selection selectGlobal(const int8_t* v, size_t n, size_t k) const;
  // One k-WTA per group of groupSize consecutive elements (the last may be shorter), each
  // keeping kwtaK(density, its length) winners. image > 0: the groups restart at every
  // image elements (the images of a batch; a group never spans two).
  Selection selectGrouped(const int8_t* v, size_t n, size_t groupSize, double density, size_t image = 0) const;
  const SelectorParams& params() const { return p_; }
  // Cycles the selection adds after a fetch of `fetch` cycles that feeds it.
  uint64_t exposedCycles(const Selection& s, uint64_t fetch) const;

 private:
  void selectOne(const int8_t* v, size_t n, size_t k, uint32_t base, Selection& out) const;
  void thresholdOne(const int8_t* v, size_t n, size_t k, uint32_t base, Selection& out) const;
  void bitonicOne(const int8_t* v, size_t n, size_t k, uint32_t base, Selection& out) const;
  // Group record and the input stream, W elements a cycle, from the group's first cycle tg.
  void traceInput(const int8_t* v, size_t n, size_t k, uint32_t base, uint64_t tg) const;
  void traceOut(uint64_t at, const std::vector<uint32_t>& idx, const std::vector<int32_t>& val) const;
  // A threshold group's phase records (docs/traces.md): `threshold` {thr, above, budget},
  // `flag` {row; win per lane}, `out` {idx; v}, buffered so they are written in cycle order.
  struct PhaseRecord {
    uint64_t t;
    enum Kind { Threshold, Flag, Out } kind;
    std::vector<int32_t> a, b;
  };
  void tracePhase(std::vector<PhaseRecord>& phase) const;
  void traceStage(uint64_t at, uint64_t stage, const std::vector<uint64_t>& key, size_t n) const;
  SelectorParams p_;
  TraceSink* tracer_ = nullptr;
  uint64_t traceT0_ = 0;
  mutable int64_t traceGroup_ = 0;  // k-WTA groups traced so far in the run
};

// One layer's selection request: the block fetches the layer's input from DRAM into the
// activation buffer and, when active, runs k-WTA on it.
struct SelectJob {
  const int8_t* input = nullptr;
  size_t n = 0;
  size_t k = 0;                 // global k (group_size == 0)
  bool active = false;          // false: activations pass through (dense-activation modes)
  size_t group_size = 0;        // 0: global
  size_t image = 0;             // elements per image of a batch (groups restart there); 0: one image
  double density = 1.0;         // per-group k = kwtaK(density, group length)
  uint64_t fetch_bytes = 0;     // the input bytes read from DRAM
  Selection* result = nullptr;
  LayerStats* stats = nullptr;
};

// What the MAC array waits for at a layer's start.
struct ActivationsReady {
  uint64_t dram_cycles = 0;    // cycles the block spent fetching the input
  uint64_t select_cycles = 0;  // cycles the selection added after the fetch
};
inline std::ostream& operator<<(std::ostream& os, const ActivationsReady& a) {
  return os << "activations(dram " << a.dram_cycles << ", select " << a.select_cycles << ")";
}

class KwtaSelector : public sc_core::sc_module {
 public:
  void attachTracer(TraceSink& t);
  sc_core::sc_port<DramPortIf> dram;
  sc_core::sc_port<sc_core::sc_fifo_out_if<ActivationsReady>> to_mac;
  sc_core::sc_fifo<SelectJob*> jobs;  // one entry per layer

  KwtaSelector(sc_core::sc_module_name name, SelectorParams p);
  const KwtaSelectorCore& core() const { return core_; }

 private:
  void run();
  KwtaSelectorCore core_;
  TraceSink* tracer_ = nullptr;
};

}  // namespace sparsesim
