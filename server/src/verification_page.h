// The public page a printed acta points to: its footer leads to
// <public_url>/verificar/<folio>, its QR code to the short form <public_url>/v/<folio>/<HASH>
// (the same page, comparing the hash). A small server-rendered Spanish page (no script, a strict
// Content-Security-Policy) with the acta's title, secretariat, state, date and approved
// content hash (compared with the hash the QR code carries, when given), and a link to
// the latest PDF of the acta (the archived copy once sealed), served at
// /verificar/<folio>/acta.pdf. Public: actas are public documents. A folio that does not
// exist gets a Spanish 404 page, never an empty answer.
#pragma once

#include "rubrica/server/http.h"
#include "rubrica/store/blob_store.h"
#include "rubrica/workflows/workflows.h"

namespace rubrica::server {

/// Adds GET /verificar/{folio}, GET /v/{folio}/{hash} and GET /verificar/{folio}/acta.pdf. `workflows` and `blobs`
/// must outlive the router.
void AddVerificationPage(Router& router, workflows::Workflows& workflows,
                         const store::BlobStore& blobs);

}  // namespace rubrica::server
