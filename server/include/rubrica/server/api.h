// The JSON API under /api: accounts and sessions, the secretariat's workflow (secretariats,
// people, seats and terms, sessions, agreements, action plans, actas and their signatures),
// downloads, verification of uploaded PDFs and the monthly delivery status. docs/api.md
// describes it, docs/openapi.json is its OpenAPI 3 document (also served at
// GET /api/openapi.json) and docs/api-authorization.md its authorisation matrix.
//
// Every route is declared once in a table (method, path, roles, scope) that registers it
// and generates the OpenAPI document, so the two cannot drift. Each request is
// authenticated (session cookie + X-CSRF-Token header for browsers, or a bearer token),
// authorised by role in the secretariat it concerns and, for actas, by state, then handed
// to the workflow as the caller's own person (or as the administrator); handlers parse,
// authorise, call the workflow and serialise, nothing else.
//
// Errors are JSON {"error":{"code","kind","message"(Spanish),"message_en"}} with the HTTP
// status of the Status kind (400, 401, 403, 404, 409, 413, 422, 429, 503...); 429 and 503
// carry Retry-After.
//
// Collaborators are not owned and must outlive the Api. Thread-safe: handlers run
// concurrently on the HTTP server's workers.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/logger.h"
#include "rubrica/base/status.h"
#include "rubrica/keys/key_store.h"
#include "rubrica/server/api_mail.h"
#include "rubrica/server/http.h"
#include "rubrica/server/verify_sandbox.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/store/blob_store.h"
#include "rubrica/store/database.h"
#include "rubrica/workflows/acta_document_engine.h"
#include "rubrica/workflows/workflows.h"

namespace rubrica::delivery {
class Packages;
}  // namespace rubrica::delivery

namespace rubrica::server {

struct ApiOptions {
  /// Base of the links sent by e-mail ("https://rubrica.example.mx"). Required.
  std::string public_url;
  /// scrypt cost of account passwords: N = 2^password_scrypt_log2_n (r 8, p 1). Default
  /// 15 (32 MiB, ~100 ms). Tests lower it.
  int password_scrypt_log2_n = 15;
  /// Lifetime of a login session (cookie or bearer token). Default 8 hours.
  std::chrono::seconds session_ttl = std::chrono::hours(8);
  /// Lifetime of an invitation link. Default 7 days.
  std::chrono::seconds invitation_ttl = std::chrono::hours(24 * 7);
  /// Lifetime of a re-enrolment link (a new signing credential without the current PIN).
  /// Default 72 hours.
  std::chrono::seconds reenrolment_ttl = std::chrono::hours(72);
  /// Lifetime of an external-signing ticket. Default 5 minutes.
  std::chrono::seconds signing_ticket_ttl = std::chrono::minutes(5);
  /// Failed logins allowed per login name within `login_window` before 429. Default 5.
  int login_failures_per_login = 5;
  /// Failed logins allowed per client address within `login_window`. Default 30.
  int login_failures_per_address = 30;
  std::chrono::seconds login_window = std::chrono::minutes(15);
  /// Signing requests (PIN or finalize) admitted at once, running or waiting their turn;
  /// more answer 503 api.busy with Retry-After. Keep it below the HTTP threads, so that
  /// other requests are still served while signatures run. Default 8.
  int max_concurrent_signatures = 8;
  /// Of those, how many run at once (a signature is CPU-bound: more than the cores only
  /// makes each slower); the others wait in arrival order, each at most
  /// `signing_queue_wait`, then 503 api.busy. Default 2 (`rubrica serve`: the cores).
  int signing_workers = 2;
  std::chrono::milliseconds signing_queue_wait = std::chrono::seconds(20);
  /// Verifications of uploaded PDFs at once (each a sandboxed process). Default 2.
  int max_concurrent_verifications = 2;
  /// Verifications an anonymous client address may ask for (POST /api/verify without
  /// logging in) within `public_verification_window`, then 429 api.too_many_verifications
  /// with Retry-After. Default 10 per 10 minutes. Logged-in callers are bound only by
  /// max_concurrent_verifications.
  int public_verifications_per_address = 10;
  std::chrono::seconds public_verification_window = std::chrono::minutes(10);
  /// Questions, complaints, suggestions and participation requests a client address may
  /// file (POST /api/secretariats/{id}/submissions) within `public_submission_window`, then
  /// 429 api.too_many_submissions. Default 5 per hour.
  int public_submissions_per_address = 5;
  std::chrono::seconds public_submission_window = std::chrono::hours(1);
  /// Folio lookups that find nothing, per client address within the same window, then 429
  /// api.too_many_lookups (folios carry 40 random bits; this keeps guessing hopeless).
  int folio_lookup_misses_per_address = 30;
  /// Certified copies being made at once, service-wide (each verifies the sealed acta and
  /// renders and seals the constancia and the report: seconds of CPU); more answer 503
  /// api.busy with Retry-After. One acta's copy is made by one request at a time whatever
  /// this says. Default 2.
  int max_concurrent_certified_copies = 2;
  /// Certified copies an anonymous client address may have made (GET
  /// /api/actas/{id}/certified-copy of an acta whose copy does not exist yet) within
  /// `public_certified_copy_window`, then 429 api.too_many_certified_copies with
  /// Retry-After. Copies already made are served without counting. Default 5 per 10 minutes.
  int public_certified_copies_per_address = 5;
  std::chrono::seconds public_certified_copy_window = std::chrono::minutes(10);
  /// Largest uploaded PDF (verification, term reports, receipts). Default 32 MiB.
  int64_t max_pdf_bytes = 32ll << 20;
  /// Largest JSON body. Default 2 MiB (acta content is at most 1 MiB).
  int64_t max_json_bytes = 2ll << 20;
  /// How uploaded PDFs are verified (worker binary, trust anchors, limits). Default: the
  /// `rubrica-verify-worker` beside this executable (else its own `verify-worker`) with the
  /// installation's trust anchors.
  VerifySandboxOptions verify;
  /// Validity of a member certificate enrolled with an invitation when the person holds
  /// no term (otherwise the term's end). Default 1 year.
  std::chrono::seconds default_certificate_validity = std::chrono::hours(24 * 365);
  /// Webhook target policy (config webhooks.*): http to loopback, private addresses.
  bool webhooks_allow_http_loopback = false;
  bool webhooks_allow_private = false;
};

class PackageDelivery;  // server/src/package_delivery.h

struct ApiCollaborators {
  store::Database& db;
  const store::BlobStore& blobs;
  const store::AuditLog& audit;
  const Clock& clock;
  Logger& logger;
  workflows::Workflows& workflows;
  keys::KeyStore& keys;
  /// The document engine: the acta-content check before content is stored, and the
  /// preparation of external signing (what a member's device signs).
  workflows::ActaDocumentEngine& engine;
  Mailer& mailer;
  /// The monthly packages, read by the garante's board (GET .../packages); null: the
  /// package routes answer 503 api.packages_unavailable.
  const delivery::Packages* packages = nullptr;
  /// The monthly packages (build, send to the agency); null: the package routes answer 503.
  PackageDelivery* package_delivery = nullptr;
};

class Api {
 public:
  Api(ApiCollaborators collaborators, ApiOptions options);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  /// Adds every /api route to `router` (the Api must outlive it).
  void AddRoutes(Router& router);

