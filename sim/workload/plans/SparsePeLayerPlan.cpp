#include "sim/workload/plans/SparsePeLayerPlan.h"

#include <algorithm>
#include <thread>

#include "sim/core/HostThreads.h"
#include "sim/workload/Lowering.h"

namespace sparsesim {

DecodedStreams decode(const CompressedTensor& t) {
  DecodedStreams o;
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
  return o;
}

namespace {
// Rows [0, M) of A (K long, contiguous) compressed along K as stored and decoded, in contiguous
// blocks of rows on the host threads: each row is compressed on its own, so the streams are
// those of the whole tensor (host speed only).
DecodedStreams compressDecodeRows(const int8_t* A, int64_t M, int64_t K, const CompressionSpec& spec) {
  const int64_t T = M * K < (int64_t(1) << 16) ? 1 : std::min<int64_t>(hostThreads(), M);
  std::vector<DecodedStreams> part(static_cast<size_t>(T));
  auto block = [&](int64_t t) {
    const int64_t lo = M * t / T, hi = M * (t + 1) / T;
    part[size_t(t)] = decode(CompressedTensor::compress(A + lo * K, hi - lo, K, K, 1, spec));
  };
  std::vector<std::thread> pool;
  for (int64_t t = 1; t < T; ++t) pool.emplace_back(block, t);
  block(0);
  for (std::thread& th : pool) th.join();
  if (T == 1) return std::move(part[0]);
  DecodedStreams o;
  size_t nnz = 0;
  for (const DecodedStreams& d : part) nnz += d.k.size();
  o.ptr.reserve(size_t(M) + 1);
  o.k.reserve(nnz);
  o.val.reserve(nnz);
  for (const DecodedStreams& d : part) {
    const int64_t base = int64_t(o.k.size());
    for (size_t v = 0; v + 1 < d.ptr.size(); ++v) o.ptr.push_back(base + d.ptr[v]);
    o.k.insert(o.k.end(), d.k.begin(), d.k.end());
    o.val.insert(o.val.end(), d.val.begin(), d.val.end());
  }
  o.ptr.push_back(int64_t(o.k.size()));
  return o;
}

// Group `grp`'s Bt (N x K, a kernel per contiguous row of the OIHW weights) compressed along K.
CompressedTensor compressedKernels(const int8_t* Bt, const LayerGeometry& g, const CompressionSpec& spec) {
  return CompressedTensor::compress(Bt, g.N, g.K, g.K, 1, spec);
}
CompressionSpec cscSpec(const SparsePeConfig& c) { return CompressionSpec{SparseFormat::Csc, c.index_bits, 8}; }
}  // namespace

uint64_t sparsePeStoredWeightBytes(const LayerWorkload& w, const SparsePeConfig& c) {
  const LayerGeometry& g = w.geom;
  uint64_t bytes = 0;
  for (int grp = 0; grp < g.groups; ++grp)
    bytes += compressedKernels(w.weights.data.data() + int64_t(grp) * g.N * g.K, g, cscSpec(c)).bytes();
  return bytes;
}

SparsePeLayerPlan planSparsePeLayer(const LayerWorkload& w, const SparsePeConfig& c) {
  const LayerGeometry& g = w.geom;
  const CompressionSpec spec = cscSpec(c);
  SparsePeLayerPlan p{{}, {}, {}, CompressedInputMap(w, spec), 0};
  for (int grp = 0; grp < g.groups; ++grp) {
    GroupGemm gm = lowerGroup(w, grp);
    // Global-buffer contents: every row of A and of Bt compressed along K.
    p.activations.push_back(compressDecodeRows(gm.A.data(), g.M, g.K, spec));
    p.weight_tensors.push_back(compressedKernels(gm.Bt.data(), g, spec));
    p.weight_bytes += p.weight_tensors.back().bytes();
    p.weights.push_back(decode(p.weight_tensors.back()));
  }
  return p;
}

uint64_t SparsePeLayerPlan::weightTileBits(int group, int64_t n0, int64_t nlen, int64_t k0, int64_t klen) const {
  const CompressedTensor& t = weight_tensors[size_t(group)];
  if (k0 == 0 && klen == t.length()) return t.bitsOfVectors(n0, n0 + nlen);
  uint64_t bits = 0;
  for (int64_t n = n0; n < n0 + nlen; ++n) bits += t.bitsOfRange(n, k0, k0 + klen);
  return bits;
}

}  // namespace sparsesim
