#include "credentials.h"

#include <cstdio>

#include "handler_util.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/documents/holder_id.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/store/write_transaction.h"

namespace rubrica::server::api {

using namespace std::chrono;

namespace {

Result<keys::EnrolRequest> EnrolRequestFor(ApiContext& ctx, int64_t person_id,
                                           const std::string& fallback_email) {
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
  return request;
}

std::string WhenText(Instant t) {
  const auto day = floor<days>(t);
  const year_month_day d{day};
  const hh_mm_ss<seconds> hms{floor<seconds>(t - day)};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%04d a las %02d:%02d (hora UTC)", unsigned(d.day()),
                unsigned(d.month()), int(d.year()), int(hms.hours().count()),
                int(hms.minutes().count()));
  return buf;
}

}  // namespace

Result<CredentialChoice> ReadCredentialChoice(JsonReader& j) {
  CredentialChoice choice;
  ASSIGN_OR_RETURN(choice.pin, j.OptionalSecret("pin", 64));
  if (j.Has("certificate")) {
    ASSIGN_OR_RETURN(choice.certificate, Base64Field(j, "certificate", 64 * 1024));
  }
  if (j.Has("chain")) {
    ASSIGN_OR_RETURN(auto items, j.StringArray("chain", 10, 128 * 1024));
    for (size_t i = 0; i < items.size(); ++i) {
      auto der = Base64Decode(items[i]);
      if (!der.ok()) {
        return BadField("chain[" + std::to_string(i) + "]", "expected base64",
                        "se esperaba contenido en base64");
      }
      ASSIGN_OR_RETURN(keys::Certificate cert, keys::Certificate::FromDerOrPem(*der));
      choice.chain.push_back(std::move(cert));
    }
  }
  if (choice.has_pin() && choice.has_device()) {
    return BadField("certificate", "give a pin or a certificate, not both",
                    "elija un PIN o un certificado, no ambos");
  }
  if (!choice.chain.empty() && !choice.has_device()) {
    return BadField("chain", "a chain goes with a certificate", "la cadena acompaña a un certificado");
  }
  return choice;
}

Status SigningMethodRequired() {
  return Status::Error(ErrorKind::kInvalidArgument, "api.signing_method_required",
                       "pin: a person's account needs a signing method: a pin (a key kept by the "
                       "server) or a certificate (a key kept on the member's device)",
                       "Elija cómo firmará las actas: con un PIN de firma o con el certificado de "
                       "su e.firma.");
}

Result<keys::PendingCredential> PrepareCredential(ApiContext& ctx, int64_t person_id,
                                                  const std::string& fallback_email,
                                                  CredentialChoice& choice) {
  if (choice.has_pin()) {
    ASSIGN_OR_RETURN(keys::EnrolRequest request, EnrolRequestFor(ctx, person_id, fallback_email));
    auto pending = ctx.keys.PrepareEnrol(request, choice.pin.view());
    choice.pin.Wipe();
    return pending;
  }
  if (choice.has_device()) {
    return ctx.keys.PrepareExternal(documents::HolderIdFor(person_id), choice.certificate, choice.chain);
  }
  return SigningMethodRequired();
}

Status CheckSecondFactor(ApiContext& ctx, int64_t person_id, std::string_view current_pin) {
  auto required = [](const std::string& why) {
    return Status::Error(ErrorKind::kPermissionDenied, "api.second_factor_required",
                         "a signing credential changes only with the current signing PIN "
                         "(current_pin) or a re-enrolment link: " + why,
                         "Para cambiar su firma escriba su PIN de firma actual. Si no lo tiene "
                         "(lo olvidó, o firma con su e.firma), pida a la persona facilitadora o a "
                         "la administración un enlace para registrar de nuevo su firma.");
  };
  ASSIGN_OR_RETURN(auto credentials, ctx.keys.ListByHolder(documents::HolderIdFor(person_id)));
  const keys::Credential* newest = nullptr;
  for (const auto& c : credentials) {
    if (c.active() && !c.external) newest = &c;
  }
  if (newest == nullptr) return required("the person holds no server-held key");
  if (current_pin.empty()) return required("current_pin is missing");
  return ctx.keys.CheckPinOf(newest->id, current_pin);
}

