#include "sim/workload/Workload.h"

#include <atomic>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <variant>

#include "sim/core/ConfigError.h"
#include "sim/io/NpyIo.h"
#include "sim/workload/WeightFile.h"
#include "sim/workload/Kwta.h"
#include "sim/workload/Rng.h"

namespace sparsesim {

namespace {

// Exactly `keep` of `n` positions, chosen uniformly (Knuth's selection sampling, Algorithm S):
// O(n) time, no index array, so a 100M-weight layer needs no extra memory.
void sparsifyExact(int8_t* w, size_t n, size_t keep, const CounterRng& rng, uint64_t offset) {
  // Keeping all: every draw u < 1 keeps (left * u < left), so no draw is needed.
  if (keep >= n) return;
  size_t need = keep;
  for (size_t i = 0; i < n; ++i) {
    size_t left = n - i;
    if (static_cast<double>(left) * rng.unit(offset + i) < static_cast<double>(need)) {
      --need;
    } else {
      w[i] = 0;
    }
  }
}

// Runs of N kernels share one kernel volume: a shuffled permutation of its positions is cut
// into N disjoint slices of nnz positions each, one per kernel. These are the masks
// Complementary Sparsity packs perfectly.
void complementaryMasks(Int8Tensor& w, int64_t outPerGroup, int groups, int64_t volume, double s, const CounterRng& rng) {
  // N = floor(1/(1-s)) kernels share a volume; each gets round((1-s) * volume) positions unless
  // N of those would not fit, then volume / N: packability wins over the exact fraction (the
  // report gives the real sparsity).
  int64_t perRun = std::max<int64_t>(1, static_cast<int64_t>(std::floor(1.0 / (1.0 - s) + 1e-9)));
  int64_t nnz = std::max<int64_t>(1, std::llround((1.0 - s) * static_cast<double>(volume)));
  if (perRun * nnz > volume) nnz = std::max<int64_t>(1, volume / perRun);
  perRun = std::max<int64_t>(1, std::min<int64_t>(perRun, volume / nnz));
  std::vector<int64_t> perm(volume);
  uint64_t draw = 1ull << 40;
  for (int g = 0; g < groups; ++g) {
    for (int64_t first = 0; first < outPerGroup; first += perRun) {
      std::iota(perm.begin(), perm.end(), 0);
      for (int64_t i = volume - 1; i > 0; --i) {
        int64_t j = static_cast<int64_t>(rng.at(draw++) % static_cast<uint64_t>(i + 1));
        std::swap(perm[i], perm[j]);
      }
      for (int64_t r = 0; r < perRun && first + r < outPerGroup; ++r) {
        int8_t* kernel = w.data.data() + (g * outPerGroup + first + r) * volume;
        std::vector<char> keep(volume, 0);
        for (int64_t q = r * nnz; q < (r + 1) * nnz; ++q) keep[perm[q]] = 1;
        for (int64_t p = 0; p < volume; ++p) if (!keep[p]) kernel[p] = 0;
      }
    }
  }
}

// out[i] = rng.nonZeroInt8(i). The generator and the pointer are locals, so int8 stores (which may
// alias anything) do not reload them, and x % 254 is taken in 32-bit halves (2^32 = 16 mod 254):
// x % 254 = (16 * (hi % 254) + lo % 254) % 254. So the loop vectorises (SSE2 in the baseline build).
__attribute__((always_inline)) inline void fillNonZeroInt8Loop(const CounterRng rng, int8_t* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const uint64_t x = rng.at(i);
    const uint32_t hi = uint32_t(x >> 32) % 254u, lo = uint32_t(x) % 254u;
    const int v = int((16u * hi + lo) % 254u) - 127;
    out[i] = static_cast<int8_t>(v >= 0 ? v + 1 : v);
  }
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
// The same loop with AVX-512's 64-bit vector multiplies (splitmix64), where the CPU has them:
// integer arithmetic, the same values on every path.
__attribute__((target("avx512f,avx512dq,avx512bw,avx512vl"))) void fillNonZeroInt8Avx512(const CounterRng rng, int8_t* out, size_t n) {
  fillNonZeroInt8Loop(rng, out, n);
}
#endif

std::atomic<bool> gWideGenerator{true};  // setWeightGeneratorWide

void fillNonZeroInt8(const CounterRng rng, int8_t* out, size_t n) {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
  static const bool wide = __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
  if (wide && gWideGenerator.load(std::memory_order_relaxed)) return fillNonZeroInt8Avx512(rng, out, n);
#endif
  fillNonZeroInt8Loop(rng, out, n);
}

}  // namespace

void setWeightGeneratorWide(bool wide) { gWideGenerator = wide; }

Int8Tensor loadLayerWeights(const LayerConfig& layer, const LayerGeometry& g, const std::string& networkFile, int layerIndex) {
  const std::string path = "layers[" + std::to_string(layerIndex) + "].weights";
  auto raw = loadInt8OrFloat32Npy(layer.weights_file, path);
  // A float file's step is its own per-channel quantisation scale, so a given one contradicts it.
  if (std::holds_alternative<FloatTensor>(raw) && !layer.weight_scale.empty())
    throw ConfigError(networkFile, "layers[" + std::to_string(layerIndex) + "].weight_scale",
                      "weights file " + layer.weights_file + " holds float32 weights, which the simulator quantises with its own "
                      "scale; weight_scale describes int8 weights: give an int8 file or drop weight_scale");
  Int8Tensor t = std::holds_alternative<Int8Tensor>(raw) ? std::move(std::get<Int8Tensor>(raw))
                                                         : quantiseWeights(std::get<FloatTensor>(raw), layer.weights_file, path);
  const std::vector<int64_t> expect = {g.out_c, g.in_c / g.groups, g.kh, g.kw};
  const std::vector<int64_t> expect2d = {g.out_c, g.in_c / g.groups};
  if (!(t.shape == expect || (layer.type == LayerType::Linear && t.shape == expect2d))) {
    std::string s;
    for (auto d : t.shape) s += (s.empty() ? "" : ", ") + std::to_string(d);
    throw ConfigError(networkFile, path, "weights file " + layer.weights_file + " has shape (" + s + "), expected (" +
                                             std::to_string(g.out_c) + ", " + std::to_string(g.in_c / g.groups) + ", " +
                                             std::to_string(g.kh) + ", " + std::to_string(g.kw) + ") in OIHW order");
  }
  t.shape = expect;
  return t;
}

Int8Tensor syntheticInput(const std::vector<int64_t>& shape, uint64_t seed, const std::string& stream) {
  Int8Tensor t(shape);
  CounterRng inRng(seed, streamId(stream, 0xA11CE));
  for (size_t i = 0; i < t.size(); ++i) {
    // Symmetric [-127, 127] keeps magnitude (k-WTA's key) well-defined.
    t.data[i] = static_cast<int8_t>(static_cast<int>(inRng.at(i) % 255) - 127);
  }
  return t;
}

// The layer's weights into w (w.geom set): the loaded file, or generated from the seed.
static void setWeights(LayerWorkload& w, const LayerConfig& layer, uint64_t seed, const Int8Tensor* weights) {
  const LayerGeometry& g = w.geom;
  const int64_t volume = int64_t(g.in_c / g.groups) * g.kh * g.kw;
  if (!weights && !layer.weights_file.empty())
    throw std::logic_error("layer \"" + layer.name + "\" names a weights file that was not loaded (loadLayerWeights)");
  if (weights) {
    if (weights->shape != std::vector<int64_t>{g.out_c, g.in_c / g.groups, g.kh, g.kw})
      throw std::logic_error("layer \"" + layer.name + "\": loaded weights do not have the layer's OIHW shape");
    w.weights = *weights;
  } else {
    w.weights = Int8Tensor({g.out_c, g.in_c / g.groups, g.kh, g.kw});
    CounterRng wRng(seed, streamId(layer.name, 0xBEEF));
    fillNonZeroInt8(wRng, w.weights.data.data(), w.weights.size());
    if (layer.weight_pattern == WeightPattern::Complementary) {
      complementaryMasks(w.weights, g.out_c / g.groups, g.groups, volume, layer.weight_sparsity, wRng);
    } else {
      size_t n = w.weights.size();
      size_t keep = n - static_cast<size_t>(std::llround(layer.weight_sparsity * static_cast<double>(n)));
      sparsifyExact(w.weights.data.data(), n, keep, wRng, 1ull << 50);
    }
  }
  for (auto v : w.weights.data) w.weight_nonzeros += v != 0;
}

LayerWorkload makeWorkload(const LayerConfig& layer, Compat compat, uint64_t seed, const std::string& networkFile, int layerIndex) {
  if (layer.weights_file.empty()) return makeWorkload(layer, compat, seed, nullptr);
  const Int8Tensor weights = loadLayerWeights(layer, computeGeometry(layer, compat), networkFile, layerIndex);
  return makeWorkload(layer, compat, seed, &weights);
}

LayerWorkload makeWorkload(const LayerConfig& layer, Compat compat, uint64_t seed, const Int8Tensor* weights) {
  const LayerGeometry g = computeGeometry(layer, compat);
  return makeWorkloadOn(layer, compat, seed, weights, syntheticInput({g.batch, g.in_c, g.in_h, g.in_w}, seed, layer.name), 0);
}

LayerWorkload makeWorkloadOn(const LayerConfig& layer, Compat compat, uint64_t seed, const Int8Tensor* weights,
                             Int8Tensor input, size_t selected) {
  LayerWorkload w;
  w.config = layer;
  w.geom = computeGeometry(layer, compat);
  const LayerGeometry& g = w.geom;

  w.input = std::move(input);
  if (selected > 0) {
    // Selected upstream (a producer's kwta post-op): the input already holds the k winners.
    w.kwta_k = selected;
    w.config.activation_density = double(selected) / double(w.input.size());
  } else {
    // Per image, as the CS paper applies k-WTA per sample: k of each image's activations.
    const size_t per = w.input.size() / size_t(g.batch), k = kwtaK(layer.activation_density, per);
    for (int b = 0; b < g.batch; ++b) applyKwta(w.input.data.data() + size_t(b) * per, per, k);
    w.kwta_k = k * size_t(g.batch);
  }

  setWeights(w, layer, seed, weights);
  for (auto v : w.input.data) w.input_nonzeros += v != 0;
  return w;
}

LayerWorkload makeWeightsWorkload(const LayerConfig& layer, Compat compat, uint64_t seed, const Int8Tensor* weights) {
  LayerWorkload w;
  w.config = layer;
  w.geom = computeGeometry(layer, compat);
  const LayerGeometry& g = w.geom;
  w.input = Int8Tensor({g.batch, g.in_c, g.in_h, g.in_w});  // the shape only: zeros, no k-WTA
  w.kwta_k = kwtaK(layer.activation_density, w.input.size() / size_t(g.batch)) * size_t(g.batch);
  setWeights(w, layer, seed, weights);
  return w;
}

}  // namespace sparsesim
