// GET /api/archive over the real service: the demo-like minute found by signer, date range
// and a title word (with and without accents), pages, who sees what, the links of each hit
// (every one leads somewhere), the delivery receipt, and unknown query parameters refused.
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "api_world.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/keys/efirma.h"

namespace rubrica::server::testing {
namespace {

std::string Enc(const std::string& s) {
  std::string out;
  Poco::URI::encode(s, "&=+?#/;", out);
  return out;
}

std::string Archive(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string path = "/api/archive";
  for (size_t i = 0; i < params.size(); ++i) {
    path += (i ? "&" : "?") + params[i].first + "=" + Enc(params[i].second);
  }
  return path;
}

std::vector<int64_t> Ids(const Reply& r) {
  std::vector<int64_t> ids;
  for (int i = 0; i < r.Size("actas"); ++i) ids.push_back(r.Int("actas[" + std::to_string(i) + "].id"));
  return ids;
}

// An installation acta in draft (dated 2026-01-05), as the facilitator writes it.
int64_t DraftInstallation(ApiWorld& w) {
  Reply r = w.As("facilitator")
                .Post("/api/secretariats/" + std::to_string(w.secretariat) + "/actas",
                      "{\"kind\":\"installation\",\"acta_date\":\"2026-01-05\",\"title\":"
                      "\"Acta de instalación del Secretariado Técnico Municipal\",\"content\":" +
                          ApiWorld::MinuteContent("ACTA DE INSTALACIÓN") + "}");
  EXPECT_EQ(r.status, 201) << Describe(r);
  return r.Int("id");
}

TEST(ApiArchiveTest, FindsTheArchivedMinuteBySignerDateRangeAndTitleWord) {
  ApiWorld w;
  w.AdvanceTo(Stage::kArchived);
  const Client pub = w.As("public");
  const std::string signer_first = w.person("titular").name.substr(0, w.person("titular").name.find(' '));
  struct Case {
    std::string what;
    std::vector<std::pair<std::string, std::string>> params;
    size_t hits;
  };
  const std::vector<Case> cases = {
      {"everything", {}, 1},
      {"signer's full name", {{"signer", w.person("garante").name}}, 1},
      {"signer's first name, lower case", {{"signer", signer_first}}, 1},
      {"someone who signed nothing", {{"signer", w.person("spare").name}}, 0},
      {"a CURP nobody holds", {{"signer", "GOAA800101HMNNRN09"}}, 0},
      {"an RFC nobody holds", {{"signer", "XAXX010101000"}}, 0},
      {"range around the session", {{"from", "2026-02-01"}, {"to", "2026-02-28"}}, 1},
      {"range starting on its day", {{"from", "2026-02-16"}}, 1},
      {"range ending the day before", {{"to", "2026-02-15"}}, 0},
      {"range after", {{"from", "2026-03-01"}}, 0},
      {"title word without accent", {{"q", "sesion"}}, 1},
      {"title words with accent, capitals", {{"q", "PRIMERA SESIÓN"}}, 1},
      {"title word it lacks", {{"q", "extraordinaria"}}, 0},
      {"kind", {{"kind", "session_minute"}}, 1},
      {"other kind", {{"kind", "installation"}}, 0},
      {"secretariat", {{"secretariat_id", std::to_string(w.secretariat)}}, 1},
      {"session", {{"session_id", std::to_string(w.session)}}, 1},
      {"other session", {{"session_id", std::to_string(w.next_session)}}, 0},
      {"state", {{"state", "archived"}}, 1},
      {"all at once",
       {{"signer", signer_first}, {"q", "ordinaria"}, {"from", "2026-02-16"}, {"to", "2026-02-16"}},
       1},
  };
  for (const auto& c : cases) {
    Reply r = pub.Get(Archive(c.params));
    ASSERT_EQ(r.status, 200) << c.what << ": " << Describe(r);
    ASSERT_EQ(r.Size("actas"), static_cast<int>(c.hits)) << c.what << ": " << r.body;
    if (c.hits == 1) {
      EXPECT_EQ(r.Int("actas[0].id"), w.acta) << c.what;
    }
  }
}

// A signer whose certificate carries an RFC and a CURP where the SAT's e.firma does (the
// substitute's device certificate, registered as an external credential): GET /api/archive
// and `rubrica archive search` find the minute they signed by either, in any case.
TEST(ApiArchiveTest, FindsTheMinuteByItsSignersRfcOrCurpOverTheApiAndTheCli) {
  WorldOptions o;
  o.external_suplente = true;
  ApiWorld w(o);
  w.AdvanceTo(Stage::kArchived);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const std::vector<std::string> signers = w.Signers();
  ASSERT_NE(std::find(signers.begin(), signers.end(), "suplente"), signers.end());
  // What the certificate carries, read as for any e.firma.
  auto device = keys::ReadEfirmaCertificate(w.device().cer_der);
  ASSERT_TRUE(device.ok()) << device.status().ToString();
  ASSERT_FALSE(device->curp.empty());
  std::string lower_rfc = device->rfc;
  for (char& c : lower_rfc) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::vector<std::string> tax_ids = {device->rfc, lower_rfc, device->curp};
  for (const std::string& id : tax_ids) {
    Reply r = w.As("public").Get(Archive({{"signer", id}}));
    ASSERT_EQ(r.status, 200) << id << ": " << Describe(r);
    ASSERT_EQ(r.Size("actas"), 1) << id << ": " << r.body;
    EXPECT_EQ(r.Int("actas[0].id"), w.acta) << id;
  }
  const std::string other_rfc = device->rfc.substr(0, 12) + (device->rfc.back() == '9' ? "8" : "9");
  Reply other = w.As("public").Get(Archive({{"signer", other_rfc}}));
  ASSERT_EQ(other.status, 200);
  EXPECT_EQ(other.Size("actas"), 0) << "another RFC finds nothing: " << other.body;

  w.StopService();
  for (const std::string& id : tax_ids) {
    auto cli = rubrica::testing::RunCommand({rubrica::testing::RubricaBinary(), "archive", "search", "--data-dir",
                                             w.data_dir(), "--signer", id, "--json"});
    EXPECT_EQ(cli.exit_code, 0) << id << ": " << cli.out << cli.err;
    EXPECT_NE(cli.out.find("{\"id\":" + std::to_string(w.acta) + ","), std::string::npos) << id << ": " << cli.out;
  }
  auto none = rubrica::testing::RunCommand({rubrica::testing::RubricaBinary(), "archive", "search", "--data-dir",
                                            w.data_dir(), "--signer", other_rfc, "--json"});
  EXPECT_EQ(none.exit_code, 0) << none.err;
  EXPECT_EQ(none.out.find("{\"id\":"), std::string::npos) << none.out;
}

TEST(ApiArchiveTest, EachHitCarriesItsStateHashAndLinksThatLeadSomewhere) {
  ApiWorld w;
  w.AdvanceTo(Stage::kArchived);
  const Client pub = w.As("public");
  Reply r = pub.Get("/api/archive?q=sesion");
  ASSERT_EQ(r.status, 200) << Describe(r);
  ASSERT_EQ(r.Size("actas"), 1);
  EXPECT_EQ(r.Str("actas[0].state"), "archived");
  EXPECT_EQ(r.Str("actas[0].state_es"), "archivada");
  EXPECT_EQ(r.Str("actas[0].acta_date"), "2026-02-16");
  EXPECT_FALSE(r.Str("actas[0].folio").empty());
  EXPECT_EQ(r.Size("actas[0].signers"), static_cast<int>(w.Signers().size()));
  EXPECT_EQ(r.Str("next_cursor"), "") << "one hit, no next page";

  Reply pdf = pub.Get(r.Str("actas[0].links.pdf"));
  ASSERT_EQ(pdf.status, 200) << Describe(pdf);
  EXPECT_EQ(Sha256Hex(pdf.body), r.Str("actas[0].sealed_sha256")) << "the hash is the sealed PDF's";
  EXPECT_EQ(pub.Get(r.Str("actas[0].links.acta")).status, 200);
  EXPECT_EQ(pub.Get(r.Str("actas[0].links.revisions")).status, 200);
  const int revisions = r.Size("actas[0].links.revision_files");
  // The certification, a rubric and a foot signature of every signer, the seal.
  EXPECT_EQ(revisions, 2 + 2 * static_cast<int>(w.Signers().size()));
  for (int i = 0; i < revisions; ++i) {
    const std::string at = "actas[0].links.revision_files[" + std::to_string(i) + "]";
    Reply rev = pub.Get(r.Str(at + ".href"));
    ASSERT_EQ(rev.status, 200) << r.Str(at + ".href");
    EXPECT_EQ(Sha256Hex(rev.body), r.Str(at + ".sha256"));
  }
  EXPECT_EQ(r.Str("actas[0].links.receipt"), "") << "no receipt link before the delivery";
  Reply none = pub.Get("/api/actas/" + std::to_string(w.acta) + "/receipt");
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(none.Code(), "api.no_receipt");

  w.AdvanceTo(Stage::kDelivered);
  r = pub.Get("/api/archive?state=delivered");
  ASSERT_EQ(r.Size("actas"), 1) << r.body;
  const std::string receipt_link = r.Str("actas[0].links.receipt");
  ASSERT_EQ(receipt_link, "/api/actas/" + std::to_string(w.acta) + "/receipt");
  Reply receipt = pub.Get(receipt_link);
  ASSERT_EQ(receipt.status, 200) << Describe(receipt);
  EXPECT_NE(receipt.body.find("Acuse de recibo 2026/0216"), std::string::npos);
  EXPECT_EQ(receipt.headers["content-type"], "text/plain; charset=utf-8");
}

TEST(ApiArchiveTest, InsidersFindDraftsTheRestOnlyArchivedActas) {
  ApiWorld w;
  w.AdvanceTo(Stage::kArchived);
  const int64_t installation = DraftInstallation(w);
  struct Case {
    std::string role;
    std::vector<int64_t> expected;  // newest first
  };
  const std::vector<Case> cases = {
      {"facilitator", {w.acta, installation}},
      {"titular", {w.acta, installation}},
      {"garante", {w.acta, installation}},
      {"observer", {w.acta}},  // a draft is not approved yet
      {"archivist", {w.acta}},
      {"admin", {w.acta}},
      {"public", {w.acta}},
  };
  for (const auto& c : cases) {
    Reply r = w.As(c.role).Get("/api/archive");
    ASSERT_EQ(r.status, 200) << c.role << ": " << Describe(r);
    EXPECT_EQ(Ids(r), c.expected) << c.role;
  }
  Reply pub = w.As("public").Get("/api/archive?q=instalacion");
  EXPECT_EQ(pub.Size("actas"), 0) << "a draft's title is not searchable by the public";
  Reply fac = w.As("facilitator").Get("/api/archive?q=instalacion&state=draft");
  EXPECT_EQ(Ids(fac), std::vector<int64_t>{installation});
}

TEST(ApiArchiveTest, PagesWalkEveryHitOnceByCursor) {
  ApiWorld w;
  w.AdvanceTo(Stage::kArchived);
  const int64_t installation = DraftInstallation(w);
  const Client f = w.As("facilitator");
  std::vector<int64_t> seen;
  std::string cursor;
  for (int page = 0; page < 5; ++page) {
    std::vector<std::pair<std::string, std::string>> params = {{"limit", "1"}};
    if (!cursor.empty()) params.emplace_back("cursor", cursor);
    Reply r = f.Get(Archive(params));
    ASSERT_EQ(r.status, 200) << Describe(r);
    ASSERT_EQ(r.Size("actas"), 1) << r.body;
    seen.push_back(r.Int("actas[0].id"));
    cursor = r.Str("next_cursor");
    if (cursor.empty()) break;
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{w.acta, installation}));
  EXPECT_EQ(f.Get("/api/archive?limit=100").Size("actas"), 2);
}

TEST(ApiArchiveTest, UnknownRepeatedOrBadParametersAreRefusedNotIgnored) {
  ApiWorld w;
  w.AdvanceTo(Stage::kArchived);
  const std::string sec = "/api/secretariats/" + std::to_string(w.secretariat);
  struct Case {
    std::string role;
    std::string path;
    int status;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"public", "/api/archive?year=2026", 400, "api.unknown_parameter"},
      {"facilitator", "/api/archive?q=sesion&page=2", 400, "api.unknown_parameter"},
      {"public", sec + "/actas?year=2026", 400, "api.unknown_parameter"},
      {"public", "/api/actas/" + std::to_string(w.acta) + "?verbose=1", 400, "api.unknown_parameter"},
      {"facilitator", sec + "/deliveries?month=2026-02&year=2026", 400, "api.unknown_parameter"},
      {"public", "/api/archive?q=sesion&q=acta", 400, "api.repeated_parameter"},
      {"public", "/api/archive?limit=0", 400, "api.bad_parameter"},
      {"public", "/api/archive?limit=101", 400, "api.bad_parameter"},
      {"public", "/api/archive?limit=ten", 400, "api.bad_parameter"},
      {"public", "/api/archive?from=2026-02-30", 400, "api.bad_parameter"},
      {"public", "/api/archive?kind=ordinaria", 400, "api.bad_parameter"},
      {"public", "/api/archive?state=sealed", 400, "api.bad_parameter"},
      {"public", "/api/archive?secretariat_id=-1", 400, "api.bad_parameter"},
      {"public", "/api/archive?q=" + std::string(201, 'a'), 400, "api.bad_parameter"},
      {"public", "/api/archive?cursor=nonsense", 400, "workflows.bad_input"},
      {"public", "/api/archive?from=2026-03-01&to=2026-02-01", 400, "workflows.bad_input"},
      {"public", "/api/archive?q=%C2%BF%21", 400, "workflows.bad_input"},
      // Declared parameters still work.
      {"facilitator", sec + "/deliveries?month=2026-02", 200, ""},
      {"public", sec + "/actas", 200, ""},
  };
  for (const auto& c : cases) {
    Reply r = w.As(c.role).Get(c.path);
    EXPECT_EQ(r.status, c.status) << c.path << ": " << Describe(r);
    EXPECT_EQ(r.Code(), c.code) << c.path;
    if (c.status == 400) {
      EXPECT_FALSE(r.Str("error.message").empty()) << c.path;
    }
  }
}

}  // namespace
}  // namespace rubrica::server::testing
