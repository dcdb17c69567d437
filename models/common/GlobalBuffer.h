#pragma once
// The on-chip global buffer (input and weight partitions) and its fill process. For each fold,
// in schedule order, it fetches from DRAM what the fold needs and the buffer does not hold, then
// hands the fold to the array through a FIFO of prefetch_depth entries: the buffer runs at most
// that many folds ahead, and the array stalls when the FIFO is empty.
//
// Residency rule (what a fold must fetch):
//  - weights: a layer the run's residency plan made resident (WeightPlacement, memory.weights =
//    "preload") holds its weights from configuration and fetches none. A streamed layer's fold
//    needs its weight tile (nlen x klen bytes). If the whole layer's weights fit in the part of
//    the filter partition the resident layers leave, a tile is fetched the first time it is
//    used, never again; otherwise it is fetched whenever it differs from the previous fold's.
//  - inputs: a fold needs, for each input channel its k-range touches, the input rows its
//    m-range reads (whole rows of in_w bytes). If the whole input fits in the ifmap partition,
//    only rows not fetched before are fetched; otherwise the fold's rows are fetched whenever its
//    input tile differs from the previous fold's.
//  - WS partial sums: when an output tile's partial sums (M x nlen x 4 bytes) do not fit in the
//    output partition, every k-fold after the first reads them back (and the array writes them
//    out after every k-fold but the last).
#include <systemc>

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <set>
#include <tuple>
#include <vector>

#include "models/common/DramController.h"
#include "models/common/FoldSchedule.h"
#include "models/common/LayerStats.h"
#include "models/common/Tasks.h"
#include "sim/config/ArchConfig.h"
#include "sim/workload/LayerGeometry.h"
#include "sim/workload/WeightPlacement.h"
#include "sim/workload/plans/WeightResidency.h"

namespace sparsesim {

struct GroupGemm;


// How the layer's operands are stored: bits of a fold's weight tile, bits of input rows
// [row_lo, row_hi) of one input channel, and the whole layer's stored sizes.
struct OperandStorage {
  std::function<uint64_t(const Fold&)> weight_tile_bits;
  std::function<uint64_t(int channel, int row_lo, int row_hi)> input_rows_bits;
  uint64_t weight_bytes = 0;  // all of the layer's weights as stored
  uint64_t input_bytes = 0;   // all of the layer's input activations as stored
};

// What a PE-array datapath's filter partition holds for the run's weight-residency plan: the
// layer's stored weight bytes, and as streaming reserve prefetch_depth dense weight tiles of the
// largest fold (what the buffer keeps in flight while streaming).
WeightFootprint arrayWeightFootprint(const ArchConfig& a, const LayerGeometry& g, uint64_t storedBytes);
// The filter partition (memory.filter_kb) in bytes: the PE-array datapaths' weight memory.
uint64_t filterBufferBytes(const ArchConfig& a);

// Dense int8 storage: what GlobalBuffer assumes.
OperandStorage denseStorage(const LayerGeometry& g);

// Compressed storage as a layer plan holds it (SodLayerPlan, SparsePeLayerPlan): the plan's
// weight tiles, its compressed input map and its stored sizes. The plan must outlive the layer.
template <class LayerPlan>
OperandStorage planStorage(const LayerPlan& plan) {
  OperandStorage s;
  s.weight_tile_bits = [&plan](const Fold& f) { return plan.weightTileBits(f.group, f.n0, f.nlen, f.k0, f.klen); };
  s.input_rows_bits = [&plan](int c, int lo, int hi) { return plan.input.rowsBits(c, lo, hi); };
  s.weight_bytes = plan.weight_bytes;
  s.input_bytes = plan.input.bytes();
  return s;
}

class BufferResidency {
 public:
  // Storage decides the bytes: dense int8 by default, compressed formats for Sparse-on-Dense.
  BufferResidency(const LayerGeometry& g, const MemoryConfig& m, int cols, WeightPlacement at = {})
      : BufferResidency(g, m, cols, denseStorage(g), at) {}
  BufferResidency(const LayerGeometry& g, const MemoryConfig& m, int cols, OperandStorage storage, WeightPlacement at = {});
  // Bytes to fetch from DRAM before `f` can start.
  uint64_t readBytes(const Fold& f);
  // Of the last readBytes, the weight bytes.
  uint64_t lastWeightBytes() const { return lastWeightBytes_; }
  // Bytes written to DRAM when `f` finishes (final outputs or spilled partial sums).
  uint64_t writeBytes(const Fold& f) const;
  // On chip from configuration (the run's residency plan).
  bool weightsResident() const { return resident_; }
  // The layer's weights fit the filter partition (resident, or streamed once per layer).
  bool weightsFitBuffer() const { return weightsFit_; }
  bool inputsResident() const { return inputsFit_; }

 private:
  uint64_t inputTileBits(const Fold& f, bool onlyNew);
  const LayerGeometry g_;
  OperandStorage st_;
  int outputBytes_;
  bool resident_, weightsFit_, inputsFit_, psumFit_;
  uint64_t lastWeightBytes_ = 0;
  std::set<std::tuple<int, int64_t, int64_t>> weightTilesSeen_;
  std::vector<int> rowsLoaded_;  // per input channel: rows [0, rowsLoaded) are resident
  bool havePrev_ = false;
  Fold prev_;
};

class GlobalBuffer : public sc_core::sc_module {
 public:
  sc_core::sc_port<DramPortIf> dram;
  sc_core::sc_port<sc_core::sc_fifo_out_if<FoldTask>> to_array;
  sc_core::sc_fifo<std::vector<FoldTask>*> jobs;  // one entry per layer

  GlobalBuffer(sc_core::sc_module_name name);
  // Called before the layer's job is queued: residency is per layer.
  void beginLayer(const LayerGeometry& g, const MemoryConfig& m, int cols, WeightPlacement at) {
    residency_ = std::make_unique<BufferResidency>(g, m, cols, at);
  }
  void beginLayer(const LayerGeometry& g, const MemoryConfig& m, int cols, OperandStorage storage, WeightPlacement at) {
    residency_ = std::make_unique<BufferResidency>(g, m, cols, std::move(storage), at);
  }
  BufferResidency& residency() { return *residency_; }
  const BufferResidency& residency() const { return *residency_; }

 private:
  void fill();
  std::unique_ptr<BufferResidency> residency_;
};

}  // namespace sparsesim
