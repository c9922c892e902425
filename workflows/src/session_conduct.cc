// Sessions: what happens in the room — attendance, opening with quorum, the agenda's
// approval, discussion, closing.
#include <set>

#include "audit.h"
#include "context.h"
#include "dates.h"
#include "refusal.h"
#include "rubrica/workflows/sessions.h"
#include "session_rows.h"
#include "terms.h"
#include "transaction.h"
#include "rubrica/lang/dates.h"

namespace rubrica::workflows {

using namespace std::chrono;

namespace {

Status NotUnderWay(const SessionRecord& session, std::string_view needed_en,
                   std::string_view needed_es) {
  return OutOfTurn("session " + std::to_string(session.id) + " is " +
                       std::string(SessionStatusName(session.status)) + "; " +
                       std::string(needed_en),
                   std::string(needed_es));
}

Status CheckNotPresent(const std::vector<AttendanceRecord>& attendance, const PersonRow& person,
                       int64_t session_id) {
  for (const auto& a : attendance) {
    if (a.person_id == person.id) {
      return Refusal(ErrorKind::kConflict, "already_present",
                     "person " + std::to_string(person.id) + " already recorded in session " +
                         std::to_string(session_id),
                     "La asistencia de " + person.full_name + " ya está registrada.");
    }
  }
  return Status::Ok();
}

Status InsertAttendance(store::Transaction& tx, const Clock& clock, int64_t session_id,
                        int64_t person_id, std::optional<int64_t> seat, Capacity capacity) {
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("INSERT INTO wf_attendance(session_id, person_id, seat_id, "
                              "capacity, recorded_at) VALUES(?,?,?,?,?)"));
  st.Bind(1, session_id)
      .Bind(2, person_id)
      .Bind(4, CapacityName(capacity))
      .Bind(5, FormatRfc3339UtcMicros(clock.Now()));
  BindOptionalId(st, 3, seat);
  return st.Run();
}

}  // namespace

Result<Capacity> Sessions::RecordAttendance(const Actor& actor, int64_t session_id,
                                            int64_t person_id) {
  return Write(db_, [&](store::Transaction& tx) -> Result<Capacity> {
    ASSIGN_OR_RETURN(SessionRecord session, LoadSession(tx, session_id));
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, session.secretariat_id, actor, kFacilitator,
                               "record attendance", "registrar la asistencia"));
    const Secretariat& s = auth.secretariat;
    if (session.status != SessionStatus::kConvened && session.status != SessionStatus::kOpen) {
      return NotUnderWay(session, "attendance needs a convened or open session",
                         "La asistencia se registra en una sesión convocada o en curso.");
    }
    ASSIGN_OR_RETURN(PersonRow person, LoadPerson(tx, person_id));
    ASSIGN_OR_RETURN(auto terms, LoadTermsInForce(tx, s.id, session.session_date));
    const TermRecord* term = nullptr;
    for (const auto& t : terms) {
      if (t.person_id == person.id) {
        term = &t;
        break;
      }
    }
    if (!term) {
      return Refusal(ErrorKind::kRejected, "not_a_member",
                     "person " + std::to_string(person.id) + " holds no term in secretariat " +
                         std::to_string(s.id) + " on " + FormatDate(session.session_date),
                     person.full_name +
                         " no es integrante en funciones ni facilitador en la fecha "
                         "de la sesión; puede registrarse como observador (lineamiento III.10).");
    }
    ASSIGN_OR_RETURN(auto attendance, LoadAttendance(tx, session.id));
    RETURN_IF_ERROR(CheckNotPresent(attendance, person, session.id));
    for (const auto& a : attendance) {
      if (term->seat_id && a.seat_id == term->seat_id) {
        ASSIGN_OR_RETURN(PersonRow other, LoadPerson(tx, a.person_id));
        return Refusal(ErrorKind::kConflict, "seat_already_present",
                       "seat " + std::to_string(*term->seat_id) +
                           " already present through person " + std::to_string(other.id),
                       "Por cada asiento asiste el titular o su suplente, no ambos (lineamiento "
                       "III.2); ya está registrado " +
                           other.full_name + ".");
      }
    }
    const Capacity capacity = term->role == TermRole::kTitular      ? Capacity::kTitular
                              : term->role == TermRole::kSubstitute ? Capacity::kSubstitute
                                                                    : Capacity::kFacilitator;
    RETURN_IF_ERROR(InsertAttendance(tx, clock_, session.id, person.id, term->seat_id, capacity));
    Payload p;
    p.Add("person", person.id).Add("capacity", CapacityName(capacity));
    if (term->seat_id) p.Add("seat", *term->seat_id);
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "session.attendance", "session", session.id, p));
    return capacity;
  });
}

