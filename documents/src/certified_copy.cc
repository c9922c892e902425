#include "certified_copy.h"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Timestamp.h>
#include <Poco/Zip/Compress.h>

#include <chrono>
#include <sstream>

#include "engine_text.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/signing/pdf_verifier.h"

namespace rubrica::documents {

namespace {

struct Entry {
  std::string name;
  std::string bytes;
};

// A ZIP of `entries` (deflated), each dated `at`. Poco throws; the module's edge is here.
Result<std::string> Zip(const std::vector<Entry>& entries, Instant at) {
  try {
    std::ostringstream out(std::ios::binary);
    Poco::Zip::Compress zip(out, /*seekableOut=*/true);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch());
    const Poco::DateTime when{Poco::Timestamp(micros.count())};
    for (const auto& e : entries) {
      std::istringstream in(e.bytes, std::ios::binary);
      zip.addFile(in, when, Poco::Path(e.name, Poco::Path::PATH_UNIX));
    }
    zip.close();
    return out.str();
  } catch (const std::exception& e) {
    return EngineError(ErrorKind::kInternal, "zip_failed", std::string("writing the certified copy's ZIP: ") + e.what(),
                       "No se pudo armar el archivo de la copia certificada.");
  }
}

}  // namespace

std::string SealedEntryName(const workflows::CertifiedCopyRequest& r) {
  return (r.folio.empty() ? "acta-" + std::to_string(r.acta_id) : r.folio) + ".pdf";
}

Result<std::string> MakeCertifiedCopyZip(const CopyMaker& m, const workflows::CertifiedCopyRequest& r,
                                         const std::string& sealed_pdf) {
  signing::VerifyOptions options;
  options.trust = &m.trust;
  const signing::VerifyReport report = signing::VerifyPdf(sealed_pdf, options, m.clock);
  // A certified copy certifies a valid, complete, sealed acta; nothing else gets one.
  if (report.exit != signing::VerifyExit::kValidAndComplete || !report.completeness.archived) {
    return EngineError(ErrorKind::kRejected, "copy_of_invalid_acta",
                       "acta " + std::to_string(r.acta_id) + ": the sealed PDF does not verify (" +
                           report.verdict + ")",
                       "El acta sellada no supera la verificación; no se expide copia certificada: " +
                           report.verdict_es);
  }
  const std::string sealed_sha256 = Sha256Hex(sealed_pdf);
  ASSIGN_OR_RETURN(std::string xml, MakeReportXml(m, r, report, sealed_pdf, sealed_sha256));
  ASSIGN_OR_RETURN(std::string constancia, MakeConstancia(m, r, report, sealed_sha256));
  return Zip({{SealedEntryName(r), sealed_pdf}, {kReportEntry, xml}, {kConstanciaEntry, constancia}},
             m.clock.Now());
}

}  // namespace rubrica::documents
