// The public microsite on the real service: the public's questions and complaints (folio,
// lookup, the facilitator's answer, the per-address limit under a burst, control
// characters refused), the open data (CSV per RFC 4180 with formulas neutralised, JSON,
// licence, dictionary) and published files served with safe types.
#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <thread>

#include "api_world.h"
#include "rubrica/base/crypto_util.h"

namespace rubrica::server::testing {
namespace {

std::string Sid(const ApiWorld& w) { return std::to_string(w.secretariat); }

// A strict RFC 4180 reader: CRLF line ends, quoted fields with doubled quotes; fails the
// test on anything else.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  size_t i = 0;
  bool quoted = false, was_quoted = false;
  while (i < text.size()) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        i += 2;
      } else if (c == '"') {
        quoted = false;
        ++i;
      } else {
        field += c;
        ++i;
      }
      continue;
    }
    if (c == '"') {
      EXPECT_TRUE(field.empty() && !was_quoted) << "quote inside an unquoted field at " << i;
      quoted = was_quoted = true;
      ++i;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      was_quoted = false;
      ++i;
    } else if (c == '\r') {
      EXPECT_TRUE(i + 1 < text.size() && text[i + 1] == '\n') << "CR without LF at " << i;
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
      was_quoted = false;
      i += 2;
    } else {
      EXPECT_NE(c, '\n') << "bare LF at " << i;
      field += c;
      ++i;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quote";
  EXPECT_TRUE(row.empty() && field.empty()) << "last line without CRLF";
  return rows;
}

std::string Complaint(const std::string& name, const std::string& text) {
  return R"({"kind":"complaint","name":")" + name + R"(","contact":"vecina@example.org","text":")" +
         text + "\"}";
}

TEST(MicrositeSubmissionsTest, ThePublicFilesAComplaintAndReadsTheFacilitatorsAnswerByFolio) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  Client pub = w.As("public");
  Reply filed = pub.Post("/api/secretariats/" + Sid(w) + "/submissions",
                         Complaint("Lucía Ferrer", "La sesión de febrero empezó sin aviso.\\nPido la minuta."));
  ASSERT_EQ(filed.status, 201) << Describe(filed);
  const std::string folio = filed.Str("folio");
  EXPECT_TRUE(std::regex_match(folio, std::regex("QUE-[0-9]{6}-[0-9A-HJKMNP-TV-Z]{8}"))) << folio;
  EXPECT_EQ(filed.Str("status"), "received");

  // Looked up by folio, in any case: status and text, never the name or the contact.
  std::string lower = folio;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Reply look = pub.Get("/api/submissions/" + lower);
  ASSERT_EQ(look.status, 200) << Describe(look);
  EXPECT_EQ(look.Str("status"), "received");
  EXPECT_EQ(look.Str("text"), "La sesión de febrero empezó sin aviso.\nPido la minuta.");
  EXPECT_EQ(look.body.find("Lucía"), std::string::npos);
  EXPECT_EQ(look.body.find("vecina@"), std::string::npos);

  // Only the facilitator lists and answers.
  EXPECT_EQ(w.As("titular").Get("/api/secretariats/" + Sid(w) + "/submissions").status, 403);
  EXPECT_EQ(pub.Get("/api/secretariats/" + Sid(w) + "/submissions").status, 401);
  Reply list = w.As("facilitator").Get("/api/secretariats/" + Sid(w) + "/submissions");
  ASSERT_EQ(list.status, 200) << Describe(list);
  ASSERT_EQ(list.Size("submissions"), 1);
  EXPECT_EQ(list.Str("submissions[0].name"), "Lucía Ferrer");
  EXPECT_EQ(list.Str("submissions[0].contact"), "vecina@example.org");
  const std::string answer_path = "/api/secretariats/" + Sid(w) + "/submissions/" +
                                  list.Str("submissions[0].id") + "/answer";
  EXPECT_EQ(pub.Post(answer_path, R"({"answer":"x"})").status, 401);
  Reply answered = w.As("facilitator")
                       .Post(answer_path, R"({"answer":"La convocatoria se publicó el 26 de enero."})");
  ASSERT_EQ(answered.status, 200) << Describe(answered);
  Reply after = pub.Get("/api/submissions/" + folio);
  EXPECT_EQ(after.Str("status"), "answered");
  EXPECT_EQ(after.Str("answer"), "La convocatoria se publicó el 26 de enero.");
  EXPECT_FALSE(after.Str("answered_at").empty());

  // A folio that does not exist: a clear 404; after 30 misses the address waits.
  Reply miss = pub.Get("/api/submissions/QUE-000001-AAAAAAAA");
  EXPECT_EQ(miss.status, 404);
  EXPECT_EQ(miss.Code(), "api.folio_not_found");
  for (int i = 0; i < 29; ++i) pub.Get("/api/submissions/QUE-000001-AAAAAAA" + std::to_string(i % 10));
  Reply limited = pub.Get("/api/submissions/" + folio);
  EXPECT_EQ(limited.status, 429) << Describe(limited);
  EXPECT_EQ(limited.Code(), "api.too_many_lookups");
}

