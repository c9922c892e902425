// The data directory: where one installation keeps everything.
//
//   <root>/rubrica.db      SQLite database (WAL: also rubrica.db-wal, rubrica.db-shm)
//   <root>/blobs/          content-addressed blobs (PDF revisions, packages, receipts)
//   <root>/trust/          exported trust anchors (ca.pem); extra anchors in trust/anchors/,
//                          CRLs in trust/crls/ (see keys/installation.h)
//   <root>/secrets/        the installation master secret (master.key, 0600), unless
//                          RUBRICA_MASTER_KEY_FILE names one elsewhere
//   <root>/out/            files written for people (demo output, exports)
//   <root>/rubrica.conf    optional configuration file
//
//   <root>/rubrica.lock    the one-instance lock (base/directory_lock.h)
//
// Open() creates what is missing (directories 0700, files 0600) and applies every
// component's migrations, in dependency order. Given a holder ("rubrica serve"), it first
// takes the directory's exclusive lock (a second writer fails with base.dir_locked, naming
// the holder's pid) and removes every group/other permission under the root (files written
// by older versions or dropped in by an operator). Thread-safe after Open() (Database and
// BlobStore are).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "rubrica/base/clock.h"
#include "rubrica/base/directory_lock.h"
#include "rubrica/base/status.h"
#include "rubrica/keys/installation.h"
#include "rubrica/store/blob_store.h"
#include "rubrica/store/database.h"

namespace rubrica::server {

struct DataDirectory {
  std::string root;
  std::optional<DirectoryLock> lock;  // held while this lives (writers only)
  std::unique_ptr<store::Database> db;
  std::unique_ptr<store::BlobStore> blobs;

  /// `holder` names the writing process for the lock ("rubrica serve"); empty: a reader
  /// (`audit verify`) that takes no lock and changes no permission.
  static Result<DataDirectory> Open(const std::string& root, const std::string& holder = "");

  std::string TrustDir() const { return root + "/trust"; }
  std::string OutDir() const { return root + "/out"; }
};

/// How the installation keys are set up, from the configuration and the environment.
struct KeysSetup {
  /// Config::public_url: the CRL distribution point is <public_url>/keys/crl.
  std::string public_url;
  /// $RUBRICA_MASTER_KEY_FILE; empty: <root>/secrets/master.key, created when missing.
  std::string master_key_file;
  /// The secretariat's name for the local CA (`rubrica init --secretariat`); empty: the
  /// name stored when the CA was created, or the default for a new one. A different name
  /// for an existing CA renames it while it has issued no member certificate
  /// (keys::LocalCaOptions::rename_unused), else keys.ca_in_use.
  std::string secretariat;
};
KeysSetup KeysSetupFrom(const std::string& public_url, const std::map<std::string, std::string>& env);

/// The one step `rubrica init` and `rubrica serve` both run: load or create the master
/// secret and the local CA (root, issuing CA, TSA and seal certificates), and export
/// trust/ca.pem. Idempotent. Errors from keys::EnsureInstallationKeys.
Result<keys::Installation> EnsureInstallationKeys(DataDirectory& data, const KeysSetup& setup,
                                                  const Clock& clock);

}  // namespace rubrica::server
