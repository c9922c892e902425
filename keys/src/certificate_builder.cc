#include "certificate_builder.h"

#include <openssl/bn.h>
#include <openssl/x509v3.h>

#include "errors.h"
#include "openssl_util.h"

namespace rubrica::keys {

namespace {

Status AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str());
  if (ext == nullptr) {
    return Internal("keys.issue_failed", "cannot encode extension " + std::string(OBJ_nid2sn(nid)) +
                                             "='" + value + "': " + OpenSslErrors());
  }
  int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  if (ok != 1) return Internal("keys.issue_failed", "cannot add extension: " + OpenSslErrors());
  return Status::Ok();
}

Status SetRandomSerial(X509* cert) {
  // 127 random bits with the top one set: 16 bytes, positive, never zero (RFC 5280 §4.1.2.2
  // allows up to 20 octets and asks for unpredictability).
  OsslPtr<BIGNUM, BN_free> bn(BN_new());
  if (!bn || BN_rand(bn.get(), 127, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) == nullptr) {
    return Internal("keys.issue_failed", "cannot draw a serial number: " + OpenSslErrors());
  }
  return Status::Ok();
}

}  // namespace

Result<Certificate> SignCertificate(const CertificateSpec& spec,
                                    std::string_view subject_public_key_der,
                                    const std::optional<Certificate>& issuer,
                                    const SigningKey& issuer_key) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(subject_public_key_der.data());
  PkeyPtr subject_key(d2i_PUBKEY(nullptr, &p, static_cast<long>(subject_public_key_der.size())));
  if (!subject_key) {
    ERR_clear_error();
    return Status::Error(ErrorKind::kInvalidArgument, "keys.bad_public_key",
                         "the subject public key is not a DER SubjectPublicKeyInfo");
  }
  X509Ptr cert(X509_new());
  X509_NAME* name = X509_get_subject_name(cert.get());
  for (const auto& [field, value] : spec.subject) {
    if (X509_NAME_add_entry_by_txt(name, field.c_str(), MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.data()),
                                   static_cast<int>(value.size()), -1, 0) != 1) {
      ERR_clear_error();
      return BadSubject(field, "value not accepted ('" + value + "')");
    }
  }
  X509* issuer_x509 = issuer ? static_cast<X509*>(issuer->native_handle()) : cert.get();
  if (X509_set_version(cert.get(), 2) != 1 ||
      X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer_x509)) != 1 ||
      ASN1_TIME_set(X509_getm_notBefore(cert.get()), ToTimeT(spec.not_before)) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), ToTimeT(spec.not_after)) == nullptr ||
      X509_set_pubkey(cert.get(), subject_key.get()) != 1) {
    return Internal("keys.issue_failed", "cannot fill the certificate: " + OpenSslErrors());
  }
  RETURN_IF_ERROR(SetRandomSerial(cert.get()));

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer_x509, cert.get(), nullptr, nullptr, 0);
  std::string bc = spec.ca ? "critical,CA:TRUE" : "critical,CA:FALSE";
  if (spec.ca && spec.path_length >= 0) bc += ",pathlen:" + std::to_string(spec.path_length);
  RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_basic_constraints, bc));
  if (!spec.key_usage.empty()) {
    RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_key_usage, spec.key_usage));
  }
  if (!spec.extended_key_usage.empty()) {
    RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_ext_key_usage, spec.extended_key_usage));
  }
  // The subject key identifier goes first: the authority key identifier of a self-signed
  // certificate is read from it.
  RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash"));
  RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always"));
  if (!spec.email.empty()) {
    RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_subject_alt_name, "email:" + spec.email));
  }
  if (!spec.crl_url.empty()) {
    RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_crl_distribution_points, "URI:" + spec.crl_url));
  }
  EVP_PKEY* signer = static_cast<EVP_PKEY*>(issuer_key.native_handle());
  if (X509_sign(cert.get(), signer, EVP_sha256()) <= 0) {
    return Internal("keys.issue_failed", "cannot sign the certificate: " + OpenSslErrors());
  }
  return Certificate::FromDer(ToDer(cert.get(), i2d_X509));
}

}  // namespace rubrica::keys
