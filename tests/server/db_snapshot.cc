#include "db_snapshot.h"

#include <sqlite3.h>

#include <vector>

namespace rubrica::server::testing {

namespace {

struct Db {
  sqlite3* db = nullptr;
  ~Db() { sqlite3_close(db); }
};

std::vector<std::string> Column0(sqlite3* db, const std::string& sql) {
  std::vector<std::string> out;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) return out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  }
  sqlite3_finalize(st);
  return out;
}

}  // namespace

std::string DumpDatabase(const std::string& path) { return DumpTables(path, ""); }

std::string DumpTables(const std::string& path, const std::string& prefix, const std::string& except) {
  Db d;
  if (sqlite3_open_v2(path.c_str(), &d.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return "";
  sqlite3_busy_timeout(d.db, 5000);
  std::string dump;
  sqlite3_exec(d.db, "BEGIN", nullptr, nullptr, nullptr);
  for (const auto& table :
       Column0(d.db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
    if (table.rfind(prefix, 0) != 0 || table == except) continue;
    // The outbox tables are written by the background sender at any moment (relaying
    // earlier events, retrying, reminders on the clock), not by the request under test.
    if (prefix.empty() && table.rfind("outbox_", 0) == 0) continue;
    dump += "== " + table + "\n";
    sqlite3_stmt* st = nullptr;
    // sqlite_sequence holds the outbox tables' counters too (same reason).
    const std::string select = prefix.empty() && table == "sqlite_sequence"
                                   ? "SELECT * FROM sqlite_sequence WHERE name NOT LIKE 'outbox%'"
                                   : "SELECT * FROM \"" + table + "\"";
    if (sqlite3_prepare_v2(d.db, select.c_str(), -1, &st, nullptr) !=
        SQLITE_OK) {
      continue;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const auto* text = sqlite3_column_blob(st, i);
        dump.append(text ? static_cast<const char*>(text) : "NULL",
                    text ? static_cast<size_t>(sqlite3_column_bytes(st, i)) : 4);
        dump += '|';
      }
      dump += '\n';
    }
    sqlite3_finalize(st);
  }
  sqlite3_exec(d.db, "COMMIT", nullptr, nullptr, nullptr);
  return dump;
}

bool CopyDatabase(const std::string& from, const std::string& to) {
  Db d;
  if (sqlite3_open_v2(from.c_str(), &d.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return false;
  sqlite3_busy_timeout(d.db, 5000);
  std::string sql = "VACUUM INTO '" + to + "'";
  return sqlite3_exec(d.db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

}  // namespace rubrica::server::testing
