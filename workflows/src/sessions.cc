// Sessions: convocation, cancellation and the read side. Conduct of a session (attendance,
// quorum, agenda, discussion) is in session_conduct.cc, decisions in decisions.cc.
#include "rubrica/workflows/sessions.h"

#include "audit.h"
#include "context.h"
#include "dates.h"
#include "refusal.h"
#include "rubrica/base/json_writer.h"
#include "session_rows.h"
#include "terms.h"
#include "transaction.h"
#include "rubrica/lang/dates.h"

namespace rubrica::workflows {

using namespace std::chrono;

std::string_view SessionKindName(SessionKind k) {
  return k == SessionKind::kOrdinary ? "ordinary" : "extraordinary";
}

std::string_view SessionStatusName(SessionStatus s) {
  switch (s) {
    case SessionStatus::kConvened:
      return "convened";
    case SessionStatus::kCancelled:
      return "cancelled";
    case SessionStatus::kOpen:
      return "open";
    case SessionStatus::kClosed:
      return "closed";
  }
  return "convened";
}

std::string_view CapacityName(Capacity c) {
  switch (c) {
    case Capacity::kTitular:
      return "titular";
    case Capacity::kSubstitute:
      return "substitute";
    case Capacity::kFacilitator:
      return "facilitator";
    case Capacity::kObserver:
      return "observer";
  }
  return "observer";
}

namespace {

std::string Duration(minutes m) {
  return std::to_string(m.count() / 60) + " h " + std::to_string(m.count() % 60) + " min";
}

}  // namespace

Result<int64_t> Sessions::Convene(const Actor& actor, int64_t secretariat_id,
                                  const Convocation& c) {
  bool agenda_ok = !c.agenda.empty();
  for (const auto& item : c.agenda) agenda_ok = agenda_ok && !item.empty();
  if (!agenda_ok) {
    return Refusal(ErrorKind::kRejected, "agenda_missing", "convocation without an agenda",
                   "Las convocatorias deben acompañarse del orden del día (lineamiento III.4).");
  }
  if (c.place.empty())
    return BadInput("convocation without a place", "Falta el lugar de la sesión.");
  return Write(db_, [&](store::Transaction& tx) -> Result<int64_t> {
    const Instant now = clock_.Now();
    ASSIGN_OR_RETURN(Authorized auth, Authorize(tx, clock_, secretariat_id, actor, 0, "", ""));
    const Secretariat& s = auth.secretariat;
    const year_month_day today = s.zone.LocalDate(now);
    RETURN_IF_ERROR(Require(auth.roles, OfficerBit(s.config.convener), actor, "convene a session",
                            "convocar a sesión"));
    if (c.starts_at <= now) {
      return BadInput("session start " + FormatRfc3339Utc(c.starts_at) + " is not in the future",
                      "La sesión convocada debe ser posterior a la convocatoria.");
    }
    const year_month_day session_date = s.zone.LocalDate(c.starts_at);
    ASSIGN_OR_RETURN(BusinessCalendar calendar, LoadCalendar(tx, s));
    const int between = calendar.BusinessDaysStrictlyBetween(today, session_date);
    const bool ordinary = c.kind == SessionKind::kOrdinary;
    const int needed = ordinary ? s.config.ordinary_notice_business_days
                                : s.config.extraordinary_notice_business_days;
    if (between < needed) {
      return Refusal(ErrorKind::kRejected, "notice_too_short",
                     std::string(SessionKindName(c.kind)) + " session on " +
                         FormatDate(session_date) + " convened on " + FormatDate(today) + ": " +
                         std::to_string(between) + " business days between, " +
                         std::to_string(needed) + " required",
                     "Se requieren al menos " + std::to_string(needed) +
                         " días hábiles entre la convocatoria y la sesión " +
                         (ordinary ? "ordinaria" : "extraordinaria") +
                         " (lineamiento III.4); del " + lang::DateEs(today) + " al " +
                         lang::DateEs(session_date) + " hay " + std::to_string(between) + ".");
    }
    ASSIGN_OR_RETURN(store::Statement ins,
                     tx.Prepare("INSERT INTO wf_session(secretariat_id, kind, status, starts_at, "
                                "session_date, place, convened_at, notice_business_days) "
                                "VALUES(?,?,'convened',?,?,?,?,?)"));
    ins.Bind(1, s.id)
        .Bind(2, SessionKindName(c.kind))
        .Bind(3, FormatRfc3339UtcMicros(c.starts_at))
        .Bind(4, FormatDate(session_date))
        .Bind(5, c.place)
        .Bind(6, FormatRfc3339UtcMicros(now))
        .Bind(7, int64_t{between});
    RETURN_IF_ERROR(ins.Run());
    const int64_t id = tx.LastInsertId();

    struct Item {
      std::string title;
      std::optional<int64_t> removal;
    };
    std::vector<Item> items;
    for (const auto& title : c.agenda) items.push_back({title, std::nullopt});
    {
      // Seed I.3: a proposed removal goes on the agenda of the next session, unless a session
      // already convened or under way carries it.
      ASSIGN_OR_RETURN(
          store::Statement st,
          tx.Prepare(
              "SELECT r.id, p.full_name, s.represents FROM wf_removal r "
              "JOIN wf_term t ON t.id = r.target_term_id JOIN wf_person p ON p.id = t.person_id "
              "JOIN wf_seat s ON s.id = t.seat_id WHERE r.secretariat_id = ? AND "
              "r.status = 'proposed' AND NOT EXISTS (SELECT 1 FROM wf_agenda_item a JOIN "
              "wf_session x ON x.id = a.session_id WHERE a.removal_id = r.id AND "
              "x.status IN ('convened','open')) ORDER BY r.id"));
      st.Bind(1, s.id);
      for (;;) {
        ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        items.push_back(
            {"Propuesta de remoción de " + st.ColumnText(1) + " (" + st.ColumnText(2) + ")",
             st.ColumnInt(0)});
      }
    }
    JsonWriter agenda_json;
    agenda_json.BeginArray();
    for (size_t i = 0; i < items.size(); ++i) {
      ASSIGN_OR_RETURN(store::Statement it,
                       tx.Prepare("INSERT INTO wf_agenda_item(session_id, position, title, "
                                  "removal_id) VALUES(?,?,?,?)"));
      it.Bind(1, id).Bind(2, static_cast<int64_t>(i + 1)).Bind(3, items[i].title);
      BindOptionalId(it, 4, items[i].removal);
      RETURN_IF_ERROR(it.Run());
      agenda_json.String(items[i].title);
    }
    agenda_json.EndArray();
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "session.convene", "session", id,
                          Payload()
                              .Add("secretariat", s.id)
                              .Add("kind", SessionKindName(c.kind))
                              .Add("starts_at", FormatRfc3339Utc(c.starts_at))
                              .Add("business_days_between", between)
                              .AddRaw("agenda", agenda_json.str())));
    return id;
  });
}

