// KeyStore: the signing credentials of people, kept in SQLite and keyed by an opaque
// `holder_id` chosen by callers ("person:12"); the keys module knows nothing of workflows.
//
// A credential is a certificate bound to a holder, with its chain and, when the server
// holds the key, the private key as encrypted PKCS#8 (PBES2, scrypt,
// KeyStoreOptions::pin_encryption) whose passphrase is HMAC-SHA256(wrap secret, PIN): the
// holder's signing PIN *and* the installation's key-wrap secret, which lives outside the
// database (Installation::key_wrap_secret, from the master secret). A copy of the database
// with the right PIN still cannot decrypt a key. Keys stored before this scheme (PIN only,
// key_wrap = 1) are re-wrapped the first time their PIN unlocks them. Origins:
//   - "local-ca": enrolled here, key generated here, certificate from the local CA;
//   - "pkcs12":   imported from a .p12/.pfx, key re-encrypted under the PIN;
//   - "efirma":   imported from a SAT e.firma (.cer + .key), key re-encrypted under the PIN;
//   - "external": only the certificate (e.g. an e.firma whose key stays on the holder's
//                 device); the signing engine asks the device to sign.
// A private key is decrypted only by Unlock(), for one signing, and never logged. Repeated
// wrong PINs lock the credential for a growing delay (KeyStoreOptions), measured with the
// injected Clock and persisted in SQLite, so a restart does not reset it. Each PIN attempt
// is admitted *before* its scrypt runs, under one lock, counting the attempts still being
// checked: N parallel attempts count as N, so no more attempts than the free ones left are
// ever checked at once. The others wait for those to end (KeyStoreOptions::attempt_wait):
// after right PINs they go on, after wrong ones the lock-out refuses them (keys.locked)
// without trying the PIN. The count of attempts in flight is per process (one process per
// data directory).
//
// Credentials may be prepared (key generated, certificate issued, key encrypted: the slow
// part) and stored later inside the caller's own transaction (Prepare*, Store), so that
// what authorises them (an invitation, a re-enrolment link) is consumed in the same
// transaction: a refused request leaves no key and no certificate behind.
//
// Imports are for signing: the certificate must be valid now (keys.certificate_expired
// "certificate expired on 2021-05-15", keys.not_yet_valid), carry the key given
// (keys.key_certificate_mismatch), allow document signing, and, unless
// KeyStoreOptions::require_trusted_issuer is false, chain to the TrustStore and not be
// revoked (keys.untrusted_issuer, keys.certificate_revoked, ...).
//
// Every state change (enrol, import, register, revoke, PIN change, wrong PIN, lock-out)
// appends to the audit log in the same transaction. Thread-safe: methods may be called
// concurrently; slow work (scrypt, key generation, network) runs outside transactions.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/secret_string.h"
#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/local_ca.h"
#include "rubrica/keys/revocation.h"
#include "rubrica/keys/signing_key.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/store/database.h"

namespace rubrica::keys {

enum class CredentialOrigin { kLocalCa, kPkcs12, kEfirma, kExternal };
/// "local-ca", "pkcs12", "efirma", "external".
std::string_view CredentialOriginName(CredentialOrigin origin);

struct Credential {
  int64_t id = 0;
  std::string holder_id;
  CredentialOrigin origin = CredentialOrigin::kLocalCa;
  /// True when the private key is not held by the server (origin kExternal).
  bool external = false;
  Certificate certificate;
  /// Intermediates then root, as far as known (may be empty for external certificates).
  std::vector<Certificate> chain;
  Instant created_at;
  /// Set once revoked (by the local CA, or disabled here for imported certificates).
  std::optional<RevocationInfo> revocation;
  /// For e.firma credentials: RFC and CURP read from the certificate ("" otherwise).
  std::string rfc;
  std::string curp;
  /// Credentials enrolled at the local CA hold a second certificate on the same key, used
  /// for rubric signatures, so that no certificate appears twice in one acta (Debian 12's
  /// poppler misreports a certificate's second signature in a document; see
  /// docs/pdf-signatures.md). Imported and external credentials have none.
  std::optional<Certificate> rubric_certificate;

