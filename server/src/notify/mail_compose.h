// Composing the RFC 5322 / MIME messages the service sends: Spanish plain text and its HTML
// rendering as multipart/alternative, with an iCalendar part (text/calendar; method=...)
// when the message is an invitation, inside multipart/mixed with base64 attachments when
// it carries files (the monthly package to an agency by e-mail). Header values are normalised (no CR, LF or other
// control characters can reach a header, so text from users cannot inject headers) and
// non-ASCII headers are RFC 2047 encoded words. Bodies are 8bit UTF-8 with CRLF lines (as
// the .eml outbox always was), or base64 when a line would pass SMTP's 998-octet limit.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"

namespace rubrica::server::notify {

/// A file carried by a message (Content-Disposition: attachment, base64).
struct MailAttachment {
  std::string file_name;     // ASCII, no quotes ("paquete-3-2026-02.zip")
  std::string content_type;  // "application/zip"
  std::string bytes;
};

struct MailContent {
  std::string to;       // one address
  std::string to_name;  // display name; may be empty
  std::string subject;  // Spanish, UTF-8
  std::string text;     // plain text, Spanish, UTF-8, '\n' line ends
  /// The action link, shown last in both parts ("Abrir en Rúbrica: <link>"); may be empty.
  std::string link;
  std::string calendar;         // an iCalendar object (CRLF lines); empty: none
  std::string calendar_method;  // "REQUEST" or "CANCEL" when calendar is set
  std::vector<MailAttachment> attachments;  // after the text, in this order
};

/// The whole message, CRLF line ends. `from` is "Name <address>"; `message_id` is the
/// outbox id, which becomes the Message-ID's left part (MessageIdLeft).
/// Errors: notify.bad_address (empty, or not one plain address).
Result<std::string> ComposeMail(const MailContent& content, const std::string& from,
                                const std::string& message_id, Instant date);

/// The Message-ID's left part for an outbox id (RFC 5322 dot-atom-text: "mail:audit-42:person-7"
/// becomes "mail.audit-42.person-7"), so receivers can de-duplicate by it.
std::string MessageIdLeft(std::string_view id);
/// `text` with every control character (CR and LF included) replaced by a space.
std::string HeaderSafe(std::string_view text);
/// Whether `address` is one plain "local@domain" address (no spaces, brackets, quotes,
/// commas or control characters).
bool IsPlainAddress(std::string_view address);
/// &, <, >, " and ' escaped for HTML text and attribute values.
std::string HtmlEscape(std::string_view text);
/// RFC 5322 date-time in UTC: "Sat, 21 Nov 2026 18:04:05 +0000".
std::string MailDate(Instant t);
/// The RFC 2047 encoded word of `text` (UTF-8, base64) when it is not plain ASCII.
std::string EncodedWord(const std::string& text);

}  // namespace rubrica::server::notify
