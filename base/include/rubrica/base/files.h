// File helpers with the durability the archive needs. Errors carry the path and errno text.
// Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"

namespace rubrica {

struct AtomicWriteOptions {
  /// Permission bits of the new file. Default 0600: what Rúbrica writes is the
  /// installation's own (docs/operations.md, "Secrets at rest").
  unsigned mode = 0600;
  /// Test hook, called after the temp file is written and fsynced, before the rename.
  /// A test may _exit() here to simulate a crash. Default: none.
  std::function<void(const std::string& temp_path)> before_rename;
};

/// Writes `data` to `path` so that readers see either the old file or the whole new one:
/// write a temp file in the same directory, fsync it, rename over `path`, fsync the directory.
/// On failure the temp file is removed and `path` is untouched. Disk full gives
/// base.disk_full (kIoError).
Status WriteFileAtomic(const std::string& path, std::string_view data,
                       const AtomicWriteOptions& options = {});

/// Reads a whole file. Fails with kNotFound when missing, kTooLarge past `max_bytes`.
Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes = 1ull << 30);

/// mkdir -p with `mode` for the directories it creates (default 0700).
Status MakeDirs(const std::string& path, unsigned mode = 0700);

/// True when `path` exists (any type).
bool PathExists(const std::string& path);

/// Checks that `dir` exists (creating it, 0700, when missing) and that a file can be created
/// in it.
Status CheckWritableDir(const std::string& dir);

/// base.dir_not_private (kInvalidArgument) when `dir` grants any permission to its group or
/// to others (mode & 077), naming the mode and the chmod that fixes it.
Status RequirePrivateDirectory(const std::string& dir);

/// Removes every group and other permission bit from `root` and everything under it
/// (lstat: symbolic links are neither followed nor changed). Entries the process does not
/// own are left alone. Returns the number of entries changed.
Result<int> MakePrivateTree(const std::string& root);

/// Regular files under `dir`, recursively, as paths. Missing dir gives an empty list.
std::vector<std::string> ListFilesRecursive(const std::string& dir);

/// An error Status for a failed system call on `path`, from errno.
Status ErrnoStatus(std::string_view what, const std::string& path, int err);

}  // namespace rubrica
