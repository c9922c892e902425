// The certified copy of a sealed acta: asked of the engine once per sealed revision and
// recorded, so every later request serves the same bytes.
#include "acta_rows.h"
#include "context.h"
#include "dates.h"
#include "refusal.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/workflows/actas.h"
#include "terms.h"
#include "transaction.h"

namespace rubrica::workflows {

namespace {

Result<std::optional<std::string>> RecordedCopy(store::Transaction& tx, int64_t acta_id,
                                                const std::string& sealed) {
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT copy_blob_id FROM wf_certified_copy "
                              "WHERE acta_id = ? AND sealed_blob_id = ?"));
  st.Bind(1, acta_id).Bind(2, sealed);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(st.ColumnText(0));
}

Status CheckSealed(const ActaRecord& acta) {
  if ((acta.state != ActaState::kArchived && acta.state != ActaState::kDelivered) ||
      acta.archived_blob_id.empty()) {
    return Refusal(ErrorKind::kConflict, "not_archived",
                   "acta " + std::to_string(acta.id) + " is " +
                       std::string(ActaStateName(acta.state)) + ": no certified copy before the seal",
                   "El acta aún no está archivada (está en «" + ActaStateEs(acta.state) +
                       "»): la copia certificada se expide del acta sellada.");
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<std::string>> Actas::RecordedCertifiedCopy(int64_t acta_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(ActaRecord acta, LoadActa(tx, acta_id));
  RETURN_IF_ERROR(CheckSealed(acta));
  return RecordedCopy(tx, acta.id, acta.archived_blob_id);
}

Result<std::string> Actas::CertifiedCopy(int64_t acta_id, std::string_view requested_by) {
  CertifiedCopyRequest request;
  {
    ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
    ASSIGN_OR_RETURN(ActaRecord acta, LoadActa(tx, acta_id));
    RETURN_IF_ERROR(CheckSealed(acta));
    ASSIGN_OR_RETURN(std::optional<std::string> recorded,
                     RecordedCopy(tx, acta.id, acta.archived_blob_id));
    if (recorded) return *recorded;
    ASSIGN_OR_RETURN(Secretariat s, LoadSecretariat(tx, acta.secretariat_id));
    request.acta_id = acta.id;
    request.sealed_blob_id = acta.archived_blob_id;
    request.folio = acta.folio;
    request.title = acta.title;
    request.kind = std::string(ActaKindName(acta.kind));
    request.secretariat_name = s.config.name;
    request.acta_date = acta.acta_date;
    request.state = std::string(ActaStateName(acta.state));
    request.state_es = ActaStateEs(acta.state);
    for (const RequiredSigner& signer : acta.signers) {
      ASSIGN_OR_RETURN(PersonRow person, LoadPerson(tx, signer.person_id));
      ASSIGN_OR_RETURN(std::string represents, SeatRepresents(tx, signer.seat_id.value_or(0)));
      request.signers.push_back({person.id, person.full_name, signer.capacity, represents});
    }
  }
  // Slow (verification, rendering, two seal signatures, a timestamp): outside any
  // transaction. Two callers at once may both make one (the API admits one per acta, see
  // server/src/api/archive_routes.cc); the first recorded wins and the other's blob stays
  // unreferenced (content-addressed, harmless).
  ASSIGN_OR_RETURN(std::string blob, engine_.MakeCertifiedCopy(request));
  logger_.Info("workflows.certified_copy_made", {{"acta", request.acta_id}, {"blob", blob}});
  return Write(db_, [&](store::Transaction& tx) -> Result<std::string> {
    ASSIGN_OR_RETURN(std::optional<std::string> recorded,
                     RecordedCopy(tx, request.acta_id, request.sealed_blob_id));
    if (recorded) return *recorded;
    ASSIGN_OR_RETURN(store::Statement ins,
                     tx.Prepare("INSERT INTO wf_certified_copy(acta_id, sealed_blob_id, "
                                "copy_blob_id, created_at) VALUES (?, ?, ?, ?)"));
    ins.Bind(1, request.acta_id)
        .Bind(2, request.sealed_blob_id)
        .Bind(3, blob)
        .Bind(4, FormatRfc3339UtcMicros(clock_.Now()));
    RETURN_IF_ERROR(ins.Run());
    store::AuditLog log(clock_);
    auto seq = log.Append(tx, {std::string(requested_by), "acta.certified_copy", "acta",
                               std::to_string(request.acta_id),
                               "{\"sealed\":\"" + request.sealed_blob_id + "\",\"copy\":\"" + blob +
                                   "\"}"});
    if (!seq.ok()) return seq.status();
    return blob;
  });
}

}  // namespace rubrica::workflows
