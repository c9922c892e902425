// The route table: every API route declared once, with who may call it. The same table
// registers the routes (Dispatch) and generates the OpenAPI document (openapi.cc).
//
// Authorisation happens in two layers. Dispatch first resolves the route's scope (the
// secretariat a session, acta, agreement, plan or term belongs to), works out the caller's
// roles there today (RoleBit) and refuses a caller none of whose roles the route allows
// (401 when not logged in, 403 otherwise); for routes that read an acta it also applies
// the acta's visibility by state (ActaVisible). The workflow then applies its own rules
// (the convener by configuration, required signers, the owner of an agreement, the acta's
// state) and refuses with its own codes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts.h"
#include "api_context.h"
#include "rubrica/base/json_reader.h"
#include "rubrica/server/http.h"
#include "rubrica/workflows/actas.h"
#include "rubrica/workflows/actor.h"

namespace rubrica::server::api {

/// What a caller is, relative to the route's scope. A caller may hold several.
enum RoleBit : unsigned {
  kAdmin = 1u << 0,          // an administrator account
  kFacilitator = 1u << 1,    // facilitator of the secretariat today
  kTitular = 1u << 2,        // titular of a seat today
  kSuplente = 1u << 3,       // substitute of a seat today
  kGarante = 1u << 4,        // holds the organismo garante's seat (titular or substitute)
  kArchivist = 1u << 5,      // granted archivist of the secretariat
  kObserver = 1u << 6,       // granted observer of the secretariat
  kPublic = 1u << 7,         // everyone, logged in or not
  kAuthenticated = 1u << 8,  // any logged-in account
  kSelf = 1u << 9,           // the person the resource is about: the term's holder, the
                             // agreement's owner, a required signer of the acta
};
inline constexpr unsigned kMembers = kTitular | kSuplente | kGarante;
inline constexpr unsigned kInsiders = kFacilitator | kMembers;

/// What a route's path parameters name; decides the secretariat and kSelf.
enum class Scope {
  kNone,         // installation-wide
  kSecretariat,  // {secretariat_id}
  kSession,      // {session_id}
  kActa,         // {acta_id}; kSelf: a required signer
  kAgreement,    // {agreement_id}; kSelf: its owner
  kPlan,         // {plan_id}
  kTerm,         // {term_id}; kSelf: its holder
  kPerson,       // {person_id}; kSelf: that person
};

/// Whether a caller with `roles` may read an acta in `state`: the facilitator and members
/// always; observers from approval on; everyone else (archivists, the public) once
/// archived.
bool ActaVisible(unsigned roles, workflows::ActaState state);

/// One request as a handler sees it, after authentication and the role check.
struct Call {
  ApiContext& ctx;
  HttpExchange& ex;
  std::optional<Principal> principal;  // none: an anonymous caller
  unsigned roles = kPublic;
  int64_t secretariat_id = 0;          // scopes below kNone
  std::optional<workflows::ActaRecord> acta;  // Scope::kActa

  /// The caller as the workflow sees them: the administrator, or their own person.
  workflows::Actor actor() const;
  /// The caller's person id (0 for administrator and anonymous callers).
  int64_t person_id() const;
  /// "account:<id>" for the audit log ("anonymous" when none).
  std::string audit_actor() const;
  /// A numeric path parameter (validated by Dispatch for scope parameters).
  int64_t Id(const std::string& name) const;
  /// The body as a JSON object, at most options.max_json_bytes.
  Result<JsonReader> Json();

  void Reply(int status, const std::string& json) { ex.SendJson(status, json); }
  /// Sends the error; 429 and 503 get a Retry-After header.
  void Fail(const Status& status);
};

/// Replies on success; a returned error is sent by Dispatch (call.Fail).
using HandlerFn = Status (*)(Call& call);

struct RouteSpec {
  std::string_view method;
  std::string_view path;          // "/api/actas/{acta_id}/rubric"
  std::string_view operation_id;  // "rubricateActa"
  std::string_view tag;           // OpenAPI tag (the resource group)
  std::string_view summary;       // one English line
  unsigned roles;                 // RoleBits allowed (any of them)
  Scope scope;
  bool acta_read = false;         // apply ActaVisible to the acta's state
  /// Request body: "" none, "pdf" raw application/pdf, else JSON fields
  /// "name:type" separated by spaces, '!' after the type when required; types: string,
  /// integer, boolean, date, time, object, string[], integer[], object[], or a|b|c enums.
  std::string_view request = "";
  std::string_view response = "";  // what a success returns, one English line
  int success_status = 200;
  HandlerFn handle = nullptr;
  /// Public routes that open a session or act on a token of their own (login, invitations):
  /// any cookie or bearer token sent with the request is ignored (a stale cookie must never
  /// keep anyone from logging in), and no CSRF token is expected.
  bool ignores_session = false;
  /// Query parameters the route reads, "name:type" separated by spaces, '!' after the type
  /// when required; types: string, integer, date, month (YYYY-MM), or a|b|c enums. Dispatch
  /// refuses any other name, and a name sent twice, with 400 api.unknown_parameter /
  /// api.repeated_parameter before anything is looked up; the handler checks the values.
  std::string_view query = "";
};

/// The names declared in a RouteSpec::query.
std::vector<std::string> QueryParamNames(std::string_view query);

// Each resource group's routes (one file each).
std::vector<RouteSpec> AuthRoutes();
std::vector<RouteSpec> AccountRoutes();
std::vector<RouteSpec> CredentialRoutes();
std::vector<RouteSpec> ReenrolmentRoutes();
std::vector<RouteSpec> SigningReadinessRoutes();
std::vector<RouteSpec> SecretariatRoutes();
std::vector<RouteSpec> PeopleRoutes();
std::vector<RouteSpec> SessionRoutes();
std::vector<RouteSpec> AgreementRoutes();
std::vector<RouteSpec> PlanRoutes();
std::vector<RouteSpec> ActaRoutes();
std::vector<RouteSpec> SigningRoutes();
std::vector<RouteSpec> DocumentRoutes();
std::vector<RouteSpec> SessionRecordRoutes();  // session_record_routes.cc
std::vector<RouteSpec> TaskRoutes();           // task_routes.cc
std::vector<RouteSpec> WebhookRoutes();  // webhook_routes.cc
std::vector<RouteSpec> ArchiveRoutes();  // archive_routes.cc
std::vector<RouteSpec> MicrositeRoutes();  // microsite_routes.cc
std::vector<RouteSpec> ComplaintRoutes();  // complaint_routes.cc
std::vector<RouteSpec> PackageRoutes();    // package_routes.cc
std::vector<RouteSpec> NotificationRoutes();  // notification_routes.cc

/// Every route, in registration order.
const std::vector<RouteSpec>& AllRoutes();

/// Authenticates, resolves the scope, checks roles, CSRF and acta visibility, then runs
/// the handler. Never throws. An anonymous request to a route the public may not call is
/// refused (401) before anything is looked up, so its answer never tells whether an id
/// exists; on routes the public may call only in some states (acta_read), an id that does
/// not exist is answered as one the caller may not see (401).

void Dispatch(ApiContext& ctx, const RouteSpec& route, HttpExchange& ex);

/// The roles a logged-in account holds in a secretariat today, from its grants and the
/// workflow's records (facilitator, titular, substitute, garante). kAdmin is not included.
unsigned RolesIn(ApiContext& ctx, const Principal& principal, int64_t secretariat_id);

/// Names of role bits, as in docs/api-authorization.md ("facilitator", ...).
std::vector<std::string> RoleNames(unsigned roles);

}  // namespace rubrica::server::api
