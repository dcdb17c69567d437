// CompressedTensor: exact round trip, sizes against closed forms counted from the data, range
// queries against brute force.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <vector>

#include "sim/core/Math.h"
#include "sim/workload/CompressedTensor.h"

using namespace sparsesim;

namespace {

std::vector<int8_t> randomMatrix(std::mt19937_64& rng, int64_t n, double density) {
  std::uniform_real_distribution<double> u(0, 1);
  std::uniform_int_distribution<int> v(-127, 127);
  std::vector<int8_t> m(size_t(n), 0);
  for (auto& x : m)
    if (u(rng) < density) {
      int y = 0;
      while (y == 0) y = v(rng);
      x = int8_t(y);
    }
  return m;
}

int ceilLog2Plus1(uint64_t n) {  // bits to hold 0..n
  int b = 1;
  while ((uint64_t(1) << b) <= n) ++b;
  return b;
}

struct Layout {
  int64_t vectors, length, vstride, estride;
};

// Row vectors (vstride = length) or column vectors of a row-major vectors' x length' matrix.
Layout rowLayout(int64_t v, int64_t l) { return {v, l, l, 1}; }
Layout colLayout(int64_t v, int64_t l) { return {v, l, 1, v}; }  // matrix l x v, vector = column

}  // namespace

TEST(CompressedTensor, RoundTripEveryFormatAndLayout) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    std::uniform_int_distribution<int64_t> dim(1, 70);
    const int64_t V = dim(rng), L = dim(rng);
    const double density = std::uniform_real_distribution<double>(0, 1)(rng);
    auto data = randomMatrix(rng, V * L, density);
    const Layout lay = (trial % 2) ? rowLayout(V, L) : colLayout(V, L);
    CompressionSpec spec;
    spec.format = std::array<SparseFormat, 3>{SparseFormat::Csc, SparseFormat::Bitmap, SparseFormat::Dense}[trial % 3];
    spec.index_bits = 1 + trial % 8;
    CompressedTensor t = CompressedTensor::compress(data.data(), lay.vectors, lay.length, lay.vstride, lay.estride, spec);
    int64_t nnz = 0;
    for (int64_t v = 0; v < V; ++v) {
      std::vector<int8_t> out(size_t(L), 99);
      t.decompressVector(v, out.data());
      int64_t nv = 0;
      for (int64_t e = 0; e < L; ++e) {
        ASSERT_EQ(out[size_t(e)], data[size_t(v * lay.vstride + e * lay.estride)]) << "trial " << trial << " v " << v << " e " << e;
        nv += out[size_t(e)] != 0;
      }
      EXPECT_EQ(t.nnz(v), nv);
      nnz += nv;
    }
    EXPECT_EQ(t.nnz(), nnz);
  }
}

TEST(CompressedTensor, SizesMatchClosedFormsCountedFromTheData) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 60; ++trial) {
    const int64_t V = 1 + int64_t(rng() % 50), L = 1 + int64_t(rng() % 300);
    auto data = randomMatrix(rng, V * L, double(trial % 10) / 10.0);
    int64_t nnz = 0;
    for (auto x : data) nnz += x != 0;
    const int ib = 1 + trial % 10;
    const uint64_t pb = uint64_t(ceilLog2Plus1(uint64_t(V * L)));
    const uint64_t segLen = std::min<uint64_t>(uint64_t(1) << ib, uint64_t(L));
    const uint64_t segs = (uint64_t(L) + segLen - 1) / segLen;

    CompressedTensor csc = CompressedTensor::compress(data.data(), V, L, L, 1, {SparseFormat::Csc, ib, 8});
    EXPECT_EQ(csc.pointerBits(), int(pb));
    EXPECT_EQ(csc.bits(), uint64_t(nnz) * (8 + ib) + uint64_t(V) * segs * pb);
    EXPECT_EQ(csc.bytes(), (csc.bits() + 7) / 8);

    CompressedTensor bm = CompressedTensor::compress(data.data(), V, L, L, 1, {SparseFormat::Bitmap, ib, 8});
    EXPECT_EQ(bm.bits(), uint64_t(nnz) * 8 + uint64_t(V * L) + uint64_t(V) * pb);

    CompressedTensor dn = CompressedTensor::compress(data.data(), V, L, L, 1, {SparseFormat::Dense, ib, 8});
    EXPECT_EQ(dn.bits(), uint64_t(V * L) * 8);
    EXPECT_EQ(dn.bytes(), uint64_t(V * L));
    EXPECT_EQ(dn.denseBytes(), uint64_t(V * L));
  }
}

