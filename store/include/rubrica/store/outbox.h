// The transactional outbox: messages to peers (e-mail, webhook calls) written in the same
// SQLite transaction as the change they announce, then delivered by a background sender.
//
// A message has a stable id chosen by its producer (derived from the event that caused it,
// so producing it twice inserts it once) and lives in the `outbox_messages` table:
//
//   pending --claim--> pending (leased, attempts+1) --MarkSent--> sent
//                                                   --MarkFailed(retry_at)--> pending
//                                                   --MarkFailed(nullopt)--> dead
//
// A claim takes a lease (lease_until); a sender that crashed leaves its lease to expire and
// the message is claimed again, so nothing is lost across restarts. Delivery is therefore
// at-least-once on the wire and exactly-once per id in this table: a crash between the
// peer accepting a message and MarkSent re-sends it with the same id (the e-mail's
// Message-ID, the webhook's event id), by which receivers de-duplicate.
//
// Every attempt is logged in `outbox_attempts` (the delivery log the webhook API shows).
// Named cursors (`outbox_cursors`) let a producer tail an append-only log (the audit log)
// and advance its position in the transaction that enqueues what it read.
// Instants come from the injected Clock. Thread-safe (all access through Database).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/store/database.h"

namespace rubrica::store {

struct OutboxMessage {
  std::string id;           // unique, stable (e.g. "mail:audit-42:person-7")
  std::string channel;      // "mail" or "webhook"
  std::string destination;  // an e-mail address or a URL
  std::string payload;      // the RFC 5322 message, or the JSON body
  std::string event;        // what it announces ("session.convened"), for logs and the API
  std::optional<int64_t> subscription_id;  // webhooks: the subscription it belongs to
  // What the message concerns, for the secretariat's list of notifications (ListConcerning);
  // absent on messages that concern no secretariat (account mail) and on those enqueued
  // before outbox migration 2.
  std::optional<int64_t> secretariat_id;
  std::optional<int64_t> session_id;
  std::optional<int64_t> acta_id;
  std::optional<int64_t> person_id;  // mail: the person it is addressed to
  std::string subject;               // mail: its Spanish subject, as composed
};

enum class OutboxState { kPending, kSent, kDead };
std::string_view OutboxStateName(OutboxState s);  // "pending", "sent", "dead"

struct OutboxEntry {
  OutboxMessage message;
  int64_t seq = 0;  // enqueue order (unique, increasing)
  OutboxState state = OutboxState::kPending;
  int attempts = 0;
  Instant created_at;
  Instant next_attempt_at;
  std::optional<Instant> sent_at;
  std::string last_error;
};

/// Which messages ListConcerning returns: those of a secretariat on one channel, optionally
/// of one session and one event, newest first, before the `before_seq` cursor.
struct OutboxQuery {
  int64_t secretariat_id = 0;
  std::string channel = "mail";
  std::optional<int64_t> session_id;
  std::string event;                 // empty: any
  std::optional<int64_t> before_seq;  // only messages with seq < before_seq
  int limit = 50;
};

struct OutboxAttempt {
  std::string message_id;
  int attempt = 0;  // 1-based
  Instant at;
  bool ok = false;
  std::string detail;  // the peer's answer or the error, one line
};

class Outbox {
 public:
  /// The migrations that create the outbox tables (component "outbox").
  static const std::vector<Migration>& Migrations();

  explicit Outbox(const Clock& clock) : clock_(clock) {}

  /// Adds `message` within `tx`, due at `not_before` (default: now). Returns false, and
  /// changes nothing, when a message with that id exists already.
  /// Errors: store.bad_outbox_message (empty id, channel or destination).
  Result<bool> Enqueue(Transaction& tx, const OutboxMessage& message,
                       std::optional<Instant> not_before = std::nullopt) const;

  /// Claims up to `limit` pending messages that are due and not leased, leasing each for
  /// `lease` and counting the attempt. Oldest due first.
  Result<std::vector<OutboxEntry>> Claim(Database& db, int limit,
                                         std::chrono::seconds lease) const;
  /// Adds `message` within `tx` already claimed by the caller (leased for `lease`, one
  /// attempt counted), for a caller that tries it at once after the commit and reports with
  /// MarkSent/MarkFailed; the sender takes it only if that caller never reports. Fails with
  /// store.constraint when the id exists.
  Result<OutboxEntry> EnqueueClaimed(Transaction& tx, const OutboxMessage& message,
                                     std::chrono::seconds lease) const;
  /// Records a successful attempt: the message is sent and never claimed again.
  Status MarkSent(Database& db, const std::string& id, const std::string& detail) const;
  /// Records a failed attempt: due again at `retry_at`, or dead when absent.
  Status MarkFailed(Database& db, const std::string& id, const std::string& detail,
                    std::optional<Instant> retry_at) const;

  /// Makes a dead message pending again within `tx`: due now, its attempt count back to 0
  /// (the attempts made stay in the attempt log). Returns false, changing nothing, when
  /// the message is not dead (pending, sent, or absent).
  Result<bool> Revive(Transaction& tx, const std::string& id) const;

  /// When the next pending message is due (nullopt when none is pending).
  Result<std::optional<Instant>> NextDue(Database& db) const;
  /// A message by id; store.not_found when absent.
  Result<OutboxEntry> Get(Database& db, const std::string& id) const;
  /// The messages of a webhook subscription, newest first, at most `limit`.
  Result<std::vector<OutboxEntry>> ListBySubscription(Database& db, int64_t subscription_id,
                                                      int limit) const;
  /// The messages `query` selects, newest first (by seq), at most query.limit.
  Result<std::vector<OutboxEntry>> ListConcerning(Database& db, const OutboxQuery& query) const;
  /// Every attempt of the messages of a subscription, newest first, at most `limit`.
  Result<std::vector<OutboxAttempt>> AttemptsOfSubscription(Database& db,
                                                            int64_t subscription_id,
                                                            int limit) const;
  /// Every attempt of one message, oldest first.
  Result<std::vector<OutboxAttempt>> AttemptsOf(Database& db, const std::string& id) const;
  /// Counts by state (for health and tests).
  Result<int64_t> Count(Database& db, OutboxState state) const;

  /// The position of cursor `name` (0 when never set), read within `tx`.
  static Result<int64_t> Cursor(Transaction& tx, std::string_view name);
  static Status SetCursor(Transaction& tx, std::string_view name, int64_t position);

 private:
  const Clock& clock_;
};

}  // namespace rubrica::store
