// Checking an RFC 3161 TimeStampToken: the cryptography, not the trust.
//
// A token passes when it is a SignedData with exactly one SignerInfo over an embedded
// TSTInfo (content type id-ct-TSTInfo in eContentType and in the content-type attribute),
// its message-digest equals the SHA-256 of the TSTInfo, its signing-certificate-v2 (or the
// older SHA-1 signing-certificate, which RFC 3161 TSAs still emit) names the TSA
// certificate the sid points to, that certificate is embedded and has the extended key
// usage timeStamping marked critical (RFC 3161 2.3), the signature verifies, and the
// TSTInfo imprints the expected SHA-256 value. Whether the TSA certificate chains to a
// trusted anchor is for the caller (keys::TrustStore) to decide: the certificates are
// returned for that.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"

namespace rubrica::signing {

struct TimestampInfo {
  Instant gen_time;            // TSTInfo genTime, UTC, to the microsecond
  std::string policy_oid;      // TSTInfo policy, dotted
  std::string serial_hex;      // TSTInfo serialNumber, lower-case hex
  std::string nonce_hex;       // TSTInfo nonce, lower-case hex; "" when absent
  int64_t accuracy_micros = -1;  // TSTInfo accuracy; -1 when absent
  keys::Certificate tsa_certificate;
  std::vector<keys::Certificate> certificates;  // everything embedded, TSA certificate included
};

/// Verifies `token_der` (a TimeStampToken ContentInfo) as described above, for the imprint
/// `expected_imprint_sha256` (32 bytes). Errors, each with its own code:
///   signing.bad_timestamp_token (kInvalidArgument)   not a token, malformed, over limits;
///   signing.weak_algorithm (kRejected)               MD5/SHA-1 digest or signature;
///   signing.unsupported_algorithm (kInvalidArgument) imprint or signature not SHA-256;
///   signing.timestamp_imprint_mismatch (kRejected)   the token timestamps other data;
///   signing.signer_certificate_missing (kRejected)   the TSA certificate is not embedded;
///   signing.signing_certificate_missing / _mismatch  the ESS attribute is absent / wrong;
///   signing.tsa_certificate_not_timestamping (kRejected) EKU timeStamping absent or not
///                                                    critical;
///   signing.timestamp_digest_mismatch (kRejected)    message-digest differs from the TSTInfo;
///   signing.signature_invalid (kRejected)            the TSA's signature does not verify.
/// Thread-safe.
Result<TimestampInfo> VerifyTimestampToken(std::string_view token_der,
                                           std::string_view expected_imprint_sha256);

/// The same for a token whose imprint may use SHA-256, SHA-384 or SHA-512 (SHA-1 and MD5
/// give signing.weak_algorithm): `expected_imprint` is the digest of the timestamped data
/// with `imprint_oid`, which must be the token's imprint algorithm.
Result<TimestampInfo> VerifyTimestampTokenImprint(std::string_view token_der, std::string_view expected_imprint,
                                                  std::string_view imprint_oid);

/// The same over `data` itself (a signature value), hashed with the token's own imprint
/// algorithm.
Result<TimestampInfo> VerifyTimestampTokenOver(std::string_view token_der, std::string_view data);

}  // namespace rubrica::signing
