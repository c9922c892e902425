// Civil dates as the workflows store and show them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/base/time_zone.h"

namespace rubrica::workflows {

/// "2026-09-16".
std::string FormatDate(std::chrono::year_month_day d);
/// Parses "YYYY-MM-DD" (stored dates); kDataLoss workflows.bad_stored_date when the
/// database holds something else.
Result<std::chrono::year_month_day> ParseStoredDate(std::string_view text);
/// Parses a stored RFC 3339 instant; kDataLoss workflows.bad_stored_time otherwise.
Result<Instant> ParseStoredInstant(std::string_view text);
/// The last day of `d`'s month.
std::chrono::year_month_day LastDayOfMonth(std::chrono::year_month ym);
/// Today in `zone` by `clock`.
std::chrono::year_month_day Today(const Clock& clock, const TimeZone& zone);
/// `d` plus `months` calendar months, clamped to the month's last day, minus one day:
/// the last day of a term of `months` months starting on `d`.
std::chrono::year_month_day TermEnd(std::chrono::year_month_day d, int months);

}  // namespace rubrica::workflows
