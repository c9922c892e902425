#include "rubrica/pdf/cos/signature_update.h"

#include <gtest/gtest.h>

#include "pdf/cos/test_pdf.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/pdf/cos/acroform.h"
#include "support/test_support.h"

namespace rubrica::pdf::cos {
namespace {

SignatureRequest Foot(int k) {
  SignatureRequest r;
  r.kind = SignatureKind::kFoot;
  r.field = "firma_" + std::to_string(k);
  r.name = "Ana Núñez";
  r.pdf_date = "D:20261121120405-06'00'";
  r.appearance_lines = {"Firmado electrónicamente por", "Ana Núñez", "Titular, sociedad civil",
                        "2026-11-21 12:04:05 -06:00"};
  return r;
}

// Signs with a fake CMS (random bytes): the PDF side does not look inside it.
std::string SignWithFakeCms(const std::string& pdf, const SignatureRequest& req) {
  auto file = PdfFile::Open(pdf);
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  auto p = PrepareSignature(*file, req);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_TRUE(EmbedSignature(*p, RandomBytes(3000)).ok());
  return p->bytes;
}

TEST(SignatureUpdateTest, ByteRangeCoversTheWholeRevisionExceptContents) {
  std::string base = testpdf::BuildTestPdf();
  auto file = PdfFile::Open(base);
  ASSERT_TRUE(file.ok());
  auto p = PrepareSignature(*file, Foot(1));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->byte_range[0], 0);
  EXPECT_EQ(p->byte_range[1], static_cast<int64_t>(p->hole_begin));
  EXPECT_EQ(p->byte_range[2], static_cast<int64_t>(p->hole_end));
  EXPECT_EQ(p->byte_range[2] + p->byte_range[3], static_cast<int64_t>(p->bytes.size()));
  EXPECT_EQ(p->bytes[p->hole_begin], '<');
  EXPECT_EQ(p->bytes[p->hole_end - 1], '>');
  EXPECT_EQ(p->hole_end - p->hole_begin, 2 * 16384u + 2);
  // The digest is over exactly the two ranges.
  std::string covered = p->bytes.substr(0, p->hole_begin) + p->bytes.substr(p->hole_end);
  EXPECT_EQ(SignedDigest(*p), Sha256(covered));
  // The original bytes are untouched and the /ByteRange text says what we computed.
  EXPECT_EQ(p->bytes.substr(0, base.size()), base);
  std::string br = "/ByteRange [0 " + std::to_string(p->byte_range[1]) + " " +
                   std::to_string(p->byte_range[2]) + " " + std::to_string(p->byte_range[3]) + "]";
  EXPECT_NE(p->bytes.find(br), std::string::npos);
}

TEST(SignatureUpdateTest, EveryKindFillsOnlyItsFields) {
  std::string pdf = testpdf::BuildTestPdf({.pages = 4, .signers = 2});
  SignatureRequest cert;
  cert.kind = SignatureKind::kCertification;
  cert.field = "certificacion";
  pdf = SignWithFakeCms(pdf, cert);
  SignatureRequest rubric;
  rubric.kind = SignatureKind::kRubric;
  rubric.field = "rubrica_1";
  rubric.mark_field = "marca_1";
  rubric.mark_value = "Rubricado por Ana Núñez";
  rubric.mark_initials = "ANM";
  rubric.mark_lines = {"Ana Núñez", "21/11/2026"};
  pdf = SignWithFakeCms(pdf, rubric);
  pdf = SignWithFakeCms(pdf, Foot(1));

  auto file = PdfFile::Open(pdf);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_EQ(file->revisions().size(), 4u);
  auto fields = ReadFields(*file, file->last());
  ASSERT_TRUE(fields.ok());
  EXPECT_NE(fields->at("certificacion").dict.Get("V"), nullptr);
  EXPECT_NE(fields->at("rubrica_1").dict.Get("V"), nullptr);
  EXPECT_NE(fields->at("firma_1").dict.Get("V"), nullptr);
  EXPECT_EQ(fields->at("rubrica_2").dict.Get("V"), nullptr);
  EXPECT_EQ(fields->at("firma_2").dict.Get("V"), nullptr);
  EXPECT_EQ(Utf8FromTextString(fields->at("marca_1").dict.Get("V")->text()), "Rubricado por Ana Núñez");
  // Certification: catalog /Perms /DocMDP points at the certification signature, P=2.
  auto cat = file->Catalog(file->last());
  ASSERT_TRUE(cat.ok());
  const Object* docmdp = cat->Get("Perms")->Get("DocMDP");
  ASSERT_NE(docmdp, nullptr);
  auto sig = file->GetLatest(docmdp->ref());
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->Get("Reference")->array()[0].Get("TransformParams")->Get("P")->as_int(), 2);
  // The rubric mark XObject now draws the initials (in Windows-1252).
  Ref mark_widget = fields->at("marca_1").widgets[0];
  auto widget = file->GetLatest(mark_widget);
  auto xobj = file->GetLatest(widget->Get("AP")->Get("N")->ref());
  ASSERT_TRUE(xobj.ok());
  EXPECT_NE(xobj->stream_data().find("(ANM) Tj"), std::string::npos);
  EXPECT_EQ(*file->DefiningRevision(xobj.ok() ? widget->Get("AP")->Get("N")->ref().num : 0, 3), 2u);
  // qpdf, which we did not write, finds the file sound.
  rubrica::testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir / "signed.pdf", pdf).ok());
  auto check = rubrica::testing::RunCommand({"qpdf", "--check", dir / "signed.pdf"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("No syntax or stream encoding errors"), std::string::npos) << check.out;
}

TEST(SignatureUpdateTest, RefusesToSignTwiceOrAnUnknownField) {
  std::string pdf = SignWithFakeCms(testpdf::BuildTestPdf(), Foot(1));
  auto file = PdfFile::Open(pdf);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(PrepareSignature(*file, Foot(1)).status().code(), "pdf.field_already_signed");
  EXPECT_EQ(PrepareSignature(*file, Foot(9)).status().code(), "pdf.no_such_field");
  SignatureRequest wrong = Foot(1);
  wrong.field = "marca_1";
  EXPECT_EQ(PrepareSignature(*file, wrong).status().code(), "pdf.not_a_signature_field");
}

TEST(SignatureUpdateTest, OversizedSignatureIsRefusedAndLeavesThePlaceholder) {
  auto file = PdfFile::Open(testpdf::BuildTestPdf());
  ASSERT_TRUE(file.ok());
  SignatureRequest r = Foot(2);
  r.contents_bytes = 100;
  auto p = PrepareSignature(*file, r);
  ASSERT_TRUE(p.ok());
  std::string before = p->bytes;
  EXPECT_EQ(EmbedSignature(*p, std::string(101, 'x')).code(), "pdf.signature_too_large");
  EXPECT_EQ(p->bytes, before);
}

}  // namespace
}  // namespace rubrica::pdf::cos
