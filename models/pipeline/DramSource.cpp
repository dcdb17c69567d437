#include "models/pipeline/DramSource.h"

#include "models/common/Cycles.h"

namespace sparsesim {

DramSource::DramSource(sc_core::sc_module_name name, LineBuffer& out, uint64_t rowsPerInference, uint64_t rowCycles, const int& inferences,
                       const sc_core::sc_event& start)
    : sc_module(name), out_(out), rows_(rowsPerInference), row_cycles_(rowCycles), inferences_(inferences), start_(start) {
  SC_HAS_PROCESS(DramSource);
  SC_THREAD(run);
}

void DramSource::run() {
  sc_core::wait(start_);
  for (int i = 0; i < inferences_; ++i)
    for (uint64_t r = 0; r < rows_; ++r) {
      blocked += out_.reserve();
      waitCycles(row_cycles_);
      busy += row_cycles_;
      out_.commit();
      ++rows_read;
    }
}

}  // namespace sparsesim
