#pragma once
// Descriptor rows of a model's own tensor scales in a chained network file (docs/networks.md,
// "Tensor scales"): the network input's step, a compute layer's weight step, an add's or
// concat's output step. Absent: the simulator's convention (1/127, calibrated, largest input).
#include "sim/config/NetworkConfig.h"
#include "sim/config/Params.h"

namespace sparsesim {

Param<NetworkConfig> inputScaleParam();   // "input.scale"
Param<LayerConfig> weightScaleParam();    // "weight_scale": s or [s per output channel]
Param<LayerConfig> outputScaleParam();    // "output_scale" (add, concat)

}  // namespace sparsesim
