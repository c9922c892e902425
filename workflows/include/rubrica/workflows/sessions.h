// Sessions of a secretariat: convocation, cancellation, attendance, quorum, agenda,
// discussion, decisions.
//
// Life of a session: convened -> open -> closed, or convened -> cancelled.
//   - Convene (the convener by configuration: garante or facilitator): with an agenda, at
//     least N business days strictly between the local convocation date and the local
//     session date (5 ordinary, 2 extraordinary; seed III.4). Pending removals are added
//     to the agenda (seed I.3).
//   - Cancel (the convener): only when every seat approved the cancellation
//     (ApproveCancellation) and at least 24 hours before the start (III.5).
//   - RecordAttendance / RecordObserver (facilitator): the titular or the substitute of
//     each seat, never both; the facilitator; observers (III.10).
//   - Open (the presider): on or after the session date, when the quorum is met (III.2).
//   - ApproveAgenda (facilitator records it): every seat present approves (III.1).
//   - RecordDiscussion, RecordDecision (facilitator): decisions by consensus, else by the
//     majority of seats present; the tally is stored (IV, III.9).
//   - Close (the presider).
// Each step is audited in its transaction; a refusal writes nothing. Times come from the
// injected Clock; dates are taken in the secretariat's zone. Thread-safe.
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
#include "rubrica/workflows/tally.h"

