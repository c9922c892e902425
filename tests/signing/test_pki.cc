#include "signing/test_pki.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace rubrica::signing::testing {
namespace {

keys::SigningKey NewKey(keys::KeyAlgorithm algorithm) {
  Result<keys::SigningKey> k = keys::SigningKey::Generate(algorithm);
  if (!k.ok()) throw std::runtime_error(k.status().ToString());
  return std::move(*k);
}

void AddExt(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) throw std::runtime_error(std::string("bad extension ") + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// Builds and signs a certificate; `issuer` null means self-signed by `subject_key`.
keys::Certificate Build(EVP_PKEY* subject_key, std::string_view cn, Usage usage, bool is_ca,
                        long serial, X509* issuer, EVP_PKEY* issuer_key) {
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
  ASN1_TIME_set_string(X509_getm_notBefore(x), "20200101000000Z");
  ASN1_TIME_set_string(X509_getm_notAfter(x), "20451231235959Z");
  X509_set_pubkey(x, subject_key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("MX"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("Secretariado de Pruebas"), -1, -1, 0);
  const std::string common_name(cn);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0);
  X509* signer_cert = issuer != nullptr ? issuer : x;
  X509_set_issuer_name(x, X509_get_subject_name(signer_cert));
  AddExt(x, signer_cert, NID_subject_key_identifier, "hash");
  if (issuer != nullptr) AddExt(x, signer_cert, NID_authority_key_identifier, "keyid");
  if (is_ca) {
    AddExt(x, signer_cert, NID_basic_constraints, "critical,CA:TRUE");
    AddExt(x, signer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExt(x, signer_cert, NID_basic_constraints, "critical,CA:FALSE");
    switch (usage) {
      case Usage::kSigner:
        AddExt(x, signer_cert, NID_key_usage, "critical,digitalSignature,nonRepudiation");
        AddExt(x, signer_cert, NID_ext_key_usage, "1.3.6.1.5.5.7.3.36,emailProtection");
        break;
      case Usage::kTimeStamping:
        AddExt(x, signer_cert, NID_key_usage, "critical,digitalSignature");
        AddExt(x, signer_cert, NID_ext_key_usage, "critical,timeStamping");
        break;
      case Usage::kTimeStampingNotCritical:
        AddExt(x, signer_cert, NID_key_usage, "critical,digitalSignature");
        AddExt(x, signer_cert, NID_ext_key_usage, "timeStamping");
        break;
    }
  }
  if (X509_sign(x, issuer_key != nullptr ? issuer_key : subject_key, EVP_sha256()) <= 0) {
    X509_free(x);
    throw std::runtime_error("X509_sign failed");
  }
  unsigned char* der = nullptr;
  const int n = i2d_X509(x, &der);
  X509_free(x);
  Result<keys::Certificate> cert =
      keys::Certificate::FromDer(std::string_view(reinterpret_cast<char*>(der), static_cast<size_t>(n)));
  OPENSSL_free(der);
  if (!cert.ok()) throw std::runtime_error(cert.status().ToString());
  return *cert;
}

Identity MakeCa() {
  keys::SigningKey key = NewKey(keys::KeyAlgorithm::kEcdsaP256);
  keys::Certificate cert = Build(static_cast<EVP_PKEY*>(key.native_handle()), "CA de Pruebas Rúbrica",
                                 Usage::kSigner, true, 1, nullptr, nullptr);
  return Identity{std::move(key), std::move(cert)};
}

}  // namespace

TestPki::TestPki() : ca_(MakeCa()) {}

keys::Certificate TestPki::Sign(void* subject_pkey, std::string_view common_name, Usage usage, bool is_ca) {
  return Build(static_cast<EVP_PKEY*>(subject_pkey), common_name, usage, is_ca, next_serial_++,
               static_cast<X509*>(ca_.cert.native_handle()), static_cast<EVP_PKEY*>(ca_.key.native_handle()));
}

Identity TestPki::Issue(keys::KeyAlgorithm algorithm, std::string_view common_name, Usage usage) {
  keys::SigningKey key = NewKey(algorithm);
  keys::Certificate cert = Sign(key.native_handle(), common_name, usage, false);
  return Identity{std::move(key), std::move(cert)};
}

keys::Certificate TestPki::IssueForPublicKey(std::string_view public_key_pem, std::string_view common_name,
                                             Usage usage) {
  BIO* bio = BIO_new_mem_buf(public_key_pem.data(), static_cast<int>(public_key_pem.size()));
  EVP_PKEY* pub = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (pub == nullptr) throw std::runtime_error("not a PEM public key");
  keys::Certificate cert = Sign(pub, common_name, usage, false);
  EVP_PKEY_free(pub);
  return cert;
}

std::string TestPki::Crl(const std::vector<std::pair<keys::Certificate, Instant>>& revoked, Instant this_update) {
  auto seconds = [](Instant t) {
    return static_cast<time_t>(std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count());
  };
  X509_CRL* crl = X509_CRL_new();
  X509* ca = static_cast<X509*>(ca_.cert.native_handle());
  ASN1_TIME* last = ASN1_TIME_set(nullptr, seconds(this_update));
  ASN1_TIME* next = ASN1_TIME_set(nullptr, seconds(this_update) + 7 * 86400);
  X509_CRL_set_version(crl, 1);
  X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca));
  X509_CRL_set1_lastUpdate(crl, last);
  X509_CRL_set1_nextUpdate(crl, next);
  ASN1_TIME_free(last);
  ASN1_TIME_free(next);
  for (const auto& [cert, at] : revoked) {
    X509_REVOKED* rev = X509_REVOKED_new();
    ASN1_TIME* when = ASN1_TIME_set(nullptr, seconds(at));
    ASN1_INTEGER* serial = ASN1_INTEGER_dup(X509_get0_serialNumber(static_cast<X509*>(cert.native_handle())));
    X509_REVOKED_set_serialNumber(rev, serial);
    ASN1_INTEGER_free(serial);
    X509_REVOKED_set_revocationDate(rev, when);
    ASN1_TIME_free(when);
    ASN1_ENUMERATED* reason = ASN1_ENUMERATED_new();
    ASN1_ENUMERATED_set(reason, 1);  // keyCompromise
    X509_REVOKED_add1_ext_i2d(rev, NID_crl_reason, reason, 0, 0);
    ASN1_ENUMERATED_free(reason);
    X509_CRL_add0_revoked(crl, rev);
  }
  X509_CRL_sort(crl);
  if (X509_CRL_sign(crl, static_cast<EVP_PKEY*>(ca_.key.native_handle()), EVP_sha256()) <= 0) {
    X509_CRL_free(crl);
    throw std::runtime_error("X509_CRL_sign failed");
  }
  unsigned char* der = nullptr;
  const int n = i2d_X509_CRL(crl, &der);
  X509_CRL_free(crl);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

}  // namespace rubrica::signing::testing
