// Revocation reasons (RFC 5280 §5.3.1) and what is known about one revocation.
//
// Rúbrica revokes member certificates for three business reasons, mapped to RFC names:
//   end of term   -> cessationOfOperation
//   removal       -> affiliationChanged (or superseded when a new certificate replaces it)
//   lost key      -> keyCompromise
// Plain value types; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"

namespace rubrica::keys {

/// CRLReason values; the numbers are the ones encoded in CRLs and OCSP responses.
enum class RevocationReason {
  kUnspecified = 0,
  kKeyCompromise = 1,
  kCaCompromise = 2,
  kAffiliationChanged = 3,
  kSuperseded = 4,
  kCessationOfOperation = 5,
  kCertificateHold = 6,
  kRemoveFromCrl = 8,
  kPrivilegeWithdrawn = 9,
  kAaCompromise = 10,
};

/// RFC 5280 name: "keyCompromise", "cessationOfOperation", ...
std::string_view RevocationReasonName(RevocationReason reason);
/// Spanish words for people ("fin del periodo", "llave comprometida", ...).
std::string_view RevocationReasonSpanish(RevocationReason reason);
/// Parses an RFC 5280 name (case-insensitive) or one of the business aliases "end-of-term",
/// "removal", "lost-key". Fails with keys.bad_revocation_reason (kInvalidArgument).
Result<RevocationReason> ParseRevocationReason(std::string_view text);
/// The reason for a CRLReason code; kUnspecified for unknown codes.
RevocationReason RevocationReasonFromCode(int code);

/// One revocation, as found in a CRL, an OCSP response or the local CA's records.
struct RevocationInfo {
  Instant revoked_at;
  RevocationReason reason = RevocationReason::kUnspecified;
  /// Where it was learnt: "local-ca", "crl" or "ocsp <url>".
  std::string source;
};

}  // namespace rubrica::keys
