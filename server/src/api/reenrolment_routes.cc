// Re-enrolment (reenrolments.h): the administration or the facilitator issues a single-use
// link that reaches the member by e-mail; the member, logged in, registers a new signing
// credential with it.
#include "credentials.h"
#include "handler_util.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/store/write_transaction.h"

namespace rubrica::server::api {

namespace {

Status Issue(Call& c) {
  const int64_t person_id = c.Id("person_id");
  if (!(c.roles & kAdmin) && c.person_id() == person_id) {
    return Status::Error(ErrorKind::kPermissionDenied, "api.forbidden",
                         "a facilitator cannot issue a re-enrolment link to themselves",
                         "No puede emitirse un enlace de reinscripción a sí misma; pídalo a la "
                         "administración.");
  }
  ASSIGN_OR_RETURN(auto accounts, c.ctx.accounts.List());
  const Account* account = nullptr;
  for (const auto& a : accounts) {
    if (a.person_id == person_id) account = &a;
  }
  if (account == nullptr || !account->active) {
    return Status::Error(ErrorKind::kConflict, account ? "api.account_not_active" : "api.no_account",
                         "person " + std::to_string(person_id) +
                             (account ? " has not accepted their invitation yet"
                                      : " has no account"),
                         account ? "La persona aún no activa su cuenta: reenvíele la invitación, "
                                   "donde elegirá cómo firmar."
                                 : "La persona no tiene cuenta: créela; su invitación le pedirá "
                                   "elegir cómo firmar.");
  }
  ASSIGN_OR_RETURN(auto person, c.ctx.wf.people().GetPerson(person_id));
  ASSIGN_OR_RETURN(Reenrolment link, c.ctx.reenrolments.Issue(c.audit_actor(), *account));
  MailMessage m;
  m.to = account->email;
  m.subject = "Registre de nuevo su firma en Rúbrica";
  m.body = "Hola, " + person.full_name +
           ":\n\nSe emitió para usted un enlace para registrar de nuevo cómo firma las actas en "
           "Rúbrica (un PIN de firma nuevo, o el certificado de su e.firma). Inicie sesión con su "
           "contraseña y abra:\n\n" +
           ReenrolmentLink(c.ctx.options.public_url, link.token) +
           "\n\nEl enlace sirve una sola vez y vence el " + FormatRfc3339Utc(link.expires_at).substr(0, 10) +
           " (UTC). Las actas que ya esperan su firma con su llave anterior seguirán esperándola "
           "con esa llave.\n\nSi usted no pidió este cambio, no abra el enlace y comuníquese con la "
           "persona facilitadora de su secretariado.\n";
  Status sent = c.ctx.mailer.Send(m);
  if (!sent.ok()) {
    return Status::Error(ErrorKind::kUnavailable, "api.mail_failed",
                         "re-enrolment link for account " + std::to_string(account->id) +
                             " not sent: " + sent.message(),
                         "El enlace existe pero no se pudo enviar; emítalo de nuevo.");
  }
  JsonWriter w;
  w.BeginObject()
      .Field("person_id", person_id)
      .Field("account_id", account->id)
      .Key("expires_at")
      .Time(link.expires_at)
      .EndObject();
  return Reply(c, 201, w);
}

Status Accept(Call& c) {
  if (c.person_id() == 0) {
    return Status::Error(ErrorKind::kPermissionDenied, "api.not_a_person",
                         "account " + std::to_string(c.principal->account.id) + " is not a person's account",
                         "Sólo las cuentas de personas tienen credenciales de firma.");
  }
  const int64_t person = c.person_id();
  const Account& account = c.principal->account;
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string token, j.String("token", 200));
  ASSIGN_OR_RETURN(CredentialChoice choice, ReadCredentialChoice(j));
  RETURN_IF_ERROR(j.Finish());
  auto hold = c.ctx.accepting.TryTake("reenrolment:" + Sha256Hex(token));
  if (!hold) {
    return Status::Error(ErrorKind::kConflict, "api.reenrolment_in_use",
                         "this re-enrolment link is being used by another request",
                         "El enlace se está usando en este momento; espere unos segundos.");
  }
  RETURN_IF_ERROR(c.ctx.reenrolments.Peek(token, account.id).status());
  if (choice.none()) return SigningMethodRequired();
  ASSIGN_OR_RETURN(keys::PendingCredential pending,
                   PrepareCredential(c.ctx, person, account.email, choice));
  // The link is consumed in the transaction that stores the credential: both or neither.
  ASSIGN_OR_RETURN(int64_t id, store::WriteTransaction(c.ctx.db, [&](store::Transaction& tx) -> Result<int64_t> {
                     RETURN_IF_ERROR(c.ctx.reenrolments.Consume(tx, token, account.id));
                     return c.ctx.keys.Store(tx, pending, c.audit_actor());
                   }));
  ASSIGN_OR_RETURN(keys::Credential cred, c.ctx.keys.Get(id));
  NotifyCredentialChange(c.ctx, account,
                         cred.external ? "Se registró, con un enlace de reinscripción, un certificado "
                                         "para firmar desde su dispositivo"
                                       : "Se creó, con un enlace de reinscripción, una nueva llave de "
                                         "firma con PIN",
                         cred);
  JsonWriter w;
  WriteCredential(w, cred);
  return Reply(c, 201, w);
}

}  // namespace

std::vector<RouteSpec> ReenrolmentRoutes() {
  return {
      {"POST", "/api/people/{person_id}/reenrolment", "issueReenrolment", "credentials",
       "E-mail a person a single-use link to register a new signing credential without their "
       "current PIN (the administrator, or a facilitator of a secretariat where they hold a term)",
       kAdmin | kFacilitator, Scope::kPerson, false, "", "the account and when the link expires",
       201, Issue},
      {"POST", "/api/me/reenrolment", "acceptReenrolment", "credentials",
       "Register a new signing credential (a PIN or a device certificate) with a re-enrolment "
       "link's token",
       kAuthenticated, Scope::kNone, false,
       "token:string! pin:string certificate:string chain:string[]", "the new credential", 201,
       Accept},
  };
}

}  // namespace rubrica::server::api
