// Private to the HTTP front end: the state of one client connection, owned by the I/O
// thread (front_end.cc).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "listener.h"
#include "request_parser.h"

namespace rubrica::server::http {

using SteadyClock = std::chrono::steady_clock;
using SteadyTime = SteadyClock::time_point;

enum class Phase {
  kIdle,        // waiting for the first byte of a request
  kReading,     // reading a request's head or body
  kDispatched,  // a worker runs the request; the socket is not watched
  kWriting,     // writing a response
  kLingering,   // answered and shut down for writing; reading and dropping until close
};

struct Connection {
  Connection(uint64_t id, int fd, Peer peer, ParserLimits limits, SteadyTime now)
      : id(id), fd(fd), peer(std::move(peer)), parser(limits), accepted(now) {}

  bool open() const { return fd >= 0; }

  enum class WriteResult { kDone, kBlocked, kFailed };
  /// Writes what is left of out_head + out_body without blocking.
  WriteResult WriteSome();

  const uint64_t id;
  int fd;
  const Peer peer;
  bool counted = false;  // counts against its address's cap
  Phase phase = Phase::kIdle;
  RequestParser parser;
  std::string pending;  // bytes after a complete request (pipelined)
  bool fresh = true;    // no request served yet
  const SteadyTime accepted;
  SteadyTime idle_deadline;
  SteadyTime head_start;
  SteadyTime body_start;
  bool body_started = false;
  std::string out_head;
  std::string out_body;
  size_t out_done = 0;
  bool close_after_write = false;
  SteadyTime write_deadline;
  SteadyTime linger_deadline;
  int64_t lingered = 0;
  int64_t buffered = 0;  // body bytes of its request counted in the server's budget
  uint32_t events = 0;   // registered with epoll (0: not registered)
};

}  // namespace rubrica::server::http
