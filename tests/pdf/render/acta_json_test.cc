// The acta JSON format: what parses into what, the path-precise errors, and hostile input.
#include "rubrica/pdf/acta_json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "render_support.h"
#include "rubrica/base/files.h"
#include "rubrica/pdf/signature_plan.h"

namespace rubrica::pdf::testing {
namespace {

// A valid document around `blocks` (a JSON array text).
std::string Doc(const std::string& blocks) {
  return R"({"id":"a-1","kind":"sesion","secretariat":"STM de Prueba","title":"Acta",)"
         R"("blocks":)" +
         blocks + "}";
}

TEST(ActaJsonTest, ParsesEveryBlockType) {
  auto acta = ParseActaJson(R"({
    "format": 1, "id": "stm-x-1", "kind": "instalacion", "secretariat": "STM de Villa Ficticia",
    "heading": ["H. AYUNTAMIENTO", "SECRETARIADO"], "title": "ACTA DE INSTALACIÓN",
    "place_date": "Villa Ficticia, a 1 de enero de 2024",
    "blocks": [
      {"type": "heading", "text": "CIERRE"},
      {"type": "paragraph", "text": "Uno **dos** *tres*", "align": "left"},
      {"type": "section", "title": "FUNCIONES", "blocks": [
        {"type": "list", "style": "alpha", "start": 3, "items": ["a", "b"]}]},
      {"type": "table", "header": ["H1", "H2"], "widths": [1, 2.5], "rows": [["x", "y"]]},
      {"type": "closing", "text": "Los que suscriben..."},
      {"type": "signatures", "title": "FIRMAS", "signers": [
        {"name": "Ana Ruiz", "representation": "Academia", "role": "titular", "seat": "Academia"}]}
    ]})");
  ASSERT_TRUE(acta.ok()) << acta.status().ToString();
  EXPECT_EQ(acta->id, "stm-x-1");
  EXPECT_EQ(acta->kind, ActaKind::kInstallation);
  EXPECT_EQ(acta->heading, (std::vector<std::string>{"H. AYUNTAMIENTO", "SECRETARIADO"}));
  EXPECT_EQ(acta->place_date, "Villa Ficticia, a 1 de enero de 2024");
  ASSERT_EQ(acta->blocks.size(), 6u);
  EXPECT_EQ(std::get<Heading>(acta->blocks[0]), (Heading{{{"CIERRE"}}, Align::kCenter}));
  EXPECT_EQ(std::get<Paragraph>(acta->blocks[1]),
            (Paragraph{{{"Uno "}, {"dos", true}, {" "}, {"tres", false, true}}, Align::kLeft}));
  const auto& section = std::get<Section>(acta->blocks[2]);
  EXPECT_EQ(section.title, "FUNCIONES");
  EXPECT_EQ(std::get<List>(section.blocks[0]),
            (List{ListStyle::kLowerAlpha, 3, {{{"a"}}, {{"b"}}}}));
  EXPECT_EQ(std::get<Table>(acta->blocks[3]),
            (Table{{{{"H1"}}, {{"H2"}}}, {1, 2.5}, {{{{"x"}}, {{"y"}}}}}));
  EXPECT_EQ(std::get<Closing>(acta->blocks[4]).text, (RichText{{"Los que suscriben..."}}));
  EXPECT_EQ(std::get<SignatureBlock>(acta->blocks[5]),
            (SignatureBlock{"FIRMAS", {{"Ana Ruiz", "Academia", "titular", "Academia"}}}));
}

struct BadCase {
  const char* name;
  std::string json;
  std::string message_prefix;  // what the English message must start with
};

TEST(ActaJsonTest, BadInputNamesTheJsonPath) {
  const std::vector<BadCase> cases = {
      {"row not an array",
       Doc(R"([{"type":"paragraph","text":"a"},{"type":"paragraph","text":"b"},)"
           R"({"type":"paragraph","text":"c"},{"type":"table","header":["A","B"],)"
           R"("rows":[["1","2"],"x"]}])"),
       "blocks[3].rows[1]: expected an array, found a string"},
      {"row too short", Doc(R"([{"type":"table","header":["A","B"],"rows":[["1"]]}])"),
       "blocks[0].rows[0]: expected 2 cells, found 1"},
      {"unknown block type", Doc(R"([{"type":"poem","text":"a"}])"),
       "blocks[0].type: unknown block type \"poem\""},
      {"unknown key", Doc(R"([{"type":"paragraph","txt":"a"}])"), "blocks[0].txt: unknown key"},
      {"missing text", Doc(R"([{"type":"paragraph"}])"), "blocks[0].text: missing"},
      {"text not a string", Doc(R"([{"type":"paragraph","text":7}])"),
       "blocks[0].text: expected a string, found a number"},
      {"nested section",
       Doc(R"([{"type":"section","title":"I","blocks":[{"type":"section","title":"II","blocks":[]}]}])"),
       "blocks[0].blocks[0]: sections cannot nest"},
      {"two signature blocks", Doc(R"([{"type":"signatures"},{"type":"signatures"}])"),
       "blocks[1]: only one signature block is allowed"},
      {"bad list style", Doc(R"([{"type":"list","style":"roman","items":[]}])"),
       "blocks[0].style: expected \"decimal\", \"alpha\" or \"bullet\""},
      {"list start out of range", Doc(R"([{"type":"list","start":0,"items":[]}])"),
       "blocks[0].start: must be between 1 and 10000"},
      {"negative width", Doc(R"([{"type":"table","header":["A"],"widths":[-1],"rows":[]}])"),
       "blocks[0].widths[0]: must be in (0, 1000]"},
      {"unclosed bold", Doc(R"([{"type":"paragraph","text":"año **nuevo"}])"),
       "blocks[0].text: unclosed ** at character 4"},
      {"signer without name", Doc(R"([{"type":"signatures","signers":[{"role":"titular"}]}])"),
       "blocks[0].signers[0].name: missing"},
      {"bad kind", R"({"id":"a","kind":"minuta","secretariat":"S","title":"T","blocks":[]})",
       "kind: expected \"instalacion\" or \"sesion\""},
      {"missing title", R"({"id":"a","kind":"sesion","secretariat":"S","blocks":[]})",
       "title: missing"},
      {"empty title", R"({"id":"a","kind":"sesion","secretariat":"S","title":"","blocks":[]})",
       "title: missing"},
      {"root not an object", "[1,2]", "$: expected an object, found an array"},
      {"not JSON", "{\"id\": ", "$: unexpected end of text, expected a value at line 1, column 8"},
      {"trailing garbage", Doc("[]") + "x", "$: unexpected text after the JSON value at line 1"},
      {"trailing comma", "{\n\"id\": 1,\n}", "$: expected a string at line 3, column 1"},
      {"missing comma", "{\"id\": \"x\" \"title\": 1}",
       "$: expected ',' or '}' at line 1, column 12"},
      {"bad literal", "[tru]", "$: expected a value at line 1, column 2"},
      {"raw newline in string", "{\"id\": \"a\nb\"}", "$: control character in a string"},
      {"bad escape", "{\"id\": \"\\q\"}", "$: bad escape at line 1, column 9"},
      {"leading zero", "[01]", "$: expected ',' or ']' at line 1, column 3"},
      {"invalid UTF-8", "{\n  \"id\": \"a\xC3\x28\"}", "$: invalid UTF-8 at line 2, column 11"},
      {"wrong format",
       R"({"format":2,"id":"a","kind":"sesion","secretariat":"S","title":"T","blocks":[]})",
       "format: must be between 1 and 1"},
  };
  for (const BadCase& c : cases) {
    auto acta = ParseActaJson(c.json);
    ASSERT_FALSE(acta.ok()) << c.name;
    EXPECT_EQ(acta.status().code(), "pdf.bad_acta_json") << c.name;
    EXPECT_EQ(acta.status().message().rfind(c.message_prefix, 0), 0u)
        << c.name << ": " << acta.status().message();
    EXPECT_FALSE(acta.status().message_es().empty()) << c.name;
  }
}

TEST(ActaJsonTest, HostileInputFailsCleanlyWithinLimits) {
  struct Case {
    const char* name;
    std::string json;
    ErrorKind kind;
    std::string message_prefix;
  };
  const std::string deep_array = std::string(200000, '[') + std::string(200000, ']');
  std::string deep_sections = "[";
  for (int i = 0; i < 40; ++i) deep_sections += R"({"type":"section","title":"x","blocks":[)";
  deep_sections += std::string(40, ']') + "]";
  const std::string huge_text =
      Doc(R"([{"type":"paragraph","text":")" + std::string(100000, 'a') + "\"}]");
  std::string many_blocks = "[";
  for (int i = 0; i < 5001; ++i)
    many_blocks += std::string(i ? "," : "") + R"({"type":"heading","text":"x"})";
  many_blocks += "]";
  const std::vector<Case> cases = {
      {"deep arrays", deep_array, ErrorKind::kInvalidArgument, "$: nested deeper than 24 levels"},
      {"deep sections", Doc(deep_sections), ErrorKind::kInvalidArgument, "$: nested deeper"},
      {"huge document", std::string(5u << 20, ' '), ErrorKind::kTooLarge,
       "$: JSON text larger than"},
      {"huge string", huge_text, ErrorKind::kInvalidArgument,
       "blocks[0].text: string longer than 65536 bytes"},
      {"too many blocks", Doc(many_blocks), ErrorKind::kInvalidArgument, "blocks: more than 5000"},
      {"huge integer", Doc(R"([{"type":"list","start":99999999999999999999999,"items":[]}])"),
       ErrorKind::kInvalidArgument, "$: not valid JSON"},
      {"infinite width", Doc(R"([{"type":"table","header":["A"],"widths":[1e999],"rows":[]}])"),
       ErrorKind::kInvalidArgument, "$: not valid JSON"},
      {"integer start as real", Doc(R"([{"type":"list","start":2.5,"items":[]}])"),
       ErrorKind::kInvalidArgument, "blocks[0].start: expected an integer, found a number"},
  };
  for (const Case& c : cases) {
    auto acta = ParseActaJson(c.json);
    ASSERT_FALSE(acta.ok()) << c.name;
    EXPECT_EQ(acta.status().code(), "pdf.bad_acta_json") << c.name;
    EXPECT_EQ(acta.status().kind(), c.kind) << c.name;
    EXPECT_EQ(acta.status().message().rfind(c.message_prefix, 0), 0u)
        << c.name << ": " << acta.status().message().substr(0, 200);
  }
}

