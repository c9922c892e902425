// The installation's core, wired once for every entry point that works on a data
// directory: `rubrica serve` (service.cc) and the CLI verbs that need the workflows
// (`rubrica package`). The audit log, the installation's keys and trust, the key store,
// the embedded TSA and the engine's timestamp client, the document engine, the workflows,
// and the monthly packages. The notifier's settings from the configuration are here too.
//
// Members are declared in construction order; each refers only to members above it, so
// the default destruction order is safe.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "notify/notifier.h"
#include "package_delivery.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/logger.h"
#include "rubrica/base/status.h"
#include "rubrica/delivery/packages.h"
#include "rubrica/documents/pdf_acta_engine.h"
#include "rubrica/keys/installation.h"
#include "rubrica/keys/key_store.h"
#include "rubrica/server/config.h"
#include "rubrica/server/data_directory.h"
#include "rubrica/signing/timestamp_authority.h"
#include "rubrica/signing/timestamp_client.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/workflows/workflows.h"

namespace rubrica::server {

struct CoreOptions {
  /// The PIN encryption's scrypt cost (tests lower it); the key store's default otherwise.
  std::optional<int> pin_scrypt_log2_n;
  /// Who asks the archive for the certified copies the packages carry ("service:package").
  std::string copies_actor = "service:package";
};

struct Core {
  std::unique_ptr<store::AuditLog> audit;
  keys::Installation keys;
  std::unique_ptr<keys::TrustStore> trust;
  std::unique_ptr<keys::KeyStore> keystore;
  /// The embedded TSA (the local CA's TSA certificate, its key unlocked once).
  std::unique_ptr<signing::TimestampAuthority> tsa;
  /// The engine's and the packages' timestamps: tsa.url when configured, else the embedded
  /// TSA asked with the CA's current TSA certificate.
  std::unique_ptr<signing::TimestampClient> tsa_client;
  std::unique_ptr<documents::PdfActaEngine> engine;
  std::unique_ptr<workflows::Workflows> workflows;
  std::unique_ptr<ArchiveCopies> copies;
  std::unique_ptr<delivery::Packages> packages;
};

/// Opens the core on `data` (which must outlive it): creates the installation's keys on a
/// fresh directory (embedded defaults), loads the trust, and builds the rest.
Result<std::unique_ptr<Core>> OpenCore(DataDirectory& data, const Config& config, const Clock& clock,
                                       Logger& logger, const CoreOptions& options = {});

/// The notifier's settings from the configuration: SMTP when smtp.host is set, else .eml
/// files in <data_dir>/outbox.
notify::NotifierSettings NotifierSettingsFrom(const Config& config);

}  // namespace rubrica::server
