#include "render/pdfa.h"

#include "rubrica/base/files.h"

namespace rubrica::pdf::render {
namespace {

std::string Escape(const std::string& text) {
  std::string out;
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
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string LangAlt(const std::string& element, const std::string& text) {
  return "   <" + element + "><rdf:Alt><rdf:li xml:lang=\"x-default\">" + Escape(text) +
         "</rdf:li></rdf:Alt></" + element + ">\n";
}

std::string Container(const std::string& element, const std::string& kind,
                      const std::string& text) {
  return "   <" + element + "><rdf:" + kind + "><rdf:li>" + Escape(text) +
         "</rdf:li></rdf:" + kind + "></" + element + ">\n";
}

std::string Simple(const std::string& element, const std::string& text) {
  return "   <" + element + ">" + Escape(text) + "</" + element + ">\n";
}

}  // namespace

std::string XmpPacket(const XmpFields& f) {
  std::string x =
      "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
      "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
      " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
      "  <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
      "   <pdfaid:part>3</pdfaid:part>\n"
      "   <pdfaid:conformance>B</pdfaid:conformance>\n"
      "  </rdf:Description>\n"
      "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
      "   <dc:format>application/pdf</dc:format>\n";
  x += LangAlt("dc:title", f.title);
  if (!f.author.empty()) {
    x += Container("dc:creator", "Seq", f.author);
    x += Container("dc:publisher", "Bag", f.author);
  }
  if (!f.subject.empty()) x += LangAlt("dc:description", f.subject);
  if (!f.identifier.empty()) x += Simple("dc:identifier", f.identifier);
  if (!f.relation.empty()) x += Container("dc:relation", "Bag", f.relation);
  x += Container("dc:language", "Bag", f.language);
  x += "  </rdf:Description>\n"
       "  <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n";
  x += Simple("xmp:CreatorTool", f.creator_tool);
  x += Simple("xmp:CreateDate", f.date);
  x += Simple("xmp:ModifyDate", f.date);
  x += Simple("xmp:MetadataDate", f.date);
  x += "  </rdf:Description>\n"
       "  <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n";
  x += Simple("pdf:Producer", f.producer);
  x += "  </rdf:Description>\n"
       " </rdf:RDF>\n"
       "</x:xmpmeta>\n"
       "<?xpacket end=\"r\"?>";
  return x;
}

std::string XmpDateFromPdfDate(const std::string& d) {
  // D:YYYYMMDDHHmmSS+HH'mm'
  if (d.size() < 23 || d.compare(0, 2, "D:") != 0) return "";
  return d.substr(2, 4) + "-" + d.substr(6, 2) + "-" + d.substr(8, 2) + "T" + d.substr(10, 2) +
         ":" + d.substr(12, 2) + ":" + d.substr(14, 2) + d.substr(16, 1) + d.substr(17, 2) + ":" +
         d.substr(20, 2);
}

Result<std::string> LoadRgbIccProfile(const std::string& path) {
  auto bad = [&](const std::string& why) {
    return Status::Error(
        ErrorKind::kIoError, "pdf.icc_unavailable",
        "sRGB ICC profile " + path + ": " + why + " (install Debian's icc-profiles-free)",
        "Falta el perfil de color sRGB del servidor; avise a quien lo administra.");
  };
  auto bytes = ReadFile(path, 1u << 20);
  if (!bytes.ok()) return bad(bytes.status().message());
  // ICC.1 header: size (0), device class (12), colour space (16), 'acsp' signature (36).
  if (bytes->size() < 132 || bytes->compare(36, 4, "acsp") != 0) return bad("not an ICC profile");
  if (bytes->compare(16, 4, "RGB ") != 0) return bad("not an RGB profile");
  return std::move(*bytes);
}

}  // namespace rubrica::pdf::render
