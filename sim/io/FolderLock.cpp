#include "sim/io/FolderLock.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <set>
#include <sys/file.h>
#include <unistd.h>

#include "sim/io/InputFile.h"
#include "sim/io/OutputError.h"

namespace sparsesim {

namespace fs = std::filesystem;

namespace {

// The descriptors of the locks this process holds (few: a sweep holds its folder's and a shard's).
std::set<int>& heldFds() {
  static std::set<int> fds;
  return fds;
}

std::string livePids(const std::string& dir) {
  std::set<long> pids;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().filename().string().rfind(".sparsesim-lock", 0) != 0) continue;
    auto text = tryReadInputFile(e.path().string(), 64);
    if (!text) continue;
    long pid = std::atol(text->c_str());
    if (pid > 0 && pid != ::getpid() && ::kill(static_cast<pid_t>(pid), 0) == 0) pids.insert(pid);
  }
  std::string s;
  for (long p : pids) s += (s.empty() ? "" : ", ") + std::to_string(p);
  return s.empty() ? std::string("unknown") : s;
}

}  // namespace

bool FolderLock::tryLock(const std::string& dir, const std::string& name, Mode mode, std::string& holders) {
  const std::string file = (fs::path(dir) / name).string();
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw OutputError(file, std::strerror(errno));
  if (::flock(fd_, (mode == Mode::Exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd_);
    fd_ = -1;
    if (err != EWOULDBLOCK) throw OutputError(file, std::strerror(err));
    holders = livePids(dir);
    return false;
  }
  heldFds().insert(fd_);
  if (mode == Mode::Exclusive) {
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size()))
      throw OutputError(file, std::strerror(errno));
  }
  return true;
}

FolderLock::~FolderLock() {
  if (fd_ < 0) return;
  heldFds().erase(fd_);
  ::close(fd_);
}

void FolderLock::closeInForkedChild() {
  for (int fd : heldFds()) ::close(fd);
  heldFds().clear();
}

}  // namespace sparsesim
