// Logging in and out, who am I, and accepting an invitation (password and signing PIN).
#include "credentials.h"
#include "handler_util.h"
#include "signing_readiness.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/secret_string.h"
#include "rubrica/store/write_transaction.h"

namespace rubrica::server::api {

namespace {

std::string ClientAddress(const HttpExchange& ex) {
  std::string a = ex.RemoteAddress();
  // "ip:port" or "[v6]:port": the port changes per connection, the address does not.
  const size_t colon = a.rfind(':');
  return colon == std::string::npos ? a : a.substr(0, colon);
}

std::string Lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

Status TooManyLogins(std::chrono::seconds wait) {
  return Status::Error(ErrorKind::kRateLimited, "api.too_many_logins",
                       "too many failed logins, try again in " + std::to_string(wait.count()) + " s",
                       "Demasiados intentos fallidos de inicio de sesión. Espere " +
                           std::to_string(wait.count()) + " segundos.")
      .WithRetryAfter(wait);
}

Status DoLogin(Call& c, LoginKind kind) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string login, j.Line("login", 254));
  ASSIGN_OR_RETURN(SecretString password, j.Secret("password", 1024));
  RETURN_IF_ERROR(j.Finish());
  const std::string name_key = Lower(login);
  const std::string address_key = ClientAddress(c.ex);
  // Both limits admit this attempt before the password is checked (scrypt), counting the
  // attempts in flight: a burst of N guesses counts as N.
  if (auto wait = c.ctx.login_by_name.TryBegin(name_key)) return TooManyLogins(*wait);
  if (auto wait = c.ctx.login_by_address.TryBegin(address_key)) {
    c.ctx.login_by_name.End(name_key, false);
    return TooManyLogins(*wait);
  }
  auto session = c.ctx.accounts.Login(login, password.view(), kind);
  password.Wipe();
  const bool failed = !session.ok() && session.status().code() == "api.login_failed";
  c.ctx.login_by_name.End(name_key, failed);
  c.ctx.login_by_address.End(address_key, failed);
  if (!session.ok()) {
    if (failed) c.ctx.logger.Warn("api.login_failed", {{"remote", address_key}});
    return session.status();
  }
  c.ctx.login_by_name.Reset(name_key);
  // Whatever session cookie came with the request was ignored (the route ignores sessions)
  // and is replaced: the new session always has a new id (no session fixation). A live one
  // it replaces ends with its own lifetime or logout, like a session of another browser.
  JsonWriter w;
  w.BeginObject().Key("account");
  WriteAccount(w, session->account);
  w.Key("expires_at").Time(session->expires_at);
  if (kind == LoginKind::kCookie) {
    const auto ttl = std::chrono::duration_cast<std::chrono::seconds>(
        session->expires_at - c.ctx.clock.Now());
    c.ex.SetHeader("Set-Cookie", "rubrica_session=" + session->token +
                                     "; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=" +
                                     std::to_string(ttl.count()));
    w.Field("csrf_token", session->csrf_token);
  } else {
    w.Field("token", session->token);
  }
  w.EndObject();
  return Reply(c, 200, w);
}

Status Login(Call& c) { return DoLogin(c, LoginKind::kCookie); }
Status Token(Call& c) { return DoLogin(c, LoginKind::kBearer); }

Status Logout(Call& c) {
  RETURN_IF_ERROR(c.ctx.accounts.Logout(*c.principal));
  if (c.principal->kind == LoginKind::kCookie) {
    c.ex.SetHeader("Set-Cookie",
                   "rubrica_session=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0");
  }
  return ReplyOk(c);
}

