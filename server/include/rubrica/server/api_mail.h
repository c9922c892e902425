// Outgoing mail of the API (account invitations). The embedded default is an outbox: a
// directory of RFC 5322 messages (.eml, UTF-8, 8bit), one file per message, written
// atomically and readable only by the service's user (0600: invitation links are secrets).
// An operator's mail relay can pick them up; an SMTP sender can implement Mailer later.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"

namespace rubrica::server {

struct MailMessage {
  std::string to;       // one address
  std::string subject;  // Spanish, UTF-8
  std::string body;     // plain text, Spanish, UTF-8
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  /// Sends or queues `message`. Thread-safe in every implementation.
  virtual Status Send(const MailMessage& message) = 0;
};

/// Writes each message to <dir>/<UTC time>-<sequence>-<random>.eml (the directory is
/// created, 0700); names sort in the order messages were sent.
/// Errors: base I/O errors (disk full: base.disk_full). Thread-safe.
class OutboxMailer final : public Mailer {
 public:
  OutboxMailer(std::string dir, std::string from, const Clock& clock)
      : dir_(std::move(dir)), from_(std::move(from)), clock_(clock) {}
  Status Send(const MailMessage& message) override;
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::string from_;
  const Clock& clock_;
  std::atomic<uint64_t> sequence_{0};  // orders messages of one instant (a stopped clock)
};

}  // namespace rubrica::server