namespace rubrica::workflows {

enum class SessionKind { kOrdinary, kExtraordinary };
enum class SessionStatus { kConvened, kCancelled, kOpen, kClosed };
enum class Capacity { kTitular, kSubstitute, kFacilitator, kObserver };
std::string_view SessionKindName(SessionKind k);      // "ordinary", "extraordinary"
std::string_view SessionStatusName(SessionStatus s);  // "convened", "cancelled", "open", "closed"
std::string_view CapacityName(Capacity c);            // "titular", "substitute", ...

struct Convocation {
  SessionKind kind = SessionKind::kOrdinary;
  Instant starts_at;
  std::string place;
  std::vector<std::string> agenda;  // item titles, in order; at least one
};

struct AgendaItem {
  int position = 0;  // 1-based
  std::string title;
  std::optional<int64_t> removal_id;  // set for a removal put on the agenda (seed I.3)
  std::string discussion;
};

struct SessionRecord {
  int64_t id = 0;
  int64_t secretariat_id = 0;
  SessionKind kind = SessionKind::kOrdinary;
  SessionStatus status = SessionStatus::kConvened;
  Instant starts_at;
  std::chrono::year_month_day session_date;  // local date in the secretariat's zone
  std::string place;
  Instant convened_at;
  int notice_business_days = 0;
  bool agenda_approved = false;
  std::vector<AgendaItem> agenda;
};

struct AttendanceRecord {
  int64_t person_id = 0;
  std::optional<int64_t> seat_id;
  Capacity capacity = Capacity::kObserver;
};

struct QuorumReport {
  int seats = 0;    // seats with a titular or substitute in force on the session date
  int present = 0;  // seats with the titular or the substitute present
  int needed = 0;
  bool met = false;
};

struct VoteInput {
  int64_t person_id = 0;
  VoteChoice choice = VoteChoice::kYes;
};

struct DecisionInput {
  int item_position = 0;         // agenda item decided
  std::string subject;           // what was decided, in Spanish
  std::vector<VoteInput> votes;  // exactly one per seat present
};

struct DecisionRecord {
  int64_t id = 0;
  Tally tally;
};

/// A member's acknowledgement that they received a session's convocation.
struct ConvocationAcknowledgement {
  int64_t person_id = 0;
  int64_t seat_id = 0;  // the seat whose titular or substitute they were when acknowledging
  Instant at;
};

struct SessionMinutesRecord;  // session_minutes_record.h

class Sessions {
 public:
  Sessions(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  /// Refusals: workflows.role_not_allowed, workflows.agenda_missing,
  /// workflows.notice_too_short, workflows.bad_input (start in the past, empty place).
  Result<int64_t> Convene(const Actor& actor, int64_t secretariat_id, const Convocation& c);

  /// A member (titular or substitute in force) approves cancelling; one approval per seat.
  /// Refusals: workflows.role_not_allowed, workflows.out_of_turn, workflows.already_approved.
  Status ApproveCancellation(const Actor& actor, int64_t session_id);
  /// Issues the cancellation notice now. Refusals: workflows.role_not_allowed,
  /// workflows.out_of_turn, workflows.cancellation_not_approved,
  /// workflows.cancellation_too_late.
  Status Cancel(const Actor& actor, int64_t session_id, const std::string& reason);

  /// Records `person_id` as present, in the capacity their term gives them on the
  /// session date (titular, substitute, facilitator). Refusals: workflows.role_not_allowed,
  /// workflows.out_of_turn, workflows.not_a_member, workflows.seat_already_present,
  /// workflows.already_present.
  Result<Capacity> RecordAttendance(const Actor& actor, int64_t session_id, int64_t person_id);
  /// Records an observer (a registered person without a term in force; voice, no vote).
  Status RecordObserver(const Actor& actor, int64_t session_id, int64_t person_id);

  /// Opens the session. Refusals: workflows.role_not_allowed, workflows.out_of_turn,
  /// workflows.session_not_yet, workflows.quorum_not_met.
  Result<QuorumReport> Open(const Actor& actor, int64_t session_id);
  /// Records that `approving` (person ids) approved the agenda; must be the holder present
  /// for every seat present (workflows.agenda_not_unanimous).
  Status ApproveAgenda(const Actor& actor, int64_t session_id,
                       const std::vector<int64_t>& approving);
  Status RecordDiscussion(const Actor& actor, int64_t session_id, int item_position,
                          const std::string& summary);
  /// Refusals: workflows.agenda_not_approved, workflows.facilitator_cannot_vote,
  /// workflows.not_present, workflows.duplicate_vote, workflows.vote_incomplete,
  /// workflows.removal_needs_all_members, workflows.already_decided (removal items).
  Result<DecisionRecord> RecordDecision(const Actor& actor, int64_t session_id,
                                        const DecisionInput& decision);
  Status Close(const Actor& actor, int64_t session_id);

  /// A member (titular or substitute in force) acknowledges having received the
  /// convocation of a convened session (session_acknowledgements.cc). Idempotent: the
  /// first acknowledgement is recorded with its time and audited
  /// (session.convocation_acknowledge); a repeat changes nothing and returns the first.
  /// Refusals: workflows.role_not_allowed, workflows.out_of_turn (the session is not
  /// convened any more: cancelled, open or closed).
  Result<ConvocationAcknowledgement> AcknowledgeConvocation(const Actor& actor,
                                                            int64_t session_id);
  /// Who acknowledged the convocation, earliest first. workflows.not_found for an unknown
  /// session.
  Result<std::vector<ConvocationAcknowledgement>> Acknowledgements(int64_t session_id) const;

  Result<SessionRecord> Get(int64_t session_id) const;
  /// The sessions of a secretariat (any status), oldest start first.
  /// workflows.not_found for an unknown secretariat.
  Result<std::vector<SessionRecord>> List(int64_t secretariat_id) const;
  Result<std::vector<AttendanceRecord>> Attendance(int64_t session_id) const;
  Result<QuorumReport> Quorum(int64_t session_id) const;
  /// The whole record of the session in one read (session_minutes_record.h): seats and who
  /// sat in each, observers, quorum and rule, decisions with their votes, agreements.
  /// workflows.not_found for an unknown session.
  Result<SessionMinutesRecord> MinutesRecord(int64_t session_id) const;
  /// The date by which the next ordinary session is due by the cadence (14 days or one
  /// month after the last ordinary session held; workflows.not_found when none was held).
  Result<std::chrono::year_month_day> NextOrdinaryDue(int64_t secretariat_id) const;

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace rubrica::workflows
