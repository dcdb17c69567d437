// Loads one .npy file with sparsesim's weights loader and prints what it read, for
// npy_numpy_test.py to compare with numpy's own reader:
//   ok <shape, comma-separated> <data as hex, C order>   (exit 0)
//   refused <reason>                                       (exit 2)
// With --weights, through the weights loader (int8 or float32):
//   ok int8|float32 <shape> <data as hex, C order, float32 little-endian>
#include <systemc>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <variant>

#include "sim/core/ConfigError.h"
#include "sim/io/NpyIo.h"

// sparsesim_core links SystemC, whose library holds main(): this is its sc_main, kept silent.
static const bool kQuiet = [] { return ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0) == 0; }();

int sc_main(int argc, char* argv[]) {
  const bool weights = argc == 3 && std::string(argv[1]) == "--weights";
  if (argc != 2 && !weights) {
    std::cerr << "usage: npy_check [--weights] FILE.npy\n";
    return 1;
  }
  auto hex = [](const void* p, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      char b[3];
      std::snprintf(b, sizeof b, "%02x", static_cast<unsigned>(static_cast<const uint8_t*>(p)[i]));
      std::cout << b;
    }
  };
  auto dims = [](const std::vector<int64_t>& shape) {
    for (size_t i = 0; i < shape.size(); ++i) std::cout << (i ? "," : "") << shape[i];
  };
  try {
    if (weights) {
      auto v = sparsesim::loadInt8OrFloat32Npy(argv[2], "");
      if (auto* t = std::get_if<sparsesim::Int8Tensor>(&v)) {
        std::cout << "ok int8 ";
        dims(t->shape);
        std::cout << " ";
        hex(t->data.data(), t->data.size());
      } else {
        const auto& f = std::get<sparsesim::FloatTensor>(v);
        std::cout << "ok float32 ";
        dims(f.shape);
        std::cout << " ";
        hex(f.data.data(), f.data.size() * sizeof(float));
      }
      std::cout << "\n";
      return 0;
    }
    sparsesim::Int8Tensor t = sparsesim::loadInt8Npy(argv[1], "");
    std::cout << "ok ";
    for (size_t i = 0; i < t.shape.size(); ++i) std::cout << (i ? "," : "") << t.shape[i];
    std::cout << " ";
    for (int8_t v : t.data) {
      char b[3];
      std::snprintf(b, sizeof b, "%02x", static_cast<unsigned>(static_cast<uint8_t>(v)));
      std::cout << b;
    }
    std::cout << "\n";
    return 0;
  } catch (const sparsesim::ConfigError& e) {
    std::cout << "refused " << e.reason() << "\n";
    return 2;
  }
}
