#include "sim/workload/PostOps.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "sim/workload/Kwta.h"

namespace sparsesim {

namespace {
int64_t channels(const Int32Tensor& t) { return t.shape.size() > 1 ? t.shape[1] : 1; }
double scaleOf(const std::vector<double>& s, int64_t c) { return s.size() == 1 ? s[0] : s[size_t(c)]; }
}  // namespace

std::vector<double> requantise(Int32Tensor& t, const RequantSpec& spec, double range) {
  std::vector<double> scale = spec.scale;
  if (spec.mode == RequantSpec::Mode::Calibrate) {
    int64_t m = 0;
    for (int32_t v : t.data) m = std::max<int64_t>(m, std::llabs(int64_t(v)));
    // A range the activation cuts anyway is not worth int8 steps (relu6: as a quantiser
    // calibrated after the activation, so the real 6.0 stays representable).
    scale = {m > 0 ? std::min(double(m), range) / 127.0 : 1.0};
  }
  if (spec.mode == RequantSpec::Mode::None) return {};
  const int64_t C = channels(t);
  const size_t plane = t.size() / size_t(C);
  for (int64_t c = 0; c < C; ++c) {
    const double s = scaleOf(scale, c);
    for (size_t i = size_t(c) * plane; i < size_t(c + 1) * plane; ++i) {
      // nearbyint rounds half to even in the default rounding mode.
      const double q = std::nearbyint(double(t.data[i]) / s) + spec.zero_point;
      t.data[i] = static_cast<int32_t>(std::clamp(q, -128.0, 127.0));
    }
  }
  return scale;
}

void applyActivation(Int32Tensor& t, Activation a, const std::vector<double>& scale) {
  if (a == Activation::None) return;
  const int64_t C = channels(t);
  const size_t plane = t.size() / size_t(C);
  for (int64_t c = 0; c < C; ++c) {
    const int32_t hi = a == Activation::Relu6 ? static_cast<int32_t>(std::min(127.0, std::nearbyint(6.0 / scaleOf(scale, c))))
                                              : INT32_MAX;
    for (size_t i = size_t(c) * plane; i < size_t(c + 1) * plane; ++i) t.data[i] = std::clamp<int32_t>(t.data[i], 0, hi);
  }
}

size_t kwtaGroupK(const KwtaSpec& spec, size_t n) {
  if (spec.k > 0) return std::min<size_t>(size_t(spec.k), n);
  return kwtaK(spec.density, n);
}

size_t applyKwtaPostOp(Int32Tensor& t, const KwtaSpec& spec) {
  const size_t n = t.size() / size_t(spec.groups);
  const size_t k = kwtaGroupK(spec, n);
  size_t kept = 0;
  std::vector<int8_t> v(n);
  for (int g = 0; g < spec.groups; ++g) {
    int32_t* p = t.data.data() + size_t(g) * n;
    for (size_t i = 0; i < n; ++i) v[i] = static_cast<int8_t>(p[i]);  // int8 after requant
    std::vector<uint32_t> win = kwtaWinners(v.data(), n, k);
    std::vector<char> keep(n, 0);
    for (uint32_t i : win) keep[i] = 1;
    for (size_t i = 0; i < n; ++i) if (!keep[i]) p[i] = 0;
    kept += win.size();
  }
  return kept;
}

}  // namespace sparsesim
