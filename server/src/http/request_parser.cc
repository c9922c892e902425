#include "request_parser.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>

#include "ascii.h"

namespace rubrica::server::http {

namespace {

// Leading empty lines before a request line are tolerated (RFC 9112 §2.2), a few of them.
constexpr int kMaxLeadingEmptyLines = 4;
// A chunk-size line with its extensions.
constexpr size_t kMaxChunkSizeLine = 4096;
// 15 hex digits: no overflow in int64_t, far above any body limit.
constexpr size_t kMaxChunkSizeDigits = 15;
// 18 decimal digits: no overflow in int64_t.
constexpr size_t kMaxContentLengthDigits = 18;
// Body bytes reserved up front for a declared length; the rest grows as bytes arrive, so a
// client cannot make us allocate what it has not sent.
constexpr int64_t kMaxReserve = 1 << 20;

bool IsTchar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

// field-vchar / SP / HTAB (obs-text allowed); no controls, no DEL.
bool IsFieldValueChar(unsigned char c) { return c == '\t' || c == ' ' || (c >= 0x21 && c != 0x7f); }

bool IsWhitespace(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && IsWhitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsWhitespace(s.back())) s.remove_suffix(1);
  return s;
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

// uri-host [ ":" port ] in the characters RFC 3986 allows there.
bool IsValidHost(std::string_view v) {
  static constexpr std::string_view kAllowed = "-._~:[]%!$&'()*+,;=";
  return std::all_of(v.begin(), v.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z') ||
           kAllowed.find(c) != std::string_view::npos;
  });
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
  return -1;
}

}  // namespace

const std::string* ParsedRequest::FindHeader(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return &value;
  }
  return nullptr;
}

Status BodyTooLarge(int64_t max_body_bytes) {
  return Status::Error(ErrorKind::kTooLarge, "server.body_too_large",
                       "request body exceeds " + std::to_string(max_body_bytes) + " bytes",
                       "La solicitud excede el tamaño máximo permitido.");
}

RequestParser::RequestParser(ParserLimits limits) : limits_(limits) {}

void RequestParser::Fail(int http_status, std::string code, std::string message,
                         std::string message_es) {
  state_ = State::kError;
  error_.http_status = http_status;
  error_.status =
      Status::Error(http_status == 413 ? ErrorKind::kTooLarge : ErrorKind::kInvalidArgument,
                    std::move(code), std::move(message), std::move(message_es));
}

size_t RequestParser::Feed(std::string_view data) {
  size_t consumed = 0;
  if (state_ == State::kHead) consumed += FeedHead(data);
  if (state_ == State::kBody) consumed += FeedBody(data.substr(consumed));
  return consumed;
}

size_t RequestParser::FeedHead(std::string_view data) {
  size_t i = 0;
  // Empty lines before the request line.
  while (head_.empty() && i < data.size()) {
    started_ = true;
    if (leading_cr_) {
      if (data[i] != '\n') {
        Fail(400, "http.bad_request_line", "bare CR before the request line",
             "La solicitud HTTP no es válida (línea de solicitud).");
        return i;
      }
      leading_cr_ = false;
      ++i;
      continue;
    }
    if (data[i] != '\r') break;
    if (++leading_empty_lines_ > kMaxLeadingEmptyLines) {
      Fail(400, "http.bad_request_line", "too many empty lines before the request line",
           "La solicitud HTTP no es válida (línea de solicitud).");
      return i;
    }
    leading_cr_ = true;
    ++i;
  }
  if (i == data.size()) return i;
  started_ = true;
  // The head is the request line and the field lines; "\r\n\r\n" ends it. Never hold more
  // than the limit plus the terminator.
  const size_t old = head_.size();
  const size_t cap = limits_.max_header_bytes + 4;
  const size_t take = std::min(data.size() - i, cap > old ? cap - old : 0);
  head_.append(data.substr(i, take));
  const size_t pos = head_.find("\r\n\r\n", old >= 3 ? old - 3 : 0);
  if (pos == std::string::npos) {
    if (head_.size() >= cap) {
      Fail(431, "http.headers_too_large",
           "request line and header fields exceed " + std::to_string(limits_.max_header_bytes) +
               " bytes",
           "Los encabezados de la solicitud son demasiado grandes.");
    }
    return i + take;
  }
  const size_t end = pos + 4;
  const size_t unused = head_.size() - end;  // bytes of the body or of the next request
  head_.resize(end);
  if (pos + 2 > limits_.max_header_bytes) {
    Fail(431, "http.headers_too_large",
         "request line and header fields exceed " + std::to_string(limits_.max_header_bytes) +
             " bytes",
         "Los encabezados de la solicitud son demasiado grandes.");
    return i + take - unused;
  }
  if (ParseHead() && ApplyFraming()) {
    state_ = body_mode_ == BodyMode::kNone ? State::kComplete : State::kBody;
  }
  return i + take - unused;
}

