// The HTTP front end on the real server over loopback: connections kept alive and closed when
// idle, deadlines for heads and bodies, caps per address and in all, a bounded queue, a
// client that does not read its response, and a graceful stop. Short limits make each rule
// visible within a second or two.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "raw_http.h"
#include "rubrica/base/logger.h"
#include "rubrica/server/http.h"

namespace rubrica::server {
namespace {

using testing::RawConnection;
using namespace std::chrono_literals;

std::string Get(const std::string& path) { return "GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n"; }

class FrontEndTest : public ::testing::Test {
 protected:
  void TearDown() override {
    Release();
    server_.reset();
  }

  void Start(HttpServerOptions o) {
    router_.Add("GET", "/ping", [this](HttpExchange& ex) {
      ++dispatched_;
      ex.SendBytes(200, "text/plain", "pong");
    });
    router_.Add("POST", "/echo", [this](HttpExchange& ex) {
      ++dispatched_;
      auto body = ex.Body();
      ex.SendBytes(200, "application/octet-stream", body.ok() ? *body : "");
    });
    router_.Add("GET", "/big", [this](HttpExchange& ex) {
      ++dispatched_;
      ex.SendBytes(200, "application/octet-stream", std::string(kBig, 'x'));
      ++big_sent_;
    });
    router_.Add("GET", "/block", [this](HttpExchange& ex) {
      ++dispatched_;
      ++blocked_;
      released_.wait();
      ex.SendBytes(200, "text/plain", "released");
    });
    router_.Add("GET", "/slow", [this](HttpExchange& ex) {
      ++dispatched_;
      std::this_thread::sleep_for(700ms);
      ex.SendBytes(200, "text/plain", "slow");
    });
    server_ = std::make_unique<HttpServer>(o, router_, logger_);
    ASSERT_TRUE(server_->Start().ok());
  }

  void Release() {
    if (!released_set_) {
      release_.set_value();
      released_set_ = true;
    }
  }

  // A GET /ping from `ip` on a new connection is answered 200.
  bool PingFrom(const std::string& ip) {
    RawConnection c(server_->port(), ip);
    if (!c.Send(Get("/ping"))) return false;
    auto r = c.Read(2s);
    return r && r->status == 200;
  }

  static bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(10ms);
    }
    return true;
  }

  // More than loopback's socket buffers can hold, so a client that does not read blocks
  // the writer.
  static constexpr size_t kBig = 32u << 20;
  std::atomic<int> dispatched_{0};
  std::atomic<int> blocked_{0};
  std::atomic<int> big_sent_{0};
  std::promise<void> release_;
  std::shared_future<void> released_ = release_.get_future().share();
  bool released_set_ = false;
  Router router_;
  NullLogger logger_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(FrontEndTest, KeptAliveConnectionServesTheNextRequestAndIsClosedWhenIdle) {
  HttpServerOptions o;
  o.keepalive_seconds = 2;
  Start(o);
  RawConnection c(server_->port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.Send(Get("/ping")));
    auto r = c.Read(5s);
    ASSERT_TRUE(r.has_value()) << "request " << i;
    EXPECT_EQ(r->body, "pong");
    EXPECT_EQ(r->headers.count("connection"), 0u) << "kept alive";
  }
  std::this_thread::sleep_for(500ms);
  EXPECT_TRUE(c.StillOpen()) << "closed before the idle time";
  const auto idle_since = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.ClosedWithin(5s)) << "an idle connection stayed open";
  EXPECT_GE(std::chrono::steady_clock::now() - idle_since, 500ms);
  // Pipelined requests are answered in order on one connection.
  RawConnection p(server_->port());
  ASSERT_TRUE(p.Send(Get("/ping") +
                     "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi" +
                     "GET /ping HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  for (const char* expected : {"pong", "hi", "pong"}) {
    auto r = p.Read(5s);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->body, expected);
  }
  EXPECT_TRUE(p.ClosedWithin(3s)) << "Connection: close was not honoured";
}

