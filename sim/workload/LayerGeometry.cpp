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

std::string compatDroppedNote(const LayerConfig& l) {
  if (!isComputeLayer(l.type)) return {};
  const bool padded = l.has_pads ? (l.pad_top || l.pad_left || l.pad_bottom || l.pad_right) : l.padding > 0;
  if (!padded && l.dilation == 1) return {};
  const LayerGeometry real = computeGeometry(l, Compat::None), compat = computeGeometry(l, Compat::ScaleSim);
  std::string what;
  if (padded)
    what = l.has_pads ? "pads [" + std::to_string(l.pad_top) + ", " + std::to_string(l.pad_left) + ", " + std::to_string(l.pad_bottom) +
                            ", " + std::to_string(l.pad_right) + "]"
                      : "padding " + std::to_string(l.padding);
  if (l.dilation != 1) what += std::string(what.empty() ? "" : " and ") + "dilation " + std::to_string(l.dilation);
  return l.name + ": " + what + " dropped (SCALE-Sim compat runs the unpadded, undilated window): output " +
         std::to_string(compat.out_h) + "x" + std::to_string(compat.out_w) + " instead of " + std::to_string(real.out_h) + "x" +
         std::to_string(real.out_w);
}

}  // namespace sparsesim