// The fuzzing seeds, run as a test: every prefix and many byte flips of the fixtures
// either parse or fail with pdf.bad_acta_json, never crash.
TEST(ActaJsonTest, MutatedFixturesNeverCrash) {
  for (const char* fixture : {kZamora, kStlTemplate}) {
    const std::string json = ReadFixture(fixture);
    ASSERT_FALSE(json.empty());
    for (size_t cut = 0; cut < json.size(); cut += 193) {
      auto acta = ParseActaJson(json.substr(0, cut));
      if (!acta.ok()) {
        EXPECT_EQ(acta.status().code(), "pdf.bad_acta_json");
      }
    }
    for (size_t at = 0; at < json.size(); at += 181) {
      for (char c : {'\0', '"', '{', ']', '\xC3', '*'}) {
        std::string mutated = json;
        mutated[at] = c;
        auto acta = ParseActaJson(mutated);
        if (!acta.ok()) {
          EXPECT_EQ(acta.status().code(), "pdf.bad_acta_json");
        }
      }
    }
  }
}

TEST(ActaJsonTest, InlineMarkupTable) {
  struct Case {
    std::string markup;
    RichText expected;
  };
  const std::vector<Case> cases = {
      {"", {}},
      {"plain", {{"plain"}}},
      {"**B**", {{"B", true}}},
      {"a *i* b", {{"a "}, {"i", false, true}, {" b"}}},
      {"***bi***", {{"bi", true, true}}},
      {"**b *bi* b**", {{"b ", true}, {"bi", true, true}, {" b", true}}},
      {"precio 5 \\* 3 \\\\ fin", {{"precio 5 * 3 \\ fin"}}},
      {"sin cerrar \\", {{"sin cerrar \\"}}},
      {"¿**Qué**? ¡*Sí*!", {{"¿"}, {"Qué", true}, {"? ¡"}, {"Sí", false, true}, {"!"}}},
  };
  for (const Case& c : cases) {
    auto rich = ParseInlineMarkup(c.markup, "t");
    ASSERT_TRUE(rich.ok()) << c.markup << ": " << rich.status().ToString();
    EXPECT_EQ(*rich, c.expected) << c.markup;
    auto back = ParseInlineMarkup(ToInlineMarkup(*rich), "t");
    ASSERT_TRUE(back.ok()) << ToInlineMarkup(*rich);
    EXPECT_EQ(*back, c.expected) << ToInlineMarkup(*rich);
  }
  // Runs that only the writer can produce round-trip too.
  const RichText tricky = {{"a", false, true},
                           {"b", true, true},
                           {"*c\\", false, false},
                           {"d", true, false},
                           {"e", false, true}};
  auto back = ParseInlineMarkup(ToInlineMarkup(tricky), "t");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, tricky) << ToInlineMarkup(tricky);
}

