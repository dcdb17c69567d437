#pragma once
// The network input of a layer pipeline, read from DRAM a row at a time into the first engine's
// line buffer (docs/pipelined.md): rowCycles per row (row bytes over the DRAM bandwidth), blocked
// while the line buffer is full. One thread.
#include <systemc>

#include <cstdint>

#include "models/pipeline/LineBuffer.h"

namespace sparsesim {

class DramSource : public sc_core::sc_module {
 public:
  DramSource(sc_core::sc_module_name name, LineBuffer& out, uint64_t rowsPerInference, uint64_t rowCycles, const int& inferences,
             const sc_core::sc_event& start);
  uint64_t busy = 0, blocked = 0, rows_read = 0;

 private:
  void run();
  LineBuffer& out_;
  uint64_t rows_, row_cycles_;
  const int& inferences_;
  const sc_core::sc_event& start_;
};

}  // namespace sparsesim
