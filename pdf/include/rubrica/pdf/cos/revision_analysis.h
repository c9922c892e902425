// Revision analysis for the verifier: what each incremental update changed, and whether a
// signed document allows it. Reject by default: after the original revision, a revision may
// only
//   - fill exactly one signature field: an existing empty one (its /V, and /AP for a
//     visible one), or a new signature field with its widget, filled here (listed at the
//     end of /Fields and of a page's /Annots): what signing tools add;
//   - draw that signature's appearance (new objects reachable from it; at most a quarter
//     of the page);
//   - in the same revision as a rubric signature, fill the rubric mark field that the
//     signature field /Lock names (its /V) and redraw the one appearance its widgets share
//     (same /BBox, fonts from the form's /DR);
//   - write what signing tools write after a signature (as EU DSS and pyHanko allow): the
//     form's /SigFlags, /DR, /DA, a form where there was none, the catalog's /Perms and
//     /Version, /Info /Producer and /ModDate (or a new /Info with them), long-term
//     validation data (/DSS and the objects it reaches), document timestamps (the archive
//     seal), and new objects that nothing refers to.
// After a document timestamp (the archive seal) the document is archived: only renewals
// (a /DSS update with a new document timestamp, PAdES-LTA) and validation material alone
// may follow; anything else, a signature included, is forbidden.after_archive_seal.
// Anything else is a forbidden change and named: page content, resources, annotations,
// new fields, other catalog entries, freed or redefined objects, a trailer that changes
// /Root, appearances larger than a signature slot; and what the reader noted in the
// revision's bytes: ambiguities (a dictionary key twice, an object listed or defined twice)
// and objects placed inside an earlier revision's bytes (the shadow attack "hide"). After a
// signature, the shadow attacks "replace" (a drawn or filled object redefined under its own
// number) and "hide-and-replace" (another catalog or page tree in place of the signed one)
// are named as well, besides the forbidden change they are made of.
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
  /// "change.ltv", "change.unchanged_rewrite", "change.document_timestamp_field",
  /// "change.new_signature_field", "change.form", "change.catalog", "change.info",
  /// "change.unreferenced_object", "change.ltv_update", "change.empty_update",
  /// "change.structure_tree", and "change.after_document_timestamp" (made by the verifier
  /// from forbidden.after_archive_seal for a PDF that is not an acta) (allowed);
  /// "forbidden.page", "forbidden.annotation",
  /// "forbidden.new_field", "forbidden.removed_field", "forbidden.catalog",
  /// "forbidden.freed_object", "forbidden.new_object", "forbidden.object",
  /// "forbidden.trailer", "forbidden.no_signature", "forbidden.several_signatures",
  /// "forbidden.signature_field", "forbidden.rubric", "forbidden.appearance_too_large",
  /// "forbidden.after_docmdp_p1", "forbidden.certification_not_first",
  /// "forbidden.after_archive_seal",
  /// "ambiguity.duplicate_key", "ambiguity.object_listed_twice",
  /// "ambiguity.object_defined_twice", "manipulation.object_in_earlier_revision",
  /// "manipulation.shadow_replace", "manipulation.shadow_hide_and_replace".
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
  /// True when the filled signature is a new document timestamp (the archive seal, or a
  /// renewal of it).
  bool document_timestamp = false;
  std::vector<RevisionFinding> findings;
  bool ok() const;
};

/// Analyses every revision after the first (index 1..last). Errors only when the file
/// cannot be read (the parser's codes); forbidden changes are findings.
Result<std::vector<RevisionAnalysis>> AnalyzeRevisions(const PdfFile& file);

}  // namespace rubrica::pdf::cos
