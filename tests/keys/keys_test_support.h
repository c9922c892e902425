// Helpers for the keys tests: a database with the keys schema, a local CA, a trust store and
// a key store on a manual clock, with fast key encryption; and a foreign CA made with the
// openssl command line (for PKCS#12 files, untrusted issuers and an OCSP responder).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/keys/key_store.h"
#include "rubrica/keys/local_ca.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/store/database.h"
#include "support/test_support.h"

namespace rubrica::keys::testing {

using rubrica::testing::TempDir;

/// A fixed instant: 2026-03-02T15:00:00Z.
Instant TestNow();
/// A date at 00:00 UTC.
Instant Day(int y, unsigned m, unsigned d);

/// The keys tests' PIN cost: scrypt 2^10 (the default 2^14 is measured in signing_key_test).
Pkcs8Encryption FastPins();

/// A member subject (fictional person) with the term [from, to).
MemberSubject Member(const std::string& name, Instant from, Instant to);

/// Everything the key store needs, in a temp directory. The master secret is fixed.
struct KeysEnv {
  explicit KeysEnv(Instant now = TestNow(), KeyStoreOptions options = {});
  /// Reopens the database and rebuilds CA, trust and key store (as after a restart).
  void Reopen();
  std::string DbPath() const { return dir.path() + "/rubrica.db"; }

  TempDir dir;
  ManualClock clock;
  KeyStoreOptions options;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<store::AuditLog> audit;
  std::unique_ptr<LocalCa> ca;
  std::unique_ptr<TrustStore> trust;
  std::unique_ptr<KeyStore> keys;
};

/// The fixed master secret used by KeysEnv.
std::string TestMasterSecret();
/// The key-wrap secret KeysEnv's key store is given (Installation::key_wrap_secret).
std::string TestWrapSecret();

/// Reads a file (fails the test when missing).
std::string Slurp(const std::string& path);
/// Writes a file, creating its directory (fails the test on error).
void Spit(const std::string& path, const std::string& bytes);
/// A file of tests/fixtures/efirma-sat-pruebas; password.txt without its newline.
std::string SatFixture(const std::string& name);

/// Runs `openssl args...`; fails the test (and returns "") unless it exits 0.
std::string Openssl(const std::vector<std::string>& args);

/// A CA made with the openssl command line, in its own directory.
class OpensslCa {
 public:
  /// A self-signed RSA-2048 root named `cn`, valid for 3650 days from the real time
  /// (openssl's clock).
  OpensslCa(const std::string& dir, const std::string& cn);
  /// Issues a leaf valid for 365 days from the real time, with `extensions` (openssl
  /// x509v3 config lines) and `serial` (hex); returns the PEM path of the certificate. The
  /// key is at <dir>/<name>.key (unencrypted, in the temp directory only).
  std::string Issue(const std::string& name, const std::string& extensions, const std::string& serial);
  /// A PKCS#12 file with the leaf `name`, its key and this CA, under `password`.
  std::string Pkcs12(const std::string& name, const std::string& password);
  const std::string& cert_path() const { return cert_; }
  const std::string& key_path() const { return key_; }
  Certificate cert() const;

 private:
  std::string dir_;
  std::string cert_;
  std::string key_;
};

}  // namespace rubrica::keys::testing
