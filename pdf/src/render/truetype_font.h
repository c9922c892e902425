// A read-only view of a TrueType font file: the tables, metrics, Unicode cmap and glyph
// data that embedding and subsetting need. Every read is bounds-checked; a damaged file
// gives pdf.bad_font, never a crash.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"

namespace rubrica::pdf::render {

class TrueTypeFont {
 public:
  /// Parses `bytes` (kept by the object). `name` is used in error messages.
  static Result<TrueTypeFont> Parse(std::string bytes, std::string name);

  const std::string& name() const { return name_; }
  const std::string& bytes() const { return bytes_; }
  /// Tags of the tables, sorted; and a table's bytes ("" when absent).
  std::vector<std::string> TableTags() const;
  std::string_view Table(std::string_view tag) const;

  uint16_t units_per_em() const { return units_per_em_; }
  uint16_t num_glyphs() const { return num_glyphs_; }
  /// head.indexToLocFormat: 0 short offsets, 1 long.
  int16_t index_to_loc_format() const { return index_to_loc_format_; }
  int16_t x_min() const { return x_min_; }
  int16_t y_min() const { return y_min_; }
  int16_t x_max() const { return x_max_; }
  int16_t y_max() const { return y_max_; }
  int16_t ascender() const { return ascender_; }
  int16_t descender() const { return descender_; }
  int16_t cap_height() const { return cap_height_; }
  uint16_t weight_class() const { return weight_class_; }
  double italic_angle() const { return italic_angle_; }

  /// Glyph for a Unicode code point (format 4 cmap, platform 3 encoding 1), 0 when none.
  uint16_t GlyphFor(char32_t cp) const;
  /// Advance width in font units.
  uint16_t AdvanceWidth(uint16_t glyph) const;
  /// The glyf bytes of `glyph` (empty for glyphs without outline).
  std::string_view GlyphData(uint16_t glyph) const;
  /// Glyphs a composite glyph refers to (empty for simple glyphs).
  Result<std::vector<uint16_t>> ComponentsOf(uint16_t glyph) const;

 private:
  Status ParseTables();
  Status ParseCmap();
  Status Bad(std::string_view what) const;

  std::string name_;
  std::string bytes_;
  std::map<std::string, std::pair<uint32_t, uint32_t>, std::less<>> tables_;  // offset, length
  uint16_t units_per_em_ = 0;
  uint16_t num_glyphs_ = 0;
  uint16_t num_h_metrics_ = 0;
  int16_t index_to_loc_format_ = 0;
  int16_t x_min_ = 0, y_min_ = 0, x_max_ = 0, y_max_ = 0;
  int16_t ascender_ = 0, descender_ = 0, cap_height_ = 0;
  uint16_t weight_class_ = 400;
  double italic_angle_ = 0;
  std::vector<uint32_t> loca_;  // num_glyphs + 1 offsets into glyf
  struct CmapSegment {
    uint16_t start, end, delta, range_offset;
    size_t range_offset_at;  // where range_offset was read, within the subtable
  };
  // The format 4 subtable, as offset and length into bytes_ (views would dangle on copy).
  size_t cmap_offset_ = 0;
  size_t cmap_length_ = 0;
  std::vector<CmapSegment> cmap_;
};

/// pdf.bad_font (kIoError) for font `font_name`.
Status BadFont(const std::string& font_name, std::string_view what);

/// Flags of a composite glyph's component record ('glyf' table).
inline constexpr uint16_t kComponentArgsAreWords = 0x0001;
inline constexpr uint16_t kComponentHasScale = 0x0008;
inline constexpr uint16_t kComponentMore = 0x0020;
inline constexpr uint16_t kComponentHasXYScale = 0x0040;
inline constexpr uint16_t kComponentHasTwoByTwo = 0x0080;
inline constexpr uint16_t kComponentHasInstructions = 0x0100;

/// Bytes of one component record with these flags, flags and glyph index included.
inline size_t ComponentRecordLength(uint16_t flags) {
  size_t length = 4 + ((flags & kComponentArgsAreWords) ? 4 : 2);
  if (flags & kComponentHasScale) return length + 2;
  if (flags & kComponentHasXYScale) return length + 4;
  if (flags & kComponentHasTwoByTwo) return length + 8;
  return length;
}

/// Big-endian reads used by the font code. The caller checks bounds.
inline uint16_t ReadU16(std::string_view d, size_t at) {
  return static_cast<uint16_t>((static_cast<unsigned char>(d[at]) << 8) |
                               static_cast<unsigned char>(d[at + 1]));
}
inline uint32_t ReadU32(std::string_view d, size_t at) {
  return (static_cast<uint32_t>(ReadU16(d, at)) << 16) | ReadU16(d, at + 2);
}

}  // namespace rubrica::pdf::render
