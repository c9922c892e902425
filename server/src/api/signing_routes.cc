// Remote signing of actas: with the server-held key (the member's PIN unlocks it for this
// one signature), or externally (prepare -> the member's device signs -> finalize, with a
// one-time ticket). The workflow puts the signatures of one acta in order (its per-acta
// lock), so each extends the revision the previous one produced and none is lost or
// overwritten; the handlers hold no lock of their own.
#include "handler_util.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/secret_string.h"

namespace rubrica::server::api {

namespace {

using namespace rubrica::workflows;

// The acta as it is after the signature comes back with the outcome: no second read.
Status ReplyOutcome(Call& c, const SignatureOutcome& o) {
  JsonWriter w;
  w.BeginObject()
      .Field("signature_id", o.signature_id)
      .Field("blob_id", o.blob_id)
      .Field("state", ActaStateName(o.state))
      .Field("complete", o.complete)
      .Field("warning", o.warning)
      .Key("acta");
  WriteActa(w, o.acta, SignerNames(c.ctx, o.acta));
  w.EndObject();
  return Reply(c, 200, w);
}

Status SignWithPin(Call& c, SignatureKind kind) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(SecretString pin, j.Secret("pin", 64));
  RETURN_IF_ERROR(j.Finish());
  auto admitted = c.ctx.signatures.Enter();
  if (!admitted) return Busy("signing");
  // The acta Dispatch read is the one the workflow checks and signs: it is not read again.
  ASSIGN_OR_RETURN(SignatureOutcome outcome,
                   c.ctx.wf.actas().Sign(c.actor(), *c.acta, kind,
                                         SigningCredential::Pin(std::move(pin))));
  return ReplyOutcome(c, outcome);
}

Status Rubricate(Call& c) { return SignWithPin(c, SignatureKind::kRubric); }
Status SignFoot(Call& c) { return SignWithPin(c, SignatureKind::kFoot); }

Status RevisionMoved(int64_t acta_id, const std::string& prepared_on) {
  return Status::Error(ErrorKind::kConflict, "api.revision_moved",
                       "acta " + std::to_string(acta_id) + " moved on from revision " +
                           prepared_on + " since prepare",
                       "El acta cambió desde que se preparó la firma (otra firma se registró); "
                       "prepare la firma de nuevo.");
}

Status Prepare(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string kind_name, j.Enum("kind", {"rubric", "foot"}));
  RETURN_IF_ERROR(j.Finish());
  const SignatureKind kind = kind_name == "rubric" ? SignatureKind::kRubric : SignatureKind::kFoot;
  // No lock: a signature that lands after this only makes finalize refuse the ticket.
  ASSIGN_OR_RETURN(SignatureRequest request,
                   c.ctx.wf.actas().PrepareSignature(c.actor(), c.acta->id, kind));
  ASSIGN_OR_RETURN(ExternalPreparation prep, c.ctx.engine.PrepareExternal(request));
  SigningTicket t;
  t.account_id = c.principal->account.id;
  t.person_id = c.person_id();
  t.acta_id = c.acta->id;
  t.kind = std::string(SignatureKindName(kind));
  t.input_blob_id = request.input_blob_id;
  t.approval_round = request.approval_round;
  t.engine_state = prep.state;
  ASSIGN_OR_RETURN(SigningTicket issued, c.ctx.tickets.Issue(std::move(t)));
  JsonWriter w;
  w.BeginObject()
      .Field("ticket", issued.token)
      .Key("expires_at")
      .Time(issued.expires_at)
      .Field("kind", SignatureKindName(kind))
      .Field("input_blob_id", request.input_blob_id)
      .Field("algorithm", prep.algorithm)
      .Field("certificate_sha256", prep.certificate_sha256)
      .Field("signed_attributes", Base64Encode(prep.signed_attributes))
      .Field("digest_to_sign", Base64Encode(prep.digest_to_sign))
      .EndObject();
  return Reply(c, 201, w);
}

Status Finalize(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string token, j.String("ticket", 200));
  ASSIGN_OR_RETURN(std::string signature, Base64Field(j, "signature", 16 * 1024));
  RETURN_IF_ERROR(j.Finish());
  auto admitted = c.ctx.signatures.Enter();
  if (!admitted) return Busy("signing");
  ASSIGN_OR_RETURN(SigningTicket t, c.ctx.tickets.FindOwn(token, c.principal->account.id, c.person_id()));
  if (t.acta_id != c.acta->id) {
    return Status::Error(ErrorKind::kConflict, "api.ticket_other_acta",
                         "signing ticket is for acta " + std::to_string(t.acta_id) + ", not " +
                             std::to_string(c.acta->id),
                         "Esta autorización de firma es de otra acta.");
  }
  // The revision the device signed must still be the acta's latest: anything else would
  // put the signature over bytes that are no longer the document. Checked here on the acta
  // Dispatch read, and again by the engine under the acta's lock (a signature may land in
  // between).
  const ActaRecord& acta = *c.acta;
  const int round = acta.approvals.empty() ? 0 : acta.approvals.back().round;
  if (acta.current_blob_id != t.input_blob_id || round != t.approval_round) {
    return RevisionMoved(acta.id, t.input_blob_id);
  }
  const SignatureKind kind = t.kind == "rubric" ? SignatureKind::kRubric : SignatureKind::kFoot;
  auto outcome = c.ctx.wf.actas().Sign(
      c.actor(), acta, kind, SigningCredential::Device({t.engine_state, std::move(signature)}));
  if (!outcome.ok()) {
    if (outcome.status().code() == "engine.revision_moved") return RevisionMoved(acta.id, t.input_blob_id);
    return outcome.status();
  }
  RETURN_IF_ERROR(c.ctx.tickets.MarkUsed(token));
  return ReplyOutcome(c, *outcome);
}

}  // namespace

std::vector<RouteSpec> SigningRoutes() {
  // The workflow signs only the acta's required signers (kSelf); the role check lets the
  // secretariat's people reach it and hear why not.
  const unsigned kSigners = kInsiders | kSelf;
  return {
      {"POST", "/api/actas/{acta_id}/rubric", "rubricateActa", "signing",
       "Rubricate every page with the server-held key, unlocked by the PIN for this one "
       "signature",
       kSigners, Scope::kActa, false, "pin:string!", "the signature and the acta", 200,
       Rubricate},
      {"POST", "/api/actas/{acta_id}/foot-signature", "signActaFoot", "signing",
       "Sign at the foot with the server-held key, unlocked by the PIN", kSigners,
       Scope::kActa, false, "pin:string!", "the signature and the acta", 200, SignFoot},
      {"POST", "/api/actas/{acta_id}/sign/prepare", "prepareExternalSignature", "signing",
       "Prepare what the member's device signs; returns a one-time ticket", kSigners,
       Scope::kActa, false, "kind:rubric|foot!",
       "ticket, expires_at, algorithm, signed_attributes and digest_to_sign (base64)", 201,
       Prepare},
      {"POST", "/api/actas/{acta_id}/sign/finalize", "finalizeExternalSignature", "signing",
       "Apply the device's signature value under the ticket", kSigners, Scope::kActa, false,
       "ticket:string! signature:string!", "the signature and the acta", 200, Finalize},
  };
}

}  // namespace rubrica::server::api
