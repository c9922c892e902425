// The notification machinery of the service, built once by Service: the outbox, the event
// relay (audit log -> messages), the reminder scheduler, the transports and the background
// sender; and the Mailer the API uses for invitations and credential notices, which
// enqueues into the same outbox.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "event_relay.h"
#include "mail_transport.h"
#include "reminders.h"
#include "rubrica/server/api_mail.h"
#include "sender.h"
#include "webhooks.h"

namespace rubrica::server::notify {

struct NotifierSettings {
  NotifyOptions notify;
  SmtpSettings smtp;        // smtp.host empty: the outbox folder
  std::string outbox_dir;   // <data_dir>/outbox
  WebhookPolicy webhooks;
  SenderOptions sender;
  /// When the notification tables are created in a data directory that already has a
  /// history, the relay starts after it (no mail about last year's sessions after an
  /// upgrade), unless this is set (the demo: its whole story is new).
  bool relay_history = false;
};

class Notifier {
 public:
  /// Applies the migrations of the outbox ("outbox") and of webhooks and reminders
  /// ("notify"); on their first application, puts the relay's cursor at the audit log's
  /// head unless settings.relay_history.
  static Result<std::unique_ptr<Notifier>> Create(store::Database& db, const store::AuditLog& audit,
                                                  workflows::Workflows& wf, const Clock& clock,
                                                  Logger& logger, NotifierSettings settings);
  ~Notifier();

  /// The API's mailer: each Send enqueues one message (own transaction) and wakes the
  /// sender.
  Mailer& mailer();
  Webhooks& webhooks() { return webhooks_; }
  const store::Outbox& outbox() const { return outbox_; }
  Sender& sender() { return *sender_; }
  /// Composes e-mails to people and webhook calls (for producers outside the notifier).
  const Messages& messages() const { return messages_; }
  /// What the late notices add about who holds an acta (Reminders::SetCosignatureHold). Before
  /// Start().
  void SetCosignatureHold(Reminders::CosignatureHold hold) { reminders_.SetCosignatureHold(std::move(hold)); }

  void Start() { sender_->Start(); }
  void Stop() { sender_->Stop(); }

 private:
  Notifier(store::Database& db, const store::AuditLog& audit, workflows::Workflows& wf,
           const Clock& clock, Logger& logger, NotifierSettings settings);
  class QueuedMailer;

  store::Database& db_;
  const Clock& clock_;
  NotifierSettings settings_;
  store::Outbox outbox_;
  Webhooks webhooks_;
  Messages messages_;
  EventRelay relay_;
  Reminders reminders_;
  std::unique_ptr<MailTransport> transport_;
  std::unique_ptr<Sender> sender_;
  std::unique_ptr<Mailer> mailer_;
  // The reminder producer's last run (sender thread only).
  bool reminders_ran_ = false;
  Instant last_reminders_clock_;
  std::chrono::steady_clock::time_point last_reminders_real_;
};

}  // namespace rubrica::server::notify
