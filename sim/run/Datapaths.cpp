// The one place that maps an architecture's "datapath" to the modules that implement it.
#include <stdexcept>

#include "models/DenseDatapath.h"
#include "sim/run/Datapath.h"

namespace sparsesim {

std::unique_ptr<Datapath> makeDatapath(const ArchConfig& arch) {
  if (arch.datapath == "dense") return std::make_unique<DenseDatapath>("dense", arch);
  throw std::logic_error("datapath \"" + arch.datapath + "\" passed validation but has no model");
}

}  // namespace sparsesim
