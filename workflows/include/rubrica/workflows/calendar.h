// Business days of a secretariat: Monday to Friday, minus holidays.
//
// The default holidays are those of the Ley Federal del Trabajo, art. 74 (see
// FederalHolidays); each secretariat adds the days its institutions close, per year.
// Business-day counts are used for convocation notice: the days counted are those
// *strictly between* two dates (neither endpoint counts). docs/rules.md has examples.
//
// Pure value type: no I/O, no clock. Thread-compatible (const methods are thread-safe).
#pragma once

#include <chrono>
#include <set>
#include <vector>

namespace rubrica::workflows {

/// The mandatory rest days of Ley Federal del Trabajo art. 74 that fall in `y`:
///   1 January; first Monday of February; third Monday of March; 1 May; 16 September;
///   third Monday of November; 25 December; and, in the years the federal executive
///   changes hands, 1 October (every six years from 2024: 2024, 2030, ...; before the
///   2014 reform that day was 1 December: 2018, 2012, ...).
/// Election days (art. 74 fr. IX) are not fixed by the law and must be added per secretariat.
/// Sorted ascending.
std::vector<std::chrono::year_month_day> FederalHolidays(std::chrono::year y);

class BusinessCalendar {
 public:
  /// `federal`: include FederalHolidays() of every year. `extra`: additional closed days.
  BusinessCalendar(bool federal, std::vector<std::chrono::year_month_day> extra);

  /// True when `d` is a holiday (federal when enabled, or one of the extra days).
  bool IsHoliday(std::chrono::year_month_day d) const;
  /// True when `d` is Monday to Friday and not a holiday.
  bool IsBusinessDay(std::chrono::year_month_day d) const;
  /// Number of business days d with from < d < to. Zero when to <= from + 1 day.
  int BusinessDaysStrictlyBetween(std::chrono::year_month_day from,
                                  std::chrono::year_month_day to) const;

 private:
  bool federal_;
  std::set<std::chrono::sys_days> extra_;
};

}  // namespace rubrica::workflows
