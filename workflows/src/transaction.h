// Running a write inside one transaction.
#pragma once

#include <utility>

#include "rubrica/base/status.h"
#include "rubrica/store/database.h"

namespace rubrica::workflows {

/// Begins a write transaction, runs `body(tx)` and commits when it returns OK; otherwise
/// the transaction rolls back and nothing is written. `body` returns Status or Result<T>.
///
/// Why a helper: Transaction::Commit releases the connection's lock, and a Statement still
/// alive at that point resets its cached SQLite statement afterwards, racing with the next
/// transaction of another thread. Every Statement of `body` has ended when it returns.
template <typename Fn>
auto Write(store::Database& db, Fn&& body) -> decltype(body(std::declval<store::Transaction&>())) {
  using R = decltype(body(std::declval<store::Transaction&>()));
  auto tx = db.Begin();
  if (!tx.ok()) return R(tx.status());
  R result = std::forward<Fn>(body)(*tx);
  if (!result.ok()) return result;
  Status committed = tx->Commit();
  if (!committed.ok()) return R(committed);
  return result;
}

}  // namespace rubrica::workflows
