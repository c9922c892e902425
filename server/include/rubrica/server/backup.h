// Backup and restore of a data directory (docs/operations.md, "Backup and restore").
//
// A backup is one ustar archive (store/backup_archive.h) holding, as of one instant:
//   rubrica.db                  a snapshot made with SQLite's online backup API (the
//                               service may keep writing meanwhile)
//   blobs/sha256/ab/cd/<id>     every blob the snapshot names (re-hashed as it is read)
//   trust/...                   the trust anchors and CRLs
//   rubrica.conf                the configuration file, when there is one
//   secrets/master.key          the master secret, only when asked for
//   MANIFEST                    last: format, time, version, the audit chain's entry count
//                               and head hash, then "entry <sha256> <size> <name>" per entry,
//                               and "manifest-sha256 <hex>" of every line above it
//
// Restore never writes into a non-empty directory: it unpacks into a private sibling of
// the target, checks every entry against the manifest (naming every damaged one), the
// database's integrity, the audit chain against the head in the manifest, and every acta's
// current and archived PDF with the sandboxed verifier; only then is the sibling renamed
// to the target. On any failure the sibling is removed: nothing is left behind.
//
// A backup set (`to` a directory): the blobs are kept once, by their hash, in the set's own
// `blobs/sha256/ab/cd/<id>` (a blob already there is not written again), and so is the
// database snapshot (up to 256 MiB); each backup is a small archive `rubrica-<UTC time>.tar`
// in the set holding everything else (trust, configuration, secret) and a MANIFEST of
// format 2, which names each blob it needs, and the snapshot, on a line "blob <sha256>
// <size> <name>". A second backup of an unchanged installation writes only that archive. Restoring such an archive reads the blobs from the
// `blobs/` beside it, each checked against the manifest (a missing or damaged one is named).
//
// The hashes detect damage, not a forger who rewrites the manifest too: the audit head,
// kept outside (`rubrica audit verify --head`), is what ties a backup to its installation.
// Neither holds the instance lock yet (issue of helper "security"): restore writes only a
// new directory; backup only reads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/server/verify_worker.h"

namespace rubrica::server {

struct BackupOptions {
  std::string data_dir;
  /// The archive to write (replaced atomically when it exists); or, when it is an existing
  /// directory or ends in '/', the backup set to add a backup to (see above).
  std::string to;
  /// Put the master secret in the backup. Default false: it should live elsewhere.
  bool include_master_secret = false;
  /// Where the master secret is read from. Empty: <data_dir>/secrets/master.key.
  std::string master_key_file;
};

struct BackupSummary {
  std::string archive;  // the archive written (in a set: the new rubrica-<time>.tar)
  int entries = 0;
  int blobs = 0;
  uint64_t bytes = 0;  // sum of entry sizes, blobs kept in a set included
  int blobs_added = 0;          // in a set: blobs it did not hold yet
  uint64_t bytes_written = 0;   // the archive's size plus the blobs added to a set
  int64_t audit_entries = 0;
  std::string audit_head;  // hex; empty for an empty log
  bool audit_ok = true;    // false: the chain is broken (the backup is written all the same)
};

/// Errors: base/store I/O errors, store.blob_corrupt for a damaged blob in the live store.
Result<BackupSummary> CreateBackup(const BackupOptions& options, const Clock& clock);

/// True when `to` names a backup set rather than an archive (see BackupOptions::to).
bool IsBackupSet(const std::string& to);

struct PruneSummary {
  int archives_kept = 0;
  int archives_removed = 0;
  int blobs_removed = 0;
};

/// Keeps the newest `keep` (>= 1) backups of the set at `set_dir` (by name: rubrica-<UTC
/// time>.tar), removes the older ones, then every blob of the set that no kept backup's
/// MANIFEST names. Holds the set's lock (base.dir_locked while a backup is being written
/// into it). A kept backup whose MANIFEST cannot be read stops it before any blob is
/// removed (backup.bad_archive / backup.bad_manifest).
Result<PruneSummary> PruneBackupSet(const std::string& set_dir, int keep);

struct RestoreOptions {
  std::string archive;
  /// The new data directory: must not exist, or be empty.
  std::string data_dir;
  /// The executable that verifies actas in a sandbox (VerifySandboxOptions::worker_binary).
  /// Default: `rubrica-verify-worker` beside this executable, else this executable.
  std::string verify_worker_binary = DefaultVerifyWorkerBinary();
};

struct RestoreSummary {
  int entries = 0;
  int blobs = 0;
  int64_t audit_entries = 0;
  std::string audit_head;
  int actas_verified = 0;  // PDFs (current and archived) the verifier accepted
  bool master_secret_restored = false;
};

/// Errors (nothing is left in `data_dir`):
///   backup.target_not_empty (kConflict)  the directory exists and holds something
///   backup.bad_archive (kDataLoss)       not a well-formed archive (store/backup_archive.h)
///   backup.damaged (kDataLoss)           entries whose bytes do not match the manifest,
///                                        missing or unlisted, all named in the message
///                                        (in a set: blobs missing from or damaged in its
///                                        blobs/ too)
///   backup.bad_manifest (kDataLoss)      a missing or damaged manifest
///   store.corrupt (kDataLoss)            the database fails SQLite's integrity check
///   backup.audit_mismatch (kDataLoss)    the audit chain is broken or its head differs
///   backup.acta_invalid (kDataLoss)      an acta's PDF does not verify
Result<RestoreSummary> RestoreBackup(const RestoreOptions& options, const Clock& clock);

}  // namespace rubrica::server
