#include "models/common/DramController.h"

#include <algorithm>
#include <cmath>

#include "models/common/Cycles.h"

namespace sparsesim {

uint64_t DramChannel::durationOf(uint64_t bytes) const {
  if (bw_ <= 0 || bytes == 0) return 0;
  return static_cast<uint64_t>(std::ceil(static_cast<double>(bytes) / bw_ - 1e-9));
}

uint64_t DramChannel::schedule(uint64_t now, uint64_t bytes) {
  uint64_t d = durationOf(bytes);
  if (d == 0) return now;
  uint64_t start = std::max(now, busyUntil_);
  busyUntil_ = start + d;
  return busyUntil_;
}

DramController::DramController(sc_core::sc_module_name name, double bytesPerCycle)
    : sc_module(name), port("port"), channel_(bytesPerCycle) {
  port.bind(*this);
}

void DramController::transfer(uint64_t bytes, Dir dir, LayerStats& stats) {
  (dir == Dir::Read ? stats.dram_read_bytes : stats.dram_write_bytes) += bytes;
  uint64_t now = nowCycles();
  waitCycles(channel_.schedule(now, bytes) - now);
}

}  // namespace sparsesim
