#include "rubrica/store/audit_log.h"

#include "rubrica/base/crypto_util.h"

namespace rubrica::store {

namespace {

const std::string kZeroHash(64, '0');

void AppendField(std::string& buf, std::string_view field) {
  uint32_t n = static_cast<uint32_t>(field.size());
  char len[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                 static_cast<char>(n >> 8), static_cast<char>(n)};
  buf.append(len, 4);
  buf.append(field);
}

}  // namespace

const std::vector<Migration>& AuditLog::Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "create audit_log", R"sql(
        CREATE TABLE audit_log(
          seq          INTEGER PRIMARY KEY,
          at           TEXT NOT NULL,
          actor        TEXT NOT NULL,
          action       TEXT NOT NULL,
          object_type  TEXT NOT NULL,
          object_id    TEXT NOT NULL,
          payload      TEXT NOT NULL,
          payload_hash TEXT NOT NULL,
          prev_hash    TEXT NOT NULL,
          entry_hash   TEXT NOT NULL
        );
        CREATE INDEX audit_log_object ON audit_log(object_type, object_id);
        -- Append-only: the application never updates or deletes entries.
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      )sql"},
      // Counting entries of one action (the metrics' PIN failures, keys.pin_rejected) reads
      // the index instead of scanning the whole chain.
      {2, "index audit_log by action", R"sql(
        CREATE INDEX audit_log_action ON audit_log(action);
      )sql"},
  };
  return kMigrations;
}

std::string AuditEntryHash(int64_t seq, const std::string& at, const AuditEntry& e,
                           const std::string& payload_hash, const std::string& prev_hash) {
  std::string buf;
  AppendField(buf, "rubrica-audit-v1");
  AppendField(buf, std::to_string(seq));
  AppendField(buf, at);
  AppendField(buf, e.actor);
  AppendField(buf, e.action);
  AppendField(buf, e.object_type);
  AppendField(buf, e.object_id);
  AppendField(buf, payload_hash);
  AppendField(buf, prev_hash);
  return Sha256Hex(buf);
}

Result<int64_t> AuditLog::Append(Transaction& tx, const AuditEntry& entry) const {
  int64_t seq = 1;
  std::string prev = kZeroHash;
  {
    ASSIGN_OR_RETURN(Statement last,
                     tx.Prepare("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
    ASSIGN_OR_RETURN(bool row, last.Step());
    if (row) {
      seq = last.ColumnInt(0) + 1;
      prev = last.ColumnText(1);
    }
  }
  const std::string at = FormatRfc3339UtcMicros(clock_.Now());
  const std::string payload_hash = Sha256Hex(entry.payload);
  const std::string hash = AuditEntryHash(seq, at, entry, payload_hash, prev);
  ASSIGN_OR_RETURN(Statement ins,
                   tx.Prepare("INSERT INTO audit_log(seq, at, actor, action, object_type, "
                              "object_id, payload, payload_hash, prev_hash, entry_hash) "
                              "VALUES(?,?,?,?,?,?,?,?,?,?)"));
  ins.Bind(1, seq)
      .Bind(2, at)
      .Bind(3, entry.actor)
      .Bind(4, entry.action)
      .Bind(5, entry.object_type)
      .Bind(6, entry.object_id)
      .Bind(7, entry.payload)
      .Bind(8, payload_hash)
      .Bind(9, prev)
      .Bind(10, hash);
  RETURN_IF_ERROR(ins.Run());
  return seq;
}

Result<AuditVerification> AuditLog::Verify(Database& db) const {
  ASSIGN_OR_RETURN(Transaction tx, db.BeginRead());
  ASSIGN_OR_RETURN(Statement st,
                   tx.Prepare("SELECT seq, at, actor, action, object_type, object_id, payload, "
                              "payload_hash, prev_hash, entry_hash FROM audit_log ORDER BY rowid"));
  AuditVerification v;
  int64_t expected_seq = 1;
  std::string prev = kZeroHash;
  auto fail = [&](int64_t seq, const char* problem, std::string detail) {
    v.ok = false;
    v.first_bad_seq = seq;
    v.problem = problem;
    v.detail = std::move(detail);
  };
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    int64_t seq = st.ColumnInt(0);
    AuditEntry e{st.ColumnText(2), st.ColumnText(3), st.ColumnText(4), st.ColumnText(5),
                 st.ColumnText(6)};
    std::string at = st.ColumnText(1);
    std::string payload_hash = st.ColumnText(7);
    std::string prev_hash = st.ColumnText(8);
    std::string entry_hash = st.ColumnText(9);
    if (seq != expected_seq) {
      if (seq > expected_seq) {
        fail(seq, "removed",
             "entry " + std::to_string(seq) + " follows entry " + std::to_string(expected_seq - 1) +
                 ": entries " + std::to_string(expected_seq) + ".." + std::to_string(seq - 1) +
                 " are missing");
      } else {
        fail(seq, "reordered",
             "entry " + std::to_string(seq) + " appears after entry " +
                 std::to_string(expected_seq - 1));
      }
      break;
    }
    if (Sha256Hex(e.payload) != payload_hash) {
      fail(seq, "altered", "entry " + std::to_string(seq) + ": payload does not match its hash");
      break;
    }
    if (prev_hash != prev) {
      // The link is broken: this entry was moved here, or one before it was removed or
      // inserted and the sequence renumbered.
      fail(seq, "reordered",
           "entry " + std::to_string(seq) +
               " does not link to the entry before it (moved, or an entry before it was "
               "removed or inserted)");
      break;
    }
    if (AuditEntryHash(seq, at, e, payload_hash, prev_hash) != entry_hash) {
      fail(seq, "altered",
           "entry " + std::to_string(seq) + ": fields do not match the entry hash");
      break;
    }
    prev = entry_hash;
    ++expected_seq;
    ++v.entries_checked;
  }
  v.head_hash = prev;
  return v;
}

Result<std::vector<StoredAuditEntry>> AuditLog::List(Database& db, int64_t after_seq,
                                                     int limit) const {
  ASSIGN_OR_RETURN(Transaction tx, db.BeginRead());
  ASSIGN_OR_RETURN(Statement st,
                   tx.Prepare("SELECT seq, at, actor, action, object_type, object_id, payload, "
                              "payload_hash, prev_hash, entry_hash FROM audit_log WHERE seq > ? "
                              "ORDER BY seq LIMIT ?"));
  st.Bind(1, after_seq).Bind(2, int64_t{limit});
  std::vector<StoredAuditEntry> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    StoredAuditEntry s;
    s.seq = st.ColumnInt(0);
    auto at = ParseRfc3339(st.ColumnText(1));
    if (at.ok()) s.at = *at;
    s.entry = {st.ColumnText(2), st.ColumnText(3), st.ColumnText(4), st.ColumnText(5),
               st.ColumnText(6)};
    s.payload_hash = st.ColumnText(7);
    s.prev_hash = st.ColumnText(8);
    s.entry_hash = st.ColumnText(9);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace rubrica::store
