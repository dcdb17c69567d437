#pragma once
// The one table of datapaths: for each value of an architecture's "datapath", the modules that
// implement it, the dataflows it supports, the blocks it can trace and its cost model (FPGA
// resources, ASIC area, energy events; sim/resources/<Kind>Costs). Adding a datapath is a folder
// in models/ plus one entry here (docs/architecture.md lists exactly what else).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/Datapath.h"
#include "sim/config/ArchConfig.h"
#include "sim/core/Enums.h"
#include "models/common/TraceSchema.h"
#include "sim/resources/DatapathCostModel.h"
#include "sim/workload/plans/WeightResidency.h"

namespace sparsesim {

struct DatapathEntry {
  DatapathKind kind;  // the architecture file's "datapath" (sim/core/Enums.h names it)
  std::function<std::unique_ptr<Datapath>(const ArchConfig&)> make;
  std::vector<Dataflow> dataflows;    // the first is the default; Auto: picked per layer among the others
  std::vector<TraceBlock> traceable;  // in data-flow order
  std::string dataflow_reason;        // why only those dataflows (for the error message)
  DatapathCostModel costs;            // its blocks' resources, ASIC area and energy events
  // For the run's weight-residency plan: a layer's weights as the datapath stores them, and its
  // on-chip weight memory in bytes.
  std::function<WeightFootprint(const ArchConfig&, const LayerWorkload&)> weight_footprint;
  std::function<uint64_t(const ArchConfig&)> weight_memory_bytes;
};

const std::vector<DatapathEntry>& datapathRegistry();
// The entry of a.datapath (loadArch has checked the name).
const DatapathEntry& datapathEntry(const ArchConfig& a);
// Elaborates the datapath an architecture names.
std::unique_ptr<Datapath> makeDatapath(const ArchConfig& a);

}  // namespace sparsesim
