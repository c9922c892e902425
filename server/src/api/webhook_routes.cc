// Webhook subscriptions of a secretariat, their delivery log, and the secretariat's
// reminder settings (docs/api.md "Webhooks", "Reminders").
#include "../notify/reminders.h"
#include "../notify/webhooks.h"
#include "handler_util.h"
#include "rubrica/store/outbox.h"
#include "rubrica/store/write_transaction.h"

namespace rubrica::server::api {

namespace {

using notify::WebhookSubscription;

notify::Webhooks WebhooksOf(Call& c) {
  return notify::Webhooks(c.ctx.db, c.ctx.clock,
                          {c.ctx.options.webhooks_allow_http_loopback,
                           c.ctx.options.webhooks_allow_private});
}

void WriteSubscription(JsonWriter& w, const WebhookSubscription& s, bool with_secret) {
  w.BeginObject()
      .Field("id", s.id)
      .Field("secretariat_id", s.secretariat_id)
      .Field("url", s.url)
      .StringArray("events", s.events)
      .Field("active", s.active)
      .Key("created_at").Time(s.created_at);
  if (with_secret) w.Field("secret", s.secret);
  w.EndObject();
}

// The subscription named by the path, when it belongs to the path's secretariat.
Result<WebhookSubscription> PathSubscription(Call& c) {
  ASSIGN_OR_RETURN(WebhookSubscription s, WebhooksOf(c).Get(c.Id("webhook_id")));
  if (s.secretariat_id != c.secretariat_id) {
    return Status::Error(ErrorKind::kNotFound, "notify.webhook_not_found",
                         "webhook " + std::to_string(s.id) + " is not of this secretariat",
                         "La suscripción no existe.");
  }
  return s;
}

Status Audit(Call& c, const std::string& action, int64_t id, const std::string& payload) {
  return store::WriteTransaction(c.ctx.db, [&](store::Transaction& tx) {
    return c.ctx.audit.Append(tx, {c.audit_actor(), action, "webhook", std::to_string(id), payload})
        .status();
  });
}

Status Create(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string url, j.String("url", 2000));
  ASSIGN_OR_RETURN(std::vector<std::string> events, j.StringArray("events", 20));
  RETURN_IF_ERROR(j.Finish());
  auto webhooks = WebhooksOf(c);
  ASSIGN_OR_RETURN(WebhookSubscription s, webhooks.Create(c.secretariat_id, url, events));
  JsonWriter p;
  p.BeginObject().Field("url", s.url).StringArray("events", s.events).EndObject();
  RETURN_IF_ERROR(Audit(c, "webhook.create", s.id, p.str()));
  JsonWriter w;
  WriteSubscription(w, s, /*with_secret=*/true);  // shown once
  return Reply(c, 201, w);
}

Status List(Call& c) {
  ASSIGN_OR_RETURN(auto list, WebhooksOf(c).List(c.secretariat_id));
  JsonWriter w;
  w.BeginObject().Key("webhooks").BeginArray();
  for (const auto& s : list) WriteSubscription(w, s, false);
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

Status Deactivate(Call& c) {
  ASSIGN_OR_RETURN(WebhookSubscription s, PathSubscription(c));
  auto webhooks = WebhooksOf(c);
  RETURN_IF_ERROR(webhooks.Deactivate(s.id));
  RETURN_IF_ERROR(Audit(c, "webhook.deactivate", s.id, "{}"));
  return ReplyOk(c);
}

Status Deliveries(Call& c) {
  ASSIGN_OR_RETURN(WebhookSubscription s, PathSubscription(c));
  store::Outbox outbox(c.ctx.clock);
  ASSIGN_OR_RETURN(auto messages, outbox.ListBySubscription(c.ctx.db, s.id, 200));
  ASSIGN_OR_RETURN(auto attempts, outbox.AttemptsOfSubscription(c.ctx.db, s.id, 1000));
  JsonWriter w;
  w.BeginObject().Key("deliveries").BeginArray();
  for (const auto& m : messages) {
    w.BeginObject()
        .Field("id", m.message.id.substr(0, m.message.id.rfind(":webhook-")))
        .Field("event", m.message.event)
        .Field("state", store::OutboxStateName(m.state))
        .Field("attempts", m.attempts)
        .Key("created_at").Time(m.created_at);
    if (m.sent_at) w.Key("delivered_at").Time(*m.sent_at);
    if (m.state == store::OutboxState::kPending) w.Key("next_attempt_at").Time(m.next_attempt_at);
    w.Field("last_error", m.last_error).Key("log").BeginArray();
    for (auto it = attempts.rbegin(); it != attempts.rend(); ++it) {  // oldest first
      if (it->message_id != m.message.id) continue;
      w.BeginObject()
          .Field("attempt", it->attempt)
          .Key("at").Time(it->at)
          .Field("ok", it->ok)
          .Field("detail", it->detail)
          .EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

notify::Reminders RemindersOf(Call& c, store::Outbox& outbox, notify::Webhooks& webhooks) {
  return notify::Reminders(c.ctx.db, outbox, c.ctx.wf, c.ctx.clock,
                           notify::Messages(c.ctx.wf, webhooks, c.ctx.clock, {}));
}

Status ReplyReminders(Call& c, const notify::ReminderSettings& s) {
  JsonWriter w;
  w.BeginObject()
      .Field("session_hours", s.session_hours)
      .Field("due_business_days", s.due_business_days)
      .Field("late", s.late)
      .EndObject();
  return Reply(c, 200, w);
}

Status GetReminders(Call& c) {
  store::Outbox outbox(c.ctx.clock);
  auto webhooks = WebhooksOf(c);
  ASSIGN_OR_RETURN(auto s, RemindersOf(c, outbox, webhooks).Settings(c.secretariat_id));
  return ReplyReminders(c, s);
}

Status SetReminders(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  notify::ReminderSettings s;
  ASSIGN_OR_RETURN(int64_t hours, j.Int("session_hours", 0, 720));
  ASSIGN_OR_RETURN(int64_t days, j.Int("due_business_days", 0, 20));
  ASSIGN_OR_RETURN(s.late, j.Bool("late", true));
  RETURN_IF_ERROR(j.Finish());
  s.session_hours = static_cast<int>(hours);
  s.due_business_days = static_cast<int>(days);
  store::Outbox outbox(c.ctx.clock);
  auto webhooks = WebhooksOf(c);
  RETURN_IF_ERROR(RemindersOf(c, outbox, webhooks).SetSettings(c.secretariat_id, s));
  return ReplyReminders(c, s);
}

}  // namespace

std::vector<RouteSpec> WebhookRoutes() {
  constexpr unsigned kManagers = kAdmin | kFacilitator | kGarante;
  return {
      {"POST", "/api/secretariats/{secretariat_id}/webhooks", "createWebhook", "webhooks",
       "Subscribe a URL to the secretariat's events (the secret is shown once)", kManagers,
       Scope::kSecretariat, false, "url:string! events:string[]!", "the subscription with its secret",
       201, Create},
      {"GET", "/api/secretariats/{secretariat_id}/webhooks", "listWebhooks", "webhooks",
       "The secretariat's webhook subscriptions", kManagers, Scope::kSecretariat, false, "",
       "webhooks", 200, List},
      {"DELETE", "/api/secretariats/{secretariat_id}/webhooks/{webhook_id}", "deactivateWebhook",
       "webhooks", "Stop a subscription (queued deliveries are still attempted)", kManagers,
       Scope::kSecretariat, false, "", "ok", 200, Deactivate},
      {"GET", "/api/secretariats/{secretariat_id}/webhooks/{webhook_id}/deliveries",
       "listWebhookDeliveries", "webhooks",
       "The subscription's deliveries, newest first, each with its attempt log", kManagers,
       Scope::kSecretariat, false, "", "deliveries", 200, Deliveries},
      {"GET", "/api/secretariats/{secretariat_id}/reminders", "getReminderSettings", "webhooks",
       "The secretariat's reminder settings", kManagers, Scope::kSecretariat, false, "",
       "reminder settings", 200, GetReminders},
      {"POST", "/api/secretariats/{secretariat_id}/reminders", "setReminderSettings", "webhooks",
       "Set when reminders are sent (before sessions, before the monthly deadline, when late)",
       kAdmin | kFacilitator, Scope::kSecretariat, false,
       "session_hours:integer! due_business_days:integer! late:boolean", "reminder settings",
       200, SetReminders},
  };
}

}  // namespace rubrica::server::api
