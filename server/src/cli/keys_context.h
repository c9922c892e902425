// What a CLI verb working on the data directory's keys needs: the configuration, the data
// directory, the installation keys (created when missing), trust and the KeyStore.
#pragma once

#include <memory>

#include "args.h"
#include "rubrica/base/clock.h"
#include "rubrica/keys/installation.h"
#include "rubrica/keys/key_store.h"
#include "rubrica/server/config.h"
#include "rubrica/server/data_directory.h"
#include "rubrica/store/audit_log.h"

namespace rubrica::server::cli {

struct KeysContext {
  Config config;
  DataDirectory data;
  SystemClock clock;
  keys::Installation installation;
  std::unique_ptr<keys::TrustStore> trust;
  std::unique_ptr<store::AuditLog> audit;
  std::unique_ptr<keys::KeyStore> store;
};

/// Loads the configuration (--data-dir, --config), opens the data directory and builds the
/// KeyStore over it. `allow_network`: the KeyStore may fetch revocation data.
Result<std::unique_ptr<KeysContext>> OpenKeys(const Args& args, bool allow_network = false);

}  // namespace rubrica::server::cli
