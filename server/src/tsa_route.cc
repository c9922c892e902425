#include "tsa_route.h"

#include <string>

namespace rubrica::server {
namespace {

Status TooLarge(const std::string& size) {
  return Status::Error(ErrorKind::kTooLarge, "server.body_too_large",
                       "timestamp request of " + size + " bytes exceeds " +
                           std::to_string(kMaxTsaRequestBytes),
                       "La solicitud excede el tamaño máximo permitido.");
}

// A declared Content-Length over the limit (or not a number) refuses the upload before it
// is buffered; an absent one (chunked) is checked after reading.
bool DeclaredTooLarge(const std::string& length) {
  if (length.empty()) return false;
  if (length.size() > 18 || length.find_first_not_of("0123456789") != std::string::npos) return true;
  return std::stoll(length) > kMaxTsaRequestBytes;
}

}  // namespace

void AddTsaRoute(Router& router, const signing::TimestampAuthority& tsa) {
  router.Add("POST", "/tsa", [&tsa](HttpExchange& ex) {
    std::string type = ex.Header("Content-Type");
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ') type.pop_back();
    if (type != "application/timestamp-query") {
      ex.SendError(Status::Error(ErrorKind::kInvalidArgument, "server.bad_content_type",
                                 "POST /tsa wants Content-Type application/timestamp-query, got '" +
                                     type + "'",
                                 "La solicitud de sello de tiempo no tiene el tipo de contenido correcto."));
      return;
    }
    const std::string length = ex.Header("Content-Length");
    if (DeclaredTooLarge(length)) {
      ex.SendError(TooLarge(length));
      return;
    }
    Result<std::string> body = ex.Body();
    if (!body.ok()) {
      ex.SendError(body.status());
      return;
    }
    if (static_cast<int64_t>(body->size()) > kMaxTsaRequestBytes) {
      ex.SendError(TooLarge(std::to_string(body->size())));
      return;
    }
    Result<std::string> reply = tsa.Respond(*body);
    if (!reply.ok()) {
      ex.SendError(reply.status());
      return;
    }
    ex.SendBytes(200, "application/timestamp-reply", *reply);
  });
}

}  // namespace rubrica::server
