// A private key in memory, able to sign. Move-only; the key material is freed (and wiped by
// OpenSSL) when the object is destroyed. Never written to disk in clear: the only
// serialisation offered is encrypted PKCS#8.
//
// Sign() is thread-safe (const).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"

namespace rubrica::keys {

enum class KeyAlgorithm { kEcdsaP256, kRsa2048, kRsa3072 };

/// Parses "ec-p256", "rsa-2048", "rsa-3072".
Result<KeyAlgorithm> ParseKeyAlgorithm(std::string_view name);
std::string_view KeyAlgorithmName(KeyAlgorithm a);

/// Password-based encryption of PKCS#8 at rest.
struct Pkcs8Encryption {
  /// PBES2 with scrypt (N = 2^scrypt_log2_n, r = 8, p = 8) and AES-256-CBC. Default N = 2^14:
  /// 16 MiB of memory and ~200 ms to unlock on one core (measured in keys tests).
  /// Tests may lower it to keep suites fast.
  int scrypt_log2_n = 14;
};

class SigningKey {
 public:
  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;
  ~SigningKey();

  static Result<SigningKey> Generate(KeyAlgorithm algorithm);
  /// Decrypts an encrypted PKCS#8 key (DER or PEM), whatever PBES2 scheme it uses (scrypt,
  /// PBKDF2-SHA256, PBKDF2-SHA1 with DES-EDE3-CBC as in SAT e.firma keys). A wrong
  /// password gives keys.wrong_password (kRejected); bytes that are not an encrypted key give
  /// keys.bad_key_file (kInvalidArgument).
  static Result<SigningKey> FromEncryptedPkcs8(std::string_view der_or_pem,
                                               std::string_view password);
  /// An unencrypted PEM key, for tests and imports from PKCS#12 (never stored like that).
  static Result<SigningKey> FromUnencryptedPem(std::string_view pem);

  /// Encrypted PKCS#8, PEM ("BEGIN ENCRYPTED PRIVATE KEY").
  Result<std::string> ToEncryptedPkcs8Pem(std::string_view password,
                                          const Pkcs8Encryption& enc = {}) const;

  /// Signs `data`: SHA-256, then ECDSA (DER Ecdsa-Sig-Value) or RSASSA-PKCS1-v1_5.
  Result<std::string> Sign(std::string_view data) const;

  /// "EC" or "RSA".
  std::string KeyType() const;
  /// DER SubjectPublicKeyInfo.
  std::string PublicKeyInfoDer() const;
  /// True when `cert` carries this key's public key.
  bool Matches(const Certificate& cert) const;

  /// Opaque EVP_PKEY* for rubrica's own .cc files (the CA issuing certificates).
  void* native_handle() const;
  /// Takes ownership of an EVP_PKEY* holding a private key (rubrica's own .cc files only,
  /// e.g. the PKCS#12 reader). Fails with keys.bad_key_file when null.
  static Result<SigningKey> AdoptNativeHandle(void* evp_pkey);

 private:
  struct Impl;
  explicit SigningKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Checks `signature` over `data` (SHA-256) with the public key of `cert`.
bool VerifySignature(const Certificate& cert, std::string_view data, std::string_view signature);

}  // namespace rubrica::keys
