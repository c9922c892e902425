// The record is the source of the minute: a session carried through the API (a substitute
// standing in, an absent seat, a consensus decision, a 2–1 vote, two agreements) is read
// back whole, its minute's first draft is generated from it, and the draft PDF — rendered
// on demand, marked BORRADOR on every page, without signature fields — names exactly what
// was recorded, as pdftotext reads it. Then the tasks each signer sees on the approval day.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "api_world.h"
#include "pades/external_tools.h"
#include "rubrica/base/files.h"

namespace rubrica::server::testing {
namespace {

// pdftotext's text with every run of white space made one space, and its pages.
struct PdfText {
  std::string all;
  std::vector<std::string> pages;
};

std::string Squeeze(const std::string& s) {
  return std::regex_replace(s, std::regex("\\s+"), " ");
}

PdfText ReadText(const std::string& pdf_path) {
  rubrica::testing::CommandResult r = rubrica::testing::RunCommand({"pdftotext", pdf_path, "-"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  PdfText t;
  t.all = Squeeze(r.out);
  size_t start = 0;
  for (;;) {
    const size_t ff = r.out.find('\f', start);
    const std::string page = r.out.substr(start, ff == std::string::npos ? std::string::npos : ff - start);
    if (!Squeeze(page).empty() && Squeeze(page) != " ") t.pages.push_back(Squeeze(page));
    if (ff == std::string::npos) break;
    start = ff + 1;
  }
  return t;
}

int PdfPages(const std::string& pdf_path) {
  rubrica::testing::CommandResult r = rubrica::testing::RunCommand({"pdfinfo", pdf_path});
  std::smatch m;
  if (std::regex_search(r.out, m, std::regex("Pages:\\s+(\\d+)"))) return std::stoi(m[1]);
  return -1;
}

class SessionMinuteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WorldOptions o;
    o.titular2_attends = false;  // the civil society seat is absent
    world_ = std::make_unique<ApiWorld>(o);
    ASSERT_FALSE(HasFatalFailure());
    world_->AdvanceTo(Stage::kSessionHeld);
    ASSERT_FALSE(HasFatalFailure());
  }

  std::string Id(const std::string& key) { return std::to_string(world_->person(key).id); }

  // A session held on 2 March 2026 with every part the minute must name.
  int64_t HoldFullSession() {
    ApiWorld& w = *world_;
    Client f = w.As("facilitator");
    const std::string base = "/api/secretariats/" + std::to_string(w.secretariat);
    Reply conv = f.Post(base + "/sessions",
                        "{\"kind\":\"ordinary\",\"starts_at\":" + Q(ApiWorld::LocalText(2026, 3, 2, 10)) +
                            R"(,"place":"Sala de Cabildo","agenda":["Lista de asistencia",)"
                            R"("Calendario de datos abiertos","Micrositio de transparencia"]})");
    EXPECT_EQ(conv.status, 201) << Describe(conv);
    const int64_t id = conv.Int("session.id");
    const std::string s = "/api/sessions/" + std::to_string(id);
    w.SetClock(ApiWorld::Local(2026, 3, 2, 10));
    f = w.As("facilitator");
    for (const char* k : {"titular", "garante", "suplente", "facilitator"}) {
      Reply r = f.Post(s + "/attendance", "{\"person_id\":" + Id(k) + "}");
      EXPECT_EQ(r.status, 200) << k << Describe(r);
    }
    EXPECT_EQ(f.Post(s + "/observers", "{\"person_id\":" + Id("observer") + "}").status, 200);
    EXPECT_EQ(f.Post(s + "/opening").status, 200);
    Reply agenda = f.Post(s + "/agenda-approval", "{\"approving\":[" + Id("titular") + "," + Id("garante") +
                                                     "," + Id("suplente") + "]}");
    EXPECT_EQ(agenda.status, 200) << Describe(agenda);
    EXPECT_EQ(f.Post(s + "/discussion",
                     R"({"item_position":2,"summary":"Se presentó el calendario de publicación."})")
                  .status,
              200);
    auto vote = [&](const char* k, const char* choice) {
      return "{\"person_id\":" + Id(k) + ",\"choice\":\"" + choice + "\"}";
    };
    Reply consensus = f.Post(s + "/decisions", "{\"item_position\":2,\"subject\":\"Aprobar el calendario "
                                               "de datos abiertos\",\"votes\":[" +
                                                   vote("titular", "yes") + "," + vote("garante", "yes") +
                                                   "," + vote("suplente", "yes") + "]}");
    EXPECT_EQ(consensus.status, 201) << Describe(consensus);
    Reply majority = f.Post(s + "/decisions", "{\"item_position\":3,\"subject\":\"Abrir un micrositio "
                                              "de transparencia\",\"votes\":[" +
                                                  vote("titular", "yes") + "," + vote("garante", "no") +
                                                  "," + vote("suplente", "yes") + "]}");
    EXPECT_EQ(majority.status, 201) << Describe(majority);
    EXPECT_EQ(majority.Str("tally.method"), "majority");
    Reply a1 = f.Post(base + "/agreements",
                      "{\"session_id\":" + std::to_string(id) + ",\"decision_id\":" +
                          std::to_string(consensus.Int("decision_id")) +
                          ",\"text\":\"Publicar el calendario de datos abiertos\",\"owner_person_id\":" +
                          Id("titular") + ",\"due_on\":\"2026-04-15\"}");
    EXPECT_EQ(a1.status, 201) << Describe(a1);
    Reply a2 = f.Post(base + "/agreements",
                      "{\"session_id\":" + std::to_string(id) + ",\"decision_id\":" +
                          std::to_string(majority.Int("decision_id")) +
                          ",\"text\":\"Diseñar el micrositio de transparencia\",\"owner_person_id\":" +
                          Id("suplente") + ",\"due_on\":\"2026-05-29\"}");
    EXPECT_EQ(a2.status, 201) << Describe(a2);
    w.clock().Set(ApiWorld::Local(2026, 3, 2, 11, 40));
    EXPECT_EQ(f.Post(s + "/closing").status, 200);
    return id;
  }

  std::unique_ptr<ApiWorld> world_;
};

TEST_F(SessionMinuteTest, RecordReadsBackSeatsDecisionsWithVotesAndAgreements) {
  const int64_t id = HoldFullSession();
  ASSERT_FALSE(HasFatalFailure());
  Reply r = world_->As("public").Get("/api/sessions/" + std::to_string(id) + "/record");
  ASSERT_EQ(r.status, 200) << Describe(r);
  EXPECT_EQ(r.Int("number_in_year"), 2);  // the world held one ordinary session in February
  EXPECT_EQ(r.Str("quorum.rule"), "majority");
  EXPECT_EQ(r.Int("quorum.present"), 3);
  EXPECT_EQ(r.Int("quorum.seats"), 4);
  EXPECT_TRUE(r.Bool("quorum.met"));
  ASSERT_EQ(r.Size("seats"), 4);
  std::map<std::string, std::string> presence;
  for (int i = 0; i < 4; ++i) {
    const std::string p = "seats[" + std::to_string(i) + "]";
    presence[r.Str(p + ".member_type")] = r.Str(p + ".presence");
  }
  EXPECT_EQ(presence["authority"], "titular");
  EXPECT_EQ(presence["organismo_garante"], "titular");
  EXPECT_EQ(presence["academia"], "substitute");
  EXPECT_EQ(presence["civil_society"], "absent");
  EXPECT_TRUE(r.Bool("facilitator_present"));
  ASSERT_EQ(r.Size("observers"), 1);
  EXPECT_EQ(r.Str("observers[0].full_name"), world_->person("observer").name);
  ASSERT_EQ(r.Size("decisions"), 2);
  EXPECT_EQ(r.Str("decisions[0].tally.method"), "consensus");
  EXPECT_EQ(r.Int("decisions[0].tally.yes"), 3);
  EXPECT_EQ(r.Str("decisions[1].tally.method"), "majority");
  EXPECT_EQ(r.Int("decisions[1].tally.yes"), 2);
  EXPECT_EQ(r.Int("decisions[1].tally.no"), 1);
  ASSERT_EQ(r.Size("decisions[1].votes"), 3);
  int no_votes = 0;
  for (int i = 0; i < 3; ++i) {
    const std::string v = "decisions[1].votes[" + std::to_string(i) + "]";
    if (r.Str(v + ".choice") == "no") {
      ++no_votes;
      EXPECT_EQ(r.Str(v + ".person.full_name"), world_->person("garante").name);
    }
  }
  EXPECT_EQ(no_votes, 1);
  ASSERT_EQ(r.Size("agreements"), 2);
  EXPECT_EQ(r.Str("agreements[0].owner.full_name"), world_->person("titular").name);
  EXPECT_EQ(r.Str("agreements[0].due_on"), "2026-04-15");
  EXPECT_EQ(r.Str("agreements[1].owner.full_name"), world_->person("suplente").name);
  EXPECT_EQ(r.Str("agreements[1].due_on"), "2026-05-29");

  Reply unknown = world_->As("public").Get("/api/sessions/999999/record");
  EXPECT_EQ(unknown.status, 404) << Describe(unknown);
}

TEST_F(SessionMinuteTest, DraftGeneratedFromTheRecordNamesWhatWasRecordedOnEveryMarkedPage) {
  const int64_t id = HoldFullSession();
  ASSERT_FALSE(HasFatalFailure());
  const std::string minute = "/api/sessions/" + std::to_string(id) + "/minute";
  EXPECT_EQ(world_->As("titular").Post(minute).status, 403);  // the facilitator drafts
  Reply created = world_->As("facilitator").Post(minute);
  ASSERT_EQ(created.status, 201) << Describe(created);
  EXPECT_EQ(created.Str("state"), "draft");
  EXPECT_EQ(created.Int("current_version"), 1);
  EXPECT_EQ(created.Str("title"), "Acta de la segunda sesión ordinaria de 2026");
  // The required signers still follow the attendance: the substitute, not the absent seat.
  std::set<int64_t> signers;
  for (int i = 0; i < created.Size("signers"); ++i) {
    signers.insert(created.Int("signers[" + std::to_string(i) + "].person_id"));
  }
  EXPECT_TRUE(signers.count(world_->person("suplente").id));
  EXPECT_FALSE(signers.count(world_->person("titular2").id));
  EXPECT_FALSE(signers.count(world_->person("academia_titular").id));
  // One minute per session.
  EXPECT_EQ(world_->As("facilitator").Post(minute).status, 409);

  const std::string acta = "/api/actas/" + std::to_string(created.Int("id"));
  EXPECT_EQ(world_->As("public").Get(acta + "/pdf").status, 401);  // drafts are not public
  Reply pdf = world_->As("garante").Get(acta + "/pdf");
  ASSERT_EQ(pdf.status, 200) << Describe(pdf);
  EXPECT_EQ(pdf.headers["content-type"], "application/pdf");
  const std::string path = world_->dir() + "/borrador.pdf";
  ASSERT_TRUE(WriteFileAtomic(path, pdf.body).ok());

  const PdfText text = ReadText(path);
  const int pages = PdfPages(path);
  ASSERT_GE(pages, 1);
  ASSERT_EQ(static_cast<int>(text.pages.size()), pages) << text.all;
  for (int p = 0; p < pages; ++p) {
    EXPECT_NE(text.pages[p].find("BORRADOR"), std::string::npos) << "page " << p + 1;
    EXPECT_NE(text.pages[p].find("sin validez"), std::string::npos) << "page " << p + 1;
  }
  const std::string& t = text.all;
  auto has = [&](const std::string& what) {
    EXPECT_NE(t.find(what), std::string::npos) << "missing: " << what << "\n" << t;
  };
  // Attendance: the substitute and for whom, the absence, the observer, the quorum.
  has(world_->person("suplente").name);
  has("asistió en lugar de " + world_->person("academia_titular").name);
  has("no estuvo representado");
  has(world_->person("titular2").name);
  has(world_->person("observer").name);
  has("quórum legal");
  has("tres asientos de los cuatro");
  has("el 50 % más uno de los integrantes");
  // Both decisions with their method and tally.
  has("Aprobar el calendario de datos abiertos");
  has("por consenso");
  has("3 votos a favor, 0 en contra y 0 abstenciones");
  has("Abrir un micrositio de transparencia");
  has("por mayoría de votos: 2 votos a favor, 1 en contra y 0 abstenciones");
  // Both agreements with owner and date.
  has("Publicar el calendario de datos abiertos");
  has("15 de abril de 2026");
  has("Diseñar el micrositio de transparencia");
  has("29 de mayo de 2026");
  has(world_->person("titular").name);
  // Dates and times written out.
  has("dos de marzo de dos mil veintiséis");
  has("11:40 horas (once horas con cuarenta minutos)");

  // Never signed: no signature for pdfsig, no damage for qpdf.
  rubrica::testing::CommandResult sig = rubrica::testing::RunCommand({"pdfsig", path});
  EXPECT_NE(sig.out.find("does not contain any signatures"), std::string::npos) << sig.out << sig.err;
  std::string qpdf;
  EXPECT_TRUE(pades_testing::QpdfCheck(path, &qpdf)) << qpdf;
  // Never stored: the acta still has no revision.
  Reply revisions = world_->As("garante").Get(acta + "/revisions");
  ASSERT_EQ(revisions.status, 200) << Describe(revisions);
  EXPECT_EQ(revisions.Size("revisions"), 0);
}

TEST_F(SessionMinuteTest, MinuteOfASessionNotHeldIsRefused) {
  Reply r = world_->As("facilitator").Post("/api/sessions/" + std::to_string(world_->next_session) + "/minute");
  EXPECT_EQ(r.status, 422) << Describe(r);
  EXPECT_EQ(r.Code(), "documents.session_not_held");
}

// Tasks on the approval day: each signer sees exactly their rubric and foot signature,
// then only the foot signature, then nothing once signed. (Each acknowledged the next
// session's convocation first: that task is api_convocation_test.cc's.)
TEST(MyTasksTest, SignersSeeTheirMissingRubricAndFootSignatureUntilTheySign) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  w.AdvanceTo(Stage::kRubric);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const std::vector<std::string> signers = w.Signers();
  ASSERT_FALSE(signers.empty());
  for (const auto& s : signers) {
    ASSERT_EQ(w.As(s).Post("/api/sessions/" + std::to_string(w.next_session) + "/acknowledge").status, 200) << s;
  }
  auto kinds = [&](const std::string& who) {
    Reply r = w.As(who).Get("/api/me/tasks");
    EXPECT_EQ(r.status, 200) << Describe(r);
    std::vector<std::string> out;
    for (int i = 0; i < r.Size("tasks"); ++i) {
      const std::string p = "tasks[" + std::to_string(i) + "]";
      if (r.Str(p + ".kind") == "rubric" || r.Str(p + ".kind") == "foot") {
        EXPECT_EQ(r.Int(p + ".acta_id"), w.acta);
        EXPECT_EQ(r.Str(p + ".deadline"), "2026-02-16");
        EXPECT_FALSE(r.Bool(p + ".overdue"));
        EXPECT_EQ(r.Str(p + ".web_route"), "/actas/" + std::to_string(w.acta));
        EXPECT_FALSE(r.Str(p + ".title_es").empty());
      }
      out.push_back(r.Str(p + ".kind") + (r.Bool(p + ".ready") ? "" : "(later)"));
    }
    return out;
  };
  for (const auto& s : signers) {
    std::vector<std::string> k = kinds(s);
    std::erase(k, "delivery");  // the garante also sees the month's delivery
    EXPECT_EQ(k, (std::vector<std::string>{"rubric", "foot(later)"})) << s;
  }
  Reply tasks = w.As(signers[0]).Get("/api/me/tasks");
  EXPECT_EQ(tasks.Str("tasks[0].api.path"), "/api/actas/" + std::to_string(w.acta) + "/rubric");
  // The observer signs nothing.
  EXPECT_EQ(w.As("observer").Get("/api/me/tasks").Size("tasks"), 0);
  EXPECT_EQ(w.As("public").Get("/api/me/tasks").status, 401);

  w.AdvanceTo(Stage::kFootSignature);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  for (const auto& s : signers) {
    std::vector<std::string> k = kinds(s);
    std::erase(k, "delivery");
    EXPECT_EQ(k, (std::vector<std::string>{"foot"})) << s;
  }
  w.AdvanceTo(Stage::kArchived);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  for (const auto& s : signers) {
    std::vector<std::string> k = kinds(s);
    std::erase(k, "delivery");
    EXPECT_TRUE(k.empty()) << s;
  }
}

}  // namespace
}  // namespace rubrica::server::testing
