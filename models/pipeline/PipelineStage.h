#pragma once
// One engine of a layer pipeline (docs/pipelined.md): it computes its layer's output rows in
// order; output row r needs needs[r] rows of the inference's input in its line buffer and frees
// the rows before frees[r] when done, then writes the row into its output buffer. Its timing is
// the engine's own run of that inference (its datapath model on the layer, DRAM stalls removed):
// the row profile (RowProfile) says when the engine completes each row. Row r's segment, the
// cycles between row r - 1's completion and row r's, starts once the input rows of every output
// row its folds touch (up to reach[r]) have arrived; row r leaves at its end. The engine's cycles
// after its last row (RowProfile::cycles) keep it busy before its next inference. One thread; it
// counts busy, starved (input rows missing) and blocked (output buffer full) cycles.
#include <systemc>

#include <cstdint>
#include <vector>

#include "models/pipeline/LineBuffer.h"
#include "models/pipeline/RowProfile.h"

namespace sparsesim {

class PipelineStage : public sc_core::sc_module {
 public:
  // profiles (one per inference) are read when `start` fires (the engines' runs fill them first).
  PipelineStage(sc_core::sc_module_name name, LineBuffer& in, LineBuffer& out, uint64_t inputRows, std::vector<uint64_t> needs,
                std::vector<uint64_t> frees, const std::vector<RowProfile>& profiles, const sc_core::sc_event& start);
  uint64_t busy = 0, starved = 0, blocked = 0;

 private:
  void run();
  LineBuffer& in_;
  LineBuffer& out_;
  uint64_t input_rows_;
  std::vector<uint64_t> needs_, frees_;
  const std::vector<RowProfile>& profiles_;
  const sc_core::sc_event& start_;
};

}  // namespace sparsesim
