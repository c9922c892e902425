// Building and signing X.509 certificates for the local CA. Private to the keys module.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/signing_key.h"

namespace rubrica::keys {

struct CertificateSpec {
  /// Subject attributes in order, by OpenSSL short name ("C", "O", "title", "CN"...).
  std::vector<std::pair<std::string, std::string>> subject;
  Instant not_before;
  Instant not_after;
  /// basicConstraints: CA with the given path length (-1: unlimited), or end entity.
  bool ca = false;
  int path_length = -1;
  /// Extension values in OpenSSL's config syntax, e.g. "critical,digitalSignature";
  /// empty: extension absent.
  std::string key_usage;
  std::string extended_key_usage;
  std::string crl_url;
  /// subjectAltName e-mail address.
  std::string email;
};

/// Signs a certificate for `subject_public_key_der` (SubjectPublicKeyInfo). `issuer` is the
/// issuing certificate, or nullopt for a self-signed one (then `issuer_key` must hold the
/// subject's key). SHA-256; a random positive 127-bit serial.
Result<Certificate> SignCertificate(const CertificateSpec& spec,
                                    std::string_view subject_public_key_der,
                                    const std::optional<Certificate>& issuer,
                                    const SigningKey& issuer_key);

}  // namespace rubrica::keys
