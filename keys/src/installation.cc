#include "rubrica/keys/installation.h"

#include <algorithm>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/keys/master_secret.h"

namespace rubrica::keys {

namespace {

constexpr std::string_view kKeyWrapLabel = "rubrica/member-keys/v1";

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Result<Installation> EnsureInstallationKeys(store::Database& db, const store::AuditLog& audit,
                                            const Clock& clock, const InstallationOptions& options) {
  const bool external = !options.master_key_file.empty();
  const std::string path = external ? options.master_key_file : DefaultMasterKeyPath(options.data_dir);
  ASSIGN_OR_RETURN(std::string secret, LoadOrCreateMasterSecret(path, !external));
  LocalCaOptions ca_options = options.ca;
  if (ca_options.crl_url.empty() && !options.public_url.empty()) {
    std::string base = options.public_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    ca_options.crl_url = base + kCrlPath;
  }
  Installation out;
  out.key_wrap_secret = SecretString(HmacSha256(secret, kKeyWrapLabel));
  auto ca = LocalCa::Ensure(db, audit, clock, secret, ca_options, &out.created);
  SecureWipe(secret);
  if (!ca.ok()) return ca.status();
  out.ca = std::move(ca).value();
  RETURN_IF_ERROR(MakeDirs(options.data_dir + "/trust", 0700));
  out.ca_pem_path = options.data_dir + "/trust/ca.pem";
  const std::string pem = out.ca->TrustAnchorPem();
  auto current = ReadFile(out.ca_pem_path, 1 << 20);
  if (!current.ok() || *current != pem) RETURN_IF_ERROR(WriteFileAtomic(out.ca_pem_path, pem));
  return out;
}

Result<std::unique_ptr<TrustStore>> LoadInstallationTrust(const Clock& clock, const LocalCa& ca,
                                                          const std::string& data_dir) {
  auto trust = std::make_unique<TrustStore>(clock);
  trust->AddAnchor(ca.root());
  trust->AddCrlSource(ca);
  std::vector<std::string> anchors = ListFilesRecursive(data_dir + "/trust/anchors");
  std::sort(anchors.begin(), anchors.end());
  for (const std::string& file : anchors) {
    if (!EndsWith(file, ".pem") && !EndsWith(file, ".cer") && !EndsWith(file, ".crt")) continue;
    RETURN_IF_ERROR(trust->AddAnchorsFromFile(file));
  }
  std::vector<std::string> crls = ListFilesRecursive(data_dir + "/trust/crls");
  std::sort(crls.begin(), crls.end());
  for (const std::string& file : crls) {
    if (!EndsWith(file, ".crl") && !EndsWith(file, ".pem")) continue;
    ASSIGN_OR_RETURN(std::string bytes, ReadFile(file, 64 << 20));
    RETURN_IF_ERROR(trust->AddCrl(bytes, file));
  }
  return trust;
}

}  // namespace rubrica::keys
