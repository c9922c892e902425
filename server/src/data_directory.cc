#include "rubrica/server/data_directory.h"

#include "rubrica/base/files.h"
#include "rubrica/store/audit_log.h"

namespace rubrica::server {

Result<DataDirectory> DataDirectory::Open(const std::string& root) {
  RETURN_IF_ERROR(MakeDirs(root, 0700));
  DataDirectory d;
  d.root = root;
  ASSIGN_OR_RETURN(d.db, store::Database::Open(root + "/rubrica.db"));
  ASSIGN_OR_RETURN(store::BlobStore blobs, store::BlobStore::Open(root + "/blobs"));
  d.blobs = std::make_unique<store::BlobStore>(std::move(blobs));
  // Components in dependency order; each owns its tables.
  RETURN_IF_ERROR(d.db->Migrate("audit", store::AuditLog::Migrations()));
  return d;
}

}  // namespace rubrica::server
