#pragma once
// The sparse-PE baseline: DRAM port -> global buffer holding both operands compressed (CSC along
// the reduction dimension K) -> sparse-PE array (index-matching PEs, output-stationary) ->
// output buffer -> DRAM, with bounded FIFOs between the blocks. See docs/sod.md.
#include <systemc>

#include "models/common/ArrayMemory.h"
#include "models/sparse_pe/SparsePeArray.h"
#include "models/Datapath.h"
#include "sim/workload/CompressedTensor.h"
#include "sim/workload/Lowering.h"

namespace sparsesim {

class SparsePeDatapath : public sc_core::sc_module, public Datapath {
 public:
  SparsePeDatapath(sc_core::sc_module_name name, const ArchConfig& arch);
  int64_t multipliers() const override { return int64_t(arch_.array.rows) * arch_.array.cols; }
  LayerOutcome runLayer(const LayerWorkload& w) override;
  void attachTracer(TraceSink& t) override { array_.attachTracer(t); }
  // For the run's weight-residency plan (sim/workload/plans/WeightResidency.h): the layer's
  // weights as this datapath stores them, and the on-chip memory that holds weights.
  static WeightFootprint weightFootprint(const ArchConfig& a, const LayerWorkload& w);
  static uint64_t weightMemoryBytes(const ArchConfig& a);

 private:
  ArchConfig arch_;
  ArrayMemory mem_;
  SparsePeArray array_;
};

}  // namespace sparsesim
