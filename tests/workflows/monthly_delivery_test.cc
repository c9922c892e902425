#include <gtest/gtest.h>

#include "acta_helpers.h"

namespace rubrica::workflows::testing {
namespace {

void Deliver(World& w, int64_t acta) {
  ASSERT_TRUE(w.wf().actas().Archive(w.Facilitator(), acta).ok());
  auto receipt = w.blobs().Put("acuse " + std::to_string(acta));
  ASSERT_TRUE(receipt.ok());
  ASSERT_TRUE(w.wf().actas().MarkDelivered(w.Facilitator(), acta, *receipt).ok());
}

TEST(MonthlyDeliveryTest, ActasOfAMonthAreDueByItsLastDayToTheAgencyThen) {
  // The state agency changes on 1 July 2026 (configuration, never code).
  World w(Shape::kStm, [](SecretariatConfig& c) {
    c.agencies = {
        {"Órgano garante estatal (hasta junio)", "", 2016y / January / 1, 2026y / June / 30},
        {"Órgano garante estatal sucesor", "", 2026y / July / 1, std::nullopt}};
  });
  const auto t = w.Titulars();
  std::vector<int64_t> all = t;
  all.push_back(w.facilitator);

  // June: one minute delivered on 30 June, one still in review, one session without minute.
  const int64_t on_time = DraftMinute(w, 2026y / June / 2, t);
  ReviewAndApprove(w, on_time);
  SignAll(w, on_time);
  const int64_t in_review = DraftMinute(w, 2026y / June / 16, t);
  ASSERT_TRUE(w.wf().actas().SubmitForReview(w.Facilitator(), in_review).ok());
  const int64_t no_minute_session = w.OpenSession(2026y / June / 26, all);
  ASSERT_TRUE(w.wf().sessions().Close(w.Presider(), no_minute_session).ok());
  w.SetLocal(2026y / June / 30, 18);
  Deliver(w, on_time);

  w.SetLocal(2026y / June / 30, 20);
  auto june = w.wf().deliveries().ForMonth(w.secretariat, 2026y / June);
  ASSERT_TRUE(june.ok()) << june.status().ToString();
  ASSERT_EQ(june->size(), 3u);
  EXPECT_EQ((*june)[0].status, ObligationStatus::kDeliveredOnTime);
  EXPECT_EQ((*june)[0].agency, "Órgano garante estatal (hasta junio)");
  // Spanish as lang/ writes it: the agency with its article, the date written out.
  EXPECT_EQ((*june)[0].explanation_es,
            "Entregada al Órgano garante estatal (hasta junio) el 30 de junio de 2026, a tiempo.");
  EXPECT_EQ((*june)[1].status, ObligationStatus::kPending);
  EXPECT_EQ((*june)[1].reasons, std::vector<std::string>{"not_approved"});
  EXPECT_EQ((*june)[2].state, "no_minute");
  EXPECT_EQ((*june)[2].reasons, std::vector<std::string>{"no_minute"});
  for (const auto& o : *june) EXPECT_EQ(o.due_on, 2026y / June / 30);

  // July: a minute completed but delivered on 3 August.
  const int64_t delivered_late = DraftMinute(w, 2026y / July / 14, t);
  ReviewAndApprove(w, delivered_late);
  SignAll(w, delivered_late);

  w.SetLocal(2026y / August / 3, 9);
  Deliver(w, delivered_late);
  june = w.wf().deliveries().ForMonth(w.secretariat, 2026y / June);
  ASSERT_TRUE(june.ok());
  EXPECT_EQ((*june)[0].status, ObligationStatus::kDeliveredOnTime);
  EXPECT_EQ((*june)[1].status, ObligationStatus::kLate);
  EXPECT_NE((*june)[1].explanation_es.find("Atrasada: el acta aún no se aprueba"),
            std::string::npos)
      << (*june)[1].explanation_es;
  EXPECT_NE((*june)[1].explanation_es.find("debía entregarse al Órgano garante estatal (hasta "
                                           "junio) a más tardar el 30 de junio de 2026"),
            std::string::npos)
      << (*june)[1].explanation_es;
  auto july = w.wf().deliveries().ForMonth(w.secretariat, 2026y / July);
  ASSERT_TRUE(july.ok());
  ASSERT_EQ(july->size(), 1u);
  EXPECT_EQ((*july)[0].status, ObligationStatus::kDeliveredLate);
  EXPECT_EQ((*july)[0].agency, "Órgano garante estatal sucesor");
  auto late = w.wf().deliveries().Late(w.secretariat);
  ASSERT_TRUE(late.ok());
  ASSERT_EQ(late->size(), 2u);
  EXPECT_EQ(late->at(0).acta_id, in_review);
  EXPECT_EQ(late->at(1).session_id, no_minute_session);
}

TEST(MonthlyDeliveryTest, SaysWhichStageHoldsAnActaBack) {
  World w(Shape::kStl);
  const auto t = w.Titulars();
  struct Case {
    const char* name;
    std::function<void(int64_t)> advance;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"draft", [](int64_t) {}, "not_approved"},
      {"rubrics missing", [&](int64_t a) { ReviewAndApprove(w, a); }, "signatures_missing"},
      {"foot missing",
       [&](int64_t a) {
         ReviewAndApprove(w, a);
         for (int64_t p : t) ASSERT_TRUE(w.wf().actas().Rubricate(Actor::Person(p), a, Pin("1")).ok());
       },
       "signatures_missing"},
      {"complete, not archived",
       [&](int64_t a) {
         ReviewAndApprove(w, a);
         SignAll(w, a);
       },
       "not_archived"},
      {"archived, not sent",
       [&](int64_t a) {
         ReviewAndApprove(w, a);
         SignAll(w, a);
         ASSERT_TRUE(w.wf().actas().Archive(w.Garante(), a).ok());
       },
       "not_delivered"},
  };
  std::vector<year_month_day> dates = {2026y / March / 3, 2026y / April / 7, 2026y / May / 5,
                                       2026y / June / 2, 2026y / July / 7};
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].name);
    cases[i].advance(DraftMinute(w, dates[i], t));
  }
  w.SetLocal(2026y / September / 1, 9);
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].name);
    const year_month ym{dates[i].year(), dates[i].month()};
    auto list = w.wf().deliveries().ForMonth(w.secretariat, ym);
    ASSERT_TRUE(list.ok());
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ((*list)[0].status, ObligationStatus::kLate);
    EXPECT_EQ((*list)[0].reasons, std::vector<std::string>{cases[i].reason});
  }
}

}  // namespace
}  // namespace rubrica::workflows::testing
