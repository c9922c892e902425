#include "rubrica/store/blob_store.h"

#include <unistd.h>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"

namespace rubrica::store {

bool IsBlobId(std::string_view id) {
  if (id.size() != 64) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

static Status BadId(std::string_view id) {
  return Status::Error(ErrorKind::kInvalidArgument, "store.bad_blob_id",
                       "not a blob id (64 lower-case hex): '" + std::string(id.substr(0, 80)) +
                           "'");
}

Result<BlobStore> BlobStore::Open(const std::string& root, BlobStoreOptions options) {
  RETURN_IF_ERROR(MakeDirs(root + "/sha256"));
  // A crash between the temp write and the rename leaves ".tmp-*" files: never visible as
  // blobs, removed here.
  for (const std::string& path : ListFilesRecursive(root)) {
    auto slash = path.rfind('/');
    if (path.compare(slash + 1, 5, ".tmp-") == 0) ::unlink(path.c_str());
  }
  return BlobStore(root, std::move(options));
}

std::string BlobStore::PathFor(std::string_view id) const {
  std::string p = root_ + "/sha256/";
  p.append(id.substr(0, 2)).append("/").append(id.substr(2, 2)).append("/").append(id);
  return p;
}

bool BlobStore::Contains(std::string_view id) const {
  return IsBlobId(id) && PathExists(PathFor(id));
}

Result<std::string> BlobStore::Put(std::string_view data) const {
  if (data.size() > options_.max_blob_bytes) {
    return Status::Error(ErrorKind::kTooLarge, "store.blob_too_large",
                         "blob of " + std::to_string(data.size()) + " bytes exceeds " +
                             std::to_string(options_.max_blob_bytes),
                         "El archivo excede el tamaño permitido.");
  }
  std::string id = Sha256Hex(data);
  const std::string path = PathFor(id);
  if (PathExists(path)) {
    // Already stored; make sure the stored copy is intact before trusting it.
    auto existing = Get(id);
    if (existing.ok()) return id;
    if (existing.status().kind() != ErrorKind::kDataLoss) return existing.status();
    // A corrupt copy is replaced by the good bytes we hold.
  }
  RETURN_IF_ERROR(MakeDirs(path.substr(0, path.rfind('/'))));
  AtomicWriteOptions w;
  w.mode = 0400;
  w.before_rename = options_.before_rename;
  RETURN_IF_ERROR(WriteFileAtomic(path, data, w).WithContext("store blob " + id));
  return id;
}

Result<std::string> BlobStore::Get(std::string_view id) const {
  if (!IsBlobId(id)) return BadId(id);
  auto data = ReadFile(PathFor(id), options_.max_blob_bytes);
  if (!data.ok()) {
    if (data.status().kind() == ErrorKind::kNotFound) {
      return Status::Error(ErrorKind::kNotFound, "store.blob_not_found",
                           "blob " + std::string(id) + " not found",
                           "No se encontró el documento solicitado.");
    }
    return data.status();
  }
  std::string actual = Sha256Hex(*data);
  if (actual != id) {
    return Status::Error(ErrorKind::kDataLoss, "store.blob_corrupt",
                         "blob " + std::string(id) + " is corrupt: its content hashes to " +
                             actual + " (file " + PathFor(id) + ")",
                         "El documento almacenado está dañado o fue alterado.");
  }
  return data;
}

}  // namespace rubrica::store
