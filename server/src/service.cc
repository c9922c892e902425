#include "rubrica/server/service.h"

#include <algorithm>
#include <thread>

#include "core.h"
#include "tsa_route.h"

#include "rubrica/base/files.h"
#include "rubrica/server/api.h"
#include "rubrica/server/data_directory.h"
#include "rubrica/server/http.h"
#include "metrics.h"
#include "renewal_scheduler.h"
#include "housekeeping.h"
#include "notify/notifier.h"
#include "package_delivery.h"
#include "system_routes.h"
#include "verification_page.h"
#include "version.h"
#include "web_routes.h"

namespace rubrica::server {

struct Service::Impl {
  Config config;
  const Clock& clock;
  Logger& logger;
  DataDirectory data;
  std::unique_ptr<Core> core;
  Router router;
  std::unique_ptr<HttpServer> http;
  std::unique_ptr<RenewalScheduler> renewals;
  bool renewals_enabled = true;
  std::unique_ptr<notify::Notifier> notifier;
  bool notifications = true;
  std::unique_ptr<PackageDelivery> package_delivery;
  std::unique_ptr<Api> api;
  std::unique_ptr<Metrics> metrics;
  std::unique_ptr<Housekeeping> housekeeping;  // scheduled backup, outbox retention
};

Service::Service(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Service::~Service() { Stop(); }

Result<std::unique_ptr<Service>> Service::Create(const Config& config, const Clock& clock,
                                                 Logger& logger, const ServiceOptions& options) {
  ASSIGN_OR_RETURN(DataDirectory data, DataDirectory::Open(config.data_dir, "rubrica serve"));
  auto impl = std::unique_ptr<Impl>(new Impl{config, clock, logger, std::move(data), nullptr, {}, nullptr});
  // The core (core.h): a fresh data directory gets its local CA, TSA and seal here too
  // (embedded defaults); the engine's timestamps come from tsa.url when configured, else
  // from the embedded TSA (the /tsa route below serves outside clients with it).
  CoreOptions core_options;
  core_options.pin_scrypt_log2_n = options.pin_scrypt_log2_n;
  ASSIGN_OR_RETURN(impl->core, OpenCore(impl->data, config, clock, logger, core_options));
  Core& core = *impl->core;
  // Issue (or reuse) the CRLs now: verifications hand them to their worker, and a request
  // that is refused should not be the one that happens to publish the first CRL.
  RETURN_IF_ERROR(core.keys.ca->CurrentCrls().status());
  logger.Info("keys.ready", {{"created", core.keys.created},
                             {"root_sha256", core.keys.ca->root().FingerprintSha256()}});
  // The archive's renewal (PAdES-LTA): the CA's successor certificates, then every archived
  // acta whose last timestamp is due (docs/operations.md, "Archive renewal").
  workflows::RenewalPolicy renewal_policy;
  renewal_policy.margin = std::chrono::days(config.archive_renewal_margin_days);
  renewal_policy.deprecated_digests = config.archive_deprecated_digests;
  impl->renewals = std::make_unique<RenewalScheduler>(
      core.workflows->actas(), core.keys.ca.get(), renewal_policy, clock, logger,
      options.renewal_period.value_or(std::chrono::hours(6)), options.renewal_poll.value_or(std::chrono::minutes(1)));
  impl->renewals_enabled = options.renewals;
  HousekeepingOptions housekeeping;
  housekeeping.data_dir = config.data_dir;
  housekeeping.backup_dir = config.backup_dir;
  housekeeping.backup_interval = std::chrono::hours(config.backup_interval_hours);
  housekeeping.backup_keep = config.backup_keep;
  housekeeping.outbox_retention = std::chrono::days(config.outbox_retention_days);
  impl->housekeeping = std::make_unique<Housekeeping>(housekeeping, *impl->data.db, clock, logger);

  // The API, with mail to <data_dir>/outbox and verification in the sandbox with the
  // installation's trust anchors and CRLs.
  // Notifications: the outbox in the database, its relay from the audit log, reminders,
  // and the sender (SMTP when smtp.host is set, else .eml files in <data_dir>/outbox).
  notify::NotifierSettings notify_settings = NotifierSettingsFrom(config);
  if (options.notify_poll) notify_settings.sender.poll = *options.notify_poll;
  if (options.notify_max_attempts) notify_settings.sender.max_attempts = *options.notify_max_attempts;
  impl->notifications = options.notifications;
  ASSIGN_OR_RETURN(impl->notifier,
                   notify::Notifier::Create(*impl->data.db, *core.audit, *core.workflows, clock,
                                            logger, notify_settings));
  // The monthly package and its delivery to the agency (docs/delivery.md, "Sending").
  {
    AgencyTrust trust;
    trust.tls_ca_file = config.agency_tls_ca_file;
    if (!config.agency_seal_trust_file.empty()) {
      ASSIGN_OR_RETURN(trust.seal_trust_pem, ReadFile(config.agency_seal_trust_file, 1 << 20));
    }
    const bool automatic = !trust.seal_trust_pem.empty();
    impl->package_delivery = std::make_unique<PackageDelivery>(*impl->data.db, *impl->data.blobs, *core.workflows,
                                                               *core.packages, *impl->notifier, clock, logger,
                                                               std::move(trust), automatic);
    impl->package_delivery->Attach();
  }
  ApiOptions api_options;
  api_options.public_url = config.public_url;
  api_options.webhooks_allow_http_loopback = config.webhooks_allow_http_loopback;
  api_options.webhooks_allow_private = config.webhooks_allow_private;
  if (options.password_scrypt_log2_n) {
    api_options.password_scrypt_log2_n = *options.password_scrypt_log2_n;
  }
  api_options.max_concurrent_signatures =
      options.max_concurrent_signatures.value_or(std::max(1, config.http_threads / 2));
  api_options.signing_workers =
      std::min(api_options.max_concurrent_signatures,
               options.signing_workers.value_or(static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))));
  if (options.signing_queue_wait) api_options.signing_queue_wait = *options.signing_queue_wait;
  if (!options.verify_worker_binary.empty()) {
    api_options.verify.worker_binary = options.verify_worker_binary;
  }
  api_options.verify.trust_files.push_back(core.keys.ca_pem_path);
  for (const auto& f : ListFilesRecursive(config.data_dir + "/trust/anchors")) {
    api_options.verify.trust_files.push_back(f);
  }
  for (const auto& f : ListFilesRecursive(config.data_dir + "/trust/crls")) {
    api_options.verify.crl_files.push_back(f);
  }
  api_options.max_pdf_bytes = std::min<int64_t>(api_options.max_pdf_bytes, config.http_max_body_bytes);
  impl->api = std::make_unique<Api>(
      ApiCollaborators{*impl->data.db, *impl->data.blobs, *core.audit, clock, logger,
                       *core.workflows, *core.keystore, *core.engine, impl->notifier->mailer(),
                       core.packages.get(), impl->package_delivery.get()},
      std::move(api_options));
  ASSIGN_OR_RETURN(auto bootstrap, impl->api->EnsureAdministrator());
  if (bootstrap) {
    // Shown once: the administrator sets a password through it (no default password).
    logger.Info("accounts.administrator_invitation", {{"login", "admin"}, {"link", *bootstrap}});
  }

