// The shared JSON reader and writer: error codes and paths in each document's style,
// syntax errors with line and column, arrays read element by element, text rules on or
// off, and the writer's byte-exact output.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "rubrica/base/json_reader.h"
#include "rubrica/base/json_writer.h"

namespace rubrica {
namespace {

JsonReaderOptions ActaStyle() {
  JsonReaderOptions o;
  o.max_bytes = 1000;
  o.max_depth = 6;
  o.code = "pdf.bad_acta_json";
  o.subject_es = "El contenido del acta";
  o.normalize_text = false;
  return o;
}

TEST(JsonReaderTest, RefusalsCarryTheCodeKindAndPathOfTheirDocument) {
  struct Case {
    const char* name;
    std::string text;
    bool acta_style;
    std::string code;
    ErrorKind kind;
    std::string message;     // English message starts with this
    std::string message_es;  // Spanish message starts with this
  };
  const std::vector<Case> cases = {
      {"api: not an object", "[1]", false, "api.bad_json", ErrorKind::kInvalidArgument,
       "$: expected an object, found an array", "El cuerpo de la solicitud no es"},
      {"api: syntax", "{\"a\": ", false, "api.bad_json", ErrorKind::kInvalidArgument,
       "$: unexpected end of text, expected a value at line 1, column 7", "El cuerpo"},
      {"api: too large", "{\"a\":\"" + std::string(3u << 20, 'x') + "\"}", false, "api.bad_json",
       ErrorKind::kTooLarge, "$: JSON text larger than 2097152 bytes",
       "El cuerpo de la solicitud excede"},
      {"api: bidi text", "{\"a\":\"x\xE2\x80\xAEy\"}", false, "api.bad_text",
       ErrorKind::kInvalidArgument, "a: ", "Texto no admitido en «a»"},
      {"acta: not an object", "\"x\"", true, "pdf.bad_acta_json", ErrorKind::kInvalidArgument,
       "$: expected an object, found a string", "El contenido del acta no es válido ($): "},
      {"acta: too deep", "{\"a\":[[[[[[1]]]]]]}", true, "pdf.bad_acta_json",
       ErrorKind::kInvalidArgument, "$: nested deeper than 6 levels",
       "El contenido del acta no es válido ($): el texto no es JSON válido (línea 1"},
      {"acta: a number", " -1.5 ", true, "pdf.bad_acta_json", ErrorKind::kInvalidArgument,
       "$: expected an object, found a number", "El contenido del acta no es válido ($): "},
      {"acta: too large", std::string(1001, ' '), true, "pdf.bad_acta_json", ErrorKind::kTooLarge,
       "$: JSON text larger than 1000 bytes", "El contenido del acta no es válido ($): el texto"},
      {"acta: invalid UTF-8", "{\n\"a\":\"\xC3\x28\"}", true, "pdf.bad_acta_json",
       ErrorKind::kInvalidArgument, "$: invalid UTF-8 at line 2, column 6", "El contenido"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto j = JsonReader::Parse(c.text, c.acta_style ? ActaStyle() : JsonReaderOptions{});
    ASSERT_FALSE(j.ok());
    EXPECT_EQ(j.status().code(), c.code);
    EXPECT_EQ(j.status().kind(), c.kind);
    EXPECT_EQ(j.status().message().rfind(c.message, 0), 0u) << j.status().message();
    EXPECT_EQ(j.status().message_es().rfind(c.message_es, 0), 0u) << j.status().message_es();
  }
}

TEST(JsonReaderTest, FieldRefusalsNameThePathAtAnyDepth) {
  const std::string doc =
      R"({"blocks":[{"type":"table","rows":[["a","b"],"x"],"widths":[1,true]},)"
      R"({"n":2.5,"s":7,"t":null}],"extra":1})";
  auto j = JsonReader::Parse(doc, ActaStyle());
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  auto blocks = j->Array("blocks", 10);
  ASSERT_TRUE(blocks.ok());
  ASSERT_EQ(blocks->size(), 2u);
  auto table = blocks->Object(0);
  ASSERT_TRUE(table.ok());
  auto rows = table->Array("rows", 10);
  ASSERT_TRUE(rows.ok());
  auto row0 = rows->Array(0, 2);
  ASSERT_TRUE(row0.ok());
  EXPECT_EQ(*row0->Text(1), "b");
  auto widths = table->Array("widths");
  ASSERT_TRUE(widths.ok());
  EXPECT_EQ(*widths->Number(0), 1.0);
  auto other = blocks->Object(1);
  ASSERT_TRUE(other.ok());

  struct Case {
    const char* name;
    Status status;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"row not an array", rows->Array(1).status(),
       "blocks[0].rows[1]: expected an array, found a string"},
      {"row too long", rows->Array(0, 1).status(), "blocks[0].rows[0]: more than 1 elements"},
      {"boolean width", widths->Number(1).status(),
       "blocks[0].widths[1]: expected a number, found a boolean"},
      {"real for an integer", other->Int("n").status(),
       "blocks[1].n: expected an integer, found a number"},
      {"number for a text", other->Text("s").status(), "blocks[1].s: expected a string, found a number"},
      {"null for a text", other->Text("t").status(), "blocks[1].t: expected a string, found null"},
      {"absent text", other->Text("u").status(), "blocks[1].u: missing"},
      {"unknown key", other->Keys({"n", "s"}, {}), "blocks[1].t: unknown key"},
      {"missing key", table->Keys({"type", "rows", "widths", "header"}, {"header"}),
       "blocks[0].header: missing"},
      {"a check of the caller", rows->Fail(0, "expected 3 cells, found 2", "faltan celdas"),
       "blocks[0].rows[0]: expected 3 cells, found 2"},
      {"unread key", j->Finish(), "extra: unknown key"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ASSERT_FALSE(c.status.ok());
    EXPECT_EQ(c.status.code(), "pdf.bad_acta_json");
    EXPECT_EQ(c.status.message(), c.message);
    EXPECT_EQ(c.status.message_es().rfind("El contenido del acta no es válido (", 0), 0u)
        << c.status.message_es();
  }
}

TEST(JsonReaderTest, ApiRefusalsUseTheModuleCodesAndSpanishForPeople) {
  auto j = JsonReader::Parse(R"({"kind":"urgent","n":"7","extra":true})");
  ASSERT_TRUE(j.ok());
  auto kind = j->Enum("kind", {"ordinary", "extraordinary"});
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.status().code(), "api.bad_field");
  EXPECT_EQ(kind.status().message(), "kind: expected one of ordinary, extraordinary");
  EXPECT_EQ(kind.status().message_es(),
            "Dato inválido en «kind»: se esperaba uno de: ordinary, extraordinary.");
  auto n = j->Int("n");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().message(), "n: expected an integer, found a string");
  Status finish = j->Finish();
  EXPECT_EQ(finish.code(), "api.bad_field");
  EXPECT_EQ(finish.message(), "extra: unknown key");

