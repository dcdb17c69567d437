#include "sim/workload/plans/SodLayerPlan.h"

#include <algorithm>
#include <array>

namespace sparsesim {

namespace {

// The formats "auto" tries, in the order that wins a tie.
constexpr std::array<SparseFormat, 3> kAutoOrder = {SparseFormat::Dense, SparseFormat::Bitmap, SparseFormat::Csc};

SparseFormat fixedFormat(SodFormat f) {
  switch (f) {
    case SodFormat::Csc: return SparseFormat::Csc;
    case SodFormat::Bitmap: return SparseFormat::Bitmap;
    default: return SparseFormat::Dense;
  }
}

// Every group's weight tiles (compressWeightTiles per group) and their stored bytes.
std::vector<std::vector<CompressedTensor>> weightTiles(const std::vector<GroupGemm>& gemms, const LayerGeometry& g,
                                                       int C, const CompressionSpec& spec, uint64_t& bytes) {
  std::vector<std::vector<CompressedTensor>> tiles(size_t(g.groups));
  bytes = 0;
  for (int grp = 0; grp < g.groups; ++grp) {
    tiles[size_t(grp)] = compressWeightTiles(gemms[size_t(grp)].Bt.data(), g.N, g.K, C, spec);
    for (const CompressedTensor& t : tiles[size_t(grp)]) bytes += t.bytes();
  }
  return tiles;
}

}  // namespace

std::vector<CompressedTensor> compressWeightTiles(const int8_t* Bt, int64_t N, int64_t K, int cols, const CompressionSpec& spec) {
  std::vector<CompressedTensor> tiles;
  for (int64_t n0 = 0; n0 < N; n0 += cols)
    tiles.push_back(CompressedTensor::compress(Bt + n0 * K, K, std::min<int64_t>(cols, N - n0), 1, K, spec));
  return tiles;
}

uint64_t sodStoredWeightBytes(const LayerWorkload& w, const SodConfig& sod, int cols) {
  const LayerGeometry& g = w.geom;
  const auto bytesIn = [&](SparseFormat f) {
    if (f == SparseFormat::Dense) return uint64_t(g.weightElements());
    const CompressionSpec spec{f, sod.index_bits, 8};
    uint64_t bytes = 0;
    for (int grp = 0; grp < g.groups; ++grp)
      for (const CompressedTensor& t : compressWeightTiles(w.weights.data.data() + int64_t(grp) * g.N * g.K, g.N, g.K, cols, spec))
        bytes += t.bytes();
    return bytes;
  };
  if (sod.weight_format != SodFormat::Auto) return bytesIn(fixedFormat(sod.weight_format));
  // As planSodLayer's auto: the fewest stored bytes, dense winning a tie.
  uint64_t best = bytesIn(SparseFormat::Dense);
  for (SparseFormat f : {SparseFormat::Bitmap, SparseFormat::Csc}) best = std::min(best, bytesIn(f));
  return best;
}

SodLayerPlan planSodLayer(const LayerWorkload& w, std::vector<GroupGemm>& gemms, const SodConfig& sod, int R, int C,
                          const SodDataflowPicker& pickDataflow) {
  const LayerGeometry& g = w.geom;
  // Input activations in the buffer (and DRAM): one vector per input channel, its H x W plane.
  SparseFormat af = fixedFormat(sod.activation_format);
  if (sod.activation_format == SodFormat::Auto) {
    uint64_t best = 0;
    for (SparseFormat f : kAutoOrder) {
      const uint64_t b = CompressedInputMap(w, CompressionSpec{f, sod.index_bits, 8}).bytes();
      if (f == kAutoOrder[0] || b < best) { best = b; af = f; }
    }
  }
  const CompressionSpec aspec{af, sod.index_bits, 8};
  SodLayerPlan p{SodLayerData{}, CompressedInputMap(w, aspec), 0};
  p.activation_format = af;
  SodLayerData& data = p.data;

  // The global buffer's contents: weights as the top edge takes them (per n-tile, one vector
  // of nlen weights per k), activations as the left edge takes them (OS: per m-tile one column
  // of mlen values per k; WS: per k-tile one row of klen values per m).
  SparseFormat wf = fixedFormat(sod.weight_format);
  if (sod.weight_format == SodFormat::Auto) {
    uint64_t best = uint64_t(g.weightElements());
    wf = SparseFormat::Dense;
    for (SparseFormat f : {SparseFormat::Bitmap, SparseFormat::Csc}) {
      uint64_t b = 0;
      std::vector<std::vector<CompressedTensor>> tiles = weightTiles(gemms, g, C, CompressionSpec{f, sod.index_bits, 8}, b);
      if (b < best) {
        best = b;
        wf = f;
        data.weights = std::move(tiles);
        p.weight_bytes = b;
      }
    }
  } else if (wf != SparseFormat::Dense) {
    data.weights = weightTiles(gemms, g, C, CompressionSpec{wf, sod.index_bits, 8}, p.weight_bytes);
  }
  p.weight_format = wf;
  data.rows = R;
  data.cols = C;
  data.staging = &gemms;
  data.weights_compressed = wf != SparseFormat::Dense;
  data.activations_compressed = af != SparseFormat::Dense;
  if (!data.weights_compressed) {
    data.weights.assign(size_t(g.groups), {});
    p.weight_bytes = uint64_t(g.weightElements());
  }
  const Dataflow df = pickDataflow(p);
  data.dataflow = df;
  data.activations.resize(size_t(g.groups));
  for (int grp = 0; grp < g.groups; ++grp) {
    GroupGemm& gm = gemms[size_t(grp)];
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
  return p;
}

uint64_t SodLayerPlan::weightTileBits(int group, int64_t n0, int64_t nlen, int64_t k0, int64_t klen) const {
  if (!data.weights_compressed) return uint64_t(nlen) * uint64_t(klen) * 8;
  return data.weights[size_t(group)][size_t(n0 / data.cols)].bitsOfVectors(k0, k0 + klen);
}

}  // namespace sparsesim
