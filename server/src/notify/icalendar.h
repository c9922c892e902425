// iCalendar (RFC 5545) invitations for sessions: one VEVENT per session with a stable UID
// ("session-<id>@<host>"), SEQUENCE raised on every change, METHOD:REQUEST for a
// convocation or change and METHOD:CANCEL (STATUS:CANCELLED) for a cancellation. Times are
// UTC ("DTSTART:20260216T160000Z"; RFC 5545 3.3.5 form 2), so no VTIMEZONE is needed and
// every client shows the secretariat's local time. Text values are escaped (3.3.11), content
// lines are folded at 75 octets without splitting a UTF-8 sequence (3.1), lines end in CRLF.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"

namespace rubrica::server::notify {

struct CalendarAttendee {
  std::string name;
  std::string email;
};

struct CalendarEvent {
  std::string uid;  // stable per session
  int sequence = 0;
  bool cancelled = false;  // METHOD:CANCEL
  Instant starts_at;
  std::chrono::minutes duration{120};
  Instant stamp;  // DTSTAMP: when this version was issued
  std::string summary;
  std::string location;
  std::string description;
  std::string url;
  CalendarAttendee organizer;
  std::vector<CalendarAttendee> attendees;
};

/// The VCALENDAR object for `event`.
std::string RenderCalendar(const CalendarEvent& event);

/// RFC 5545 3.3.11 TEXT escaping (backslash, semicolon, comma, newline).
std::string CalendarText(const std::string& text);
/// Folds one content line at 75 octets (continuation lines start with a space) and ends it
/// with CRLF.
std::string FoldLine(const std::string& line);

}  // namespace rubrica::server::notify
