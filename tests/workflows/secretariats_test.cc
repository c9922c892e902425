#include <gtest/gtest.h>

#include "rubrica/store/audit_log.h"

#include "world.h"

namespace rubrica::workflows::testing {
namespace {

TEST(SecretariatConfigTest, TemplatesDifferOnlyInConfiguration) {
  const auto stl = SecretariatConfig::StlTemplate();
  const auto stm = SecretariatConfig::StmTemplate();
  EXPECT_EQ(stl.member_types.size(), 3u);
  EXPECT_EQ(stm.member_types.size(), 5u);
  EXPECT_EQ(stl.quorum, QuorumRule::kAllSeats);
  EXPECT_EQ(stm.quorum, QuorumRule::kMajority);
  EXPECT_EQ(stl.cadence, Cadence::kFortnightly);
  EXPECT_EQ(stm.cadence, Cadence::kMonthly);
  EXPECT_EQ(stl.convener, Officer::kGarante);
  EXPECT_EQ(stm.convener, Officer::kFacilitator);
  EXPECT_EQ(stl.max_reelections, 1);
  EXPECT_EQ(stm.term_rule, TermRule::kAdministration);
  EXPECT_EQ(stl.same_date, SameDateRule::kRefuse);
  EXPECT_EQ(stl.ordinary_notice_business_days, 5);
  EXPECT_EQ(stl.extraordinary_notice_business_days, 2);
  EXPECT_EQ(stl.cancellation_notice_hours, 24);
}

TEST(SecretariatConfigTest, ValidateNamesTheBadField) {
  struct Case {
    std::function<void(SecretariatConfig&)> spoil;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](SecretariatConfig& c) { c.name.clear(); }, "name"},
      {[](SecretariatConfig& c) { c.place.clear(); }, "place"},
      {[](SecretariatConfig& c) { c.member_types.clear(); }, "member_types"},
      {[](SecretariatConfig& c) { c.member_types.push_back(c.member_types[0]); }, "member_types"},
      {[](SecretariatConfig& c) { c.garante_member_type = "nadie"; }, "garante_member_type"},
      {[](SecretariatConfig& c) { c.term_months = 0; }, "term_months"},
      {[](SecretariatConfig& c) { c.term_rule = TermRule::kAdministration; },
       "administration_ends"},
      {[](SecretariatConfig& c) { c.max_reelections = -2; }, "max_reelections"},
      {[](SecretariatConfig& c) { c.cancellation_notice_hours = -1; }, "notice"},
  };
  for (const auto& c : cases) {
    auto config = SecretariatConfig::StlTemplate();
    config.name = "STL";
    config.place = "Lugar";
    ASSERT_TRUE(config.Validate().ok());
    c.spoil(config);
    const Status s = config.Validate();
    EXPECT_EQ(s.code(), "workflows.bad_config") << c.field;
    EXPECT_NE(s.message().find(c.field), std::string::npos) << s.message();
  }
}

TEST(SecretariatsTest, TheAgencyIsTheOneInForceOnTheDate) {
  World w(Shape::kStl);
  struct Case {
    year_month_day date;
    std::string starts_with;
  };
  const std::vector<Case> cases = {
      {2025y / March / 20, "Instituto Nacional de Transparencia"},
      {2025y / March / 21, "Secretaría Anticorrupción"},
      {2026y / January / 31, "Secretaría Anticorrupción"},
  };
  for (const auto& c : cases) {
    auto a = w.wf().secretariats().AgencyOn(w.secretariat, c.date);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_EQ(a->name.rfind(c.starts_with, 0), 0u) << a->name;
  }
  auto none = w.wf().secretariats().AgencyOn(w.secretariat, 2015y / January / 1);
  EXPECT_EQ(none.status().code(), "workflows.no_agency");
}

