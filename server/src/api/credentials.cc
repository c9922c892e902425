#include "credentials.h"

#include "handler_util.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/documents/holder_id.h"
#include "rubrica/keys/certificate.h"

namespace rubrica::server::api {

using namespace std::chrono;

Result<keys::Credential> EnrolPerson(ApiContext& ctx, int64_t person_id,
                                     const std::string& fallback_email, std::string_view pin,
                                     const std::string& actor) {
  ASSIGN_OR_RETURN(workflows::PersonRecord person, ctx.wf.people().GetPerson(person_id));
  const Instant now = ctx.clock.Now();
  // The certificate lives as long as the person's latest term in force.
  std::optional<year_month_day> term_end;
  ASSIGN_OR_RETURN(auto secretariats, ctx.wf.secretariats().List());
  for (const auto& s : secretariats) {
    ASSIGN_OR_RETURN(TimeZone zone, ctx.wf.secretariats().Zone(s.id));
    ASSIGN_OR_RETURN(auto terms, ctx.wf.people().TermsInForce(s.id, zone.LocalDate(now)));
    for (const auto& t : terms) {
      if (t.person_id == person_id && (!term_end || *term_end < t.ends_on)) term_end = t.ends_on;
    }
  }
  keys::EnrolRequest request;
  request.holder_id = documents::HolderIdFor(person_id);
  request.subject.name = person.full_name;
  request.subject.role = person.title.empty() ? "Integrante del secretariado" : person.title;
  request.subject.email = person.email.empty() ? fallback_email : person.email;
  request.subject.not_before = now;
  request.subject.not_after = term_end ? Instant(sys_days(*term_end) + days(1) - seconds(1))
                                       : now + ctx.options.default_certificate_validity;
  return ctx.keys.Enrol(request, pin, actor);
}

namespace {

Result<int64_t> PersonOf(const Call& c) {
  if (c.person_id() == 0) {
    return Status::Error(ErrorKind::kPermissionDenied, "api.not_a_person",
                         "account " + std::to_string(c.principal->account.id) +
                             " is not a person's account",
                         "Sólo las cuentas de personas tienen credenciales de firma.");
  }
  return c.person_id();
}

Status ListMine(Call& c) {
  ASSIGN_OR_RETURN(int64_t person, PersonOf(c));
  ASSIGN_OR_RETURN(auto credentials, c.ctx.keys.ListByHolder(documents::HolderIdFor(person)));
  JsonWriter w;
  w.BeginObject().Key("credentials").BeginArray();
  for (const auto& cred : credentials) WriteCredential(w, cred);
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

Status Enrol(Call& c) {
  ASSIGN_OR_RETURN(int64_t person, PersonOf(c));
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string pin, j.String("pin", 64));
  RETURN_IF_ERROR(j.Finish());
  auto cred = EnrolPerson(c.ctx, person, c.principal->account.email, pin, c.audit_actor());
  SecureWipe(pin);
  if (!cred.ok()) return cred.status();
  JsonWriter w;
  WriteCredential(w, *cred);
  return Reply(c, 201, w);
}

Status RegisterExternal(Call& c) {
  ASSIGN_OR_RETURN(int64_t person, PersonOf(c));
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string cer, Base64Field(j, "certificate", 64 * 1024));
  std::vector<keys::Certificate> chain;
  if (j.Has("chain")) {
    ASSIGN_OR_RETURN(auto items, j.StringArray("chain", 10, 128 * 1024));
    for (size_t i = 0; i < items.size(); ++i) {
      auto der = Base64Decode(items[i]);
      if (!der.ok()) {
        return BadField("chain[" + std::to_string(i) + "]", "expected base64",
                        "se esperaba contenido en base64");
      }
      ASSIGN_OR_RETURN(keys::Certificate cert, keys::Certificate::FromDerOrPem(*der));
      chain.push_back(std::move(cert));
    }
  }
  RETURN_IF_ERROR(j.Finish());
  ASSIGN_OR_RETURN(keys::Credential cred,
                   c.ctx.keys.RegisterExternal(documents::HolderIdFor(person), cer, chain,
                                               c.audit_actor()));
  JsonWriter w;
  WriteCredential(w, cred);
  return Reply(c, 201, w);
}

}  // namespace

std::vector<RouteSpec> CredentialRoutes() {
  return {
      {"GET", "/api/me/credentials", "listMyCredentials", "credentials",
       "The caller's signing credentials", kAuthenticated, Scope::kNone, false, "",
       "credentials", 200, ListMine},
      {"POST", "/api/me/credentials", "enrolMyKey", "credentials",
       "Create the caller's key at the local CA under a signing PIN", kAuthenticated,
       Scope::kNone, false, "pin:string!", "the new credential", 201, Enrol},
      {"POST", "/api/me/credentials/external", "registerExternalCertificate", "credentials",
       "Register a certificate whose key stays on the caller's device (e.firma)",
       kAuthenticated, Scope::kNone, false, "certificate:string! chain:string[]",
       "the new credential", 201, RegisterExternal},
  };
}

}  // namespace rubrica::server::api
