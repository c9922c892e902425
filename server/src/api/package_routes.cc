// The monthly packages (issue 15): build the month's package, send one to the agency, list
// a month's packages as the garante's board reads them, and download the agency's signed
// answer. The agency's address is the secretariat's (the agency in force on the month's
// last day); sending goes through the outbox (server/src/package_delivery.h). One
// serializer (WritePackage) and one OpenAPI schema (Package) for a package, everywhere.
#include "../package_delivery.h"
#include "handler_util.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/delivery/packages.h"
#include "rubrica/documents/holder_id.h"

namespace rubrica::server::api {

namespace {

using namespace std::chrono;

Status NoPackages() {
  return Status::Error(ErrorKind::kUnavailable, "api.packages_unavailable",
                       "the service was started without the delivery module's packages",
                       "Los paquetes mensuales no están disponibles en este servicio.");
}

// A package of `month` is due by the month's last day in the secretariat's zone (as
// workflows::MonthlyDelivery's obligations): "on_time" when the agency answered with a
// receipt by then, "late" when it did after, or nothing was received and the day passed,
// "due" while there is still time.
std::string_view Timeliness(const delivery::PackageRecord& p, const TimeZone& zone, Instant now) {
  auto month = delivery::ParseMonth(p.month);
  if (!month.ok()) return "due";
  const year_month_day due = *month / last;
  if (p.state == delivery::PackageState::kDelivered && p.answered_at) {
    return zone.LocalDate(*p.answered_at) <= due ? "on_time" : "late";
  }
  return zone.LocalDate(now) > due ? "late" : "due";
}

// The agency's refusal reasons, as delivery::Packages recorded them:
// [{"code":..,"message_es":..,"file":..}]. Anything unreadable is reported as one reason.
void WriteRefusals(JsonWriter& w, const std::string& refusal_json) {
  w.Key("refusals").BeginArray();
  if (!refusal_json.empty()) {
    auto doc = JsonReader::Parse("{\"r\":" + refusal_json + "}");
    auto items = doc.ok() ? doc->ObjectArray("r", 1000) : Result<std::vector<JsonReader>>(doc.status());
    if (items.ok()) {
      for (auto& item : *items) {
        auto code = item.OptionalString("code");
        auto message = item.OptionalString("message_es");
        auto file = item.OptionalString("file");
        w.BeginObject()
            .Field("code", code.ok() ? *code : std::string())
            .Field("message_es", message.ok() ? *message : std::string())
            .Field("file", file.ok() ? *file : std::string())
            .EndObject();
      }
    } else {
      w.BeginObject()
          .Field("code", "delivery.refused")
          .Field("message_es", "El órgano garante rechazó el paquete.")
          .Field("file", "")
          .EndObject();
    }
  }
  w.EndArray();
}

// The schema "Package" (openapi_responses.cc).
void WritePackage(JsonWriter& w, const delivery::PackageRecord& p, const TimeZone& zone, Instant now) {
  w.BeginObject()
      .Field("sha256", p.sha256)
      .Field("secretariat_id", p.secretariat_id)
      .Field("month", p.month)
      .Field("file_name", delivery::PackageFileName(p.secretariat_id, p.month))
      .Field("bytes", static_cast<int64_t>(p.bytes))
      .Key("built_at")
      .Time(p.built_at)
      .Key("supersedes");
  if (p.supersedes.empty()) {
    w.Null();
  } else {
    w.String(p.supersedes);
  }
  w.Field("state", std::string(delivery::PackageStateName(p.state))).IntArray("acta_ids", p.acta_ids);
  // Who co-signs: the role the draft awaits, and once co-signed the certificate's CN.
  w.Key("cosigner");
  if (p.cosigner.empty()) {
    w.Null();
  } else {
    w.BeginObject().Field("role", p.cosigner).Key("name");
    if (p.cosigner_name.empty()) {
      w.Null();
    } else {
      w.String(p.cosigner_name);
    }
    w.EndObject();
  }
  w.Key("replaced_by");
  if (p.replaced_by.empty()) {
    w.Null();
  } else {
    w.String(p.replaced_by);
  }
  w.Key("answered_at");
  if (p.answered_at) {
    w.Time(*p.answered_at);
  } else {
    w.Null();
  }
  w.Field("timeliness", std::string(Timeliness(p, zone, now)));
  WriteRefusals(w, p.refusal_json);
  w.Key("answer");
  if (p.receipt_blob_id.empty()) {
    w.Null();
  } else {
    w.String("/api/secretariats/" + std::to_string(p.secretariat_id) + "/packages/" + p.sha256 + "/answer");
  }
  w.EndObject();
}

// The schema "PackageSend": the package and where its delivery stands.
void WriteSendState(JsonWriter& w, const SendState& s, const TimeZone& zone, Instant now) {
  w.BeginObject().Key("package");
  WritePackage(w, s.package, zone, now);
  w.Field("queued_now", s.queued_now)
      .Field("outbox_state", s.outbox_state.empty() ? std::string("none") : s.outbox_state)
      .Field("last_error", s.last_error)
      .Key("answer_xml");
  if (s.answer_xml.empty()) {
    w.Null();
  } else {
    w.String(s.answer_xml);
  }
  w.EndObject();
}

Status Build(Call& c) {
  if (!c.ctx.package_delivery) return NoPackages();
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string text, j.String("month", 16));
  ASSIGN_OR_RETURN(year_month month, ParseMonth(text, "month"));
  ASSIGN_OR_RETURN(TimeZone zone, c.ctx.wf.secretariats().Zone(c.secretariat_id));
  ASSIGN_OR_RETURN(delivery::PackageRecord pkg,
                   c.ctx.package_delivery->Build(c.secretariat_id, month, c.audit_actor()));
  JsonWriter w;
  WritePackage(w, pkg, zone, c.ctx.clock.Now());
  return Reply(c, 201, w);
}

Status Send(Call& c) {
  if (!c.ctx.package_delivery) return NoPackages();
  const std::string sha256 = c.ex.PathParam("package_sha256");
  if (!IsSha256Hex(sha256)) {
    return Status::Error(ErrorKind::kNotFound, "delivery.no_package", "no package " + sha256,
                         "No existe ese paquete.");
  }
  ASSIGN_OR_RETURN(TimeZone zone, c.ctx.wf.secretariats().Zone(c.secretariat_id));
  ASSIGN_OR_RETURN(SendState s, c.ctx.package_delivery->Send(c.secretariat_id, sha256, c.audit_actor()));
  JsonWriter w;
  WriteSendState(w, s, zone, c.ctx.clock.Now());
  // 200 with the stored answer once the agency answered; 202 while it is on its way (or,
  // by e-mail, handed to the relay: no answer comes back on the wire).
  const bool on_its_way =
      s.package.state == delivery::PackageState::kBuilt || s.package.state == delivery::PackageState::kSent;
  return Reply(c, on_its_way ? 202 : 200, w);
}

Status List(Call& c) {
  const std::string month_text = c.ex.Query("month");
  ASSIGN_OR_RETURN(year_month month, ParseMonth(month_text, "month"));
  if (!c.ctx.packages) return NoPackages();
  ASSIGN_OR_RETURN(TimeZone zone, c.ctx.wf.secretariats().Zone(c.secretariat_id));
  ASSIGN_OR_RETURN(auto packages, c.ctx.packages->ForMonth(c.secretariat_id, month_text));
  const Instant now = c.ctx.clock.Now();
  JsonWriter w;
  w.BeginObject().Field("month", month_text).Key("due_on").Date(month / last);
  w.Key("packages").BeginArray();
  for (const auto& p : packages) WritePackage(w, p, zone, now);
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

// The agency's signed answer to a package of this secretariat: its receipt or its refusal.
Status Answer(Call& c) {
  if (!c.ctx.packages) return NoPackages();
  const std::string sha256 = c.ex.PathParam("package_sha256");
  auto missing = [&] {
    return Status::Error(ErrorKind::kNotFound, "api.no_package_answer",
                         "no answered package " + sha256 + " in secretariat " +
                             std::to_string(c.secretariat_id),
                         "El paquete no existe o el órgano garante aún no responde.");
  };
  if (!IsSha256Hex(sha256)) return missing();
  auto p = c.ctx.packages->Get(sha256);
  if (!p.ok() && p.status().kind() == ErrorKind::kNotFound) return missing();
  if (!p.ok()) return p.status();
  if (p->secretariat_id != c.secretariat_id || p->receipt_blob_id.empty()) return missing();
  ASSIGN_OR_RETURN(std::string bytes, c.ctx.blobs.Get(p->receipt_blob_id));
  const std::string what = p->state == delivery::PackageState::kRefused ? "rechazo" : "acuse";
  c.ex.SetHeader("Content-Disposition", "attachment; filename=\"paquete-" +
                                            std::to_string(p->secretariat_id) + "-" + p->month +
                                            "-" + what + ".xml\"");
  c.ex.SendBytes(200, "application/xml", bytes);
  return Status::Ok();
}

// ---- The co-signature of a draft package (docs/delivery.md, "Co-signature") ----

constexpr const char* kCosignKind = "package_cosign";

// The draft `package_sha256` of this secretariat, and the caller must hold the role its
// secretariat configured as co-signer (the route lets both the facilitator and the garante
// in, to tell the other one why not).
Result<delivery::PackageRecord> CosignDraft(Call& c) {
  if (!c.ctx.packages || !c.ctx.package_delivery) return NoPackages();
  const std::string sha256 = c.ex.PathParam("package_sha256");
  auto missing = [&] {
    return Status::Error(ErrorKind::kNotFound, "delivery.no_package", "no package " + sha256 + " of this secretariat",
                         "No existe ese paquete en este secretariado.");
  };
  if (!IsSha256Hex(sha256)) return missing();
  auto p = c.ctx.packages->Get(sha256);
  if (!p.ok() && p.status().kind() == ErrorKind::kNotFound) return missing();
  if (!p.ok()) return p.status();
  if (p->secretariat_id != c.secretariat_id) return missing();
  if (p->state == delivery::PackageState::kWithdrawn) {
    return delivery::DraftWithdrawn(*p);
  }
  if (p->state != delivery::PackageState::kAwaitingCosignature) {
    return Status::Error(ErrorKind::kConflict, "delivery.not_awaiting_cosignature",
                         "package " + sha256 + " is " + std::string(delivery::PackageStateName(p->state)),
                         "Ese paquete no está en espera de cofirma (ya se selló o no la requiere).");
  }
  const unsigned needed = p->cosigner == "garante" ? kGarante : kFacilitator;
  if ((c.roles & needed) == 0) {
    return Status::Error(ErrorKind::kPermissionDenied, "delivery.not_the_cosigner",
                         "the package must be co-signed by the " + p->cosigner,
                         "Este paquete debe cofirmarlo el " + delivery::CosignerRoleEs(p->cosigner) +
                             " del secretariado.");
  }
  return p;
}

// The caller's newest active device credential (registered with POST
// /api/me/credentials/external): the co-signature's certificate.
Result<keys::Credential> DeviceCredential(Call& c) {
  ASSIGN_OR_RETURN(auto credentials, c.ctx.keys.ListByHolder(documents::HolderIdFor(c.person_id())));
  const keys::Credential* newest = nullptr;
  for (const auto& k : credentials) {
    if (k.external && k.active() && (newest == nullptr || k.created_at >= newest->created_at)) newest = &k;
  }
  if (newest == nullptr) {
    return Status::Error(ErrorKind::kRejected, "delivery.no_device_credential",
                         "person " + std::to_string(c.person_id()) + " has no active external credential",
                         "Registre primero el certificado de su dispositivo (e.firma) para cofirmar el paquete.");
  }
  return *newest;
}

Status CosignPrepare(Call& c) {
  ASSIGN_OR_RETURN(delivery::PackageRecord draft, CosignDraft(c));
  ASSIGN_OR_RETURN(keys::Credential credential, DeviceCredential(c));
  ASSIGN_OR_RETURN(delivery::CoSignaturePreparation prep,
                   c.ctx.packages->PrepareCoSignature(draft.sha256, credential.certificate, credential.chain));
  // What finalize needs stays on the server, in the ticket (never sent to the device).
  JsonWriter state;
  state.BeginObject()
      .Field("cosigner", prep.cosigner)
      .Field("cosigner_name", prep.cosigner_name)
      .Field("signature_id", prep.signature_id)
      .Field("algorithm", prep.algorithm)
      .Field("manifest", Base64Encode(prep.prepared_manifest))
      .EndObject();
  SigningTicket t;
  t.account_id = c.principal->account.id;
  t.person_id = c.person_id();
  t.acta_id = 0;
  t.kind = kCosignKind;
  t.input_blob_id = draft.sha256;
  t.engine_state = state.Take();
  ASSIGN_OR_RETURN(SigningTicket issued, c.ctx.tickets.Issue(std::move(t)));
  JsonWriter w;
  w.BeginObject()
      .Field("ticket", issued.token)
      .Key("expires_at")
      .Time(issued.expires_at)
      .Field("package_sha256", draft.sha256)
      .Field("cosigner", prep.cosigner)
      .Field("algorithm", prep.algorithm)
      .Field("certificate_sha256", credential.certificate.FingerprintSha256())
      .Field("signed_info", Base64Encode(prep.signed_info))
      .Field("digest_to_sign", Base64Encode(prep.digest))
      .EndObject();
  return Reply(c, 201, w);
}

Status CosignFinalize(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string token, j.String("ticket", 200));
  ASSIGN_OR_RETURN(std::string signature, Base64Field(j, "signature", 16 * 1024));
  RETURN_IF_ERROR(j.Finish());
  // The ticket first (unknown, used, expired, someone else's), then what it is bound to.
  if (!c.ctx.packages || !c.ctx.package_delivery) return NoPackages();
  ASSIGN_OR_RETURN(SigningTicket t, c.ctx.tickets.FindOwn(token, c.principal->account.id, c.person_id()));
  if (t.kind != kCosignKind || t.input_blob_id != c.ex.PathParam("package_sha256")) {
    return Status::Error(ErrorKind::kConflict, "api.ticket_other_package",
                         "the signing ticket is not for the co-signature of package " +
                             c.ex.PathParam("package_sha256"),
                         "Esta autorización de firma no es para cofirmar este paquete.");
  }
  ASSIGN_OR_RETURN(delivery::PackageRecord draft, CosignDraft(c));
  JsonReaderOptions big;
  big.max_bytes = 64u << 20;
  ASSIGN_OR_RETURN(JsonReader state, JsonReader::Parse(t.engine_state, big));
  delivery::CoSignaturePreparation prep;
  prep.draft_sha256 = draft.sha256;
  ASSIGN_OR_RETURN(prep.cosigner, state.String("cosigner"));
  ASSIGN_OR_RETURN(prep.cosigner_name, state.OptionalString("cosigner_name"));
  ASSIGN_OR_RETURN(prep.signature_id, state.String("signature_id"));
  ASSIGN_OR_RETURN(prep.algorithm, state.String("algorithm"));
  ASSIGN_OR_RETURN(std::string manifest_b64, state.String("manifest", big.max_bytes));
  ASSIGN_OR_RETURN(prep.prepared_manifest, Base64Decode(manifest_b64));
  ASSIGN_OR_RETURN(TimeZone zone, c.ctx.wf.secretariats().Zone(c.secretariat_id));
  ASSIGN_OR_RETURN(SendState s, c.ctx.package_delivery->CoSign(prep, signature, c.audit_actor()));
  RETURN_IF_ERROR(c.ctx.tickets.MarkUsed(token));
  JsonWriter w;
  WriteSendState(w, s, zone, c.ctx.clock.Now());
  return Reply(c, 200, w);
}

// The secretariat's co-signer setting (workflows), then its drafts re-addressed
// (PackageDelivery::Readdress). The schema "PackageCosignerChange".
Status SetCosigner(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string to, j.Enum("package_cosigner", {"none", "garante", "facilitator"}));
  RETURN_IF_ERROR(j.Finish());
  std::optional<workflows::Officer> cosigner;
  if (to != "none") cosigner = to == "garante" ? workflows::Officer::kGarante : workflows::Officer::kFacilitator;
  RETURN_IF_ERROR(c.ctx.wf.secretariats().SetPackageCosigner(c.actor(), c.secretariat_id, cosigner));
  std::vector<Readdressed> done;
  if (c.ctx.package_delivery) {
    ASSIGN_OR_RETURN(done, c.ctx.package_delivery->Readdress(c.secretariat_id, c.audit_actor()));
  }
  ASSIGN_OR_RETURN(TimeZone zone, c.ctx.wf.secretariats().Zone(c.secretariat_id));
  const Instant now = c.ctx.clock.Now();
  JsonWriter w;
  w.BeginObject().Field("package_cosigner", to).Key("readdressed").BeginArray();
  for (const auto& r : done) {
    w.BeginObject().Field("withdrawn", r.withdrawn).Key("package");
    WritePackage(w, r.package, zone, now);
    w.Field("send_error", r.send_error).EndObject();
  }
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

}  // namespace