Status Me(Call& c) {
  const Account& a = c.principal->account;
  JsonWriter w;
  w.BeginObject().Key("account");
  WriteAccount(w, a);
  w.Key("person");
  if (a.person_id) {
    ASSIGN_OR_RETURN(auto person, c.ctx.wf.people().GetPerson(*a.person_id));
    WritePerson(w, person, true);
    ASSIGN_OR_RETURN(SigningReadiness r, SigningReadinessOf(c.ctx, *a.person_id));
    w.Field("can_sign", r.can_sign).StringArray("signing_methods", r.methods);
  } else {
    w.Null();
    w.Field("can_sign", false).StringArray("signing_methods", {});
  }
  w.Key("secretariats").BeginArray();
  ASSIGN_OR_RETURN(auto secretariats, c.ctx.wf.secretariats().List());
  for (const auto& s : secretariats) {
    unsigned roles = RolesIn(c.ctx, *c.principal, s.id);
    if (a.administrator) roles |= kAdmin;
    if (roles == 0) continue;
    w.BeginObject().Field("id", s.id).Field("name", s.config.name);
    w.StringArray("roles", RoleNames(roles)).EndObject();
  }
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

Status InvitationInUse() {
  return Status::Error(ErrorKind::kConflict, "api.invitation_in_use",
                       "this invitation is being accepted by another request",
                       "La invitación se está usando en este momento; espere unos segundos.");
}

// The invitation a token opens, for its page: whom it is for, and whether they choose how
// to sign (people do; administration, archive and observation accounts do not).
Status LookupInvitation(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string token, j.String("token", 200));
  RETURN_IF_ERROR(j.Finish());
  ASSIGN_OR_RETURN(Account account, c.ctx.accounts.PeekInvitation(token));
  ASSIGN_OR_RETURN(Instant expires, c.ctx.accounts.InvitationExpiry(token));
  JsonWriter w;
  w.BeginObject().Field("login", account.login).Field("for_person", account.person_id.has_value());
  w.Key("name");
  if (account.person_id) {
    ASSIGN_OR_RETURN(auto person, c.ctx.wf.people().GetPerson(*account.person_id));
    w.String(person.full_name);
  } else {
    w.Null();
  }
  w.Key("expires_at").Time(expires);
  // The choices offered: none for an account of no person or a person who can sign already
  // (a password reset).
  bool choose = account.person_id.has_value();
  if (account.person_id) {
    ASSIGN_OR_RETURN(SigningReadiness readiness, SigningReadinessOf(c.ctx, *account.person_id));
    choose = !readiness.can_sign;
  }
  w.StringArray("signing_methods", choose ? std::vector<std::string>{"pin", "device"} : std::vector<std::string>{});
  w.EndObject();
  return Reply(c, 200, w);
}

