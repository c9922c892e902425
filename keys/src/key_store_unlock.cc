// KeyStore: unlocking keys with the signing PIN, the wrong-PIN lock-out, PIN changes.
#include "credential_rows.h"
#include "errors.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/keys/key_store.h"

namespace rubrica::keys {

namespace {

using std::chrono::seconds;

struct PinState {
  int64_t failures = 0;
  Instant locked_until;
};

Result<PinState> LoadPinState(store::Transaction& tx, int64_t id) {
  ASSIGN_OR_RETURN(auto st, tx.Prepare(
      "SELECT failures, locked_until_us FROM keys_pin_state WHERE credential_id = ?"));
  ASSIGN_OR_RETURN(bool row, st.Bind(1, id).Step());
  if (!row) return PinState{};
  return PinState{st.ColumnInt(0), FromUnixMicros(st.ColumnInt(1))};
}

// 0 for the free attempts, then first, 2 x first, 4 x first... capped.
seconds LockoutAfter(int64_t failures, const KeyStoreOptions& o) {
  if (failures < o.free_attempts) return seconds(0);
  seconds lock = o.first_lockout;
  for (int64_t i = o.free_attempts; i < failures && lock < o.max_lockout; ++i) lock *= 2;
  return std::min(lock, o.max_lockout);
}

int64_t CeilSeconds(std::chrono::microseconds d) {
  return (d.count() + 999999) / 1000000;
}

Status Locked(int64_t id, std::chrono::microseconds left, int64_t failures) {
  const int64_t s = CeilSeconds(left);
  return Status::Error(ErrorKind::kRateLimited, "keys.locked",
                       "credential " + std::to_string(id) + " is locked for another " + std::to_string(s) +
                           " s after " + std::to_string(failures) + " wrong PINs",
                       "Demasiados intentos con un PIN incorrecto. Espere " + std::to_string(s) +
                           " segundos para volver a intentarlo.")
      .WithRetryAfter(std::chrono::seconds(s));
}

Status ExternalCredential(int64_t id) {
  return Status::Error(ErrorKind::kConflict, "keys.external_credential",
                       "credential " + std::to_string(id) +
                           " is external: its private key is on the holder's device",
                       "La llave privada de esta credencial está en el dispositivo del titular; "
                       "la firma se hace desde ese dispositivo.");
}

}  // namespace

Result<UnlockedCredential> KeyStore::Unlock(int64_t credential_id, std::string_view pin) {
  return UnlockWithStored(credential_id, pin, nullptr);
}

Result<UnlockedCredential> KeyStore::UnlockWithStored(int64_t credential_id, std::string_view pin,
                                                      std::string* encrypted_key) {
  std::optional<StoredCredential> stored;
  PinState pins;
  {
    ASSIGN_OR_RETURN(auto tx, db_.BeginRead());
    ASSIGN_OR_RETURN(stored, LoadCredential(tx, credential_id));
    if (!stored) return CredentialNotFound(credential_id);
    ASSIGN_OR_RETURN(pins, LoadPinState(tx, credential_id));
  }
  const Credential& c = stored->credential;
  if (c.revocation) return CertificateRevoked(c.certificate, *c.revocation);
  if (c.external || !stored->encrypted_key) return ExternalCredential(credential_id);
  const Instant now = clock_.Now();
  if (now < pins.locked_until) return Locked(credential_id, pins.locked_until - now, pins.failures);
  if (now > c.certificate.NotAfter()) return CertificateExpired(c.certificate, now);
  if (now < c.certificate.NotBefore()) return NotYetValid(c.certificate, now);

  // The slow part (scrypt), outside any transaction.
  auto key = SigningKey::FromEncryptedPkcs8(*stored->encrypted_key, pin);
  if (!key.ok() && key.status().code() != "keys.wrong_password") return key.status();

  ASSIGN_OR_RETURN(auto tx, db_.Begin());
  // Re-read: other attempts may have counted failures meanwhile.
  ASSIGN_OR_RETURN(pins, LoadPinState(tx, credential_id));
  if (!key.ok()) {
    const int64_t failures = pins.failures + 1;
    const seconds lock = LockoutAfter(failures, options_);
    const Instant until = lock.count() > 0 ? clock_.Now() + lock : Instant{};
    {  // ends before Commit (see key_store.cc)
      ASSIGN_OR_RETURN(auto st, tx.Prepare(
          "INSERT INTO keys_pin_state (credential_id, failures, locked_until_us) VALUES (?, ?, ?) "
          "ON CONFLICT (credential_id) DO UPDATE SET failures = excluded.failures, "
          "locked_until_us = excluded.locked_until_us"));
      RETURN_IF_ERROR(st.Bind(1, credential_id).Bind(2, failures).Bind(3, UnixMicros(until)).Run());
    }
    std::string payload = "{\"failures\":" + std::to_string(failures) +
                          ",\"locked_seconds\":" + std::to_string(lock.count()) + "}";
    RETURN_IF_ERROR(audit_.Append(tx, {"holder:" + c.holder_id, "keys.pin_rejected", "credential",
                                       std::to_string(credential_id), payload})
                        .status());
    RETURN_IF_ERROR(tx.Commit());
    const int64_t left = options_.free_attempts - failures;
    std::string en = "wrong PIN for credential " + std::to_string(credential_id) + " (" +
                     std::to_string(failures) + " consecutive)";
    std::string es = "El PIN de firma no es correcto.";
    if (lock.count() > 0) {
      en += "; locked for " + std::to_string(lock.count()) + " s";
      es += " La llave queda bloqueada " + std::to_string(lock.count()) + " segundos.";
    } else {
      en += "; " + std::to_string(left) + " attempts left before a lock-out";
      es += " Quedan " + std::to_string(left) + " intentos antes del bloqueo.";
    }
    return Status::Error(ErrorKind::kRejected, "keys.wrong_pin", en, es);
  }
  if (pins.failures > 0) {
    {
      ASSIGN_OR_RETURN(auto st, tx.Prepare("DELETE FROM keys_pin_state WHERE credential_id = ?"));
      RETURN_IF_ERROR(st.Bind(1, credential_id).Run());
    }
    RETURN_IF_ERROR(audit_.Append(tx, {"holder:" + c.holder_id, "keys.pin_failures_cleared",
                                       "credential", std::to_string(credential_id),
                                       "{\"failures\":" + std::to_string(pins.failures) + "}"})
                        .status());
    RETURN_IF_ERROR(tx.Commit());
  }
  if (!key->Matches(c.certificate)) {
    return Status::Error(ErrorKind::kDataLoss, "keys.credential_corrupt",
                         "credential " + std::to_string(credential_id) +
                             ": the stored key does not match its certificate");
  }
  if (encrypted_key != nullptr) *encrypted_key = *stored->encrypted_key;
  return UnlockedCredential{std::move(stored->credential), std::move(key).value()};
}

Status KeyStore::ChangePin(int64_t credential_id, std::string_view old_pin, std::string_view new_pin,
                           std::string_view actor) {
  RETURN_IF_ERROR(CheckPin(new_pin));
  std::string old_encrypted;
  ASSIGN_OR_RETURN(UnlockedCredential unlocked, UnlockWithStored(credential_id, old_pin, &old_encrypted));
  ASSIGN_OR_RETURN(std::string encrypted, unlocked.key.ToEncryptedPkcs8Pem(new_pin, options_.pin_encryption));
  ASSIGN_OR_RETURN(auto tx, db_.Begin());
  // Compare-and-set: a revocation or another PIN change in between wins.
  {
    ASSIGN_OR_RETURN(auto st, tx.Prepare(
        "UPDATE keys_credentials SET encrypted_key = ? WHERE id = ? AND encrypted_key = ? "
        "AND revoked_us IS NULL"));
    RETURN_IF_ERROR(st.Bind(1, encrypted).Bind(2, credential_id).Bind(3, old_encrypted).Run());
  }
  if (tx.Changes() != 1) {
    return Status::Error(ErrorKind::kConflict, "keys.concurrent_change",
                         "credential " + std::to_string(credential_id) +
                             " changed while its PIN was being changed; try again",
                         "La credencial cambió mientras se cambiaba el PIN; intente de nuevo.");
  }
  RETURN_IF_ERROR(audit_.Append(tx, {std::string(actor), "keys.change_pin", "credential",
                                     std::to_string(credential_id), "{}"})
                      .status());
  return tx.Commit();
}

}  // namespace rubrica::keys
