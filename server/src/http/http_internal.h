// Private to the HTTP layer: the state behind HttpExchange.
#pragma once

#include <map>
#include <string>

#include "request_parser.h"
#include "response.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/server/http.h"

namespace rubrica::server {

struct HttpExchange::Impl {
  Impl(http::ParsedRequest req, std::string remote_address, int64_t max_body)
      : request(std::move(req)), remote(std::move(remote_address)), max_body_bytes(max_body) {}
  // A body may hold a password or a PIN: its bytes do not outlive the exchange.
  ~Impl() { SecureWipe(request.body); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  http::ParsedRequest request;
  std::string remote;
  int64_t max_body_bytes;
  std::map<std::string, std::string> path_params;
  http::HttpResponse response;
  bool sent = false;
  std::string error_code;
};

}  // namespace rubrica::server
