// One-time tickets of external signing (prepare -> the member's device signs -> finalize).
//
// A ticket is a random 256-bit token given to the member at prepare; the server keeps
// only its SHA-256, with what it is bound to: the account and person, the acta, the kind
// of signature (which field), the revision it extends (input blob id), the approval round,
// and the engine's prepared state (never sent to the device). It expires after a short
// time (default 5 minutes) and is consumed by the finalize that succeeds. Kept in SQLite
// (component "server"), so a restart neither revives nor forgets a ticket. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/store/database.h"

namespace rubrica::server::api {

struct SigningTicket {
  std::string token;  // set by Issue(); empty when read back
  int64_t account_id = 0;
  int64_t person_id = 0;
  int64_t acta_id = 0;  // 0 for "package_cosign"
  std::string kind;     // "rubric", "foot", or "package_cosign" (a monthly package's co-signature)
  std::string input_blob_id;  // for "package_cosign": the draft package's SHA-256
  int approval_round = 0;
  std::string engine_state;
  Instant expires_at;
};

class SigningTickets {
 public:
  SigningTickets(store::Database& db, const Clock& clock, std::chrono::seconds ttl)
      : db_(db), clock_(clock), ttl_(ttl) {}

  /// Stores a new ticket for `t` (token and expiry are set here) and returns it.
  Result<SigningTicket> Issue(SigningTicket t);
  /// The ticket of `token`. Errors: api.ticket_unknown (kNotFound), api.ticket_used
  /// (kConflict: replayed), api.ticket_expired (kRejected).
  Result<SigningTicket> Find(std::string_view token) const;
  /// Find, and the ticket must be of `account_id` and `person_id`: api.ticket_not_yours
  /// (kPermissionDenied) otherwise.
  Result<SigningTicket> FindOwn(std::string_view token, int64_t account_id, int64_t person_id) const;
  /// Consumes the ticket; api.ticket_used when it was consumed meanwhile.
  Status MarkUsed(std::string_view token);

 private:
  store::Database& db_;
  const Clock& clock_;
  std::chrono::seconds ttl_;
};

}  // namespace rubrica::server::api
