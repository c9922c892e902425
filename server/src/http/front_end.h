// Private to the HTTP layer: the front end of HttpServer. One I/O thread owns every socket
// (epoll, non-blocking): it accepts, reads each request completely under deadlines and size
// caps (RequestParser), hands complete requests to a bounded pool of worker threads, and
// writes their responses itself. A slow or idle client therefore holds a file descriptor and
// a few buffers, never a worker thread. The rules (docs/architecture.md, "HTTP front end"):
//
//   - a new connection must complete its first request's head within header_timeout_seconds
//     of being accepted; a kept-alive one may stay idle keepalive_seconds, then the head of
//     its next request must arrive within header_timeout_seconds of its first byte; else
//     408 http.request_timeout (silent close when idle);
//   - a body must arrive within timeout_seconds plus one second per min_bytes_per_second
//     bytes received (a minimum rate after a grace period); else 408;
//   - a response must be taken by the client under the same rule, else the connection is
//     closed (the worker finished long before);
//   - at most max_connections sockets are open (the excess is closed at once) and at most
//     max_connections_per_address per client address (an IPv6 /64 counts as one address;
//     the excess is answered 503 server.too_many_connections and closed);
//   - when max_queued requests already wait for a worker, or the request bodies held in
//     memory (being read, waiting or in a handler) pass max_buffered_body_bytes, 503
//     server.busy;
//   - a refused request (RequestParser's list, 408, 503) is never dispatched: the answer is
//     written, the sending side shut down, and what the client still sends is read and
//     dropped for up to 2 s / 1 MiB before the close, so the client reads the answer.
//
// Stop(): stops accepting, closes connections that have not completed a request, lets the
// dispatched requests finish and their responses be written (up to timeout_seconds), then
// joins the threads.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "request_parser.h"
#include "response.h"
#include "rubrica/base/logger.h"
#include "rubrica/server/http.h"

namespace rubrica::server::http {

/// Runs one complete request on a worker thread and returns its response. `remote` is the
/// client's "ip:port". Must not throw.
using RequestRunner =
    std::function<HttpResponse(ParsedRequest& request, const std::string& remote)>;

class FrontEnd {
 public:
  FrontEnd(const HttpServerOptions& options, RequestRunner runner, Logger& logger);
  /// Stop().
  ~FrontEnd();
  FrontEnd(const FrontEnd&) = delete;
  FrontEnd& operator=(const FrontEnd&) = delete;

  /// Binds, listens, starts the I/O thread and the workers. server.bind_failed
  /// (kUnavailable) when the address cannot be bound.
  Status Start();
  /// The bound port (after Start()).
  int port() const;
  /// Graceful stop (see above). Idempotent.
  void Stop();

 private:
  class Loop;
  std::unique_ptr<Loop> loop_;
};

}  // namespace rubrica::server::http
