// The XML writer, the safe parser and XSD validation; libxml2's own xmllint judges what
// the writer produces.
#include "rubrica/signing/xml_document.h"

#include <gtest/gtest.h>

#include <string>

#include "rubrica/base/files.h"
#include "rubrica/signing/xml_schema.h"
#include "signing/xml_test_data.h"
#include "support/test_support.h"

namespace rubrica::signing {
namespace {

using rubrica::testing::RunCommand;
using rubrica::testing::TempDir;
using testing::kNs;
using testing::kXsd;
using testing::Report;

TEST(XmlWriterTest, EscapesMarkupAndRoundTripsThroughTheParser) {
  const std::string title = "Acta <primera> & \"única\" — Zamora 'Mich.'\tcon\r\nsalto";
  XmlElement root = Report(title);
  root.Child("r:nota").Attr("texto", "a\"b<c>&d\te\nf\rg");
  auto xml = SerializeXml(root);
  ASSERT_TRUE(xml.ok()) << xml.status().ToString();
  EXPECT_EQ(xml->rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);

  auto parsed = ParseXml(*xml);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->local_name(), "reporte");
  EXPECT_EQ(parsed->namespace_uri(), kNs);
  EXPECT_EQ(parsed->AttrValue("version"), "1");
  ASSERT_NE(parsed->FindChild("titulo"), nullptr);
  EXPECT_EQ(parsed->FindChild("titulo")->TextContent(), title);
  auto firmas = parsed->Children("firma");
  ASSERT_EQ(firmas.size(), 2u);
  EXPECT_EQ(firmas[1]->TextContent(), "Persona Ficticia Dos <\"&'>");
  EXPECT_EQ(firmas[1]->AttrValue("resultado"), "invalida");
  // Attribute values keep TAB, LF and CR (escaped, so normalisation does not eat them).
  EXPECT_EQ(parsed->FindChild("nota")->AttrValue("texto"), "a\"b<c>&d\te\nf\rg");
}

TEST(XmlSchemaTest, EmbeddedSchemaIsTheFileInTheTree) {
  auto file = ReadFile(testing::XsdPath());
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(*file, std::string(kXsd));
}

TEST(XmlWriterTest, XmllintAcceptsWhatItWrites) {
  TempDir dir;
  auto xml = SerializeXml(Report("Sesión ordinaria <1> & más"));
  ASSERT_TRUE(xml.ok());
  ASSERT_TRUE(WriteFileAtomic(dir / "doc.xml", *xml).ok());
  auto lint = RunCommand({"xmllint", "--noout", "--schema", testing::XsdPath(), dir / "doc.xml"});
  EXPECT_EQ(lint.exit_code, 0) << lint.err;
}

TEST(XmlWriterTest, RefusesTextXmlCannotCarry) {
  struct Case {
    const char* what;
    std::string text;
    bool in_attribute;
  };
  const Case cases[] = {
      {"NUL", std::string("a\0b", 3), false},  {"BEL", "a\x07", false},
      {"ESC in attribute", "a\x1b[31m", true}, {"DEL", "a\x7f", false},
      {"C1 U+0085", "a\xc2\x85", false},       {"U+FFFE", "a\xef\xbf\xbe", true},
      {"truncated UTF-8", "caf\xc3", false},   {"overlong UTF-8", "\xc0\xaf", true},
      {"Latin-1 byte", "Peri\xf1o", false},
  };
  for (const auto& c : cases) {
    XmlElement root("a");
    if (c.in_attribute) {
      root.Attr("v", c.text);
    } else {
      root.Text(c.text);
    }
    auto xml = SerializeXml(root);
    ASSERT_FALSE(xml.ok()) << c.what;
    EXPECT_EQ(xml.status().code(), "xml.bad_text") << c.what;
  }
}

TEST(XmlWriterTest, RefusesNamesThatAreNotXmlNames) {
  for (const char* name : {"", "1abc", "a b", "a>b", "a\"", "-x", "a/b", "x:"}) {
    XmlElement element(name);
    EXPECT_EQ(SerializeXml(element).status().code(), "xml.bad_name") << name;
    XmlElement attr("ok");
    attr.Attr(name, "v");
    EXPECT_EQ(SerializeXml(attr).status().code(), "xml.bad_name") << name;
  }
}

TEST(XmlWriterTest, RefusesNestingTheParserWouldRefuse) {
  XmlElement root("a");
  XmlElement* e = &root;
  for (int i = 0; i < 250; ++i) e = &e->Child("a");
  EXPECT_EQ(SerializeXml(root).status().code(), "xml.too_deep");
}

TEST(XmlParserTest, RefusesDoctypeBeforeAnyEntityIsDeclared) {
  struct Case {
    const char* what;
    const char* xml;
  };
  const Case cases[] = {
      {"XXE file",
       "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>"},
      {"XXE http", "<!DOCTYPE a [<!ENTITY x SYSTEM \"http://127.0.0.1:9/x\">]><a>&x;</a>"},
      {"external DTD", "<!DOCTYPE a SYSTEM \"file:///etc/passwd\"><a/>"},
      {"parameter entity", "<!DOCTYPE a [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><a/>"},
      {"billion laughs",
       "<!DOCTYPE a [<!ENTITY l \"lol\"><!ENTITY l1 \"&l;&l;&l;&l;&l;&l;&l;&l;&l;&l;\">"
       "<!ENTITY l2 \"&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;\">"
       "<!ENTITY l3 \"&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;\">"
       "<!ENTITY l4 \"&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;\">"
       "<!ENTITY l5 \"&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;\">"
       "<!ENTITY l6 \"&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;\">"
       "<!ENTITY l7 \"&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;\">"
       "<!ENTITY l8 \"&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;\">"
       "<!ENTITY l9 \"&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;\">]><a>&l9;</a>"},
  };
  for (const auto& c : cases) {
    auto parsed = ParseXml(c.xml);
    ASSERT_FALSE(parsed.ok()) << c.what;
    EXPECT_EQ(parsed.status().code(), "xml.dtd_refused") << c.what;
    EXPECT_EQ(ValidateXmlSchema(c.xml, kXsd).code(), "xml.dtd_refused") << c.what;
  }
}

TEST(XmlParserTest, UndeclaredEntityIsMalformedAndNamesTheLine) {
  auto parsed = ParseXml("<a>\n<b>&x;</b>\n</a>");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), "xml.malformed");
  EXPECT_NE(parsed.status().message().find("line 2"), std::string::npos)
      << parsed.status().message();
}

