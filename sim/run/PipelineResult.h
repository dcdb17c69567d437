#pragma once
// What a layer-pipelined run measured (docs/pipelined.md): per engine its counters, per inference
// when it left the pipeline. Plain values; sim/report writes the `pipeline` object from them.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/config/ArchConfig.h"
#include "sim/resources/ResourceModel.h"

namespace sparsesim {

struct PipelineStageResult {
  std::string layer;
  int64_t multipliers = 0;
  ArrayConfig array;            // its engine's array (the folding)
  uint64_t busy_cycles = 0;     // the engine computed output rows
  uint64_t starved_cycles = 0;  // the engine waited for input rows (its line buffer lacked the window)
  uint64_t blocked_cycles = 0;  // the engine waited for room in its output buffer
  uint64_t fifo_depth = 0;      // rows of its input line buffer
  uint64_t window_rows = 0;     // input rows one output row needs
  uint64_t input_row_elements = 0;
  uint64_t output_rows = 0;     // output rows per inference (the granularity)
  std::vector<uint64_t> engine_cycles;  // per inference: the engine's measured cycles (DRAM stalls removed)
  // Inference 0's row profile: per output row, the engine's cycles from the inference's start
  // until the row is complete (its own run, DRAM stalls removed; models/pipeline/RowProfile.h).
  std::vector<uint64_t> row_done_cycles;
  uint64_t output_path_busy_cycles = 0;     // host ops and row writes in the producer's output path
  uint64_t output_path_blocked_cycles = 0;  // waiting for room in the consumer's line buffer
  std::vector<std::string> output_path_ops; // host layers and k-WTA in the output path
  Resources resources;                      // one engine
  // Its buffers (folded: sized to its layer, sim/run/EngineBuffers.h; whole: the design's).
  double ifmap_kb = 0, filter_kb = 0, ofmap_kb = 0;
  int sram_banks = 0, sram_depth = 0;  // cs: the weight-packing SRAM
  uint64_t line_buffer_bytes = 0;      // its input line buffer (fifo_depth rows, int8)
};

struct PipelineResult {
  bool enabled = false;
  std::string folding;          // pipeline.folding
  int inferences = 0;
  std::vector<uint64_t> completion_cycles;  // per inference: last output byte written to DRAM
  uint64_t interval_cycles = 0;  // completion[N-1] - completion[N-2]
  uint64_t latency_cycles = 0;   // completion[0] - start
  std::string bottleneck;        // the layer whose engine or output path has the most busy cycles
  std::string bottleneck_block;  // "engine" or "output_path"
  uint64_t dram_read_bytes = 0;   // all inferences: the network input
  uint64_t dram_write_bytes = 0;  // all inferences: the final output
  std::vector<PipelineStageResult> stages;
  bool all_verified = false;       // every inference's every layer matched the reference
  uint64_t inferences_verified = 0;
  Resources resources;   // the whole pipeline (one copy = every engine)
  PartFit fit;
  double energy_per_inference_j = 0;
  // Activations between engines, per inference: bytes written into the consumers' line buffers
  // (int8, one byte per element; each is read once by its consumer), and their SRAM energy (in
  // energy_per_inference_j).
  uint64_t line_buffer_bytes_per_inference = 0;
  double line_buffer_energy_per_inference_j = 0;
};

}  // namespace sparsesim
