// Running a write of the API's own tables inside one transaction.
//
// The same contract as workflows' private Write(): every Statement of `body` has ended
// before Commit, because Commit releases the connection to other threads and a cached
// statement must not be reset after that. (store/ could offer this once for every module.)
#pragma once

#include <utility>

#include "rubrica/base/status.h"
#include "rubrica/store/database.h"

namespace rubrica::server::api {

/// Begins a write transaction, runs `body(tx)` and commits when it returns OK; otherwise
/// rolls back. `body` returns Status or Result<T>.
template <typename Fn>
auto WriteTransaction(store::Database& db, Fn&& body)
    -> decltype(body(std::declval<store::Transaction&>())) {
  using R = decltype(body(std::declval<store::Transaction&>()));
  auto tx = db.Begin();
  if (!tx.ok()) return R(tx.status());
  R result = std::forward<Fn>(body)(*tx);
  if (!result.ok()) return result;
  Status committed = tx->Commit();
  if (!committed.ok()) return R(committed);
  return result;
}

}  // namespace rubrica::server::api
