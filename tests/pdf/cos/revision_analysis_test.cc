#include "rubrica/pdf/cos/revision_analysis.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <utility>

#include "pdf/cos/test_pdf.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/pdf/cos/acroform.h"
#include "rubrica/pdf/cos/incremental_update.h"
#include "rubrica/pdf/cos/signature_update.h"

namespace rubrica::pdf::cos {
namespace {

using testpdf::PageRef;
using testpdf::Update;

std::string Sign(const std::string& pdf, SignatureRequest req) {
  auto file = PdfFile::Open(pdf);
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  auto p = PrepareSignature(*file, req);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_TRUE(EmbedSignature(*p, RandomBytes(2000)).ok());
  return p->bytes;
}

SignatureRequest Cert() {
  SignatureRequest r;
  r.kind = SignatureKind::kCertification;
  r.field = "certificacion";
  return r;
}
SignatureRequest Rubric(int k) {
  SignatureRequest r;
  r.kind = SignatureKind::kRubric;
  r.field = "rubrica_" + std::to_string(k);
  r.mark_field = "marca_" + std::to_string(k);
  r.mark_value = "Rubricado";
  r.mark_initials = "AB";
  return r;
}
SignatureRequest Foot(int k) {
  SignatureRequest r;
  r.kind = SignatureKind::kFoot;
  r.field = "firma_" + std::to_string(k);
  r.appearance_lines = {"Firmado por", "Persona Ficticia"};
  return r;
}

std::string CertifiedAndRubricated() {
  std::string pdf = Sign(testpdf::BuildTestPdf({.pages = 3, .signers = 2}), Cert());
  return Sign(pdf, Rubric(1));
}


TEST(RevisionAnalysisTest, AcceptsCertificationRubricAndFootSignatures) {
  std::string pdf = Sign(Sign(CertifiedAndRubricated(), Foot(1)), Rubric(2));
  auto file = PdfFile::Open(pdf);
  ASSERT_TRUE(file.ok());
  auto analysis = AnalyzeRevisions(*file);
  ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
  ASSERT_EQ(analysis->size(), 4u);
  EXPECT_TRUE((*analysis)[0].certification);
  EXPECT_EQ((*analysis)[0].docmdp_permissions, 2);
  EXPECT_EQ((*analysis)[1].signed_field, "rubrica_1");
  EXPECT_EQ((*analysis)[1].mark_field, "marca_1");
  EXPECT_EQ((*analysis)[2].signed_field, "firma_1");
  EXPECT_EQ((*analysis)[3].mark_field, "marca_2");
  for (const auto& a : *analysis) {
    for (const auto& f : a.findings) EXPECT_TRUE(f.allowed) << a.revision << ": " << f.code << " " << f.message;
  }
}

struct Attack {
  const char* name;
  std::function<std::string(const std::string&)> apply;
  const char* code;
};

TEST(RevisionAnalysisTest, NamesEveryForbiddenChange) {
  const Attack attacks[] = {
      {"page content replaced",
       [](const std::string& pdf) {
         return Update(pdf, [](const PdfFile& f, IncrementalUpdate& up) {
           Ref page = PageRef(f, 0);
           Object p = *f.GetLatest(page);
           Ref c = up.Add(Object::Stream({}, "BT /F1 12 Tf 72 700 Td (Otro texto) Tj ET"));
           p.Set("Contents", Object::MakeRef(c));
           up.Replace(page, p);
         });
       },
       "forbidden.page"},
      {"content stream redefined in place",
       [](const std::string& pdf) {
         return Update(pdf, [](const PdfFile& f, IncrementalUpdate& up) {
           Object p = *f.GetLatest(PageRef(f, 0));
           up.Replace(p.Get("Contents")->ref(), Object::Stream({}, "BT (Texto falso) Tj ET"));
         });
       },
       "forbidden.object"},
      {"annotation added (evil annotation)",
       [](const std::string& pdf) {
         return Update(pdf, [](const PdfFile& f, IncrementalUpdate& up) {
           Ref page = PageRef(f, 0);
           Object p = *f.GetLatest(page);
           Ref annot = up.Add(Object::MakeDict({{"Type", Object::Name("Annot")},
                                                {"Subtype", Object::Name("FreeText")},
                                                {"Rect", Object::MakeArray({Object::Int(0), Object::Int(0),
                                                                            Object::Int(600), Object::Int(800)})},
                                                {"Contents", Object::String("tapado")}}));
           Object annots = *f.Resolve(*p.Get("Annots"), f.last());
           annots.array().push_back(Object::MakeRef(annot));
           p.Set("Annots", annots);
           up.Replace(page, p);
         });
       },
       "forbidden.annotation"},
      {"freed object",
       [](const std::string& pdf) {
         std::string out = Update(pdf, [](const PdfFile&, IncrementalUpdate& up) {
           up.Add(Object::MakeDict({{"Dummy", Object::Int(1)}}));
         });
         // Turn the update's entry into a free one.
         size_t pos = out.rfind(" 00000 n\r\n");
         out.replace(pos, 10, " 00000 f\r\n");
         return out;
       },
       "forbidden.freed_object"},
      {"catalog entry added",
       [](const std::string& pdf) {
         return Update(pdf, [](const PdfFile& f, IncrementalUpdate& up) {
           Object cat = *f.Catalog(f.last());
           cat.Set("OpenAction", Object::MakeArray({Object::MakeRef(PageRef(f, 1)), Object::Name("Fit")}));
           up.Replace(f.revisions().back().trailer.Get("Root")->ref(), cat);
         });
       },
       "forbidden.catalog"},
      {"another signer's mark filled with this rubric",
       [](const std::string& pdf) {
         auto file = PdfFile::Open(pdf);
         SignatureRequest r = Rubric(2);
         r.mark_field = "marca_1";  // rubrica_2 locks marca_2 only; marca_1 is already filled
         auto p = PrepareSignature(*file, r);
         EXPECT_FALSE(p.ok());  // the writer refuses; forge it by hand instead
         return Update(pdf, [](const PdfFile& f, IncrementalUpdate& up) {
           auto fields = *ReadFields(f, f.last());
           Object m = fields.at("marca_2").dict;
           m.Set("V", Object::String("falsa"));
           up.Replace(fields.at("marca_2").ref, m);
         });
       },
       "forbidden.rubric"},
      {"update without any signature",
       [](const std::string& pdf) {
         return Update(pdf, [](const PdfFile&, IncrementalUpdate& up) {
           up.Add(Object::MakeDict({{"Hidden", Object::Int(1)}}));
         });
       },
       "forbidden.no_signature"},
  };
  const std::string base = CertifiedAndRubricated();
  for (const Attack& a : attacks) {
    SCOPED_TRACE(a.name);
    auto file = PdfFile::Open(a.apply(base));
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    auto analysis = AnalyzeRevisions(*file);
    ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
    const RevisionAnalysis& last = analysis->back();
    EXPECT_FALSE(last.ok());
    bool found = false;
    for (const auto& f : last.findings) found = found || (!f.allowed && f.code == a.code);
    EXPECT_TRUE(found) << [&] {
      std::string s;
      for (const auto& f : last.findings) s += f.code + ": " + f.message + "\n";
      return s;
    }();
  }
}

// The first page's content stream and its font /F1, objects an earlier signature covers.
std::pair<Ref, Ref> ContentAndFont(const PdfFile& f) {
  const Object page = *f.GetLatest(PageRef(f, 0));
  return {page.Get("Contents")->ref(), page.Get("Resources")->Get("Font")->Get("F1")->ref()};
}

// Shadow attacks "replace" and "hide-and-replace" (Mainka et al., NDSS 2021): after a
// signature, an update redefines an object the document draws or fills with under its own
// number, or swaps the page tree. Each is named as a manipulation, with its revision and
// object, besides the forbidden change the objects stage reports.
TEST(RevisionAnalysisTest, NamesShadowAttacksAfterASignatureWithRevisionAndObject) {
  const std::string base = CertifiedAndRubricated();
  auto signed_file = PdfFile::Open(base);
  ASSERT_TRUE(signed_file.ok());
  const Object page = *signed_file->GetLatest(PageRef(*signed_file, 0));
  const auto [content_ref, font_ref] = ContentAndFont(*signed_file);
  const Ref content = content_ref, font = font_ref;
  auto fields = ReadFields(*signed_file, signed_file->last());
  ASSERT_TRUE(fields.ok());
  const Field mark = fields->at("marca_1");
  ASSERT_TRUE(mark.dict.Get("V") != nullptr);
  ASSERT_FALSE(mark.widgets.empty());
  const Object mark_widget = *signed_file->GetLatest(mark.widgets[0]);
  const Ref mark_ap = mark_widget.Get("AP")->Get("N")->ref();
  int new_pages = 0;
  const struct {
    const char* name;
    std::function<void(const PdfFile&, IncrementalUpdate&)> edit;
    const char* code;
    std::function<int()> object;
  } cases[] = {
      {"replace: the page's content stream redefined",
       [&](const PdfFile&, IncrementalUpdate& up) { up.Replace(content, Object::Stream({}, "BT (Texto falso) Tj ET")); },
       "manipulation.shadow_replace", [&] { return content.num; }},
      {"replace: the page's font redefined",
       [&](const PdfFile& f, IncrementalUpdate& up) {
         Object fo = *f.GetLatest(font);
         fo.Set("BaseFont", Object::Name("Courier"));
         up.Replace(font, fo);
       },
       "manipulation.shadow_replace", [&] { return font.num; }},
      {"replace: a filled form field's appearance redefined",
       [&](const PdfFile& f, IncrementalUpdate& up) {
         Object ap = *f.GetLatest(mark_ap);
         up.Replace(mark_ap, Object::Stream(ap.dict(), "BT /RbSans 8 Tf (Otra) Tj ET"));
       },
       "manipulation.shadow_replace", [&] { return mark_ap.num; }},
      {"replace: a filled form field's value redefined",
       [&](const PdfFile&, IncrementalUpdate& up) {
         Object m = mark.dict;
         m.Set("V", Object::String("Rechazado"));
         up.Replace(mark.ref, m);
       },
       "manipulation.shadow_replace", [&] { return mark.ref.num; }},
      {"hide-and-replace: the catalog points at another page tree",
       [&](const PdfFile& f, IncrementalUpdate& up) {
         Ref shadow_pages{f.Size(f.last()) + 1, 0};  // the page below is added first
         Ref shadow_page = up.Add(Object::MakeDict({{"Type", Object::Name("Page")},
                                                    {"Parent", Object::MakeRef(shadow_pages)},
                                                    {"MediaBox", *page.Get("MediaBox")},
                                                    {"Contents", Object::MakeRef(content)}}));
         EXPECT_EQ(up.Add(Object::MakeDict({{"Type", Object::Name("Pages")},
                                            {"Kids", Object::MakeArray({Object::MakeRef(shadow_page)})},
                                            {"Count", Object::Int(1)}})),
                   shadow_pages);
         new_pages = shadow_pages.num;
         Object cat = *f.Catalog(f.last());
         cat.Set("Pages", Object::MakeRef(shadow_pages));
         up.Replace(f.revisions().back().trailer.Get("Root")->ref(), cat);
       },
       "manipulation.shadow_hide_and_replace", [&] { return new_pages; }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto file = PdfFile::Open(Update(base, c.edit));
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    auto analysis = AnalyzeRevisions(*file);
    ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
    const RevisionAnalysis& last = analysis->back();
    EXPECT_EQ(last.revision, file->last());
    EXPECT_FALSE(last.ok());
    bool named = false;
    std::string all;
    for (const auto& f : last.findings) {
      all += f.code + " (" + std::to_string(f.object) + "): " + f.message + "\n";
      named = named || (!f.allowed && f.code == c.code && f.object == c.object() &&
                        f.message.find("revision " + std::to_string(file->last())) != std::string::npos);
    }
    EXPECT_TRUE(named) << "expected " << c.code << " on object " << c.object() << " in:\n" << all;
  }
}

// Shadow attack "hide" as the public dss-2236/hide.pdf makes it: after a signature, an
// update lists two signed objects (here the page's font and its content) at the offset of one
// new object; the other one is hidden. Named on the hidden object, with its revision; the
// redefined one is named as "replace".
TEST(RevisionAnalysisTest, NamesTheHideAttackThatListsASignedObjectAtAnotherObjectsOffset) {
  const std::string base = CertifiedAndRubricated();
  auto signed_file = PdfFile::Open(base);
  ASSERT_TRUE(signed_file.ok());
  const auto [content_ref, font_ref] = ContentAndFont(*signed_file);
  const Ref content = content_ref, font = font_ref;
  const Revision& last = signed_file->revisions().back();
  const std::string at = [&] {
    char entry[32];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n\r\n", base.size());
    return std::string(entry);
  }();
  std::string pdf = base + std::to_string(content.num) +
                    " 0 obj\n<< /Length 22 >>\nstream\nBT (Texto falso) Tj ET\nendstream\nendobj\n";
  const size_t xref = pdf.size();
  const int low = std::min(font.num, content.num), high = std::max(font.num, content.num);
  pdf += "xref\n0 1\n0000000000 65535 f\r\n" + std::to_string(low) + " 1\n" + at + std::to_string(high) + " 1\n" +
         at + "trailer\n<</Size " +
         std::to_string(signed_file->Size(signed_file->last())) + " /Root " +
         std::to_string(last.trailer.Get("Root")->ref().num) + " 0 R /Prev " + std::to_string(last.xref_offset) +
         ">>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  auto file = PdfFile::Open(pdf);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  auto hidden = file->Get(font, file->last());
  ASSERT_TRUE(hidden.ok()) << hidden.status().ToString();
  EXPECT_TRUE(hidden->is_null());
  auto analysis = AnalyzeRevisions(*file);
  ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
  const RevisionAnalysis& hide = analysis->back();
  bool hide_named = false, replace_named = false;
  std::string all;
  for (const auto& f : hide.findings) {
    all += f.code + " (" + std::to_string(f.object) + "): " + f.message + "\n";
    hide_named = hide_named || (!f.allowed && f.code == "manipulation.shadow_hide" && f.object == font.num &&
                                f.message.find("revision " + std::to_string(file->last())) != std::string::npos);
    replace_named = replace_named || (!f.allowed && f.code == "manipulation.shadow_replace" && f.object == content.num);
  }
  EXPECT_TRUE(hide_named) << all;
  EXPECT_TRUE(replace_named) << all;
}

// Before any signature there is nothing to shadow: the same redefinition is a forbidden
// change, not named as an attack after signing.
TEST(RevisionAnalysisTest, ARedefinitionBeforeAnySignatureIsNotNamedAShadowAttack) {
  const std::string pdf = Update(testpdf::BuildTestPdf(), [](const PdfFile& f, IncrementalUpdate& up) {
    Object p = *f.GetLatest(PageRef(f, 0));
    up.Replace(p.Get("Contents")->ref(), Object::Stream({}, "BT (Texto falso) Tj ET"));
  });
  auto file = PdfFile::Open(pdf);
  ASSERT_TRUE(file.ok());
  auto analysis = AnalyzeRevisions(*file);
  ASSERT_TRUE(analysis.ok());
  bool forbidden = false, named = false;
  for (const auto& f : analysis->back().findings) {
    forbidden = forbidden || (!f.allowed && f.code == "forbidden.object");
    named = named || f.code.rfind("manipulation.shadow", 0) == 0;
  }
  EXPECT_TRUE(forbidden);
  EXPECT_FALSE(named);
}

// A form written inside the catalog (not as its own object) and a signature widget whose
// /AP is an object of its own, as the signing tool of EU DSS's public files
// muestra-firmado-firmado.pdf and Signature-P-HU_POL-3.pdf writes them: signing appends the
// new field to the inline /Fields and sets /SigFlags, which is allowed; any other change of
// that form is still named.
TEST(RevisionAnalysisTest, AFormInsideTheCatalogMayGainTheNewSignatureField) {
  auto pages_dict = [](int page) {
    return Object::MakeDict({{"Type", Object::Name("Pages")},
                             {"Kids", Object::MakeArray({Object::MakeRef({page, 0})})},
                             {"Count", Object::Int(1)}});
  };
  const Object box = Object::MakeArray({Object::Int(0), Object::Int(0), Object::Int(612), Object::Int(792)});
  const std::string original = testpdf::WriteSingleRevision(
      {Object::MakeDict({{"Type", Object::Name("Catalog")},
                         {"Pages", Object::MakeRef({2, 0})},
                         {"AcroForm", Object::MakeDict({{"Fields", Object::MakeArray()}})}}),
       pages_dict(3),
       Object::MakeDict({{"Type", Object::Name("Page")}, {"Parent", Object::MakeRef({2, 0})}, {"MediaBox", box}})},
      1);
  auto sign = [&](const std::string& extra_form_key) {
    return Update(original, [&](const PdfFile& f, IncrementalUpdate& up) {
      Ref sig = up.Add(Object::MakeDict({{"Type", Object::Name("Sig")},
                                         {"ByteRange", Object::MakeArray({Object::Int(0), Object::Int(0),
                                                                          Object::Int(0), Object::Int(0)})},
                                         {"Contents", Object::String("")}}));
      Ref n = up.Add(Object::Stream({{"Subtype", Object::Name("Form")}, {"BBox", box}}, ""));
      Ref ap = up.Add(Object::MakeDict({{"N", Object::MakeRef(n)}}));
      Ref field = up.Add(Object::MakeDict(
          {{"FT", Object::Name("Sig")}, {"Type", Object::Name("Annot")}, {"Subtype", Object::Name("Widget")},
           {"T", Object::String("Signature1")}, {"V", Object::MakeRef(sig)}, {"P", Object::MakeRef({3, 0})},
           {"Rect", Object::MakeArray({Object::Int(0), Object::Int(0), Object::Int(0), Object::Int(0)})},
           {"AP", Object::MakeRef(ap)}}));
      Object cat = *f.Catalog(0);
      Object form = Object::MakeDict({{"Fields", Object::MakeArray({Object::MakeRef(field)})},
                                      {"SigFlags", Object::Int(3)}});
      if (!extra_form_key.empty()) form.Set(extra_form_key, Object::Bool(true));
      cat.Set("AcroForm", form);
      up.Replace({1, 0}, cat);
      Object page = *f.Get({3, 0}, 0);
      page.Set("Annots", Object::MakeArray({Object::MakeRef(field)}));
      up.Replace({3, 0}, page);
    });
  };
  auto file = PdfFile::Open(sign(""));
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  auto analysis = AnalyzeRevisions(*file);
  ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
  ASSERT_EQ(analysis->size(), 1u);
  EXPECT_EQ(analysis->front().signed_field, "Signature1");
  for (const auto& f : analysis->front().findings) EXPECT_TRUE(f.allowed) << f.code << " " << f.message;

  auto changed = PdfFile::Open(sign("NeedAppearances"));
  ASSERT_TRUE(changed.ok());
  auto named = AnalyzeRevisions(*changed);
  ASSERT_TRUE(named.ok());
  bool catalog = false;
  for (const auto& f : named->front().findings) catalog = catalog || (!f.allowed && f.code == "forbidden.catalog");
  EXPECT_TRUE(catalog);
}

// A tagged PDF (Word, then iText: the public pdf-structtreeroot-changes.pdf): signing adds
// the widget's structure element (an /OBJR of the new widget), lists it in its parent's /K
// and in a new /ParentTree; allowed. A structure element that is not the new widget's is
// still named.
TEST(RevisionAnalysisTest, ATaggedPdfMayGainTheStructureElementOfTheNewSignatureWidget) {
  const Object box = Object::MakeArray({Object::Int(0), Object::Int(0), Object::Int(612), Object::Int(792)});
  const std::string original = testpdf::WriteSingleRevision(
      {Object::MakeDict({{"Type", Object::Name("Catalog")},
                         {"Pages", Object::MakeRef({2, 0})},
                         {"StructTreeRoot", Object::MakeRef({4, 0})},
                         {"AcroForm", Object::MakeRef({7, 0})}}),
       Object::MakeDict({{"Type", Object::Name("Pages")},
                         {"Kids", Object::MakeArray({Object::MakeRef({3, 0})})},
                         {"Count", Object::Int(1)}}),
       Object::MakeDict({{"Type", Object::Name("Page")}, {"Parent", Object::MakeRef({2, 0})}, {"MediaBox", box}}),
       Object::MakeDict({{"Type", Object::Name("StructTreeRoot")},
                         {"K", Object::MakeArray({Object::MakeRef({5, 0})})},
                         {"ParentTree", Object::MakeRef({6, 0})},
                         {"ParentTreeNextKey", Object::Int(1)}}),
       Object::MakeDict({{"Type", Object::Name("StructElem")},
                         {"S", Object::Name("Document")},
                         {"P", Object::MakeRef({4, 0})},
                         {"K", Object::MakeArray()}}),
       Object::MakeDict({{"Nums", Object::MakeArray()}}),
       Object::MakeDict({{"Fields", Object::MakeArray()}})},
      1);
  auto sign = [&](bool tag_the_widget) {
    return Update(original, [&](const PdfFile& f, IncrementalUpdate& up) {
      Ref sig = up.Add(Object::MakeDict({{"Type", Object::Name("Sig")},
                                         {"ByteRange", Object::MakeArray({Object::Int(0), Object::Int(0),
                                                                          Object::Int(0), Object::Int(0)})},
                                         {"Contents", Object::String("")}}));
      Ref field = up.Add(Object::MakeDict(
          {{"FT", Object::Name("Sig")}, {"Type", Object::Name("Annot")}, {"Subtype", Object::Name("Widget")},
           {"T", Object::String("sign4")}, {"V", Object::MakeRef(sig)}, {"P", Object::MakeRef({3, 0})},
           {"Rect", Object::MakeArray({Object::Int(0), Object::Int(0), Object::Int(0), Object::Int(0)})}}));
      Ref tagged = tag_the_widget ? field : Ref{3, 0};  // else: the page itself
      Ref elem = up.Add(Object::MakeDict(
          {{"Type", Object::Name("StructElem")}, {"S", Object::Name("Form")}, {"P", Object::MakeRef({5, 0})},
           {"K", Object::MakeDict({{"Type", Object::Name("OBJR")}, {"Obj", Object::MakeRef(tagged)}})}}));
      Ref tree = up.Add(Object::MakeDict({{"Nums", Object::MakeArray({Object::Int(0), Object::MakeRef(elem)})}}));
      Object root = *f.Get({4, 0}, 0);
      root.Set("ParentTree", Object::MakeRef(tree));
      root.Set("ParentTreeNextKey", Object::Int(2));
      up.Replace({4, 0}, root);
      Object doc = *f.Get({5, 0}, 0);
      doc.Set("K", Object::MakeArray({Object::MakeRef(elem)}));
      up.Replace({5, 0}, doc);
      up.Replace({7, 0}, Object::MakeDict({{"Fields", Object::MakeArray({Object::MakeRef(field)})},
                                           {"SigFlags", Object::Int(3)}}));
      Object page = *f.Get({3, 0}, 0);
      page.Set("Annots", Object::MakeArray({Object::MakeRef(field)}));
      up.Replace({3, 0}, page);
    });
  };
  auto file = PdfFile::Open(sign(true));
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  auto analysis = AnalyzeRevisions(*file);
  ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
  ASSERT_EQ(analysis->size(), 1u);
  EXPECT_EQ(analysis->front().signed_field, "sign4");
  bool structure = false;
  for (const auto& f : analysis->front().findings) {
    EXPECT_TRUE(f.allowed) << f.code << " " << f.message;
    structure = structure || f.code == "change.structure_tree";
  }
  EXPECT_TRUE(structure);

  auto other = PdfFile::Open(sign(false));
  ASSERT_TRUE(other.ok());
  auto named = AnalyzeRevisions(*other);
  ASSERT_TRUE(named.ok());
  bool new_object = false;
  for (const auto& f : named->front().findings) new_object = new_object || (!f.allowed && f.code == "forbidden.new_object");
  EXPECT_TRUE(new_object);
}

TEST(RevisionAnalysisTest, SneakySignatureFieldIsANewField) {
  std::string pdf = Update(CertifiedAndRubricated(), [](const PdfFile& f, IncrementalUpdate& up) {
    auto form_ref = f.Catalog(f.last())->Get("AcroForm")->ref();
    Object form = *f.GetLatest(form_ref);
    Ref sig = up.Add(Object::MakeDict({{"Type", Object::Name("Sig")}}));
    Ref ap = up.Add(Object::Stream({{"Subtype", Object::Name("Form")},
                                    {"BBox", Object::MakeArray({Object::Int(0), Object::Int(0), Object::Int(600), Object::Int(800)})}},
                                   "1 1 1 rg 0 0 600 800 re f"));
    Ref field = up.Add(Object::MakeDict({{"FT", Object::Name("Sig")},
                                         {"T", Object::String("furtiva")},
                                         {"V", Object::MakeRef(sig)},
                                         {"Rect", Object::MakeArray({Object::Int(0), Object::Int(0), Object::Int(600), Object::Int(800)})},
                                         {"AP", Object::MakeDict({{"N", Object::MakeRef(ap)}})}}));
    form.GetMutable("Fields")->array().push_back(Object::MakeRef(field));
    up.Replace(form_ref, form);
  });
  auto file = PdfFile::Open(pdf);
  ASSERT_TRUE(file.ok());
  auto analysis = AnalyzeRevisions(*file);
  ASSERT_TRUE(analysis.ok());
  bool new_field = false;
  for (const auto& f : analysis->back().findings) new_field = new_field || f.code == "forbidden.new_field";
  EXPECT_TRUE(new_field);
  EXPECT_FALSE(analysis->back().ok());
}

TEST(RevisionAnalysisTest, CertificationMustComeFirst) {
  std::string pdf = Sign(Sign(testpdf::BuildTestPdf(), Foot(1)), Cert());
  auto file = PdfFile::Open(pdf);
  ASSERT_TRUE(file.ok());
  auto analysis = AnalyzeRevisions(*file);
  ASSERT_TRUE(analysis.ok());
  bool found = false;
  for (const auto& f : analysis->back().findings) found = found || f.code == "forbidden.certification_not_first";
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace rubrica::pdf::cos
