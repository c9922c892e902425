#include "webhook_client.h"

#include "rubrica/net/http_client.h"

namespace rubrica::server::notify {

namespace {

constexpr size_t kMaxAnswerBytes = 64 * 1024;

}  // namespace

DeliveryOutcome DeliverWebhook(const WebhookCall& call, const WebhookPolicy& policy,
                               const Clock& clock, int timeout_seconds) {
  Status valid = ValidateWebhookUrl(call.url, policy);
  if (!valid.ok()) return {false, true, valid.message()};
  // The one bounded client of every peer (net/http_client.h): deadlines, size caps,
  // TLS verified against the system's CAs, no redirects; retries are the sender's.
  net::HttpRequest req;
  req.url = call.url;
  req.content_type = "application/json";
  req.body = call.body;
  req.headers = {{"User-Agent", "Rubrica-Webhooks/1"},
                 {"Rubrica-Event", call.event_type},
                 {"Rubrica-Delivery", call.delivery_id},
                 {"Rubrica-Signature", WebhookSignature(call.secret, clock.Now(), call.body)}};
  net::HttpClientOptions options;
  options.connect_timeout = std::chrono::seconds(timeout_seconds);
  options.total_timeout = std::chrono::seconds(timeout_seconds);
  options.max_response_bytes = kMaxAnswerBytes;
  options.truncate_response = true;
  auto res = net::SendHttp(req, options);
  if (!res.ok()) {
    return {false, false, res.status().message()};
  }
  const std::string detail = "HTTP " + std::to_string(res->status) + " " + res->reason;
  if (res->status >= 200 && res->status < 300) return {true, false, detail};
  return {false, res->status == 410, detail};
}

}  // namespace rubrica::server::notify