TEST(MicrositeSubmissionsTest, ControlAndBidiCharactersAreRefusedAndNothingIsStored) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  Client pub = w.As("public");
  const std::string path = "/api/secretariats/" + Sid(w) + "/submissions";
  Reply bell = pub.Post(path, Complaint("Luc\\u0007ía", "texto"));
  EXPECT_EQ(bell.status, 400) << Describe(bell);
  EXPECT_EQ(bell.Code(), "api.bad_text");
  EXPECT_FALSE(bell.Str("error.message").empty());
  Reply bidi = pub.Post(path, Complaint("Lucía", "pago \\u202Eoculto"));
  EXPECT_EQ(bidi.status, 400) << Describe(bidi);
  EXPECT_EQ(bidi.Code(), "api.bad_text");
  Reply nul = pub.Post(path, Complaint("Lucía", "a\\u0000b"));
  EXPECT_EQ(nul.status, 400) << Describe(nul);
  Reply long_text = pub.Post(path, Complaint("Lucía", std::string(4001, 'a')));
  EXPECT_EQ(long_text.status, 400) << Describe(long_text);
  Reply participation = pub.Post(path, R"({"kind":"participation","text":"Quiero participar"})");
  EXPECT_EQ(participation.status, 400) << Describe(participation);
  EXPECT_EQ(participation.Code(), "api.missing_field");
  Reply list = w.As("facilitator").Get(path);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.Size("submissions"), 0);
}

