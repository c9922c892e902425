// Private to the HTTP front end: the listening socket and what identifies a client.
#pragma once

#include <sys/socket.h>

#include <string>

#include "rubrica/base/status.h"

namespace rubrica::server::http {

/// A non-blocking, close-on-exec listening TCP socket on host:port (port 0: any free port;
/// the bound one goes to *bound_port). SO_REUSEADDR only, never SO_REUSEPORT: a second
/// process cannot bind the same port. server.bind_failed (kUnavailable) on failure.
Result<int> Listen(const std::string& host, int port, int* bound_port);

struct Peer {
  std::string remote;  // "ip:port", "[v6]:port"
  std::string key;     // what the per-address cap counts: the IPv4 address, or the IPv6 /64
};
Peer DescribePeer(const sockaddr_storage& address);

}  // namespace rubrica::server::http
