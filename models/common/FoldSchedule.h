#pragma once
// How a layer's GEMMs are cut into folds: the pieces of work that occupy the whole array once.
//   OS: each PE owns one output; a fold is an R x C tile of outputs (m, n), all of K streamed.
//       Order: group, m-tile, n-tile.
//   WS: each PE holds one weight; a fold is an R x C tile of weights (k, n), all M inputs
//       streamed past it. Order: group, n-tile, k-tile (partial sums of a tile stay in the
//       output buffer until its last k-tile).
#include <cstdint>
#include <vector>

#include "sim/config/ArchConfig.h"
#include "sim/workload/LayerGeometry.h"

namespace sparsesim {

struct Fold {
  int group = 0;
  int64_t m0 = 0, mlen = 0, n0 = 0, nlen = 0, k0 = 0, klen = 0;
  bool firstK = true;  // first fold contributing to its output tile
  bool lastK = true;   // outputs of its tile are final after this fold
};

std::vector<Fold> buildFoldSchedule(const LayerGeometry& g, int rows, int cols, Dataflow df);

}  // namespace sparsesim
