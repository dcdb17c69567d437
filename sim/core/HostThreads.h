#pragma once
// Host threads a run may use for work whose results do not depend on how it is split (the
// sparse-PE engine's folds, the reference convolution): SPARSESIM_THREADS if set to a positive
// number, else one per core this process may use. A sweep running points side by side sets it
// to 1 in each point, whose cores the other points already use. Host speed only: no simulated
// figure depends on it.
#include <sched.h>
#include <unistd.h>

#include <cstdlib>

namespace sparsesim {

// Cores this process may run on: its CPU affinity mask, not the machine (under Slurm or taskset a
// process gets only some cores); the online processors where the mask cannot be read.
inline int usableCores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
  const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

inline int hostThreads() {
  if (const char* e = std::getenv("SPARSESIM_THREADS")) {
    const int n = std::atoi(e);
    if (n > 0) return n;
  }
  return usableCores();
}

}  // namespace sparsesim
