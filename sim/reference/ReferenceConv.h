#pragma once
#include "sim/workload/Workload.h"

namespace sparsesim {

// The plain direct convolution every datapath is checked against: no lowering, no tiling,
// nothing shared with the models. Output [1, O, out_h, out_w] int32.
Int32Tensor referenceConv(const LayerWorkload& w);

}  // namespace sparsesim
