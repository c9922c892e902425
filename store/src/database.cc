#include "rubrica/store/database.h"

#include "rubrica/base/files.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <atomic>
#include <unordered_map>

namespace rubrica::store {

namespace {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xff;
  if (primary == SQLITE_CONSTRAINT) {
    return Status::Error(ErrorKind::kConflict, "store.constraint", msg);
  }
  // A full disk shows as SQLITE_FULL, or as a write error whose errno says so (EFBIG: a
  // file-size limit, EDQUOT: a quota).
  const int extended = db ? sqlite3_extended_errcode(db) : rc;
  const int err = db ? sqlite3_system_errno(db) : 0;
  if (primary == SQLITE_FULL ||
      (primary == SQLITE_IOERR && (err == ENOSPC || err == EDQUOT || err == EFBIG))) {
    return Status::Error(ErrorKind::kIoError, "base.disk_full", msg,
                         "No hay espacio en disco para guardar los datos.");
  }
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
    return Status::Error(ErrorKind::kDataLoss, "store.corrupt", msg,
                         "La base de datos está dañada.");
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Status::Error(ErrorKind::kUnavailable, "store.busy", msg);
  }
  // SQLite often loses the errno of a failed write (a file-size limit or a quota reach it
  // as a plain write error): say what failed, and what is the likely cause.
  if (extended == SQLITE_IOERR_WRITE || extended == SQLITE_IOERR_FSYNC || extended == SQLITE_IOERR_TRUNCATE) {
    return Status::Error(ErrorKind::kIoError, "store.write_failed", msg,
                         "No se pudo escribir en el disco del servidor (puede estar lleno).");
  }
  return Status::Error(ErrorKind::kIoError, "store.sqlite", msg);
}

}  // namespace

struct Database::Impl {
  sqlite3* db = nullptr;
  // Statement cache: prepared once per SQL text, reset after each use.
  std::unordered_map<std::string, sqlite3_stmt*> cache;
  // Bumped whenever a transaction ends. A Statement only touches its sqlite3_stmt while the
  // generation it was prepared in is current: after Commit/Rollback released the lock,
  // another thread may be using the same cached statement.
  std::atomic<uint64_t> generation{0};
  ~Impl() {
    for (auto& [sql, st] : cache) sqlite3_finalize(st);
    if (db) sqlite3_close_v2(db);
  }
};

struct Statement::Impl {
  sqlite3* db;
  sqlite3_stmt* stmt;
  Status bind_error;
  const std::atomic<uint64_t>* generation;
  uint64_t prepared_in;
};

