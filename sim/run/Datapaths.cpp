// The one place that maps an architecture's "datapath" to the modules that implement it.
#include <stdexcept>

#include "models/cs/CsDatapath.h"
#include "models/dense/DenseDatapath.h"
#include "models/sod/SodDatapath.h"
#include "models/sparse_pe/SparsePeDatapath.h"
#include "models/Datapath.h"

namespace sparsesim {

std::unique_ptr<Datapath> makeDatapath(const ArchConfig& arch) {
  if (arch.datapath == "dense") return std::make_unique<DenseDatapath>("dense", arch);
  if (arch.datapath == "cs") return std::make_unique<CsDatapath>("cs", arch);
  if (arch.datapath == "sod") return std::make_unique<SodDatapath>("sod", arch);
  if (arch.datapath == "sparse_pe") return std::make_unique<SparsePeDatapath>("sparse_pe", arch);
  throw std::logic_error("datapath \"" + arch.datapath + "\" passed validation but has no model");
}

}  // namespace sparsesim
