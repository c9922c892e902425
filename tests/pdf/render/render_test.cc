// Rendering actas to PDF, judged by tools we did not write: qpdf checks the structure,
// pdffonts the fonts, pdftotext the text and where it lies, pdftoppm the pixels.
#include <gtest/gtest.h>

#include <cctype>

#include <cmath>
#include <fstream>
#include <sstream>
#include <thread>

#include "render_support.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/pdf/acta_json.h"

namespace rubrica::pdf::testing {
namespace {

const char* const kFixtures[] = {kZamora, kStlTemplate, kLongMinute};
const Mode kModes[] = {Mode::kDraft, Mode::kApproved};

std::vector<std::string> SplitPages(const std::string& text) {
  std::vector<std::string> pages;
  std::stringstream ss(text);
  std::string page;
  while (std::getline(ss, page, '\f')) pages.push_back(page);
  if (!pages.empty() && Collapse(pages.back()).empty()) pages.pop_back();
  return pages;
}

TEST(RenderActaTest, EveryFixtureRendersAndQpdfFindsNoErrors) {
  for (const char* fixture : kFixtures) {
    for (Mode mode : kModes) {
      const std::string& path = RenderedFile(fixture, mode);
      auto r = rubrica::testing::RunCommand({"qpdf", "--check", path});
      EXPECT_EQ(r.exit_code, 0) << fixture << ": " << r.out << r.err;
      EXPECT_NE(r.out.find("No syntax or stream encoding errors found"), std::string::npos)
          << fixture << ": " << r.out;
      EXPECT_EQ(r.out.find("WARNING"), std::string::npos) << fixture << ": " << r.out;
      EXPECT_TRUE(Rendered(fixture, mode).warnings.empty()) << fixture;
    }
  }
}

TEST(RenderActaTest, EveryFontIsEmbeddedSubsetTrueTypeWinAnsi) {
  for (const char* fixture : kFixtures) {
    for (Mode mode : kModes) {
      const std::string out = Tool({"pdffonts", RenderedFile(fixture, mode)});
      std::stringstream lines(out);
      std::string line;
      int fonts = 0;
      while (std::getline(lines, line)) {
        if (line.rfind("name", 0) == 0 || line.rfind("---", 0) == 0 || line.empty()) continue;
        ++fonts;
        std::stringstream cols(line);
        std::string name, type, encoding, emb, sub;
        cols >> name >> type >> encoding >> emb >> sub;
        EXPECT_EQ(name.size(), 7 + name.substr(7).size());
        EXPECT_EQ(name.find('+'), 6u) << "subset tag: " << line;
        EXPECT_EQ(name.substr(7, 14), "LiberationSans") << line;
        EXPECT_EQ(type, "TrueType") << line;
        EXPECT_EQ(encoding, "WinAnsi") << line;
        EXPECT_EQ(emb, "yes") << line;
        EXPECT_EQ(sub, "yes") << line;
      }
      EXPECT_GE(fonts, 2) << fixture << "\n" << out;
    }
  }
}

TEST(RenderActaTest, EmbeddedFontProgramsAreSmall) {
  QpdfDoc doc(RenderedFile(kLongMinute, Mode::kApproved));
  int programs = 0;
  for (const std::string& page : doc.Pages()) {
    Poco::JSON::Object::Ptr fonts = doc.Dict(page)->getObject("/Resources")->getObject("/Font");
    for (const auto& [name, ref] : *fonts) {
      auto descriptor =
          doc.Dict(doc.Dict(ref.toString())->getValue<std::string>("/FontDescriptor"));
      const std::string file = descriptor->getValue<std::string>("/FontFile2");
      ASSERT_TRUE(doc.IsStream(file));
      const auto stream = doc.Dict(file);
      // Measured: ~16-18 KB compressed, ~26-29 KB uncompressed per face.
      EXPECT_LT(stream->getValue<int>("/Length"), 30 * 1024) << name;
      EXPECT_LT(stream->getValue<int>("/Length1"), 60 * 1024) << name;
      ++programs;
    }
    break;  // every page shares the same font objects
  }
  EXPECT_GE(programs, 2);
}

struct Sample {
  const char* fixture;
  const char* sentence;
};

TEST(RenderActaTest, PdftotextReadsTheSpanishTextExactly) {
  const std::vector<Sample> samples = {
      {kZamora,
       "Constituirse como el órgano máximo de toma de decisiones de gobierno abierto en el "
       "municipio, así como de los compromisos y acciones que de éstos se deriven."},
      {kZamora, "Lic. Carmen Lucía Peñaloza Ríos"},
      {kZamora, "ACTA DE INSTALACIÓN Y LINEAMIENTOS DE OPERACIÓN DEL SECRETARIADO TÉCNICO"},
      {kZamora, "numeral décimo del apartado “Operación y Funcionamiento”."},
      {kStlTemplate,
       "El STL sesionará quincenalmente en forma ordinaria, y en forma extraordinaria, en "
       "cualquier momento cuando las circunstancias así lo ameriten."},
      {kStlTemplate, "g. Vínculo web para manifestar su interés de incluirse en los ejercicios"},
      {kLongMinute,
       "¿Quién dará seguimiento a los compromisos? ¡Todos los integrantes!, respondió la "
       "facilitadora, y pidió que se asentara «con toda claridad» —como consta en la versión "
       "estenográfica— que la “Mesa de Seguimiento” sesionará cada quince días."},
      {kLongMinute,
       "El diseño de la campaña de señalización en las colonias Jardinadas y El Porvenir se "
       "presentará en el año en curso, acompañado de un pequeño añadido sobre la compañía"},
      {kLongMinute, "DP-0120"},
  };
  for (const Sample& s : samples) {
    for (Mode mode : kModes) {
      const std::string text = Collapse(Tool({"pdftotext", RenderedFile(s.fixture, mode), "-"}));
      EXPECT_NE(text.find(s.sentence), std::string::npos) << s.fixture << ": " << s.sentence;
    }
  }
}

TEST(RenderActaTest, EveryPageCarriesHojaXDeY) {
  for (const char* fixture : kFixtures) {
    for (Mode mode : kModes) {
      const RenderedActa& r = Rendered(fixture, mode);
      const auto pages = SplitPages(Tool({"pdftotext", RenderedFile(fixture, mode), "-"}));
      ASSERT_EQ(static_cast<int>(pages.size()), r.pages) << fixture;
      for (int i = 0; i < r.pages; ++i) {
        const std::string footer =
            "Hoja " + std::to_string(i + 1) + " de " + std::to_string(r.pages);
        EXPECT_NE(Collapse(pages[i]).find(footer), std::string::npos)
            << fixture << " page " << i + 1;
      }
    }
  }
}

TEST(RenderActaTest, LongMinuteHasAboutThirtyPages) {
  const RenderedActa& r = Rendered(kLongMinute, Mode::kApproved);
  EXPECT_GE(r.pages, 26);
  EXPECT_LE(r.pages, 34);
  const std::string info = Collapse(Tool({"pdfinfo", RenderedFile(kLongMinute, Mode::kApproved)}));
  EXPECT_NE(info.find("Pages: " + std::to_string(r.pages) + " "), std::string::npos) << info;
  EXPECT_NE(info.find("Page size: 612 x 792 pts (letter)"), std::string::npos) << info;
  EXPECT_NE(info.find("PDF version: 1.7"), std::string::npos) << info;
}

TEST(RenderActaTest, NoWordEntersTheMarginStrip) {
  for (const char* fixture : kFixtures) {
    for (Mode mode : kModes) {
      const RenderedActa& r = Rendered(fixture, mode);
      const auto words = BoundingBoxes(RenderedFile(fixture, mode));
      ASSERT_GT(words.size(), 300u) << fixture;
      int labels = 0;
      for (const Word& w : words) {
        if (w.text == "Rúbricas") {
          ++labels;
          EXPECT_GE(w.x_min, r.margin_strip.left) << "the label sits inside the strip";
          continue;
        }
        EXPECT_LE(w.x_max, r.margin_strip.left) << fixture << " page " << w.page << ": " << w.text;
        EXPECT_GE(w.x_min, r.text_area.left - 0.5)
            << fixture << " page " << w.page << ": " << w.text;
        EXPECT_LE(w.x_max, r.text_area.right + 0.5)
            << fixture << " page " << w.page << ": " << w.text;
      }
      EXPECT_EQ(labels, r.pages) << "one label per page";
    }
  }
}

// A PGM (P5) image from pdftoppm -gray.
struct Gray {
  int width = 0, height = 0;
  std::string pixels;
  unsigned char at(int x, int y) const {
    return static_cast<unsigned char>(pixels[static_cast<size_t>(y) * width + x]);
  }
};

Gray ReadPgm(const std::string& path) {
  auto bytes = ReadFile(path);
  Gray g;
  if (!bytes.ok()) return g;
  std::stringstream ss(*bytes);
  std::string magic;
  int max = 0;
  ss >> magic >> g.width >> g.height >> max;
  ss.get();
  g.pixels = bytes->substr(static_cast<size_t>(ss.tellg()));
  EXPECT_EQ(magic, "P5");
  EXPECT_EQ(g.pixels.size(), static_cast<size_t>(g.width) * g.height);
  return g;
}

TEST(RenderActaTest, MarginStripPixelsAreBlankExceptRuleAndLabel) {
  for (const char* fixture : {kLongMinute, kZamora}) {
    for (Mode mode : kModes) {
      const RenderedActa& r = Rendered(fixture, mode);
      rubrica::testing::TempDir dir;
      Tool({"pdftoppm", "-r", "50", "-gray", RenderedFile(fixture, mode), dir / "p"});
      const double px = 50.0 / 72.0;
      const int digits = r.pages >= 10 ? 2 : 1;
      for (int page = 1; page <= r.pages; ++page) {
        std::string number = std::to_string(page);
        while (static_cast<int>(number.size()) < digits) number = "0" + number;
        const Gray g = ReadPgm(dir / ("p-" + number + ".pgm"));
        ASSERT_GT(g.width, 0) << page;
        // Inside the strip, right of its rule (2 pt margin for anti-aliasing), below its label.
        const int x0 = static_cast<int>(std::ceil((r.margin_strip.left + 2) * px));
        const int x1 = static_cast<int>(std::floor(r.margin_strip.right * px));
        const int y0 = static_cast<int>(std::ceil((792 - 738) * px));
        const int y1 = static_cast<int>(std::floor((792 - r.margin_strip.bottom) * px));
        int dirty = 0;
        for (int y = y0; y < y1; ++y) {
          for (int x = x0; x < x1; ++x) dirty += g.at(x, y) < 250;
        }
        EXPECT_EQ(dirty, 0) << fixture << " page " << page;
        // The test can fail: the rule itself and the text area are inked.
        const int rule_x = static_cast<int>(std::lround(r.margin_strip.left * px));
        int rule = 0, text = 0;
        for (int y = y0; y < y1; ++y) {
          for (int dx = -1; dx <= 1; ++dx) rule += g.at(rule_x + dx, y) < 250;
          for (int x = static_cast<int>(r.text_area.left * px);
               x < static_cast<int>(r.text_area.right * px); ++x) {
            text += g.at(x, y) < 128;
          }
        }
        EXPECT_GT(rule, (y1 - y0) / 2) << fixture << " page " << page;
        EXPECT_GT(text, 0) << fixture << " page " << page;
      }
    }
  }
}

// Pixels of the watermark's gray (0.85) inside the text area of page 1, rendered without
// anti-aliasing so that text is pure black and the watermark pure gray.
int WatermarkPixels(const std::string& pdf_path, const Rect& text_area) {
  rubrica::testing::TempDir dir;
  Tool({"pdftoppm", "-r", "50", "-gray", "-aa", "no", "-aaVector", "no", "-f", "1", "-l", "1",
        pdf_path, dir / "w"});
  const Gray g = ReadPgm(dir / "w-1.pgm");
  const double px = 50.0 / 72.0;
  int count = 0;
  for (int y = static_cast<int>((792 - text_area.top) * px);
       y < static_cast<int>((792 - text_area.bottom) * px); ++y) {
    for (int x = static_cast<int>(text_area.left * px); x < static_cast<int>(text_area.right * px);
         ++x) {
      count += std::abs(g.at(x, y) - 217) <= 2;
    }
  }
  return count;
}

TEST(RenderActaTest, DraftsCarryTheWatermarkAndNoForm) {
  const RenderedActa& r = Rendered(kZamora, Mode::kDraft);
  EXPECT_GT(WatermarkPixels(RenderedFile(kZamora, Mode::kDraft), r.text_area), 1000);
  EXPECT_EQ(WatermarkPixels(RenderedFile(kZamora, Mode::kApproved), r.text_area), 0);
  // pdftotext drops diagonal text; the content stream shows what is drawn.
  QpdfDoc doc(RenderedFile(kZamora, Mode::kDraft));
  for (const std::string& page : doc.Pages()) {
    const std::string contents = doc.Dict(page)->getValue<std::string>("/Contents");
    const std::string ops = Tool({"qpdf", "--show-object=" + contents.substr(0, contents.find(' ')),
                                  "--filtered-stream-data", RenderedFile(kZamora, Mode::kDraft)});
    EXPECT_NE(ops.find("(BORRADOR \x97 sin validez \x97 versi\xF3n 2) Tj"), std::string::npos) << page;
  }
  EXPECT_NE(Tool({"pdfinfo", RenderedFile(kZamora, Mode::kDraft)}).find("Borrador — versión 2"),
            std::string::npos);
  // What text extraction finds: the footer's horizontal mark on every page, never on an
  // approved version.
  const std::string text = Tool({"pdftotext", RenderedFile(kZamora, Mode::kDraft), "-"});
  int marked = 0;
  for (size_t start = 0, ff; (ff = text.find('\f', start)) != std::string::npos; start = ff + 1) {
    marked += text.substr(start, ff - start).find("BORRADOR — sin validez") != std::string::npos;
  }
  EXPECT_EQ(marked, r.pages);
  EXPECT_EQ(Tool({"pdftotext", RenderedFile(kZamora, Mode::kApproved), "-"}).find("BORRADOR"),
            std::string::npos);
  EXPECT_FALSE(doc.json()->getObject("acroform")->getValue<bool>("hasacroform"));
  EXPECT_EQ(doc.json()->getObject("attachments")->size(), 0u);
  EXPECT_TRUE(r.rubric_slots.empty());
  EXPECT_TRUE(r.foot_slots.empty());
}

TEST(RenderActaTest, SameInputGivesSameBytes) {
  const ActaDocument acta = LoadActa(kZamora);
  for (const RenderOptions& options :
       {PlainOptions(), DraftOptions(4), ApprovedOptions(PlanFromPreview(acta))}) {
    auto a = RenderActa(acta, options);
    auto b = RenderActa(acta, options);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_TRUE(a->pdf == b->pdf);
  }
  RenderOptions later = PlainOptions();
  later.created_at += std::chrono::hours(24);
  auto a = RenderActa(acta, PlainOptions());
  auto b = RenderActa(acta, later);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_FALSE(a->pdf == b->pdf);
  EXPECT_NE(a->pdf.find("/CreationDate(D:20221114102500-06'00')"), std::string::npos);
}

std::string TrailerId(const std::string& pdf) {
  size_t at = pdf.find("/ID", pdf.rfind("trailer"));
  return at == std::string::npos ? "" : pdf.substr(at, 72);
}

TEST(RenderActaTest, FileIdChangesWithTheContent) {
  ActaDocument acta = LoadActa(kZamora);
  auto a = RenderActa(acta, PlainOptions());
  std::get<Paragraph>(acta.blocks[0]).text.push_back({" Fin."});
  auto b = RenderActa(acta, PlainOptions());
  ASSERT_TRUE(a.ok() && b.ok());
  const std::string id_a = TrailerId(a->pdf), id_b = TrailerId(b->pdf);
  ASSERT_EQ(id_a.size(), 72u) << id_a;
  EXPECT_NE(id_a, id_b);
  // Both halves are the same content-derived value (one revision, never updated).
  EXPECT_EQ(id_a.substr(5, 32), id_a.substr(39, 32)) << id_a;
}

TEST(RenderActaTest, CharactersOutsideWinAnsiPrintAsQuestionMarksWithAWarning) {
  ActaDocument acta;
  acta.id = "x";
  acta.secretariat = "STM de Prueba";
  acta.title = "Acta";
  acta.blocks = {Paragraph{{{"Visita de Łukasz a Zürich; año ñandú."}}}};
  auto r = RenderActa(acta, PlainOptions());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("U+0141"), std::string::npos);
  EXPECT_NE(r->warnings[0].find("blocks[0]"), std::string::npos);
  rubrica::testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir / "w.pdf", r->pdf).ok());
  EXPECT_NE(Collapse(Tool({"pdftotext", dir / "w.pdf", "-"}))
                .find("Visita de ?ukasz a Zürich; año ñandú."),
            std::string::npos);
}

