#include "render/font_set.h"

#include <cmath>
#include <set>

#include "render/truetype_font.h"
#include "render/truetype_subset.h"
#include "render/winansi.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"

namespace rubrica::pdf::render {
namespace {

struct FaceSpec {
  const char* file;
  const char* postscript_name;
};
constexpr FaceSpec kFaces[kFontStyleCount] = {
    {"LiberationSans-Regular.ttf", "LiberationSans"},
    {"LiberationSans-Bold.ttf", "LiberationSans-Bold"},
    {"LiberationSans-Italic.ttf", "LiberationSans-Italic"},
};

int ToThousandths(double units, uint16_t units_per_em) {
  return static_cast<int>(std::lround(units * 1000.0 / units_per_em));
}

// Six capitals from the subset's hash: stable for a given font file, different per face.
std::string SubsetTag(std::string_view font_file) {
  std::string digest = Sha256(font_file);
  std::string tag;
  for (int i = 0; i < 6; ++i)
    tag.push_back(static_cast<char>('A' + static_cast<unsigned char>(digest[i]) % 26));
  return tag;
}

Result<EmbeddedFont> LoadFace(const std::string& dir, const FaceSpec& spec,
                              const char* resource_name) {
  const std::string path = dir + "/" + spec.file;
  auto bytes = ReadFile(path, 16u << 20);
  if (!bytes.ok()) {
    return Status::Error(
        ErrorKind::kIoError, "pdf.font_unavailable",
        "cannot read font " + path + ": " + bytes.status().message(),
        "No se encontró la tipografía " + std::string(spec.file) + " (paquete fonts-liberation).");
  }
  EmbeddedFont out;
  out.original_size = bytes->size();
  auto parsed = TrueTypeFont::Parse(std::move(bytes).value(), path);
  if (!parsed.ok()) {
    return Status::Error(ErrorKind::kIoError, "pdf.font_unavailable", parsed.status().message(),
                         parsed.status().message_es());
  }
  const TrueTypeFont& ttf = *parsed;
  const uint16_t upem = ttf.units_per_em();
  std::set<uint16_t> glyphs;
  for (int code = 32; code < 256; ++code) {
    char32_t cp = WinAnsiToUnicode(static_cast<unsigned char>(code));
    if (cp == 0) continue;
    uint16_t glyph = ttf.GlyphFor(cp);
    glyphs.insert(glyph);
    out.widths[code] = ToThousandths(ttf.AdvanceWidth(glyph), upem);
  }
  ASSIGN_OR_RETURN(out.font_file, SubsetTrueType(ttf, glyphs));
  out.resource_name = resource_name;
  out.base_font = SubsetTag(out.font_file) + "+" + spec.postscript_name;
  out.italic_angle = ttf.italic_angle();
  out.flags = 32 | (ttf.italic_angle() != 0 ? 64 : 0);
  out.bbox = {ToThousandths(ttf.x_min(), upem), ToThousandths(ttf.y_min(), upem),
              ToThousandths(ttf.x_max(), upem), ToThousandths(ttf.y_max(), upem)};
  out.ascent = ToThousandths(ttf.ascender(), upem);
  out.descent = ToThousandths(ttf.descender(), upem);
  out.cap_height = ToThousandths(ttf.cap_height(), upem);
  out.stem_v = ttf.weight_class() >= 600 ? 140 : 80;
  return out;
}

}  // namespace

Result<FontSet> FontSet::Load(const std::string& dir) {
  FontSet set;
  for (int i = 0; i < kFontStyleCount; ++i) {
    ASSIGN_OR_RETURN(set.fonts_[i], LoadFace(dir, kFaces[i], kFontResourceNames[i]));
  }
  return set;
}

double FontSet::Width(FontStyle style, std::string_view text, double size) const {
  const auto& widths = font(style).widths;
  long total = 0;
  for (char c : text) total += widths[static_cast<unsigned char>(c)];
  return total * size / 1000.0;
}

}  // namespace rubrica::pdf::render
