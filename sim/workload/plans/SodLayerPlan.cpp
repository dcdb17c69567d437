#include "sim/workload/plans/SodLayerPlan.h"

#include <algorithm>

namespace sparsesim {

std::vector<CompressedTensor> compressWeightTiles(const int8_t* Bt, int64_t N, int64_t K, int cols, const CompressionSpec& spec) {
  std::vector<CompressedTensor> tiles;
  for (int64_t n0 = 0; n0 < N; n0 += cols)
    tiles.push_back(CompressedTensor::compress(Bt + n0 * K, K, std::min<int64_t>(cols, N - n0), 1, K, spec));
  return tiles;
}

uint64_t sodStoredWeightBytes(const LayerWorkload& w, const SodConfig& sod, int cols) {
  const LayerGeometry& g = w.geom;
  if (sod.weight_format == SparseFormat::Dense) return uint64_t(g.weightElements());
  const CompressionSpec spec{sod.weight_format, sod.index_bits, 8};
  uint64_t bytes = 0;
  for (int grp = 0; grp < g.groups; ++grp)
    for (const CompressedTensor& t : compressWeightTiles(w.weights.data.data() + int64_t(grp) * g.N * g.K, g.N, g.K, cols, spec))
      bytes += t.bytes();
  return bytes;
}

SodLayerPlan planSodLayer(const LayerWorkload& w, std::vector<GroupGemm>& gemms, const SodConfig& sod, int R, int C,
                          Dataflow df) {
  const LayerGeometry& g = w.geom;
  const CompressionSpec wspec{sod.weight_format, sod.index_bits, 8};
  const CompressionSpec aspec{sod.activation_format, sod.index_bits, 8};
  // Input activations in the buffer (and DRAM): one vector per input channel, its H x W plane.
  SodLayerPlan p{SodLayerData{}, CompressedInputMap(w, aspec), 0};
  SodLayerData& data = p.data;

  // The global buffer's contents: weights as the top edge takes them (per n-tile, one vector
  // of nlen weights per k), activations as the left edge takes them (OS: per m-tile one column
  // of mlen values per k; WS: per k-tile one row of klen values per m).
  data.dataflow = df;
  data.rows = R;
  data.cols = C;
  data.staging = &gemms;
  data.weights_compressed = wspec.format != SparseFormat::Dense;
  data.activations_compressed = aspec.format != SparseFormat::Dense;
  data.weights.resize(size_t(g.groups));
  data.activations.resize(size_t(g.groups));
  for (int grp = 0; grp < g.groups; ++grp) {
    GroupGemm& gm = gemms[size_t(grp)];
    if (data.weights_compressed) {
      data.weights[size_t(grp)] = compressWeightTiles(gm.Bt.data(), g.N, g.K, C, wspec);
      for (const CompressedTensor& t : data.weights[size_t(grp)]) p.weight_bytes += t.bytes();
    }
    if (data.activations_compressed) {
      if (df == Dataflow::OutputStationary) {
        for (int64_t m0 = 0; m0 < g.M; m0 += R)
          data.activations[size_t(grp)].push_back(CompressedTensor::compress(
              gm.A.data() + m0 * g.K, g.K, std::min<int64_t>(R, g.M - m0), 1, g.K, aspec));
      } else {
        for (int64_t k0 = 0; k0 < g.K; k0 += R)
          data.activations[size_t(grp)].push_back(CompressedTensor::compress(
              gm.A.data() + k0, g.M, std::min<int64_t>(R, g.K - k0), g.K, 1, aspec));
      }
    }
    // From here on the array sees only what the decompression units write.
    if (data.weights_compressed) std::fill(gm.Bt.begin(), gm.Bt.end(), kStagingPoison);
    if (data.activations_compressed) std::fill(gm.A.begin(), gm.A.end(), kStagingPoison);
  }
  if (!data.weights_compressed) p.weight_bytes = uint64_t(g.weightElements());
  return p;
}

uint64_t SodLayerPlan::weightTileBits(int group, int64_t n0, int64_t nlen, int64_t k0, int64_t klen) const {
  if (!data.weights_compressed) return uint64_t(nlen) * uint64_t(klen) * 8;
  return data.weights[size_t(group)][size_t(n0 / data.cols)].bitsOfVectors(k0, k0 + klen);
}

}  // namespace sparsesim
