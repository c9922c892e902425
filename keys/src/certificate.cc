#include "rubrica/keys/certificate.h"

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <deque>
#include <map>
#include <mutex>

#include "legacy_ec_decoding.h"
#include "openssl_util.h"

namespace rubrica::keys {

struct Certificate::Impl {
  std::string der;
  X509Ptr x509;
  // PublicKeyInfoDer, encoded once (OpenSSL 3.0's encoder framework is slow).
  mutable std::once_flag spki_once;
  mutable std::string spki;
};

namespace {

Status BadCert(const std::string& why) {
  return Status::Error(ErrorKind::kInvalidArgument, "keys.bad_certificate",
                       "not a valid X.509 certificate: " + why,
                       "El archivo no contiene un certificado válido.");
}

std::string NameToString(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return BioContents(bio.get());
}

std::string NameDer(const X509_NAME* name) {
  unsigned char* buf = nullptr;
  int n = i2d_X509_NAME(name, &buf);
  if (n <= 0) return "";
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  OPENSSL_free(buf);
  return out;
}

}  // namespace

namespace {

// The certificates parsed lately, by their exact DER: a signed PDF carries the same CA, TSA
// and signer certificates in every signature and time-stamp token, and OpenSSL 3.0 decodes
// each certificate's public key anew at every d2i_X509 (its decoder framework, about 0.3 ms
// a certificate: a third of verifying a 27-signature acta). Only the parse is shared; every
// check (chain, signatures, validity, revocation) runs on each use. Bounded (FIFO).
class ParsedCertificates {
 public:
  template <typename Impl>
  std::shared_ptr<const Impl> Find(std::string_view der) {
    std::lock_guard lock(mu_);
    auto it = by_der_.find(der);
    return it == by_der_.end() ? nullptr : std::static_pointer_cast<const Impl>(it->second);
  }
  void Add(const std::string& der, std::shared_ptr<const void> impl) {
    if (der.size() > kMaxDerBytes) return;
    std::lock_guard lock(mu_);
    if (!by_der_.emplace(der, std::move(impl)).second) return;
    order_.push_back(der);
    if (order_.size() > kMaxEntries) {
      by_der_.erase(order_.front());
      order_.pop_front();
    }
  }
  void Clear() {
    std::lock_guard lock(mu_);
    by_der_.clear();
    order_.clear();
  }

 private:
  static constexpr size_t kMaxEntries = 256;
  static constexpr size_t kMaxDerBytes = 16 * 1024;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const void>, std::less<>> by_der_;
  std::deque<std::string> order_;
};

ParsedCertificates& Parsed() {
  static ParsedCertificates* parsed = new ParsedCertificates;  // never destroyed: no exit-order issue
  return *parsed;
}

}  // namespace

Result<Certificate> Certificate::FromDer(std::string_view der) {
  if (auto known = Parsed().Find<Impl>(der)) return Certificate(std::move(known));
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr x(ParseX509(&p, static_cast<long>(der.size())));
  if (!x) return BadCert("DER does not parse (" + OpenSslErrors() + ")");
  if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return BadCert("trailing bytes after the certificate");
  }
  // OpenSSL fills a certificate's extension cache (key identifiers, purposes) lazily, on
  // first use, by writing into the X509 object; a parse shared between threads must have it
  // filled before it is shared (ThreadSanitizer saw two threads race on it).
  X509_check_purpose(x.get(), -1, 0);
  auto impl = std::make_shared<Impl>();
  impl->der = std::string(der);
  impl->x509 = std::move(x);
  Parsed().Add(impl->der, impl);
  return Certificate(std::move(impl));
}

void Certificate::ForgetParsed() { Parsed().Clear(); }

