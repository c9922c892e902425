// The archive's renewal (PAdES-LTA) as the workflow sees it: which actas are archived,
// the engine's verdict and renewal under each acta's lock, and the record of it.
#include "acta_rows.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/workflows/actas.h"
#include "transaction.h"

namespace rubrica::workflows {

Result<std::vector<int64_t>> Actas::ArchivedActaIds() {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT id FROM wf_acta WHERE state IN ('archived', 'delivered') AND "
                              "archived_blob_id <> '' ORDER BY id"));
  std::vector<int64_t> ids;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ids.push_back(st.ColumnInt(0));
  }
  return ids;
}

Result<RenewalOutcome> Actas::RenewArchive(int64_t acta_id, const RenewalPolicy& policy, bool dry_run) {
  KeyedMutex::Guard lock(acta_locks_, acta_id);
  RenewRequest request;
  request.acta_id = acta_id;
  request.policy = policy;
  request.dry_run = dry_run;
  {
    ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
    ASSIGN_OR_RETURN(ActaRecord acta, LoadActa(tx, acta_id));
    if ((acta.state != ActaState::kArchived && acta.state != ActaState::kDelivered) ||
        acta.archived_blob_id.empty()) {
      return ActaOutOfTurn(acta, "renewal of the archive seal", "renovar su sello de archivo",
                           {ActaState::kArchived, ActaState::kDelivered});
    }
    request.input_blob_id = acta.archived_blob_id;
  }
  ASSIGN_OR_RETURN(RenewalOutcome outcome, engine_.Renew(request));
  if (outcome.blob_id.empty()) return outcome;
  // Still the archived blob read above: the lock kept every other renewal out.
  RETURN_IF_ERROR(Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(store::Statement up, tx.Prepare("UPDATE wf_acta SET archived_blob_id = ? WHERE id = ?"));
    up.Bind(1, outcome.blob_id).Bind(2, acta_id);
    RETURN_IF_ERROR(up.Run());
    store::AuditLog log(clock_);
    const std::string payload = "{\"from\":\"" + request.input_blob_id + "\",\"to\":\"" + outcome.blob_id +
                                "\",\"reason\":\"" + outcome.reason +
                                "\",\"timestamps\":" + std::to_string(outcome.timestamps + 1) + "}";
    return log.Append(tx, {"system", "acta.renewed", "acta", std::to_string(acta_id), payload}).status();
  }));
  logger_.Info("workflows.acta_renewed", {{"acta", acta_id}, {"blob", outcome.blob_id}, {"reason", outcome.reason}});
  return outcome;
}

}  // namespace rubrica::workflows
