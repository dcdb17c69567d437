#include "sim/trace/BinaryEncoder.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace sparsesim {

namespace {
// Byte by byte, so the file is little endian whatever the host is.
template <typename T>
void put(std::vector<unsigned char>& b, T v) {
  using U = std::make_unsigned_t<T>;
  U u = static_cast<U>(v);
  for (size_t i = 0; i < sizeof(T); ++i) b.push_back(static_cast<unsigned char>((u >> (8 * i)) & 0xFF));
}
}  // namespace

BinaryEncoder::BinaryEncoder(const std::string& path) : path_(path), out_(path, std::ios::binary) {
  if (!out_) throw std::runtime_error("cannot write trace file " + path_);
  out_.write("SSTRACE1", 8);
}

void BinaryEncoder::write(const TraceRecord& r) {
  buf_.clear();
  put<uint64_t>(buf_, r.t);
  put<uint16_t>(buf_, static_cast<uint16_t>(r.event));
  put<uint16_t>(buf_, static_cast<uint16_t>(r.fields.size()));
  for (const TraceField& f : r.fields) {
    // Each field in the narrowest of 1, 2 or 4 signed bytes that holds all its values: int8
    // activations and weights then cost a byte, not four.
    int64_t lo = 0, hi = 0;
    for (int64_t v : f.values) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    if (lo < std::numeric_limits<int32_t>::min() || hi > std::numeric_limits<int32_t>::max())
      throw std::logic_error("trace value beyond int32 in the binary form");
    const uint8_t width = (lo >= -128 && hi <= 127) ? 1 : (lo >= -32768 && hi <= 32767) ? 2 : 4;
    put<uint32_t>(buf_, static_cast<uint32_t>(f.values.size()));
    put<uint8_t>(buf_, width);
    for (int64_t v : f.values) {
      if (width == 1) put<int8_t>(buf_, static_cast<int8_t>(v));
      else if (width == 2) put<int16_t>(buf_, static_cast<int16_t>(v));
      else put<int32_t>(buf_, static_cast<int32_t>(v));
    }
  }
  out_.write(reinterpret_cast<const char*>(buf_.data()), static_cast<std::streamsize>(buf_.size()));
}

void BinaryEncoder::close() {
  out_.close();
  if (!out_) throw std::runtime_error("writing trace file " + path_ + " failed");
}

}  // namespace sparsesim
