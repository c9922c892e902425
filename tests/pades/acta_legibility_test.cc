// An acta with twenty signers (ten seats, titular and substitute), long names and long
// posts, certified, rubricated and signed at the foot by everyone: is it still legible?
// Measured from the signed PDF's own content streams (page contents and the widgets'
// appearance streams, Tf sizes through text and transformation matrices), never from the
// layout code's numbers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "pades/external_tools.h"
#include "pades/signed_acta.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/lang/dates.h"
#include "rubrica/lang/text.h"
#include "rubrica/pdf/acta_json.h"
#include "rubrica/pdf/cos/pdf_file.h"
#include "rubrica/pdf/render.h"
#include "rubrica/signing/pades_signer.h"

namespace rubrica::pades_testing {
namespace {

using pdf::cos::Object;
using pdf::cos::PdfFile;
using pdf::cos::SignatureKind;

// ---- A small, independent reader of content streams -------------------------------------

struct Matrix {
  double a = 1, b = 0, c = 0, d = 1, e = 0, f = 0;
  // this, then `n` (PDF's row-vector convention).
  Matrix Then(const Matrix& n) const {
    return {a * n.a + b * n.c, a * n.b + b * n.d,       c * n.a + d * n.c,
            c * n.b + d * n.d, e * n.a + f * n.c + n.e, e * n.b + f * n.d + n.f};
  }
  double Scale() const { return std::sqrt(std::fabs(a * d - b * c)); }
};

// Text shown: its size as it lands on the page, and where its origin lands.
struct Shown {
  double size = 0;
  double x = 0, y = 0;
};

struct Token {
  enum Kind { kNumber, kOperand, kOperator } kind = kOperand;
  double number = 0;
  std::string text;  // operator name, or string bytes for strings ("" for other operands)
  bool is_string = false;
};

std::vector<Token> Tokenize(const std::string& s) {
  std::vector<Token> out;
  size_t i = 0;
  auto delimiter = [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == '(' || c == ')' || c == '<' ||
           c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' || c == '%';
  };
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '%') {
      while (i < s.size() && s[i] != '\n' && s[i] != '\r') ++i;
    } else if (c == '(') {
      std::string text;
      int depth = 1;
      ++i;
      while (i < s.size() && depth > 0) {
        if (s[i] == '\\' && i + 1 < s.size()) {
          text.push_back(s[i + 1]);
          i += 2;
          continue;
        }
        if (s[i] == '(') ++depth;
        if (s[i] == ')' && --depth == 0) break;
        text.push_back(s[i++]);
      }
      ++i;
      out.push_back({Token::kOperand, 0, text, true});
    } else if (c == '<' && i + 1 < s.size() && s[i + 1] == '<') {
      out.push_back({Token::kOperand, 0, "", false});
      i += 2;
    } else if (c == '>' && i + 1 < s.size() && s[i + 1] == '>') {
      i += 2;
    } else if (c == '<') {
      const size_t end = s.find('>', i);
      std::string hex = s.substr(i + 1, end - i - 1);
      out.push_back({Token::kOperand, 0, std::string(hex.size() / 2, 'x'), true});
      i = end + 1;
    } else if (c == '[' || c == ']') {
      out.push_back({Token::kOperand, 0, std::string(1, c), false});
      ++i;
    } else if (c == '/') {
      size_t j = i + 1;
      while (j < s.size() && !delimiter(s[j])) ++j;
      out.push_back({Token::kOperand, 0, s.substr(i + 1, j - i - 1), false});
      i = j;
    } else {
      size_t j = i;
      while (j < s.size() && !delimiter(s[j])) ++j;
      const std::string word = s.substr(i, j - i);
      char* end = nullptr;
      const double v = std::strtod(word.c_str(), &end);
      if (!word.empty() && end == word.c_str() + word.size()) {
        out.push_back({Token::kNumber, v, "", false});
      } else {
        out.push_back({Token::kOperator, 0, word, false});
      }
      i = j == i ? i + 1 : j;
    }
  }
  return out;
}