Result<Certificate> Certificate::FromPem(std::string_view pem) {
  {
    // The block's DER parsed once, when it is the DER the certificate re-encodes to (the
    // usual case); otherwise, below, the canonical re-encoding as before.
    BioPtr bio = MemBio(pem);
    unsigned char* data = nullptr;
    long len = 0;
    if (PEM_bytes_read_bio(&data, &len, nullptr, PEM_STRING_X509, bio.get(), nullptr, nullptr) == 1) {
      const std::string der(reinterpret_cast<const char*>(data), static_cast<size_t>(len));
      OPENSSL_free(data);
      if (auto c = FromDer(der); c.ok() && ToDer(c->impl_->x509.get(), i2d_X509) == der) return c;
    }
    ERR_clear_error();
  }
  BioPtr bio = MemBio(pem);
  X509Ptr x(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!x) return BadCert("no PEM certificate found (" + OpenSslErrors() + ")");
  unsigned char* buf = nullptr;
  int n = i2d_X509(x.get(), &buf);
  if (n <= 0) return BadCert("cannot re-encode");
  std::string der(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  OPENSSL_free(buf);
  return FromDer(der);
}

Result<std::vector<Certificate>> Certificate::AllFromPem(std::string_view pem) {
  std::vector<Certificate> out;
  size_t pos = 0;
  const std::string_view begin = "-----BEGIN CERTIFICATE-----";
  const std::string_view end = "-----END CERTIFICATE-----";
  while ((pos = pem.find(begin, pos)) != std::string_view::npos) {
    size_t stop = pem.find(end, pos);
    if (stop == std::string_view::npos) return BadCert("unterminated PEM block");
    stop += end.size();
    ASSIGN_OR_RETURN(Certificate c, FromPem(pem.substr(pos, stop - pos)));
    out.push_back(std::move(c));
    pos = stop;
  }
  if (out.empty()) return BadCert("no PEM certificate found");
  return out;
}

Result<Certificate> Certificate::FromDerOrPem(std::string_view bytes) {
  if (bytes.find("-----BEGIN") != std::string_view::npos) return FromPem(bytes);
  return FromDer(bytes);
}

const std::string& Certificate::der() const { return impl_->der; }

std::string Certificate::ToPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), impl_->x509.get());
  return BioContents(bio.get());
}

std::string Certificate::SubjectAttribute(std::string_view name) const {
  std::string n(name);
  ASN1_OBJECT* obj = OBJ_txt2obj(n.c_str(), 0);
  if (obj == nullptr) {
    ERR_clear_error();
    return "";
  }
  const X509_NAME* subject = X509_get_subject_name(impl_->x509.get());
  int idx = X509_NAME_get_index_by_OBJ(subject, obj, -1);
  ASN1_OBJECT_free(obj);
  if (idx < 0) return "";
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, idx));
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) {
    ERR_clear_error();
    return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)),
                       static_cast<size_t>(ASN1_STRING_length(data)));
  }
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

std::string Certificate::SubjectString() const {
  return NameToString(X509_get_subject_name(impl_->x509.get()));
}
std::string Certificate::IssuerString() const {
  return NameToString(X509_get_issuer_name(impl_->x509.get()));
}
std::string Certificate::SubjectNameDer() const {
  return NameDer(X509_get_subject_name(impl_->x509.get()));
}
std::string Certificate::IssuerNameDer() const {
  return NameDer(X509_get_issuer_name(impl_->x509.get()));
}

std::string Certificate::SerialHex() const {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(impl_->x509.get()), nullptr);
  char* hex = BN_bn2hex(bn);
  std::string out = hex ? hex : "";
  OPENSSL_free(hex);
  BN_free(bn);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Certificate::FingerprintSha256() const {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(impl_->der.data(), impl_->der.size(), md, &n, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 15]);
  }
  return out;
}

namespace {

// The SubjectPublicKeyInfo exactly as the certificate carries it, when that is the encoding
// i2d_PUBKEY gives for its key: an EC key on a named curve with an uncompressed point (every
// key Rúbrica issues or imports from SAT's e.firma is EC P-256 or RSA). OpenSSL 3.0 re-encodes
// a key through its encoder framework (about 0.1 ms); these bytes are already there. "" for
// any other key (RSA, a compressed point, explicit curve parameters): encoded as before.
std::string EcNamedCurveSpki(X509* x) {
  X509_PUBKEY* pub = X509_get_X509_PUBKEY(x);
  ASN1_OBJECT* alg = nullptr;
  const unsigned char* point = nullptr;
  int point_len = 0;
  X509_ALGOR* algor = nullptr;
  EVP_PKEY* key = X509_get0_pubkey(x);  // decoded, so the point is on its curve
  const ASN1_BIT_STRING* bits = X509_get0_pubkey_bitstr(x);
  if (pub == nullptr || key == nullptr || !EVP_PKEY_is_a(key, "EC") || bits == nullptr ||
      ((bits->flags & ASN1_STRING_FLAG_BITS_LEFT) != 0 && (bits->flags & 0x07) != 0) ||
      X509_PUBKEY_get0_param(&alg, &point, &point_len, &algor, pub) != 1) {
    return "";
  }
  if (OBJ_obj2nid(alg) != NID_X9_62_id_ecPublicKey || point_len < 1 || point[0] != 0x04) return "";
  int param_type = 0;
  const void* param = nullptr;
  X509_ALGOR_get0(nullptr, &param_type, &param, algor);
  if (param_type != V_ASN1_OBJECT) return "";
  const int curve = OBJ_obj2nid(static_cast<const ASN1_OBJECT*>(param));
  const int field_bytes = curve == NID_X9_62_prime256v1 ? 32 : curve == NID_secp384r1 ? 48 : curve == NID_secp521r1 ? 66 : 0;
  if (field_bytes == 0 || point_len != 1 + 2 * field_bytes) return "";
  unsigned char* buf = nullptr;
  const int n = i2d_X509_PUBKEY(pub, &buf);
  if (n <= 0) return "";
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  OPENSSL_free(buf);
  return out;
}

}  // namespace