Statement::Statement(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Statement::Statement(Statement&&) noexcept = default;
Statement::~Statement() {
  // When the transaction already ended, it reset every statement it used (EndTransaction).
  if (impl_ && impl_->generation->load() == impl_->prepared_in) {
    sqlite3_reset(impl_->stmt);
    sqlite3_clear_bindings(impl_->stmt);
  }
}

static void CheckBind(Statement::Impl* impl, int rc, int index) {
  if (rc != SQLITE_OK && impl->bind_error.ok()) {
    impl->bind_error = SqliteError(impl->db, rc, "bind parameter " + std::to_string(index));
  }
}

Statement& Statement::Bind(int index, int64_t value) {
  CheckBind(impl_.get(), sqlite3_bind_int64(impl_->stmt, index, value), index);
  return *this;
}
Statement& Statement::Bind(int index, std::string_view text) {
  CheckBind(impl_.get(),
            sqlite3_bind_text64(impl_->stmt, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                SQLITE_UTF8),
            index);
  return *this;
}
Statement& Statement::BindBlob(int index, std::string_view bytes) {
  CheckBind(impl_.get(),
            sqlite3_bind_blob64(impl_->stmt, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT),
            index);
  return *this;
}
Statement& Statement::BindNull(int index) {
  CheckBind(impl_.get(), sqlite3_bind_null(impl_->stmt, index), index);
  return *this;
}
Statement& Statement::BindOptional(int index, const std::optional<std::string>& v) {
  return v ? Bind(index, std::string_view(*v)) : BindNull(index);
}

Result<bool> Statement::Step() {
  if (!impl_->bind_error.ok()) return impl_->bind_error;
  int rc = sqlite3_step(impl_->stmt);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(impl_->db, rc, "step");
}

Status Statement::Run() {
  auto r = Step();
  if (!r.ok()) return r.status();
  return Status::Ok();
}

int64_t Statement::ColumnInt(int col) const { return sqlite3_column_int64(impl_->stmt, col); }
std::string Statement::ColumnText(int col) const {
  auto* p = sqlite3_column_text(impl_->stmt, col);
  int n = sqlite3_column_bytes(impl_->stmt, col);
  return p ? std::string(reinterpret_cast<const char*>(p), n) : std::string();
}
std::string Statement::ColumnBlob(int col) const {
  auto* p = sqlite3_column_blob(impl_->stmt, col);
  int n = sqlite3_column_bytes(impl_->stmt, col);
  return p ? std::string(static_cast<const char*>(p), n) : std::string();
}
bool Statement::ColumnIsNull(int col) const {
  return sqlite3_column_type(impl_->stmt, col) == SQLITE_NULL;
}
std::optional<std::string> Statement::ColumnOptionalText(int col) const {
  if (ColumnIsNull(col)) return std::nullopt;
  return ColumnText(col);
}

Transaction::Transaction(Database* db, std::unique_lock<std::mutex> lock)
    : db_(db), lock_(std::move(lock)) {}

Transaction::Transaction(Transaction&& o) noexcept
    : db_(o.db_), lock_(std::move(o.lock_)), open_(o.open_), used_(std::move(o.used_)) {
  o.open_ = false;
}

Transaction::~Transaction() { Rollback(); }

Result<Statement> Transaction::Prepare(std::string_view sql) {
  if (!open_) {
    return Status::Error(ErrorKind::kInternal, "store.tx_closed", "transaction already ended");
  }
  auto& cache = db_->impl_->cache;
  std::string key(sql);
  auto it = cache.find(key);
  sqlite3_stmt* st = nullptr;
  if (it != cache.end()) {
    st = it->second;
  } else {
    int rc = sqlite3_prepare_v3(db_->impl_->db, key.c_str(), static_cast<int>(key.size()),
                                SQLITE_PREPARE_PERSISTENT, &st, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_->impl_->db, rc, "prepare '" + key + "'");
    cache.emplace(std::move(key), st);
  }
  used_.push_back(st);
  return Statement(std::make_unique<Statement::Impl>(
      Statement::Impl{db_->impl_->db, st, {}, &db_->impl_->generation, db_->impl_->generation.load()}));
}

Status Transaction::Exec(std::string_view sql) {
  if (!open_) {
    return Status::Error(ErrorKind::kInternal, "store.tx_closed", "transaction already ended");
  }
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_->impl_->db, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    Status st = SqliteError(db_->impl_->db, rc, "exec");
    sqlite3_free(err);
    return st;
  }
  return Status::Ok();
}

Status Transaction::Commit() {
  if (!open_) {
    return Status::Error(ErrorKind::kInternal, "store.tx_closed", "transaction already ended");
  }
  // Statements still stepping would make COMMIT fail with SQLITE_BUSY: reset them first.
  ResetUsedStatements();
  int rc = sqlite3_exec(db_->impl_->db, "COMMIT", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    Status st = SqliteError(db_->impl_->db, rc, "commit");
    Rollback();
    return st;
  }
  open_ = false;
  End();
  return Status::Ok();
}

void Transaction::Rollback() {
  if (open_) {
    ResetUsedStatements();
    sqlite3_exec(db_->impl_->db, "ROLLBACK", nullptr, nullptr, nullptr);
    open_ = false;
  }
  End();
}

void Transaction::ResetUsedStatements() {
  for (void* p : used_) {
    auto* st = static_cast<sqlite3_stmt*>(p);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
  }
  used_.clear();
}

void Transaction::End() {
  if (lock_.owns_lock()) {
    ++db_->impl_->generation;  // live Statements of this transaction stop touching SQLite
    lock_.unlock();
  }
}

int64_t Transaction::LastInsertId() const { return sqlite3_last_insert_rowid(db_->impl_->db); }
int Transaction::Changes() const { return sqlite3_changes(db_->impl_->db); }