TEST(CompressedTensor, RangeQueriesAgreeWithBruteForceAndPartitionTheVector) {
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 90; ++trial) {
    const int64_t V = 3, L = 1 + int64_t(rng() % 400);
    auto data = randomMatrix(rng, V * L, std::uniform_real_distribution<double>(0, 1)(rng));
    CompressionSpec spec{std::array<SparseFormat, 3>{SparseFormat::Csc, SparseFormat::Bitmap, SparseFormat::Dense}[trial % 3],
                         1 + trial % 7, 8};
    CompressedTensor t = CompressedTensor::compress(data.data(), V, L, L, 1, spec);
    for (int64_t v = 0; v < V; ++v) {
      // Random partition of [0, L).
      std::vector<int64_t> cuts = {0, L};
      for (int c = 0; c < 5; ++c) cuts.push_back(int64_t(rng() % uint64_t(L + 1)));
      std::sort(cuts.begin(), cuts.end());
      uint64_t sum = 0;
      for (size_t c = 0; c + 1 < cuts.size(); ++c) {
        const int64_t p0 = cuts[c], p1 = cuts[c + 1];
        int64_t brute = 0;
        for (int64_t e = p0; e < p1; ++e) brute += data[size_t(v * L + e)] != 0;
        EXPECT_EQ(t.nnzInRange(v, p0, p1), brute) << "trial " << trial << " [" << p0 << ", " << p1 << ")";
        sum += t.bitsOfRange(v, p0, p1);
      }
      EXPECT_EQ(sum, t.vectorBits(v)) << "trial " << trial;
    }
    EXPECT_EQ(t.bitsOfVectors(0, V), t.bits());
  }
}

TEST(CompressedTensor, StoredSizeShrinksWithSparsityAndBeatsDenseWhenSparse) {
  std::mt19937_64 rng(5);
  const int64_t V = 64, L = 32;
  for (SparseFormat f : {SparseFormat::Csc, SparseFormat::Bitmap}) {
    uint64_t prev = ~uint64_t(0);
    for (double density : {1.0, 0.7, 0.5, 0.3, 0.1, 0.01}) {
      auto data = randomMatrix(rng, V * L, density);
      CompressedTensor t = CompressedTensor::compress(data.data(), V, L, L, 1, {f, 5, 8});
      EXPECT_LT(t.bytes(), prev) << toString(f) << " density " << density;
      prev = t.bytes();
      if (density <= 0.3) EXPECT_LT(t.bytes(), t.denseBytes()) << toString(f) << " density " << density;
    }
  }
}

TEST(CompressedTensor, NarrowIndicesCostMorePointers) {
  std::mt19937_64 rng(9);
  auto data = randomMatrix(rng, 16 * 256, 0.2);
  CompressedTensor wide = CompressedTensor::compress(data.data(), 16, 256, 256, 1, {SparseFormat::Csc, 8, 8});
  CompressedTensor narrow = CompressedTensor::compress(data.data(), 16, 256, 256, 1, {SparseFormat::Csc, 2, 8});
  EXPECT_EQ(wide.segmentsPerVector(), 1);
  EXPECT_EQ(narrow.segmentsPerVector(), 64);
  // Same entries, 6 fewer index bits each, 63 more pointers per vector.
  const uint64_t nnz = uint64_t(wide.nnz());
  EXPECT_EQ(wide.bits() - nnz * 6 + 16 * 63 * uint64_t(wide.pointerBits()), narrow.bits());
}

TEST(CompressedTensor, FormatNames) {
  EXPECT_EQ(parseSparseFormat("csc"), SparseFormat::Csc);
  EXPECT_EQ(parseSparseFormat("bitmap"), SparseFormat::Bitmap);
  EXPECT_EQ(parseSparseFormat("dense"), SparseFormat::Dense);
  EXPECT_THROW(parseSparseFormat("coo"), std::invalid_argument);
}
