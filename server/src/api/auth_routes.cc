// Logging in and out, who am I, and accepting an invitation (password and signing PIN).
#include "credentials.h"
#include "handler_util.h"
#include "rubrica/base/crypto_util.h"

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
  ASSIGN_OR_RETURN(std::string login, j.String("login", 254));
  ASSIGN_OR_RETURN(std::string password, j.String("password", 1024));
  RETURN_IF_ERROR(j.Finish());
  const std::string name_key = Lower(login);
  const std::string address_key = ClientAddress(c.ex);
  for (auto* limiter : {&c.ctx.login_by_name, &c.ctx.login_by_address}) {
    auto wait = limiter->RetryAfter(limiter == &c.ctx.login_by_name ? name_key : address_key);
    if (wait) return TooManyLogins(*wait);
  }
  auto session = c.ctx.accounts.Login(login, password, kind);
  SecureWipe(password);
  if (!session.ok()) {
    if (session.status().code() == "api.login_failed") {
      c.ctx.login_by_name.RecordFailure(name_key);
      c.ctx.login_by_address.RecordFailure(address_key);
      c.ctx.logger.Warn("api.login_failed", {{"remote", address_key}});
    }
    return session.status();
  }
  c.ctx.login_by_name.Reset(name_key);
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
  } else {
    w.Null();
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

Status AcceptInvitation(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string token, j.String("token", 200));
  ASSIGN_OR_RETURN(std::string password, j.String("password", 1024));
  ASSIGN_OR_RETURN(std::string pin, j.OptionalString("pin", "", 64));
  RETURN_IF_ERROR(j.Finish());
  ASSIGN_OR_RETURN(Account account, c.ctx.accounts.PeekInvitation(token));
  RETURN_IF_ERROR(c.ctx.accounts.CheckPassword(password));
  std::optional<keys::Credential> credential;
  if (!pin.empty()) {
    if (!account.person_id) {
      return BadField("pin", "only people sign: this account has no person",
                      "sólo las personas firman; esta cuenta no es de una persona");
    }
    // The key is made before the password is set: a weak PIN leaves the invitation usable.
    auto enrolled = EnrolPerson(c.ctx, *account.person_id, account.email, pin,
                                "account:" + std::to_string(account.id));
    SecureWipe(pin);
    if (!enrolled.ok()) return enrolled.status();
    credential = std::move(*enrolled);
  }
  ASSIGN_OR_RETURN(Account accepted, c.ctx.accounts.AcceptInvitation(token, password));
  SecureWipe(password);
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
  return {
      {"POST", "/api/auth/login", "login", "auth",
       "Log in from a browser: sets the session cookie, returns the CSRF token", kPublic,
       Scope::kNone, false, "login:string! password:string!",
       "the account, the session's expiry and csrf_token", 200, Login},
      {"POST", "/api/auth/token", "createToken", "auth",
       "Log in from the CLI: returns a bearer token", kPublic, Scope::kNone, false,
       "login:string! password:string!", "the account, token and its expiry", 200, Token},
      {"POST", "/api/auth/logout", "logout", "auth", "End this session", kAuthenticated,
       Scope::kNone, false, "", "ok", 200, Logout},
      {"GET", "/api/me", "getMe", "auth",
       "The caller's account, person and roles in each secretariat", kAuthenticated,
       Scope::kNone, false, "", "account, person, secretariats with roles", 200, Me},
      {"POST", "/api/invitations/accept", "acceptInvitation", "auth",
       "Set the password (and the signing PIN, which creates the member's key) from an "
       "invitation",
       kPublic, Scope::kNone, false, "token:string! password:string! pin:string",
       "the account and the new credential (or null)", 200, AcceptInvitation},
  };
}

}  // namespace rubrica::server::api
