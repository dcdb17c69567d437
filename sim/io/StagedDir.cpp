#include "sim/io/StagedDir.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <csignal>
#include <filesystem>
#include <unistd.h>

#include "sim/io/AtomicFile.h"
#include "sim/io/OutputError.h"

namespace sparsesim {

namespace fs = std::filesystem;

StagedDir::StagedDir(std::string dir) : dir_(std::move(dir)) {
  staging_ = (fs::path(dir_) / (".partial." + std::to_string(::getpid()))).string();
  std::error_code ec;
  // Staging folders of processes that are gone (killed with SIGKILL) hold nothing anyone wants.
  for (const auto& e : fs::directory_iterator(dir_, ec)) {
    const std::string n = e.path().filename().string();
    if (n.rfind(".partial.", 0) != 0) continue;
    const long pid = std::atol(n.c_str() + 9);
    if (pid > 0 && (pid == ::getpid() || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH))) fs::remove_all(e.path(), ec);
  }
  if (!fs::create_directory(staging_, ec) && ec) throw OutputError(staging_, ec.message());
}

StagedDir::~StagedDir() {
  if (!done_) discard();
}

void StagedDir::discard() noexcept {
  std::error_code ec;
  fs::remove_all(staging_, ec);
  done_ = true;
}

void StagedDir::write(const std::string& name, const std::string& content) {
  try {
    writeFileAtomic((fs::path(staging_) / name).string(), content);
  } catch (const OutputError& e) {
    discard();
    // The user asked for DIR/name; the staging folder is an implementation detail.
    throw OutputError((fs::path(dir_) / name).string(), e.why());
  }
  names_.push_back(name);
}

void StagedDir::commit() {
  for (const auto& n : names_) {
    const std::string to = (fs::path(dir_) / n).string();
    if (std::rename((fs::path(staging_) / n).c_str(), to.c_str()) != 0) {
      int err = errno;
      discard();
      throw OutputError(to, std::strerror(err));
    }
  }
  discard();
}

}  // namespace sparsesim
