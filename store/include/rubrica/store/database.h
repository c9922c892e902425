// SQLite database: one file, WAL, foreign keys on, busy timeout, numbered migrations per
// component.
//
// Concurrency: a Database owns one connection guarded by a mutex. All access goes through
// a Transaction, which holds that mutex from Begin() until Commit()/Rollback()/destruction,
// so statements of different threads never interleave. Keep transactions short: never do
// slow work (key unlocking, signing, network) while holding one.
//
// Errors: SQLite failures become Status with code store.sqlite (kIoError), constraint
// violations store.constraint (kConflict), SQLITE_FULL base.disk_full.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"

namespace rubrica::store {

struct DatabaseOptions {
  /// How long a writer waits for a lock held by another process. Default 5000 ms.
  int busy_timeout_ms = 5000;
};

/// One schema step of a component. Versions start at 1 and increase by one.
struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;  // one or more statements
};

class Database;
class Transaction;

/// A prepared statement bound to a Transaction. Parameters are 1-based, columns 0-based.
/// Move-only. Statements are cached per SQL text: do not hold two live Statements of the same
/// text at once. A Statement outliving its Transaction is inert (the transaction reset it
/// when it ended); using it then is a bug.
class Statement {
 public:
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const std::string& text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);
  Statement& BindOptional(int index, const std::optional<std::string>& text_or_null);

  /// Advances to the next row: true when a row is available, false when done.
  Result<bool> Step();
  /// Runs a statement that returns no rows (INSERT/UPDATE/DELETE).
  Status Run();

  int64_t ColumnInt(int col) const;
  std::string ColumnText(int col) const;
  std::string ColumnBlob(int col) const;
  bool ColumnIsNull(int col) const;
  std::optional<std::string> ColumnOptionalText(int col) const;

  struct Impl;  // private to database.cc

 private:
  friend class Transaction;
  explicit Statement(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// An open transaction (BEGIN IMMEDIATE for writes, DEFERRED for reads). Rolls back on
/// destruction unless committed. Move-only. Transactions do not nest: beginning a second
/// one on the same thread while one is open deadlocks.
class Transaction {
 public:
  Transaction(Transaction&&) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Result<Statement> Prepare(std::string_view sql);
  /// Runs one or more statements without parameters.
  Status Exec(std::string_view sql);
  Status Commit();
  void Rollback();
  /// rowid of the last INSERT on this connection.
  int64_t LastInsertId() const;
  /// Rows changed by the last statement.
  int Changes() const;

 private:
  friend class Database;
  Transaction(Database* db, std::unique_lock<std::mutex> lock);
  void ResetUsedStatements();
  void End();
  Database* db_;
  std::unique_lock<std::mutex> lock_;
  bool open_ = true;
  std::vector<void*> used_;  // sqlite3_stmt* handed out by Prepare in this transaction
};

class Database {
 public:
  /// Opens or creates the database file at `path` and applies the connection settings.
  static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                const DatabaseOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Starts a write transaction (BEGIN IMMEDIATE), blocking other threads until it ends.
  Result<Transaction> Begin();
  /// Starts a read transaction (BEGIN DEFERRED).
  Result<Transaction> BeginRead();

  /// Applies the migrations of `component` whose version is above the recorded one, each in
  /// its own transaction, recording the new version. Re-running is a no-op. Fails with
  /// store.migration_gap when versions are not 1, 2, 3, ... and store.schema_too_new when
  /// the file was written by a newer build.
  Status Migrate(std::string_view component, const std::vector<Migration>& migrations);
  /// The recorded schema version of `component` (0 when none).
  Result<int> SchemaVersion(std::string_view component);

  const std::string& path() const { return path_; }

 private:
  friend class Transaction;
  friend class Statement;
  struct Impl;
  Database(std::string path, std::unique_ptr<Impl> impl);
  Result<Transaction> BeginWith(const char* sql);
  std::string path_;
  std::unique_ptr<Impl> impl_;
  std::mutex mu_;
};

}  // namespace rubrica::store
