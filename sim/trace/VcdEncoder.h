#pragma once
// trace.vcd: the traced records as VCD signals for GTKWave. Scope <block>.<event>; each event
// has a one-cycle `valid` strobe and one 32-bit integer per field (array fields: name_0,
// name_1, ...). An event with several records in one cycle (one per lane or per drained row)
// gets that many copies of its signals, scopes s0, s1, ... in record order.
// VCD declares every signal before the first value, so records are kept until close(): meant
// for the short runs traces are for.
#include <string>
#include <vector>

#include "sim/trace/TraceRecord.h"

namespace sparsesim {

class VcdEncoder : public TraceEncoder {
 public:
  explicit VcdEncoder(const std::string& path) : path_(path) {}
  void write(const TraceRecord& r) override { records_.push_back(r); }
  void close() override;

 private:
  std::string path_;
  std::vector<TraceRecord> records_;
};

}  // namespace sparsesim
