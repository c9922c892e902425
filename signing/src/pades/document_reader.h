// The structure stage of verification: the PDF's revisions and objects (every object of
// every revision parsed, every stream decoded under the size cap), its signature fields,
// the analysis of every revision after the first, the required-signer list the original
// revision carries, and the last revision's /DSS. Any failure here leaves the signatures
// checked on the raw bytes standing (pdf_verifier.cc): it is reported, not fatal.
//
// Thread-compatible: one DocumentReading per verification.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/pdf/cos/acroform.h"
#include "rubrica/pdf/cos/pdf_file.h"
#include "rubrica/pdf/cos/revision_analysis.h"
#include "rubrica/pdf/signature_plan.h"
#include "rubrica/signing/verify_report.h"

namespace rubrica::signing {

/// A signature field with a value, as the structure shows it.
struct FoundSignature {
  std::string field;
  pdf::cos::Ref ref;         // the signature dictionary
  const pdf::cos::Object* dict = nullptr;  // in DocumentReading::file, which outlives it
  size_t defined_in = 0;     // the revision that defines the dictionary
};

struct DocumentReading {
  std::optional<pdf::cos::PdfFile> file;
  std::vector<pdf::cos::RevisionAnalysis> analyses;  // revisions 1..last
  std::vector<FoundSignature> signatures;            // oldest revision first
  /// The certified required-signer list; nullopt when absent or unreadable.
  std::optional<pdf::SignerList> list;
  bool list_present = false;          // firmantes.json exists in revision 0
  std::string list_error;             // why it does not parse (English)
  TimeZone zone = TimeZone::Utc();
  std::vector<keys::Certificate> dss_certificates;
  keys::CrlSet dss_crls;
  size_t dss_crl_count = 0;
  std::vector<ReportNote> notes;
  /// Ambiguities of the original revision (covered by every signature): listed, allowed.
  std::vector<pdf::cos::ReadNote> original_ambiguities;
  /// The first thing that could not be read; OK when the whole structure was read.
  Status error;
};

/// Reads everything above from `bytes` (which must outlive the result).
DocumentReading ReadDocument(std::string_view bytes, size_t max_decoded_bytes);

}  // namespace rubrica::signing
