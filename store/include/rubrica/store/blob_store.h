// Content-addressed blob store: immutable byte strings named by their SHA-256, kept as
// files under <data>/blobs/sha256/ab/cd/<64 hex>.
//
// Writes are atomic (temp file in the same directory, fsync, rename, fsync dir): after a
// crash a blob is either wholly present or absent. Every read re-hashes the content; a
// mismatch is reported as store.blob_corrupt (kDataLoss) and the bytes are never returned.
// Thread-safe; safe across processes (identical content, identical name).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "rubrica/base/status.h"

namespace rubrica::store {

struct BlobStoreOptions {
  /// Largest blob accepted by Put and Get. Default 256 MiB.
  uint64_t max_blob_bytes = 256ull << 20;
  /// Test hook passed to the atomic writer (called before the rename). Default none.
  std::function<void(const std::string& temp_path)> before_rename;
};

class BlobStore {
 public:
  /// A store rooted at `root` (created when missing). Stale temp files left by a crash are
  /// removed.
  static Result<BlobStore> Open(const std::string& root, BlobStoreOptions options = {});

  /// Stores `data`; returns its id (64 lower-case hex, the SHA-256). Idempotent.
  Result<std::string> Put(std::string_view data) const;
  /// Returns the bytes of blob `id`: kNotFound when absent (store.blob_not_found),
  /// kDataLoss when the content does not hash to `id` (store.blob_corrupt).
  Result<std::string> Get(std::string_view id) const;
  /// True when a file for `id` exists (its content is not checked).
  bool Contains(std::string_view id) const;
  /// Path of the file that holds blob `id` (for tests and operators).
  std::string PathFor(std::string_view id) const;

 private:
  BlobStore(std::string root, BlobStoreOptions options)
      : root_(std::move(root)), options_(std::move(options)) {}
  std::string root_;
  BlobStoreOptions options_;
};

/// True when `id` is 64 lower-case hex characters.
bool IsBlobId(std::string_view id);

}  // namespace rubrica::store
