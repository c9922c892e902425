// Actas: rubric and foot signatures (same date, seed III.6), archive and delivery.
// Each signature unlocks the member's key first (the engine's Unlock, slow, unlocked), then
// takes the acta's lock, applies the signature to the revision it finds there and records
// it before letting go: so each signature extends the revision it was made on.
#include "acta_rows.h"
#include "audit.h"
#include "context.h"
#include "dates.h"
#include "refusal.h"
#include "rubrica/store/blob_store.h"
#include "rubrica/workflows/actas.h"
#include "terms.h"
#include "transaction.h"
#include "rubrica/lang/dates.h"

namespace rubrica::workflows {

using namespace std::chrono;

namespace {

std::string NamesOf(store::Transaction& tx, const std::vector<int64_t>& ids) {
  std::string names;
  for (int64_t id : ids) {
    auto p = LoadPerson(tx, id);
    names += (names.empty() ? "" : ", ") + (p.ok() ? p->full_name : std::to_string(id));
  }
  return names;
}

// Whether the acta moved on since `seen` was read: every change a signature depends on
// (another signature, a re-approval, a certification, archiving) changes its revision, its
// state or its latest approval. One small row, not the whole record.
Result<bool> MovedSince(store::Transaction& tx, const ActaRecord& seen) {
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT current_blob_id, state, (SELECT MAX(id) FROM "
                              "wf_acta_approval WHERE acta_id = wf_acta.id) FROM wf_acta "
                              "WHERE id = ?"));
  st.Bind(1, seen.id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound("acta", "el acta", seen.id);
  const int64_t approval = seen.approvals.empty() ? 0 : seen.approvals.back().id;
  return st.ColumnText(0) != seen.current_blob_id || st.ColumnText(1) != ActaStateName(seen.state) ||
         (st.ColumnIsNull(2) ? 0 : st.ColumnInt(2)) != approval;
}

}  // namespace

Result<SignatureOutcome> Actas::Rubricate(const Actor& actor, int64_t acta_id,
                                          SigningCredential credential) {
  return SignById(actor, acta_id, SignatureKind::kRubric, std::move(credential));
}

Result<SignatureOutcome> Actas::SignFoot(const Actor& actor, int64_t acta_id,
                                         SigningCredential credential) {
  return SignById(actor, acta_id, SignatureKind::kFoot, std::move(credential));
}

Result<SignatureOutcome> Actas::SignById(const Actor& actor, int64_t acta_id, SignatureKind kind,
                                         SigningCredential credential) {
  ASSIGN_OR_RETURN(ActaRecord acta, Get(acta_id));
  return Sign(actor, acta, kind, std::move(credential));
}

struct Actas::PreparedSignature {
  SignatureRequest request;
  int64_t approval_id = 0;
  Instant now;
  year_month_day today;
  std::string warning;
};

Result<SignatureRequest> Actas::PrepareSignature(const Actor& actor, int64_t acta_id,
                                                 SignatureKind kind) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(ActaRecord acta, LoadActa(tx, acta_id));
  ASSIGN_OR_RETURN(PreparedSignature prepared, Prepare(tx, actor, acta, kind));
  return std::move(prepared.request);
}

