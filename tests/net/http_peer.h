// A peer for the bounded client's tests: tests/net/peers/http_peer.py, a real Python
// process on 127.0.0.1 (port chosen by the OS), started in the given mode (see the script).
#pragma once

#include <string>
#include <vector>

#include "support/test_support.h"

namespace rubrica::net::testing {

class HttpPeer {
 public:
  explicit HttpPeer(const std::vector<std::string>& mode);
  /// "<scheme>://127.0.0.1:<port>/x"; "" when the peer did not start.
  std::string Url(const std::string& scheme = "http") const;
  rubrica::testing::ChildProcess& process() { return process_; }

 private:
  rubrica::testing::ChildProcess process_;
  std::string port_;
};

}  // namespace rubrica::net::testing
