#pragma once
// One engine of a layer pipeline (docs/pipelined.md): it computes its layer's output rows in
// order; output row r needs needs[r] rows of the inference's input in its line buffer and frees
// the rows before frees[r] when done, then writes the row into its output buffer. Its time per
// inference is the engine's own measured cycles for that inference (its datapath model run on the
// layer, DRAM stalls removed), spread evenly over the output rows. One thread; it counts busy,
// starved (input rows missing) and blocked (output buffer full) cycles.
#include <systemc>

#include <cstdint>
#include <vector>

#include "models/pipeline/LineBuffer.h"

namespace sparsesim {

class PipelineStage : public sc_core::sc_module {
 public:
  // inferenceCycles is read when `start` fires (the engines' runs fill it first).
  PipelineStage(sc_core::sc_module_name name, LineBuffer& in, LineBuffer& out, uint64_t inputRows, std::vector<uint64_t> needs,
                std::vector<uint64_t> frees, const std::vector<uint64_t>& inferenceCycles, const sc_core::sc_event& start);
  uint64_t busy = 0, starved = 0, blocked = 0;

 private:
  void run();
  LineBuffer& in_;
  LineBuffer& out_;
  uint64_t input_rows_;
  std::vector<uint64_t> needs_, frees_;
  const std::vector<uint64_t>& inference_cycles_;
  const sc_core::sc_event& start_;
};

}  // namespace sparsesim
