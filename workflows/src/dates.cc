#include "dates.h"

namespace rubrica::workflows {

using namespace std::chrono;

std::string FormatDate(year_month_day d) {
  // The RFC 3339 formatter already writes the date part we store.
  return FormatRfc3339Utc(Instant(sys_days(d))).substr(0, 10);
}

Result<year_month_day> ParseStoredDate(std::string_view text) {
  auto t = ParseRfc3339(text);
  if (text.size() != 10 || !t.ok()) {
    return Status::Error(ErrorKind::kDataLoss, "workflows.bad_stored_date",
                         "stored date is not YYYY-MM-DD: '" + std::string(text) + "'");
  }
  return year_month_day{floor<days>(*t)};
}

Result<Instant> ParseStoredInstant(std::string_view text) {
  auto t = ParseRfc3339(text);
  if (!t.ok()) {
    return Status::Error(ErrorKind::kDataLoss, "workflows.bad_stored_time",
                         "stored instant is not RFC 3339: '" + std::string(text) + "'");
  }
  return *t;
}

year_month_day LastDayOfMonth(year_month ym) {
  return year_month_day{ym.year() / ym.month() / last};
}

year_month_day Today(const Clock& clock, const TimeZone& zone) {
  return zone.LocalDate(clock.Now());
}

year_month_day TermEnd(year_month_day d, int months_count) {
  year_month ym = year_month{d.year(), d.month()} + months(months_count);
  year_month_day end{ym.year(), ym.month(), d.day()};
  // From 31 January, one month runs to the end of February: the day before the
  // (nonexistent) 31 February is taken as February's last day.
  if (!end.ok()) return ym.year() / ym.month() / last;
  return year_month_day{sys_days(end) - days(1)};
}

}  // namespace rubrica::workflows
