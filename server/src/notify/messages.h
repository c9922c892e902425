// Building the outbox messages of one event: an e-mail to a person (composed, with the
// action link) and a webhook call to every subscription of the secretariat that wants the
// event. Used by the event relay and the reminder scheduler. Read-only: it only fills the
// vector the caller enqueues in its transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mail_compose.h"
#include "rubrica/base/clock.h"
#include "rubrica/store/outbox.h"
#include "rubrica/workflows/workflows.h"
#include "webhooks.h"

namespace rubrica::server::notify {

struct NotifyOptions {
  std::string public_url;  // links in messages: public_url + "/actas/7", ...
  std::string from_name = "Rúbrica";
  std::string from_address = "no-responder@rubrica.invalid";
  std::string From() const { return from_name + " <" + from_address + ">"; }
};

/// What a message concerns: the secretariat's list of notifications (GET
/// /api/secretariats/{id}/notifications) selects by it.
struct MessageScope {
  int64_t secretariat_id = 0;
  std::optional<int64_t> session_id;
  std::optional<int64_t> acta_id;
};

class Messages {
 public:
  Messages(workflows::Workflows& wf, const Webhooks& webhooks, const Clock& clock,
           NotifyOptions options)
      : wf_(wf), webhooks_(webhooks), clock_(clock), options_(std::move(options)) {}

  /// An e-mail to `person_id` with id "<id_prefix>:person-<id>" (none when the person has no
  /// valid address). `content.to`/`to_name` are filled here; `link_path` ("/actas/7") is
  /// joined to public_url. The message records `scope`, the person and the subject.
  Status MailPerson(int64_t person_id, const std::string& id_prefix, const std::string& event,
                    MailContent content, const std::string& link_path, const MessageScope& scope,
                    std::vector<store::OutboxMessage>& out) const;
  /// A webhook call per subscription of `secretariat_id` wanting `type`, with id
  /// "<event_id>:webhook-<subscription>". `data_json` is the event's "data" object.
  Status Webhook(int64_t secretariat_id, const std::string& type, const std::string& event_id,
                 const std::string& data_json, std::vector<store::OutboxMessage>& out) const;

  std::string Link(const std::string& path) const;
  const NotifyOptions& options() const { return options_; }

 private:
  workflows::Workflows& wf_;
  const Webhooks& webhooks_;
  const Clock& clock_;
  NotifyOptions options_;
};

}  // namespace rubrica::server::notify