Status Sessions::RecordObserver(const Actor& actor, int64_t session_id, int64_t person_id) {
  return Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(SessionRecord session, LoadSession(tx, session_id));
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, session.secretariat_id, actor, kFacilitator,
                               "record an observer", "registrar a los observadores"));
    if (session.status != SessionStatus::kConvened && session.status != SessionStatus::kOpen) {
      return NotUnderWay(session, "attendance needs a convened or open session",
                         "La asistencia se registra en una sesión convocada o en curso.");
    }
    ASSIGN_OR_RETURN(PersonRow person, LoadPerson(tx, person_id));
    ASSIGN_OR_RETURN(auto attendance, LoadAttendance(tx, session.id));
    RETURN_IF_ERROR(CheckNotPresent(attendance, person, session.id));
    RETURN_IF_ERROR(
        InsertAttendance(tx, clock_, session.id, person.id, std::nullopt, Capacity::kObserver));
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "session.attendance", "session", session.id,
                          Payload().Add("person", person.id).Add("capacity", "observer")));
    return Status::Ok();
  });
}

Result<QuorumReport> Sessions::Open(const Actor& actor, int64_t session_id) {
  return Write(db_, [&](store::Transaction& tx) -> Result<QuorumReport> {
    ASSIGN_OR_RETURN(SessionRecord session, LoadSession(tx, session_id));
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, session.secretariat_id, actor, 0, "", ""));
    const Secretariat& s = auth.secretariat;
    const year_month_day today = auth.today;
    RETURN_IF_ERROR(Require(auth.roles, OfficerBit(s.config.presider), actor, "open a session",
                            "presidir y abrir la sesión"));
    if (session.status != SessionStatus::kConvened) {
      return NotUnderWay(session, "only a convened session opens",
                         "Solo se abre una sesión convocada (no cancelada, no celebrada).");
    }
    if (today < session.session_date) {
      return Refusal(ErrorKind::kRejected, "session_not_yet",
                     "session " + std::to_string(session.id) + " is on " +
                         FormatDate(session.session_date) + ", today is " + FormatDate(today),
                     "La sesión está convocada para el " + lang::DateEs(session.session_date) +
                         "; no puede abrirse antes.");
    }
    ASSIGN_OR_RETURN(auto terms, LoadTermsInForce(tx, s.id, session.session_date));
    ASSIGN_OR_RETURN(auto attendance, LoadAttendance(tx, session.id));
    QuorumReport q = ComputeQuorum(s.config.quorum, terms, attendance);
    if (!q.met) {
      return Refusal(
          ErrorKind::kRejected, "quorum_not_met",
          "session " + std::to_string(session.id) + ": " + std::to_string(q.present) + " of " +
              std::to_string(q.seats) + " seats present, " + std::to_string(q.needed) +
              " needed (" + std::string(QuorumRuleName(s.config.quorum)) + ")",
          "Para sesionar se requiere la presencia de " + QuorumRuleEs(s.config.quorum) + ": " +
              std::to_string(q.needed) + " de " + std::to_string(q.seats) +
              " asientos (lineamiento III.2); están presentes " + std::to_string(q.present) + ".");
    }
    ASSIGN_OR_RETURN(store::Statement up, tx.Prepare("UPDATE wf_session SET status = 'open', "
                                                     "opened_at = ? WHERE id = ?"));
    up.Bind(1, FormatRfc3339UtcMicros(clock_.Now())).Bind(2, session.id);
    RETURN_IF_ERROR(up.Run());
    RETURN_IF_ERROR(
        Audit(tx, clock_, actor, "session.open", "session", session.id,
              Payload().Add("seats", q.seats).Add("present", q.present).Add("needed", q.needed)));
    return q;
  });
}

