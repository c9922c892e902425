// XmlElement, its serialiser and the tree view of ParseXml.
#include "rubrica/signing/xml_document.h"

#include <libxml/tree.h>

#include <cstdint>
#include <cstdio>

#include "rubrica/base/text.h"
#include "xml/xml_internal.h"

namespace rubrica::signing {

struct XmlAccess {
  static const std::vector<XmlElement::Node>& content(const XmlElement& e) { return e.content_; }
  static void set_namespace(XmlElement& e, std::string uri) { e.namespace_uri_ = std::move(uri); }
};

namespace {

Status BadName(std::string_view name) {
  return Status::Error(ErrorKind::kInvalidArgument, "xml.bad_name",
                       "not an XML name: \"" + std::string(name.substr(0, 80)) + "\"",
                       "Nombre de elemento o atributo XML no válido.");
}

// XML 1.0 names, with every non-ASCII character accepted as a name character (UTF-8 is
// checked separately): our names are ASCII; the point is to refuse markup in a name.
Status CheckName(std::string_view name) {
  if (name.empty() || !IsValidUtf8(name)) return BadName(name);
  auto start = [](unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' || c >= 0x80;
  };
  auto rest = [&](unsigned char c) {
    return start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
  };
  if (!start(static_cast<unsigned char>(name[0]))) return BadName(name);
  for (char c : name) {
    if (!rest(static_cast<unsigned char>(c))) return BadName(name);
  }
  if (name.front() == ':' || name.back() == ':') return BadName(name);
  return Status::Ok();
}

// Text XML 1.0 can carry and people can read: UTF-8 without C0 (but TAB, LF, CR), DEL, C1,
// U+FFFE and U+FFFF.
Status CheckXmlText(std::string_view text) {
  if (!IsValidUtf8(text)) {
    return Status::Error(ErrorKind::kInvalidArgument, "xml.bad_text", "text is not valid UTF-8",
                         "El texto no es UTF-8 válido.");
  }
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    uint32_t cp;
    size_t len;
    if (c < 0x80) {
      cp = c, len = 1;
    } else if (c < 0xE0) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3Fu), len = 2;
    } else if (c < 0xF0) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
      len = 3;
    } else {
      cp = 0x10000, len = 4;  // astral planes: all allowed
    }
    bool bad = (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F ||
               (cp >= 0x80 && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF;
    if (bad) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "U+%04X", cp);
      return Status::Error(
          ErrorKind::kInvalidArgument, "xml.bad_text",
          std::string("control character ") + hex + " at byte " + std::to_string(i),
          "El texto contiene un carácter de control no permitido.");
    }
    i += len;
  }
  return Status::Ok();
}

// Not base's EscapeMarkup: a document that is parsed again must give back the same text, so
// CR (which parsing turns into LF) and, in attributes, TAB and LF (which attribute-value
// normalisation turns into spaces) are written as character references.
void Escape(std::string_view text, bool attribute, std::string& out) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += attribute ? "&quot;" : "\"";
        break;
      case '\r':
        out += "&#xD;";
        break;  // a literal CR would become LF on parsing
      case '\t':
        out += attribute ? "&#x9;" : "\t";
        break;
      case '\n':
        out += attribute ? "&#xA;" : "\n";
        break;
      default:
        out += c;
    }
  }
}

Status Serialize(const XmlElement& e, int depth, int indent, std::string& out) {
  if (depth > 200) {
    return Status::Error(ErrorKind::kInvalidArgument, "xml.too_deep",
                         "element nesting deeper than 200 (ParseXml would refuse it)");
  }
  RETURN_IF_ERROR(CheckName(e.name()));
  out += '<';
  out += e.name();
  for (const auto& a : e.attributes()) {
    RETURN_IF_ERROR(CheckName(a.name));
    RETURN_IF_ERROR(CheckXmlText(a.value).WithContext("attribute " + a.name + " of " + e.name()));
    out += ' ';
    out += a.name;
    out += "=\"";
    Escape(a.value, true, out);
    out += '"';
  }
  const auto& content = XmlAccess::content(e);
  if (content.empty()) {
    out += "/>";
    return Status::Ok();
  }
  out += '>';
  bool elements_only = indent > 0;
  for (const auto& n : content) {
    if (!n.element) elements_only = false;
  }
  for (const auto& n : content) {
    if (n.element) {
      if (elements_only) out += '\n' + std::string(static_cast<size_t>((depth + 1) * indent), ' ');
      RETURN_IF_ERROR(Serialize(*n.element, depth + 1, indent, out));
    } else {
      RETURN_IF_ERROR(CheckXmlText(n.text).WithContext("text of " + e.name()));
      Escape(n.text, false, out);
    }
  }
  if (elements_only) out += '\n' + std::string(static_cast<size_t>(depth * indent), ' ');
  out += "</";
  out += e.name();
  out += '>';
  return Status::Ok();
}

