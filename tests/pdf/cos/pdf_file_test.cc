#include "rubrica/pdf/cos/pdf_file.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>

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
  // A cross-reference stream whose data is shorter than /Size and /W require.
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
      {"short xref stream", xref_stream, "pdf.revision_structure"},
  };
  for (const auto& c : cases) {
    auto f = PdfFile::Open(c.bytes);
    ASSERT_FALSE(f.ok()) << c.name;
    EXPECT_EQ(f.status().code(), c.code) << c.name << ": " << f.status().message();
  }
}

// An update with a cross-reference stream (ISO 32000-1 §7.5.8) that places object 97 in an
// object stream (§7.5.7): both are read, as of the revision that defines them.
TEST(PdfFileTest, ReadsCrossReferenceStreamsAndObjectStreams) {
  std::string good = testpdf::BuildTestPdf();
  const size_t xref = good.rfind("\nxref\n") + 1;
  const std::string inner = "97 0 <</Hola (mundo) /N 7>>";
  const std::string objstm = "98 0 obj\n<</Type /ObjStm /N 1 /First 5 /Length " + std::to_string(inner.size()) +
                             ">>\nstream\n" + inner + "\nendstream\nendobj\n";
  const size_t objstm_at = good.size();
  const size_t xs_at = objstm_at + objstm.size();
  auto be32 = [](size_t v) {
    std::string s(4, '\0');
    for (int i = 0; i < 4; ++i) s[i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
    return s;
  };
  // Rows [type, field 2 (4 bytes), field 3]: 97 in stream 98 at index 0; 98 and 99 plain.
  std::string rows = std::string("\x02") + be32(98) + '\0' + '\x01' + be32(objstm_at) + '\0' + '\x01' +
                     be32(xs_at) + '\0';
  const std::string xs = "99 0 obj\n<</Type /XRef /Size 100 /W [1 4 1] /Index [97 3] /Prev " + std::to_string(xref) +
                         " /Root 1 0 R /Length " + std::to_string(rows.size()) + ">>\nstream\n" + rows +
                         "\nendstream\nendobj\n";
  auto f = PdfFile::Open(good + objstm + xs + "startxref\n" + std::to_string(xs_at) + "\n%%EOF\n");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->revisions().size(), 2u);
  EXPECT_FALSE(f->revisions()[0].xref_stream);
  EXPECT_TRUE(f->revisions()[1].xref_stream);
  EXPECT_TRUE(f->revisions()[1].entries.at(97).compressed);
  auto hola = f->GetLatest({97, 0});
  ASSERT_TRUE(hola.ok()) << hola.status().ToString();
  ASSERT_NE(hola->Get("Hola"), nullptr);
  EXPECT_EQ(hola->Get("Hola")->text(), "mundo");
  EXPECT_TRUE(f->Get({97, 0}, 0)->is_null());  // not yet defined in the original
}

// A hybrid update (ISO 32000-1 §7.5.8.4): a classic table for the plain objects, and
// /XRefStm naming a cross-reference stream for the one in an object stream.
TEST(PdfFileTest, ReadsAHybridUpdate) {
  std::string good = testpdf::BuildTestPdf();
  const size_t xref = good.rfind("\nxref\n") + 1;
  const std::string inner = "97 0 <</Hibrido true>>";
  const std::string objstm = "98 0 obj\n<</Type /ObjStm /N 1 /First 5 /Length " + std::to_string(inner.size()) +
                             ">>\nstream\n" + inner + "\nendstream\nendobj\n";
  const size_t objstm_at = good.size();
  const size_t xs_at = objstm_at + objstm.size();
  const std::string rows = std::string("\x02\x00\x00\x00\x62\x00\x00", 7);  // 97: stream 98, index 0
  const std::string xs = "99 0 obj\n<</Type /XRef /Size 100 /W [1 4 2] /Index [97 1] /Length 7>>\nstream\n" + rows +
                         "\nendstream\nendobj\n";
  const size_t table_at = xs_at + xs.size();
  char e98[32], e99[32];
  std::snprintf(e98, sizeof e98, "%010zu 00000 n\r\n", objstm_at);
  std::snprintf(e99, sizeof e99, "%010zu 00000 n\r\n", xs_at);
  const std::string table = "xref\n98 2\n" + std::string(e98) + e99 + "trailer\n<</Size 100 /Root 1 0 R /Prev " +
                            std::to_string(xref) + " /XRefStm " + std::to_string(xs_at) + ">>\nstartxref\n" +
                            std::to_string(table_at) + "\n%%EOF\n";
  auto f = PdfFile::Open(good + objstm + xs + table);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->revisions().size(), 2u);
  EXPECT_TRUE(f->revisions()[1].hybrid);
  auto o = f->GetLatest({97, 0});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  ASSERT_NE(o->Get("Hibrido"), nullptr);
  EXPECT_TRUE(o->Get("Hibrido")->as_bool());
}

