// Outgoing mail of the API (account invitations, credential notices). The service's Mailer
// (server/src/notify/notifier.cc) enqueues each message in the database's outbox; the
// background sender delivers it by SMTP (smtp.*) or, by default, as an .eml file in
// <data_dir>/outbox/ (written before Send returns), with retries across restarts.
// OutboxMailer below writes .eml files directly, without the outbox (tools and tests).
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
