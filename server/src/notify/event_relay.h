// Turns workflow events into outbox messages. The audit log is the event log: every
// workflow change appends its audit entry in the change's own transaction (workflows
// depend only on base and store), so "the change happened" and "its event exists" commit
// together. The relay tails the log from a cursor kept in the outbox tables and, for each
// entry that concerns someone, enqueues the e-mails (and webhook calls) in ONE transaction
// with the cursor's advance: an entry is turned into messages exactly once, even when the
// service stops in between. Message ids derive from the entry's sequence number, so a
// message is also never enqueued twice.
//
//   session.convene    convocation to every member in force on the session date, with an
//                      iCalendar REQUEST (SEQUENCE 0); webhook session.convened
//   session.cancel     cancellation notice with an iCalendar CANCEL (SEQUENCE 1);
//                      webhook session.cancelled
//   acta.submit        "review is open" to every signer-to-be; webhook acta.review_opened
//   acta.approve       "firme hoy" to every required signer (foot signatures carry the
//   acta.reapprove     approval date); webhook acta.approved
//   acta.foot          when the acta became complete: webhook acta.signed
//   acta.archive       notice to the signers; webhook acta.archived
//   acta.deliver       webhook acta.delivered
//   package.build      of a draft awaiting its co-signature: the request to co-sign it, to
//                      every person who may (the garante's seat holders or the
//                      facilitator, as configured), once per draft
//   package.withdraw   a draft withdrawn because the co-signer setting changed: those who
//                      were asked to co-sign it are told it no longer waits for them
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/logger.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/store/database.h"
#include "rubrica/store/outbox.h"
#include "rubrica/workflows/workflows.h"
#include "messages.h"
#include "webhooks.h"

namespace rubrica::server::notify {

class EventRelay {
 public:
  EventRelay(store::Database& db, const store::AuditLog& audit, const store::Outbox& outbox,
             workflows::Workflows& wf, const Webhooks& webhooks, const Clock& clock,
             Logger& logger, NotifyOptions options);

  /// The relay's cursor in outbox_cursors: the last audit seq turned into messages.
  static constexpr std::string_view kCursor = "notify.audit";

  /// Turns every audit entry after the cursor into messages. Returns how many were
  /// enqueued.
  Result<int> Pump();

 private:
  Status Translate(const store::StoredAuditEntry& e, std::vector<store::OutboxMessage>& out);
  Status CosignatureRequest(const store::StoredAuditEntry& e, std::vector<store::OutboxMessage>& out);
  Status CosignatureWithdrawn(const store::StoredAuditEntry& e, std::vector<store::OutboxMessage>& out);

  store::Database& db_;
  const store::AuditLog& audit_;
  const store::Outbox& outbox_;
  workflows::Workflows& wf_;
  const Clock& clock_;
  Logger& logger_;
  Messages messages_;
};

}  // namespace rubrica::server::notify
