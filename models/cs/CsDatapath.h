#pragma once
// The Complementary Sparsity datapath (docs/cs.md):
//
//   DRAM --> KwtaSelector (fetch input, k-WTA) --> activation buffer --+
//   DRAM --> WeightPackingSram (packed-table slices, pass by pass) ---+--> MacArray
//   MacArray (multiply, route by kernel ID, sum) --> OutputBuffer --> DRAM
//
// Per layer: the offline packer packs the weights (mode-dependent), the selector block fetches
// the input and runs k-WTA on it (sparse-sparse), the SRAM fill process streams the packed
// table's slices, and the MAC array runs one pass per slice over all output pixels.
// Modes (cs.mode; "auto" decides per layer by an estimate):
//   dense_dense    no packing (one kernel per packed group), every activation processed;
//   sparse_dense   first-fit packing of disjoint kernels, every activation processed;
//   sparse_sparse  packing + only the k-WTA winners processed.
//   auto: the mode with the fewest estimated cycles (estimateCsMode, CsLayerPlan.h), among
//         dense_dense, sparse_dense and (when the layer keeps fewer than all activations)
//         sparse_sparse; a tie goes to the sparser mode.
#include <systemc>

#include <memory>
#include <vector>

#include "models/common/DramController.h"
#include "models/cs/KwtaSelector.h"
#include "models/cs/MacArray.h"
#include "models/common/OutputBuffer.h"
#include "models/cs/WeightPackingSram.h"
#include "models/Datapath.h"
#include "sim/workload/plans/WeightResidency.h"

namespace sparsesim {

class CsDatapath : public sc_core::sc_module, public Datapath {
 public:
  CsDatapath(sc_core::sc_module_name name, const ArchConfig& arch);
  int64_t multipliers() const override { return int64_t(arch_.array.rows) * arch_.array.cols; }
  LayerOutcome runLayer(const LayerWorkload& w) override;
  // For the run's weight-residency plan (sim/workload/plans/WeightResidency.h): the layer's
  // weights as this datapath stores them, and the on-chip memory that holds weights.
  static WeightFootprint weightFootprint(const ArchConfig& a, const LayerWorkload& w);
  static uint64_t weightMemoryBytes(const ArchConfig& a);
  // Words of the SRAM a streamed table may use (what the resident tables leave).
  static uint64_t streamCapacityWords(const WeightPlacement& at, const CsSramConfig& c);
  void attachTracer(TraceSink& t) override;

 private:
  ArchConfig arch_;
  sc_core::sc_fifo<ActivationsReady> actFifo_;
  sc_core::sc_fifo<PassTask> passFifo_;
  sc_core::sc_fifo<WritebackTask> writebackFifo_;
  DramController dram_;
  KwtaSelector selector_;
  WeightPackingSram sram_;
  MacArray mac_;
  OutputBuffer output_;
};

}  // namespace sparsesim