Database::Database(std::string path, std::unique_ptr<Impl> impl)
    : path_(std::move(path)), impl_(std::move(impl)) {}
Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                 const DatabaseOptions& options) {
  // The file and its -wal and -shm companions hold every key and personal record: owner
  // only. SQLite creates the companions with the main file's mode, so that one is made (or
  // made again) 0600 first.
  if (!path.empty() && path != ":memory:") {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return ErrnoStatus("create database", path, errno);
    const int chmodded = ::fchmod(fd, 0600);
    const int err = errno;
    ::close(fd);
    if (chmodded != 0) return ErrnoStatus("chmod", path, err);
    for (const char* suffix : {"-wal", "-shm", "-journal"}) {
      const std::string companion = path + suffix;
      if (::chmod(companion.c_str(), 0600) != 0 && errno != ENOENT) {
        return ErrnoStatus("chmod", companion, errno);
      }
    }
  }
  auto impl = std::make_unique<Impl>();
  int rc = sqlite3_open_v2(path.c_str(), &impl->db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(impl->db, rc, "open database '" + path + "'");
    return s;
  }
  sqlite3_extended_result_codes(impl->db, 1);
  sqlite3_busy_timeout(impl->db, options.busy_timeout_ms);
  const char* pragmas =
      "PRAGMA journal_mode=WAL;"
      "PRAGMA synchronous=FULL;"
      "PRAGMA foreign_keys=ON;"
      "CREATE TABLE IF NOT EXISTS schema_version("
      "  component TEXT PRIMARY KEY,"
      "  version INTEGER NOT NULL,"
      "  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));";
  char* err = nullptr;
  rc = sqlite3_exec(impl->db, pragmas, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(impl->db, rc, "configure database '" + path + "'");
    sqlite3_free(err);
    return s;
  }
  return std::unique_ptr<Database>(new Database(path, std::move(impl)));
}

Result<Transaction> Database::BeginWith(const char* sql) {
  std::unique_lock<std::mutex> lock(mu_);
  int rc = sqlite3_exec(impl_->db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(impl_->db, rc, sql);
  return Transaction(this, std::move(lock));
}

Result<Transaction> Database::Begin() { return BeginWith("BEGIN IMMEDIATE"); }
Result<Transaction> Database::BeginRead() { return BeginWith("BEGIN DEFERRED"); }

Result<int> Database::SchemaVersion(std::string_view component) {
  ASSIGN_OR_RETURN(Transaction tx, BeginRead());
  ASSIGN_OR_RETURN(Statement st, tx.Prepare("SELECT version FROM schema_version WHERE component=?"));
  st.Bind(1, component);
  ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? static_cast<int>(st.ColumnInt(0)) : 0;
}

Status Database::Migrate(std::string_view component, const std::vector<Migration>& migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return Status::Error(ErrorKind::kInternal, "store.migration_gap",
                           std::string(component) + ": migration #" + std::to_string(i) +
                               " has version " + std::to_string(migrations[i].version) +
                               ", expected " + std::to_string(i + 1));
    }
  }
  ASSIGN_OR_RETURN(int current, SchemaVersion(component));
  if (current > static_cast<int>(migrations.size())) {
    return Status::Error(ErrorKind::kConflict, "store.schema_too_new",
                         std::string(component) + " schema version " + std::to_string(current) +
                             " in '" + path_ + "' is newer than this build knows (" +
                             std::to_string(migrations.size()) + ")");
  }
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    ASSIGN_OR_RETURN(Transaction tx, Begin());
    RETURN_IF_ERROR(tx.Exec(m.sql).WithContext(std::string(component) + " migration " +
                                               std::to_string(m.version) + " (" +
                                               std::string(m.name) + ")"));
    ASSIGN_OR_RETURN(Statement st,
                     tx.Prepare("INSERT INTO schema_version(component, version) VALUES(?, ?) "
                                "ON CONFLICT(component) DO UPDATE SET version=excluded.version, "
                                "applied_at=strftime('%Y-%m-%dT%H:%M:%SZ','now')"));
    st.Bind(1, component).Bind(2, int64_t{m.version});
    RETURN_IF_ERROR(st.Run());
    RETURN_IF_ERROR(tx.Commit());
  }
  return Status::Ok();
}

}  // namespace rubrica::store
