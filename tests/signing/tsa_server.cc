#include "signing/tsa_server.h"

#include <stdexcept>

namespace rubrica::signing::testing {

Instant TestInstant() {
  using namespace std::chrono;
  return Instant(sys_days(year(2026) / 3 / 14)) + hours(17) + minutes(30) + milliseconds(250);
}

TestTsa::TestTsa(TestPki& pki, keys::KeyAlgorithm algorithm) : clock_(TestInstant()) {
  Identity tsa = pki.Issue(algorithm, "Sellado de Tiempo de Pruebas", Usage::kTimeStamping);
  auto authority = TimestampAuthority::Create({tsa.cert, pki.ca()}, std::move(tsa.key), clock_);
  if (!authority.ok()) throw std::runtime_error(authority.status().ToString());
  authority_ = std::move(*authority);
  client_ = std::make_unique<InProcessTimestampClient>(*authority_);
}

TestTsa::TestTsa(std::unique_ptr<TimestampAuthority> authority)
    : clock_(TestInstant()),
      authority_(std::move(authority)),
      client_(std::make_unique<InProcessTimestampClient>(*authority_)) {}

TsaServer::TsaServer(TestPki& pki, keys::KeyAlgorithm algorithm) : tsa_(pki, algorithm) { Start(); }

TsaServer::TsaServer(std::unique_ptr<TimestampAuthority> authority) : tsa_(std::move(authority)) {
  Start();
}

void TsaServer::Start() {
  // RFC 3161 3.4: every TimeStampReq is answered 200 with a TimeStampResp (a refusal is
  // inside it); only a failing authority is an HTTP error.
  const TimestampAuthority& authority = tsa_.authority();
  http_ = std::make_unique<rubrica::testing::LocalHttpServer>(
      [&authority](const rubrica::testing::LocalHttpRequest& req) {
        rubrica::testing::LocalHttpReply reply;
        if (req.method != "POST" || req.path != "/tsa") {
          reply.status = 404;
          return reply;
        }
        Result<std::string> answer = authority.Respond(req.body);
        if (!answer.ok()) {  // the authority itself failed: 500 with its code, as the service does
          reply.status = 500;
          reply.content_type = "application/json";
          reply.body = "{\"error\":{\"code\":\"" + answer.status().code() + "\"}}";
          return reply;
        }
        reply.content_type = "application/timestamp-reply";
        reply.body = std::move(*answer);
        return reply;
      });
}

}  // namespace rubrica::signing::testing