  JsonReaderOptions other;
  other.module = "net";
  auto peer = JsonReader::Parse("{\"a\":", other);
  ASSERT_FALSE(peer.ok());
  EXPECT_EQ(peer.status().code(), "net.bad_json");
}

TEST(JsonReaderTest, TextIsNormalisedOnlyWhenAsked) {
  const std::string decomposed = "{\"t\":\"e\xCC\x81\"}";  // e + COMBINING ACUTE
  auto api = JsonReader::Parse(decomposed);
  ASSERT_TRUE(api.ok());
  EXPECT_EQ(*api->Text("t"), "\xC3\xA9");  // NFC
  auto stored = JsonReader::Parse(decomposed, ActaStyle());
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored->Text("t"), "e\xCC\x81");  // kept as written
  // A \u escape spelling a lone surrogate passes the syntax check; reading it is refused.
  auto lone = JsonReader::Parse(R"({"t":"\ud800"})", ActaStyle());
  if (lone.ok()) {
    auto t = lone->Text("t");
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().message(), "t: invalid UTF-8");
  } else {
    EXPECT_EQ(lone.status().code(), "pdf.bad_acta_json");
  }
}

TEST(JsonWriterTest, WritesCompactJsonWithEscapesAndOptionalBreaks) {
  JsonWriter w;
  w.BeginObject()
      .Field("s", "a\"b\\c\n\t\x01é")
      .Field("i", int64_t{-3})
      .Key("x").Number(0.5)
      .Key("inf").Number(std::numeric_limits<double>::infinity())
      .Field("none", std::optional<int64_t>())
      .Break("\n ")
      .Key("list")
      .BeginArray()
      .Break("\n  ").Int(1)
      .Break("\n  ").Bool(false)
      .EndArray()
      .EndObject();
  EXPECT_EQ(w.str(),
            "{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001é\",\"i\":-3,\"x\":0.5,\"inf\":null,\"none\":null,"
            "\n \"list\":[\n  1,\n  false]}");
}

TEST(JsonWriterTest, WhatItWritesReadsBack) {
  JsonWriter w;
  w.BeginObject().Field("name", "Ana \"la\" Ruiz\n").Key("w").Number(12.25).EndObject();
  JsonReaderOptions o;
  o.normalize_text = false;
  auto j = JsonReader::Parse(w.str(), o);
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ(*j->Text("name"), "Ana \"la\" Ruiz\n");
  EXPECT_EQ(*j->Number("w"), 12.25);
  EXPECT_TRUE(j->Finish().ok());
}

}  // namespace
}  // namespace rubrica
