// One bounded HTTP(S) client for the peers Rúbrica calls (issue 12, "one client for every
// peer"; today the agency's inbox, next the webhooks, the TSA and OCSP clients and
// `rubrica sign`): one request per call over a fresh connection, a connect deadline and a
// total deadline, request and response size caps, TLS verified against a configured CA
// file (VERIFY_STRICT, host name checked against the certificate), never following a
// redirect (a 3xx is returned as it is). It never retries: retrying is the caller's policy.
// Errors (kUnavailable unless said): net.bad_url (kInvalidArgument), net.request_too_large
// (kInvalidArgument), net.connect_failed, net.tls_failed, net.timeout, net.response_too_large
// (kTooLarge), net.io. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "rubrica/base/status.h"

namespace rubrica::delivery {

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

}  // namespace rubrica::delivery
