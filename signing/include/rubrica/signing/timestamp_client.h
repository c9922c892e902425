// Obtaining RFC 3161 timestamp tokens.
//
// TimestampClient is the interface the signer uses (SignCms takes one); HttpTimestampClient
// speaks RFC 3161 over HTTP (section 3.4) to any TSA; InProcessTimestampClient asks the
// embedded TimestampAuthority directly, with the same request and the same checks.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "rubrica/base/status.h"

namespace rubrica::signing {

class TimestampAuthority;

class TimestampClient {
 public:
  virtual ~TimestampClient() = default;
  /// A TimeStampToken (DER ContentInfo) over `imprint_sha256` (32 bytes: the SHA-256 of the
  /// data to timestamp), checked before it is returned. Thread-safe in every implementation.
  virtual Result<std::string> Timestamp(std::string_view imprint_sha256) = 0;
};

struct HttpTimestampClientOptions {
  /// Deadline of the connection, and of the whole exchange. Default 10 s.
  std::chrono::milliseconds timeout{10000};
  /// Largest reply accepted, never buffered past it. Default 64 KiB (a token with the TSA's
  /// chain is a few KiB).
  size_t max_response_bytes = 64 * 1024;
};

/// RFC 3161 over HTTP: POST of a TimeStampReq (SHA-256 imprint, a random 64-bit nonce,
/// certReq true) with Content-Type application/timestamp-query. The reply must have status
/// granted (or grantedWithMods), echo the nonce and the imprint, and carry a token whose
/// TSA signature, signing-certificate attribute and timeStamping EKU verify
/// (VerifyTimestampToken). Whether the TSA is trusted is the caller's decision.
///
/// Errors of Timestamp():
///   signing.bad_digest (kInvalidArgument)      the imprint is not 32 bytes;
///   signing.tsa_unavailable (kUnavailable)     connection refused, DNS failure, timeout;
///   signing.tsa_http_error (kUnavailable)      an HTTP status other than 200;
///   signing.tsa_rejected (kUnavailable)        a TimeStampResp with status rejection,
///                                              waiting, revocation...: the TSA's status text
///                                              and failure bits are in the message;
///   signing.tsa_bad_response (kUnavailable)    a body that is not a TimeStampResp, too
///                                              large, or a token that does not check out.
///
/// The exchange goes through the one bounded client of every peer (net::SendHttp).
/// Thread-safe: each call opens its own connection. Only http:// URLs (the embedded TSA and
/// most public TSAs); https:// is refused by Create.
class HttpTimestampClient final : public TimestampClient {
 public:
  /// `url` like "http://127.0.0.1:8080/tsa". Fails with signing.bad_tsa_url
  /// (kInvalidArgument) when it is not an http URL with a host.
  static Result<std::unique_ptr<HttpTimestampClient>> Create(std::string url,
                                                             HttpTimestampClientOptions options = {});

  Result<std::string> Timestamp(std::string_view imprint_sha256) override;

  const std::string& url() const { return url_; }

 private:
  HttpTimestampClient(std::string url, HttpTimestampClientOptions options)
      : url_(std::move(url)), options_(options) {}
  Result<std::string> Post(const std::string& request_der) const;

  std::string url_;
  HttpTimestampClientOptions options_;
};

/// RFC 3161 without a network: the TimeStampReq HttpTimestampClient would send (random
/// nonce, certReq true) is answered by `authority` in this process, and the reply checked
/// exactly as HttpTimestampClient checks it. For the service's own embedded TSA, so that a
/// signature never waits for an HTTP worker (the /tsa route still serves outside clients).
///
/// Errors of Timestamp(): signing.bad_digest; signing.tsa_failed (kInternal) when the
/// authority cannot sign; signing.tsa_rejected and signing.tsa_bad_response as above.
/// Thread-safe (TimestampAuthority::Respond is). `authority` must outlive the client.
class InProcessTimestampClient final : public TimestampClient {
 public:
  explicit InProcessTimestampClient(const TimestampAuthority& authority) : authority_(authority) {}

  Result<std::string> Timestamp(std::string_view imprint_sha256) override;

 private:
  const TimestampAuthority& authority_;
};

}  // namespace rubrica::signing
