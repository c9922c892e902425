// The installation master secret: 32 random bytes that protect the installation keys (local
// CA root and issuing CA, TSA, seal) at rest.
//
// Default location <data_dir>/secrets/master.key (file mode 0600, directory 0700), created
// on first use. Production should keep it off the data volume (a secrets mount, a separate
// disk) and name it with the environment variable RUBRICA_MASTER_KEY_FILE: whoever holds
// both the data directory and this file can use the CA keys. A file given that way is never
// created: it must exist. Accepted content: 32 raw bytes, or 64 hex characters (as written
// by `openssl rand -hex 32`), optionally followed by a newline.
//
// Thread-safe (no shared state).
#pragma once

#include <string>

#include "rubrica/base/status.h"

namespace rubrica::keys {

/// The environment variable naming an external master secret file.
inline constexpr const char* kMasterKeyFileEnv = "RUBRICA_MASTER_KEY_FILE";

/// <data_dir>/secrets/master.key
std::string DefaultMasterKeyPath(const std::string& data_dir);

/// Reads the 32-byte secret at `path`. When the file is missing and `create_if_missing`,
/// creates it (random bytes, mode 0600, parent directories 0700, atomically). Errors:
/// keys.master_secret_missing (kNotFound), keys.bad_master_secret (kDataLoss) for a file of
/// the wrong size or content, I/O errors from base. The caller wipes the result
/// (SecureWipe) when done.
Result<std::string> LoadOrCreateMasterSecret(const std::string& path, bool create_if_missing);

}  // namespace rubrica::keys
