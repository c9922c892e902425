// Reading the interactive form (AcroForm) of a PDF revision: fields by name, their widgets,
// and the appearance fonts of /DR. Shared by the signing writer and the verifier.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/pdf/cos/object.h"
#include "rubrica/pdf/cos/pdf_file.h"

namespace rubrica::pdf::cos {

struct Field {
  std::string name;           // fully qualified name (parent.child), UTF-8
  Ref ref;                    // the field dictionary
  Object dict;                // as of the revision read
  std::string type;           // /FT: "Sig", "Tx", "Btn", "Ch" ("" when absent)
  std::vector<Ref> widgets;   // the field itself when merged with its widget, else its /Kids
};

/// Where ReadFields found the fields.
enum class FieldSource { kAcroForm, kPageAnnotations };

/// The terminal fields of revision `rev`, by name. Fails on a malformed /AcroForm
/// (pdf.bad_acroform), on reference cycles and on more than `max_fields` fields. A document
/// without /AcroForm has its fields read through the widget annotations of its pages (what
/// some signing tools leave), and `*source` says so; a document with neither has none.
Result<std::map<std::string, Field>> ReadFields(const PdfFile& file, size_t rev,
                                                size_t max_fields = 10000, FieldSource* source = nullptr);

/// One terminal field by its full name, reading only what is needed: the top-level /Fields
/// entries up to the match (fields with a dotted name fall back to ReadFields).
/// pdf.no_such_field (kNotFound) when absent.
Result<Field> FindField(const PdfFile& file, size_t rev, const std::string& name);

/// Widths (in 1/1000 em) of a simple font, from its /FirstChar and /Widths.
struct FontMetrics {
  Ref ref;
  int first_char = 0;
  std::vector<double> widths;
  double missing_width = 500;
  double Width(std::string_view cp1252_text, double size) const;
};

/// The font named `name` (e.g. "RbSans") in the AcroForm's /DR /Font, as of `rev`.
Result<FontMetrics> ReadFormFont(const PdfFile& file, size_t rev, const std::string& name);

}  // namespace rubrica::pdf::cos
