#include "rubrica/net/http_client.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <sys/socket.h>

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace rubrica::net {

namespace {

Status Fail(ErrorKind kind, const char* code, const std::string& message, const std::string& es) {
  return Status::Error(kind, code, message, es);
}

// One TLS client context per CA file, made once.
Poco::Net::Context::Ptr ContextFor(const std::string& ca_file) {
  static std::mutex mu;
  static std::map<std::string, Poco::Net::Context::Ptr> contexts;
  std::lock_guard<std::mutex> lock(mu);
  static bool initialised = false;
  if (!initialised) {
    Poco::Net::initializeSSL();
    initialised = true;
  }
  auto it = contexts.find(ca_file);
  if (it != contexts.end()) return it->second;
  Poco::Net::Context::Params p;
  p.verificationMode = Poco::Net::Context::VERIFY_STRICT;
  p.verificationDepth = 9;
  p.loadDefaultCAs = ca_file.empty();
  p.caLocation = ca_file;
  p.cipherList = "HIGH:!aNULL:!MD5:!RC4";
  Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, p);
  ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  contexts[ca_file] = ctx;
  return ctx;
}

// The total deadline, whatever the peer does: socket timeouts bound each read, not a head
// or a body trickled a byte at a time (each read succeeds, the whole never ends). Once the
// connection is open, a guard thread shuts its socket down when the deadline passes, which
// ends any blocked read; the call then reports net.timeout. Destroy the guard before the
// socket is closed (it holds the descriptor's number).
class DeadlineGuard {
 public:
  explicit DeadlineGuard(std::chrono::steady_clock::time_point deadline) : deadline_(deadline) {}
  DeadlineGuard(const DeadlineGuard&) = delete;
  DeadlineGuard& operator=(const DeadlineGuard&) = delete;
  ~DeadlineGuard() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  void Arm(int fd) {
    thread_ = std::thread([this, fd] {
      std::unique_lock<std::mutex> lock(mu_);
      if (!cv_.wait_until(lock, deadline_, [this] { return done_; })) {
        fired_ = true;
        ::shutdown(fd, SHUT_RDWR);
      }
    });
  }

  bool fired() {
    std::lock_guard<std::mutex> lock(mu_);
    return fired_;
  }

 private:
  const std::chrono::steady_clock::time_point deadline_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  bool fired_ = false;
  std::thread thread_;
};

Status Timeout(const std::string& why) {
  return Fail(ErrorKind::kUnavailable, "net.timeout", why, "El destinatario no respondió a tiempo.");
}

}  // namespace

std::string HttpResponse::Header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (Poco::icompare(k, name) == 0) return v;
  }
  return "";
}