Status Sessions::ApproveAgenda(const Actor& actor, int64_t session_id,
                               const std::vector<int64_t>& approving) {
  return Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(SessionRecord session, LoadSession(tx, session_id));
    ASSIGN_OR_RETURN(Authorized auth, Authorize(tx, clock_, session.secretariat_id, actor,
                                                kFacilitator, "record the agenda approval",
                                                "registrar la aprobación del orden del día"));
    if (session.status != SessionStatus::kOpen) {
      return NotUnderWay(session, "the agenda is approved in an open session",
                         "El orden del día se aprueba al inicio de la sesión, ya abierta.");
    }
    if (session.agenda_approved) {
      return Refusal(ErrorKind::kConflict, "agenda_already_approved",
                     "agenda of session " + std::to_string(session.id) + " already approved",
                     "El orden del día de esta sesión ya fue aprobado.");
    }
    ASSIGN_OR_RETURN(auto attendance, LoadAttendance(tx, session.id));
    std::set<int64_t> approvers(approving.begin(), approving.end());
    std::vector<std::pair<int64_t, int64_t>> rows;  // seat, person
    std::string missing_es;
    for (const auto& a : attendance) {
      if (!a.seat_id) continue;
      if (approvers.erase(a.person_id)) {
        rows.emplace_back(*a.seat_id, a.person_id);
      } else {
        ASSIGN_OR_RETURN(PersonRow p, LoadPerson(tx, a.person_id));
        missing_es += (missing_es.empty() ? "" : ", ") + p.full_name;
      }
    }
    if (!approvers.empty()) {
      return Refusal(ErrorKind::kRejected, "not_present",
                     "person " + std::to_string(*approvers.begin()) +
                         " is not a member present in session " + std::to_string(session.id),
                     "Aprueban el orden del día los integrantes presentes (titular o suplente de "
                     "cada asiento); el facilitador y los observadores no.");
    }
    if (!missing_es.empty()) {
      return Refusal(ErrorKind::kRejected, "agenda_not_unanimous",
                     "agenda of session " + std::to_string(session.id) +
                         " not approved by every member present",
                     "Todos los integrantes deben aprobar el orden del día de cada sesión "
                     "(lineamiento III.1); falta la aprobación de: " +
                         missing_es + ".");
    }
    for (const auto& [seat, person] : rows) {
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("INSERT INTO wf_agenda_approval(session_id, seat_id, person_id) "
                                  "VALUES(?,?,?)"));
      st.Bind(1, session.id).Bind(2, seat).Bind(3, person);
      RETURN_IF_ERROR(st.Run());
    }
    ASSIGN_OR_RETURN(store::Statement up, tx.Prepare("UPDATE wf_session SET agenda_approved_at = ? "
                                                     "WHERE id = ?"));
    up.Bind(1, FormatRfc3339UtcMicros(clock_.Now())).Bind(2, session.id);
    RETURN_IF_ERROR(up.Run());
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "session.agenda_approve", "session", session.id,
                          Payload().Add("seats", static_cast<int64_t>(rows.size()))));
    return Status::Ok();
  });
}

Status Sessions::RecordDiscussion(const Actor& actor, int64_t session_id, int item_position,
                                  const std::string& summary) {
  return Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(SessionRecord session, LoadSession(tx, session_id));
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, session.secretariat_id, actor, kFacilitator,
                               "record the discussion", "registrar la discusión de los asuntos"));
    if (session.status != SessionStatus::kOpen) {
      return NotUnderWay(session, "discussion needs an open session",
                         "Los asuntos se discuten en una sesión abierta.");
    }
    if (!session.agenda_approved) {
      return Refusal(ErrorKind::kRejected, "agenda_not_approved",
                     "agenda of session " + std::to_string(session.id) + " not approved yet",
                     "Primero se aprueba el orden del día (lineamiento III.1).");
    }
    if (item_position < 1 || item_position > static_cast<int>(session.agenda.size())) {
      return NotFound("agenda item", "el punto del orden del día", item_position);
    }
    ASSIGN_OR_RETURN(store::Statement up, tx.Prepare("UPDATE wf_agenda_item SET discussion = ? "
                                                     "WHERE session_id = ? AND position = ?"));
    up.Bind(1, summary).Bind(2, session.id).Bind(3, int64_t{item_position});
    RETURN_IF_ERROR(up.Run());
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "session.discussion", "session", session.id,
                          Payload().Add("item", item_position).Add("summary", summary)));
    return Status::Ok();
  });
}

Status Sessions::Close(const Actor& actor, int64_t session_id) {
  return Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(SessionRecord session, LoadSession(tx, session_id));
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, session.secretariat_id, actor, 0, "", ""));
    RETURN_IF_ERROR(Require(auth.roles, OfficerBit(auth.secretariat.config.presider), actor,
                            "close a session", "clausurar la sesión"));
    if (session.status != SessionStatus::kOpen) {
      return NotUnderWay(session, "only an open session closes",
                         "Solo se clausura una sesión abierta.");
    }
    ASSIGN_OR_RETURN(store::Statement up, tx.Prepare("UPDATE wf_session SET status = 'closed', "
                                                     "closed_at = ? WHERE id = ?"));
    up.Bind(1, FormatRfc3339UtcMicros(clock_.Now())).Bind(2, session.id);
    RETURN_IF_ERROR(up.Run());
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "session.close", "session", session.id, Payload()));
    return Status::Ok();
  });
}

}  // namespace rubrica::workflows
