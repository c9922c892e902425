// Running a write inside one transaction: store::WriteTransaction, under the name the
// workflow code uses.
#pragma once

#include "rubrica/store/write_transaction.h"

namespace rubrica::workflows {

template <typename Fn>
auto Write(store::Database& db, Fn&& body) {
  return store::WriteTransaction(db, std::forward<Fn>(body));
}

}  // namespace rubrica::workflows
