#include "models/pipeline/PipelineStage.h"

#include "models/common/Cycles.h"

namespace sparsesim {

PipelineStage::PipelineStage(sc_core::sc_module_name name, LineBuffer& in, LineBuffer& out, uint64_t inputRows, std::vector<uint64_t> needs,
                             std::vector<uint64_t> frees, const std::vector<uint64_t>& inferenceCycles, const sc_core::sc_event& start)
    : sc_module(name), in_(in), out_(out), input_rows_(inputRows), needs_(std::move(needs)), frees_(std::move(frees)),
      inference_cycles_(inferenceCycles), start_(start) {
  SC_HAS_PROCESS(PipelineStage);
  SC_THREAD(run);
}

void PipelineStage::run() {
  sc_core::wait(start_);
  const uint64_t rows = needs_.size();
  for (size_t i = 0; i < inference_cycles_.size(); ++i) {
    const uint64_t base = i * input_rows_, total = inference_cycles_[i];
    for (uint64_t r = 0; r < rows; ++r) {
      starved += in_.waitArrived(base + needs_[r]);
      // Row r's share of the inference's cycles; the shares add up to the measured total.
      const uint64_t t = (r + 1) * total / rows - r * total / rows;
      waitCycles(t);
      busy += t;
      in_.freeTo(base + frees_[r]);
      blocked += out_.push();
    }
  }
}

}  // namespace sparsesim
