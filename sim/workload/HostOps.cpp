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

}  // namespace

Int32Tensor runHostOp(const LayerConfig& l, const std::vector<const Int32Tensor*>& inputs) {
  switch (l.type) {
    case LayerType::MaxPool2d:
    case LayerType::AvgPool2d:
      return pool(l, *inputs[0]);
    case LayerType::Add: {
      Int32Tensor out = *inputs[0];
      for (size_t i = 0; i < out.size(); ++i) out.data[i] = std::clamp(out.data[i] + inputs[1]->data[i], -128, 127);
      return out;
    }
    case LayerType::Concat: {
      Int32Tensor out({1, l.out_c, l.out_h, l.out_w});
      size_t at = 0;
      for (const Int32Tensor* t : inputs) {
        std::copy(t->data.begin(), t->data.end(), out.data.begin() + static_cast<std::ptrdiff_t>(at));
        at += t->size();
      }
      return out;
    }
    default: {  // flatten
      Int32Tensor out = *inputs[0];
      out.shape = {1, l.out_c, 1, 1};
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
