#pragma once
// <block>.jsonl: one JSON object per record, keys in schema order. Written by hand rather than
// through nlohmann::json: a per-cycle record is the hot path of a traced run.
#include <fstream>
#include <string>

#include "sim/trace/TraceRecord.h"

namespace sparsesim {

class JsonlEncoder : public TraceEncoder {
 public:
  explicit JsonlEncoder(const std::string& path);
  void write(const TraceRecord& r) override;
  void close() override;

 private:
  std::string path_;
  std::ofstream out_;
  std::string line_;
};

}  // namespace sparsesim
