#include "rubrica/workflows/calendar.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rubrica::workflows {
namespace {

using namespace std::chrono;

std::vector<std::string> Names(const std::vector<year_month_day>& days_off) {
  std::vector<std::string> out;
  for (const auto& d : days_off) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02u-%02u", unsigned(d.month()), unsigned(d.day()));
    out.emplace_back(buf);
  }
  return out;
}

TEST(FederalHolidaysTest, FollowLeyFederalDelTrabajoArticle74) {
  struct Case {
    int year;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      // 2024: transmission of the federal executive on 1 October.
      {2024, {"01-01", "02-05", "03-18", "05-01", "09-16", "10-01", "11-18", "12-25"}},
      {2025, {"01-01", "02-03", "03-17", "05-01", "09-16", "11-17", "12-25"}},
      {2026, {"01-01", "02-02", "03-16", "05-01", "09-16", "11-16", "12-25"}},
      {2030, {"01-01", "02-04", "03-18", "05-01", "09-16", "10-01", "11-18", "12-25"}},
      // Before the 2014 reform took effect the executive changed hands on 1 December.
      {2018, {"01-01", "02-05", "03-19", "05-01", "09-16", "11-19", "12-01", "12-25"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Names(FederalHolidays(year(c.year))), c.expected) << c.year;
  }
}

TEST(BusinessCalendarTest, CountsBusinessDaysStrictlyBetweenTwoDates) {
  const BusinessCalendar cal(true, {2026y / June / 3});  // an added closed day (Wednesday)
  struct Case {
    year_month_day from, to;
    int expected;
    const char* why;
  };
  const std::vector<Case> cases = {
      {2026y / June / 1, 2026y / June / 2, 0, "adjacent days: nothing strictly between"},
      {2026y / June / 1, 2026y / June / 1, 0, "same day"},
      {2026y / June / 2, 2026y / June / 1, 0, "reversed"},
      {2026y / June / 8, 2026y / June / 15, 4, "Mon to Mon: Tue-Fri"},
      {2026y / June / 8, 2026y / June / 16, 5, "Mon to Tue: Tue-Fri + Mon"},
      {2026y / June / 1, 2026y / June / 8, 3, "Tue, Thu, Fri; Wed 3 added holiday"},
      {2026y / September / 11, 2026y / September / 21, 4, "16 Sep (Wed) is a holiday"},
      {2026y / September / 11, 2026y / September / 22, 5, "one more day clears it"},
      {2026y / December / 24, 2027y / January / 4, 4, "25 Dec and 1 Jan off, across a year"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(cal.BusinessDaysStrictlyBetween(c.from, c.to), c.expected) << c.why;
  }
}

TEST(BusinessCalendarTest, WeekendsAndHolidaysAreNotBusinessDays) {
  const BusinessCalendar with_federal(true, {});
  const BusinessCalendar without_federal(false, {2026y / July / 6});
  EXPECT_FALSE(with_federal.IsBusinessDay(2026y / June / 6));  // Saturday
  EXPECT_FALSE(with_federal.IsBusinessDay(2026y / June / 7));  // Sunday
  EXPECT_TRUE(with_federal.IsBusinessDay(2026y / June / 8));   // Monday
  EXPECT_FALSE(with_federal.IsBusinessDay(2026y / November / 16));
  EXPECT_TRUE(without_federal.IsBusinessDay(2026y / November / 16));
  EXPECT_FALSE(without_federal.IsBusinessDay(2026y / July / 6));
}

}  // namespace
}  // namespace rubrica::workflows
