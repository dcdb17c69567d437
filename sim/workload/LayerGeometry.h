#pragma once
#include <cstdint>
#include <string>

#include "sim/config/ArchConfig.h"
#include "sim/config/NetworkConfig.h"

namespace sparsesim {

// The shapes a layer really has on the hardware, and the GEMM it lowers to. Each group of a
// grouped convolution is its own GEMM: M = batch x output pixels x K = kh*kw*(cin/groups) x
// N = cout/groups; the batch's images share the weights (B), which is why a batch reuses them.
struct LayerGeometry {
  int in_c = 0, in_h = 0, in_w = 0;
  int out_c = 0, out_h = 0, out_w = 0;
  int kh = 1, kw = 1, stride = 1;
  int dilation = 1;               // kernel taps are `dilation` input pixels apart
  int pad_top = 0, pad_left = 0;  // reads outside the input (any side) see zeros
  int groups = 1;
  int batch = 1;                // images: the input is [batch, C, H, W], the output [batch, O, out_h, out_w]
  int64_t M = 0, K = 0, N = 0;  // per-group GEMM; M = batch x out_h x out_w (image-major)
  int64_t macsDense() const { return M * K * N * groups; }
  int64_t pixels() const { return int64_t(out_h) * out_w; }  // output pixels of one image
  int64_t imageInputElements() const { return int64_t(in_c) * in_h * in_w; }
  int64_t inputElements() const { return batch * imageInputElements(); }
  int64_t weightElements() const { return int64_t(out_c) * (in_c / groups) * kh * kw; }
  int64_t outputElements() const { return int64_t(batch) * out_c * out_h * out_w; }
};

// compat = ScaleSim: no padding and out = ceil((in - k + stride) / stride), as SCALE-Sim v3
// computes it; windows that run past the input edge read zeros. Otherwise the usual
// floor((in + pad_top + pad_bottom - (dilation (k - 1) + 1)) / stride) + 1 (the same across).
LayerGeometry computeGeometry(const LayerConfig& l, Compat compat);

// What SCALE-Sim compat mode leaves out of a compute layer as its file gives it (padding, pads,
// dilation), in one sentence naming the layer and both output shapes; empty when nothing is
// dropped. Printed by `run` and listed in report.json's compat_notes, so a compat run's smaller
// outputs are never mistaken for the padded layer's.
std::string compatDroppedNote(const LayerConfig& l);

}  // namespace sparsesim
