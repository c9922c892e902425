// A minimal RFC 6960 OCSP client. Private to the keys module; used by TrustStore when a
// certificate names a responder and the caller gives an OcspTransport (trust_store.h; the
// HTTP one is in ocsp_http.cc, so that only processes that may use the network link it).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/revocation.h"
#include "rubrica/keys/trust_store.h"

namespace rubrica::keys {

struct OcspAnswer {
  bool revoked = false;
  Instant this_update;
  std::optional<RevocationInfo> revocation;
};

/// Asks the responder at `url` (through `transport`: `timeout` is the deadline of the
/// connection and of the whole exchange, answers over 64 KiB are refused) about `cert`,
/// issued by `issuer`. The
/// response must carry our nonce when the responder echoes nonces, be signed by the issuer
/// or a responder it delegated (the signer's chain built from `chain`, the validated chain
/// of `cert`, up to one of `anchors`, with `clock` as the time), and
/// be current (thisUpdate not in the future, nextUpdate not past; 5 minutes of skew).
/// Errors: keys.ocsp_failed (kUnavailable) for network and HTTP problems, keys.ocsp_invalid
/// (kRejected) for a response that does not verify or does not answer, keys.ocsp_unknown
/// when the responder does not know the certificate.
Result<OcspAnswer> QueryOcsp(const OcspTransport& transport, const std::string& url, const Certificate& cert,
                             const Certificate& issuer, const std::vector<Certificate>& chain,
                             const std::vector<Certificate>& anchors, const Clock& clock,
                             std::chrono::milliseconds timeout);

/// QueryOcsp's checks on a response already received: `reply` (at most 64 KiB) to the DER
/// OCSPRequest `request_der` (for its nonce). The same errors but the network's. The
/// parser the OCSP fuzzer drives (fuzz/input_fuzz_targets.h).
Result<OcspAnswer> ReadOcspResponse(const std::string& url, std::string_view request_der,
                                    std::string_view reply, const Certificate& cert,
                                    const Certificate& issuer, const std::vector<Certificate>& chain,
                                    const std::vector<Certificate>& anchors, const Clock& clock);

}  // namespace rubrica::keys