TEST(RenderActaTest, BadOptionsAndDocumentsAreRefused) {
  const ActaDocument acta = LoadActa(kZamora);
  struct Case {
    const char* name;
    ActaDocument acta;
    RenderOptions options;
    std::string code;
    ErrorKind kind;
  };
  RenderOptions draft_with_plan = ApprovedOptions(PlanFromPreview(acta));
  draft_with_plan.draft = true;
  RenderOptions version_zero = PlainOptions();
  version_zero.version = 0;
  RenderOptions bad_zone = PlainOptions();
  bad_zone.time_zone = "America/Atlantida";
  RenderOptions no_fonts = PlainOptions();
  no_fonts.font_dir = "/nonexistent";
  RenderOptions two_pages = PlainOptions();
  two_pages.max_pages = 2;
  SignaturePlan empty_plan = PlanFromPreview(acta);
  empty_plan.signers.clear();
  ActaDocument untitled = acta;
  untitled.title.clear();
  RenderOptions seal_field_of_many = ApprovedOptions(PlanFromPreview(acta));
  seal_field_of_many.single_seal_field = true;
  RenderOptions seal_field_without_plan = PlainOptions();
  seal_field_without_plan.single_seal_field = true;
  const std::vector<Case> cases = {
      {"draft with plan", acta, draft_with_plan, "pdf.bad_render_options",
       ErrorKind::kInvalidArgument},
      {"version 0", acta, version_zero, "pdf.bad_render_options", ErrorKind::kInvalidArgument},
      {"unknown zone", acta, bad_zone, "pdf.bad_render_options", ErrorKind::kInvalidArgument},
      {"no fonts", acta, no_fonts, "pdf.font_unavailable", ErrorKind::kIoError},
      {"too many pages", acta, two_pages, "pdf.too_many_pages", ErrorKind::kTooLarge},
      {"plan without signers", acta, ApprovedOptions(empty_plan), "pdf.bad_signature_plan",
       ErrorKind::kInvalidArgument},
      {"untitled", untitled, PlainOptions(), "pdf.bad_acta", ErrorKind::kInvalidArgument},
      {"single seal field, many signers", acta, seal_field_of_many, "pdf.bad_render_options",
       ErrorKind::kInvalidArgument},
      {"single seal field, no plan", acta, seal_field_without_plan, "pdf.bad_render_options",
       ErrorKind::kInvalidArgument},
  };
  for (const Case& c : cases) {
    auto r = RenderActa(c.acta, c.options);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().code(), c.code) << c.name << ": " << r.status().ToString();
    EXPECT_EQ(r.status().kind(), c.kind) << c.name;
  }
}

