#include "sim/report/PipelineSection.h"

namespace sparsesim {

namespace {
nlohmann::ordered_json fabric(const Resources& x) {
  return {{"lut", x.lut}, {"ff", x.ff}, {"dsp", x.dsp}, {"bram36", x.bram36}, {"uram", x.uram}};
}
}  // namespace

nlohmann::ordered_json pipelineJson(const RunResult& r) {
  const PipelineResult& p = r.pipeline;
  nlohmann::ordered_json j;
  j["inferences"] = p.inferences;
  j["folding"] = p.folding;
  j["interval_cycles"] = p.interval_cycles;
  j["latency_cycles"] = p.latency_cycles;
  j["completion_cycles"] = p.completion_cycles;
  j["bottleneck"] = p.bottleneck;
  j["bottleneck_block"] = p.bottleneck_block;
  j["inferences_verified"] = p.inferences_verified;
  j["dram_read_bytes"] = p.dram_read_bytes;
  j["dram_write_bytes"] = p.dram_write_bytes;
  j["energy_per_inference_j"] = p.energy_per_inference_j;
  j["inferences_per_joule"] = p.energy_per_inference_j > 0 ? 1.0 / p.energy_per_inference_j : 0.0;
  j["line_buffer_bytes_per_inference"] = p.line_buffer_bytes_per_inference;
  j["line_buffer_energy_per_inference_j"] = p.line_buffer_energy_per_inference_j;
  nlohmann::ordered_json stages = nlohmann::ordered_json::array();
  for (const auto& s : p.stages) {
    nlohmann::ordered_json x;
    x["layer"] = s.layer;
    x["multipliers"] = s.multipliers;
    x["array"] = {{"rows", s.array.rows}, {"cols", s.array.cols}};
    x["busy_cycles"] = s.busy_cycles;
    x["starved_cycles"] = s.starved_cycles;
    x["blocked_cycles"] = s.blocked_cycles;
    x["fifo_depth"] = s.fifo_depth;
    x["window_rows"] = s.window_rows;
    x["input_row_elements"] = s.input_row_elements;
    x["output_rows"] = s.output_rows;
    x["engine_cycles"] = s.engine_cycles;
    x["row_done_cycles"] = s.row_done_cycles;
    x["output_path"] = {{"ops", s.output_path_ops},
                        {"busy_cycles", s.output_path_busy_cycles},
                        {"blocked_cycles", s.output_path_blocked_cycles}};
    x["memory"] = {{"ifmap_kb", s.ifmap_kb}, {"filter_kb", s.filter_kb}, {"ofmap_kb", s.ofmap_kb}, {"line_buffer_bytes", s.line_buffer_bytes}};
    if (s.sram_banks > 0) x["memory"]["cs_sram"] = {{"banks", s.sram_banks}, {"depth", s.sram_depth}};
    x["resources"] = fabric(s.resources);
    stages.push_back(x);
  }
  j["stages"] = stages;
  nlohmann::ordered_json res = fabric(p.resources);
  res["fits"] = p.fit.fits;
  res["binding_resource"] = p.fit.binding_resource;
  res["copies_per_part"] = p.fit.copies_per_part;
  j["resources"] = res;
  return j;
}

}  // namespace sparsesim
