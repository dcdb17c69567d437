#pragma once
// How a layer becomes the GEMMs the arrays compute. For group g:
//   A[m][k] = input[b][c][iy][ix]  with m = (b*out_h + oy)*out_w + ox (b: the image of the batch),
//             k = (c_local*kh + ky)*kw + kx,
//             iy = oy*stride - pad_top + ky*dilation, ix = ox*stride - pad_left + kx*dilation
//             (zero outside: the bottom and right padding are the reads past the input's end)
//   Bt[n][k] = weights[g*N + n][c_local][ky][kx]   (a kernel is one contiguous row)
//   C[m][n]  = sum_k A[m][k] * Bt[n][k]  ->  output[b][g*N + n][oy][ox]
#include <cstdint>
#include <vector>

#include "sim/workload/Workload.h"

namespace sparsesim {

struct GroupGemm {
  int64_t M = 0, K = 0, N = 0;
  std::vector<int8_t> A;   // M x K, row-major
  std::vector<int8_t> Bt;  // N x K, row-major
};

GroupGemm lowerGroup(const LayerWorkload& w, int group);
// Scatters a group's C (M x N) into the NCHW output.
void scatterGroupOutput(const LayerGeometry& g, int group, const std::vector<int32_t>& C, Int32Tensor& out);

}  // namespace sparsesim
