#include "rubrica/base/clock.h"

#include <cstdio>

namespace rubrica {

using namespace std::chrono;

Instant SystemClock::Now() const { return time_point_cast<microseconds>(system_clock::now()); }

static std::string FormatUtc(Instant t, bool micros) {
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss<microseconds> hms{t - day};
  char buf[48];
  if (micros) {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06dZ", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                  int(hms.minutes().count()), int(hms.seconds().count()),
                  int(hms.subseconds().count()));
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                  int(hms.minutes().count()), int(hms.seconds().count()));
  }
  return buf;
}

std::string FormatRfc3339Utc(Instant t) { return FormatUtc(t, false); }
std::string FormatRfc3339UtcMicros(Instant t) { return FormatUtc(t, true); }

static bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

Result<Instant> ParseRfc3339(std::string_view s) {
  auto bad = [&] {
    return Status::Error(ErrorKind::kInvalidArgument, "base.bad_time",
                         "not an RFC 3339 time: '" + std::string(s) + "'",
                         "Fecha u hora no válida: '" + std::string(s) + "'");
  };
  int y, mo, d, h = 0, mi = 0, se = 0;
  if (!Digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d)) {
    return bad();
  }
  year_month_day ymd{year(y), month(unsigned(mo)), day(unsigned(d))};
  if (!ymd.ok()) return bad();
  Instant t = sys_days(ymd);
  if (s.size() == 10) return t;
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !Digits(s, 11, 2, &h) ||
      s[13] != ':' || !Digits(s, 14, 2, &mi) || s[16] != ':' || !Digits(s, 17, 2, &se) ||
      h > 23 || mi > 59 || se > 59) {
    return bad();
  }
  t += hours(h) + minutes(mi) + seconds(se);
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t frac = 0;
    int ndigits = 0, seen = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (ndigits < 6) {
        frac = frac * 10 + (s[pos] - '0');
        ++ndigits;
      }
      ++pos;
      if (++seen > 9) return bad();  // nanoseconds at most
    }
    if (ndigits == 0) return bad();
    while (ndigits++ < 6) frac *= 10;
    t += microseconds(frac);
  }
  if (pos >= s.size()) return bad();
  if (s[pos] == 'Z' || s[pos] == 'z') {
    if (pos + 1 != s.size()) return bad();
    return t;
  }
  int oh, om;
  if ((s[pos] != '+' && s[pos] != '-') || pos + 6 != s.size() || !Digits(s, pos + 1, 2, &oh) ||
      s[pos + 3] != ':' || !Digits(s, pos + 4, 2, &om)) {
    return bad();
  }
  // Offsets in use on Earth lie within -12:00..+14:00; anything past ±14:00 is a typo or
  // an attack, never a zone.
  if (om > 59 || oh * 60 + om > 14 * 60) return bad();
  auto offset = hours(oh) + minutes(om);
  return s[pos] == '+' ? t - offset : t + offset;
}

}  // namespace rubrica
