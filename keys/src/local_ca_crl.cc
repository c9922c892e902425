// LocalCa: revocation records and the CRLs built from them.
#include <openssl/x509v3.h>

#include "errors.h"
#include "local_ca_impl.h"
#include "openssl_util.h"

namespace rubrica::keys {

namespace {

using AsnTimePtr = OsslPtr<ASN1_TIME, ASN1_TIME_free>;
using AsnIntPtr = OsslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;

struct RevokedRow {
  std::string serial_hex;
  Instant at;
  int reason = 0;
};

Status CrlFailed(const std::string& what) {
  return Internal("keys.crl_failed", "cannot build the CRL: " + what + ": " + OpenSslErrors());
}

AsnIntPtr SerialFromHex(const std::string& hex) {
  BIGNUM* bn = nullptr;
  if (BN_hex2bn(&bn, hex.c_str()) == 0) return nullptr;
  AsnIntPtr out(BN_to_ASN1_INTEGER(bn, nullptr));
  BN_free(bn);
  return out;
}

Result<std::string> BuildCrl(const Certificate& issuer, const SigningKey& issuer_key,
                             const std::vector<RevokedRow>& rows, int64_t number, Instant now,
                             std::chrono::seconds validity) {
  CrlPtr crl(X509_CRL_new());
  X509* ca = static_cast<X509*>(issuer.native_handle());
  AsnTimePtr last(ASN1_TIME_set(nullptr, ToTimeT(now)));
  AsnTimePtr next(ASN1_TIME_set(nullptr, ToTimeT(now + validity)));
  if (!crl || !last || !next || X509_CRL_set_version(crl.get(), 1) != 1 ||
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca)) != 1 ||
      X509_CRL_set1_lastUpdate(crl.get(), last.get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl.get(), next.get()) != 1) {
    return CrlFailed("header");
  }
  for (const RevokedRow& row : rows) {
    OsslPtr<X509_REVOKED, X509_REVOKED_free> rev(X509_REVOKED_new());
    AsnIntPtr serial = SerialFromHex(row.serial_hex);
    AsnTimePtr when(ASN1_TIME_set(nullptr, ToTimeT(row.at)));
    if (!rev || !serial || !when || X509_REVOKED_set_serialNumber(rev.get(), serial.get()) != 1 ||
        X509_REVOKED_set_revocationDate(rev.get(), when.get()) != 1) {
      return CrlFailed("entry " + row.serial_hex);
    }
    // RFC 5280 §5.3.1: omit the reason code rather than use unspecified.
    if (row.reason != 0) {
      OsslPtr<ASN1_ENUMERATED, ASN1_ENUMERATED_free> code(ASN1_ENUMERATED_new());
      if (!code || ASN1_ENUMERATED_set(code.get(), row.reason) != 1 ||
          X509_REVOKED_add1_ext_i2d(rev.get(), NID_crl_reason, code.get(), 0, 0) != 1) {
        return CrlFailed("reason of " + row.serial_hex);
      }
    }
    if (X509_CRL_add0_revoked(crl.get(), rev.get()) != 1) return CrlFailed("add entry");
    rev.release();
  }
  X509_CRL_sort(crl.get());
  AsnIntPtr crl_number(ASN1_INTEGER_new());
  if (!crl_number || ASN1_INTEGER_set_int64(crl_number.get(), number) != 1 ||
      X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, crl_number.get(), 0, 0) != 1) {
    return CrlFailed("CRL number");
  }
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, ca, nullptr, nullptr, crl.get(), 0);
  X509_EXTENSION* aki = X509V3_EXT_conf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always");
  const bool aki_ok = aki != nullptr && X509_CRL_add_ext(crl.get(), aki, -1) == 1;
  X509_EXTENSION_free(aki);
  if (!aki_ok) return CrlFailed("authority key identifier");
  if (X509_CRL_sign(crl.get(), static_cast<EVP_PKEY*>(issuer_key.native_handle()), EVP_sha256()) <= 0) {
    return CrlFailed("signature");
  }
  return ToDer(crl.get(), i2d_X509_CRL);
}

}  // namespace

Status LocalCa::Revoke(store::Transaction& tx, const Certificate& cert, RevocationReason reason,
                       Instant at) const {
  const std::string issuer = impl_->IssuerRoleOf(cert);
  ASSIGN_OR_RETURN(auto st, tx.Prepare(
      "SELECT revoked_us FROM keys_issued WHERE issuer = ? AND serial = ?"));
  ASSIGN_OR_RETURN(bool found, st.Bind(1, issuer).Bind(2, cert.SerialHex()).Step());
  if (issuer.empty() || !found) {
    return Status::Error(ErrorKind::kNotFound, "keys.not_issued_here",
                         "certificate " + Describe(cert) + " is not recorded as issued by this local CA",
                         "El certificado no fue emitido por la autoridad certificadora local.");
  }
  if (!st.ColumnIsNull(0)) {
    return Status::Error(ErrorKind::kConflict, "keys.already_revoked",
                         "certificate " + Describe(cert) + " was already revoked at " +
                             FormatRfc3339Utc(FromUnixMicros(st.ColumnInt(0))),
                         "El certificado ya estaba revocado.");
  }
  ASSIGN_OR_RETURN(auto up, tx.Prepare(
      "UPDATE keys_issued SET revoked_us = ?, revocation_reason = ? WHERE issuer = ? AND serial = ?"));
  // CRL dates have one-second resolution; the record keeps the same instant.
  const Instant when = Instant(std::chrono::floor<std::chrono::seconds>(at));
  return up.Bind(1, UnixMicros(when))
      .Bind(2, static_cast<int64_t>(reason))
      .Bind(3, issuer)
      .Bind(4, cert.SerialHex())
      .Run();
}

