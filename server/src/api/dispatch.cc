// Authentication, scope, roles, CSRF and visibility: what runs before every handler.
#include <algorithm>
#include <cctype>

#include "rubrica/base/crypto_util.h"
#include "route_table.h"

namespace rubrica::server::api {

namespace {

constexpr std::string_view kSessionCookie = "rubrica_session";

bool IsSafeMethod(const std::string& m) { return m == "GET" || m == "HEAD"; }

// The value of cookie `name` in a Cookie header ("a=1; rubrica_session=xyz").
std::string CookieValue(const std::string& header, std::string_view name) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string_view part(header.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    pos = end + 1;
  }
  return "";
}

Status NotFoundPath(const std::string& path) {
  return Status::Error(ErrorKind::kNotFound, "api.not_found", "no resource at " + path,
                       "El recurso solicitado no existe.");
}

Result<int64_t> ParseId(const std::string& text, const std::string& path) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos ||
      text[0] == '0') {
    return NotFoundPath(path);
  }
  return std::stoll(text);
}

// Every query parameter must be one the route declares, once: a filter the route does not
// know would otherwise be ignored silently and the caller would trust an unfiltered answer.
Status CheckQueryNames(const RouteSpec& route, const HttpExchange& ex) {
  const std::vector<std::string> declared = QueryParamNames(route.query);
  const std::vector<std::string> sent = ex.QueryNames();
  for (size_t i = 0; i < sent.size(); ++i) {
    const std::string& name = sent[i];
    if (std::find(declared.begin(), declared.end(), name) == declared.end()) {
      std::string known;
      for (const auto& d : declared) known += (known.empty() ? "" : ", ") + d;
      return Status::Error(
          ErrorKind::kInvalidArgument, "api.unknown_parameter",
          "query parameter '" + name + "' is not one " + ex.method() + " " + ex.path() +
              " takes (" + (known.empty() ? "none" : known) + ")",
          "El parámetro «" + name + "» no existe en esta consulta" +
              (known.empty() ? std::string(": no admite parámetros.")
                             : ". Parámetros admitidos: " + known + "."));
    }
    if (std::find(sent.begin(), sent.begin() + static_cast<std::ptrdiff_t>(i), name) !=
        sent.begin() + static_cast<std::ptrdiff_t>(i)) {
      return Status::Error(ErrorKind::kInvalidArgument, "api.repeated_parameter",
                           "query parameter '" + name + "' sent more than once",
                           "El parámetro «" + name + "» aparece más de una vez.");
    }
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::string> QueryParamNames(std::string_view query) {
  std::vector<std::string> names;
  size_t pos = 0;
  while (pos < query.size()) {
    size_t end = query.find(' ', pos);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view item = query.substr(pos, end - pos);
    if (!item.empty()) names.emplace_back(item.substr(0, item.find(':')));
    pos = end + 1;
  }
  return names;
}

unsigned RolesIn(ApiContext& ctx, const Principal& p, int64_t secretariat_id) {
  unsigned roles = 0;
  for (const auto& g : p.account.grants) {
    if (g.secretariat_id != secretariat_id) continue;
    if (g.role == "archivist") roles |= kArchivist;
    if (g.role == "observer") roles |= kObserver;
  }
  if (p.account.person_id) {
    auto r = ctx.wf.people().RolesOf(workflows::Actor::Person(*p.account.person_id), secretariat_id);
    if (r.ok()) {
      if (r->facilitator) roles |= kFacilitator;
      if (r->seat) roles |= r->seat->role == workflows::TermRole::kTitular ? kTitular : kSuplente;
      if (r->garante) roles |= kGarante;
    }
  }
  return roles;
}

namespace {

struct ScopeInfo {
  int64_t secretariat_id = 0;
  std::vector<int64_t> person_secretariats;  // Scope::kPerson: where the person holds a term
  std::optional<int64_t> self_person;  // the person the resource is about
  std::optional<workflows::ActaRecord> acta;
  std::vector<int64_t> signers;  // required signers of the acta
};

Result<ScopeInfo> ResolveScope(ApiContext& ctx, const RouteSpec& route, HttpExchange& ex) {
  ScopeInfo s;
  auto id = [&](const char* name) { return ParseId(ex.PathParam(name), ex.path()); };
  switch (route.scope) {
    case Scope::kNone:
      break;
    case Scope::kSecretariat: {
      ASSIGN_OR_RETURN(s.secretariat_id, id("secretariat_id"));
      RETURN_IF_ERROR(ctx.wf.secretariats().Zone(s.secretariat_id).status());
      break;
    }
    case Scope::kSession: {
      ASSIGN_OR_RETURN(int64_t sid, id("session_id"));
      ASSIGN_OR_RETURN(auto session, ctx.wf.sessions().Get(sid));
      s.secretariat_id = session.secretariat_id;
      break;
    }
    case Scope::kActa: {
      ASSIGN_OR_RETURN(int64_t aid, id("acta_id"));
      ASSIGN_OR_RETURN(s.acta, ctx.wf.actas().Get(aid));
      s.secretariat_id = s.acta->secretariat_id;
      s.signers.reserve(s.acta->signers.size());
      for (const auto& signer : s.acta->signers) s.signers.push_back(signer.person_id);
      break;
    }
    case Scope::kAgreement: {
      ASSIGN_OR_RETURN(int64_t aid, id("agreement_id"));
      ASSIGN_OR_RETURN(auto agreement, ctx.wf.agreements().Get(aid));
      s.secretariat_id = agreement.secretariat_id;
      s.self_person = agreement.owner_person_id;
      break;
    }
    case Scope::kPlan: {
      ASSIGN_OR_RETURN(int64_t pid, id("plan_id"));
      ASSIGN_OR_RETURN(auto plan, ctx.wf.plans().Get(pid));
      s.secretariat_id = plan.secretariat_id;
      break;
    }
    case Scope::kTerm: {
      ASSIGN_OR_RETURN(int64_t tid, id("term_id"));
      ASSIGN_OR_RETURN(auto term, ctx.wf.people().GetTerm(tid));
      s.secretariat_id = term.secretariat_id;
      s.self_person = term.person_id;
      break;
    }
    case Scope::kPerson: {
      ASSIGN_OR_RETURN(int64_t pid, id("person_id"));
      RETURN_IF_ERROR(ctx.wf.people().GetPerson(pid).status());
      s.self_person = pid;
      ASSIGN_OR_RETURN(auto secretariats, ctx.wf.secretariats().List());
      for (const auto& sec : secretariats) {
        auto r = ctx.wf.people().RolesOf(workflows::Actor::Person(pid), sec.id);
        if (r.ok() && (r->facilitator || r->seat)) s.person_secretariats.push_back(sec.id);
      }
      break;
    }
  }
  return s;
}

Status Denied(const Call& call, std::string_view what) {
  std::string what_en(what);
  if (!what_en.empty()) what_en[0] = static_cast<char>(std::tolower(what_en[0]));
  if (!call.principal) {
    return Status::Error(ErrorKind::kUnauthenticated, "api.unauthenticated",
                         what_en + " needs a logged-in account",
                         "Inicie sesión para continuar.");
  }
  return Status::Error(ErrorKind::kPermissionDenied, "api.forbidden",
                       "account " + std::to_string(call.principal->account.id) + " may not " +
                           what_en,
                       "Su cuenta no tiene permiso para esta operación.");
}

}  // namespace

bool ActaVisible(unsigned roles, workflows::ActaState state) {
  using workflows::ActaState;
  if (roles & kInsiders) return true;
  if ((roles & kObserver) && state >= ActaState::kApproved) return true;
  return state >= ActaState::kArchived;
}

std::vector<std::string> RoleNames(unsigned roles) {
  static const std::vector<std::pair<unsigned, const char*>> kNames = {
      {kAdmin, "admin"},         {kFacilitator, "facilitator"}, {kTitular, "titular"},
      {kSuplente, "suplente"},   {kGarante, "garante"},         {kArchivist, "archivist"},
      {kObserver, "observer"},   {kPublic, "public"},           {kAuthenticated, "authenticated"},
      {kSelf, "self"}};
  std::vector<std::string> out;
  for (const auto& [bit, name] : kNames) {
    if (roles & bit) out.push_back(name);
  }
  return out;
}

void Dispatch(ApiContext& ctx, const RouteSpec& route, HttpExchange& ex) {
  Call call{ctx, ex, std::nullopt, kPublic, 0, std::nullopt};

  // Authentication: a bearer token wins over a cookie.
  std::string token;
  bool via_cookie = false;
  const std::string auth = route.ignores_session ? std::string() : ex.Header("Authorization");
  if (route.ignores_session) {
    // Nothing to authenticate: the route's own credential (a password, a token) is in the body.
  } else if (auth.rfind("Bearer ", 0) == 0) {
    token = auth.substr(7);
  } else if (!auth.empty()) {
    return call.Fail(Status::Error(ErrorKind::kUnauthenticated, "api.unauthenticated",
                                   "unsupported Authorization scheme",
                                   "Inicie sesión para continuar."));
  } else {
    token = CookieValue(ex.Header("Cookie"), kSessionCookie);
    via_cookie = !token.empty();
  }
  if (!token.empty()) {
    auto p = ctx.accounts.Authenticate(token);
    if (!p.ok()) return call.Fail(p.status());
    // A cookie must be a browser session; a bearer token must not be sent as a cookie.
    if ((p->kind == LoginKind::kCookie) != via_cookie) {
      return call.Fail(Status::Error(ErrorKind::kUnauthenticated, "api.unauthenticated",
                                     "session token presented the wrong way",
                                     "Inicie sesión para continuar."));
    }
    call.principal = std::move(*p);
    call.roles |= kAuthenticated;
  }

  // CSRF: a browser session must echo its CSRF token on every state-changing request.
  if (via_cookie && !IsSafeMethod(ex.method())) {
    const std::string sent = ex.Header("X-CSRF-Token");
    if (sent.empty() || !ConstantTimeEquals(Sha256Hex(sent), call.principal->csrf_hash)) {
      return call.Fail(Status::Error(
          ErrorKind::kPermissionDenied, "api.csrf_failed",
          "missing or wrong X-CSRF-Token on " + ex.method() + " " + ex.path(),
          "La solicitud no incluye el código de seguridad de su sesión; recargue la página."));
    }
  }

  if (Status q = CheckQueryNames(route, ex); !q.ok()) return call.Fail(q);

  // Anonymous callers learn nothing about ids: refused before any lookup when the route is
  // not public, and told "log in" for an acta that is not there as for one they may not see.
  if (!call.principal && (route.roles & kPublic) == 0) return call.Fail(Denied(call, route.summary));
  auto scope = ResolveScope(ctx, route, ex);
  if (!scope.ok()) {
    if (!call.principal && route.acta_read && scope.status().kind() == ErrorKind::kNotFound) {
      return call.Fail(Denied(call, "read this acta in its current state"));
    }
    return call.Fail(scope.status());
  }
  call.secretariat_id = scope->secretariat_id;
  call.acta = std::move(scope->acta);
  if (call.principal) {
    if (call.principal->account.administrator) call.roles |= kAdmin;
    if (route.scope != Scope::kNone && route.scope != Scope::kPerson) {
      call.roles |= RolesIn(ctx, *call.principal, call.secretariat_id);
    }
    // About a person: the caller's roles in the secretariats where that person holds a term
    // (the facilitator of their secretariat).
    for (int64_t sid : scope->person_secretariats) call.roles |= RolesIn(ctx, *call.principal, sid);
    const auto& me = call.principal->account.person_id;
    if (me && ((scope->self_person && *me == *scope->self_person) ||
               std::find(scope->signers.begin(), scope->signers.end(), *me) != scope->signers.end())) {
      call.roles |= kSelf;
    }
  }
  if ((call.roles & route.roles) == 0) return call.Fail(Denied(call, route.summary));
  if (route.acta_read && call.acta && !ActaVisible(call.roles, call.acta->state)) {
    return call.Fail(Denied(call, "read this acta in its current state"));
  }
  Status handled = route.handle(call);
  if (!handled.ok()) call.Fail(handled);
}

}  // namespace rubrica::server::api
