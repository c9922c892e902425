#include "ascii.h"
#include "http_internal.h"

namespace rubrica::server {

HttpExchange::HttpExchange(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpExchange::~HttpExchange() = default;

const std::string& HttpExchange::method() const { return impl_->request.method; }
const std::string& HttpExchange::path() const { return impl_->request.path; }

std::string HttpExchange::PathParam(const std::string& name) const {
  auto it = impl_->path_params.find(name);
  return it == impl_->path_params.end() ? "" : it->second;
}

std::string HttpExchange::Query(const std::string& name) const {
  for (const auto& [key, value] : impl_->request.query) {
    if (key == name) return value;
  }
  return "";
}

std::vector<std::string> HttpExchange::QueryNames() const {
  std::vector<std::string> names;
  names.reserve(impl_->request.query.size());
  for (const auto& kv : impl_->request.query) names.push_back(kv.first);
  return names;
}

std::string HttpExchange::Header(const std::string& name) const {
  const std::string* value = impl_->request.FindHeader(http::AsciiLower(name));
  return value ? *value : "";
}

std::string HttpExchange::RemoteAddress() const { return impl_->remote; }

Result<std::string> HttpExchange::Body() {
  if (static_cast<int64_t>(impl_->request.body.size()) > impl_->max_body_bytes) {
    return http::BodyTooLarge(impl_->max_body_bytes);
  }
  return impl_->request.body;
}

void HttpExchange::SetHeader(const std::string& name, const std::string& value) {
  impl_->response.Set(name, value);
}

void HttpExchange::SendBytes(int status, const std::string& content_type,
                             const std::string& bytes) {
  if (impl_->sent) return;
  impl_->sent = true;
  impl_->response.status = status;
  impl_->response.content_type = content_type;
  impl_->response.body = bytes;
}

void HttpExchange::SendJson(int status, const std::string& json) {
  SendBytes(status, "application/json; charset=utf-8", json);
}

void HttpExchange::SendError(const Status& status) {
  if (impl_->sent) return;
  impl_->error_code = status.code();
  SendJson(HttpStatusFor(status.kind()), http::ErrorJson(status));
}

bool HttpExchange::sent() const { return impl_->sent; }
int HttpExchange::status_code() const { return impl_->sent ? impl_->response.status : 0; }

void HttpExchange::SetPathParams(std::map<std::string, std::string> params) {
  impl_->path_params = std::move(params);
}

}  // namespace rubrica::server
