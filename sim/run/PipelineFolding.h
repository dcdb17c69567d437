#pragma once
// Folding of a layer pipeline (docs/pipelined.md): how parallel each engine is. Every compute
// layer's engine runs on its own instance of the datapath, built from its own copy of the
// architecture with the chosen array; the rest of the architecture (buffers, clock, datapath
// sections) is the design's.
#include <string>
#include <vector>

#include "sim/config/ArchConfig.h"
#include "sim/config/NetworkConfig.h"
#include "sim/resources/Calibration.h"
#include "sim/resources/DatapathCostModel.h"
#include "sim/resources/FpgaPart.h"

namespace sparsesim {

// Per network layer: its engine's architecture (host layers and folding `whole`: the design's).
// `balanced` chooses, per compute layer, the array whose estimated cycles per inference are at
// most a common target, the smallest target for which the whole pipeline fits the budget;
// `explicit` parses pipeline.arrays. Sets a.pipeline.arrays to the folding used (balanced, for
// resolved-config.json). Throws ConfigError: an infeasible budget (naming the layer that does not
// fit), a malformed or incomplete arrays list, a balanced choice that differs from given arrays.
std::vector<ArchConfig> foldPipeline(ArchConfig& a, const NetworkConfig& n, const FpgaPart& part, const Calibration& cal,
                                     const DatapathCostModel& costs);

// The folding's estimate of one engine's cycles per inference on array rows x cols: the
// datapath's folds of the layer's GEMM times each fold's length (reduction plus array fill and
// drain); for cs the packed-group passes over the layer's kept activations.
double estimatedEngineCycles(const ArchConfig& engine, const LayerConfig& l);

}  // namespace sparsesim
