#include "sim/io/NpyIo.h"

#include <xtensor/xadapt.hpp>
#include <xtensor/xnpy.hpp>

#include <fstream>

#include "sim/config/ConfigError.h"
#include "sim/io/AtomicFile.h"
#include "sim/io/RegularFile.h"

namespace sparsesim {

Int8Tensor loadInt8Npy(const std::string& file, const std::string& jsonPath) {
  auto fail = [&](const std::string& why) -> ConfigError {
    return ConfigError(file, "", why + (jsonPath.empty() ? "" : " (named by " + jsonPath + ")"));
  };
  requireRegularFile(file, jsonPath);
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in) throw fail("cannot open .npy file");
  const std::streamoff fileSize = in.tellg();
  in.seekg(0);
  {
    // The header-length field is checked against the file size before xtensor allocates it.
    unsigned char pre[12] = {};
    in.read(reinterpret_cast<char*>(pre), sizeof pre);
    std::streamoff got = in.gcount();
    if (got < 10) throw fail("not a valid .npy file: only " + std::to_string(got) + " bytes");
    if (std::string(reinterpret_cast<char*>(pre), 6) != "\x93NUMPY") throw fail("not a valid .npy file: no .npy magic string");
    unsigned long long hlen = 0, hstart = 0;
    if (pre[6] == 1) { hlen = pre[8] | (pre[9] << 8); hstart = 10; }
    else if (pre[6] >= 2 && got >= 12) { hlen = pre[8] | (pre[9] << 8) | (static_cast<unsigned long long>(pre[10]) << 16) | (static_cast<unsigned long long>(pre[11]) << 24); hstart = 12; }
    if (hstart && hstart + hlen > static_cast<unsigned long long>(fileSize))
      throw fail("not a valid .npy file: its header claims " + std::to_string(hlen) + " bytes but the file has " + std::to_string(fileSize));
    in.clear();
    in.seekg(0);
  }
  std::string header;
  std::string typestr;
  bool fortran = false;
  std::vector<std::size_t> shape;
  try {
    unsigned char major = 0, minor = 0;
    xt::detail::read_magic(in, &major, &minor);
    if (major == 1 && minor == 0) header = xt::detail::read_header_1_0(in);
    else if (major == 2 && minor == 0) header = xt::detail::read_header_2_0(in);
    else throw fail("unsupported .npy version " + std::to_string(major) + "." + std::to_string(minor));
    xt::detail::parse_header(header, typestr, &fortran, shape);
  } catch (const ConfigError&) {
    throw;
  } catch (const std::exception& e) {
    throw fail(std::string("not a valid .npy file: ") + e.what());
  }
  if (!in) throw fail("truncated .npy header");
  if (typestr != "|i1" && typestr != "<i1" && typestr != "i1")
    throw fail("dtype is \"" + typestr + "\"; weights must be int8 (|i1)");
  if (fortran) throw fail("Fortran-ordered arrays are not supported; save with numpy's default C order");
  unsigned long long count = 1;
  for (auto d : shape) {
    if (d != 0 && count > (1ull << 40) / d) throw fail("shape is absurdly large");
    count *= d;
  }
  const std::streamoff dataStart = in.tellg();
  if (static_cast<unsigned long long>(fileSize - dataStart) != count)
    throw fail("holds " + std::to_string(fileSize - dataStart) + " data bytes but its header promises " + std::to_string(count) + " (truncated or padded file)");
  Int8Tensor t;
  for (auto d : shape) t.shape.push_back(static_cast<int64_t>(d));
  t.data.resize(count);
  in.read(reinterpret_cast<char*>(t.data.data()), static_cast<std::streamsize>(count));
  if (!in) throw fail("read error");
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
