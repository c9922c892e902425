// Reading keys_credentials rows. Private to the keys module (key_store*.cc).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rubrica/keys/key_store.h"
#include "rubrica/store/database.h"

namespace rubrica::keys {

/// How a stored key is wrapped (keys_credentials.key_wrap): its PKCS#8 passphrase is the
/// PIN itself (before the outside secret; re-wrapped at the next unlock), or
/// hex(HMAC-SHA256(wrap secret, PIN)).
inline constexpr int kWrapPinOnly = 1;
inline constexpr int kWrapPinAndSecret = 2;

/// A credential row with its encrypted key (nullopt when none is stored).
struct StoredCredential {
  Credential credential;
  std::optional<std::string> encrypted_key;
  int key_wrap = kWrapPinAndSecret;
};

/// One credential by id; nullopt when absent.
Result<std::optional<StoredCredential>> LoadCredential(store::Transaction& tx, int64_t id);
/// Credentials of one holder (all when `holder_id` is nullopt), oldest first, without keys.
Result<std::vector<Credential>> LoadCredentials(store::Transaction& tx,
                                                const std::optional<std::string>& holder_id);

/// keys.credential_not_found (kNotFound).
Status CredentialNotFound(int64_t id);

}  // namespace rubrica::keys
