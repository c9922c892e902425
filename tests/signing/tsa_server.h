// The embedded TSA for tests: a TimestampAuthority on a ManualClock, with a certificate
// from a TestPki. TestTsa answers in-process (what the engine uses); TsaServer also serves
// it over real HTTP (POST /tsa on 127.0.0.1, port 0, tests/support's LocalHttpServer) for
// the tests of HTTP clients and of tools that speak RFC 3161 over the wire.
#pragma once

#include <memory>
#include <string>

#include "rubrica/base/clock.h"
#include "rubrica/signing/timestamp_authority.h"
#include "rubrica/signing/timestamp_client.h"
#include "signing/test_pki.h"
#include "support/local_http_server.h"

namespace rubrica::signing::testing {

/// 2026-03-14T17:30:00.25Z, the TSA's time in tests (never the real time).
Instant TestInstant();

using HttpReply = rubrica::testing::HttpPostReply;
using rubrica::testing::HttpPost;

class TestTsa {
 public:
  /// Issues a TSA certificate (EC P-256 by default) from `pki`.
  explicit TestTsa(TestPki& pki, keys::KeyAlgorithm algorithm = keys::KeyAlgorithm::kEcdsaP256);
  /// An authority made elsewhere (clock() is then unused).
  explicit TestTsa(std::unique_ptr<TimestampAuthority> authority);

  /// Asks the authority in-process.
  TimestampClient& client() { return *client_; }
  const keys::Certificate& certificate() const { return authority_->certificate(); }
  const TimestampAuthority& authority() const { return *authority_; }
  ManualClock& clock() { return clock_; }

 private:
  ManualClock clock_;
  std::unique_ptr<TimestampAuthority> authority_;
  std::unique_ptr<InProcessTimestampClient> client_;
};

class TsaServer {
 public:
  explicit TsaServer(TestPki& pki, keys::KeyAlgorithm algorithm = keys::KeyAlgorithm::kEcdsaP256);
  explicit TsaServer(std::unique_ptr<TimestampAuthority> authority);

  std::string url() const { return http_->Url("/tsa"); }
  int port() const { return http_->port(); }
  const keys::Certificate& certificate() const { return tsa_.certificate(); }
  const TimestampAuthority& authority() const { return tsa_.authority(); }
  ManualClock& clock() { return tsa_.clock(); }

 private:
  void Start();

  TestTsa tsa_;
  std::unique_ptr<rubrica::testing::LocalHttpServer> http_;
};

}  // namespace rubrica::signing::testing
