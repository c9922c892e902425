// The container of a backup: a POSIX ustar archive (readable by any `tar`, decades from
// now, without this program), written and read strictly, with the SHA-256 of every entry
// computed as it passes.
//
// Only regular files are written or accepted, each named by a relative path of at most 100
// bytes (no "..", no empty or "." component, no leading "/"); sizes up to 8 GiB - 1 (the
// 11 octal digits of ustar). The writer streams each entry to a temporary sibling of the
// destination (mode 0600); Commit() writes the two end-of-archive blocks, fsyncs, renames
// it over the destination and fsyncs the directory, so a reader sees the whole archive or
// nothing. Destroying an uncommitted writer removes the temporary file.
//
// The reader refuses anything it did not expect (backup.bad_archive, kDataLoss, naming the
// entry and the byte offset): a header whose checksum does not add up, a non-regular entry,
// an unsafe or repeated name, padding or end blocks that are not zero, a truncated file.
// It does not know the manifest: checking entries against it is the caller's job.
//
// Not thread-safe: one writer or reader per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"

namespace rubrica::store {

struct ArchiveEntry {
  std::string name;
  uint64_t size = 0;
  std::string sha256_hex;
};

class ArchiveWriter {
 public:
  /// Opens a temporary file beside `path`. `mtime` (seconds since the epoch) is stamped on
  /// every entry.
  static Result<ArchiveWriter> Create(const std::string& path, int64_t mtime);
  ArchiveWriter(ArchiveWriter&&) noexcept;
  ArchiveWriter& operator=(ArchiveWriter&&) = delete;
  ~ArchiveWriter();

  /// Appends an entry holding `data`.
  Status Add(const std::string& name, std::string_view data);
  /// Appends an entry holding the content of the file at `source_path`, read in pieces.
  Status AddFile(const std::string& name, const std::string& source_path);
  /// The entries written so far, in order.
  const std::vector<ArchiveEntry>& entries() const;
  /// Finishes the archive and moves it into place (see above). The writer is spent.
  Status Commit();

  struct Impl;

 private:
  explicit ArchiveWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// What ReadArchive calls for each entry, in archive order: `begin` with the name and size,
/// `data` with its bytes in pieces, `end` with the complete entry (its SHA-256). A callback
/// returning an error stops the reading with that error.
struct ArchiveVisitor {
  std::function<Status(const std::string& name, uint64_t size)> begin;
  std::function<Status(std::string_view piece)> data;
  std::function<Status(const ArchiveEntry& entry)> end;
};

/// Reads the archive at `path` from start to end. Errors: backup.bad_archive (see above),
/// I/O errors from base, or the visitor's.
Status ReadArchive(const std::string& path, const ArchiveVisitor& visitor);

/// True when `name` is a name the writer and reader accept (see above).
bool IsSafeArchiveName(std::string_view name);

}  // namespace rubrica::store
