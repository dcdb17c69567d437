#include "sim/io/NpyIo.h"

#include <cstring>

#include <xtensor/xadapt.hpp>
#include <xtensor/xnpy.hpp>

#include "sim/core/ConfigError.h"
#include "sim/core/CheckedSize.h"
#include "sim/io/AtomicFile.h"
#include "sim/io/InputFile.h"
#include "sim/io/NpyHeader.h"

namespace sparsesim {

namespace {
// Every spelling numpy reads as little-endian float32 (this machine's order; ">f4" is refused):
// "float32", "single", and "f4" or "f" with no order mark or with '<', '=' or '|'.
bool isFloat32Descr(const std::string& d) {
  if (d == "float32" || d == "single") return true;
  const std::string rest = (!d.empty() && (d[0] == '|' || d[0] == '<' || d[0] == '=')) ? d.substr(1) : d;
  return rest == "f4" || rest == "f";
}

// Reads an .npy of element type T (int8 or float32), checking dtype, size and order.
template <class T>
Tensor<T> loadNpyAs(const std::string& file, const std::string& jsonPath, bool (*dtypeOk)(const std::string&), const std::string& want,
                    NpyHeader* headerOut = nullptr) {
  const std::string namedBy = jsonPath.empty() ? "" : " (named by " + jsonPath + ")";
  auto fail = [&](const std::string& why) { return ConfigError(file, "", why + namedBy); };
  std::string bytes;
  try {
    bytes = readInputFile(file, kMaxNpyFileBytes, ".npy file");
  } catch (const ConfigError& e) {
    throw fail(e.reason());
  }
  NpyHeader h;
  try {
    h = parseNpyHeader(bytes);
  } catch (const NpyFormatError& e) {
    throw fail(e.what());
  }
  if (headerOut) *headerOut = h;
  if (!dtypeOk(h.descr)) {
    // The file's shape too: the message then holds both the file's and the expected one.
    std::string shape;
    for (uint64_t d : h.shape) shape += (shape.empty() ? "" : ", ") + std::to_string(d);
    throw fail("dtype is \"" + h.descr + "\", shape (" + shape + (h.shape.size() == 1 ? ",)" : ")") + "; " + want);
  }
  uint64_t count = 1;
  for (uint64_t d : h.shape) {
    auto c = checkedMul(count, d);
    if (!c) throw fail("shape is absurdly large: its element count does not fit in 64 bits");
    count = *c;
  }
  if (count > kMaxNpyFileBytes / sizeof(T)) throw fail("shape is absurdly large: " + std::to_string(count) + " elements");
  const uint64_t have = bytes.size() - h.data_offset;
  // numpy ignores bytes after the data; here they mean the header does not describe the file.
  if (have != count * sizeof(T))
    throw fail("holds " + std::to_string(have) + " data bytes but its header promises " + std::to_string(count * sizeof(T)) +
               " (truncated or padded file)");
  Tensor<T> t;
  for (uint64_t d : h.shape) t.shape.push_back(static_cast<int64_t>(d));
  t.data.resize(count);
  std::vector<T> src(count);
  // A zero-element array has no data to copy (and memcpy must not see the null data() of an empty vector).
  if (count > 0) std::memcpy(src.data(), bytes.data() + h.data_offset, count * sizeof(T));
  if (!h.fortran_order || h.shape.size() < 2) {
    t.data = std::move(src);
    return t;
  }
  // Fortran order: the first index varies fastest. Walk the C-order index and its Fortran offset.
  const size_t rank = h.shape.size();
  std::vector<uint64_t> stride(rank, 1), idx(rank, 0);
  for (size_t k = 1; k < rank; ++k) stride[k] = stride[k - 1] * h.shape[k - 1];
  uint64_t off = 0;
  for (uint64_t i = 0; i < count; ++i) {
    t.data[i] = src[off];
    for (size_t k = rank; k-- > 0;) {
      if (++idx[k] < h.shape[k]) { off += stride[k]; break; }
      off -= stride[k] * (h.shape[k] - 1);
      idx[k] = 0;
    }
  }
  return t;
}
}  // namespace

Int8Tensor loadInt8Npy(const std::string& file, const std::string& jsonPath) {
  return loadNpyAs<int8_t>(file, jsonPath, isInt8Descr, "weights must be int8 (|i1)");
}

Int8Tensor loadInt8Npy(const std::string& file, const std::string& jsonPath, const std::string& dtypeRule) {
  return loadNpyAs<int8_t>(file, jsonPath, isInt8Descr, dtypeRule);
}

std::variant<Int8Tensor, FloatTensor> loadInt8OrFloat32Npy(const std::string& file, const std::string& jsonPath) {
  auto either = [](const std::string& d) { return isInt8Descr(d) || isFloat32Descr(d); };
  NpyHeader h;
  // The int8 read stops at the dtype check for a float32 file; the header says which it is.
  try {
    return loadNpyAs<int8_t>(file, jsonPath, isInt8Descr, "expected int8 (|i1) or float32 (<f4)", &h);
  } catch (const ConfigError&) {
    if (!either(h.descr) || isInt8Descr(h.descr)) throw;
  }
  return loadNpyAs<float>(file, jsonPath, isFloat32Descr, "expected int8 (|i1) or float32 (<f4)");
}

template <class T>
static void writeAny(const std::string& file, const Tensor<T>& t) {
  std::vector<std::size_t> shape(t.shape.begin(), t.shape.end());
  auto view = xt::adapt(t.data.data(), t.data.size(), xt::no_ownership(), shape);
  writeFileAtomic(file, xt::dump_npy(view));
}

void writeNpyAtomic(const std::string& file, const Int8Tensor& t) { writeAny(file, t); }
void writeNpyAtomic(const std::string& file, const Int32Tensor& t) { writeAny(file, t); }

}  // namespace sparsesim
