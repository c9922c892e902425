// A real SMTP server for tests, as a child process: Debian's python3-aiosmtpd running
// tests/server/peers/smtp_sink.py, which writes each message it receives to a folder. It
// can be stopped and started again on the same port (an outage of the relay).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace rubrica::server::testing {

/// Debian's python3, with aiosmtpd and icalendar.
inline constexpr const char* kPython = "/usr/bin/python3";
/// tests/server/peers/<script>.
std::string Peer(const std::string& script);

class SmtpSink {
 public:
  /// `options`: smtp_sink.py's (--tls CERT KEY, --auth USER PASSWORD).
  explicit SmtpSink(std::string dir, std::vector<std::string> options = {})
      : dir_(std::move(dir)), options_(std::move(options)) {}
  ~SmtpSink() { Stop(); }
  /// Starts listening on 127.0.0.1:`port` (0: a free one); returns the port (0: failed).
  int Start(int port = 0);
  void Stop();
  /// How many messages arrived.
  int Count() const;
  /// The received messages' files (.eml, each as received).
  std::vector<std::string> Files() const;
  /// One line per message: to|message-id|subject|method|uid|sequence|dtstart-utc|status
  /// (peers/ics_check.py).
  std::vector<std::vector<std::string>> Parsed() const;

 private:
  std::string dir_;
  std::vector<std::string> options_;
  int port_ = 0;
  std::unique_ptr<rubrica::testing::ChildProcess> proc_;
};

}  // namespace rubrica::server::testing
