// Agreements (acuerdos) of a secretariat and their follow-up (seed VI.5, VII.1).
//
// An agreement comes from a session (optionally from one of its decisions), has an owner
// (a registered person), a due date, a status and a trail of follow-up notes. The
// facilitator records and follows them up; the owner may add notes on their own
// agreement. Audited; a refusal writes nothing. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/store/database.h"
#include "rubrica/workflows/actor.h"

namespace rubrica::workflows {

enum class AgreementStatus { kOpen, kInProgress, kDone, kCancelled };
std::string_view AgreementStatusName(AgreementStatus s);  // "open", "in_progress", ...

struct AgreementInput {
  int64_t session_id = 0;              // the session where it was agreed (held: open/closed)
  std::optional<int64_t> decision_id;  // a decision of that session, approved
  std::string text;                    // Spanish, required
  int64_t owner_person_id = 0;
  std::chrono::year_month_day due_on;
};

struct AgreementNote {
  Instant at;
  int64_t author_person_id = 0;
  std::string note;
  AgreementStatus status = AgreementStatus::kOpen;  // status after the note
};

struct AgreementRecord {
  int64_t id = 0;
  int64_t secretariat_id = 0;
  int64_t session_id = 0;
  std::optional<int64_t> decision_id;
  std::string text;
  int64_t owner_person_id = 0;
  std::chrono::year_month_day due_on;
  AgreementStatus status = AgreementStatus::kOpen;
  bool overdue = false;  // due date passed (secretariat's zone) and not done or cancelled
  std::vector<AgreementNote> notes;
};

class Agreements {
 public:
  Agreements(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  /// Facilitator. Refusals: workflows.role_not_allowed, workflows.out_of_turn (session not
  /// held), workflows.decision_not_adopted, workflows.bad_input.
  Result<int64_t> Record(const Actor& actor, const AgreementInput& input);
  /// Facilitator or the owner. A closed agreement (done/cancelled) takes no more notes:
  /// workflows.agreement_closed.
  Status AddNote(const Actor& actor, int64_t agreement_id, const std::string& note,
                 AgreementStatus new_status);
  Result<AgreementRecord> Get(int64_t agreement_id) const;
  /// Agreements of a secretariat, oldest first.
  Result<std::vector<AgreementRecord>> List(int64_t secretariat_id) const;

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace rubrica::workflows
