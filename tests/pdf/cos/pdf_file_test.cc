#include "rubrica/pdf/cos/pdf_file.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "pdf/cos/test_pdf.h"
#include "rubrica/pdf/cos/acroform.h"
#include "rubrica/pdf/cos/incremental_update.h"

namespace rubrica::pdf::cos {
namespace {

TEST(PdfFileTest, ReadsASingleRevisionAndItsFields) {
  auto file = PdfFile::Open(testpdf::BuildTestPdf({.pages = 3, .signers = 2}));
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_EQ(file->revisions().size(), 1u);
  auto fields = ReadFields(*file, 0);
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  EXPECT_EQ(fields->size(), 7u);  // certificacion + 3 per signer
  EXPECT_EQ(fields->at("marca_2").widgets.size(), 3u);
  EXPECT_EQ(fields->at("firma_1").type, "Sig");
  auto font = ReadFormFont(*file, 0, "RbSans");
  ASSERT_TRUE(font.ok());
  EXPECT_GT(font->Width("Hola", 10), 0);
}

TEST(PdfFileTest, IncrementalUpdateAddsARevisionAndKeepsTheOldBytes) {
  std::string original = testpdf::BuildTestPdf();
  auto file = PdfFile::Open(original);
  ASSERT_TRUE(file.ok());
  IncrementalUpdate up(*file);
  Ref added = up.Add(Object::MakeDict({{"Hello", Object::String("world")}}));
  auto catalog = file->Catalog(0);
  ASSERT_TRUE(catalog.ok());
  Object cat = *catalog;
  cat.Set("Extra", Object::MakeRef(added));
  up.Replace(file->revisions()[0].trailer.Get("Root")->ref(), cat);
  auto w = up.Write("0123456789abcdef");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->bytes.substr(0, original.size()), original);
  auto two = PdfFile::Open(w->bytes);
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  ASSERT_EQ(two->revisions().size(), 2u);
  EXPECT_EQ(two->revisions()[0].end, original.size());
  // Revision 0 still sees the old catalog; revision 1 the new one.
  EXPECT_EQ(two->Catalog(0)->Get("Extra"), nullptr);
  ASSERT_NE(two->Catalog(1)->Get("Extra"), nullptr);
  EXPECT_EQ(two->Get(added, 1)->Get("Hello")->text(), "world");
  EXPECT_TRUE(two->Get(added, 0)->is_null());
  EXPECT_EQ(*two->DefiningRevision(added.num, 1), 1u);
}

struct BadFile {
  const char* name;
  std::string bytes;
  const char* code;
};

TEST(PdfFileTest, RefusesBrokenStructuresWithTheirCodes) {
  std::string good = testpdf::BuildTestPdf();
  size_t xref = good.rfind("\nxref\n") + 1;
  std::string prev_bad = good;
  prev_bad.insert(prev_bad.rfind("/Size"), "/Prev 999999 ");
  std::string wrong_startxref = good;
  wrong_startxref.replace(wrong_startxref.rfind("startxref\n") + 10, std::to_string(xref).size(),
                          std::string(std::to_string(xref).size(), '1'));
  std::string encrypted = good;
  encrypted.insert(encrypted.rfind("/Size"), "/Encrypt 1 0 R ");
  // A file whose only revision has a cross-reference stream.
  std::string xs_obj = "%PDF-1.7\n1 0 obj\n<</Type /XRef/Size 2/W [1 4 1]/Root 1 0 R/Length 0>>\n"
                       "stream\n\nendstream\nendobj\n";
  std::string xref_stream = xs_obj + "startxref\n9\n%%EOF\n";
  const BadFile cases[] = {
      {"empty", "", "pdf.not_a_pdf"},
      {"garbage", std::string(1000, 'x'), "pdf.not_a_pdf"},
      {"truncated", good.substr(0, good.size() / 2), "pdf.revision_structure"},
      {"data appended", good + "malicious", "pdf.revision_structure"},
      {"prev forward", prev_bad, "pdf.revision_structure"},
      {"startxref elsewhere", wrong_startxref, "pdf.revision_structure"},
      {"encrypted", encrypted, "pdf.encrypted"},
      {"xref stream", xref_stream, "pdf.unsupported_xref_stream"},
  };
  for (const auto& c : cases) {
    auto f = PdfFile::Open(c.bytes);
    ASSERT_FALSE(f.ok()) << c.name;
    EXPECT_EQ(f.status().code(), c.code) << c.name << ": " << f.status().message();
  }
}

TEST(PdfFileTest, KeepsALaterSwitchToAnXrefStreamFlagged) {
  std::string good = testpdf::BuildTestPdf();
  size_t xref = good.rfind("\nxref\n") + 1;
  std::string xs_obj = "99 0 obj\n<</Type /XRef/Size 100/W [1 4 1]/Prev " + std::to_string(xref) +
                       "/Root 1 0 R/Length 0>>\nstream\n\nendstream\nendobj\n";
  auto f = PdfFile::Open(good + xs_obj + "startxref\n" + std::to_string(good.size()) + "\n%%EOF\n");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->revisions().size(), 2u);
  EXPECT_FALSE(f->revisions()[0].xref_stream);
  EXPECT_TRUE(f->revisions()[1].xref_stream);
}

TEST(PdfFileTest, InflateStopsDecompressionBombs) {
  std::string zeros(50u << 20, '\0');
  uLongf n = compressBound(zeros.size());
  std::string packed(n, '\0');
  ASSERT_EQ(compress2(reinterpret_cast<Bytef*>(packed.data()), &n,
                      reinterpret_cast<const Bytef*>(zeros.data()), zeros.size(), 9),
            Z_OK);
  packed.resize(n);
  EXPECT_LT(packed.size(), 100000u);
  auto r = Inflate(packed, 1u << 20);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "pdf.stream_too_large");
  EXPECT_EQ(Inflate("not zlib", 100).status().code(), "pdf.bad_stream");
  EXPECT_EQ(Inflate(packed.substr(0, packed.size() / 2), 100u << 20).status().code(), "pdf.bad_stream");
}

}  // namespace
}  // namespace rubrica::pdf::cos