  bool active() const { return !revocation.has_value(); }
  /// The certificate to sign a rubric (true) or anything else (false) with.
  const Certificate& CertificateFor(bool rubric) const {
    return rubric && rubric_certificate ? *rubric_certificate : certificate;
  }
};

/// A credential ready to be stored (KeyStore::Prepare*): nothing of it is in the database
/// until KeyStore::Store records it. Dropping it discards it (the encrypted key and the
/// certificate were never recorded nor published).
struct PendingCredential {
  std::string holder_id;
  CredentialOrigin origin = CredentialOrigin::kLocalCa;
  Certificate certificate;
  std::vector<Certificate> chain;
  std::optional<std::string> encrypted_key;  // wrapped under PIN and wrap secret
  std::string rfc;
  std::string curp;
  std::string action;  // audit action ("keys.enrol", ...)
  std::optional<Certificate> rubric_certificate;
};

/// A credential with its private key decrypted, for one signing. Drop it right after.
struct UnlockedCredential {
  Credential credential;
  SigningKey key;
};

struct EnrolRequest {
  std::string holder_id;
  MemberSubject subject;
  /// Default ECDSA P-256.
  KeyAlgorithm algorithm = KeyAlgorithm::kEcdsaP256;
};

struct KeyStoreOptions {
  /// Encryption of keys under PINs. Default scrypt N = 2^14 (~190 ms to unlock); tests may
  /// lower scrypt_log2_n.
  Pkcs8Encryption pin_encryption;
  /// Shortest PIN accepted when a key is encrypted (enrol, import, change). Default 6.
  size_t min_pin_length = 6;
  /// Consecutive wrong PINs allowed before the first lock-out. Default 3.
  int free_attempts = 3;
  /// The first lock-out lasts `first_lockout` (default 30 s); each further wrong PIN
  /// doubles it, up to `max_lockout` (default 1 hour). A right PIN resets the count.
  std::chrono::seconds first_lockout{30};
  std::chrono::seconds max_lockout{3600};
  /// How long a PIN attempt waits for attempts in flight on the same key when they use up
  /// the attempts allowed (keys.attempts_in_progress after that). Default 5 s.
  std::chrono::milliseconds attempt_wait{5000};
  /// Imports and registrations must chain to the TrustStore and not be revoked.
  /// Default true.
  bool require_trusted_issuer = true;
  /// How OCSP queries reach responders when checking imported certificates (not owned;
  /// HttpOcspTransport() for the network). Default none: no query.
  const OcspTransport* ocsp = nullptr;
};

class KeyStore {
 public:
  /// Collaborators are not owned and must outlive the store. The database must have the
  /// "keys" migrations applied. `wrap_secret` (Installation::key_wrap_secret, at least 16
  /// bytes) wraps every member key together with its PIN; without it every operation on a
  /// server-held key fails with keys.no_wrap_secret.
  KeyStore(store::Database& db, const store::AuditLog& audit, const Clock& clock,
           const LocalCa& ca, const TrustStore& trust, SecretString wrap_secret,
           KeyStoreOptions options = {});
  ~KeyStore();

  /// The installation's CA (its CRLs, for verifiers the service runs).
  const LocalCa& ca() const { return ca_; }

  /// Generates a key pair, has the local CA issue the member certificate and the rubric
  /// certificate for that key, encrypts the key under `pin` and stores them. Errors: keys.bad_subject, keys.weak_pin,
  /// keys.validity_outside_ca.
  Result<Credential> Enrol(const EnrolRequest& request, std::string_view pin,
                           std::string_view actor);
  /// Enrol() without storing: the key pair, both certificates and the wrapped key.
  Result<PendingCredential> PrepareEnrol(const EnrolRequest& request, std::string_view pin) const;
  /// RegisterExternal() without storing: the certificate, checked.
  Result<PendingCredential> PrepareExternal(std::string_view holder_id, std::string_view cer_bytes,
                                            const std::vector<Certificate>& chain) const;
  /// Records a prepared credential (and, for the local CA's, its certificates) inside the
  /// caller's write transaction, with its audit entry; returns the new credential's id.
  /// keys.already_registered (kConflict) when the holder has that certificate active.
  Result<int64_t> Store(store::Transaction& tx, const PendingCredential& pending,
                        std::string_view actor) const;

