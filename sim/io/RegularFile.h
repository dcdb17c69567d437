#pragma once
#include <string>

namespace sparsesim {

// A path a config file names as an input (a weights .npy, a table) must be a regular file: not
// a directory, FIFO, device or socket, which could block a run or feed it endless data. Throws
// ConfigError(file, "", reason + " (named by <jsonPath>)") for those; a missing file is left to
// the reader, whose message says it cannot open it.
void requireRegularFile(const std::string& file, const std::string& jsonPath);

}  // namespace sparsesim
