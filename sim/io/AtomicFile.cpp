#include "sim/io/AtomicFile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <unistd.h>

#include "sim/io/OutputError.h"

namespace sparsesim {

namespace fs = std::filesystem;

void createOutputDirectories(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw OutputError(dir, ec.message());
}

void copyOutputFile(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(to, ignored);
    throw OutputError(to, ec.message());
  }
}

void writeFileAtomic(const std::string& path, const std::string& content) {
  fs::path p(path);
  if (p.has_parent_path()) createOutputDirectories(p.parent_path().string());
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw OutputError(path, std::strerror(errno));
  int err = 0;
  auto note = [&](bool ok) { if (!ok && !err) err = errno ? errno : EIO; };
  note(std::fwrite(content.data(), 1, content.size(), f) == content.size());
  note(std::fflush(f) == 0);
  note(::fsync(fileno(f)) == 0);
  note(std::fclose(f) == 0);
  if (!err && std::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (err) {
    std::remove(tmp.c_str());
    throw OutputError(path, std::strerror(err));
  }
}

}  // namespace sparsesim
