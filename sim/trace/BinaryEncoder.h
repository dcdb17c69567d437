#pragma once
// <block>.bin: "SSTRACE1", then per record u64 t | u16 event | u16 field count | per field u32 n,
// u8 w (1, 2 or 4), n signed little-endian values of w bytes (docs/traces.md). Smaller than
// the JSON lines and read without parsing, for traces of more than a few thousand cycles.
#include <fstream>
#include <string>
#include <vector>

#include "sim/trace/TraceRecord.h"

namespace sparsesim {

class BinaryEncoder : public TraceEncoder {
 public:
  explicit BinaryEncoder(const std::string& path);
  void write(const TraceRecord& r) override;
  void close() override;

 private:
  std::string path_;
  std::ofstream out_;
  std::vector<unsigned char> buf_;
};

}  // namespace sparsesim
