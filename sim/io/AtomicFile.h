#pragma once
#include <string>

namespace sparsesim {

// Writes the whole content to a temporary file beside `path`, flushes it, then renames it over
// `path`: a reader (or an interrupted run) sees the old file or the new one, never half of one.
void writeFileAtomic(const std::string& path, const std::string& content);

}  // namespace sparsesim
