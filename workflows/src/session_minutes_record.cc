// Sessions::MinutesRecord: the whole record of a session in one read, for its minute.
#include "rubrica/workflows/session_minutes_record.h"

#include <map>

#include "context.h"
#include "dates.h"
#include "session_rows.h"
#include "terms.h"

namespace rubrica::workflows {

std::string_view SeatPresenceName(SeatPresence p) {
  switch (p) {
    case SeatPresence::kTitular:
      return "titular";
    case SeatPresence::kSubstitute:
      return "substitute";
    case SeatPresence::kAbsent:
      return "absent";
  }
  return "absent";
}

namespace {

Result<RecordPerson> Person(store::Transaction& tx, int64_t id) {
  ASSIGN_OR_RETURN(PersonRow p, LoadPerson(tx, id));
  return RecordPerson{p.id, p.full_name, p.title, p.gender};
}

Result<VoteChoice> StoredChoice(std::string_view s) {
  for (auto c : {VoteChoice::kYes, VoteChoice::kNo, VoteChoice::kAbstain}) {
    if (VoteChoiceName(c) == s) return c;
  }
  return Status::Error(ErrorKind::kDataLoss, "workflows.bad_stored_vote",
                       "stored vote choice '" + std::string(s) + "' is unknown");
}

Result<DecisionMethod> StoredMethod(std::string_view s) {
  if (s == DecisionMethodName(DecisionMethod::kConsensus)) return DecisionMethod::kConsensus;
  if (s == DecisionMethodName(DecisionMethod::kMajority)) return DecisionMethod::kMajority;
  return Status::Error(ErrorKind::kDataLoss, "workflows.bad_stored_decision",
                       "stored decision method '" + std::string(s) + "' is unknown");
}

Result<DecisionOutcome> StoredOutcome(std::string_view s) {
  for (auto o : {DecisionOutcome::kApproved, DecisionOutcome::kRejected, DecisionOutcome::kTied}) {
    if (DecisionOutcomeName(o) == s) return o;
  }
  return Status::Error(ErrorKind::kDataLoss, "workflows.bad_stored_decision",
                       "stored decision outcome '" + std::string(s) + "' is unknown");
}

Status ReadTimes(store::Transaction& tx, SessionMinutesRecord& r) {
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT opened_at, closed_at FROM wf_session WHERE id = ?"));
  st.Bind(1, r.session.id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::Ok();
  if (!st.ColumnIsNull(0)) {
    ASSIGN_OR_RETURN(r.opened_at, ParseStoredInstant(st.ColumnText(0)));
  }
  if (!st.ColumnIsNull(1)) {
    ASSIGN_OR_RETURN(r.closed_at, ParseStoredInstant(st.ColumnText(1)));
  }
  ASSIGN_OR_RETURN(store::Statement n,
                   tx.Prepare("SELECT count(*) FROM wf_session WHERE secretariat_id = ? AND "
                              "kind = ? AND status IN ('open','closed') AND "
                              "substr(session_date, 1, 4) = substr(?, 1, 4) AND "
                              "(starts_at < ? OR (starts_at = ? AND id <= ?))"));
  const std::string starts = FormatRfc3339UtcMicros(r.session.starts_at);
  n.Bind(1, r.session.secretariat_id)
      .Bind(2, SessionKindName(r.session.kind))
      .Bind(3, FormatDate(r.session.session_date))
      .Bind(4, starts)
      .Bind(5, starts)
      .Bind(6, r.session.id);
  ASSIGN_OR_RETURN(bool counted, n.Step());
  r.number_in_year = counted ? std::max<int>(1, static_cast<int>(n.ColumnInt(0))) : 1;
  return Status::Ok();
}

Status ReadSeats(store::Transaction& tx, const Secretariat& s,
                 const std::vector<TermRecord>& terms,
                 const std::vector<AttendanceRecord>& attendance, SessionMinutesRecord& r) {
  std::map<int64_t, size_t> index;  // seat id -> position in r.seats
  for (const auto& t : terms) {
    if (t.role == TermRole::kFacilitator) {
      ASSIGN_OR_RETURN(r.facilitator, Person(tx, t.person_id));
      continue;
    }
    if (!t.seat_id) continue;
    auto [it, added] = index.emplace(*t.seat_id, r.seats.size());
    if (added) {
      SeatInSession seat;
      seat.seat_id = *t.seat_id;
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("SELECT member_type, represents FROM wf_seat WHERE id = ?"));
      st.Bind(1, *t.seat_id);
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (row) {
        seat.member_type = st.ColumnText(0);
        seat.represents = st.ColumnText(1);
      }
      for (const auto& mt : s.config.member_types) {
        if (mt.code == seat.member_type) seat.member_type_label = mt.label_es;
      }
      r.seats.push_back(std::move(seat));
    }
    SeatInSession& seat = r.seats[it->second];
    ASSIGN_OR_RETURN(RecordPerson p, Person(tx, t.person_id));
    if (t.role == TermRole::kTitular) {
      seat.titular = std::move(p);
    } else {
      seat.substitute = std::move(p);
    }
  }
  for (const auto& a : attendance) {
    switch (a.capacity) {
      case Capacity::kTitular:
      case Capacity::kSubstitute: {
        auto it = a.seat_id ? index.find(*a.seat_id) : index.end();
        if (it == index.end()) break;
        r.seats[it->second].presence = a.capacity == Capacity::kTitular ? SeatPresence::kTitular
                                                                         : SeatPresence::kSubstitute;
        break;
      }
      case Capacity::kFacilitator:
        r.facilitator_present = true;
        if (!r.facilitator) {
          ASSIGN_OR_RETURN(r.facilitator, Person(tx, a.person_id));
        }
        break;
      case Capacity::kObserver: {
        ASSIGN_OR_RETURN(RecordPerson p, Person(tx, a.person_id));
        r.observers.push_back(std::move(p));
        break;
      }
    }
  }
  return Status::Ok();
}

Status ReadDecisions(store::Transaction& tx, SessionMinutesRecord& r) {
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT d.id, i.position, d.subject, d.method, d.outcome, d.yes, "
                              "d.no, d.abstain, d.seats_present FROM wf_decision d JOIN "
                              "wf_agenda_item i ON i.id = d.item_id WHERE d.session_id = ? "
                              "ORDER BY d.id"));
  st.Bind(1, r.session.id);
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    RecordedDecision d;
    d.id = st.ColumnInt(0);
    d.item_position = static_cast<int>(st.ColumnInt(1));
    d.subject = st.ColumnText(2);
    ASSIGN_OR_RETURN(d.tally.method, StoredMethod(st.ColumnText(3)));
    ASSIGN_OR_RETURN(d.tally.outcome, StoredOutcome(st.ColumnText(4)));
    d.tally.yes = static_cast<int>(st.ColumnInt(5));
    d.tally.no = static_cast<int>(st.ColumnInt(6));
    d.tally.abstain = static_cast<int>(st.ColumnInt(7));
    d.tally.seats = static_cast<int>(st.ColumnInt(8));
    r.decisions.push_back(std::move(d));
  }
  for (auto& d : r.decisions) {
    ASSIGN_OR_RETURN(store::Statement vs,
                     tx.Prepare("SELECT seat_id, person_id, choice FROM wf_vote WHERE "
                                "decision_id = ? ORDER BY seat_id"));
    vs.Bind(1, d.id);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, vs.Step());
      if (!row) break;
      RecordedVote v;
      v.seat_id = vs.ColumnInt(0);
      ASSIGN_OR_RETURN(v.person, Person(tx, vs.ColumnInt(1)));
      ASSIGN_OR_RETURN(v.choice, StoredChoice(vs.ColumnText(2)));
      d.votes.push_back(std::move(v));
    }
  }
  return Status::Ok();
}

