// The HTTP layer: a Router of (method, path pattern) -> handler, an HttpExchange that
// wraps one request/response, and an HttpServer that serves a Router over HTTP/1.1.
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
  /// The name of every query parameter, in the order sent (a repeated name appears again).
  std::vector<std::string> QueryNames() const;
  /// A request header ("" when absent).
  std::string Header(const std::string& name) const;
  /// The client address "ip:port".
  std::string RemoteAddress() const;
  /// The whole body (the server read it before the handler ran; it is at most the server's
  /// max_body_bytes, else the request was refused with server.body_too_large).
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

  /// Called after every dispatched request with its method, the pattern of the route that
  /// answered ("" when none did: 404/405), the status sent and the handler's time in
  /// seconds. Set once, before serving; it runs on worker threads, so it must be thread-safe.
  using Observer = std::function<void(const std::string& method, const std::string& pattern, int status,
                                      double seconds)>;
  void SetObserver(Observer observer) { observer_ = std::move(observer); }

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  void RunRoute(HttpExchange& exchange, const Route*& matched) const;
  std::vector<Route> routes_;
  Observer observer_;
};

/// The server's limits. Defaults are the service's (docs/operations.md names the
/// configuration keys that set them).
struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  /// Worker threads that run handlers.
  int threads = 16;
  /// Grace period, in seconds, for a request body to arrive and for a response to be read,
  /// after which both must move at min_bytes_per_second; also how long Stop() waits for the
  /// requests in progress.
  int timeout_seconds = 30;
  int64_t max_body_bytes = 32ll << 20;
  /// Request body bytes held in memory by all connections together (being read, waiting
  /// for a worker or in a handler); a body that would pass it gets 503 server.busy.
  int64_t max_buffered_body_bytes = 512ll << 20;
  /// Complete requests waiting for a worker; beyond it, 503 server.busy.
  int max_queued = 256;
  /// The request line and header fields of a request must arrive within this time.
  int header_timeout_seconds = 10;
  /// A kept-alive connection with no request in progress is closed after this time.
  int keepalive_seconds = 5;
  /// The minimum transfer rate of request bodies and responses after timeout_seconds.
  int64_t min_bytes_per_second = 1024;
  /// Request line plus header fields.
  int max_header_bytes = 32 << 10;
  /// Open connections in all (lowered to fit the open-files limit); the excess is closed.
  int max_connections = 2048;
  /// Open connections from one client address (an IPv6 /64 counts as one); the excess is
  /// answered 503 server.too_many_connections.
  int max_connections_per_address = 64;
};

/// A running HTTP/1.1 server. One I/O thread reads every request completely, under the
/// deadlines and caps of HttpServerOptions and strict RFC 9112 framing, before a worker
/// thread runs its handler; it also writes the responses, so a slow or idle client never
/// holds a worker (docs/architecture.md, "HTTP front end"). Requests that break the framing
/// rules get 400 with a stable code (http.bad_framing, http.bad_request_line, ...) and are
/// never dispatched. Start() binds and starts; Stop() stops accepting, lets the requests in
/// progress finish (up to timeout_seconds) and joins the threads.
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
