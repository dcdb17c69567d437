#pragma once
// Sparse-on-Dense: DRAM port -> global buffer holding the operands compressed -> one
// decompression unit per operand (bypassed for an operand stored dense) -> the foundation's
// dense systolic array, unchanged (WS or OS) -> output buffer -> DRAM. Bounded FIFOs between
// the blocks. See docs/sod.md.
#include <systemc>

#include "models/common/ArrayMemory.h"
#include "models/sod/Decompressor.h"
#include "models/common/SystolicArray.h"
#include "models/Datapath.h"

namespace sparsesim {

class SodDatapath : public sc_core::sc_module, public Datapath {
 public:
  SodDatapath(sc_core::sc_module_name name, const ArchConfig& arch);
  int64_t multipliers() const override { return int64_t(arch_.array.rows) * arch_.array.cols; }
  LayerOutcome runLayer(const LayerWorkload& w) override;
  // For the run's weight-residency plan (sim/workload/plans/WeightResidency.h): the layer's
  // weights as this datapath stores them, and the on-chip memory that holds weights.
  static WeightFootprint weightFootprint(const ArchConfig& a, const LayerWorkload& w);
  static uint64_t weightMemoryBytes(const ArchConfig& a);
  void attachTracer(TraceSink& t) override {
    decompressor_.attachTracer(t);
    array_.attachTracer(t);
  }

 private:
  ArchConfig arch_;
  ArrayMemory mem_;
  MonitoredFoldFifo arrayFifo_;  // decompressors -> array; records the array's waits, for stall attribution
  Decompressor decompressor_;
  SystolicArray array_;
};

}  // namespace sparsesim
