#include "models/sparse_pe/SparsePeDatapath.h"

#include <algorithm>

#include "models/common/FoldDriver.h"

namespace sparsesim {

namespace {

// The (value, k) streams the PEs read, decoded from the stored CSC tensor (vectors along K).
SparseOperand decode(const CompressedTensor& t) {
  SparseOperand o;
  o.ptr.resize(size_t(t.vectors()) + 1);
  o.k.reserve(size_t(t.nnz()));
  o.val.reserve(size_t(t.nnz()));
  const int64_t seg = t.segmentLength();
  for (int64_t v = 0; v < t.vectors(); ++v) {
    o.ptr[size_t(v)] = int64_t(o.k.size());
    for (int64_t s = 0; s < t.segmentsPerVector(); ++s)
      for (int64_t i = t.segmentBegin(v, s); i < t.segmentBegin(v, s + 1); ++i) {
        o.k.push_back(int32_t(s * seg + t.indices()[size_t(i)]));
        o.val.push_back(t.values()[size_t(i)]);
      }
  }
  o.ptr[size_t(t.vectors())] = int64_t(o.k.size());
  o.run.resize(o.k.size());
  for (int64_t v = 0; v < t.vectors(); ++v)
    consecutiveRuns(o.k.data() + o.ptr[size_t(v)], o.ptr[size_t(v) + 1] - o.ptr[size_t(v)], o.run.data() + o.ptr[size_t(v)]);
  return o;
}

}  // namespace

SparsePeDatapath::SparsePeDatapath(sc_core::sc_module_name name, const ArchConfig& arch)
    : sc_module(name),
      arch_(arch),
      mem_(arch),
      array_("sparse_pe_array", arch.array.rows, arch.array.cols, arch.sparse_pe) {
  array_.from_buffer(mem_.to_array);
  array_.to_output(mem_.from_array);
}

LayerOutcome SparsePeDatapath::runLayer(const LayerWorkload& w) {
  LayerOutcome out;
  LayerStats& stats = out.stats;
  const LayerGeometry& g = w.geom;
  const int R = arch_.array.rows, C = arch_.array.cols;
  const CompressionSpec spec{SparseFormat::Csc, arch_.sparse_pe.index_bits, 8};

  // The PEs see only the (value, index) streams; the driver keeps each GEMM's shape for the
  // accumulators.
  FoldDriver driver(w, /*operandsToo=*/false);
  SparsePeLayerData data;
  std::vector<CompressedTensor> weightTensors;
  uint64_t weightBytes = 0;
  for (int grp = 0; grp < g.groups; ++grp) {
    GroupGemm gm = lowerGroup(w, grp);
    // Global-buffer contents: every row of A and of Bt compressed along K.
    CompressedTensor at = CompressedTensor::compress(gm.A.data(), g.M, g.K, g.K, 1, spec);
    weightTensors.push_back(CompressedTensor::compress(gm.Bt.data(), g.N, g.K, g.K, 1, spec));
    weightBytes += weightTensors.back().bytes();
    data.activations.push_back(decode(at));
    data.weights.push_back(decode(weightTensors.back()));
  }
  const CompressedTensor fmap = CompressedTensor::compress(w.input.data.data(), g.in_c, int64_t(g.in_h) * g.in_w,
                                                           int64_t(g.in_h) * g.in_w, 1, spec);
  OperandStorage storage;
  const auto* wts = &weightTensors;
  storage.weight_tile_bits = [wts](const Fold& f) {
    const CompressedTensor& t = (*wts)[size_t(f.group)];
    if (f.k0 == 0 && f.klen == t.length()) return t.bitsOfVectors(f.n0, f.n0 + f.nlen);
    uint64_t bits = 0;
    for (int64_t n = f.n0; n < f.n0 + f.nlen; ++n) bits += t.bitsOfRange(n, f.k0, f.k0 + f.klen);
    return bits;
  };
  const int inW = g.in_w;
  storage.input_rows_bits = [&fmap, inW](int c, int lo, int hi) {
    return fmap.bitsOfRange(c, int64_t(lo) * inW, int64_t(hi) * inW);
  };
  storage.weight_bytes = weightBytes;
  storage.input_bytes = fmap.bytes();
  mem_.buffer.beginLayer(g, arch_.memory, C, storage);
  array_.beginLayer(&data);

  driver.run(mem_, R, C, Dataflow::OutputStationary, stats);

  out.output = driver.output();

  const SparsePeCounters& c = array_.counters();
  stats.selector_comparisons += c.comparisons;
  stats.register_accesses += c.fifo_writes + c.entries_consumed;  // FIFO writes + pops
  stats.block_events[BlockEvent::SparsePeBusEntries] += c.bus_entries;
  stats.block_events[BlockEvent::SparsePeFifoWrites] += c.fifo_writes;
  stats.block_events[BlockEvent::SparsePeFifoPops] += c.entries_consumed;
  SparsePeInfo info;
  info.array = driver.info(mem_);
  info.pe_count = int64_t(R) * C;
  info.macs = c.macs;
  info.active_pe_cycles = c.active_pe_cycles;
  info.starved_pe_cycles = c.starved_pe_cycles;
  info.idle_pe_cycles = c.idle_pe_cycles;
  info.bus_blocked_cycles = c.bus_blocked_cycles;
  info.entries_examined = c.entries_consumed;
  info.weight_bytes_dense = uint64_t(g.weightElements());
  info.weight_bytes_compressed = weightBytes;
  info.activation_bytes_dense = uint64_t(g.inputElements());
  info.activation_bytes_compressed = fmap.bytes();
  out.info = info;
  return out;
}

}  // namespace sparsesim
