#include "signing/tsa_server.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <stdexcept>

#include "tsa_route.h"

namespace rubrica::signing::testing {

Instant TestInstant() {
  using namespace std::chrono;
  return Instant(sys_days(year(2026) / 3 / 14)) + hours(17) + minutes(30) + milliseconds(250);
}

HttpReply HttpPost(const std::string& url, const std::string& content_type, const std::string& body) {
  HttpReply reply;
  try {
    Poco::URI uri(url);
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(),
                               Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentType(content_type);
    req.setContentLength64(static_cast<Poco::Int64>(body.size()));
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    Poco::StreamCopier::copyToString(session.receiveResponse(resp), reply.body);
    reply.status = static_cast<int>(resp.getStatus());
    reply.content_type = resp.getContentType();
  } catch (const Poco::Exception& e) {
    reply.body = e.displayText();
  }
  return reply;
}

TsaServer::TsaServer(TestPki& pki, keys::KeyAlgorithm algorithm) : clock_(TestInstant()) {
  Identity tsa = pki.Issue(algorithm, "Sellado de Tiempo de Pruebas", Usage::kTimeStamping);
  auto authority = TimestampAuthority::Create({tsa.cert, pki.ca()}, std::move(tsa.key), clock_);
  if (!authority.ok()) throw std::runtime_error(authority.status().ToString());
  authority_ = std::move(*authority);
  Start();
}

TsaServer::TsaServer(std::unique_ptr<TimestampAuthority> authority)
    : clock_(TestInstant()), authority_(std::move(authority)) {
  Start();
}

void TsaServer::Start() {
  server::AddTsaRoute(router_, *authority_);
  server_ = std::make_unique<server::HttpServer>(server::HttpServerOptions{.threads = 4}, router_, logger_);
  Status s = server_->Start();
  if (!s.ok()) throw std::runtime_error(s.ToString());
}

TsaServer::~TsaServer() { server_->Stop(); }

}  // namespace rubrica::signing::testing