// Sets the password and, for a person, how they will sign: the invitation is consumed in
// the same transaction that stores the credential, and only one request at a time works on
// an invitation, so a burst of acceptances makes one key (or none).
Status AcceptInvitation(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string token, j.String("token", 200));
  ASSIGN_OR_RETURN(SecretString password, j.Secret("password", 1024));
  ASSIGN_OR_RETURN(CredentialChoice choice, ReadCredentialChoice(j));
  RETURN_IF_ERROR(j.Finish());
  auto hold = c.ctx.accepting.TryTake("invitation:" + Sha256Hex(token));
  if (!hold) return InvitationInUse();
  ASSIGN_OR_RETURN(Account account, c.ctx.accounts.PeekInvitation(token));
  RETURN_IF_ERROR(c.ctx.accounts.CheckPassword(password.view()));
  std::optional<keys::PendingCredential> pending;
  if (account.person_id) {
    // A person who can sign already (a password reset) keeps their credential: the link
    // proves the mailbox only, and a new key needs the current PIN or a re-enrolment link.
    ASSIGN_OR_RETURN(SigningReadiness readiness, SigningReadinessOf(c.ctx, *account.person_id));
    if (readiness.can_sign && !choice.none()) {
      return BadField(choice.has_pin() ? "pin" : "certificate",
                      "this person can sign already; a new credential needs the current PIN or a "
                      "re-enrolment link",
                      "usted ya tiene con qué firmar; para cambiarlo use su PIN actual o pida un "
                      "enlace de reinscripción");
    }
    if (!readiness.can_sign && choice.none()) return SigningMethodRequired();
    // The key (or the certificate's checks) before the password is set: a weak PIN leaves
    // the invitation usable.
    if (!choice.none()) {
      ASSIGN_OR_RETURN(pending, PrepareCredential(c.ctx, *account.person_id, account.email, choice));
    }
  } else if (!choice.none()) {
    return BadField(choice.has_pin() ? "pin" : "certificate",
                    "only people sign: this account has no person",
                    "sólo las personas firman; esta cuenta no es de una persona");
  }
  const std::string actor = "account:" + std::to_string(account.id);
  std::optional<int64_t> credential_id;
  ASSIGN_OR_RETURN(
      Account accepted,
      c.ctx.accounts.AcceptInvitation(token, password.view(),
                                      [&](store::Transaction& tx, const Account&) -> Status {
                                        if (!pending) return Status::Ok();
                                        ASSIGN_OR_RETURN(credential_id, c.ctx.keys.Store(tx, *pending, actor));
                                        return Status::Ok();
                                      }));
  password.Wipe();
  std::optional<keys::Credential> credential;
  if (credential_id) {
    ASSIGN_OR_RETURN(credential, c.ctx.keys.Get(*credential_id));
    NotifyCredentialChange(c.ctx, accepted,
                           credential->external
                               ? "Se registró el certificado con el que firmará desde su dispositivo"
                               : "Se creó su llave de firma, protegida con su PIN",
                           *credential);
  }
  JsonWriter w;
  w.BeginObject().Key("account");
  WriteAccount(w, accepted);
  w.Key("credential");
  if (credential) {
    WriteCredential(w, *credential);
  } else {
    w.Null();
  }
  w.EndObject();
  return Reply(c, 200, w);
}

}  // namespace

std::vector<RouteSpec> AuthRoutes() {
  std::vector<RouteSpec> routes = {
      {"POST", "/api/auth/login", "login", "auth",
       "Log in from a browser: sets a new session cookie (any cookie sent is replaced), "
       "returns the CSRF token",
       kPublic, Scope::kNone, false, "login:string! password:string!",
       "the account, the session's expiry and csrf_token", 200, Login},
      {"POST", "/api/auth/token", "createToken", "auth",
       "Log in from the CLI: returns a bearer token", kPublic, Scope::kNone, false,
       "login:string! password:string!", "the account, token and its expiry", 200, Token},
      {"POST", "/api/auth/logout", "logout", "auth", "End this session", kAuthenticated,
       Scope::kNone, false, "", "ok", 200, Logout},
      {"GET", "/api/me", "getMe", "auth",
       "The caller's account, person, how they can sign, and roles in each secretariat",
       kAuthenticated, Scope::kNone, false, "",
       "account, person, signing methods, secretariats with roles", 200, Me},
      {"POST", "/api/invitations/lookup", "lookupInvitation", "auth",
       "Whom an unused invitation is for, and whether they choose how to sign", kPublic,
       Scope::kNone, false, "token:string!",
       "login, for_person, name, expires_at, signing_methods", 200, LookupInvitation},
      {"POST", "/api/invitations/accept", "acceptInvitation", "auth",
       "Set the password from an invitation and, for a person, how they will sign: a PIN "
       "(creates their key) or a device certificate (e.firma); one of them is required",
       kPublic, Scope::kNone, false,
       "token:string! password:string! pin:string certificate:string chain:string[]",
       "the account and the new credential (null for accounts that do not sign)", 200,
       AcceptInvitation},
  };
  for (auto& r : routes) {
    if (r.operation_id == "login" || r.operation_id == "createToken" ||
        r.operation_id == "lookupInvitation" || r.operation_id == "acceptInvitation") {
      r.ignores_session = true;
    }
  }
  return routes;
}

}  // namespace rubrica::server::api
