// Loads one .npy file with sparsesim's weights loader and prints what it read, for
// npy_numpy_test.py to compare with numpy's own reader:
//   ok <shape, comma-separated> <data as hex, C order>   (exit 0)
//   refused <reason>                                       (exit 2)
#include <systemc>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "sim/core/ConfigError.h"
#include "sim/io/NpyIo.h"

// sparsesim_core links SystemC, whose library holds main(): this is its sc_main, kept silent.
static const bool kQuiet = [] { return ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0) == 0; }();

int sc_main(int argc, char* argv[]) {
  if (argc != 2) {
    std::cerr << "usage: npy_check FILE.npy\n";
    return 1;
  }
  try {
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
