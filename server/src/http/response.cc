#include "response.h"

#include <time.h>

#include <algorithm>

#include "ascii.h"
#include "rubrica/base/json_writer.h"

namespace rubrica::server::http {

namespace {

std::string Clean(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != '\r' && c != '\n' && c != '\0') out += c;
  }
  return out;
}

// IMF-fixdate (RFC 9110 §5.6.7) of the real time: a transport header, not a product time.
std::string HttpDate() {
  const time_t now = time(nullptr);
  struct tm tm {};
  gmtime_r(&now, &tm);
  char buf[64];
  const size_t n = strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(buf, n);
}

}  // namespace

void HttpResponse::Set(std::string_view name, std::string_view value) {
  std::string n = Clean(name), v = Clean(value);
  for (auto& [k, old] : headers) {
    if (EqualsIgnoreCase(k, n)) {
      old = std::move(v);
      return;
    }
  }
  headers.emplace_back(std::move(n), std::move(v));
}

// RFC 9110 §15.
constexpr std::pair<int, std::string_view> kReasonPhrases[] = {
    {100, "Continue"},
    {101, "Switching Protocols"},
    {200, "OK"},
    {201, "Created"},
    {202, "Accepted"},
    {203, "Non-Authoritative Information"},
    {204, "No Content"},
    {205, "Reset Content"},
    {206, "Partial Content"},
    {300, "Multiple Choices"},
    {301, "Moved Permanently"},
    {302, "Found"},
    {303, "See Other"},
    {304, "Not Modified"},
    {307, "Temporary Redirect"},
    {308, "Permanent Redirect"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {407, "Proxy Authentication Required"},
    {408, "Request Timeout"},
    {409, "Conflict"},
    {410, "Gone"},
    {411, "Length Required"},
    {412, "Precondition Failed"},
    {413, "Content Too Large"},
    {414, "URI Too Long"},
    {415, "Unsupported Media Type"},
    {416, "Range Not Satisfiable"},
    {417, "Expectation Failed"},
    {421, "Misdirected Request"},
    {422, "Unprocessable Content"},
    {426, "Upgrade Required"},
    {428, "Precondition Required"},
    {429, "Too Many Requests"},
    {431, "Request Header Fields Too Large"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
    {505, "HTTP Version Not Supported"},
};

std::string_view ReasonPhrase(int status) {
  for (const auto& [code, phrase] : kReasonPhrases) {
    if (code == status) return phrase;
  }
  return "Unknown";
}

std::string ErrorJson(const Status& status) {
  JsonWriter w;
  w.BeginObject().Key("error").BeginObject();
  w.Field("code", status.code())
      .Field("kind", ErrorKindName(status.kind()))
      .Field("message", status.message_es())
      .Field("message_en", status.message());
  return w.EndObject().EndObject().Take();
}

HttpResponse ErrorResponse(int http_status, const Status& status) {
  HttpResponse r;
  r.status = http_status;
  r.content_type = "application/json; charset=utf-8";
  r.body = ErrorJson(status);
  if (status.retry_after()) r.Set("Retry-After", std::to_string(status.retry_after()->count()));
  return r;
}

std::string SerializeHead(const HttpResponse& response, bool close) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " ";
  out += ReasonPhrase(response.status);
  out += "\r\n";
  auto has = [&](std::string_view name) {
    return std::any_of(response.headers.begin(), response.headers.end(),
                       [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
  };
  auto add = [&](std::string_view name, std::string_view value) {
    out.append(name);
    out += ": ";
    out.append(value);
    out += "\r\n";
  };
  add("Date", HttpDate());
  if (!response.content_type.empty()) add("Content-Type", Clean(response.content_type));
  add("Content-Length", std::to_string(response.body.size()));
  if (!has("X-Content-Type-Options")) add("X-Content-Type-Options", "nosniff");
  if (!has("Cache-Control")) add("Cache-Control", "no-store");
  for (const auto& [name, value] : response.headers) {
    if (EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Connection") ||
        EqualsIgnoreCase(name, "Transfer-Encoding") || EqualsIgnoreCase(name, "Date") ||
        EqualsIgnoreCase(name, "Content-Type")) {
      continue;  // framing is ours
    }
    add(name, value);
  }
  if (close) add("Connection", "close");
  out += "\r\n";
  return out;
}

}  // namespace rubrica::server::http