std::string Certificate::PublicKeyInfoDer() const {
  std::call_once(impl_->spki_once, [this] {
    impl_->spki = EcNamedCurveSpki(impl_->x509.get());
    if (!impl_->spki.empty()) return;
    unsigned char* buf = nullptr;
    int n = i2d_PUBKEY(X509_get0_pubkey(impl_->x509.get()), &buf);
    if (n <= 0) return;
    impl_->spki.assign(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
    OPENSSL_free(buf);
  });
  return impl_->spki;
}

std::string Certificate::KeyType() const {
  EVP_PKEY* k = X509_get0_pubkey(impl_->x509.get());
  if (k == nullptr) return "other";
  if (EVP_PKEY_is_a(k, "EC")) return "EC";
  if (EVP_PKEY_is_a(k, "RSA")) return "RSA";
  return "other";
}

Instant Certificate::NotBefore() const {
  return AsnTimeToInstant(X509_get0_notBefore(impl_->x509.get()));
}
Instant Certificate::NotAfter() const {
  return AsnTimeToInstant(X509_get0_notAfter(impl_->x509.get()));
}

bool Certificate::IsCa() const {
  return (X509_get_extension_flags(impl_->x509.get()) & EXFLAG_CA) != 0;
}

bool Certificate::IsSelfIssued() const {
  return X509_NAME_cmp(X509_get_subject_name(impl_->x509.get()),
                       X509_get_issuer_name(impl_->x509.get())) == 0;
}

bool Certificate::AllowsDigitalSignature() const {
  return (X509_get_key_usage(impl_->x509.get()) & KU_DIGITAL_SIGNATURE) != 0;
}
bool Certificate::AllowsNonRepudiation() const {
  return (X509_get_key_usage(impl_->x509.get()) & KU_NON_REPUDIATION) != 0;
}
bool Certificate::AllowsCertSign() const {
  return (X509_get_key_usage(impl_->x509.get()) & KU_KEY_CERT_SIGN) != 0;
}

bool Certificate::HasExtendedKeyUsage(std::string_view oid) const {
  auto* eku = static_cast<EXTENDED_KEY_USAGE*>(
      X509_get_ext_d2i(impl_->x509.get(), NID_ext_key_usage, nullptr, nullptr));
  if (eku == nullptr) return false;
  bool found = false;
  for (int i = 0; i < sk_ASN1_OBJECT_num(eku) && !found; ++i) {
    char buf[128];
    OBJ_obj2txt(buf, sizeof buf, sk_ASN1_OBJECT_value(eku, i), 1);
    found = oid == buf;
  }
  EXTENDED_KEY_USAGE_free(eku);
  return found;
}

std::string Certificate::OcspUrl() const {
  STACK_OF(OPENSSL_STRING)* urls = X509_get1_ocsp(impl_->x509.get());
  std::string out;
  if (urls != nullptr && sk_OPENSSL_STRING_num(urls) > 0) out = sk_OPENSSL_STRING_value(urls, 0);
  X509_email_free(urls);
  return out;
}

std::vector<std::string> Certificate::CrlUrls() const {
  std::vector<std::string> out;
  auto* dps = static_cast<CRL_DIST_POINTS*>(
      X509_get_ext_d2i(impl_->x509.get(), NID_crl_distribution_points, nullptr, nullptr));
  if (dps == nullptr) return out;
  for (int i = 0; i < sk_DIST_POINT_num(dps); ++i) {
    DIST_POINT* dp = sk_DIST_POINT_value(dps, i);
    if (dp->distpoint == nullptr || dp->distpoint->type != 0) continue;
    GENERAL_NAMES* names = dp->distpoint->name.fullname;
    for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
      GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, j);
      if (gn->type == GEN_URI) {
        const ASN1_IA5STRING* uri = gn->d.uniformResourceIdentifier;
        out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                         static_cast<size_t>(ASN1_STRING_length(uri)));
      }
    }
  }
  CRL_DIST_POINTS_free(dps);
  return out;
}

void* Certificate::native_handle() const { return impl_->x509.get(); }

}  // namespace rubrica::keys
