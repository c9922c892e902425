// Making the CMS SignedData that goes into a PDF signature dictionary (PAdES baseline,
// SubFilter ETSI.CAdES.detached), in two steps so that the private key may live anywhere:
//
//   PreparedSignature p = PrepareSignedAttributes(sha256_of_covered_bytes, signer_cert);
//   // the signer's device signs p.signed_attributes (or its digest p.digest_to_sign)
//   std::string cms = AssembleSignedData(p, signature_value, chain, timestamp_token);
//
// SignCms does both in-process with a keys::SigningKey. The profile is in docs/signing.md:
// signed attributes exactly content-type (id-data), message-digest and
// signing-certificate-v2, no signing-time (the time comes from the timestamp); SHA-256;
// ecdsa-with-SHA256 or sha256WithRSAEncryption; detached; issuerAndSerialNumber;
// signature-time-stamp as the only unsigned attribute.
//
// Everything here is deterministic for the same inputs (ECDSA signature values aside) and
// thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/signing_key.h"
#include "rubrica/signing/timestamp_client.h"

namespace rubrica::signing {

/// What a signer's device must sign, and what AssembleSignedData needs to finish. A value;
/// it may be kept between requests, or rebuilt later by calling PrepareSignedAttributes
/// again with the same inputs (the result is identical).
struct PreparedSignature {
  /// DER of the signed attributes as the SET OF that gets signed (tag 0x31). A device that
  /// hashes itself (SigningKey::Sign, WebCrypto, PKCS#11 CKM_ECDSA_SHA256) signs these bytes.
  std::string signed_attributes;
  /// SHA-256 of signed_attributes, for devices that sign a digest (PKCS#11 CKM_ECDSA,
  /// `openssl pkeyutl -sign`; for RSA the device wraps it in a SHA-256 DigestInfo).
  std::string digest_to_sign;
  keys::Certificate signer;
};

/// Builds the signed attributes for `content_digest_sha256` (32 bytes: SHA-256 of the
/// bytes the signature covers, e.g. a PDF's byte ranges) and the signer's certificate.
/// Errors: signing.bad_digest (kInvalidArgument) when the digest is not 32 bytes,
/// signing.unsupported_key (kInvalidArgument) for a key that is neither EC nor RSA.
Result<PreparedSignature> PrepareSignedAttributes(std::string_view content_digest_sha256,
                                                  const keys::Certificate& signer);

/// Builds the CMS ContentInfo (DER) from `prepared` and the `signature_value` made over
/// prepared.signed_attributes (ECDSA: DER Ecdsa-Sig-Value; RSA: PKCS#1 v1.5 SHA-256).
/// `certificates`: the signer's certificate first, then its chain; all are embedded (DER
/// sorts them in the SET). `timestamp_token`, when given, must be an RFC 3161 token over
/// SHA-256(signature_value); it becomes the signature-time-stamp unsigned attribute.
///
/// Nothing is produced unless everything checks out:
///   signing.bad_external_signature (kRejected)  the signature value does not verify with
///                                               the certificate's key over the prepared
///                                               attributes (a device that signed other bytes);
///   signing.bad_certificates (kInvalidArgument) `certificates` empty or not starting with
///                                               the prepared signer;
///   signing.bad_timestamp (kRejected)           the token does not verify or timestamps
///                                               other data (the cause in the message).
Result<std::string> AssembleSignedData(const PreparedSignature& prepared,
                                       std::string_view signature_value,
                                       const std::vector<keys::Certificate>& certificates,
                                       const std::optional<std::string>& timestamp_token = std::nullopt);

/// Prepare, key.Sign, timestamp (when `tsa` is not null) and assemble, in-process, with
/// the same checks as AssembleSignedData.
/// `certificates` as for AssembleSignedData. Errors: those above, plus
/// signing.key_certificate_mismatch (kInvalidArgument) when `key` is not the key of
/// certificates[0], and the TimestampClient's errors (signing.tsa_*) unchanged.
Result<std::string> SignCms(std::string_view content_digest_sha256, const keys::SigningKey& key,
                            const std::vector<keys::Certificate>& certificates,
                            TimestampClient* tsa);

}  // namespace rubrica::signing
