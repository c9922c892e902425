#include "render/truetype_subset.h"

#include <array>
#include <string_view>
#include <vector>

namespace rubrica::pdf::render {
namespace {

// What a renderer needs from an unhinted TrueType font embedded in a PDF (ISO 32000-1 9.9
// lists head, hhea, loca, maxp, glyf, hmtx, and cvt, prep, fpgm for hinted fonts; cmap
// maps the WinAnsi codes; name and OS/2 keep FreeType and other consumers happy). Sorted.
constexpr std::array<std::string_view, 10> kKeptTables = {"OS/2", "cmap", "glyf", "head", "hhea",
                                                          "hmtx", "loca", "maxp", "name", "post"};

void PutU16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v & 0xFF));
}
void PutU32(std::string& out, uint32_t v) {
  PutU16(out, static_cast<uint16_t>(v >> 16));
  PutU16(out, static_cast<uint16_t>(v & 0xFFFF));
}
void SetU32(std::string& out, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xFF);
}

void PadTo4(std::string& data) {
  while (data.size() % 4 != 0) data.push_back('\0');
}

uint32_t Checksum(std::string_view data) {
  uint32_t sum = 0;
  size_t full = data.size() / 4 * 4;
  for (size_t i = 0; i < full; i += 4) sum += ReadU32(data, i);
  if (full < data.size()) {
    char tail[4] = {0, 0, 0, 0};
    for (size_t i = full; i < data.size(); ++i) tail[i - full] = data[i];
    sum += ReadU32(std::string_view(tail, 4), 0);
  }
  return sum;
}

}  // namespace

Result<std::string> StripInstructions(std::string_view g, const std::string& font_name) {
  if (g.empty()) return std::string();
  if (g.size() < 10) return BadFont(font_name, "glyph shorter than its header");
  const auto contours = static_cast<int16_t>(ReadU16(g, 0));
  if (contours >= 0) {
    const size_t at = 10 + size_t(contours) * 2;  // instructionLength follows endPtsOfContours
    if (at + 2 > g.size()) return BadFont(font_name, "glyph truncated");
    const size_t length = ReadU16(g, at);
    if (at + 2 + length > g.size()) return BadFont(font_name, "glyph instructions truncated");
    std::string out(g.substr(0, at));
    PutU16(out, 0);
    out.append(g.substr(at + 2 + length));
    return out;
  }
  std::string out(g.substr(0, 10));
  size_t at = 10;
  uint16_t flags;
  do {
    if (at + 4 > g.size()) return BadFont(font_name, "composite glyph truncated");
    flags = ReadU16(g, at);
    const size_t length = ComponentRecordLength(flags);
    if (at + length > g.size()) return BadFont(font_name, "composite glyph truncated");
    PutU16(out, static_cast<uint16_t>(flags & ~kComponentHasInstructions));
    out.append(g.substr(at + 2, length - 2));
    at += length;
  } while (flags & kComponentMore);
  return out;
}

Result<std::string> SubsetTrueType(const TrueTypeFont& font, std::set<uint16_t> glyphs) {
  glyphs.insert(0);
  // Closure over composite components; a worklist rather than recursion, so a cyclic
  // (damaged) font cannot recurse without bound.
  std::vector<uint16_t> work(glyphs.begin(), glyphs.end());
  while (!work.empty()) {
    uint16_t g = work.back();
    work.pop_back();
    ASSIGN_OR_RETURN(std::vector<uint16_t> components, font.ComponentsOf(g));
    for (uint16_t c : components) {
      if (glyphs.insert(c).second) work.push_back(c);
    }
  }

  std::string glyf;
  std::vector<uint32_t> offsets;
  offsets.reserve(size_t{font.num_glyphs()} + 1);
  for (uint16_t g = 0; g < font.num_glyphs(); ++g) {
    offsets.push_back(static_cast<uint32_t>(glyf.size()));
    if (glyphs.count(g) != 0) {
      ASSIGN_OR_RETURN(std::string outline, StripInstructions(font.GlyphData(g), font.name()));
      glyf.append(outline);
      PadTo4(glyf);
    }
  }
  offsets.push_back(static_cast<uint32_t>(glyf.size()));
  const bool short_loca = font.index_to_loc_format() == 0;
  if (short_loca && glyf.size() > 0x1FFFE) {
    return BadFont(font.name(), "subset outlines too large for short loca");
  }
  std::string loca;
  for (uint32_t off : offsets) {
    if (short_loca)
      PutU16(loca, static_cast<uint16_t>(off / 2));
    else
      PutU32(loca, off);
  }

  std::vector<std::pair<std::string, std::string>> tables;  // sorted by tag
  for (std::string_view tag : kKeptTables) {
    std::string data;
    if (tag == "glyf") {
      data = glyf;
    } else if (tag == "loca") {
      data = loca;
    } else if (tag == "post") {
      std::string_view post = font.Table("post");
      if (post.size() < 32) continue;
      data = std::string(post.substr(0, 32));
      SetU32(data, 0, 0x00030000);
    } else {
      data = std::string(font.Table(tag));
      if (data.empty()) continue;
      if (tag == "head") SetU32(data, 8, 0);  // checkSumAdjustment, set below
    }
    tables.emplace_back(std::string(tag), std::move(data));
  }

  const uint16_t count = static_cast<uint16_t>(tables.size());
  uint16_t power = 1, selector = 0;
  while (power * 2 <= count) power *= 2, ++selector;
  std::string out;
  PutU32(out, 0x00010000);
  PutU16(out, count);
  PutU16(out, static_cast<uint16_t>(power * 16));
  PutU16(out, selector);
  PutU16(out, static_cast<uint16_t>(count * 16 - power * 16));
  size_t offset = 12 + size_t{count} * 16;
  size_t head_offset = 0;
  for (const auto& [tag, data] : tables) {
    out.append(tag);
    PutU32(out, Checksum(data));
    PutU32(out, static_cast<uint32_t>(offset));
    PutU32(out, static_cast<uint32_t>(data.size()));
    if (tag == "head") head_offset = offset;
    offset += (data.size() + 3) / 4 * 4;
  }
  for (auto& [tag, data] : tables) {
    out.append(data);
    PadTo4(out);
  }
  SetU32(out, head_offset + 8, 0xB1B0AFBAu - Checksum(out));
  return out;
}

}  // namespace rubrica::pdf::render
