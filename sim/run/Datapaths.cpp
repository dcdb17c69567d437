// The one place that maps an architecture's "datapath" to the modules that implement it.
#include <stdexcept>

#include "models/CsDatapath.h"
#include "models/DenseDatapath.h"
#include "models/SodDatapath.h"
#include "models/SparsePeDatapath.h"
#include "sim/run/Datapath.h"

namespace sparsesim {

std::unique_ptr<Datapath> makeDatapath(const ArchConfig& arch) {
  if (arch.datapath == DatapathKind::Dense) return std::make_unique<DenseDatapath>("dense", arch);
  if (arch.datapath == DatapathKind::Cs) return std::make_unique<CsDatapath>("cs", arch);
  if (arch.datapath == DatapathKind::Sod) return std::make_unique<SodDatapath>("sod", arch);
  if (arch.datapath == DatapathKind::SparsePe) return std::make_unique<SparsePeDatapath>("sparse_pe", arch);
  throw std::logic_error(std::string("datapath \"") + toString(arch.datapath) + "\" passed validation but has no model");
}

}  // namespace sparsesim
