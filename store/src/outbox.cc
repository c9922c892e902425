#include "rubrica/store/outbox.h"

#include "rubrica/store/write_transaction.h"

namespace rubrica::store {

namespace {

constexpr std::string_view kColumns =
    "id, channel, destination, payload, event, subscription_id, state, attempts, created_us, "
    "next_attempt_us, sent_us, last_error, rowid, secretariat_id, session_id, acta_id, person_id, "
    "subject";

OutboxState StateOf(const std::string& s) {
  if (s == "sent") return OutboxState::kSent;
  if (s == "dead") return OutboxState::kDead;
  return OutboxState::kPending;
}

OutboxEntry ReadEntry(const Statement& st) {
  OutboxEntry e;
  e.message.id = st.ColumnText(0);
  e.message.channel = st.ColumnText(1);
  e.message.destination = st.ColumnText(2);
  e.message.payload = st.ColumnBlob(3);
  e.message.event = st.ColumnText(4);
  if (!st.ColumnIsNull(5)) e.message.subscription_id = st.ColumnInt(5);
  e.state = StateOf(st.ColumnText(6));
  e.attempts = static_cast<int>(st.ColumnInt(7));
  e.created_at = FromUnixMicros(st.ColumnInt(8));
  e.next_attempt_at = FromUnixMicros(st.ColumnInt(9));
  if (!st.ColumnIsNull(10)) e.sent_at = FromUnixMicros(st.ColumnInt(10));
  e.last_error = st.ColumnText(11);
  e.seq = st.ColumnInt(12);
  auto optional_int = [&](int col) {
    return st.ColumnIsNull(col) ? std::nullopt : std::optional<int64_t>(st.ColumnInt(col));
  };
  e.message.secretariat_id = optional_int(13);
  e.message.session_id = optional_int(14);
  e.message.acta_id = optional_int(15);
  e.message.person_id = optional_int(16);
  e.message.subject = st.ColumnText(17);
  return e;
}

OutboxAttempt ReadAttempt(const Statement& st) {
  OutboxAttempt a;
  a.message_id = st.ColumnText(0);
  a.attempt = static_cast<int>(st.ColumnInt(1));
  a.at = FromUnixMicros(st.ColumnInt(2));
  a.ok = st.ColumnInt(3) != 0;
  a.detail = st.ColumnText(4);
  return a;
}

void BindOptionalInt(Statement& st, int index, const std::optional<int64_t>& v) {
  if (v) {
    st.Bind(index, *v);
  } else {
    st.BindNull(index);
  }
}

// Every row of `st`, read by `read`.
template <typename T>
Result<std::vector<T>> AllRows(Statement& st, T (*read)(const Statement&)) {
  std::vector<T> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back(read(st));
  }
}

// One line, bounded: peers' answers end up in logs and API responses.
std::string OneLine(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (out.size() >= 500) break;
    out += (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
  }
  return out;
}

Status LogAttempt(Transaction& tx, const std::string& id, Instant at, bool ok,
                  const std::string& detail) {
  ASSIGN_OR_RETURN(auto st, tx.Prepare(
                                "INSERT INTO outbox_attempts(message_id, attempt, at_us, ok, detail) "
                                "SELECT id, attempts, ?2, ?3, ?4 FROM outbox_messages WHERE id = ?1"));
  return st.Bind(1, id).Bind(2, UnixMicros(at)).Bind(3, int64_t{ok ? 1 : 0}).Bind(4, OneLine(detail)).Run();
}

}  // namespace

std::string_view OutboxStateName(OutboxState s) {
  switch (s) {
    case OutboxState::kPending: return "pending";
    case OutboxState::kSent: return "sent";
    case OutboxState::kDead: return "dead";
  }
  return "pending";
}

