#include "rubrica/keys/pkcs12.h"

#include <openssl/pkcs12.h>

#include <algorithm>

#include "errors.h"
#include "openssl_util.h"

namespace rubrica::keys {

namespace {

constexpr size_t kMaxPkcs12Bytes = 1 << 20;

Status BadPkcs12(const std::string& why) {
  return Status::Error(ErrorKind::kInvalidArgument, "keys.bad_pkcs12",
                       "not a usable PKCS#12 file: " + why,
                       "El archivo .p12/.pfx está dañado o no contiene una llave y su certificado.");
}

Result<Certificate> Wrap(X509* x) {
  return Certificate::FromDer(ToDer(x, i2d_X509));
}

}  // namespace

Result<Pkcs12Contents> ReadPkcs12(std::string_view bytes, std::string_view password) {
  if (bytes.size() > kMaxPkcs12Bytes) {
    return Status::Error(ErrorKind::kTooLarge, "keys.pkcs12_too_large",
                         "PKCS#12 file of " + std::to_string(bytes.size()) + " bytes (limit 1 MiB)",
                         "El archivo .p12/.pfx es demasiado grande.");
  }
  const unsigned char* p = reinterpret_cast<const unsigned char*>(bytes.data());
  OsslPtr<PKCS12, PKCS12_free> p12(d2i_PKCS12(nullptr, &p, static_cast<long>(bytes.size())));
  if (!p12) {
    ERR_clear_error();
    return BadPkcs12("the bytes are not DER PKCS#12");
  }
  const std::string pass(password);
  if (PKCS12_mac_present(p12.get()) &&
      PKCS12_verify_mac(p12.get(), pass.c_str(), static_cast<int>(pass.size())) != 1) {
    ERR_clear_error();
    return Status::Error(ErrorKind::kRejected, "keys.wrong_password",
                         "the password does not open the PKCS#12 file",
                         "La contraseña del archivo .p12/.pfx no es correcta.");
  }
  EVP_PKEY* pkey = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* ca = nullptr;
  if (PKCS12_parse(p12.get(), pass.c_str(), &pkey, &cert, &ca) != 1) {
    // The MAC matched, so the password is right: the content is damaged or uses an
    // algorithm OpenSSL 3 keeps in its legacy provider (RC2-40 of old Windows exports).
    return BadPkcs12("cannot decrypt its content (" + OpenSslErrors() +
                     "); re-export it with AES-256 encryption");
  }
  ERR_clear_error();
  X509Ptr cert_owner(cert);
  auto free_ca = [](STACK_OF(X509)* s) { sk_X509_pop_free(s, X509_free); };
  std::unique_ptr<STACK_OF(X509), decltype(free_ca)> ca_owner(ca, free_ca);
  if (pkey == nullptr) return BadPkcs12("it holds no private key");
  ASSIGN_OR_RETURN(SigningKey key, SigningKey::AdoptNativeHandle(pkey));
  // PKCS12_parse pairs the key with its certificate by localKeyID; a file without one
  // leaves the leaf among the others, so look at all of them.
  std::vector<Certificate> all;
  if (cert != nullptr) {
    ASSIGN_OR_RETURN(Certificate c, Wrap(cert));
    all.push_back(std::move(c));
  }
  for (int i = 0; ca != nullptr && i < sk_X509_num(ca); ++i) {
    ASSIGN_OR_RETURN(Certificate c, Wrap(sk_X509_value(ca, i)));
    all.push_back(std::move(c));
  }
  if (all.empty()) return BadPkcs12("it holds no certificate");
  auto leaf = std::find_if(all.begin(), all.end(), [&](const Certificate& c) { return key.Matches(c); });
  if (leaf == all.end()) {
    return KeyCertificateMismatch("no certificate in the PKCS#12 file carries its private key's public key");
  }
  Certificate chosen = *leaf;
  all.erase(leaf);
  std::vector<Certificate> others;
  for (auto& c : all) {
    if (!(c == chosen)) others.push_back(std::move(c));
  }
  return Pkcs12Contents{std::move(key), std::move(chosen), std::move(others)};
}

}  // namespace rubrica::keys
