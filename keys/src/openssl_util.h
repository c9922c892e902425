// Private helpers for modules that talk to OpenSSL: owning pointers and error text.
#pragma once

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <ctime>
#include <memory>
#include <string>
#include <string_view>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"

namespace rubrica::keys {

/// unique_ptr deleter calling an OpenSSL free function: OsslPtr<X509_CRL, X509_CRL_free>.
template <auto FreeFn>
struct OsslFree {
  template <typename T>
  void operator()(T* p) const { FreeFn(p); }
};
template <typename T, auto FreeFn>
using OsslPtr = std::unique_ptr<T, OsslFree<FreeFn>>;

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free_all(b); }
};
struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct StoreDeleter {
  void operator()(X509_STORE* s) const { X509_STORE_free(s); }
};
struct CrlDeleter {
  void operator()(X509_CRL* c) const { X509_CRL_free(c); }
};
/// Frees the stack only: its certificates are borrowed (owned by Certificate objects).
struct BorrowedX509StackDeleter {
  void operator()(STACK_OF(X509)* s) const { sk_X509_free(s); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using StorePtr = std::unique_ptr<X509_STORE, StoreDeleter>;
using CrlPtr = std::unique_ptr<X509_CRL, CrlDeleter>;
using BorrowedX509Stack = std::unique_ptr<STACK_OF(X509), BorrowedX509StackDeleter>;

/// Drains OpenSSL's thread-local error queue into one line ("" when empty).
std::string OpenSslErrors();

/// A memory BIO over `data` (read-only).
BioPtr MemBio(std::string_view data);
/// Everything written to a memory BIO.
std::string BioContents(BIO* bio);

/// An ASN.1 UTCTime/GeneralizedTime as an Instant (the epoch when absent or malformed).
Instant AsnTimeToInstant(const ASN1_TIME* t);
/// Seconds since the epoch, for OpenSSL's time_t APIs (sub-second part dropped).
std::time_t ToTimeT(Instant t);

/// DER encoding through an i2d_* function ("" on failure).
template <typename T, typename F>
std::string ToDer(const T* object, F i2d) {
  unsigned char* buf = nullptr;
  int n = i2d(const_cast<T*>(object), &buf);
  if (n <= 0) return "";
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  OPENSSL_free(buf);
  return out;
}

}  // namespace rubrica::keys
