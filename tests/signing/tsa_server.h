// The embedded TSA served over real HTTP for tests: a TimestampAuthority on a ManualClock,
// behind the server's Router and HttpServer with AddTsaRoute, on 127.0.0.1 port 0.
#pragma once

#include <memory>
#include <string>

#include "rubrica/base/clock.h"
#include "rubrica/base/logger.h"
#include "rubrica/server/http.h"
#include "rubrica/signing/timestamp_authority.h"
#include "signing/test_pki.h"

namespace rubrica::signing::testing {

/// 2026-03-14T17:30:00.25Z, the TSA's time in tests (never the real time).
Instant TestInstant();

struct HttpReply {
  int status = 0;
  std::string content_type;
  std::string body;
};

/// POSTs `body` to `url` with `content_type` (Poco client); status 0 when no reply.
HttpReply HttpPost(const std::string& url, const std::string& content_type, const std::string& body);

class TsaServer {
 public:
  /// Issues a TSA certificate (EC P-256) from `pki` and starts serving POST /tsa.
  explicit TsaServer(TestPki& pki, keys::KeyAlgorithm algorithm = keys::KeyAlgorithm::kEcdsaP256);
  /// Serves an authority made elsewhere (clock() is then unused).
  explicit TsaServer(std::unique_ptr<TimestampAuthority> authority);
  ~TsaServer();

  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()) + "/tsa"; }
  int port() const { return server_->port(); }
  const keys::Certificate& certificate() const { return authority_->certificate(); }
  const TimestampAuthority& authority() const { return *authority_; }
  ManualClock& clock() { return clock_; }

 private:
  void Start();

  ManualClock clock_;
  NullLogger logger_;
  std::unique_ptr<TimestampAuthority> authority_;
  server::Router router_;
  std::unique_ptr<server::HttpServer> server_;
};

}  // namespace rubrica::signing::testing
