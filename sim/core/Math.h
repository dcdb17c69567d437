#pragma once
// Integer helpers every layer of the simulator uses (the one copy; no JSON, no SystemC).
#include <cstdint>
#include <type_traits>

namespace sparsesim {

// ceil(a / b) for non-negative a and positive b, in the common type of the operands.
template <typename A, typename B>
constexpr std::common_type_t<A, B> ceilDiv(A a, B b) {
  using T = std::common_type_t<A, B>;
  return (static_cast<T>(a) + static_cast<T>(b) - 1) / static_cast<T>(b);
}

// Bits needed to tell n values apart: the smallest b with 2^b >= n (0 for n <= 1). Integer or
// floating-point n (a fractional n rounds up).
template <typename T>
constexpr int ceilLog2(T n) {
  int b = 0;
  while (b < 62 && static_cast<T>(int64_t(1) << b) < n) ++b;
  return b;
}

}  // namespace sparsesim
