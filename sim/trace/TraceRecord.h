#pragma once
// One transaction as the encoders see it: a cycle, a block, an event and its field values in
// the schema's order (TraceSchema.h). A field is a scalar or an array of integers.
#include <cstdint>
#include <type_traits>
#include <vector>

#include "sim/trace/TraceSchema.h"

namespace sparsesim {

struct TraceField {
  bool array = false;
  std::vector<int64_t> values;

  template <typename T, typename = std::enable_if_t<std::is_integral_v<T>>>
  TraceField(T scalar) : values{static_cast<int64_t>(scalar)} {}  // NOLINT: implicit by design
  template <typename T>
  TraceField(const std::vector<T>& v) : array(true), values(v.begin(), v.end()) {}  // NOLINT
  template <typename T>
  TraceField(const T* p, size_t n) : array(true), values(p, p + n) {}
};

struct TraceRecord {
  uint64_t t = 0;
  TraceBlock block = TraceBlock::PeArray;
  int event = 0;  // index into traceEvents(block)
  std::vector<TraceField> fields;
};

// One output form of a trace (JSON lines, binary, VCD): each its own class, chosen by the Tracer.
class TraceEncoder {
 public:
  virtual ~TraceEncoder() = default;
  virtual void write(const TraceRecord& r) = 0;
  // Flushes and closes; throws std::runtime_error when the data could not be written.
  virtual void close() = 0;
};

}  // namespace sparsesim
