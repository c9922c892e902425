// Webhook subscriptions of integrators (the state garante's own systems): per secretariat,
// a target URL, the events wanted and a shared secret for the HMAC signature. Stored in the
// service's database (component "notify"); deliveries go through the outbox (channel
// "webhook"), so they share its retries and its attempt log.
//
// Signature scheme (docs/api.md "Webhooks"): each POST carries
//   Rubrica-Event: <type>            Rubrica-Delivery: <event id>
//   Rubrica-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
// Receivers recompute v1 over the raw body, compare in constant time, refuse a t too far
// from their clock (replay) and de-duplicate by the delivery id.
//
// Target URLs: https only; http only to a loopback address when webhooks.allow_http_loopback
// is set (tests); hosts resolving to private, loopback or link-local addresses are refused
// unless webhooks.allow_private is set. Redirects are never followed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/store/database.h"

namespace rubrica::server::notify {

/// The event types a subscription may ask for.
const std::vector<std::string>& WebhookEventTypes();

struct WebhookSubscription {
  int64_t id = 0;
  int64_t secretariat_id = 0;
  std::string url;
  std::vector<std::string> events;
  std::string secret;  // shown once, at creation
  bool active = true;
  Instant created_at;
};

struct WebhookPolicy {
  bool allow_http_loopback = false;
  bool allow_private = false;
};

/// Checks a target URL against the policy (scheme, host, resolved addresses).
/// Errors: notify.bad_webhook_url.
Status ValidateWebhookUrl(const std::string& url, const WebhookPolicy& policy);

/// The Rubrica-Signature header value for `body` sent at `t`.
std::string WebhookSignature(const std::string& secret, Instant t, const std::string& body);

class Webhooks {
 public:
  static const std::vector<store::Migration>& Migrations();  // component "notify"

  Webhooks(store::Database& db, const Clock& clock, WebhookPolicy policy)
      : db_(db), clock_(clock), policy_(policy) {}

  /// Errors: notify.bad_webhook_url, notify.unknown_event (an event not in
  /// WebhookEventTypes, or none).
  Result<WebhookSubscription> Create(int64_t secretariat_id, const std::string& url,
                                     const std::vector<std::string>& events);
  Result<std::vector<WebhookSubscription>> List(int64_t secretariat_id) const;
  /// notify.webhook_not_found when absent.
  Result<WebhookSubscription> Get(int64_t id) const;
  /// Deactivates (deliveries already queued are still attempted). notify.webhook_not_found.
  Status Deactivate(int64_t id);
  /// The active subscriptions of `secretariat_id` that want `event`.
  Result<std::vector<WebhookSubscription>> SubscribersOf(int64_t secretariat_id,
                                                         const std::string& event) const;
  const WebhookPolicy& policy() const { return policy_; }

 private:
  store::Database& db_;
  const Clock& clock_;
  WebhookPolicy policy_;
};

}  // namespace rubrica::server::notify
