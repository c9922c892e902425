// What the public sends a secretariat through its microsite (seed III.12 f and g):
// questions, complaints and suggestions, and requests to take part. Each gets a tracking
// folio ("QUE-000012-7K3M9QXP": its kind, its number, and 40 random bits, so a folio cannot
// be guessed from another) that the person looks up later to read the status and the
// secretariat's answer; the facilitator lists and answers them.
//
// The texts arrive already checked and normalised (JsonReader, base/text.h). What a lookup
// by folio shows never includes the name or contact given. Writes are audited (actor
// "anonymous" for filings). Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/store/database.h"

namespace rubrica::server::api {

/// The kinds, as the API names them: "question", "complaint", "suggestion", "participation".
const std::vector<std::string_view>& SubmissionKinds();

struct NewSubmission {
  int64_t secretariat_id = 0;
  std::string kind;          // one of SubmissionKinds()
  std::string name;          // may be empty (anonymous) except for participation
  std::string contact;       // e-mail or telephone; may be empty
  std::string organisation;  // participation: the organisation or sector; may be empty
  std::string text;
};

struct Submission {
  int64_t id = 0;
  int64_t secretariat_id = 0;
  std::string folio;
  std::string kind;
  std::string name;
  std::string contact;
  std::string organisation;
  std::string text;
  Instant filed_at;
  std::string status;  // "received" or "answered"
  std::string answer;  // empty until answered
  std::optional<Instant> answered_at;
};

class Submissions {
 public:
  Submissions(store::Database& db, const store::AuditLog& audit, const Clock& clock)
      : db_(db), audit_(audit), clock_(clock) {}

  /// Records `in` and gives it its folio.
  Result<Submission> File(const NewSubmission& in);
  /// api.folio_not_found (kNotFound) for a folio that does not exist (any case accepted).
  Result<Submission> ByFolio(std::string_view folio) const;
  /// Every submission of the secretariat, newest first.
  Result<std::vector<Submission>> List(int64_t secretariat_id) const;
  /// The secretariat's answer; answering again replaces it (and is audited again).
  /// api.not_found when `id` is not one of the secretariat's.
  Result<Submission> Answer(std::string_view actor, int64_t secretariat_id, int64_t id,
                            const std::string& answer);

 private:
  Result<Submission> Load(store::Transaction& tx, std::string_view where, int64_t id,
                          std::string_view folio) const;
  store::Database& db_;
  const store::AuditLog& audit_;
  const Clock& clock_;
};

}  // namespace rubrica::server::api
