// Embedding the subset faces as simple TrueType fonts (ISO 32000-1 9.6.3): WinAnsiEncoding,
// /Widths for codes 32..255 taken from the same table layout measured with.
#include "render/pdf_objects.h"

namespace rubrica::pdf::render {

using PoDoFo::PdfArray;
using PoDoFo::PdfDictionary;
using PoDoFo::PdfName;
using PoDoFo::PdfObject;
using PoDoFo::PdfVariant;

namespace {

PoDoFo::PdfReference AddFont(PoDoFo::PdfVecObjects& objects, const EmbeddedFont& f) {
  PdfObject* file = objects.CreateObject();
  file->GetDictionary().AddKey("Length1", Integer(static_cast<long long>(f.font_file.size())));
  file->GetStream()->Set(f.font_file.data(), static_cast<PoDoFo::pdf_long>(f.font_file.size()));

  PdfObject* descriptor = objects.CreateObject("FontDescriptor");
  PdfDictionary& d = descriptor->GetDictionary();
  d.AddKey("FontName", PdfName(f.base_font));
  d.AddKey("Flags", Integer(f.flags));
  PdfArray bbox;
  for (int v : f.bbox) bbox.push_back(Integer(v));
  d.AddKey("FontBBox", bbox);
  d.AddKey("ItalicAngle", PdfVariant(f.italic_angle));
  d.AddKey("Ascent", Integer(f.ascent));
  d.AddKey("Descent", Integer(f.descent));
  d.AddKey("CapHeight", Integer(f.cap_height));
  d.AddKey("StemV", Integer(f.stem_v));
  d.AddKey("FontFile2", file->Reference());

  PdfObject* font = objects.CreateObject("Font");
  PdfDictionary& fd = font->GetDictionary();
  fd.AddKey("Subtype", PdfName("TrueType"));
  fd.AddKey("BaseFont", PdfName(f.base_font));
  fd.AddKey("FirstChar", Integer(32));
  fd.AddKey("LastChar", Integer(255));
  PdfArray widths;
  for (int code = 32; code < 256; ++code) widths.push_back(Integer(f.widths[code]));
  fd.AddKey("Widths", widths);
  fd.AddKey("Encoding", PdfName("WinAnsiEncoding"));
  fd.AddKey("FontDescriptor", descriptor->Reference());
  return font->Reference();
}

}  // namespace

FontRefs AddFonts(PoDoFo::PdfVecObjects& objects, const FontSet& fonts, int font_mask) {
  FontRefs refs;
  for (int i = 0; i < kFontStyleCount; ++i) {
    if (font_mask & (1 << i)) refs[i] = AddFont(objects, fonts.font(static_cast<FontStyle>(i)));
  }
  return refs;
}

PdfDictionary FontResources(const FontRefs& refs, int font_mask) {
  PdfDictionary d;
  for (int i = 0; i < kFontStyleCount; ++i) {
    if ((font_mask & (1 << i)) && refs[i]) {
      d.AddKey(FontResourceName(static_cast<FontStyle>(i)), *refs[i]);
    }
  }
  return d;
}

}  // namespace rubrica::pdf::render
