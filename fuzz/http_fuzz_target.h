// The HTTP request framing (server/src/http/request_parser.h) as one function of untrusted
// bytes, shared by the libFuzzer target (http_fuzzer.cc) and the seed test
// (tests/fuzz/http_seeds_test.cc), so CI runs every seed through exactly what the fuzzer runs.
//
// The bytes are what one client sent on one connection. They are framed three times: whole,
// one byte at a time, and in pieces of 1..13 bytes; the three must give the same requests
// and the same end (the framing may not depend on how TCP splits a stream). Each request is
// checked against what the framing promises (a declared Content-Length is the body's size,
// no body over the limit, a path that starts with '/' and has no controls, lower-case header
// names). A broken promise aborts, so the fuzzer reports it as a crash.
#pragma once

#include <string>
#include <string_view>

namespace rubrica::fuzzing {

/// Limits the fuzzer frames under: small, so that inputs reach them.
inline constexpr size_t kHttpFuzzMaxHeaderBytes = 4096;
inline constexpr size_t kHttpFuzzMaxHeaderFields = 32;
inline constexpr long long kHttpFuzzMaxBodyBytes = 65536;

struct HttpFramingOutcome {
  int requests = 0;          // complete requests framed
  int refused_status = 0;    // 0: none refused; else the refusal's HTTP status
  std::string refused_code;  // the refusal's error code
  bool incomplete = false;   // the bytes end inside a request
};

HttpFramingOutcome FrameHttpRequests(std::string_view bytes);

}  // namespace rubrica::fuzzing
