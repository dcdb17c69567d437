#include "sim/run/DatapathRegistry.h"

#include <stdexcept>

#include "models/cs/CsDatapath.h"
#include "models/dense/DenseDatapath.h"
#include "models/sod/SodDatapath.h"
#include "models/sparse_pe/SparsePeDatapath.h"
#include "sim/resources/CsCosts.h"
#include "sim/resources/DenseCosts.h"
#include "sim/resources/SodCosts.h"
#include "sim/resources/SparsePeCosts.h"

namespace sparsesim {

const std::vector<DatapathEntry>& datapathRegistry() {
  static const std::vector<DatapathEntry> table = {
      {DatapathKind::Dense, [](const ArchConfig& a) { return std::make_unique<DenseDatapath>("dense", a); },
       {Dataflow::OutputStationary, Dataflow::WeightStationary, Dataflow::Auto},
       {TraceBlock::PeArray, TraceBlock::PeState},
       "",
       {denseResources, denseAsicArea, denseEnergyEvents, denseBufferPorts},
       &DenseDatapath::weightFootprint,
       &DenseDatapath::weightMemoryBytes},
      {DatapathKind::Cs, [](const ArchConfig& a) { return std::make_unique<CsDatapath>("cs", a); },
       {Dataflow::OutputStationary},
       {TraceBlock::KwtaSelector, TraceBlock::WeightSram, TraceBlock::MacArray, TraceBlock::MacState},
       "the cs datapath is output-stationary (one pixel's accumulators per lane)",
       {csResources, csAsicArea, csEnergyEvents, csBufferPorts},
       &CsDatapath::weightFootprint,
       &CsDatapath::weightMemoryBytes},
      {DatapathKind::Sod, [](const ArchConfig& a) { return std::make_unique<SodDatapath>("sod", a); },
       {Dataflow::OutputStationary, Dataflow::WeightStationary, Dataflow::Auto},
       {TraceBlock::Decompressor, TraceBlock::PeArray, TraceBlock::PeState},
       "",
       {sodResources, sodAsicArea, sodEnergyEvents, sodBufferPorts},
       &SodDatapath::weightFootprint,
       &SodDatapath::weightMemoryBytes},
      {DatapathKind::SparsePe, [](const ArchConfig& a) { return std::make_unique<SparsePeDatapath>("sparse_pe", a); },
       {Dataflow::OutputStationary},
       {TraceBlock::SparsePe},
       "the sparse_pe datapath is output-stationary (each PE owns one output)",
       {sparsePeResources, sparsePeAsicArea, sparsePeEnergyEvents, sparsePeBufferPorts},
       &SparsePeDatapath::weightFootprint,
       &SparsePeDatapath::weightMemoryBytes},
  };
  return table;
}

const DatapathEntry& datapathEntry(const ArchConfig& a) {
  for (const auto& e : datapathRegistry())
    if (e.kind == a.datapath) return e;
  throw std::logic_error(std::string("datapath \"") + toString(a.datapath) + "\" passed validation but has no registry entry");
}

std::unique_ptr<Datapath> makeDatapath(const ArchConfig& a) { return datapathEntry(a).make(a); }

}  // namespace sparsesim