TEST_F(FrontEndTest, AHeadThatTricklesPastItsDeadlineGets408AndNeverAWorker) {
  HttpServerOptions o;
  o.header_timeout_seconds = 1;
  o.threads = 1;
  Start(o);
  RawConnection silent(server_->port());  // connects and never sends
  RawConnection slow(server_->port());
  ASSERT_TRUE(slow.Send("GET /ping HTTP/1.1\r\n"));
  const auto start = std::chrono::steady_clock::now();
  std::optional<testing::RawResponse> r;
  while (!r && std::chrono::steady_clock::now() - start < 5s) {
    slow.Send("X-A: b\r\n");  // still sending, never finishing
    r = slow.Read(200ms);
  }
  ASSERT_TRUE(r.has_value()) << "no 408";
  EXPECT_EQ(r->status, 408);
  EXPECT_EQ(r->reason, "Request Timeout");
  EXPECT_NE(r->body.find("http.request_timeout"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_TRUE(slow.ClosedWithin(3s));
  // A connection that never sent a byte is closed too, without an answer.
  EXPECT_TRUE(silent.ClosedWithin(3s));
  EXPECT_EQ(silent.bytes_read(), 0u);
  EXPECT_EQ(dispatched_, 0);
}

TEST_F(FrontEndTest, ABodyBelowTheMinimumRateGets408AndNeverAWorker) {
  HttpServerOptions o;
  o.timeout_seconds = 1;
  o.min_bytes_per_second = 1000;
  Start(o);
  RawConnection slow(server_->port());
  ASSERT_TRUE(slow.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n"));
  const auto start = std::chrono::steady_clock::now();
  std::optional<testing::RawResponse> r;
  while (!r && std::chrono::steady_clock::now() - start < 5s) {
    slow.Send("0123456789");  // 50 bytes/s
    r = slow.Read(200ms);
  }
  ASSERT_TRUE(r.has_value()) << "no 408";
  EXPECT_EQ(r->status, 408);
  EXPECT_NE(r->body.find("http.request_timeout"), std::string::npos);
  EXPECT_TRUE(slow.ClosedWithin(3s));
  EXPECT_EQ(dispatched_, 0);
  // A body at a good rate is accepted: 100 kB in 10 pieces.
  RawConnection good(server_->port());
  ASSERT_TRUE(good.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n"));
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(good.Send(std::string(10000, 'a')));
    std::this_thread::sleep_for(50ms);
  }
  auto ok = good.Read(5s);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body.size(), 100000u);
}

TEST_F(FrontEndTest, PerAddressCapRefusesTheExcessWhileAnotherAddressIsServed) {
  HttpServerOptions o;
  o.max_connections_per_address = 4;
  Start(o);
  std::vector<RawConnection> held;
  for (int i = 0; i < 4; ++i) {
    held.emplace_back(server_->port(), "127.0.0.2");
    ASSERT_TRUE(held.back().ok());
    ASSERT_TRUE(held.back().Send("GET /ping HTTP/1.1\r\n"));  // a head in progress
  }
  RawConnection excess(server_->port(), "127.0.0.2");
  ASSERT_TRUE(excess.ok());
  auto refused = excess.Read(5s);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 503);
  EXPECT_EQ(refused->reason, "Service Unavailable");
  EXPECT_NE(refused->body.find("server.too_many_connections"), std::string::npos);
  EXPECT_FALSE(refused->headers["retry-after"].empty());
  EXPECT_TRUE(excess.ClosedWithin(3s));
  // Another address is served meanwhile.
  RawConnection other(server_->port(), "127.0.0.3");
  ASSERT_TRUE(other.Send(Get("/ping")));
  auto served = other.Read(5s);
  ASSERT_TRUE(served.has_value());
  EXPECT_EQ(served->status, 200);
  // The held connections were not disturbed: each completes its request.
  for (auto& h : held) {
    ASSERT_TRUE(h.Send("Host: t\r\n\r\n"));
    auto r = h.Read(5s);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->body, "pong");
  }
  // A place freed is a place for the same address again.
  held.pop_back();
  EXPECT_TRUE(WaitFor([&] { return PingFrom("127.0.0.2"); }, 5s));
}

TEST_F(FrontEndTest, OverallCapClosesTheExcessAndRecovers) {
  HttpServerOptions o;
  o.max_connections = 8;
  Start(o);
  std::vector<RawConnection> held;
  for (int i = 0; i < 8; ++i) {
    held.emplace_back(server_->port(), "127.0.0." + std::to_string(10 + i));
    ASSERT_TRUE(held.back().Send("GET /ping HTTP/1.1\r\n"));
  }
  // Let the server accept them all.
  std::this_thread::sleep_for(200ms);
  RawConnection excess(server_->port(), "127.0.0.30");
  EXPECT_TRUE(excess.ClosedWithin(3s)) << "a connection over the cap was kept";
  EXPECT_EQ(excess.bytes_read(), 0u);
  held.clear();
  EXPECT_TRUE(WaitFor([&] { return PingFrom("127.0.0.31"); }, 5s));
}

