// The approved version's contract with the incremental signing writer: one classic-xref
// revision, exactly the fields it fills later, one rubric widget per page, and the
// embedded required-signer list. Judged with qpdf and with the COS reader of pdf/.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "render_support.h"
#include "rubrica/base/files.h"
#include "rubrica/pdf/cos/acroform.h"
#include "rubrica/pdf/cos/pdf_file.h"
#include "rubrica/pdf/cos/signature_update.h"
#include "rubrica/pdf/signature_plan.h"

namespace rubrica::pdf::testing {
namespace {

const char* const kFixtures[] = {kZamora, kLongMinute};

void ExpectRect(const Poco::Dynamic::Var& pdf_rect, const Rect& expected, const std::string& what) {
  const std::vector<double> r = Numbers(pdf_rect);
  ASSERT_EQ(r.size(), 4u) << what;
  EXPECT_NEAR(r[0], expected.left, 0.005) << what;
  EXPECT_NEAR(r[1], expected.bottom, 0.005) << what;
  EXPECT_NEAR(r[2], expected.right, 0.005) << what;
  EXPECT_NEAR(r[3], expected.top, 0.005) << what;
}

std::vector<std::string> Annots(const QpdfDoc& doc, const std::string& page) {
  std::vector<std::string> out;
  auto d = doc.Dict(page);
  if (!d->has("/Annots")) return out;
  auto a = d->getArray("/Annots");
  for (size_t i = 0; i < a->size(); ++i) out.push_back(a->get(static_cast<unsigned>(i)).toString());
  return out;
}

TEST(ApprovedFormTest, HasExactlyTheFieldsOfTheContract) {
  for (const char* fixture : kFixtures) {
    SCOPED_TRACE(fixture);
    const RenderedActa& r = Rendered(fixture, Mode::kApproved);
    const int n = static_cast<int>(r.rubric_slots.size());
    ASSERT_EQ(static_cast<int>(r.foot_slots.size()), n);
    ASSERT_GT(n, 0);
    QpdfDoc doc(RenderedFile(fixture, Mode::kApproved));
    // Widget pages per field name, as qpdf sees them.
    std::map<std::string, std::vector<int>> widget_pages;
    std::map<std::string, std::string> types;
    auto fields = doc.Fields();
    for (size_t i = 0; i < fields->size(); ++i) {
      auto f = fields->getObject(static_cast<unsigned>(i));
      const std::string name = f->getValue<std::string>("fullname");
      widget_pages[name].push_back(f->getValue<int>("pageposfrom1"));
      types[name] = f->getValue<std::string>("fieldtype");
    }
    std::map<std::string, std::vector<int>> expected;
    expected["certificacion"] = {1};
    std::vector<int> every_page;
    for (int p = 1; p <= r.pages; ++p) every_page.push_back(p);
    for (int k = 1; k <= n; ++k) {
      expected[RubricFieldName(k)] = {1};
      expected[MarkFieldName(k)] = every_page;
      expected[FootFieldName(k)] = {r.foot_slots[k - 1].page};
    }
    EXPECT_EQ(widget_pages, expected);
    for (const auto& [name, type] : types) {
      EXPECT_EQ(type, name.rfind("marca_", 0) == 0 ? "/Tx" : "/Sig") << name;
    }
    // The foot slots are on the last page(s): the signature block closes the document.
    EXPECT_GE(r.foot_slots.back().page, r.pages - 1);
  }
}

// A document one seal signs (the constancia de verificación): its form is the seal's
// visible firma_1 alone, nothing else that a reader would list as an empty signature
// field, and no signer list naming fields that do not exist.
TEST(ApprovedFormTest, SingleSealFieldFormHoldsTheSealsFieldAlone) {
  const ActaDocument acta = LoadActa(kZamora);
  SignaturePlan plan = PlanFromPreview(acta);
  plan.signers.resize(1);
  RenderOptions options = ApprovedOptions(plan);
  options.single_seal_field = true;
  auto r = RenderActa(acta, options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->rubric_slots.empty());
  ASSERT_EQ(r->foot_slots.size(), 1u);
  EXPECT_TRUE(r->signer_list_json.empty());
  rubrica::testing::TempDir dir;
  const std::string path = dir / "sello.pdf";
  ASSERT_TRUE(WriteFileAtomic(path, r->pdf).ok());
  Tool({"qpdf", "--check", path});
  QpdfDoc doc(path);
  std::map<std::string, std::vector<int>> widget_pages;
  std::map<std::string, std::string> types;
  auto fields = doc.Fields();
  for (size_t i = 0; i < fields->size(); ++i) {
    auto f = fields->getObject(static_cast<unsigned>(i));
    widget_pages[f->getValue<std::string>("fullname")].push_back(f->getValue<int>("pageposfrom1"));
    types[f->getValue<std::string>("fullname")] = f->getValue<std::string>("fieldtype");
  }
  const std::map<std::string, std::vector<int>> expected = {{FootFieldName(1), {r->foot_slots[0].page}}};
  EXPECT_EQ(widget_pages, expected);
  EXPECT_EQ(types[FootFieldName(1)], "/Sig");
  auto attachments = doc.json()->getObject("attachments");
  EXPECT_TRUE(!attachments || attachments->size() == 0) << "no firmantes.json";
  auto catalog = doc.Dict(doc.Trailer()->getValue<std::string>("/Root"));
  EXPECT_FALSE(catalog->has("/AF"));
  EXPECT_FALSE(catalog->has("/Names"));
}

TEST(ApprovedFormTest, FieldDictionariesFollowTheContract) {
  for (const char* fixture : kFixtures) {
    SCOPED_TRACE(fixture);
    const RenderedActa& r = Rendered(fixture, Mode::kApproved);
    QpdfDoc doc(RenderedFile(fixture, Mode::kApproved));
    const std::vector<std::string> pages = doc.Pages();
    ASSERT_EQ(static_cast<int>(pages.size()), r.pages);
    auto catalog = doc.Dict(doc.Trailer()->getValue<std::string>("/Root"));
    const std::string acroform_ref = catalog->getValue<std::string>("/AcroForm");
    ASSERT_NE(acroform_ref.find(" 0 R"), std::string::npos) << "indirect /AcroForm";
    auto acroform = doc.Dict(acroform_ref);
    EXPECT_EQ(acroform->getValue<int>("/SigFlags"), 3);
    EXPECT_EQ(acroform->getValue<std::string>("/DA"), "u:/RbSans 0 Tf 0 g");
    auto dr_fonts = acroform->getObject("/DR")->getObject("/Font");
    EXPECT_EQ(dr_fonts->size(), 2u);
    for (const char* name : {"/RbSans", "/RbSansB"}) {
      auto font = doc.Dict(dr_fonts->getValue<std::string>(name));
      ASSERT_TRUE(font) << name;
      EXPECT_EQ(font->getValue<std::string>("/Subtype"), "/TrueType");
      EXPECT_EQ(font->getValue<std::string>("/Encoding"), "/WinAnsiEncoding");
      EXPECT_EQ(font->getValue<std::string>("/BaseFont").find('+'), 7u) << "/ABCDEF+...";
      // The same font objects the pages use.
      EXPECT_EQ(doc.Dict(pages[0])
                    ->getObject("/Resources")
                    ->getObject("/Font")
                    ->getValue<std::string>(name),
                dr_fonts->getValue<std::string>(name));
    }

    std::map<std::string, std::string> by_name;  // field name -> object
    auto list = acroform->getArray("/Fields");
    for (size_t i = 0; i < list->size(); ++i) {
      const std::string ref = list->get(static_cast<unsigned>(i)).toString();
      ASSERT_NE(ref.find(" 0 R"), std::string::npos) << "fields are indirect";
      by_name[doc.Dict(ref)->getValue<std::string>("/T").substr(2)] = ref;
    }
    const size_t n = r.rubric_slots.size();
    EXPECT_EQ(by_name.size(), 1 + 3 * n);
    const std::vector<std::string> page1_annots = Annots(doc, pages[0]);
    auto in = [](const std::vector<std::string>& v, const std::string& x) {
      return std::find(v.begin(), v.end(), x) != v.end();
    };

    auto expect_hidden_signature = [&](const std::string& name) {
      ASSERT_TRUE(by_name.count(name)) << name;
      auto f = doc.Dict(by_name[name]);
      EXPECT_EQ(f->getValue<std::string>("/FT"), "/Sig") << name;
      EXPECT_EQ(f->getValue<std::string>("/Type"), "/Annot") << name;
      EXPECT_EQ(f->getValue<std::string>("/Subtype"), "/Widget") << name;
      ExpectRect(f->get("/Rect"), Rect{0, 0, 0, 0}, name);
      EXPECT_EQ(f->getValue<int>("/F"), 132) << name;
      EXPECT_EQ(f->getValue<std::string>("/P"), pages[0]) << name;
      EXPECT_FALSE(f->has("/V")) << name;
      EXPECT_TRUE(in(page1_annots, by_name[name])) << name;
    };
    expect_hidden_signature("certificacion");
    for (size_t i = 0; i < n; ++i) {
      const int k = static_cast<int>(i) + 1;
      const std::string rubric = RubricFieldName(k), mark = MarkFieldName(k),
                        foot = FootFieldName(k);
      expect_hidden_signature(rubric);
      auto lock = doc.Dict(by_name[rubric])->getObject("/Lock");
      ASSERT_TRUE(lock) << rubric;
      EXPECT_EQ(lock->getValue<std::string>("/Type"), "/SigFieldLock");
      EXPECT_EQ(lock->getValue<std::string>("/Action"), "/Include");
      EXPECT_EQ(lock->getArray("/Fields")->get(0).toString(), "u:" + mark);
      EXPECT_EQ(lock->getArray("/Fields")->size(), 1u);

      auto m = doc.Dict(by_name[mark]);
      EXPECT_EQ(m->getValue<std::string>("/FT"), "/Tx");
      EXPECT_EQ(m->getValue<int>("/Ff"), 0);
      EXPECT_EQ(m->getValue<std::string>("/DA"), "u:/RbSans 0 Tf 0 g");
      EXPECT_FALSE(m->has("/V"));
      auto kids = m->getArray("/Kids");
      ASSERT_EQ(static_cast<int>(kids->size()), r.pages) << mark;
      std::set<std::string> appearances;
      for (size_t p = 0; p < kids->size(); ++p) {
        const std::string widget_ref = kids->get(static_cast<unsigned>(p)).toString();
        auto w = doc.Dict(widget_ref);
        EXPECT_EQ(w->getValue<std::string>("/Type"), "/Annot");
        EXPECT_EQ(w->getValue<std::string>("/Subtype"), "/Widget");
        EXPECT_EQ(w->getValue<std::string>("/Parent"), by_name[mark]);
        EXPECT_EQ(w->getValue<std::string>("/P"), pages[p]);
        EXPECT_EQ(w->getValue<int>("/F"), 4);
        ExpectRect(w->get("/Rect"), r.rubric_slots[i], mark);
        EXPECT_TRUE(in(Annots(doc, pages[p]), widget_ref)) << mark << " page " << p + 1;
        appearances.insert(w->getObject("/AP")->getValue<std::string>("/N"));
      }
      ASSERT_EQ(appearances.size(), 1u) << "one shared appearance for " << mark;
      const std::string xobject = *appearances.begin();
      ASSERT_TRUE(doc.IsStream(xobject));
      auto x = doc.Dict(xobject);
      EXPECT_EQ(x->getValue<std::string>("/Subtype"), "/Form");
      ExpectRect(x->get("/BBox"), Rect{0, 0, r.rubric_slots[i].width(), r.rubric_slots[i].height()},
                 mark);
      EXPECT_EQ(x->getValue<int>("/Length"), 0);

      auto f = doc.Dict(by_name[foot]);
      EXPECT_EQ(f->getValue<std::string>("/FT"), "/Sig");
      EXPECT_EQ(f->getValue<std::string>("/Subtype"), "/Widget");
      EXPECT_EQ(f->getValue<int>("/F"), 4);
      ExpectRect(f->get("/Rect"), r.foot_slots[i].rect, foot);
      EXPECT_EQ(f->getValue<std::string>("/P"), pages[r.foot_slots[i].page - 1]);
      EXPECT_TRUE(in(Annots(doc, pages[r.foot_slots[i].page - 1]), by_name[foot]));
      const std::string foot_ap = f->getObject("/AP")->getValue<std::string>("/N");
      ASSERT_TRUE(doc.IsStream(foot_ap));
      EXPECT_EQ(doc.Dict(foot_ap)->getValue<std::string>("/Subtype"), "/Form");
    }
  }
}

TEST(ApprovedFormTest, RubricSlotsStackInsideTheStripAndFootSlotsInsideTheText) {
  for (const char* fixture : kFixtures) {
    const RenderedActa& r = Rendered(fixture, Mode::kApproved);
    for (size_t i = 0; i < r.rubric_slots.size(); ++i) {
      const Rect& s = r.rubric_slots[i];
      EXPECT_GT(s.left, r.margin_strip.left);
      EXPECT_LE(s.right, r.margin_strip.right);
      EXPECT_GE(s.bottom, r.margin_strip.bottom);
      EXPECT_LE(s.top, r.margin_strip.top);
      EXPECT_GT(s.height(), 20);
      if (i > 0) {
        EXPECT_LE(s.top, r.rubric_slots[i - 1].bottom) << "slots do not overlap";
      }
      const Rect& f = r.foot_slots[i].rect;
      EXPECT_GE(f.left, r.text_area.left);
      EXPECT_LE(f.right, r.text_area.right);
      EXPECT_GE(f.bottom, r.text_area.bottom);
      EXPECT_GT(f.height(), 40);
    }
  }
}

TEST(ApprovedFormTest, EmbeddedSignerListRoundTrips) {
  for (const char* fixture : kFixtures) {
    SCOPED_TRACE(fixture);
    const RenderedActa& r = Rendered(fixture, Mode::kApproved);
    const std::string path = RenderedFile(fixture, Mode::kApproved);
    const std::string json = Tool({"qpdf", "--show-attachment=firmantes.json", path});
    EXPECT_EQ(json, r.signer_list_json);
    auto list = SignerListFromJson(json);
    ASSERT_TRUE(list.ok()) << list.status().ToString();
    const ActaDocument acta = LoadActa(fixture);
    const SignaturePlan plan = PlanFromPreview(acta);
    const SignerList expected =
        MakeSignerList({acta.id, acta.title, std::string(ActaKindName(acta.kind)), acta.secretariat,
                        plan.approved_on, plan.time_zone, 3},
                       plan);
    EXPECT_EQ(*list, expected);

    QpdfDoc doc(path);
    auto attachments = doc.json()->getObject("attachments");
    ASSERT_TRUE(attachments->has("firmantes.json"));
    auto a = attachments->getObject("firmantes.json");
    EXPECT_EQ(a->getObject("names")->getValue<std::string>("/F"), "firmantes.json");
    EXPECT_EQ(a->getObject("names")->getValue<std::string>("/UF"), "firmantes.json");
    EXPECT_EQ(a->getObject("streams")->getObject("/F")->getValue<std::string>("mimetype"),
              "application/json");
    const std::string filespec = a->getValue<std::string>("filespec");
    EXPECT_EQ(doc.Dict(filespec)->getValue<std::string>("/AFRelationship"), "/Data");
    auto catalog = doc.Dict(doc.Trailer()->getValue<std::string>("/Root"));
    auto af = catalog->getArray("/AF");
    ASSERT_TRUE(af);
    EXPECT_EQ(af->get(0).toString(), filespec);
  }
}

TEST(ApprovedFormTest, OneRevisionWithAClassicXrefTable) {
  for (const char* fixture : kFixtures) {
    SCOPED_TRACE(fixture);
    const std::string& pdf = Rendered(fixture, Mode::kApproved).pdf;
    EXPECT_EQ(pdf.rfind("%PDF-1.7\n", 0), 0u);
    auto count = [&](const std::string& needle) {
      size_t n = 0;
      for (size_t at = pdf.find(needle); at != std::string::npos; at = pdf.find(needle, at + 1))
        ++n;
      return n;
    };
    EXPECT_EQ(count("%%EOF"), 1u);
    EXPECT_EQ(count("startxref"), 1u);
    EXPECT_EQ(count("\ntrailer"), 1u);
    for (const char* forbidden : {"/ObjStm", "/XRef", "/Encrypt", "/Prev", "/XRefStm"}) {
      EXPECT_EQ(count(forbidden), 0u) << forbidden;
    }
    // startxref points at the `xref` keyword of a classic table.
    const size_t sx = pdf.rfind("startxref");
    const size_t offset = std::stoul(pdf.substr(sx + 10));
    EXPECT_EQ(pdf.substr(offset, 5), "xref\n");
    const std::string trailer = pdf.substr(pdf.rfind("trailer"));
    for (const char* key : {"/Size", "/Root", "/Info", "/ID"}) {
      EXPECT_NE(trailer.find(key), std::string::npos) << key;
    }
    std::stringstream xref(Tool({"qpdf", "--show-xref", RenderedFile(fixture, Mode::kApproved)}));
    std::string line;
    int entries = 0;
    while (std::getline(xref, line)) {
      ++entries;
      EXPECT_NE(line.find(": uncompressed; offset = "), std::string::npos) << line;
    }
    EXPECT_GT(entries, 100);
    EXPECT_EQ(Tool({"qpdf", "--show-npages", RenderedFile(fixture, Mode::kApproved)}),
              std::to_string(Rendered(fixture, Mode::kApproved).pages) + "\n");
  }
}

// The signing writer reads the file with pdf/'s own COS layer, not with qpdf.
TEST(ApprovedFormTest, TheCosReaderSeesTheSameFields) {
  const RenderedActa& r = Rendered(kLongMinute, Mode::kApproved);
  auto file = cos::PdfFile::Open(r.pdf);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->revisions().size(), 1u);
  auto fields = cos::ReadFields(*file, file->last());
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  const size_t n = r.rubric_slots.size();
  EXPECT_EQ(fields->size(), 1 + 3 * n);
  for (size_t k = 1; k <= n; ++k) {
    const int i = static_cast<int>(k);
    ASSERT_TRUE(fields->count(MarkFieldName(i))) << k;
    EXPECT_EQ(fields->at(MarkFieldName(i)).type, "Tx");
    EXPECT_EQ(static_cast<int>(fields->at(MarkFieldName(i)).widgets.size()), r.pages);
    EXPECT_EQ(fields->at(RubricFieldName(i)).type, "Sig");
    EXPECT_EQ(fields->at(FootFieldName(i)).type, "Sig");
    EXPECT_EQ(fields->at(FootFieldName(i)).widgets.size(), 1u);
  }
  EXPECT_EQ(fields->at("certificacion").type, "Sig");
  for (const char* font : {"RbSans", "RbSansB"}) {
    auto metrics = cos::ReadFormFont(*file, file->last(), font);
    ASSERT_TRUE(metrics.ok()) << font << ": " << metrics.status().ToString();
    EXPECT_EQ(metrics->first_char, 32);
    EXPECT_EQ(metrics->widths.size(), 224u);
  }
}

// The contract in action: the signing writer of pdf/cos fills certificacion, rubrica_1
// (with the mark shown through marca_1's shared appearance) and firma_1 of a rendered
// acta, each in its own revision; the result is sound for qpdf and the mark is drawn in
// signer 1's slot on every page. (The CMS here is a stand-in: signing/ makes real ones.)
TEST(ApprovedFormTest, TheSigningWriterFillsTheFieldsInLaterRevisions) {
  const RenderedActa& r = Rendered(kZamora, Mode::kApproved);
  std::string bytes = r.pdf;
  struct Step {
    cos::SignatureKind kind;
    std::string field, mark;
  };
  for (const Step& step : {Step{cos::SignatureKind::kCertification, "certificacion", ""},
                           Step{cos::SignatureKind::kRubric, RubricFieldName(1), MarkFieldName(1)},
                           Step{cos::SignatureKind::kFoot, FootFieldName(1), ""}}) {
    auto file = cos::PdfFile::Open(bytes);
    ASSERT_TRUE(file.ok()) << step.field << ": " << file.status().ToString();
    cos::SignatureRequest request;
    request.kind = step.kind;
    request.field = step.field;
    request.mark_field = step.mark;
    request.mark_value = "JAP";
    request.mark_initials = "JAP";
    request.mark_lines = {"Julián Andrade", "14/11/2022"};
    request.appearance_lines = {"Firmado por", "C. Julián Andrade Pineda", "Titular"};
    request.pdf_date = "D:20221114120000-06'00'";
    auto prepared = cos::PrepareSignature(*file, request);
    ASSERT_TRUE(prepared.ok()) << step.field << ": " << prepared.status().ToString();
    ASSERT_TRUE(cos::EmbedSignature(*prepared, std::string(64, '\x30')).ok());
    bytes = prepared->bytes;
  }
  EXPECT_EQ(bytes.substr(0, r.pdf.size()), r.pdf) << "the approved revision is untouched";
  rubrica::testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir / "signed.pdf", bytes).ok());
  auto check = rubrica::testing::RunCommand({"qpdf", "--check", dir / "signed.pdf"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  Tool({"pdftoppm", "-r", "50", "-gray", dir / "signed.pdf", dir / "p"});
  const double px = 50.0 / 72.0;
  const Rect& slot = r.rubric_slots[0];
  for (int page = 1; page <= r.pages; ++page) {
    auto image = ReadFile(dir / ("p-" + std::to_string(page) + ".pgm"));
    ASSERT_TRUE(image.ok()) << page;
    // P5 header: "P5\n<w> <h>\n255\n".
    std::stringstream header(*image);
    std::string magic;
    int width = 0, height = 0, max = 0;
    header >> magic >> width >> height >> max;
    const size_t data = image->size() - static_cast<size_t>(width) * height;
    int ink = 0;
    for (int y = static_cast<int>((792 - slot.top) * px);
         y < static_cast<int>((792 - slot.bottom) * px); ++y) {
      for (int x = static_cast<int>(slot.left * px); x < static_cast<int>(slot.right * px); ++x) {
        ink +=
            static_cast<unsigned char>((*image)[data + static_cast<size_t>(y) * width + x]) < 200;
      }
    }
    EXPECT_GT(ink, 10) << "rubric mark drawn on page " << page;
  }
}

}  // namespace
}  // namespace rubrica::pdf::testing
