#pragma once
// Size arithmetic that cannot wrap: a shape product that would overflow 64 bits is reported as
// such instead of turning into a small or negative size that passes a memory check.
#include <cstdint>
#include <initializer_list>
#include <optional>

namespace sparsesim {

// a * b, or nullopt when it does not fit in 64 bits.
inline std::optional<uint64_t> checkedMul(uint64_t a, uint64_t b) {
  uint64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

inline std::optional<uint64_t> checkedAdd(uint64_t a, uint64_t b) {
  uint64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

// The product of the factors, or nullopt when it does not fit in 64 bits (any zero factor gives 0).
inline std::optional<uint64_t> checkedProduct(std::initializer_list<uint64_t> factors) {
  uint64_t r = 1;
  for (uint64_t f : factors) {
    if (f == 0) return uint64_t(0);
  }
  for (uint64_t f : factors) {
    auto n = checkedMul(r, f);
    if (!n) return std::nullopt;
    r = *n;
  }
  return r;
}

}  // namespace sparsesim
