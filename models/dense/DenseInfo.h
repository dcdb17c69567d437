#pragma once
// The dense datapath's per-layer facts for the report (sim/report/DatapathSections.cpp).
#include "models/common/ArrayInfo.h"

namespace sparsesim {

struct DenseInfo {
  ArrayLayerInfo array;
};

}  // namespace sparsesim
