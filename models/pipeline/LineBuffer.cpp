#include "models/pipeline/LineBuffer.h"

#include <algorithm>

#include "models/common/Cycles.h"

namespace sparsesim {

LineBuffer::LineBuffer(sc_core::sc_module_name name, uint64_t capacityRows) : sc_module(name), capacity_(capacityRows) {}

uint64_t LineBuffer::reserve() {
  const uint64_t t0 = nowCycles();
  while (occupancy() >= capacity_) sc_core::wait(changed_);
  ++reserved_;
  max_occupancy_ = std::max(max_occupancy_, occupancy());
  return nowCycles() - t0;
}

void LineBuffer::commit() {
  --reserved_;
  ++pushed_;
  changed_.notify(sc_core::SC_ZERO_TIME);
}

uint64_t LineBuffer::push() {
  const uint64_t waited = reserve();
  commit();
  return waited;
}

uint64_t LineBuffer::waitArrived(uint64_t rows) {
  const uint64_t t0 = nowCycles();
  while (pushed_ < rows) sc_core::wait(changed_);
  return nowCycles() - t0;
}

void LineBuffer::freeTo(uint64_t rows) {
  // A row freed before it arrived (no window of its inference needs it) leaves on arrival.
  if (rows <= freed_) return;
  freed_ = rows;
  changed_.notify(sc_core::SC_ZERO_TIME);
}

}  // namespace sparsesim