// Every text show of `content` under `ctm`, Form XObjects followed through `resources`.
void Scan(const PdfFile& file, const std::string& content, const Matrix& ctm,
          const Object& resources, std::vector<Shown>& shown, int depth = 0) {
  ASSERT_LT(depth, 8);
  std::vector<Matrix> stack;
  Matrix g = ctm, tm, tlm;
  double size = 0, leading = 0;
  std::vector<Token> operands;
  auto nums = [&](size_t n) {
    std::vector<double> v;
    if (operands.size() < n) return v;
    for (size_t k = operands.size() - n; k < operands.size(); ++k) v.push_back(operands[k].number);
    return v;
  };
  auto show = [&](bool any_text) {
    if (!any_text) return;
    const Matrix m = tm.Then(g);
    shown.push_back({size * m.Scale(), m.e, m.f});
  };
  for (const Token& t : Tokenize(content)) {
    if (t.kind != Token::kOperator) {
      operands.push_back(t);
      continue;
    }
    const std::string& op = t.text;
    if (op == "q") {
      stack.push_back(g);
    } else if (op == "Q" && !stack.empty()) {
      g = stack.back();
      stack.pop_back();
    } else if (op == "cm") {
      auto v = nums(6);
      if (v.size() == 6) g = Matrix{v[0], v[1], v[2], v[3], v[4], v[5]}.Then(g);
    } else if (op == "BT") {
      tm = tlm = Matrix{};
    } else if (op == "Tf") {
      auto v = nums(1);
      if (!v.empty()) size = v[0];
    } else if (op == "TL") {
      auto v = nums(1);
      if (!v.empty()) leading = v[0];
    } else if (op == "Tm") {
      auto v = nums(6);
      if (v.size() == 6) tm = tlm = Matrix{v[0], v[1], v[2], v[3], v[4], v[5]};
    } else if (op == "Td" || op == "TD") {
      auto v = nums(2);
      if (v.size() == 2) tm = tlm = Matrix{1, 0, 0, 1, v[0], v[1]}.Then(tlm);
      if (op == "TD" && v.size() == 2) leading = -v[1];
    } else if (op == "T*" || op == "'" || op == "\"") {
      tm = tlm = Matrix{1, 0, 0, 1, 0, -leading}.Then(tlm);
      if (op != "T*") show(!operands.empty() && !operands.back().text.empty());
    } else if (op == "Tj") {
      show(!operands.empty() && !operands.back().text.empty());
    } else if (op == "TJ") {
      bool any = false;
      for (const Token& o : operands) any = any || (o.is_string && !o.text.empty());
      show(any);
    } else if (op == "Do" && !operands.empty()) {
      const Object* xobjects = resources.Get("XObject");
      auto dict = xobjects ? file.Resolve(*xobjects, file.last()) : Result<Object>(Object());
      const Object* ref = dict.ok() ? dict->Get(operands.back().text) : nullptr;
      ASSERT_NE(ref, nullptr) << "Do of an unknown XObject /" << operands.back().text;
      auto form = file.Resolve(*ref, file.last());
      ASSERT_TRUE(form.ok());
      if (const Object* sub = form->Get("Subtype"); sub && sub->is_name("Form")) {
        auto data = pdf::cos::DecodeStream(*form, 1u << 24);
        ASSERT_TRUE(data.ok());
        Matrix fm;
        if (const Object* m = form->Get("Matrix"); m && m->is_array() && m->array().size() == 6) {
          const auto& a = m->array();
          fm = {a[0].as_number(), a[1].as_number(), a[2].as_number(),
                a[3].as_number(), a[4].as_number(), a[5].as_number()};
        }
        const Object* own = form->Get("Resources");
        auto own_resources = own ? file.Resolve(*own, file.last()) : Result<Object>(resources);
        Scan(file, *data, fm.Then(g), own_resources.ok() ? *own_resources : resources, shown,
             depth + 1);
      }
    }
    operands.clear();
  }
}

Object Must(const PdfFile& file, const Object& obj) {
  auto r = file.Resolve(obj, file.last());
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Object();
}

std::vector<double> RectOf(const Object& o) {
  std::vector<double> r;
  if (const Object* a = o.Get("Rect"); a && a->is_array()) {
    for (const Object& v : a->array()) r.push_back(v.as_number());
  }
  return r;
}

struct Widget {
  std::string field;  // "marca_3", "firma_7"
  std::vector<double> rect;
  std::vector<Shown> shown;
};

struct PageScan {
  std::vector<Shown> body;  // the page's own content
  std::vector<Widget> widgets;
};

