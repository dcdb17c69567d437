#pragma once
// Counter-based pseudo-random numbers (splitmix64). Each value depends only on (seed, stream,
// index), so a layer's tensors are the same whether it runs alone or inside a network, and
// identical on every platform (std:: distributions are not portable across libraries).
#include <cstdint>
#include <string>

namespace sparsesim {

inline uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// FNV-1a: a stable stream id from a layer name.
inline uint64_t streamId(const std::string& s, uint64_t salt) {
  uint64_t h = 1469598103934665603ull ^ salt;
  for (unsigned char c : s) { h ^= c; h *= 1099511628211ull; }
  return h;
}

class CounterRng {
 public:
  CounterRng(uint64_t seed, uint64_t stream) : key_(splitmix64(seed ^ splitmix64(stream))) {}
  uint64_t at(uint64_t index) const { return splitmix64(key_ + index * 0xD1B54A32D192ED03ull); }
  // A non-zero int8 in [-127, 127].
  int8_t nonZeroInt8(uint64_t index) const {
    int v = static_cast<int>(at(index) % 254) - 127;
    return static_cast<int8_t>(v >= 0 ? v + 1 : v);
  }
  // Uniform real in [0, 1).
  double unit(uint64_t index) const { return (at(index) >> 11) * (1.0 / 9007199254740992.0); }

 private:
  uint64_t key_;
};

}  // namespace sparsesim
