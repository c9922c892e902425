// Building and reading small XML documents (verification reports, package manifests,
// receipts) without string concatenation, and the one safe way Rúbrica parses XML.
//
// XmlElement is a plain tree value: a qualified name ("rb:acta" or "acta"), attributes in
// the order given, and content (text and child elements, in order). Callers declare their
// namespaces as ordinary attributes (`Attr("xmlns", uri)`, `Attr("xmlns:rb", uri)`).
//
// SerializeXml checks everything before writing a byte: names are XML names, text and
// attribute values are valid UTF-8 with no control characters other than TAB, LF and CR
// (XML 1.0 cannot carry them), and it escapes &, <, > and quotes (and CR/TAB/LF in
// attribute values, so that they survive attribute-value normalisation).
//
// ParseXml is the parser for bytes from anyone. libxml2 with XML_PARSE_NONET, never loading
// or expanding anything: a document with a DOCTYPE (the carrier of XXE and of
// "billion laughs") is refused outright, before any entity is declared.
//
// Errors (each its own stable code):
//   xml.bad_name (kInvalidArgument)      an element or attribute name that is not an XML name
//   xml.bad_text (kInvalidArgument)      text or attribute value not UTF-8 or with a control
//                                        character (the offset is in the message)
//   xml.too_deep (kInvalidArgument)      elements nested more than 200 deep (SerializeXml)
//   xml.too_large (kTooLarge)            input over XmlLimits::max_bytes
//   xml.dtd_refused (kInvalidArgument)   the document has a DOCTYPE
//   xml.malformed (kInvalidArgument)     not well-formed XML (libxml2's message and line)
//
// Everything here is thread-safe (no shared state; libxml2 is initialised once).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rubrica/base/status.h"

namespace rubrica::signing {

struct XmlLimits {
  /// Largest document accepted, in bytes. Default 16 MiB.
  size_t max_bytes = 16u << 20;
};

class XmlElement {
 public:
  struct Attribute {
    std::string name;   // qualified, as written ("xmlns:rb", "Id")
    std::string value;  // unescaped
  };

  explicit XmlElement(std::string name) : name_(std::move(name)) {}
  XmlElement(const XmlElement& other);
  XmlElement& operator=(const XmlElement& other);
  XmlElement(XmlElement&&) noexcept = default;
  XmlElement& operator=(XmlElement&&) noexcept = default;
  ~XmlElement() = default;

  /// Adds (or replaces) an attribute. Returns *this for chaining.
  XmlElement& Attr(std::string name, std::string value);
  /// Appends a text node.
  XmlElement& Text(std::string text);
  /// Appends a child element and returns it (the reference stays valid while *this lives).
  XmlElement& Child(std::string name);
  /// Appends `name` with one text node: `<name>text</name>`. Returns *this.
  XmlElement& TextChild(std::string name, std::string text);
  /// Appends an existing element.
  XmlElement& Append(XmlElement child);

  /// Qualified name as written.
  const std::string& name() const { return name_; }
  /// The part after the prefix ("acta" for "rb:acta").
  std::string_view local_name() const;
  /// Namespace URI: set by ParseXml (resolved by libxml2); "" on elements built in code.
  const std::string& namespace_uri() const { return namespace_uri_; }
  const std::vector<Attribute>& attributes() const { return attributes_; }
  /// Value of the attribute named exactly `name`; "" when absent.
  std::string AttrValue(std::string_view name) const;
  bool HasAttr(std::string_view name) const;

  /// Child elements in order.
  std::vector<const XmlElement*> Children() const;
  /// Child elements whose local name is `local_name` (any namespace).
  std::vector<const XmlElement*> Children(std::string_view local_name) const;
  /// The first child element with that local name, or null.
  const XmlElement* FindChild(std::string_view local_name) const;
  /// All text directly inside this element, concatenated (not that of children).
  std::string TextContent() const;

 private:
  friend struct XmlAccess;  // the serializer and the parser (signing/src/xml)
  struct Node {
    std::unique_ptr<XmlElement> element;  // null for a text node
    std::string text;
  };
  std::string name_;
  std::string namespace_uri_;
  std::vector<Attribute> attributes_;
  std::vector<Node> content_;
};

struct XmlWriteOptions {
  /// Spaces per level for elements that hold only elements (never inside text). 0 writes
  /// everything on one line. Default 2.
  int indent = 2;
};

/// `<?xml version="1.0" encoding="UTF-8"?>`, LF, the element, LF. Errors: xml.bad_name,
/// xml.bad_text.
Result<std::string> SerializeXml(const XmlElement& root, const XmlWriteOptions& options = {});

/// Parses `xml` as described above into a tree (comments and processing instructions are
/// dropped; CDATA becomes text). Errors: xml.too_large, xml.dtd_refused, xml.malformed.
Result<XmlElement> ParseXml(std::string_view xml, const XmlLimits& limits = {});

}  // namespace rubrica::signing
