// The data directory: where one installation keeps everything.
//
//   <root>/rubrica.db      SQLite database (WAL: also rubrica.db-wal, rubrica.db-shm)
//   <root>/blobs/          content-addressed blobs (PDF revisions, packages, receipts)
//   <root>/trust/          exported trust anchors (ca.pem)
//   <root>/out/            files written for people (demo output, exports)
//   <root>/rubrica.conf    optional configuration file
//
// Open() creates what is missing and applies every component's migrations, in dependency
// order. Thread-safe after Open() (Database and BlobStore are).
#pragma once

#include <memory>
#include <string>

#include "rubrica/base/status.h"
#include "rubrica/store/blob_store.h"
#include "rubrica/store/database.h"

namespace rubrica::server {

struct DataDirectory {
  std::string root;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<store::BlobStore> blobs;

  static Result<DataDirectory> Open(const std::string& root);

  std::string TrustDir() const { return root + "/trust"; }
  std::string OutDir() const { return root + "/out"; }
};

}  // namespace rubrica::server
