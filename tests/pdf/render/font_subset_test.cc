// The TrueType subsetter: the subset is a well-formed font with the same glyph ids, the
// WinAnsi glyphs and their components keep their outlines, everything else is emptied,
// hinting and layout tables are gone, and the result is small.
#include <gtest/gtest.h>

#include <set>

#include "render/font_set.h"
#include "render/truetype_font.h"
#include "render/truetype_subset.h"
#include "render/winansi.h"
#include "rubrica/base/files.h"

namespace rubrica::pdf::render {
namespace {

const char kFontDir[] = "/usr/share/fonts/truetype/liberation";

TrueTypeFont LoadOriginal(const std::string& file) {
  auto bytes = ReadFile(std::string(kFontDir) + "/" + file);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto font = TrueTypeFont::Parse(bytes.ok() ? *bytes : std::string(), file);
  EXPECT_TRUE(font.ok()) << font.status().ToString();
  return std::move(font).value();
}

// The sum that head.checkSumAdjustment makes 0xB1B0AFBA for a well-formed font file.
uint32_t WholeFileChecksum(const std::string& f) {
  std::string padded = f;
  while (padded.size() % 4) padded.push_back('\0');
  uint32_t sum = 0;
  for (size_t i = 0; i < padded.size(); i += 4) sum += ReadU32(padded, i);
  return sum;
}

TEST(FontSubsetTest, KeepsGlyphIdsAndOutlinesOfWinAnsiOnly) {
  for (const char* file :
       {"LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf"}) {
    SCOPED_TRACE(file);
    const TrueTypeFont original = LoadOriginal(file);
    std::set<uint16_t> keep;
    for (int code = 32; code < 256; ++code) {
      char32_t cp = WinAnsiToUnicode(static_cast<unsigned char>(code));
      if (cp != 0) keep.insert(original.GlyphFor(cp));
    }
    auto subset_bytes = SubsetTrueType(original, keep);
    ASSERT_TRUE(subset_bytes.ok()) << subset_bytes.status().ToString();
    auto subset = TrueTypeFont::Parse(*subset_bytes, "subset");
    ASSERT_TRUE(subset.ok()) << subset.status().ToString();

    EXPECT_EQ(WholeFileChecksum(*subset_bytes), 0xB1B0AFBAu);
    EXPECT_EQ(subset->num_glyphs(), original.num_glyphs());
    for (char32_t cp :
         {U'A', U'ñ', U'Ñ', U'á', U'É', U'¿', U'¡', U'«', U'»', U'—', U'“', U'”', U'€'}) {
      const uint16_t g = original.GlyphFor(cp);
      ASSERT_NE(g, 0) << static_cast<unsigned>(cp);
      EXPECT_EQ(subset->GlyphFor(cp), g) << "glyph ids are kept";
      EXPECT_FALSE(subset->GlyphData(g).empty())
          << "outline kept for U+" << std::hex << uint32_t(cp);
      EXPECT_EQ(subset->AdvanceWidth(g), original.AdvanceWidth(g));
      auto components = subset->ComponentsOf(g);
      ASSERT_TRUE(components.ok());
      for (uint16_t c : *components) EXPECT_FALSE(subset->GlyphData(c).empty()) << "component";
    }
    for (char32_t cp : {U'Ж', U'ő', U'ẞ'}) {  // Cyrillic, Hungarian, capital sharp s
      const uint16_t g = original.GlyphFor(cp);
      if (g == 0) continue;
      EXPECT_FALSE(original.GlyphData(g).empty());
      EXPECT_TRUE(subset->GlyphData(g).empty()) << "U+" << std::hex << uint32_t(cp) << " emptied";
    }
    for (const char* dropped :
         {"GSUB", "GPOS", "GDEF", "kern", "gasp", "FFTM", "fpgm", "prep", "cvt "}) {
      EXPECT_TRUE(subset->Table(dropped).empty()) << dropped;
    }
    EXPECT_EQ(subset->Table("post").size(), 32u);
    EXPECT_EQ(ReadU32(subset->Table("post"), 0), 0x00030000u);
    EXPECT_LT(subset_bytes->size(), 60u * 1024) << "raw subset size";
  }
}

TEST(FontSubsetTest, StrippingInstructionsKeepsTheOutline) {
  const TrueTypeFont original = LoadOriginal("LiberationSans-Regular.ttf");
  const uint16_t g = original.GlyphFor(U'g');
  const std::string_view data = original.GlyphData(g);
  auto stripped = StripInstructions(data, "test");
  ASSERT_TRUE(stripped.ok());
  const int contours = static_cast<int16_t>(ReadU16(data, 0));
  ASSERT_GT(contours, 0);
  const size_t at = 10 + 2 * contours;
  const size_t instructions = ReadU16(data, at);
  EXPECT_GT(instructions, 0u) << "Liberation is hinted";
  EXPECT_EQ(ReadU16(*stripped, at), 0u);
  EXPECT_EQ(stripped->size(), data.size() - instructions);
  EXPECT_EQ(stripped->substr(at + 2), data.substr(at + 2 + instructions));

  EXPECT_EQ(StripInstructions(data.substr(0, 11), "test").status().code(), "pdf.bad_font");
}

TEST(FontSubsetTest, FontSetReportsMissingFontsClearly) {
  auto set = FontSet::Load("/nonexistent/fonts");
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().code(), "pdf.font_unavailable");
  EXPECT_EQ(set.status().kind(), ErrorKind::kIoError);
  EXPECT_NE(set.status().message().find("LiberationSans-Regular.ttf"), std::string::npos);
}

TEST(FontSubsetTest, DamagedFontFilesAreRefusedNotCrashedOn) {
  auto bytes = ReadFile(std::string(kFontDir) + "/LiberationSans-Regular.ttf");
  ASSERT_TRUE(bytes.ok());
  for (size_t cut : {0ul, 11ul, 12ul, 100ul, 300ul, 5000ul, 60000ul}) {
    auto font = TrueTypeFont::Parse(bytes->substr(0, cut), "cut");
    EXPECT_FALSE(font.ok()) << cut;
    if (!font.ok()) {
      EXPECT_EQ(font.status().code(), "pdf.bad_font");
    }
  }
  // Scribbling over the table directory and the tables must never crash the parser or
  // the subsetter.
  for (size_t at = 0; at < 9000; at += 23) {
    std::string damaged = *bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x5A);
    auto font = TrueTypeFont::Parse(damaged, "damaged");
    if (!font.ok()) continue;
    std::set<uint16_t> all;
    for (uint16_t g = 0; g < font->num_glyphs(); ++g) all.insert(g);
    auto subset = SubsetTrueType(*font, all);
    if (!subset.ok()) {
      EXPECT_EQ(subset.status().code(), "pdf.bad_font");
    }
  }
}

}  // namespace
}  // namespace rubrica::pdf::render
