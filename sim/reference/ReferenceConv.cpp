#include "sim/reference/ReferenceConv.h"

#include <algorithm>

namespace sparsesim {

Int32Tensor referenceConv(const LayerWorkload& w) {
  const LayerGeometry& g = w.geom;
  Int32Tensor out({1, g.out_c, g.out_h, g.out_w});
  const int cPer = g.in_c / g.groups;
  const int oPer = g.out_c / g.groups;
  for (int o = 0; o < g.out_c; ++o) {
    const int grp = o / oPer;
    int32_t* op = out.data.data() + int64_t(o) * g.out_h * g.out_w;
    for (int c = 0; c < cPer; ++c) {
      const int8_t* ip = w.input.data.data() + int64_t(grp * cPer + c) * g.in_h * g.in_w;
      for (int ky = 0; ky < g.kh; ++ky) {
        for (int kx = 0; kx < g.kw; ++kx) {
          const int32_t wv = w.weights.data[((int64_t(o) * cPer + c) * g.kh + ky) * g.kw + kx];
          if (wv == 0) continue;  // adds nothing; skipping keeps the reference fast on sparse layers
          // The output columns whose input column ix = ox * s + off lies inside the row: bounds
          // hoisted out of the inner loop so that it vectorises.
          const int s = g.stride, off = kx - g.pad_left;
          const int lo = off >= 0 ? 0 : (-off + s - 1) / s;
          const int hi = g.in_w - 1 - off < 0 ? 0 : std::min(g.out_w, (g.in_w - 1 - off) / s + 1);
          for (int oy = 0; oy < g.out_h; ++oy) {
            const int iy = oy * s - g.pad_top + ky;
            if (iy < 0 || iy >= g.in_h) continue;
            const int8_t* row = ip + int64_t(iy) * g.in_w + off;
            int32_t* orow = op + int64_t(oy) * g.out_w;
            if (s == 1) {
              for (int ox = lo; ox < hi; ++ox) orow[ox] += wv * row[ox];
            } else {
              for (int ox = lo; ox < hi; ++ox) orow[ox] += wv * row[ox * s];
            }
          }
        }
      }
    }
  }
  return out;
}

}  // namespace sparsesim
