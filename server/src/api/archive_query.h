// The archive search as the API (GET /api/archive) and the CLI (`rubrica archive search`)
// share it: the parameters by name, and each hit as JSON with its state, the SHA-256 of the
// sealed PDF and links to what exists for it (docs/api.md, "Archive").
#pragma once

#include <map>
#include <string>

#include "rubrica/base/json_writer.h"
#include "rubrica/base/status.h"
#include "rubrica/keys/key_store.h"
#include "rubrica/workflows/archive_search.h"
#include "rubrica/workflows/workflows.h"

namespace rubrica::server::api {

/// The query parameters of GET /api/archive, as declared in its RouteSpec.
inline constexpr std::string_view kArchiveQueryParams =
    "secretariat_id:integer kind:installation|session_minute "
    "state:draft|review|approved|rubric|foot_signature|archived|delivered from:date to:date "
    "session_id:integer signer:string q:string limit:integer cursor:string";

/// Parameters (name -> value; only the names above) to a query: api.bad_parameter naming
/// the parameter for a value that is not of its type or too long. `signer` is a name, or an
/// RFC or CURP, which is resolved to the people whose credentials carry it (`keys`).
/// The visibility is left for the caller to set. Default limit 20.
Result<workflows::ArchiveQuery> ParseArchiveQuery(const std::map<std::string, std::string>& params,
                                                  const keys::KeyStore& keys);

/// {"actas":[hit...],"next_cursor":"..."|null}; each hit names its signers.
void WriteArchivePage(JsonWriter& w, const workflows::ArchivePage& page, workflows::People& people);

/// Whether the acta has a certified copy to offer: sealed (archived or delivered).
bool HasCertifiedCopy(const workflows::ActaRecord& a);
/// "<folio>.copia-certificada.zip" ("acta-<id>..." without a folio).
std::string CertifiedCopyFileName(const workflows::ActaRecord& a);

}  // namespace rubrica::server::api
