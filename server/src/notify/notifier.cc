#include "notifier.h"

#include "rubrica/base/crypto_util.h"
#include "rubrica/store/write_transaction.h"
#include "webhook_client.h"

namespace rubrica::server::notify {

// The API's invitations and credential notices: composed here, delivered by the sender.
class Notifier::QueuedMailer final : public Mailer {
 public:
  explicit QueuedMailer(Notifier& n) : n_(n) {}

  Status Send(const MailMessage& m) override {
    MailContent c;
    c.to = m.to;
    c.subject = m.subject;
    c.text = m.body;
    const std::string id = "mail:direct-" + HexEncode(RandomBytes(12));
    auto raw = ComposeMail(c, n_.settings_.notify.From(), id, n_.clock_.Now());
    if (!raw.ok()) {
      return Status::Error(ErrorKind::kInvalidArgument, "api.bad_mail", raw.status().message(),
                           "La dirección de correo no es válida.");
    }
    const store::OutboxMessage message{id, "mail", m.to, *raw, "account.mail", {}};
    if (!n_.settings_.smtp.host.empty()) {
      RETURN_IF_ERROR(store::WriteTransaction(n_.db_, [&](store::Transaction& tx) {
                        return n_.outbox_.Enqueue(tx, message);
                      }).status());
      n_.sender_->Wake();
      return Status::Ok();
    }
    // The outbox folder is local and quick: the file is written now, so it is there when
    // the request returns. The message is enqueued already claimed by this thread, so the
    // sender does not race for it; on failure the sender retries it later.
    ASSIGN_OR_RETURN(store::OutboxEntry e,
                     store::WriteTransaction(n_.db_, [&](store::Transaction& tx) {
                       return n_.outbox_.EnqueueClaimed(tx, message, n_.settings_.sender.lease);
                     }));
    DeliveryOutcome out = n_.transport_->Deliver(e.message.id, e.seq, e.created_at,
                                                 n_.settings_.notify.from_address, m.to, *raw);
    if (out.ok) return n_.outbox_.MarkSent(n_.db_, id, out.detail);
    RETURN_IF_ERROR(n_.outbox_.MarkFailed(n_.db_, id, out.detail,
                                          n_.clock_.Now() + n_.settings_.sender.base_backoff));
    n_.sender_->Wake();
    return Status::Ok();
  }

 private:
  Notifier& n_;
};

Notifier::Notifier(store::Database& db, const store::AuditLog& audit, workflows::Workflows& wf,
                   const Clock& clock, Logger& logger, NotifierSettings settings)
    : db_(db),
      clock_(clock),
      settings_(std::move(settings)),
      outbox_(clock),
      webhooks_(db, clock, settings_.webhooks),
      messages_(wf, webhooks_, clock, settings_.notify),
      relay_(db, audit, outbox_, wf, webhooks_, clock, logger, settings_.notify),
      reminders_(db, outbox_, wf, clock, messages_) {
  transport_ = settings_.smtp.host.empty() ? MakeFolderTransport(settings_.outbox_dir)
                                           : MakeSmtpTransport(settings_.smtp);
  sender_ = std::make_unique<Sender>(db, outbox_, clock, logger, settings_.sender);
  sender_->AddProducer([this] { return relay_.Pump().status(); });
  // Reminders depend on the clock and on the records: computed again when the clock moved
  // a minute, or after 30 s of real time (new records on a stopped test clock).
  sender_->AddProducer([this] {
    const Instant now = clock_.Now();
    const auto real = std::chrono::steady_clock::now();
    const auto moved = now > last_reminders_clock_ ? now - last_reminders_clock_
                                                   : last_reminders_clock_ - now;
    if (reminders_ran_ && moved < std::chrono::minutes(1) &&
        real - last_reminders_real_ < std::chrono::seconds(30)) {
      return Status::Ok();
    }
    reminders_ran_ = true;
    last_reminders_clock_ = now;
    last_reminders_real_ = real;
    return reminders_.Pump().status();
  });
  sender_->AddChannel("mail", [this](const store::OutboxEntry& e) {
    return transport_->Deliver(e.message.id, e.seq, e.created_at, settings_.notify.from_address,
                               e.message.destination, e.message.payload);
  });
  sender_->AddChannel("webhook", [this](const store::OutboxEntry& e) {
    if (!e.message.subscription_id) return DeliveryOutcome{false, true, "no subscription"};
    auto sub = webhooks_.Get(*e.message.subscription_id);
    if (!sub.ok()) return DeliveryOutcome{false, true, sub.status().message()};
    const std::string delivery_id = e.message.id.substr(0, e.message.id.rfind(":webhook-"));
    return DeliverWebhook({e.message.destination, e.message.payload, e.message.event, delivery_id,
                           sub->secret},
                          settings_.webhooks, clock_);
  });
  mailer_ = std::make_unique<QueuedMailer>(*this);
}

Notifier::~Notifier() { Stop(); }

Result<std::unique_ptr<Notifier>> Notifier::Create(store::Database& db, const store::AuditLog& audit,
                                                   workflows::Workflows& wf, const Clock& clock,
                                                   Logger& logger, NotifierSettings settings) {
  ASSIGN_OR_RETURN(int outbox_version, db.SchemaVersion("outbox"));
  RETURN_IF_ERROR(db.Migrate("outbox", store::Outbox::Migrations()));
  if (outbox_version == 0 && !settings.relay_history) {
    RETURN_IF_ERROR(store::WriteTransaction(db, [](store::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(auto st, tx.Prepare("SELECT COALESCE(MAX(seq), 0) FROM audit_log"));
      ASSIGN_OR_RETURN(bool row, st.Step());
      return store::Outbox::SetCursor(tx, EventRelay::kCursor, row ? st.ColumnInt(0) : 0);
    }));
  }
  std::vector<store::Migration> notify = Webhooks::Migrations();
  for (const auto& m : Reminders::Migrations()) {
    notify.push_back({static_cast<int>(notify.size()) + 1, m.name, m.sql});
  }
  RETURN_IF_ERROR(db.Migrate("notify", notify));
  return std::unique_ptr<Notifier>(new Notifier(db, audit, wf, clock, logger, std::move(settings)));
}

Mailer& Notifier::mailer() { return *mailer_; }

}  // namespace rubrica::server::notify