// An empty update saved with /Size 1 (Microsoft "Print to PDF", then signed again: the
// public file hello_signed_INCSAVE_signed.pdf) is read, and no object number is reused.
TEST(PdfFileTest, ReadsAnUpdateWhoseSizeShrinks) {
  std::string good = testpdf::BuildTestPdf();
  const size_t xref = good.rfind("\nxref\n") + 1;
  auto one = PdfFile::Open(good);
  ASSERT_TRUE(one.ok());
  const int size = one->Size(0);
  ASSERT_GT(size, 1);
  const size_t table_at = good.size();
  const std::string root = std::to_string(one->revisions()[0].trailer.Get("Root")->ref().num) + " 0 R";
  const std::string empty_update = "xref\n0 1\n0000000000 65535 f\r\ntrailer\n<</Size 1 /Root " + root + " /Prev " +
                                   std::to_string(xref) + ">>\nstartxref\n" + std::to_string(table_at) +
                                   "\n%%EOF\n";
  auto f = PdfFile::Open(good + empty_update);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->revisions().size(), 2u);
  EXPECT_EQ(f->Size(1), size);
  ASSERT_TRUE(f->Catalog(1).ok());
  IncrementalUpdate up(*f);
  EXPECT_EQ(up.Add(Object::MakeDict({})).num, size);
}

// An xref offset that points at the end of line before "N 0 obj" (Microsoft "Print to PDF",
// the public hello_signed_INCSAVE_signed.pdf) names that object; one that points into
// another object's bytes is still refused.
TEST(PdfFileTest, ReadsAnObjectWhoseOffsetPointsAtTheEndOfLineBeforeIt) {
  const std::string good = testpdf::BuildTestPdf();
  auto one = PdfFile::Open(good);
  ASSERT_TRUE(one.ok());
  const int root = one->revisions()[0].trailer.Get("Root")->ref().num;
  const int64_t at = one->revisions()[0].entries.at(root).offset;
  ASSERT_EQ(good[static_cast<size_t>(at) - 1], '\n');
  auto with_offset = [&](int64_t offset) {
    const size_t xref = good.rfind("\nxref\n") + 1;
    char old_entry[32], new_entry[32];
    std::snprintf(old_entry, sizeof old_entry, "%010lld 00000 n", static_cast<long long>(at));
    std::snprintf(new_entry, sizeof new_entry, "%010lld 00000 n", static_cast<long long>(offset));
    std::string bytes = good;
    const size_t entry = bytes.find(old_entry, xref);
    EXPECT_NE(entry, std::string::npos);
    bytes.replace(entry, std::string(old_entry).size(), new_entry);
    return bytes;
  };
  auto early = PdfFile::Open(with_offset(at - 1));
  ASSERT_TRUE(early.ok()) << early.status().ToString();
  auto catalog = early->Catalog(0);
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  EXPECT_NE(catalog->Get("Pages"), nullptr);
  auto inside = PdfFile::Open(with_offset(at + 2));
  if (inside.ok()) {
    EXPECT_FALSE(inside->Catalog(0).ok());
  }
}

