// Checking the CMS of a PDF signature against the digest of the bytes it covers: the
// cryptography and the CAdES profile, not the trust. Chain building, validity at the
// signing time and revocation are for the caller (keys::TrustStore), which gets every
// embedded certificate for that; so does the PAdES verifier, which maps CmsResult to
// ETSI EN 319 102-1 indications with EtsiStatusFor.
//
// The input comes from anyone: parsing is strict DER, bounded (at most 4 MiB, 64
// certificates, 16 SignerInfos, 64 attributes), never recursive on the input, and every
// failure is a report, never a crash or an exception. Zero bytes after the CMS (the
// padding of a PDF's /Contents) are allowed.
//
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/signing/timestamp_token.h"

namespace rubrica::signing {

/// The outcome of one check, and of the whole CMS (the first failed check in report order).
enum class CmsResult {
  kPassed,
  kFormatFailure,              // not DER CMS, not detached id-data, several SignerInfos,
                               // signed attributes missing or malformed
  kCryptoConstraintsFailure,   // MD5 or SHA-1 (or an algorithm outside the profile)
  kHashFailure,                // message-digest differs from the covered bytes' digest
  kNoSigningCertificateFound,  // signer certificate not embedded, or signing-certificate-v2
                               // names another certificate
  kSigCryptoFailure,           // the signature over the signed attributes does not verify
  kTimestampFailure,           // a signature-time-stamp is present but does not verify
};

/// Stable lower-case name ("passed", "format_failure", ...).
std::string_view CmsResultName(CmsResult r);

/// ETSI EN 319 102-1 (table 5) terms for a result: the indication ("TOTAL-PASSED",
/// "TOTAL-FAILED", "INDETERMINATE") and sub-indication ("" when passed).
/// kTimestampFailure maps to INDETERMINATE / SIG_CONSTRAINTS_FAILURE: our constraints want
/// a valid signature-time-stamp wherever one is present (docs/signing.md).
struct EtsiStatus {
  std::string_view indication;
  std::string_view sub_indication;
};
EtsiStatus EtsiStatusFor(CmsResult r);

struct CmsCheck {
  enum class State { kPassed, kFailed, kNotRun };
  std::string id;        // stable: "cms.structure", "cms.message_digest", ... (docs/signing.md)
  State state = State::kNotRun;
  CmsResult failure = CmsResult::kPassed;  // what a failure of this check means
  std::string message;  // English, precise: what was found, where
};

struct CmsTimestamp {
  bool present = false;
  /// OK when the token verified (TSA signature, signing-certificate attribute, EKU,
  /// imprint = SHA-256 of this SignerInfo's signature value); else the error from
  /// VerifyTimestampToken (its code names the cause).
  Status status;
  std::optional<TimestampInfo> info;  // set when the token verified
  std::string token;                  // the token's DER (when exactly one is present)
};

struct CmsReport {
  CmsResult result = CmsResult::kFormatFailure;
  /// Every check, in order; later checks may be kNotRun when an earlier one failed and
  /// they depend on it.
  std::vector<CmsCheck> checks;

  std::optional<keys::Certificate> signer;      // found by the SignerInfo's sid
  std::vector<keys::Certificate> certificates;  // everything embedded, for chain building
  std::vector<std::string> signed_attributes;   // attribute type OIDs, dotted, in order
  bool has_signing_time = false;                // PAdES baseline forbids it: caller decides
  std::string signature_value;                  // raw, for the caller's records
  CmsTimestamp timestamp;

  /// Notes on the format that do not fail it (e.g. "PKCS#7 without PAdES baseline
  /// attributes", SHA-1), English.
  std::vector<std::string> warnings;
  std::string digest_algorithm;  // the SignerInfo's, dotted

  bool ok() const { return result == CmsResult::kPassed; }
  /// The covered bytes are as signed: the message digest matched and the signature value
  /// verified (whatever else failed, e.g. a weak algorithm or a missing attribute).
  bool intact() const;
  /// The message digest check ran and failed: the covered bytes changed.
  bool altered() const;
  /// The first failed check, or nullptr.
  const CmsCheck* FirstFailure() const;
};

/// Verifies `cms_der` for `content_digest_sha256` (32 bytes) under the CAdES profile
/// (VerifyPdfCms with kCadesDetached). Always returns a report; an error Status only for a
/// digest that is not 32 bytes (signing.bad_digest).
Result<CmsReport> VerifyCms(std::string_view cms_der, std::string_view content_digest_sha256);

/// The profiles of PDF signatures (ISO 32000-1 12.8.3, ETSI EN 319 142-1).
enum class CmsProfile {
  kCadesDetached,  // ETSI.CAdES.detached: signing-certificate-v2 required, no SHA-1
  kPkcs7Detached,  // adbe.pkcs7.detached: detached; signed attributes and ESS optional
  kPkcs7Sha1,      // adbe.pkcs7.sha1: eContent is the SHA-1 of the covered bytes
  kUnknown,        // the /SubFilter is not known (structure unreadable): either PKCS#7 form
};

/// The digest algorithm (dotted OID) the covered bytes of a PDF signature must be hashed
/// with for `der`: the imprint algorithm of an RFC 3161 token, SHA-1 when the SignedData
/// embeds content (adbe.pkcs7.sha1), else the SignerInfo's digestAlgorithm.
/// signing.bad_der / signing.not_signed_data when `der` does not parse.
Result<std::string> CoveredDigestAlgorithm(std::string_view der);

/// Verifies a PDF signature's CMS against `content_digest`, the digest of the covered bytes
/// with CoveredDigestAlgorithm(cms_der). PKCS#7 profiles accept SignerInfos without signed
/// attributes or ESS attributes (warnings say so) and verify SHA-1 signatures, reporting
/// SHA-1 as kCryptoConstraintsFailure while still telling whether they are intact().
CmsReport VerifyPdfCms(std::string_view cms_der, std::string_view content_digest, CmsProfile profile);

}  // namespace rubrica::signing