// Every page of the last revision: its content, and each widget's normal appearance drawn
// into its /Rect (ISO 32000-1 12.5.5: the appearance's /BBox scaled to the /Rect).
std::vector<PageScan> ScanPages(const PdfFile& file) {
  std::vector<PageScan> pages;
  auto catalog = file.Catalog(file.last());
  EXPECT_TRUE(catalog.ok());
  const Object tree = Must(file, *catalog->Get("Pages"));
  for (const Object& kid : tree.Get("Kids")->array()) {
    const Object page = Must(file, kid);
    PageScan scan;
    const Object resources = Must(file, *page.Get("Resources"));
    const Object contents = Must(file, *page.Get("Contents"));
    auto data = pdf::cos::DecodeStream(contents, 1u << 24);
    EXPECT_TRUE(data.ok());
    Scan(file, *data, Matrix{}, resources, scan.body);
    if (const Object* annots = page.Get("Annots")) {
      const Object list = Must(file, *annots);
      for (const Object& a : list.array()) {
        const Object w = Must(file, a);
        Widget widget;
        widget.rect = RectOf(w);
        if (const Object* t = w.Get("T")) {
          widget.field = t->text();
        } else if (const Object* parent = w.Get("Parent")) {
          const Object p = Must(file, *parent);
          if (const Object* pt = p.Get("T")) widget.field = pt->text();
        }
        const Object* ap = w.Get("AP");
        if (ap == nullptr || widget.rect.size() != 4) continue;
        const Object appearances = Must(file, *ap);
        const Object* n = appearances.Get("N");
        if (n == nullptr) continue;
        const Object form = Must(file, *n);
        auto stream = pdf::cos::DecodeStream(form, 1u << 24);
        EXPECT_TRUE(stream.ok());
        std::vector<double> bbox;
        for (const Object& v : form.Get("BBox")->array()) bbox.push_back(v.as_number());
        const double bw = bbox[2] - bbox[0], bh = bbox[3] - bbox[1];
        const double rw = widget.rect[2] - widget.rect[0], rh = widget.rect[3] - widget.rect[1];
        if (bw <= 0 || bh <= 0) continue;
        const Matrix to_rect{rw / bw,
                             0,
                             0,
                             rh / bh,
                             widget.rect[0] - bbox[0] * rw / bw,
                             widget.rect[1] - bbox[1] * rh / bh};
        const Object* own = form.Get("Resources");
        Scan(file, *stream, to_rect, own ? Must(file, *own) : resources, widget.shown);
        scan.widgets.push_back(std::move(widget));
      }
    }
    pages.push_back(std::move(scan));
  }
  return pages;
}

// ---- The acta ------------------------------------------------------------------------------

struct Person {
  const char* name;
  const char* post;
};

// Ten seats, titular then substitute, with names and posts as long as real ones get.
const Person kPeople[20] = {
    {"Mtra. María Guadalupe Hernández de la Concepción Villaseñor",
     "Enlace Responsable de la Unidad de Transparencia, Acceso a la Información y Protección de "
     "Datos Personales del Ayuntamiento de Villa Ficticia"},
    {"Lic. José Refugio Anzaldúa Bocanegra",
     "Director de Innovación Gubernamental y Mejora Regulatoria del Ayuntamiento"},
    {"L.I. Adriana Itzel Medina Solórzano",
     "Subcoordinadora de Estado Abierto y Transparencia Proactiva y Enlace del Instituto de "
     "Transparencia del Estado"},
    {"Mtro. Juan Pablo Treviño Osuna", "Jefe de Departamento de Transparencia Proactiva"},
    {"Ing. Tomás Ibarra Zepeda", "Presidente de la Red Vecinal Villa Ficticia Participa"},
    {"Lic. Carmen Lucía Peñaloza Ríos", "Secretaria de la Red Vecinal Villa Ficticia Participa"},
    {"Dra. Natalia Cervantes Ochoa", "Representante de la Academia"},
    {"Mtro. Óscar Begoña Iturbide", "Representante suplente de la Academia"},
    {"Gerardo Elías Fuentes Mora", "Representante de la Ciudadanía"},
    {"Araceli Núñez Castañeda", "Representante suplente de la Ciudadanía"},
    {"C.P. Rosalía Montenegro Barragán", "Presidenta de la Cámara de Comercio de Villa Ficticia"},
    {"Lic. Fermín Aguirre Salcedo", "Vicepresidente de la Cámara de Comercio de Villa Ficticia"},
    {"Arq. Beatriz Solís Landeros", "Presidenta del Colegio de Arquitectos de Villa Ficticia"},
    {"Ing. Ramiro Cuevas Balderas", "Secretario del Colegio de Arquitectos de Villa Ficticia"},
    {"C. Xóchitl Tapia Morales", "Representante de las juventudes"},
    {"C. Emiliano Rangel Quintero", "Representante suplente de las juventudes"},
    {"Lic. Maricela Huerta Zamudio", "Representante de los pueblos originarios"},
    {"Mtro. Cuauhtémoc Estrada Liceaga", "Representante suplente de los pueblos originarios"},
    {"Lic. Sofía Alcántara Ruvalcaba",
     "Representante de las organizaciones de personas con discapacidad"},
    {"C. Benjamín Ortiz Carrasco",
     "Representante suplente de las organizaciones de personas con discapacidad"},
};
const char* kSeats[10] = {
    "Gobierno municipal",  "Organismo garante",        "Sociedad civil",         "Academia",
    "Ciudadanía",          "Cámara de comercio",       "Colegio de arquitectos", "Juventudes",
    "Pueblos originarios", "Personas con discapacidad"};

