#include "webhook_client.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/URI.h>

#include <memory>
#include <mutex>

namespace rubrica::server::notify {

namespace {

constexpr size_t kMaxAnswerBytes = 64 * 1024;

Poco::Net::Context::Ptr ClientContext() {
  static std::once_flag once;
  static Poco::Net::Context::Ptr context;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                     Poco::Net::Context::VERIFY_STRICT, 9, /*loadDefaultCAs=*/true);
  });
  return context;
}

}  // namespace

DeliveryOutcome DeliverWebhook(const WebhookCall& call, const WebhookPolicy& policy,
                               const Clock& clock, int timeout_seconds) {
  Status valid = ValidateWebhookUrl(call.url, policy);
  if (!valid.ok()) return {false, true, valid.message()};
  try {
    const Poco::URI uri(call.url);
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https") {
      session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(),
                                                                ClientContext());
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    session->setTimeout(Poco::Timespan(timeout_seconds, 0));
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(),
                               Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentType("application/json");
    req.setContentLength(static_cast<std::streamsize>(call.body.size()));
    req.set("User-Agent", "Rubrica-Webhooks/1");
    req.set("Rubrica-Event", call.event_type);
    req.set("Rubrica-Delivery", call.delivery_id);
    req.set("Rubrica-Signature", WebhookSignature(call.secret, clock.Now(), call.body));
    session->sendRequest(req) << call.body;
    Poco::Net::HTTPResponse res;
    std::istream& in = session->receiveResponse(res);
    std::string answer;
    char buf[4096];
    while (answer.size() < kMaxAnswerBytes && in.read(buf, sizeof buf).gcount() > 0) {
      answer.append(buf, static_cast<size_t>(in.gcount()));
    }
    const int status = static_cast<int>(res.getStatus());
    const std::string detail = "HTTP " + std::to_string(status) + " " + res.getReason();
    if (status >= 200 && status < 300) return {true, false, detail};
    return {false, status == 410, detail};
  } catch (const Poco::Exception& e) {
    return {false, false, e.displayText()};
  } catch (const std::exception& e) {
    return {false, false, e.what()};
  }
}

}  // namespace rubrica::server::notify
