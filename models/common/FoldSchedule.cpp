#include "models/common/FoldSchedule.h"

#include <algorithm>

namespace sparsesim {

std::vector<Fold> buildFoldSchedule(const LayerGeometry& g, int rows, int cols, Dataflow df) {
  std::vector<Fold> folds;
  for (int grp = 0; grp < g.groups; ++grp) {
    if (df == Dataflow::OutputStationary) {
      for (int64_t m0 = 0; m0 < g.M; m0 += rows)
        for (int64_t n0 = 0; n0 < g.N; n0 += cols) {
          Fold f;
          f.group = grp;
          f.m0 = m0; f.mlen = std::min<int64_t>(rows, g.M - m0);
          f.n0 = n0; f.nlen = std::min<int64_t>(cols, g.N - n0);
          f.k0 = 0; f.klen = g.K;
          folds.push_back(f);
        }
    } else {
      for (int64_t n0 = 0; n0 < g.N; n0 += cols)
        for (int64_t k0 = 0; k0 < g.K; k0 += rows) {
          Fold f;
          f.group = grp;
          f.m0 = 0; f.mlen = g.M;
          f.n0 = n0; f.nlen = std::min<int64_t>(cols, g.N - n0);
          f.k0 = k0; f.klen = std::min<int64_t>(rows, g.K - k0);
          f.firstK = k0 == 0;
          f.lastK = k0 + rows >= g.K;
          folds.push_back(f);
        }
    }
  }
  return folds;
}

}  // namespace sparsesim
