#include <gtest/gtest.h>

#include "world.h"

namespace rubrica::workflows::testing {
namespace {

TEST(AgreementsTest, RecordedFromAHeldSessionFollowedUpUntilClosed) {
  World w(Shape::kStm);
  std::vector<int64_t> present = w.Titulars();
  present.push_back(w.facilitator);
  const int64_t session = w.OpenSession(2026y / June / 16, present);
  auto adopted = w.wf().sessions().RecordDecision(
      w.Facilitator(), session, {2, "Publicar el calendario", w.Votes(w.Titulars())});
  ASSERT_TRUE(adopted.ok());
  std::vector<VoteInput> split = w.Votes(w.Titulars(), VoteChoice::kNo);
  split[0].choice = VoteChoice::kYes;
  auto rejected =
      w.wf().sessions().RecordDecision(w.Facilitator(), session, {2, "Otra cosa", split});
  ASSERT_TRUE(rejected.ok());
  const int64_t owner = w.seats[3].titular;
  ExpectRefusal(w, "workflows.decision_not_adopted", [&] {
    return w.wf()
        .agreements()
        .Record(w.Facilitator(), {session, rejected->id, "X", owner, 2026y / July / 1})
        .status();
  });
  ExpectRefusal(w, "workflows.role_not_allowed", [&] {
    return w.wf()
        .agreements()
        .Record(Actor::Person(owner), {session, adopted->id, "X", owner, 2026y / July / 1})
        .status();
  });
  auto id = w.wf().agreements().Record(
      w.Facilitator(),
      {session, adopted->id, "Publicar el calendario en el micrositio", owner, 2026y / July / 1});
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(
      w.wf()
          .agreements()
          .AddNote(Actor::Person(owner), *id, "Borrador listo", AgreementStatus::kInProgress)
          .ok());
  ExpectRefusal(w, "workflows.role_not_allowed", [&] {
    return w.wf().agreements().AddNote(Actor::Person(w.seats[0].titular), *id, "x",
                                       AgreementStatus::kDone);
  });
  w.SetLocal(2026y / July / 2, 9);
  auto rec = w.wf().agreements().Get(*id);
  ASSERT_TRUE(rec.ok());
  EXPECT_TRUE(rec->overdue);
  EXPECT_EQ(rec->status, AgreementStatus::kInProgress);
  ASSERT_TRUE(
      w.wf().agreements().AddNote(w.Facilitator(), *id, "Publicado", AgreementStatus::kDone).ok());
  ExpectRefusal(w, "workflows.agreement_closed", [&] {
    return w.wf().agreements().AddNote(w.Facilitator(), *id, "Otra", AgreementStatus::kOpen);
  });
  auto list = w.wf().agreements().List(w.secretariat);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_FALSE((*list)[0].overdue);
  ASSERT_EQ((*list)[0].notes.size(), 2u);
  EXPECT_EQ((*list)[0].notes[1].status, AgreementStatus::kDone);
}

TEST(ActionPlanTest, CommitmentProgressIsTheMeanOfItsActivities) {
  World w(Shape::kStm);
  auto plan = w.wf().plans().CreatePlan(w.Facilitator(), w.secretariat,
                                        "Plan de Acción Municipal 2026-2027");
  ASSERT_TRUE(plan.ok());
  auto commitment =
      w.wf().plans().AddCommitment(w.Facilitator(), *plan, "Datos abiertos de obra pública");
  ASSERT_TRUE(commitment.ok());
  const int64_t owner = w.seats[3].titular;
  auto a1 = w.wf().plans().AddActivity(w.Facilitator(), *commitment, "Inventario", owner,
                                       2026y / August / 31);
  auto a2 = w.wf().plans().AddActivity(w.Facilitator(), *commitment, "Publicación", std::nullopt,
                                       2026y / December / 15);
  ASSERT_TRUE(a1.ok() && a2.ok());
  ASSERT_TRUE(w.wf().plans().ReportProgress(Actor::Person(owner), *a1, 100, "Concluido").ok());
  ASSERT_TRUE(w.wf().plans().ReportProgress(w.Facilitator(), *a2, 25, "Formato acordado").ok());
  for (int bad : {-1, 101}) {
    ExpectRefusal(w, "workflows.bad_input",
                  [&] { return w.wf().plans().ReportProgress(w.Facilitator(), *a2, bad, ""); });
  }
  ExpectRefusal(w, "workflows.role_not_allowed",
                [&] { return w.wf().plans().ReportProgress(Actor::Person(owner), *a2, 50, ""); });
  ExpectRefusal(w, "workflows.role_not_allowed", [&] {
    return w.wf().plans().CreatePlan(Actor::Person(owner), w.secretariat, "Otro").status();
  });
  auto got = w.wf().plans().Get(*plan);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->commitments.size(), 1u);
  EXPECT_EQ(got->commitments[0].progress, 62);
  EXPECT_EQ(got->commitments[0].activities[0].progress, 100);
}

}  // namespace
}  // namespace rubrica::workflows::testing
