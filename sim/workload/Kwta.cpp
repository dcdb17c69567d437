#include "sim/workload/Kwta.h"

#include <array>
#include <cmath>
#include <cstdlib>

namespace sparsesim {

std::vector<uint32_t> kwtaWinners(const int8_t* v, size_t n, size_t k) {
  std::vector<uint32_t> out;
  if (k >= n) {
    out.resize(n);
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint32_t>(i);
    return out;
  }
  // Counting by magnitude (0..128) finds the threshold magnitude in O(n).
  std::array<size_t, 129> hist{};
  for (size_t i = 0; i < n; ++i) hist[std::abs(int(v[i]))]++;
  size_t above = 0;
  int t = 128;
  for (; t >= 0; --t) {
    if (above + hist[t] >= k) break;
    above += hist[t];
  }
  size_t atThreshold = k - above;  // winners taken from magnitude t, lowest indices first
  out.reserve(k);
  for (size_t i = 0; i < n; ++i) {
    int m = std::abs(int(v[i]));
    if (m > t) out.push_back(static_cast<uint32_t>(i));
    else if (m == t && atThreshold > 0) { out.push_back(static_cast<uint32_t>(i)); --atThreshold; }
  }
  return out;
}

void applyKwta(int8_t* v, size_t n, size_t k) {
  if (k >= n) return;
  std::vector<uint32_t> w = kwtaWinners(v, n, k);
  std::vector<int8_t> keep(n, 0);
  for (auto i : w) keep[i] = v[i];
  for (size_t i = 0; i < n; ++i) v[i] = keep[i];
}

size_t kwtaK(double density, size_t n) {
  size_t k = static_cast<size_t>(std::llround(density * static_cast<double>(n)));
  if (k < 1) k = 1;
  if (k > n) k = n;
  return k;
}

}  // namespace sparsesim
