#include "rubrica/keys/signing_key.h"

#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "openssl_util.h"

namespace rubrica::keys {

struct SigningKey::Impl {
  PkeyPtr pkey;
};

namespace {

Status WrongPassword() {
  return Status::Error(ErrorKind::kRejected, "keys.wrong_password",
                       "the password does not decrypt the private key",
                       "La contraseña de la llave privada no es correcta.");
}

Status BadKeyFile(const std::string& why) {
  return Status::Error(ErrorKind::kInvalidArgument, "keys.bad_key_file",
                       "not an encrypted PKCS#8 private key: " + why,
                       "El archivo de la llave privada está dañado o no es una llave válida.");
}

struct X509SigDeleter {
  void operator()(X509_SIG* s) const { X509_SIG_free(s); }
};
struct P8InfDeleter {
  void operator()(PKCS8_PRIV_KEY_INFO* p) const { PKCS8_PRIV_KEY_INFO_free(p); }
};

// Decodes a PEM body to DER when `bytes` is PEM; returns `bytes` otherwise.
Result<std::string> PemToDer(std::string_view bytes) {
  if (bytes.find("-----BEGIN") == std::string_view::npos) return std::string(bytes);
  BioPtr bio = MemBio(bytes);
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long len = 0;
  if (PEM_read_bio(bio.get(), &name, &header, &data, &len) != 1) {
    return BadKeyFile("PEM does not parse");
  }
  std::string der(reinterpret_cast<char*>(data), static_cast<size_t>(len));
  std::string type = name;
  OPENSSL_free(name);
  OPENSSL_free(header);
  OPENSSL_free(data);
  if (type != "ENCRYPTED PRIVATE KEY") return BadKeyFile("PEM block is '" + type + "'");
  return der;
}

}  // namespace

SigningKey::SigningKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;
SigningKey::~SigningKey() = default;

Result<KeyAlgorithm> ParseKeyAlgorithm(std::string_view name) {
  if (name == "ec-p256") return KeyAlgorithm::kEcdsaP256;
  if (name == "rsa-2048") return KeyAlgorithm::kRsa2048;
  if (name == "rsa-3072") return KeyAlgorithm::kRsa3072;
  return Status::Error(ErrorKind::kInvalidArgument, "keys.bad_algorithm",
                       "key algorithm must be ec-p256, rsa-2048 or rsa-3072, not '" +
                           std::string(name) + "'");
}

std::string_view KeyAlgorithmName(KeyAlgorithm a) {
  switch (a) {
    case KeyAlgorithm::kEcdsaP256: return "ec-p256";
    case KeyAlgorithm::kRsa2048: return "rsa-2048";
    case KeyAlgorithm::kRsa3072: return "rsa-3072";
  }
  return "ec-p256";
}

Result<SigningKey> SigningKey::Generate(KeyAlgorithm algorithm) {
  EVP_PKEY* k = nullptr;
  switch (algorithm) {
    case KeyAlgorithm::kEcdsaP256: k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"); break;
    case KeyAlgorithm::kRsa2048: k = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}); break;
    case KeyAlgorithm::kRsa3072: k = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{3072}); break;
  }
  if (k == nullptr) {
    return Status::Error(ErrorKind::kInternal, "keys.keygen_failed",
                         "key generation failed: " + OpenSslErrors());
  }
  auto impl = std::make_unique<Impl>();
  impl->pkey.reset(k);
  return SigningKey(std::move(impl));
}

Result<SigningKey> SigningKey::FromEncryptedPkcs8(std::string_view der_or_pem,
                                                  std::string_view password) {
  ASSIGN_OR_RETURN(std::string der, PemToDer(der_or_pem));
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<X509_SIG, X509SigDeleter> sig(d2i_X509_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) {
    ERR_clear_error();
    return BadKeyFile("the bytes are not an EncryptedPrivateKeyInfo");
  }
  std::unique_ptr<PKCS8_PRIV_KEY_INFO, P8InfDeleter> inf(
      PKCS8_decrypt(sig.get(), password.data(), static_cast<int>(password.size())));
  if (!inf) {
    // A wrong password fails the padding check (or, rarely, the decoding right after).
    ERR_clear_error();
    return WrongPassword();
  }
  EVP_PKEY* k = EVP_PKCS82PKEY(inf.get());
  if (k == nullptr) {
    ERR_clear_error();
    return WrongPassword();
  }
  auto impl = std::make_unique<Impl>();
  impl->pkey.reset(k);
  return SigningKey(std::move(impl));
}