Status ReadAgreements(store::Transaction& tx, SessionMinutesRecord& r) {
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT id, decision_id, text, owner_person_id, due_on FROM "
                              "wf_agreement WHERE session_id = ? ORDER BY id"));
  st.Bind(1, r.session.id);
  std::vector<std::pair<RecordedAgreement, int64_t>> rows;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    RecordedAgreement a;
    a.id = st.ColumnInt(0);
    if (!st.ColumnIsNull(1)) a.decision_id = st.ColumnInt(1);
    a.text = st.ColumnText(2);
    ASSIGN_OR_RETURN(a.due_on, ParseStoredDate(st.ColumnText(4)));
    rows.emplace_back(std::move(a), st.ColumnInt(3));
  }
  for (auto& [a, owner] : rows) {
    ASSIGN_OR_RETURN(a.owner, Person(tx, owner));
    r.agreements.push_back(std::move(a));
  }
  return Status::Ok();
}

}  // namespace

Result<SessionMinutesRecord> Sessions::MinutesRecord(int64_t session_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  SessionMinutesRecord r;
  ASSIGN_OR_RETURN(r.session, LoadSession(tx, session_id));
  ASSIGN_OR_RETURN(Secretariat s, LoadSecretariat(tx, r.session.secretariat_id));
  r.secretariat_name = s.config.name;
  r.secretariat_place = s.config.place;
  r.secretariat_kind = s.config.kind;
  r.time_zone = s.config.time_zone;
  r.quorum_rule = s.config.quorum;
  r.quorum_rule_es = QuorumRuleEs(s.config.quorum);
  r.facilitator_signs_minutes = s.config.facilitator_signs_minutes;
  RETURN_IF_ERROR(ReadTimes(tx, r));
  ASSIGN_OR_RETURN(auto terms, LoadTermsInForce(tx, s.id, r.session.session_date));
  ASSIGN_OR_RETURN(auto attendance, LoadAttendance(tx, r.session.id));
  r.quorum = ComputeQuorum(s.config.quorum, terms, attendance);
  RETURN_IF_ERROR(ReadSeats(tx, s, terms, attendance, r));
  RETURN_IF_ERROR(ReadDecisions(tx, r));
  RETURN_IF_ERROR(ReadAgreements(tx, r));
  return r;
}

}  // namespace rubrica::workflows
