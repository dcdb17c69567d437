#pragma once
// The header of a .npy file, parsed as strictly as numpy's own reader (numpy/lib/format.py):
// format versions 1.0, 2.0 and 3.0, an unsigned little-endian header length, a header of at most
// 10000 bytes (numpy's max_header_size), and a Python dict literal with exactly the keys
// 'descr', 'fortran_order' (True/False) and 'shape' (a tuple of integers). Unlike numpy, a
// negative dimension is refused (numpy reads a negative element count as "whatever data follows").
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace sparsesim {

struct NpyHeader {
  int major = 0, minor = 0;
  std::string descr;        // as written, e.g. "|i1"
  bool fortran_order = false;
  std::vector<uint64_t> shape;
  uint64_t data_offset = 0;  // bytes before the array data
};

// Thrown with the reason a header is not a valid .npy header.
class NpyFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// numpy's limit on the header text it reads by default.
constexpr uint64_t kMaxNpyHeaderBytes = 10000;

// `bytes`: the start of the file (at least the whole header; the rest is ignored).
NpyHeader parseNpyHeader(const std::string& bytes);
// True for the descr strings numpy reads as int8 ("|i1", "<i1", "i1", "b", "int8", ...).
bool isInt8Descr(const std::string& descr);

}  // namespace sparsesim
