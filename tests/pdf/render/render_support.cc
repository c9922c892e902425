#include "render_support.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/lang/posts.h"
#include "rubrica/pdf/acta_json.h"

namespace rubrica::pdf::testing {

std::string FixturePath(const std::string& name) {
  return rubrica::testing::SourceDir() + "/tests/fixtures/actas/" + name;
}

std::string ReadFixture(const std::string& name) {
  auto bytes = ReadFile(FixturePath(name));
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::string();
}

ActaDocument LoadActa(const std::string& name) {
  auto acta = ParseActaJson(ReadFixture(name));
  EXPECT_TRUE(acta.ok()) << name << ": " << acta.status().ToString();
  return acta.ok() ? *acta : ActaDocument();
}

SignaturePlan PlanFromPreview(const ActaDocument& acta) {
  SignaturePlan plan;
  plan.approved_on = "2022-11-14";
  for (const Block& b : acta.blocks) {
    if (const auto* s = std::get_if<SignatureBlock>(&b)) {
      for (const SignatureSlotText& t : s->preview_signers) {
        // As the engine writes a plan: role and post agreed with the signer's gender.
        const lang::Gender g = lang::ParseGender(t.gender).value_or(lang::Gender::kNeutral);
        RequiredSigner r;
        r.name = t.name;
        r.representation = lang::AgreePost(t.representation, g);
        r.role = lang::AgreePost(t.role, g);
        r.seat = t.seat;
        r.identity.email =
            "firmante" + std::to_string(plan.signers.size() + 1) + "@rubrica.example";
        plan.signers.push_back(r);
      }
    }
  }
  return plan;
}

RenderOptions PlainOptions() {
  RenderOptions o;
  o.created_at = Instant(std::chrono::seconds(1668443100));  // 2022-11-14T16:25:00Z
  return o;
}

RenderOptions DraftOptions(int version) {
  RenderOptions o = PlainOptions();
  o.draft = true;
  o.version = version;
  return o;
}

RenderOptions ApprovedOptions(const SignaturePlan& plan, int version) {
  RenderOptions o = PlainOptions();
  o.plan = plan;
  o.version = version;
  return o;
}

RenderOptions CertifiedOptions(const SignaturePlan& plan, const std::string& content_sha256,
                               int version) {
  RenderOptions o = ApprovedOptions(plan, version);
  o.folio = kTestFolio;
  o.content_sha256 = content_sha256;
  o.public_url = kTestPublicUrl;
  return o;
}

namespace {

struct Cache {
  std::mutex mutex;
  std::map<std::pair<std::string, Mode>, RenderedActa> renders;
  std::map<std::pair<std::string, Mode>, std::string> files;
  std::unique_ptr<rubrica::testing::TempDir> dir;
};

Cache& TheCache() {
  static Cache cache;
  return cache;
}

}  // namespace

const RenderedActa& Rendered(const std::string& fixture, Mode mode) {
  Cache& c = TheCache();
  std::lock_guard<std::mutex> lock(c.mutex);
  auto key = std::make_pair(fixture, mode);
  auto it = c.renders.find(key);
  if (it != c.renders.end()) return it->second;
  ActaDocument acta = LoadActa(fixture);
  RenderOptions options = mode == Mode::kDraft ? DraftOptions(2)
                                               : CertifiedOptions(PlanFromPreview(acta),
                                                                  Sha256Hex(ReadFixture(fixture)));
  auto rendered = RenderActa(acta, options);
  EXPECT_TRUE(rendered.ok()) << fixture << ": " << rendered.status().ToString();
  return c.renders[key] = rendered.ok() ? *rendered : RenderedActa();
}

const std::string& RenderedFile(const std::string& fixture, Mode mode) {
  const RenderedActa& r = Rendered(fixture, mode);
  Cache& c = TheCache();
  std::lock_guard<std::mutex> lock(c.mutex);
  auto key = std::make_pair(fixture, mode);
  auto it = c.files.find(key);
  if (it != c.files.end()) return it->second;
  if (!c.dir) c.dir = std::make_unique<rubrica::testing::TempDir>();
  std::string path = *c.dir / (fixture + (mode == Mode::kDraft ? ".draft.pdf" : ".approved.pdf"));
  EXPECT_TRUE(WriteFileAtomic(path, r.pdf).ok());
  return c.files[key] = path;
}

std::string Tool(const std::vector<std::string>& argv) {
  auto r = rubrica::testing::RunCommand(argv);
  EXPECT_EQ(r.exit_code, 0) << argv[0] << " failed: " << r.err;
  return r.out;
}

std::string Collapse(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f') {
      space = !out.empty();
    } else {
      if (space) out.push_back(' ');
      space = false;
      out.push_back(c);
    }
  }
  return out;
}