Result<HttpResponse> SendHttp(const HttpRequest& request, const HttpClientOptions& options) {
  if (request.body.size() > options.max_request_bytes) {
    return Fail(ErrorKind::kInvalidArgument, "net.request_too_large", "request body over the limit",
                "La solicitud excede el tamaño máximo.");
  }
  Poco::URI uri;
  try {
    uri = Poco::URI(request.url);
  } catch (const Poco::Exception& e) {
    return Fail(ErrorKind::kInvalidArgument, "net.bad_url", "bad URL '" + request.url + "': " + e.displayText(),
                "La dirección del destinatario no es válida.");
  }
  const bool tls = uri.getScheme() == "https";
  if ((!tls && uri.getScheme() != "http") || uri.getHost().empty() || (!tls && options.require_tls)) {
    return Fail(ErrorKind::kInvalidArgument, "net.bad_url", "URL '" + request.url + "' is not an allowed http(s) URL",
                "La dirección del destinatario no es válida (se requiere https).");
  }
  const auto deadline = std::chrono::steady_clock::now() + options.total_timeout;
  auto left = [&]() {
    auto d = std::chrono::duration_cast<std::chrono::microseconds>(deadline - std::chrono::steady_clock::now());
    return Poco::Timespan(std::max<int64_t>(d.count(), 1000));
  };
  std::string stage = "connect";
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  DeadlineGuard guard(deadline);  // destroyed before the session closes its socket
  try {
    if (tls) {
      session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), ContextFor(options.ca_file));
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    const Poco::Timespan connect(std::chrono::duration_cast<std::chrono::microseconds>(options.connect_timeout).count());
    session->setTimeout(connect, left(), left());
    session->setKeepAlive(false);
    Poco::Net::HTTPRequest req(request.method, uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery(),
                               Poco::Net::HTTPMessage::HTTP_1_1);
    if (!request.content_type.empty()) req.setContentType(request.content_type);
    req.setContentLength(static_cast<std::streamsize>(request.body.size()));
    req.set("User-Agent", "Rubrica/1");
    for (const auto& [k, v] : request.headers) req.set(k, v);
    std::ostream& out = session->sendRequest(req);
    guard.Arm(static_cast<int>(session->socket().impl()->sockfd()));
    stage = "send";
    constexpr size_t kChunk = 64 * 1024;
    for (size_t off = 0; off < request.body.size(); off += kChunk) {
      if (std::chrono::steady_clock::now() > deadline) {
        return Timeout("deadline passed while sending");
      }
      session->socket().setSendTimeout(left());
      out.write(request.body.data() + off, static_cast<std::streamsize>(std::min(kChunk, request.body.size() - off)));
    }
    out.flush();
    stage = "receive";
    session->socket().setReceiveTimeout(left());
    Poco::Net::HTTPResponse res;
    std::istream& in = session->receiveResponse(res);
    HttpResponse r;
    r.status = static_cast<int>(res.getStatus());
    r.reason = res.getReason();
    r.content_type = res.getContentType();
    for (const auto& [k, v] : res) r.headers.emplace_back(k, v);
    if (!options.truncate_response && res.hasContentLength() &&
        static_cast<uint64_t>(res.getContentLength64()) > options.max_response_bytes) {
      return Fail(ErrorKind::kTooLarge, "net.response_too_large", "response over the limit",
                  "La respuesta del destinatario excede el tamaño máximo.");
    }
    char buf[16384];
    for (;;) {
      if (std::chrono::steady_clock::now() > deadline) {
        return Timeout("deadline passed while receiving");
      }
      session->socket().setReceiveTimeout(left());
      in.read(buf, sizeof buf);
      const auto n = in.gcount();
      if (n <= 0) break;
      r.body.append(buf, static_cast<size_t>(n));
      if (r.body.size() > options.max_response_bytes && options.truncate_response) {
        r.body.resize(options.max_response_bytes);
        break;
      }
      if (r.body.size() > options.max_response_bytes) {
        return Fail(ErrorKind::kTooLarge, "net.response_too_large", "response over the limit",
                    "La respuesta del destinatario excede el tamaño máximo.");
      }
    }
    if (guard.fired()) return Timeout("deadline passed while receiving");
    if (!options.truncate_response && res.hasContentLength() &&
        r.body.size() != static_cast<uint64_t>(res.getContentLength64())) {
      return Fail(ErrorKind::kUnavailable, "net.io",
                  "answer cut short: " + std::to_string(r.body.size()) + " of " +
                      std::to_string(res.getContentLength64()) + " bytes",
                  "El destinatario no está disponible.");
    }
    return r;
  } catch (const Poco::TimeoutException& e) {
    return Timeout(stage + ": " + e.displayText());
  } catch (const Poco::Net::SSLException& e) {
    if (guard.fired()) return Timeout(stage + ": deadline passed");
    return Fail(ErrorKind::kUnavailable, "net.tls_failed", stage + ": " + e.displayText(),
                "No se pudo establecer una conexión segura y verificada con el destinatario.");
  } catch (const Poco::Net::MessageException& e) {
    if (guard.fired()) return Timeout(stage + ": deadline passed");
    return Fail(ErrorKind::kUnavailable, "net.bad_response", stage + ": not an HTTP answer: " + e.displayText(),
                "El destinatario respondió algo que no es HTTP.");
  } catch (const Poco::Net::ConnectionRefusedException& e) {
    if (guard.fired()) return Timeout(stage + ": deadline passed");
    return Fail(ErrorKind::kUnavailable, "net.connect_failed", stage + ": " + e.displayText(), "El destinatario no está disponible.");
  } catch (const Poco::Exception& e) {
    if (guard.fired()) return Timeout(stage + ": deadline passed");
    return Fail(ErrorKind::kUnavailable, stage == "connect" ? "net.connect_failed" : "net.io", stage + ": " + e.displayText(),
                "El destinatario no está disponible.");
  } catch (const std::exception& e) {
    if (guard.fired()) return Timeout(stage + ": deadline passed");
    return Fail(ErrorKind::kUnavailable, "net.io", stage + ": " + e.what(), "El destinatario no está disponible.");
  }
}

}  // namespace rubrica::net
