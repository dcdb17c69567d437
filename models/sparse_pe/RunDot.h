#pragma once
// The MACs of a PE's run of head matches (SparsePeArray.h): entry d of its activation stretch
// times entry d of its weight stretch, summed. The accumulator is int32 and wraps, so the sum is
// taken modulo 2^32. This is the engine's largest arithmetic cost on dense stretches, hence one
// vector path per instruction set, chosen at run time; every path gives the same sum.
#include <cstdint>

namespace sparsesim {

enum class RunDotPath {
  Plain,  // one product at a time
  Sse2,   // sixteen products a step (baseline x86-64)
  Avx2,   // thirty-two products a step (only where the CPU has AVX2)
};

// The sum on the widest path this CPU runs.
int32_t runDot(const int8_t* a, const int8_t* b, int64_t n);
// The sum on a given path (for tests; a path the CPU or the build lacks falls back to Plain).
int32_t runDotOn(RunDotPath p, const int8_t* a, const int8_t* b, int64_t n);
// Whether runDotOn(p, ...) really takes path p here.
bool runDotAvailable(RunDotPath p);

}  // namespace sparsesim
