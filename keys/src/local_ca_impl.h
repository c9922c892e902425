// LocalCa's private state, shared by local_ca.cc (creation, issuing) and local_ca_crl.cc
// (revocation, CRLs).
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "rubrica/base/crypto_util.h"
#include "rubrica/keys/local_ca.h"

namespace rubrica::keys {

/// One of the installation's certificates with its encrypted private key.
struct CaRole {
  Certificate cert;
  std::string encrypted_key;  // PKCS#8 PEM under the master-derived password
};

struct CrlCache {
  std::string der;
  Instant this_update;
  size_t revoked = 0;
};

struct LocalCa::Impl {
  store::Database& db;
  const store::AuditLog& audit;  // only during Ensure(): callers may pass a temporary
  const Clock& clock;
  LocalCaOptions options;
  std::string password;
  std::string secretariat;
  CaRole root;
  CaRole issuing;
  CaRole tsa;   // guarded by roles_mu (RotateServiceCertificates replaces it)
  CaRole seal;  // guarded by roles_mu
  mutable std::mutex crl_mu;
  mutable std::map<std::string, CrlCache> crls;  // by issuer role ("root", "issuing")
  mutable std::mutex roles_mu;
  std::mutex rotate_mu;  // one rotation at a time

  ~Impl() { SecureWipe(password); }

  /// "root" or "issuing" when `cert` was signed by that CA of this installation, else "".
  std::string IssuerRoleOf(const Certificate& cert) const;
  Result<SigningKey> Unlock(const CaRole& role) const;
  /// The CRL of the "root" or "issuing" CA, cached as described in local_ca.h.
  // The CRL of `issuer_role` ("root" or "issuing"), issued at or after `since`.
  Result<std::string> Crl(const std::string& issuer_role, Instant since = Instant::min()) const;
};

}  // namespace rubrica::keys
