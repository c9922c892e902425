// The keys module's error statuses that more than one file produces, so each code keeps
// one wording (English with context, Spanish for people).
#pragma once

#include <string>
#include <string_view>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/revocation.h"

namespace rubrica::keys {

/// "YYYY-MM-DD" in UTC.
std::string DateUtc(Instant t);
/// "CN=..., serial 1a2b..." naming a certificate in messages.
std::string Describe(const Certificate& cert);

Status CertificateExpired(const Certificate& cert, Instant at);
Status NotYetValid(const Certificate& cert, Instant at);
Status CertificateRevoked(const Certificate& cert, const RevocationInfo& info);
Status UntrustedIssuer(const Certificate& cert, std::string_view detail);
Status UsageNotAllowed(const Certificate& cert, std::string_view why);
Status BadSignatureInChain(const Certificate& cert, std::string_view detail);
Status KeyCertificateMismatch(std::string_view detail);
Status BadSubject(std::string_view field, std::string_view why);
Status Internal(std::string_view code, std::string_view what);

}  // namespace rubrica::keys
