#include "sim/io/NpyIo.h"

#include <xtensor/xadapt.hpp>
#include <xtensor/xnpy.hpp>

#include "sim/core/ConfigError.h"
#include "sim/core/CheckedSize.h"
#include "sim/io/AtomicFile.h"
#include "sim/io/InputFile.h"
#include "sim/io/NpyHeader.h"

namespace sparsesim {

Int8Tensor loadInt8Npy(const std::string& file, const std::string& jsonPath) {
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
  if (!isInt8Descr(h.descr)) throw fail("dtype is \"" + h.descr + "\"; weights must be int8 (|i1)");
  uint64_t count = 1;
  for (uint64_t d : h.shape) {
    auto c = checkedMul(count, d);
    if (!c) throw fail("shape is absurdly large: its element count does not fit in 64 bits");
    count = *c;
  }
  if (count > kMaxNpyFileBytes) throw fail("shape is absurdly large: " + std::to_string(count) + " elements");
  const uint64_t have = bytes.size() - h.data_offset;
  // numpy ignores bytes after the data; here they mean the header does not describe the file.
  if (have != count)
    throw fail("holds " + std::to_string(have) + " data bytes but its header promises " + std::to_string(count) + " (truncated or padded file)");
  Int8Tensor t;
  for (uint64_t d : h.shape) t.shape.push_back(static_cast<int64_t>(d));
  t.data.resize(count);
  const int8_t* src = reinterpret_cast<const int8_t*>(bytes.data() + h.data_offset);
  if (!h.fortran_order || h.shape.size() < 2) {
    std::copy(src, src + count, t.data.begin());
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

template <class T>
static void writeAny(const std::string& file, const Tensor<T>& t) {
  std::vector<std::size_t> shape(t.shape.begin(), t.shape.end());
  auto view = xt::adapt(t.data.data(), t.data.size(), xt::no_ownership(), shape);
  writeFileAtomic(file, xt::dump_npy(view));
}

void writeNpyAtomic(const std::string& file, const Int8Tensor& t) { writeAny(file, t); }
void writeNpyAtomic(const std::string& file, const Int32Tensor& t) { writeAny(file, t); }

}  // namespace sparsesim
