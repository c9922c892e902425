// One process at a time on a directory: an exclusive, advisory lock (flock) on a lock file
// inside it, held for the life of the DirectoryLock.
//
// The lock file (mode 0600) holds the holder's pid and what it runs ("rubrica serve"), so a
// second process can say who is in the way. The kernel releases the lock when the holder
// exits, however it exits: a crash never leaves the directory locked. The descriptor is
// close-on-exec, so child processes (the verification sandbox) never hold it.
//
// flock locks belong to an open file description: a second Acquire on the same directory
// in the same process fails as well. Thread-compatible.
#pragma once

#include <memory>
#include <string>

#include "rubrica/base/status.h"

namespace rubrica {

class DirectoryLock {
 public:
  /// Locks `dir` (which must exist) through `dir`/`file_name`, recording `holder` (one
  /// line, e.g. "rubrica serve") and this process's pid. Never waits: when another holds
  /// it, fails with base.dir_locked (kInvalidArgument, so a CLI exits 2) whose message
  /// names the holder's pid and what it runs.
  static Result<DirectoryLock> Acquire(const std::string& dir, const std::string& holder,
                                       const std::string& file_name = "rubrica.lock");

  DirectoryLock(DirectoryLock&&) noexcept;
  DirectoryLock& operator=(DirectoryLock&&) noexcept;
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;
  /// Releases the lock.
  ~DirectoryLock();

  const std::string& path() const { return path_; }

 private:
  DirectoryLock(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_ = -1;
};

}  // namespace rubrica