Result<SigningKey> SigningKey::FromUnencryptedPem(std::string_view pem) {
  BioPtr bio = MemBio(pem);
  EVP_PKEY* k = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char*>(""));
  if (k == nullptr) {
    ERR_clear_error();
    return BadKeyFile("no unencrypted PEM private key");
  }
  auto impl = std::make_unique<Impl>();
  impl->pkey.reset(k);
  return SigningKey(std::move(impl));
}

Result<std::string> SigningKey::ToEncryptedPkcs8Pem(std::string_view password,
                                                    const Pkcs8Encryption& enc) const {
  if (password.empty()) {
    return Status::Error(ErrorKind::kInvalidArgument, "keys.empty_password",
                         "refusing to encrypt a private key under an empty password",
                         "El PIN o la contraseña no pueden estar vacíos.");
  }
  std::unique_ptr<PKCS8_PRIV_KEY_INFO, P8InfDeleter> inf(EVP_PKEY2PKCS8(impl_->pkey.get()));
  if (!inf) return Status::Error(ErrorKind::kInternal, "keys.encode_failed", OpenSslErrors());
  unsigned char salt[16];
  RAND_bytes(salt, sizeof salt);
  // scrypt: r = 8, p = 8; OpenSSL's default memory cap (32 MiB) bounds N at 2^14, and p
  // multiplies the work without the memory, which lands unlocking at >= 100 ms.
  X509_ALGOR* pbe = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), salt, sizeof salt, nullptr,
                                          uint64_t{1} << enc.scrypt_log2_n, 8, 8);
  if (pbe == nullptr) return Status::Error(ErrorKind::kInternal, "keys.encode_failed", OpenSslErrors());
  std::unique_ptr<X509_SIG, X509SigDeleter> sig(
      PKCS8_set0_pbe(password.data(), static_cast<int>(password.size()), inf.get(), pbe));
  if (!sig) {
    X509_ALGOR_free(pbe);
    return Status::Error(ErrorKind::kInternal, "keys.encode_failed", OpenSslErrors());
  }
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PKCS8(bio.get(), sig.get()) != 1) {
    return Status::Error(ErrorKind::kInternal, "keys.encode_failed", OpenSslErrors());
  }
  return BioContents(bio.get());
}

Result<std::string> SigningKey::Sign(std::string_view data) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  std::string sig;
  bool ok = ctx != nullptr &&
            EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, impl_->pkey.get()) == 1 &&
            EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                           data.size()) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                        reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) {
    return Status::Error(ErrorKind::kInternal, "keys.sign_failed", "signing failed: " + OpenSslErrors());
  }
  return sig;
}

std::string SigningKey::KeyType() const {
  if (EVP_PKEY_is_a(impl_->pkey.get(), "EC")) return "EC";
  if (EVP_PKEY_is_a(impl_->pkey.get(), "RSA")) return "RSA";
  return "other";
}

std::string SigningKey::PublicKeyInfoDer() const {
  unsigned char* buf = nullptr;
  int n = i2d_PUBKEY(impl_->pkey.get(), &buf);
  if (n <= 0) return "";
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  OPENSSL_free(buf);
  return out;
}

bool SigningKey::Matches(const Certificate& cert) const {
  return PublicKeyInfoDer() == cert.PublicKeyInfoDer();
}

void* SigningKey::native_handle() const { return impl_->pkey.get(); }

Result<SigningKey> SigningKey::AdoptNativeHandle(void* evp_pkey) {
  if (evp_pkey == nullptr) return BadKeyFile("no private key");
  auto impl = std::make_unique<Impl>();
  impl->pkey.reset(static_cast<EVP_PKEY*>(evp_pkey));
  return SigningKey(std::move(impl));
}

bool VerifySignature(const Certificate& cert, std::string_view data, std::string_view signature) {
  EVP_PKEY* pub = X509_get0_pubkey(static_cast<X509*>(cert.native_handle()));
  if (pub == nullptr) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr &&
            EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, pub) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                             data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  ERR_clear_error();
  return ok;
}

}  // namespace rubrica::keys
