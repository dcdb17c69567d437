#pragma once
// A bounded on-chip buffer of rows between two pipeline elements (docs/pipelined.md): the producer
// writes rows in order, the consumer waits until the rows its window needs have arrived and frees
// the rows it no longer needs. Rows are counted from the first inference on, so one buffer holds
// the tail of one inference and the head of the next. A full buffer blocks the producer
// (back-pressure); a missing row starves the consumer. A channel: it has no process of its own.
#include <systemc>

#include <algorithm>
#include <cstdint>

namespace sparsesim {

class LineBuffer : public sc_core::sc_module {
 public:
  LineBuffer(sc_core::sc_module_name name, uint64_t capacityRows);
  // Producer: takes the slot of the next row, waiting while the buffer is full (a row being
  // written holds its slot); returns the cycles it waited. commit(): the row is written.
  uint64_t reserve();
  void commit();
  // reserve() and commit() at once: a row written in no time (the engine's output buffer).
  uint64_t push();
  // Consumer: waits until `rows` rows (counted from the first) have arrived; returns the cycles.
  uint64_t waitArrived(uint64_t rows);
  // Consumer: the rows before `rows` are no longer needed.
  void freeTo(uint64_t rows);
  uint64_t capacity() const { return capacity_; }
  // Before the stream starts: the buffer holds `rows` (an engine whose folds read further ahead
  // than its own output row's window).
  void widen(uint64_t rows) { capacity_ = std::max(capacity_, rows); }
  uint64_t arrived() const { return pushed_; }
  uint64_t maxOccupancy() const { return max_occupancy_; }
  uint64_t occupancy() const { return pushed_ + reserved_ - std::min(freed_, pushed_); }

 private:
  uint64_t capacity_;
  uint64_t pushed_ = 0, freed_ = 0, max_occupancy_ = 0;
  uint64_t reserved_ = 0;  // slots taken by rows being written
  sc_core::sc_event changed_;
};

}  // namespace sparsesim
