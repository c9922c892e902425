// Remote signing of actas: with the server-held key (the member's PIN unlocks it for this
// one signature), or externally (prepare -> the member's device signs -> finalize, with a
// one-time ticket). Signatures of one acta run one at a time (a per-acta lock around the
// whole workflow + engine step), so each extends the revision the previous one produced
// and none is lost or overwritten.
#include "handler_util.h"
#include "rubrica/base/crypto_util.h"

namespace rubrica::server::api {

namespace {

using namespace rubrica::workflows;

Result<SignatureOutcome> SignOnce(Call& c, SignatureKind kind, const std::string& credential) {
  // The lock makes concurrent_change impossible from this process; another process on the
  // same data directory could still race, and then the signature is simply applied again
  // on the new revision.
  Result<SignatureOutcome> r = Status::Error(ErrorKind::kInternal, "api.internal", "not signed");
  for (int attempt = 0; attempt < 3; ++attempt) {
    r = kind == SignatureKind::kRubric ? c.ctx.wf.actas().Rubricate(c.actor(), c.acta->id, credential)
                                       : c.ctx.wf.actas().SignFoot(c.actor(), c.acta->id, credential);
    if (r.ok() || r.status().code() != "workflows.concurrent_change") break;
  }
  return r;
}

Status ReplyOutcome(Call& c, const SignatureOutcome& o) {
  ASSIGN_OR_RETURN(ActaRecord acta, c.ctx.wf.actas().Get(c.acta->id));
  JsonWriter w;
  w.BeginObject()
      .Field("signature_id", o.signature_id)
      .Field("blob_id", o.blob_id)
      .Field("state", ActaStateName(o.state))
      .Field("complete", o.complete)
      .Field("warning", o.warning)
      .Key("acta");
  WriteActa(w, acta, SignerNames(c.ctx, acta));
  w.EndObject();
  return Reply(c, 200, w);
}

Status SignWithPin(Call& c, SignatureKind kind) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string pin, j.String("pin", 64));
  RETURN_IF_ERROR(j.Finish());
  auto admitted = c.ctx.signatures.TryEnter();
  if (!admitted) return Busy("signing");
  std::string credential = "pin:" + pin;
  SecureWipe(pin);
  Result<SignatureOutcome> r = [&] {
    KeyedMutex::Guard guard(c.ctx.acta_locks, c.acta->id);
    return SignOnce(c, kind, credential);
  }();
  SecureWipe(credential);
  if (!r.ok()) return r.status();
  return ReplyOutcome(c, *r);
}

Status Rubricate(Call& c) { return SignWithPin(c, SignatureKind::kRubric); }
Status SignFoot(Call& c) { return SignWithPin(c, SignatureKind::kFoot); }

Status NoExternalSigning() {
  return Status::Error(ErrorKind::kUnavailable, "api.external_signing_unavailable",
                       "external signing is not configured in this service",
                       "La firma con dispositivo externo no está disponible.");
}

Status Prepare(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string kind_name, j.Enum("kind", {"rubric", "foot"}));
  RETURN_IF_ERROR(j.Finish());
  if (!c.ctx.external_signer) return NoExternalSigning();
  const SignatureKind kind = kind_name == "rubric" ? SignatureKind::kRubric : SignatureKind::kFoot;
  KeyedMutex::Guard guard(c.ctx.acta_locks, c.acta->id);
  ASSIGN_OR_RETURN(SignatureRequest request,
                   c.ctx.wf.actas().PrepareSignature(c.actor(), c.acta->id, kind));
  ASSIGN_OR_RETURN(documents::ExternalPreparation prep, c.ctx.external_signer->PrepareExternal(request));
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
  if (!c.ctx.external_signer) return NoExternalSigning();
  auto admitted = c.ctx.signatures.TryEnter();
  if (!admitted) return Busy("signing");
  KeyedMutex::Guard guard(c.ctx.acta_locks, c.acta->id);
  ASSIGN_OR_RETURN(SigningTicket t, c.ctx.tickets.Find(token));
  if (t.account_id != c.principal->account.id || t.person_id != c.person_id()) {
    return Status::Error(ErrorKind::kPermissionDenied, "api.ticket_not_yours",
                         "signing ticket of account " + std::to_string(t.account_id) +
                             " presented by account " + std::to_string(c.principal->account.id),
                         "Esta autorización de firma es de otra persona.");
  }
  if (t.acta_id != c.acta->id) {
    return Status::Error(ErrorKind::kConflict, "api.ticket_other_acta",
                         "signing ticket is for acta " + std::to_string(t.acta_id) + ", not " +
                             std::to_string(c.acta->id),
                         "Esta autorización de firma es de otra acta.");
  }
  // The revision the device signed must still be the acta's latest: anything else would
  // put the signature over bytes that are no longer the document.
  ASSIGN_OR_RETURN(ActaRecord acta, c.ctx.wf.actas().Get(c.acta->id));
  const int round = acta.approvals.empty() ? 0 : acta.approvals.back().round;
  if (acta.current_blob_id != t.input_blob_id || round != t.approval_round) {
    return Status::Error(ErrorKind::kConflict, "api.revision_moved",
                         "acta " + std::to_string(acta.id) + " moved from revision " +
                             t.input_blob_id + " to " + acta.current_blob_id + " since prepare",
                         "El acta cambió desde que se preparó la firma (otra firma se registró); "
                         "prepare la firma de nuevo.");
  }
  const SignatureKind kind = t.kind == "rubric" ? SignatureKind::kRubric : SignatureKind::kFoot;
  ASSIGN_OR_RETURN(SignatureOutcome outcome,
                   SignOnce(c, kind, documents::PdfActaEngine::ExternalCredential(t.engine_state, signature)));
  RETURN_IF_ERROR(c.ctx.tickets.MarkUsed(token));
  return ReplyOutcome(c, outcome);
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
