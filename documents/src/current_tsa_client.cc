#include "rubrica/documents/current_tsa_client.h"

namespace rubrica::documents {

Result<std::string> CurrentTsaClient::Timestamp(std::string_view imprint_sha256) {
  std::shared_ptr<const signing::TimestampAuthority> authority;
  {
    std::lock_guard lock(mu_);
    const keys::Certificate current = ca_.tsa_certificate();
    if (!authority_ || fingerprint_ != current.FingerprintSha256()) {
      std::vector<keys::Certificate> chain = {current};
      for (const auto& c : ca_.Chain()) chain.push_back(c);
      ASSIGN_OR_RETURN(keys::SigningKey key, ca_.UnlockTsaKey());
      ASSIGN_OR_RETURN(auto made, signing::TimestampAuthority::Create(chain, std::move(key), clock_));
      authority_ = std::move(made);
      fingerprint_ = current.FingerprintSha256();
    }
    authority = authority_;
  }
  signing::InProcessTimestampClient client(*authority);
  return client.Timestamp(imprint_sha256);
}

}  // namespace rubrica::documents
