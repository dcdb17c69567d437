#pragma once
// The dense baseline: DRAM port -> global buffer -> systolic array -> output buffer -> DRAM,
// with bounded FIFOs between the blocks.
#include <systemc>

#include <memory>
#include <vector>

#include "models/common/ArrayMemory.h"
#include "models/common/SystolicArray.h"
#include "models/Datapath.h"

namespace sparsesim {

class DenseDatapath : public sc_core::sc_module, public Datapath {
 public:
  DenseDatapath(sc_core::sc_module_name name, const ArchConfig& arch);
  int64_t multipliers() const override { return int64_t(arch_.array.rows) * arch_.array.cols; }
  LayerOutcome runLayer(const LayerWorkload& w) override;
  // For the run's weight-residency plan (sim/workload/plans/WeightResidency.h): the layer's
  // weights as this datapath stores them, and the on-chip memory that holds weights.
  static WeightFootprint weightFootprint(const ArchConfig& a, const LayerWorkload& w);
  static uint64_t weightMemoryBytes(const ArchConfig& a);
  void attachTracer(TraceSink& t) override { array_.attachTracer(t); }

 private:
  ArchConfig arch_;
  ArrayMemory mem_;
  SystolicArray array_;
};

}  // namespace sparsesim
