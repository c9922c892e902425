// Acknowledging a session's convocation (seed III.4: members are convened with the agenda;
// the facilitator needs to know who received it).
#include <optional>

#include "audit.h"
#include "context.h"
#include "dates.h"
#include "refusal.h"
#include "rubrica/workflows/sessions.h"
#include "session_rows.h"
#include "transaction.h"

namespace rubrica::workflows {

namespace {

Result<std::optional<ConvocationAcknowledgement>> LoadAcknowledgement(store::Transaction& tx,
                                                                      int64_t session_id,
                                                                      int64_t person_id) {
  ASSIGN_OR_RETURN(store::Statement st, tx.Prepare("SELECT seat_id, at FROM wf_convocation_ack "
                                                   "WHERE session_id = ? AND person_id = ?"));
  st.Bind(1, session_id).Bind(2, person_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<ConvocationAcknowledgement>();
  ConvocationAcknowledgement a;
  a.person_id = person_id;
  a.seat_id = st.ColumnInt(0);
  ASSIGN_OR_RETURN(a.at, ParseStoredInstant(st.ColumnText(1)));
  return std::optional<ConvocationAcknowledgement>(a);
}

}  // namespace

Result<ConvocationAcknowledgement> Sessions::AcknowledgeConvocation(const Actor& actor,
                                                                    int64_t session_id) {
  ConvocationAcknowledgement out;
  RETURN_IF_ERROR(Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(SessionRecord session, LoadSession(tx, session_id));
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, session.secretariat_id, actor, kMember,
                               "acknowledge a convocation", "acusar recibo de una convocatoria"));
    ASSIGN_OR_RETURN(auto earlier, LoadAcknowledgement(tx, session.id, actor.person_id));
    if (earlier) {
      out = *earlier;  // idempotent: the first acknowledgement stands
      return Status::Ok();
    }
    if (session.status != SessionStatus::kConvened) {
      return OutOfTurn("session " + std::to_string(session.id) + " is " +
                           std::string(SessionStatusName(session.status)) + ", not convened",
                       "Solo se acusa recibo de la convocatoria de una sesión convocada que aún "
                       "no se celebra.");
    }
    out.person_id = actor.person_id;
    out.seat_id = *auth.roles.seat->seat_id;
    out.at = clock_.Now();
    ASSIGN_OR_RETURN(
        store::Statement ins,
        tx.Prepare("INSERT INTO wf_convocation_ack(session_id, person_id, seat_id, at) "
                   "VALUES(?,?,?,?)"));
    ins.Bind(1, session.id)
        .Bind(2, out.person_id)
        .Bind(3, out.seat_id)
        .Bind(4, FormatRfc3339UtcMicros(out.at));
    RETURN_IF_ERROR(ins.Run());
    return Audit(tx, clock_, actor, "session.convocation_acknowledge", "session", session.id,
                 Payload().Add("seat", out.seat_id));
  }));
  return out;
}

Result<std::vector<ConvocationAcknowledgement>> Sessions::Acknowledgements(
    int64_t session_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(SessionRecord session, LoadSession(tx, session_id));
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT person_id, seat_id, at FROM wf_convocation_ack "
                              "WHERE session_id = ? ORDER BY at, person_id"));
  st.Bind(1, session.id);
  std::vector<ConvocationAcknowledgement> list;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ConvocationAcknowledgement a;
    a.person_id = st.ColumnInt(0);
    a.seat_id = st.ColumnInt(1);
    ASSIGN_OR_RETURN(a.at, ParseStoredInstant(st.ColumnText(2)));
    list.push_back(a);
  }
  return list;
}

}  // namespace rubrica::workflows
