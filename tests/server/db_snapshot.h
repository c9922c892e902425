// What a test compares to prove that a refused request wrote nothing.
#pragma once

#include <string>

namespace rubrica::server::testing {

/// Every row of every table of the SQLite database at `path`, as text, read through a
/// separate read-only connection (safe while the service runs: WAL readers see the last
/// committed state). "" when the database cannot be read. The outbox tables (outbox_*),
/// which the background sender writes on its own, are left out.
std::string DumpDatabase(const std::string& path);

/// Like DumpDatabase, for the tables whose name starts with `prefix` only ("wf_": the
/// workflow's records), leaving out the table named `except` ("" for none).
std::string DumpTables(const std::string& path, const std::string& prefix, const std::string& except = "");

/// Copies the database at `from` (consistent, while it is in use) to the new file `to`.
bool CopyDatabase(const std::string& from, const std::string& to);

}  // namespace rubrica::server::testing