TEST(RenderActaTest, HugeButValidInputEndsWithinThePageLimit) {
  ActaDocument acta;
  acta.id = "x";
  acta.title = "Acta";
  std::string word(60000, 'x');  // one unbreakable word, cut between characters
  acta.blocks.assign(40, Paragraph{{{word}}});
  RenderOptions options = PlainOptions();
  options.max_pages = 50;
  auto r = RenderActa(acta, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "pdf.too_many_pages");
}

TEST(RenderActaTest, ConcurrentRendersGiveIdenticalBytes) {
  const ActaDocument acta = LoadActa(kZamora);
  const RenderOptions options = ApprovedOptions(PlanFromPreview(acta));
  auto reference = RenderActa(acta, options);
  ASSERT_TRUE(reference.ok());
  std::vector<std::string> outputs(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < outputs.size(); ++i) {
    threads.emplace_back([&, i] {
      auto r = RenderActa(acta, options);
      if (r.ok()) outputs[i] = r->pdf;
    });
  }
  for (auto& t : threads) t.join();
  for (const std::string& out : outputs) EXPECT_TRUE(out == reference->pdf);
}

// The XMP packet pdfinfo -meta prints, and the /Info it must agree with.
std::string Between(const std::string& text, const std::string& open, const std::string& close) {
  const size_t a = text.find(open);
  if (a == std::string::npos) return "";
  const size_t b = text.find(close, a + open.size());
  return b == std::string::npos ? "" : text.substr(a + open.size(), b - a - open.size());
}

