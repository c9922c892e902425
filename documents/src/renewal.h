// Renewal of an archived acta's seal (PAdES-LTA), for PdfActaEngine::Renew: reads the
// document timestamps of the sealed blob, judges the last one against the policy (its TSA
// certificate ends within the margin, or its digest is deprecated) and, when due, appends
// the renewal revision (signing::RenewPdf) with the local CA's chain, its current TSA and
// seal certificates and CRLs issued now, and stores it as a new blob.
//
// Before storing, the new timestamp is judged by the same policy: one that would be due at
// once (the TSA's current certificate is itself near its end: rotate it first) is refused
// with engine.tsa_certificate_expiring, so a pass never renews the same acta twice.
//
// Thread-safe; the caller (workflows) holds the acta's lock.
#pragma once

#include "rubrica/base/clock.h"
#include "rubrica/base/logger.h"
#include "rubrica/keys/local_ca.h"
#include "rubrica/signing/timestamp_client.h"
#include "rubrica/store/blob_store.h"
#include "rubrica/workflows/acta_document_engine.h"

namespace rubrica::documents {

struct RenewalContext {
  store::BlobStore& blobs;
  const keys::LocalCa& ca;
  signing::TimestampClient& tsa;
  const Clock& clock;
  Logger& logger;
};

Result<workflows::RenewalOutcome> RenewArchivedActa(const workflows::RenewRequest& request,
                                                    const RenewalContext& context);

}  // namespace rubrica::documents
