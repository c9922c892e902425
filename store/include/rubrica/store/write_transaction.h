// Running one write inside one transaction, for every module.
#pragma once

#include <utility>

#include "rubrica/base/status.h"
#include "rubrica/store/database.h"

namespace rubrica::store {

/// Begins a write transaction, runs `body(tx)` and commits when it returns OK; otherwise the
/// transaction rolls back and nothing is written. `body` returns Status or Result<T>.
/// Statements `body` leaves alive are inert once the transaction ends (database.h).
template <typename Fn>
auto WriteTransaction(Database& db, Fn&& body) -> decltype(body(std::declval<Transaction&>())) {
  using R = decltype(body(std::declval<Transaction&>()));
  auto tx = db.Begin();
  if (!tx.ok()) return R(tx.status());
  R result = std::forward<Fn>(body)(*tx);
  if (!result.ok()) return result;
  Status committed = tx->Commit();
  if (!committed.ok()) return R(committed);
  return result;
}

}  // namespace rubrica::store
