// GET /api/actas/{id}/certified-copy over the real service, judged by tools we did not
// write: unzip -t on the ZIP; the sealed PDF inside is the archived one; xmllint accepts the
// report against docs/reporte-verificacion.xsd and xmlsec1 its seal signature with only the
// root certificate, and refuses it after a flipped byte; pdfsig finds the
// constancia's seal signature valid and trusted and no other field, qpdf finds no damage, pdftotext reads the
// acta's facts in it; and the copy is made once (the same bytes every time).
#include <gtest/gtest.h>

#include <algorithm>

#include "api_world.h"
#include "pades/external_tools.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"

namespace rubrica::server::testing {
namespace {

using rubrica::testing::RunCommand;

std::string Joined(const std::vector<std::string>& pages) {
  std::string all;
  for (const auto& p : pages) all += p;
  // pdftotext breaks lines and justifies; compare with single spaces.
  std::string out;
  for (char c : all) {
    if (c == '\n' || c == '\t') c = ' ';
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  return out;
}

TEST(ApiCertifiedCopyTest, RefusedBeforeTheSealThenAZipTheToolsAccept) {
  ApiWorld w;
  w.AdvanceTo(Stage::kRubric);
  const std::string acta = "/api/actas/" + std::to_string(w.acta);
  Reply early = w.As("facilitator").Get(acta + "/certified-copy");
  EXPECT_EQ(early.status, 409) << Describe(early);
  EXPECT_EQ(early.Code(), "workflows.not_archived");
  EXPECT_EQ(w.As("public").Get(acta + "/certified-copy").status, 401) << "the public cannot see it yet";

  w.AdvanceTo(Stage::kArchived);
  Reply hit = w.As("public").Get("/api/archive?q=sesion");
  ASSERT_EQ(hit.Size("actas"), 1) << hit.body;
  ASSERT_EQ(hit.Str("actas[0].links.certified_copy"), acta + "/certified-copy");

  Reply copy = w.As("public").Get(acta + "/certified-copy");
  ASSERT_EQ(copy.status, 200) << Describe(copy);
  EXPECT_EQ(copy.headers["content-type"], "application/zip");
  Reply sealed = w.As("public").Get(acta + "/pdf");
  ASSERT_EQ(sealed.status, 200);
  Reply folio = w.As("public").Get(acta);
  const std::string sealed_name = folio.Str("folio") + ".pdf";
  EXPECT_NE(copy.headers["content-disposition"].find(folio.Str("folio") + ".copia-certificada.zip"),
            std::string::npos);

  const std::string dir = w.dir() + "/copia";
  ASSERT_TRUE(MakeDirs(dir).ok());
  const std::string zip = dir + "/copia.zip";
  ASSERT_TRUE(WriteFileAtomic(zip, copy.body).ok());
  auto tested = RunCommand({"/usr/bin/unzip", "-t", zip});
  EXPECT_EQ(tested.exit_code, 0) << tested.out << tested.err;
  auto listed = RunCommand({"/usr/bin/unzip", "-Z1", zip});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find(sealed_name), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("constancia-verificacion.pdf"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("reporte-verificacion.xml"), std::string::npos) << listed.out;
  auto extracted = RunCommand({"/usr/bin/unzip", "-o", "-q", zip, "-d", dir});
  ASSERT_EQ(extracted.exit_code, 0) << extracted.err;

  auto inner = ReadFile(dir + "/" + sealed_name, 64 << 20);
  ASSERT_TRUE(inner.ok());
  EXPECT_EQ(*inner, sealed.body) << "the copy carries the sealed acta byte for byte";

  // The report: the schema in docs/ accepts it, xmlsec1 accepts the seal's signature with
  // only the root certificate, and refuses it once a byte of the report is flipped.
  const std::string report = dir + "/reporte-verificacion.xml";
  auto schema = RunCommand({"/usr/bin/xmllint", "--noout", "--schema",
                            rubrica::testing::SourceDir() + "/docs/reporte-verificacion.xsd", report});
  EXPECT_EQ(schema.exit_code, 0) << schema.out << schema.err;
  auto ca = ReadFile(w.data_dir() + "/trust/ca.pem", 1 << 20);
  ASSERT_TRUE(ca.ok());
  const std::string end = "-----END CERTIFICATE-----\n";
  const std::string root_pem = dir + "/raiz.pem";
  ASSERT_TRUE(WriteFileAtomic(root_pem, ca->substr(0, ca->find(end) + end.size())).ok());
  auto verified = RunCommand({"/usr/bin/xmlsec1", "--verify", "--trusted-pem", root_pem, report});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  auto xml = ReadFile(report, 1 << 20);
  ASSERT_TRUE(xml.ok());
  EXPECT_NE(xml->find(Sha256Hex(sealed.body)), std::string::npos);
  EXPECT_NE(xml->find(folio.Str("folio")), std::string::npos);
  EXPECT_NE(xml->find("<resultado salida=\"0\""), std::string::npos) << *xml;
  std::string flipped = *xml;
  const size_t at = flipped.find(folio.Str("folio"));
  ASSERT_NE(at, std::string::npos);
  flipped[at] ^= 0x01;  // 'S' -> 'R': still well-formed, no longer what was signed
  ASSERT_TRUE(WriteFileAtomic(dir + "/alterado.xml", flipped).ok());
  auto refused = RunCommand({"/usr/bin/xmlsec1", "--verify", "--trusted-pem", root_pem, dir + "/alterado.xml"});
  EXPECT_NE(refused.exit_code, 0) << refused.out << refused.err;

  const std::string constancia = dir + "/constancia-verificacion.pdf";
  std::string qpdf;
  EXPECT_TRUE(pades_testing::QpdfCheck(constancia, &qpdf)) << qpdf;
  auto sig = pades_testing::RunPdfsig(constancia, w.data_dir() + "/trust/ca.pem", dir);
  ASSERT_EQ(sig.signatures.size(), 1u) << sig.output;
  EXPECT_EQ(sig.unsigned_fields, 0) << "the seal's is the constancia's only field\n" << sig.output;
  EXPECT_EQ(sig.signatures[0].field, "firma_1") << sig.output;
  EXPECT_TRUE(sig.signatures[0].valid) << sig.output;
  EXPECT_TRUE(sig.signatures[0].trusted) << sig.output;
  EXPECT_TRUE(sig.signatures[0].whole_document) << sig.output;
  const std::string text = Joined(rubrica::testing::PdfPageTexts(constancia));
  for (const std::string& expected :
       {std::string("CONSTANCIA DE VERIFICACIÓN"), folio.Str("folio"), Sha256Hex(sealed.body),
        w.person("titular").name, w.person("garante").name, std::string("archivada"),
        std::string("Firma al calce"), std::string("Válida"), std::string("16 de febrero de 2026")}) {
    EXPECT_TRUE(text.find(expected) != std::string::npos) << expected << " not in: " << text;
  }

  Reply again = w.As("archivist").Get(acta + "/certified-copy");
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.body, copy.body) << "made once, then served as recorded";
}

}  // namespace
}  // namespace rubrica::server::testing
