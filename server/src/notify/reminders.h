// Reminders, on the injected Clock (so they are testable on any date) and idempotent (each
// has a stable id; the outbox inserts an id once, so a reminder is sent once however often
// the scheduler runs):
//   - before a session: `session_hours` before a convened session starts, to every member;
//   - the approval day ("firme hoy"): sent by the event relay when the acta is approved;
//   - `due_business_days` business days (the secretariat's calendar) before the monthly
//     delivery deadline, while an acta of the month is not delivered: to the facilitator
//     and, when signatures are missing, to the signers; webhook delivery.due;
//   - when the deadline passed undelivered: to the facilitator and the organismo garante's
//     seat holders; webhook delivery.late.
// Settings are per secretariat (table notify_reminders; defaults below), set through the
// API (POST /api/secretariats/{id}/reminders).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "messages.h"
#include "rubrica/store/database.h"
#include "rubrica/store/outbox.h"

namespace rubrica::server::notify {

struct ReminderSettings {
  int session_hours = 24;      // 0: no reminder before sessions
  int due_business_days = 3;   // 0: no reminder before the monthly deadline
  bool late = true;            // a notice when the deadline passed
};

class Reminders {
 public:
  static const std::vector<store::Migration>& Migrations();  // part of component "notify"

  Reminders(store::Database& db, const store::Outbox& outbox, workflows::Workflows& wf,
            const Clock& clock, Messages messages)
      : db_(db), outbox_(outbox), wf_(wf), clock_(clock), messages_(std::move(messages)) {}

  Result<ReminderSettings> Settings(int64_t secretariat_id) const;
  /// Errors: notify.bad_reminder_settings (hours 0-720, business days 0-20).
  Status SetSettings(int64_t secretariat_id, const ReminderSettings& settings);

  /// Enqueues every reminder that is due now and was not sent. Returns how many.
  Result<int> Pump();

  /// When an undelivered acta travels in a monthly package that awaits its co-signature:
  /// a Spanish sentence naming who must co-sign ("" otherwise). The late notice then says
  /// that the co-signature is what is missing. The delivery module sets it
  /// (server::PackageDelivery). Set before the sender starts.
  using CosignatureHold =
      std::function<Result<std::string>(const workflows::SecretariatRecord&, const workflows::Obligation&)>;
  void SetCosignatureHold(CosignatureHold hold) { hold_ = std::move(hold); }

 private:
  Status Collect(const workflows::SecretariatRecord& sec, std::vector<store::OutboxMessage>& out);

  store::Database& db_;
  const store::Outbox& outbox_;
  workflows::Workflows& wf_;
  const Clock& clock_;
  Messages messages_;
  CosignatureHold hold_;
};

/// Business days strictly after `from` up to and including `to` (weekends, federal holidays
/// when configured and the secretariat's extra holidays excluded); 0 when to <= from.
int BusinessDaysBetween(const workflows::SecretariatConfig& config,
                        std::chrono::year_month_day from, std::chrono::year_month_day to);

/// Who answers for the secretariat's monthly delivery on `day`: its facilitator and whoever
/// holds the organismo garante's seat (late notices, refused packages), each person once.
Result<std::vector<int64_t>> DeliveryResponsibles(workflows::Workflows& wf, const workflows::SecretariatRecord& sec,
                                                  std::chrono::year_month_day day);

/// Who may co-sign the secretariat's monthly package as `role` ("garante": whoever holds
/// the organismo garante's seat, titular or substitute; "facilitator": the facilitator) on
/// `day`, each person once: whom the request for the co-signature goes to.
Result<std::vector<int64_t>> PackageCosigners(workflows::Workflows& wf, const workflows::SecretariatRecord& sec,
                                              const std::string& role, std::chrono::year_month_day day);

}  // namespace rubrica::server::notify
