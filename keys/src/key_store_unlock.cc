// KeyStore: unlocking keys with the signing PIN, the admission of PIN attempts before the
// slow check, the wrong-PIN lock-out, re-wrapping old keys, PIN changes.
#include <condition_variable>
#include <map>
#include <mutex>

#include "credential_rows.h"
#include "errors.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/keys/key_store.h"

namespace rubrica::keys {

// The PIN attempts being checked right now, per credential. An attempt is admitted, under
// this one mutex, against the failures already recorded *and* the attempts still in
// flight, so a burst of parallel attempts counts as many attempts before any scrypt runs.
class KeyStore::Attempts {
 public:
  class Ticket {
   public:
    Ticket(Attempts* a, int64_t id) : a_(a), id_(id) {}
    Ticket(Ticket&& o) noexcept : a_(o.a_), id_(o.id_) { o.a_ = nullptr; }
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    ~Ticket() {
      if (a_ == nullptr) return;
      {
        std::lock_guard lock(a_->mu_);
        if (--a_->in_flight_[id_] == 0) a_->in_flight_.erase(id_);
      }
      a_->done_.notify_all();
    }

   private:
    Attempts* a_;
    int64_t id_;
  };

  std::mutex& mu() { return mu_; }
  /// Notified whenever an attempt ends.
  std::condition_variable& done() { return done_; }
  /// With mu() held.
  int InFlight(int64_t id) const {
    auto it = in_flight_.find(id);
    return it == in_flight_.end() ? 0 : it->second;
  }
  /// With mu() held.
  Ticket Admit(int64_t id) {
    ++in_flight_[id];
    return Ticket(this, id);
  }