TEST(RenderActaTest, EveryRenderIsPdfA3bWithXmpThatAgreesWithInfo) {
  for (const char* fixture : kFixtures) {
    for (Mode mode : kModes) {
      SCOPED_TRACE(std::string(fixture) + (mode == Mode::kDraft ? " draft" : " certified"));
      const std::string path = RenderedFile(fixture, mode);
      const std::string xmp = Tool({"pdfinfo", "-meta", path});
      EXPECT_NE(xmp.find("<pdfaid:part>3</pdfaid:part>"), std::string::npos) << xmp;
      EXPECT_NE(xmp.find("<pdfaid:conformance>B</pdfaid:conformance>"), std::string::npos);
      const std::string info = Tool({"pdfinfo", path});
      auto field = [&](const char* key) {
        std::string v = Between(info, key, "\n");
        return v.substr(std::min(v.find_first_not_of(' '), v.size()));
      };
      const std::string title = field("Title:"), author = field("Author:");
      EXPECT_EQ(Between(xmp, "<rdf:li xml:lang=\"x-default\">", "</rdf:li>"),
                title)
          << "dc:title = /Title";
      EXPECT_EQ(Between(xmp, "<dc:creator><rdf:Seq><rdf:li>", "</rdf:li>"), author)
          << "dc:creator = /Author (the secretariat)";
      EXPECT_NE(xmp.find("<xmp:CreateDate>2022-11-14T10:25:00-06:00</xmp:CreateDate>"),
                std::string::npos)
          << "the /CreationDate of the options, 2022-11-14T16:25:00Z";
      EXPECT_NE(xmp.find("<pdf:Producer>Rúbrica (PoDoFo 0.9.8)</pdf:Producer>"), std::string::npos);
      // The output intent and its sRGB profile; the metadata stream is not compressed.
      QpdfDoc doc(path);
      auto root = doc.Dict(doc.Trailer()->getValue<std::string>("/Root"));
      auto intents = root->getArray("/OutputIntents");
      ASSERT_TRUE(intents) << "no /OutputIntents";
      auto intent = intents->getObject(0);
      EXPECT_EQ(intent->getValue<std::string>("/S"), "/GTS_PDFA1");
      EXPECT_EQ(intent->getValue<std::string>("/OutputConditionIdentifier"), "u:sRGB IEC61966-2.1");
      auto profile = doc.Dict(intent->getValue<std::string>("/DestOutputProfile"));
      EXPECT_EQ(profile->getValue<int>("/N"), 3);
      auto metadata = doc.Dict(root->getValue<std::string>("/Metadata"));
      EXPECT_EQ(metadata->getValue<std::string>("/Subtype"), "/XML");
      EXPECT_FALSE(metadata->has("/Filter"));
      EXPECT_EQ(root->getValue<std::string>("/Lang"), "u:es-MX");
    }
  }
}

