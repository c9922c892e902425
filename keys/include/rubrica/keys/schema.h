// The keys module's tables (component "keys"): the local CA's keys and certificates, the
// certificates it issued and their revocations, members' credentials, PIN lock-out state.
// Apply with Database::Migrate("keys", keys::Migrations()) after the "audit" component.
#pragma once

#include <vector>

#include "rubrica/store/database.h"

namespace rubrica::keys {

/// Component name used in schema_version.
inline constexpr const char* kSchemaComponent = "keys";

/// The numbered migrations of the "keys" component.
const std::vector<store::Migration>& Migrations();

/// The query behind KeyStore::HoldersWithTaxId (?1: the RFC or CURP in capitals), served by
/// the indexes of migration 4 on upper(rfc) and upper(curp).
extern const char kHoldersByTaxIdQuery[];

}  // namespace rubrica::keys
