#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <chrono>
#include <istream>

#include "http_internal.h"

namespace rubrica::server {

HttpExchange::HttpExchange(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  Poco::URI uri(impl_->request.getURI());
  impl_->method = impl_->request.getMethod();
  impl_->path = uri.getPath();
  for (auto& [k, v] : uri.getQueryParameters()) impl_->query.emplace(k, v);
}

HttpExchange::~HttpExchange() = default;

const std::string& HttpExchange::method() const { return impl_->method; }
const std::string& HttpExchange::path() const { return impl_->path; }

std::string HttpExchange::PathParam(const std::string& name) const {
  auto it = impl_->path_params.find(name);
  return it == impl_->path_params.end() ? "" : it->second;
}

std::string HttpExchange::Query(const std::string& name) const {
  auto it = impl_->query.find(name);
  return it == impl_->query.end() ? "" : it->second;
}

std::string HttpExchange::Header(const std::string& name) const {
  return impl_->request.get(name, "");
}

std::string HttpExchange::RemoteAddress() const {
  return impl_->request.clientAddress().toString();
}

Result<std::string> HttpExchange::Body() {
  if (impl_->body_read) return impl_->body;
  impl_->body_read = true;
  const int64_t max = impl_->max_body_bytes;
  auto too_large = [&] {
    return Status::Error(ErrorKind::kTooLarge, "server.body_too_large",
                         "request body exceeds " + std::to_string(max) + " bytes",
                         "La solicitud excede el tamaño máximo permitido.");
  };
  if (impl_->request.hasContentLength() && impl_->request.getContentLength64() > max) {
    return too_large();
  }
  std::istream& in = impl_->request.stream();
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    std::streamsize n = in.gcount();
    if (n <= 0) break;
    impl_->body.append(buf, static_cast<size_t>(n));
    if (static_cast<int64_t>(impl_->body.size()) > max) {
      impl_->body.clear();
      return too_large();
    }
  }
  impl_->body_consumed = true;
  return impl_->body;
}

namespace {

// A client whose body we refuse unread (413, a wrong content type...) is usually still
// sending it. Were we to answer and close at once, its TCP stack would meet a reset before
// it reads the answer, and it would report "broken pipe" instead of our error. So what is
// left of the body is read and discarded first, up to 1 MiB and 2 seconds (more than that
// is not a mistake but an abuse: it gets the answer and the connection closed under it).
// The connection stays open only when the whole body was read.
void DrainUnreadBody(HttpExchange::Impl& impl) {
  if (impl.body_consumed) return;
  const bool has_body = (impl.request.hasContentLength() && impl.request.getContentLength64() > 0) ||
                        impl.request.getChunkedTransferEncoding();
  if (!has_body) return;
  constexpr int64_t kMaxDrain = 1 << 20;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  std::istream& in = impl.request.stream();
  char buf[1 << 16];
  int64_t drained = 0;
  bool complete = false;
  try {
    while (drained < kMaxDrain && std::chrono::steady_clock::now() < deadline) {
      in.read(buf, sizeof buf);
      const std::streamsize n = in.gcount();
      drained += n;
      if (!in) {  // end of the body (or of the connection)
        complete = in.eof();
        break;
      }
    }
  } catch (const std::exception&) {
    // The client went away or timed out: nothing more to do for it.
  }
  // A body read to its end leaves the connection in step; anything else closes it.
  if (!complete) impl.response.setKeepAlive(false);
  impl.body_consumed = true;
}

}  // namespace

void HttpExchange::SetHeader(const std::string& name, const std::string& value) {
  impl_->response.set(name, value);
}

void HttpExchange::SendBytes(int status, const std::string& content_type,
                             const std::string& bytes) {
  if (impl_->sent) return;
  impl_->sent = true;
  DrainUnreadBody(*impl_);
  impl_->status = status;
  impl_->response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  impl_->response.setContentType(content_type);
  impl_->response.setContentLength64(static_cast<Poco::Int64>(bytes.size()));
  impl_->response.set("X-Content-Type-Options", "nosniff");
  // API answers are never cached; a handler that serves static files sets its own.
  if (!impl_->response.has("Cache-Control")) impl_->response.set("Cache-Control", "no-store");
  std::ostream& out = impl_->response.send();
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.flush();
}

void HttpExchange::SendJson(int status, const std::string& json) {
  SendBytes(status, "application/json; charset=utf-8", json);
}

void HttpExchange::SendError(const Status& status) {
  std::string json = "{\"error\":{\"code\":";
  AppendJsonString(json, status.code());
  json += ",\"kind\":";
  AppendJsonString(json, ErrorKindName(status.kind()));
  json += ",\"message\":";
  AppendJsonString(json, status.message_es());
  json += ",\"message_en\":";
  AppendJsonString(json, status.message());
  json += "}}";
  impl_->error_code = status.code();
  SendJson(HttpStatusFor(status.kind()), json);
}

bool HttpExchange::sent() const { return impl_->sent; }
int HttpExchange::status_code() const { return impl_->status; }

void HttpExchange::SetPathParams(std::map<std::string, std::string> params) {
  impl_->path_params = std::move(params);
}

}  // namespace rubrica::server
