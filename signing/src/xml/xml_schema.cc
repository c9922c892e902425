// XSD validation with libxml2, errors read from the contexts (never printed).
#include "rubrica/signing/xml_schema.h"

#include <libxml/xmlschemas.h>

#include <string>

#include "xml/xml_internal.h"

namespace rubrica::signing {
namespace {

struct FirstError {
  bool seen = false;
  std::string text;
};

void KeepFirst(void* user, xmlErrorPtr e) {
  auto* first = static_cast<FirstError*>(user);
  if (first->seen || e == nullptr || e->level < XML_ERR_ERROR) return;
  first->seen = true;
  std::string m = e->message ? e->message : "invalid";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  first->text = "line " + std::to_string(e->line) + ": " + m;
}

struct ParserCtxtDeleter {
  void operator()(xmlSchemaParserCtxt* c) const { xmlSchemaFreeParserCtxt(c); }
};
struct SchemaDeleter {
  void operator()(xmlSchema* s) const { xmlSchemaFree(s); }
};
struct ValidCtxtDeleter {
  void operator()(xmlSchemaValidCtxt* c) const { xmlSchemaFreeValidCtxt(c); }
};

Status BadSchema(const std::string& why) {
  return Status::Error(ErrorKind::kInternal, "xml.bad_schema", "XML schema is not usable: " + why);
}

// An XSD must be one self-contained file: includes and imports by location would reach
// the file system (the process-wide entity loader refuses them anyway).
Status RefuseExternalParts(const xmlNode* n) {
  static const char* kXsd = "http://www.w3.org/2001/XMLSchema";
  for (xmlNode* c : xml::ElementChildren(n)) {
    if ((xml::IsElement(c, kXsd, "include") || xml::IsElement(c, kXsd, "import") ||
         xml::IsElement(c, kXsd, "redefine")) &&
        xml::HasAttrOf(c, "schemaLocation")) {
      return BadSchema("it refers to another file (" + xml::AttrOf(c, "schemaLocation") + ")");
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateXmlSchema(std::string_view xml, std::string_view xsd, const XmlLimits& limits) {
  auto schema_doc = xml::ParseDoc(xsd, XmlLimits{});
  if (!schema_doc.ok()) return BadSchema(schema_doc.status().message());
  RETURN_IF_ERROR(RefuseExternalParts(xmlDocGetRootElement(schema_doc->get())));
  ASSIGN_OR_RETURN(xml::DocPtr doc, xml::ParseDoc(xml, limits));

  FirstError schema_error;
  std::unique_ptr<xmlSchemaParserCtxt, ParserCtxtDeleter> pctxt(
      xmlSchemaNewDocParserCtxt(schema_doc->get()));
  if (!pctxt) return BadSchema("out of memory");
  xmlSchemaSetParserStructuredErrors(pctxt.get(), KeepFirst, &schema_error);
  std::unique_ptr<xmlSchema, SchemaDeleter> schema(xmlSchemaParse(pctxt.get()));
  if (!schema) return BadSchema(schema_error.seen ? schema_error.text : "libxml2 refused it");

  FirstError error;
  std::unique_ptr<xmlSchemaValidCtxt, ValidCtxtDeleter> vctxt(xmlSchemaNewValidCtxt(schema.get()));
  if (!vctxt) return BadSchema("out of memory");
  xmlSchemaSetValidStructuredErrors(vctxt.get(), KeepFirst, &error);
  int rc = xmlSchemaValidateDoc(vctxt.get(), doc.get());
  if (rc == 0) return Status::Ok();
  if (rc < 0) return BadSchema("libxml2 internal error while validating");
  return Status::Error(
      ErrorKind::kInvalidArgument, "xml.schema_invalid",
      "XML document does not satisfy its schema: " + (error.seen ? error.text : "invalid"),
      "El documento XML no cumple su esquema.");
}

}  // namespace rubrica::signing
