#include "sim/cli/SelfExe.h"

#include <filesystem>
#include <stdexcept>

namespace sparsesim {

std::string selfExe() {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("cannot locate the sparsesim executable: " + ec.message());
  return p.string();
}

}  // namespace sparsesim