TEST(RenderActaTest, TheSignerListTravelsAsAnAssociatedFileOfTheDocument) {
  for (const char* fixture : kFixtures) {
    const std::string path = RenderedFile(fixture, Mode::kApproved);
    EXPECT_NE(Tool({"pdfdetach", "-list", path}).find("1: firmantes.json"), std::string::npos);
    QpdfDoc doc(path);
    auto root = doc.Dict(doc.Trailer()->getValue<std::string>("/Root"));
    auto af = root->getArray("/AF");
    ASSERT_TRUE(af) << "catalog /AF";
    auto spec = doc.Dict(af->getElement<std::string>(0));
    EXPECT_EQ(spec->getValue<std::string>("/AFRelationship"), "/Data");
    EXPECT_EQ(spec->getValue<std::string>("/UF"), "u:firmantes.json");
    auto file = doc.Dict(spec->getObject("/EF")->getValue<std::string>("/F"));
    EXPECT_EQ(file->getValue<std::string>("/Subtype"), "/application/json");
  }
}

// The QR code zbarimg reads on page `page` of `pdf` (150 dpi), "" when none.
std::string QrOnPage(const std::string& pdf, int page) {
  rubrica::testing::TempDir dir;
  Tool({"pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", "-f", std::to_string(page), "-l",
        std::to_string(page), pdf, dir / "p"});
  auto r = rubrica::testing::RunCommand({"zbarimg", "-q", "--raw", dir / "p.png"});
  std::string out = r.out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

TEST(RenderActaTest, EveryCertifiedPageCarriesTheFolioAndAQrCodeOfTheVerificationAddress) {
  for (const char* fixture : {kZamora, kLongMinute}) {
    SCOPED_TRACE(fixture);
    const RenderedActa& r = Rendered(fixture, Mode::kApproved);
    std::string hash = Sha256Hex(ReadFixture(fixture));
    for (char& c : hash) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const std::string expected = std::string(kTestPublicUrl) + "/v/" + kTestFolio + "/" + hash;
    EXPECT_EQ(r.verification_url, expected);
    const auto pages = SplitPages(Tool({"pdftotext", RenderedFile(fixture, Mode::kApproved), "-"}));
    ASSERT_EQ(static_cast<int>(pages.size()), r.pages);
    for (int i = 1; i <= r.pages; ++i) {
      const std::string text = Collapse(pages[i - 1]);
      EXPECT_NE(text.find(std::string("Folio ") + kTestFolio), std::string::npos) << "page " << i;
      EXPECT_NE(text.find("Verifique este documento en " + std::string(kTestPublicUrl) +
                          "/verificar/" + kTestFolio),
                std::string::npos)
          << "page " << i;
      EXPECT_EQ(text.find(Sha256Hex(ReadFixture(fixture))) != std::string::npos, i == r.pages)
          << "the cadena is printed on the last page only (page " << i << ")";
      EXPECT_EQ(QrOnPage(RenderedFile(fixture, Mode::kApproved), i), expected) << "page " << i;
    }
  }
  // Drafts have neither folio nor QR code.
  EXPECT_EQ(QrOnPage(RenderedFile(kZamora, Mode::kDraft), 1), "");
  EXPECT_EQ(Collapse(Tool({"pdftotext", RenderedFile(kZamora, Mode::kDraft), "-"})).find("Folio "),
            std::string::npos);
}

TEST(RenderActaTest, FolioHashAndAddressAreCheckedBeforeRendering) {
  const ActaDocument acta = LoadActa(kZamora);
  const std::string hash(64, 'a');
  const SignaturePlan plan = PlanFromPreview(acta);
  struct Case {
    const char* name;
    RenderOptions options;
  };
  RenderOptions lower_folio = CertifiedOptions(plan, hash);
  lower_folio.folio = "stm-zamora-2022-001";
  RenderOptions long_folio = CertifiedOptions(plan, hash);
  long_folio.folio = std::string(41, 'A');
  RenderOptions short_hash = CertifiedOptions(plan, hash.substr(1));
  RenderOptions upper_hash = CertifiedOptions(plan, std::string(64, 'A'));
  RenderOptions no_folio = CertifiedOptions(plan, hash);
  no_folio.folio.clear();
  RenderOptions ftp = CertifiedOptions(plan, hash);
  ftp.public_url = "ftp://actas.example";
  RenderOptions query = CertifiedOptions(plan, hash);
  query.public_url = "https://actas.example/?x=1";
  RenderOptions slash = CertifiedOptions(plan, hash);
  slash.public_url = "https://actas.example/";
  RenderOptions too_long = CertifiedOptions(plan, hash);
  too_long.public_url = "https://" + std::string(100, 'a') + ".example";
  RenderOptions on_a_draft = DraftOptions(2);
  on_a_draft.folio = kTestFolio;
  RenderOptions no_icc = CertifiedOptions(plan, hash);
  no_icc.icc_profile = "/nonexistent/sRGB.icc";
  const Case cases[] = {{"lower-case folio", lower_folio}, {"41-character folio", long_folio},
                        {"63-digit hash", short_hash},     {"upper-case hash", upper_hash},
                        {"hash without folio", no_folio},  {"ftp address", ftp},
                        {"address with query", query},     {"trailing slash", slash},
                        {"address too long", too_long},    {"folio on a draft", on_a_draft}};
  for (const Case& c : cases) {
    auto r = RenderActa(acta, c.options);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().code(), "pdf.bad_render_options") << c.name << ": " << r.status().ToString();
  }
  auto r = RenderActa(acta, no_icc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "pdf.icc_unavailable");
  EXPECT_EQ(r.status().kind(), ErrorKind::kIoError);
}

