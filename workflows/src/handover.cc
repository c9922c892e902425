// People::RecordHandover: the end-of-term hand-over (STL I.7, STM I.6).
#include "audit.h"
#include "context.h"
#include "dates.h"
#include "refusal.h"
#include "rubrica/store/blob_store.h"
#include "rubrica/workflows/people.h"
#include "terms.h"
#include "transaction.h"

namespace rubrica::workflows {

using namespace std::chrono;

Result<HandoverRecord> People::RecordHandover(const Actor& actor, int64_t term_id,
                                              const std::vector<HandoverDocument>& extra) {
  for (const auto& d : extra) {
    if (d.ref.empty() || (!d.blob_id.empty() && !store::IsBlobId(d.blob_id))) {
      return BadInput("hand-over document needs a reference and a valid blob id",
                      "Cada documento entregado necesita una referencia y un contenido guardado.");
    }
  }
  return Write(db_, [&](store::Transaction& tx) -> Result<HandoverRecord> {
    ASSIGN_OR_RETURN(TermRecord term, LoadTerm(tx, term_id));
    ASSIGN_OR_RETURN(Authorized auth, Authorize(tx, clock_, term.secretariat_id, actor, 0, "", ""));
    const Secretariat& s = auth.secretariat;
    const year_month_day today = auth.today;
    RETURN_IF_ERROR(RequireSelfOr(auth.roles, kFacilitator, actor, term.person_id,
                                  "record the hand-over of term " + std::to_string(term_id),
                                  "quien ocupó el cargo o el facilitador",
                                  "registrar la entrega de la documentación"));
    {
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("SELECT 1 FROM wf_handover WHERE term_id = ?"));
      st.Bind(1, term.id);
      ASSIGN_OR_RETURN(bool exists, st.Step());
      if (exists) {
        return Refusal(ErrorKind::kConflict, "handover_exists",
                       "term " + std::to_string(term.id) + " was already handed over",
                       "La entrega de la documentación de este periodo ya fue registrada.");
      }
    }
    HandoverRecord record;
    record.term_id = term.id;
    record.at = clock_.Now();
    {
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("SELECT id, blob_id FROM wf_term_report WHERE term_id = ?"));
      st.Bind(1, term.id);
      ASSIGN_OR_RETURN(bool filed, st.Step());
      if (!filed) {
        return Refusal(ErrorKind::kRejected, "report_missing",
                       "term " + std::to_string(term.id) + " has no activity report yet",
                       "Antes de entregar la documentación se rinde el informe de actividades "
                       "(lineamiento I.7 del STL, I.6 del STM).");
      }
      record.documents.push_back(
          {"term_report", "term_report:" + std::to_string(st.ColumnInt(0)), st.ColumnText(1)});
    }
    {
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("SELECT person_id FROM wf_term t WHERE t.secretariat_id = ?1 AND "
                                  "t.seat_id IS ?2 AND t.role = ?3 AND t.starts_on > ?4 "
                                  "ORDER BY t.starts_on, t.id LIMIT 1"));
      st.Bind(1, s.id).Bind(3, TermRoleName(term.role)).Bind(4, FormatDate(term.starts_on));
      BindOptionalId(st, 2, term.seat_id);
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row || st.ColumnInt(0) == term.person_id) {
        return Refusal(ErrorKind::kRejected, "no_successor",
                       "term " + std::to_string(term.id) + " has no successor of another person",
                       "La documentación se entrega a quien sea elegido para suceder en el cargo; "
                       "aún no hay sucesor registrado.");
      }
      record.recipients.push_back(st.ColumnInt(0));
    }
    ASSIGN_OR_RETURN(auto in_force, LoadTermsInForce(tx, s.id, today));
    for (const auto& t : in_force) {
      if (t.role == TermRole::kFacilitator && t.person_id != term.person_id &&
          t.person_id != record.recipients.front()) {
        record.recipients.push_back(t.person_id);
      }
    }
    {
      const year_month_day last = term.removed_on.value_or(term.ends_on);
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("SELECT id, archived_blob_id, current_blob_id FROM wf_acta WHERE "
                                  "secretariat_id = ? AND acta_date >= ? AND acta_date <= ? "
                                  "ORDER BY acta_date, id"));
      st.Bind(1, s.id).Bind(2, FormatDate(term.starts_on)).Bind(3, FormatDate(last));
      for (;;) {
        ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        std::string blob = st.ColumnText(1).empty() ? st.ColumnText(2) : st.ColumnText(1);
        record.documents.push_back({"acta", "acta:" + std::to_string(st.ColumnInt(0)), blob});
      }
    }
    for (const auto& d : extra) record.documents.push_back({"other", d.ref, d.blob_id});

    ASSIGN_OR_RETURN(store::Statement ins,
                     tx.Prepare("INSERT INTO wf_handover(term_id, at) VALUES(?,?)"));
    ins.Bind(1, term.id).Bind(2, FormatRfc3339UtcMicros(record.at));
    RETURN_IF_ERROR(ins.Run());
    record.id = tx.LastInsertId();
    std::string recipients = "[";
    for (size_t i = 0; i < record.recipients.size(); ++i) {
      ASSIGN_OR_RETURN(store::Statement r,
                       tx.Prepare("INSERT INTO wf_handover_recipient(handover_id, person_id, "
                                  "position) VALUES(?,?,?)"));
      r.Bind(1, record.id).Bind(2, record.recipients[i]).Bind(3, static_cast<int64_t>(i + 1));
      RETURN_IF_ERROR(r.Run());
      recipients += (i ? "," : "") + std::to_string(record.recipients[i]);
    }
    std::string documents = "[";
    for (size_t i = 0; i < record.documents.size(); ++i) {
      const auto& d = record.documents[i];
      ASSIGN_OR_RETURN(store::Statement r,
                       tx.Prepare("INSERT INTO wf_handover_document(handover_id, position, kind, "
                                  "ref, blob_id) VALUES(?,?,?,?,?)"));
      r.Bind(1, record.id)
          .Bind(2, static_cast<int64_t>(i + 1))
          .Bind(3, d.kind)
          .Bind(4, d.ref)
          .Bind(5, d.blob_id);
      RETURN_IF_ERROR(r.Run());
      documents += (i ? "," : "") + Payload().Add("ref", d.ref).Add("blob", d.blob_id).str();
    }
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "term.handover", "term", term.id,
                          Payload()
                              .Add("handover", record.id)
                              .AddRaw("recipients", recipients + "]")
                              .AddRaw("documents", documents + "]")));
    return record;
  });
}

}  // namespace rubrica::workflows
