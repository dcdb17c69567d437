#include "models/dense/DenseDatapath.h"

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
  mem_.buffer.beginLayer(w.geom, arch_.memory, arch_.array.cols, w.weights_at);
  driver.run(mem_, arch_.array.rows, arch_.array.cols, arch_.dataflow, out.stats);
  out.output = driver.output();
  out.info = DenseInfo{driver.info(mem_)};
  return out;
}

}  // namespace sparsesim
