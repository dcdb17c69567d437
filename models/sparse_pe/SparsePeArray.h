#pragma once
// The sparse-PE baseline (what Sparse-on-Dense argues against): an R x C grid of PEs, each with
// one int8 multiplier and an int32 accumulator, fed compressed operands and multiplying only
// matching non-zero pairs. Output-stationary: in a fold PE (i, j) owns output (m0 + i, n0 + j)
// and sees the whole reduction dimension K as two (value, k) streams, k ascending: row m0 + i of
// A (activations) and row n0 + j of Bt (weights), non-zeros only.
//
// Per PE, each cycle:
//  - index matching: the unit compares the first match_width entries of its activation FIFO
//    with the first match_width entries of its weight FIFO. If some k is in both windows it
//    issues one MAC for the smallest such k and pops it and every entry before it on both sides
//    (those cannot match anything). Otherwise it pops every entry that cannot match: entries of
//    one window at or below the last k of the other window. A PE whose FIFO is empty while its
//    stream is not finished cannot do anything ("starved", a FIFO stall).
//  - a PE is finished when either stream is used up (nothing left can match); it then drops
//    whatever its buses still deliver.
// Feeding: row i's activation stream is broadcast on one bus to the FIFOs of all PEs of row i,
// column j's weight stream on one bus to all PEs of column j. A bus delivers up to
// bus_pairs_per_cycle entries per cycle, and only as many as the fullest FIFO among the row's
// (column's) unfinished PEs can take: a slow PE back-pressures its neighbours. Entries pushed in
// a cycle can be matched from the next cycle on. A fold ends when every PE has finished (at
// least one cycle); the next fold then starts on fresh streams.
// Utilisation therefore emerges from the matching (non-matching entries cost cycles), from load
// imbalance (the fold waits for its slowest PE) and from FIFO stalls.
//
// The block's thread takes one fold at a time; the fold's cycles are computed exactly in plain
// C++ and then waited in one go. runFold does not step every PE every cycle: a PE whose next
// operands match at the heads of both FIFOs for many entries in a row (dense stretches of both
// streams) advances one matched pair per cycle for as long as the run lasts and its FIFOs do not
// run dry, which needs no per-cycle work for that PE (a run that ends at a short gap in one
// stream, or short of the PE's last step, does that one cycle in place and goes on into the next
// run, or finishes, without a stepped cycle); when every unfinished PE is in such a run
// and every bus delivers exactly one entry per cycle, the state repeats shifted by one entry per
// cycle and the engine jumps to the next cycle at which something changes. A PE that takes each
// weight as its column bus delivers it (a border pixel's PE, whose activation stream skips the
// padded taps) over consecutive weights is a follower: its heads after s cycles have a closed form,
// and when every stepped PE is one and the buses deliver at known rates the engine jumps as well.
// Other PEs are stepped one cycle at a time. runFoldReference steps every PE every cycle; the unit
// tests hold both equal in every counter and output.
#include <systemc>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "models/common/FoldSchedule.h"
#include "models/common/GlobalBuffer.h"
#include "models/common/LayerStats.h"
#include "models/common/Tasks.h"
#include "models/common/TraceSink.h"
#include "sim/workload/Lowering.h"
#include "sim/config/SparsePeConfig.h"


