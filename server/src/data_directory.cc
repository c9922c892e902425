#include "rubrica/server/data_directory.h"

#include "rubrica/delivery/packages.h"

#include "rubrica/base/files.h"
#include "rubrica/keys/master_secret.h"
#include "rubrica/keys/schema.h"
#include "rubrica/server/api.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/workflows/workflows.h"

namespace rubrica::server {

Result<DataDirectory> DataDirectory::Open(const std::string& root, const std::string& holder) {
  RETURN_IF_ERROR(MakeDirs(root, 0700));
  DataDirectory d;
  d.root = root;
  if (!holder.empty()) {
    ASSIGN_OR_RETURN(d.lock, DirectoryLock::Acquire(root, holder));
    RETURN_IF_ERROR(MakePrivateTree(root).status());
  }
  ASSIGN_OR_RETURN(d.db, store::Database::Open(root + "/rubrica.db"));
  ASSIGN_OR_RETURN(store::BlobStore blobs, store::BlobStore::Open(root + "/blobs"));
  d.blobs = std::make_unique<store::BlobStore>(std::move(blobs));
  // Components in dependency order; each owns its tables.
  RETURN_IF_ERROR(d.db->Migrate("audit", store::AuditLog::Migrations()));
  RETURN_IF_ERROR(d.db->Migrate(keys::kSchemaComponent, keys::Migrations()));
  RETURN_IF_ERROR(d.db->Migrate(workflows::kComponent, workflows::Migrations()));
  RETURN_IF_ERROR(d.db->Migrate(kApiComponent, ApiMigrations()));
  RETURN_IF_ERROR(d.db->Migrate(kMicrositeComponent, MicrositeMigrations()));
  RETURN_IF_ERROR(d.db->Migrate(delivery::kComponent, delivery::Migrations()));
  return d;
}

KeysSetup KeysSetupFrom(const std::string& public_url, const std::map<std::string, std::string>& env) {
  KeysSetup setup;
  setup.public_url = public_url;
  if (auto it = env.find(keys::kMasterKeyFileEnv); it != env.end()) setup.master_key_file = it->second;
  return setup;
}

Result<keys::Installation> EnsureInstallationKeys(DataDirectory& data, const KeysSetup& setup,
                                                  const Clock& clock) {
  keys::InstallationOptions options;
  options.data_dir = data.root;
  options.master_key_file = setup.master_key_file;
  options.public_url = setup.public_url;
  if (!setup.secretariat.empty()) {
    options.ca.secretariat = setup.secretariat;
    options.ca.rename_unused = true;
  }
  store::AuditLog audit(clock);
  return keys::EnsureInstallationKeys(*data.db, audit, clock, options);
}

}  // namespace rubrica::server
