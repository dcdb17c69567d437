#include "models/sod/SodDatapath.h"

#include <algorithm>

#include "models/common/FoldDriver.h"

namespace sparsesim {

namespace {

DecompressorParams unitParams(const SodConfig& c) { return DecompressorParams{c.nnz_per_cycle, c.port_bytes}; }

DecompressorUnitInfo unitInfo(const DecompressorUnit& u, uint64_t vectors0, uint64_t entries0, uint64_t cycles0,
                              uint64_t bits0, bool compressed, int lanes) {
  DecompressorUnitInfo i;
  i.compressed = compressed;
  i.vectors = u.vectors() - vectors0;
  i.entries = u.entries() - entries0;
  i.busy_cycles = u.cycles() - cycles0;
  i.bits_read = u.bitsRead() - bits0;
  i.register_bits = compressed ? uint64_t(u.params().port_bytes) * 8 + uint64_t(lanes) * 8 : 0;
  i.crossbar_crosspoints = compressed ? uint64_t(u.params().nnz_per_cycle) * uint64_t(lanes) : 0;
  return i;
}

}  // namespace

SodDatapath::SodDatapath(sc_core::sc_module_name name, const ArchConfig& arch)
    : sc_module(name),
      arch_(arch),
      mem_(arch),
      arrayFifo_("array_fifo", arch.memory.prefetch_depth),
      decompressor_("decompressor", unitParams(arch.sod), unitParams(arch.sod)),
      array_("systolic_array", arch.array.rows, arch.array.cols, arch.dataflow, arch.simulation.fold_engine) {
  decompressor_.from_buffer(mem_.to_array);
  decompressor_.to_array(arrayFifo_);
  array_.from_buffer(arrayFifo_);
  array_.to_output(mem_.from_array);
}

LayerOutcome SodDatapath::runLayer(const LayerWorkload& w) {
  LayerOutcome out;
  LayerStats& stats = out.stats;
  const LayerGeometry& g = w.geom;
  const int R = arch_.array.rows, C = arch_.array.cols;
  const Dataflow df = arch_.dataflow;
  const CompressionSpec wspec{arch_.sod.weight_format, arch_.sod.index_bits, 8};
  const CompressionSpec aspec{arch_.sod.activation_format, arch_.sod.index_bits, 8};

  FoldDriver driver(w);
  std::vector<GroupGemm>& gemms = driver.gemms();

  // The global buffer's contents: weights as the top edge takes them (per n-tile, one vector
  // of nlen weights per k), activations as the left edge takes them (OS: per m-tile one column
  // of mlen values per k; WS: per k-tile one row of klen values per m).
  SodLayerData data;
  data.dataflow = df;
  data.rows = R;
  data.cols = C;
  data.staging = &gemms;
  data.weights_compressed = wspec.format != SparseFormat::Dense;
  data.activations_compressed = aspec.format != SparseFormat::Dense;
  uint64_t weightBytes = 0;
  data.weights.resize(size_t(g.groups));
  data.activations.resize(size_t(g.groups));
  for (int grp = 0; grp < g.groups; ++grp) {
    GroupGemm& gm = gemms[size_t(grp)];
    if (data.weights_compressed) {
      for (int64_t n0 = 0; n0 < g.N; n0 += C) {
        const int64_t nlen = std::min<int64_t>(C, g.N - n0);
        data.weights[size_t(grp)].push_back(
            CompressedTensor::compress(gm.Bt.data() + n0 * g.K, g.K, nlen, 1, g.K, wspec));
        weightBytes += data.weights[size_t(grp)].back().bytes();
      }
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

  // Input activations in the buffer (and DRAM): one vector per input channel, its H x W plane.
  const CompressedTensor fmap = CompressedTensor::compress(w.input.data.data(), g.in_c, int64_t(g.in_h) * g.in_w,
                                                           int64_t(g.in_h) * g.in_w, 1, aspec);
  OperandStorage storage;
  if (data.weights_compressed) {
    const auto* tiles = &data.weights;
    storage.weight_tile_bits = [tiles, C](const Fold& f) {
      return (*tiles)[size_t(f.group)][size_t(f.n0 / C)].bitsOfVectors(f.k0, f.k0 + f.klen);
    };
  } else {
    storage.weight_tile_bits = [](const Fold& f) { return uint64_t(f.nlen) * uint64_t(f.klen) * 8; };
    weightBytes = uint64_t(g.weightElements());
  }
  const int inW = g.in_w;
  storage.input_rows_bits = [&fmap, inW](int c, int lo, int hi) {
    return fmap.bitsOfRange(c, int64_t(lo) * inW, int64_t(hi) * inW);
  };
  storage.weight_bytes = weightBytes;
  storage.input_bytes = fmap.bytes();
  mem_.buffer.beginLayer(g, arch_.memory, C, storage);
  decompressor_.beginLayer(&data);

  const DecompressorUnit& wu = decompressor_.stage().weightUnit();
  const DecompressorUnit& au = decompressor_.stage().activationUnit();
  const uint64_t wv0 = wu.vectors(), we0 = wu.entries(), wc0 = wu.cycles(), wb0 = wu.bitsRead();
  const uint64_t av0 = au.vectors(), ae0 = au.entries(), ac0 = au.cycles(), ab0 = au.bitsRead();
  const uint64_t lw0 = wu.laneWrites() + au.laneWrites(), by0 = decompressor_.stage().bypassBytes();

  arrayFifo_.waits().clear();
  driver.run(mem_, R, C, df, stats);
  attributeDecompressorStalls(arrayFifo_.waits(), decompressor_.records(), stats);
  // The global buffer is read by the units (compressed bits) or around them (dense operands);
  // the units write dense vectors into the array's edge staging.
  stats.block_events[BlockEvent::DecompressorReadBits] += (wu.bitsRead() - wb0) + (au.bitsRead() - ab0);
  stats.block_events[BlockEvent::DecompressorLaneWrites] += wu.laneWrites() + au.laneWrites() - lw0;
  stats.block_events[BlockEvent::GlobalBufferDenseReadBytes] += decompressor_.stage().bypassBytes() - by0;

  out.output = driver.output();
  SodInfo info;
  info.array = driver.info(mem_);
  info.weight_format = wspec.format;
  info.activation_format = aspec.format;
  info.weight_bytes_dense = uint64_t(g.weightElements());
  info.weight_bytes_compressed = weightBytes;
  info.activation_bytes_dense = uint64_t(g.inputElements());
  info.activation_bytes_compressed = fmap.bytes();
  info.weights = unitInfo(wu, wv0, we0, wc0, wb0, data.weights_compressed, C);
  info.activations = unitInfo(au, av0, ae0, ac0, ab0, data.activations_compressed, R);
  out.info = info;
  return out;
}

}  // namespace sparsesim