std::vector<RouteSpec> PackageRoutes() {
  return {
      {"GET", "/api/secretariats/{secretariat_id}/packages", "listPackages", "deliveries",
       "The monthly packages of ?month=YYYY-MM: state, the agency's refusal reasons, whether "
       "the delivery was on time, and the link to the agency's answer",
       kInsiders | kArchivist, Scope::kSecretariat, false, "", "the month's packages", 200, List,
       false, "month:month!"},
      {"POST", "/api/secretariats/{secretariat_id}/packages", "buildPackage", "deliveries",
       "Build and sign the month's package for the agency (a new one supersedes the last)",
       kFacilitator | kGarante, Scope::kSecretariat, false, "month:string!", "the package", 201, Build},
      {"POST", "/api/secretariats/{secretariat_id}/packages/{package_sha256}/send", "sendPackage", "deliveries",
       "Send a package to the agency through the outbox; once answered, the stored receipt or refusal",
       kFacilitator | kGarante, Scope::kSecretariat, false, "", "the package and its delivery", 202, Send},
      {"GET", "/api/secretariats/{secretariat_id}/packages/{package_sha256}/answer",
       "downloadPackageAnswer", "deliveries",
       "The agency's signed answer to a package (its receipt or its refusal, XML)",
       kInsiders | kArchivist, Scope::kSecretariat, false, "", "application/xml", 200, Answer},
      {"POST", "/api/secretariats/{secretariat_id}/packages/{package_sha256}/cosign/prepare",
       "preparePackageCosignature", "deliveries",
       "Prepare what the configured co-signer's device signs over a package awaiting its "
       "co-signature; returns a one-time ticket",
       kFacilitator | kGarante, Scope::kSecretariat, false, "",
       "ticket, expires_at, algorithm, signed_info and digest_to_sign (base64)", 201, CosignPrepare},
      {"POST", "/api/secretariats/{secretariat_id}/packages/{package_sha256}/cosign/finalize",
       "finalizePackageCosignature", "deliveries",
       "Place the device's co-signature under the ticket, seal the package and queue it for the agency",
       kFacilitator | kGarante, Scope::kSecretariat, false, "ticket:string! signature:string!",
       "the sealed package and its delivery", 200, CosignFinalize},
      {"POST", "/api/secretariats/{secretariat_id}/package-cosigner", "setPackageCosigner", "deliveries",
       "Change who co-signs the monthly package (none, garante, facilitator); drafts awaiting a "
       "co-signature are withdrawn and rebuilt for the new setting",
       kAdmin, Scope::kSecretariat, false, "package_cosigner:none|garante|facilitator!",
       "the setting and the drafts re-addressed", 200, SetCosigner},
  };
}

}  // namespace rubrica::server::api
