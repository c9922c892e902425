// Small helpers the manifest and the receipt share to write their XML (attributes escaped
// with EscapeMarkup) and read it back with libxml2 (a document parsed without network or
// entity substitution; elements matched by namespace and local name). Private to delivery/.
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>
#include <string>
#include <string_view>

#include "rubrica/base/markup.h"

namespace rubrica::delivery::xml {

/// ` name="value"`, the value escaped.
inline std::string Attr(const char* name, const std::string& value) {
  return std::string(" ") + name + "=\"" + EscapeMarkup(value) + "\"";
}

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;

/// Parses without network access, DTD loading or entity substitution; null when not
/// well-formed or over 16 MiB.
inline Doc ParseDoc(std::string_view text, const char* name) {
  if (text.size() > (16u << 20)) return nullptr;
  return Doc(xmlReadMemory(text.data(), static_cast<int>(text.size()), name, nullptr, XML_PARSE_NONET));
}

inline std::string Prop(xmlNodePtr n, const char* name) {
  xmlChar* v = xmlGetProp(n, BAD_CAST name);
  if (!v) return "";
  std::string s(reinterpret_cast<char*>(v));
  xmlFree(v);
  return s;
}

inline std::string Text(xmlNodePtr n) {
  xmlChar* v = xmlNodeGetContent(n);
  if (!v) return "";
  std::string s(reinterpret_cast<char*>(v));
  xmlFree(v);
  return s;
}

/// True when `n` is the element `name` of namespace `ns`.
inline bool Is(xmlNodePtr n, const char* ns, const char* name) {
  return n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, BAD_CAST ns) &&
         xmlStrEqual(n->name, BAD_CAST name);
}

}  // namespace rubrica::delivery::xml
