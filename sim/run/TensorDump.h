#pragma once
#include <string>

#include "sim/workload/Workload.h"

namespace sparsesim {

// DIR/<layer>/input.npy (int8 NCHW, after k-WTA), weights.npy (int8 OIHW, zeros included),
// output.npy (int32 NCHW) and layer.json (stride, padding, groups, output size) so a user can
// recompute the outputs in their own framework. Linear layers as 2-D: input [rows, in],
// weights [out, in], output [rows, out].
void dumpLayerTensors(const std::string& dir, const LayerWorkload& w, const Int32Tensor& output);
std::string layerDirName(const std::string& layerName);

}  // namespace sparsesim
