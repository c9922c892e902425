#include "http_fuzz_target.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "request_parser.h"

namespace rubrica::fuzzing {

namespace {

using server::http::ParsedRequest;
using server::http::RequestParser;

void Check(bool ok, const char* promise) {
  if (!ok) {
    std::fprintf(stderr, "http framing broke a promise: %s\n", promise);
    std::abort();
  }
}

void CheckRequest(const ParsedRequest& r) {
  Check(!r.method.empty(), "a method");
  Check(!r.path.empty() && r.path.front() == '/', "a path starting with '/'");
  for (char c : r.path) {
    Check(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f, "no controls in the path");
  }
  Check(static_cast<long long>(r.body.size()) <= kHttpFuzzMaxBodyBytes, "no body over the limit");
  Check(r.headers.size() <= kHttpFuzzMaxHeaderFields, "no more fields than the limit");
  for (const auto& [name, value] : r.headers) {
    Check(!name.empty(), "a field name");
    for (char c : name) Check(!(c >= 'A' && c <= 'Z'), "lower-case field names");
    for (char c : value) Check(c != '\r' && c != '\n' && c != '\0', "no CR, LF or NUL in values");
  }
  if (const std::string* cl = r.FindHeader("content-length")) {
    Check(std::strtoll(cl->c_str(), nullptr, 10) == static_cast<long long>(r.body.size()),
          "a body of the declared Content-Length");
  }
  if (r.version_minor == 0) Check(!r.keep_alive, "HTTP/1.0 connections are not kept alive");
}

struct Framed {
  std::vector<ParsedRequest> requests;
  HttpFramingOutcome outcome;
};

// Frames `bytes` fed in pieces of the sizes `piece(i)` gives for the i-th piece (0: whole).
template <typename PieceSize>
Framed Frame(std::string_view bytes, PieceSize piece) {
  server::http::ParserLimits limits;
  limits.max_header_bytes = kHttpFuzzMaxHeaderBytes;
  limits.max_header_fields = kHttpFuzzMaxHeaderFields;
  limits.max_body_bytes = kHttpFuzzMaxBodyBytes;
  RequestParser parser(limits);
  Framed out;
  size_t pos = 0;
  for (size_t i = 0; pos < bytes.size(); ++i) {
    const size_t n = piece(i);
    std::string_view data = bytes.substr(pos, n == 0 ? bytes.size() : n);
    pos += data.size();
    while (!data.empty()) {
      const size_t used = parser.Feed(data);
      Check(used <= data.size(), "never consumes more than it was given");
      data.remove_prefix(used);
      if (parser.state() == RequestParser::State::kError) {
        out.outcome.refused_status = parser.error().http_status;
        out.outcome.refused_code = parser.error().status.code();
        Check(out.outcome.refused_status >= 400 && !out.outcome.refused_code.empty(),
              "a refusal has a 4xx/5xx status and a code");
        return out;
      }
      if (parser.state() != RequestParser::State::kComplete) {
        Check(data.empty(), "consumes everything while a request is incomplete");
        break;
      }
      out.requests.push_back(parser.TakeRequest());
      CheckRequest(out.requests.back());
    }
  }
  out.outcome.requests = static_cast<int>(out.requests.size());
  out.outcome.incomplete = parser.started();
  return out;
}

bool Same(const ParsedRequest& a, const ParsedRequest& b) {
  return a.method == b.method && a.target == b.target && a.path == b.path && a.query == b.query &&
         a.headers == b.headers && a.body == b.body && a.version_minor == b.version_minor &&
         a.keep_alive == b.keep_alive && a.expect_continue == b.expect_continue;
}

bool Same(const Framed& a, const Framed& b) {
  if (a.requests.size() != b.requests.size()) return false;
  for (size_t i = 0; i < a.requests.size(); ++i) {
    if (!Same(a.requests[i], b.requests[i])) return false;
  }
  return a.outcome.refused_status == b.outcome.refused_status &&
         a.outcome.refused_code == b.outcome.refused_code &&
         a.outcome.incomplete == b.outcome.incomplete;
}

}  // namespace

HttpFramingOutcome FrameHttpRequests(std::string_view bytes) {
  const Framed whole = Frame(bytes, [](size_t) { return size_t{0}; });
  const Framed bytewise = Frame(bytes, [](size_t) { return size_t{1}; });
  const Framed pieces = Frame(bytes, [](size_t i) { return i % 13 + 1; });
  Check(Same(whole, bytewise), "the same framing fed one byte at a time");
  Check(Same(whole, pieces), "the same framing fed in pieces");
  return whole.outcome;
}

}  // namespace rubrica::fuzzing
