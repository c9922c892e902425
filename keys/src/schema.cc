#include "rubrica/keys/schema.h"

namespace rubrica::keys {

const char kHoldersByTaxIdQuery[] =
    "SELECT holder_id FROM keys_credentials WHERE upper(rfc) = ?1 "
    "UNION SELECT holder_id FROM keys_credentials WHERE upper(curp) = ?1";

// Times are microseconds since the Unix epoch (UTC), compared as integers.
const std::vector<store::Migration>& Migrations() {
  static const std::vector<store::Migration> kMigrations = {
      {1, "local CA, issued certificates, credentials, PIN lock-out", R"sql(
CREATE TABLE keys_ca (
  role TEXT PRIMARY KEY CHECK (role IN ('root', 'issuing', 'tsa', 'seal')),
  certificate BLOB NOT NULL,
  encrypted_key TEXT NOT NULL,
  created_us INTEGER NOT NULL
);
CREATE TABLE keys_ca_state (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE keys_issued (
  issuer TEXT NOT NULL CHECK (issuer IN ('root', 'issuing')),
  serial TEXT NOT NULL,
  role TEXT NOT NULL,
  holder_id TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL,
  not_after_us INTEGER NOT NULL,
  certificate BLOB NOT NULL,
  issued_us INTEGER NOT NULL,
  revoked_us INTEGER,
  revocation_reason INTEGER,
  PRIMARY KEY (issuer, serial)
);
CREATE TABLE keys_credentials (
  id INTEGER PRIMARY KEY,
  holder_id TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (origin IN ('local-ca', 'pkcs12', 'efirma', 'external')),
  certificate BLOB NOT NULL,
  fingerprint TEXT NOT NULL,
  chain_pem TEXT NOT NULL DEFAULT '',
  encrypted_key TEXT,
  created_us INTEGER NOT NULL,
  revoked_us INTEGER,
  revocation_reason INTEGER,
  revocation_source TEXT,
  rfc TEXT NOT NULL DEFAULT '',
  curp TEXT NOT NULL DEFAULT ''
);
CREATE INDEX keys_credentials_by_holder ON keys_credentials (holder_id, id);
CREATE UNIQUE INDEX keys_credentials_active_once
  ON keys_credentials (holder_id, fingerprint) WHERE revoked_us IS NULL;
CREATE TABLE keys_pin_state (
  credential_id INTEGER PRIMARY KEY REFERENCES keys_credentials (id),
  failures INTEGER NOT NULL,
  locked_until_us INTEGER NOT NULL DEFAULT 0
);
)sql"},
      {2, "rubric certificate of a credential", R"sql(
ALTER TABLE keys_credentials ADD COLUMN rubric_certificate BLOB;
)sql"},
      // Keys stored before: passphrase = the PIN (1). New ones: HMAC(wrap secret, PIN) (2).
      {3, "member keys wrapped with the PIN and a secret outside the database", R"sql(
ALTER TABLE keys_credentials ADD COLUMN key_wrap INTEGER NOT NULL DEFAULT 1
  CHECK (key_wrap IN (1, 2));
)sql"},
      // Archive search by RFC or CURP (kHoldersByTaxIdQuery) without reading every credential.
      {4, "credentials by RFC and by CURP", R"sql(
CREATE INDEX keys_credentials_by_rfc ON keys_credentials (upper(rfc));
CREATE INDEX keys_credentials_by_curp ON keys_credentials (upper(curp));
)sql"},
  };
  return kMigrations;
}

}  // namespace rubrica::keys
