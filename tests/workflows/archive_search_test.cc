// The archive search: every filter, accents and case, pages, visibility, the index kept in
// step with titles and signers, and the refusals.
#include <gtest/gtest.h>

#include <set>

#include "acta_helpers.h"
#include "rubrica/workflows/archive_search.h"

namespace rubrica::workflows::testing {
namespace {

constexpr year_month_day kFeb = 2026y / February / 16;
constexpr year_month_day kMar = 2026y / March / 16;
constexpr year_month_day kApr = 2026y / April / 20;

// Three minutes of an STL: February's and April's archived, March's left in draft.
struct Archive {
  World w{Shape::kStl};
  int64_t feb = 0, mar = 0, apr = 0;

  int64_t Minute(year_month_day date, const std::string& title) {
    std::vector<int64_t> attendees = w.Titulars();
    attendees.push_back(w.facilitator);
    const int64_t session = w.OpenSession(date, attendees);
    EXPECT_TRUE(w.wf().sessions().Close(w.Presider(), session).ok());
    auto acta = w.wf().actas().CreateDraft(
        w.Facilitator(), {ActaKind::kSessionMinute, w.secretariat, session, title,
                          R"({"asistencia":"completa"})", std::nullopt});
    EXPECT_TRUE(acta.ok()) << acta.status().ToString();
    return acta.ok() ? *acta : 0;
  }
  void Seal(int64_t acta) {
    ReviewAndApprove(w, acta);
    SignAll(w, acta);
    Status s = w.wf().actas().Archive(w.Garante(), acta);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }

  Archive() {
    feb = Minute(kFeb, "Acta de la Primera Sesión Ordinaria de 2026");
    Seal(feb);
    mar = Minute(kMar, "Acta de la Segunda Sesión Ordinaria de 2026");
    apr = Minute(kApr, "Acta de la sesión extraordinaria sobre el presupuesto participativo");
    Seal(apr);
  }

