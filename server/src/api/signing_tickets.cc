#include "signing_tickets.h"

#include "rubrica/base/crypto_util.h"
#include "rubrica/store/write_transaction.h"

namespace rubrica::server::api {

namespace {

Status Used() {
  return Status::Error(ErrorKind::kConflict, "api.ticket_used",
                       "signing ticket was already used",
                       "Esta autorización de firma ya se usó; prepare la firma de nuevo.");
}

}  // namespace

Result<SigningTicket> SigningTickets::Issue(SigningTicket t) {
  t.token = RandomToken(32);
  const Instant now = clock_.Now();
  t.expires_at = now + ttl_;
  RETURN_IF_ERROR(store::WriteTransaction(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("INSERT INTO srv_signing_ticket(token_hash, account_id, "
                                "person_id, acta_id, kind, input_blob_id, approval_round, "
                                "engine_state, created_us, expires_us) VALUES(?,?,?,?,?,?,?,?,?,?)"));
    st.Bind(1, Sha256Hex(t.token))
        .Bind(2, t.account_id)
        .Bind(3, t.person_id)
        .Bind(4, t.acta_id)
        .Bind(5, t.kind)
        .Bind(6, t.input_blob_id)
        .Bind(7, int64_t{t.approval_round})
        .Bind(8, t.engine_state)
        .Bind(9, UnixMicros(now))
        .Bind(10, UnixMicros(t.expires_at));
    return st.Run();
  }));
  return t;
}

Result<SigningTicket> SigningTickets::Find(std::string_view token) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT account_id, person_id, acta_id, kind, input_blob_id, "
                              "approval_round, engine_state, expires_us, used_us FROM "
                              "srv_signing_ticket WHERE token_hash = ?"));
  st.Bind(1, Sha256Hex(token));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return Status::Error(ErrorKind::kNotFound, "api.ticket_unknown", "unknown signing ticket",
                         "La autorización de firma no existe.");
  }
  if (!st.ColumnIsNull(8)) return Used();
  SigningTicket t;
  t.account_id = st.ColumnInt(0);
  t.person_id = st.ColumnInt(1);
  t.acta_id = st.ColumnInt(2);
  t.kind = st.ColumnText(3);
  t.input_blob_id = st.ColumnText(4);
  t.approval_round = static_cast<int>(st.ColumnInt(5));
  t.engine_state = st.ColumnText(6);
  t.expires_at = FromUnixMicros(st.ColumnInt(7));
  if (clock_.Now() > t.expires_at) {
    return Status::Error(ErrorKind::kRejected, "api.ticket_expired",
                         "signing ticket expired at " + FormatRfc3339Utc(t.expires_at),
                         "La autorización de firma venció; prepare la firma de nuevo.");
  }
  return t;
}

Result<SigningTicket> SigningTickets::FindOwn(std::string_view token, int64_t account_id,
                                              int64_t person_id) const {
  ASSIGN_OR_RETURN(SigningTicket t, Find(token));
  if (t.account_id != account_id || t.person_id != person_id) {
    return Status::Error(ErrorKind::kPermissionDenied, "api.ticket_not_yours",
                         "signing ticket of account " + std::to_string(t.account_id) + " presented by account " +
                             std::to_string(account_id),
                         "Esta autorización de firma es de otra persona.");
  }
  return t;
}

Status SigningTickets::MarkUsed(std::string_view token) {
  return store::WriteTransaction(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("UPDATE srv_signing_ticket SET used_us = ? WHERE token_hash = ? "
                                "AND used_us IS NULL"));
    st.Bind(1, UnixMicros(clock_.Now())).Bind(2, Sha256Hex(token));
    RETURN_IF_ERROR(st.Run());
    if (tx.Changes() != 1) return Used();
    return Status::Ok();
  });
}

}  // namespace rubrica::server::api
