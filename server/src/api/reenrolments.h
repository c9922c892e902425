// Re-enrolment links: how a member registers a new signing credential (a new PIN key, or a
// new device certificate) when they cannot show their current PIN: they forgot it, their
// key is lost, they sign with a device and renewed their e.firma, or they never chose.
//
// An administrator or the facilitator issues a link for a person's account; it reaches the
// member by e-mail only (<public_url>/reinscripcion?token=...), is single-use, valid for
// `ttl` (default 72 hours), bound to that account, and a newer link voids older ones. The
// member opens it while logged in (the session proves the password, the link the mailbox)
// and POSTs /api/me/reenrolment: the link is consumed in the same transaction that stores
// the new credential. Table srv_reenrolment (component "server"); only the SHA-256 of a
// token is stored. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "accounts.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/store/database.h"

namespace rubrica::server::api {

struct Reenrolment {
  int64_t account_id = 0;
  int64_t person_id = 0;
  std::string token;  // only when just issued; give it to the member only (e-mail)
  Instant expires_at;
};

class Reenrolments {
 public:
  Reenrolments(store::Database& db, const store::AuditLog& audit, const Clock& clock,
               std::chrono::seconds ttl = std::chrono::hours(72))
      : db_(db), audit_(audit), clock_(clock), ttl_(ttl) {}

  /// A new link for `account`, which must be a person's (api.not_a_person otherwise);
  /// earlier unused links of the account stop working. Audited (account.reenrolment_issued).
  Result<Reenrolment> Issue(std::string_view actor, const Account& account);
  /// The unused, unexpired link of `token` for account `account_id`:
  /// api.reenrolment_invalid (kRejected) otherwise, also when it is another account's.
  Result<Reenrolment> Peek(std::string_view token, int64_t account_id) const;
  /// Consumes the link inside `tx` (api.reenrolment_invalid when used or expired meanwhile),
  /// with its audit entry (account.reenrolment_used).
  Status Consume(store::Transaction& tx, std::string_view token, int64_t account_id) const;

 private:
  store::Database& db_;
  const store::AuditLog& audit_;
  const Clock& clock_;
  const std::chrono::seconds ttl_;
};

}  // namespace rubrica::server::api
