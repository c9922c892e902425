// Strict HTTP/1.1 request framing (RFC 9112), private to the HTTP layer: a push parser that
// is fed the bytes of one connection as they arrive and yields one complete request at a
// time (request line, header fields, and the whole body), so that no worker thread is
// committed before the request is entirely in memory.
//
// What it refuses (the request is never dispatched; the connection is closed after the
// answer):
//   400 http.bad_request_line  not "method SP target SP HTTP/1.x", a target that is not an
//                              absolute path (or absolute URI), bytes outside visible ASCII,
//                              percent-encoding that does not decode, controls in the path
//   400 http.bad_header        a field line without a name, whitespace before the colon, a
//                              control character in a value, obs-fold (a line starting with
//                              whitespace), a bare CR or LF
//   400 http.bad_host          an HTTP/1.1 request without exactly one valid Host
//   400 http.bad_framing       more than one Content-Length (even with the same value), a
//                              Content-Length that is not 1*DIGIT or overflows, any
//                              Transfer-Encoding together with Content-Length, a transfer
//                              coding other than exactly "chunked", Transfer-Encoding in an
//                              HTTP/1.0 request, a malformed chunk
//   413 server.body_too_large  a declared or chunked body over the configured maximum
//   417 http.expectation_failed an Expect other than 100-continue
//   431 http.headers_too_large the request line and fields over max_header_bytes, or more
//                              than max_header_fields fields (trailers count too)
//   505 http.version_not_supported a version other than HTTP/1.0 or HTTP/1.1
//
// Chunked request bodies are accepted (RFC 9112 §7.1: an HTTP/1.1 recipient must parse
// them), strictly: hex sizes of at most 15 digits, extensions tolerated but not interpreted,
// CRLF exactly after every chunk, trailer fields checked like header fields and dropped.
//
// Not thread-safe; one parser per connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rubrica/base/status.h"

namespace rubrica::server::http {

/// One complete request.
struct ParsedRequest {
  std::string method;
  std::string target;                                        // as sent
  std::string path;                                          // percent-decoded, without the query
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case, in order
  std::string body;
  int version_minor = 1;         // HTTP/1.<minor>
  bool keep_alive = true;        // the client allows another request on the connection
  bool expect_continue = false;  // Expect: 100-continue

  /// The first value of header `lower_name` (nullptr when absent).
  const std::string* FindHeader(std::string_view lower_name) const;
};

/// Why a request was refused: the HTTP status and the error sent as the API's JSON body.
struct FramingError {
  int http_status = 400;
  Status status;
};

/// server.body_too_large (kTooLarge, 413): a body over `max_body_bytes`.
Status BodyTooLarge(int64_t max_body_bytes);

struct ParserLimits {
  /// Request line plus header field lines (with their CRLFs). Default 32 KiB.
  size_t max_header_bytes = 32u << 10;
  /// Header fields; trailer fields of a chunked body count against the same cap.
  size_t max_header_fields = 100;
  /// The body, declared or chunked. Default 32 MiB.
  int64_t max_body_bytes = 32ll << 20;
};

class RequestParser {
 public:
  enum class State { kHead, kBody, kComplete, kError };

  explicit RequestParser(ParserLimits limits);

  /// Consumes bytes of `data`, stopping at the end of one request (what follows belongs to
  /// the next one, pipelined). Returns how many bytes it consumed. Consumes nothing once the
  /// request is complete or refused.
  size_t Feed(std::string_view data);

  State state() const { return state_; }
  /// At least one byte of this request arrived.
  bool started() const { return started_; }
  /// The request line and header fields were read (state kBody or kComplete).
  bool head_complete() const { return state_ == State::kBody || state_ == State::kComplete; }
  /// The head announced a body (Content-Length > 0 or chunked).
  bool expects_body() const { return body_mode_ != BodyMode::kNone; }
  /// Body bytes received so far (decoded for chunked).
  int64_t body_bytes() const { return static_cast<int64_t>(request_.body.size()); }
  /// The request so far: complete once state() is kComplete; its head once head_complete().
  const ParsedRequest& request() const { return request_; }
  /// Valid in state kError.
  const FramingError& error() const { return error_; }

  /// Moves the complete request out and makes the parser ready for the next one.
  ParsedRequest TakeRequest();

 private:
  enum class BodyMode { kNone, kLength, kChunked };
  enum class ChunkState { kSize, kData, kDataCr, kDataLf, kTrailer };

  size_t FeedHead(std::string_view data);
  size_t FeedBody(std::string_view data);
  size_t FeedChunked(std::string_view data);
  bool ParseHead();
  bool ParseRequestLine(std::string_view line);
  bool ParseFieldLine(std::string_view line, std::string* name, std::string* value,
                      const char* what);
  bool ApplyFraming();
  bool ParseChunkSizeLine();
  bool ParseTrailerLine();
  void Fail(int http_status, std::string code, std::string message, std::string message_es);

  ParserLimits limits_;
  State state_ = State::kHead;
  bool started_ = false;
  std::string head_;  // bytes of the head received so far
  bool leading_cr_ = false;
  int leading_empty_lines_ = 0;
  ParsedRequest request_;
  FramingError error_;
  BodyMode body_mode_ = BodyMode::kNone;
  int64_t remaining_ = 0;  // of the body (kLength) or of the current chunk (kData)
  ChunkState chunk_state_ = ChunkState::kSize;
  std::string line_;  // a chunk-size or trailer line being read
  size_t trailer_bytes_ = 0;
  size_t trailer_fields_ = 0;
};

}  // namespace rubrica::server::http