std::string Initials(const std::string& name) {
  std::string out;
  size_t pos = 0;
  while (pos < name.size()) {
    size_t end = std::min(name.find(' ', pos), name.size());
    const std::string word = name.substr(pos, end - pos);
    if (!word.empty() && word.back() != '.' && word != "de" && word != "la") {
      out += word.substr(0, (static_cast<unsigned char>(word[0]) & 0xE0) == 0xC0 ? 2 : 1);
    }
    pos = end + 1;
  }
  return out.substr(0, 8);
}

class TwentySigners : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    acta_ = new SignedActa("stl-plantilla-instalacion.json", 20);
    auto json = ReadFile(rubrica::testing::SourceDir() +
                         "/tests/fixtures/actas/stm-zamora-instalacion.json");
    ASSERT_TRUE(json.ok());
    auto doc = pdf::ParseActaJson(*json);
    ASSERT_TRUE(doc.ok());
    pdf::RenderOptions o;
    o.created_at = signing::testing::TestInstant();
    o.plan.emplace();
    o.plan->approved_on = "2026-03-14";
    for (int k = 1; k <= 20; ++k) {
      pdf::RequiredSigner s;
      s.name = kPeople[k - 1].name;
      s.representation = kPeople[k - 1].post;
      s.role = k % 2 == 1 ? "titular" : "suplente";
      s.seat = kSeats[(k - 1) / 2];
      s.identity.public_key_sha256 = Sha256Hex(acta_->member(k).foot.key.PublicKeyInfoDer());
      o.plan->signers.push_back(s);
    }
    o.folio = "STM-VILLA-FICTICIA-2026-007";
    o.content_sha256 = Sha256Hex(*json);
    o.public_url = "https://actas.villa-ficticia.example";
    auto rendered = pdf::RenderActa(*doc, o);
    ASSERT_TRUE(rendered.ok()) << rendered.status().ToString();
    rendered_ = new pdf::RenderedActa(*rendered);

    const TimeZone zone = *TimeZone::Load("America/Mexico_City");
    const std::string when = lang::DateTimeEs(signing::testing::TestInstant(), zone);
    const auto seal = acta_->pki().Issue(keys::KeyAlgorithm::kEcdsaP256, "Sello de prueba");
    std::string pdf =
        acta_->SignWith(rendered->pdf, SignedActa::Request(SignatureKind::kCertification, 0), seal,
                        acta_->pki().ca());
    for (int k = 1; k <= 20; ++k) {
      auto r = SignedActa::Request(SignatureKind::kRubric, k);
      r.mark_initials = Initials(kPeople[k - 1].name);
      r.mark_lines = {kPeople[k - 1].name, when};
      pdf = acta_->SignAs(pdf, r, k);
    }
    for (int k = 1; k <= 20; ++k) {
      auto r = SignedActa::Request(SignatureKind::kFoot, k);
      r.appearance_lines = {
          "Firmado electrónicamente por", kPeople[k - 1].name,
          lang::CapitalizeFirst(o.plan->signers[k - 1].role) + " — " + kPeople[k - 1].post, when};
      pdf = acta_->SignAs(pdf, r, k);
    }
    signed_ = new std::string(pdf);
  }
  static void TearDownTestSuite() {
    delete acta_;
    delete rendered_;
    delete signed_;
  }
  static SignedActa* acta_;
  static pdf::RenderedActa* rendered_;
  static std::string* signed_;
};
SignedActa* TwentySigners::acta_ = nullptr;
pdf::RenderedActa* TwentySigners::rendered_ = nullptr;
std::string* TwentySigners::signed_ = nullptr;

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

