#include "rubrica/base/text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rubrica {
namespace {

TEST(TextTest, AcceptedTextComesBackInNfc) {
  struct Case {
    std::string in, want;
  } cases[] = {
      {"Ana Ejemplo", "Ana Ejemplo"},
      {"Jos\xC3\xA9", "Jos\xC3\xA9"},                  // é precomposed stays
      {"Jose\xCC\x81", "Jos\xC3\xA9"},                 // e + U+0301 becomes é
      {"Pen\xCC\x83""a Nin\xCC\x83o", "Pe\xC3\xB1""a Ni\xC3\xB1o"},  // ñ twice
      {"\xE2\x84\xAB", "\xC3\x85"},                    // U+212B ANGSTROM SIGN -> Å
      {"Oaxaca de Ju\xC3\xA1rez \xE2\x80\x94 Centro", "Oaxaca de Ju\xC3\xA1rez \xE2\x80\x94 Centro"},
  };
  for (const auto& c : cases) {
    auto r = NormalizeText(c.in);
    ASSERT_TRUE(r.ok()) << c.in << ": " << r.status().ToString();
    EXPECT_EQ(*r, c.want) << c.in;
  }
}

TEST(TextTest, RefusesControlsBidiAndBadUtf8WithAStableCode) {
  struct Case {
    std::string in;
    const char* code;
  } cases[] = {
      {std::string("Ana\0Ejemplo", 11), "base.text_control"},
      {"Ana\x01", "base.text_control"},
      {"Ana\x7F", "base.text_control"},
      {"Ana\xC2\x85", "base.text_control"},             // U+0085 NEL (C1)
      {"Ana\nEjemplo", "base.text_control"},            // a line break in one line
      {"Ana\rEjemplo", "base.text_control"},
      {"Ana\xE2\x80\xA8""Ejemplo", "base.text_control"},  // U+2028
      {"Ana\xE2\x80\xAE""olpmejE", "base.text_bidi"},   // U+202E RLO
      {"\xE2\x80\xAA""x", "base.text_bidi"},            // U+202A
      {"x\xE2\x81\xA6", "base.text_bidi"},              // U+2066 LRI
      {"x\xE2\x81\xA9", "base.text_bidi"},              // U+2069 PDI
      {"x\xE2\x80\x8E", "base.text_bidi"},              // U+200E LRM
      {"x\xE2\x80\x8F", "base.text_bidi"},              // U+200F RLM
      {"x\xD8\x9C", "base.text_bidi"},                  // U+061C ALM
      {"\xC3\x28", "base.text_not_utf8"},
      {"\xC0\xAF", "base.text_not_utf8"},               // overlong '/'
      {"\xED\xA0\x80", "base.text_not_utf8"},           // a surrogate
      {"\xF4\x90\x80\x80", "base.text_not_utf8"},       // past U+10FFFF
      {"abc\xE2\x80", "base.text_not_utf8"},            // truncated
  };
  for (const auto& c : cases) {
    Status s = NormalizeText(c.in).status();
    EXPECT_EQ(s.code(), c.code) << c.in;
    EXPECT_EQ(s.kind(), ErrorKind::kInvalidArgument) << c.in;
    EXPECT_EQ(CheckText(c.in).code(), c.code) << c.in;
  }
  // The message says where.
  EXPECT_NE(NormalizeText("Ana\xE2\x80\xAE").status().message().find("U+202E"), std::string::npos);
  EXPECT_NE(NormalizeText("Ana\xE2\x80\xAE").status().message().find("character 4"), std::string::npos);
}

TEST(TextTest, MultilineTextAllowsLineBreaksOnly) {
  TextRules multi{.max_chars = 1000, .multiline = true};
  EXPECT_TRUE(NormalizeText("uno\ndos\r\ntres\tcuatro", multi).ok());
  EXPECT_EQ(NormalizeText("uno\rdos", multi).status().code(), "base.text_control");  // a lone CR
  EXPECT_EQ(NormalizeText(std::string("uno\0", 4), multi).status().code(), "base.text_control");
  EXPECT_EQ(NormalizeText("uno\xE2\x80\xAE", multi).status().code(), "base.text_bidi");
  EXPECT_TRUE(NormalizeText("uno\xE2\x80\xA8""dos", multi).ok());
}

TEST(TextTest, LengthIsCountedInCodePointsAfterNormalisation) {
  TextRules three{.max_chars = 3};
  EXPECT_TRUE(NormalizeText("abc", three).ok());
  EXPECT_EQ(NormalizeText("abcd", three).status().code(), "base.text_too_long");
  EXPECT_TRUE(NormalizeText("\xC3\xB1\xC3\xB1\xC3\xB1", three).ok());  // 6 bytes, 3 characters
  // Four code points that NFC composes into three.
  auto composed = NormalizeText("n\xCC\x83""ab", three);
  ASSERT_TRUE(composed.ok()) << composed.status().ToString();
  EXPECT_EQ(*composed, "\xC3\xB1""ab");
  EXPECT_EQ(CheckText("n\xCC\x83""ab", three).code(), "base.text_too_long");  // not rewritten
}

TEST(TextTest, Utf8Validity) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Rúbrica \xF0\x9F\x93\x9C"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\x80"));  // overlong NUL
  EXPECT_TRUE(IsValidUtf8("año «¿qué?» — “sí”"));
  // Overlong, a surrogate, past U+10FFFF, cut short, a lone continuation byte.
  for (std::string bad : {"\xC0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\x80"}) {
    EXPECT_FALSE(IsValidUtf8(bad)) << bad.size();
    EXPECT_EQ(FirstInvalidUtf8("ok " + bad), 3u) << bad.size();
  }
  EXPECT_EQ(FirstInvalidUtf8("Rúbrica"), std::string_view::npos);
}

TEST(TextTest, NextCodePointDecodesAndReplacesWhatIsNotUtf8) {
  const std::string text = "a\xC3\xB1\xF0\x9F\x93\x9C\xFF" "b";
  size_t pos = 0;
  std::vector<char32_t> got;
  while (pos < text.size()) got.push_back(NextCodePoint(text, pos));
  EXPECT_EQ(got, (std::vector<char32_t>{U'a', U'ñ', 0x1F4DC, 0xFFFD, U'b'}));
  EXPECT_EQ(pos, text.size());
}

}  // namespace
}  // namespace rubrica
