// Revision analysis for the verifier: what each incremental update changed, and whether a
// certified acta allows it. Reject by default: after the original revision, a revision may
// only
//   - fill exactly one empty signature field that already existed (its /V, and /AP for a
//     visible one, pointing at objects new in that revision);
//   - in the same revision as a rubric signature, fill the rubric mark field that the
//     signature field /Lock names (its /V) and redraw the one appearance its widgets share
//     (same /BBox, fonts from the form's /DR);
//   - in the certification revision only, add /Perms to the catalog;
//   - add long-term validation data (/DSS in the catalog and the objects it reaches);
//   - for the archive seal: add one new invisible signature field whose value is a
//     /DocTimeStamp (ETSI.RFC3161), listed at the end of /Fields and of page 1's /Annots.
// Anything else is a forbidden change and named: page content, resources, annotations,
// new fields, other catalog entries, freed or redefined objects, a cross-reference stream,
// a trailer that changes /Root or /Info, appearances larger than a signature slot.
//
// Thread-compatible (uses the PdfFile's cache).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/pdf/cos/pdf_file.h"

namespace rubrica::pdf::cos {

struct RevisionFinding {
  bool allowed = false;
  /// Stable: "change.signature_field", "change.rubric_mark", "change.rubric_appearance",
  /// "change.signature_dictionary", "change.signature_appearance", "change.docmdp_perms",
  /// "change.ltv", "change.unchanged_rewrite", "change.document_timestamp_field" (allowed); "forbidden.page",
  /// "forbidden.annotation", "forbidden.new_field", "forbidden.removed_field",
  /// "forbidden.catalog", "forbidden.freed_object", "forbidden.new_object",
  /// "forbidden.object", "forbidden.trailer", "forbidden.no_signature",
  /// "forbidden.several_signatures", "forbidden.signature_field", "forbidden.rubric",
  /// "forbidden.appearance_too_large", "forbidden.xref_stream", "forbidden.after_docmdp_p1",
  /// "forbidden.certification_not_first".
  std::string code;
  int object = 0;        // object number concerned (0: the revision as a whole)
  std::string message;   // English, names the object, its type and the key that changed
};

struct RevisionAnalysis {
  size_t revision = 0;
  /// The signature field this revision fills ("" when none or several).
  std::string signed_field;
  /// The rubric mark field filled with it ("" when none).
  std::string mark_field;
  /// True when the filled signature carries a DocMDP /Reference.
  bool certification = false;
  int docmdp_permissions = 0;
  std::vector<RevisionFinding> findings;
  bool ok() const;
};

/// Analyses every revision after the first (index 1..last). Errors only when the file
/// cannot be read (the parser's codes); forbidden changes are findings.
Result<std::vector<RevisionAnalysis>> AnalyzeRevisions(const PdfFile& file);

}  // namespace rubrica::pdf::cos
