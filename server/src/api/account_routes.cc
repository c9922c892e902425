// Accounts, managed by the administrator: create one for a person (or an administrator,
// archivist or observer), list them, send a new invitation.
#include "handler_util.h"
#include "rubrica/lang/dates.h"

namespace rubrica::server::api {

namespace {

// The invitation e-mail (Spanish): who is invited, the link, when it expires.
Status SendInvitation(ApiContext& ctx, const Account& account, const std::string& name,
                      const Invitation& inv) {
  MailMessage m;
  m.to = account.email;
  m.subject = "Invitación a Rúbrica";
  m.body = "Hola" + (name.empty() ? std::string() : ", " + name) +
           ":\n\n"
           "Se creó su acceso a Rúbrica, el sistema de actas y firmas del secretariado. "
           "Abra el siguiente enlace para definir su contraseña" +
           (account.person_id ? std::string(" y su PIN de firma") : std::string()) +
           ":\n\n" + InvitationLink(ctx.options.public_url, inv.token) +
           "\n\nEl enlace sólo puede usarse una vez y vence el " +
           lang::DateTimeEs(inv.expires_at, TimeZone::Utc()) +
           ". Si no esperaba este mensaje, ignórelo.\n";
  Status s = ctx.mailer.Send(m);
  if (!s.ok()) {
    return Status::Error(ErrorKind::kUnavailable, "api.mail_failed",
                         "invitation for account " + std::to_string(account.id) +
                             " not sent: " + s.message(),
                         "La cuenta existe pero no se pudo enviar la invitación; reenvíela.");
  }
  return Status::Ok();
}

Status Create(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  NewAccount in;
  ASSIGN_OR_RETURN(in.email, j.Line("email", 254));
  ASSIGN_OR_RETURN(in.person_id, j.OptionalInt("person_id"));
  ASSIGN_OR_RETURN(in.administrator, j.Bool("administrator", false));
  if (j.Has("grants")) {
    ASSIGN_OR_RETURN(auto grants, j.ObjectArray("grants", 100));
    for (auto& g : grants) {
      Grant grant;
      ASSIGN_OR_RETURN(grant.role, g.Enum("role", {"archivist", "observer"}));
      ASSIGN_OR_RETURN(grant.secretariat_id, g.Int("secretariat_id"));
      RETURN_IF_ERROR(g.Finish());
      RETURN_IF_ERROR(c.ctx.wf.secretariats().Zone(grant.secretariat_id).status());
      in.grants.push_back(grant);
    }
  }
  RETURN_IF_ERROR(j.Finish());
  std::string name;
  if (in.person_id) {
    ASSIGN_OR_RETURN(auto person, c.ctx.wf.people().GetPerson(*in.person_id));
    name = person.full_name;
  }
  ASSIGN_OR_RETURN(Invitation inv, c.ctx.accounts.Create(c.audit_actor(), in));
  ASSIGN_OR_RETURN(Account account, c.ctx.accounts.Get(inv.account_id));
  RETURN_IF_ERROR(SendInvitation(c.ctx, account, name, inv));
  JsonWriter w;
  w.BeginObject().Key("account");
  WriteAccount(w, account);
  w.Key("invitation_expires_at").Time(inv.expires_at).EndObject();
  return Reply(c, 201, w);
}

Status List(Call& c) {
  ASSIGN_OR_RETURN(auto accounts, c.ctx.accounts.List());
  JsonWriter w;
  w.BeginObject().Key("accounts").BeginArray();
  for (const auto& a : accounts) WriteAccount(w, a);
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

Status Reinvite(Call& c) {
  const int64_t id = c.Id("account_id");
  ASSIGN_OR_RETURN(Account account, c.ctx.accounts.Get(id));
  if (account.email.empty()) {
    return Status::Error(ErrorKind::kConflict, "api.no_email",
                         "account " + std::to_string(id) + " has no e-mail address",
                         "La cuenta no tiene correo para enviarle la invitación.");
  }
  std::string name;
  if (account.person_id) {
    auto person = c.ctx.wf.people().GetPerson(*account.person_id);
    if (person.ok()) name = person->full_name;
  }
  ASSIGN_OR_RETURN(Invitation inv, c.ctx.accounts.Reinvite(c.audit_actor(), id));
  RETURN_IF_ERROR(SendInvitation(c.ctx, account, name, inv));
  JsonWriter w;
  w.BeginObject().Key("invitation_expires_at").Time(inv.expires_at).EndObject();
  return Reply(c, 200, w);
}

}  // namespace

std::vector<RouteSpec> AccountRoutes() {
  return {
      {"POST", "/api/accounts", "createAccount", "accounts",
       "Create an account and e-mail its invitation", kAdmin, Scope::kNone, false,
       "email:string! person_id:integer administrator:boolean grants:object[]",
       "the account and when its invitation expires", 201, Create},
      {"GET", "/api/accounts", "listAccounts", "accounts", "Every account", kAdmin,
       Scope::kNone, false, "", "accounts", 200, List},
      {"POST", "/api/accounts/{account_id}/invitation", "reinviteAccount", "accounts",
       "E-mail a new invitation (also resets a forgotten password)", kAdmin, Scope::kNone,
       false, "", "when the invitation expires", 200, Reinvite},
  };
}

}  // namespace rubrica::server::api
