#include "models/pipeline/PipelineStage.h"

#include "models/common/Cycles.h"

namespace sparsesim {

PipelineStage::PipelineStage(sc_core::sc_module_name name, LineBuffer& in, LineBuffer& out, uint64_t inputRows, std::vector<uint64_t> needs,
                             std::vector<uint64_t> frees, const std::vector<RowProfile>& profiles, const sc_core::sc_event& start)
    : sc_module(name), in_(in), out_(out), input_rows_(inputRows), needs_(std::move(needs)), frees_(std::move(frees)),
      profiles_(profiles), start_(start) {
  SC_HAS_PROCESS(PipelineStage);
  SC_THREAD(run);
}

void PipelineStage::run() {
  sc_core::wait(start_);
  const uint64_t rows = needs_.size();
  for (size_t i = 0; i < profiles_.size(); ++i) {
    const uint64_t base = i * input_rows_;
    const RowProfile& p = profiles_[i];
    for (uint64_t r = 0; r < rows; ++r) {
      starved += in_.waitArrived(base + needs_[p.reach[r]]);
      // Row r's segment of the engine's run; the segments add up to its cycles for the inference.
      const uint64_t t = p.done[r] - (r ? p.done[r - 1] : 0);
      waitCycles(t);
      busy += t;
      in_.freeTo(base + frees_[r]);
      blocked += out_.push();
    }
    // The engine's cycles after its last row: occupied, no row waiting.
    const uint64_t tail = p.cycles - (rows ? p.done[rows - 1] : 0);
    waitCycles(tail);
    busy += tail;
  }
}

}  // namespace sparsesim
