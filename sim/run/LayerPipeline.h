#pragma once
// The elaborated layer pipeline of a run (docs/pipelined.md): the DRAM reader of the network
// input, one engine (PipelineStage) and one output path per compute layer, the line buffers
// between them. Built with the run's other modules; it idles until the sequencer has run every
// inference through the engines' own datapath models (their outputs verified, their cycles
// measured), then streams the inferences through the engines with those cycles.
#include <systemc>

#include <memory>
#include <vector>

#include "models/pipeline/DramSource.h"
#include "models/pipeline/LineBuffer.h"
#include "models/pipeline/OutputPath.h"
#include "models/pipeline/PipelineStage.h"
#include "sim/run/PipelineResult.h"
#include "sim/workload/plans/PipelinePlan.h"

namespace sparsesim {

class LayerPipeline : public sc_core::sc_module {
 public:
  LayerPipeline(sc_core::sc_module_name name, const ArchConfig& a, PipelinePlan plan);
  // engineCycles[s][i], rows[s][i], opCycles[s][i]: stage s, inference i (rows: the engine's row
  // profile). Widens a line buffer whose engine's folds read beyond its window (the rows the
  // profile's reach holds, plus the slack), then starts the stream (from the calling thread, at
  // the current simulated time).
  void start(std::vector<std::vector<uint64_t>> engineCycles, std::vector<std::vector<RowProfile>> rows,
             std::vector<std::vector<uint64_t>> opCycles);
  // The measurement, after the simulation ended.
  void collect(PipelineResult& p) const;
  const PipelinePlan& plan() const { return plan_; }

 private:
  PipelinePlan plan_;
  int inferences_ = 0;
  uint64_t slack_rows_ = 0;
  uint64_t start_cycle_ = 0;
  uint64_t input_row_bytes_ = 0, output_bytes_per_row_ = 0;
  sc_core::sc_event start_;
  std::vector<std::vector<uint64_t>> engine_cycles_, op_cycles_;
  std::vector<std::vector<RowProfile>> row_profiles_;
  std::vector<uint64_t> window_rows_;  // per stage: the rows its engine holds (widened by start)
  std::vector<std::unique_ptr<LineBuffer>> inputs_, outputs_;  // per stage: its line buffer, its output buffer
  std::unique_ptr<DramSource> source_;
  std::vector<std::unique_ptr<PipelineStage>> stages_;
  std::vector<std::unique_ptr<OutputPath>> paths_;
};

}  // namespace sparsesim
