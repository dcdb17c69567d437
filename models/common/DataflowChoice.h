#pragma once
// Per-layer choice of the systolic mapping for `dataflow: "auto"` (dense and SoD; docs/dense.md
// "Automatic mapping"). The estimate of one candidate, in array cycles, follows its fold schedule:
//   compute: each fold takes its wavefront (SystolicArray.h), partial tiles included:
//     OS: G * ceil(M/R) * ceil(N/C) folds of K + R + C - 2 cycles,
//     WS: G * ceil(N/C) * ceil(K/R) folds of 2R + M + C - 2 cycles;
//   memory: each fold fetches the bytes the global buffer's residency rule says (BufferResidency,
//     the rule the simulation applies, with the operands as stored) and writes its outputs /
//     spilled partial sums, over one DRAM channel at the DRAM bandwidth, first come first served;
//   pipeline: the buffer runs at most memory.prefetch_depth folds ahead of the array, the array
//     starts a fold when the previous one is done and its operands are in;
//   estimate = when the last fold and the last write-back finish (at least the compute total
//     and the DRAM total, which are reported too).
// Not modelled in the estimate: the output buffer's queue and SoD's decompression units.
// The candidate with the smaller estimate runs (OS on a tie). The model has no transposed
// mapping (inputs stationary, or weights on the rows): auto chooses between OS and WS only.
#include <cstdint>
#include <vector>

#include "models/common/GlobalBuffer.h"
#include "models/common/LayerInfo.h"
#include "sim/config/ArchConfig.h"
#include "sim/workload/LayerGeometry.h"

namespace sparsesim {

struct DataflowChoice {
  Dataflow chosen = Dataflow::OutputStationary;
  std::vector<DataflowEstimate> candidates;  // empty when the design fixes its dataflow
};

// One candidate's estimate. `bytesPerCycle` <= 0 is ideal memory (dram_cycles 0).
DataflowEstimate estimateDataflow(const LayerGeometry& g, int rows, int cols, Dataflow df, const MemoryConfig& m,
                                  double bytesPerCycle, const OperandStorage& storage, WeightPlacement at = {});
// `configured` OS or WS is kept as it is; Auto estimates OS and WS and picks the faster. `at` is
// the layer's weight placement from the run's residency plan (resident weights cost no DRAM).
DataflowChoice chooseDataflow(const LayerGeometry& g, int rows, int cols, Dataflow configured, const MemoryConfig& m,
                              double bytesPerCycle, const OperandStorage& storage, WeightPlacement at = {});

}  // namespace sparsesim
