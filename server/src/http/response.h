// Private to the HTTP layer: a response as handlers leave it, and its bytes on the wire.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rubrica/base/status.h"

namespace rubrica::server::http {

struct HttpResponse {
  int status = 500;
  std::string content_type;
  /// Set by handlers (SetHeader); a name set twice keeps the last value.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /// Replaces or adds a header. CR, LF and NUL are removed from both (no header injection).
  void Set(std::string_view name, std::string_view value);
};

/// The reason phrase of an HTTP status (RFC 9110 §15), e.g. "Not Found"; "Unknown" for a
/// code that has none.
std::string_view ReasonPhrase(int status);

/// {"error":{"code","kind","message"(Spanish),"message_en"}}: the body of every error.
std::string ErrorJson(const Status& status);

/// A JSON error response with an explicit HTTP status (the front end's own answers: 408,
/// 413, 431, 505, ... that no ErrorKind maps to).
HttpResponse ErrorResponse(int http_status, const Status& status);

/// The status line and header section (ending with the empty line). Adds Content-Type,
/// Content-Length, Date, X-Content-Type-Options: nosniff and Cache-Control: no-store (unless
/// the handler set them), and Connection: close when `close`. The body follows separately;
/// a HEAD response keeps the GET's Content-Length and sends no body.
std::string SerializeHead(const HttpResponse& response, bool close);

}  // namespace rubrica::server::http
