#pragma once
// The producer's output path of a pipeline engine (docs/pipelined.md): the host layers after a
// compute layer (pooling, flatten) and its k-WTA, between the engine's output buffer and the
// consumer's line buffer (or DRAM for the final output). Emitted row j waits for needs[j] rows of
// the engine's output (a k-WTA needs them all), costs rowCycles to write (one element per lane
// per cycle, or DRAM bandwidth for the final output) and frees frees[j] engine rows. Per
// inference, the host ops' own cycles (measured by the sequential pass) are spent before the
// first row leaves. One thread; it records when each inference's last row left.
#include <systemc>

#include <cstdint>
#include <vector>

#include "models/pipeline/LineBuffer.h"

namespace sparsesim {

class OutputPath : public sc_core::sc_module {
 public:
  // to == nullptr: the rows go to DRAM. opCycles is read when `start` fires.
  OutputPath(sc_core::sc_module_name name, LineBuffer& from, LineBuffer* to, uint64_t producerRows, std::vector<uint64_t> needs,
             std::vector<uint64_t> frees, uint64_t rowCycles, const std::vector<uint64_t>& opCycles, const sc_core::sc_event& start);
  uint64_t busy = 0, waiting = 0, blocked = 0;
  uint64_t rows_written = 0;
  std::vector<uint64_t> completions;  // cycle at which each inference's last row left

 private:
  void run();
  LineBuffer& from_;
  LineBuffer* to_;
  uint64_t producer_rows_;
  std::vector<uint64_t> needs_, frees_;
  uint64_t row_cycles_;
  const std::vector<uint64_t>& op_cycles_;
  const sc_core::sc_event& start_;
};

}  // namespace sparsesim