Status Sessions::ApproveCancellation(const Actor& actor, int64_t session_id) {
  return Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(SessionRecord session, LoadSession(tx, session_id));
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, session.secretariat_id, actor, kMember,
                               "approve a cancellation", "aprobar la cancelación de una sesión"));
    const Roles& roles = auth.roles;
    if (session.status != SessionStatus::kConvened) {
      return OutOfTurn("session " + std::to_string(session.id) + " is " +
                           std::string(SessionStatusName(session.status)) + ", not convened",
                       "Solo puede cancelarse una sesión convocada que aún no se celebra.");
    }
    const int64_t seat = *roles.seat->seat_id;
    ASSIGN_OR_RETURN(store::Statement q, tx.Prepare("SELECT 1 FROM wf_cancellation_approval "
                                                    "WHERE session_id = ? AND seat_id = ?"));
    q.Bind(1, session.id).Bind(2, seat);
    ASSIGN_OR_RETURN(bool exists, q.Step());
    if (exists) {
      return Refusal(ErrorKind::kConflict, "already_approved",
                     "seat " + std::to_string(seat) + " already approved cancelling session " +
                         std::to_string(session.id),
                     "Este asiento ya aprobó la cancelación.");
    }
    ASSIGN_OR_RETURN(store::Statement ins,
                     tx.Prepare("INSERT INTO wf_cancellation_approval(session_id, seat_id, "
                                "person_id, at) VALUES(?,?,?,?)"));
    ins.Bind(1, session.id)
        .Bind(2, seat)
        .Bind(3, actor.person_id)
        .Bind(4, FormatRfc3339UtcMicros(clock_.Now()));
    RETURN_IF_ERROR(ins.Run());
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "session.cancellation_approve", "session", session.id,
                          Payload().Add("seat", seat)));
    return Status::Ok();
  });
}

