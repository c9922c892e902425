#include "rubrica/workflows/agreements.h"

#include "audit.h"
#include "context.h"
#include "dates.h"
#include "refusal.h"
#include "session_rows.h"
#include "transaction.h"

namespace rubrica::workflows {

using namespace std::chrono;

std::string_view AgreementStatusName(AgreementStatus s) {
  switch (s) {
    case AgreementStatus::kOpen:
      return "open";
    case AgreementStatus::kInProgress:
      return "in_progress";
    case AgreementStatus::kDone:
      return "done";
    case AgreementStatus::kCancelled:
      return "cancelled";
  }
  return "open";
}

namespace {

Result<AgreementStatus> ParseStatus(std::string_view s) {
  for (auto st : {AgreementStatus::kOpen, AgreementStatus::kInProgress, AgreementStatus::kDone,
                  AgreementStatus::kCancelled}) {
    if (AgreementStatusName(st) == s) return st;
  }
  return Status::Error(ErrorKind::kDataLoss, "workflows.bad_stored_agreement",
                       "stored agreement status '" + std::string(s) + "' is unknown");
}

bool Closed(AgreementStatus s) {
  return s == AgreementStatus::kDone || s == AgreementStatus::kCancelled;
}

Result<AgreementRecord> LoadAgreement(store::Transaction& tx, int64_t id, year_month_day today) {
  AgreementRecord r;
  {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT id, secretariat_id, session_id, decision_id, text, "
                                "owner_person_id, due_on, status FROM wf_agreement WHERE id = ?"));
    st.Bind(1, id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return NotFound("agreement", "el acuerdo", id);
    r.id = st.ColumnInt(0);
    r.secretariat_id = st.ColumnInt(1);
    r.session_id = st.ColumnInt(2);
    if (!st.ColumnIsNull(3)) r.decision_id = st.ColumnInt(3);
    r.text = st.ColumnText(4);
    r.owner_person_id = st.ColumnInt(5);
    ASSIGN_OR_RETURN(r.due_on, ParseStoredDate(st.ColumnText(6)));
    ASSIGN_OR_RETURN(r.status, ParseStatus(st.ColumnText(7)));
  }
  r.overdue = !Closed(r.status) && today > r.due_on;
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT at, author_person_id, note, status FROM wf_agreement_note "
                              "WHERE agreement_id = ? ORDER BY id"));
  st.Bind(1, id);
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    AgreementNote n;
    ASSIGN_OR_RETURN(n.at, ParseStoredInstant(st.ColumnText(0)));
    n.author_person_id = st.ColumnInt(1);
    n.note = st.ColumnText(2);
    ASSIGN_OR_RETURN(n.status, ParseStatus(st.ColumnText(3)));
    r.notes.push_back(std::move(n));
  }
  return r;
}

}  // namespace

Result<int64_t> Agreements::Record(const Actor& actor, const AgreementInput& in) {
  if (in.text.empty() || !in.due_on.ok()) {
    return BadInput("agreement needs a text and a valid due date",
                    "El acuerdo necesita un texto y una fecha de cumplimiento válida.");
  }
  return Write(db_, [&](store::Transaction& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(SessionRecord session, LoadSession(tx, in.session_id));
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, session.secretariat_id, actor, kFacilitator,
                               "record an agreement", "llevar la relación de acuerdos"));
    const Secretariat& s = auth.secretariat;
    if (session.status != SessionStatus::kOpen && session.status != SessionStatus::kClosed) {
      return OutOfTurn("session " + std::to_string(session.id) + " was not held",
                       "Los acuerdos se toman en una sesión celebrada.");
    }
    {
      ASSIGN_OR_RETURN(store::Statement st, tx.Prepare("SELECT 1 FROM wf_person WHERE id = ?"));
      st.Bind(1, in.owner_person_id);
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return NotFound("person", "la persona", in.owner_person_id);
    }
    if (in.decision_id) {
      ASSIGN_OR_RETURN(
          store::Statement st,
          tx.Prepare("SELECT outcome FROM wf_decision WHERE id = ? AND session_id = ?"));
      st.Bind(1, *in.decision_id).Bind(2, session.id);
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return NotFound("decision", "la decisión", *in.decision_id);
      if (st.ColumnText(0) != "approved") {
        return Refusal(ErrorKind::kRejected, "decision_not_adopted",
                       "decision " + std::to_string(*in.decision_id) + " was " + st.ColumnText(0),
                       "Solo una decisión aprobada da lugar a un acuerdo; esta no se adoptó.");
      }
    }
    ASSIGN_OR_RETURN(store::Statement ins,
                     tx.Prepare("INSERT INTO wf_agreement(secretariat_id, session_id, decision_id, "
                                "text, owner_person_id, due_on, status, created_at) "
                                "VALUES(?,?,?,?,?,?,'open',?)"));
    ins.Bind(1, s.id)
        .Bind(2, session.id)
        .Bind(4, in.text)
        .Bind(5, in.owner_person_id)
        .Bind(6, FormatDate(in.due_on))
        .Bind(7, FormatRfc3339UtcMicros(clock_.Now()));
    BindOptionalId(ins, 3, in.decision_id);
    RETURN_IF_ERROR(ins.Run());
    const int64_t id = tx.LastInsertId();
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "agreement.record", "agreement", id,
                          Payload()
                              .Add("session", session.id)
                              .Add("owner", in.owner_person_id)
                              .Add("due_on", FormatDate(in.due_on))
                              .Add("text", in.text)));
    return id;
  });
}

