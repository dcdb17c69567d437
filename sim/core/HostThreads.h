#pragma once
// Host threads a run may use for work whose results do not depend on how it is split (the
// sparse-PE engine's folds, the reference convolution): SPARSESIM_THREADS if set to a positive
// number, else one per hardware thread. A sweep running points side by side sets it to 1 in
// each point, whose cores the other points already use. Host speed only: no simulated figure
// depends on it.
#include <algorithm>
#include <cstdlib>
#include <thread>

namespace sparsesim {

inline int hostThreads() {
  if (const char* e = std::getenv("SPARSESIM_THREADS")) {
    const int n = std::atoi(e);
    if (n > 0) return n;
  }
  return std::max(1, int(std::thread::hardware_concurrency()));
}

}  // namespace sparsesim