void NotifyCredentialChange(ApiContext& ctx, const Account& account, const std::string& what_es,
                            const keys::Credential& credential) {
  if (account.email.empty()) return;
  MailMessage m;
  m.to = account.email;
  m.subject = "Cambio en su firma electrónica en Rúbrica";
  m.body = what_es + " en su cuenta de Rúbrica el " + WhenText(ctx.clock.Now()) +
           ".\n\nCertificado: " + credential.certificate.SubjectString() +
           "\nHuella SHA-256: " + credential.certificate.FingerprintSha256() +
           "\n\nSi usted no hizo este cambio, comuníquese de inmediato con la persona "
           "facilitadora de su secretariado o con la administración de Rúbrica para que "
           "revoquen esa credencial.\n";
  Status sent = ctx.mailer.Send(m);
  if (!sent.ok()) {
    ctx.logger.Warn("api.credential_notice_not_sent",
                    {{"account", account.id}, {"code", sent.code()}});
  }
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

Status ReplyCredential(Call& c, int status, const keys::Credential& cred) {
  JsonWriter w;
  WriteCredential(w, cred);
  return Reply(c, status, w);
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

// A new key at the local CA, under a new PIN, shown the current one.
Status Enrol(Call& c) {
  ASSIGN_OR_RETURN(int64_t person, PersonOf(c));
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  CredentialChoice choice;
  ASSIGN_OR_RETURN(choice.pin, j.Secret("pin", 64));
  ASSIGN_OR_RETURN(SecretString current_pin, j.OptionalSecret("current_pin", 64));
  RETURN_IF_ERROR(j.Finish());
  RETURN_IF_ERROR(CheckSecondFactor(c.ctx, person, current_pin.view()));
  current_pin.Wipe();
  ASSIGN_OR_RETURN(keys::PendingCredential pending,
                   PrepareCredential(c.ctx, person, c.principal->account.email, choice));
  ASSIGN_OR_RETURN(int64_t id, store::WriteTransaction(c.ctx.db, [&](store::Transaction& tx) {
                     return c.ctx.keys.Store(tx, pending, c.audit_actor());
                   }));
  ASSIGN_OR_RETURN(keys::Credential cred, c.ctx.keys.Get(id));
  NotifyCredentialChange(c.ctx, c.principal->account, "Se registró una nueva llave de firma con PIN", cred);
  return ReplyCredential(c, 201, cred);
}

// A device's certificate, shown the current PIN.
Status RegisterExternal(Call& c) {
  ASSIGN_OR_RETURN(int64_t person, PersonOf(c));
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(CredentialChoice choice, ReadCredentialChoice(j));
  ASSIGN_OR_RETURN(SecretString current_pin, j.OptionalSecret("current_pin", 64));
  RETURN_IF_ERROR(j.Finish());
  if (!choice.has_device()) {
    return BadField("certificate", "required", "es obligatorio");
  }
  // The certificate's own checks first (public, cheap: an expired e.firma is told as such),
  // then the second factor.
  ASSIGN_OR_RETURN(keys::PendingCredential pending,
                   PrepareCredential(c.ctx, person, c.principal->account.email, choice));
  RETURN_IF_ERROR(CheckSecondFactor(c.ctx, person, current_pin.view()));
  current_pin.Wipe();
  ASSIGN_OR_RETURN(int64_t id, store::WriteTransaction(c.ctx.db, [&](store::Transaction& tx) {
                     return c.ctx.keys.Store(tx, pending, c.audit_actor());
                   }));
  ASSIGN_OR_RETURN(keys::Credential cred, c.ctx.keys.Get(id));
  NotifyCredentialChange(c.ctx, c.principal->account,
                         "Se registró un certificado para firmar desde su dispositivo (e.firma)", cred);
  return ReplyCredential(c, 201, cred);
}

// The same key under a new PIN: actas in flight keep signing with it.
Status ChangePin(Call& c) {
  ASSIGN_OR_RETURN(int64_t person, PersonOf(c));
  const int64_t id = c.Id("credential_id");
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(SecretString current_pin, j.Secret("current_pin", 64));
  ASSIGN_OR_RETURN(SecretString new_pin, j.Secret("new_pin", 64));
  RETURN_IF_ERROR(j.Finish());
  // Someone else's credential is answered as a missing one.
  auto cred = c.ctx.keys.Get(id);
  if (!cred.ok() || cred->holder_id != documents::HolderIdFor(person)) {
    return Status::Error(ErrorKind::kNotFound, "keys.credential_not_found",
                         "no credential " + std::to_string(id) + " of this person",
                         "No existe esa credencial de firma.");
  }
  RETURN_IF_ERROR(c.ctx.keys.ChangePin(id, current_pin.view(), new_pin.view(), c.audit_actor()));
  current_pin.Wipe();
  new_pin.Wipe();
  ASSIGN_OR_RETURN(keys::Credential changed, c.ctx.keys.Get(id));
  NotifyCredentialChange(c.ctx, c.principal->account, "Se cambió el PIN de su llave de firma", changed);
  return ReplyCredential(c, 200, changed);
}

}  // namespace

std::vector<RouteSpec> CredentialRoutes() {
  return {
      {"GET", "/api/me/credentials", "listMyCredentials", "credentials",
       "The caller's signing credentials", kAuthenticated, Scope::kNone, false, "",
       "credentials", 200, ListMine},
      {"POST", "/api/me/credentials", "enrolMyKey", "credentials",
       "Create a new key at the local CA under a new signing PIN, confirmed with the current "
       "PIN (without one: a re-enrolment link)",
       kAuthenticated, Scope::kNone, false, "pin:string! current_pin:string!",
       "the new credential", 201, Enrol},
      {"POST", "/api/me/credentials/external", "registerExternalCertificate", "credentials",
       "Register a certificate whose key stays on the caller's device (e.firma), confirmed "
       "with the current signing PIN (without one: a re-enrolment link)",
       kAuthenticated, Scope::kNone, false, "certificate:string! chain:string[] current_pin:string!",
       "the new credential", 201, RegisterExternal},
      {"POST", "/api/me/credentials/{credential_id}/pin", "changeMyPin", "credentials",
       "Wrap the caller's key under a new signing PIN (the same key: actas in flight are "
       "unaffected)",
       kAuthenticated, Scope::kNone, false, "current_pin:string! new_pin:string!",
       "the credential", 200, ChangePin},
  };
}

}  // namespace rubrica::server::api
