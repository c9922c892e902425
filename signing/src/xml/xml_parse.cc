// The one way rubrica parses XML from anyone.
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include <cstring>
#include <string>

#include "xml/xml_internal.h"

namespace rubrica::signing::xml {
namespace {

struct ParseState {
  bool saw_doctype = false;
};

// Called for every <!DOCTYPE ...>, before any declaration inside it is read: stopping
// here means no entity is ever declared, so nothing can be expanded or fetched.
void RefuseDoctype(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  static_cast<ParseState*>(ctxt->_private)->saw_doctype = true;
  xmlStopParser(ctxt);
}

void IgnoreError(void*, xmlErrorPtr) {}

struct CtxtDeleter {
  void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};

}  // namespace

Result<DocPtr> ParseDoc(std::string_view xml, const XmlLimits& limits) {
  RETURN_IF_ERROR(EnsureInitialized());
  if (xml.size() > limits.max_bytes) {
    return Status::Error(ErrorKind::kTooLarge, "xml.too_large",
                         "XML document of " + std::to_string(xml.size()) +
                             " bytes is over the limit of " + std::to_string(limits.max_bytes),
                         "El documento XML excede el tamaño máximo permitido.");
  }
  std::unique_ptr<xmlParserCtxt, CtxtDeleter> ctxt(xmlNewParserCtxt());
  if (!ctxt) return Status::Error(ErrorKind::kInternal, "xml.parse_failed", "out of memory");
  ParseState state;
  ctxt->_private = &state;
  ctxt->sax->internalSubset = RefuseDoctype;
  ctxt->sax->serror = IgnoreError;
  // No NOENT (entities are never substituted), no DTDLOAD/DTDATTR/DTDVALID, no XINCLUDE,
  // no HUGE (libxml2's depth and length limits stay on).
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
  DocPtr doc(xmlCtxtReadMemory(ctxt.get(), xml.data(), static_cast<int>(xml.size()), "document.xml",
                               nullptr, options));
  if (state.saw_doctype) {
    return Status::Error(ErrorKind::kInvalidArgument, "xml.dtd_refused",
                         "XML document has a DOCTYPE (DTDs and entities are not accepted)",
                         "El documento XML contiene una declaración DOCTYPE, que no se acepta.");
  }
  if (!doc || !ctxt->wellFormed || xmlDocGetRootElement(doc.get()) == nullptr) {
    std::string what = "not well-formed";
    const xmlError* e = xmlCtxtGetLastError(ctxt.get());
    if (e != nullptr && e->message != nullptr) {
      std::string m = e->message;
      while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
      what = "line " + std::to_string(e->line) + ": " + m;
    }
    return Status::Error(ErrorKind::kInvalidArgument, "xml.malformed",
                         "XML document is malformed: " + what,
                         "El documento XML está mal formado.");
  }
  return doc;
}

std::string DumpDoc(xmlDoc* doc) {
  xmlChar* mem = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
  std::string out(reinterpret_cast<const char*>(mem), mem ? static_cast<size_t>(size) : 0);
  xmlFree(mem);
  return out;
}

bool IsElement(const xmlNode* n, const char* ns, const char* local_name) {
  if (n == nullptr || n->type != XML_ELEMENT_NODE) return false;
  if (std::strcmp(reinterpret_cast<const char*>(n->name), local_name) != 0) return false;
  if (ns == nullptr) return n->ns == nullptr;
  return n->ns != nullptr && n->ns->href != nullptr &&
         std::strcmp(reinterpret_cast<const char*>(n->ns->href), ns) == 0;
}

std::string AttrOf(const xmlNode* n, const char* name) {
  if (n == nullptr) return "";
  xmlChar* v = xmlGetNoNsProp(n, reinterpret_cast<const xmlChar*>(name));
  std::string out = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return out;
}

bool HasAttrOf(const xmlNode* n, const char* name) {
  return n != nullptr &&
         xmlHasNsProp(n, reinterpret_cast<const xmlChar*>(name), nullptr) != nullptr;
}

std::string ContentOf(const xmlNode* n) {
  if (n == nullptr) return "";
  xmlChar* v = xmlNodeGetContent(n);
  std::string out = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return out;
}

std::vector<xmlNode*> ElementChildren(const xmlNode* n) {
  std::vector<xmlNode*> out;
  if (n == nullptr) return out;
  for (xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  }
  return out;
}

}  // namespace rubrica::signing::xml
