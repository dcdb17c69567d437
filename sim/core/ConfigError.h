#pragma once
#include <stdexcept>
#include <string>

namespace sparsesim {

// A problem with the user's input. Carries the file, the JSON path and the reason so the CLI
// can print one precise line and exit 2 before anything is written.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string file, std::string path, std::string reason)
      : std::runtime_error(format(file, path, reason)),
        file_(std::move(file)), path_(std::move(path)), reason_(std::move(reason)) {}
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  const std::string& reason() const { return reason_; }

 private:
  static std::string format(const std::string& f, const std::string& p, const std::string& r) {
    std::string s = f.empty() ? std::string("command line") : f;
    if (!p.empty()) s += ": " + p;
    return s + ": " + r;
  }
  std::string file_, path_, reason_;
};

}  // namespace sparsesim
