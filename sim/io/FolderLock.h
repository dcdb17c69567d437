#pragma once
// An advisory lock (flock) on a folder, held by a lock file inside it for the life of the object.
// The holder writes its pid into its lock file, so a process that cannot take the lock can say
// who has it. Locks are released by the kernel when the process ends, however it ends.
#include <string>

namespace sparsesim {

class FolderLock {
 public:
  enum class Mode { Exclusive, Shared };
  // Takes the lock on DIR/<name> without waiting; returns false (and `holders` the pids, from
  // every DIR/.sparsesim-lock* file, of live processes) when another process holds it.
  bool tryLock(const std::string& dir, const std::string& name, Mode mode, std::string& holders);
  ~FolderLock();
  FolderLock() = default;
  // In a child forked without exec (a sweep's point run in a copy of the sweep process): closes
  // the child's copies of every held lock's file, so that a point outliving its sweep does not keep
  // the folder locked. The parent's locks are unaffected (flock belongs to the parent's open file).
  static void closeInForkedChild();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace sparsesim
