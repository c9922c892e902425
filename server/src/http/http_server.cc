#include <chrono>
#include <exception>

#include "front_end.h"
#include "http_internal.h"

namespace rubrica::server {

namespace {

// Runs one complete request on a worker thread: wraps it in an HttpExchange, dispatches,
// logs, and hands the response back to the front end.
http::HttpResponse RunRequest(const Router& router, Logger& logger, int64_t max_body,
                              http::ParsedRequest& request, const std::string& remote) {
  const auto start = std::chrono::steady_clock::now();
  auto impl = std::make_unique<HttpExchange::Impl>(std::move(request), remote, max_body);
  HttpExchange::Impl& state = *impl;
  HttpExchange ex(std::move(impl));
  try {
    router.Dispatch(ex);
    if (!ex.sent()) {
      ex.SendError(
          Status::Error(ErrorKind::kInternal, "server.no_response", "handler sent no response"));
    }
  } catch (const std::exception& e) {
    logger.Error("http.handler_exception", {{"path", ex.path()}, {"what", e.what()}});
    if (!ex.sent()) ex.SendError(Status::Error(ErrorKind::kInternal, "server.exception", e.what()));
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::vector<LogField> fields = {{"method", ex.method()},
                                  {"path", ex.path()},
                                  {"status", state.response.status},
                                  {"ms", ms},
                                  {"remote", remote}};
  if (!state.error_code.empty()) fields.emplace_back("error", state.error_code);
  logger.Info("http.request", fields);
  return std::move(state.response);
}

}  // namespace

struct HttpServer::Impl {
  HttpServerOptions options;
  const Router& router;
  Logger& logger;
  std::unique_ptr<http::FrontEnd> front_end;
  int port = 0;
};

HttpServer::HttpServer(HttpServerOptions options, const Router& router, Logger& logger)
    : impl_(new Impl{std::move(options), router, logger, nullptr, 0}) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  const Router& router = impl_->router;
  Logger& logger = impl_->logger;
  const int64_t max_body = impl_->options.max_body_bytes;
  impl_->front_end = std::make_unique<http::FrontEnd>(
      impl_->options,
      [&router, &logger, max_body](http::ParsedRequest& request, const std::string& remote) {
        return RunRequest(router, logger, max_body, request, remote);
      },
      logger);
  Status started = impl_->front_end->Start();
  if (!started.ok()) {
    impl_->front_end.reset();
    return started;
  }
  impl_->port = impl_->front_end->port();
  return Status::Ok();
}

int HttpServer::port() const { return impl_->port; }

void HttpServer::Stop() {
  if (impl_->front_end) {
    impl_->front_end->Stop();
    impl_->front_end.reset();
  }
}

}  // namespace rubrica::server
