#pragma once
#include <string>

namespace sparsesim {

// Writes the whole content to a temporary file beside `path`, flushes it, then renames it over
// `path`: a reader (or an interrupted run) sees the old file or the new one, never half of one.
// Failure (the temporary removed) throws OutputError naming the path and the errno text.
void writeFileAtomic(const std::string& path, const std::string& content);
// std::filesystem operations on outputs, failing with OutputError instead of filesystem_error.
void createOutputDirectories(const std::string& dir);
void copyOutputFile(const std::string& from, const std::string& to);

}  // namespace sparsesim
