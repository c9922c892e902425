// The one bounded HTTP(S) client for every peer Rúbrica calls (issue 12, "one client for
// every peer"): the TSA client (signing), the OCSP client (keys), webhooks and the agency's
// inbox (server), `rubrica sign`. One request per call over a fresh connection, a connect
// deadline and a total deadline (it holds whatever the peer does: once connected, a guard
// thread shuts the socket down when it passes, so a head or a body trickled a byte at a
// time cannot stretch the call), request and response size caps (an answer over the cap is
// refused as soon as its Content-Length says so, or after at most one read buffer past the
// cap: never buffered whole), TLS verified against a configured CA file (VERIFY_STRICT, host
// name checked against the certificate), never following a redirect (a 3xx is returned as
// it is). It never retries: retrying is the caller's policy (the outbox). Callers map these
// codes to their own (e.g. signing.tsa_unavailable).
// Errors (kUnavailable unless said): net.bad_url (kInvalidArgument), net.request_too_large
// (kInvalidArgument), net.connect_failed, net.tls_failed, net.timeout, net.bad_response (the
// peer's bytes are not an HTTP answer), net.response_too_large (kTooLarge), net.io (among
// others: an answer shorter than its Content-Length).
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "rubrica/base/status.h"

namespace rubrica::net {

struct HttpRequest {
  std::string method = "POST";
  std::string url;  // http:// or https://
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::string reason;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string Header(const std::string& name) const;  // case-insensitive; "" when absent
};

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{60000};
  uint64_t max_request_bytes = 1ull << 30;
  uint64_t max_response_bytes = 1u << 20;
  /// Keep the first max_response_bytes of a longer answer instead of failing with
  /// net.response_too_large (for callers that only need the status, e.g. webhooks).
  bool truncate_response = false;
  /// PEM file of the CA(s) that may issue the peer's TLS certificate. Empty: the system's
  /// default CAs. Only for https.
  std::string ca_file;
  /// Refuse plain http:// (default: allowed, for loopback tests of plain peers).
  bool require_tls = false;
};

Result<HttpResponse> SendHttp(const HttpRequest& request, const HttpClientOptions& options);

}  // namespace rubrica::net
