// Certificate::DecodeEcKeysDirectly (certificate.h).
//
// OpenSSL 3.0 reads a certificate's SubjectPublicKeyInfo while parsing it (d2i_X509, the
// X509_PUBKEY item's callback in crypto/x509/x_pubkey.c). It first tries the legacy method
// of the key's type, but only when an ENGINE is registered as that type's default key
// method; otherwise it sets up an OSSL_DECODER context for the key (enumerating and
// matching every decoder and key manager of the loaded providers), about 90 µs for each
// certificate on these machines, against ~15 µs for the rest of the parse. OpenSSL 3.1 and
// later cache decoders; Debian 12 ships 3.0.
//
// While a certificate is parsed (and only then), this registers an ENGINE whose only
// content is OpenSSL's own built-in EC key method (EVP_PKEY_meth_find(EVP_PKEY_EC)) as a
// method for EC keys. x_pubkey.c then takes the legacy path: the built-in EC ASN.1 method
// (eckey_pub_decode: named or explicit curve, the point decoded and checked on the curve),
// the very code the default provider's SubjectPublicKeyInfo decoder runs inside its
// context. The key is an ordinary legacy EC key: outside the parse no ENGINE is registered,
// so its signatures are checked by the default provider's ECDSA as before, and keys made
// or read any other way are untouched. Registering is global to the process, which is why
// this is only for a process that parses certificates on one thread (the sandboxed
// verifier): while the ENGINE is registered, an EC key operation on another thread would
// take the built-in method too. The ENGINE API is deprecated in 3.0 but present; this file
// alone uses it.
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <openssl/engine.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <atomic>

#include "legacy_ec_decoding.h"
#include "rubrica/keys/certificate.h"

namespace rubrica::keys {

namespace {

const int kEcOnly[] = {EVP_PKEY_EC};

int EcKeyMethod(ENGINE*, EVP_PKEY_METHOD** method, const int** nids, int nid) {
  if (method == nullptr) {  // the list of key types this ENGINE has a method for
    *nids = kEcOnly;
    return 1;
  }
  *method = nid == EVP_PKEY_EC ? const_cast<EVP_PKEY_METHOD*>(EVP_PKEY_meth_find(EVP_PKEY_EC)) : nullptr;
  return *method != nullptr;
}

// The ENGINE, made once; null when it cannot be (then certificates are parsed as usual).
// ENGINE_add puts it in OpenSSL's list of engines, which holds a reference until
// OPENSSL_cleanup at exit; ours is dropped at once.
ENGINE* MakeEngine() {
  if (EVP_PKEY_meth_find(EVP_PKEY_EC) == nullptr) return nullptr;
  ENGINE* e = ENGINE_new();
  if (e == nullptr) return nullptr;
  const bool ok = ENGINE_set_id(e, "rubrica-builtin-ec") == 1 &&
                  ENGINE_set_name(e, "OpenSSL's built-in EC key method") == 1 &&
                  ENGINE_set_pkey_meths(e, EcKeyMethod) == 1 && ENGINE_add(e) == 1;
  ENGINE_free(e);
  return ok ? e : nullptr;
}

std::atomic<ENGINE*> g_engine{nullptr};

}  // namespace

bool Certificate::DecodeEcKeysDirectly() {
  // From 3.1 OpenSSL keeps its decoders between calls: nothing to gain, and no reason to
  // depend on the ENGINE path there (deprecated, and gone in 4.0).
  if (OpenSSL_version_num() >= 0x30100000UL) return false;
  static ENGINE* const engine = MakeEngine();
  g_engine.store(engine);
  return engine != nullptr;
}

X509* ParseX509(const unsigned char** der, long length) {
  ENGINE* e = g_engine.load();
  if (e == nullptr || ENGINE_register_pkey_meths(e) != 1) return d2i_X509(nullptr, der, length);
  X509* x = d2i_X509(nullptr, der, length);
  ENGINE_unregister_pkey_meths(e);
  return x;
}

}  // namespace rubrica::keys