Status Sessions::Cancel(const Actor& actor, int64_t session_id, const std::string& reason) {
  return Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(SessionRecord session, LoadSession(tx, session_id));
    const Instant now = clock_.Now();
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, session.secretariat_id, actor, 0, "", ""));
    const Secretariat& s = auth.secretariat;
    const year_month_day today = s.zone.LocalDate(now);
    RETURN_IF_ERROR(Require(auth.roles, OfficerBit(s.config.convener), actor, "cancel a session",
                            "emitir el comunicado de cancelación"));
    if (session.status != SessionStatus::kConvened) {
      return OutOfTurn("session " + std::to_string(session.id) + " is " +
                           std::string(SessionStatusName(session.status)) + ", not convened",
                       "Solo puede cancelarse una sesión convocada que aún no se celebra.");
    }
    ASSIGN_OR_RETURN(auto terms, LoadTermsInForce(tx, s.id, today));
    const int seats = CountSeats(terms);
    ASSIGN_OR_RETURN(store::Statement q, tx.Prepare("SELECT count(*) FROM wf_cancellation_approval "
                                                    "WHERE session_id = ?"));
    q.Bind(1, session.id);
    ASSIGN_OR_RETURN(bool row, q.Step());
    const int approved = row ? static_cast<int>(q.ColumnInt(0)) : 0;
    if (approved < seats) {
      return Refusal(ErrorKind::kRejected, "cancellation_not_approved",
                     "cancellation of session " + std::to_string(session.id) + " approved by " +
                         std::to_string(approved) + " of " + std::to_string(seats) + " seats",
                     "La cancelación requiere la aprobación previa de todos los integrantes "
                     "(lineamiento III.5); la aprobaron " +
                         std::to_string(approved) + " de " + std::to_string(seats) + ".");
    }
    const auto notice = hours(s.config.cancellation_notice_hours);
    if (now > session.starts_at - notice) {
      const auto left = floor<minutes>(session.starts_at - now);
      return Refusal(
          ErrorKind::kRejected, "cancellation_too_late",
          "cancellation of session " + std::to_string(session.id) + " issued " + Duration(left) +
              " before it; " + std::to_string(s.config.cancellation_notice_hours) + " h required",
          "La cancelación debe comunicarse al menos " +
              std::to_string(s.config.cancellation_notice_hours) +
              " horas antes de la sesión (lineamiento III.5); faltan " + Duration(left) + ".");
    }
    ASSIGN_OR_RETURN(store::Statement up,
                     tx.Prepare("UPDATE wf_session SET status = 'cancelled', cancelled_at = ?, "
                                "cancel_reason = ? WHERE id = ?"));
    up.Bind(1, FormatRfc3339UtcMicros(now)).Bind(2, reason).Bind(3, session.id);
    RETURN_IF_ERROR(up.Run());
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "session.cancel", "session", session.id,
                          Payload().Add("reason", reason).Add("approvals", approved)));
    return Status::Ok();
  });
}

Result<SessionRecord> Sessions::Get(int64_t session_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  return LoadSession(tx, session_id);
}

Result<std::vector<AttendanceRecord>> Sessions::Attendance(int64_t session_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(SessionRecord session, LoadSession(tx, session_id));
  return LoadAttendance(tx, session.id);
}

Result<QuorumReport> Sessions::Quorum(int64_t session_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(SessionRecord session, LoadSession(tx, session_id));
  ASSIGN_OR_RETURN(Secretariat s, LoadSecretariat(tx, session.secretariat_id));
  ASSIGN_OR_RETURN(auto terms, LoadTermsInForce(tx, s.id, session.session_date));
  ASSIGN_OR_RETURN(auto attendance, LoadAttendance(tx, session.id));
  return ComputeQuorum(s.config.quorum, terms, attendance);
}

Result<year_month_day> Sessions::NextOrdinaryDue(int64_t secretariat_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(Secretariat s, LoadSecretariat(tx, secretariat_id));
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT max(session_date) FROM wf_session WHERE secretariat_id = ? "
                              "AND kind = 'ordinary' AND status IN ('open','closed')"));
  st.Bind(1, s.id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row || st.ColumnIsNull(0)) {
    return Refusal(ErrorKind::kNotFound, "not_found",
                   "secretariat " + std::to_string(s.id) + " has held no ordinary session",
                   "El secretariado aún no celebra sesiones ordinarias.");
  }
  ASSIGN_OR_RETURN(year_month_day last, ParseStoredDate(st.ColumnText(0)));
  if (s.config.cadence == Cadence::kFortnightly) return year_month_day{sys_days(last) + days(14)};
  year_month_day next = last + months(1);
  return next.ok() ? next : year_month_day{next.year() / next.month() / std::chrono::last};
}

}  // namespace rubrica::workflows
