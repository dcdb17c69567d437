#include "models/pipeline/OutputPath.h"

#include "models/common/Cycles.h"

namespace sparsesim {

OutputPath::OutputPath(sc_core::sc_module_name name, LineBuffer& from, LineBuffer* to, uint64_t producerRows, std::vector<uint64_t> needs,
                       std::vector<uint64_t> frees, uint64_t rowCycles, const std::vector<uint64_t>& opCycles, const sc_core::sc_event& start)
    : sc_module(name), from_(from), to_(to), producer_rows_(producerRows), needs_(std::move(needs)), frees_(std::move(frees)),
      row_cycles_(rowCycles), op_cycles_(opCycles), start_(start) {
  SC_HAS_PROCESS(OutputPath);
  SC_THREAD(run);
}

void OutputPath::run() {
  sc_core::wait(start_);
  for (size_t i = 0; i < op_cycles_.size(); ++i) {
    const uint64_t base = i * producer_rows_;
    for (size_t j = 0; j < needs_.size(); ++j) {
      waiting += from_.waitArrived(base + needs_[j]);
      if (j == 0) {
        waitCycles(op_cycles_[i]);
        busy += op_cycles_[i];
      }
      if (to_) blocked += to_->reserve();  // the row is written into its slot
      waitCycles(row_cycles_);
      busy += row_cycles_;
      if (to_) to_->commit();
      ++rows_written;
      from_.freeTo(base + frees_[j]);
    }
    completions.push_back(nowCycles());
  }
}

}  // namespace sparsesim
