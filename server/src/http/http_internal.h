// Private to the HTTP layer: the state behind HttpExchange.
#pragma once

#include <map>
#include <string>

#include "rubrica/server/http.h"

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace rubrica::server {

struct HttpExchange::Impl {
  Impl(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp, int64_t max_body)
      : request(req), response(resp), max_body_bytes(max_body) {}
  Poco::Net::HTTPServerRequest& request;
  Poco::Net::HTTPServerResponse& response;
  int64_t max_body_bytes;
  std::string method;
  std::string path;
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> path_params;
  std::string body;
  bool body_read = false;
  bool body_consumed = false;  // the request stream was read to its end
  bool sent = false;
  int status = 0;
  std::string error_code;
};

}  // namespace rubrica::server