Status Agreements::AddNote(const Actor& actor, int64_t agreement_id, const std::string& note,
                           AgreementStatus new_status) {
  if (note.empty()) return BadInput("empty follow-up note", "La nota de seguimiento está vacía.");
  return Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(store::Statement q,
                     tx.Prepare("SELECT secretariat_id FROM wf_agreement WHERE id = ?"));
    q.Bind(1, agreement_id);
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return NotFound("agreement", "el acuerdo", agreement_id);
    ASSIGN_OR_RETURN(Authorized auth, Authorize(tx, clock_, q.ColumnInt(0), actor, 0, "", ""));
    ASSIGN_OR_RETURN(AgreementRecord a, LoadAgreement(tx, agreement_id, auth.today));
    RETURN_IF_ERROR(RequireSelfOr(auth.roles, kFacilitator, actor, a.owner_person_id,
                                  "follow up agreement " + std::to_string(a.id),
                                  "el facilitador o el responsable del acuerdo",
                                  "registrar el seguimiento del acuerdo"));
    if (Closed(a.status)) {
      return Refusal(
          ErrorKind::kConflict, "agreement_closed",
          "agreement " + std::to_string(a.id) + " is " + std::string(AgreementStatusName(a.status)),
          "El acuerdo ya está concluido o cancelado; no admite más seguimiento.");
    }
    ASSIGN_OR_RETURN(store::Statement ins,
                     tx.Prepare("INSERT INTO wf_agreement_note(agreement_id, at, author_person_id, "
                                "note, status) VALUES(?,?,?,?,?)"));
    ins.Bind(1, a.id)
        .Bind(2, FormatRfc3339UtcMicros(clock_.Now()))
        .Bind(3, actor.person_id)
        .Bind(4, note)
        .Bind(5, AgreementStatusName(new_status));
    RETURN_IF_ERROR(ins.Run());
    ASSIGN_OR_RETURN(store::Statement up,
                     tx.Prepare("UPDATE wf_agreement SET status = ? WHERE id = ?"));
    up.Bind(1, AgreementStatusName(new_status)).Bind(2, a.id);
    RETURN_IF_ERROR(up.Run());
    RETURN_IF_ERROR(
        Audit(tx, clock_, actor, "agreement.note", "agreement", a.id,
              Payload().Add("status", AgreementStatusName(new_status)).Add("note", note)));
    return Status::Ok();
  });
}

Result<AgreementRecord> Agreements::Get(int64_t agreement_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(store::Statement q,
                   tx.Prepare("SELECT secretariat_id FROM wf_agreement WHERE id = ?"));
  q.Bind(1, agreement_id);
  ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return NotFound("agreement", "el acuerdo", agreement_id);
  ASSIGN_OR_RETURN(Secretariat s, LoadSecretariat(tx, q.ColumnInt(0)));
  return LoadAgreement(tx, agreement_id, s.Today(clock_));
}

Result<std::vector<AgreementRecord>> Agreements::List(int64_t secretariat_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(Secretariat s, LoadSecretariat(tx, secretariat_id));
  std::vector<int64_t> ids;
  {
    ASSIGN_OR_RETURN(
        store::Statement st,
        tx.Prepare("SELECT id FROM wf_agreement WHERE secretariat_id = ? ORDER BY id"));
    st.Bind(1, s.id);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ids.push_back(st.ColumnInt(0));
    }
  }
  std::vector<AgreementRecord> list;
  for (int64_t id : ids) {
    ASSIGN_OR_RETURN(AgreementRecord r, LoadAgreement(tx, id, s.Today(clock_)));
    list.push_back(std::move(r));
  }
  return list;
}

}  // namespace rubrica::workflows
