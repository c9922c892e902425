// The acta folio and approved-content hash (printed with the verification QR on every
// page), and the person's grammatical gender (the posts printed for them agree with it).
#include <gtest/gtest.h>

#include "acta_helpers.h"
#include "rubrica/base/crypto_util.h"

namespace rubrica::workflows::testing {
namespace {

TEST(ActaFolioTest, AssignedAtFirstApprovalNumberedPerPlaceAndYearAndFoundAgain) {
  struct Case {
    Shape shape;
    const char* prefix;
  };
  // World places: STL "Ciudad de Prueba, Estado de Prueba", STM "Zamora, Michoacán".
  for (const Case& c :
       {Case{Shape::kStl, "STL-CIUDAD-DE-PRUEBA-2026-"}, Case{Shape::kStm, "STM-ZAMORA-2026-"}}) {
    SCOPED_TRACE(c.prefix);
    World w(c.shape);
    const int64_t first = DraftMinute(w, 2026y / June / 2, w.Titulars());
    auto draft = w.wf().actas().Get(first);
    ASSERT_TRUE(draft.ok());
    EXPECT_EQ(draft->folio, "") << "drafts have no folio";
    ReviewAndApprove(w, first);
    const int64_t second = DraftMinute(w, 2026y / June / 16, w.Titulars());
    ReviewAndApprove(w, second);

    auto a = w.wf().actas().Get(first);
    auto b = w.wf().actas().Get(second);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->folio, std::string(c.prefix) + "001");
    EXPECT_EQ(b->folio, std::string(c.prefix) + "002");
    auto found = w.wf().actas().GetByFolio(b->folio);
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    EXPECT_EQ(found->id, second);
    ExpectRefusal(w, "workflows.not_found",
                  [&] { return w.wf().actas().GetByFolio("STM-NADA-2026-001").status(); });

    // What the engine is asked to print: the folio and the hash of the approved content.
    ASSERT_EQ(w.engine->certified.size(), 2u);
    const CertifyRequest& r = w.engine->certified[1];
    EXPECT_EQ(r.folio, b->folio);
    auto content = w.wf().actas().Version(second, b->approvals.back().version);
    ASSERT_TRUE(content.ok());
    EXPECT_EQ(r.content_sha256, Sha256Hex(*content));
    EXPECT_EQ(b->approvals.back().content_sha256, r.content_sha256);
    EXPECT_EQ(r.content_sha256.size(), 64u);
  }
}

TEST(ActaFolioTest, AReapprovalKeepsTheFolioAndRecordsTheHashAgain) {
  World w(Shape::kStl);
  const int64_t acta = DraftMinute(w, 2026y / June / 16, w.Titulars());
  ReviewAndApprove(w, acta);
  auto before = w.wf().actas().Get(acta);
  ASSERT_TRUE(before.ok());
  // The date passes with every signature missing: approved again on a later day.
  w.SetLocal(2026y / June / 17, 10);
  auto again = w.wf().actas().Reapprove(w.Facilitator(), acta, w.Votes(w.Titulars()));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  auto after = w.wf().actas().Get(acta);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->folio, before->folio);
  EXPECT_EQ(after->approvals.size(), 2u);
  EXPECT_EQ(w.engine->certified.back().folio, before->folio);
  EXPECT_EQ(w.engine->certified.back().content_sha256, after->approvals.back().content_sha256);
}

TEST(PersonGenderTest, IsRecordedWithThePersonAndReachesTheEngine) {
  World w(Shape::kStl);
  struct Case {
    lang::Gender gender;
    const char* name;
  };
  std::vector<int64_t> ids;
  for (const Case& c : {Case{lang::Gender::kFeminine, "Irene Salgado Ríos"},
                        Case{lang::Gender::kMasculine, "Hugo Benítez Lara"},
                        Case{lang::Gender::kNeutral, "Alex Rangel Soto"}}) {
    auto id = w.wf().people().AddPerson(Actor::Administrator(),
                                        {c.name, "Presidente Municipal", "", c.gender});
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    auto p = w.wf().people().GetPerson(*id);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->gender, c.gender) << c.name;
    ids.push_back(*id);
  }
  auto listed = w.wf().people().ListPeople();
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->back().gender, lang::Gender::kNeutral);

  const int64_t acta = DraftMinute(w, 2026y / June / 16, w.Titulars());
  for (int64_t id : ids) {
    ASSERT_TRUE(w.wf().actas().AddRequiredSigner(w.Facilitator(), acta, id, "subscriber").ok());
  }
  ReviewAndApprove(w, acta);
  ASSERT_EQ(w.engine->certified.size(), 1u);
  std::map<int64_t, lang::Gender> seen;
  for (const SignerSlot& s : w.engine->certified[0].signers) seen[s.person_id] = s.gender;
  EXPECT_EQ(seen[ids[0]], lang::Gender::kFeminine);
  EXPECT_EQ(seen[ids[1]], lang::Gender::kMasculine);
  EXPECT_EQ(seen[ids[2]], lang::Gender::kNeutral);
}

}  // namespace
}  // namespace rubrica::workflows::testing
