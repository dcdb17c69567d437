#include "sim/run/ResolvedRun.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "sim/core/ConfigError.h"
#include "sim/run/DatapathRegistry.h"
#include "sim/run/EngineBuffers.h"
#include "sim/run/PipelineFolding.h"
#include "sim/trace/TraceRequest.h"
#include "sim/workload/CsSelectorGroups.h"
#include "sim/workload/CsSramFit.h"
#include "sim/workload/LayerGeometry.h"
#include "sim/workload/LayerMemory.h"
#include "sim/workload/NetworkInputFile.h"
#include "sim/workload/plans/PipelinePlan.h"
#include "sim/workload/Workload.h"

namespace sparsesim {

namespace {

// The ASIC table always gives the area per primitive; the energy table is the architecture's.
constexpr const char* kAsicTable = "asic-45nm-horowitz";

// Every rule on one layer that needs the architecture too, in the order a user fixes them:
// the shapes under the compat mode, the memory the layer takes, the CS weight SRAM; then its
// weights file (read here, the only time).
std::optional<Int8Tensor> resolveLayer(const ArchConfig& a, const NetworkConfig& n, size_t i) {
  const LayerConfig& l = n.layers[i];
  const std::string path = "layers[" + std::to_string(i) + "]";
  if (n.chain && a.compat == Compat::ScaleSim)
    throw ConfigError(n.source_file, "chain", "a chained network needs real padding and output sizes; SCALE-Sim compat mode (" + a.source_file + ") has neither");
  if (!isComputeLayer(l.type)) {  // runs on the host (chained networks): its tensors must fit too
    checkLayerMemory(computeGeometry(l, a.compat), n.source_file, path);
    return std::nullopt;
  }
  if (a.compat == Compat::ScaleSim && (l.kernel_h > l.in_h || l.kernel_w > l.in_w))
    throw ConfigError(n.source_file, path + ".kernel_h", "kernel larger than the input; SCALE-Sim compat mode (" + a.source_file + ") has no padding");
  const LayerGeometry g = computeGeometry(l, a.compat);
  checkLayerMemory(g, n.source_file, path);  // refuse before allocating
  checkCsSramFits(a, g, l.name, path);
  checkCsSelectorGroups(a, n, i);
  if (l.weights_file.empty()) return std::nullopt;
  return loadLayerWeights(l, g, n.source_file, static_cast<int>(i));
}

// The clock against the timing limit of the FPGA part for the datapath (the part file's
// timing.fmax_mhz). Applies to FPGA designs (an energy table of kind "fpga"); a clock above the
// limit is a ConfigError at clock_mhz unless allowOverclock.
void checkTiming(const ArchConfig& a, const FpgaPart& part, const EnergyTable& energy, bool allowOverclock) {
  const double fmax = fmaxFor(part, toString(a.datapath));
  if (energy.kind != "fpga" || fmax <= 0 || a.clock_mhz <= fmax || allowOverclock) return;
  char b[96];
  std::snprintf(b, sizeof b, "%g MHz is above the timing limit of %g MHz", a.clock_mhz, fmax);
  throw ConfigError(a.source_file, "clock_mhz", std::string(b) + " for the " + toString(a.datapath) + " datapath on " + part.name + " (" +
                                                    sourceRelative(part.source_file) + ", timing.fmax_mhz: " + part.timing_source +
                                                    "); --allow-overclock simulates it anyway");
}

}  // namespace

void checkDatapathRules(const ArchConfig& a) {
  const DatapathEntry& dp = datapathEntry(a);
  if (std::find(dp.dataflows.begin(), dp.dataflows.end(), a.dataflow) == dp.dataflows.end())
    throw ConfigError(a.source_file, "dataflow", dp.dataflow_reason + "; set \"dataflow\": \"" + toString(dp.dataflows.front()) + "\"");
}

ResolvedRun resolveRun(const RunRequest& request) {
  ResolvedRun r;
  r.arch = request.arch;
  r.network = request.network;
  r.options = request.options;
  const ArchConfig& a = r.arch;
  checkDatapathRules(a);
  // Layer-pipelined: a layer list streams as the chain its shapes make (or is refused, naming the
  // first pair that does not chain).
  if (a.pipelined) r.network = chainLayerList(r.network, a);
  r.datapath = &datapathEntry(a);
  // The part and the tables an architecture names, and the calibrations, so a bad name or file
  // fails first (never from inside or after the SystemC kernel's coroutines).
  r.part = loadFpgaPart(resolveConfigFile("fpga", a.fpga_part, a.source_file, "fpga_part"));
  r.asic_table = loadEnergyTable(resolveConfigFile("energy", kAsicTable, a.source_file, "energy_table"));
  r.energy_table = a.energy_table == r.asic_table.name
                       ? r.asic_table
                       : loadEnergyTable(resolveConfigFile("energy", a.energy_table, a.source_file, "energy_table"));
  r.calibration = &defaultCalibration();           // configs/calibration/yosys-xc7.json
  r.asic_calibration = &defaultAsicCalibration();  // configs/calibration/yosys-asic-generic.json
  r.asic_node = &asicNode(kReportAsicNode);        // configs/asic/45nm.json
  checkTiming(a, r.part, r.energy_table, r.options.allow_overclock);
  for (size_t i = 0; i < r.network.layers.size(); ++i) r.weights.push_back(resolveLayer(a, r.network, i));
  // The network's input (--input, checked against the first layer's shape) or the documented
  // synthetic one; a bad --input fails here, before anything is written.
  if (a.pipelined) {
    // A folded engine's buffers are sized to its own layer (sim/run/EngineBuffers.h).
    const PipelinePlan plan = planPipeline(a, r.network);
    std::map<size_t, const PipelineStagePlan*> stageOf;
    for (const PipelineStagePlan& s : plan.stages) stageOf[s.layer] = &s;
    std::map<size_t, LayerWorkload> weightsOnly;  // per layer, generated once for all its candidates
    const EngineSizer sizer = [&](ArchConfig& e, size_t i) {
      if (!weightsOnly.count(i)) {
        const Int8Tensor* w = r.weights[i] ? &*r.weights[i] : nullptr;
        weightsOnly.emplace(i, makeWeightsWorkload(r.network.layers[i], e.compat, r.options.seed, w));
      }
      const WeightFootprint f = r.datapath->weight_footprint(e, weightsOnly.at(i));
      applyEngineBuffers(e, engineBufferSizes(e, r.network.layers[i], *stageOf.at(i), f));
    };
    r.engine_arch = foldPipeline(r.arch, r.network, r.part, *r.calibration, r.datapath->costs, &r.folding_space, sizer);
    // One image per inference streamed through the pipeline (--input: one per inference).
    NetworkConfig streamed = r.network;
    streamed.batch = a.pipeline.inferences;
    if (r.network.batch != 1)
      throw ConfigError(r.network.source_file, "batch", "execution layer_pipelined streams one image per inference (pipeline.inferences); give batch 1");
    r.network_input = networkInputTensor(streamed, r.options.input_file, r.options.seed);
  } else {
    r.network_input = networkInputTensor(r.network, r.options.input_file, r.options.seed);
  }
  if (!r.options.trace.dir.empty())
    r.trace_blocks = resolveTraceBlocks(r.datapath->traceable, a, r.options.trace.blocks, "--trace-blocks");
  return r;
}

void validateRun(const ArchConfig& a, const NetworkConfig& n, bool allowOverclock) {
  RunOptions o;
  o.allow_overclock = allowOverclock;
  (void)resolveRun(RunRequest{a, n, o});
}

}  // namespace sparsesim
