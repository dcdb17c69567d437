#include "sim/workload/HostOps.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace sparsesim {

namespace {

Int32Tensor pool(const LayerConfig& l, const Int32Tensor& in) {
  const int C = l.in_channels, H = l.in_h, W = l.in_w;
  Int32Tensor out({1, l.out_c, l.out_h, l.out_w});
  const bool isMax = l.type == LayerType::MaxPool2d;
  for (int c = 0; c < C; ++c)
    for (int oy = 0; oy < l.out_h; ++oy)
      for (int ox = 0; ox < l.out_w; ++ox) {
        int64_t sum = 0, count = 0;
        int32_t best = INT32_MIN;
        for (int ky = 0; ky < l.kernel_h; ++ky) {
          const int iy = oy * l.stride - l.pad_top + ky;
          if (iy < 0 || iy >= H) continue;
          for (int kx = 0; kx < l.kernel_w; ++kx) {
            const int ix = ox * l.stride - l.pad_left + kx;
            if (ix < 0 || ix >= W) continue;
            const int32_t v = in.data[(size_t(c) * H + iy) * W + ix];
            best = std::max(best, v);
            sum += v;
            ++count;
          }
        }
        // Every window holds at least one input pixel (each pad is smaller than the kernel).
        out.data[(size_t(c) * l.out_h + oy) * l.out_w + ox] =
            isMax ? best : static_cast<int32_t>(std::nearbyint(double(sum) / double(count)));
      }
  return out;
}

int64_t channelsOf(const Int32Tensor& t) { return t.shape.size() > 1 ? t.shape[1] : 1; }

int32_t saturate(double v) { return static_cast<int32_t>(std::clamp(std::nearbyint(v), -128.0, 127.0)); }

// As ONNX QLinearAdd / TFLite ADD: each operand dequantised by its own scale, the sum
// requantised to one output scale. The output scale is calibrated on the real sum like a
// compute layer's calibrated requant, so the largest magnitude maps to +-127; double precision,
// nearbyint (half to even), as requant.
// given > 0: the model's own output scale (QLinearAdd's C_scale) instead of the calibrated one.
Int32Tensor add(const Int32Tensor& a, const Int32Tensor& b, const TensorScale& ra, const TensorScale& rb, double given,
                TensorScale& outScale) {
  const int64_t C = channelsOf(a);
  const size_t plane = a.size() / size_t(C);
  double m = 0;
  for (int64_t c = 0; c < C; ++c)
    for (size_t i = size_t(c) * plane; i < size_t(c + 1) * plane; ++i)
      m = std::max(m, std::fabs(a.data[i] * channelScale(ra, c) + b.data[i] * channelScale(rb, c)));
  // Every sum 0: any scale gives zeros; the larger operand scale keeps the tensor's units.
  double ro = 0;
  for (int64_t c = 0; c < C; ++c) ro = std::max({ro, channelScale(ra, c), channelScale(rb, c)});
  if (m > 0) ro = m / 127.0;
  if (given > 0) ro = given;
  Int32Tensor out(a.shape);
  for (int64_t c = 0; c < C; ++c) {
    const double ma = channelScale(ra, c) / ro, mb = channelScale(rb, c) / ro;
    for (size_t i = size_t(c) * plane; i < size_t(c + 1) * plane; ++i) out.data[i] = saturate(a.data[i] * ma + b.data[i] * mb);
  }
  outScale = {ro};
  return out;
}

// As ONNX QLinearConcat: every input requantised to the output scale, here the largest input
// scale, so no value grows (nothing saturates) and inputs of one scale are copied exactly.
Int32Tensor concat(const LayerConfig& l, const std::vector<const Int32Tensor*>& inputs, const std::vector<TensorScale>& scales,
                   TensorScale& outScale) {
  double ro = 0;
  for (size_t k = 0; k < inputs.size(); ++k)
    for (int64_t c = 0; c < channelsOf(*inputs[k]); ++c) ro = std::max(ro, channelScale(scales[k], c));
  if (l.output_scale > 0) ro = l.output_scale;  // the model's own output scale
  Int32Tensor out({1, l.out_c, l.out_h, l.out_w});
  size_t at = 0;
  for (size_t k = 0; k < inputs.size(); ++k) {
    const Int32Tensor& t = *inputs[k];
    const int64_t C = channelsOf(t);
    const size_t plane = t.size() / size_t(C);
    for (int64_t c = 0; c < C; ++c) {
      const double f = channelScale(scales[k], c) / ro;
      for (size_t i = size_t(c) * plane; i < size_t(c + 1) * plane; ++i)
        out.data[at + i] = f == 1.0 ? t.data[i] : saturate(t.data[i] * f);
    }
    at += t.size();
  }
  outScale = {ro};
  return out;
}

}  // namespace

double channelScale(const TensorScale& s, int64_t c) { return s.size() == 1 ? s[0] : s.at(size_t(c)); }

Int32Tensor runHostOp(const LayerConfig& l, const std::vector<const Int32Tensor*>& inputs,
                      const std::vector<TensorScale>& scales, TensorScale& outScale) {
  switch (l.type) {
    case LayerType::MaxPool2d:
    case LayerType::AvgPool2d:
      outScale = scales[0];
      return pool(l, *inputs[0]);
    case LayerType::Add:
      return add(*inputs[0], *inputs[1], scales[0], scales[1], l.output_scale, outScale);
    case LayerType::Concat:
      return concat(l, inputs, scales, outScale);
    default: {  // flatten: channel c's H x W values become H x W channels of c's scale
      const Int32Tensor& in = *inputs[0];
      Int32Tensor out = in;
      out.shape = {1, l.out_c, 1, 1};
      outScale = scales[0];
      if (outScale.size() > 1) {
        const size_t plane = in.size() / size_t(channelsOf(in));
        outScale.clear();
        for (double s : scales[0]) outScale.insert(outScale.end(), plane, s);
      }
      return out;
    }
  }
}

uint64_t hostOpElementsRead(const LayerConfig& l, const std::vector<const Int32Tensor*>& inputs) {
  if (l.type == LayerType::Flatten) return 0;  // a view: nothing moves
  uint64_t n = 0;
  for (const Int32Tensor* t : inputs) n += t->size();
  return n;
}

}  // namespace sparsesim
