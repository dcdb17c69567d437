#include "models/dense/DenseDatapath.h"

#include "models/common/DataflowChoice.h"
#include "models/common/FoldDriver.h"

namespace sparsesim {

DenseDatapath::DenseDatapath(sc_core::sc_module_name name, const ArchConfig& arch)
    : sc_module(name),
      arch_(arch),
      mem_(arch),
      array_("systolic_array", arch.array.rows, arch.array.cols, arch.dataflow, arch.simulation.fold_engine) {
  array_.from_buffer(mem_.to_array);
  array_.to_output(mem_.from_array);
}

WeightFootprint DenseDatapath::weightFootprint(const ArchConfig& a, const LayerWorkload& w) {
  return arrayWeightFootprint(a, w.geom, uint64_t(w.geom.weightElements()));
}

uint64_t DenseDatapath::weightMemoryBytes(const ArchConfig& a) { return filterBufferBytes(a); }

LayerOutcome DenseDatapath::runLayer(const LayerWorkload& w) {
  LayerOutcome out;
  FoldDriver driver(w);
  const int R = arch_.array.rows, C = arch_.array.cols;
  const DataflowChoice choice = chooseDataflow(w.geom, R, C, arch_.dataflow, arch_.memory, dramBandwidthOf(arch_),
                                               denseStorage(w.geom), w.weights_at);
  mem_.buffer.beginLayer(w.geom, arch_.memory, C, w.weights_at);
  array_.setDataflow(choice.chosen);
  driver.run(mem_, R, C, choice.chosen, out.stats);
  out.output = driver.output();
  DenseInfo info{driver.info(mem_)};
  info.array.dataflow_estimates = choice.candidates;
  out.info = info;
  return out;
}

}  // namespace sparsesim
