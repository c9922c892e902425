#include "rubrica/keys/key_store.h"

#include <cctype>

#include "credential_rows.h"
#include "errors.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/json_writer.h"
#include "rubrica/keys/efirma.h"
#include "rubrica/keys/pkcs12.h"
#include "rubrica/keys/schema.h"

namespace rubrica::keys {

namespace {

std::string ChainPem(const std::vector<Certificate>& chain) {
  std::string pem;
  for (const auto& c : chain) pem += c.ToPem();
  return pem;
}

// The audit entry's fields for a credential, in an object the caller opened and closes.
JsonWriter& AuditFields(JsonWriter& w, int64_t id, std::string_view holder_id,
                        const Certificate& cert, CredentialOrigin origin) {
  return w.Field("credential_id", id)
      .Field("holder_id", holder_id)
      .Field("origin", CredentialOriginName(origin))
      .Field("serial", cert.SerialHex())
      .Field("sha256", cert.FingerprintSha256())
      .Field("subject", cert.SubjectString())
      .Field("issuer", cert.IssuerString())
      .Field("not_after", FormatRfc3339Utc(cert.NotAfter()));
}

std::string AuditPayload(int64_t id, std::string_view holder_id, const Certificate& cert,
                         CredentialOrigin origin) {
  JsonWriter w;
  AuditFields(w.BeginObject(), id, holder_id, cert, origin).EndObject();
  return w.Take();
}

Status BadHolder(std::string_view holder_id) {
  return Status::Error(ErrorKind::kInvalidArgument, "keys.bad_holder",
                       "holder id must be 1 to 200 characters, got '" + std::string(holder_id) + "'",
                       "El identificador del titular no es válido.");
}

}  // namespace

std::string_view CredentialOriginName(CredentialOrigin origin) {
  switch (origin) {
    case CredentialOrigin::kLocalCa: return "local-ca";
    case CredentialOrigin::kPkcs12: return "pkcs12";
    case CredentialOrigin::kEfirma: return "efirma";
    case CredentialOrigin::kExternal: return "external";
  }
  return "external";
}

Result<std::string> KeyStore::Passphrase(std::string_view pin, int wrap) const {
  if (wrap == kWrapPinOnly) return std::string(pin);
  if (wrap != kWrapPinAndSecret) {
    return Status::Error(ErrorKind::kDataLoss, "keys.credential_corrupt",
                         "unknown key wrapping scheme " + std::to_string(wrap));
  }
  if (wrap_secret_.size() < 16) {
    return Status::Error(ErrorKind::kInternal, "keys.no_wrap_secret",
                         "the key store was given no key-wrap secret: member keys cannot be "
                         "wrapped or unwrapped");
  }
  // Hex, so the passphrase is plain ASCII for PKCS#8 whatever bytes the PIN holds.
  std::string mac = HmacSha256(wrap_secret_.view(), pin);
  std::string hex = HexEncode(mac);
  SecureWipe(mac);
  return hex;
}

Status KeyStore::CheckPin(std::string_view pin) const {
  if (pin.size() < options_.min_pin_length) {
    return Status::Error(ErrorKind::kInvalidArgument, "keys.weak_pin",
                         "the signing PIN must have at least " + std::to_string(options_.min_pin_length) +
                             " characters",
                         "El PIN de firma debe tener al menos " + std::to_string(options_.min_pin_length) +
                             " caracteres.");
  }
  return Status::Ok();
}

Status KeyStore::CheckImport(const Certificate& cert, std::vector<Certificate>& chain) const {
  const Instant now = clock_.Now();
  // The certificate's own dates come first: "expired on <date>" is what people can act on.
  if (now > cert.NotAfter()) return CertificateExpired(cert, now);
  if (now < cert.NotBefore()) return NotYetValid(cert, now);
  ValidationOptions v;
  v.time = now;
  v.purpose = Purpose::kDocumentSigning;
  v.ocsp = options_.ocsp;
  if (!options_.require_trusted_issuer) {
    // Usage checks only: the certificate anchors its own one-element chain.
    TrustStore self(clock_);
    self.AddAnchor(cert);
    return self.Validate(cert, {}, v).status;
  }
  ValidationReport report = trust_.Validate(cert, chain, v);
  if (!report.ok()) return report.status;
  chain.assign(report.chain.begin() + 1, report.chain.end());
  return Status::Ok();
}

Result<int64_t> KeyStore::Store(store::Transaction& tx, const PendingCredential& c,
                                std::string_view actor) const {
  const Instant now = clock_.Now();
  // Statements live in blocks that end before the caller commits: Commit releases the
  // database to other threads, and a cached statement must not be reset after that.
  {
    ASSIGN_OR_RETURN(auto dup, tx.Prepare(
        "SELECT id FROM keys_credentials WHERE holder_id = ? AND fingerprint = ? AND revoked_us IS NULL"));
    ASSIGN_OR_RETURN(bool exists, dup.Bind(1, c.holder_id).Bind(2, c.certificate.FingerprintSha256()).Step());
    if (exists) {
      return Status::Error(ErrorKind::kConflict, "keys.already_registered",
                           "certificate " + Describe(c.certificate) + " is already credential " +
                               std::to_string(dup.ColumnInt(0)) + " of " + c.holder_id,
                           "Ese certificado ya está registrado para esta persona.");
    }
  }
  if (c.origin == CredentialOrigin::kLocalCa) {
    RETURN_IF_ERROR(ca_.RecordIssued(tx, c.certificate, "member", c.holder_id));
    if (c.rubric_certificate) {
      RETURN_IF_ERROR(ca_.RecordIssued(tx, *c.rubric_certificate, "member-rubric", c.holder_id));
    }
  }
  {
    ASSIGN_OR_RETURN(auto st, tx.Prepare(
        "INSERT INTO keys_credentials (holder_id, origin, certificate, fingerprint, chain_pem, "
        "encrypted_key, created_us, rfc, curp, rubric_certificate, key_wrap) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    RETURN_IF_ERROR(st.Bind(1, c.holder_id)
                        .Bind(2, CredentialOriginName(c.origin))
                        .BindBlob(3, c.certificate.der())
                        .Bind(4, c.certificate.FingerprintSha256())
                        .Bind(5, ChainPem(c.chain))
                        .BindOptional(6, c.encrypted_key)
                        .Bind(7, UnixMicros(now))
                        .Bind(8, c.rfc)
                        .Bind(9, c.curp)
                        .BindOptional(10, c.rubric_certificate
                                              ? std::optional<std::string>(c.rubric_certificate->der())
                                              : std::nullopt)
                        .Bind(11, int64_t{kWrapPinAndSecret})
                        .Run());
  }
  const int64_t id = tx.LastInsertId();
  RETURN_IF_ERROR(audit_.Append(tx, {std::string(actor), c.action, "credential", std::to_string(id),
                                     AuditPayload(id, c.holder_id, c.certificate, c.origin)})
                      .status());
  return id;
}

Result<Credential> KeyStore::Insert(const PendingCredential& c, std::string_view actor) {
  int64_t id = 0;
  {
    ASSIGN_OR_RETURN(auto tx, db_.Begin());
    ASSIGN_OR_RETURN(id, Store(tx, c, actor));
    RETURN_IF_ERROR(tx.Commit());
  }
  return Get(id);
}

Result<PendingCredential> KeyStore::PrepareEnrol(const EnrolRequest& request,
                                                 std::string_view pin) const {
  if (request.holder_id.empty() || request.holder_id.size() > 200) return BadHolder(request.holder_id);
  RETURN_IF_ERROR(CheckPin(pin));
  RETURN_IF_ERROR(ValidateMemberSubject(request.subject));
  ASSIGN_OR_RETURN(std::string passphrase, Passphrase(pin, kWrapPinAndSecret));
  ASSIGN_OR_RETURN(SigningKey key, SigningKey::Generate(request.algorithm));
  ASSIGN_OR_RETURN(Certificate cert, ca_.IssueMemberCertificate(request.subject, key.PublicKeyInfoDer()));
  ASSIGN_OR_RETURN(Certificate rubric, ca_.IssueMemberCertificate(request.subject, key.PublicKeyInfoDer()));
  auto encrypted = key.ToEncryptedPkcs8Pem(passphrase, options_.pin_encryption);
  SecureWipe(passphrase);
  if (!encrypted.ok()) return encrypted.status();
  return PendingCredential{request.holder_id, CredentialOrigin::kLocalCa, cert, ca_.Chain(),
                           std::move(encrypted).value(), request.subject.rfc, request.subject.curp, "keys.enrol",
                           rubric};
}

Result<Credential> KeyStore::Enrol(const EnrolRequest& request, std::string_view pin,
                                   std::string_view actor) {
  ASSIGN_OR_RETURN(PendingCredential pending, PrepareEnrol(request, pin));
  return Insert(pending, actor);
}

Result<Credential> KeyStore::ImportPkcs12(std::string_view holder_id, std::string_view p12_bytes,
                                          std::string_view password, std::string_view pin,
                                          std::string_view actor) {
  if (holder_id.empty() || holder_id.size() > 200) return BadHolder(holder_id);
  RETURN_IF_ERROR(CheckPin(pin));
  ASSIGN_OR_RETURN(Pkcs12Contents p12, ReadPkcs12(p12_bytes, password));
  std::vector<Certificate> chain = p12.chain;
  RETURN_IF_ERROR(CheckImport(p12.certificate, chain));
  ASSIGN_OR_RETURN(std::string passphrase, Passphrase(pin, kWrapPinAndSecret));
  auto encrypted = p12.key.ToEncryptedPkcs8Pem(passphrase, options_.pin_encryption);
  SecureWipe(passphrase);
  if (!encrypted.ok()) return encrypted.status();
  return Insert({std::string(holder_id), CredentialOrigin::kPkcs12, p12.certificate, chain,
                 std::move(encrypted).value(), "", "", "keys.import_pkcs12"},
                actor);
}

Result<Credential> KeyStore::ImportEfirma(std::string_view holder_id, std::string_view cer_bytes,
                                          std::string_view key_bytes, std::string_view password,
                                          std::string_view pin, std::string_view actor) {
  if (holder_id.empty() || holder_id.size() > 200) return BadHolder(holder_id);
  RETURN_IF_ERROR(CheckPin(pin));
  ASSIGN_OR_RETURN(EfirmaCredential efirma, OpenEfirma(cer_bytes, key_bytes, password));
  std::vector<Certificate> chain;
  RETURN_IF_ERROR(CheckImport(efirma.certificate, chain));
  ASSIGN_OR_RETURN(std::string passphrase, Passphrase(pin, kWrapPinAndSecret));
  auto encrypted = efirma.key.ToEncryptedPkcs8Pem(passphrase, options_.pin_encryption);
  SecureWipe(passphrase);
  if (!encrypted.ok()) return encrypted.status();
  return Insert({std::string(holder_id), CredentialOrigin::kEfirma, efirma.certificate, chain,
                 std::move(encrypted).value(), efirma.info.rfc, efirma.info.curp, "keys.import_efirma"},
                actor);
}

Result<PendingCredential> KeyStore::PrepareExternal(std::string_view holder_id,
                                                    std::string_view cer_bytes,
                                                    const std::vector<Certificate>& chain) const {
  if (holder_id.empty() || holder_id.size() > 200) return BadHolder(holder_id);
  ASSIGN_OR_RETURN(Certificate cert, Certificate::FromDerOrPem(cer_bytes));
  std::vector<Certificate> validated = chain;
  RETURN_IF_ERROR(CheckImport(cert, validated));
  std::string rfc, curp;
  if (auto info = ReadEfirmaCertificate(cert); info.ok()) {
    rfc = info->rfc;
    curp = info->curp;
  }
  return PendingCredential{std::string(holder_id), CredentialOrigin::kExternal, cert, validated,
                           std::nullopt, rfc, curp, "keys.register_external"};
}

Result<Credential> KeyStore::RegisterExternal(std::string_view holder_id, std::string_view cer_bytes,
                                              const std::vector<Certificate>& chain,
                                              std::string_view actor) {
  ASSIGN_OR_RETURN(PendingCredential pending, PrepareExternal(holder_id, cer_bytes, chain));
  return Insert(pending, actor);
}

Result<Credential> KeyStore::Get(int64_t credential_id) const {
  ASSIGN_OR_RETURN(auto tx, db_.BeginRead());
  ASSIGN_OR_RETURN(auto stored, LoadCredential(tx, credential_id));
  if (!stored) return CredentialNotFound(credential_id);
  return std::move(stored->credential);
}

Result<std::vector<Credential>> KeyStore::ListByHolder(std::string_view holder_id) const {
  ASSIGN_OR_RETURN(auto tx, db_.BeginRead());
  return LoadCredentials(tx, std::string(holder_id));
}

Result<std::vector<Credential>> KeyStore::List() const {
  ASSIGN_OR_RETURN(auto tx, db_.BeginRead());
  return LoadCredentials(tx, std::nullopt);
}

Result<std::vector<std::string>> KeyStore::HoldersWithTaxId(std::string_view tax_id) const {
  std::string upper(tax_id);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::vector<std::string> holders;
  if (upper.empty()) return holders;
  ASSIGN_OR_RETURN(auto tx, db_.BeginRead());
  ASSIGN_OR_RETURN(auto st, tx.Prepare(kHoldersByTaxIdQuery));
  st.Bind(1, upper);
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    holders.push_back(st.ColumnText(0));
  }
  return holders;
}

Result<Credential> KeyStore::Revoke(int64_t credential_id, RevocationReason reason,
                                    std::string_view actor) {
  const Instant now = Instant(std::chrono::floor<std::chrono::seconds>(clock_.Now()));
  {
    ASSIGN_OR_RETURN(auto tx, db_.Begin());
    ASSIGN_OR_RETURN(auto stored, LoadCredential(tx, credential_id));
    if (!stored) return CredentialNotFound(credential_id);
    const Credential& c = stored->credential;
    if (c.revocation) {
      return Status::Error(ErrorKind::kConflict, "keys.already_revoked",
                           "credential " + std::to_string(credential_id) + " was already revoked at " +
                               FormatRfc3339Utc(c.revocation->revoked_at),
                           "La credencial ya estaba revocada.");
    }
    std::string source = "key-store";
    if (c.origin == CredentialOrigin::kLocalCa) {
      RETURN_IF_ERROR(ca_.Revoke(tx, c.certificate, reason, now));
      if (c.rubric_certificate) RETURN_IF_ERROR(ca_.Revoke(tx, *c.rubric_certificate, reason, now));
      source = "local-ca";
    }
    // The key of a revoked credential is of no further use; erasing it removes it from
    // later backups too.
    {
      ASSIGN_OR_RETURN(auto st, tx.Prepare(
          "UPDATE keys_credentials SET revoked_us = ?, revocation_reason = ?, revocation_source = ?, "
          "encrypted_key = NULL WHERE id = ?"));
      RETURN_IF_ERROR(st.Bind(1, UnixMicros(now)).Bind(2, static_cast<int64_t>(reason)).Bind(3, source)
                          .Bind(4, credential_id).Run());
    }
    {
      ASSIGN_OR_RETURN(auto pins, tx.Prepare("DELETE FROM keys_pin_state WHERE credential_id = ?"));
      RETURN_IF_ERROR(pins.Bind(1, credential_id).Run());
    }
    JsonWriter payload;
    AuditFields(payload.BeginObject(), credential_id, c.holder_id, c.certificate, c.origin)
        .Field("reason", RevocationReasonName(reason))
        .EndObject();
    RETURN_IF_ERROR(audit_.Append(tx, {std::string(actor), "keys.revoke", "credential",
                                       std::to_string(credential_id), payload.Take()})
                        .status());
    RETURN_IF_ERROR(tx.Commit());
  }
  return Get(credential_id);
}

}  // namespace rubrica::keys
