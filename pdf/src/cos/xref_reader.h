// Reading one cross-reference section, classic (`xref` table) or stream (/Type /XRef),
// into a Revision's entries and trailer. Internal to PdfFile.
#pragma once

#include <string>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/pdf/cos/parser.h"
#include "rubrica/pdf/cos/pdf_file.h"

namespace rubrica::pdf::cos {

Status RevisionStructureError(const std::string& what);

/// Parses the section at `offset` into `rev` (entries + trailer; sets rev.xref_stream);
/// `after` is left just past the trailer (or the stream object). Object numbers listed
/// twice keep their first entry and are appended to `listed_twice`. `max_decoded` bounds
/// the decoded size of a cross-reference stream.
Status ParseXrefSection(const Parser& p, size_t offset, Revision& rev, size_t& after, size_t max_entries,
                        size_t max_decoded, std::vector<int>& listed_twice);

/// Parses the cross-reference stream at `offset` into `entries` only (for /XRefStm).
Status ParseXrefStreamEntries(const Parser& p, size_t offset, std::map<int, XrefEntry>& entries,
                              size_t max_entries, size_t max_decoded, std::vector<int>& listed_twice);

}  // namespace rubrica::pdf::cos
