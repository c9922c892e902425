// Consistent copies of a live database, for backups: SQLite's online backup API, the
// integrity check, and the blobs a database names.
//
// These open their own short-lived SQLite connections, so they work from another process
// while the service writes (the database is in WAL mode: a reader never blocks writers).
// Thread-safe (no shared state).
#pragma once

#include <string>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/store/blob_store.h"

namespace rubrica::store {

/// Copies the database at `source_path` into the new file `dest_path` (mode 0600) as one
/// snapshot: every page as of one read transaction, whatever other connections commit
/// meanwhile. `dest_path` must not exist. Errors: store.sqlite and the like
/// (database.h), kNotFound (base.not_found) when the source does not exist.
Status SnapshotDatabase(const std::string& source_path, const std::string& dest_path);

/// Runs SQLite's integrity check on the database file at `path` (opened read-only).
/// store.corrupt (kDataLoss) with SQLite's first complaint when it fails.
Status CheckDatabaseIntegrity(const std::string& path);

/// The blobs the database at `path` names: every run of exactly 64 lower-case hex
/// characters in any text value of any table (a column of its own, or inside JSON text)
/// for which `blobs` holds a file, sorted, without repetition. Other 64-hex values (audit
/// hashes) hold no blob and are left out. Generic on purpose: a table added by a later
/// migration is covered without naming it here.
Result<std::vector<std::string>> ReferencedBlobIds(const std::string& path, const BlobStore& blobs);

}  // namespace rubrica::store
