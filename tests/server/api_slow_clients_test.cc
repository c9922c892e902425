// Slow clients cannot stall the service (issue 11): with 500 sockets sending a request head
// slowly and 100 sending a body slowly, from 50 client addresses, the real service on
// loopback still answers /healthz fast and carries a PIN rubric through the API.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "api_world.h"
#include "raw_http.h"

namespace rubrica::server::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kSlowHeads = 500;
constexpr int kSlowBodies = 100;
constexpr int kAddresses = 50;
constexpr int kHealthChecks = 200;

TEST(ApiSlowClientsTest, HealthzStaysFastAndAPinRubricSucceedsWhileSlowClientsHoldSockets) {
  ASSERT_GE(RaiseOpenFileLimit(4 * (kSlowHeads + kSlowBodies)),
            2u * (kSlowHeads + kSlowBodies) + 256)
      << "not enough open files for the slow sockets";
  WorldOptions o;
  // Deadlines longer than the test, so every slow socket stays open throughout: the service
  // may not get rid of them to stay fast.
  o.config_flags = {{"http.header_timeout_seconds", "300"}, {"http.timeout_seconds", "300"}};
  ApiWorld w(o);
  w.AdvanceTo(Stage::kRubric);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());

  std::vector<RawConnection> slow;
  slow.reserve(kSlowHeads + kSlowBodies);
  for (int i = 0; i < kSlowHeads + kSlowBodies; ++i) {
    slow.emplace_back(w.port(), "127.0.0." + std::to_string(2 + i % kAddresses));
    ASSERT_TRUE(slow.back().ok()) << "socket " << i;
    ASSERT_TRUE(slow.back().Send(
        i < kSlowHeads
            ? "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: "
            : "POST /api/auth/token HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
              "Content-Length: 1000000\r\n\r\n{\"login\":\""));
  }
  // They keep sending, one byte a second each.
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    while (!done) {
      for (auto& s : slow) s.Send("a");
      for (int i = 0; i < 10 && !done; ++i) std::this_thread::sleep_for(100ms);
    }
  });

  std::vector<double> ms;
  Client anonymous = w.As("public");
  for (int i = 0; i < kHealthChecks; ++i) {
    const auto start = std::chrono::steady_clock::now();
    Reply r = anonymous.Get("/healthz");
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
    ASSERT_EQ(r.status, 200) << Describe(r);
  }
  std::sort(ms.begin(), ms.end());
  const double p50 = ms[ms.size() / 2];
  const double p99 = ms[ms.size() * 99 / 100 - 1];
  std::cout << "/healthz with " << kSlowHeads << " slow heads and " << kSlowBodies
            << " slow bodies open: p50 " << p50 << " ms, p99 " << p99 << " ms, max " << ms.back()
            << " ms\n";
  EXPECT_LT(p99, 200.0);

  const auto start = std::chrono::steady_clock::now();
  Reply rubric = w.As("titular").Post("/api/actas/" + std::to_string(w.acta) + "/rubric",
                                      "{\"pin\":" + Q(w.person("titular").pin) + "}");
  std::cout << "PIN rubric meanwhile: "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
            << " s\n";
  EXPECT_EQ(rubric.status, 200) << Describe(rubric);
  EXPECT_TRUE(
      w.As("titular").Get("/api/actas/" + std::to_string(w.acta)).Bool("signers[0].rubric_signed"));

  done = true;
  trickle.join();
  // Every slow socket was held open all along (none refused, none timed out).
  int open = 0;
  for (auto& s : slow) open += s.StillOpen() ? 1 : 0;
  EXPECT_EQ(open, kSlowHeads + kSlowBodies);
}

}  // namespace
}  // namespace rubrica::server::testing