bool RequestParser::ParseHead() {
  std::string_view rest(head_);
  rest.remove_suffix(4);  // the final CRLF CRLF
  size_t eol = rest.find("\r\n");
  if (!ParseRequestLine(rest.substr(0, eol))) return false;
  while (eol != std::string_view::npos) {
    rest.remove_prefix(eol + 2);
    eol = rest.find("\r\n");
    std::string name, value;
    if (!ParseFieldLine(rest.substr(0, eol), &name, &value, "header")) return false;
    if (request_.headers.size() >= limits_.max_header_fields) {
      Fail(431, "http.headers_too_large",
           "more than " + std::to_string(limits_.max_header_fields) + " header fields",
           "Los encabezados de la solicitud son demasiado grandes.");
      return false;
    }
    request_.headers.emplace_back(std::move(name), std::move(value));
  }
  return true;
}

bool RequestParser::ParseRequestLine(std::string_view line) {
  auto bad = [&](const std::string& why) {
    Fail(400, "http.bad_request_line", "bad request line: " + why,
         "La solicitud HTTP no es válida (línea de solicitud).");
    return false;
  };
  const size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return bad("no target");
  const size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return bad("no HTTP version");
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (method.empty() || !std::all_of(method.begin(), method.end(), [](char c) {
        return IsTchar(static_cast<unsigned char>(c));
      })) {
    return bad("the method is not a token");
  }
  if (target.empty() || !std::all_of(target.begin(), target.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x21 && u <= 0x7e;
      })) {
    return bad("the target is empty or has characters outside visible ASCII");
  }
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' ||
      version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9') {
    return bad("the version is not HTTP/<digit>.<digit>");
  }
  if (version[5] != '1') {
    Fail(505, "http.version_not_supported",
         "HTTP version " + std::string(version.substr(5)) + " is not supported (only 1.0 and 1.1)",
         "Versión de HTTP no admitida.");
    return false;
  }
  request_.version_minor = version[7] == '0' ? 0 : 1;
  request_.method = std::string(method);
  request_.target = std::string(target);
  const bool absolute = target.size() > 7 && (EqualsIgnoreCase(target.substr(0, 7), "http://") ||
                                              EqualsIgnoreCase(target.substr(0, 8), "https://"));
  if (target.front() != '/' && !absolute) {
    return bad("the target is neither an absolute path nor an absolute http(s) URI");
  }
  try {
    Poco::URI uri{std::string(target)};
    request_.path = uri.getPath();
    for (auto& kv : uri.getQueryParameters()) request_.query.push_back(std::move(kv));
  } catch (const Poco::Exception& e) {
    return bad("the target does not parse: " + e.message());
  } catch (const std::exception& e) {
    return bad(std::string("the target does not parse: ") + e.what());
  }
  if (request_.path.empty()) request_.path = "/";
  if (HasControl(request_.path)) return bad("the decoded path has control characters");
  return true;
}

