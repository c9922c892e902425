// The certified copy of a sealed acta ("copia certificada electrónica"), as PdfActaEngine
// makes it: the sealed PDF is verified by our own verifier against the installation's
// trust anchors, and what that verification found is stated twice, for machines and for
// people, each signed by the secretariat's seal:
//
//   <folio>.pdf                    the sealed acta, byte for byte
//   reporte-verificacion.xml       the verification report (docs/reporte-verificacion.xsd),
//                                  validated against its schema, then signed (XMLDSig,
//                                  enveloped) by the seal with a timestamp of the TSA
//   constancia-verificacion.pdf    the constancia de verificación in Spanish (PDF/A, like
//                                  the actas), signed by the seal at its foot (PAdES, with
//                                  the TSA's signature-time-stamp)
//
// Anyone checks it offline with tools we did not write: unzip, xmllint --schema, xmlsec1
// --verify, pdfsig, qpdf (docs/verify-report.md, "The certified copy").
#pragma once

#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/keys/local_ca.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/signing/timestamp_client.h"
#include "rubrica/signing/verify_report.h"
#include "rubrica/workflows/acta_document_engine.h"

namespace rubrica::documents {

/// What making a copy needs from the engine. Not owned.
struct CopyMaker {
  const keys::LocalCa& ca;
  const keys::TrustStore& trust;
  signing::TimestampClient& tsa;
  const Clock& clock;
  const TimeZone& zone;
  std::string font_dir;
  std::string location;
};

/// Names of the ZIP's entries.
inline constexpr const char* kReportEntry = "reporte-verificacion.xml";
inline constexpr const char* kConstanciaEntry = "constancia-verificacion.pdf";
/// "<folio>.pdf", or "acta-<id>.pdf" without a folio.
std::string SealedEntryName(const workflows::CertifiedCopyRequest& request);

/// The ZIP's bytes. `sealed_pdf` is the blob of request.sealed_blob_id. Errors:
/// engine.copy_of_invalid_acta (kRejected) when the sealed PDF does not verify as valid
/// (nothing certifies a broken acta), the renderer's, the seal's, the TSA's, and
/// engine.zip_failed (kInternal).
Result<std::string> MakeCertifiedCopyZip(const CopyMaker& maker,
                                         const workflows::CertifiedCopyRequest& request,
                                         const std::string& sealed_pdf);

/// The constancia de verificación, rendered and signed by the seal.
Result<std::string> MakeConstancia(const CopyMaker& maker,
                                   const workflows::CertifiedCopyRequest& request,
                                   const signing::VerifyReport& report, const std::string& sealed_sha256);

/// reporte-verificacion.xml: built from `report`, validated against
/// docs/reporte-verificacion.xsd (xml.schema_invalid otherwise: nothing is signed that its
/// own schema refuses), signed by the seal with the TSA's timestamp.
Result<std::string> MakeReportXml(const CopyMaker& maker, const workflows::CertifiedCopyRequest& request,
                                  const signing::VerifyReport& report, const std::string& sealed_pdf,
                                  const std::string& sealed_sha256);

}  // namespace rubrica::documents
