#include "sim/run/LayerPipeline.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "models/common/Cycles.h"

namespace sparsesim {

namespace {
uint64_t ceilDiv(double bytes, double perCycle) { return uint64_t(std::ceil(bytes / perCycle - 1e-9)); }
}  // namespace

LayerPipeline::LayerPipeline(sc_core::sc_module_name name, const ArchConfig& a, PipelinePlan plan)
    : sc_module(name), plan_(std::move(plan)), inferences_(a.pipeline.inferences), slack_rows_(uint64_t(a.pipeline.slack_rows)) {
  const size_t n = plan_.stages.size();
  engine_cycles_.assign(n, {});
  row_profiles_.assign(n, {});
  op_cycles_.assign(n, {});
  input_row_bytes_ = plan_.input_row_bytes;
  const double bpc = a.memory.dram_bytes_per_cycle;
  const uint64_t lanes = uint64_t(a.array.cols);
  for (size_t s = 0; s < n; ++s) {
    const PipelineStagePlan& p = plan_.stages[s];
    inputs_.push_back(std::make_unique<LineBuffer>(("line_buffer_" + p.name).c_str(), p.fifo_rows));
    // The output buffer holds two inferences' rows: the engine computes the next inference while
    // the output path drains (and, for a k-WTA, selects from) the last one.
    outputs_.push_back(std::make_unique<LineBuffer>(("output_buffer_" + p.name).c_str(), 2 * p.output_rows));
  }
  source_ = std::make_unique<DramSource>("dram_input", *inputs_[0], plan_.input_rows, ceilDiv(double(plan_.input_row_bytes), bpc),
                                         inferences_, start_);
  for (size_t s = 0; s < n; ++s) {
    const PipelineStagePlan& p = plan_.stages[s];
    stages_.push_back(std::make_unique<PipelineStage>(("engine_" + p.name).c_str(), *inputs_[s], *outputs_[s], p.input_rows, p.needs,
                                                      p.frees, row_profiles_[s], start_));
    // A row into the next line buffer: one element per lane per cycle; the final output: its
    // bytes over the DRAM bandwidth.
    const uint64_t rowCycles = p.out.to_dram ? ceilDiv(double(p.out.row_elements * uint64_t(a.memory.output_bytes)), bpc)
                                             : (p.out.row_elements + lanes - 1) / lanes;
    if (p.out.to_dram) output_bytes_per_row_ = p.out.row_elements * uint64_t(a.memory.output_bytes);
    paths_.push_back(std::make_unique<OutputPath>(("output_path_" + p.name).c_str(), *outputs_[s],
                                                  p.out.to_dram ? nullptr : inputs_[s + 1].get(), p.output_rows, p.out.needs, p.out.frees,
                                                  rowCycles, op_cycles_[s], start_));
  }
}

void LayerPipeline::start(std::vector<std::vector<uint64_t>> engineCycles, std::vector<std::vector<RowProfile>> rows,
                          std::vector<std::vector<uint64_t>> opCycles) {
  // The modules hold references to these vectors: fill them in place.
  window_rows_.assign(engine_cycles_.size(), 0);
  for (size_t s = 0; s < engine_cycles_.size(); ++s) {
    engine_cycles_[s] = std::move(engineCycles[s]);
    row_profiles_[s] = std::move(rows[s]);
    op_cycles_[s] = std::move(opCycles[s]);
    // Row r's segment holds the input rows from those row r - 1 freed up to those its reach
    // needs: a fold that finishes row r having begun row r + 1, or a pass over every pixel
    // (reach: the last row from the first segment on), holds more than row r's own window.
    const PipelineStagePlan& p = plan_.stages[s];
    uint64_t window = p.window_rows;
    for (const RowProfile& rp : row_profiles_[s])
      for (size_t r = 0; r < rp.reach.size(); ++r) window = std::max(window, p.needs[rp.reach[r]] - (r ? p.frees[r - 1] : 0));
    window_rows_[s] = window;
    inputs_[s]->widen(window + slack_rows_);
  }
  start_cycle_ = nowCycles();
  start_.notify(sc_core::SC_ZERO_TIME);
}

void LayerPipeline::collect(PipelineResult& p) const {
  p.enabled = true;
  p.inferences = inferences_;
  const OutputPath& last = *paths_.back();
  for (uint64_t c : last.completions) p.completion_cycles.push_back(c - start_cycle_);
  const auto& c = p.completion_cycles;
  if (!c.empty()) p.latency_cycles = c[0];
  if (c.size() >= 2) p.interval_cycles = c[c.size() - 1] - c[c.size() - 2];
  p.dram_read_bytes = source_->rows_read * input_row_bytes_;
  p.dram_write_bytes = last.rows_written * output_bytes_per_row_;
  uint64_t worst = 0;
  for (size_t s = 0; s < stages_.size(); ++s) {
    const PipelineStagePlan& sp = plan_.stages[s];
    PipelineStageResult r;
    r.layer = sp.name;
    r.busy_cycles = stages_[s]->busy;
    r.starved_cycles = stages_[s]->starved;
    r.blocked_cycles = stages_[s]->blocked;
    r.fifo_depth = inputs_[s]->capacity();
    r.window_rows = window_rows_.empty() ? sp.window_rows : window_rows_[s];
    r.input_row_elements = sp.input_row_elements;
    r.output_rows = sp.output_rows;
    r.engine_cycles = engine_cycles_[s];
    if (!row_profiles_[s].empty()) r.row_done_cycles = row_profiles_[s].front().done;
    r.output_path_busy_cycles = paths_[s]->busy;
    r.output_path_blocked_cycles = paths_[s]->blocked;
    r.output_path_ops = sp.out.ops;
    // The busiest block limits the interval: an engine, or the output path after it (host ops,
    // k-WTA, row writes).
    if (r.busy_cycles > worst) worst = r.busy_cycles, p.bottleneck = r.layer, p.bottleneck_block = "engine";
    if (r.output_path_busy_cycles > worst) worst = r.output_path_busy_cycles, p.bottleneck = r.layer, p.bottleneck_block = "output_path";
    p.stages.push_back(std::move(r));
  }
}

}  // namespace sparsesim
