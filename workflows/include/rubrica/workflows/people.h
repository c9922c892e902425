// People, seats and terms of a secretariat; removal; end of term and hand-over.
//
// A person is installation-wide (the same garante officer may sit in several
// secretariats). A seat belongs to one secretariat and has a member type; each seat has
// at most one titular and one substitute term in force on any date. The facilitator holds
// a term without a seat (voice, no vote) and cannot hold a seat in the same secretariat.
// A term is in force on date d when starts_on <= d <= ends_on and it was not removed
// before d. Observers hold no term: they are recorded per session (Sessions).
//
// Re-election: a term for the same person, seat and role as the seat's previous term of
// that role counts as a re-election; more than `max_reelections` consecutive ones are
// refused (workflows.reelection_limit).
//
// Removal (seed I.3): at least two members of distinct seats propose it; it goes on the
// agenda of the next convened session; it is decided there by a vote in which every seat
// takes part (Sessions::RecordDecision).
//
// End of term (STL I.7, STM I.6): the holder files an activity report; then the hand-over
// of every document of the term to the successor and the facilitator is recorded.
//
// Every change is audited in its transaction; a refusal writes nothing. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/lang/gender.h"
#include "rubrica/store/database.h"
#include "rubrica/workflows/actor.h"

namespace rubrica::workflows {

enum class TermRole { kTitular, kSubstitute, kFacilitator };
std::string_view TermRoleName(TermRole r);  // "titular", "substitute", "facilitator"

struct PersonInput {
  std::string full_name;  // required
  std::string title;      // "Secretaria del Ayuntamiento", may be empty
  std::string email;      // may be empty
  /// Grammatical gender, for the posts and articles printed about the person (lang/).
  /// Default kNeutral: neutral wording ("persona facilitadora").
  lang::Gender gender = lang::Gender::kNeutral;
};

struct SeatInput {
  std::string member_type;  // one of the secretariat's member type codes
  std::string represents;   // institution or sector represented, as written in actas
};

struct TermInput {
  int64_t person_id = 0;
  TermRole role = TermRole::kTitular;
  std::optional<int64_t> seat_id;  // required for titular/substitute, absent for facilitator
  std::chrono::year_month_day starts_on;
  /// Default: by the secretariat's term rule (starts_on + term_months - 1 day, or the
  /// administration's last day).
  std::optional<std::chrono::year_month_day> ends_on;
};

struct TermRecord {
  int64_t id = 0;
  int64_t secretariat_id = 0;
  std::optional<int64_t> seat_id;
  int64_t person_id = 0;
  TermRole role = TermRole::kTitular;
  std::chrono::year_month_day starts_on;
  std::chrono::year_month_day ends_on;
  int reelection_count = 0;
  std::optional<std::chrono::year_month_day> removed_on;
};

struct HandoverDocument {
  std::string kind;     // "acta", "term_report", "other"
  std::string ref;      // "acta:7", a caller's label for "other"
  std::string blob_id;  // content-addressed id of the document's bytes (may be empty)
};

/// A registered person (installation-wide).
struct PersonRecord {
  int64_t id = 0;
  std::string full_name;
  std::string title;
  std::string email;
  lang::Gender gender = lang::Gender::kNeutral;
};

/// A seat of a secretariat.
struct SeatRecord {
  int64_t id = 0;
  int64_t secretariat_id = 0;
  std::string member_type;
  std::string represents;
};

/// What a person is in one secretariat today (the secretariat's zone), as the workflow's
/// own checks see it: the installation's administrator, the facilitator, the holder of a
/// seat (titular or substitute) and, when that seat is of the garante member type, the
/// organismo garante.
struct RolesToday {
  bool administrator = false;
  bool facilitator = false;
  bool garante = false;
  std::optional<TermRecord> seat;  // the titular or substitute term in force
};

struct HandoverRecord {
  int64_t id = 0;
  int64_t term_id = 0;
  Instant at;
  std::vector<int64_t> recipients;  // successor first, then the facilitator
  std::vector<HandoverDocument> documents;
};

class People {
 public:
  People(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  /// Registers a person. Administrator only. Empty name: workflows.bad_input.
  Result<int64_t> AddPerson(const Actor& actor, const PersonInput& person);

  /// Adds a seat. Administrator or the secretariat's facilitator. Unknown member type:
  /// workflows.unknown_member_type.
  Result<int64_t> AddSeat(const Actor& actor, int64_t secretariat_id, const SeatInput& seat);

  /// Starts a term. Administrator; or the facilitator for seat terms. Refusals:
  /// workflows.seat_taken (another term of that seat and role overlaps),
  /// workflows.reelection_limit, workflows.facilitator_cannot_hold_seat, workflows.bad_input.
  Result<int64_t> StartTerm(const Actor& actor, int64_t secretariat_id, const TermInput& term);
  /// Re-elects the holder of `term_id` for the next term (from the day after it ends).
  Result<int64_t> Reelect(const Actor& actor, int64_t term_id);

  Result<TermRecord> GetTerm(int64_t term_id) const;
  /// A person; workflows.not_found when absent.
  Result<PersonRecord> GetPerson(int64_t person_id) const;
  /// Every registered person, by id.
  Result<std::vector<PersonRecord>> ListPeople() const;
  /// The seats of a secretariat, by id. workflows.not_found for an unknown secretariat.
  Result<std::vector<SeatRecord>> Seats(int64_t secretariat_id) const;
  /// The actor's roles in `secretariat_id` today (see RolesToday). workflows.not_found for
  /// an unknown secretariat. Read-only.
  Result<RolesToday> RolesOf(const Actor& actor, int64_t secretariat_id) const;
  /// Terms of the secretariat in force on `date`, seat terms first (by seat, titular
  /// before substitute), then the facilitator.
  Result<std::vector<TermRecord>> TermsInForce(int64_t secretariat_id,
                                               std::chrono::year_month_day date) const;

  /// Proposes removing the holder of `target_term_id`. `proposers` are person ids; at
  /// least two must hold seat terms in force today, in distinct seats other than the
  /// target's (workflows.removal_needs_two_proposers). The actor must be one of them or
  /// the facilitator. Returns the removal id; the next convocation puts it on the agenda.
  Result<int64_t> ProposeRemoval(const Actor& actor, int64_t target_term_id,
                                 const std::vector<int64_t>& proposers, const std::string& reason);

  /// Files the end-of-term activity report of `term_id` (the holder, or the facilitator on
  /// the holder's behalf). `report_blob_id` names the report's bytes in the blob store.
  /// Twice: workflows.report_exists.
  Result<int64_t> FileTermReport(const Actor& actor, int64_t term_id,
                                 const std::string& report_blob_id, const std::string& summary);

  /// Records the hand-over of every document of `term_id` (every acta of the secretariat
  /// dated within the term, its latest bytes; the term report; `extra` documents) to the
  /// successor (the next term of the same seat and role) and to the facilitator in force.
  /// The outgoing holder or the facilitator. Refusals: workflows.report_missing,
  /// workflows.no_successor, workflows.handover_exists.
  Result<HandoverRecord> RecordHandover(const Actor& actor, int64_t term_id,
                                        const std::vector<HandoverDocument>& extra);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace rubrica::workflows
