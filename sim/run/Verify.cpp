#include "sim/run/Verify.h"

#include <string>
#include <vector>

#include "sim/reference/ReferenceConv.h"

namespace sparsesim {

uint64_t countUsefulMacs(const LayerWorkload& w) {
  const LayerGeometry& g = w.geom;
  const int cPer = g.in_c / g.groups;
  const int oPer = g.out_c / g.groups;
  uint64_t total = 0;
  std::vector<uint64_t> colCount(g.in_w);
  for (int b = 0; b < g.batch; ++b)
  for (int grp = 0; grp < g.groups; ++grp) {
    for (int c = 0; c < cPer; ++c) {
      const int8_t* plane = w.input.data.data() + b * g.imageInputElements() + int64_t(grp * cPer + c) * g.in_h * g.in_w;
      for (int ky = 0; ky < g.kh; ++ky)
        for (int kx = 0; kx < g.kw; ++kx) {
          uint64_t wnz = 0;
          for (int o = grp * oPer; o < (grp + 1) * oPer; ++o)
            wnz += w.weights.data[((int64_t(o) * cPer + c) * g.kh + ky) * g.kw + kx] != 0;
          if (!wnz) continue;
          uint64_t anz = 0;
          for (int oy = 0; oy < g.out_h; ++oy) {
            int iy = oy * g.stride - g.pad_top + ky * g.dilation;
            if (iy < 0 || iy >= g.in_h) continue;
            for (int ox = 0; ox < g.out_w; ++ox) {
              int ix = ox * g.stride - g.pad_left + kx * g.dilation;
              anz += (ix >= 0 && ix < g.in_w && plane[int64_t(iy) * g.in_w + ix] != 0);
            }
          }
          total += anz * wnz;
        }
    }
  }
  return total;
}

void verifyOutputs(const LayerWorkload& w, const Int32Tensor& got, LayerResult& r) { verifyOutputsAgainst(referenceConv(w), got, r); }

void verifyOutputsAgainst(const Int32Tensor& ref, const Int32Tensor& got, LayerResult& r) {
  r.mismatches = 0;
  if (got.shape != ref.shape) {
    r.mismatches = static_cast<int64_t>(ref.size());
    r.first_mismatch = "output shape differs from the reference";
  } else {
    for (size_t i = 0; i < ref.size(); ++i) {
      if (ref.data[i] != got.data[i]) {
        if (r.mismatches++ == 0)
          r.first_mismatch = "flat index " + std::to_string(i) + ": expected " + std::to_string(ref.data[i]) + ", got " + std::to_string(got.data[i]);
      }
    }
  }
  r.verified = r.mismatches == 0;
}

void verifySelection(const LayerWorkload& w, const CsConfig& cs, LayerResult& r) {
  const CsInfo* info = std::get_if<CsInfo>(&r.info);
  if (!info || !info->selection_active) return;
  // The selector must reproduce the workload's k-WTA: every kept (non-zero) input is a winner
  // and, for one global k-WTA, there are exactly k winners.
  const size_t L = w.input.size();
  std::vector<uint8_t> win(L, 0);
  for (uint32_t i : info->winners) win[i] = 1;
  bool matches = true;
  for (size_t i = 0; i < L && matches; ++i)
    if (w.input.data[i] != 0 && !win[i]) matches = false;
  if (cs.selector.group_size == 0 && info->winners.size() != w.kwta_k) matches = false;
  r.selection_matches_workload = matches;
}

void verifyLayer(const LayerWorkload& w, const ArchConfig& a, const Int32Tensor& got, LayerResult& r) {
  r.macs_useful = countUsefulMacs(w);
  verifyOutputs(w, got, r);
  verifySelection(w, a.cs, r);
}

void verifyLayer(const LayerWorkload& w, const ArchConfig& a, const Int32Tensor& got, LayerResult& r, const Int32Tensor& reference,
                 uint64_t macsUseful) {
  r.macs_useful = macsUseful;
  verifyOutputsAgainst(reference, got, r);
  verifySelection(w, a.cs, r);
}

}  // namespace sparsesim
