#include "sim/io/RegularFile.h"

#include <filesystem>

#include "sim/core/ConfigError.h"

namespace sparsesim {

void requireRegularFile(const std::string& file, const std::string& jsonPath) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(file, ec);  // follows symbolic links: the target counts
  if (ec || !fs::exists(st)) return;  // the reader's own "cannot open" names a missing file
  std::string why;
  if (fs::is_directory(st)) why = "is a directory, not a file";
  else if (!fs::is_regular_file(st)) why = "is not a regular file (a FIFO, device or socket)";
  if (!why.empty()) throw ConfigError(file, "", why + (jsonPath.empty() ? "" : " (named by " + jsonPath + ")"));
}

}  // namespace sparsesim
