// The record of a held session, read whole: what the session's minute is written from and
// what GET /api/sessions/{id}/record returns.
//
// One consistent read (one transaction) of the convocation, the agenda as approved, the
// seats in force on the session date with who sat in each (titular, substitute) or that
// it was absent, the facilitator, the observers, the quorum with its rule, every
// decision with its method, tally and each seat's vote, and the agreements with owner
// and due date. People carry their recorded grammatical gender (lang::Gender), so the
// texts written about them agree with it. Plain values; Sessions::MinutesRecord reads it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/lang/gender.h"
#include "rubrica/workflows/agreements.h"
#include "rubrica/workflows/secretariat_config.h"
#include "rubrica/workflows/sessions.h"
#include "rubrica/workflows/tally.h"

namespace rubrica::workflows {

/// A person as the record names them.
struct RecordPerson {
  int64_t id = 0;
  std::string full_name;
  std::string title;  // the person's position, as written
  lang::Gender gender = lang::Gender::kNeutral;
};

enum class SeatPresence { kTitular, kSubstitute, kAbsent };
std::string_view SeatPresenceName(SeatPresence p);  // "titular", "substitute", "absent"

/// One seat in force on the session date and who sat in it.
struct SeatInSession {
  int64_t seat_id = 0;
  std::string member_type;        // code, "academia"
  std::string member_type_label;  // "Academia"
  std::string represents;         // institution or sector, as written in actas
  std::optional<RecordPerson> titular;     // in force on the session date
  std::optional<RecordPerson> substitute;  // in force on the session date
  SeatPresence presence = SeatPresence::kAbsent;
};

struct RecordedVote {
  int64_t seat_id = 0;
  RecordPerson person;
  VoteChoice choice = VoteChoice::kYes;
};

struct RecordedDecision {
  int64_t id = 0;
  int item_position = 0;
  std::string subject;
  Tally tally;
  std::vector<RecordedVote> votes;  // by seat, in the order of `seats`
};

struct RecordedAgreement {
  int64_t id = 0;
  std::optional<int64_t> decision_id;
  std::string text;
  RecordPerson owner;
  std::chrono::year_month_day due_on;
  AgreementStatus status = AgreementStatus::kOpen;
};

struct SessionMinutesRecord {
  SessionRecord session;
  /// 1 for the first session of its kind (ordinary or extraordinary) held in its year,
  /// counting sessions that were held (open or closed) and started no later than this one.
  int number_in_year = 1;
  std::optional<Instant> opened_at;
  std::optional<Instant> closed_at;
  // The secretariat.
  std::string secretariat_name;
  std::string secretariat_place;
  SecretariatKind secretariat_kind = SecretariatKind::kStm;
  std::string time_zone;
  QuorumRule quorum_rule = QuorumRule::kMajority;
  std::string quorum_rule_es;  // "el 50 % más uno de los integrantes"
  bool facilitator_signs_minutes = false;  // the secretariat's configuration
  QuorumReport quorum;
  std::vector<SeatInSession> seats;         // by seat id
  std::optional<RecordPerson> facilitator;  // in force on the session date
  bool facilitator_present = false;
  std::vector<RecordPerson> observers;        // by person id
  std::vector<RecordedDecision> decisions;    // in the order they were taken
  std::vector<RecordedAgreement> agreements;  // in the order they were recorded
};

}  // namespace rubrica::workflows
