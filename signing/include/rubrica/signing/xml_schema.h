// Validating an XML document against an XML Schema (XSD 1.0) with libxml2.
//
// The schema is given as text: callers keep their XSD in `docs/` and embed it at build
// time (see docs/signing.md, "Signed XML") so the binary never reads it from disk. The
// schema is parsed with the same safe parser as documents (no network, no DTD): an XSD that
// xs:include's or xs:import's another by schemaLocation is refused, so a schema is one
// self-contained file.
//
// Thread-safe.
#pragma once

#include <string_view>

#include "rubrica/base/status.h"
#include "rubrica/signing/xml_document.h"

namespace rubrica::signing {

/// OK when `xml` is valid against `xsd`. Errors:
///   xml.schema_invalid (kInvalidArgument)  the document does not satisfy the schema; the
///                                          message is libxml2's first error with its line
///                                          ("line 7: Element 'acta': ...");
///   xml.bad_schema (kInternal)             `xsd` is not a usable schema (a bug of ours);
///   xml.too_large, xml.dtd_refused, xml.malformed  as ParseXml, for `xml`.
Status ValidateXmlSchema(std::string_view xml, std::string_view xsd, const XmlLimits& limits = {});

}  // namespace rubrica::signing
