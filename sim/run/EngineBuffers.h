#pragma once
// The buffers of one folded pipeline engine, sized to its own layer (docs/pipelined.md, "Engine
// buffers"), instead of the design's memory.*_kb and weight-packing SRAM:
//   memory.filter_kb  its layer's weights as the datapath stores them (all resident);
//   memory.ifmap_kb   its layer's input, int8 (the engine's model reads its input from there;
//                     the line buffer before it is counted separately, see lineBufferBytes);
//   memory.ofmap_kb   its output buffer in the pipeline: two inferences of output rows, int8;
//   cs.sram.depth     ceil(its packed table's words / banks): the table resident; the banks and
//                     the word width stay the design's (they set the SRAM's read bandwidth).
#include <cstdint>

#include "sim/config/ArchConfig.h"
#include "sim/config/NetworkConfig.h"
#include "sim/workload/plans/PipelinePlan.h"
#include "sim/workload/plans/WeightResidency.h"

namespace sparsesim {

// The sizes one engine gets; `stored` is the layer's weight footprint on the engine (its own
// array; for cs its packed table at the design's SRAM banks).
struct EngineBufferSizes {
  double ifmap_kb = 0, filter_kb = 0, ofmap_kb = 0;
  int sram_depth = 0;  // cs only
};
EngineBufferSizes engineBufferSizes(const ArchConfig& engine, const LayerConfig& l, const PipelineStagePlan& s, const WeightFootprint& stored);

// Applies them to the engine's architecture.
void applyEngineBuffers(ArchConfig& engine, const EngineBufferSizes& b);

// Bytes of the engine's input line buffer of `rows` rows (its fifo_depth: the plan's window plus
// slack, widened to the rows its folds read ahead), int8.
uint64_t lineBufferBytes(const PipelineStagePlan& s, uint64_t rows);

}  // namespace sparsesim