TEST_F(FrontEndTest, AFullQueueAnswers503WithoutWaiting) {
  HttpServerOptions o;
  o.threads = 1;
  o.max_queued = 1;
  Start(o);
  RawConnection running(server_->port());
  ASSERT_TRUE(running.Send(Get("/block")));
  ASSERT_TRUE(WaitFor([&] { return blocked_ == 1; }, 5s));
  RawConnection queued(server_->port());
  ASSERT_TRUE(queued.Send(Get("/ping")));
  std::this_thread::sleep_for(300ms);
  RawConnection refused(server_->port());
  ASSERT_TRUE(refused.Send(Get("/ping")));
  auto busy = refused.Read(5s);
  ASSERT_TRUE(busy.has_value());
  EXPECT_EQ(busy->status, 503);
  EXPECT_NE(busy->body.find("server.busy"), std::string::npos);
  EXPECT_EQ(busy->headers["retry-after"], "1");
  Release();
  auto first = running.Read(5s);
  auto second = queued.Read(5s);
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_EQ(first->body, "released");
  EXPECT_EQ(second->body, "pong");
}

TEST_F(FrontEndTest, BodiesHeldInMemoryAreCappedInAll) {
  HttpServerOptions o;
  o.max_buffered_body_bytes = 100000;
  Start(o);
  const std::string head = "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 80000\r\n\r\n";
  RawConnection first(server_->port(), "127.0.0.2");
  ASSERT_TRUE(first.Send(head + std::string(60000, 'a')));
  std::this_thread::sleep_for(200ms);
  // A second body would take the total past the cap: refused, the first one untouched.
  RawConnection second(server_->port(), "127.0.0.3");
  ASSERT_TRUE(second.Send(head + std::string(60000, 'b')));
  auto busy = second.Read(5s);
  ASSERT_TRUE(busy.has_value());
  EXPECT_EQ(busy->status, 503);
  EXPECT_NE(busy->body.find("server.busy"), std::string::npos);
  EXPECT_TRUE(second.ClosedWithin(3s));
  ASSERT_TRUE(first.Send(std::string(20000, 'a')));
  auto echoed = first.Read(5s);
  ASSERT_TRUE(echoed.has_value());
  EXPECT_EQ(echoed->status, 200);
  EXPECT_EQ(echoed->body, std::string(80000, 'a'));
  // Once answered, its bytes no longer count: the same body is accepted again.
  RawConnection third(server_->port(), "127.0.0.4");
  ASSERT_TRUE(third.Send(head + std::string(80000, 'c')));
  auto again = third.Read(5s);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(dispatched_, 2);
}

TEST_F(FrontEndTest, AClientThatDoesNotReadItsResponseHoldsNoWorkerAndIsCutOff) {
  HttpServerOptions o;
  o.threads = 1;
  o.timeout_seconds = 1;
  o.min_bytes_per_second = 64 << 20;  // 32 MiB must be taken within 1.5 s
  Start(o);
  RawConnection sleeper(server_->port());
  ASSERT_TRUE(sleeper.Send(Get("/big")));
  ASSERT_TRUE(WaitFor([&] { return big_sent_ == 1; }, 30s));
  // The only worker is free once its handler returned: another client is served while the
  // first reads nothing.
  RawConnection other(server_->port());
  ASSERT_TRUE(other.Send(Get("/ping")));
  auto pong = other.Read(2s);
  ASSERT_TRUE(pong.has_value());
  EXPECT_EQ(pong->body, "pong");
  // Past the send deadline the reader is cut off: it never gets the whole response.
  std::this_thread::sleep_for(2500ms);
  EXPECT_TRUE(sleeper.ClosedWithin(5s));
  EXPECT_LT(sleeper.bytes_read(), kBig);
}

TEST_F(FrontEndTest, StopFinishesTheRequestInProgressAndStopsAccepting) {
  HttpServerOptions o;
  Start(o);
  const int port = server_->port();
  RawConnection idle(port);
  ASSERT_TRUE(idle.Send(Get("/ping")));
  ASSERT_TRUE(idle.Read(5s).has_value());
  RawConnection busy(port);
  ASSERT_TRUE(busy.Send(Get("/slow")));
  ASSERT_TRUE(WaitFor([&] { return dispatched_ == 2; }, 5s));
  server_->Stop();  // returns once the slow request was answered
  auto r = busy.Read(1s);
  ASSERT_TRUE(r.has_value()) << "the request in progress was dropped";
  EXPECT_EQ(r->body, "slow");
  EXPECT_EQ(r->headers["connection"], "close");
  EXPECT_TRUE(busy.ClosedWithin(2s));
  EXPECT_TRUE(idle.ClosedWithin(2s)) << "an idle connection outlived the stop";
  RawConnection late(port);
  EXPECT_FALSE(late.ok()) << "still accepting after Stop()";
}

TEST_F(FrontEndTest, ASecondServerCannotBindAPortInUse) {
  Start(HttpServerOptions());
  HttpServerOptions same;
  same.port = server_->port();
  HttpServer second(same, router_, logger_);
  const Status started = second.Start();
  EXPECT_EQ(started.code(), "server.bind_failed") << "the port is shared (SO_REUSEPORT)";
  EXPECT_TRUE(PingFrom("127.0.0.1"));
}

}  // namespace
}  // namespace rubrica::server
