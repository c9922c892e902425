// HttpOcspTransport (trust_store.h): OCSP requests over HTTP POST. In a file of its own so
// that a program which never asks a responder (the sandboxed verifier) does not link the
// HTTP client, nor load Poco's network, SSL, XML and utility libraries at each start.
#include "rubrica/keys/trust_store.h"
#include "rubrica/net/http_client.h"

namespace rubrica::keys {

namespace {

Status Failed(const std::string& why) {
  return Status::Error(ErrorKind::kUnavailable, "keys.ocsp_failed", why,
                       "No se pudo consultar el estado de revocación del certificado.");
}

class HttpOcsp final : public OcspTransport {
 public:
  // Any failure on the way, an answer over the cap included, is keys.ocsp_failed.
  Result<std::string> Post(const std::string& url, const std::string& request_der,
                           std::chrono::milliseconds timeout, size_t max_bytes) const override {
    if (url.rfind("http://", 0) != 0) return Failed("only http:// responders are supported");
    net::HttpRequest request;
    request.url = url;
    request.content_type = "application/ocsp-request";
    request.body = request_der;
    net::HttpClientOptions options;
    options.connect_timeout = timeout;
    options.total_timeout = timeout;
    options.max_response_bytes = max_bytes;
    Result<net::HttpResponse> response = net::SendHttp(request, options);
    if (!response.ok()) return Failed(response.status().message() + " [" + response.status().code() + "]");
    if (response->status != 200) return Failed("HTTP status " + std::to_string(response->status));
    return std::move(response->body);
  }
};

}  // namespace

const OcspTransport& HttpOcspTransport() {
  static const HttpOcsp transport;
  return transport;
}

}  // namespace rubrica::keys
