#pragma once
#include <string>

namespace sparsesim {

// The running sparsesim binary, which `compare` and `sweep` start once per variant or point
// (SystemC elaborates once per process). Throws std::runtime_error if /proc/self/exe is unreadable.
std::string selfExe();

}  // namespace sparsesim
