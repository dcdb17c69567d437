#include "models/common/FoldDriver.h"

#include "models/common/FoldSchedule.h"

namespace sparsesim {

FoldDriver::FoldDriver(const LayerWorkload& w, bool operandsToo) : g_(w.geom), origin_(w.time_origin) {
  gemms_.resize(size_t(g_.groups));
  for (int grp = 0; grp < g_.groups; ++grp) {
    if (operandsToo) {
      gemms_[size_t(grp)] = lowerGroup(w, grp);
    } else {
      gemms_[size_t(grp)].M = g_.M;
      gemms_[size_t(grp)].K = g_.K;
      gemms_[size_t(grp)].N = g_.N;
    }
    acc_.emplace_back(static_cast<size_t>(g_.M * g_.N), 0);
  }
}

void FoldDriver::run(ArrayMemory& mem, int R, int C, Dataflow df, LayerStats& stats) {
  std::vector<Fold> folds = buildFoldSchedule(g_, R, C, df);
  std::vector<FoldTask> tasks;
  tasks.reserve(folds.size());
  stats.beginRows(uint64_t(g_.batch) * uint64_t(g_.out_h));
  for (const Fold& f : folds) {
    FoldTask t;
    t.fold = f;
    t.gemm = &gemms_[size_t(f.group)];
    t.C = acc_[size_t(f.group)].data();
    t.write_bytes = mem.buffer.residency().writeBytes(f);
    t.stats = &stats;
    t.origin = origin_;
    t.row_pixels = g_.out_w;
    tasks.push_back(t);
  }
  tasks.back().last_of_layer = true;
  folds_ = folds.size();
  df_ = df;
  mem.buffer.jobs.write(&tasks);
  mem.output.layer_done.read();
}

Int32Tensor FoldDriver::output() const {
  Int32Tensor out({g_.batch, g_.out_c, g_.out_h, g_.out_w});
  for (int grp = 0; grp < g_.groups; ++grp) scatterGroupOutput(g_, grp, acc_[size_t(grp)], out);
  return out;
}

ArrayLayerInfo FoldDriver::info(const ArrayMemory& mem) const {
  ArrayLayerInfo i;
  i.dataflow = df_;
  i.folds = folds_;
  i.weights_fit_buffer = mem.buffer.residency().weightsFitBuffer();
  i.inputs_resident = mem.buffer.residency().inputsResident();
  return i;
}

}  // namespace sparsesim