Result<std::optional<RevocationInfo>> LocalCa::RevocationOf(const Certificate& cert) const {
  const std::string issuer = impl_->IssuerRoleOf(cert);
  ASSIGN_OR_RETURN(auto tx, impl_->db.BeginRead());
  ASSIGN_OR_RETURN(auto st, tx.Prepare(
      "SELECT revoked_us, revocation_reason FROM keys_issued WHERE issuer = ? AND serial = ? "
      "AND revoked_us IS NOT NULL"));
  ASSIGN_OR_RETURN(bool found, st.Bind(1, issuer).Bind(2, cert.SerialHex()).Step());
  if (!found) return std::optional<RevocationInfo>();
  return std::optional<RevocationInfo>(RevocationInfo{
      FromUnixMicros(st.ColumnInt(0)), RevocationReasonFromCode(static_cast<int>(st.ColumnInt(1))),
      "local-ca"});
}

Result<std::string> LocalCa::Impl::Crl(const std::string& issuer_role, Instant since) const {
  std::lock_guard<std::mutex> lock(crl_mu);
  const Instant now = clock.Now();
  std::vector<RevokedRow> rows;
  {
    ASSIGN_OR_RETURN(auto tx, db.BeginRead());
    ASSIGN_OR_RETURN(auto st, tx.Prepare(
        "SELECT serial, revoked_us, revocation_reason FROM keys_issued "
        "WHERE issuer = ? AND revoked_us IS NOT NULL"));
    st.Bind(1, issuer_role);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      rows.push_back({st.ColumnText(0), FromUnixMicros(st.ColumnInt(1)), static_cast<int>(st.ColumnInt(2))});
    }
  }
  CrlCache& cache = crls[issuer_role];
  if (!cache.der.empty() && cache.revoked == rows.size() && now >= cache.this_update &&
      cache.this_update >= since && now < cache.this_update + options.crl_validity / 2) {
    return cache.der;
  }
  int64_t number = 0;
  {
    ASSIGN_OR_RETURN(auto tx, db.Begin());
    {  // statements end before Commit, which hands the connection to other threads
      ASSIGN_OR_RETURN(auto bump, tx.Prepare(
          "UPDATE keys_ca_state SET value = CAST(value AS INTEGER) + 1 WHERE name = 'crl_number'"));
      RETURN_IF_ERROR(bump.Run());
      ASSIGN_OR_RETURN(auto st, tx.Prepare("SELECT CAST(value AS INTEGER) FROM keys_ca_state "
                                           "WHERE name = 'crl_number'"));
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return Internal("keys.ca_corrupt", "the local CA has no CRL number");
      number = st.ColumnInt(0);
    }
    RETURN_IF_ERROR(tx.Commit());
  }
  const CaRole& issuer = issuer_role == "root" ? root : issuing;
  ASSIGN_OR_RETURN(SigningKey key, Unlock(issuer));
  const Instant this_update = Instant(std::chrono::floor<std::chrono::seconds>(now));
  ASSIGN_OR_RETURN(std::string der, BuildCrl(issuer.cert, key, rows, number, this_update,
                                             options.crl_validity));
  cache = CrlCache{der, this_update, rows.size()};
  return der;
}

Result<std::string> LocalCa::CurrentCrl() const { return impl_->Crl("issuing"); }

Result<std::vector<std::string>> LocalCa::CrlsIssuedSince(Instant since) const {
  const Instant second =
      since == Instant::min() ? since : Instant(std::chrono::floor<std::chrono::seconds>(since));
  std::vector<std::string> crls;
  for (const char* role : {"root", "issuing"}) {
    ASSIGN_OR_RETURN(std::string der, impl_->Crl(role, second));
    crls.push_back(std::move(der));
  }
  return crls;
}

Result<std::vector<std::string>> LocalCa::CurrentCrls() const { return CrlsIssuedSince(Instant::min()); }

Result<std::optional<std::string>> LocalCa::CrlFor(const Certificate& issuer) const {
  if (issuer == impl_->issuing.cert) {
    ASSIGN_OR_RETURN(std::string der, impl_->Crl("issuing"));
    return std::optional<std::string>(std::move(der));
  }
  if (issuer == impl_->root.cert) {
    ASSIGN_OR_RETURN(std::string der, impl_->Crl("root"));
    return std::optional<std::string>(std::move(der));
  }
  return std::optional<std::string>();
}

}  // namespace rubrica::keys