  impl->metrics = std::make_unique<Metrics>(
      MetricsSources{*impl->data.db, config.data_dir, clock});
  Metrics* metrics = impl->metrics.get();
  impl->router.SetObserver([metrics](const std::string& method, const std::string& pattern, int status,
                                     double seconds) { metrics->ObserveRequest(method, pattern, status, seconds); });
  AddMetricsRoute(impl->router, *metrics, config.metrics_allow_from);
  AddSystemRoutes(impl->router, *impl->data.db);
  AddVerificationPage(impl->router, *core.workflows, *impl->data.blobs);
  impl->api->AddRoutes(impl->router);
  AddTsaRoute(impl->router, *core.tsa);
  const keys::LocalCa* ca = core.keys.ca.get();
  impl->router.Add("GET", keys::kCaPemPath, [ca](HttpExchange& ex) {
    ex.SendBytes(200, "application/x-pem-file", ca->TrustAnchorPem());
  });
  impl->router.Add("GET", keys::kCrlPath, [ca](HttpExchange& ex) {
    auto crl = ca->CurrentCrl();
    if (!crl.ok()) return ex.SendError(crl.status());
    ex.SendBytes(200, "application/pkix-crl", *crl);
  });
  impl->router.Add("GET", keys::kRootCrlPath, [ca](HttpExchange& ex) {
    auto crls = ca->CurrentCrls();  // the root's first
    if (!crls.ok()) return ex.SendError(crls.status());
    ex.SendBytes(200, "application/pkix-crl", crls->front());
  });

  // The web pages last: their paths never shadow the API's.
  AddWebRoutes(impl->router, config.web_root.empty() ? DefaultWebRoot() : config.web_root, logger);

  HttpServerOptions http;
  http.host = config.listen_host;
  http.port = config.listen_port;
  http.threads = config.http_threads;
  http.timeout_seconds = config.http_timeout_seconds;
  http.max_body_bytes = config.http_max_body_bytes;
  http.max_queued = config.http_max_queued;
  http.max_buffered_body_bytes = config.http_max_buffered_body_bytes;
  http.header_timeout_seconds = config.http_header_timeout_seconds;
  http.keepalive_seconds = config.http_keepalive_seconds;
  http.min_bytes_per_second = config.http_min_bytes_per_second;
  http.max_header_bytes = config.http_max_header_bytes;
  http.max_connections = config.http_max_connections;
  http.max_connections_per_address = config.http_max_connections_per_address;
  impl->http = std::make_unique<HttpServer>(http, impl->router, logger);
  return std::unique_ptr<Service>(new Service(std::move(impl)));
}

Status Service::Start() {
  RETURN_IF_ERROR(impl_->http->Start());
  if (impl_->notifications) impl_->notifier->Start();
  if (impl_->renewals_enabled) impl_->renewals->Start();
  impl_->housekeeping->Start();
  impl_->logger.Info("server.started", {{"host", impl_->config.listen_host},
                                        {"port", impl_->http->port()},
                                        {"data_dir", impl_->config.data_dir},
                                        {"version", VersionString()}});
  return Status::Ok();
}

int Service::port() const { return impl_->http->port(); }

RenewalScheduler& Service::renewals() { return *impl_->renewals; }

void Service::Stop() {
  if (impl_ && impl_->http) {
    impl_->http->Stop();
    impl_->http.reset();
    impl_->notifier->Stop();
    impl_->renewals->Stop();
    impl_->housekeeping->Stop();
    impl_->logger.Info("server.stopped");
  }
}

std::string VersionString() {
  return std::string(kRubricaVersion) + " (git " + kRubricaGitDescribe + ")";
}

}  // namespace rubrica::server