const std::vector<Migration>& Outbox::Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "outbox",
       "CREATE TABLE outbox_messages ("
       "  id TEXT PRIMARY KEY,"
       "  channel TEXT NOT NULL,"
       "  destination TEXT NOT NULL,"
       "  payload BLOB NOT NULL,"
       "  event TEXT NOT NULL,"
       "  subscription_id INTEGER,"
       "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','dead')),"
       "  attempts INTEGER NOT NULL DEFAULT 0,"
       "  created_us INTEGER NOT NULL,"
       "  next_attempt_us INTEGER NOT NULL,"
       "  lease_until_us INTEGER NOT NULL DEFAULT 0,"
       "  sent_us INTEGER,"
       "  last_error TEXT NOT NULL DEFAULT '');"
       "CREATE INDEX outbox_due ON outbox_messages(state, next_attempt_us);"
       "CREATE INDEX outbox_subscription ON outbox_messages(subscription_id, created_us);"
       "CREATE TABLE outbox_attempts ("
       "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
       "  message_id TEXT NOT NULL REFERENCES outbox_messages(id),"
       "  attempt INTEGER NOT NULL,"
       "  at_us INTEGER NOT NULL,"
       "  ok INTEGER NOT NULL,"
       "  detail TEXT NOT NULL);"
       "CREATE INDEX outbox_attempts_message ON outbox_attempts(message_id);"
       "CREATE TABLE outbox_cursors (name TEXT PRIMARY KEY, position INTEGER NOT NULL);"},
      // What a message concerns, for the secretariat's list of notifications.
      {2, "outbox_concerns",
       "ALTER TABLE outbox_messages ADD COLUMN secretariat_id INTEGER;"
       "ALTER TABLE outbox_messages ADD COLUMN session_id INTEGER;"
       "ALTER TABLE outbox_messages ADD COLUMN acta_id INTEGER;"
       "ALTER TABLE outbox_messages ADD COLUMN person_id INTEGER;"
       "ALTER TABLE outbox_messages ADD COLUMN subject TEXT NOT NULL DEFAULT '';"
       "CREATE INDEX outbox_secretariat ON outbox_messages(secretariat_id, channel);"},
  };
  return kMigrations;
}

Result<bool> Outbox::Enqueue(Transaction& tx, const OutboxMessage& m,
                             std::optional<Instant> not_before) const {
  if (m.id.empty() || m.channel.empty() || m.destination.empty()) {
    return Status::Error(ErrorKind::kInvalidArgument, "store.bad_outbox_message",
                         "outbox message without id, channel or destination",
                         "El mensaje no tiene destinatario.");
  }
  const Instant now = clock_.Now();
  ASSIGN_OR_RETURN(auto st, tx.Prepare(
                                "INSERT OR IGNORE INTO outbox_messages(id, channel, destination, "
                                "payload, event, subscription_id, created_us, next_attempt_us, "
                                "secretariat_id, session_id, acta_id, person_id, subject) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"));
  st.Bind(1, m.id).Bind(2, m.channel).Bind(3, m.destination).BindBlob(4, m.payload).Bind(5, m.event);
  BindOptionalInt(st, 6, m.subscription_id);
  st.Bind(7, UnixMicros(now)).Bind(8, UnixMicros(not_before.value_or(now)));
  BindOptionalInt(st, 9, m.secretariat_id);
  BindOptionalInt(st, 10, m.session_id);
  BindOptionalInt(st, 11, m.acta_id);
  BindOptionalInt(st, 12, m.person_id);
  st.Bind(13, m.subject);
  RETURN_IF_ERROR(st.Run());
  return tx.Changes() == 1;
}

Result<std::vector<OutboxEntry>> Outbox::Claim(Database& db, int limit,
                                               std::chrono::seconds lease) const {
  return WriteTransaction(db, [&](Transaction& tx) -> Result<std::vector<OutboxEntry>> {
    const Instant now = clock_.Now();
    std::vector<OutboxEntry> out;
    {
      ASSIGN_OR_RETURN(auto st, tx.Prepare("SELECT " + std::string(kColumns) +
                                           " FROM outbox_messages WHERE state = 'pending' AND "
                                           "next_attempt_us <= ?1 AND lease_until_us <= ?1 "
                                           "ORDER BY next_attempt_us, created_us, id LIMIT ?2"));
      st.Bind(1, UnixMicros(now)).Bind(2, int64_t{limit});
      while (true) {
        ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        out.push_back(ReadEntry(st));
      }
    }
    for (auto& e : out) {
      ASSIGN_OR_RETURN(auto up, tx.Prepare("UPDATE outbox_messages SET attempts = attempts + 1, "
                                           "lease_until_us = ?2 WHERE id = ?1"));
      RETURN_IF_ERROR(up.Bind(1, e.message.id)
                          .Bind(2, UnixMicros(now + std::chrono::duration_cast<std::chrono::microseconds>(lease)))
                          .Run());
      ++e.attempts;
    }
    return out;
  });
}

