// The version of an acta in draft or review, rendered for reading (the engine's RenderDraft:
// "BORRADOR — sin validez" on every page, no signature field, never stored). Used by the
// PDF route and by review comments that point at a page.
#pragma once

#include "api_context.h"
#include "rubrica/base/status.h"
#include "rubrica/workflows/acta_document_engine.h"
#include "rubrica/workflows/actas.h"

namespace rubrica::server::api {

/// Renders `acta`'s current version. Errors: the workflow's (reading the version and the
/// secretariat) and the format's codes.
Result<workflows::DraftDocument> RenderCurrentDraft(ApiContext& ctx,
                                                    const workflows::ActaRecord& acta);

}  // namespace rubrica::server::api
