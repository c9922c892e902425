#include "session_rows.h"

#include <set>

#include "dates.h"
#include "refusal.h"

namespace rubrica::workflows {

namespace {

Result<SessionKind> ParseKind(std::string_view s) {
  if (s == "ordinary") return SessionKind::kOrdinary;
  if (s == "extraordinary") return SessionKind::kExtraordinary;
  return Status::Error(ErrorKind::kDataLoss, "workflows.bad_stored_session",
                       "stored session kind '" + std::string(s) + "' is unknown");
}

Result<SessionStatus> ParseStatus(std::string_view s) {
  if (s == "convened") return SessionStatus::kConvened;
  if (s == "cancelled") return SessionStatus::kCancelled;
  if (s == "open") return SessionStatus::kOpen;
  if (s == "closed") return SessionStatus::kClosed;
  return Status::Error(ErrorKind::kDataLoss, "workflows.bad_stored_session",
                       "stored session status '" + std::string(s) + "' is unknown");
}

Result<Capacity> ParseCapacity(std::string_view s) {
  if (s == "titular") return Capacity::kTitular;
  if (s == "substitute") return Capacity::kSubstitute;
  if (s == "facilitator") return Capacity::kFacilitator;
  if (s == "observer") return Capacity::kObserver;
  return Status::Error(ErrorKind::kDataLoss, "workflows.bad_stored_session",
                       "stored capacity '" + std::string(s) + "' is unknown");
}

}  // namespace

Result<SessionRecord> LoadSession(store::Transaction& tx, int64_t session_id) {
  SessionRecord r;
  {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT id, secretariat_id, kind, status, starts_at, session_date, "
                                "place, convened_at, notice_business_days, agenda_approved_at "
                                "FROM wf_session WHERE id = ?"));
    st.Bind(1, session_id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return NotFound("session", "la sesión", session_id);
    r.id = st.ColumnInt(0);
    r.secretariat_id = st.ColumnInt(1);
    ASSIGN_OR_RETURN(r.kind, ParseKind(st.ColumnText(2)));
    ASSIGN_OR_RETURN(r.status, ParseStatus(st.ColumnText(3)));
    ASSIGN_OR_RETURN(r.starts_at, ParseStoredInstant(st.ColumnText(4)));
    ASSIGN_OR_RETURN(r.session_date, ParseStoredDate(st.ColumnText(5)));
    r.place = st.ColumnText(6);
    ASSIGN_OR_RETURN(r.convened_at, ParseStoredInstant(st.ColumnText(7)));
    r.notice_business_days = static_cast<int>(st.ColumnInt(8));
    r.agenda_approved = !st.ColumnIsNull(9);
  }
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT position, title, removal_id, discussion FROM wf_agenda_item "
                              "WHERE session_id = ? ORDER BY position"));
  st.Bind(1, session_id);
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    AgendaItem item;
    item.position = static_cast<int>(st.ColumnInt(0));
    item.title = st.ColumnText(1);
    if (!st.ColumnIsNull(2)) item.removal_id = st.ColumnInt(2);
    item.discussion = st.ColumnText(3);
    r.agenda.push_back(std::move(item));
  }
  return r;
}

Result<std::vector<AttendanceRecord>> LoadAttendance(store::Transaction& tx, int64_t session_id) {
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT person_id, seat_id, capacity FROM wf_attendance "
                              "WHERE session_id = ? ORDER BY seat_id IS NULL, seat_id, person_id"));
  st.Bind(1, session_id);
  std::vector<AttendanceRecord> list;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    AttendanceRecord a;
    a.person_id = st.ColumnInt(0);
    if (!st.ColumnIsNull(1)) a.seat_id = st.ColumnInt(1);
    ASSIGN_OR_RETURN(a.capacity, ParseCapacity(st.ColumnText(2)));
    list.push_back(a);
  }
  return list;
}

QuorumReport ComputeQuorum(QuorumRule rule, const std::vector<TermRecord>& terms,
                           const std::vector<AttendanceRecord>& attendance) {
  std::set<int64_t> seats;
  for (const auto& t : terms) {
    if (t.seat_id) seats.insert(*t.seat_id);
  }
  QuorumReport q;
  q.seats = static_cast<int>(seats.size());
  for (const auto& a : attendance) {
    if (a.seat_id && seats.count(*a.seat_id)) ++q.present;
  }
  q.needed = QuorumNeeded(rule, q.seats);
  q.met = q.seats > 0 && q.present >= q.needed;
  return q;
}

std::string QuorumRuleEs(QuorumRule rule) {
  return rule == QuorumRule::kAllSeats ? "todos los integrantes (titular o suplente)"
                                       : "el 50 % más uno de los integrantes";
}

}  // namespace rubrica::workflows
