// PKCS#12 (.p12/.pfx) files as exported by browsers, the Windows store and `openssl pkcs12`.
// Thread-safe (no shared state).
#pragma once

#include <string_view>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/signing_key.h"

namespace rubrica::keys {

struct Pkcs12Contents {
  SigningKey key;
  /// The certificate matching `key`.
  Certificate certificate;
  /// The other certificates of the file (the CA chain, when included).
  std::vector<Certificate> chain;
};

/// Opens a PKCS#12 file with its password. Errors: keys.bad_pkcs12 (kInvalidArgument) when
/// the bytes are not PKCS#12 or hold no private key or no certificate;
/// keys.wrong_password (kRejected); keys.key_certificate_mismatch (kInvalidArgument) when
/// no certificate of the file carries the key's public key. Files larger than 1 MiB are
/// refused (kTooLarge).
Result<Pkcs12Contents> ReadPkcs12(std::string_view bytes, std::string_view password);

}  // namespace rubrica::keys
