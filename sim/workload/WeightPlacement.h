#pragma once
// Where one layer's weights live during an inference, as the run's weight-residency plan
// (sim/workload/plans/WeightResidency.h) decided it; every datapath's layer job carries one.
#include <cstdint>

namespace sparsesim {

struct WeightPlacement {
  // On chip from configuration: the layer reads no weight byte from DRAM and waits for none.
  bool resident = false;
  // Bytes of the weight memory a streamed layer may use for its tiles (what the resident layers
  // leave); < 0: all of it (a layer run on its own, outside a planned network).
  double stream_capacity_bytes = -1;
};

}  // namespace sparsesim
