#pragma once
// The encoders of a trace (JSON lines, binary, VCD) behind one interface; the records they
// write are the blocks' TraceRecords (models/common/TraceSink.h).
#include <cstdint>
#include <type_traits>
#include <vector>

#include "models/common/TraceSink.h"

namespace sparsesim {

// One output form of a trace (JSON lines, binary, VCD): each its own class, chosen by the Tracer.
class TraceEncoder {
 public:
  virtual ~TraceEncoder() = default;
  virtual void write(const TraceRecord& r) = 0;
  // Flushes and closes; throws std::runtime_error when the data could not be written.
  virtual void close() = 0;
};

}  // namespace sparsesim