TEST(RenderActaTest, ScreenshotsOfFirstMiddleAndLastPagesAreLeftInTheBuildFolder) {
  const std::string dir = rubrica::testing::ScreenshotDir("render");
  for (const char* fixture : kFixtures) {
    for (Mode mode : kModes) {
      const RenderedActa& r = Rendered(fixture, mode);
      const std::string stem = std::string(fixture).substr(0, std::string(fixture).find('.')) +
                               (mode == Mode::kDraft ? "-borrador" : "-certificada");
      ASSERT_TRUE(WriteFileAtomic(dir + "/" + stem + ".pdf", r.pdf).ok());
      const std::pair<const char*, int> shots[] = {{"primera", 1}, {"media", (r.pages + 1) / 2},
                                                   {"ultima", r.pages}};
      for (const auto& [label, page] : shots) {
        const std::string out = dir + "/" + stem + "-" + label;
        Tool({"pdftoppm", "-r", "70", "-png", "-singlefile", "-f", std::to_string(page), "-l",
              std::to_string(page), RenderedFile(fixture, mode), out});
        auto png = ReadFile(out + ".png");
        ASSERT_TRUE(png.ok()) << out;
        EXPECT_EQ(png->substr(1, 3), "PNG") << out;
      }
    }
  }
}

}  // namespace
}  // namespace rubrica::pdf::testing
