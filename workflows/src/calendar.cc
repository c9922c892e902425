#include "rubrica/workflows/calendar.h"

#include <algorithm>

namespace rubrica::workflows {

using namespace std::chrono;

std::vector<year_month_day> FederalHolidays(year y) {
  std::vector<year_month_day> days_off = {
      y / January / 1,
      year_month_day{y / February / Monday[1]},
      year_month_day{y / March / Monday[3]},
      y / May / 1,
      y / September / 16,
      year_month_day{y / November / Monday[3]},
      y / December / 25,
  };
  // Transmission of the federal executive (art. 74 fr. VIII): 1 October from 2024 on,
  // 1 December in the terms that began before the 2014 reform took effect.
  const int yi = int(y);
  if (yi >= 2024 && (yi - 2024) % 6 == 0) days_off.push_back(y / October / 1);
  if (yi < 2024 && yi >= 1970 && (2018 - yi) % 6 == 0) days_off.push_back(y / December / 1);
  std::sort(days_off.begin(), days_off.end());
  return days_off;
}

BusinessCalendar::BusinessCalendar(bool federal, std::vector<year_month_day> extra)
    : federal_(federal) {
  for (const auto& d : extra) extra_.insert(sys_days(d));
}

bool BusinessCalendar::IsHoliday(year_month_day d) const {
  if (extra_.count(sys_days(d))) return true;
  if (!federal_) return false;
  for (const auto& h : FederalHolidays(d.year())) {
    if (h == d) return true;
  }
  return false;
}

bool BusinessCalendar::IsBusinessDay(year_month_day d) const {
  weekday wd{sys_days(d)};
  if (wd == Saturday || wd == Sunday) return false;
  return !IsHoliday(d);
}

int BusinessCalendar::BusinessDaysStrictlyBetween(year_month_day from, year_month_day to) const {
  int n = 0;
  for (sys_days d = sys_days(from) + days(1); d < sys_days(to); d += days(1)) {
    if (IsBusinessDay(year_month_day{d})) ++n;
  }
  return n;
}

}  // namespace rubrica::workflows
