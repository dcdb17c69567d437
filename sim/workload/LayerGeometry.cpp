#include "sim/workload/LayerGeometry.h"

namespace sparsesim {

LayerGeometry computeGeometry(const LayerConfig& l, Compat compat) {
  LayerGeometry g;
  g.in_c = l.in_channels;
  g.in_h = l.in_h;
  g.in_w = l.in_w;
  g.out_c = l.out_channels;
  g.kh = l.kernel_h;
  g.kw = l.kernel_w;
  g.stride = l.stride;
  g.groups = l.groups;
  if (compat == Compat::ScaleSim) {
    auto out = [&](int in, int k) { return (in - k + l.stride + l.stride - 1) / l.stride; };
    g.out_h = out(l.in_h, l.kernel_h);
    g.out_w = out(l.in_w, l.kernel_w);
  } else {
    // pad_* hold `padding` on every side unless the file gave asymmetric "pads".
    const int top = l.has_pads ? l.pad_top : l.padding, left = l.has_pads ? l.pad_left : l.padding;
    const int bottom = l.has_pads ? l.pad_bottom : l.padding, right = l.has_pads ? l.pad_right : l.padding;
    g.pad_top = top;
    g.pad_left = left;
    g.dilation = l.dilation;
    g.out_h = (l.in_h + top + bottom - (l.dilation * (l.kernel_h - 1) + 1)) / l.stride + 1;
    g.out_w = (l.in_w + left + right - (l.dilation * (l.kernel_w - 1) + 1)) / l.stride + 1;
  }
  g.batch = l.batch;
  g.M = int64_t(l.batch) * g.out_h * g.out_w;
  g.K = int64_t(g.kh) * g.kw * (g.in_c / g.groups);
  g.N = g.out_c / g.groups;
  return g;
}

}  // namespace sparsesim
