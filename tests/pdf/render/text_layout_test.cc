// Line breaking and WinAnsi conversion: lines never exceed the width, words are not split
// unless they cannot fit, styles survive, and unprintable characters are reported.
#include "render/text_layout.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "render/font_set.h"
#include "render/text_convert.h"
#include "render/winansi.h"

namespace rubrica::pdf::render {
namespace {

const FontSet& Fonts() {
  static const FontSet fonts = [] {
    auto f = FontSet::Load("/usr/share/fonts/truetype/liberation");
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    return std::move(f).value();
  }();
  return fonts;
}

std::string LineText(const TextLine& line) {
  std::string out;
  for (const LineRun& r : line.runs) out += r.text;
  return out;
}

double MeasuredWidth(const TextLine& line, double size) {
  double w = 0;
  for (const LineRun& r : line.runs) w += Fonts().Width(r.style, r.text, size);
  return w;
}

TEST(WinAnsiTest, SpanishPunctuationMapsToCp1252) {
  struct Case {
    char32_t cp;
    unsigned char byte;
  };
  for (const Case& c : std::vector<Case>{{U'ñ', 0xF1},
                                         {U'Ñ', 0xD1},
                                         {U'¿', 0xBF},
                                         {U'¡', 0xA1},
                                         {U'«', 0xAB},
                                         {U'»', 0xBB},
                                         {U'—', 0x97},
                                         {U'–', 0x96},
                                         {U'“', 0x93},
                                         {U'”', 0x94},
                                         {U'€', 0x80},
                                         {U'ü', 0xFC},
                                         {U'•', 0x95},
                                         {U'A', 'A'},
                                         {U'Ł', 0},
                                         {U'中', 0}}) {
    EXPECT_EQ(WinAnsiByte(c.cp), c.byte) << static_cast<unsigned>(c.cp);
    if (c.byte != 0) {
      EXPECT_EQ(WinAnsiToUnicode(c.byte), c.cp);
    }
  }
}

TEST(WinAnsiTest, ConverterReportsWhatItCannotShow) {
  WinAnsiConverter converter;
  auto runs = converter.Convert({{"Łódź y Zürich\t"}, {"中", true}}, "blocks[2].text");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].text,
            "?\xF3"
            "d? y Z\xFCrich ");
  EXPECT_EQ(runs[1].text, "?");
  EXPECT_EQ(runs[1].style, FontStyle::kBold);
  auto warnings = converter.Warnings();
  ASSERT_EQ(warnings.size(), 3u);
  EXPECT_EQ(warnings[0],
            "U+0141 is not in WinAnsi (CP1252) and was printed as '?' (1 time, first at "
            "blocks[2].text)");
}

TEST(TextLayoutTest, LinesNeverExceedTheWidth) {
  WinAnsiConverter converter;
  const std::string text =
      "Constituirse como el órgano máximo de toma de decisiones de gobierno abierto en el "
      "municipio, así como de los compromisos y acciones que de éstos se deriven; ¿quién "
      "dará seguimiento? ¡Todos! «Con énfasis» — según consta.";
  for (double width : {80.0, 150.0, 233.3, 454.0}) {
    auto runs = converter.Convert({{text}}, "t");
    auto lines = BreakLines(runs, width, 10.5, Fonts());
    ASSERT_FALSE(lines.empty());
    std::string joined;
    for (size_t i = 0; i < lines.size(); ++i) {
      EXPECT_LE(MeasuredWidth(lines[i], 10.5), width + 1e-6) << LineText(lines[i]);
      EXPECT_NEAR(lines[i].width, MeasuredWidth(lines[i], 10.5), 1e-6);
      EXPECT_EQ(lines[i].last, i + 1 == lines.size());
      joined += (i ? " " : "") + LineText(lines[i]);
    }
    EXPECT_EQ(joined, runs[0].text) << "no text lost or reordered at width " << width;
  }
}

TEST(TextLayoutTest, StylesSurviveAndSpacesAreCounted) {
  WinAnsiConverter converter;
  auto runs = converter.Convert({{"del "}, {"STM", true}, {", con "}, {"voz", false, true}}, "t");
  auto lines = BreakLines(runs, 1000, 10, Fonts());
  ASSERT_EQ(lines.size(), 1u);
  ASSERT_EQ(lines[0].runs.size(), 4u);
  EXPECT_EQ(lines[0].runs[1].style, FontStyle::kBold);
  EXPECT_EQ(lines[0].runs[1].text, "STM");
  EXPECT_EQ(lines[0].runs[3].style, FontStyle::kItalic);
  EXPECT_EQ(lines[0].spaces, 3);
}

TEST(TextLayoutTest, ForcedBreaksAndUnbreakableWords) {
  WinAnsiConverter converter;
  auto lines = BreakLines(converter.Convert({{"uno\ndos\n\ntres"}}, "t"), 500, 10, Fonts());
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(LineText(lines[0]), "uno");
  EXPECT_TRUE(lines[0].last);
  EXPECT_TRUE(lines[2].runs.empty());
  EXPECT_EQ(LineText(lines[3]), "tres");

  const std::string email = "secretaria.ayuntamiento.zamora.michoacan@zamora.example";
  auto cut = BreakLines(converter.Convert({{email}}, "t"), 60, 9, Fonts());
  ASSERT_GT(cut.size(), 2u);
  std::string joined;
  for (const TextLine& l : cut) {
    EXPECT_LE(l.width, 60 + 1e-6);
    joined += LineText(l);
  }
  EXPECT_EQ(joined, email);

  // A no-break space holds "50 %" together.
  auto nbsp =
      BreakLines(converter.Convert({{"quórum del 50\u00A0% más uno"}}, "t"),
                 Fonts().Width(FontStyle::kRegular, "qu\xF3rum del 50", 10) + 1, 10, Fonts());
  ASSERT_GE(nbsp.size(), 2u);
  EXPECT_EQ(LineText(nbsp[0]), "qu\xF3rum del");
}

}  // namespace
}  // namespace rubrica::pdf::render
