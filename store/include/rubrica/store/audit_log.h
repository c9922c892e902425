// Hash-chained, append-only audit log, kept in the `audit_log` table of the Database.
//
// Each entry records who (actor), what (action), which object (type and id), when (UTC,
// from the injected Clock), the SHA-256 of its payload (the payload itself is stored too),
// the hash of the previous entry and its own hash:
//
//   entry_hash = SHA-256( "rubrica-audit-v1" || seq || at || actor || action ||
//                         object_type || object_id || payload_hash || prev_hash )
//
// with every field length-prefixed (u32 big-endian) so no two entries can collide by
// shifting bytes between fields. The first entry's prev_hash is 32 zero bytes.
//
// Append happens inside the caller's Transaction, so a state change and its audit entry
// commit or roll back together. Verify recomputes the chain and names the first entry that
// was altered, removed or reordered. Limitation: removing entries from the *end* of the log
// is only detectable against an externally kept head (see Head()).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/store/database.h"

namespace rubrica::store {

struct AuditEntry {
  std::string actor;        // "person:12", "system", "cli:admin"
  std::string action;       // "acta.approve", "keys.enrol", ...
  std::string object_type;  // "acta", "member", ...
  std::string object_id;
  std::string payload;      // JSON text describing the change (may be empty)
};

struct StoredAuditEntry {
  int64_t seq = 0;
  Instant at;
  AuditEntry entry;
  std::string payload_hash;  // hex
  std::string prev_hash;     // hex
  std::string entry_hash;    // hex
};

struct AuditVerification {
  bool ok = true;
  int64_t entries_checked = 0;
  /// When !ok: the seq of the first bad entry (the entry after a gap for a removal).
  int64_t first_bad_seq = 0;
  /// When !ok: "altered", "removed" or "reordered", with an English explanation.
  std::string problem;
  std::string detail;
  /// Hash of the last entry (hex), to be kept elsewhere by careful operators.
  std::string head_hash;
};

class AuditLog {
 public:
  /// The migrations that create the audit_log table (component "audit").
  static const std::vector<Migration>& Migrations();

  explicit AuditLog(const Clock& clock) : clock_(clock) {}

  /// Appends `entry` within `tx`. Returns the new entry's sequence number.
  Result<int64_t> Append(Transaction& tx, const AuditEntry& entry) const;

  /// Walks the whole log and checks every link.
  Result<AuditVerification> Verify(Database& db) const;

  /// Entries with seq > after_seq, at most `limit`, oldest first.
  Result<std::vector<StoredAuditEntry>> List(Database& db, int64_t after_seq, int limit) const;

 private:
  const Clock& clock_;
};

/// The chain hash of one entry (hex), as defined above. Exposed for tests and tools.
std::string AuditEntryHash(int64_t seq, const std::string& at_rfc3339, const AuditEntry& entry,
                           const std::string& payload_hash_hex, const std::string& prev_hash_hex);

}  // namespace rubrica::store
