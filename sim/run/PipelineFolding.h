#pragma once
// Folding of a layer pipeline (docs/pipelined.md): how parallel each engine is. Every compute
// layer's engine runs on its own instance of the datapath, built from its own copy of the
// architecture with the chosen array; the rest of the architecture (buffers, clock, datapath
// sections) is the design's.
#include <functional>
#include <string>
#include <vector>

#include "sim/config/ArchConfig.h"
#include "sim/config/NetworkConfig.h"
#include "sim/resources/Calibration.h"
#include "sim/resources/DatapathCostModel.h"
#include "sim/resources/FpgaPart.h"
#include "sim/resources/ResourceModel.h"

namespace sparsesim {

// Balanced folding's search space: per compute layer its candidate arrays, each with its cycles
// per inference (estimated, or measured on the candidate's own engine) and its resources.
struct FoldingCandidate {
  ArrayConfig array;
  double cycles = 0;
  Resources res;
  ArchConfig arch;  // its engine's whole architecture (the array, its buffers sized to its layer)
};

// Sizes a folded engine's buffers to its layer (sim/run/EngineBuffers.h): the engine's
// architecture, the layer's network index.
using EngineSizer = std::function<void(ArchConfig& engine, size_t layer)>;
struct FoldingSpace {
  std::vector<size_t> layers;                             // the compute layers' network indices
  std::vector<std::vector<FoldingCandidate>> candidates;  // per compute layer
  Resources budget;
  // cs: the closed-form estimate does not follow the engine (its passes per packed group, the
  // sparse-dense conv1 on a raw image), so the run measures every candidate on its own engine
  // (inference 0) and chooses with chooseMeasuredFolding.
  bool measured = false;
};

// Per network layer: its engine's architecture (host layers and folding `whole`: the design's).
// `balanced` chooses, per compute layer, the array whose estimated cycles per inference are at
// most a common target, the smallest target for which the whole pipeline fits the budget;
// `explicit` parses pipeline.arrays. Sets a.pipeline.arrays to the folding used (balanced, for
// resolved-config.json). Throws ConfigError: an infeasible budget (naming the layer that does not
// fit), a malformed or incomplete arrays list, a balanced choice that differs from given arrays.
// `space` (balanced): the candidates; with space->measured the returned arrays are the estimate's
// choice, replaced by chooseMeasuredFolding once the run has measured the candidates, and the
// given-arrays check waits for that choice.
std::vector<ArchConfig> foldPipeline(ArchConfig& a, const NetworkConfig& n, const FpgaPart& part, const Calibration& cal,
                                     const DatapathCostModel& costs, FoldingSpace* space = nullptr, const EngineSizer& size = {});

// Balanced folding from measured candidates (space.candidates' cycles): the smallest target for
// which the pipeline fits, as foldPipeline chooses; sets every compute layer's engines[i].array
// and a.pipeline.arrays. Throws ConfigError: no target fits, or given arrays differ.
void chooseMeasuredFolding(ArchConfig& a, const NetworkConfig& n, const FoldingSpace& space, std::vector<ArchConfig>& engines);

// The folding's estimate of one engine's cycles per inference on array rows x cols: the
// datapath's folds of the layer's GEMM times each fold's length (reduction plus array fill and
// drain); for cs the packed-group passes over the layer's kept activations.
double estimatedEngineCycles(const ArchConfig& engine, const LayerConfig& l);

}  // namespace sparsesim
