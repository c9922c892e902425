// LocalCa: the installation's own certification authority (the embedded default).
//
// Created once per installation: a self-signed root and an issuing CA under it. The issuing
// CA issues
//   - member certificates (titulares, suplentes, facilitator): subject CN = name,
//     O = secretariat, title = seat/role, emailAddress, optional serialNumber = CURP and
//     x500UniqueIdentifier = RFC (where the SAT e.firma carries them), C;
//     keyUsage digitalSignature + nonRepudiation (critical); extendedKeyUsage
//     documentSigning (1.3.6.1.5.5.7.3.36) + emailProtection; validity = the term given;
//     CRL distribution point = LocalCaOptions::crl_url;
//   - the embedded TSA's certificate: extendedKeyUsage timeStamping (critical), keyUsage
//     digitalSignature + nonRepudiation (critical);
//   - the secretariat's seal certificate (certifies approved actas): CN = "Sello del
//     <secretariat>", O = secretariat, keyUsage digitalSignature + nonRepudiation,
//     extendedKeyUsage documentSigning + emailProtection (NSS validates PDF signers as
//     e-mail signers).
// Every certificate has a random 128-bit serial and subject/authority key identifiers.
//
// Storage: tables of the "keys" component (keys/schema.h). The four private keys (root,
// issuing, TSA, seal) are stored as encrypted PKCS#8 under a password derived from the
// installation master secret (master_secret.h); they are decrypted only for one operation
// and dropped. Issued certificates and revocations are recorded, and the issuing CA
// publishes a CRL (DER) listing every revoked serial with its time and reason.
//
// Thread safety: all methods are thread-safe. Methods taking a Transaction run inside the
// caller's transaction; the others open their own short ones (never call them while holding
// a transaction on the same thread). Slow work (key decryption, signing) happens outside
// transactions.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/revocation.h"
#include "rubrica/keys/signing_key.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/store/database.h"

namespace rubrica::keys {

struct LocalCaOptions {
  /// The secretariat this installation serves: O of every certificate (1 to 64
  /// characters, the X.520 bound) and the seal's CN "Sello del <secretariat>" (shortened
  /// to fit 64 characters: "Secretariado Técnico Municipal" -> "STM"). Used when the CA is
  /// created; later opens keep the stored name unless `rename_unused`.
  /// Default "Secretariado Técnico Local de Gobierno Abierto".
  std::string secretariat = "Secretariado Técnico Local de Gobierno Abierto";
  /// When the stored name differs from `secretariat` and the CA has issued no member
  /// certificate yet, create the hierarchy anew under the new name (new root, new trust
  /// anchor; audited "keys.ca_renamed"). Once a member certificate exists:
  /// keys.ca_in_use (kConflict). Default false (the stored name is kept).
  bool rename_unused = false;
  /// C of every subject. Default "MX".
  std::string country = "MX";
  /// Key type of the root, issuing CA, TSA and seal keys. Default ECDSA P-256.
  KeyAlgorithm algorithm = KeyAlgorithm::kEcdsaP256;
  /// Full URL of the issuing CA's CRL, written as the CRL distribution point of the
  /// certificates it issues from now on. Empty (default): no CRL distribution point.
  std::string crl_url;
  /// nextUpdate - thisUpdate of published CRLs. Default 7 days.
  std::chrono::seconds crl_validity = std::chrono::hours(24 * 7);
  /// Validity of the root and of the issuing CA from creation. Defaults 20 and 12 years.
  std::chrono::seconds root_validity = std::chrono::days(365 * 20 + 5);
  std::chrono::seconds issuing_validity = std::chrono::days(365 * 12 + 3);
  /// Validity of the TSA and seal certificates. Default 5 years. Ensure() and
  /// RotateServiceCertificates() issue successors (with new keys) when less than
  /// `renew_before` is left. Default 366 days: at least the archive's renewal margin
  /// (`archive.renewal_margin_days`, default 365), so that a renewed seal is stamped by a
  /// TSA certificate that is not itself due.
  std::chrono::seconds service_validity = std::chrono::days(365 * 5 + 1);
  std::chrono::seconds renew_before = std::chrono::days(366);
  /// scrypt cost of the installation keys' encryption. The password is derived from a
  /// 256-bit random secret, so the work factor adds no security; it stays low (2^10, a few
  /// milliseconds) because the TSA key is unlocked for every timestamp.
  int scrypt_log2_n = 10;
};

/// The subject and term of a member certificate.
struct MemberSubject {
  std::string name;   // CN, required, e.g. "Ana Martínez Ruiz" (fictional)
  std::string role;   // title, required, e.g. "Titular de sociedad civil"
  std::string email;  // emailAddress, required
  std::string curp;   // serialNumber, optional; 18 characters when given
  Instant not_before;  // the term; inside the issuing CA's validity
  Instant not_after;
  /// x500UniqueIdentifier (2.5.4.45, where the SAT's e.firma carries it), optional: the
  /// member's RFC, 12 or 13 characters (e.g. VACE750315AB1), so that an archive search by
  /// RFC finds what they signed.
  std::string rfc;
};

/// Checks a member subject; keys.bad_subject (kInvalidArgument) naming the field.
Status ValidateMemberSubject(const MemberSubject& subject);

/// CN of the seal certificate: "Sello del <secretariat>", the secretariat's long form
/// shortened ("Secretariado Técnico Municipal" -> "STM") and then cut to 64 characters.
std::string SealCommonName(const std::string& secretariat);

class LocalCa final : public CrlSource {
 public:
  /// Loads the installation's CA, creating the root, issuing CA, TSA and seal certificates
  /// and keys when missing (each creation audited as "keys.ca_created", actor "system"),
  /// and renewing the TSA/seal certificates near their end. Idempotent. `*created` (when
  /// given) tells whether the root was created by this call. Fails with
  /// keys.master_secret_mismatch (kDataLoss) when `master_secret` does not decrypt the
  /// stored keys. The database must have the "keys" migrations applied.
  static Result<std::unique_ptr<LocalCa>> Ensure(store::Database& db, const store::AuditLog& audit,
                                                 const Clock& clock, std::string_view master_secret,
                                                 const LocalCaOptions& options,
                                                 bool* created = nullptr);
  /// Like Ensure() for an existing CA (it may renew the TSA/seal certificates);
  /// keys.no_local_ca (kNotFound) when none was created.
  static Result<std::unique_ptr<LocalCa>> Open(store::Database& db, const store::AuditLog& audit,
                                               const Clock& clock, std::string_view master_secret,
                                               const LocalCaOptions& options);
  ~LocalCa() override;
  LocalCa(const LocalCa&) = delete;
  LocalCa& operator=(const LocalCa&) = delete;

