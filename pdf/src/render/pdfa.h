// What makes a rendered acta PDF/A-3b (ISO 19005-3, level B): the XMP metadata packet with
// the PDF/A identification and the same title, author, subject, tool and dates as /Info,
// and the sRGB ICC profile of the output intent. (Fonts are embedded and subset by
// font_set; nothing drawn uses transparency; firmantes.json carries /AFRelationship.)
#pragma once

#include <string>

#include "rubrica/base/status.h"

namespace rubrica::pdf::render {

/// The document's metadata, UTF-8. Every field with an /Info counterpart holds the same
/// value as /Info (PDF/A requires them to agree).
struct XmpFields {
  std::string title;               // dc:title        = /Title
  std::string author;              // dc:creator      = /Author (the secretariat); also dc:publisher
  std::string subject;             // dc:description  = /Subject
  std::string creator_tool;        // xmp:CreatorTool = /Creator
  std::string producer;            // pdf:Producer    = /Producer
  std::string date;                // xmp:CreateDate = xmp:ModifyDate = xmp:MetadataDate
                                   // = /CreationDate = /ModDate, as "2022-11-14T10:25:00-06:00"
  std::string identifier;          // dc:identifier: the acta's folio; may be empty
  std::string relation;            // dc:relation: the verification address; may be empty
  std::string language = "es-MX";  // dc:language
};

/// The XMP packet (UTF-8 RDF/XML, no "bytes" attribute, read-only trailer), with
/// pdfaid:part 3 and pdfaid:conformance B. Deterministic.
std::string XmpPacket(const XmpFields& fields);

/// "2022-11-14T10:25:00-06:00" from a PDF date "D:20221114102500-06'00'".
std::string XmpDateFromPdfDate(const std::string& pdf_date);

/// Reads the ICC profile of the PDF/A output intent and checks it is an RGB profile (the
/// colour space of everything we draw besides gray). pdf.icc_unavailable (kIoError) when
/// the file is missing, unreadable or not an RGB ICC profile (install icc-profiles-free).
Result<std::string> LoadRgbIccProfile(const std::string& path);

}  // namespace rubrica::pdf::render