  // The ids found by `q` (everything visible unless the query says otherwise).
  std::vector<int64_t> Find(ArchiveQuery q) {
    auto page = w.wf().archive().Search(q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<int64_t> ids;
    if (page.ok()) {
      for (const auto& a : page->actas) ids.push_back(a.id);
    }
    return ids;
  }
  ArchiveQuery All() {
    ArchiveQuery q;
    q.visibility.everything = true;
    return q;
  }
};

using Ids = std::vector<int64_t>;

TEST(ArchiveSearchTest, TitleWordsMatchWithoutAccentsOrCase) {
  Archive a;
  struct Case {
    std::string words;
    Ids expected;  // newest first
  };
  const std::vector<Case> cases = {
      {"sesion", {a.apr, a.mar, a.feb}},
      {"SESIÓN ordinaria", {a.mar, a.feb}},
      {"segunda", {a.mar}},
      {"presupuesto participativo", {a.apr}},
      {"extraordinaria primera", {}},
      {"presu*", {a.apr}},
      {"presu", {}},  // a whole word unless it ends in '*'
      // FTS5 syntax in the text is only text.
      {"\"OR NEAR( sesion", {}},
      {"sesion) OR (segunda", {}},  // "or" is a word no title has
      {"«segunda» — ¿sesión?", {a.mar}},
  };
  for (const auto& c : cases) {
    ArchiveQuery q = a.All();
    q.title_words = c.words;
    EXPECT_EQ(a.Find(q), c.expected) << c.words;
  }
}

TEST(ArchiveSearchTest, SignerNamesAndPeopleFindTheActasTheySign) {
  Archive a;
  const int64_t titular = a.w.seats[0].titular;
  const int64_t substitute = a.w.seats[0].substitute;  // absent: signs nothing
  const std::string name = a.w.names[titular];
  const std::string first_name = name.substr(0, name.find(' '));

  ArchiveQuery q = a.All();
  q.signer_words = first_name;
  EXPECT_EQ(a.Find(q), (Ids{a.apr, a.mar, a.feb})) << first_name;
  q.signer_words = a.w.names[substitute];
  EXPECT_EQ(a.Find(q), Ids{}) << "a substitute who stood in for no one";
  q.signer_words = "";
  q.signer_person_ids = std::vector<int64_t>{substitute, titular};
  EXPECT_EQ(a.Find(q), (Ids{a.apr, a.mar, a.feb}));
  q.signer_person_ids = std::vector<int64_t>{};
  EXPECT_EQ(a.Find(q), Ids{}) << "an RFC nobody holds finds nothing";
}

TEST(ArchiveSearchTest, DateRangeKindStateSessionAndSecretariatFilter) {
  Archive a;
  auto feb_record = a.w.wf().actas().Get(a.feb);
  ASSERT_TRUE(feb_record.ok());
  struct Case {
    std::string what;
    std::function<void(ArchiveQuery&)> set;
    Ids expected;
  };
  const std::vector<Case> cases = {
      {"from is inclusive", [](ArchiveQuery& q) { q.from = kMar; }, {a.apr, a.mar}},
      {"to is inclusive", [](ArchiveQuery& q) { q.to = kMar; }, {a.mar, a.feb}},
      {"one day", [](ArchiveQuery& q) { q.from = q.to = kFeb; }, {a.feb}},
      {"a range with none", [](ArchiveQuery& q) { q.from = 2025y / January / 1; q.to = 2025y / December / 31; }, {}},
      {"archived", [](ArchiveQuery& q) { q.state = ActaState::kArchived; }, {a.apr, a.feb}},
      {"draft", [](ArchiveQuery& q) { q.state = ActaState::kDraft; }, {a.mar}},
      {"installation", [](ArchiveQuery& q) { q.kind = ActaKind::kInstallation; }, {}},
      {"session minute", [](ArchiveQuery& q) { q.kind = ActaKind::kSessionMinute; }, {a.apr, a.mar, a.feb}},
      {"session", [&](ArchiveQuery& q) { q.session_id = feb_record->session_id; }, {a.feb}},
      {"secretariat", [&](ArchiveQuery& q) { q.secretariat_id = a.w.secretariat; }, {a.apr, a.mar, a.feb}},
      {"another secretariat", [&](ArchiveQuery& q) { q.secretariat_id = a.w.secretariat + 1; }, {}},
  };
  for (const auto& c : cases) {
    ArchiveQuery q = a.All();
    c.set(q);
    EXPECT_EQ(a.Find(q), c.expected) << c.what;
  }
}

TEST(ArchiveSearchTest, PagesFollowTheCursorWithoutRepeatsOrGaps) {
  Archive a;
  ArchiveQuery q = a.All();
  q.limit = 1;
  Ids seen;
  int pages = 0;
  for (;;) {
    auto page = a.w.wf().archive().Search(q);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    ASSERT_LE(page->actas.size(), 1u);
    for (const auto& acta : page->actas) seen.push_back(acta.id);
    ++pages;
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(seen, (Ids{a.apr, a.mar, a.feb}));
  EXPECT_EQ(pages, 3);

  q.cursor.clear();
  q.limit = 2;
  auto first = a.w.wf().archive().Search(q);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->actas.size(), 2u);
  EXPECT_FALSE(first->next_cursor.empty());
  q.limit = 3;
  auto whole = a.w.wf().archive().Search(q);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->actas.size(), 3u);
  EXPECT_TRUE(whole->next_cursor.empty()) << "no cursor when nothing follows";
}

TEST(ArchiveSearchTest, VisibilityShowsArchivedToAllAndTheRestOnlyWhereAllowed) {
  Archive a;
  ArchiveQuery anyone;  // no role anywhere: archived and delivered only
  EXPECT_EQ(a.Find(anyone), (Ids{a.apr, a.feb}));

  ArchiveQuery insider;
  insider.visibility.all_states = {a.w.secretariat};
  EXPECT_EQ(a.Find(insider), (Ids{a.apr, a.mar, a.feb}));

  ArchiveQuery elsewhere;
  elsewhere.visibility.all_states = {a.w.secretariat + 7};
  EXPECT_EQ(a.Find(elsewhere), (Ids{a.apr, a.feb}));

  ArchiveQuery observer;  // from approval on: March's draft stays hidden
  observer.visibility.from_approval = {a.w.secretariat};
  EXPECT_EQ(a.Find(observer), (Ids{a.apr, a.feb}));
  ReviewAndApprove(a.w, a.mar);
  EXPECT_EQ(a.Find(observer), (Ids{a.apr, a.mar, a.feb}));
}

TEST(ArchiveSearchTest, IndexFollowsSignersAddedAndRemoved) {
  Archive a;
  const std::string outsider = a.w.names[a.w.outsider];
  ArchiveQuery q = a.All();
  q.signer_words = outsider;
  EXPECT_EQ(a.Find(q), Ids{});
  ASSERT_TRUE(a.w.wf().actas().AddRequiredSigner(a.w.Facilitator(), a.mar, a.w.outsider, "subscriber").ok());
  EXPECT_EQ(a.Find(q), Ids{a.mar});
  ASSERT_TRUE(a.w.wf().actas().RemoveRequiredSigner(a.w.Facilitator(), a.mar, a.w.outsider).ok());
  EXPECT_EQ(a.Find(q), Ids{});
}

TEST(ArchiveSearchTest, RefusesBadLimitsCursorsRangesAndWordlessText) {
  Archive a;
  struct Case {
    std::string what;
    std::function<void(ArchiveQuery&)> set;
  };
  const std::vector<Case> cases = {
      {"limit 0", [](ArchiveQuery& q) { q.limit = 0; }},
      {"limit over the cap", [](ArchiveQuery& q) { q.limit = kMaxArchiveLimit + 1; }},
      {"cursor without id", [](ArchiveQuery& q) { q.cursor = "2026-02-16~"; }},
      {"cursor with a bad date", [](ArchiveQuery& q) { q.cursor = "2026-13-01~4"; }},
      {"cursor of garbage", [](ArchiveQuery& q) { q.cursor = "' OR 1=1 --"; }},
      {"from after to", [](ArchiveQuery& q) { q.from = kMar; q.to = kFeb; }},
      {"title with no word", [](ArchiveQuery& q) { q.title_words = " ¡!? -- "; }},
      {"signer with no word", [](ArchiveQuery& q) { q.signer_words = "\"*\""; }},
  };
  for (const auto& c : cases) {
    ArchiveQuery q = a.All();
    c.set(q);
    auto page = a.w.wf().archive().Search(q);
    ASSERT_FALSE(page.ok()) << c.what;
    EXPECT_EQ(page.status().code(), "workflows.bad_input") << c.what;
    EXPECT_FALSE(page.status().message_es().empty()) << c.what;
  }
}

}  // namespace
}  // namespace rubrica::workflows::testing
