// The run dot product (models/sparse_pe/RunDot.h) on every vector path the CPU has, against the
// closed form: the sum of the products in int64, taken modulo 2^32 (the int32 accumulator wraps).
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "models/sparse_pe/RunDot.h"

using namespace sparsesim;

namespace {

int32_t wrapped(const int8_t* a, const int8_t* b, int64_t n) {
  int64_t s = 0;
  for (int64_t u = 0; u < n; ++u) s += int64_t(a[u]) * int64_t(b[u]);
  return int32_t(uint32_t(uint64_t(s)));
}

}  // namespace

TEST(RunDot, EveryPathEqualsTheWrappedSumAtEveryLengthAndOffset) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(-128, 127);
  std::vector<int8_t> a(400), b(400);
  for (int8_t& x : a) x = int8_t(byte(rng));
  for (int8_t& x : b) x = int8_t(byte(rng));
  a[5] = b[5] = -128;  // the extreme product, (-128)^2
  for (RunDotPath p : {RunDotPath::Plain, RunDotPath::Sse2, RunDotPath::Avx2}) {
    if (!runDotAvailable(p)) continue;
    // Every length through several vector widths and leftovers, at unaligned starts.
    for (int64_t off : {0, 1, 3, 17})
      for (int64_t n = 0; n + off <= 200; ++n)
        ASSERT_EQ(runDotOn(p, a.data() + off, b.data() + 2 * off, n), wrapped(a.data() + off, b.data() + 2 * off, n))
            << "path " << int(p) << " offset " << off << " length " << n;
  }
  EXPECT_EQ(runDot(a.data(), b.data(), 200), wrapped(a.data(), b.data(), 200));
}

TEST(RunDot, SumsWrapLikeTheInt32Accumulator) {
  // 2^17 products of (-128)(-128) = 2^14 each: 2^31, one past INT32_MAX.
  const int64_t n = int64_t(1) << 17;
  std::vector<int8_t> a(size_t(n), int8_t(-128)), b(size_t(n), int8_t(-128));
  for (RunDotPath p : {RunDotPath::Plain, RunDotPath::Sse2, RunDotPath::Avx2})
    if (runDotAvailable(p)) EXPECT_EQ(runDotOn(p, a.data(), b.data(), n), INT32_MIN) << "path " << int(p);
}