namespace sparsesim {

// One operand stream: non-zero values and their k, k ascending.
struct SparseStream {
  const int8_t* val = nullptr;
  const int32_t* k = nullptr;
  int64_t len = 0;
  // Optional (a bookkeeping aid of the engine, no hardware): run[p] = how many entries from p on
  // have k rising by exactly one, so that a stretch of head matches is measured in hops.
  const int32_t* run = nullptr;
};

// Fills run[0 .. len) for the ascending indices k[0 .. len) (see SparseStream::run).
void consecutiveRuns(const int32_t* k, int64_t len, int32_t* run);

struct SparsePeCounters {
  uint64_t cycles = 0;
  uint64_t macs = 0;                // MACs issued: matching non-zero pairs
  uint64_t active_pe_cycles = 0;    // PE-cycles with entries in both FIFOs (the matcher compared)
  uint64_t starved_pe_cycles = 0;   // PE-cycles an unfinished PE waited on an empty FIFO
  uint64_t idle_pe_cycles = 0;      // PE-cycles of finished PEs (or PEs outside the tile) in a running fold
  uint64_t bus_blocked_cycles = 0;  // bus-cycles a bus held pairs back because a FIFO was full
  uint64_t entries_consumed = 0;    // entries popped by the matching units
  uint64_t bus_entries = 0;         // entries the row and column buses read from the buffer
  uint64_t fifo_writes = 0;         // FIFO entries written: a bus entry lands in every PE on the bus
  uint64_t comparisons = 0;         // index comparisons: match_width^2 per PE-cycle with both windows
  SparsePeCounters& operator+=(const SparsePeCounters& o);
};

// Every PE's state after one cycle of a fold, for the sparse_pe trace (runFoldTraced). Per PE
// (index i * cols + j of the physical array; PEs outside the tile are finished from the start):
// entries popped from each FIFO so far (the heads), entries held, whether it issued a MAC this
// cycle, whether it has finished, its accumulator. Per bus: the entries it delivered at the end
// of the cycle (row buses first).
struct SparsePeCycleState {
  std::vector<int64_t> x, y, aFill, wFill;
  std::vector<int32_t> issue, done, acc;
  std::vector<int64_t> rowPush, colPush;
};
using SparsePeCycleHook = std::function<void(uint64_t cycle, const SparsePeCycleState&)>;

class SparsePeArrayCore {
 public:
  SparsePeArrayCore(int rows, int cols, const SparsePeConfig& c);
  // rowStreams.size() <= rows (activations), colStreams.size() <= cols (weights). Adds
  // dot(row i, column j) to out[i * ldo + j] and returns the fold's counters.
  SparsePeCounters runFold(const std::vector<SparseStream>& rowStreams, const std::vector<SparseStream>& colStreams,
                           int32_t* out, int64_t ldo);
  // Same contract and results, every PE stepped every cycle (the oracle of runFold).
  SparsePeCounters runFoldReference(const std::vector<SparseStream>& rowStreams,
                                    const std::vector<SparseStream>& colStreams, int32_t* out, int64_t ldo);
  // runFoldReference, calling `hook` with every PE's state after every cycle (the trace).
  SparsePeCounters runFoldTraced(const std::vector<SparseStream>& rowStreams, const std::vector<SparseStream>& colStreams,
                                 int32_t* out, int64_t ldo, const SparsePeCycleHook& hook);
  // Cycles runFold advanced follower PEs by their closed form, summed over this core's folds (an
  // engine statistic for tests and profiles; no hardware counter).
  uint64_t followedCycles() const { return followed_; }
  int rows() const { return R_; }
  int cols() const { return C_; }
  const SparsePeConfig& config() const { return cfg_; }

