#include "models/DenseDatapath.h"

namespace sparsesim {

DenseDatapath::DenseDatapath(sc_core::sc_module_name name, const ArchConfig& arch)
    : sc_module(name),
      arch_(arch),
      foldFifo_("fold_fifo", arch.memory.prefetch_depth),
      writebackFifo_("writeback_fifo", arch.memory.prefetch_depth),
      dram_("dram", dramBandwidthOf(arch)),
      buffer_("global_buffer"),
      array_("systolic_array", arch.array.rows, arch.array.cols, arch.dataflow, arch.simulation.fold_engine),
      output_("output_buffer") {
  buffer_.dram(dram_.port);
  buffer_.to_array(foldFifo_);
  array_.from_buffer(foldFifo_);
  array_.to_output(writebackFifo_);
  output_.from_array(writebackFifo_);
  output_.dram(dram_.port);
}

void DenseDatapath::runLayer(const LayerWorkload& w, LayerStats& stats, Int32Tensor& output, nlohmann::ordered_json& extra) {
  const LayerGeometry& g = w.geom;
  std::vector<GroupGemm> gemms;
  std::vector<std::vector<int32_t>> acc;
  for (int grp = 0; grp < g.groups; ++grp) {
    gemms.push_back(lowerGroup(w, grp));
    acc.emplace_back(static_cast<size_t>(g.M * g.N), 0);
  }
  buffer_.beginLayer(g, arch_.memory, arch_.array.cols);
  std::vector<Fold> folds = buildFoldSchedule(g, arch_.array.rows, arch_.array.cols, arch_.dataflow);
  std::vector<FoldTask> tasks;
  tasks.reserve(folds.size());
  for (const Fold& f : folds) {
    FoldTask t;
    t.fold = f;
    t.gemm = &gemms[f.group];
    t.C = acc[f.group].data();
    t.write_bytes = buffer_.residency().writeBytes(f);
    t.stats = &stats;
    tasks.push_back(t);
  }
  tasks.back().last_of_layer = true;
  buffer_.jobs.write(&tasks);
  output_.layer_done.read();

  output = Int32Tensor({1, g.out_c, g.out_h, g.out_w});
  for (int grp = 0; grp < g.groups; ++grp) scatterGroupOutput(g, grp, acc[grp], output);
  extra["folds"] = folds.size();
  extra["weights_resident"] = buffer_.residency().weightsResident();
  extra["inputs_resident"] = buffer_.residency().inputsResident();
}

}  // namespace sparsesim
