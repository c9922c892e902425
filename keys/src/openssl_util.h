// Private helpers for modules that talk to OpenSSL: owning pointers and error text.
#pragma once

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "rubrica/base/status.h"

namespace rubrica::keys {

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free_all(b); }
};
struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

/// Drains OpenSSL's thread-local error queue into one line ("" when empty).
std::string OpenSslErrors();

/// A memory BIO over `data` (read-only).
BioPtr MemBio(std::string_view data);
/// Everything written to a memory BIO.
std::string BioContents(BIO* bio);

}  // namespace rubrica::keys
