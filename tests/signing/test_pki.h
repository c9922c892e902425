// A throw-away PKI for the signing tests, made with the OpenSSL C API: one EC P-256 root
// CA that issues signer and TSA certificates. Identities are fictional. Validity
// 2020-01-01 .. 2045-12-31, so tests may use fixed instants and external tools the
// current time. Not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rubrica/base/clock.h"

#include "rubrica/keys/certificate.h"
#include "rubrica/keys/signing_key.h"

namespace rubrica::signing::testing {

enum class Usage {
  kSigner,                     // digitalSignature + nonRepudiation, EKU documentSigning
  kTimeStamping,               // digitalSignature, EKU timeStamping (critical)
  kTimeStampingNotCritical,    // the same EKU, not critical (RFC 3161 forbids it)
};

struct Identity {
  keys::SigningKey key;
  keys::Certificate cert;
};

class TestPki {
 public:
  TestPki();

  /// A new key of `algorithm` and a certificate for it.
  Identity Issue(keys::KeyAlgorithm algorithm, std::string_view common_name,
                 Usage usage = Usage::kSigner);
  /// A certificate for a public key held elsewhere (PEM SubjectPublicKeyInfo), e.g. by
  /// an `openssl` process standing in for a signer's device.
  keys::Certificate IssueForPublicKey(std::string_view public_key_pem, std::string_view common_name,
                                      Usage usage = Usage::kSigner);

  /// A CRL of this CA (DER, v2) issued at `this_update`, listing each certificate with
  /// its revocation time (reason keyCompromise).
  std::string Crl(const std::vector<std::pair<keys::Certificate, Instant>>& revoked, Instant this_update);

  const keys::Certificate& ca() const { return ca_.cert; }

 private:
  keys::Certificate Sign(void* subject_pkey, std::string_view common_name, Usage usage, bool is_ca);

  Identity ca_;
  long next_serial_ = 0x1000;
};

}  // namespace rubrica::signing::testing