Result<Actas::PreparedSignature> Actas::Prepare(store::Transaction& tx, const Actor& actor,
                                                const ActaRecord& acta, SignatureKind kind) const {
  const bool rubric = kind == SignatureKind::kRubric;
  const std::string kind_es = rubric ? "la rúbrica" : "la firma al calce";
  PreparedSignature p;
  SignatureRequest& request = p.request;
  std::string& warning = p.warning;
  p.now = clock_.Now();
  year_month_day& today = p.today;
  ASSIGN_OR_RETURN(Secretariat s, LoadSecretariat(tx, acta.secretariat_id));
  today = s.zone.LocalDate(p.now);
  const RequiredSigner* signer = nullptr;
  for (const auto& r : acta.signers) {
    if (actor.is_person() && r.person_id == actor.person_id) signer = &r;
  }
  if (!signer) {
    return Refusal(
        ErrorKind::kPermissionDenied, "not_a_required_signer",
        actor.AuditName() + " is not a required signer of acta " + std::to_string(acta.id),
        "Solo firman el acta las personas requeridas: " +
            NamesOf(tx,
                    [&] {
                      std::vector<int64_t> ids;
                      for (const auto& r : acta.signers) ids.push_back(r.person_id);
                      return ids;
                    }()) +
            ".");
  }
  const ActaState needed = rubric ? ActaState::kRubric : ActaState::kFootSignature;
  if (acta.state != needed) {
    // Say what is missing when a foot signature comes while rubrics are pending.
    if (!rubric && acta.state == ActaState::kRubric) {
      return OutOfTurn("acta " + std::to_string(acta.id) + " still waits for rubrics",
                       "La firma al calce sigue a la rúbrica de todas las personas "
                       "requeridas; falta la rúbrica de: " +
                           NamesOf(tx, MissingSigners(acta, SignatureKind::kRubric)) + ".");
    }
    return ActaOutOfTurn(acta, rubric ? "a rubric" : "a foot signature", "registrar " + kind_es,
                         {needed});
  }
  const ActaApproval& approval = acta.approvals.back();
  for (const auto& g : acta.signatures) {
    if (g.approval_round == approval.round && g.person_id == actor.person_id && g.kind == kind) {
      return Refusal(
          ErrorKind::kConflict, "already_signed",
          actor.AuditName() + " already signed (" + std::string(SignatureKindName(kind)) +
              ") round " + std::to_string(approval.round) + " of acta " + std::to_string(acta.id),
          "Ya registró " + kind_es + " de esta acta; cada persona firma una sola vez.");
    }
  }
  if (today != approval.approved_on) {
    const std::string rule_es =
        "El acta debe aprobarse, rubricarse y firmarse al calce en la misma fecha "
        "(lineamiento III.6): se aprobó el " +
        lang::DateEs(approval.approved_on) + " y hoy es " + lang::DateEs(today);
    if (s.config.same_date == SameDateRule::kRefuse) {
      return Refusal(ErrorKind::kRejected, "signature_date_passed",
                     "acta " + std::to_string(acta.id) + " approved on " +
                         FormatDate(approval.approved_on) + ", signature attempted on " +
                         FormatDate(today),
                     rule_es + ". Debe aprobarse de nuevo para recabar las firmas.");
    }
    warning = rule_es +
              "; la firma se acepta con esta advertencia por la configuración del "
              "secretariado.";
  }
  p.approval_id = approval.id;
  ASSIGN_OR_RETURN(PersonRow person, LoadPerson(tx, actor.person_id));
  ASSIGN_OR_RETURN(std::string represents, SeatRepresents(tx, signer->seat_id.value_or(0)));
  request.acta_id = acta.id;
  request.approval_round = approval.round;
  request.input_blob_id = acta.current_blob_id;
  request.kind = kind;
  request.signer = {person.id, person.full_name, person.title, signer->capacity, represents};
  {
    ASSIGN_OR_RETURN(store::Statement bk,
                     tx.Prepare("SELECT key_sha256 FROM wf_acta_signer_key WHERE approval_id = ? "
                                "AND person_id = ?"));
    bk.Bind(1, approval.id).Bind(2, person.id);
    ASSIGN_OR_RETURN(bool bound, bk.Step());
    if (bound) request.signer.key_sha256 = bk.ColumnText(0);
  }
  return p;
}

Result<SignatureOutcome> Actas::Sign(const Actor& actor, const ActaRecord& seen,
                                     SignatureKind kind, SigningCredential credential) {
  const bool rubric = kind == SignatureKind::kRubric;
  PreparedSignature prepared;
  {
    ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
    ASSIGN_OR_RETURN(prepared, Prepare(tx, actor, seen, kind));
  }
  // The slow part (a PIN's key derivation) before the lock: signers of one acta unlock their
  // keys in parallel and queue only for the PDF work below.
  ASSIGN_OR_RETURN(std::unique_ptr<UnlockedSigner> signer,
                   engine_.Unlock(prepared.request.signer, std::move(credential)));

  KeyedMutex::Guard lock(acta_locks_, seen.id);
  ActaRecord reread;
  const ActaRecord* acta = &seen;
  {
    ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
    ASSIGN_OR_RETURN(bool moved, MovedSince(tx, seen));
    if (moved) {  // another signature (or a re-approval...) got the lock first
      ASSIGN_OR_RETURN(reread, LoadActa(tx, seen.id));
      ASSIGN_OR_RETURN(prepared, Prepare(tx, actor, reread, kind));
      acta = &reread;
    }
  }
  const SignatureRequest& request = prepared.request;
  ASSIGN_OR_RETURN(std::string blob, engine_.ApplySignature(request, *signer));
  signer.reset();  // the member's key, dropped as soon as it signed

  SignatureOutcome outcome;
  outcome.blob_id = blob;
  outcome.warning = prepared.warning;
  RETURN_IF_ERROR(Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(
        store::Statement ins,
        tx.Prepare("INSERT INTO wf_acta_signature(acta_id, approval_id, person_id, kind, "
                   "at, local_date, blob_id, warning) VALUES(?,?,?,?,?,?,?,?)"));
    ins.Bind(1, acta->id)
        .Bind(2, prepared.approval_id)
        .Bind(3, actor.person_id)
        .Bind(4, SignatureKindName(kind))
        .Bind(5, FormatRfc3339UtcMicros(prepared.now))
        .Bind(6, FormatDate(prepared.today))
        .Bind(7, blob)
        .Bind(8, prepared.warning);
    RETURN_IF_ERROR(ins.Run());
    outcome.signature_id = tx.LastInsertId();
    // The acta after this signature, built from the one read (no second read).
    ActaRecord after = *acta;
    after.signatures.push_back({outcome.signature_id, request.approval_round, actor.person_id,
                                kind, prepared.now, prepared.today, blob, prepared.warning});
    after.current_blob_id = blob;
    if (rubric && MissingSigners(after, SignatureKind::kRubric).empty()) {
      after.state = ActaState::kFootSignature;
    }
    after.complete = IsComplete(after);
    outcome.state = after.state;
    outcome.complete = after.complete;
    ASSIGN_OR_RETURN(
        store::Statement up,
        tx.Prepare("UPDATE wf_acta SET current_blob_id = ?, state = ? WHERE id = ?"));
    up.Bind(1, blob).Bind(2, ActaStateName(outcome.state)).Bind(3, acta->id);
    RETURN_IF_ERROR(up.Run());
    RETURN_IF_ERROR(Audit(tx, clock_, actor, rubric ? "acta.rubric" : "acta.foot", "acta",
                          acta->id,
                          Payload()
                              .Add("signature", outcome.signature_id)
                              .Add("round", request.approval_round)
                              .Add("blob", blob)
                              .Add("state_after", ActaStateName(outcome.state))
                              .Add("complete", outcome.complete)
                              .Add("warning", prepared.warning)));
    outcome.acta = std::move(after);
    return Status::Ok();
  }));
  if (!prepared.warning.empty()) {
    logger_.Warn("workflows.signature_off_date", {{"acta", acta->id},
                                                  {"person", actor.person_id},
                                                  {"kind", std::string(SignatureKindName(kind))}});
  }
  return outcome;
}

