#pragma once
// Step 2 of the run pipeline (docs/architecture.md): everything a run takes from files besides
// the two configurations, loaded once and checked together before anything is simulated or
// written. resolveRun reads every table, calibration, weights file and the trace request once and
// applies every rule that needs more than one field or file; runSimulation consumes what it
// returns, and compare and the sweep planner call it for every variant and point before any
// child process starts (so an impossible point is refused at planning, exit 2).
#include <optional>
#include <vector>

#include "models/common/TraceSchema.h"
#include "sim/config/ArchConfig.h"
#include "sim/config/NetworkConfig.h"
#include "sim/core/Tensor.h"
#include "sim/resources/AsicArea.h"
#include "sim/resources/Calibration.h"
#include "sim/resources/EnergyModel.h"
#include "sim/resources/FpgaPart.h"
#include "sim/run/PipelineFolding.h"
#include "sim/run/Runner.h"

namespace sparsesim {

struct DatapathEntry;

// What a run is asked to do: the loaded configurations (the network's layers already selected)
// and the options of the run.
struct RunRequest {
  ArchConfig arch;
  NetworkConfig network;
  RunOptions options;
};

struct ResolvedRun {
  ArchConfig arch;
  NetworkConfig network;
  RunOptions options;
  const DatapathEntry* datapath = nullptr;  // the architecture's registry entry
  // Cost model inputs (sim/resources, docs/resources.md): the FPGA part, the ASIC table (area per
  // primitive), the architecture's energy table, the FPGA and ASIC calibrations and the ASIC node.
  FpgaPart part;
  EnergyTable asic_table;
  EnergyTable energy_table;
  const Calibration* calibration = nullptr;
  const AsicCalibration* asic_calibration = nullptr;
  const AsicNode* asic_node = nullptr;
  // Per layer of `network`: its weights file as read and checked (OIHW), or nullopt when the
  // weights are generated from the seed.
  std::vector<std::optional<Int8Tensor>> weights;
  // The first layer's input (a chained network's input): --input as read and checked, the
  // synthetic input of a chained network, or empty (each layer of a layer list draws its own).
  Int8Tensor network_input;
  // layer_pipelined: per network layer its engine's architecture, the folding's array
  // (sim/run/PipelineFolding.h); empty in layer-sequential runs.
  std::vector<ArchConfig> engine_arch;
  // Balanced folding: its candidates; with folding_space.measured the run measures them on their
  // own engines and chooses (engine_arch holds the estimate's choice until then).
  FoldingSpace folding_space;
  // The blocks to trace (empty unless options.trace.dir is set).
  std::vector<TraceBlock> trace_blocks;
};

// The ASIC node the area estimate is reported at (docs/asic-area.md).
constexpr const char* kReportAsicNode = "45nm";

// Loads and checks; every failure is a ConfigError naming the file, the JSON path and the reason.
ResolvedRun resolveRun(const RunRequest& request);

}  // namespace sparsesim
