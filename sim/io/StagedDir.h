#pragma once
// A result set written as a unit into an existing folder: every file is first written complete
// into the staging folder DIR/.partial.<pid>/, and only when all of them are written are they
// renamed into DIR. A write that fails (a full disk) leaves DIR as it was and removes the staging
// folder; so does an exception or a destruction before commit(). The renames themselves need no
// space, so a full disk cannot stop a commit half way.
#include <string>
#include <vector>

namespace sparsesim {

class StagedDir {
 public:
  explicit StagedDir(std::string dir);
  ~StagedDir();
  StagedDir(const StagedDir&) = delete;
  StagedDir& operator=(const StagedDir&) = delete;

  // Writes `name` (a file name, no folders) into the staging folder; OutputError names DIR/name.
  void write(const std::string& name, const std::string& content);
  // Renames every staged file into DIR and removes the staging folder; OutputError on failure.
  void commit();
  const std::string& dir() const { return dir_; }

 private:
  void discard() noexcept;
  std::string dir_, staging_;
  std::vector<std::string> names_;
  bool done_ = false;
};

}  // namespace sparsesim