TEST(ActaJsonTest, FixturesRoundTripThroughActaToJson) {
  for (const char* fixture : {kZamora, kStlTemplate, kLongMinute}) {
    const ActaDocument acta = LoadActa(fixture);
    auto again = ParseActaJson(ActaToJson(acta));
    ASSERT_TRUE(again.ok()) << fixture << ": " << again.status().ToString();
    EXPECT_TRUE(*again == acta) << fixture;
  }
}

// The stored format's layout, byte for byte: two-space indentation, "key": value, empty
// arrays as [], optional keys only when they differ from their defaults.
TEST(ActaJsonTest, WriterLayoutIsPinned) {
  ActaDocument acta;
  acta.id = "a-1";
  acta.kind = ActaKind::kSession;
  acta.secretariat = "STM \"Z\"";
  acta.title = "T";
  acta.blocks = {Block(Paragraph{{{"x", true, false}}, Align::kLeft}),
                 Block(Section{"I", {}}),
                 Block(Table{{{{"A", false, false}}}, {0.5}, {{{{"1", false, false}}}}}),
                 Block(SignatureBlock{"FIRMAS", {}})};
  EXPECT_EQ(ActaToJson(acta),
            "{\n"
            "  \"format\": 1,\n"
            "  \"id\": \"a-1\",\n"
            "  \"kind\": \"sesion\",\n"
            "  \"secretariat\": \"STM \\\"Z\\\"\",\n"
            "  \"title\": \"T\",\n"
            "  \"blocks\": [\n"
            "    {\n"
            "      \"type\": \"paragraph\",\n"
            "      \"text\": \"**x**\",\n"
            "      \"align\": \"left\"\n"
            "    },\n"
            "    {\n"
            "      \"type\": \"section\",\n"
            "      \"title\": \"I\",\n"
            "      \"blocks\": []\n"
            "    },\n"
            "    {\n"
            "      \"type\": \"table\",\n"
            "      \"header\": [\n"
            "        \"A\"\n"
            "      ],\n"
            "      \"widths\": [\n"
            "        0.5\n"
            "      ],\n"
            "      \"rows\": [\n"
            "        [\n"
            "          \"1\"\n"
            "        ]\n"
            "      ]\n"
            "    },\n"
            "    {\n"
            "      \"type\": \"signatures\",\n"
            "      \"title\": \"FIRMAS\"\n"
            "    }\n"
            "  ]\n"
            "}\n");
}

