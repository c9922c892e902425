#include "icalendar.h"

#include <cstdio>

#include "mail_compose.h"

namespace rubrica::server::notify {

namespace {

std::string UtcStamp(Instant t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss hms(floor<seconds>(t - day));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

// A CAL-ADDRESS with its common name: CN is a quoted parameter value (no DQUOTE inside).
std::string Party(const std::string& property, const CalendarAttendee& p, const std::string& extra) {
  std::string cn;
  for (char c : HeaderSafe(p.name)) {
    if (c != '"') cn += c;
  }
  return property + ";CN=\"" + cn + "\"" + extra + ":mailto:" + HeaderSafe(p.email);
}

}  // namespace

std::string CalendarText(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\n': out += "\\n"; break;
      case '\r': break;
      default: out += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
    }
  }
  return out;
}

std::string FoldLine(const std::string& line) {
  std::string out;
  size_t width = 0;  // octets on the current physical line
  for (size_t i = 0; i < line.size();) {
    // The whole UTF-8 sequence starting at i.
    size_t n = 1;
    while (i + n < line.size() && (static_cast<unsigned char>(line[i + n]) & 0xC0) == 0x80) ++n;
    if (width + n > 75) {
      out += "\r\n ";
      width = 1;
    }
    out.append(line, i, n);
    width += n;
    i += n;
  }
  return out + "\r\n";
}

std::string RenderCalendar(const CalendarEvent& e) {
  std::vector<std::string> lines = {
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Rubrica//Actas del Secretariado//ES",
      "CALSCALE:GREGORIAN",
      std::string("METHOD:") + (e.cancelled ? "CANCEL" : "REQUEST"),
      "BEGIN:VEVENT",
      "UID:" + HeaderSafe(e.uid),
      "SEQUENCE:" + std::to_string(e.sequence),
      "DTSTAMP:" + UtcStamp(e.stamp),
      "DTSTART:" + UtcStamp(e.starts_at),
      "DTEND:" + UtcStamp(e.starts_at + e.duration),
      "SUMMARY;LANGUAGE=es:" + CalendarText(e.summary),
  };
  if (!e.location.empty()) lines.push_back("LOCATION:" + CalendarText(e.location));
  if (!e.description.empty()) lines.push_back("DESCRIPTION:" + CalendarText(e.description));
  if (!e.url.empty()) lines.push_back("URL:" + HeaderSafe(e.url));
  lines.push_back(std::string("STATUS:") + (e.cancelled ? "CANCELLED" : "CONFIRMED"));
  if (!e.organizer.email.empty()) lines.push_back(Party("ORGANIZER", e.organizer, ""));
  for (const auto& a : e.attendees) {
    lines.push_back(Party("ATTENDEE", a, ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE"));
  }
  lines.push_back("END:VEVENT");
  lines.push_back("END:VCALENDAR");
  std::string out;
  for (const auto& l : lines) out += FoldLine(l);
  return out;
}

}  // namespace rubrica::server::notify