QpdfDoc::QpdfDoc(const std::string& path) {
  const std::string json = Tool({"qpdf", "--json", path});
  try {
    Poco::JSON::Parser parser;
    json_ = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    objects_ = json_->getArray("qpdf")->getObject(1);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "qpdf --json output does not parse: " << e.what();
    json_ = new Poco::JSON::Object;
    objects_ = new Poco::JSON::Object;
  }
}

Poco::JSON::Object::Ptr QpdfDoc::Dict(const std::string& ref) const {
  const std::string key = ref == "trailer" ? ref : "obj:" + ref;
  Poco::JSON::Object::Ptr entry = objects_->getObject(key);
  if (!entry) return nullptr;
  if (entry->has("stream")) return entry->getObject("stream")->getObject("dict");
  return entry->getObject("value");
}

bool QpdfDoc::IsStream(const std::string& ref) const {
  Poco::JSON::Object::Ptr entry = objects_->getObject("obj:" + ref);
  return entry && entry->has("stream");
}

std::vector<std::string> QpdfDoc::Pages() const {
  std::vector<std::string> pages;
  Poco::JSON::Array::Ptr a = json_->getArray("pages");
  for (size_t i = 0; a && i < a->size(); ++i) {
    pages.push_back(a->getObject(static_cast<unsigned>(i))->getValue<std::string>("object"));
  }
  return pages;
}

Poco::JSON::Array::Ptr QpdfDoc::Fields() const {
  return json_->getObject("acroform")->getArray("fields");
}

std::vector<double> Numbers(const Poco::Dynamic::Var& array) {
  std::vector<double> out;
  if (array.isEmpty()) return out;
  Poco::JSON::Array::Ptr a = array.extract<Poco::JSON::Array::Ptr>();
  for (size_t i = 0; i < a->size(); ++i)
    out.push_back(a->get(static_cast<unsigned>(i)).convert<double>());
  return out;
}

namespace {

double Attribute(const std::string& tag, const std::string& name) {
  const std::string key = name + "=\"";
  size_t at = tag.find(key);
  if (at == std::string::npos) return -1;
  return std::stod(tag.substr(at + key.size()));
}

std::string DecodeEntities(std::string s) {
  const std::pair<const char*, const char*> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + 1)) {
      s.replace(at, std::string(from).size(), to);
    }
  }
  return s;
}

}  // namespace

std::vector<Word> BoundingBoxes(const std::string& pdf_path) {
  const std::string html = Tool({"pdftotext", "-bbox", pdf_path, "-"});
  std::vector<Word> words;
  int page = 0;
  size_t at = 0;
  while (true) {
    size_t next_page = html.find("<page ", at);
    size_t next_word = html.find("<word ", at);
    if (next_word == std::string::npos) break;
    if (next_page != std::string::npos && next_page < next_word) {
      ++page;
      at = next_page + 6;
      continue;
    }
    size_t tag_end = html.find('>', next_word);
    size_t close = html.find("</word>", tag_end);
    if (tag_end == std::string::npos || close == std::string::npos) break;
    const std::string tag = html.substr(next_word, tag_end - next_word);
    words.push_back({page, Attribute(tag, "xMin"), Attribute(tag, "yMin"), Attribute(tag, "xMax"),
                     Attribute(tag, "yMax"),
                     DecodeEntities(html.substr(tag_end + 1, close - tag_end - 1))});
    at = close;
  }
  return words;
}

}  // namespace rubrica::pdf::testing
