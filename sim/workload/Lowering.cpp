#include "sim/workload/Lowering.h"

namespace sparsesim {

GroupGemm lowerGroup(const LayerWorkload& w, int group) {
  const LayerGeometry& g = w.geom;
  GroupGemm gg;
  gg.M = g.M;
  gg.K = g.K;
  gg.N = g.N;
  gg.A.assign(static_cast<size_t>(g.M * g.K), 0);
  const int cPer = g.in_c / g.groups;
  for (int b = 0; b < g.batch; ++b) {
  const int8_t* in = w.input.data.data() + b * g.imageInputElements();
  for (int oy = 0; oy < g.out_h; ++oy) {
    for (int ox = 0; ox < g.out_w; ++ox) {
      int8_t* row = gg.A.data() + ((int64_t(b) * g.out_h + oy) * g.out_w + ox) * g.K;
      for (int c = 0; c < cPer; ++c) {
        const int8_t* plane = in + int64_t(group * cPer + c) * g.in_h * g.in_w;
        for (int ky = 0; ky < g.kh; ++ky) {
          int iy = oy * g.stride - g.pad_top + ky * g.dilation;
          if (iy < 0 || iy >= g.in_h) continue;
          for (int kx = 0; kx < g.kw; ++kx) {
            int ix = ox * g.stride - g.pad_left + kx * g.dilation;
            if (ix < 0 || ix >= g.in_w) continue;
            row[(c * g.kh + ky) * g.kw + kx] = plane[int64_t(iy) * g.in_w + ix];
          }
        }
      }
    }
  }
  }
  const int8_t* wt = w.weights.data.data() + int64_t(group) * g.N * g.K;
  gg.Bt.assign(wt, wt + g.N * g.K);
  return gg;
}

void scatterGroupOutput(const LayerGeometry& g, int group, const std::vector<int32_t>& C, Int32Tensor& out) {
  const int64_t plane = g.pixels();
  for (int64_t m = 0; m < g.M; ++m) {
    const int64_t b = m / plane, p = m % plane;
    for (int64_t n = 0; n < g.N; ++n)
      out.data[(b * g.out_c + group * g.N + n) * plane + p] = C[m * g.N + n];
  }
}

}  // namespace sparsesim
