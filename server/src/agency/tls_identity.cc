#include "tls_identity.h"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include "rubrica/base/files.h"

namespace rubrica::server::agency {

namespace {

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct BioFree { void operator()(BIO* p) const { BIO_free(p); } };
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

Status Fail(const std::string& what) {
  return Status::Error(ErrorKind::kInternal, "agency.tls_identity", "could not make the TLS identity: " + what);
}

PkeyPtr NewKey() { return PkeyPtr(EVP_EC_gen("P-256")); }

bool AddExt(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

X509Ptr MakeCert(EVP_PKEY* key, const std::string& cn, X509* issuer, EVP_PKEY* issuer_key, bool ca,
                 const std::string& san, Instant now) {
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  const time_t t = std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(now));
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), t - 3600);
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), t + (ca ? 20L : 5L) * 366 * 86400);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("Órgano garante (buzón)"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  X509_set_pubkey(cert.get(), key);
  X509* iss = issuer ? issuer : cert.get();
  bool ok = AddExt(cert.get(), iss, NID_subject_key_identifier, "hash") &&
            AddExt(cert.get(), iss, NID_authority_key_identifier, "keyid:always");
  if (ca) {
    ok = ok && AddExt(cert.get(), iss, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
         AddExt(cert.get(), iss, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    ok = ok && AddExt(cert.get(), iss, NID_basic_constraints, "critical,CA:FALSE") &&
         AddExt(cert.get(), iss, NID_key_usage, "critical,digitalSignature") &&
         AddExt(cert.get(), iss, NID_ext_key_usage, "serverAuth") &&
         AddExt(cert.get(), iss, NID_subject_alt_name, san);
  }
  if (!ok || X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0) return nullptr;
  return cert;
}

std::string CertPem(X509* cert) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string KeyPem(EVP_PKEY* key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

}  // namespace

Result<TlsIdentity> EnsureTlsIdentity(const std::string& data_dir, const std::vector<std::string>& host_names,
                                      const Clock& clock) {
  TlsIdentity id{data_dir + "/tls/ca.pem", data_dir + "/tls/server.pem", data_dir + "/secrets/tls.key"};
  std::string san;
  for (const std::string& h : host_names) {
    const bool ip = !h.empty() && h.find_first_not_of("0123456789.") == std::string::npos;
    san += (san.empty() ? "" : ",") + std::string(ip ? "IP:" : "DNS:") + h;
  }
  const std::string san_file = data_dir + "/tls/names";
  if (PathExists(id.ca_file) && PathExists(id.certificate_file) && PathExists(id.key_file) && PathExists(san_file)) {
    auto names = ReadFile(san_file, 4096);
    if (names.ok() && *names == san) return id;
  }
  RETURN_IF_ERROR(MakeDirs(data_dir + "/tls"));
  RETURN_IF_ERROR(MakeDirs(data_dir + "/secrets"));
  PkeyPtr ca_key = NewKey();
  PkeyPtr key = NewKey();
  if (!ca_key || !key) return Fail("key generation");
  X509Ptr ca = MakeCert(ca_key.get(), "CA TLS del buzón del órgano garante", nullptr, ca_key.get(), true, "", clock.Now());
  if (!ca) return Fail("CA certificate");
  X509Ptr leaf = MakeCert(key.get(), host_names.empty() ? "localhost" : host_names.front(), ca.get(), ca_key.get(),
                          false, san, clock.Now());
  if (!leaf) return Fail("server certificate");
  RETURN_IF_ERROR(WriteFileAtomic(id.key_file, KeyPem(key.get())));
  RETURN_IF_ERROR(WriteFileAtomic(id.certificate_file, CertPem(leaf.get()) + CertPem(ca.get())));
  RETURN_IF_ERROR(WriteFileAtomic(id.ca_file, CertPem(ca.get())));
  RETURN_IF_ERROR(WriteFileAtomic(san_file, san));
  return id;
}

}  // namespace rubrica::server::agency
