#pragma once
// What a run produced, as typed values: sim/report turns it into report.json, the table and
// resolved-config.json; nothing here is JSON.
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "models/common/LayerInfo.h"
#include "models/common/LayerStats.h"
#include "sim/config/ArchConfig.h"
#include "sim/config/NetworkConfig.h"
#include "sim/resources/AsicArea.h"
#include "sim/resources/EnergyModel.h"
#include "sim/resources/FpgaPart.h"
#include "sim/resources/ResourceModel.h"
#include "sim/run/PipelineResult.h"
#include "sim/workload/LayerGeometry.h"
#include "sim/workload/plans/WeightResidency.h"

namespace sparsesim {

// One layer: the counters its blocks kept (LayerStats), what the pipeline derived and checked,
// and the datapath's own facts.
struct LayerResult : LayerStats {
  std::string name;
  LayerType type = LayerType::Conv2d;
  LayerGeometry geom;
  uint64_t cycles = 0;            // reported; in SCALE-Sim compat mode, simulated_cycles - 1
  uint64_t simulated_cycles = 0;  // cycles from the layer's start to its last write-back
  uint64_t macs_dense = 0;
  uint64_t macs_useful = 0;
  double utilization = 0;
  int64_t weight_nonzeros = 0;
  int64_t input_nonzeros = 0;
  size_t kwta_k = 0;
  // Verification (sim/run/Verify): outputs against the reference convolution; for a CS layer
  // that selected activations, the selector's winners against the workload's k-WTA.
  bool verified = false;
  int64_t mismatches = 0;
  std::string first_mismatch;
  std::optional<bool> selection_matches_workload;
  bool weights_resident = false;  // on chip from configuration (the run's residency plan)
  uint64_t weight_stored_bytes = 0;  // the layer's weights as the datapath stores them
  LayerInfo info;
  EnergyResult energy;  // filled by the run pipeline from the energy table
};

// A step of a chained network run outside the datapath's GEMM (a pooling, add, concat or flatten
// layer, or a compute layer's kwta post-op), modelled in the output path: cycles =
// ceil(elements read / lanes), lanes = array.cols (docs/networks.md).
struct HostOpResult {
  std::string name;
  std::string op;  // the layer type, or "kwta" for a post-op
  uint64_t elements = 0;
  uint64_t cycles = 0;
};

struct RunResult {
  ArchConfig arch;
  NetworkConfig network;  // only the layers that ran
  uint64_t seed = 0;
  int64_t multipliers = 0;  // of the datapath that ran
  std::vector<LayerResult> layers;  // the compute layers
  std::vector<HostOpResult> host_ops;  // chained networks only
  WeightResidencyPlan weight_residency;  // which layers' weights are on chip (memory.weights)
  uint64_t total_cycles = 0;
  double seconds = 0;
  bool verified = false;
  double wall_seconds = 0;
  // Resource and energy estimates (sim/resources, docs/resources.md).
  ResourceEstimate resources;
  FpgaPart part;
  PartFit fit;
  AsicAreaEstimate asic;  // gate-level area at 45 nm (docs/asic-area.md)
  EnergyTable energy_table;
  EnergyResult energy;  // the whole run: sum over layers
  PipelineResult pipeline;  // layer_pipelined runs only (docs/pipelined.md)
  std::exception_ptr error;  // set when the simulation thread failed
};

}  // namespace sparsesim