TEST(XmlParserTest, RefusesMalformedEmptyAndOversizedInput) {
  for (const char* bad : {"", "<a>", "<a></b>", "text", "<a/><b/>", "<a x='1' x='2'/>"}) {
    EXPECT_EQ(ParseXml(bad).status().code(), "xml.malformed") << bad;
  }
  std::string big = "<a>" + std::string(2000, 'x') + "</a>";
  auto parsed = ParseXml(big, XmlLimits{.max_bytes = 1000});
  EXPECT_EQ(parsed.status().code(), "xml.too_large");
  EXPECT_EQ(parsed.status().kind(), ErrorKind::kTooLarge);
  EXPECT_TRUE(ParseXml(big, XmlLimits{.max_bytes = 4000}).ok());
}

TEST(XmlParserTest, RefusesNestingDeeperThanLibxml2Allows) {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "<a>";
  for (int i = 0; i < 5000; ++i) deep += "</a>";
  EXPECT_EQ(ParseXml(deep).status().code(), "xml.malformed");
}

TEST(XmlSchemaTest, AcceptsAValidDocument) {
  auto xml = SerializeXml(Report("Acta"));
  ASSERT_TRUE(xml.ok());
  Status s = ValidateXmlSchema(*xml, kXsd);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(XmlSchemaTest, RefusesInvalidDocumentsNamingTheFirstErrorAndItsLine) {
  struct Case {
    const char* what;
    XmlElement doc;
    const char* expected_in_message;
  };
  XmlElement bad_date = Report("Acta", "14/03/2026");
  XmlElement bad_enum = Report("Acta");
  bad_enum.Child("r:firma").Attr("resultado", "quizas").Text("x");
  XmlElement no_version("r:reporte");
  no_version.Attr("xmlns:r", kNs);
  no_version.TextChild("r:titulo", "t").TextChild("r:fecha", "2026-01-01");
  no_version.Child("r:firma").Attr("resultado", "valida");
  XmlElement wrong_ns("reporte");
  wrong_ns.Attr("version", "1");
  Case cases[] = {
      {"date", bad_date, "line 4"},
      {"enumeration", bad_enum, "quizas"},
      {"missing attribute", no_version, "version"},
      {"wrong namespace", wrong_ns, "reporte"},
  };
  for (auto& c : cases) {
    auto xml = SerializeXml(c.doc);
    ASSERT_TRUE(xml.ok()) << c.what;
    Status s = ValidateXmlSchema(*xml, kXsd);
    ASSERT_EQ(s.code(), "xml.schema_invalid") << c.what;
    EXPECT_EQ(s.kind(), ErrorKind::kInvalidArgument);
    EXPECT_NE(s.message().find(c.expected_in_message), std::string::npos)
        << c.what << ": " << s.message();
    EXPECT_NE(s.message().find("line "), std::string::npos) << s.message();
    // xmllint, which we did not write, agrees that it is invalid.
    TempDir dir;
    ASSERT_TRUE(WriteFileAtomic(dir / "doc.xml", *xml).ok());
    EXPECT_NE(RunCommand({"xmllint", "--noout", "--schema", testing::XsdPath(), dir / "doc.xml"})
                  .exit_code,
              0)
        << c.what;
  }
}

TEST(XmlSchemaTest, RefusesASchemaThatReachesForOtherFiles) {
  const std::string xsd = R"(<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:include schemaLocation="file:///etc/passwd"/>
</xs:schema>)";
  Status s = ValidateXmlSchema("<a/>", xsd);
  EXPECT_EQ(s.code(), "xml.bad_schema");
  EXPECT_EQ(ValidateXmlSchema("<a/>", "<not-a-schema/>").code(), "xml.bad_schema");
}

}  // namespace
}  // namespace rubrica::signing
