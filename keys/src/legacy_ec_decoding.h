// Parsing X.509 certificates, with Certificate::DecodeEcKeysDirectly's switch
// (legacy_ec_decoding.cc). Private to the keys module.
#pragma once

#include <openssl/x509.h>

namespace rubrica::keys {

/// d2i_X509(nullptr, der, length); once Certificate::DecodeEcKeysDirectly was called, with
/// EC public keys read by OpenSSL's built-in EC method instead of a decoder context.
X509* ParseX509(const unsigned char** der, long length);

}  // namespace rubrica::keys