bool RequestParser::ParseFieldLine(std::string_view line, std::string* name, std::string* value,
                                   const char* what) {
  auto bad = [&](const std::string& why) {
    Fail(400, "http.bad_header", std::string("bad ") + what + " field: " + why,
         "La solicitud HTTP no es válida (encabezados).");
    return false;
  };
  if (!line.empty() && IsWhitespace(line.front())) {
    return bad("obs-fold (a line starting with whitespace) is not accepted");
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bad("no colon");
  const std::string_view n = line.substr(0, colon);
  if (n.empty()) return bad("empty name");
  for (char c : n) {
    if (IsWhitespace(c)) return bad("whitespace before the colon");
    if (!IsTchar(static_cast<unsigned char>(c))) return bad("the name is not a token");
  }
  const std::string_view v = TrimOws(line.substr(colon + 1));
  for (char c : v) {
    if (!IsFieldValueChar(static_cast<unsigned char>(c))) {
      return bad("control character in the value of " + std::string(n));
    }
  }
  *name = AsciiLower(n);
  *value = std::string(v);
  return true;
}

bool RequestParser::ApplyFraming() {
  auto bad = [&](const std::string& why) {
    Fail(400, "http.bad_framing", "bad message framing: " + why,
         "La solicitud HTTP no es válida: la longitud de su contenido es ambigua o no está "
         "permitida.");
    return false;
  };
  int content_lengths = 0, transfer_encodings = 0, hosts = 0;
  std::string_view content_length, transfer_encoding, host;
  for (const auto& [name, value] : request_.headers) {
    if (name == "content-length") {
      ++content_lengths;
      content_length = value;
    } else if (name == "transfer-encoding") {
      ++transfer_encodings;
      transfer_encoding = value;
    } else if (name == "host") {
      ++hosts;
      host = value;
    } else if (name == "expect") {
      if (!EqualsIgnoreCase(value, "100-continue")) {
        Fail(417, "http.expectation_failed", "unsupported expectation '" + value + "'",
             "El encabezado Expect de la solicitud no es compatible.");
        return false;
      }
      request_.expect_continue = request_.version_minor >= 1;
    } else if (name == "connection") {
      std::string_view tokens = value;
      while (!tokens.empty()) {
        const size_t comma = tokens.find(',');
        if (EqualsIgnoreCase(TrimOws(tokens.substr(0, comma)), "close"))
          request_.keep_alive = false;
        tokens = comma == std::string_view::npos ? std::string_view() : tokens.substr(comma + 1);
      }
    }
  }
  if (request_.version_minor == 0) request_.keep_alive = false;
  if (request_.version_minor >= 1 && hosts != 1) {
    Fail(400, "http.bad_host",
         hosts == 0 ? "no Host header field" : "more than one Host header field",
         "La solicitud HTTP no es válida (encabezado Host).");
    return false;
  }
  if (hosts == 1 && !IsValidHost(host)) {
    Fail(400, "http.bad_host", "invalid Host header field",
         "La solicitud HTTP no es válida (encabezado Host).");
    return false;
  }
  if (content_lengths > 1) return bad("more than one Content-Length");
  if (transfer_encodings > 1) return bad("more than one Transfer-Encoding field");
  if (transfer_encodings == 1) {
    if (content_lengths == 1) return bad("Transfer-Encoding together with Content-Length");
    if (request_.version_minor == 0) return bad("Transfer-Encoding in an HTTP/1.0 request");
    if (!EqualsIgnoreCase(transfer_encoding, "chunked")) {
      return bad("unsupported transfer coding '" + std::string(transfer_encoding) +
                 "' (only chunked)");
    }
    body_mode_ = BodyMode::kChunked;
    chunk_state_ = ChunkState::kSize;
    return true;
  }
  if (content_lengths == 1) {
    if (content_length.empty() || content_length.size() > kMaxContentLengthDigits ||
        !std::all_of(content_length.begin(), content_length.end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
      return bad("Content-Length '" + std::string(content_length) +
                 "' is not a decimal number of at most 18 digits");
    }
    int64_t n = 0;
    for (char c : content_length) n = n * 10 + (c - '0');
    if (n > limits_.max_body_bytes) {
      state_ = State::kError;
      error_ = {413, BodyTooLarge(limits_.max_body_bytes)};
      return false;
    }
    if (n > 0) {
      body_mode_ = BodyMode::kLength;
      remaining_ = n;
      request_.body.reserve(static_cast<size_t>(std::min(n, kMaxReserve)));
    }
  }
  return true;
}

size_t RequestParser::FeedBody(std::string_view data) {
  if (body_mode_ == BodyMode::kChunked) return FeedChunked(data);
  const size_t take =
      static_cast<size_t>(std::min<int64_t>(remaining_, static_cast<int64_t>(data.size())));
  request_.body.append(data.substr(0, take));
  remaining_ -= static_cast<int64_t>(take);
  if (remaining_ == 0) state_ = State::kComplete;
  return take;
}

size_t RequestParser::FeedChunked(std::string_view data) {
  auto bad_chunk = [&](const std::string& why) {
    Fail(400, "http.bad_framing", "bad chunked body: " + why,
         "La solicitud HTTP no es válida: la longitud de su contenido es ambigua o no está "
         "permitida.");
  };
  size_t i = 0;
  while (i < data.size() && state_ == State::kBody) {
    switch (chunk_state_) {
      case ChunkState::kSize:
      case ChunkState::kTrailer: {
        const size_t nl = data.find('\n', i);
        const size_t end = nl == std::string_view::npos ? data.size() : nl + 1;
        line_.append(data.substr(i, end - i));
        i = end;
        const bool trailer = chunk_state_ == ChunkState::kTrailer;
        const size_t cap = trailer ? limits_.max_header_bytes + 2 : kMaxChunkSizeLine;
        if (line_.size() > cap) {
          if (trailer) {
            Fail(431, "http.headers_too_large", "trailer field line too long",
                 "Los encabezados de la solicitud son demasiado grandes.");
          } else {
            bad_chunk("chunk-size line longer than " + std::to_string(kMaxChunkSizeLine) +
                      " bytes");
          }
          return i;
        }
        if (nl == std::string_view::npos) break;
        if (line_.size() < 2 || line_[line_.size() - 2] != '\r') {
          bad_chunk("a line not ended by CRLF");
          return i;
        }
        line_.resize(line_.size() - 2);
        if (!(trailer ? ParseTrailerLine() : ParseChunkSizeLine())) return i;
        line_.clear();
        break;
      }
      case ChunkState::kData: {
        const size_t take = static_cast<size_t>(
            std::min<int64_t>(remaining_, static_cast<int64_t>(data.size() - i)));
        request_.body.append(data.substr(i, take));
        remaining_ -= static_cast<int64_t>(take);
        i += take;
        if (remaining_ == 0) chunk_state_ = ChunkState::kDataCr;
        break;
      }
      case ChunkState::kDataCr:
      case ChunkState::kDataLf: {
        const bool cr = chunk_state_ == ChunkState::kDataCr;
        if (data[i] != (cr ? '\r' : '\n')) {
          bad_chunk("chunk data not followed by CRLF");
          return i;
        }
        ++i;
        chunk_state_ = cr ? ChunkState::kDataLf : ChunkState::kSize;
        break;
      }
    }
  }
  return i;
}

bool RequestParser::ParseChunkSizeLine() {
  auto bad = [&](const std::string& why) {
    Fail(400, "http.bad_framing", "bad chunked body: " + why,
         "La solicitud HTTP no es válida: la longitud de su contenido es ambigua o no está "
         "permitida.");
    return false;
  };
  size_t digits = 0;
  int64_t size = 0;
  while (digits < line_.size() && HexValue(line_[digits]) >= 0) {
    if (digits == kMaxChunkSizeDigits) return bad("chunk size of more than 15 hex digits");
    size = size * 16 + HexValue(line_[digits]);
    ++digits;
  }
  if (digits == 0) return bad("chunk size is not hexadecimal");
  // chunk-ext: BWS ";" ... — tolerated, not interpreted; no controls.
  std::string_view ext = std::string_view(line_).substr(digits);
  while (!ext.empty() && IsWhitespace(ext.front())) ext.remove_prefix(1);
  if (!ext.empty()) {
    if (ext.front() != ';') return bad("unexpected characters after the chunk size");
    for (char c : ext) {
      if (!IsFieldValueChar(static_cast<unsigned char>(c)))
        return bad("control character in a chunk extension");
    }
  }
  if (size == 0) {
    chunk_state_ = ChunkState::kTrailer;
    return true;
  }
  if (size > limits_.max_body_bytes - static_cast<int64_t>(request_.body.size())) {
    state_ = State::kError;
    error_ = {413, BodyTooLarge(limits_.max_body_bytes)};
    return false;
  }
  remaining_ = size;
  chunk_state_ = ChunkState::kData;
  return true;
}

bool RequestParser::ParseTrailerLine() {
  if (line_.empty()) {
    state_ = State::kComplete;
    return true;
  }
  trailer_bytes_ += line_.size() + 2;
  if (trailer_bytes_ > limits_.max_header_bytes ||
      request_.headers.size() + ++trailer_fields_ > limits_.max_header_fields) {
    Fail(431, "http.headers_too_large", "trailer fields exceed the header limits",
         "Los encabezados de la solicitud son demasiado grandes.");
    return false;
  }
  std::string name, value;  // checked, then dropped: trailers are not interpreted
  return ParseFieldLine(line_, &name, &value, "trailer");
}

ParsedRequest RequestParser::TakeRequest() {
  ParsedRequest out = std::move(request_);
  request_ = ParsedRequest();
  state_ = State::kHead;
  started_ = false;
  head_.clear();
  leading_cr_ = false;
  leading_empty_lines_ = 0;
  body_mode_ = BodyMode::kNone;
  remaining_ = 0;
  chunk_state_ = ChunkState::kSize;
  line_.clear();
  trailer_bytes_ = 0;
  trailer_fields_ = 0;
  error_ = FramingError();
  return out;
}

}  // namespace rubrica::server::http
