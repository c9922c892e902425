#include "rubrica/pdf/cos/parser.h"

#include <gtest/gtest.h>

namespace rubrica::pdf::cos {
namespace {

Result<Object> ParseText(const std::string& text) {
  Parser p(text);
  size_t pos = 0;
  return p.ParseObject(pos);
}

TEST(CosParserTest, ParsesEveryObjectKind) {
  struct Case {
    const char* text;
    const char* serialised;
  } cases[] = {
      {"null", "null"},
      {"true", "true"},
      {"-42", "-42"},
      {"3.25", "3.25"},
      {".5", "0.5"},
      {"(Hola \\(mundo\\))", "(Hola \\(mundo\\))"},
      {"(l\\355nea\\n)", "<6CED6E65610A>"},
      {"<48656c6c6f>", "<48656C6C6F>"},
      {"<48656c6c6>", "<48656C6C60>"},
      {"/Name#20With#23", "/Name#20With#23"},
      {"[1 2 0 R /A [true]]", "[1 2 0 R /A [true]]"},
      {"<< /Type /Sig /V 12 0 R /N [1 2] >>", "<</Type /Sig/V 12 0 R/N [1 2]>>"},
      {"% comment\n 7", "7"},
  };
  for (const auto& c : cases) {
    auto r = ParseText(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.status().ToString();
    EXPECT_EQ(Serialize(*r), c.serialised) << c.text;
    // Serialising and parsing again gives the same object.
    auto again = ParseText(Serialize(*r));
    ASSERT_TRUE(again.ok()) << c.text;
    EXPECT_EQ(*again, *r) << c.text;
  }
}

TEST(CosParserTest, RejectsMalformedInputWithOffsets) {
  struct Case {
    std::string text;
    const char* why;
  } cases[] = {
      {"(unterminated", "unterminated string"},
      {"<4142", "unterminated hex string"},
      {"<41zz>", "non-hex character"},
      {"<< /A 1", "unterminated dictionary"},
      {"<< 1 2 >>", "dictionary key is not a name"},
      {"<< /A 1 /A 2 >>", "duplicate dictionary key"},
      {"[1 2", "unterminated array"},
      {"1.2.3", "malformed number"},
      {"0 0 R", "invalid object reference"},
      {"}", "unexpected character"},
      {std::string(100, '['), "nesting deeper"},
      {"12345678901234567890", "integer out of range"},
  };
  for (const auto& c : cases) {
    auto r = ParseText(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().code(), "pdf.syntax");
    EXPECT_NE(r.status().message().find(c.why), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find("byte offset"), std::string::npos);
  }
}

TEST(CosParserTest, HexStringsDecodeWhateverTheirSpacingAndLengthLimit) {
  // Pairs of digits (the fast path), digits split by whitespace, an odd count (the last
  // digit is followed by 0), upper and lower case; a string at the limit is read and one
  // byte over it is refused; a bad digit or a missing '>'
  // after a long run of pairs is named with its offset.
  ParseLimits limits;
  limits.max_string = 4;
  struct Case {
    std::string text;
    std::string bytes;  // empty with `why`: refused
    std::string why;
  } cases[] = {
      {"<>", "", ""},
      {"<4142>", "AB", ""},
      {"<4 1 4\n2\t43>", "ABC", ""},
      {"<414>", std::string("A@"), ""},
      {"<6a6B>", "jk", ""},
      {"<41424344>", "ABCD", ""},
      {"<4142 4344 >", "ABCD", ""},
      {"<4142434445>", "", "string too long"},
      {"<414243zz>", "", "non-hex character in hex string at byte offset 7"},
      {"<4142", "", "unterminated hex string"},
      {"<41424", "", "unterminated hex string"},
  };
  for (const auto& c : cases) {
    Parser p(c.text, limits);
    size_t pos = 0;
    auto r = p.ParseObject(pos);
    if (c.why.empty()) {
      ASSERT_TRUE(r.ok()) << c.text << ": " << r.status().ToString();
      EXPECT_TRUE(r->is_string()) << c.text;
      EXPECT_EQ(r->text(), c.bytes) << c.text;
      EXPECT_EQ(pos, c.text.size()) << c.text;
    } else {
      ASSERT_FALSE(r.ok()) << c.text;
      EXPECT_NE(r.status().message().find(c.why), std::string::npos) << c.text << ": " << r.status().message();
    }
  }
  // A signature's /Contents: 16 KiB of bytes as 32 Ki digits, read back byte for byte.
  std::string bytes, hex = "<";
  for (int i = 0; i < 16384; ++i) {
    bytes.push_back(static_cast<char>(i * 7 % 256));
    static const char kDigits[] = "0123456789ABCDEF";
    hex += kDigits[(i * 7 % 256) >> 4];
    hex += kDigits[(i * 7 % 256) & 15];
  }
  hex += ">";
  auto contents = ParseText(hex);
  ASSERT_TRUE(contents.ok());
  EXPECT_EQ(contents->text(), bytes);
}

TEST(CosParserTest, ParsesIndirectObjectsAndStreams) {
  std::string data = "5 0 obj\n<< /Length 5 >>\nstream\nhello\nendstream\nendobj\n";
  Parser p(data);
  auto io = p.ParseIndirect(0);
  ASSERT_TRUE(io.ok()) << io.status().ToString();
  EXPECT_EQ(io->ref.num, 5);
  EXPECT_TRUE(io->value.is_stream());
  EXPECT_EQ(io->value.stream_data(), "hello");
  EXPECT_EQ(io->end, data.size() - 1);
}

TEST(CosParserTest, StreamLengthMustMatchEndstream) {
  for (std::string data : {"5 0 obj\n<< /Length 4 >>\nstream\nhello\nendstream\nendobj\n",
                           "5 0 obj\n<< /Length 500 >>\nstream\nhello\nendstream\nendobj\n",
                           "5 0 obj\n<< >>\nstream\nhello\nendstream\nendobj\n",
                           "5 0 obj\n<< /Length 5 >>\nstream hello\nendstream\nendobj\n"}) {
    Parser p(data);
    EXPECT_FALSE(p.ParseIndirect(0).ok()) << data;
  }
}

// A damaged original (the public dss-2236/hide.pdf: a /Length 17 bytes past `endstream`) is
// read up to `endstream` when the caller asks, and the mismatch is handed back to be named;
// a stream without a /Length, or one with no `endstream` at all, is still refused.
TEST(CosParserTest, ReadsAStreamWhoseLengthMissesEndstreamOnlyWhenAskedAndSaysSo) {
  struct Case {
    std::string data;
    int64_t declared;
    std::string read;
  };
  const Case cases[] = {
      {"5 0 obj\n<< /Length 500 >>\nstream\nhello\nendstream\nendobj\n", 500, "hello"},
      {"5 0 obj\n<< /Length 4 >>\nstream\r\nhello\r\nendstream\nendobj\n", 4, "hello"},
      {"5 0 obj\n<< /Length 7 >>\nstream\nhello\nendstreamX\nendstream\nendobj\n", 7, "hello\nendstreamX"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.data);
    std::optional<LengthMismatch> mismatch;
    Parser p(c.data);
    EXPECT_FALSE(p.ParseIndirect(0).ok());
    p.set_length_mismatch_sink(&mismatch);
    auto io = p.ParseIndirect(0);
    ASSERT_TRUE(io.ok()) << io.status().ToString();
    EXPECT_EQ(io->value.stream_data(), c.read);
    EXPECT_EQ(io->end, c.data.size() - 1);
    ASSERT_TRUE(mismatch.has_value());
    EXPECT_EQ(mismatch->declared, c.declared);
    EXPECT_EQ(mismatch->found, c.read.size());
  }
  for (std::string data : {"5 0 obj\n<< >>\nstream\nhello\nendstream\nendobj\n",
                           "5 0 obj\n<< /Length -1 >>\nstream\nhello\nendstream\nendobj\n",
                           "5 0 obj\n<< /Length 9 >>\nstream\nhello\nendobj\n"}) {
    std::optional<LengthMismatch> mismatch;
    Parser p(data);
    p.set_length_mismatch_sink(&mismatch);
    EXPECT_FALSE(p.ParseIndirect(0).ok()) << data;
    EXPECT_FALSE(mismatch.has_value()) << data;
  }
  // A /Length that is right leaves the sink empty.
  std::optional<LengthMismatch> none;
  Parser good("5 0 obj\n<< /Length 5 >>\nstream\nhello\nendstream\nendobj\n");
  good.set_length_mismatch_sink(&none);
  ASSERT_TRUE(good.ParseIndirect(0).ok());
  EXPECT_FALSE(none.has_value());
}

TEST(CosObjectTest, TextStringsRoundTripSpanish) {
  const std::string s = "Ñandú en Zamora: acción, ¿sesión?";
  std::string pdf = TextStringFromUtf8(s);
  EXPECT_EQ(pdf.substr(0, 2), "\xfe\xff");
  EXPECT_EQ(Utf8FromTextString(pdf), s);
  EXPECT_EQ(TextStringFromUtf8("plain"), "plain");
  EXPECT_EQ(Cp1252FromUtf8("acción “€”"), "acci\xf3n \x93\x80\x94");
  EXPECT_EQ(Cp1252FromUtf8("漢"), "?");
}

}  // namespace
}  // namespace rubrica::pdf::cos