  const Certificate& root() const;
  const Certificate& issuing() const;
  /// The current TSA and seal certificates.
  Certificate tsa_certificate() const;
  Certificate seal_certificate() const;
  /// Issuing CA then root: the chain to embed after a certificate this CA issued.
  std::vector<Certificate> Chain() const;
  /// Root then issuing CA, PEM: what trust/ca.pem contains.
  std::string TrustAnchorPem() const;
  /// The secretariat name stored at creation.
  const std::string& secretariat() const;

  /// Issues the successor of the TSA and of the seal certificate when less than
  /// LocalCaOptions::renew_before is left (as Ensure() does at start-up), for a service
  /// that runs across that date; later calls of tsa_certificate(), UnlockTsaKey()... use
  /// the new ones, the old certificates stay recorded. Returns whether any was issued.
  /// Errors: keys.ca_expired (kConflict) when the issuing CA ends first; the database's.
  Result<bool> RotateServiceCertificates();

  /// The TSA / seal private key, decrypted for one use. The caller drops it after use.
  Result<SigningKey> UnlockTsaKey() const;
  Result<SigningKey> UnlockSealKey() const;

  /// Signs a member certificate for the public key `public_key_info_der` (DER
  /// SubjectPublicKeyInfo), valid for the subject's term; a term that began before the
  /// issuing CA existed starts with it. Does not record it: call RecordIssued in the
  /// transaction that stores what the certificate is for. Errors: keys.bad_subject,
  /// keys.bad_public_key, keys.validity_outside_ca (the term ends after the issuing CA, or
  /// before it began).
  Result<Certificate> IssueMemberCertificate(const MemberSubject& subject,
                                             std::string_view public_key_info_der) const;
  /// Records a certificate this CA issued (role "member", "tsa", "seal"...), for revocation.
  Status RecordIssued(store::Transaction& tx, const Certificate& cert, std::string_view role,
                      std::string_view holder_id) const;
  /// Revokes a certificate this CA issued, as of `at`. keys.not_issued_here (kNotFound)
  /// when unknown, keys.already_revoked (kConflict) when revoked before. The next CRL lists
  /// it. The caller appends the audit entry in the same transaction.
  Status Revoke(store::Transaction& tx, const Certificate& cert, RevocationReason reason,
                Instant at) const;
  /// The revocation recorded for `cert`, if any.
  Result<std::optional<RevocationInfo>> RevocationOf(const Certificate& cert) const;

  /// The current CRL of the issuing CA (DER): regenerated (with the next CRL number) when a
  /// revocation was recorded since the last one or half its validity has passed.
  Result<std::string> CurrentCrl() const;
  /// The CRLs of both CAs (DER; the root's, which covers the issuing CA, then the issuing
  /// CA's), each issued at or after `since` (regenerated when the current one is older):
  /// what an archive seal embeds, so that it shows the status after the last signature it
  /// protects to a verifier who trusts the root alone. CRL times have one-second
  /// resolution: `since` is rounded down.
  Result<std::vector<std::string>> CrlsIssuedSince(Instant since) const;
  /// The current CRLs of both CAs (the root's, then the issuing CA's), for verifiers.
  Result<std::vector<std::string>> CurrentCrls() const;
  /// CrlSource: the current CRL when `issuer` is this installation's issuing CA.
  Result<std::optional<std::string>> CrlFor(const Certificate& issuer) const override;

 private:
  struct Impl;
  explicit LocalCa(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace rubrica::keys
