#include "render/truetype_font.h"

#include <utility>

namespace rubrica::pdf::render {
namespace {

int16_t ReadS16(std::string_view d, size_t at) { return static_cast<int16_t>(ReadU16(d, at)); }

}  // namespace

Status BadFont(const std::string& font_name, std::string_view what) {
  return Status::Error(ErrorKind::kIoError, "pdf.bad_font",
                       "font " + font_name + ": " + std::string(what),
                       "El archivo de tipografía " + font_name + " está dañado.");
}

Status TrueTypeFont::Bad(std::string_view what) const { return BadFont(name_, what); }

Result<TrueTypeFont> TrueTypeFont::Parse(std::string bytes, std::string name) {
  TrueTypeFont font;
  font.name_ = std::move(name);
  font.bytes_ = std::move(bytes);
  RETURN_IF_ERROR(font.ParseTables());
  RETURN_IF_ERROR(font.ParseCmap());
  return font;
}

std::vector<std::string> TrueTypeFont::TableTags() const {
  std::vector<std::string> tags;
  for (const auto& [tag, where] : tables_) tags.push_back(tag);
  return tags;
}

std::string_view TrueTypeFont::Table(std::string_view tag) const {
  auto it = tables_.find(tag);
  if (it == tables_.end()) return {};
  return std::string_view(bytes_).substr(it->second.first, it->second.second);
}

Status TrueTypeFont::ParseTables() {
  std::string_view d = bytes_;
  if (d.size() < 12) return Bad("shorter than a table directory");
  uint32_t version = ReadU32(d, 0);
  if (version != 0x00010000 && version != 0x74727565 /* 'true' */) {
    return Bad("not a TrueType font (sfnt version " + std::to_string(version) + ")");
  }
  uint16_t count = ReadU16(d, 4);
  if (12 + size_t{count} * 16 > d.size()) return Bad("table directory past the end");
  for (uint16_t i = 0; i < count; ++i) {
    size_t rec = 12 + size_t{i} * 16;
    std::string tag(d.substr(rec, 4));
    uint32_t offset = ReadU32(d, rec + 8);
    uint32_t length = ReadU32(d, rec + 12);
    if (uint64_t{offset} + length > d.size()) return Bad("table '" + tag + "' past the end");
    tables_[tag] = {offset, length};
  }
  for (const char* required : {"head", "hhea", "hmtx", "maxp", "loca", "glyf", "cmap"}) {
    if (Table(required).empty()) return Bad(std::string("missing table '") + required + "'");
  }

  std::string_view head = Table("head");
  if (head.size() < 54) return Bad("short 'head'");
  units_per_em_ = ReadU16(head, 18);
  if (units_per_em_ < 16 || units_per_em_ > 16384) return Bad("bad unitsPerEm");
  x_min_ = ReadS16(head, 36);
  y_min_ = ReadS16(head, 38);
  x_max_ = ReadS16(head, 40);
  y_max_ = ReadS16(head, 42);
  index_to_loc_format_ = ReadS16(head, 50);
  if (index_to_loc_format_ != 0 && index_to_loc_format_ != 1) return Bad("bad indexToLocFormat");

  std::string_view maxp = Table("maxp");
  if (maxp.size() < 6) return Bad("short 'maxp'");
  num_glyphs_ = ReadU16(maxp, 4);
  if (num_glyphs_ == 0) return Bad("no glyphs");

  std::string_view hhea = Table("hhea");
  if (hhea.size() < 36) return Bad("short 'hhea'");
  ascender_ = ReadS16(hhea, 4);
  descender_ = ReadS16(hhea, 6);
  num_h_metrics_ = ReadU16(hhea, 34);
  if (num_h_metrics_ == 0 || num_h_metrics_ > num_glyphs_ ||
      Table("hmtx").size() < size_t{num_h_metrics_} * 4) {
    return Bad("bad numberOfHMetrics");
  }

  cap_height_ = static_cast<int16_t>(ascender_ * 7 / 10);
  std::string_view os2 = Table("OS/2");
  if (os2.size() >= 6) weight_class_ = ReadU16(os2, 4);
  if (os2.size() >= 90 && ReadU16(os2, 0) >= 2) cap_height_ = ReadS16(os2, 88);

  std::string_view post = Table("post");
  if (post.size() >= 8) italic_angle_ = static_cast<int32_t>(ReadU32(post, 4)) / 65536.0;

  std::string_view loca = Table("loca");
  std::string_view glyf = Table("glyf");
  size_t entry = index_to_loc_format_ == 0 ? 2 : 4;
  if (loca.size() < (size_t{num_glyphs_} + 1) * entry) return Bad("short 'loca'");
  loca_.resize(size_t{num_glyphs_} + 1);
  for (size_t g = 0; g <= num_glyphs_; ++g) {
    loca_[g] = entry == 2 ? uint32_t{ReadU16(loca, g * 2)} * 2 : ReadU32(loca, g * 4);
    if (loca_[g] > glyf.size() || (g > 0 && loca_[g] < loca_[g - 1])) {
      return Bad("bad 'loca' entry for glyph " + std::to_string(g));
    }
  }
  return Status::Ok();
}

Status TrueTypeFont::ParseCmap() {
  std::string_view cmap = Table("cmap");
  if (cmap.size() < 4) return Bad("short 'cmap'");
  uint16_t count = ReadU16(cmap, 2);
  if (4 + size_t{count} * 8 > cmap.size()) return Bad("cmap directory past the end");
  size_t sub = 0;
  for (uint16_t i = 0; i < count; ++i) {
    size_t rec = 4 + size_t{i} * 8;
    if (ReadU16(cmap, rec) == 3 && ReadU16(cmap, rec + 2) == 1) sub = ReadU32(cmap, rec + 4);
  }
  if (sub == 0 || sub + 14 > cmap.size() || ReadU16(cmap, sub) != 4) {
    return Bad("no (3,1) format 4 cmap");
  }
  std::string_view t = cmap.substr(sub);
  size_t length = ReadU16(t, 2);
  if (length > t.size()) return Bad("cmap subtable past the end");
  t = t.substr(0, length);
  size_t segs = ReadU16(t, 6) / 2;
  size_t ends = 14, starts = ends + segs * 2 + 2, deltas = starts + segs * 2,
         ranges = deltas + segs * 2;
  if (ranges + segs * 2 > t.size()) return Bad("cmap segments past the end");
  cmap_offset_ = static_cast<size_t>(t.data() - bytes_.data());
  cmap_length_ = t.size();
  for (size_t s = 0; s < segs; ++s) {
    cmap_.push_back({ReadU16(t, starts + s * 2), ReadU16(t, ends + s * 2),
                     ReadU16(t, deltas + s * 2), ReadU16(t, ranges + s * 2), ranges + s * 2});
  }
  return Status::Ok();
}

// Looked up segment by segment on demand: a font's cmap may map 65535 characters, the
// renderer asks for 224.
uint16_t TrueTypeFont::GlyphFor(char32_t cp) const {
  if (cp >= 0xFFFF) return 0;
  const std::string_view data = std::string_view(bytes_).substr(cmap_offset_, cmap_length_);
  for (const CmapSegment& seg : cmap_) {
    if (cp < seg.start || cp > seg.end) continue;
    uint16_t glyph;
    if (seg.range_offset == 0) {
      glyph = static_cast<uint16_t>(cp + seg.delta);
    } else {
      size_t at = seg.range_offset_at + seg.range_offset + (cp - seg.start) * 2;
      if (at + 2 > data.size()) return 0;
      glyph = ReadU16(data, at);
      if (glyph != 0) glyph = static_cast<uint16_t>(glyph + seg.delta);
    }
    return glyph < num_glyphs_ ? glyph : 0;
  }
  return 0;
}

uint16_t TrueTypeFont::AdvanceWidth(uint16_t glyph) const {
  std::string_view hmtx = Table("hmtx");
  size_t i = glyph < num_h_metrics_ ? glyph : num_h_metrics_ - 1;
  return ReadU16(hmtx, i * 4);
}

std::string_view TrueTypeFont::GlyphData(uint16_t glyph) const {
  if (glyph >= num_glyphs_) return {};
  return Table("glyf").substr(loca_[glyph], loca_[glyph + 1] - loca_[glyph]);
}

Result<std::vector<uint16_t>> TrueTypeFont::ComponentsOf(uint16_t glyph) const {
  std::vector<uint16_t> components;
  std::string_view g = GlyphData(glyph);
  if (g.size() < 10 || ReadS16(g, 0) >= 0) return components;
  size_t at = 10;
  uint16_t flags;
  do {
    if (at + 4 > g.size()) return Bad("composite glyph " + std::to_string(glyph) + " truncated");
    flags = ReadU16(g, at);
    uint16_t component = ReadU16(g, at + 2);
    if (component >= num_glyphs_) {
      return Bad("composite glyph " + std::to_string(glyph) + " refers to a missing glyph");
    }
    components.push_back(component);
    at += ComponentRecordLength(flags);
  } while ((flags & kComponentMore) && components.size() < 256);
  return components;
}

}  // namespace rubrica::pdf::render
