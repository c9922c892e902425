// Delivering one webhook call through the bounded client (net::SendHttp): POST of
// the JSON body with the signature headers, over a fresh connection, within a deadline,
// never following a redirect, reading at most 64 KiB of the answer. The URL is checked
// against the policy again at delivery (a host's address may have changed since the
// subscription was made).
#pragma once

#include <string>

#include "mail_transport.h"
#include "rubrica/base/clock.h"
#include "webhooks.h"

namespace rubrica::server::notify {

struct WebhookCall {
  std::string url;
  std::string body;
  std::string event_type;
  std::string delivery_id;
  std::string secret;
};

/// 2xx: delivered. 410 Gone or a URL the policy refuses: permanent failure. Anything else
/// (3xx included, network errors, timeouts): retried.
DeliveryOutcome DeliverWebhook(const WebhookCall& call, const WebhookPolicy& policy,
                               const Clock& clock, int timeout_seconds = 10);

}  // namespace rubrica::server::notify
