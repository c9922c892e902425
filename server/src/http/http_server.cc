#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>

#include <chrono>
#include <exception>

#include "http_internal.h"

namespace rubrica::server {

namespace {

// One short-lived handler per request: wraps it in an HttpExchange, dispatches, logs.
class DispatchHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  DispatchHandler(const Router& router, Logger& logger, int64_t max_body)
      : router_(router), logger_(logger), max_body_(max_body) {}

  void handleRequest(Poco::Net::HTTPServerRequest& req,
                     Poco::Net::HTTPServerResponse& resp) override {
    const auto start = std::chrono::steady_clock::now();
    auto impl = std::make_unique<HttpExchange::Impl>(req, resp, max_body_);
    HttpExchange::Impl* state = impl.get();
    std::string method = req.getMethod();
    std::string uri = req.getURI();
    try {
      HttpExchange ex(std::move(impl));
      try {
        router_.Dispatch(ex);
        if (!ex.sent()) {
          ex.SendError(Status::Error(ErrorKind::kInternal, "server.no_response",
                                     "handler sent no response"));
        }
      } catch (const std::exception& e) {
        logger_.Error("http.handler_exception", {{"path", ex.path()}, {"what", e.what()}});
        if (!ex.sent()) {
          ex.SendError(Status::Error(ErrorKind::kInternal, "server.exception", e.what()));
        }
      }
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      std::vector<LogField> fields = {{"method", method},
                                      {"path", ex.path()},
                                      {"status", state->status},
                                      {"ms", ms},
                                      {"remote", req.clientAddress().toString()}};
      if (!state->error_code.empty()) fields.emplace_back("error", state->error_code);
      logger_.Info("http.request", fields);
    } catch (const std::exception& e) {
      // The connection failed under us (client gone, bad request line): nothing to send.
      logger_.Warn("http.connection_error", {{"uri", uri}, {"what", e.what()}});
    }
  }

 private:
  const Router& router_;
  Logger& logger_;
  int64_t max_body_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(const Router& router, Logger& logger, int64_t max_body)
      : router_(router), logger_(logger), max_body_(max_body) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new DispatchHandler(router_, logger_, max_body_);
  }

 private:
  const Router& router_;
  Logger& logger_;
  int64_t max_body_;
};

}  // namespace

struct HttpServer::Impl {
  HttpServerOptions options;
  const Router& router;
  Logger& logger;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  int port = 0;
};

HttpServer::HttpServer(HttpServerOptions options, const Router& router, Logger& logger)
    : impl_(new Impl{std::move(options), router, logger, nullptr, 0}) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  try {
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(impl_->options.host,
                                         static_cast<Poco::UInt16>(impl_->options.port)),
                /*reuseAddress=*/true);
    socket.listen(128);
    impl_->port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(impl_->options.threads);
    params->setMaxQueued(impl_->options.max_queued);
    params->setTimeout(Poco::Timespan(impl_->options.timeout_seconds, 0));
    params->setKeepAlive(true);
    params->setServerName("rubrica");
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(
        new Factory(impl_->router, impl_->logger, impl_->options.max_body_bytes), socket, params);
    impl_->server->start();
  } catch (const Poco::Exception& e) {
    return Status::Error(ErrorKind::kUnavailable, "server.bind_failed",
                         "cannot listen on " + impl_->options.host + ":" +
                             std::to_string(impl_->options.port) + ": " + e.displayText(),
                         "No se pudo abrir el puerto del servidor.");
  }
  return Status::Ok();
}

int HttpServer::port() const { return impl_->port; }

void HttpServer::Stop() {
  if (impl_->server) {
    impl_->server->stopAll(false);
    impl_->server.reset();
  }
}

}  // namespace rubrica::server
