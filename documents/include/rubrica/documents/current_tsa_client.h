// The embedded TSA as it is now: a TimestampClient that stamps with the local CA's current
// TSA certificate and key, and follows LocalCa::RotateServiceCertificates() without a
// restart: the authority is rebuilt, with the key unlocked once and held (as the service
// holds its embedded TSA's), when the certificate changed. The service's signatures and
// the archive's renewals use it, so they stamp with the successor as soon as it exists.
// (A rotation racing a timestamp fails that one timestamp with signing.tsa_failed: the
// key and certificate are read one after the other.)
//
// Thread-safe. `ca` and `clock` must outlive the client.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "rubrica/base/clock.h"
#include "rubrica/keys/local_ca.h"
#include "rubrica/signing/timestamp_authority.h"
#include "rubrica/signing/timestamp_client.h"

namespace rubrica::documents {

class CurrentTsaClient final : public signing::TimestampClient {
 public:
  CurrentTsaClient(const keys::LocalCa& ca, const Clock& clock) : ca_(ca), clock_(clock) {}
  /// Errors: those of TimestampAuthority::Create (the certificate and key do not match) and
  /// of InProcessTimestampClient::Timestamp.
  Result<std::string> Timestamp(std::string_view imprint_sha256) override;

 private:
  const keys::LocalCa& ca_;
  const Clock& clock_;
  std::mutex mu_;
  std::string fingerprint_;  // of the certificate `authority_` uses
  std::shared_ptr<const signing::TimestampAuthority> authority_;
};

}  // namespace rubrica::documents
