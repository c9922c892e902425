// A small HTTP/1.1 server for tests (Poco's HTTPServer on 127.0.0.1, port 0) whose every
// request is answered by one function, and a one-shot HTTP POST client. For peers tests
// speak real HTTP to without the service: a TSA around signing::TimestampAuthority, a TSA
// that misbehaves on purpose. Nothing of rubrica::server is involved.
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace rubrica::testing {

struct LocalHttpRequest {
  std::string method;
  std::string path;
  std::string content_type;
  std::string body;  // at most 1 MiB is read
};

struct LocalHttpReply {
  int status = 200;
  std::string content_type = "application/octet-stream";
  std::string body;
};

class LocalHttpServer {
 public:
  using Handler = std::function<LocalHttpReply(const LocalHttpRequest&)>;
  /// Starts serving with `threads` worker threads; throws std::runtime_error when it cannot.
  /// `handler` runs on those threads, possibly at once.
  explicit LocalHttpServer(Handler handler, int threads = 4);
  /// Stops serving and waits for requests in progress.
  ~LocalHttpServer();
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  int port() const;
  /// "http://127.0.0.1:<port><path>".
  std::string Url(const std::string& path) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct HttpPostReply {
  int status = 0;  // 0: no reply (the message is in body)
  std::string content_type;
  std::string body;
};

/// POSTs `body` to `url` with `content_type` (Poco client, 10 s timeouts).
HttpPostReply HttpPost(const std::string& url, const std::string& content_type, const std::string& body);

}  // namespace rubrica::testing