TEST(MicrositeSubmissionsTest, ABurstOfParallelPostsFromOneAddressIsHeldToTheLimit) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const std::string path = "/api/secretariats/" + Sid(w) + "/submissions";
  constexpr int kPosts = 24;
  std::atomic<int> created{0}, limited{0}, other{0};
  std::atomic<bool> retry_after{true};
  std::vector<std::thread> threads;
  for (int i = 0; i < kPosts; ++i) {
    threads.emplace_back([&, i] {
      Reply r = w.As("public").Post(
          path, R"({"kind":"suggestion","text":"Sugerencia )" + std::to_string(i) + "\"}");
      if (r.status == 201) {
        ++created;
      } else if (r.status == 429 && r.Code() == "api.too_many_submissions") {
        ++limited;
        if (r.headers["retry-after"].empty()) retry_after = false;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 5);
  EXPECT_EQ(limited.load(), kPosts - 5);
  EXPECT_EQ(other.load(), 0);
  EXPECT_TRUE(retry_after.load());
  Reply list = w.As("facilitator").Get(path);
  EXPECT_EQ(list.Size("submissions"), 5);
}

TEST(MicrositeOpenDataTest, CsvFollowsRfc4180NeutralisesFormulasAndMatchesTheJson) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  w.AdvanceTo(Stage::kSessionHeld);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  // Titles a spreadsheet would run, or that need quoting.
  Client f = w.As("facilitator");
  const std::string plan = "/api/plans/" + std::to_string(w.plan) + "/commitments";
  ASSERT_EQ(f.Post(plan, R"j({"title":"=HYPERLINK(\"http://x\",\"clic\")"})j").status, 201);
  ASSERT_EQ(f.Post(plan, R"({"title":"+52 55, -1 y @suma"})").status, 201);

  Client pub = w.As("public");
  const std::string base = "/api/secretariats/" + Sid(w) + "/open-data/";
  Reply csv = pub.Get(base + "commitments/csv");
  ASSERT_EQ(csv.status, 200) << Describe(csv);
  EXPECT_EQ(csv.headers["content-type"], "text/csv; charset=utf-8; header=present");
  EXPECT_NE(csv.headers["content-disposition"].find("attachment"), std::string::npos);
  EXPECT_NE(csv.headers["link"].find("creativecommons.org/licenses/by/4.0"), std::string::npos);
  auto rows = ParseCsv(csv.body);
  ASSERT_EQ(rows.size(), 4u) << csv.body;  // header, the world's commitment, the two above
  EXPECT_EQ(rows[0], (std::vector<std::string>{"plan_id", "plan_title", "commitment_id",
                                               "commitment_title", "commitment_progress",
                                               "activity_id", "activity_title",
                                               "activity_due_on", "activity_progress"}));
  EXPECT_EQ(rows[1][3], "Datos abiertos del presupuesto");
  EXPECT_EQ(rows[2][3], "'=HYPERLINK(\"http://x\",\"clic\")");
  EXPECT_EQ(rows[3][3], "'+52 55, -1 y @suma");
  for (const auto& r : rows) EXPECT_EQ(r.size(), 9u);

  Reply json = pub.Get(base + "commitments");
  ASSERT_EQ(json.status, 200) << Describe(json);
  EXPECT_EQ(json.Str("licence"), "CC-BY-4.0");
  EXPECT_EQ(json.Size("rows"), 3);
  // JSON keeps the text as written: it runs in no spreadsheet.
  EXPECT_EQ(json.Str("rows[1].commitment_title"), "=HYPERLINK(\"http://x\",\"clic\")");

  // The held session's attendance and votes, one row per seat.
  auto attendance = ParseCsv(pub.Get(base + "attendance/csv").body);
  ASSERT_GE(attendance.size(), 5u);
  EXPECT_EQ(attendance[0][0], "session_id");
  auto votes = ParseCsv(pub.Get(base + "votes/csv").body);
  ASSERT_GE(votes.size(), 2u);
  EXPECT_EQ(votes[1][4], "Aprobar el calendario de seguimiento");
  EXPECT_EQ(votes[1].back(), "yes");
  Reply agreements = pub.Get(base + "agreements");
  EXPECT_EQ(agreements.Str("rows[0].text"), "Publicar el calendario de seguimiento");
  Reply sessions = pub.Get(base + "sessions");
  EXPECT_EQ(sessions.Size("rows"), 2);

  // Every dataset's columns are those of the dictionary.
  Reply dict = pub.Get("/api/open-data/dictionary");
  ASSERT_EQ(dict.status, 200);
  ASSERT_EQ(dict.Size("datasets"), 5);
  for (int d = 0; d < 5; ++d) {
    const std::string name = dict.Str("datasets[" + std::to_string(d) + "].name");
    auto header = ParseCsv(pub.Get(base + name + "/csv").body).at(0);
    ASSERT_EQ(static_cast<int>(header.size()),
              dict.Size("datasets[" + std::to_string(d) + "].columns")) << name;
    for (size_t c = 0; c < header.size(); ++c) {
      EXPECT_EQ(header[c], dict.Str("datasets[" + std::to_string(d) + "].columns[" +
                                    std::to_string(c) + "].name"));
    }
  }
  EXPECT_EQ(pub.Get(base + "salaries/csv").status, 404);
}

TEST(MicrositeItemsTest, FilesAreServedWithTheirCheckedTypeAndNeverAsHtml) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  Client f = w.As("facilitator");
  const std::string items = "/api/secretariats/" + Sid(w) + "/microsite/items";
  const std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + std::string(40, '\0');
  auto item = [](const std::string& kind, const std::string& extra) {
    return R"({"kind":")" + kind + R"(","title":"Sesión de febrero","published_on":"2026-02-16",)" +
           extra + "}";
  };
  Reply photo = f.Post(items, item("photo", R"("file":")" + Base64Encode(png) +
                                                R"(","content_type":"image/png")"));
  ASSERT_EQ(photo.status, 201) << Describe(photo);
  Reply got = w.As("public").Get(photo.Str("file_url"));
  ASSERT_EQ(got.status, 200) << Describe(got);
  EXPECT_EQ(got.headers["content-type"], "image/png");
  EXPECT_EQ(got.body, png);
  EXPECT_EQ(got.headers["x-content-type-options"], "nosniff");
  EXPECT_NE(got.headers["content-security-policy"].find("sandbox"), std::string::npos);
  EXPECT_EQ(got.headers["content-disposition"].rfind("inline", 0), 0u);

  const std::string html = "<html><script>alert(1)</script></html>";
  Reply as_png = f.Post(items, item("photo", R"("file":")" + Base64Encode(html) +
                                                 R"(","content_type":"image/png")"));
  EXPECT_EQ(as_png.status, 400);
  EXPECT_EQ(as_png.Code(), "api.bad_item");
  Reply as_html = f.Post(items, item("communique", R"("file":")" + Base64Encode(html) +
                                                       R"(","content_type":"text/html")"));
  EXPECT_EQ(as_html.status, 400);
  EXPECT_EQ(as_html.Code(), "api.bad_item");
  EXPECT_EQ(f.Post(items, item("video", R"("url":"http://video.example.org/1")")).status, 400);
  EXPECT_EQ(f.Post(items, item("video", R"j("url":"javascript:alert(1)")j")).status, 400);
  Reply video = f.Post(items, item("video", R"("url":"https://video.example.org/sesion-1")"));
  EXPECT_EQ(video.status, 201) << Describe(video);
  EXPECT_EQ(w.As("titular").Post(items, item("video", R"("url":"https://a.example.org/")")).status, 403);

  const std::string profile = "/api/secretariats/" + Sid(w) + "/microsite/profile";
  Reply bad_link = f.Post(profile, R"j({"links":[{"title":"x","url":"javascript:alert(1)"}]})j");
  EXPECT_EQ(bad_link.status, 400);
  EXPECT_EQ(bad_link.Code(), "api.bad_url");
  Reply set = f.Post(profile, R"({"email":"secretariado@example.org","phone":"55 5555 0000",)"
                              R"("links":[{"title":"Portal de transparencia","url":"https://transparencia.example.org/"}]})");
  ASSERT_EQ(set.status, 200) << Describe(set);
  Reply site = w.As("public").Get("/api/secretariats/" + Sid(w) + "/microsite");
  ASSERT_EQ(site.status, 200);
  EXPECT_EQ(site.Str("contact.email"), "secretariado@example.org");
  EXPECT_EQ(site.Str("links[0].url"), "https://transparencia.example.org/");
  EXPECT_EQ(site.Size("items"), 2);
}

}  // namespace
}  // namespace rubrica::server::testing
