// Dates and times as every text of the service writes them (PDF boxes and rubrics,
// e-mails, API messages), and in words as the body of an acta does.
//
//   DateEs            "16 de marzo de 2023"
//   TimeEs            "17:08 h"
//   UtcOffsetEs       "UTC−6", "UTC+5:30", "UTC"        (U+2212 MINUS SIGN)
//   DateTimeEs        "16 de marzo de 2023, 17:08 h (UTC−6)"
//   DateInWords       "catorce de noviembre de dos mil veintidós"
//   TimeInWords       "diez horas con veinticinco minutos"
//
// Times are local to the zone given (the secretariat's). Pure functions: thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "rubrica/base/clock.h"
#include "rubrica/base/time_zone.h"

namespace rubrica::lang {

/// "enero" .. "diciembre" for months 1..12; "" otherwise.
std::string_view MonthName(unsigned month);

/// "16 de marzo de 2023" (day without a leading zero).
std::string DateEs(std::chrono::year_month_day date);
/// "17:08 h": local 24-hour time, minutes always two digits.
std::string TimeEs(Instant t, const TimeZone& zone);
/// "UTC−6" for -6 h, "UTC+5:30", "UTC" for 0.
std::string UtcOffsetEs(std::chrono::seconds offset);
/// "16 de marzo de 2023, 17:08 h (UTC−6)": the local date, time and offset at `t`.
std::string DateTimeEs(Instant t, const TimeZone& zone);

/// "catorce de noviembre de dos mil veintidós"; the first of the month is "primero".
std::string DateInWords(std::chrono::year_month_day date);
/// "diez horas con veinticinco minutos", "una hora", "trece horas con un minuto".
std::string TimeInWords(int hours, int minutes);

}  // namespace rubrica::lang
