#pragma once
#include <string>
#include <vector>

#include "sim/workload/Workload.h"

namespace sparsesim {

// DIR/<layer>/input.npy (int8 NCHW, after k-WTA), weights.npy (int8 OIHW, zeros included),
// output.npy (int32 NCHW) and layer.json (stride, padding, groups, output size) so a user can
// recompute the outputs in their own framework. Linear layers as 2-D: input [rows, in],
// weights [out, in], output [rows, out].
void dumpLayerTensors(const std::string& dir, const LayerWorkload& w, const Int32Tensor& output);
// Chained networks: DIR/network_input.npy, and per layer DIR/<layer>/value.npy (the output after
// the post-ops, [1, C, H, W] int32) with DIR/<layer>/node.json (type, producers, keys, scales used).
void dumpNetworkInput(const std::string& dir, const Int8Tensor& input);
void dumpNodeTensor(const std::string& dir, const LayerConfig& l, const Int32Tensor& value, const std::vector<double>& scales,
                    const std::vector<double>& tensorScale);
std::string layerDirName(const std::string& layerName);

}  // namespace sparsesim
