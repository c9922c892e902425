#include <chrono>
#include <cstdio>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/server/api_mail.h"
#include "../notify/mail_compose.h"

namespace rubrica::server {

using notify::EncodedWord;
using notify::MailDate;

namespace {

bool HasLineBreak(const std::string& s) { return s.find_first_of("\r\n") != std::string::npos; }

}  // namespace

Status OutboxMailer::Send(const MailMessage& m) {
  // A header value with a line break would let the text inject headers.
  if (m.to.empty() || HasLineBreak(m.to) || HasLineBreak(m.subject)) {
    return Status::Error(ErrorKind::kInvalidArgument, "api.bad_mail",
                         "mail recipient or subject is empty or has a line break",
                         "La dirección de correo no es válida.");
  }
  RETURN_IF_ERROR(MakeDirs(dir_, 0700));
  const Instant now = clock_.Now();
  const std::string id = HexEncode(RandomBytes(8));
  std::string body = m.body;
  // Bare LF to CRLF, as RFC 5322 wants on the wire.
  std::string crlf;
  for (char c : body) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  std::string msg;
  msg += "From: " + from_ + "\r\n";
  msg += "To: " + m.to + "\r\n";
  msg += "Subject: " + EncodedWord(m.subject) + "\r\n";
  msg += "Date: " + MailDate(now) + "\r\n";
  msg += "Message-ID: <" + id + "@rubrica>\r\n";
  msg += "MIME-Version: 1.0\r\n";
  msg += "Content-Type: text/plain; charset=utf-8\r\n";
  msg += "Content-Transfer-Encoding: 8bit\r\n\r\n";
  msg += crlf;
  if (msg.size() < 2 || msg.substr(msg.size() - 2) != "\r\n") msg += "\r\n";
  std::string stamp = FormatRfc3339UtcMicros(now);
  for (char& c : stamp) {
    if (c == ':') c = '-';
  }
  AtomicWriteOptions o;
  o.mode = 0600;
  char seq[24];
  std::snprintf(seq, sizeof seq, "%08llu", static_cast<unsigned long long>(++sequence_));
  return WriteFileAtomic(dir_ + "/" + stamp + "-" + seq + "-" + id + ".eml", msg, o);
}

}  // namespace rubrica::server