TEST_F(TwentySigners, RubricColumnNeverUnderSixPointsFootBoxesNeverUnderSeven) {
  auto file = PdfFile::Open(*signed_);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const auto pages = ScanPages(*file);
  ASSERT_EQ(static_cast<int>(pages.size()), rendered_->pages);
  double rubric_min = 1e9, foot_min = 1e9, body_min = 1e9;
  int rubric_texts = 0, foot_texts = 0, foot_boxes = 0;
  for (size_t p = 0; p < pages.size(); ++p) {
    std::set<double> columns;
    int marks = 0;
    for (const Widget& w : pages[p].widgets) {
      if (StartsWith(w.field, "marca_")) {
        ++marks;
        columns.insert(w.rect[0]);
        for (const Shown& s : w.shown) rubric_min = std::min(rubric_min, s.size), ++rubric_texts;
      } else if (StartsWith(w.field, "firma_")) {
        ++foot_boxes;
        for (const Shown& s : w.shown) foot_min = std::min(foot_min, s.size), ++foot_texts;
      }
    }
    EXPECT_EQ(marks, 20) << "page " << p + 1 << ": every signer's rubric on every page";
    EXPECT_EQ(columns.size(), 2u) << "page " << p + 1 << ": twenty rubrics in two columns";
    for (const Shown& s : pages[p].body) body_min = std::min(body_min, s.size);
  }
  EXPECT_EQ(foot_boxes, 20);
  // Each mark shows its initials, name or date lines; each box its four kinds of lines.
  EXPECT_GE(rubric_texts, 20 * rendered_->pages * 3);
  EXPECT_GE(foot_texts, 20 * 4);
  EXPECT_GE(rubric_min, 6.0 - 1e-6) << "smallest text in the rubric column";
  EXPECT_GE(foot_min, 7.0 - 1e-6) << "smallest text in the foot boxes";
  EXPECT_GE(body_min, 6.0 - 1e-6) << "smallest text printed on the pages";
  std::cout << "smallest sizes: rubric column " << rubric_min << " pt, foot boxes " << foot_min
            << " pt, page text " << body_min << " pt; " << rendered_->pages << " pages\n";
}

TEST_F(TwentySigners, NoPageHoldsSignatureBoxesAlone) {
  auto file = PdfFile::Open(*signed_);
  ASSERT_TRUE(file.ok());
  const auto pages = ScanPages(*file);
  int pages_with_boxes = 0;
  for (size_t p = 0; p < pages.size(); ++p) {
    double top = -1;
    for (const Widget& w : pages[p].widgets) {
      if (StartsWith(w.field, "firma_")) top = std::max(top, w.rect[3]);
    }
    if (top < 0) continue;
    ++pages_with_boxes;
    // Text of the body above the first row of boxes: the closing paragraph, or the legend
    // naming the acta on a page the signatures continue on.
    int above = 0;
    for (const Shown& s : pages[p].body) {
      if (s.y > top && s.x < rendered_->text_area.right && s.y <= rendered_->text_area.top) ++above;
    }
    EXPECT_GT(above, 0) << "page " << p + 1 << " holds signature boxes alone";
  }
  EXPECT_GE(pages_with_boxes, 2) << "twenty boxes need more than one page";
}

TEST_F(TwentySigners, TheSignedActaStaysSoundAndScreenshotsAreLeft) {
  const std::string path = acta_->dir() + "/veinte.pdf";
  ASSERT_TRUE(WriteFileAtomic(path, *signed_).ok());
  std::string out;
  EXPECT_TRUE(QpdfCheck(path, &out)) << out;
  const PdfsigResult sig = RunPdfsig(path, acta_->anchor_path(), acta_->dir());
  EXPECT_EQ(sig.signatures.size(), 41u) << sig.output;
  for (const PdfsigSignature& s : sig.signatures) EXPECT_TRUE(s.valid) << s.field;
  const std::string dir = rubrica::testing::ScreenshotDir("veinte-firmantes");
  ASSERT_TRUE(WriteFileAtomic(dir + "/acta-veinte-firmantes.pdf", *signed_).ok());
  for (int page : {1, rendered_->foot_slots.front().page, rendered_->pages}) {
    auto r = rubrica::testing::RunCommand({"pdftoppm", "-r", "80", "-png", "-singlefile", "-f",
                                           std::to_string(page), "-l", std::to_string(page), path,
                                           dir + "/hoja-" + std::to_string(page)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
}

}  // namespace
}  // namespace rubrica::pades_testing
