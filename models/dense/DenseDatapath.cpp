#include "models/dense/DenseDatapath.h"

namespace sparsesim {

DenseDatapath::DenseDatapath(sc_core::sc_module_name name, const ArchConfig& arch)
    : sc_module(name),
      arch_(arch),
      mem_(arch),
      array_("systolic_array", arch.array.rows, arch.array.cols, arch.dataflow, arch.simulation.fold_engine) {
  array_.from_buffer(mem_.to_array);
  array_.to_output(mem_.from_array);
}

void DenseDatapath::runLayer(const LayerWorkload& w, LayerStats& stats, Int32Tensor& output, nlohmann::ordered_json& extra) {
  const LayerGeometry& g = w.geom;
  std::vector<GroupGemm> gemms;
  std::vector<std::vector<int32_t>> acc;
  for (int grp = 0; grp < g.groups; ++grp) {
    gemms.push_back(lowerGroup(w, grp));
    acc.emplace_back(static_cast<size_t>(g.M * g.N), 0);
  }
  mem_.buffer.beginLayer(g, arch_.memory, arch_.array.cols);
  std::vector<Fold> folds = buildFoldSchedule(g, arch_.array.rows, arch_.array.cols, arch_.dataflow);
  std::vector<FoldTask> tasks;
  tasks.reserve(folds.size());
  for (const Fold& f : folds) {
    FoldTask t;
    t.fold = f;
    t.gemm = &gemms[f.group];
    t.C = acc[f.group].data();
    t.write_bytes = mem_.buffer.residency().writeBytes(f);
    t.stats = &stats;
    tasks.push_back(t);
  }
  tasks.back().last_of_layer = true;
  mem_.buffer.jobs.write(&tasks);
  mem_.output.layer_done.read();

  output = Int32Tensor({1, g.out_c, g.out_h, g.out_w});
  for (int grp = 0; grp < g.groups; ++grp) scatterGroupOutput(g, grp, acc[grp], output);
  extra["folds"] = folds.size();
  extra["weights_resident"] = mem_.buffer.residency().weightsResident();
  extra["inputs_resident"] = mem_.buffer.residency().inputsResident();
}

}  // namespace sparsesim
