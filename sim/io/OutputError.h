#pragma once
// An output that cannot be written (a full disk, a read-only folder, a quota): exit code 4,
// "cannot write output: <path>: <errno text>" (docs/errors.md). Not an input error, not a bug.
#include <stdexcept>
#include <string>

namespace sparsesim {

class OutputError : public std::runtime_error {
 public:
  OutputError(const std::string& path, const std::string& why)
      : std::runtime_error("cannot write output: " + path + ": " + why), path_(path), why_(why) {}
  const std::string& path() const { return path_; }
  const std::string& why() const { return why_; }

 private:
  std::string path_, why_;
};

}  // namespace sparsesim
