// The three faces an acta uses (Liberation Sans regular, bold, italic), subset for
// WinAnsi and ready to embed as simple TrueType fonts, with the widths layout measures by.
// Widths here are exactly the /Widths written to the PDF, so measured and shown text agree.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "rubrica/base/status.h"

namespace rubrica::pdf::render {

enum class FontStyle { kRegular = 0, kBold = 1, kItalic = 2 };
inline constexpr int kFontStyleCount = 3;

/// Resource names of the faces, in FontStyle order, the same in page resources and in the
/// AcroForm /DR (the signing writer draws appearances with RbSans and RbSansB).
inline constexpr const char* kFontResourceNames[kFontStyleCount] = {"RbSans", "RbSansB", "RbSansI"};
inline const char* FontResourceName(FontStyle style) {
  return kFontResourceNames[static_cast<int>(style)];
}

struct EmbeddedFont {
  std::string resource_name;      // "RbSans", "RbSansB", "RbSansI" (page and /DR resources)
  std::string base_font;          // "ABCDEF+LiberationSans": subset tag + PostScript name
  std::string font_file;          // the subset TrueType program (/FontFile2)
  size_t original_size = 0;       // size of the font file it was cut from
  std::array<int, 256> widths{};  // advance per WinAnsi code, 1/1000 em
  int flags = 32;                 // /Flags: nonsymbolic, plus italic
  std::array<int, 4> bbox{};      // /FontBBox, 1/1000 em
  double italic_angle = 0;
  int ascent = 0;  // 1/1000 em
  int descent = 0;
  int cap_height = 0;
  int stem_v = 80;
};

class FontSet {
 public:
  /// Reads LiberationSans-{Regular,Bold,Italic}.ttf from `dir` and subsets them. Fails with
  /// pdf.font_unavailable (kIoError) naming the file when one is missing or unreadable.
  static Result<FontSet> Load(const std::string& dir);

  const EmbeddedFont& font(FontStyle style) const { return fonts_[static_cast<int>(style)]; }
  /// Width of CP1252 `text` at `size` points.
  double Width(FontStyle style, std::string_view text, double size) const;
  double CharWidth(FontStyle style, unsigned char code, double size) const {
    return font(style).widths[code] * size / 1000.0;
  }

 private:
  std::array<EmbeddedFont, kFontStyleCount> fonts_;
};

}  // namespace rubrica::pdf::render
