#pragma once
// Host speed, no hardware: the folds of a sparse-PE layer computed ahead on worker threads.
// A fold's cycles, counters and outputs depend only on its own streams (every fold starts on
// empty FIFOs and fresh accumulators, SparsePeArray.h), so the folds of a layer can be computed
// in any order on any thread. The array's SystemC thread still takes them one at a time in
// schedule order and holds the array for each one's cycles, so simulated time, every counter and
// every output are those of computing the folds in turn (tests/sparse_pe_engine compares whole
// runs against the stepped engine on one thread; SparsePeFoldPool.* in the unit tests compares
// the pool with the engine fold by fold).
//
// The SystemC thread takes fold n of the schedule with take(): if no worker has started it, it
// computes it itself; else, until that worker is done, it computes later folds as a worker
// would (so one worker and the SystemC thread share the work of two cores). Workers run at most
// kAhead folds ahead of the SystemC thread, which bounds the memory the finished folds' outputs
// hold.
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "models/common/FoldSchedule.h"
#include "models/sparse_pe/SparsePeArray.h"

namespace sparsesim {

class SparsePeFoldPool {
 public:
  // workers >= 1 threads besides the caller's, each with its own engine of the array's shape.
  SparsePeFoldPool(int rows, int cols, const SparsePeConfig& c, int workers);
  ~SparsePeFoldPool();
  SparsePeFoldPool(const SparsePeFoldPool&) = delete;
  SparsePeFoldPool& operator=(const SparsePeFoldPool&) = delete;

  // Starts the workers on the layer's folds in schedule order. `d` must stay valid until
  // endLayer() returns.
  void beginLayer(const SparsePeLayerData* d, std::vector<Fold> folds);
  // If `f` is the next fold of the schedule: adds its outputs to out (ldo per row of the fold),
  // sets `c` to its counters and returns true; `own` is the engine the caller computes it on if
  // no worker has started it. False (nothing changed) if `f` is not the next fold: the caller
  // computes it, and the pool takes no further fold of this layer.
  bool take(const Fold& f, SparsePeArrayCore& own, int32_t* out, int64_t ldo, SparsePeCounters& c);
  // Waits until no worker holds a fold of the layer (its data may then go).
  void endLayer();

  static constexpr size_t kAhead = 256;

 private:
  struct Slot {
    bool done = false;
    SparsePeCounters c;
    std::vector<int32_t> out;  // mlen x nlen, the fold's accumulators
  };
  void work(int w);
  // Computes fold n (claimed by the caller) into its slot; lk held on entry and on return.
  void computeSlot(size_t n, SparsePeArrayCore& core, std::vector<SparseStream>& rows, std::vector<SparseStream>& cols,
                   std::unique_lock<std::mutex>& lk);
  bool claimable() const;  // a fold is left to claim within the window (mu_ held)
  static SparsePeCounters compute(SparsePeArrayCore& core, const SparsePeLayerData& d, const Fold& f, int32_t* out,
                                  int64_t ldo, std::vector<SparseStream>& rows, std::vector<SparseStream>& cols);

  std::mutex mu_;
  std::condition_variable work_;  // workers: a fold to claim, or the end
  std::condition_variable done_;  // the SystemC thread: a fold finished, or every worker idle
  std::vector<std::unique_ptr<SparsePeArrayCore>> cores_;
  std::vector<std::thread> threads_;
  const SparsePeLayerData* data_ = nullptr;
  std::vector<Fold> folds_;
  std::vector<Slot> slots_;
  size_t claimed_ = 0;   // folds [0, claimed_) are taken by a worker or by take()
  size_t consumed_ = 0;  // folds [0, consumed_) were returned by take()
  int busy_ = 0;         // workers computing a fold
  bool quit_ = false;
  std::vector<SparseStream> rows_, cols_;  // take()'s own stream views
};

}  // namespace sparsesim
