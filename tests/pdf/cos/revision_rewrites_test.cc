// What other signing tools write again when they sign, judged by value as EU DSS and
// pyHanko judge it: iText 5 rewrites the page with the keys of its /Resources in another
// order and stamps /ITXT into the page tree (the public pkcs7_sha1.pdf); a tool that adds
// an empty signature field for a later signer rewrites the page's /MediaBox with 612 as
// 612.0 (DSS-3226.pdf). The same places changed for real are still named.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>

#include "pdf/cos/test_pdf.h"
#include "rubrica/pdf/cos/acroform.h"
#include "rubrica/pdf/cos/incremental_update.h"
#include "rubrica/pdf/cos/revision_analysis.h"

namespace rubrica::pdf::cos {
namespace {

using testpdf::Update;

Object Box(Object x1, Object y1) { return Object::MakeArray({Object::Int(0), Object::Int(0), x1, y1}); }

// Objects: 1 catalog, 2 page tree, 3 page, 4 form, 5 and 6 fonts, 7 the page's content.
std::string Original() {
  return testpdf::WriteSingleRevision(
      {Object::MakeDict({{"Type", Object::Name("Catalog")},
                         {"Pages", Object::MakeRef({2, 0})},
                         {"AcroForm", Object::MakeRef({4, 0})}}),
       Object::MakeDict({{"Type", Object::Name("Pages")},
                         {"Kids", Object::MakeArray({Object::MakeRef({3, 0})})},
                         {"Count", Object::Int(1)}}),
       Object::MakeDict({{"Type", Object::Name("Page")},
                         {"Parent", Object::MakeRef({2, 0})},
                         {"MediaBox", Box(Object::Int(612), Object::Int(792))},
                         {"Contents", Object::MakeRef({7, 0})},
                         {"Resources", Object::MakeDict({{"ProcSet", Object::MakeArray({Object::Name("PDF"),
                                                                                          Object::Name("Text")})},
                                                         {"Font", Object::MakeDict({{"F1", Object::MakeRef({5, 0})}})}})}}),
       Object::MakeDict({{"Fields", Object::MakeArray()}}),
       Object::MakeDict({{"Type", Object::Name("Font")}, {"Subtype", Object::Name("Type1")},
                         {"BaseFont", Object::Name("Helvetica")}}),
       Object::MakeDict({{"Type", Object::Name("Font")}, {"Subtype", Object::Name("Type1")},
                         {"BaseFont", Object::Name("Courier")}}),
       Object::Stream({}, "BT /F1 12 Tf 72 700 Td (Acta) Tj ET")},
      1);
}

Ref AddField(IncrementalUpdate& up, const std::string& name, std::optional<Ref> value, std::optional<Ref> ap,
             Object rect) {
  Dict d = {{"FT", Object::Name("Sig")}, {"Type", Object::Name("Annot")}, {"Subtype", Object::Name("Widget")},
            {"T", Object::String(name)}, {"P", Object::MakeRef({3, 0})}, {"Rect", std::move(rect)}};
  if (value) d.push_back({"V", Object::MakeRef(*value)});
  if (ap) d.push_back({"AP", Object::MakeDict({{"N", Object::MakeRef(*ap)}})});
  return up.Add(Object::MakeDict(std::move(d)));
}

Object NoRect() { return Box(Object::Int(0), Object::Int(0)); }

// A signing update that adds field `name` (signed, or empty when `value` is false) to the
// page and the form, then lets `edit` rewrite the page and the page tree as a tool would.
std::string AddSignatureField(const std::string& pdf, const std::string& name, bool value,
                              const std::function<void(Object& page, Object& pages)>& edit,
                              Object rect = NoRect(), bool appearance = false) {
  return Update(pdf, [&](const PdfFile& f, IncrementalUpdate& up) {
    std::optional<Ref> sig, ap;
    if (value) {
      sig = up.Add(Object::MakeDict({{"Type", Object::Name("Sig")},
                                     {"ByteRange", Object::MakeArray({Object::Int(0), Object::Int(0),
                                                                      Object::Int(0), Object::Int(0)})},
                                     {"Contents", Object::String("")}}));
    }
    if (appearance) {
      ap = up.Add(Object::Stream({{"Subtype", Object::Name("Form")}, {"BBox", rect}}, "1 1 1 rg 0 0 600 780 re f"));
    }
    const Ref field = AddField(up, name, sig, ap, rect);
    Object form = *f.GetLatest({4, 0});
    form.GetMutable("Fields")->array().push_back(Object::MakeRef(field));
    form.Set("SigFlags", Object::Int(3));
    up.Replace({4, 0}, form);
    Object page = *f.GetLatest({3, 0});
    Object annots = page.Get("Annots") ? *page.Get("Annots") : Object::MakeArray();
    annots.array().push_back(Object::MakeRef(field));
    page.Set("Annots", annots);
    Object pages = *f.GetLatest({2, 0});
    edit(page, pages);
    up.Replace({3, 0}, page);
    if (pages != *f.GetLatest({2, 0})) up.Replace({2, 0}, pages);
  });
}

std::string Findings(const RevisionAnalysis& a) {
  std::string s;
  for (const auto& f : a.findings) s += (f.allowed ? "  allowed " : "  FORBIDDEN ") + f.code + ": " + f.message + "\n";
  return s;
}

bool Forbidden(const RevisionAnalysis& a, const std::string& code, int object) {
  for (const auto& f : a.findings) {
    if (!f.allowed && f.code == code && f.object == object) return true;
  }
  return false;
}

// iText 5 (pkcs7_sha1.pdf): the page written again with its /Resources keys in another
// order, numbers as reals, and /ITXT stamped into the page tree, besides the new widget.
void ITextRewrite(Object& page, Object& pages) {
  page.Set("Resources",
           Object::MakeDict({{"Font", Object::MakeDict({{"F1", Object::MakeRef({5, 0})}})},
                             {"ProcSet", Object::MakeArray({Object::Name("PDF"), Object::Name("Text")})}}));
  page.Set("MediaBox", Box(Object::Real(612.0), Object::Real(792.0)));
  pages.Set("ITXT", Object::String("5.0.0"));
}

TEST(RevisionRewritesTest, AnEqualRewriteOfThePageAndITextsVersionStampAreAllowedWhenSigning) {
  auto file = PdfFile::Open(AddSignatureField(Original(), "Signature2", true, ITextRewrite));
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  auto analysis = AnalyzeRevisions(*file);
  ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
  ASSERT_EQ(analysis->size(), 1u);
  const RevisionAnalysis& a = analysis->front();
  EXPECT_EQ(a.signed_field, "Signature2");
  EXPECT_TRUE(a.ok()) << Findings(a);
  bool stamp = false;
  for (const auto& f : a.findings) stamp = stamp || (f.code == "change.producer_stamp" && f.object == 2);
  EXPECT_TRUE(stamp) << Findings(a);
}

TEST(RevisionRewritesTest, ARealChangeInTheSamePlacesIsStillNamed) {
  struct Case {
    const char* name;
    std::function<void(Object&, Object&)> edit;
    const char* code;
    int object;
  };
  const Case cases[] = {
      {"another font under the same resource name",
       [](Object& page, Object& pages) {
         ITextRewrite(page, pages);
         page.GetMutable("Resources")->Set("Font", Object::MakeDict({{"F1", Object::MakeRef({6, 0})}}));
       },
       "forbidden.page", 3},
      {"a resource added",
       [](Object& page, Object& pages) {
         ITextRewrite(page, pages);
         page.GetMutable("Resources")->GetMutable("Font")->Set("F2", Object::MakeRef({6, 0}));
       },
       "forbidden.page", 3},
      {"a larger media box",
       [](Object& page, Object& pages) {
         ITextRewrite(page, pages);
         page.Set("MediaBox", Box(Object::Real(612.5), Object::Real(792.0)));
       },
       "forbidden.page", 3},
      {"the stamp and a rotation the pages inherit",
       [](Object& page, Object& pages) {
         ITextRewrite(page, pages);
         pages.Set("Rotate", Object::Int(90));
       },
       "forbidden.object", 2},
      {"a version stamp that is not a string",
       [](Object& page, Object& pages) {
         ITextRewrite(page, pages);
         pages.Set("ITXT", Object::MakeRef({6, 0}));
       },
       "forbidden.object", 2},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto file = PdfFile::Open(AddSignatureField(Original(), "Signature2", true, c.edit));
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    auto analysis = AnalyzeRevisions(*file);
    ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
    EXPECT_TRUE(Forbidden(analysis->front(), c.code, c.object)) << Findings(analysis->front());
  }
}

// DSS-3226.pdf: a signature, a revision that only adds an empty signature field for the
// next signer (and writes the page's /MediaBox with reals), then that field signed.
TEST(RevisionRewritesTest, ARevisionThatAddsAnEmptySignatureFieldForTheNextSignerIsAllowed) {
  std::string first = AddSignatureField(Original(), "Signature1", true, [](Object&, Object&) {});
  // The signed page's /MediaBox written with a real, as DSS-3226.pdf's original has it (our
  // writer writes 612.0 as 612): "612." is the same length, so the offsets hold.
  const std::string written = "/MediaBox [0 0 612 792]";
  const size_t at = first.rfind(written);
  ASSERT_NE(at, std::string::npos);
  first.replace(at, written.size(), "/MediaBox[0 0 612. 792]");
  auto signed_file = PdfFile::Open(first);
  ASSERT_TRUE(signed_file.ok()) << signed_file.status().ToString();
  ASSERT_TRUE(signed_file->GetLatest({3, 0})->Get("MediaBox")->array()[2].type() == Object::Type::kReal);
  const std::string prepared = AddSignatureField(first, "Signature2", false, [](Object&, Object&) {});
  const std::string second = Update(prepared, [](const PdfFile& f, IncrementalUpdate& up) {
    auto fields = *ReadFields(f, f.last());
    const Ref sig = up.Add(Object::MakeDict({{"Type", Object::Name("Sig")},
                                             {"ByteRange", Object::MakeArray({Object::Int(0), Object::Int(0),
                                                                              Object::Int(0), Object::Int(0)})},
                                             {"Contents", Object::String("")}}));
    Object field = fields.at("Signature2").dict;
    field.Set("V", Object::MakeRef(sig));
    up.Replace(fields.at("Signature2").ref, field);
  });
  auto file = PdfFile::Open(second);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  auto analysis = AnalyzeRevisions(*file);
  ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
  ASSERT_EQ(analysis->size(), 3u);
  const RevisionAnalysis& added = (*analysis)[1];
  EXPECT_TRUE(added.ok()) << Findings(added);
  EXPECT_EQ(added.signed_field, "");
  bool update = false;
  for (const auto& f : added.findings) update = update || f.code == "change.empty_field_update";
  EXPECT_TRUE(update) << Findings(added);
  EXPECT_TRUE((*analysis)[2].ok()) << Findings((*analysis)[2]);
  EXPECT_EQ((*analysis)[2].signed_field, "Signature2");
}

TEST(RevisionRewritesTest, AnEmptyFieldThatDrawsOrIsNoSignatureFieldIsNamed) {
  const std::string first = AddSignatureField(Original(), "Signature1", true, [](Object&, Object&) {});
  auto findings_of = [](const std::string& pdf) {
    auto file = PdfFile::Open(pdf);
    EXPECT_TRUE(file.ok()) << file.status().ToString();
    auto analysis = AnalyzeRevisions(*file);
    EXPECT_TRUE(analysis.ok()) << analysis.status().ToString();
    return analysis->back();
  };
  // An empty signature field that draws before anyone signs it: here over most of the page,
  // and over a corner (an empty field draws nothing, so any drawing is a new field).
  for (const Object& rect : {Box(Object::Int(600), Object::Int(780)), Box(Object::Int(40), Object::Int(20))}) {
    const RevisionAnalysis cover =
        findings_of(AddSignatureField(first, "Signature2", false, [](Object&, Object&) {}, rect, true));
    EXPECT_FALSE(cover.ok());
    bool new_field = false;
    for (const auto& f : cover.findings) new_field = new_field || (!f.allowed && f.code == "forbidden.new_field");
    EXPECT_TRUE(new_field) << Findings(cover);
  }
  // The same field with an appearance but a widget of no area draws nothing: allowed.
  const RevisionAnalysis hidden = findings_of(AddSignatureField(first, "Signature2", false, [](Object&, Object&) {},
                                                                NoRect(), true));
  EXPECT_TRUE(hidden.ok()) << Findings(hidden);

  // An empty field of another type: a text field for someone to fill after signing.
  const RevisionAnalysis text = findings_of(Update(first, [](const PdfFile& f, IncrementalUpdate& up) {
    const Ref field = up.Add(Object::MakeDict({{"FT", Object::Name("Tx")}, {"Type", Object::Name("Annot")},
                                               {"Subtype", Object::Name("Widget")}, {"T", Object::String("nota")},
                                               {"P", Object::MakeRef({3, 0})}, {"Rect", NoRect()}}));
    Object form = *f.GetLatest({4, 0});
    form.GetMutable("Fields")->array().push_back(Object::MakeRef(field));
    up.Replace({4, 0}, form);
  }));
  EXPECT_FALSE(text.ok());
  bool new_field = false, no_signature = false;
  for (const auto& f : text.findings) {
    new_field = new_field || (!f.allowed && f.code == "forbidden.new_field");
    no_signature = no_signature || (!f.allowed && f.code == "forbidden.no_signature");
  }
  EXPECT_TRUE(new_field) << Findings(text);
  EXPECT_TRUE(no_signature) << Findings(text);
}

}  // namespace
}  // namespace rubrica::pdf::cos