 private:
  std::mutex mu_;
  std::condition_variable done_;
  std::map<int64_t, int> in_flight_;
};

KeyStore::KeyStore(store::Database& db, const store::AuditLog& audit, const Clock& clock,
                   const LocalCa& ca, const TrustStore& trust, SecretString wrap_secret,
                   KeyStoreOptions options)
    : db_(db),
      audit_(audit),
      clock_(clock),
      ca_(ca),
      trust_(trust),
      wrap_secret_(std::move(wrap_secret)),
      options_(std::move(options)),
      attempts_(std::make_unique<Attempts>()) {}

KeyStore::~KeyStore() = default;

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

Status InFlightRefusal(int64_t id, int in_flight) {
  return Status::Error(ErrorKind::kRateLimited, "keys.attempts_in_progress",
                       "credential " + std::to_string(id) + ": " + std::to_string(in_flight) +
                           " PIN attempt(s) still being checked use up the attempts allowed now",
                       "Hay otros intentos con su PIN en curso. Espere unos segundos para volver a "
                       "intentarlo.")
      .WithRetryAfter(std::chrono::seconds(2));
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
  std::optional<Attempts::Ticket> ticket;
  {
    // Admission: the recorded failures and the attempts in flight, read and counted under
    // one lock, before the slow part. An attempt that would go past what is allowed waits
    // (a few seconds at most) for those in flight to end: if they were right, it goes on;
    // if they were wrong, the lock-out they caused refuses it.
    std::unique_lock admission(attempts_->mu());
    const auto deadline = std::chrono::steady_clock::now() + options_.attempt_wait;
    for (;;) {
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
      const int in_flight = attempts_->InFlight(credential_id);
      // Within the free attempts, as many at once as are left; past them (a lock-out just
      // ended), one at a time.
      const bool admitted = pins.failures >= options_.free_attempts
                                ? in_flight == 0
                                : pins.failures + in_flight < options_.free_attempts;
      if (admitted) break;
      if (attempts_->done().wait_until(admission, deadline) == std::cv_status::timeout) {
        return InFlightRefusal(credential_id, attempts_->InFlight(credential_id));
      }
    }
    ticket.emplace(attempts_->Admit(credential_id));
  }
  const Credential& c = stored->credential;

  // The slow part (scrypt), outside any transaction and any lock.
  ASSIGN_OR_RETURN(std::string passphrase, Passphrase(pin, stored->key_wrap));
  auto key = SigningKey::FromEncryptedPkcs8(*stored->encrypted_key, passphrase);
  SecureWipe(passphrase);
  if (!key.ok() && key.status().code() != "keys.wrong_password") return key.status();

  ASSIGN_OR_RETURN(auto tx, db_.Begin());
  // Re-read: other attempts may have counted failures meanwhile.
  ASSIGN_OR_RETURN(PinState pins, LoadPinState(tx, credential_id));
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
  if (!key->Matches(c.certificate)) {
    return Status::Error(ErrorKind::kDataLoss, "keys.credential_corrupt",
                         "credential " + std::to_string(credential_id) +
                             ": the stored key does not match its certificate");
  }
  bool wrote = false;
  if (pins.failures > 0) {
    {
      ASSIGN_OR_RETURN(auto st, tx.Prepare("DELETE FROM keys_pin_state WHERE credential_id = ?"));
      RETURN_IF_ERROR(st.Bind(1, credential_id).Run());
    }
    RETURN_IF_ERROR(audit_.Append(tx, {"holder:" + c.holder_id, "keys.pin_failures_cleared",
                                       "credential", std::to_string(credential_id),
                                       "{\"failures\":" + std::to_string(pins.failures) + "}"})
                        .status());
    wrote = true;
  }
  std::string current_key = *stored->encrypted_key;
  if (stored->key_wrap != kWrapPinAndSecret) {
    // A key from before the outside secret: wrapped again, now that the PIN is at hand,
    // with the PIN and the secret (compare-and-set: a concurrent change wins).
    ASSIGN_OR_RETURN(std::string passphrase2, Passphrase(pin, kWrapPinAndSecret));
    auto rewrapped = key->ToEncryptedPkcs8Pem(passphrase2, options_.pin_encryption);
    SecureWipe(passphrase2);
    if (!rewrapped.ok()) return rewrapped.status();
    {
      ASSIGN_OR_RETURN(auto st, tx.Prepare(
          "UPDATE keys_credentials SET encrypted_key = ?, key_wrap = ? WHERE id = ? AND "
          "encrypted_key = ? AND revoked_us IS NULL"));
      RETURN_IF_ERROR(st.Bind(1, *rewrapped).Bind(2, int64_t{kWrapPinAndSecret}).Bind(3, credential_id)
                          .Bind(4, *stored->encrypted_key).Run());
    }
    if (tx.Changes() == 1) {
      current_key = *rewrapped;
      RETURN_IF_ERROR(audit_.Append(tx, {"holder:" + c.holder_id, "keys.rewrapped", "credential",
                                         std::to_string(credential_id), "{\"key_wrap\":2}"})
                          .status());
      wrote = true;
    }
  }
  if (wrote) RETURN_IF_ERROR(tx.Commit());
  if (encrypted_key != nullptr) *encrypted_key = current_key;
  return UnlockedCredential{std::move(stored->credential), std::move(key).value()};
}

Status KeyStore::CheckPinOf(int64_t credential_id, std::string_view pin) {
  return Unlock(credential_id, pin).status();
}

Status KeyStore::ChangePin(int64_t credential_id, std::string_view old_pin, std::string_view new_pin,
                           std::string_view actor) {
  RETURN_IF_ERROR(CheckPin(new_pin));
  std::string old_encrypted;
  ASSIGN_OR_RETURN(UnlockedCredential unlocked, UnlockWithStored(credential_id, old_pin, &old_encrypted));
  ASSIGN_OR_RETURN(std::string passphrase, Passphrase(new_pin, kWrapPinAndSecret));
  auto reencrypted = unlocked.key.ToEncryptedPkcs8Pem(passphrase, options_.pin_encryption);
  SecureWipe(passphrase);
  if (!reencrypted.ok()) return reencrypted.status();
  const std::string& encrypted = *reencrypted;
  ASSIGN_OR_RETURN(auto tx, db_.Begin());
  // Compare-and-set: a revocation or another PIN change in between wins.
  {
    ASSIGN_OR_RETURN(auto st, tx.Prepare(
        "UPDATE keys_credentials SET encrypted_key = ?, key_wrap = ? WHERE id = ? AND "
        "encrypted_key = ? AND revoked_us IS NULL"));
    RETURN_IF_ERROR(st.Bind(1, encrypted).Bind(2, int64_t{kWrapPinAndSecret}).Bind(3, credential_id)
                        .Bind(4, old_encrypted).Run());
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
