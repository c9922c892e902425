// The service's timestamp client: RFC 3161 over real HTTP, to tsa.url when configured, else
// to this service's own /tsa, whose port is only known once the server listens. Private to
// the composition root.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "rubrica/signing/timestamp_client.h"

namespace rubrica::server {

class ServiceTimestampClient final : public signing::TimestampClient {
 public:
  /// Points the client at `url` (called at start-up, before any request is served).
  Status SetUrl(const std::string& url) {
    ASSIGN_OR_RETURN(auto client, signing::HttpTimestampClient::Create(url));
    std::lock_guard<std::mutex> lock(mu_);
    client_ = std::move(client);
    return Status::Ok();
  }
  Result<std::string> Timestamp(std::string_view imprint_sha256) override {
    signing::HttpTimestampClient* c;
    {
      std::lock_guard<std::mutex> lock(mu_);
      c = client_.get();
    }
    if (c == nullptr) {
      return Status::Error(ErrorKind::kUnavailable, "signing.tsa_unavailable",
                           "the timestamp authority is not configured yet",
                           "El servicio de sello de tiempo no está disponible.");
    }
    return c->Timestamp(imprint_sha256);
  }

 private:
  std::mutex mu_;
  std::unique_ptr<signing::HttpTimestampClient> client_;
};

}  // namespace rubrica::server
