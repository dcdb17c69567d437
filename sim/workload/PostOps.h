#pragma once
// The post-ops of a layer in a chained network, applied to its output in this order
// (docs/networks.md): requant (int32 -> int8), activation, k-WTA. Values are held as int32
// whatever their range; after requant every value lies in [-128, 127].
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/config/NetworkConfig.h"
#include "sim/core/Tensor.h"

namespace sparsesim {

// q = clamp(round_half_even(acc / scale[c]) + zero_point, -128, 127), in double precision.
// Calibrate: one scale for the tensor, min(max|acc|, range) / 127 (1 when every value is 0);
// range: the largest accumulator the activation keeps (relu6: the real 6.0 in accumulator
// steps), infinite otherwise. Returns the scales used (one, or one per channel of the
// [1, C, H, W] tensor).
std::vector<double> requantise(Int32Tensor& t, const RequantSpec& spec, double range = HUGE_VAL);
// relu: max(v, 0); relu6: min(max(v, 0), round_half_even(6 / scale[c])), scale the output's
// tensor scale (one, or one per channel).
void applyActivation(Int32Tensor& t, Activation a, const std::vector<double>& scale);
// k-WTA in each of spec.groups channel groups (kwtaWinners' rule); returns the winners kept.
size_t applyKwtaPostOp(Int32Tensor& t, const KwtaSpec& spec);
// Winners per group for a group of n values.
size_t kwtaGroupK(const KwtaSpec& spec, size_t n);

}  // namespace sparsesim