// docs/acta-format.md shows an acta and a firmantes.json; both must be what the code reads.
TEST(ActaJsonTest, DocumentedExamplesParse) {
  auto doc = ReadFile(rubrica::testing::SourceDir() + "/docs/acta-format.md");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  std::vector<std::string> blocks;
  for (size_t at = doc->find("```json\n"); at != std::string::npos;
       at = doc->find("```json\n", at + 1)) {
    const size_t begin = at + 8;
    blocks.push_back(doc->substr(begin, doc->find("```", begin) - begin));
  }
  ASSERT_EQ(blocks.size(), 2u);
  auto acta = ParseActaJson(blocks[0]);
  ASSERT_TRUE(acta.ok()) << acta.status().ToString();
  EXPECT_EQ(acta->kind, ActaKind::kInstallation);
  EXPECT_EQ(acta->blocks.size(), 5u);
  auto rendered = RenderActa(*acta, PlainOptions());
  EXPECT_TRUE(rendered.ok()) << rendered.status().ToString();
  auto list = SignerListFromJson(blocks[1]);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->signers.at(0).fields.foot, "firma_1");
}

TEST(ActaJsonTest, ValidateActaChecksDocumentsBuiltInCode) {
  ActaDocument acta;
  acta.id = "x";
  acta.title = "Acta";
  EXPECT_TRUE(ValidateActa(acta).ok());
  Section outer{"A", {Section{"B", {}}}};
  acta.blocks.push_back(outer);
  Status s = ValidateActa(acta);
  EXPECT_EQ(s.code(), "pdf.bad_acta");
  EXPECT_EQ(s.message(), "blocks[0].blocks[0]: sections cannot nest");
  acta.blocks = {Paragraph{{{"mal \xFF"}}}};
  EXPECT_EQ(ValidateActa(acta).message(), "blocks[0].text: invalid UTF-8");
}

}  // namespace
}  // namespace rubrica::pdf::testing
