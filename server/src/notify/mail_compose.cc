#include "mail_compose.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>

#include "rubrica/base/crypto_util.h"

namespace rubrica::server::notify {

namespace {

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

std::string Base64Lines(std::string_view bytes) {
  const std::string b = Base64Encode(bytes);
  std::string out;
  for (size_t i = 0; i < b.size(); i += 76) out += b.substr(i, 76) + "\r\n";
  return out;
}

// 8bit when every line fits SMTP's 998 octets (readable .eml files, links greppable as
// text), base64 otherwise. `body` has CRLF line ends.
std::string Part(const std::string& content_type, std::string_view body) {
  size_t longest = 0, run = 0;
  for (char c : body) {
    run = (c == '\n') ? 0 : run + 1;
    longest = std::max(longest, run);
  }
  if (longest > 990 || body.find('\0') != std::string_view::npos) {
    return "Content-Type: " + content_type + "\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
           Base64Lines(body);
  }
  std::string out = "Content-Type: " + content_type + "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
  out.append(body);
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

std::string Crlf(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  return out;
}

// Paragraphs (blank-line separated) become <p>, single line breaks <br>.
std::string HtmlOf(const MailContent& c) {
  std::string html =
      "<!DOCTYPE html><html lang=\"es\"><head><meta charset=\"utf-8\"><title>" +
      HtmlEscape(HeaderSafe(c.subject)) + "</title></head><body><p>";
  const std::string text = c.text;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && i + 1 < text.size() && text[i + 1] == '\n') {
      html += "</p>\n<p>";
      while (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (text[i] == '\n') {
      html += "<br>\n";
    } else {
      html += HtmlEscape(std::string_view(&text[i], 1));
    }
  }
  html += "</p>";
  if (!c.link.empty()) {
    html += "<p><a href=\"" + HtmlEscape(c.link) + "\">Abrir en Rúbrica</a></p>";
  }
  return html + "</body></html>";
}

}  // namespace

std::string MessageIdLeft(std::string_view id) {
  std::string out;
  for (char c : id) {
    const bool atext = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    if (atext) {
      out += c;
    } else if (!out.empty() && out.back() != '.') {
      out += '.';  // dot-atom-text: no other specials, never two dots in a row
    }
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out.empty() ? "message" : out;
}

std::string HeaderSafe(std::string_view text) {
  std::string out;
  for (unsigned char c : text) out += (c < 0x20 || c == 0x7f) ? ' ' : static_cast<char>(c);
  return out;
}

bool IsPlainAddress(std::string_view a) {
  if (a.empty() || a.size() > 254) return false;
  const size_t at = a.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 >= a.size() ||
      a.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  for (unsigned char c : a) {
    if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' ||
        c == '(' || c == ')' || c == '\\' || c == '[' || c == ']' || c == ':') {
      return false;
    }
  }
  return true;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string MailDate(Instant t) {
  using namespace std::chrono;
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = floor<days>(t);
  const year_month_day ymd(day);
  const weekday wd(day);
  const hh_mm_ss hms(floor<seconds>(t - day));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0000", kDays[wd.c_encoding()],
                static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string EncodedWord(const std::string& text) {
  if (IsAscii(text)) return text;
  return "=?UTF-8?B?" + Base64Encode(text) + "?=";
}

Result<std::string> ComposeMail(const MailContent& c, const std::string& from,
                                const std::string& message_id, Instant date) {
  if (!IsPlainAddress(c.to)) {
    return Status::Error(ErrorKind::kInvalidArgument, "notify.bad_address",
                         "not one plain e-mail address: '" + HeaderSafe(c.to) + "'",
                         "La dirección de correo no es válida.");
  }
  std::string to = c.to;
  const std::string name = HeaderSafe(c.to_name);
  if (!name.empty()) {
    // An encoded word (or a quoted string for ASCII) cannot carry a second address.
    std::string quoted;
    for (char ch : name) {
      if (ch == '"' || ch == '\\') quoted += '\\';
      quoted += ch;
    }
    to = (IsAscii(name) ? "\"" + quoted + "\"" : EncodedWord(name)) + " <" + c.to + ">";
  }
  std::string text = c.text;
  if (!c.link.empty()) text += "\nAbrir en Rúbrica: " + c.link + "\n";
  const std::string text_crlf = Crlf(text);
  const std::string boundary = "rubrica-" + Sha256Hex(message_id).substr(0, 24);
  std::string m;
  m += "From: " + HeaderSafe(from) + "\r\n";
  m += "To: " + to + "\r\n";
  m += "Subject: " + EncodedWord(HeaderSafe(c.subject)) + "\r\n";
  m += "Date: " + MailDate(date) + "\r\n";
  m += "Message-ID: <" + MessageIdLeft(message_id) + "@rubrica>\r\n";
  m += "MIME-Version: 1.0\r\n";
  std::string text_parts = "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  text_parts += "--" + boundary + "\r\n" + Part("text/plain; charset=utf-8", text_crlf);
  text_parts += "--" + boundary + "\r\n" + Part("text/html; charset=utf-8", Crlf(HtmlOf(c)));
  if (!c.calendar.empty()) {
    text_parts += "--" + boundary + "\r\n" +
                  Part("text/calendar; charset=utf-8; method=" + HeaderSafe(c.calendar_method) +
                           "; name=\"invitacion.ics\"",
                       c.calendar);
  }
  text_parts += "--" + boundary + "--\r\n";
  if (c.attachments.empty()) return m + text_parts;
  const std::string mixed = "rubrica-mixed-" + Sha256Hex(message_id).substr(0, 24);
  m += "Content-Type: multipart/mixed; boundary=\"" + mixed + "\"\r\n\r\n";
  m += "--" + mixed + "\r\n" + text_parts;
  for (const auto& a : c.attachments) {
    std::string name;
    for (char ch : HeaderSafe(a.file_name)) name += (ch == '"' || ch == '\\') ? '_' : ch;
    m += "--" + mixed + "\r\nContent-Type: " + HeaderSafe(a.content_type) + "; name=\"" + name +
         "\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"" + name +
         "\"\r\n\r\n" + Base64Lines(a.bytes);
  }
  m += "--" + mixed + "--\r\n";
  return m;
}

}  // namespace rubrica::server::notify
