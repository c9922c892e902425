// One RFC 3161 exchange, apart from its transport: the TimeStampReq is built here, handed
// to `exchange` (HTTP for HttpTimestampClient, the authority itself in-process), and the
// reply checked (status, nonce, imprint, the token's signature). Private to the signing
// module; the TSA-response fuzzer (fuzz/input_fuzz_targets.h) drives the reply's parser
// through it.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "rubrica/base/status.h"

namespace rubrica::signing {

/// The DER TimeStampToken for the 32-byte SHA-256 `imprint_sha256`. Errors:
/// signing.bad_digest, signing.tsa_bad_response (kUnavailable: malformed, wrong nonce or
/// imprint, bad signature), signing.tsa_rejected, and whatever `exchange` returns.
Result<std::string> RequestTimestamp(std::string_view imprint_sha256, const std::string& tsa,
                                     const std::function<Result<std::string>(const std::string&)>& exchange);

}  // namespace rubrica::signing
