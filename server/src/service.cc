#include "rubrica/server/service.h"

#include "rubrica/server/data_directory.h"
#include "rubrica/server/http.h"
#include "rubrica/store/audit_log.h"
#include "system_routes.h"
#include "version.h"

namespace rubrica::server {

struct Service::Impl {
  Config config;
  const Clock& clock;
  Logger& logger;
  DataDirectory data;
  std::unique_ptr<store::AuditLog> audit;
  Router router;
  std::unique_ptr<HttpServer> http;
};

Service::Service(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Service::~Service() { Stop(); }

Result<std::unique_ptr<Service>> Service::Create(const Config& config, const Clock& clock,
                                                 Logger& logger) {
  ASSIGN_OR_RETURN(DataDirectory data, DataDirectory::Open(config.data_dir));
  auto impl = std::unique_ptr<Impl>(new Impl{config, clock, logger, std::move(data), nullptr, {}, nullptr});
  impl->audit = std::make_unique<store::AuditLog>(clock);
  AddSystemRoutes(impl->router, *impl->data.db);

  HttpServerOptions http;
  http.host = config.listen_host;
  http.port = config.listen_port;
  http.threads = config.http_threads;
  http.timeout_seconds = config.http_timeout_seconds;
  http.max_body_bytes = config.http_max_body_bytes;
  impl->http = std::make_unique<HttpServer>(http, impl->router, logger);
  return std::unique_ptr<Service>(new Service(std::move(impl)));
}

Status Service::Start() {
  RETURN_IF_ERROR(impl_->http->Start());
  impl_->logger.Info("server.started", {{"host", impl_->config.listen_host},
                                        {"port", impl_->http->port()},
                                        {"data_dir", impl_->config.data_dir},
                                        {"version", VersionString()}});
  return Status::Ok();
}

int Service::port() const { return impl_->http->port(); }

void Service::Stop() {
  if (impl_ && impl_->http) {
    impl_->http->Stop();
    impl_->http.reset();
    impl_->logger.Info("server.stopped");
  }
}

std::string VersionString() {
  return std::string(kRubricaVersion) + " (git " + kRubricaGitDescribe + ")";
}

}  // namespace rubrica::server