TEST(SecretariatsTest, ThePackageCosignerIsStoredAsConfiguredAndNoneByDefault) {
  World w(Shape::kStl);
  auto plain = w.wf().secretariats().Get(w.secretariat);
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->config.package_cosigner.has_value()) << "none unless configured";
  for (Officer who : {Officer::kGarante, Officer::kFacilitator}) {
    SecretariatConfig c = SecretariatConfig::StlTemplate();
    c.name = "Secretariado con cofirma";
    c.place = "Ciudad Ficticia";
    c.package_cosigner = who;
    auto id = w.wf().secretariats().Create(Actor::Administrator(), c);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    auto back = w.wf().secretariats().Get(*id);
    ASSERT_TRUE(back.ok());
    ASSERT_TRUE(back->config.package_cosigner.has_value());
    EXPECT_EQ(*back->config.package_cosigner, who);
  }
}

TEST(SecretariatsTest, TheAdministratorChangesThePackageCosignerAndEachChangeIsAudited) {
  World w(Shape::kStl);
  ExpectRefusal(w, "workflows.role_not_allowed", [&] {
    return w.wf().secretariats().SetPackageCosigner(w.Facilitator(), w.secretariat, Officer::kFacilitator);
  });
  const std::vector<std::optional<Officer>> steps = {Officer::kGarante, Officer::kFacilitator, std::nullopt};
  for (const auto& to : steps) {
    ASSERT_TRUE(w.wf().secretariats().SetPackageCosigner(Actor::Administrator(), w.secretariat, to).ok());
    auto back = w.wf().secretariats().Get(w.secretariat);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->config.package_cosigner, to);
  }
  EXPECT_EQ(w.wf().secretariats().SetPackageCosigner(Actor::Administrator(), 9999, std::nullopt).code(),
            "workflows.not_found");
  auto log = store::AuditLog(w.clock).List(w.db(), 0, 1000);
  ASSERT_TRUE(log.ok());
  std::vector<std::string> changes;
  for (const auto& e : *log) {
    if (e.entry.action == "secretariat.package_cosigner_set") changes.push_back(e.entry.payload);
  }
  EXPECT_EQ(changes, (std::vector<std::string>{R"({"from":"none","to":"garante"})",
                                               R"({"from":"garante","to":"facilitator"})",
                                               R"({"from":"facilitator","to":"none"})"}));
}

TEST(SecretariatsTest, RefusesAnOverlappingAgencyAndAPersonConfiguring) {
  World w(Shape::kStl);
  ExpectRefusal(w, "workflows.agency_overlap", [&] {
    return w.wf().secretariats().AddAgency(Actor::Administrator(), w.secretariat,
                                           {"Otro órgano", "", 2025y / December / 1, std::nullopt});
  });
  ExpectRefusal(w, "workflows.role_not_allowed", [&] {
    return w.wf().secretariats().AddAgency(w.Facilitator(), w.secretariat,
                                           {"Otro órgano", "", 2030y / January / 1, std::nullopt});
  });
  ExpectRefusal(w, "workflows.role_not_allowed", [&] {
    auto c = SecretariatConfig::StmTemplate();
    c.name = "STM";
    c.place = "X";
    c.administration_ends = 2027y / August / 31;
    return w.wf().secretariats().Create(w.Facilitator(), c).status();
  });
}

TEST(SecretariatsTest, AddedHolidaysChangeTheCalendarOnceEach) {
  World w(Shape::kStm);
  ASSERT_TRUE(w.wf()
                  .secretariats()
                  .AddHoliday(w.Facilitator(), w.secretariat, 2026y / June / 3, "Feria local")
                  .ok());
  auto cal = w.wf().secretariats().Calendar(w.secretariat);
  ASSERT_TRUE(cal.ok());
  EXPECT_FALSE(cal->IsBusinessDay(2026y / June / 3));
  EXPECT_FALSE(cal->IsBusinessDay(2026y / September / 16));  // federal
  ExpectRefusal(w, "workflows.holiday_exists", [&] {
    return w.wf().secretariats().AddHoliday(w.Facilitator(), w.secretariat, 2026y / June / 3, "");
  });
  ExpectRefusal(w, "workflows.role_not_allowed", [&] {
    return w.wf().secretariats().AddHoliday(Actor::Person(w.seats[0].titular), w.secretariat,
                                            2026y / June / 4, "");
  });
  auto got = w.wf().secretariats().Get(w.secretariat);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->config.extra_holidays.size(), 1u);
  EXPECT_EQ(got->config.member_types.size(), 5u);
}

}  // namespace
}  // namespace rubrica::workflows::testing