std::string ToString(const xmlChar* s) { return s ? reinterpret_cast<const char*>(s) : ""; }

std::string Qualified(const xmlNs* ns, const xmlChar* name) {
  if (ns != nullptr && ns->prefix != nullptr) return ToString(ns->prefix) + ":" + ToString(name);
  return ToString(name);
}

XmlElement FromNode(const xmlNode* n) {
  XmlElement e(Qualified(n->ns, n->name));
  if (n->ns != nullptr) XmlAccess::set_namespace(e, ToString(n->ns->href));
  for (const xmlNs* d = n->nsDef; d != nullptr; d = d->next) {
    e.Attr(d->prefix ? "xmlns:" + ToString(d->prefix) : "xmlns", ToString(d->href));
  }
  for (const xmlAttr* a = n->properties; a != nullptr; a = a->next) {
    e.Attr(Qualified(a->ns, a->name), xml::ContentOf(reinterpret_cast<const xmlNode*>(a)));
  }
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) {
      e.Append(FromNode(c));
    } else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      e.Text(ToString(c->content));
    }
  }
  return e;
}

}  // namespace

XmlElement::XmlElement(const XmlElement& other)
    : name_(other.name_), namespace_uri_(other.namespace_uri_), attributes_(other.attributes_) {
  for (const auto& n : other.content_) {
    Node copy;
    copy.text = n.text;
    if (n.element) copy.element = std::make_unique<XmlElement>(*n.element);
    content_.push_back(std::move(copy));
  }
}

XmlElement& XmlElement::operator=(const XmlElement& other) {
  if (this != &other) *this = XmlElement(other);
  return *this;
}

XmlElement& XmlElement::Attr(std::string name, std::string value) {
  for (auto& a : attributes_) {
    if (a.name == name) {
      a.value = std::move(value);
      return *this;
    }
  }
  attributes_.push_back({std::move(name), std::move(value)});
  return *this;
}

XmlElement& XmlElement::Text(std::string text) {
  if (!content_.empty() && !content_.back().element) {
    content_.back().text += text;
  } else {
    content_.push_back(Node{nullptr, std::move(text)});
  }
  return *this;
}

XmlElement& XmlElement::Child(std::string name) {
  content_.push_back(Node{std::make_unique<XmlElement>(std::move(name)), {}});
  return *content_.back().element;
}

XmlElement& XmlElement::TextChild(std::string name, std::string text) {
  Child(std::move(name)).Text(std::move(text));
  return *this;
}

XmlElement& XmlElement::Append(XmlElement child) {
  content_.push_back(Node{std::make_unique<XmlElement>(std::move(child)), {}});
  return *this;
}

std::string_view XmlElement::local_name() const {
  std::string_view n = name_;
  size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

std::string XmlElement::AttrValue(std::string_view name) const {
  for (const auto& a : attributes_) {
    if (a.name == name) return a.value;
  }
  return "";
}

bool XmlElement::HasAttr(std::string_view name) const {
  for (const auto& a : attributes_) {
    if (a.name == name) return true;
  }
  return false;
}

std::vector<const XmlElement*> XmlElement::Children() const {
  std::vector<const XmlElement*> out;
  for (const auto& n : content_) {
    if (n.element) out.push_back(n.element.get());
  }
  return out;
}

std::vector<const XmlElement*> XmlElement::Children(std::string_view local_name) const {
  std::vector<const XmlElement*> out;
  for (const auto& n : content_) {
    if (n.element && n.element->local_name() == local_name) out.push_back(n.element.get());
  }
  return out;
}

const XmlElement* XmlElement::FindChild(std::string_view local_name) const {
  for (const auto& n : content_) {
    if (n.element && n.element->local_name() == local_name) return n.element.get();
  }
  return nullptr;
}

std::string XmlElement::TextContent() const {
  std::string out;
  for (const auto& n : content_) {
    if (!n.element) out += n.text;
  }
  return out;
}

Result<std::string> SerializeXml(const XmlElement& root, const XmlWriteOptions& options) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  RETURN_IF_ERROR(Serialize(root, 0, options.indent, out));
  out += '\n';
  return out;
}

Result<XmlElement> ParseXml(std::string_view xml, const XmlLimits& limits) {
  ASSIGN_OR_RETURN(xml::DocPtr doc, xml::ParseDoc(xml, limits));
  return FromNode(xmlDocGetRootElement(doc.get()));
}

}  // namespace rubrica::signing
