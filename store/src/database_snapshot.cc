#include "rubrica/store/database_snapshot.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <memory>
#include <set>

#include "rubrica/base/files.h"

namespace rubrica::store {

namespace {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbHandle = std::unique_ptr<sqlite3, CloseDb>;

struct FinalizeStmt {
  void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
};
using StmtHandle = std::unique_ptr<sqlite3_stmt, FinalizeStmt>;

Status Sqlite(sqlite3* db, int rc, const std::string& what) {
  const int primary = rc & 0xff;
  std::string msg = what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
    return Status::Error(ErrorKind::kDataLoss, "store.corrupt", msg, "La base de datos está dañada.");
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Status::Error(ErrorKind::kUnavailable, "store.busy", msg);
  if (primary == SQLITE_FULL) return Status::Error(ErrorKind::kIoError, "base.disk_full", msg);
  return Status::Error(ErrorKind::kIoError, "store.sqlite", msg);
}

Result<DbHandle> OpenDb(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  DbHandle db(raw);
  if (rc != SQLITE_OK) return Sqlite(raw, rc, "open '" + path + "'");
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

Result<StmtHandle> Prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr);
  StmtHandle st(raw);
  if (rc != SQLITE_OK) return Sqlite(db, rc, "prepare");
  return st;
}

bool IsLowerHex(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// Adds every run of exactly 64 lower-case hex characters in `text` to `out`.
void CollectHexRuns(std::string_view text, std::set<std::string>& out) {
  size_t i = 0;
  while (i < text.size()) {
    if (!IsLowerHex(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && IsLowerHex(static_cast<unsigned char>(text[j]))) ++j;
    if (j - i == 64) out.emplace(text.substr(i, 64));
    i = j;
  }
}

std::string QuoteIdentifier(const std::string& name) {
  std::string q = "\"";
  for (char c : name) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

}  // namespace

Status SnapshotDatabase(const std::string& source_path, const std::string& dest_path) {
  if (!PathExists(source_path)) return ErrnoStatus("open database", source_path, ENOENT);
  if (PathExists(dest_path)) {
    return Status::Error(ErrorKind::kConflict, "store.snapshot_exists", "'" + dest_path + "' already exists");
  }
  // Read-write without CREATE: a WAL reader may need to write the shared-memory index.
  ASSIGN_OR_RETURN(DbHandle source, OpenDb(source_path, SQLITE_OPEN_READWRITE));
  ASSIGN_OR_RETURN(DbHandle dest, OpenDb(dest_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  ::chmod(dest_path.c_str(), 0600);
  sqlite3_backup* backup = sqlite3_backup_init(dest.get(), "main", source.get(), "main");
  if (backup == nullptr) return Sqlite(dest.get(), sqlite3_errcode(dest.get()), "backup of '" + source_path + "'");
  // One step of every page: the whole copy runs in one read transaction of the source,
  // so it is one snapshot (WAL writers go on meanwhile; a busy source is retried).
  int rc;
  int tries = 0;
  while ((rc = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    if (++tries > 100) break;
    sqlite3_sleep(50);
  }
  const int finish = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Sqlite(dest.get(), rc, "backup of '" + source_path + "'");
  if (finish != SQLITE_OK) return Sqlite(dest.get(), finish, "backup of '" + source_path + "'");
  // The copy carries the source's WAL flag; in rollback-journal mode it is one
  // self-contained file that read-only readers open without making a -wal beside it. The
  // service switches it back to WAL when it opens it.
  rc = sqlite3_exec(dest.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Sqlite(dest.get(), rc, "journal mode of '" + dest_path + "'");
  return Status::Ok();
}

Status CheckDatabaseIntegrity(const std::string& path) {
  ASSIGN_OR_RETURN(DbHandle db, OpenDb(path, SQLITE_OPEN_READONLY));
  ASSIGN_OR_RETURN(StmtHandle st, Prepare(db.get(), "PRAGMA integrity_check(1)"));
  int rc = sqlite3_step(st.get());
  if (rc != SQLITE_ROW) return Sqlite(db.get(), rc, "integrity check of '" + path + "'");
  const char* text = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0));
  const std::string verdict = text ? text : "";
  if (verdict != "ok") {
    return Status::Error(ErrorKind::kDataLoss, "store.corrupt", "integrity check of '" + path + "': " + verdict,
                         "La base de datos está dañada.");
  }
  return Status::Ok();
}

Result<std::vector<std::string>> ReferencedBlobIds(const std::string& path, const BlobStore& blobs) {
  ASSIGN_OR_RETURN(DbHandle db, OpenDb(path, SQLITE_OPEN_READONLY));
  std::vector<std::string> tables;
  {
    ASSIGN_OR_RETURN(StmtHandle st,
                     Prepare(db.get(), "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"));
    int rc;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
      tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0)));
    }
    if (rc != SQLITE_DONE) return Sqlite(db.get(), rc, "list tables of '" + path + "'");
  }
  std::set<std::string> candidates;
  for (const std::string& table : tables) {
    ASSIGN_OR_RETURN(StmtHandle st, Prepare(db.get(), "SELECT * FROM " + QuoteIdentifier(table)));
    const int columns = sqlite3_column_count(st.get());
    int rc;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(st.get(), c) != SQLITE_TEXT) continue;
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), c));
        CollectHexRuns(std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(st.get(), c))), candidates);
      }
    }
    if (rc != SQLITE_DONE) return Sqlite(db.get(), rc, "read table " + table + " of '" + path + "'");
  }
  std::vector<std::string> ids;
  for (const std::string& id : candidates) {
    if (blobs.Contains(id)) ids.push_back(id);
  }
  return ids;
}

}  // namespace rubrica::store
