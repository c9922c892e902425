#include "reenrolments.h"

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/json_writer.h"
#include "rubrica/store/write_transaction.h"

namespace rubrica::server::api {

namespace {

Status LinkInvalid() {
  return Status::Error(ErrorKind::kRejected, "api.reenrolment_invalid",
                       "re-enrolment link unknown, used, expired or another account's",
                       "El enlace para registrar de nuevo su firma no es válido, ya se usó o venció. "
                       "Pida uno nuevo a la persona facilitadora o a la administración.");
}

}  // namespace

Result<Reenrolment> Reenrolments::Issue(std::string_view actor, const Account& account) {
  if (!account.person_id) {
    return Status::Error(ErrorKind::kRejected, "api.not_a_person",
                         "account " + std::to_string(account.id) + " is not a person's account",
                         "Sólo las cuentas de personas tienen credenciales de firma.");
  }
  const Instant now = clock_.Now();
  Reenrolment link{account.id, *account.person_id, RandomToken(32), now + ttl_};
  RETURN_IF_ERROR(store::WriteTransaction(db_, [&](store::Transaction& tx) -> Status {
    {
      // Only the newest link works.
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("UPDATE srv_reenrolment SET used_us = ? WHERE account_id = ? AND "
                                  "used_us IS NULL"));
      st.Bind(1, UnixMicros(now)).Bind(2, account.id);
      RETURN_IF_ERROR(st.Run());
    }
    {
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("INSERT INTO srv_reenrolment(token_hash, account_id, person_id, "
                                  "issued_by, created_us, expires_us) VALUES(?,?,?,?,?,?)"));
      st.Bind(1, Sha256Hex(link.token))
          .Bind(2, account.id)
          .Bind(3, link.person_id)
          .Bind(4, actor)
          .Bind(5, UnixMicros(now))
          .Bind(6, UnixMicros(link.expires_at));
      RETURN_IF_ERROR(st.Run());
    }
    JsonWriter payload;
    payload.BeginObject()
        .Field("person_id", link.person_id)
        .Field("expires_at", FormatRfc3339Utc(link.expires_at))
        .EndObject();
    return audit_
        .Append(tx, {std::string(actor), "account.reenrolment_issued", "account",
                     std::to_string(account.id), payload.Take()})
        .status();
  }));
  return link;
}

Result<Reenrolment> Reenrolments::Peek(std::string_view token, int64_t account_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT account_id, person_id, expires_us, used_us FROM "
                              "srv_reenrolment WHERE token_hash = ?"));
  st.Bind(1, Sha256Hex(token));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row || st.ColumnInt(0) != account_id || !st.ColumnIsNull(3) ||
      clock_.Now() > FromUnixMicros(st.ColumnInt(2))) {
    return LinkInvalid();
  }
  return Reenrolment{account_id, st.ColumnInt(1), "", FromUnixMicros(st.ColumnInt(2))};
}

Status Reenrolments::Consume(store::Transaction& tx, std::string_view token,
                             int64_t account_id) const {
  const Instant now = clock_.Now();
  {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("UPDATE srv_reenrolment SET used_us = ? WHERE token_hash = ? AND "
                                "account_id = ? AND used_us IS NULL AND expires_us >= ?"));
    st.Bind(1, UnixMicros(now)).Bind(2, Sha256Hex(token)).Bind(3, account_id).Bind(4, UnixMicros(now));
    RETURN_IF_ERROR(st.Run());
    if (tx.Changes() != 1) return LinkInvalid();
  }
  return audit_
      .Append(tx, {"account:" + std::to_string(account_id), "account.reenrolment_used", "account",
                   std::to_string(account_id), "{}"})
      .status();
}

}  // namespace rubrica::server::api