  /// Decrypts the credential's key with `pin`, for one signing. Errors:
  /// keys.credential_not_found (kNotFound), keys.certificate_revoked,
  /// keys.certificate_expired / keys.not_yet_valid (as of now), keys.external_credential
  /// (kConflict: the key is on the holder's device), keys.locked (kRateLimited, the
  /// message says how many seconds to wait), keys.attempts_in_progress (kRateLimited: other
  /// attempts on this key did not end within attempt_wait), keys.wrong_pin (kRejected,
  /// counts towards the lock-out).
  Result<UnlockedCredential> Unlock(int64_t credential_id, std::string_view pin);

  /// Imports a PKCS#12 file; the key is re-encrypted under `pin`. Errors from ReadPkcs12,
  /// the import checks above, keys.weak_pin.
  Result<Credential> ImportPkcs12(std::string_view holder_id, std::string_view p12_bytes,
                                  std::string_view password, std::string_view pin,
                                  std::string_view actor);

  /// Imports a SAT e.firma (.cer + .key + password) whose key the server will hold,
  /// re-encrypted under `pin`. Errors from OpenEfirma, the import checks, keys.weak_pin.
  Result<Credential> ImportEfirma(std::string_view holder_id, std::string_view cer_bytes,
                                  std::string_view key_bytes, std::string_view password,
                                  std::string_view pin, std::string_view actor);

  /// Registers a certificate whose private key stays on the holder's device (an e.firma
  /// used for external signing, or any other). `chain` may be empty. Same import checks.
  Result<Credential> RegisterExternal(std::string_view holder_id, std::string_view cer_bytes,
                                      const std::vector<Certificate>& chain,
                                      std::string_view actor);

  Result<Credential> Get(int64_t credential_id) const;
  /// Every credential of `holder_id`, oldest first (revoked ones included).
  Result<std::vector<Credential>> ListByHolder(std::string_view holder_id) const;
  /// Every credential, oldest first.
  Result<std::vector<Credential>> List() const;
  /// The holders (holder_id, each once, in no particular order) of the credentials, active
  /// or revoked, whose certificate carries `tax_id` as RFC or CURP, compared in capitals.
  /// An index lookup (keys migration 4, kHoldersByTaxIdQuery), never a scan.
  Result<std::vector<std::string>> HoldersWithTaxId(std::string_view tax_id) const;

  /// Revokes a credential: certificates of the local CA are revoked there (and appear in
  /// the next CRL); imported ones are disabled here. The stored private key is erased.
  /// Errors: keys.credential_not_found, keys.already_revoked.
  Result<Credential> Revoke(int64_t credential_id, RevocationReason reason,
                            std::string_view actor);

  /// Re-encrypts the key under `new_pin`. A wrong `old_pin` counts like in Unlock().
  Status ChangePin(int64_t credential_id, std::string_view old_pin, std::string_view new_pin,
                   std::string_view actor);

  /// Whether `pin` unlocks credential `credential_id` (a second factor for the caller):
  /// Unlock() with its admission, counting and lock-out, the key dropped at once.
  Status CheckPinOf(int64_t credential_id, std::string_view pin);

 private:
  class Attempts;  // PIN attempts in flight (key_store_unlock.cc)
  Result<Credential> Insert(const PendingCredential& c, std::string_view actor);
  /// The PKCS#8 passphrase for `pin` under wrapping scheme `wrap` (1: the PIN, 2: HMAC).
  Result<std::string> Passphrase(std::string_view pin, int wrap) const;
  /// Validity now, document-signing usage and (by policy) trust; replaces `chain` with the
  /// validated chain above the certificate.
  Status CheckImport(const Certificate& cert, std::vector<Certificate>& chain) const;
  Status CheckPin(std::string_view pin) const;
  /// Unlock(), also returning the stored encrypted key (for ChangePin).
  Result<UnlockedCredential> UnlockWithStored(int64_t credential_id, std::string_view pin,
                                              std::string* encrypted_key);

  store::Database& db_;
  const store::AuditLog& audit_;
  const Clock& clock_;
  const LocalCa& ca_;
  const TrustStore& trust_;
  const SecretString wrap_secret_;
  KeyStoreOptions options_;
  std::unique_ptr<Attempts> attempts_;
};

}  // namespace rubrica::keys
