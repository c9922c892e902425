// The HTTP layer: a Router of (method, path pattern) -> handler, an HttpExchange that
// wraps one request/response without exposing Poco types, and an HttpServer that runs a
// Poco HTTPServer over a Router.
//
// Handlers are std::function objects that capture their collaborators when the route is
// added (the composition root wires them); nothing reaches for a global. Handlers run on
// the server's worker threads, concurrently: what they capture must be thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rubrica/base/logger.h"
#include "rubrica/base/status.h"

namespace rubrica::server {

/// One request and its response. Created by the server per request; not thread-safe.
class HttpExchange {
 public:
  struct Impl;
  explicit HttpExchange(std::unique_ptr<Impl> impl);
  ~HttpExchange();

  const std::string& method() const;
  /// The path without the query string, e.g. "/api/actas/12".
  const std::string& path() const;
  /// A {name} segment of the matched route pattern ("" when absent).
  std::string PathParam(const std::string& name) const;
  /// A query parameter ("" when absent).
  std::string Query(const std::string& name) const;
  /// A request header ("" when absent).
  std::string Header(const std::string& name) const;
  /// The client address "ip:port".
  std::string RemoteAddress() const;
  /// Reads the whole body, at most the server's max_body_bytes (else server.body_too_large,
  /// kTooLarge). Reads once; later calls return the same bytes.
  Result<std::string> Body();

  void SetHeader(const std::string& name, const std::string& value);
  /// Sends `json` (already serialised) with Content-Type application/json.
  void SendJson(int status, const std::string& json);
  /// Sends raw bytes with the given content type, with X-Content-Type-Options: nosniff and
  /// Cache-Control: no-store unless the handler set its own Cache-Control.
  void SendBytes(int status, const std::string& content_type, const std::string& bytes);
  /// Sends {"error":{"code","kind","message"(Spanish),"message_en"}} with the status's
  /// HTTP code.
  void SendError(const Status& status);
  bool sent() const;
  int status_code() const;

  // For the router.
  void SetPathParams(std::map<std::string, std::string> params);

 private:
  std::unique_ptr<Impl> impl_;
};

using Handler = std::function<void(HttpExchange&)>;

class Router {
 public:
  /// Adds a route. `pattern` is a path whose segments may be "{name}" placeholders
  /// ("/api/actas/{id}/sign"). Routes are matched in the order added.
  void Add(const std::string& method, const std::string& pattern, Handler handler);
  /// Finds the handler for a request and runs it; 404 or 405 JSON errors when none.
  void Dispatch(HttpExchange& exchange) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;              // 0: any free port
  int threads = 16;
  int timeout_seconds = 30;
  int64_t max_body_bytes = 32ll << 20;
  int max_queued = 256;
};

/// A running Poco HTTPServer. Start() binds and starts; Stop() stops accepting, lets the
/// requests in progress finish (up to the timeout) and joins the workers.
class HttpServer {
 public:
  HttpServer(HttpServerOptions options, const Router& router, Logger& logger);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and starts serving. Fails with server.bind_failed (kUnavailable).
  Status Start();
  /// The bound port (meaningful after Start()).
  int port() const;
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rubrica::server