 private:
  template <int WC>
  SparsePeCounters runFoldW(const std::vector<SparseStream>& rowStreams, const std::vector<SparseStream>& colStreams,
                            int32_t* out, int64_t ldo);
  template <int WC>
  SparsePeCounters runFoldReferenceW(const std::vector<SparseStream>& rowStreams,
                                     const std::vector<SparseStream>& colStreams, int32_t* out, int64_t ldo,
                                     const SparsePeCycleHook* hook = nullptr);
  struct Pe {
    int32_t i, j;    // row and column in the tile
    int64_t x, y;    // heads: entries of the row / column stream popped so far
    int32_t acc;
    int64_t retry;   // no run is looked for before the row head reaches this entry
    // A stretch known to match at the heads: (runX + d, runY + d) for runX + d < runEnd (kept
    // when a run is interrupted, so that resuming it needs no new scan).
    int64_t runX, runY, runEnd;
  };
  // A PE in a run of matches at the FIFO heads: at cycle t (t0 <= t < tend) its heads are
  // x0 + t - t0 and y0 + t - t0 and it issues one MAC per cycle.
  struct Run {
    int32_t i, j;
    int64_t x0, y0, t0, tend;
    int32_t acc;  // accumulated before the run
  };
  int R_, C_;
  SparsePeConfig cfg_;
  uint64_t followed_ = 0;
  // Per-PE and per-bus state, reused from fold to fold.
  std::vector<Pe> active_;
  std::vector<Run> slot_;                            // per PE of the fold (i * cols + j)
  std::vector<char> inRun_;                          // slot_ holds the PE's current run
  std::vector<int32_t> wheel_;                       // first slot of the runs ending at each cycle (modulo its size), or -1
  std::vector<int32_t> next_, prev_;                 // per slot: the list of runs ending at the same cycle
  // Per bus, indexed [axis][bus] (axis 0: the row buses, activations; 1: the column buses,
  // weights): entries delivered (tail), smallest unfinished head, summary to recompute, and over
  // the PEs in runs: how many, and the smallest and largest head offset x0 - t0 (y0 - t0 on a
  // column bus).
  std::vector<char> dirty_[2];
  std::vector<int32_t> dirtyList_;  // the buses to summarise again (index b: rows, then columns)
  std::vector<int64_t> tail_[2], min_[2], runCnt_[2], runMin_[2], runMax_[2];
};

// The layer's operand streams, decoded from the compressed global-buffer contents.
struct SparseOperand {
  std::vector<int64_t> ptr;  // vectors + 1
  std::vector<int32_t> k;
  std::vector<int8_t> val;
  std::vector<int32_t> run;  // consecutiveRuns of each vector, or empty
  SparseStream stream(int64_t v) const {
    const size_t p = size_t(ptr[size_t(v)]);
    return SparseStream{val.data() + p, k.data() + p, ptr[size_t(v) + 1] - ptr[size_t(v)], run.empty() ? nullptr : run.data() + p};
  }
};
// An operand's streams with the engine's consecutive-run table filled in (what lets the engine
// advance a PE through a dense stretch of both streams without per-cycle work).
SparseOperand makeSparseOperand(std::vector<int64_t> ptr, std::vector<int32_t> k, std::vector<int8_t> val);

struct SparsePeLayerData {
  std::vector<SparseOperand> activations;  // per group: one stream per row m of A
  std::vector<SparseOperand> weights;      // per group: one stream per row n of Bt
};
// The streams of fold f: rows m0 .. m0 + mlen of its group's activations (one per PE row),
// n0 .. n0 + nlen of its weights (one per PE column).
void foldStreams(const SparsePeLayerData& d, const Fold& f, std::vector<SparseStream>& rows, std::vector<SparseStream>& cols);

class SparsePeArray : public sc_core::sc_module {
 public:
  sc_core::sc_port<sc_core::sc_fifo_in_if<FoldTask>> from_buffer;
  sc_core::sc_port<sc_core::sc_fifo_out_if<WritebackTask>> to_output;

  SparsePeArray(sc_core::sc_module_name name, int rows, int cols, const SparsePeConfig& c);
  // The layer's streams and its fold schedule (what the buffer will send, in order; the folds
  // are computed ahead on host threads when the host has more than one, SparsePeFoldPool.h).
  void beginLayer(const SparsePeLayerData* d, std::vector<Fold> schedule);
  // After the layer's last fold: no host thread holds its streams any more.
  void endLayer();
  ~SparsePeArray() override;
  const SparsePeCounters& counters() const { return counters_; }  // of the current layer
  // sparse_pe trace: per fold its streams' lengths, then per cycle the bus deliveries and every
  // PE's FIFO heads and fill, issue and accumulator.
  void attachTracer(TraceSink& t);

 private:
  void run();
  void traceCycle(uint64_t t0, uint64_t fold, uint64_t c, const SparsePeCycleState& s, const std::vector<SparseStream>& rows,
                  const std::vector<SparseStream>& cols, std::vector<int64_t>& rowTail, std::vector<int64_t>& colTail);
  SparsePeArrayCore core_;
  const SparsePeLayerData* data_ = nullptr;
  SparsePeCounters counters_;
  TraceSink* tracer_ = nullptr;
  bool stepped_ = false;  // SPARSESIM_SPARSE_PE_ENGINE=stepped: runFoldReference for every fold
  std::unique_ptr<class SparsePeFoldPool> pool_;  // made at the first layer with host threads to spare
  uint64_t foldSeq_ = 0;
  std::vector<TraceRecord> cycles_;  // the fold's cycle records, written after its fold record
};

}  // namespace sparsesim
