// A small report document and its schema, shared by the XML tests: a namespaced root with
// a version attribute, repeated children, a typed date, a restricted enumeration and room
// for the enveloped ds:Signature (in the shape of the reports and manifests to come).
#pragma once

#include <string>
#include <utility>

#include "rubrica/signing/xml_document.h"
#include "support/test_support.h"

namespace rubrica::signing::testing {

inline constexpr const char* kNs = "urn:rubrica:test:reporte:1";

/// tests/signing/xml_report_test.xsd, embedded by rubrica_embed_text (the way callers embed
/// their schemas from docs/).
extern const char kXsd[];
/// Its path, for xmllint.
inline std::string XsdPath() {
  return rubrica::testing::SourceDir() + "/tests/signing/xml_report_test.xsd";
}

inline XmlElement Report(std::string title, std::string date = "2026-03-14") {
  XmlElement root("r:reporte");
  root.Attr("xmlns:r", kNs).Attr("version", "1");
  root.TextChild("r:titulo", std::move(title));
  root.TextChild("r:fecha", std::move(date));
  root.Child("r:firma").Attr("resultado", "valida").Text("Persona Ficticia Uno");
  root.Child("r:firma").Attr("resultado", "invalida").Text("Persona Ficticia Dos <\"&'>");
  return root;
}

}  // namespace rubrica::signing::testing
