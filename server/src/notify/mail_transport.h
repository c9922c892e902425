// Where composed messages go: an SMTP relay (Poco's SMTPClientSession; STARTTLS when the
// server offers it or when required; AUTH LOGIN or PLAIN when a user is configured), or,
// when no relay is configured, the outbox folder (one .eml file per message, 0600).
#pragma once

#include <memory>
#include <string>

#include "rubrica/base/clock.h"

namespace rubrica::server::notify {

/// The outcome of one attempt. `permanent` failures (a 5xx answer to the message's sender,
/// recipient or content) are not retried. SMTP failures start their detail with a stable
/// code: notify.smtp_rejected (permanent), notify.smtp_auth_failed (the relay refused the
/// configured credentials), notify.smtp_starttls_missing, notify.smtp_tls_failed (no TLS, or
/// the relay's certificate is not trusted), notify.smtp_unavailable (down, timed out, 4xx).
struct DeliveryOutcome {
  bool ok = false;
  bool permanent = false;
  std::string detail;  // the peer's answer or the error, for the delivery log
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  /// Delivers `message` (a whole RFC 5322 message) to `to`. `id` is the outbox id, `seq` and
  /// `created_at` its enqueue order and time (stable across retries). Thread-safe.
  virtual DeliveryOutcome Deliver(const std::string& id, int64_t seq, Instant created_at,
                                  const std::string& envelope_from, const std::string& to,
                                  const std::string& message) = 0;
};

struct SmtpSettings {
  std::string host;  // empty: no relay (the outbox folder is used)
  int port = 25;
  /// "auto" (STARTTLS when offered), "required" (refuse to send without it) or "off".
  std::string starttls = "auto";
  std::string user;      // empty: no AUTH
  std::string password;
  std::string auth = "login";  // "login" or "plain"
  std::string ca_file;         // CAs for the relay's certificate; empty: the system's
  int timeout_seconds = 30;
  std::string helo = "rubrica.invalid";
};

std::unique_ptr<MailTransport> MakeSmtpTransport(const SmtpSettings& settings);
/// Writes <dir>/<enqueue time>-<seq>-<id>.eml (names sort in enqueue order) (0600, directory 0700), atomically; a retry of the
/// same message rewrites the same file, so each message leaves exactly one file.
std::unique_ptr<MailTransport> MakeFolderTransport(const std::string& dir);

}  // namespace rubrica::server::notify
