#include "rubrica/lang/dates.h"

#include <cstdio>

#include "rubrica/lang/numbers.h"

namespace rubrica::lang {

using namespace std::chrono;

namespace {
constexpr std::string_view kMonths[12] = {"enero",      "febrero", "marzo",     "abril",
                                          "mayo",       "junio",   "julio",     "agosto",
                                          "septiembre", "octubre", "noviembre", "diciembre"};
constexpr char kMinusSign[] = "\xE2\x88\x92";  // U+2212
}  // namespace

std::string_view MonthName(unsigned month) {
  return month >= 1 && month <= 12 ? kMonths[month - 1] : std::string_view();
}

std::string DateEs(year_month_day date) {
  return std::to_string(static_cast<unsigned>(date.day())) + " de " +
         std::string(MonthName(static_cast<unsigned>(date.month()))) + " de " +
         std::to_string(static_cast<int>(date.year()));
}

std::string TimeEs(Instant t, const TimeZone& zone) {
  const local_seconds local = zone.ToLocal(t);
  const hh_mm_ss hms(local - floor<days>(local));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%d:%02d h", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()));
  return buf;
}

std::string UtcOffsetEs(seconds offset) {
  const long total = static_cast<long>(offset.count());
  if (total == 0) return "UTC";
  const long minutes = (total < 0 ? -total : total) / 60;
  std::string out =
      std::string("UTC") + (total < 0 ? kMinusSign : "+") + std::to_string(minutes / 60);
  if (minutes % 60 != 0) {
    char buf[8];
    std::snprintf(buf, sizeof buf, ":%02ld", minutes % 60);
    out += buf;
  }
  return out;
}

std::string DateTimeEs(Instant t, const TimeZone& zone) {
  return DateEs(zone.LocalDate(t)) + ", " + TimeEs(t, zone) + " (" + UtcOffsetEs(zone.OffsetAt(t)) +
         ")";
}

std::string DateInWords(year_month_day date) {
  const unsigned day = static_cast<unsigned>(date.day());
  return (day == 1 ? std::string("primero") : NumberInWords(day)) + " de " +
         std::string(MonthName(static_cast<unsigned>(date.month()))) + " de " +
         NumberInWords(static_cast<int>(date.year()));
}

std::string TimeInWords(int hours, int minutes) {
  // "hora" is feminine: una hora, veintiuna horas.
  std::string out = hours == 1    ? std::string("una hora")
                    : hours == 21 ? std::string("veintiuna horas")
                                  : NumberInWords(hours) + " horas";
  if (minutes == 0) return out;
  return out + " con " + NumberInWordsBeforeNoun(minutes) + (minutes == 1 ? " minuto" : " minutos");
}

}  // namespace rubrica::lang