  /// First start: when no administrator account exists, creates one (login "admin") and
  /// returns its one-time invitation link (to be printed or logged once); nullopt when an
  /// administrator exists. Idempotent.
  Result<std::optional<std::string>> EnsureAdministrator();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The API's own tables (component "server": accounts, sessions, invitations, signing
/// tickets). Applied by DataDirectory::Open after the workflows component.
inline constexpr std::string_view kApiComponent = "server";
const std::vector<store::Migration>& ApiMigrations();

/// The microsite's tables (component "microsite": contact, links, published items, the
/// public's submissions). Applied by DataDirectory::Open after the "server" component.
inline constexpr std::string_view kMicrositeComponent = "microsite";
const std::vector<store::Migration>& MicrositeMigrations();

/// EnsureAdministrator() without an Api, for `rubrica init`: the one-time invitation link of
/// a newly created administrator account, or nullopt when one exists.
Result<std::optional<std::string>> EnsureAdministratorAccount(store::Database& db,
                                                             const store::AuditLog& audit,
                                                             const Clock& clock,
                                                             const std::string& public_url);

/// The OpenAPI 3 document of every route (what GET /api/openapi.json serves and
/// docs/openapi.json holds).
std::string OpenApiDocument();

/// One route of the table, for tests and documentation tools.
struct ApiRoute {
  std::string method;
  std::string path;
  std::string operation_id;
};
std::vector<ApiRoute> ApiRoutes();

/// The invitation link for `token` under `public_url`: <public_url>/invitacion?token=...
std::string InvitationLink(const std::string& public_url, const std::string& token);
/// The re-enrolment link for `token`: <public_url>/reinscripcion?token=... (the web page
/// that, once the member is logged in, calls POST /api/me/reenrolment).
std::string ReenrolmentLink(const std::string& public_url, const std::string& token);

}  // namespace rubrica::server
