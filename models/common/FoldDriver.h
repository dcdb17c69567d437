#pragma once
// The layer driver the PE-array datapaths (dense, sod, sparse_pe) share: lower the layer to one
// GEMM per group, queue the fold schedule through the memory side, wait for the last write-back
// and gather the outputs. What differs between them (how operands are stored and fed: dense,
// decompressed, or as (value, index) streams) is set up by the datapath before run().
#include <cstdint>
#include <vector>

#include "models/common/LayerInfo.h"
#include "models/common/ArrayMemory.h"
#include "sim/workload/Lowering.h"
#include "sim/workload/Workload.h"

namespace sparsesim {

class FoldDriver {
 public:
  // Lowers every group of the layer (the operands the array's edges read) and zeroes the
  // accumulators. `operandsToo` false keeps only each GEMM's shape (sparse-PE reads streams).
  FoldDriver(const LayerWorkload& w, bool operandsToo = true);
  std::vector<GroupGemm>& gemms() { return gemms_; }
  // Queues every fold of the R x C schedule in `df` through mem's global buffer (beginLayer
  // must have been called) and returns when the output buffer has drained the layer.
  void run(ArrayMemory& mem, int R, int C, Dataflow df, LayerStats& stats);
  Int32Tensor output() const;
  // The layer's facts (the mapping is the one run() was given).
  ArrayLayerInfo info(const ArrayMemory& mem) const;

 private:
  const LayerGeometry& g_;
  uint64_t origin_ = 0;  // LayerWorkload::time_origin
  std::vector<GroupGemm> gemms_;
  std::vector<std::vector<int32_t>> acc_;
  uint64_t folds_ = 0;
  Dataflow df_ = Dataflow::OutputStationary;
};

}  // namespace sparsesim
