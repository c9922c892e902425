#include "rubrica/server/api.h"

#include "api_context.h"
#include "route_table.h"

namespace rubrica::server {

namespace api {

ApiContext::ApiContext(const ApiCollaborators& c, ApiOptions o)
    : db(c.db),
      blobs(c.blobs),
      audit(c.audit),
      clock(c.clock),
      logger(c.logger),
      wf(c.workflows),
      keys(c.keys),
      engine(c.engine),
      mailer(c.mailer),
      packages(c.packages),
      package_delivery(c.package_delivery),
      options(std::move(o)),
      accounts(c.db, c.audit, c.clock,
               AccountsOptions{PasswordHashParams{options.password_scrypt_log2_n, 8, 1},
                               options.session_ttl, options.invitation_ttl, 10}),
      reenrolments(c.db, c.audit, c.clock, options.reenrolment_ttl),
      microsite(c.db, c.blobs, c.audit, c.clock),
      submissions(c.db, c.audit, c.clock),
      tickets(c.db, c.clock, options.signing_ticket_ttl),
      // Per login in the database (a restart must not reset a guesser's count); per client
      // address in memory.
      login_by_name(c.clock, options.login_failures_per_login, options.login_window, 100000, &c.db),
      login_by_address(c.clock, options.login_failures_per_address, options.login_window),
      public_verifications(c.clock, options.public_verifications_per_address,
                           options.public_verification_window),
      public_submissions(c.clock, options.public_submissions_per_address,
                         options.public_submission_window),
      folio_lookups(c.clock, options.folio_lookup_misses_per_address,
                    options.public_submission_window),
      public_copies(c.clock, options.public_certified_copies_per_address,
                    options.public_certified_copy_window),
      signatures(options.signing_workers, options.max_concurrent_signatures - options.signing_workers,
                 options.signing_queue_wait),
      verifications(options.max_concurrent_verifications),
      copies(options.max_concurrent_certified_copies) {}

const std::vector<RouteSpec>& AllRoutes() {
  static const std::vector<RouteSpec> kRoutes = [] {
    std::vector<RouteSpec> all;
    for (auto group : {AuthRoutes, AccountRoutes, CredentialRoutes, ReenrolmentRoutes,
                       SigningReadinessRoutes, SecretariatRoutes,
                       PeopleRoutes, SessionRoutes, AgreementRoutes, PlanRoutes, ActaRoutes,
                       SigningRoutes, DocumentRoutes, SessionRecordRoutes, TaskRoutes,
                       WebhookRoutes, ArchiveRoutes,
                       MicrositeRoutes, ComplaintRoutes, PackageRoutes, NotificationRoutes}) {
      for (auto& r : group()) all.push_back(r);
    }
    return all;
  }();
  return kRoutes;
}

}  // namespace api

struct Api::Impl {
  Impl(const ApiCollaborators& c, ApiOptions o) : ctx(c, std::move(o)) {}
  api::ApiContext ctx;
};

Api::Api(ApiCollaborators collaborators, ApiOptions options)
    : impl_(std::make_unique<Impl>(collaborators, std::move(options))) {}

Api::~Api() = default;

void Api::AddRoutes(Router& router) {
  api::ApiContext* ctx = &impl_->ctx;
  for (const api::RouteSpec& route : api::AllRoutes()) {
    router.Add(std::string(route.method), std::string(route.path),
               [ctx, &route](HttpExchange& ex) { api::Dispatch(*ctx, route, ex); });
  }
}

Result<std::optional<std::string>> Api::EnsureAdministrator() {
  ASSIGN_OR_RETURN(auto invitation, impl_->ctx.accounts.EnsureAdministrator());
  if (!invitation) return std::optional<std::string>();
  return std::optional<std::string>(InvitationLink(impl_->ctx.options.public_url, invitation->token));
}

Result<std::optional<std::string>> EnsureAdministratorAccount(store::Database& db,
                                                             const store::AuditLog& audit,
                                                             const Clock& clock,
                                                             const std::string& public_url) {
  api::Accounts accounts(db, audit, clock);
  ASSIGN_OR_RETURN(auto invitation, accounts.EnsureAdministrator());
  if (!invitation) return std::optional<std::string>();
  return std::optional<std::string>(InvitationLink(public_url, invitation->token));
}

const std::vector<store::Migration>& ApiMigrations() { return api::AccountsMigrations(); }

namespace {

std::string PageLink(const std::string& public_url, std::string_view page, const std::string& token) {
  std::string base = public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + std::string(page) + "?token=" + token;
}

}  // namespace

std::string InvitationLink(const std::string& public_url, const std::string& token) {
  return PageLink(public_url, "/invitacion", token);
}

std::string ReenrolmentLink(const std::string& public_url, const std::string& token) {
  return PageLink(public_url, "/reinscripcion", token);
}

}  // namespace rubrica::server