Result<OutboxEntry> Outbox::EnqueueClaimed(Transaction& tx, const OutboxMessage& m,
                                           std::chrono::seconds lease) const {
  ASSIGN_OR_RETURN(bool added, Enqueue(tx, m));
  if (!added) {
    return Status::Error(ErrorKind::kConflict, "store.constraint",
                         "outbox message " + m.id + " exists already");
  }
  const Instant now = clock_.Now();
  ASSIGN_OR_RETURN(auto up, tx.Prepare("UPDATE outbox_messages SET attempts = 1, lease_until_us = ?2 "
                                       "WHERE id = ?1"));
  RETURN_IF_ERROR(up.Bind(1, m.id)
                      .Bind(2, UnixMicros(now + std::chrono::duration_cast<std::chrono::microseconds>(lease)))
                      .Run());
  ASSIGN_OR_RETURN(auto st, tx.Prepare("SELECT " + std::string(kColumns) +
                                       " FROM outbox_messages WHERE id = ?1"));
  st.Bind(1, m.id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::Error(ErrorKind::kInternal, "store.sqlite", "outbox row vanished");
  return ReadEntry(st);
}

Status Outbox::MarkSent(Database& db, const std::string& id, const std::string& detail) const {
  return WriteTransaction(db, [&](Transaction& tx) -> Status {
    const Instant now = clock_.Now();
    ASSIGN_OR_RETURN(auto st, tx.Prepare("UPDATE outbox_messages SET state = 'sent', sent_us = ?2, "
                                         "lease_until_us = 0, last_error = '' "
                                         "WHERE id = ?1 AND state = 'pending'"));
    RETURN_IF_ERROR(st.Bind(1, id).Bind(2, UnixMicros(now)).Run());
    if (tx.Changes() != 1) return Status::Ok();  // already sent (a lease that ran out)
    return LogAttempt(tx, id, now, true, detail);
  });
}

Status Outbox::MarkFailed(Database& db, const std::string& id, const std::string& detail,
                          std::optional<Instant> retry_at) const {
  return WriteTransaction(db, [&](Transaction& tx) -> Status {
    const Instant now = clock_.Now();
    ASSIGN_OR_RETURN(auto st, tx.Prepare("UPDATE outbox_messages SET state = ?2, "
                                         "next_attempt_us = ?3, lease_until_us = 0, last_error = ?4 "
                                         "WHERE id = ?1 AND state = 'pending'"));
    RETURN_IF_ERROR(st.Bind(1, id)
                        .Bind(2, retry_at ? "pending" : "dead")
                        .Bind(3, UnixMicros(retry_at.value_or(now)))
                        .Bind(4, OneLine(detail))
                        .Run());
    if (tx.Changes() != 1) return Status::Ok();
    return LogAttempt(tx, id, now, false, detail);
  });
}

Result<bool> Outbox::Revive(Transaction& tx, const std::string& id) const {
  ASSIGN_OR_RETURN(auto st, tx.Prepare("UPDATE outbox_messages SET state = 'pending', attempts = 0, "
                                       "next_attempt_us = ?2, lease_until_us = 0 "
                                       "WHERE id = ?1 AND state = 'dead'"));
  RETURN_IF_ERROR(st.Bind(1, id).Bind(2, UnixMicros(clock_.Now())).Run());
  return tx.Changes() == 1;
}

Result<std::optional<Instant>> Outbox::NextDue(Database& db) const {
  ASSIGN_OR_RETURN(auto tx, db.BeginRead());
  ASSIGN_OR_RETURN(auto st, tx.Prepare("SELECT MIN(MAX(next_attempt_us, lease_until_us)) FROM "
                                       "outbox_messages WHERE state = 'pending'"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row || st.ColumnIsNull(0)) return std::optional<Instant>();
  return std::optional<Instant>(FromUnixMicros(st.ColumnInt(0)));
}

Result<OutboxEntry> Outbox::Get(Database& db, const std::string& id) const {
  ASSIGN_OR_RETURN(auto tx, db.BeginRead());
  ASSIGN_OR_RETURN(auto st, tx.Prepare("SELECT " + std::string(kColumns) +
                                       " FROM outbox_messages WHERE id = ?1"));
  st.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return Status::Error(ErrorKind::kNotFound, "store.not_found", "no outbox message " + id,
                         "El mensaje no existe.");
  }
  return ReadEntry(st);
}

Result<std::vector<OutboxEntry>> Outbox::ListBySubscription(Database& db, int64_t subscription_id,
                                                            int limit) const {
  ASSIGN_OR_RETURN(auto tx, db.BeginRead());
  ASSIGN_OR_RETURN(auto st, tx.Prepare("SELECT " + std::string(kColumns) +
                                       " FROM outbox_messages WHERE subscription_id = ?1 "
                                       "ORDER BY created_us DESC, id DESC LIMIT ?2"));
  st.Bind(1, subscription_id).Bind(2, int64_t{limit});
  return AllRows(st, ReadEntry);
}

Result<std::vector<OutboxEntry>> Outbox::ListConcerning(Database& db, const OutboxQuery& q) const {
  ASSIGN_OR_RETURN(auto tx, db.BeginRead());
  ASSIGN_OR_RETURN(auto st, tx.Prepare("SELECT " + std::string(kColumns) +
                                       " FROM outbox_messages WHERE secretariat_id = ?1 AND "
                                       "channel = ?2 AND (?3 IS NULL OR session_id = ?3) AND "
                                       "(?4 = '' OR event = ?4) AND (?5 IS NULL OR rowid < ?5) "
                                       "ORDER BY rowid DESC LIMIT ?6"));
  st.Bind(1, q.secretariat_id).Bind(2, q.channel).Bind(4, q.event).Bind(6, int64_t{q.limit});
  BindOptionalInt(st, 3, q.session_id);
  BindOptionalInt(st, 5, q.before_seq);
  return AllRows(st, ReadEntry);
}

Result<std::vector<OutboxAttempt>> Outbox::AttemptsOfSubscription(Database& db,
                                                                  int64_t subscription_id,
                                                                  int limit) const {
  ASSIGN_OR_RETURN(auto tx, db.BeginRead());
  ASSIGN_OR_RETURN(auto st, tx.Prepare("SELECT a.message_id, a.attempt, a.at_us, a.ok, a.detail "
                                       "FROM outbox_attempts a JOIN outbox_messages m "
                                       "ON m.id = a.message_id WHERE m.subscription_id = ?1 "
                                       "ORDER BY a.seq DESC LIMIT ?2"));
  st.Bind(1, subscription_id).Bind(2, int64_t{limit});
  return AllRows(st, ReadAttempt);
}

Result<std::vector<OutboxAttempt>> Outbox::AttemptsOf(Database& db, const std::string& id) const {
  ASSIGN_OR_RETURN(auto tx, db.BeginRead());
  ASSIGN_OR_RETURN(auto st, tx.Prepare("SELECT message_id, attempt, at_us, ok, detail FROM "
                                       "outbox_attempts WHERE message_id = ?1 ORDER BY seq"));
  st.Bind(1, id);
  return AllRows(st, ReadAttempt);
}

Result<int64_t> Outbox::Count(Database& db, OutboxState state) const {
  ASSIGN_OR_RETURN(auto tx, db.BeginRead());
  ASSIGN_OR_RETURN(auto st, tx.Prepare("SELECT COUNT(*) FROM outbox_messages WHERE state = ?1"));
  st.Bind(1, OutboxStateName(state));
  ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.ColumnInt(0) : 0;
}

Result<int64_t> Outbox::Cursor(Transaction& tx, std::string_view name) {
  ASSIGN_OR_RETURN(auto st, tx.Prepare("SELECT position FROM outbox_cursors WHERE name = ?1"));
  st.Bind(1, name);
  ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.ColumnInt(0) : 0;
}

Status Outbox::SetCursor(Transaction& tx, std::string_view name, int64_t position) {
  ASSIGN_OR_RETURN(auto st, tx.Prepare("INSERT INTO outbox_cursors(name, position) VALUES (?1, ?2) "
                                       "ON CONFLICT(name) DO UPDATE SET position = excluded.position"));
  return st.Bind(1, name).Bind(2, position).Run();
}

}  // namespace rubrica::store
