#include "http_peer.h"

#include <gtest/gtest.h>

namespace rubrica::net::testing {

HttpPeer::HttpPeer(const std::vector<std::string>& mode) {
  std::vector<std::string> argv = {"/usr/bin/python3", rubrica::testing::SourceDir() + "/tests/net/peers/http_peer.py"};
  argv.insert(argv.end(), mode.begin(), mode.end());
  EXPECT_TRUE(process_.Start(argv));
  const std::string line = process_.WaitForLine("ready ", 30);
  EXPECT_FALSE(line.empty()) << process_.output();
  if (line.empty()) return;
  port_ = line.substr(line.find("ready ") + 6);
  while (!port_.empty() && (port_.back() == '\n' || port_.back() == '\r')) port_.pop_back();
}

std::string HttpPeer::Url(const std::string& scheme) const {
  return port_.empty() ? "" : scheme + "://127.0.0.1:" + port_ + "/x";
}

}  // namespace rubrica::net::testing
