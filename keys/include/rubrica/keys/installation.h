// The installation's keys, made ready in one step that `rubrica init` and `rubrica serve`
// both call: load (or create) the master secret, load (or create) the local CA with its TSA
// and seal certificates, and export the trust anchor to <data_dir>/trust/ca.pem.
//
// Layout under the data directory:
//   secrets/master.key       the master secret (0600, directory 0700), unless
//                            RUBRICA_MASTER_KEY_FILE names a file elsewhere
//   trust/ca.pem             root then issuing CA of the local CA (rewritten when it differs)
//   trust/anchors/*.pem|*.cer|*.crt   further trust anchors (SAT's roots, a state's CA)
//   trust/crls/*.crl|*.pem   CRLs to consult besides the local CA's own
//
// Idempotent; safe to call at every start. Thread-compatible (call once at start-up).
#pragma once

#include <memory>
#include <string>

#include "rubrica/base/clock.h"
#include "rubrica/base/secret_string.h"
#include "rubrica/base/status.h"
#include "rubrica/keys/local_ca.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/store/database.h"

namespace rubrica::keys {

struct InstallationOptions {
  /// The data directory (required).
  std::string data_dir;
  /// An external master secret file (the value of RUBRICA_MASTER_KEY_FILE); it must exist.
  /// Empty (default): <data_dir>/secrets/master.key, created when missing.
  std::string master_key_file;
  /// The service's public base URL ("https://rubrica.example.mx"); the CRL distribution
  /// point of issued certificates is <public_url>/keys/crl. Empty: no distribution point.
  std::string public_url;
  /// Options of the local CA (secretariat name, algorithm...). `ca.crl_url` is derived
  /// from public_url when left empty.
  LocalCaOptions ca;
};

struct Installation {
  std::unique_ptr<LocalCa> ca;
  /// True when this call created the local CA.
  bool created = false;
  /// <data_dir>/trust/ca.pem
  std::string ca_pem_path;
  /// The secret that wraps members' keys together with their PIN (KeyStore), derived from
  /// the master secret: HMAC-SHA256(master secret, "rubrica/member-keys/v1"). It never
  /// reaches the database, so a copy of rubrica.db alone cannot test a PIN.
  SecretString key_wrap_secret;
};

/// The path of the CRL under the public URL.
inline constexpr const char* kCrlPath = "/keys/crl";
/// The path of the root's CRL (it covers the issuing CA) under the public URL.
inline constexpr const char* kRootCrlPath = "/keys/root-crl";
/// The path of the trust anchor under the public URL.
inline constexpr const char* kCaPemPath = "/keys/ca.pem";

/// Makes the installation keys ready (see above). The database must have the "keys"
/// migrations applied. Errors: those of LoadOrCreateMasterSecret and LocalCa::Ensure, I/O
/// errors writing trust/ca.pem.
Result<Installation> EnsureInstallationKeys(store::Database& db, const store::AuditLog& audit,
                                            const Clock& clock, const InstallationOptions& options);

/// The installation's TrustStore: the local CA (anchor and live CRL source) plus the
/// anchors and CRLs under <data_dir>/trust/anchors and <data_dir>/trust/crls. `ca` must
/// outlive the store. A file there that does not parse is an error naming it.
Result<std::unique_ptr<TrustStore>> LoadInstallationTrust(const Clock& clock, const LocalCa& ca,
                                                          const std::string& data_dir);

}  // namespace rubrica::keys
