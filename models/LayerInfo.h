#pragma once
// What a datapath returns for one layer: the real outputs, the counters its blocks kept, and
// its own typed facts (one alternative per datapath; sim/report/DatapathSections.cpp writes
// each as its report section).
#include <variant>

#include "models/common/LayerStats.h"
#include "models/cs/CsInfo.h"
#include "models/dense/DenseInfo.h"
#include "models/sod/SodInfo.h"
#include "models/sparse_pe/SparsePeInfo.h"
#include "sim/workload/Tensor.h"

namespace sparsesim {

using LayerInfo = std::variant<DenseInfo, CsInfo, SodInfo, SparsePeInfo>;

struct LayerOutcome {
  Int32Tensor output;  // [1, O, out_h, out_w]
  LayerStats stats;
  LayerInfo info;
};

}  // namespace sparsesim
