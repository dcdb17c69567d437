#pragma once
// Host-side preparation of one layer for the Sparse-on-Dense datapath (docs/sod.md): the
// global buffer's contents, compressed tile by tile as the fold schedule reads them, the
// compressed input map and the stored sizes. Plain C++, no SystemC.
#include <cstdint>
#include <functional>
#include <vector>

#include "sim/config/ArchConfig.h"
#include "sim/workload/CompressedTensor.h"
#include "sim/workload/Lowering.h"
#include "sim/workload/Workload.h"
#include "sim/workload/plans/CompressedInputMap.h"

namespace sparsesim {

// Value the dense staging operands hold before the decompression units write them: an output
// computed from a lane no unit wrote cannot match the reference.
constexpr int8_t kStagingPoison = 91;

// What the units of one layer read and where the dense vectors go. Tiles follow the fold
// schedule: weights[g][n0 / C] has one vector per k (length nlen, the weight row the top edge
// takes); activations[g][m0 / R] (OS: one vector per k, the A column of the m-tile) or
// activations[g][k0 / R] (WS: one vector per m, the A row of the k-tile).
struct SodLayerData {
  Dataflow dataflow = Dataflow::OutputStationary;
  int rows = 0, cols = 0;
  std::vector<GroupGemm>* staging = nullptr;  // the dense operands the array reads
  bool weights_compressed = true, activations_compressed = true;
  std::vector<std::vector<CompressedTensor>> weights;
  std::vector<std::vector<CompressedTensor>> activations;
};

struct SodLayerPlan {
  SodLayerData data;
  CompressedInputMap input;
  uint64_t weight_bytes = 0;  // all of the layer's weights as stored
  // The formats the operands are stored in (sod.*_format, "auto" resolved for this layer).
  SparseFormat weight_format = SparseFormat::Dense, activation_format = SparseFormat::Dense;
  // Stored bits of the weight tile of group `group`, n-tile starting at n0, k in [k0, k0 + klen).
  uint64_t weightTileBits(int group, int64_t n0, int64_t nlen, int64_t k0, int64_t klen) const;
};

// One group's weights (Bt, N x K, one kernel per row) compressed as the top edge takes them:
// one tensor per n-tile of `cols` kernels, one vector of nlen weights per k.
std::vector<CompressedTensor> compressWeightTiles(const int8_t* Bt, int64_t N, int64_t K, int cols, const CompressionSpec& spec);
// All of a layer's weights as SoD stores them (planSodLayer's weight_bytes), from the workload's
// weights alone (a kernel is one contiguous row of Bt): what the run's residency plan needs.
uint64_t sodStoredWeightBytes(const LayerWorkload& w, const SodConfig& sod, int cols);
// Decides the mapping once the stored sizes are known (the weight tiles, the input map and
// weight_bytes are set; the activation tiles, which follow the mapping, are not).
using SodDataflowPicker = std::function<Dataflow(const SodLayerPlan&)>;

// Compresses the tiles of `gemms` (the lowered layer) and, for every operand stored
// compressed, fills its dense staging copy with kStagingPoison: from then on the array sees
// only what the decompression units write. A format "auto" stores the operand in whichever of
// dense, bitmap and csc takes the fewest bytes for this layer (dense on a tie: it bypasses its
// decompression unit; then bitmap, then csc).
SodLayerPlan planSodLayer(const LayerWorkload& w, std::vector<GroupGemm>& gemms, const SodConfig& sod, int rows,
                          int cols, const SodDataflowPicker& pickDataflow);

}  // namespace sparsesim
