#include "sim/io/InputFile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/core/ConfigError.h"

namespace sparsesim {

namespace {

std::string kindOf(mode_t m) {
  if (S_ISDIR(m)) return "a directory";
  if (S_ISFIFO(m)) return "a named pipe";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISSOCK(m)) return "a socket";
  return "not a regular file";
}

std::string mib(uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

void checkStat(const std::string& file, const struct stat& st, uint64_t maxBytes, const std::string& what) {
  if (!S_ISREG(st.st_mode)) throw ConfigError(file, "", "cannot read " + what + ": it is " + kindOf(st.st_mode) + ", not a regular file");
  if (static_cast<uint64_t>(st.st_size) > maxBytes)
    throw ConfigError(file, "", "cannot read " + what + ": it has " + std::to_string(st.st_size) + " bytes, more than the " + mib(maxBytes) +
                                    " an input " + what + " may have");
}

}  // namespace

uint64_t checkInputFile(const std::string& file, uint64_t maxBytes, const std::string& what) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) throw ConfigError(file, "", "cannot open " + what + ": " + std::strerror(errno));
  checkStat(file, st, maxBytes, what);
  return static_cast<uint64_t>(st.st_size);
}

std::string readInputFile(const std::string& file, uint64_t maxBytes, const std::string& what) {
  checkInputFile(file, maxBytes, what);
  // O_NONBLOCK: should the path have become a pipe since the check, open must not wait for a writer.
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw ConfigError(file, "", "cannot open " + what + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    throw ConfigError(file, "", "cannot read " + what + ": " + std::strerror(err));
  }
  try {
    checkStat(file, st, maxBytes, what);
  } catch (...) {
    ::close(fd);
    throw;
  }
  std::string data(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < data.size()) {
    ssize_t n = ::read(fd, &data[got], data.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  int err = errno;
  // A file that grows while it is read keeps its first st_size bytes; one that shrinks is refused.
  ::close(fd);
  if (got != data.size())
    throw ConfigError(file, "", "cannot read " + what + ": read " + std::to_string(got) + " of " + std::to_string(data.size()) + " bytes" +
                                    (err ? std::string(": ") + std::strerror(err) : std::string()));
  return data;
}

std::optional<std::string> tryReadInputFile(const std::string& file, uint64_t maxBytes) {
  try {
    return readInputFile(file, maxBytes);
  } catch (const ConfigError&) {
    return std::nullopt;
  }
}

}  // namespace sparsesim