// "/Encrypt null" (Acrobat writes it in the cross-reference streams of files that are not
// encrypted: the public pdf-spoofing-attack.pdf) is no encryption; a real /Encrypt that only
// an update adds is still refused.
TEST(PdfFileTest, ANullEncryptIsNoEncryption) {
  const std::string good = testpdf::BuildTestPdf();
  auto one = PdfFile::Open(good);
  ASSERT_TRUE(one.ok());
  const size_t xref = good.rfind("\nxref\n") + 1;
  const std::string root = std::to_string(one->revisions()[0].trailer.Get("Root")->ref().num) + " 0 R";
  auto update = [&](const std::string& encrypt) {
    return good + "xref\n0 1\n0000000000 65535 f\r\ntrailer\n<</Size " + std::to_string(one->Size(0)) +
           " /Root " + root + " /Encrypt " + encrypt + " /Prev " + std::to_string(xref) + ">>\nstartxref\n" +
           std::to_string(good.size()) + "\n%%EOF\n";
  };
  auto f = PdfFile::Open(update("null"));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->revisions().size(), 2u);
  EXPECT_TRUE(f->Catalog(1).ok());
  auto added = PdfFile::Open(update("<</Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4>>"));
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.status().code(), "pdf.encrypted");
}

// A stream whose /Length runs past its `endstream` (a damaged original, as the public
// dss-2236/hide.pdf's metadata) is read up to `endstream` and named in the revision that
// holds it; the file's bytes are not changed.
TEST(PdfFileTest, NamesAStreamLengthThatMissesEndstreamInTheRevisionThatHoldsIt) {
  const std::string good = testpdf::BuildTestPdf();
  auto one = PdfFile::Open(good);
  ASSERT_TRUE(one.ok());
  const Object page = *one->GetLatest(testpdf::PageRef(*one, 0));
  ASSERT_TRUE(page.Get("Contents")->is_ref());
  const Ref contents = page.Get("Contents")->ref();
  const Object stream = *one->GetLatest(contents);
  const std::string length = "/Length " + std::to_string(stream.stream_data().size());
  std::string bad = good;
  const size_t at = bad.find(length, static_cast<size_t>(one->revisions()[0].entries.at(contents.num).offset));
  ASSERT_NE(at, std::string::npos);
  char& digit = bad[at + length.size() - 1];
  digit = digit == '9' ? '0' : '9';  // same width: the offsets hold
  auto f = PdfFile::Open(bad);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto read = f->Get(contents, 0);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->stream_data(), stream.stream_data());
  EXPECT_EQ(f->bytes(), bad);
  ASSERT_EQ(f->notes().size(), 1u);
  EXPECT_EQ(f->notes()[0].code, "ambiguity.stream_length");
  EXPECT_EQ(f->notes()[0].revision, 0u);
  EXPECT_EQ(f->notes()[0].object, contents.num);
}

// Ambiguity is read, not refused: the first value wins and the note names the object.
TEST(PdfFileTest, NamesADictionaryKeyMetTwice) {
  std::string good = testpdf::BuildTestPdf();
  const size_t at = good.find("/Type /Catalog");
  ASSERT_NE(at, std::string::npos);
  std::string twice = good;
  twice.replace(at, 14, "/Type /Catalog");  // same length: offsets hold
  const size_t lang = twice.find("/Pages");
  twice.replace(lang, 6, "/Type ");          // "/Type 2 0 R": the key again
  auto f = PdfFile::Open(twice);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto cat = f->Catalog(0);
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  EXPECT_TRUE(cat->Get("Type")->is_name("Catalog"));
  ASSERT_EQ(f->notes().size(), 1u);
  EXPECT_EQ(f->notes()[0].code, "ambiguity.duplicate_key");
  EXPECT_EQ(f->notes()[0].object, 1);
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
