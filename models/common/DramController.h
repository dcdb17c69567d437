#pragma once
// The off-chip memory port: one channel shared by every block that moves data to or from DRAM,
// served first-come first-served at a fixed bandwidth. A block calls transfer() from its own
// process and is blocked for the time its request takes, queueing included; so contention
// between operand fetches and output write-backs shows up as stall cycles.
#include <systemc>

#include <cstdint>

#include "models/common/LayerStats.h"
#include "sim/config/ArchConfig.h"

namespace sparsesim {

class DramPortIf : public virtual sc_core::sc_interface {
 public:
  enum class Dir { Read, Write };
  virtual void transfer(uint64_t bytes, Dir dir, LayerStats& stats) = 0;
};

// Bandwidth bookkeeping without SystemC, so it can be unit-tested.
class DramChannel {
 public:
  // bytesPerCycle <= 0 means ideal memory: transfers take no time.
  explicit DramChannel(double bytesPerCycle) : bw_(bytesPerCycle) {}
  // Returns the cycle at which a request issued at `now` completes.
  uint64_t schedule(uint64_t now, uint64_t bytes);
  uint64_t durationOf(uint64_t bytes) const;

 private:
  double bw_;
  uint64_t busyUntil_ = 0;
};

// The bandwidth an architecture's DRAM port has: SCALE-Sim compatibility assumes ideal memory
// (0 = transfers take no time).
inline double dramBandwidthOf(const ArchConfig& a) {
  return a.compat == Compat::ScaleSim ? 0.0 : a.memory.dram_bytes_per_cycle;
}

class DramController : public sc_core::sc_module, public DramPortIf {
 public:
  sc_core::sc_export<DramPortIf> port;
  DramController(sc_core::sc_module_name name, double bytesPerCycle);
  void transfer(uint64_t bytes, Dir dir, LayerStats& stats) override;

 private:
  DramChannel channel_;
};

}  // namespace sparsesim