Status Actas::Archive(const Actor& actor, int64_t acta_id) {
  KeyedMutex::Guard lock(acta_locks_, acta_id);
  SealRequest request;
  {
    ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
    ASSIGN_OR_RETURN(ActaRecord acta, LoadActa(tx, acta_id));
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, acta.secretariat_id, actor, kGarante | kFacilitator,
                               "archive an acta", "archivar el acta completa"));
    if (acta.state != ActaState::kFootSignature) {
      return ActaOutOfTurn(acta, "archiving", "archivarla", {ActaState::kFootSignature});
    }
    if (!acta.complete) {
      return Refusal(ErrorKind::kRejected, "incomplete",
                     "acta " + std::to_string(acta.id) + " lacks foot signatures",
                     "El acta no está completa: falta la firma al calce de " +
                         NamesOf(tx, MissingSigners(acta, SignatureKind::kFoot)) + ".");
    }
    request.acta_id = acta.id;
    request.input_blob_id = acta.current_blob_id;
  }
  ASSIGN_OR_RETURN(std::string blob, engine_.Seal(request));
  // Still the complete acta read above: the lock kept every signature and re-approval out.
  return Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(store::Statement up,
                     tx.Prepare("UPDATE wf_acta SET state = 'archived', archived_blob_id = ? "
                                "WHERE id = ?"));
    up.Bind(1, blob).Bind(2, request.acta_id);
    RETURN_IF_ERROR(up.Run());
    RETURN_IF_ERROR(
        Audit(tx, clock_, actor, "acta.archive", "acta", request.acta_id,
              Payload().Add("from", "foot_signature").Add("to", "archived").Add("blob", blob)));
    return Status::Ok();
  });
}

Status Actas::MarkDelivered(const Actor& actor, int64_t acta_id, const std::string& receipt) {
  if (!store::IsBlobId(receipt)) {
    return BadInput("receipt '" + receipt + "' is not a blob id",
                    "El acuse de recibo del órgano debe guardarse antes de registrar la entrega.");
  }
  return Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(ActaRecord acta, LoadActa(tx, acta_id));
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, acta.secretariat_id, actor, kGarante | kFacilitator | kAdministrator,
                               "record a delivery", "registrar la entrega al órgano receptor"));
    const Secretariat& s = auth.secretariat;
    if (acta.state != ActaState::kArchived) {
      return ActaOutOfTurn(acta, "delivery", "registrar su entrega", {ActaState::kArchived});
    }
    ASSIGN_OR_RETURN(auto agencies, LoadAgencies(tx, s.id));
    const AgencyPeriod* agency = nullptr;
    for (const auto& a : agencies) {
      if (a.effective_from <= acta.acta_date &&
          (!a.effective_to || acta.acta_date <= *a.effective_to)) {
        agency = &a;
      }
    }
    if (!agency) {
      return Refusal(
          ErrorKind::kRejected, "no_agency",
          "secretariat " + std::to_string(s.id) + " has no agency on " + FormatDate(acta.acta_date),
          "No hay un órgano receptor configurado para el " + lang::DateEs(acta.acta_date) +
              "; configúrelo antes de registrar la entrega.");
    }
    ASSIGN_OR_RETURN(store::Statement up,
                     tx.Prepare("UPDATE wf_acta SET state = 'delivered', delivered_at = ?, "
                                "delivered_to = ?, receipt_blob_id = ? WHERE id = ?"));
    up.Bind(1, FormatRfc3339UtcMicros(clock_.Now()))
        .Bind(2, agency->name)
        .Bind(3, receipt)
        .Bind(4, acta.id);
    RETURN_IF_ERROR(up.Run());
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "acta.deliver", "acta", acta.id,
                          Payload()
                              .Add("from", "archived")
                              .Add("to", "delivered")
                              .Add("agency", agency->name)
                              .Add("receipt", receipt)));
    return Status::Ok();
  });
}

}  // namespace rubrica::workflows
